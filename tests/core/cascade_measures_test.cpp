#include "sharetrack/cascade_measures.hpp"

#include <catch2/catch.hpp>
#include <deque>

#include "support/test_random.hpp"

using namespace sharetrack;

namespace {

// The definition: the mean shortest-path distance over all ordered pairs of distinct nodes.
double allPairsVirality(const std::vector<std::uint32_t>& parents) {
  const std::size_t n = parents.size();
  std::vector<std::vector<std::uint32_t>> neighbours(n);
  for (std::uint32_t v = 0; v < n; ++v) {
    if (parents[v] == kNoParent) continue;
    neighbours[v].push_back(parents[v]);
    neighbours[parents[v]].push_back(v);
  }
  double total = 0;
  for (std::uint32_t from = 0; from < n; ++from) {
    std::vector<int> distance(n, -1);
    std::deque<std::uint32_t> queue{from};
    distance[from] = 0;
    while (!queue.empty()) {
      const std::uint32_t at = queue.front();
      queue.pop_front();
      total += distance[at];
      for (const std::uint32_t next : neighbours[at]) {
        if (distance[next] < 0) {
          distance[next] = distance[at] + 1;
          queue.push_back(next);
        }
      }
    }
  }
  return total / static_cast<double>(n * (n - 1));
}

}  // namespace

TEST_CASE("a star of 4 has virality 1.5 and a path of n has (n + 1) / 3", "[cascade_measures]") {
  const CascadeMeasures star = measureCascade({kNoParent, 0, 0, 0});
  CHECK(star.size == 4);
  CHECK(star.depth == 1);
  CHECK(star.maxBreadth == 3);
  CHECK(*star.virality == Approx(1.5));
  CHECK_FALSE(star.viral());
  for (std::uint32_t n = 2; n <= 30; ++n) {
    std::vector<std::uint32_t> path{kNoParent};
    for (std::uint32_t v = 1; v < n; ++v) path.push_back(v - 1);
    const CascadeMeasures measures = measureCascade(path);
    CHECK(*measures.virality == Approx((n + 1) / 3.0));
    CHECK(measures.depth == n - 1);
    CHECK(measures.viral() == (n > 2));
  }
}

TEST_CASE("a cascade of one visitor has no virality", "[cascade_measures]") {
  const CascadeMeasures alone = measureCascade({kNoParent});
  CHECK(alone.size == 1);
  CHECK(alone.depth == 0);
  CHECK(alone.maxBreadth == 1);
  CHECK_FALSE(alone.virality);
}

TEST_CASE("virality from subtree sizes equals the all-pairs definition on random trees up to 200 nodes",
          "[cascade_measures]") {
  test::TestRandom random(42);
  for (int round = 0; round < 200; ++round) {
    const std::size_t n = 2 + random.below(199);
    // Nodes listed in a shuffled order, so the one pass cannot rely on parents coming first.
    std::vector<std::uint32_t> order(n);
    for (std::uint32_t i = 0; i < n; ++i) order[i] = i;
    for (std::size_t i = n - 1; i > 0; --i) std::swap(order[i], order[random.below(i + 1)]);
    std::vector<std::uint32_t> parents(n, kNoParent);
    for (std::size_t i = 1; i < n; ++i) {
      // Deep or bushy by turns: a parent among the last few nodes, or any.
      const std::size_t pick = random.chance(50) ? i - 1 - random.below(std::min<std::size_t>(i, 3)) : random.below(i);
      parents[order[i]] = order[pick];
    }
    INFO("round " << round << ", " << n << " nodes");
    CHECK(*measureCascade(parents).virality == Approx(allPairsVirality(parents)).epsilon(1e-12));
  }
}
