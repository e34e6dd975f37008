#include "sharetrack/dwell_histogram.hpp"

#include <catch2/catch.hpp>

using namespace sharetrack;

TEST_CASE("dwell bins: 100 ms under a minute, 1 s under ten minutes, 10 s under an hour, one above",
          "[dwell_histogram]") {
  CHECK(DwellHistogram::binOf(0) == 0);
  CHECK(DwellHistogram::binOf(5099) == 50);
  CHECK(DwellHistogram::lowerBound(50) == 5000);
  CHECK(DwellHistogram::lowerBound(DwellHistogram::binOf(59999)) == 59900);
  CHECK(DwellHistogram::lowerBound(DwellHistogram::binOf(60000)) == 60000);
  CHECK(DwellHistogram::lowerBound(DwellHistogram::binOf(61999)) == 61000);
  CHECK(DwellHistogram::lowerBound(DwellHistogram::binOf(599999)) == 599000);
  CHECK(DwellHistogram::lowerBound(DwellHistogram::binOf(600000)) == 600000);
  CHECK(DwellHistogram::lowerBound(DwellHistogram::binOf(3599999)) == 3590000);
  CHECK(DwellHistogram::lowerBound(DwellHistogram::binOf(3600000)) == 3600000);
  CHECK(DwellHistogram::binOf(4000000000u) == DwellHistogram::binOf(3600000));
  for (std::uint32_t ms = 0; ms < 4000000; ms += 997) {
    INFO(ms);
    CHECK(DwellHistogram::lowerBound(DwellHistogram::binOf(ms)) <= ms);
    CHECK(DwellHistogram::binOf(DwellHistogram::lowerBound(DwellHistogram::binOf(ms))) == DwellHistogram::binOf(ms));
  }
}

TEST_CASE("the lower median over summed days, and none when empty", "[dwell_histogram]") {
  DwellHistogram monday, tuesday;
  CHECK_FALSE(monday.median());
  monday.add(12000, +1);
  monday.add(3000, +1);
  tuesday.add(5000, +1);
  tuesday.add(8000, +1);
  DwellHistogram both = monday;
  both += tuesday;
  CHECK(both.median() == 5000u);  // of 3, 5, 8, 12 seconds
  both.add(5000, -1);
  CHECK(both.median() == 8000u);  // of 3, 8, 12 seconds
  both.add(3000, -1);
  both.add(8000, -1);
  both.add(12000, -1);
  CHECK_FALSE(both.median());
}
