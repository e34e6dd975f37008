// A randomized test over any interleaving of what tabs of one visitor do: share, land, send,
// fail, acknowledge, beacon, reload (snapshot and restore), merge, adopt, crash. With fixed
// seeds, against a simulated collector that stores each event id once.
#include <catch2/catch.hpp>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "sharetrack/batch_decode.hpp"
#include "sharetrack/batch_encode.hpp"
#include "sharetrack/engine.hpp"
#include "support/engine_harness.hpp"
#include "support/test_random.hpp"

using namespace sharetrack;

namespace {

const PageAutomationFacts kHuman{false, false,
                                 "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"};
const std::string kPage = "https://brand.example/stories/t-1";

struct Tab {
  std::string key;  // its queue's pieces are stored under "<key>:<piece>"
  std::unique_ptr<Engine> engine;
  std::optional<OutgoingBatch> inFlight;
};

struct Collector {
  std::set<std::string> stored;
  std::size_t duplicates = 0;

  BatchAnswer store(const OutgoingBatch& batch) {
    const auto decoded = decodeBatch(batch.text);
    REQUIRE(decoded.ok());
    BatchAnswer answer;
    answer.batchId = decoded.value().header.id;
    for (const auto& event : decoded.value().events) {
      REQUIRE(event.event.ok());
      const bool fresh = stored.insert(event.id).second;
      duplicates += fresh ? 0 : 1;
      answer.results.push_back({event.id, fresh ? EventStatus::accepted : EventStatus::duplicate, "", ""});
    }
    return answer;
  }
};

class Simulation {
 public:
  Simulation(std::uint64_t seed, EngineConfig config) : random_(seed), config_(std::move(config)) {
    browser_.seeds = seed * 1000;
  }

  void run(int steps) {
    openTab();
    for (int step = 0; step < steps; ++step) {
      browser_.nowMs += static_cast<std::int64_t>(random_.below(3000));
      this->step();
      checkInvariants();
    }
    drain();
  }

  std::set<std::string> created;
  Collector collector;
  std::uint32_t overflowReported = 0;

 private:
  Tab* anyTab() { return tabs_.empty() ? nullptr : &tabs_[random_.below(tabs_.size())]; }

  void openTab() {
    Tab tab;
    tab.key = "queue:" + std::to_string(nextTab_++);
    tab.engine = std::make_unique<Engine>(config_, Seed{browser_.seeds++, 1, 2, 3}, browser_.nowMs);
    if (storage_.count("visitor")) REQUIRE(tab.engine->mergeVisitor(storage_["visitor"], browser_.nowMs).ok());
    tabs_.push_back(std::move(tab));
    persist(tabs_.back());
  }

  // The shell's write: merge what storage holds, then write the merged state.
  void persist(Tab& tab, bool hiding = false) {
    const PersistPlan plan = tab.engine->takePersist(browser_.nowMs, hiding);
    if (plan.visitor) {
      if (storage_.count("visitor")) REQUIRE(tab.engine->mergeVisitor(storage_["visitor"], browser_.nowMs).ok());
      storage_["visitor"] = tab.engine->visitorSnapshot();
    }
    if (!plan.queue) return;
    for (auto& write : tab.engine->takeQueueWrites()) {
      const std::string key = tab.key + ":" + write.name;
      if (write.text.empty()) {
        storage_.erase(key);
      } else {
        storage_[key] = std::move(write.text);
      }
    }
  }

  void closeTab(bool crash) {
    if (tabs_.empty()) return;
    const std::size_t index = random_.below(tabs_.size());
    if (!crash) {
      tabs_[index].engine->pageVisible(false, browser_.nowMs);
      persist(tabs_[index], true);
    }
    if (tabs_[index].inFlight && random_.chance(50)) collector.store(*tabs_[index].inFlight);  // arrived, unanswered
    orphans_.push_back(tabs_[index].key);
    tabs_.erase(tabs_.begin() + static_cast<long>(index));
  }

