#include "sharetrack/error.hpp"

#include <catch2/catch.hpp>
#include <set>
#include <string>

using namespace sharetrack;

TEST_CASE("every error code has one distinct snake_case wire name", "[error]") {
  std::set<std::string> seen;
  for (int i = 0; i < kErrorCodeCount; ++i) {
    const auto code = static_cast<ErrorCode>(i);
    const std::string name(errorCodeName(code));
    INFO("code " << i << " = " << name);
    CHECK(name != "unknown");
    CHECK(name.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == std::string::npos);
    CHECK(seen.insert(name).second);
    CHECK(errorCodeFromName(name) == code);
  }
  CHECK_FALSE(errorCodeFromName("no_such_code"));
}
