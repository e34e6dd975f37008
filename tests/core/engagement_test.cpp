#include "sharetrack/engagement.hpp"

#include <catch2/catch.hpp>

using namespace sharetrack;

TEST_CASE("rates are ratios of the counts, and null where nothing was counted below", "[engagement]") {
  EngagementCounts counts;
  const EngagementRates none = ratesOf(counts);
  CHECK_FALSE(none.viewableRate);
  CHECK_FALSE(none.shareRate);
  CHECK_FALSE(none.clickbacksPerShare);
  CHECK_FALSE(none.viralCoefficient);

  counts.rendered = 10;
  counts.viewable = 8;
  counts.pageViewsWithShare = 2;
  counts.shares[static_cast<std::size_t>(Channel::x)] = 3;
  counts.shares[static_cast<std::size_t>(Channel::copy)] = 1;
  counts.clickbacks[static_cast<std::size_t>(Channel::x)] = 6;
  counts.sharers = 2;
  counts.arrivals = 5;
  const EngagementRates rates = ratesOf(counts);
  CHECK(*rates.viewableRate == Approx(0.8));
  CHECK(*rates.shareRate == Approx(0.25));
  CHECK(*rates.clickbacksPerShare == Approx(1.5));
  CHECK(*rates.viralCoefficient == Approx(2.5));
}

TEST_CASE("counts add field by field", "[engagement]") {
  EngagementCounts a, b;
  a.rendered = 1;
  a.verdicts[static_cast<std::size_t>(Verdict::bot)] = 2;
  a.creditedValueMicros = 5;
  b.rendered = 2;
  b.verdicts[static_cast<std::size_t>(Verdict::bot)] = 1;
  b.videoQuartiles[3] = 4;
  a += b;
  CHECK(a.rendered == 3);
  CHECK(a.verdicts[static_cast<std::size_t>(Verdict::bot)] == 3);
  CHECK(a.videoQuartiles[3] == 4);
  CHECK(a.creditedValueMicros == 5);
  CHECK_FALSE(a == b);
}
