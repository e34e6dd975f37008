// The query API at scale (scripts/bench queries): a generator fills a fresh SQLite database with
// realistic cascades (tests/support/share_world.hpp: shares with parents, clickbacks of every
// verdict, address-bar tokens, summaries, conversions), the collector loads it, and each endpoint
// is asked repeatedly with varying parameters; prints the load time, the collector's memory and a
// Markdown table of p50 and p95 latencies.
// Usage: sharetrack_query_latency [events] [requests per endpoint]
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "support/collector_process.hpp"
#include "support/seed_database.hpp"
#include "support/share_world.hpp"
#include "support/test_random.hpp"

using namespace sharetrack;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kToken = "bench-site-token-0123456789";

double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

long residentKilobytes(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return 0;
}

struct Endpoint {
  std::string name;
  std::vector<std::string> targets;  // asked in turn
};

}  // namespace

int main(int argc, char** argv) {
  const std::size_t eventCount = argc > 1 ? std::stoul(argv[1]) : 1000000;
  const std::size_t requests = argc > 2 ? std::stoul(argv[2]) : 200;
  test::TempFolder folder;

  test::ShareWorldOptions options;
  options.seed = 2026;
  options.events = eventCount;
  options.visitors = eventCount / 8;
  options.contents = 40;
  options.spanMs = 60 * kDayMs;
  options.startMs = 1788220800000;  // 2026-09-01
  auto start = Clock::now();
  const std::vector<StoredEvent> events = test::generateShareWorld(options);
  std::fprintf(stderr, "generated %zu events in %.1f s\n", events.size(), secondsSince(start));
  start = Clock::now();
  test::seedDatabase(folder.file("bench.db"), "bench", events);
  std::fprintf(stderr, "stored in %.1f s\n", secondsSince(start));

  folder.write("sites.json", std::string(R"({"sites": [{"id": "bench", "origins": ["https://www.bench.example"],
    "accessTokens": [")") + kToken + R"("]}]})");
  start = Clock::now();
  test::CollectorProcess collector(folder.file("bench.db"), folder.file("sites.json"), {}, "", 600);
  const double startSeconds = secondsSince(start);
  std::smatch loaded;
  const std::string log = collector.output();
  const bool found = std::regex_search(log, loaded, std::regex(R"("scoresLoadedSeconds":([0-9.]+))"));
  const long rssKb = residentKilobytes(collector.pid());

  httplib::Client client("127.0.0.1", collector.port());
  client.set_read_timeout(60);
  const httplib::Headers auth{{"Authorization", std::string("Bearer ") + kToken}};
  const auto getJson = [&](const std::string& target) {
    const auto result = client.Get(target, auth);
    if (!result || result->status != 200) throw std::runtime_error("GET " + target + " failed");
    return nlohmann::json::parse(result->body);
  };

  // Parameters drawn from what the collector knows: its visitors, cascades and contents.
  const std::string range = "from=" + std::to_string(options.startMs) +
                            "&to=" + std::to_string(options.startMs + options.spanMs);
  const std::string lastWeek = "from=" + std::to_string(options.startMs + options.spanMs - 7 * kDayMs) +
                               "&to=" + std::to_string(options.startMs + options.spanMs);
  const auto leaders = getJson("/v1/sites/bench/leaderboard?limit=200")["rows"];
  const auto cascades = getJson("/v1/sites/bench/cascades?limit=200&" + range)["cascades"];
  const auto contents = getJson("/v1/sites/bench/contents?" + range)["contents"];
  std::vector<Endpoint> endpoints{
      {"overview, 60 days and the 60 before", {"/v1/sites/bench/overview?" + range}},
      {"overview of one testimonial, 7 days", {}},
      {"series, 60 days by day", {"/v1/sites/bench/series?" + range}},
      {"series, 7 days by hour", {"/v1/sites/bench/series?step=hour&" + lastWeek}},
      {"contents, 60 days", {"/v1/sites/bench/contents?" + range}},
      {"one content, 60 days", {}},
      {"channels, 60 days", {"/v1/sites/bench/channels?" + range}},
      {"leaderboard by visitor, top 50", {"/v1/sites/bench/leaderboard"}},
      {"leaderboard by subscriber, by conversions", {"/v1/sites/bench/leaderboard?by=subscriber&sort=conversions"}},
      {"a visitor's score by level", {}},
      {"cascades by virality, top 50", {"/v1/sites/bench/cascades?sort=virality&" + range}},
      {"one cascade's tree, up to 500 nodes", {}},
      {"verdicts, 60 days", {"/v1/sites/bench/verdicts?" + range}},
      {"leaderboard CSV, 1,000 rows", {"/v1/sites/bench/export/leaderboard.csv"}},
  };
  for (const auto& c : contents) {
    endpoints[1].targets.push_back("/v1/sites/bench/overview?content=" + c["content"].get<std::string>() + "&" + lastWeek);
    endpoints[5].targets.push_back("/v1/sites/bench/contents/" + c["content"].get<std::string>() + "?" + range);
  }
  for (const auto& row : leaders) endpoints[9].targets.push_back("/v1/sites/bench/visitors/" + row["id"].get<std::string>() + "/score");
  for (const auto& c : cascades) endpoints[11].targets.push_back("/v1/sites/bench/cascades/" + c["id"].get<std::string>());

  std::printf("%zu stored events (%zu visitors, %zu testimonials, 60 days); the collector started in %.1f s,"
              " %s s of it loading the scores, and holds %ld MB resident.\n\n",
              events.size(), options.visitors, options.contents, startSeconds,
              found ? loaded[1].str().c_str() : "?", rssKb / 1024);
  std::printf("| endpoint | p50 ms | p95 ms |\n| --- | ---: | ---: |\n");
  for (const Endpoint& endpoint : endpoints) {
    std::vector<double> ms;
    for (std::size_t i = 0; i < requests; ++i) {
      const std::string& target = endpoint.targets[i % endpoint.targets.size()];
      const auto begin = Clock::now();
      const auto result = client.Get(target, auth);
      ms.push_back(secondsSince(begin) * 1000);
      if (!result || result->status != 200) throw std::runtime_error("GET " + target + " failed");
    }
    std::sort(ms.begin(), ms.end());
    std::printf("| %s | %.2f | %.2f |\n", endpoint.name.c_str(), ms[ms.size() / 2], ms[ms.size() * 95 / 100]);
  }
  collector.stop(SIGTERM);
  return 0;
}
