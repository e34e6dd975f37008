// The query API over real HTTP: the scoring vector posted as the widget posts it, its figures read
// back through every endpoint, after a restart (recomputed from storage) and after an erasure;
// tokens of no site and of another site; bad input to every endpoint.
#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <set>

#include "sharetrack/batch_encode.hpp"
#include "support/collector_http.hpp"
#include "support/query_client.hpp"
#include "support/score_vectors.hpp"

using namespace sharetrack;
using nlohmann::json;
using test::ApiAnswer;

namespace {

constexpr const char* kAcmeToken = "acme-token-0123456789abcdef";
constexpr const char* kGlobexToken = "globex-token-0123456789abcdef";
constexpr const char* kBotAgent = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

std::string sitesFile() {
  return R"({
  "accessTokens": ["ops-token-0123456789abcdef"],
  "sites": [
    {"id": "acme", "origins": ["https://www.acme.example"], "accessTokens": [")" +
         std::string(kAcmeToken) + R"("],
     "rateLimit": {"batchesPerSecond": 1000, "burst": 1000}},
    {"id": "globex", "origins": ["https://www.globex.example"], "accessTokens": [")" +
         std::string(kGlobexToken) + R"("]}
  ]
})";
}

// A scenario's visitor names as visitor ids, and back.
std::string visitorId(const std::string& name) {
  std::uint64_t a = 14695981039346656037ull, b = 1099511628211ull;
  for (const unsigned char c : name) {
    a = (a ^ c) * 1099511628211ull;
    b = (b ^ c) * 14695981039346656037ull + 1;
  }
  char hex[33];
  std::snprintf(hex, sizeof hex, "%016llx%016llx", static_cast<unsigned long long>(a),
                static_cast<unsigned long long>(b));
  return hex;
}

// The collector in front of a trusted proxy on loopback, so each client key of the scenario is
// a client address of its own.
struct ScenarioCollector {
  test::CollectorSetup setup{sitesFile(), {"--trust-proxy", "127.0.0.1"}};
  std::map<std::string, std::string> names;  // visitor id -> the scenario's name

  // Each event of the scenario in its own batch, in delivery order.
  void post(const test::ScoreScenario& scenario) {
    httplib::Client client = setup.client();
    int batch = 0;
    std::map<std::string, std::string> addresses;
    for (const StoredEvent& stored : scenario.events) {
      names[visitorId(stored.visitor)] = stored.visitor;
      Batch b;
      b.header.site = "acme";
      b.header.id = "scenario-batch-" + std::to_string(batch++);
      b.header.visitor = visitorId(stored.visitor);
      b.header.subscriber = stored.subscriber;
      b.header.sentAtMs = stored.event.timeMs;
      b.events.push_back(stored.event);
      if (!addresses.count(stored.clientKey)) addresses[stored.clientKey] = "198.51.100." + std::to_string(addresses.size() + 1);
      httplib::Headers headers{{"Origin", test::kOrigin},
                               {"User-Agent", stored.requestBot ? kBotAgent : test::kBrowser},
                               {"X-Forwarded-For", addresses[stored.clientKey]}};
      const auto result = client.Post("/v1/batch", headers, encodeBatch(b), "text/plain;charset=UTF-8");
      const BatchAnswer answer = test::answerOf(result);
      REQUIRE(answer.results.front().status == EventStatus::accepted);
    }
  }

  std::string name(const json& id) const {
    if (id.is_null()) return "";
    const auto it = names.find(id.get<std::string>());
    return it == names.end() ? id.get<std::string>() : it->second;
  }
};

std::string range() {
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  return "from=" + std::to_string(now - kDayMs) + "&to=" + std::to_string(now + kHourMs);
}

json treeByName(const json& node, const ScenarioCollector& c) {
  json children = json::array();
  for (const json& child : node["children"]) children.push_back(treeByName(child, c));
  std::sort(children.begin(), children.end(),
            [](const json& a, const json& b) { return a["visitor"].is_null() ? !b["visitor"].is_null() : !b["visitor"].is_null() && a["visitor"] < b["visitor"]; });
  return {{"visitor", node["visitor"].is_null() ? json(nullptr) : json(c.name(node["visitor"]))}, {"children", children}};
}

