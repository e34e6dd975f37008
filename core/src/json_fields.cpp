#include "json_fields.hpp"

#include <cmath>

namespace sharetrack::detail {

const json* JsonObject::find(const char* key) const {
  // By string_view: a C string key would be compared through std::string::compare and strlen.
  const auto it = object_.find(std::string_view(key));
  return it == object_.end() ? nullptr : &*it;
}

std::string JsonObject::pathOf(const char* key) const { return path_.empty() ? key : path_ + "." + key; }

Result<std::string> JsonObject::string(const char* key, const StringRule& rule) const {
  const json* value = find(key);
  if (!value) return makeError(ErrorCode::fieldMissing, pathOf(key) + ": missing");
  if (!value->is_string()) return makeError(ErrorCode::fieldType, pathOf(key) + ": must be a string");
  const auto& text = value->get_ref<const std::string&>();
  if (!follows(text, rule)) return validateString(text, rule, pathOf(key)).error();  // the path only for a message
  return text;
}

Result<std::optional<std::string>> JsonObject::optionalString(const char* key, const StringRule& rule) const {
  const json* value = find(key);
  if (!value || value->is_null()) return std::optional<std::string>{};
  auto text = string(key, rule);
  if (!text) return text.error();
  return std::optional<std::string>{std::move(text).value()};
}

Result<std::uint64_t> JsonObject::unsignedInt(const char* key, std::uint64_t max) const {
  const json* value = find(key);
  if (!value) return makeError(ErrorCode::fieldMissing, pathOf(key) + ": missing");
  return readUnsigned(*value, max, [&] { return pathOf(key); });
}

Result<std::uint64_t> JsonObject::unsignedIntOr(const char* key, std::uint64_t max, std::uint64_t fallback) const {
  const json* value = find(key);
  if (!value || value->is_null()) return fallback;
  return readUnsigned(*value, max, [&] { return pathOf(key); });
}

Result<bool> JsonObject::booleanOr(const char* key, bool fallback) const {
  const json* value = find(key);
  if (!value || value->is_null()) return fallback;
  if (!value->is_boolean()) return makeError(ErrorCode::fieldType, pathOf(key) + ": must be true or false");
  return value->get<bool>();
}

Result<double> JsonObject::number(const char* key, double maxMagnitude) const {
  const json* value = find(key);
  if (!value) return makeError(ErrorCode::fieldMissing, pathOf(key) + ": missing");
  if (!value->is_number()) return makeError(ErrorCode::fieldType, pathOf(key) + ": must be a number");
  const auto number = value->get<double>();
  if (!std::isfinite(number) || std::fabs(number) > maxMagnitude) {
    return makeError(ErrorCode::fieldRange, pathOf(key) + ": must be within ±" + std::to_string(maxMagnitude));
  }
  return number;
}

}  // namespace sharetrack::detail
