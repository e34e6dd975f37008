#include "rate_limiter.hpp"

#include <catch2/catch.hpp>

using namespace sharetrack::collector;

TEST_CASE("a token bucket per key: a burst and then the refill rate", "[collector][rate_limiter]") {
  RateLimiter limiter;
  const RateLimit limit{2, 3};
  for (int i = 0; i < 3; ++i) CHECK(limiter.take("acme client-a", limit, 1000) == 0);
  CHECK(limiter.take("acme client-a", limit, 1000) == 1);
  CHECK(limiter.take("acme client-b", limit, 1000) == 0);   // another client has its own bucket
  CHECK(limiter.take("other client-a", limit, 1000) == 0);  // so does another site
  CHECK(limiter.take("acme client-a", limit, 1500) == 0);   // half a second refills one
  CHECK(limiter.take("acme client-a", limit, 1500) == 1);
  const RateLimit slow{0.1, 1};
  CHECK(limiter.take("acme slow", slow, 0) == 0);
  CHECK(limiter.take("acme slow", slow, 0) == 10);
}

TEST_CASE("the table of buckets never grows past its cap: the least recently used goes", "[collector][rate_limiter]") {
  RateLimiter limiter(3);
  const RateLimit limit{1, 1};
  CHECK(limiter.take("a", limit, 0) == 0);
  CHECK(limiter.take("b", limit, 0) == 0);
  CHECK(limiter.take("c", limit, 0) == 0);
  CHECK(limiter.take("a", limit, 0) == 1);  // "a" is now the most recently used, and empty
  for (int i = 0; i < 1000; ++i) limiter.take("flood-" + std::to_string(i), limit, 0);
  CHECK(limiter.size() == 3);
  CHECK(limiter.take("a", limit, 0) == 0);  // evicted by the flood: a fresh bucket
}
