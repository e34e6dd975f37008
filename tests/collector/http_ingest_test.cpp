// The collector over real HTTP on loopback, against a real SQLite file.
#include <httplib.h>
#include <signal.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <set>
#include <thread>

#include "sharetrack/answer.hpp"
#include "sharetrack/answer_decode.hpp"
#include "sharetrack/batch_decode.hpp"
#include "sharetrack/batch_encode.hpp"
#include "support/collector_http.hpp"
#include "support/collector_process.hpp"
#include "support/random_batch.hpp"
#include "support/vectors.hpp"

using namespace sharetrack;

namespace {

std::string summaryBatch(const std::string& eventId, int seq, int dwellMs) {
  nlohmann::json batch = test::validBatch();
  batch["batch"] = "batch-" + eventId;
  batch["events"] = nlohmann::json::array({{{"id", eventId},
                                            {"t", 1707670300000},
                                            {"type", "summary"},
                                            {"content", "t-42"},
                                            {"pv", "pageview-9"},
                                            {"seq", seq},
                                            {"dwellMs", dwellMs}}});
  return batch.dump();
}

}  // namespace

TEST_CASE("the same batch posted twice is stored once", "[collector][http]") {
  test::CollectorSetup setup;
  auto client = setup.client();
  const std::string body = test::validBatch().dump();
  const BatchAnswer first = test::answerOf(test::post(client, body));
  REQUIRE(first.results.size() == 7);
  for (const auto& result : first.results) CHECK(result.status == EventStatus::accepted);
  const BatchAnswer second = test::answerOf(test::post(client, body));
  for (const auto& result : second.results) CHECK(result.status == EventStatus::duplicate);
  CHECK(first.batchId == "batch-0001");
  const auto& db = setup.db();
  CHECK(db.integer("SELECT COUNT(*) FROM events") == 7);
  CHECK(db.integer("SELECT COUNT(*) FROM events WHERE received_at > 0 AND client_time = 1707670000000") == 1);
  CHECK(db.integer("SELECT self_click FROM events WHERE event_id = 'evt-click-2'") == 1);
  CHECK(db.integer("SELECT bot FROM events WHERE event_id = 'evt-click-2'") == (botWebdriver | botPrerender));
}

TEST_CASE("a lower summary sequence never overwrites a higher one", "[collector][http]") {
  test::CollectorSetup setup;
  auto client = setup.client();
  test::answerOf(test::post(client, summaryBatch("sum-seq-0005", 5, 5000)));
  test::answerOf(test::post(client, summaryBatch("sum-seq-0003", 3, 3000)));
  const auto& db = setup.db();
  CHECK(db.integer("SELECT seq FROM summaries WHERE page_view = 'pageview-9'") == 5);
  CHECK(db.integer("SELECT dwell_ms FROM summaries WHERE page_view = 'pageview-9'") == 5000);
  test::answerOf(test::post(client, summaryBatch("sum-seq-0007", 7, 7000)));
  CHECK(db.integer("SELECT dwell_ms FROM summaries WHERE page_view = 'pageview-9'") == 7000);
  CHECK(db.integer("SELECT COUNT(*) FROM events WHERE type = 'summary'") == 3);
}

TEST_CASE("valid events beside invalid ones are stored and the invalid ones are not", "[collector][http]") {
  test::CollectorSetup setup;
  auto client = setup.client();
  const auto vector = test::loadVectors("batches.json")["valid"][4];
  REQUIRE(vector["why"].get<std::string>().find("rejected alone") != std::string::npos);
  const BatchAnswer answer = test::answerOf(test::post(client, vector["batch"].dump()));
  REQUIRE(answer.results.size() == vector["results"].size());
  std::size_t stored = 0;
  for (std::size_t i = 0; i < answer.results.size(); ++i) {
    const auto expected = vector["results"][i].get<std::string>();
    INFO("event " << i);
    if (expected == "ok") {
      CHECK(answer.results[i].status == EventStatus::accepted);
      ++stored;
    } else {
      CHECK(answer.results[i].status == EventStatus::rejected);
      CHECK(answer.results[i].code == expected);
    }
  }
  CHECK(setup.db().integer("SELECT COUNT(*) FROM events") == static_cast<std::int64_t>(stored));
}

