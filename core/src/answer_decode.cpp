#include "sharetrack/answer_decode.hpp"

#include <limits>

#include "json_fields.hpp"

namespace sharetrack {
namespace {

using detail::json;
using detail::JsonObject;

// Reading checks the JSON types only; validateAnswer then checks the values, for this decoder
// and for the browser's alike.
constexpr StringRule kText{0, std::numeric_limits<std::size_t>::max(), Charset::anyByte()};

Error malformed(const std::string& what) { return makeError(ErrorCode::answerMalformed, "answer: " + what); }

Result<EventResult> readResult(const json& value, const std::string& path) {
  if (!value.is_object()) return malformed(path + ": must be an object");
  const JsonObject o(value, path);
  EventResult result;
  SHARETRACK_ASSIGN_OR_RETURN(result.id, o.string("id", kText));
  std::string status;
  SHARETRACK_ASSIGN_OR_RETURN(status, o.string("status", kText));
  const auto known = eventStatusFromName(status);
  if (!known) return malformed(o.pathOf("status") + ": unknown status");
  result.status = *known;
  if (result.status == EventStatus::rejected) {
    SHARETRACK_ASSIGN_OR_RETURN(result.code, o.string("code", kText));
    std::optional<std::string> message;
    SHARETRACK_ASSIGN_OR_RETURN(message, o.optionalString("message", kText));
    result.message = message.value_or("");
  }
  return result;
}

Result<Answer> readRefusal(const json& value, int version) {
  if (!value.is_object()) return malformed("error: must be an object");
  const JsonObject o(value, "error");
  BatchRefusal refusal;
  refusal.version = version;
  SHARETRACK_ASSIGN_OR_RETURN(refusal.code, o.string("code", kText));
  std::optional<std::string> message;
  SHARETRACK_ASSIGN_OR_RETURN(message, o.optionalString("message", kText));
  refusal.message = message.value_or("");
  if (o.find("retryAfter") && !o.find("retryAfter")->is_null()) {
    std::uint64_t seconds = 0;
    SHARETRACK_ASSIGN_OR_RETURN(seconds, o.unsignedInt("retryAfter", kMaxRetryAfterSeconds));
    refusal.retryAfterSeconds = static_cast<std::uint32_t>(seconds);
  }
  return Answer{std::move(refusal)};
}

Result<Answer> readAnswer(const json& root) {
  if (!root.is_object()) return malformed("must be a JSON object");
  const JsonObject o(root, "");
  std::uint64_t version = 0;
  SHARETRACK_ASSIGN_OR_RETURN(version, o.unsignedInt("v", 1000));
  if (const json* error = o.find("error")) return readRefusal(*error, static_cast<int>(version));

  BatchAnswer answer;
  answer.version = static_cast<int>(version);
  SHARETRACK_ASSIGN_OR_RETURN(answer.batchId, o.string("batch", kText));
  const json* results = o.find("results");
  if (!results || !results->is_array() || results->size() > kMaxEventsPerBatch) {
    return malformed("results: must be a list of up to " + std::to_string(kMaxEventsPerBatch));
  }
  for (std::size_t i = 0; i < results->size(); ++i) {
    EventResult result;
    SHARETRACK_ASSIGN_OR_RETURN(result, readResult((*results)[i], "results[" + std::to_string(i) + "]"));
    answer.results.push_back(std::move(result));
  }
  return Answer{std::move(answer)};
}

}  // namespace

Result<Answer> decodeAnswer(std::string_view text) {
  const json root = json::parse(text.begin(), text.end(), nullptr, false);
  if (root.is_discarded()) return malformed("not JSON");
  auto answer = readAnswer(root);
  if (!answer) {
    if (answer.error().code == ErrorCode::answerMalformed) return answer.error();
    return malformed(answer.error().message);
  }
  SHARETRACK_RETURN_IF_ERROR(validateAnswer(answer.value()));
  return answer;
}

}  // namespace sharetrack
