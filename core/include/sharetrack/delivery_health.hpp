// How the collector has been answering: consecutive failures, the backoff before the next
// attempt, and the cooldown that a collector which keeps failing earns. Visitor-wide and stored,
// so a failing collector is remembered across page loads and tabs.
#pragma once

#include <cstdint>
#include <optional>

namespace sharetrack {

struct RetryPolicy {
  std::int64_t backoffBaseMs = 1000;   // the first retry waits up to this
  std::int64_t backoffMaxMs = 300000;  // no backoff waits longer than this (5 min)
  std::uint32_t cooldownAfterFailures = 6;
  std::int64_t cooldownMs = 1800000;  // 30 min without attempts
};

struct DeliveryHealth {
  std::uint32_t failures = 0;  // consecutive
  std::int64_t retryAtMs = 0;  // no attempt before this
  std::int64_t cooldownUntilMs = 0;  // no attempt at all, not even a beacon: the cooldown, or Retry-After
  std::int64_t updatedAtMs = 0;  // the latest report wins when tabs merge
  bool operator==(const DeliveryHealth& other) const;
};

// The collector took a batch sent at `sentAtMs`: the backoff and any hold end, unless another
// report came after it left (a refusal or Retry-After another tab heard while this batch was in
// flight, or a page sat in the back/forward cache): the collector's later word stands. Stamped
// with the send time, so that merging tabs' copies ranks it by what it knew.
void recordDeliverySuccess(DeliveryHealth& health, std::int64_t sentAtMs);

// Exponential backoff with full jitter (a uniform wait in [0, min(max, base * 2^(n-1))]),
// never shorter than the collector's Retry-After, which also holds the beacons sent as a page
// hides; past `cooldownAfterFailures` the wait is the cooldown. `unit` is uniform in [0, 1).
void recordDeliveryFailure(DeliveryHealth& health, const RetryPolicy& policy, std::int64_t nowMs,
                           std::optional<std::uint32_t> retryAfterSeconds, double unit);

// A Retry-After heard for a send already counted as failed (it timed out first): the hold, no
// second failure.
void recordRetryAfter(DeliveryHealth& health, std::int64_t nowMs, std::uint32_t retryAfterSeconds);

bool inCooldown(const DeliveryHealth& health, std::int64_t nowMs);
// No send before this: the backoff, the cooldown and Retry-After.
std::int64_t nextAttemptAt(const DeliveryHealth& health);

// The health of two tabs' copies: the one updated last, keeping the other's cooldown unless the
// last report was a success.
DeliveryHealth mergeDeliveryHealth(const DeliveryHealth& a, const DeliveryHealth& b);

}  // namespace sharetrack
