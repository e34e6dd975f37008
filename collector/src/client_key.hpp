// A key for "the same client" that is not its IP address: a keyed hash (SipHash-2-4, libsodium's
// crypto_shorthash) of the address and the day, under a secret drawn when the collector starts.
// It rotates daily, and no one can reverse it or link two days, so it may be kept in memory and
// logs; the IP never is.
#pragma once

#include <sodium.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace sharetrack::collector {

using ClientKeySecret = std::array<unsigned char, crypto_shorthash_KEYBYTES>;

// A fresh random secret (libsodium's randombytes_buf); sodium_init() must have run.
ClientKeySecret randomClientKeySecret();

class ClientKeys {
 public:
  explicit ClientKeys(const ClientKeySecret& secret) : secret_(secret) {}
  // 16 hex digits, the same for one address all through one UTC day.
  std::string keyFor(std::string_view ipAddress, std::int64_t nowMs) const;

 private:
  ClientKeySecret secret_;
};

}  // namespace sharetrack::collector
