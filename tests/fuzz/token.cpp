// Any text as a share token (a landing URL's parameter is anyone's to write): parsing never
// crashes, and a token that parses formats back to the very same text, so one token has one text.
#include "fuzz_check.hpp"
#include "sharetrack/token.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = sharetrack::fuzz::textOf(data, size);
  const auto token = sharetrack::parseToken(text);
  if (token) FUZZ_REQUIRE(sharetrack::formatToken(token.value()) == text);
  return 0;
}
