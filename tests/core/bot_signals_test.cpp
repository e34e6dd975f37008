#include "sharetrack/bot_signals.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "support/vectors.hpp"

using namespace sharetrack;

TEST_CASE("user-agent vectors: people pass and automation is caught", "[bot_signals]") {
  const auto vectors = test::loadVectors("user_agents.json");
  for (const auto& ua : vectors["human"]) {
    INFO(ua.get<std::string>());
    CHECK_FALSE(userAgentLooksAutomated(ua.get<std::string>()));
  }
  for (const auto& ua : vectors["automated"]) {
    INFO(ua.get<std::string>());
    CHECK(userAgentLooksAutomated(ua.get<std::string>()));
  }
}

TEST_CASE("page facts become the clickback's bot signals", "[bot_signals]") {
  const std::string human = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
  CHECK(botSignalsOf({false, false, human}) == 0);
  CHECK(botSignalsOf({true, false, human}) == botWebdriver);
  CHECK(botSignalsOf({false, true, human}) == botPrerender);
  CHECK(botSignalsOf({true, true, "HeadlessChrome"}) == (botWebdriver | botPrerender | botUserAgent));
}
