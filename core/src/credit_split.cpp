#include "sharetrack/credit_split.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace sharetrack {

std::vector<std::int64_t> splitCredit(std::int64_t valueMicros, std::size_t levels, double factor) {
  std::vector<std::int64_t> parts(levels, 0);
  if (levels == 0) return parts;
  const bool negative = valueMicros < 0;
  const std::uint64_t total = negative ? 0 - static_cast<std::uint64_t>(valueMicros) : valueMicros;
  std::vector<double> weights(levels);
  double weight = 1;
  for (auto& w : weights) {
    w = weight;
    weight *= factor;
  }
  const double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
  std::vector<double> fractions(levels);
  std::uint64_t given = 0;
  for (std::size_t k = 0; k < levels; ++k) {
    const double exact = static_cast<double>(total) * weights[k] / sum;
    const auto whole = std::min<std::uint64_t>(static_cast<std::uint64_t>(std::floor(exact)), total - given);
    parts[k] = static_cast<std::int64_t>(whole);
    fractions[k] = exact - static_cast<double>(whole);
    given += whole;
  }
  std::vector<std::size_t> order(levels);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return fractions[a] > fractions[b]; });
  for (std::size_t i = 0; given < total; i = (i + 1) % levels, ++given) ++parts[order[i]];
  if (negative) {
    for (auto& part : parts) part = -part;
  }
  return parts;
}

}  // namespace sharetrack
