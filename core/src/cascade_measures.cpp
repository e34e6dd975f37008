#include "sharetrack/cascade_measures.hpp"

#include <algorithm>

namespace sharetrack {

std::optional<double> ViralitySums::virality() const {
  if (size < 2) return std::nullopt;
  const double n = static_cast<double>(size);
  return 2.0 * (n * static_cast<double>(sumSizes) - static_cast<double>(sumSquares)) / (n * (n - 1));
}

CascadeMeasures measureCascade(const std::vector<std::uint32_t>& parents) {
  const std::size_t n = parents.size();
  CascadeMeasures measures;
  measures.size = static_cast<std::uint32_t>(n);
  if (n == 0) return measures;
  // Depths by walking up until a node of known depth; each node is resolved once.
  constexpr std::uint32_t unknown = UINT32_MAX;
  std::vector<std::uint32_t> depth(n, unknown);
  std::vector<std::uint32_t> path;
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t at = static_cast<std::uint32_t>(i);
    while (depth[at] == unknown && parents[at] != kNoParent) {
      path.push_back(at);
      at = parents[at];
    }
    if (depth[at] == unknown) depth[at] = 0;
    for (auto it = path.rbegin(); it != path.rend(); ++it) depth[*it] = depth[parents[*it]] + 1;
    path.clear();
  }
  // Deepest first, so each subtree size is complete before it is added to its parent's.
  std::vector<std::uint32_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<std::uint32_t>(i);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return depth[a] > depth[b]; });
  std::vector<std::uint64_t> subtree(n, 1);
  std::vector<std::uint32_t> atDepth(depth[order.front()] + 1, 0);
  ViralitySums sums;
  sums.size = n;
  for (const std::uint32_t v : order) {
    ++atDepth[depth[v]];
    if (parents[v] == kNoParent) continue;
    subtree[parents[v]] += subtree[v];
    sums.sumSizes += subtree[v];
    sums.sumSquares += subtree[v] * subtree[v];
  }
  measures.depth = static_cast<std::uint32_t>(atDepth.size() - 1);
  measures.maxBreadth = *std::max_element(atDepth.begin(), atDepth.end());
  measures.virality = sums.virality();
  return measures;
}

}  // namespace sharetrack
