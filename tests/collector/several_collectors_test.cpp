// Several collectors on one PostgreSQL database behind a load balancer: every acknowledged event is
// stored once whichever collector took it, one of them killed mid-load; each collector's scores
// come to equal those of a single collector reading the same rows; a client's key is the same at
// every collector. Runs in the collector tests' PostgreSQL run (SHARETRACK_TEST_POSTGRES).
#include <atomic>
#include <chrono>
#include <catch2/catch.hpp>
#include <csignal>
#include <mutex>
#include <set>
#include <thread>

#include "sharetrack/answer_decode.hpp"
#include "sharetrack/batch_encode.hpp"
#include "support/collector_http.hpp"
#include "support/query_client.hpp"
#include "support/share_world.hpp"

using namespace sharetrack;
using json = nlohmann::json;

namespace {

constexpr const char* kToken = "acme-token-0123456789abcdef";
constexpr const char* kBotAgent = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

std::string sitesFile() {
  return std::string(R"({"sites": [{"id": "acme", "origins": ["https://www.acme.example"], "accessTokens": [")") +
         kToken + R"("], "rateLimit": {"batchesPerSecond": 100000, "burst": 100000}}]})";
}

bool postgresRun() {
  if (!test::TestDatabase::postgresRun()) WARN("PostgreSQL only: runs when SHARETRACK_TEST_POSTGRES names a database (scripts/test)");
  return test::TestDatabase::postgresRun();
}

// A collector behind a proxy on loopback (each client address of the world its own), reading the
// others' commits every 100 ms.
std::unique_ptr<test::CollectorProcess> startCollector(const test::CollectorSetup& setup) {
  return std::make_unique<test::CollectorProcess>(
      setup.database.name(), setup.folder.file("sites.json"),
      std::vector<std::string>{"--trust-proxy", "127.0.0.1", "--follow-ms", "100"});
}

// The world's events as a widget would post them: consecutive events of one visitor from one
// client in one batch, with the client's address.
struct Post {
  Batch batch;
  std::string address;
  bool bot = false;
};

std::vector<Post> postsOf(const std::vector<StoredEvent>& events) {
  std::vector<Post> posts;
  std::map<std::string, std::string> addresses;
  for (const StoredEvent& e : events) {
    if (!addresses.count(e.clientKey)) addresses[e.clientKey] = "198.51.100." + std::to_string(addresses.size() % 250 + 1);
    Post* last = posts.empty() ? nullptr : &posts.back();
    if (!last || last->batch.header.visitor != e.visitor || last->address != addresses[e.clientKey] ||
        last->bot != e.requestBot || last->batch.header.subscriber != e.subscriber || last->batch.events.size() == 5) {
      Post& post = posts.emplace_back();
      post.batch.header.site = "acme";
      post.batch.header.id = "world-batch-" + std::to_string(posts.size());
      post.batch.header.visitor = e.visitor;
      post.batch.header.subscriber = e.subscriber;
      post.batch.header.sentAtMs = e.event.timeMs;
      post.address = addresses[e.clientKey];
      post.bot = e.requestBot;
      last = &post;
    }
    last->batch.events.push_back(e.event);
  }
  return posts;
}

httplib::Result send(httplib::Client& client, const Post& post) {
  const httplib::Headers headers{{"Origin", test::kOrigin},
                                 {"User-Agent", post.bot ? kBotAgent : test::kBrowser},
                                 {"X-Forwarded-For", post.address}};
  return client.Post("/v1/batch", headers, encodeBatch(post.batch), "text/plain;charset=UTF-8");
}

// What a collector answers about the site: the figures a marketer reads.
json figures(int port, const std::string& range) {
  test::QueryClient api(port, kToken, "several-collectors");
  json all;
  for (const std::string& target : std::vector<std::string>{"/v1/sites/acme/overview?" + range, "/v1/sites/acme/leaderboard?limit=1000",
        "/v1/sites/acme/leaderboard?by=subscriber&limit=1000", "/v1/sites/acme/cascades?limit=1000&" + range,
        "/v1/sites/acme/contents?" + range, "/v1/sites/acme/channels?" + range, "/v1/sites/acme/verdicts?" + range}) {
    const test::ApiAnswer answer = api.get(target);
    REQUIRE(answer.status == 200);
    all[target] = answer.body;
  }
  return all;
}

