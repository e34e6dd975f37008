#include "sharetrack/share_url.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "support/vectors.hpp"

using namespace sharetrack;

TEST_CASE("share URL vectors", "[share_url]") {
  const auto vectors = test::loadVectors("share_urls.json");
  CHECK(vectors["defaultTokenParam"].get<std::string>() == kDefaultTokenParam);
  for (const auto& v : vectors["share"]) {
    INFO(v["why"].get<std::string>());
    ShareUrlOptions options;
    if (v.contains("options")) {
      const auto& o = v["options"];
      options.tokenParam = o.value("tokenParam", options.tokenParam);
      options.utm = o.value("utm", false);
      options.utmCampaign = o.value("utmCampaign", "");
    }
    const auto url = shareUrl(v["page"].get<std::string>(), v["token"].get<std::string>(),
                              *channelFromName(v["channel"].get<std::string>()), options);
    if (v.contains("error")) {
      REQUIRE_FALSE(url.ok());
      CHECK(errorCodeName(url.error().code) == v["error"].get<std::string>());
    } else {
      REQUIRE(url.ok());
      CHECK(url.value() == v["expect"].get<std::string>());
    }
  }
}

TEST_CASE("landing URL vectors", "[share_url]") {
  const auto vectors = test::loadVectors("share_urls.json");
  for (const auto& v : vectors["landing"]) {
    INFO(v["why"].get<std::string>());
    const auto landing = readLandingUrl(v["url"].get<std::string>(), v.value("param", std::string(kDefaultTokenParam)));
    if (v.contains("error")) {
      REQUIRE_FALSE(landing.ok());
      CHECK(errorCodeName(landing.error().code) == v["error"].get<std::string>());
      continue;
    }
    REQUIRE(landing.ok());
    CHECK(landing.value().urlWithoutToken == v["urlWithoutToken"].get<std::string>());
    if (v.contains("token")) {
      REQUIRE(landing.value().token);
      CHECK(*landing.value().token == v["token"].get<std::string>());
    } else {
      CHECK_FALSE(landing.value().token);
    }
  }
}

TEST_CASE("a landing URL with its token swapped for the visitor's own keeps everything else", "[share_url]") {
  const std::string incoming = "https://brand.example/p?a=1&st=BIAAD6AEjRWeJq83veg0b#frag";
  const auto landing = readLandingUrl(incoming, kDefaultTokenParam);
  REQUIRE(landing.ok());
  ShareUrlOptions options;
  const auto own = shareUrl(landing.value().urlWithoutToken, "BcEAD6ZmZiIh3d2ZmKabl", Channel::addressbar, options);
  REQUIRE(own.ok());
  CHECK(own.value() == "https://brand.example/p?a=1&st=BcEAD6ZmZiIh3d2ZmKabl#frag");
}
