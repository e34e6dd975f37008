// A bounded memory of keys and when they were last admitted: the client-side dedupe of
// clickbacks per (visitor, token) and of event ids. It only saves bandwidth; the collector is
// the authority on uniqueness.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

namespace sharetrack {

class DedupeMemory {
 public:
  explicit DedupeMemory(std::size_t capacity) : capacity_(capacity) {}

  // True, and remembered at `nowMs`, when `key` was not admitted within `windowMs` before.
  bool admit(const std::string& key, std::int64_t nowMs, std::int64_t windowMs);
  bool contains(const std::string& key) const { return entries_.count(key) != 0; }
  // Keeps the later of the known and the given time (restore and merge).
  void remember(std::string key, std::int64_t atMs);
  // Both memories' keys, each at its later time. Past capacity the oldest go first (down to
  // seven eighths of it, so that eviction is paid rarely).
  void merge(const DedupeMemory& other);

  const std::map<std::string, std::int64_t>& entries() const { return entries_; }
  std::size_t capacity() const { return capacity_; }

 private:
  void evictOldest();

  std::size_t capacity_;
  std::map<std::string, std::int64_t> entries_;  // ordered: snapshots come out the same everywhere
};

}  // namespace sharetrack
