// The protocol's rules for strings (core/PROTOCOL.md): which characters and lengths each kind of
// id may have. The widget checks what it is given with them, the collector what it receives, the
// engine what it restores; no JSON library is involved.
#pragma once

#include <cstddef>
#include <string_view>

#include "sharetrack/result.hpp"

namespace sharetrack {

struct StringRule {
  std::size_t minLength;
  std::size_t maxLength;
  bool (*allowed)(char);
  std::string_view charsetName;  // for messages: "a-z 0-9 - _"
};

bool isBase64UrlChar(char c);

namespace rules {
extern const StringRule id;              // event, batch and page-view ids: 8-64 of base64url
extern const StringRule site;            // 1-64 of a-z 0-9 - _
extern const StringRule visitor;         // 32 lowercase hex digits
extern const StringRule subscriber;      // 1-128 of A-Z a-z 0-9 - _ . ~ :
extern const StringRule content;         // 1-128 of A-Z a-z 0-9 - _ . ~ : /
extern const StringRule conversionName;  // 1-64 of A-Z a-z 0-9 - _ . :
extern const StringRule code;            // an error code's wire name: 1-64 of a-z 0-9 _
}  // namespace rules

// Whether `text` follows `rule`.
bool follows(std::string_view text, const StringRule& rule);

// Succeeds when `text` follows `rule`; else fieldLength or fieldCharset, naming `path`.
Status validateString(std::string_view text, const StringRule& rule, std::string_view path);

}  // namespace sharetrack