// Asks until the collector's figures equal `expected` (it reads the others' commits every 100 ms).
void requireFiguresReach(int port, const std::string& range, const json& expected) {
  json last;
  for (int attempt = 0; attempt < 100; ++attempt) {
    last = figures(port, range);
    if (last == expected) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  INFO("what differs (a JSON patch from the expected figures): " << json::diff(expected, last).dump().substr(0, 3000));
  REQUIRE(last == expected);
}

// The figures of a collector that has read every stored row: once every transaction that wrote
// them has ended (other tests' transactions on the server may hold the horizon back a moment),
// its next reads are complete; asked until two answers 300 ms apart agree.
json settledFigures(const test::CollectorSetup& setup, int port, const std::string& range) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    if (setup.db().column("SELECT pg_snapshot_xmin(pg_current_snapshot()) > (SELECT MAX(xid) FROM events)") ==
        std::vector<std::string>{"t"}) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  json last = figures(port, range);
  for (int attempt = 0; attempt < 30; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    json now = figures(port, range);
    if (now == last) return now;
    last = std::move(now);
  }
  FAIL("the collector's figures did not settle");
  return last;
}

}  // namespace

TEST_CASE("two collectors on one PostgreSQL with one killed under load: every acknowledged event stored once "
          "and the scores of a single collector",
          "[collector][postgres]") {
  if (!postgresRun()) return;
  test::CollectorSetup setup(sitesFile(), {"--trust-proxy", "127.0.0.1", "--follow-ms", "100"});
  auto other = startCollector(setup);
  test::ShareWorldOptions world;
  world.seed = 16;
  world.events = 2000;
  world.visitors = 150;
  world.contents = 4;
  // Happened in the last hour, so that a range around now holds them by either clock.
  const std::int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  world.startMs = now - kHourMs;
  world.spanMs = kHourMs / 2;
  const std::vector<StoredEvent> events = test::generateShareWorld(world);
  const std::vector<Post> posts = postsOf(events);

  // Four posters share the batches; the balancer sends each to the two collectors in turn and,
  // once the second is gone, retries at the first what the second did not answer.
  std::atomic<std::size_t> next{0}, acknowledgedBatches{0};
  std::atomic<bool> killed{false};
  std::mutex mutex;
  std::set<std::string> acknowledged;
  std::vector<std::string> problems;  // Catch's assertions are for the test's own thread
  std::size_t retried = 0;
  std::vector<std::thread> posters;
  for (int poster = 0; poster < 4; ++poster) {
    posters.emplace_back([&] {
      httplib::Client first("127.0.0.1", setup.collector->port()), second("127.0.0.1", other->port());
      for (std::size_t i = next++; i < posts.size(); i = next++) {
        const bool toSecond = i % 2 == 1 && !killed;
        auto result = send(toSecond ? second : first, posts[i]);
        if (toSecond && (!result || result->status != 200)) {
          std::lock_guard lock(mutex);
          ++retried;
          result = send(first, posts[i]);
        }
        std::lock_guard lock(mutex);
        if (!result || result->status != 200) {
          problems.push_back(posts[i].batch.header.id + ": " + (result ? std::to_string(result->status) : "no answer"));
          continue;
        }
        const auto answer = decodeAnswer(result->body);
        if (!answer.ok()) {
          problems.push_back(posts[i].batch.header.id + ": " + result->body);
          continue;
        }
        for (const EventResult& r : std::get<BatchAnswer>(answer.value()).results) {
          if (r.status == EventStatus::rejected) problems.push_back(r.id + " rejected: " + r.message);
          acknowledged.insert(r.id);
        }
        ++acknowledgedBatches;
      }
    });
  }
  while (acknowledgedBatches < posts.size() / 3) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  CHECK(other->stop(SIGKILL) == 128 + SIGKILL);
  killed = true;
  for (std::thread& p : posters) p.join();
  INFO(retried << " batches retried at the first collector");
  INFO(problems.size() << " problems, the first: " << (problems.empty() ? "" : problems.front()));
  CHECK(problems.empty());

  std::multiset<std::string> stored;
  for (const std::string& id : setup.db().column("SELECT event_id FROM events")) stored.insert(id);
  REQUIRE(acknowledged.size() == events.size());
  REQUIRE(stored.size() == events.size());
  for (const StoredEvent& e : events) {
    INFO(e.event.id);
    REQUIRE(stored.count(e.event.id) == 1);
  }

  // The survivor kept its books from its own commits and the other's; a collector started now
  // reads every row once, as a single collector would.
  const std::string range = "from=" + std::to_string(now - kDayMs) + "&to=" + std::to_string(now + kDayMs);
  other = startCollector(setup);
  const json single = settledFigures(setup, other->port(), range);
  CHECK(single["/v1/sites/acme/overview?" + range]["current"]["renderedImpressions"].get<std::int64_t>() > 0);
  requireFiguresReach(setup.collector->port(), range, single);

  // An erasure at one collector: the other rebuilds its books from the rows and agrees.
  test::QueryClient api(setup.collector->port(), kToken, "several-collectors-erasure");
  const std::string top = single["/v1/sites/acme/leaderboard?limit=1000"]["rows"][0]["id"];
  REQUIRE(api.remove("/v1/sites/acme/visitors/" + top).status == 200);
  const json erased = figures(setup.collector->port(), range);
  CHECK(erased != single);
  requireFiguresReach(other->port(), range, erased);
}

