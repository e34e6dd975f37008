#include "client_key.hpp"

#include <catch2/catch.hpp>

using namespace sharetrack::collector;

TEST_CASE("a client key is stable within a day: it rotates daily and differs per address and per secret",
          "[collector][client_key]") {
  REQUIRE(sodium_init() >= 0);
  const ClientKeys keys(ClientKeySecret{1, 2, 3}), other(ClientKeySecret{4, 5, 6});
  const std::int64_t day = 1763769600000;
  CHECK(keys.keyFor("203.0.113.7", day + 1000) == keys.keyFor("203.0.113.7", day + 86399000));
  CHECK(keys.keyFor("203.0.113.7", day) != keys.keyFor("203.0.113.7", day + 86400000));
  CHECK(keys.keyFor("203.0.113.7", day) != keys.keyFor("203.0.113.8", day));
  CHECK(keys.keyFor("203.0.113.7", day) != other.keyFor("203.0.113.7", day));
  const std::string key = keys.keyFor("203.0.113.7", day);
  CHECK(key.size() == 16);
  CHECK(key.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(key.find("203") == std::string::npos);
}

TEST_CASE("two fresh secrets differ", "[collector][client_key]") {
  REQUIRE(sodium_init() >= 0);
  CHECK(randomClientKeySecret() != randomClientKeySecret());
}
