// The engine driven by a fuzzed sequence of the shell's calls: page facts at any times (forwards,
// backwards, far ahead), shares, conversions, sends answered every way a collector, a proxy or the
// network can (accepted, rejected, refused with any Retry-After, garbage, no answer, beacons),
// storage written and read back, other tabs' snapshots, consent changes. Nothing may crash, the
// queue never grows past its cap, and once the collector has accepted an event no normal batch
// carries it again.
#include <fuzzer/FuzzedDataProvider.h>

#include <set>

#include "fuzz_check.hpp"
#include "sharetrack/engine.hpp"
#include "support/queue_pieces.hpp"

using namespace sharetrack;

namespace {

constexpr std::int64_t kStart = 1763769600000;  // 2025-11-22

EngineConfig fuzzConfig(FuzzedDataProvider& in) {
  EngineConfig config;
  config.site = "acme";
  config.consentRequired = in.ConsumeBool();
  config.queueLimits.capacity = in.ConsumeIntegralInRange<std::size_t>(1, 64);
  config.flushEvents = in.ConsumeIntegralInRange<std::size_t>(1, 30);
  return config;
}

// What a collector answers to `batch`: each event accepted, a duplicate or rejected, in order.
BatchAnswer answerTo(const OutgoingBatch& batch, FuzzedDataProvider& in) {
  BatchAnswer answer;
  const auto at = batch.text.find("\"batch\":\"") + 9;
  answer.batchId = batch.text.substr(at, batch.text.find('"', at) - at);
  for (const std::string& id : batch.eventIds) {
    const auto status = in.PickValueInArray({EventStatus::accepted, EventStatus::duplicate, EventStatus::rejected});
    answer.results.push_back({id, status, status == EventStatus::rejected ? "field_range" : "", ""});
  }
  return answer;
}

class Driver {
 public:
  explicit Driver(FuzzedDataProvider& in)
      : in_(in), config_(fuzzConfig(in)), engine_(config_, Seed{in.ConsumeIntegral<std::uint64_t>(), 1, 2, 3}, now_) {}

  // One call of the shell's, its outcome ignored: a refusal is as good as an acceptance here.
  void step() {
    switch (in_.ConsumeIntegralInRange(0, 17)) {
      case 0: now_ += in_.ConsumeIntegralInRange<std::int64_t>(0, 10000); break;
      case 1: now_ += in_.ConsumeIntegralInRange<std::int64_t>(-600000, 86400000LL * 30); break;
      case 2: static_cast<void>(engine_.land(Landing{in_.ConsumeRandomLengthString(256), text(), {in_.ConsumeBool(), in_.ConsumeBool(), text()}}, now_)); break;
      case 3: static_cast<void>(engine_.widgetRendered(text(), in_.ConsumeIntegralInRange(-1, 4), now_)); break;
      case 4: engine_.viewport(text(), in_.ConsumeIntegralInRange(0, 3), in_.ConsumeFloatingPoint<double>(), now_); break;
      case 5: engine_.pageVisible(in_.ConsumeBool(), now_); break;
      case 6: engine_.input(now_); engine_.pageFocused(in_.ConsumeBool(), now_); break;
      case 7: engine_.videoTime(text(), in_.ConsumeFloatingPoint<double>(), in_.ConsumeFloatingPoint<double>(), now_); break;
      case 8: engine_.copied(text(), now_); engine_.videoSeeking(text(), now_); engine_.videoEnded(text(), now_); break;
      case 9: static_cast<void>(engine_.conversion(text(), in_.ConsumeFloatingPoint<double>(), now_)); break;
      case 10: share(); break;
      case 11: send(in_.ConsumeBool()); break;
      case 12: engine_.flush(); break;
      case 13: persist(); break;
      case 14: if (engine_.permissions().store) static_cast<void>(engine_.mergeVisitor(in_.ConsumeRandomLengthString(1024), now_)); break;
      case 15: if (engine_.permissions().store) static_cast<void>(engine_.adoptQueue(in_.ConsumeRandomLengthString(1024), now_)); break;
      case 16: engine_.setConsent(in_.ConsumeBool()); break;
      case 17: adoptStoredQueue(); break;
    }
    FUZZ_REQUIRE(engine_.queue().size() <= config_.queueLimits.capacity);
  }

 private:
  std::string text() { return in_.ConsumeRandomLengthString(80); }

  void share() {
    const auto channel = static_cast<Channel>(in_.ConsumeIntegralInRange(0, 7));
    const auto prepared = engine_.prepareShare(text(), channel, in_.ConsumeRandomLengthString(200), now_);
    if (!prepared) return;
    static_cast<void>(engine_.commitShare(prepared.value(), now_));
    if (in_.ConsumeBool()) static_cast<void>(engine_.commitShare(prepared.value(), now_));  // a double click
  }

  void send(bool unloading) {
    const auto batch = engine_.nextSend(now_, unloading);
    if (!batch) return;
    if (!batch->beacon) {
      for (const std::string& id : batch->eventIds) FUZZ_REQUIRE(accepted_.count(id) == 0);
    }
    SendReport report;
    report.sendId = batch->sendId;
    switch (in_.ConsumeIntegralInRange(0, 5)) {
      case 0: report.kind = batch->beacon ? SendKind::beaconQueued : SendKind::networkError; break;
      case 1: report.kind = batch->beacon ? SendKind::beaconRefused : SendKind::networkError; break;
      case 2: {
        report.kind = SendKind::answered;
        report.status = 200;
        const BatchAnswer answer = answerTo(*batch, in_);
        if (!batch->beacon) {
          for (const EventResult& r : answer.results) accepted_.insert(r.id);
        }
        report.answer = answer;
        break;
      }
      case 3: {
        report.kind = SendKind::answered;
        report.status = in_.PickValueInArray({400, 413, 429, 500, 503});
        report.answer = BatchRefusal{1, text(), text(), std::nullopt};
        report.retryAfter = text();
        break;
      }
      case 4:
        report.kind = SendKind::answered;
        report.status = in_.ConsumeIntegralInRange(0, 999);
        report.retryAfter = text();
        break;
      case 5: report.sendId = in_.ConsumeIntegral<std::uint32_t>(); report.kind = SendKind::answered; break;
    }
    engine_.reportSend(report, now_);
  }

  void persist() {
    const PersistPlan plan = engine_.takePersist(now_, in_.ConsumeBool());
    if (plan.erase) stored_.clear();
    if (plan.queue) test::applyQueueWrites(stored_, engine_.takeQueueWrites());
  }

  // Another page load of the same visitor adopts what this one stored: every piece is readable.
  void adoptStoredQueue() {
    if (!engine_.permissions().store) return;
    Engine next(config_, Seed{9, 9, 9, 9}, now_);
    next.setConsent(true);  // as this page's visitor did, or storage would not be allowed
    for (const auto& [name, text] : stored_) {
      const auto adopted = next.adoptQueue(text, now_);
      if (!adopted) std::fprintf(stderr, "piece %s: %s\n", name.c_str(), adopted.error().message.c_str());
      FUZZ_REQUIRE(adopted.ok());
    }
  }

  FuzzedDataProvider& in_;
  std::int64_t now_ = kStart;
  EngineConfig config_;
  Engine engine_;
  std::set<std::string> accepted_;  // ids whose acceptance the engine was told of
  test::QueuePieces stored_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  Driver driver(in);
  while (in.remaining_bytes() > 0) driver.step();
  return 0;
}
