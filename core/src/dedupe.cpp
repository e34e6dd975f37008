#include "sharetrack/dedupe.hpp"

#include <algorithm>
#include <vector>

namespace sharetrack {

bool DedupeMemory::admit(const std::string& key, std::int64_t nowMs, std::int64_t windowMs) {
  const auto it = entries_.find(key);
  if (it != entries_.end() && nowMs - it->second < windowMs) return false;
  entries_[key] = nowMs;
  evictOldest();
  return true;
}

void DedupeMemory::remember(const std::string& key, std::int64_t atMs) {
  auto [it, inserted] = entries_.emplace(key, atMs);
  if (!inserted) it->second = std::max(it->second, atMs);
  evictOldest();
}

void DedupeMemory::merge(const DedupeMemory& other) {
  for (const auto& [key, atMs] : other.entries_) {
    auto [it, inserted] = entries_.emplace(key, atMs);
    if (!inserted) it->second = std::max(it->second, atMs);
  }
  evictOldest();
}

void DedupeMemory::evictOldest() {
  if (entries_.size() <= capacity_) return;
  // Evicts an eighth more than needed, so that the sort is paid once per capacity/8 inserts.
  const std::size_t keep = capacity_ - capacity_ / 8;
  std::vector<std::pair<std::int64_t, std::string>> byAge;
  byAge.reserve(entries_.size());
  for (const auto& [key, atMs] : entries_) byAge.emplace_back(atMs, key);
  std::sort(byAge.begin(), byAge.end());
  for (std::size_t i = 0; i + keep < byAge.size(); ++i) entries_.erase(byAge[i].second);
}

}  // namespace sharetrack
