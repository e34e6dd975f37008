#include "sharetrack/verdict.hpp"

#include <catch2/catch.hpp>

#include "support/wire_names.hpp"

using namespace sharetrack;

TEST_CASE("verdicts have their wire names from wire_names.json", "[verdict]") {
  test::checkWireNames<Verdict>("verdicts", kVerdictCount, verdictName, verdictFromName);
}
