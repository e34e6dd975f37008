#include "sharetrack/delivery_health.hpp"

#include <algorithm>
#include <tuple>

namespace sharetrack {

bool DeliveryHealth::operator==(const DeliveryHealth& o) const {
  return std::tie(failures, retryAtMs, cooldownUntilMs, updatedAtMs) ==
         std::tie(o.failures, o.retryAtMs, o.cooldownUntilMs, o.updatedAtMs);
}

void recordDeliverySuccess(DeliveryHealth& health, std::int64_t sentAtMs) {
  if (sentAtMs >= health.updatedAtMs) health = DeliveryHealth{0, 0, 0, sentAtMs};
}

void recordDeliveryFailure(DeliveryHealth& health, const RetryPolicy& policy, std::int64_t nowMs,
                           std::optional<std::uint32_t> retryAfterSeconds, double unit) {
  health.failures += 1;
  health.updatedAtMs = nowMs;
  // The collector asking for quiet holds every attempt, the page's last beacon included.
  const std::int64_t askedUntilMs = retryAfterSeconds ? nowMs + std::int64_t{*retryAfterSeconds} * 1000 : 0;
  health.cooldownUntilMs = std::max(health.cooldownUntilMs, askedUntilMs);
  if (health.failures >= policy.cooldownAfterFailures) {
    health.cooldownUntilMs = std::max(nowMs + policy.cooldownMs, askedUntilMs);
    health.retryAtMs = health.cooldownUntilMs;
    return;
  }
  std::int64_t ceiling = policy.backoffBaseMs;
  for (std::uint32_t i = 1; i < health.failures && ceiling < policy.backoffMaxMs; ++i) ceiling *= 2;
  ceiling = std::min(ceiling, policy.backoffMaxMs);
  const std::int64_t waitMs = static_cast<std::int64_t>(unit * static_cast<double>(ceiling + 1));
  health.retryAtMs = std::max(nowMs + waitMs, askedUntilMs);
}

void recordRetryAfter(DeliveryHealth& health, std::int64_t nowMs, std::uint32_t retryAfterSeconds) {
  health.cooldownUntilMs = std::max(health.cooldownUntilMs, nowMs + std::int64_t{retryAfterSeconds} * 1000);
  health.retryAtMs = std::max(health.retryAtMs, health.cooldownUntilMs);
  health.updatedAtMs = nowMs;
}

bool inCooldown(const DeliveryHealth& health, std::int64_t nowMs) { return nowMs < health.cooldownUntilMs; }

std::int64_t nextAttemptAt(const DeliveryHealth& health) { return std::max(health.retryAtMs, health.cooldownUntilMs); }

DeliveryHealth mergeDeliveryHealth(const DeliveryHealth& a, const DeliveryHealth& b) {
  // Ties (rare: two reports in one millisecond) go to the more cautious, so merging commutes.
  DeliveryHealth merged = std::tie(a.updatedAtMs, a.failures, a.retryAtMs, a.cooldownUntilMs) >=
                                  std::tie(b.updatedAtMs, b.failures, b.retryAtMs, b.cooldownUntilMs)
                              ? a
                              : b;
  // A later failure in a tab that had not heard the other's Retry-After or cooldown keeps it:
  // only a success ends a hold.
  if (merged.failures > 0) merged.cooldownUntilMs = std::max(a.cooldownUntilMs, b.cooldownUntilMs);
  return merged;
}

}  // namespace sharetrack
