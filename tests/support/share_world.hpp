// A seeded world of visitors sharing and clicking: shares with parents, clickbacks (some by the
// minter, an ancestor, a repeat, a bot, from a shared client key), address-bar tokens, summaries
// and conversions, each visitor on their own skewed clock, received a little later. The same
// seed gives the same events natively and in wasm. For the scoring properties, the collector's
// recomputation test and the query benchmark's database.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sharetrack/score_book.hpp"

namespace sharetrack::test {

struct ShareWorldOptions {
  std::uint64_t seed = 1;
  std::size_t visitors = 60;
  std::size_t contents = 3;
  std::size_t events = 600;
  std::int64_t startMs = 1793836800000;  // 2026-11-05T00:00Z
  std::int64_t spanMs = 3 * kDayMs;
};

// In the order they happened (by the collector's clock).
std::vector<StoredEvent> generateShareWorld(const ShareWorldOptions& options);

}  // namespace sharetrack::test