TEST_CASE("malformed requests get their documented status and code", "[collector][http]") {
  test::CollectorSetup setup(test::testSitesFile(), {"--static", "."});
  auto client = setup.client();
  nlohmann::json batch = test::validBatch();

  struct Case {
    const char* why;
    std::string body;
    std::string origin;
    int status;
    const char* code;
  };
  nlohmann::json unknownSite = batch, wrongType = batch, longField = batch, tooMany = batch;
  unknownSite["site"] = "other";
  wrongType["v"] = "1";
  longField["site"] = std::string(65, 'a');
  tooMany["events"] = nlohmann::json::array();
  for (int i = 0; i < 201; ++i) tooMany["events"].push_back(batch["events"][6]);
  const std::vector<Case> cases{
      {"bad JSON", "{\"v\":1,", test::kOrigin, 400, "batch_not_json"},
      {"empty body", "", test::kOrigin, 400, "batch_not_json"},
      {"wrong types", wrongType.dump(), test::kOrigin, 400, "field_type"},
      {"oversized field", longField.dump(), test::kOrigin, 400, "field_length"},
      {"too many events", tooMany.dump(), test::kOrigin, 400, "too_many_events"},
      {"unknown site", unknownSite.dump(), test::kOrigin, 403, "site_unknown"},
      {"wrong origin", batch.dump(), "https://evil.example", 403, "origin_not_allowed"},
      {"a page on no site's origin (refused before its body is read)", "{", "https://evil.example", 403,
       "origin_not_allowed"},
      {"body over the limit", std::string(kMaxBatchBytes + 10, ' '), test::kOrigin, 413, "batch_too_large"},
  };
  for (const Case& c : cases) {
    INFO(c.why);
    const auto result = test::post(client, c.body, c.origin);
    REQUIRE(result);
    CHECK(result->status == c.status);
    CHECK(test::refusalCode(result) == c.code);
    // CORS on refusals too, so the widget can read why instead of retrying blindly; but only for
    // the sites' own origins.
    const bool sitesOrigin = c.origin == test::kOrigin;
    CHECK(result->get_header_value("Access-Control-Allow-Origin") == (sitesOrigin ? c.origin : ""));
    CHECK(result->has_header("Access-Control-Expose-Headers") == sitesOrigin);
  }
  CHECK(setup.db().integer("SELECT COUNT(*) FROM events") == 0);

  const auto get = client.Get("/v1/batch");
  CHECK(get->status == 405);
  CHECK(test::refusalCode(get) == "method_not_allowed");
  const auto missing = client.Get("/v2/batch");
  CHECK(missing->status == 404);
  CHECK(test::refusalCode(missing) == "not_found");

  // Path traversal out of the static folder (the test runs in the build tree).
  for (const char* path : {"/../CMakeCache.txt", "/%2e%2e/CMakeCache.txt", "/..%2fCMakeCache.txt", "/a/../../t.db"}) {
    INFO(path);
    const auto escaped = client.Get(path);
    REQUIRE(escaped);
    CHECK(escaped->status >= 400);
    CHECK(escaped->body.find("CMAKE") == std::string::npos);
  }
  CHECK(client.Get("/CTestTestfile.cmake")->status == 200);  // inside the folder: served
}

TEST_CASE("CORS preflight answers the allowed origins only", "[collector][http]") {
  test::CollectorSetup setup;
  auto client = setup.client();
  httplib::Headers allowed{{"Origin", test::kOrigin}, {"Access-Control-Request-Method", "POST"}};
  const auto ok = client.Options("/v1/batch", allowed);
  CHECK(ok->status == 204);
  CHECK(ok->get_header_value("Access-Control-Allow-Origin") == test::kOrigin);
  CHECK(ok->get_header_value("Access-Control-Allow-Methods") == "POST");
  httplib::Headers other{{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}};
  const auto refused = client.Options("/v1/batch", other);
  CHECK(refused->status == 403);
  CHECK_FALSE(refused->has_header("Access-Control-Allow-Origin"));
}

TEST_CASE("a client over its rate limit gets 429 with Retry-After", "[collector][http]") {
  test::CollectorSetup setup(test::testSitesFile(0.5, 2));
  auto client = setup.client();
  CHECK(test::post(client, summaryBatch("sum-rate-0001", 1, 1))->status == 200);
  CHECK(test::post(client, summaryBatch("sum-rate-0002", 1, 1))->status == 200);
  const auto limited = test::post(client, summaryBatch("sum-rate-0003", 1, 1));
  REQUIRE(limited->status == 429);
  CHECK(test::refusalCode(limited) == "rate_limited");
  const int retryAfter = std::stoi(limited->get_header_value("Retry-After"));
  CHECK((retryAfter >= 1 && retryAfter <= 2));
  CHECK(setup.db().integer("SELECT COUNT(*) FROM events") == 2);
}

TEST_CASE("a crawler's user agent flags the events it brings", "[collector][http]") {
  test::CollectorSetup setup;
  auto client = setup.client();
  test::answerOf(test::post(client, test::validBatch().dump(), test::kOrigin, "facebookexternalhit/1.1"));
  const auto& db = setup.db();
  CHECK(db.integer("SELECT COUNT(*) FROM events WHERE (bot & 64) <> 0") == 7);
  CHECK(db.integer("SELECT bot_user_agent FROM batches") == 1);
}

