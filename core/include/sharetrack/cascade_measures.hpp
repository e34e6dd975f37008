// The shape of one cascade (DESIGN.md, "Scores"): size, depth, the most visitors at one depth,
// and structural virality ν, the mean distance over all ordered pairs of visitors, computed in
// one pass from subtree sizes: ν = 2·Σ over non-root v of s_v·(n − s_v) / (n·(n − 1)).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace sharetrack {

struct CascadeMeasures {
  std::uint32_t size = 0;
  std::uint32_t depth = 0;       // the longest path from the root, in hops
  std::uint32_t maxBreadth = 0;  // the most visitors at one depth
  std::optional<double> virality;  // null for a cascade of one visitor
  bool viral() const { return depth > 1; }  // depth 1 is a broadcast
};

inline constexpr std::uint32_t kNoParent = UINT32_MAX;

// `parents[i]` is node i's parent index, kNoParent for the root; one tree, no cycles.
CascadeMeasures measureCascade(const std::vector<std::uint32_t>& parents);

// Kept up to date as leaves join, in O(depth) per leaf: Σ s_v and Σ s_v² over non-root v give
// Σ s_v·(n − s_v) = n·Σ s_v − Σ s_v².
struct ViralitySums {
  std::uint64_t size = 1;      // n, the root counted
  std::uint64_t sumSizes = 0;  // Σ s_v over non-root v
  std::uint64_t sumSquares = 0;
  std::optional<double> virality() const;
};

}  // namespace sharetrack
