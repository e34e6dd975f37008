// The collector's routes driven by fuzzed requests, as its HTTP server hands them over once
// parsed: any method, path and query, Origin, User-Agent, Authorization and body reach
// CollectorServer's admit and handle, with ingest writing to a real SQLite database (one per fuzz
// run, as in production) and the query API reading the scores it keeps. Nothing may
// crash or leak; every reply has a status of the protocol and, when it says JSON, is JSON; a 200
// to a batch answers each of its events.
#include <fuzzer/FuzzedDataProvider.h>
#include <sodium.h>
#include <unistd.h>

#include <cstdlib>
#include <future>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "batch_writer.hpp"
#include "bot_list.hpp"
#include "client_key.hpp"
#include "fuzz_check.hpp"
#include "query_api.hpp"
#include "score_keeper.hpp"
#include "server.hpp"
#include "sharetrack/batch_encode.hpp"
#include "sqlite_storage.hpp"
#include "support/random_batch.hpp"

using namespace sharetrack;
using namespace sharetrack::collector;
namespace http = boost::beast::http;

namespace {

constexpr const char* kToken = "fuzz-token-0123456789abcdef0123456789";
constexpr const char* kOrigin = "https://brand.example";

SitesConfig fuzzSites() {
  Site site;
  site.id = "acme";
  site.origins = {kOrigin};
  site.rateLimit = RateLimit{1e9, 1e9};  // the fuzzer sends faster than any client may
  site.accessTokens = {kToken};
  SitesConfig sites;
  sites.sites = {site};
  sites.accessTokens = {kToken};
  return sites;
}

// A database of its own for the run, in a fresh folder of the working directory (scripts/fuzz
// runs each target in build/fuzz/crashes/<target> and clears these first).
std::unique_ptr<SqliteStorage> freshStorage() {
  char folder[] = "database-XXXXXX";
  FUZZ_REQUIRE(mkdtemp(folder) != nullptr);
  auto opened = SqliteStorage::open(std::string(folder) + "/collector.db", Durability::normal);
  FUZZ_REQUIRE(opened.ok());
  return std::move(opened).value();
}

// One collector for the whole run, wired as main.cpp wires it.
struct Collector {
  Collector() {
    FUZZ_REQUIRE(sodium);
    FUZZ_REQUIRE(bots.ok());
    FUZZ_REQUIRE(scores.load(*storage).ok());
  }