// The figures of the vector's "expect" as the API gives them.
json figuresOverHttp(test::QueryClient& api, const ScenarioCollector& c, const test::ScoreScenario& scenario) {
  json figures;
  json rows = json::array();
  const ApiAnswer leaders = api.get("/v1/sites/acme/leaderboard?limit=100");
  for (json row : leaders.body["rows"]) {
    row["id"] = c.name(row["id"]);
    rows.push_back(row);
  }
  figures["leaderboard"] = rows;
  figures["subscribers"] = api.get("/v1/sites/acme/leaderboard?by=subscriber").body["rows"];
  figures["levels"] = json::object();
  for (const json& row : rows) {
    const json score = api.get("/v1/sites/acme/visitors/" + visitorId(row["id"]) + "/score").body;
    json levels = json::array();
    for (const json& level : score["levels"]) {
      while (levels.size() < level["level"].get<std::size_t>()) levels.push_back(0);
      levels.push_back(level["clickbacks"]);
    }
    figures["levels"][row["id"].get<std::string>()] = levels;
  }
  figures["cascades"] = json::array();
  const ApiAnswer listed = api.get("/v1/sites/acme/cascades?" + range());
  INFO(listed.text);
  REQUIRE(listed.status == 200);
  const json cascades = listed.body["cascades"];
  REQUIRE_FALSE(cascades.empty());
  for (const json& cascade : cascades) {
    figures["cascades"].push_back({{"id", scenario.tokenName(cascade["id"])},
                                   {"content", cascade["content"]},
                                   {"root", cascade["root"].is_null() ? json(nullptr) : json(c.name(cascade["root"]))},
                                   {"size", cascade["size"]},
                                   {"depth", cascade["depth"]},
                                   {"maxBreadth", cascade["maxBreadth"]},
                                   {"virality", cascade["virality"]}});
  }
  figures["tree"] = treeByName(api.get("/v1/sites/acme/cascades/" + cascades[0]["id"].get<std::string>()).body["root"], c);
  const json content = api.get("/v1/sites/acme/contents/t-42?" + range()).body;
  const json overview = api.get("/v1/sites/acme/overview?" + range()).body["current"];
  const json verdicts = api.get("/v1/sites/acme/verdicts?" + range()).body;
  json clickbacks = json::object();
  const ApiAnswer channels = api.get("/v1/sites/acme/channels?" + range());
  for (const json& channel : channels.body["channels"]) {
    if (channel["countedClickbacks"] != 0) clickbacks[channel["channel"].get<std::string>()] = channel["countedClickbacks"];
  }
  figures["engagement"] = {{"rendered", content["renderedImpressions"]},
                           {"viewable", content["viewableImpressions"]},
                           {"pageViewsWithShare", overview["pageViewsWithShare"]},
                           {"dwellMs", content["dwellMs"]["total"]},
                           {"dwellMedianMs", content["dwellMs"]["median"]},
                           {"videoStarts", content["video"]["starts"]},
                           {"videoQuartiles", content["video"]["quartiles"]},
                           {"botPageViews", verdicts["botPageViews"]},
                           {"shares", content["shares"]},
                           {"clickbacks", clickbacks},
                           {"verdicts", verdicts["verdicts"]},
                           {"sharers", content["sharers"]},
                           {"arrivals", content["arrivals"]},
                           {"conversions", overview["conversions"]},
                           {"conversionValue", overview["conversionValue"]},
                           {"creditedConversions", overview["creditedConversions"]},
                           {"creditedValue", overview["creditedValue"]},
                           {"viewableRate", content["viewableRate"]},
                           {"shareRate", content["shareRate"]},
                           {"clickbacksPerShare", content["clickbacksPerShare"]},
                           {"viralCoefficient", content["viralCoefficient"]}};
  return figures;
}

// The vector's expectations that HTTP can show (verdicts of single events are not an endpoint).
json expected(json expect) {
  expect.erase("verdicts");
  return expect;
}

