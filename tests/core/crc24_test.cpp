#include "sharetrack/crc24.hpp"

#include <catch2/catch.hpp>
#include <string_view>

using sharetrack::crc24;

TEST_CASE("crc24 matches the CRC-24/OpenPGP check value", "[crc24]") {
  constexpr std::string_view kCheckInput = "123456789";
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(kCheckInput.data());
  CHECK(crc24(bytes, kCheckInput.size()) == 0x21CF02u);
  CHECK(crc24(bytes, 0) == 0xB704CEu);
}
