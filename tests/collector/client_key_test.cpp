#include "client_key.hpp"

#include <catch2/catch.hpp>
#include <map>

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

TEST_CASE("collectors sharing a day's secret give a client the same key and use their own while it cannot be had",
          "[collector][client_key]") {
  REQUIRE(sodium_init() >= 0);
  const std::int64_t day = 1763769600000;  // a UTC midnight
  std::map<std::int64_t, ClientKeySecret> database;  // what the collectors share
  int asked = 0;
  bool reachable = true;
  const SharedDaySecret shared = [&](std::int64_t d) -> std::optional<ClientKeySecret> {
    ++asked;
    if (!reachable) return std::nullopt;
    return database.emplace(d, randomClientKeySecret()).first->second;  // the first to ask draws it
  };
  const ClientKeys first(randomClientKeySecret(), shared), second(randomClientKeySecret(), shared);
  CHECK(first.keyFor("203.0.113.7", day + 1000) == second.keyFor("203.0.113.7", day + 5000));
  CHECK(first.keyFor("203.0.113.7", day) == ClientKeys(database.at(day / 86400000)).keyFor("203.0.113.7", day));
  CHECK(first.keyFor("203.0.113.7", day + 86399000) == second.keyFor("203.0.113.7", day + 2000));
  CHECK(asked == 2);  // once a day each

  // The next day, with the database out of reach: each its own secret, asked again after a minute.
  reachable = false;
  const std::int64_t next = day + 86400000;
  const std::string own = first.keyFor("203.0.113.7", next);
  CHECK(own != second.keyFor("203.0.113.7", next));
  CHECK(first.keyFor("203.0.113.7", next + 59000) == own);
  CHECK(asked == 4);
  reachable = true;
  CHECK(first.keyFor("203.0.113.7", next + 61000) == second.keyFor("203.0.113.7", next + 61000));
  CHECK(asked == 6);
}
