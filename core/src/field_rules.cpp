#include "sharetrack/field_rules.hpp"

#include <string>

#include "sharetrack/base64url.hpp"
#include "sharetrack/protocol_limits.hpp"

namespace sharetrack {
namespace {

bool isLowerHexChar(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }
bool isSiteIdChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'; }
bool isContentIdChar(char c) { return isBase64UrlChar(c) || c == '.' || c == '~' || c == ':' || c == '/'; }
bool isSubscriberIdChar(char c) { return isBase64UrlChar(c) || c == '.' || c == '~' || c == ':'; }
bool isConversionNameChar(char c) { return isBase64UrlChar(c) || c == '.' || c == ':'; }
bool isCodeChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }

}  // namespace

bool isBase64UrlChar(char c) { return base64UrlValue(c) >= 0; }

namespace rules {
const StringRule id{kMinIdLength, kMaxIdLength, isBase64UrlChar, "A-Z a-z 0-9 - _"};
const StringRule site{1, kMaxSiteIdLength, isSiteIdChar, "a-z 0-9 - _"};
const StringRule visitor{kVisitorIdLength, kVisitorIdLength, isLowerHexChar, "0-9 a-f"};
const StringRule subscriber{1, kMaxSubscriberIdLength, isSubscriberIdChar, "A-Z a-z 0-9 - _ . ~ :"};
const StringRule content{1, kMaxContentIdLength, isContentIdChar, "A-Z a-z 0-9 - _ . ~ : /"};
const StringRule conversionName{1, kMaxConversionNameLength, isConversionNameChar, "A-Z a-z 0-9 - _ . :"};
const StringRule code{1, kMaxCodeLength, isCodeChar, "a-z 0-9 _"};
}  // namespace rules

bool follows(std::string_view text, const StringRule& rule) {
  if (text.size() < rule.minLength || text.size() > rule.maxLength) return false;
  for (char c : text) {
    if (!rule.allowed(c)) return false;
  }
  return true;
}

Status validateString(std::string_view text, const StringRule& rule, std::string_view path) {
  if (follows(text, rule)) return {};
  if (text.size() < rule.minLength || text.size() > rule.maxLength) {
    const std::string bounds = rule.minLength == rule.maxLength
                                   ? std::to_string(rule.minLength)
                                   : std::to_string(rule.minLength) + "-" + std::to_string(rule.maxLength);
    return makeError(ErrorCode::fieldLength,
                     std::string(path) + ": " + std::to_string(text.size()) + " characters, must be " + bounds);
  }
  return makeError(ErrorCode::fieldCharset, std::string(path) + ": only " + std::string(rule.charsetName));
}

}  // namespace sharetrack
