// Typed reading of untrusted JSON objects: each accessor checks presence, type, length,
// charset or range and fails with the matching ErrorCode and the field's path.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "sharetrack/result.hpp"

namespace sharetrack::detail {

using nlohmann::json;

struct StringRule {
  std::size_t minLength;
  std::size_t maxLength;
  bool (*allowed)(char);
  const char* charsetName;  // for the message: "a-z 0-9 _ -"
};

bool isBase64UrlChar(char c);
bool isLowerHexChar(char c);
bool isSiteIdChar(char c);
bool isContentIdChar(char c);
bool isSubscriberIdChar(char c);
bool isConversionNameChar(char c);
bool isCodeChar(char c);

extern const StringRule kIdRule;
extern const StringRule kSiteRule;
extern const StringRule kVisitorRule;
extern const StringRule kSubscriberRule;
extern const StringRule kContentRule;
extern const StringRule kConversionNameRule;
extern const StringRule kCodeRule;

// Checks `text` against `rule`; `path` names it in the message.
std::optional<Error> checkString(const std::string& text, const StringRule& rule, const std::string& path);

// One JSON object being read; `path` prefixes every message ("events[3].content").
class JsonObject {
 public:
  JsonObject(const json& object, std::string path) : object_(object), path_(std::move(path)) {}

  const json* find(const char* key) const;
  std::string pathOf(const char* key) const;

  Result<std::string> string(const char* key, const StringRule& rule) const;
  Result<std::optional<std::string>> optionalString(const char* key, const StringRule& rule) const;
  Result<std::uint64_t> unsignedInt(const char* key, std::uint64_t max) const;
  Result<std::uint64_t> unsignedIntOr(const char* key, std::uint64_t max, std::uint64_t fallback) const;
  Result<bool> booleanOr(const char* key, bool fallback) const;
  Result<double> number(const char* key, double maxMagnitude) const;

 private:
  const json& object_;
  std::string path_;
};

// Reads a JSON unsigned integer no greater than `max`; `path` names it.
Result<std::uint64_t> readUnsigned(const json& value, std::uint64_t max, const std::string& path);

}  // namespace sharetrack::detail

// Assigns the value of a Result expression to `target`, or returns its error from the caller.
#define SHARETRACK_ASSIGN_OR_RETURN(target, expression) \
  do {                                                  \
    auto result_ = (expression);                        \
    if (!result_) return result_.error();               \
    target = std::move(result_).value();                \
  } while (false)
