// Per-client token buckets, one per (site, client key), with the site's limits.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "sites.hpp"

namespace sharetrack::collector {

class RateLimiter {
 public:
  // 0 when the request may go ahead (one token taken), else the seconds until a token is back.
  std::uint32_t take(const std::string& site, const std::string& clientKey, const RateLimit& limit, std::int64_t nowMs);

 private:
  struct Bucket {
    double tokens;
    std::int64_t updatedMs;
  };
  void forgetIdle(std::int64_t nowMs);

  std::mutex mutex_;
  std::map<std::string, Bucket> buckets_;
  std::int64_t lastSweepMs_ = 0;
};

}  // namespace sharetrack::collector