TEST_CASE("two collectors on one PostgreSQL give a client the same key", "[collector][postgres]") {
  if (!postgresRun()) return;
  test::CollectorSetup setup(sitesFile(), {"--trust-proxy", "127.0.0.1", "--follow-ms", "100"});
  auto other = startCollector(setup);
  const std::vector<Post> posts = postsOf(test::generateShareWorld({}));
  httplib::Client first("127.0.0.1", setup.collector->port()), second("127.0.0.1", other->port());
  std::set<std::string> addresses;
  for (std::size_t i = 0; i < 40; ++i) {
    Post post = posts[i];
    post.address = "203.0.113.7";  // one client, through both collectors
    REQUIRE(test::answerOf(send(i % 2 ? second : first, post)).results.size() == post.batch.events.size());
  }
  CHECK(setup.db().integer("SELECT COUNT(DISTINCT client_key) FROM events") == 1);
}

TEST_CASE("erasing a subscriber at one collector takes the visitors another collector stored a moment ago",
          "[collector][postgres]") {
  if (!postgresRun()) return;
  // The first collector follows the others only every ten minutes: its books never see the
  // second's batch, and the erasure must find the visitor in the rows.
  test::CollectorSetup setup(sitesFile(), {"--trust-proxy", "127.0.0.1", "--follow-ms", "600000"});
  auto other = startCollector(setup);
  Post post = postsOf(test::generateShareWorld({})).front();
  post.batch.header.subscriber = "sub-erase-me";
  httplib::Client second("127.0.0.1", other->port());
  REQUIRE(test::answerOf(send(second, post)).results.size() == post.batch.events.size());
  test::QueryClient api(setup.collector->port(), kToken, "several-collectors-subscriber-erasure");
  const test::ApiAnswer erased = api.remove("/v1/sites/acme/subscribers/sub-erase-me");
  REQUIRE(erased.status == 200);
  CHECK(erased.body["deleted"]["visitors"] == 1);
  CHECK(setup.db().integer("SELECT COUNT(*) FROM events WHERE visitor = '" + post.batch.header.visitor + "'") == 0);
  CHECK(setup.db().integer("SELECT COUNT(*) FROM events WHERE subscriber IS NOT NULL") == 0);
}