  const bool sodium = sodium_init() >= 0;
  SitesConfig sites = fuzzSites();
  std::unique_ptr<SqliteStorage> storage = freshStorage();
  ScoreKeeper scores{sites};
  Metrics metrics;
  BatchWriter writer{*storage, metrics, [this](const auto& batches, const auto& outcomes) {
                       scores.committed(batches, outcomes);
                     }};
  BotList bots;
  RateLimiter limiter;
  Ingest ingest{sites, limiter, writer, bots, metrics};
  QueryApi queries{sites, scores, writer};
  ClientKeys keys{randomClientKeySecret()};
  RequestLog log{std::fopen("/dev/null", "w")};
  CollectorServer server{sites, ingest, queries, metrics, keys, log, std::nullopt, std::nullopt, HttpLimits{},
                         TrustedProxies{}};
};

std::string target(FuzzedDataProvider& in) {
  static const char* const kRoutes[] = {
      "/v1/batch", "/v1/sites/acme/overview", "/v1/sites/acme/series", "/v1/sites/acme/contents",
      "/v1/sites/acme/contents/t-42", "/v1/sites/acme/channels", "/v1/sites/acme/leaderboard",
      "/v1/sites/acme/export/leaderboard.csv", "/v1/sites/acme/export/contents.csv", "/v1/sites/acme/cascades",
      "/v1/sites/acme/verdicts", "/v1/sites/acme/visitors/", "/v1/sites/acme/tokens/", "/v1/sites/acme/subscribers/",
      "/v1/sites/other/overview", "/healthz", "/metrics", ""};
  std::string path = in.PickValueInArray(kRoutes);
  if (path.empty() || path.back() == '/') path += in.ConsumeRandomLengthString(64);
  if (in.ConsumeBool()) path += "?" + in.ConsumeRandomLengthString(256);
  return path;
}

// A batch the widget could have sent (tests/support/random_batch.hpp) for the site served, at
// the collector's time, seeded by the input from few seeds so that ids, tokens and cascades recur;
// a few bytes may be changed. This is what reaches storage, the scores and the queries.
std::string plausibleBatch(FuzzedDataProvider& in) {
  test::TestRandom random(in.ConsumeIntegralInRange<std::uint64_t>(0, 4095));
  Batch batch = test::randomBatch(random, in.ConsumeIntegralInRange<std::size_t>(0, 20));
  batch.header.site = "acme";
  batch.header.sentAtMs =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  for (Event& e : batch.events) e.timeMs = batch.header.sentAtMs - in.ConsumeIntegralInRange<std::int64_t>(0, 3600000);
  std::string text = encodeBatch(batch);
  for (int flips = in.ConsumeIntegralInRange(0, 3); flips > 0 && !text.empty(); --flips) {
    text[in.ConsumeIntegralInRange<std::size_t>(0, text.size() - 1)] = in.ConsumeIntegral<char>();
  }
  return text;
}

// Half the inputs post a plausible batch as the widget does; the rest are any request at all.
HttpRequest request(FuzzedDataProvider& in) {
  HttpRequest r;
  r.version(11);
  if (in.ConsumeBool()) {
    r.method(http::verb::post);
    r.target("/v1/batch");
    r.set(http::field::origin, in.ConsumeProbability<float>() < 0.9f ? kOrigin : in.ConsumeRandomLengthString(64));
    r.set(http::field::user_agent, in.ConsumeBool() ? "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0" : "curl/8.0");
    r.set(http::field::content_type, "text/plain;charset=UTF-8");
    r.body() = plausibleBatch(in);
    r.prepare_payload();
    return r;
  }
  r.method(in.PickValueInArray({http::verb::post, http::verb::get, http::verb::options, http::verb::delete_,
                                http::verb::head}));
  r.target(target(in));
  if (in.ConsumeBool()) r.set(http::field::origin, in.ConsumeBool() ? kOrigin : in.ConsumeRandomLengthString(64));
  if (in.ConsumeBool()) r.set(http::field::user_agent, in.ConsumeRandomLengthString(300));
  if (in.ConsumeBool()) {
    r.set(http::field::authorization, in.ConsumeBool() ? std::string("Bearer ") + kToken : in.ConsumeRandomLengthString(80));
  }
  if (in.ConsumeBool()) r.set(http::field::content_type, in.ConsumeBool() ? "text/plain;charset=UTF-8" : in.ConsumeRandomLengthString(40));
  if (in.ConsumeBool()) r.set(http::field::content_encoding, in.ConsumeRandomLengthString(16));
  r.body() = in.ConsumeRemainingBytesAsString();
  r.prepare_payload();
  return r;
}

bool knownStatus(int status) {
  static const std::set<int> kStatuses{200, 204, 206, 304, 308, 400, 401, 403, 404, 405, 406, 411, 413,
                                       415, 416, 429, 431, 500, 503};
  return kStatuses.count(status) == 1;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Collector collector;
  FuzzedDataProvider in(data, size);
  const HttpRequest r = request(in);
  const HttpClient client{"203.0.113.0/24", std::chrono::steady_clock::now()};
  std::optional<Reply> reply = collector.server.admit(r, client);
  if (!reply) {
    std::promise<Reply> answered;
    collector.server.handle(r, client, [&answered](Reply done) { answered.set_value(std::move(done)); });
    reply = answered.get_future().get();
  }
  if (reply->finish) reply->finish(*reply);
  collector.server.answered(r, client, *reply);
  FUZZ_REQUIRE(knownStatus(reply->status));
  if (reply->contentType == "application/json" && !reply->body.empty()) {
    FUZZ_REQUIRE(nlohmann::json::accept(reply->body));
  }
  if (r.target() == "/v1/batch" && r.method() == http::verb::post && reply->status == 200) {
    const auto answer = nlohmann::json::parse(reply->body);
    FUZZ_REQUIRE(answer.at("results").size() == reply->accepted + reply->duplicate + reply->rejected);
  }
  return 0;
}