TEST_CASE("/metrics needs the access token but /healthz does not", "[collector][http]") {
  test::CollectorSetup setup;
  auto client = setup.client();
  test::answerOf(test::post(client, test::validBatch().dump()));
  CHECK(client.Get("/healthz")->status == 200);
  const auto anonymous = client.Get("/metrics");
  CHECK(anonymous->status == 401);
  CHECK(test::refusalCode(anonymous) == "unauthorized");
  CHECK(client.Get("/metrics", {{"Authorization", "Bearer acme-token-0123456789abcdef"}})->status == 401);
  const auto metrics = client.Get("/metrics", {{"Authorization", "Bearer ops-token-0123456789abcdef"}});
  REQUIRE(metrics->status == 200);
  CHECK(metrics->body.find("sharetrack_events_total{result=\"accepted\"} 7") != std::string::npos);
  CHECK(metrics->body.find("sharetrack_http_requests_total{status=\"200\"} 2") != std::string::npos);
  CHECK(metrics->body.find("sharetrack_commit_duration_seconds_count 1") != std::string::npos);
  CHECK(metrics->body.find("sharetrack_request_duration_seconds_bucket{le=\"+Inf\"}") != std::string::npos);
}

TEST_CASE("one JSON line per request and no client IP address in the log", "[collector][http]") {
  test::CollectorSetup setup;
  auto client = setup.client();
  test::answerOf(test::post(client, test::validBatch().dump()));
  client.Get("/healthz");
  CHECK(setup.collector->stop(SIGTERM) == 0);
  std::size_t requests = 0;
  std::istringstream lines(setup.collector->output());
  for (std::string line; std::getline(lines, line);) {
    const auto entry = nlohmann::json::parse(line, nullptr, false);
    INFO(line);
    REQUIRE_FALSE(entry.is_discarded());
    if (!entry.contains("method")) continue;
    ++requests;
    CHECK(line.find("127.0.0.1") == std::string::npos);
    CHECK(entry["client"].get<std::string>().size() == 16);
  }
  CHECK(requests == 2);
  CHECK(setup.collector->output().find("\"stopped\"") != std::string::npos);
}

namespace {

// Four threads post 20-event batches until the collector is stopped with `signal` after 100
// acknowledged batches; returns the ids the collector acknowledged and its exit status.
std::pair<std::set<std::string>, int> stopUnderLoad(test::CollectorSetup& setup, int signal) {
  std::mutex mutex;
  std::set<std::string> acknowledged;
  std::atomic<bool> stop{false};
  std::atomic<int> batchesAcknowledged{0};
  std::vector<std::thread> posters;
  for (int poster = 0; poster < 4; ++poster) {
    posters.emplace_back([&, poster] {
      test::TestRandom random(100 + poster);
      httplib::Client client("127.0.0.1", setup.collector->port());
      client.set_read_timeout(5);
      while (!stop) {
        Batch batch = test::randomBatch(random, 20);
        batch.header.site = "acme";
        const auto result = test::post(client, encodeBatch(batch));
        if (!result || result->status != 200) continue;  // stopped mid-request: not acknowledged
        const auto answer = decodeAnswer(result->body);
        if (!answer.ok()) continue;
        std::lock_guard lock(mutex);
        for (const auto& r : std::get<BatchAnswer>(answer.value()).results) {
          if (r.status != EventStatus::rejected) acknowledged.insert(r.id);
        }
        ++batchesAcknowledged;
      }
    });
  }
  while (batchesAcknowledged < 100) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const int status = setup.collector->stop(signal);
  stop = true;
  for (auto& poster : posters) poster.join();
  return {acknowledged, status};
}

void requireStoredOnce(test::CollectorSetup& setup, const std::set<std::string>& acknowledged) {
  const auto& db = setup.db();
  std::set<std::string> stored;
  for (const auto& id : db.column("SELECT event_id FROM events")) REQUIRE(stored.insert(id).second);
  REQUIRE(acknowledged.size() >= 1000);
  for (const auto& id : acknowledged) {
    INFO("acknowledged event " << id);
    REQUIRE(stored.count(id) == 1);
  }
}

}  // namespace

TEST_CASE("killed under concurrent posters the collector keeps every acknowledged event once", "[collector][http]") {
  test::CollectorSetup setup;
  const auto [acknowledged, status] = stopUnderLoad(setup, SIGKILL);
  CHECK(status == 128 + SIGKILL);
  test::CollectorProcess restarted(setup.database.name(), setup.folder.file("sites.json"));
  requireStoredOnce(setup, acknowledged);
}

TEST_CASE("SIGTERM under concurrent posters answers what is in flight and exits 0", "[collector][http]") {
  test::CollectorSetup setup;
  const auto [acknowledged, status] = stopUnderLoad(setup, SIGTERM);
  const std::string output = setup.collector->output();
  INFO("what the collector wrote besides its request log: " << output.substr(output.rfind("\"stopping\"") - 40));
  CHECK(status == 0);
  requireStoredOnce(setup, acknowledged);
}
