#include "sharetrack/field_rules.hpp"

#include <string>

namespace sharetrack {

static_assert(follows("acme-shop_1", rules::site) && !follows("Acme", rules::site), "rules are built at compile time");

Status validateString(std::string_view text, const StringRule& rule, std::string_view path) {
  if (follows(text, rule)) return {};
  if (text.size() < rule.minLength || text.size() > rule.maxLength) {
    const std::string bounds = rule.minLength == rule.maxLength
                                   ? std::to_string(rule.minLength)
                                   : std::to_string(rule.minLength) + "-" + std::to_string(rule.maxLength);
    return makeError(ErrorCode::fieldLength,
                     std::string(path) + ": " + std::to_string(text.size()) + " characters, must be " + bounds);
  }
  return makeError(ErrorCode::fieldCharset, std::string(path) + ": only " + std::string(rule.charset.description()));
}

}  // namespace sharetrack
