// sharetrack-collector: reads its flags and sites file, opens the database, serves until
// SIGTERM or SIGINT, then drains and commits.
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
#include "server.hpp"
#include "sites.hpp"
#include "sqlite_storage.hpp"

using namespace sharetrack;
using namespace sharetrack::collector;

namespace {

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

  BotList bots;
  if (!bots.ok()) return fail(bots.error());
  auto storage = SqliteStorage::open(o.database, o.durability);
  if (!storage) return fail(storage.error().message);

  // Signals are taken by one thread with sigwait; every other thread inherits the mask.
  sigset_t stopSignals;
  sigemptyset(&stopSignals);
  sigaddset(&stopSignals, SIGTERM);
  sigaddset(&stopSignals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

  Metrics metrics;
  BatchWriter writer(*storage.value(), metrics);
  RateLimiter limiter;
  Ingest ingest(sites.value(), limiter, writer, bots, metrics);
  const ClientKeys keys(randomClientKeySecret());
  RequestLog log(stdout);
  CollectorServer server(sites.value(), ingest, metrics, keys, log);
  if (o.staticDir && !server.serveStatic(*o.staticDir)) return fail("--static " + *o.staticDir + " is not a folder");
  const auto port = server.bind(o.host, o.port);
  if (!port) return fail("cannot listen on " + o.host + ":" + std::to_string(o.port));

  std::thread signalWaiter([&server, &stopSignals, &log] {
    int signal = 0;
    sigwait(&stopSignals, &signal);
    log.write(nlohmann::json{{"event", "stopping"}, {"signal", signal}}.dump());
    server.stop();
  });
  log.write(nlohmann::json{
      {"event", "listening"}, {"host", o.host}, {"port", *port}, {"database", o.database}, {"bots", kBotListSource}}
                .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  const bool served = server.listen();
  writer.stop();  // commits whatever the last requests handed over
  if (!served && signalWaiter.joinable()) {
    pthread_kill(signalWaiter.native_handle(), SIGTERM);
  }
  signalWaiter.join();
  log.write(R"({"event":"stopped"})");
  return served ? 0 : 1;
}
