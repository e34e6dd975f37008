// Core throughput: the same workloads natively and in wasm under node. Prints one line per
// workload, "name<TAB>median ops per second<TAB>what one op is", for scripts/bench to tabulate.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "sharetrack/batch_codec.hpp"
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

  std::printf("token_mint\t%.0f\tmint + format one token\n", mint);
  std::printf("token_parse\t%.0f\tparse one token\n", parse);
  std::printf("batch_encode\t%.0f\tencode one %zu-event batch\n", encode, kEventsPerBatch);
  std::printf("batch_decode\t%.0f\tdecode + validate one %zu-event batch\n", decode, kEventsPerBatch);
  return 0;
}
