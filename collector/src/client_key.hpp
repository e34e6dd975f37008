// A key for "the same client" that is not its IP address: a keyed hash (SipHash-2-4) of the
// address and the day, under a secret drawn when the collector starts. It rotates daily, and no
// one can reverse it or link two days, so it may be kept in memory and logs; the IP never is.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace sharetrack::collector {

std::uint64_t sipHash24(const std::array<std::uint8_t, 16>& key, std::string_view data);

class ClientKeys {
 public:
  explicit ClientKeys(const std::array<std::uint8_t, 16>& secret) : secret_(secret) {}
  // 16 hex digits, the same for one address all through one UTC day.
  std::string keyFor(std::string_view ipAddress, std::int64_t nowMs) const;

 private:
  std::array<std::uint8_t, 16> secret_;
};

}  // namespace sharetrack::collector
