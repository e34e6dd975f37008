#include "sharetrack/delivery_health.hpp"

#include <catch2/catch.hpp>

using namespace sharetrack;

TEST_CASE("backoff grows exponentially with full jitter up to its cap", "[delivery_health]") {
  RetryPolicy policy;
  policy.backoffBaseMs = 1000;
  policy.backoffMaxMs = 8000;
  policy.cooldownAfterFailures = 100;
  DeliveryHealth health;
  const std::int64_t ceilings[] = {1000, 2000, 4000, 8000, 8000, 8000};
  for (std::int64_t ceiling : ceilings) {
    DeliveryHealth top = health, bottom = health;
    recordDeliveryFailure(top, policy, 0, std::nullopt, 0.999999999);
    recordDeliveryFailure(bottom, policy, 0, std::nullopt, 0.0);
    CHECK(top.retryAtMs == ceiling);
    CHECK(bottom.retryAtMs == 0);  // full jitter: anywhere from now
    recordDeliveryFailure(health, policy, 0, std::nullopt, 0.5);
    CHECK(health.retryAtMs == ceiling / 2);
  }
}

TEST_CASE("Retry-After is a floor under the jittered wait and holds beacons too", "[delivery_health]") {
  DeliveryHealth health;
  recordDeliveryFailure(health, RetryPolicy{}, 1000, 30, 0.1);
  CHECK(health.retryAtMs == 31000);
  CHECK(inCooldown(health, 30999));
  CHECK_FALSE(inCooldown(health, 31000));
  recordDeliveryFailure(health, RetryPolicy{}, 2000, std::nullopt, 0.0);  // a later failure keeps the hold
  CHECK(inCooldown(health, 30999));
  CHECK(nextAttemptAt(health) == 31000);
}

TEST_CASE("a collector that keeps failing earns a cooldown and one success clears it", "[delivery_health]") {
  RetryPolicy policy;
  policy.cooldownAfterFailures = 3;
  policy.cooldownMs = 60000;
  DeliveryHealth health;
  recordDeliveryFailure(health, policy, 0, std::nullopt, 0.5);
  recordDeliveryFailure(health, policy, 10, std::nullopt, 0.5);
  CHECK_FALSE(inCooldown(health, 10));
  recordDeliveryFailure(health, policy, 20, std::nullopt, 0.5);
  CHECK(inCooldown(health, 20));
  CHECK(health.retryAtMs == 60020);
  CHECK_FALSE(inCooldown(health, 60020));
  recordDeliveryFailure(health, policy, 60020, std::nullopt, 0.5);  // fails again: straight back
  CHECK(inCooldown(health, 60021));
  recordDeliverySuccess(health, 200000);
  CHECK(health.failures == 0);
  CHECK(health.retryAtMs == 0);
  CHECK_FALSE(inCooldown(health, 200000));
}

TEST_CASE("a success ends a hold only when its batch left after the last report", "[delivery_health]") {
  const RetryPolicy policy;
  DeliveryHealth health;
  recordDeliveryFailure(health, policy, 5000, 120u, 0.5);  // a Retry-After heard at 5000
  recordDeliverySuccess(health, 4000);                      // a batch that had left at 4000
  CHECK(health.failures == 1);
  CHECK(nextAttemptAt(health) == 125000);
  recordDeliverySuccess(health, 5000);  // one that left once the refusal was known
  CHECK(health == DeliveryHealth{0, 0, 0, 5000});
}

TEST_CASE("a Retry-After heard late holds without counting another failure", "[delivery_health]") {
  const RetryPolicy policy;
  DeliveryHealth health;
  recordDeliveryFailure(health, policy, 1000, std::nullopt, 0.0);  // the send timed out
  recordRetryAfter(health, 1500, 60);
  CHECK(health.failures == 1);
  CHECK(inCooldown(health, 61499));
  CHECK(nextAttemptAt(health) == 61500);
  recordRetryAfter(health, 1600, 1);  // a shorter one does not shorten it
  CHECK(nextAttemptAt(health) == 61500);
}

TEST_CASE("merging two tabs' health keeps the latest report in either order", "[delivery_health]") {
  DeliveryHealth failing{5, 9000, 0, 100};
  DeliveryHealth recovered{0, 0, 0, 200};
  CHECK(mergeDeliveryHealth(failing, recovered) == recovered);
  CHECK(mergeDeliveryHealth(recovered, failing) == recovered);
  DeliveryHealth sameTime{2, 50, 0, 200};
  CHECK(mergeDeliveryHealth(sameTime, recovered) == mergeDeliveryHealth(recovered, sameTime));
}