// Each token of the vector as tokens/{token} shows it: its minter, and its clickbacks by verdict
// and by distinct visitor as the vector's verdicts of single events add up.
void checkTokens(test::QueryClient& api, const ScenarioCollector& c, const test::ScoreScenario& scenario) {
  const json& vector = scenario.vector;
  std::map<std::string, std::map<std::string, int>> verdicts;
  std::map<std::string, std::set<std::string>> visitors;
  std::map<std::string, std::string> minters;
  for (const json& e : vector.at("events")) {
    if (e.at("type") == "share") minters[e.at("token")] = e.at("visitor");
    if (e.at("type") == "summary" && e.contains("addressToken")) minters[e.at("addressToken")] = e.at("visitor");
    if (e.at("type") != "clickback") continue;
    ++verdicts[e.at("token")][vector.at("expect").at("verdicts").at(e.at("id").get<std::string>())];
    if (!e.contains("bot")) visitors[e.at("token")].insert(e.at("visitor"));
  }
  for (const auto& [name, token] : vector.at("tokens").items()) {
    INFO("token " << name);
    const ApiAnswer answer = api.get("/v1/sites/acme/tokens/" + scenario.tokenText(name));
    REQUIRE(answer.status == 200);
    json counts = json::object();
    for (const auto& [verdict, n] : answer.body["verdicts"].items()) {
      if (n != 0) counts[verdict] = n;
    }
    CHECK(counts == json(verdicts[name]));
    CHECK(answer.body["visitors"] == visitors[name].size());
    CHECK(answer.body["registered"] == true);
    CHECK(answer.body["content"] == "t-42");
    CHECK(c.name(answer.body["minter"]) == minters[name]);
    CHECK(answer.body["channel"] == token["channel"]);
    CHECK(answer.body["depth"] == token["depth"]);
  }
}

}  // namespace

TEST_CASE("the scoring vector through the query API, after a restart, and after an erasure", "[collector][query]") {
  const test::ScoreScenario scenario = test::loadScoreScenarios().front();
  ScenarioCollector c;
  c.post(scenario);
  {
    test::QueryClient api(c.setup.collector->port(), kAcmeToken, "scoring-vector");
    const json figures = figuresOverHttp(api, c, scenario);
    INFO("over HTTP: " << figures.dump(1));
    CHECK(test::sameFigures(figures, expected(scenario.vector["expect"])));
    checkTokens(api, c, scenario);
  }
  // Restarted: every figure recomputed from the stored events alone.
  c.setup.collector->stop(SIGTERM);
  c.setup.collector = std::make_unique<test::CollectorProcess>(c.setup.database.name(),
                                                               c.setup.folder.file("sites.json"),
                                                               std::vector<std::string>{"--trust-proxy", "127.0.0.1"});
  test::QueryClient api(c.setup.collector->port(), kAcmeToken, "scoring-vector-restarted");
  {
    const json figures = figuresOverHttp(api, c, scenario);
    INFO("after a restart: " << figures.dump(1));
    CHECK(test::sameFigures(figures, expected(scenario.vector["expect"])));
  }

  const json& erase = scenario.vector["erase"];
  const std::string erased = visitorId(erase["visitor"]);
  const ApiAnswer deleted = api.remove("/v1/sites/acme/visitors/" + erased);
  REQUIRE(deleted.status == 200);
  CHECK(deleted.body["deleted"] == erase["deleted"]);
  {
    const json figures = figuresOverHttp(api, c, scenario);
    INFO("after the erasure: " << figures.dump(1));
    CHECK(test::sameFigures(figures, expected(erase["expect"])));
  }
  CHECK(c.setup.db().integer("SELECT COUNT(*) FROM events WHERE visitor = '" + erased + "'") == 0);
  CHECK(c.setup.db().integer("SELECT COUNT(*) FROM batches WHERE visitor = '" + erased + "'") == 0);
  const ApiAnswer again = api.remove("/v1/sites/acme/visitors/" + erased);
  CHECK(again.status == 200);
  CHECK(again.body["deleted"]["visitors"] == 0);
  CHECK_THAT(again.body["message"].get<std::string>(), Catch::StartsWith("nothing to delete"));
  CHECK(api.get("/v1/sites/acme/visitors/" + erased + "/score").status == 404);

  // The erasure holds across a restart: the anonymous rows rebuild the same cascades.
  c.setup.collector->stop(SIGTERM);
  c.setup.collector = std::make_unique<test::CollectorProcess>(c.setup.database.name(),
                                                               c.setup.folder.file("sites.json"));
  test::QueryClient restarted(c.setup.collector->port(), kAcmeToken, "scoring-vector-erased-restarted");
  const json figures = figuresOverHttp(restarted, c, scenario);
  INFO("after the erasure and a restart: " << figures.dump(1));
  CHECK(test::sameFigures(figures, expected(erase["expect"])));

  // A subscriber's erasure takes every visitor bound to the id.
  const ApiAnswer subscriber = restarted.remove("/v1/sites/acme/subscribers/sub-carol");
  CHECK(subscriber.status == 200);
  CHECK(subscriber.body["deleted"]["visitors"] == 1);
  CHECK(restarted.get("/v1/sites/acme/leaderboard?by=subscriber").body["rows"].empty());
}

