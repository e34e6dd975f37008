// Core throughput, heap and snapshot sizes: the same workloads natively and in wasm under node.
// Prints one line per figure, "name<TAB>value<TAB>unit<TAB>what it measures", for scripts/bench
// to tabulate. Names given as arguments run only those figures (for profiling one of them).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include <malloc.h>

#include "sharetrack/answer.hpp"
#include "sharetrack/answer_decode.hpp"
#include "sharetrack/batch_decode.hpp"
#include "sharetrack/batch_encode.hpp"
#include "sharetrack/dedupe.hpp"
#include "sharetrack/engine.hpp"
#include "sharetrack/token.hpp"
#include "sharetrack/visitor_state.hpp"
#include "support/random_batch.hpp"

using namespace sharetrack;

namespace {

constexpr int kRounds = 9;

// Median over kRounds of ops/s, each round running `body` (which does `opsPerRound` ops).
double medianOpsPerSecond(long opsPerRound, const std::function<void()>& body) {
  std::vector<double> rates;
  for (int round = 0; round < kRounds; ++round) {
    const auto start = std::chrono::steady_clock::now();
    body();
    const std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - start;
    rates.push_back(static_cast<double>(opsPerRound) / seconds.count());
  }
  std::nth_element(rates.begin(), rates.begin() + kRounds / 2, rates.end());
  return rates[kRounds / 2];
}

volatile std::size_t sink;  // keeps results alive so the optimizer cannot drop the work

std::size_t heapInUse() {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33)
  return mallinfo2().uordblks;
#else
  return static_cast<std::size_t>(mallinfo().uordblks);
#endif
}

constexpr std::int64_t kStart = 1763769600000;
constexpr std::size_t kEventsPerBatch = 20;
constexpr std::size_t kLongHistory = 10000;  // tokens in the dedupe memory of the lookup and heap figures
const PageAutomationFacts kHuman{false, false,
                                 "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"};

EngineConfig benchConfig() {
  EngineConfig config;
  config.site = "acme";
  config.flushEvents = 20;
  return config;
}

std::string randomToken(test::TestRandom& random, Channel channel) {
  return formatToken(mintToken(random.next(), kStart, channel, std::nullopt).value());
}

// One visit of the event workload: a landing through a friend's token (dedupe, clickback,
// address-bar token), a widget seen and a video played (summaries), a share (mint), and every
// 20 events a batch encoded, posted and acknowledged.
struct Workload {
  Engine engine{benchConfig(), Seed{1, 2, 3, 4}, kStart};
  std::vector<std::string> friends;
  std::int64_t now = kStart;

  Workload() {
    test::TestRandom random(5);
    for (int i = 0; i < 64; ++i) friends.push_back(randomToken(random, Channel::x));
    (void)engine.widgetRendered("t-42", 0, now);
  }

  void visit(long i) {
    now += 1000;
    const std::string url = "https://brand.example/stories/t-42?st=" + friends[static_cast<std::size_t>(i) % 64];
    sink = engine.land(Landing{url, "t-42", kHuman}, now).value().addressUrl.size();
    engine.viewport("t-42", 0, (i % 2) ? 1.0 : 0.0, now);
    engine.input(now);
    engine.videoTime("t-42", static_cast<double>(i % 100), 100.0, now);
    const auto share = engine.prepareShare("t-42", Channel::copy, "https://brand.example/stories/t-42", now).value();
    sink = engine.commitShare(share, now).value();
    if (auto batch = engine.nextSend(now + 6000, false)) {
      SendReport report;
      report.sendId = batch->sendId;
      report.kind = SendKind::answered;
      report.status = 200;
      report.answer = Answer{acceptAll(*batch)};
      engine.reportSend(report, now);
    }
    if (engine.takePersist(now, false).queue) {
      for (const auto& write : engine.takeQueueWrites()) sink = write.text.size();
    }
  }

  // The collector's answer accepting every event, read without decoding the batch: the
  // collector's work is not the widget's.
  static BatchAnswer acceptAll(const OutgoingBatch& batch) {
    BatchAnswer answer;
    const auto at = batch.text.find("\"batch\":\"") + 9;
    answer.batchId = batch.text.substr(at, batch.text.find('"', at) - at);
    for (const auto& id : batch.eventIds) answer.results.push_back({id, EventStatus::accepted, "", ""});
    return answer;
  }
};

// An engine whose collector is unreachable, holding `count` queued share events (the queue's cap
// raised to hold them).
Engine engineWithQueue(std::size_t count) {
  EngineConfig config = benchConfig();
  config.queueLimits.capacity = std::max(config.queueLimits.capacity, count);
  Engine engine(config, Seed{9, 9, 9, 9}, kStart);
  for (std::size_t i = 0; i < count; ++i) {
    const std::int64_t at = kStart + static_cast<std::int64_t>(i);
    sink = engine.commitShare(engine.prepareShare("t-42", Channel::x, "https://brand.example/stories/t-42", at).value(), at)
               .value();
  }
  return engine;
}

