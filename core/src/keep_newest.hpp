// The one eviction rule of the engine's bounded memories: past a limit, the oldest entries go
// first, by time and then by key, so that every tab and build evicts the same ones.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace sharetrack::detail {

// An entry's time and a pointer to its key: sorting pointers, not copies of the keys.
using AgedKey = std::pair<std::int64_t, const std::string*>;

struct OlderFirst {
  bool operator()(const AgedKey& a, const AgedKey& b) const {
    return a.first != b.first ? a.first < b.first : *a.second < *b.second;
  }
};

// Keeps the newest `keep` entries of `entries` (a map by string key), `timeOf` giving an entry's time.
template <typename Map, typename TimeOf>
void keepNewest(Map& entries, std::size_t keep, const TimeOf& timeOf) {
  if (entries.size() <= keep) return;
  std::vector<AgedKey> byAge;
  byAge.reserve(entries.size());
  for (const auto& [key, entry] : entries) byAge.emplace_back(timeOf(entry), &key);
  const auto firstKept = byAge.begin() + static_cast<std::ptrdiff_t>(entries.size() - keep);
  std::nth_element(byAge.begin(), firstKept, byAge.end(), OlderFirst{});
  for (auto it = byAge.begin(); it != firstKept; ++it) entries.erase(*it->second);
}

}  // namespace sharetrack::detail