  void adoptOrphan(Tab& tab) {
    if (orphans_.empty()) return;
    const std::string key = orphans_.front();
    orphans_.erase(orphans_.begin());
    const auto pieces = [&] {
      return std::make_pair(storage_.lower_bound(key + ":"), storage_.lower_bound(key + ";"));  // ';' follows ':'
    };
    for (auto [piece, end] = pieces(); piece != end; ++piece) {
      REQUIRE(tab.engine->adoptQueue(piece->second, browser_.nowMs).ok());
    }
    persist(tab);
    storage_.erase(pieces().first, pieces().second);  // the shell removes the adopted queue only after writing its own
  }

  void step() {
    Tab* tab = anyTab();
    switch (random_.below(12)) {
      case 0:
        if (tabs_.size() < 2) openTab();
        return;
      case 1:
        if (tabs_.size() > 1) closeTab(random_.chance(50));
        return;
      default:
        break;
    }
    if (!tab) return openTab();
    Engine& engine = *tab->engine;
    switch (random_.below(10)) {
      case 0: {  // share
        const auto channel = static_cast<Channel>(random_.below(kChannelCount - 1));
        auto share = engine.prepareShare("t-1", channel, kPage, browser_.nowMs);
        REQUIRE(share.ok());
        minted_.push_back(share.value().token);
        if (random_.chance(80) && engine.commitShare(share.value(), browser_.nowMs).value()) {
          created.insert(share.value().eventId);
        }
        break;
      }
      case 1: {  // a landing, through a stranger's token or one this visitor minted
        std::string token = "BIAAD6AEjRWeJq83veg0b";
        if (!minted_.empty() && random_.chance(40)) token = minted_[random_.below(minted_.size())];
        const auto landing = engine.land(Landing{kPage + "?st=" + token, "t-1", kHuman}, browser_.nowMs);
        REQUIRE(landing.ok());
        if (landing.value().outcome == LandingOutcome::clickback) created.insert(engine.queue().events().back().id);
        break;
      }
      case 2:
        if (engine.conversion("signup", 1, browser_.nowMs).value()) created.insert(engine.queue().events().back().id);
        break;
      case 3:
      case 4: {  // send
        if (tab->inFlight) break;
        if (random_.chance(30)) engine.flush();
        tab->inFlight = engine.nextSend(browser_.nowMs, false);
        break;
      }
      case 5: {  // the collector answers, or fails, or the answer is lost
        if (!tab->inFlight) break;
        const OutgoingBatch batch = *tab->inFlight;
        tab->inFlight.reset();
        SendReport report;
        report.sendId = batch.sendId;
        const auto fate = random_.below(4);
        if (fate < 2) {
          report.kind = SendKind::answered;
          report.status = 200;
          report.answer = Answer{collector.store(batch)};
          overflowReported += decodeBatch(batch.text).value().header.dropped.queueOverflow;
        } else if (fate == 2) {
          report.kind = SendKind::answered;
          report.status = random_.chance(50) ? 503 : 429;
          report.retryAfter = report.status == 429 ? "1" : "";
        } else {
          collector.store(batch);  // stored, but the answer never came back
        }
        engine.reportSend(report, browser_.nowMs);
        break;
      }
      case 6: {  // the page hides: a beacon, which may or may not arrive
        engine.pageVisible(false, browser_.nowMs);
        if (auto beacon = engine.nextSend(browser_.nowMs, true)) {
          if (random_.chance(70)) collector.store(*beacon);
          engine.reportSend(test::sendReport(beacon->sendId, SendKind::beaconQueued), browser_.nowMs);
        }
        persist(*tab, true);
        engine.pageVisible(true, browser_.nowMs);
        break;
      }
      case 7: {  // reload: the page view ends, a new one adopts its queue
        tab->engine->pageVisible(false, browser_.nowMs);
        persist(*tab, true);
        if (tab->inFlight && random_.chance(50)) collector.store(*tab->inFlight);
        orphans_.push_back(tab->key);
        tabs_.erase(tabs_.begin() + (tab - tabs_.data()));
        openTab();
        adoptOrphan(tabs_.back());
        return;
      }
      case 8:  // another tab wrote the visitor state: merge it
        if (storage_.count("visitor")) REQUIRE(engine.mergeVisitor(storage_["visitor"], browser_.nowMs).ok());
        break;
      default:
        adoptOrphan(*tab);
        break;
    }
    persist(*tab);
  }

