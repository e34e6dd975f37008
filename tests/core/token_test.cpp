#include "sharetrack/token.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "sharetrack/base64url.hpp"
#include "support/test_random.hpp"
#include "support/vectors.hpp"

using namespace sharetrack;

namespace {

std::uint64_t hexId(const std::string& hex) { return std::stoull(hex, nullptr, 16); }

ShareToken tokenFromVector(const nlohmann::json& v) {
  ShareToken token;
  token.id = hexId(v["id"].get<std::string>());
  token.channel = *channelFromName(v["channel"].get<std::string>());
  token.depth = v["depth"].get<std::uint8_t>();
  token.depthSaturated = v["saturated"].get<bool>();
  token.mintHour = v["mintHour"].get<std::uint32_t>();
  return token;
}

}  // namespace

TEST_CASE("valid token vectors parse to their fields and format back to the same text", "[token]") {
  const auto vectors = test::loadVectors("tokens.json");
  for (const auto& v : vectors["valid"]) {
    const auto text = v["token"].get<std::string>();
    INFO(v["why"].get<std::string>() << ": " << text);
    CHECK(text.size() == kTokenLength);
    const auto parsed = parseToken(text);
    REQUIRE(parsed.ok());
    CHECK(parsed.value() == tokenFromVector(v));
    CHECK(parsed.value().mintTimeMs() == v["mintTimeMs"].get<std::int64_t>());
    CHECK(formatToken(tokenFromVector(v)) == text);
  }
}

TEST_CASE("invalid token vectors fail with their error code", "[token]") {
  const auto vectors = test::loadVectors("tokens.json");
  for (const auto& v : vectors["invalid"]) {
    INFO(v["why"].get<std::string>() << ": '" << v["token"].get<std::string>() << "'");
    const auto parsed = parseToken(v["token"].get<std::string>());
    REQUIRE_FALSE(parsed.ok());
    CHECK(errorCodeName(parsed.error().code) == v["error"].get<std::string>());
    CHECK_FALSE(parsed.error().message.empty());
  }
}

TEST_CASE("a first share has depth 0 and each reshare one more up to 31 where it saturates flagged", "[token]") {
  const std::int64_t now = kTokenEpochMs + 1000 * 3600000LL + 1234;
  auto token = mintToken(1, now, Channel::x, std::nullopt);
  REQUIRE(token.ok());
  CHECK(token.value().depth == 0);
  CHECK_FALSE(token.value().depthSaturated);
  CHECK(token.value().mintHour == 1000);
  CHECK(token.value().channel == Channel::x);

  for (unsigned expected = 1; expected <= kMaxTokenDepth + 3; ++expected) {
    auto child = mintToken(expected, now, Channel::copy, token.value());
    REQUIRE(child.ok());
    INFO("hop " << expected);
    CHECK(child.value().depth == std::min(expected, kMaxTokenDepth));
    CHECK(child.value().depthSaturated == (expected > kMaxTokenDepth));
    CHECK(parseToken(formatToken(child.value())).value() == child.value());
    token = child;
  }
}

TEST_CASE("minting refuses a clock outside the token's time range", "[token]") {
  CHECK(mintToken(1, kTokenEpochMs, Channel::copy, std::nullopt).ok());
  const auto early = mintToken(1, kTokenEpochMs - 1, Channel::copy, std::nullopt);
  REQUIRE_FALSE(early.ok());
  CHECK(early.error().code == ErrorCode::mintTimeOutOfRange);
  const std::int64_t lastHour = kTokenEpochMs + std::int64_t{kMaxMintHour} * 3600000;
  CHECK(mintToken(1, lastHour + 3599999, Channel::copy, std::nullopt).value().mintHour == kMaxMintHour);
  CHECK(mintToken(1, lastHour + 3600000, Channel::copy, std::nullopt).error().code == ErrorCode::mintTimeOutOfRange);
  CHECK(mintToken(1, -1, Channel::copy, std::nullopt).error().code == ErrorCode::mintTimeOutOfRange);
}

TEST_CASE("property: random tokens round trip through their text", "[token][property]") {
  test::TestRandom random(20261122);
  for (int i = 0; i < 20000; ++i) {
    ShareToken token;
    token.id = random.next();
    token.channel = *channelFromIndex(static_cast<unsigned>(random.below(kChannelCount)));
    token.depth = static_cast<std::uint8_t>(random.below(kMaxTokenDepth + 1));
    token.depthSaturated = token.depth == kMaxTokenDepth && random.chance(50);
    token.mintHour = static_cast<std::uint32_t>(random.below(kMaxMintHour + 1));
    const std::string text = formatToken(token);
    REQUIRE(text.size() == kTokenLength);
    REQUIRE(text.find_first_not_of(kBase64UrlAlphabet) == std::string::npos);
    const auto parsed = parseToken(text);
    REQUIRE(parsed.ok());
    REQUIRE(parsed.value() == token);
  }
}

TEST_CASE("property: every single-character change of a valid token is rejected", "[token][property]") {
  test::TestRandom random(7);
  // Every position, every other character of the alphabet and a few outside it.
  const std::string replacements = std::string(kBase64UrlAlphabet) + "+/=.% ~";
  for (int sample = 0; sample < 40; ++sample) {
    ShareToken token;
    token.id = random.next();
    token.channel = *channelFromIndex(static_cast<unsigned>(random.below(kChannelCount)));
    token.depth = static_cast<std::uint8_t>(random.below(kMaxTokenDepth));
    token.mintHour = static_cast<std::uint32_t>(random.below(kMaxMintHour));
    const std::string text = formatToken(token);
    for (std::size_t position = 0; position < text.size(); ++position) {
      for (char replacement : replacements) {
        if (replacement == text[position]) continue;
        std::string changed = text;
        changed[position] = replacement;
        INFO(text << " -> " << changed);
        REQUIRE_FALSE(parseToken(changed).ok());
      }
    }
  }
}
