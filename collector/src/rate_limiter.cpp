#include "rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace sharetrack::collector {

std::uint32_t RateLimiter::take(const std::string& key, const RateLimit& limit, std::int64_t nowMs) {
  std::lock_guard lock(mutex_);
  auto found = buckets_.find(key);
  if (found == buckets_.end()) {
    if (buckets_.size() >= maxKeys_) {  // the least recently used bucket makes room
      buckets_.erase(order_.back().key);
      order_.pop_back();
    }
    order_.push_front(Bucket{key, limit.burst, nowMs});
    found = buckets_.emplace(key, order_.begin()).first;
  } else {
    order_.splice(order_.begin(), order_, found->second);
  }
  Bucket& bucket = *found->second;
  const double elapsed = static_cast<double>(std::max<std::int64_t>(0, nowMs - bucket.updatedMs)) / 1000.0;
  bucket.tokens = std::min(limit.burst, bucket.tokens + elapsed * limit.batchesPerSecond);
  bucket.updatedMs = nowMs;
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return 0;
  }
  return static_cast<std::uint32_t>(std::max(1.0, std::ceil((1.0 - bucket.tokens) / limit.batchesPerSecond)));
}

std::size_t RateLimiter::size() const {
  std::lock_guard lock(mutex_);
  return buckets_.size();
}

}  // namespace sharetrack::collector
