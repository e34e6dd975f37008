#include "sharetrack/crc24.hpp"

namespace sharetrack {

std::uint32_t crc24(const std::uint8_t* data, std::size_t size) {
  constexpr std::uint32_t kInit = 0xB704CEu;
  constexpr std::uint32_t kPolynomial = 0x864CFBu;
  std::uint32_t crc = kInit;
  for (std::size_t i = 0; i < size; ++i) {
    crc ^= static_cast<std::uint32_t>(data[i]) << 16;
    for (int bit = 0; bit < 8; ++bit) {
      crc <<= 1;
      if (crc & 0x1000000u) crc ^= kPolynomial;
    }
  }
  return crc & 0xFFFFFFu;
}

}  // namespace sharetrack
