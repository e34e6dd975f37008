#include "rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace sharetrack::collector {
namespace {

constexpr std::int64_t kSweepEveryMs = 60000;
constexpr std::int64_t kIdleMs = 600000;  // a full bucket after this long anyway, for any sane limit

}  // namespace

std::uint32_t RateLimiter::take(const std::string& site, const std::string& clientKey, const RateLimit& limit,
                                std::int64_t nowMs) {
  std::lock_guard lock(mutex_);
  forgetIdle(nowMs);
  auto [it, inserted] = buckets_.try_emplace(site + " " + clientKey, Bucket{limit.burst, nowMs});
  Bucket& bucket = it->second;
  const double elapsed = static_cast<double>(std::max<std::int64_t>(0, nowMs - bucket.updatedMs)) / 1000.0;
  bucket.tokens = std::min(limit.burst, bucket.tokens + elapsed * limit.batchesPerSecond);
  bucket.updatedMs = nowMs;
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return 0;
  }
  return static_cast<std::uint32_t>(std::max(1.0, std::ceil((1.0 - bucket.tokens) / limit.batchesPerSecond)));
}

void RateLimiter::forgetIdle(std::int64_t nowMs) {
  if (nowMs - lastSweepMs_ < kSweepEveryMs) return;
  lastSweepMs_ = nowMs;
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    it = nowMs - it->second.updatedMs > kIdleMs ? buckets_.erase(it) : std::next(it);
  }
}

}  // namespace sharetrack::collector
