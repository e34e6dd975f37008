// The query API at scale (scripts/bench queries): a generator fills a fresh SQLite database (and,
// given a PostgreSQL URL, an empty PostgreSQL database) with
// realistic cascades (tests/support/share_world.hpp: shares with parents, clickbacks of every
// verdict, address-bar tokens, summaries, conversions), the collector loads it, and each endpoint
// is asked repeatedly with varying parameters; prints the load time, the collector's memory and a
// Markdown table of p50 and p95 latencies.
// Usage: sharetrack_query_latency [events] [requests per endpoint] [postgresql://...]
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
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

// One store's run: the world stored in `database` (a file or a PostgreSQL URL), the collector
// started on it, every endpoint asked `requests` times.
struct StoreRun {
  std::string store;
  double storeSeconds = 0, startSeconds = 0;
  std::string loadSeconds;
  long residentMb = 0;
  std::vector<std::pair<double, double>> p50p95;  // per endpoint, in the order of endpoints()
};

std::vector<Endpoint> endpointsOf(const test::ShareWorldOptions& options, const std::function<nlohmann::json(const std::string&)>& getJson) {
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
  return endpoints;
}

StoreRun measure(const std::string& store, const std::string& database, const test::TempFolder& folder,
                 const test::ShareWorldOptions& options, const std::vector<StoredEvent>& events, std::size_t requests,
                 std::vector<std::string>& names) {
  StoreRun run;
  run.store = store;
  auto start = Clock::now();
  test::seedDatabase(database, "bench", events);
  run.storeSeconds = secondsSince(start);
  std::fprintf(stderr, "%s: stored in %.1f s\n", store.c_str(), run.storeSeconds);
  start = Clock::now();
  test::CollectorProcess collector(database, folder.file("sites.json"), {}, "", 600);
  run.startSeconds = secondsSince(start);
  std::smatch loaded;
  const std::string log = collector.output();
  run.loadSeconds = std::regex_search(log, loaded, std::regex(R"("scoresLoadedSeconds":([0-9.]+))")) ? loaded[1].str() : "?";
  run.residentMb = residentKilobytes(collector.pid()) / 1024;

  httplib::Client client("127.0.0.1", collector.port());
  client.set_read_timeout(60);
  const httplib::Headers auth{{"Authorization", std::string("Bearer ") + kToken}};
  const auto getJson = [&](const std::string& target) {
    const auto result = client.Get(target, auth);
    if (!result || result->status != 200) throw std::runtime_error("GET " + target + " failed");
    return nlohmann::json::parse(result->body);
  };
  names.clear();
  for (const Endpoint& endpoint : endpointsOf(options, getJson)) {
    names.push_back(endpoint.name);
    std::vector<double> ms;
    for (std::size_t i = 0; i < requests; ++i) {
      const std::string& target = endpoint.targets[i % endpoint.targets.size()];
      const auto begin = Clock::now();
      const auto result = client.Get(target, auth);
      ms.push_back(secondsSince(begin) * 1000);
      if (!result || result->status != 200) throw std::runtime_error("GET " + target + " failed");
    }
    std::sort(ms.begin(), ms.end());
    run.p50p95.emplace_back(ms[ms.size() / 2], ms[ms.size() * 95 / 100]);
  }
  collector.stop(SIGTERM);
  return run;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t eventCount = argc > 1 ? std::stoul(argv[1]) : 1000000;
  const std::size_t requests = argc > 2 ? std::stoul(argv[2]) : 200;
  const std::string postgres = argc > 3 ? argv[3] : "";
  test::TempFolder folder;

  test::ShareWorldOptions options;
  options.seed = 2026;
  options.events = eventCount;
  options.visitors = eventCount / 8;
  options.contents = 40;
  options.spanMs = 60 * kDayMs;
  options.startMs = 1788220800000;  // 2026-09-01
  const auto start = Clock::now();
  const std::vector<StoredEvent> events = test::generateShareWorld(options);
  std::fprintf(stderr, "generated %zu events in %.1f s\n", events.size(), secondsSince(start));
  folder.write("sites.json", std::string(R"({"sites": [{"id": "bench", "origins": ["https://www.bench.example"],
    "accessTokens": [")") + kToken + R"("]}]})");

  std::vector<std::string> names;
  std::vector<StoreRun> runs{measure("SQLite", folder.file("bench.db"), folder, options, events, requests, names)};
  if (!postgres.empty()) runs.push_back(measure("PostgreSQL", postgres, folder, options, events, requests, names));

  std::printf("%zu stored events (%zu visitors, %zu testimonials, 60 days).\n\n", events.size(), options.visitors,
              options.contents);
  std::printf("| store | seeding the world, s | collector start, s | of it loading the scores, s | resident MB |\n");
  std::printf("| --- | ---: | ---: | ---: | ---: |\n");
  for (const StoreRun& run : runs) {
    std::printf("| %s | %.1f | %.1f | %s | %ld |\n", run.store.c_str(), run.storeSeconds, run.startSeconds,
                run.loadSeconds.c_str(), run.residentMb);
  }
  std::printf("\n| endpoint |");
  for (const StoreRun& run : runs) std::printf(" %s p50 ms | %s p95 ms |", run.store.c_str(), run.store.c_str());
  std::printf("\n| --- |");
  for (std::size_t i = 0; i < runs.size(); ++i) std::printf(" ---: | ---: |");
  std::printf("\n");
  for (std::size_t e = 0; e < names.size(); ++e) {
    std::printf("| %s |", names[e].c_str());
    for (const StoreRun& run : runs) std::printf(" %.2f | %.2f |", run.p50p95[e].first, run.p50p95[e].second);
    std::printf("\n");
  }
  return 0;
}
