// sharetrack-collector: reads its flags and sites file, opens the database, serves until
// SIGTERM or SIGINT, then drains and commits.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include <sodium.h>
#include <nlohmann/json.hpp>

#include "batch_writer.hpp"
#include "bot_list.hpp"
#include "client_key.hpp"
#include "options.hpp"
#include "pg_storage.hpp"
#include "pg_tail.hpp"
#include "query_api.hpp"
#include "pg_client_key_secrets.hpp"
#include "score_follower.hpp"
#include "score_keeper.hpp"
#include "server.hpp"
#include "sites.hpp"
#include "sqlite_storage.hpp"

using namespace sharetrack;
using namespace sharetrack::collector;

namespace {

constexpr std::size_t kSpareFiles = 64;  // the database, its journal, the log, a static file

// Raises this process's open-file limit to the most it may have; that many connections, less a
// few files, is the most the server can hold.
std::size_t openFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
  getrlimit(RLIMIT_NOFILE, &limit);
  return std::max<std::size_t>(limit.rlim_cur, 2 * kSpareFiles);
}

int fail(const std::string& message, int status = 1) {
  std::fprintf(stderr, "sharetrack-collector: %s\n", message.c_str());
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  if (sodium_init() < 0) return fail("libsodium cannot start (no random source)");
  auto options = parseOptions(std::vector<std::string>(argv + 1, argv + argc));
  if (!options) return fail(options.error().message, 2);
  if (options.value().help) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  const Options& o = options.value();

  std::ifstream sitesFile(o.sitesFile);
  if (!sitesFile) return fail("cannot read the sites file " + o.sitesFile);
  std::stringstream sitesText;
  sitesText << sitesFile.rdbuf();
  auto sites = parseSites(sitesText.str(), o.sitesFile);
  if (!sites) return fail(sites.error().message);

  // Signals are taken by one thread with sigwait; every other thread (the storage's own among
  // them) inherits the mask, so it is set before any starts.
  sigset_t stopSignals;
  sigemptyset(&stopSignals);
  sigaddset(&stopSignals, SIGTERM);
  sigaddset(&stopSignals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

  BotList bots;
  if (!bots.ok()) return fail(bots.error());
  // SQLite (one collector), or PostgreSQL (several, each following the others' commits).
  std::unique_ptr<Storage> storage;
  PgStorage* postgres = nullptr;
  if (isPostgresUrl(o.database)) {
    auto opened = PgStorage::open(o.database);
    if (!opened) return fail(opened.error().message);
    postgres = opened.value().get();
    storage = std::move(opened).value();
  } else {
    auto opened = SqliteStorage::open(o.database, o.durability);
    if (!opened) return fail(opened.error().message);
    storage = std::move(opened).value();
  }

  std::optional<StaticFiles> files;
  if (o.staticDir) {
    auto opened = StaticFiles::open(*o.staticDir, "--static");
    if (!opened) return fail(opened.error().message);
    files = std::move(opened).value();
  }
  // The dashboard talks to this collector only: nothing from another host, no inline script.
  std::optional<StaticFiles> dashboard;
  if (o.dashboardDir) {
    auto opened = StaticFiles::open(*o.dashboardDir, "--dashboard", "/dashboard/",
                                    {{"Content-Security-Policy",
                                      "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
                                      "base-uri 'none'; form-action 'none'"},
                                     {"Referrer-Policy", "no-referrer"}});
    if (!opened) return fail(opened.error().message);
    dashboard = std::move(opened).value();
  }
  HttpLimits limits = o.http;
  limits.maxConnections = std::min(limits.maxConnections, openFileLimit() - kSpareFiles);

  RequestLog log(stdout);
  // The scores, from every stored event, before the first request.
  ScoreKeeper scores(sites.value());
  std::unique_ptr<ScoreFollower> follower;
  const auto loadStart = std::chrono::steady_clock::now();
  if (postgres) {
    postgres->observeTransactions([&scores](TransactionId t) { scores.announced(t); },
                                  [&scores](TransactionId t) { scores.abandoned(t); });
    auto tail = PgTail::open(o.database);
    if (!tail) return fail(tail.error().message);
    follower = std::make_unique<ScoreFollower>(scores, std::move(tail).value(), o.followInterval, [&log](const Error& e) {
      log.write(nlohmann::json{{"event", "follow_failed"}, {"message", e.message}}.dump(
          -1, ' ', false, nlohmann::json::error_handler_t::replace));
    });
    if (Status loaded = follower->start(); !loaded) return fail(loaded.error().message);
  } else if (Status loaded = scores.load(*storage); !loaded) {
    return fail(loaded.error().message);
  }
  const double loadSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - loadStart).count();

  Metrics metrics;
  BatchWriter writer(*storage, metrics, [&scores, postgres](const auto& batches, const auto& outcomes) {
    scores.committed(batches, outcomes,
                     postgres ? std::optional<TransactionId>(postgres->lastTransaction()) : std::nullopt);
  });
  RateLimiter limiter;
  Ingest ingest(sites.value(), limiter, writer, bots, metrics);
  QueryApi queries(sites.value(), scores, writer);
  // Several collectors on one database give a client one key: they share each day's secret there.
  std::unique_ptr<PgClientKeySecrets> sharedSecrets;
  if (postgres) {
    auto opened = PgClientKeySecrets::open(o.database);
    if (!opened) return fail(opened.error().message);
    sharedSecrets = std::move(opened).value();
  }
  const ClientKeys keys = sharedSecrets ? ClientKeys(randomClientKeySecret(),
                                                     [&sharedSecrets](std::int64_t day) { return sharedSecrets->forDay(day); })
                                        : ClientKeys(randomClientKeySecret());
  CollectorServer server(sites.value(), ingest, queries, metrics, keys, log, std::move(files), std::move(dashboard),
                         limits, o.proxies);
  const auto port = server.bind(o.host, o.port);
  if (!port) return fail("cannot listen on " + o.host + ":" + std::to_string(o.port));

  std::thread signalWaiter([&server, &stopSignals, &log] {
    int signal = 0;
    sigwait(&stopSignals, &signal);
    log.write(nlohmann::json{{"event", "stopping"}, {"signal", signal}}.dump());
    server.stop();
  });
  log.write(nlohmann::json{{"event", "listening"},
                           {"host", o.host},
                           {"port", *port},
                           {"database", postgres ? postgres->name() : o.database},  // no password
                           {"bots", kBotListSource},
                           {"scoresLoadedSeconds", std::round(loadSeconds * 1000) / 1000},
                           {"maxConnections", limits.maxConnections}}
                .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  server.run();   // returns once stopped and every request in progress is answered
  writer.stop();  // commits whatever the last requests handed over
  signalWaiter.join();
  log.write(R"({"event":"stopped"})");
  return 0;
}
