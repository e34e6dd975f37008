#include "sharetrack/retry_after.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "support/vectors.hpp"

using namespace sharetrack;

TEST_CASE("Retry-After vectors: delta-seconds and HTTP dates", "[retry_after]") {
  const auto vectors = test::loadVectors("retry_after.json");
  for (const auto& v : vectors["cases"]) {
    INFO("'" << v["header"].get<std::string>() << "'");
    const auto seconds = parseRetryAfter(v["header"].get<std::string>(), v["now"].get<std::int64_t>());
    if (v.contains("error")) {
      REQUIRE_FALSE(seconds.ok());
      CHECK(errorCodeName(seconds.error().code) == v["error"].get<std::string>());
    } else {
      REQUIRE(seconds.ok());
      CHECK(seconds.value() == v["seconds"].get<std::uint32_t>());
    }
  }
}