TEST_CASE("the query API: 401 without a site's token, 403 with another site's", "[collector][query]") {
  test::CollectorSetup setup(sitesFile());
  test::QueryClient api(setup.collector->port(), kAcmeToken, "access");
  const std::string paths[] = {"/v1/sites/acme/overview",          "/v1/sites/acme/series",
                               "/v1/sites/acme/contents",          "/v1/sites/acme/contents/t-1",
                               "/v1/sites/acme/channels",          "/v1/sites/acme/leaderboard",
                               "/v1/sites/acme/visitors/0123456789abcdef0123456789abcdef/score",
                               "/v1/sites/acme/cascades",          "/v1/sites/acme/cascades/BIAAD6AEjRWeJq83veg0b",
                               "/v1/sites/acme/tokens/BIAAD6AEjRWeJq83veg0b",
                               "/v1/sites/acme/verdicts",          "/v1/sites/acme/export/leaderboard.csv",
                               "/v1/sites/acme/export/contents.csv"};
  for (const std::string& path : paths) {
    INFO(path);
    CHECK(api.get(path, std::string()).status == 401);
    CHECK(api.get(path, std::string("acme-token-0123456789abcdeX")).status == 401);
    CHECK(api.get(path, std::string("ops-token-0123456789abcdef")).status == 403);
    const ApiAnswer other = api.get(path, std::string(kGlobexToken));
    CHECK(other.status == 403);
    CHECK(other.body["error"]["code"] == "forbidden");
    CHECK(api.get(path).status != 401);
  }
  for (const char* path : {"/v1/sites/acme/visitors/0123456789abcdef0123456789abcdef", "/v1/sites/acme/subscribers/sub-1"}) {
    INFO(path);
    CHECK(api.remove(path, std::string()).status == 401);
    CHECK(api.remove(path, std::string(kGlobexToken)).status == 403);
    CHECK(api.remove(path).status == 200);
  }
  const ApiAnswer unknown = api.get("/v1/sites/initech/overview");
  CHECK(unknown.status == 400);
  CHECK(unknown.body["error"]["code"] == "site_unknown");
  CHECK(api.get("/v1/sites/acme/nothing-here").status == 404);
  const ApiAnswer post = api.remove("/v1/sites/acme/overview");
  CHECK(post.status == 405);
}

TEST_CASE("the query API: bad input gets a named 400 in the protocol's refusal form", "[collector][query]") {
  test::CollectorSetup setup(sitesFile());
  test::QueryClient api(setup.collector->port(), kAcmeToken, "bad-input");
  struct Case {
    std::string target;
    const char* code;
  };
  const Case cases[] = {
      {"/v1/sites/acme/overview?from=2000&to=1000", "range_invalid"},
      {"/v1/sites/acme/overview?from=yesterday", "range_invalid"},
      {"/v1/sites/acme/overview?from=-5", "range_invalid"},
      {"/v1/sites/acme/overview?from=0&to=99999999999999999", "range_invalid"},
      {"/v1/sites/acme/series?from=0&to=100000000000", "range_invalid"},
      {"/v1/sites/acme/series?step=week", "sort_unknown"},
      {"/v1/sites/acme/series?step=hour&from=1700000000000&to=1710000000000", "range_invalid"},
      {"/v1/sites/acme/contents?form=1", "parameter_unknown"},
      {"/v1/sites/acme/contents/%00x", "id_invalid"},
      {"/v1/sites/acme/channels?content=a%20b", "id_invalid"},
      {"/v1/sites/acme/leaderboard?limit=1000000", "limit_invalid"},
      {"/v1/sites/acme/leaderboard?limit=0", "limit_invalid"},
      {"/v1/sites/acme/leaderboard?limit=ten", "limit_invalid"},
      {"/v1/sites/acme/leaderboard?sort=loudest", "sort_unknown"},
      {"/v1/sites/acme/leaderboard?by=household", "sort_unknown"},
      {"/v1/sites/acme/visitors/NOT-A-VISITOR/score", "id_invalid"},
      {"/v1/sites/acme/cascades?sort=width", "sort_unknown"},
      {"/v1/sites/acme/cascades/not-a-token", "id_invalid"},
      {"/v1/sites/acme/cascades/BIAAD6AEjRWeJq83veg0b?maxNodes=100000", "limit_invalid"},
      {"/v1/sites/acme/tokens/not-a-token", "id_invalid"},
      {"/v1/sites/acme/tokens/BIAAD6AEjRWeJq83veg0b?verbose=1", "parameter_unknown"},
      {"/v1/sites/acme/verdicts?to=%zz", "request_invalid"},
      {"/v1/sites/acme/export/leaderboard.csv?sort=x", "sort_unknown"},
  };
  for (const Case& c : cases) {
    INFO(c.target);
    const ApiAnswer answer = api.get(c.target);
    CHECK(answer.status == 400);
    CHECK(answer.body["v"] == 1);
    CHECK(answer.body["error"]["code"] == c.code);
    CHECK_FALSE(answer.body["error"]["message"].get<std::string>().empty());
  }
  const ApiAnswer malformed = api.remove("/v1/sites/acme/visitors/someone@example.com");
  CHECK(malformed.status == 400);
  CHECK(malformed.body["error"]["code"] == "id_invalid");
  CHECK(api.remove("/v1/sites/acme/subscribers/a%40b").body["error"]["code"] == "id_invalid");
  CHECK(api.get("/v1/sites/acme/cascades/BIAAD6AEjRWeJq83veg0b").status == 404);
  CHECK(api.get("/v1/sites/acme/tokens/BIAAD6AEjRWeJq83veg0b").status == 404);
  CHECK(api.get("/v1/sites/acme/contents/never-seen").status == 404);
}

