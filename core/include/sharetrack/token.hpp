// Share tokens (DESIGN.md, "Words"): 21 URL-safe characters minted locally from injected random
// bits and time, so sharing works offline and at once. Layout, most significant bit first:
//
//   version 6 | channel 4 | depth saturated 1 | depth 5 | mint hour 22 | id 64 | CRC-24 24
//
// 126 bits, 6 per character of the base64url alphabet. The first character is the version
// alone ('B' for version 1), so a reader can tell a future format before anything else.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sharetrack/channel.hpp"
#include "sharetrack/result.hpp"

namespace sharetrack {

inline constexpr unsigned kTokenVersion = 1;
inline constexpr std::size_t kTokenLength = 21;
inline constexpr unsigned kMaxTokenDepth = 31;
inline constexpr std::int64_t kTokenEpochMs = 1704067200000;   // 2024-01-01T00:00:00Z
inline constexpr std::uint32_t kMaxMintHour = (1u << 22) - 1;  // about 478 years on

struct ShareToken {
  std::uint64_t id = 0;  // random: tells tokens apart, says nothing of anyone
  Channel channel = Channel::native;
  std::uint8_t depth = 0;       // hops from the cascade's root: 0 for a first share
  bool depthSaturated = false;  // depth is kMaxTokenDepth and the true depth is larger
  std::uint32_t mintHour = 0;   // whole hours since kTokenEpochMs: coarse on purpose

  std::int64_t mintTimeMs() const { return kTokenEpochMs + std::int64_t{mintHour} * 3600000; }
  bool operator==(const ShareToken& other) const;
  bool operator!=(const ShareToken& other) const { return !(*this == other); }
};

// The depth a child of `parent` carries: parent + 1, saturating at kMaxTokenDepth and flagged.
struct TokenDepth {
  std::uint8_t depth;
  bool saturated;
};
TokenDepth childDepth(const ShareToken& parent);

// A token for a share made at `nowMs` (Unix milliseconds) through `channel`, the child of
// `parent` when the visitor arrived through one. Fails only with mintTimeOutOfRange.
Result<ShareToken> mintToken(std::uint64_t randomId, std::int64_t nowMs, Channel channel,
                             const std::optional<ShareToken>& parent);

std::string formatToken(const ShareToken& token);

// Checks, in this order: alphabet, version, length, check value, channel, depth; the error
// names the first that fails.
Result<ShareToken> parseToken(std::string_view text);

}  // namespace sharetrack