// A visitor whose every memory is full at the default limits: arrivals and address-bar tokens
// on 200 pages, 500 minted tokens, 500 clickbacks.
VisitorState fullVisitor() {
  test::TestRandom random(7);
  VisitorState state;
  state.visitorId = "0123456789abcdef0123456789abcdef";
  state.visitorSinceMs = kStart;
  state.subscriberId = "sub-1234";
  state.subscriberAtMs = kStart;
  for (std::size_t i = 0; i < state.limits.contentPages; ++i) {
    const std::string content = "stories/t-" + std::to_string(i);
    const auto at = kStart + static_cast<std::int64_t>(i);
    const std::string arrival = randomToken(random, Channel::x);
    state.arrivals[content] = Arrival{arrival, at};
    state.addressTokens[content] = AddressToken{randomToken(random, Channel::addressbar), arrival, at};
  }
  for (std::size_t i = 0; i < state.limits.mintedTokens; ++i) {
    state.minted.remember(randomToken(random, Channel::copy), kStart + static_cast<std::int64_t>(i));
  }
  for (std::size_t i = 0; i < state.limits.clickbacks; ++i) {
    state.clickbacks.remember(randomToken(random, Channel::x), kStart + static_cast<std::int64_t>(i));
  }
  state.health = DeliveryHealth{2, kStart + 4000, 0, kStart};
  return state;
}

// A dedupe memory holding kLongHistory tokens, and as many tokens it never saw.
struct LongHistory {
  DedupeMemory memory{kLongHistory};
  std::vector<std::string> probes;  // seen and unseen, alternating

  LongHistory() {
    test::TestRandom random(11);
    for (std::size_t i = 0; i < kLongHistory; ++i) {
      const std::string seen = randomToken(random, Channel::x);
      memory.remember(seen, kStart + static_cast<std::int64_t>(i));
      probes.push_back(seen);
      probes.push_back(randomToken(random, Channel::x));
    }
  }
};

struct Figure {
  std::string name;
  std::string unit;
  std::string what;
  std::function<double()> measure;
};