TEST_CASE("the query API on an empty site: zeros, nulls for rates, empty lists, CSV headers", "[collector][query]") {
  test::CollectorSetup setup(sitesFile());
  test::QueryClient api(setup.collector->port(), kAcmeToken, "empty-site");
  const ApiAnswer overview = api.get("/v1/sites/acme/overview");
  REQUIRE(overview.status == 200);
  CHECK(overview.body["current"]["shares"] == 0);
  CHECK(overview.body["current"]["shareRate"].is_null());
  CHECK(overview.body["current"]["largestCascade"].is_null());
  CHECK(overview.body["to"].get<std::int64_t>() - overview.body["from"].get<std::int64_t>() == 30 * kDayMs);
  CHECK(overview.body["previous"]["to"] == overview.body["from"]);
  const ApiAnswer series = api.get("/v1/sites/acme/series?step=day");
  CHECK(series.body["points"].size() >= 30);
  CHECK(api.get("/v1/sites/acme/contents").body["contents"].empty());
  CHECK(api.get("/v1/sites/acme/cascades").body["cascades"].empty());
  CHECK(api.get("/v1/sites/acme/leaderboard").body["rows"].empty());
  CHECK(api.get("/v1/sites/acme/channels").body["channels"].size() == kChannelCount);
  const ApiAnswer csv = api.get("/v1/sites/acme/export/leaderboard.csv?by=subscriber");
  CHECK(csv.status == 200);
  CHECK_THAT(csv.contentType, Catch::StartsWith("text/csv"));
  CHECK(csv.text == "subscriber,score,counted_clickbacks,conversions_influenced,conversion_credit\r\n");
  const ApiAnswer contents = api.get("/v1/sites/acme/export/contents.csv");
  CHECK_THAT(contents.text, Catch::StartsWith("content,rendered_impressions,viewable_impressions,"));
}

TEST_CASE("CSV exports hold the leaderboard and the engagement of the vector", "[collector][query]") {
  const test::ScoreScenario scenario = test::loadScoreScenarios().front();
  ScenarioCollector c;
  c.post(scenario);
  test::QueryClient api(c.setup.collector->port(), kAcmeToken, "exports");
  const ApiAnswer leaders = api.get("/v1/sites/acme/export/leaderboard.csv");
  REQUIRE(leaders.status == 200);
  CHECK_THAT(leaders.text, Catch::StartsWith("visitor,score,counted_clickbacks,conversions_influenced,conversion_credit\r\n" +
                                             visitorId("alice") + ",2.875,2,1,10\r\n"));
  const ApiAnswer subscribers = api.get("/v1/sites/acme/export/leaderboard.csv?by=subscriber");
  CHECK(subscribers.text ==
        "subscriber,score,counted_clickbacks,conversions_influenced,conversion_credit\r\nsub-carol,1.5,1,1,40\r\n");
  const ApiAnswer contents = api.get("/v1/sites/acme/export/contents.csv?" + range());
  CHECK(contents.text.find("\r\nt-42,4,4,1,28000,5000,2,2,2,1,1,0,1,1,0,0,1,0,0,0.75,5,") != std::string::npos);
}
