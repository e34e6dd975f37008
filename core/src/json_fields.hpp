// Typed reading of untrusted JSON objects with nlohmann/json (the decoding side of the protocol,
// never compiled into the browser's module): each accessor checks presence, type, length,
// charset or range and fails with the matching ErrorCode and the field's path.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "sharetrack/field_rules.hpp"
#include "sharetrack/result.hpp"

namespace sharetrack::detail {

using nlohmann::json;

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

// Reads a JSON unsigned integer no greater than `max`; `path()` names it in the error's message,
// built only when there is one (a path is a string concatenation, an allocation).
template <typename Path>
Result<std::uint64_t> readUnsigned(const json& value, std::uint64_t max, const Path& path) {
  if (!value.is_number_integer()) return makeError(ErrorCode::fieldType, path() + ": must be an integer");
  if (value.is_number_unsigned() && value.template get<std::uint64_t>() <= max) {
    return value.template get<std::uint64_t>();
  }
  return makeError(ErrorCode::fieldRange, path() + ": must be 0-" + std::to_string(max));
}

}  // namespace sharetrack::detail