std::vector<Figure> figures() {
  std::vector<Figure> all;
  const auto ops = [&all](std::string name, std::string what, std::function<double()> measure) {
    all.push_back({std::move(name), "ops/s", std::move(what), std::move(measure)});
  };
  const auto bytes = [&all](std::string name, std::string what, std::function<double()> measure) {
    all.push_back({std::move(name), "bytes", std::move(what), std::move(measure)});
  };

  constexpr long kTokens = 200000;
  ops("token_mint", "mint + format one token", [] {
    return medianOpsPerSecond(kTokens, [] {
      std::size_t total = 0;
      for (long i = 0; i < kTokens; ++i) {
        // One statement each, so that no temporary waits on a call: the wasm bench is built with
        // exceptions (for Catch2), and a call with cleanups pending goes through a JS trampoline.
        const ShareToken token =
            mintToken(static_cast<std::uint64_t>(i) * 0x9E3779B97F4A7C15ull, kStart + i, Channel::x, std::nullopt).value();
        total += formatToken(token).size();
      }
      sink = total;
    });
  });
  ops("token_parse", "parse one token", [] {
    test::TestRandom random(99);
    std::vector<std::string> tokens;
    for (long i = 0; i < kTokens; ++i) tokens.push_back(randomToken(random, Channel::copy));
    return medianOpsPerSecond(kTokens, [&] {
      std::size_t total = 0;
      for (const auto& token : tokens) total += parseToken(token).value().depth;
      sink = total;
    });
  });

  constexpr long kBatches = 2000;
  const auto randomBatches = [] {
    test::TestRandom random(99);
    std::vector<Batch> batches;
    for (long i = 0; i < kBatches; ++i) batches.push_back(test::randomBatch(random, kEventsPerBatch));
    return batches;
  };
  ops("batch_encode", "encode one 20-event batch", [&] {
    const std::vector<Batch> batches = randomBatches();
    return medianOpsPerSecond(kBatches, [&] {
      std::size_t total = 0;
      for (const auto& batch : batches) total += encodeBatch(batch).size();
      sink = total;
    });
  });
  ops("batch_decode", "decode + validate one 20-event batch", [&] {
    std::vector<std::string> texts;
    for (const auto& batch : randomBatches()) texts.push_back(encodeBatch(batch));
    return medianOpsPerSecond(kBatches, [&] {
      std::size_t total = 0;
      for (const auto& text : texts) total += decodeBatch(text).value().events.size();
      sink = total;
    });
  });
  ops("answer_decode", "decode + validate the collector's answer to a 20-event batch (one event rejected)", [&] {
    std::vector<std::string> texts;
    for (const auto& batch : randomBatches()) {
      BatchAnswer answer{kProtocolVersion, batch.header.id, {}};
      for (const auto& event : batch.events) answer.results.push_back({event.id, EventStatus::accepted, "", ""});
      answer.results[3] = {batch.events[3].id, EventStatus::rejected, "token_check", "events[3].token: check value"};
      texts.push_back(encodeAnswer(answer));
    }
    return medianOpsPerSecond(kBatches, [&] {
      std::size_t total = 0;
      for (const auto& text : texts) total += decodeAnswer(text).value().index();
      sink = total;
    });
  });

  ops("engine_visit", "one visit: landing, summaries, share, 1/10 of a batch sent and acked", [] {
    Workload workload;
    long visits = 0;
    return medianOpsPerSecond(2000, [&] {
      for (int i = 0; i < 2000; ++i) workload.visit(visits++);
    });
  });

  constexpr long kSnapshots = 20;
  ops("queue_write", "one conversion queued and written beside 1,000 queued share events", [] {
    Engine engine = engineWithQueue(1000);
    sink = engine.takeQueueWrites().size();
    std::int64_t now = kStart + 2000;
    return medianOpsPerSecond(kSnapshots, [&] {
      for (long i = 0; i < kSnapshots; ++i) {
        sink = engine.conversion("signup", 1, ++now).value();
        for (const auto& write : engine.takeQueueWrites()) sink = write.text.size();
      }
    });
  });
  ops("queue_snapshot_restore", "a fresh engine adopts the stored pieces of a queue of 1,000 share events", [] {
    const std::vector<QueueWrite> pieces = engineWithQueue(1000).takeQueueWrites();
    return medianOpsPerSecond(kSnapshots, [&] {
      for (long i = 0; i < kSnapshots; ++i) {
        Engine engine(benchConfig(), Seed{1, 2, 3, 4}, kStart + 2000);
        for (const auto& piece : pieces) sink = engine.adoptQueue(piece.text, kStart + 2000).value();
      }
    });
  });
  ops("visitor_snapshot_write", "write the snapshot of a visitor state with a full token history", [] {
    Engine engine(benchConfig(), Seed{1, 2, 3, 4}, kStart + 2000);
    sink = engine.mergeVisitor(encodeVisitorState(fullVisitor()), kStart + 2000).ok();
    return medianOpsPerSecond(kSnapshots * 10, [&] {
      for (long i = 0; i < kSnapshots * 10; ++i) sink = engine.visitorSnapshot().size();
    });
  });
  ops("visitor_snapshot_restore", "a fresh engine merges a visitor snapshot with a full token history", [] {
    const std::string snapshot = encodeVisitorState(fullVisitor());
    return medianOpsPerSecond(kSnapshots, [&] {
      for (long i = 0; i < kSnapshots; ++i) {
        Engine engine(benchConfig(), Seed{1, 2, 3, 4}, kStart + 2000);
        sink = engine.mergeVisitor(snapshot, kStart + 2000).ok();
      }
    });
  });
  ops("dedupe_lookup", "one lookup in a dedupe memory of 10,000 tokens (half of them known)", [] {
    const LongHistory history;
    return medianOpsPerSecond(static_cast<long>(history.probes.size()), [&] {
      std::size_t known = 0;
      for (const auto& token : history.probes) known += history.memory.contains(token);
      sink = known;
    });
  });

  bytes("queue_heap_10k", "heap in use for 10,000 queued share events", [] {
    const std::size_t before = heapInUse();
    const Engine engine = engineWithQueue(10000);
    return static_cast<double>(heapInUse() - before);
  });
  bytes("dedupe_heap_10k", "heap in use for a dedupe memory of 10,000 tokens", [] {
    const std::size_t before = heapInUse();
    DedupeMemory memory(kLongHistory);
    test::TestRandom random(11);
    for (std::size_t i = 0; i < kLongHistory; ++i) {
      memory.remember(randomToken(random, Channel::x), kStart + static_cast<std::int64_t>(i));
    }
    return static_cast<double>(heapInUse() - before);
  });
  // What storage holds for a queue, all its pieces together.
  const auto storedBytes = [](std::size_t events) {
    std::size_t total = 0;
    for (const auto& piece : engineWithQueue(events).takeQueueWrites()) total += piece.text.size();
    return static_cast<double>(total);
  };
  bytes("queue_snapshot_1k", "the stored pieces of a queue of 1,000 share events", [&] { return storedBytes(1000); });
  bytes("queue_snapshot_10k", "the stored pieces of a queue of 10,000 share events", [&] { return storedBytes(10000); });
  bytes("visitor_snapshot_full", "a visitor snapshot with a full token history (200 pages, 500 minted, 500 clickbacks)",
        [] { return static_cast<double>(encodeVisitorState(fullVisitor()).size()); });
  return all;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> chosen(argv + 1, argv + argc);
  for (const Figure& figure : figures()) {
    if (!chosen.empty() && std::find(chosen.begin(), chosen.end(), figure.name) == chosen.end()) continue;
    const double value = figure.measure();
    std::printf("%s\t%.0f\t%s\t%s\n", figure.name.c_str(), value, figure.unit.c_str(), figure.what.c_str());
    std::fflush(stdout);
  }
  return 0;
}
