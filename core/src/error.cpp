#include "sharetrack/error.hpp"

#include <array>

namespace sharetrack {
namespace {

struct NamedCode {
  ErrorCode code;
  std::string_view name;
};

constexpr std::array kNames{
    NamedCode{ErrorCode::tokenLength, "token_length"},
    NamedCode{ErrorCode::tokenAlphabet, "token_alphabet"},
    NamedCode{ErrorCode::tokenVersion, "token_version"},
    NamedCode{ErrorCode::tokenCheck, "token_check"},
    NamedCode{ErrorCode::tokenDepth, "token_depth"},
    NamedCode{ErrorCode::tokenChannel, "token_channel"},
    NamedCode{ErrorCode::mintTimeOutOfRange, "mint_time_out_of_range"},
    NamedCode{ErrorCode::urlMalformed, "url_malformed"},
    NamedCode{ErrorCode::urlScheme, "url_scheme"},
    NamedCode{ErrorCode::urlTooLong, "url_too_long"},
    NamedCode{ErrorCode::paramNameInvalid, "param_name_invalid"},
    NamedCode{ErrorCode::batchTooLarge, "batch_too_large"},
    NamedCode{ErrorCode::batchNotJson, "batch_not_json"},
    NamedCode{ErrorCode::unsupportedVersion, "unsupported_version"},
    NamedCode{ErrorCode::fieldMissing, "field_missing"},
    NamedCode{ErrorCode::fieldType, "field_type"},
    NamedCode{ErrorCode::fieldLength, "field_length"},
    NamedCode{ErrorCode::fieldCharset, "field_charset"},
    NamedCode{ErrorCode::fieldRange, "field_range"},
    NamedCode{ErrorCode::tooManyEvents, "too_many_events"},
    NamedCode{ErrorCode::eventTypeUnknown, "event_type_unknown"},
    NamedCode{ErrorCode::channelUnknown, "channel_unknown"},
    NamedCode{ErrorCode::channelMismatch, "channel_mismatch"},
    NamedCode{ErrorCode::depthMismatch, "depth_mismatch"},
    NamedCode{ErrorCode::answerMalformed, "answer_malformed"},
    NamedCode{ErrorCode::retryAfterInvalid, "retry_after_invalid"},
    NamedCode{ErrorCode::channelNotShareable, "channel_not_shareable"},
    NamedCode{ErrorCode::contentInvalid, "content_invalid"},
    NamedCode{ErrorCode::conversionInvalid, "conversion_invalid"},
    NamedCode{ErrorCode::snapshotForeign, "snapshot_foreign"},
    NamedCode{ErrorCode::snapshotVersion, "snapshot_version"},
    NamedCode{ErrorCode::snapshotCorrupt, "snapshot_corrupt"},
    NamedCode{ErrorCode::notAllowed, "not_allowed"},
    NamedCode{ErrorCode::siteUnknown, "site_unknown"},
    NamedCode{ErrorCode::originNotAllowed, "origin_not_allowed"},
    NamedCode{ErrorCode::rateLimited, "rate_limited"},
    NamedCode{ErrorCode::storageUnavailable, "storage_unavailable"},
    NamedCode{ErrorCode::unauthorized, "unauthorized"},
    NamedCode{ErrorCode::notFound, "not_found"},
    NamedCode{ErrorCode::methodNotAllowed, "method_not_allowed"},
    NamedCode{ErrorCode::configInvalid, "config_invalid"},
};
static_assert(kNames.size() == kErrorCodeCount, "every ErrorCode has a wire name");

}  // namespace

std::string_view errorCodeName(ErrorCode code) {
  for (const auto& entry : kNames) {
    if (entry.code == code) return entry.name;
  }
  return "unknown";
}

std::optional<ErrorCode> errorCodeFromName(std::string_view name) {
  for (const auto& entry : kNames) {
    if (entry.name == name) return entry.code;
  }
  return std::nullopt;
}

}  // namespace sharetrack
