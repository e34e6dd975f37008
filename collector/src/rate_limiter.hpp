// Token buckets per key (a hashed client, or a site and a hashed client), in a table of bounded
// size: past its cap, idle buckets go first, then the least recently used, so a flood of new
// clients costs the table nothing but their own buckets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

namespace sharetrack::collector {

struct RateLimit {
  double batchesPerSecond = 10;  // refill of one client's token bucket
  double burst = 40;             // its size
};

class RateLimiter {
 public:
  explicit RateLimiter(std::size_t maxKeys = 100000) : maxKeys_(maxKeys) {}

  // 0 when the request may go ahead (one token taken), else the seconds until a token is back.
  std::uint32_t take(const std::string& key, const RateLimit& limit, std::int64_t nowMs);
  std::size_t size() const;

 private:
  struct Bucket {
    std::string key;
    double tokens;
    std::int64_t updatedMs;
  };
  using Order = std::list<Bucket>;  // most recently used first

  mutable std::mutex mutex_;
  std::size_t maxKeys_;
  Order order_;
  std::unordered_map<std::string, Order::iterator> buckets_;
};

}  // namespace sharetrack::collector
