#include "sharetrack/answer.hpp"

#include <array>
#include <string>
#include <tuple>
#include <variant>

#include "name_table.hpp"
#include "sharetrack/field_rules.hpp"
#include "sharetrack/json_writer.hpp"

namespace sharetrack {
namespace {

using detail::Named;

constexpr detail::NameTable kStatusNames(std::array{
    Named<EventStatus>{EventStatus::accepted, "accepted"},
    Named<EventStatus>{EventStatus::duplicate, "duplicate"},
    Named<EventStatus>{EventStatus::rejected, "rejected"},
});
static_assert(kStatusNames.size() == kEventStatusCount && kStatusNames.inOrder(), "one name per event status");

// A result names the event as it was sent, or nothing when it had no readable id.
constexpr StringRule kResultIdRule{0, kMaxIdLength, rules::kBase64Url};

// Every way an answer can be wrong is one code for the client: the message says which.
Error malformed(const char* what) { return makeError(ErrorCode::answerMalformed, std::string("answer: ") + what); }

bool validResult(const EventResult& result) {
  return follows(result.id, kResultIdRule) &&
         (result.status != EventStatus::rejected ||
          (follows(result.code, rules::code) && result.message.size() <= kMaxMessageLength));
}

}  // namespace

bool EventResult::operator==(const EventResult& o) const {
  return std::tie(id, status, code, message) == std::tie(o.id, o.status, o.code, o.message);
}
bool BatchAnswer::operator==(const BatchAnswer& o) const {
  return std::tie(version, batchId, results) == std::tie(o.version, o.batchId, o.results);
}
bool BatchRefusal::operator==(const BatchRefusal& o) const {
  return std::tie(version, code, message, retryAfterSeconds) ==
         std::tie(o.version, o.code, o.message, o.retryAfterSeconds);
}

std::string_view eventStatusName(EventStatus status) { return kStatusNames.name(status); }

std::optional<EventStatus> eventStatusFromName(std::string_view name) { return kStatusNames.find(name); }

Status validateAnswer(const Answer& answer) {
  if (const auto* batchAnswer = std::get_if<BatchAnswer>(&answer)) {
    if (!follows(batchAnswer->batchId, rules::id)) return malformed("batch: not a batch id");
    if (batchAnswer->results.size() > kMaxEventsPerBatch) return malformed("results: more than 200");
    for (const EventResult& result : batchAnswer->results) {
      if (!validResult(result)) return malformed("results: each an id, a status, and for a rejection a code");
    }
    return {};
  }
  const auto& refusal = std::get<BatchRefusal>(answer);
  if (!follows(refusal.code, rules::code) || refusal.message.size() > kMaxMessageLength ||
      (refusal.retryAfterSeconds && *refusal.retryAfterSeconds > kMaxRetryAfterSeconds)) {
    return malformed("error: a code of a-z 0-9 _, a message of at most 512 bytes, retryAfter of at most 86400 s");
  }
  return {};
}

std::string encodeAnswer(const BatchAnswer& answer) {
  JsonWriter out;
  out.beginObject().key("v").integer(answer.version).key("batch").string(answer.batchId).key("results").beginArray();
  for (const EventResult& result : answer.results) {
    out.beginObject().key("id").string(result.id).key("status").string(eventStatusName(result.status));
    if (result.status == EventStatus::rejected) {
      out.key("code").string(result.code);
      if (!result.message.empty()) out.key("message").string(result.message);
    }
    out.endObject();
  }
  return out.endArray().endObject().str();
}

std::string encodeRefusal(const BatchRefusal& refusal) {
  JsonWriter out;
  out.beginObject().key("v").integer(refusal.version).key("error").beginObject().key("code").string(refusal.code);
  // Messages may quote bytes of a broken batch: JsonWriter turns invalid UTF-8 into U+FFFD.
  if (!refusal.message.empty())
    out.key("message").string(std::string_view(refusal.message).substr(0, kMaxMessageLength));
  if (refusal.retryAfterSeconds) out.key("retryAfter").integer(*refusal.retryAfterSeconds);
  return out.endObject().endObject().str();
}

}  // namespace sharetrack