  void checkInvariants() {
    std::set<std::string> inFlightIds;
    for (const Tab& tab : tabs_) {
      REQUIRE(tab.engine->queue().size() <= config_.queueLimits.capacity);
      if (!tab.inFlight) continue;
      for (const auto& id : tab.inFlight->eventIds) {
        REQUIRE(inFlightIds.insert(id).second);  // never in one batch twice, nor in two sends at once
      }
    }
  }

  void drain() {
    while (!orphans_.empty()) {
      if (tabs_.empty()) openTab();
      adoptOrphan(tabs_.front());
    }
    for (int round = 0; round < 2000; ++round) {
      bool pending = false;
      for (Tab& tab : tabs_) {
        if (tab.inFlight) {
          tab.engine->reportSend(test::sendReport(tab.inFlight->sendId, SendKind::networkError), browser_.nowMs);
          tab.inFlight.reset();
        }
        tab.engine->flush();
        if (auto batch = tab.engine->nextSend(browser_.nowMs, false)) {
          SendReport report{batch->sendId, SendKind::answered, 200, Answer{collector.store(*batch)}, ""};
          overflowReported += decodeBatch(batch->text).value().header.dropped.queueOverflow;
          tab.engine->reportSend(report, browser_.nowMs);
        }
        persist(tab);
        pending = pending || tab.engine->queue().size() > 0 || tab.engine->queue().pendingDrops().queueOverflow;
      }
      if (!pending) return;
      browser_.nowMs += 3600000;  // past any backoff or cooldown
    }
    FAIL("queues did not drain");
  }

  test::TestRandom random_;
  EngineConfig config_;
  test::BrowserProfile browser_;
  std::map<std::string, std::string> storage_;
  std::vector<Tab> tabs_;
  std::vector<std::string> orphans_;
  std::vector<std::string> minted_;
  int nextTab_ = 0;
};

}  // namespace

TEST_CASE("randomized tabs: no event lost or sent twice at once and queues stay within their cap",
          "[engine][property]") {
  for (std::uint64_t seed : {1u, 2u, 3u, 4u, 5u}) {
    INFO("seed " << seed);
    EngineConfig config = test::testConfig();
    config.flushEvents = 4;
    config.retry.cooldownAfterFailures = 3;
    Simulation simulation(seed, config);
    simulation.run(1500);
    REQUIRE(simulation.created.size() > 100);
    for (const auto& id : simulation.created) {
      INFO("event " << id);
      REQUIRE(simulation.collector.stored.count(id));
    }
    CHECK(simulation.collector.duplicates > 0);  // the interleavings did retry what had arrived
  }
}

TEST_CASE("randomized tabs with a tiny queue: every event is stored or counted as dropped", "[engine][property]") {
  for (std::uint64_t seed : {11u, 12u, 13u}) {
    INFO("seed " << seed);
    EngineConfig config = test::testConfig();
    config.queueLimits.capacity = 6;
    config.flushEvents = 50;
    Simulation simulation(seed, config);
    simulation.run(1500);
    std::size_t lost = 0;
    for (const auto& id : simulation.created) lost += simulation.collector.stored.count(id) ? 0 : 1;
    CHECK(lost > 0);
    CHECK(simulation.overflowReported >= lost);
  }
}
