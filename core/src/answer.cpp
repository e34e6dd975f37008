#include "sharetrack/answer.hpp"

#include <algorithm>
#include <array>
#include <tuple>

#include "json_fields.hpp"
#include "sharetrack/json_writer.hpp"

namespace sharetrack {
namespace {

using detail::json;
using detail::JsonObject;

constexpr std::array<std::string_view, 3> kStatusNames{"accepted", "duplicate", "rejected"};

// Every way an answer can be wrong is one code for the client: the message says which.
Error malformed(const Error& cause) { return makeError(ErrorCode::answerMalformed, "answer: " + cause.message); }
Error malformed(const std::string& what) { return makeError(ErrorCode::answerMalformed, "answer: " + what); }

const detail::StringRule kResultIdRule{0, kMaxIdLength, detail::isBase64UrlChar, "A-Z a-z 0-9 - _"};
bool anyChar(char) { return true; }
const detail::StringRule kMessageRule{0, kMaxMessageLength, anyChar, "any"};

Result<EventResult> decodeResult(const json& value, const std::string& path) {
  if (!value.is_object()) return malformed(path + ": must be an object");
  const JsonObject o(value, path);
  EventResult result;
  SHARETRACK_ASSIGN_OR_RETURN(result.id, o.string("id", kResultIdRule));
  const json* status = o.find("status");
  if (!status || !status->is_string()) return malformed(o.pathOf("status") + ": must be a string");
  std::size_t index = 0;
  while (index < kStatusNames.size() && kStatusNames[index] != status->get_ref<const std::string&>()) ++index;
  if (index == kStatusNames.size()) return malformed(o.pathOf("status") + ": unknown status");
  result.status = static_cast<EventStatus>(index);
  if (result.status == EventStatus::rejected) {
    SHARETRACK_ASSIGN_OR_RETURN(result.code, o.string("code", detail::kCodeRule));
    std::optional<std::string> message;
    SHARETRACK_ASSIGN_OR_RETURN(message, o.optionalString("message", kMessageRule));
    result.message = message.value_or("");
  }
  return result;
}

Result<Answer> decodeRefusal(const json& value, int version) {
  if (!value.is_object()) return malformed("error: must be an object");
  const JsonObject o(value, "error");
  BatchRefusal refusal;
  refusal.version = version;
  SHARETRACK_ASSIGN_OR_RETURN(refusal.code, o.string("code", detail::kCodeRule));
  std::optional<std::string> message;
  SHARETRACK_ASSIGN_OR_RETURN(message, o.optionalString("message", kMessageRule));
  refusal.message = message.value_or("");
  if (o.find("retryAfter") && !o.find("retryAfter")->is_null()) {
    std::uint64_t seconds = 0;
    SHARETRACK_ASSIGN_OR_RETURN(seconds, o.unsignedInt("retryAfter", kMaxRetryAfterSeconds));
    refusal.retryAfterSeconds = static_cast<std::uint32_t>(seconds);
  }
  return Answer{std::move(refusal)};
}

Result<Answer> decodeAnswerJson(const json& root) {
  if (!root.is_object()) return malformed("must be a JSON object");
  const JsonObject o(root, "");
  std::uint64_t version = 0;
  SHARETRACK_ASSIGN_OR_RETURN(version, o.unsignedInt("v", 1000));
  if (const json* error = o.find("error")) return decodeRefusal(*error, static_cast<int>(version));

  BatchAnswer answer;
  answer.version = static_cast<int>(version);
  SHARETRACK_ASSIGN_OR_RETURN(answer.batchId, o.string("batch", detail::kIdRule));
  const json* results = o.find("results");
  if (!results || !results->is_array() || results->size() > kMaxEventsPerBatch) {
    return malformed("results: must be a list of up to " + std::to_string(kMaxEventsPerBatch));
  }
  for (std::size_t i = 0; i < results->size(); ++i) {
    EventResult result;
    SHARETRACK_ASSIGN_OR_RETURN(result, decodeResult((*results)[i], "results[" + std::to_string(i) + "]"));
    answer.results.push_back(std::move(result));
  }
  return Answer{std::move(answer)};
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t daysFromCivil(std::int64_t year, unsigned month, unsigned day) {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto yearOfEra = static_cast<unsigned>(year - era * 400);
  const unsigned dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
  return era * 146097 + static_cast<std::int64_t>(dayOfEra) - 719468;
}

std::optional<unsigned> digits(std::string_view text) {
  if (text.empty() || text.size() > 9) return std::nullopt;
  unsigned value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  return value;
}

// "Sun, 06 Nov 1994 08:49:37 GMT" (IMF-fixdate, the form RFC 9110 says senders use).
std::optional<std::int64_t> parseHttpDateMs(std::string_view text) {
  static constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (text.size() != 29 || text.substr(3, 2) != ", " || text.substr(25) != " GMT" || text[7] != ' ' ||
      text[11] != ' ' || text[16] != ' ' || text[19] != ':' || text[22] != ':') {
    return std::nullopt;
  }
  const auto day = digits(text.substr(5, 2));
  const auto year = digits(text.substr(12, 4));
  const auto hour = digits(text.substr(17, 2));
  const auto minute = digits(text.substr(20, 2));
  const auto second = digits(text.substr(23, 2));
  unsigned month = 0;
  while (month < 12 && kMonths[month] != text.substr(8, 3)) ++month;
  if (!day || !year || !hour || !minute || !second || month == 12 || *day < 1 || *day > 31 || *hour > 23 ||
      *minute > 59 || *second > 60) {
    return std::nullopt;
  }
  const std::int64_t days = daysFromCivil(*year, month + 1, *day);
  return ((days * 24 + *hour) * 60 + *minute) * 60000 + std::int64_t{*second} * 1000;
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

std::string_view eventStatusName(EventStatus status) { return kStatusNames[static_cast<std::size_t>(status)]; }

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
  return out.endArray().endObject().take();
}

std::string encodeRefusal(const BatchRefusal& refusal) {
  JsonWriter out;
  out.beginObject().key("v").integer(refusal.version).key("error").beginObject().key("code").string(refusal.code);
  // Messages may quote bytes of a broken batch: JsonWriter turns invalid UTF-8 into U+FFFD.
  if (!refusal.message.empty())
    out.key("message").string(std::string_view(refusal.message).substr(0, kMaxMessageLength));
  if (refusal.retryAfterSeconds) out.key("retryAfter").integer(*refusal.retryAfterSeconds);
  return out.endObject().endObject().take();
}

Result<Answer> decodeAnswer(std::string_view text) {
  const json root = json::parse(text.begin(), text.end(), nullptr, false);
  if (root.is_discarded()) return malformed("not JSON");
  auto answer = decodeAnswerJson(root);
  if (!answer && answer.error().code != ErrorCode::answerMalformed) return malformed(answer.error());
  return answer;
}

Result<std::uint32_t> parseRetryAfter(std::string_view header, std::int64_t nowMs) {
  while (!header.empty() && (header.front() == ' ' || header.front() == '\t')) header.remove_prefix(1);
  while (!header.empty() && (header.back() == ' ' || header.back() == '\t')) header.remove_suffix(1);
  std::int64_t seconds = 0;
  const bool allDigits = !header.empty() && header.find_first_not_of("0123456789") == std::string_view::npos;
  if (allDigits) {
    seconds = header.size() > 9 ? kMaxRetryAfterSeconds : *digits(header);
  } else if (const auto dateMs = parseHttpDateMs(header)) {
    seconds = *dateMs > nowMs ? (*dateMs - nowMs + 999) / 1000 : 0;
  } else {
    return makeError(ErrorCode::retryAfterInvalid,
                     "Retry-After '" + std::string(header.substr(0, 64)) + "' is neither seconds nor an HTTP date");
  }
  return static_cast<std::uint32_t>(std::min<std::int64_t>(seconds, kMaxRetryAfterSeconds));
}

}  // namespace sharetrack
