// Any text as a landing URL or a page URL to share: reading the token parameter removes it for
// good (reading the result again finds none and changes nothing), and a shared URL carries the
// token it was given.
#include "fuzz_check.hpp"
#include "sharetrack/share_url.hpp"

using namespace sharetrack;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view url = fuzz::textOf(data, size);
  if (const auto landing = readLandingUrl(url, kDefaultTokenParam)) {
    const auto again = readLandingUrl(landing.value().urlWithoutToken, kDefaultTokenParam);
    FUZZ_REQUIRE(again.ok());
    FUZZ_REQUIRE(!again.value().token);
    FUZZ_REQUIRE(again.value().urlWithoutToken == landing.value().urlWithoutToken);
  }
  constexpr std::string_view kToken = "BYAAD6g8PDw8PDw8PU9gk";
  ShareUrlOptions options;
  options.utm = size % 2 == 1;
  const auto shared = shareUrl(url, kToken, Channel::linkedin, options);
  if (shared) {
    const auto landing = readLandingUrl(shared.value(), kDefaultTokenParam);
    FUZZ_REQUIRE(landing.ok());
    FUZZ_REQUIRE(landing.value().token == std::string(kToken));
  }
  return 0;
}
