// Core throughput: the same workloads natively and in wasm under node. Prints one line per
// figure, "name<TAB>value<TAB>unit<TAB>what it measures", for scripts/bench to tabulate.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include <malloc.h>

#include "sharetrack/batch_decode.hpp"
#include "sharetrack/batch_encode.hpp"
#include "sharetrack/engine.hpp"
#include "sharetrack/token.hpp"
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
const PageAutomationFacts kHuman{false, false,
                                 "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"};

EngineConfig benchConfig() {
  EngineConfig config;
  config.site = "acme";
  config.flushEvents = 20;
  return config;
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
    for (int i = 0; i < 64; ++i) {
      friends.push_back(formatToken(mintToken(random.next(), kStart, Channel::x, std::nullopt).value()));
    }
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
      BatchAnswer answer;
      answer.batchId = decodeBatchId(batch->text);
      for (const auto& id : batch->eventIds) answer.results.push_back({id, EventStatus::accepted, "", ""});
      SendReport report;
      report.sendId = batch->sendId;
      report.kind = SendKind::answered;
      report.status = 200;
      report.answer = Answer{answer};
      engine.reportSend(report, now);
    }
    sink = engine.takePersist(now, false).queue ? engine.queueSnapshot().size() : 0;
  }

  // The batch id without decoding the batch: the collector's work is not the widget's.
  static std::string decodeBatchId(const std::string& text) {
    const auto at = text.find("\"batch\":\"") + 9;
    return text.substr(at, text.find('"', at) - at);
  }
};

}  // namespace

int main() {
  test::TestRandom random(99);
  constexpr long kTokens = 200000;
  std::vector<std::string> tokens;
  for (long i = 0; i < kTokens; ++i) {
    tokens.push_back(formatToken(mintToken(random.next(), 1763769600000 + i, Channel::copy, std::nullopt).value()));
  }

  const double mint = medianOpsPerSecond(kTokens, [&] {
    std::size_t total = 0;
    for (long i = 0; i < kTokens; ++i) {
      total += formatToken(mintToken(static_cast<std::uint64_t>(i) * 0x9E3779B97F4A7C15ull, 1763769600000 + i,
                                     Channel::x, std::nullopt)
                               .value())
                   .size();
    }
    sink = total;
  });
  const double parse = medianOpsPerSecond(kTokens, [&] {
    std::size_t total = 0;
    for (const auto& token : tokens) total += parseToken(token).value().depth;
    sink = total;
  });

  constexpr long kBatches = 2000;
  constexpr std::size_t kEventsPerBatch = 20;
  std::vector<Batch> batches;
  std::vector<std::string> texts;
  for (long i = 0; i < kBatches; ++i) {
    batches.push_back(test::randomBatch(random, kEventsPerBatch));
    texts.push_back(encodeBatch(batches.back()));
  }
  const double encode = medianOpsPerSecond(kBatches, [&] {
    std::size_t total = 0;
    for (const auto& batch : batches) total += encodeBatch(batch).size();
    sink = total;
  });
  const double decode = medianOpsPerSecond(kBatches, [&] {
    std::size_t total = 0;
    for (const auto& text : texts) total += decodeBatch(text).value().events.size();
    sink = total;
  });

  Workload workload;
  long visits = 0;
  const double visitRate = medianOpsPerSecond(2000, [&] {
    for (int i = 0; i < 2000; ++i) workload.visit(visits++);
  });

  // The heap that 10,000 queued events take (the collector unreachable, the cap raised to hold them).
  EngineConfig config = benchConfig();
  config.queueLimits.capacity = 10000;
  const std::size_t heapBefore = heapInUse();
  std::size_t queued = 0;
  {
    Engine engine(config, Seed{9, 9, 9, 9}, kStart);
    for (int i = 0; i < 10000; ++i) {
      const auto share = engine.prepareShare("t-42", Channel::x, "https://brand.example/stories/t-42", kStart + i);
      sink = engine.commitShare(share.value(), kStart + i).value();
    }
    queued = engine.queue().size();
    const std::size_t heapAfter = heapInUse();
    std::printf("queue_heap_10k\t%zu\tbytes\theap in use for %zu queued share events\n", heapAfter - heapBefore,
                queued);
  }

  std::printf("token_mint\t%.0f\tops/s\tmint + format one token\n", mint);
  std::printf("token_parse\t%.0f\tops/s\tparse one token\n", parse);
  std::printf("batch_encode\t%.0f\tops/s\tencode one %zu-event batch\n", encode, kEventsPerBatch);
  std::printf("batch_decode\t%.0f\tops/s\tdecode + validate one %zu-event batch\n", decode, kEventsPerBatch);
  std::printf("engine_visit\t%.0f\tops/s\tone visit: landing, summaries, share, 1/10 of a batch sent and acked\n",
              visitRate);
  return 0;
}
