#include "bot_list.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "support/vectors.hpp"

using namespace sharetrack::collector;

TEST_CASE("isbot's maintained list compiles under PCRE2 and says where it came from", "[collector][bots]") {
  const BotList bots;
  INFO(bots.error());
  REQUIRE(bots.ok());
  CHECK(std::string(kBotListSource).rfind("isbot ", 0) == 0);
}

TEST_CASE("the collector's list agrees with the widget's vectors and catches what the page cannot",
          "[collector][bots]") {
  const BotList bots;
  const auto vectors = sharetrack::test::loadVectors("user_agents.json");
  for (const auto& ua : vectors["human"]) {
    INFO(ua.get<std::string>());
    CHECK_FALSE(bots.isBot(ua.get<std::string>()));
  }
  for (const auto& ua : vectors["automated"]) {
    INFO(ua.get<std::string>());
    CHECK(bots.isBot(ua.get<std::string>()));
  }
  for (const char* unfurler :
       {"Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)", "WhatsApp/2.23.20.0",
        "TelegramBot (like TwitterBot)", "Mozilla/5.0 (compatible; Embedly/0.2; +http://support.embed.ly/)"}) {
    INFO(unfurler);
    CHECK(bots.isBot(unfurler));
  }
}

TEST_CASE("a JavaScript class with a hyphen after an escape is read as JavaScript reads it", "[collector][bots]") {
  const BotList bots("^x[\\w\\d-.]+$");
  REQUIRE(bots.ok());
  CHECK(bots.isBot("xa-b.c"));
  CHECK_FALSE(bots.isBot("xa b"));
}

TEST_CASE("remembered verdicts stay right, past the memory's bound and for agents too long to remember",
          "[collector][bots]") {
  const BotList bots;
  const std::string human = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
  const std::string crawler = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
  for (int i = 0; i < 5000; ++i) {
    const std::string n = std::to_string(i);
    INFO(n);
    REQUIRE_FALSE(bots.isBot(human + " " + n));
    REQUIRE(bots.isBot(crawler + " " + n));
    REQUIRE_FALSE(bots.isBot(human));
    REQUIRE(bots.isBot(crawler));
  }
  CHECK_FALSE(bots.isBot(human + std::string(1000, 'a')));
  CHECK(bots.isBot(crawler + std::string(1000, 'a')));
}
