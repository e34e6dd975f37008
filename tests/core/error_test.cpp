#include "sharetrack/error.hpp"

#include <catch2/catch.hpp>

#include "support/wire_names.hpp"

using namespace sharetrack;

TEST_CASE("every error code has its wire name from wire_names.json", "[error]") {
  test::checkWireNames<ErrorCode>("errorCodes", kErrorCodeCount, errorCodeName, errorCodeFromName);
}
