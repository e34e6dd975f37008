// The collector's flags and sites file: good ones work, bad ones are refused naming the problem.
#include <catch2/catch.hpp>

#include "options.hpp"
#include "sites.hpp"
#include "support/collector_process.hpp"

using namespace sharetrack;
using namespace sharetrack::collector;

TEST_CASE("flags have defaults and take values and refuse what is wrong", "[collector][config]") {
  const auto defaults = parseOptions({});
  REQUIRE(defaults.ok());
  CHECK(defaults.value().host == "127.0.0.1");
  CHECK(defaults.value().port == 8080);
  const auto set = parseOptions(
      {"--listen", "[::1]:9000", "--db", "x.db", "--sites", "s.json", "--static", "demo", "--durability", "full"});
  REQUIRE(set.ok());
  CHECK(set.value().host == "::1");
  CHECK(set.value().port == 9000);
  CHECK(set.value().durability == Durability::full);
  CHECK(set.value().staticDir == std::optional<std::string>("demo"));
  for (const auto& bad : std::vector<std::vector<std::string>>{{"--listen", "8080"},
                                                               {"--listen", "h:99999"},
                                                               {"--listen", "h:8o"},
                                                               {"--db"},
                                                               {"--durability", "maybe"},
                                                               {"--verbose"}}) {
    const auto parsed = parseOptions(bad);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().code == ErrorCode::configInvalid);
    CHECK(parsed.error().message.find(bad[0]) != std::string::npos);
  }
  // Flags of the other store.
  const auto postgres = parseOptions({"--db", "postgresql://collector@db.internal/sharetrack", "--follow-ms", "250"});
  REQUIRE(postgres.ok());
  CHECK(postgres.value().followInterval == std::chrono::milliseconds(250));
  const auto durability = parseOptions({"--db", "postgresql://db.internal/sharetrack", "--durability", "full"});
  REQUIRE_FALSE(durability.ok());
  CHECK(durability.error().message.find("--durability is SQLite's") != std::string::npos);
  const auto follow = parseOptions({"--follow-ms", "250"});
  REQUIRE_FALSE(follow.ok());
  CHECK(follow.error().message.find("--follow-ms is for several collectors on PostgreSQL") != std::string::npos);
  const auto tooOften = parseOptions({"--db", "postgresql://db.internal/sharetrack", "--follow-ms", "5"});
  REQUIRE_FALSE(tooOften.ok());
  CHECK(tooOften.error().message.find("--follow-ms must be 10-600000") != std::string::npos);
}

TEST_CASE("a valid sites file", "[collector][config]") {
  const auto sites = parseSites(test::testSitesFile(5, 20), "sites.json");
  REQUIRE(sites.ok());
  const Site* acme = sites.value().find("acme");
  REQUIRE(acme != nullptr);
  CHECK(acme->rateLimit.batchesPerSecond == 5);
  CHECK(acme->rateLimit.burst == 20);
  CHECK(acme->scoring.conversionWeight == 1.0);
  CHECK(acme->scoring.chainFactor == 0.5);
  CHECK(acme->scoring.chainLevels == 10);
  CHECK(sites.value().originAllowedAnywhere("https://www.acme.example"));
  CHECK_FALSE(sites.value().originAllowedAnywhere("https://www.acme.example/"));
  CHECK(sites.value().accessTokens.size() == 1);
}

TEST_CASE("bad sites files are refused with the file and the line and the field", "[collector][config]") {
  struct Case {
    const char* why;
    const char* text;
    const char* expected;
  };
  const Case cases[] = {
      {"not JSON", "{\n  \"sites\": [\n    {\"id\": \"a\",,}\n", "sites.json:3: not valid JSON"},
      {"no sites", "{\n  \"accessTokens\": []\n}\n", "sites.json:1: sites: the sites file needs"},
      {"bad id", "{\"sites\": [\n  {\"id\": \"Acme\",\n   \"origins\": [\"https://a.example\"]}\n]}",
       "sites.json:2: sites[0].id: must be 1-64 of a-z 0-9 - _"},
      {"origin with a path",
       "{\"sites\": [{\"id\": \"a\",\n \"origins\": [\n  \"https://a.example\",\n  \"https://a.example/shop\"]}]}",
       "sites.json:4: sites[0].origins[1]: an origin is scheme://host[:port]"},
      {"typo in a key", "{\"sites\": [{\"id\": \"a\", \"origins\": [\"https://a.example\"],\n \"ratelimit\": {}}]}",
       "sites.json:2: sites[0].ratelimit: unknown setting (a typo?)"},
      {"negative rate",
       "{\"sites\": [{\"id\": \"a\", \"origins\": [\"https://a.example\"],\n \"rateLimit\": {\n \"batchesPerSecond\": "
       "-1}}]}",
       "sites.json:3: sites[0].rateLimit.batchesPerSecond: must be from"},
      {"short token",
       "{\"accessTokens\": [\"short\"],\n \"sites\": [{\"id\": \"a\", \"origins\": [\"https://a.example\"]}]}",
       "sites.json:1: accessTokens[0]: an access token needs at least 16"},
      {"same site twice",
       "{\"sites\": [\n{\"id\": \"a\", \"origins\": [\"https://a.example\"]},\n{\"id\": \"a\", \"origins\": "
       "[\"https://b.example\"]}]}",
       "sites.json:3: sites[1].id: site \"a\" twice"},
      {"a chain factor of 1",
       "{\"sites\": [{\"id\": \"a\", \"origins\": [\"https://a.example\"],\n \"scoring\": {\"chainFactor\": 1}}]}",
       "sites.json:2: sites[0].scoring.chainFactor: must be from"},
      {"half a level",
       "{\"sites\": [{\"id\": \"a\", \"origins\": [\"https://a.example\"],\n \"scoring\": {\"chainLevels\": 2.5}}]}",
       "sites.json:2: sites[0].scoring: chainLevels, attributionDays and burstLimit are whole numbers"},
  };
  for (const Case& c : cases) {
    INFO(c.why);
    const auto sites = parseSites(c.text, "sites.json");
    REQUIRE_FALSE(sites.ok());
    CHECK(sites.error().code == ErrorCode::configInvalid);
    CHECK_THAT(sites.error().message, Catch::StartsWith(c.expected));
  }
}

TEST_CASE("the binary refuses bad flags and files with a message and a non-zero status", "[collector][config]") {
  test::TempFolder folder;
  const auto help = test::runCollector({"--help"});
  CHECK(help.status == 0);
  CHECK(help.output.find("--durability") != std::string::npos);
  const auto badFlag = test::runCollector({"--port", "1"});
  CHECK(badFlag.status == 2);
  CHECK(badFlag.output.find("unknown option '--port'") != std::string::npos);
  const auto noSites = test::runCollector({"--sites", folder.file("missing.json"), "--db", folder.file("t.db")});
  CHECK(noSites.status == 1);
  CHECK(noSites.output.find("cannot read the sites file") != std::string::npos);
  folder.write("bad.json", "{\"sites\": []}");
  const auto badSites = test::runCollector({"--sites", folder.file("bad.json"), "--db", folder.file("t.db")});
  CHECK(badSites.status == 1);
  CHECK(badSites.output.find("bad.json:1: sites:") != std::string::npos);
}
