#include "sharetrack/dedupe.hpp"

#include <algorithm>

#include "keep_newest.hpp"

namespace sharetrack {

bool DedupeMemory::admit(const std::string& key, std::int64_t nowMs, std::int64_t windowMs) {
  const auto it = entries_.find(key);
  if (it != entries_.end() && nowMs - it->second < windowMs) return false;
  entries_[key] = nowMs;
  evictOldest();
  return true;
}

void DedupeMemory::remember(std::string key, std::int64_t atMs) {
  auto [it, inserted] = entries_.try_emplace(std::move(key), atMs);
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
  // An eighth more than needed, so that eviction is paid once per capacity/8 inserts.
  detail::keepNewest(entries_, capacity_ - capacity_ / 8, [](std::int64_t atMs) { return atMs; });
}

}  // namespace sharetrack
