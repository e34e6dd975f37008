#include "sharetrack/crc24.hpp"

#include <array>

namespace sharetrack {
namespace {

constexpr std::uint32_t kInit = 0xB704CEu;
constexpr std::uint32_t kPolynomial = 0x864CFBu;

using ByteTable = std::array<std::uint32_t, 256>;

// What each byte value does to the register in eight rounds of shift and test, so that a byte
// takes one lookup instead. Not constexpr on purpose: built at first use, the kilobyte is not
// carried in the browser module's file.
ByteTable makeByteTable() {
  ByteTable table{};
  for (std::uint32_t byte = 0; byte < 256; ++byte) {
    std::uint32_t crc = byte << 16;
    for (int bit = 0; bit < 8; ++bit) {
      crc <<= 1;
      if (crc & 0x1000000u) crc ^= kPolynomial;
    }
    table[byte] = crc & 0xFFFFFFu;
  }
  return table;
}

}  // namespace

std::uint32_t crc24(const std::uint8_t* data, std::size_t size) {
  static const ByteTable table = makeByteTable();
  std::uint32_t crc = kInit;
  for (std::size_t i = 0; i < size; ++i) crc = (crc << 8) ^ table[((crc >> 16) ^ data[i]) & 0xFF];
  return crc & 0xFFFFFFu;
}

}  // namespace sharetrack
