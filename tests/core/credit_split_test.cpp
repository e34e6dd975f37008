#include "sharetrack/credit_split.hpp"

#include <catch2/catch.hpp>
#include <numeric>

#include "support/test_random.hpp"

using namespace sharetrack;

TEST_CASE("a conversion over three levels splits in the halving proportions", "[credit_split]") {
  CHECK(splitCredit(70 * kMicrosPerUnit, 3, 0.5) ==
        std::vector<std::int64_t>{40 * kMicrosPerUnit, 20 * kMicrosPerUnit, 10 * kMicrosPerUnit});
  CHECK(splitCredit(5, 1, 0.5) == std::vector<std::int64_t>{5});
  CHECK(splitCredit(-70 * kMicrosPerUnit, 3, 0.5) ==
        std::vector<std::int64_t>{-40 * kMicrosPerUnit, -20 * kMicrosPerUnit, -10 * kMicrosPerUnit});
  CHECK(splitCredit(100, 0, 0.5).empty());
}

TEST_CASE("credits add up to exactly the value, largest to the sharer, never rising up the chain", "[credit_split]") {
  test::TestRandom random(9);
  for (int round = 0; round < 5000; ++round) {
    const auto value = static_cast<std::int64_t>(random.below(1000000000000ull)) - 1000000;
    const std::size_t levels = 1 + random.below(32);
    const double factor = 0.05 + static_cast<double>(random.below(90)) / 100;
    const std::vector<std::int64_t> parts = splitCredit(value, levels, factor);
    INFO(value << " over " << levels << " at " << factor);
    REQUIRE(parts.size() == levels);
    CHECK(std::accumulate(parts.begin(), parts.end(), std::int64_t{0}) == value);
    for (std::size_t k = 1; k < levels; ++k) CHECK(std::llabs(parts[k]) <= std::llabs(parts[k - 1]) + 1);
  }
}
