#include "client_key.hpp"

#include <catch2/catch.hpp>

using namespace sharetrack::collector;

TEST_CASE("SipHash-2-4 matches the reference vectors", "[collector][client_key]") {
  std::array<std::uint8_t, 16> key{};
  for (std::uint8_t i = 0; i < 16; ++i) key[i] = i;
  std::string message;
  CHECK(sipHash24(key, message) == 0x726fdb47dd0e0e31ull);
  for (char i = 0; i < 15; ++i) message.push_back(i);
  CHECK(sipHash24(key, message) == 0xa129ca6149be45e5ull);
}

TEST_CASE("a client key is stable within a day and rotates daily and and differs per secret",
          "[collector][client_key]") {
  const ClientKeys keys({1, 2, 3}), other({4, 5, 6});
  const std::int64_t day = 1763769600000;
  CHECK(keys.keyFor("203.0.113.7", day + 1000) == keys.keyFor("203.0.113.7", day + 86399000));
  CHECK(keys.keyFor("203.0.113.7", day) != keys.keyFor("203.0.113.7", day + 86400000));
  CHECK(keys.keyFor("203.0.113.7", day) != keys.keyFor("203.0.113.8", day));
  CHECK(keys.keyFor("203.0.113.7", day) != other.keyFor("203.0.113.7", day));
  CHECK(keys.keyFor("203.0.113.7", day).find("203") == std::string::npos);
}
