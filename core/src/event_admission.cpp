#include "sharetrack/event_admission.hpp"

#include <cmath>
#include <string>

#include "sharetrack/token.hpp"

namespace sharetrack {
namespace {

// Tokens in a decoded event have been parsed once already: they parse.
Status mintedInThePast(const std::string& text, std::int64_t receivedAtMs, const char* field) {
  const auto token = parseToken(text);
  if (token && token.value().mintTimeMs() > receivedAtMs + kMaxClockSkewMs) {
    return makeError(ErrorCode::fieldRange, std::string(field) + ": minted in the future");
  }
  return {};
}

}  // namespace

Status admitEvent(const Event& event, const AdmissionPolicy& policy, std::int64_t receivedAtMs) {
  if (const auto* share = std::get_if<ShareEvent>(&event.body)) {
    SHARETRACK_RETURN_IF_ERROR(mintedInThePast(share->token, receivedAtMs, "token"));
    if (share->parent) SHARETRACK_RETURN_IF_ERROR(mintedInThePast(*share->parent, receivedAtMs, "parent"));
  } else if (const auto* clickback = std::get_if<ClickbackEvent>(&event.body)) {
    SHARETRACK_RETURN_IF_ERROR(mintedInThePast(clickback->token, receivedAtMs, "token"));
  } else if (const auto* summary = std::get_if<SummaryEvent>(&event.body)) {
    if (summary->addressToken) {
      SHARETRACK_RETURN_IF_ERROR(mintedInThePast(*summary->addressToken, receivedAtMs, "addressToken"));
    }
  } else if (const auto* conversion = std::get_if<ConversionEvent>(&event.body)) {
    if (std::fabs(conversion->value) > policy.maxConversionValue) {
      return makeError(ErrorCode::fieldRange, "value: beyond this site's bound of " +
                                                  std::to_string(static_cast<long long>(policy.maxConversionValue)));
    }
  }
  return {};
}

}  // namespace sharetrack
