// CRC-24/OpenPGP (RFC 4880 §6.1): the share token's check value. A CRC of degree 24 detects
// every error burst of up to 24 bits, so any change within one token character (6 bits) is
// caught, and other manglings slip through with probability 2^-24.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sharetrack {

std::uint32_t crc24(const std::uint8_t* data, std::size_t size);

}  // namespace sharetrack
