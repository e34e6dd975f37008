#include "sharetrack/token.hpp"

#include <array>

#include "sharetrack/base64url.hpp"
#include "sharetrack/crc24.hpp"

namespace sharetrack {
namespace {

// The header's fields, from the bottom: mint hour 22 bits, depth 5, saturated 1, channel 4, version 6.
constexpr int kDepthShift = 22;
constexpr int kSaturatedShift = kDepthShift + 5;
constexpr int kChannelShift = kSaturatedShift + 1;
constexpr int kVersionShift = kChannelShift + 4;
constexpr int kHeaderBits = kVersionShift + 6;
constexpr int kIdBits = 64;
constexpr int kCheckBits = 24;
static_assert(kHeaderBits + kIdBits + kCheckBits == 6 * static_cast<int>(kTokenLength));
static_assert(kMaxMintHour == (1u << kDepthShift) - 1 && kMaxTokenDepth == 31, "the fields fill their bits");
constexpr int kHeaderShift = 64 - kHeaderBits;                  // the header's place at the top of a word
constexpr int kPadBits = 128 - 6 * static_cast<int>(kTokenLength);  // two words hold 128 bits
constexpr std::uint64_t kCheckMask = (std::uint64_t{1} << kCheckBits) - 1;

// The token's 126 bits, most significant first, in two words: bits 0-63 in `high`, bits 64-125
// at the top of `low` (its last two bits zero). Whole words rather than a bit at a time.
struct TokenBits {
  std::uint64_t high = 0;
  std::uint64_t low = 0;

  TokenBits() = default;
  TokenBits(std::uint64_t header, std::uint64_t id, std::uint32_t check)
      : high((header << kHeaderShift) | (id >> kHeaderBits)),
        low((id << kHeaderShift) | (std::uint64_t{check} << kPadBits)) {}

  std::uint64_t header() const { return high >> kHeaderShift; }
  std::uint64_t id() const { return (high << kHeaderBits) | (low >> kHeaderShift); }
  std::uint32_t check() const { return static_cast<std::uint32_t>((low >> kPadBits) & kCheckMask); }

  // Shifts all bits left by six, `in` entering at the bottom; returns the six that leave the top.
  unsigned shiftSix(unsigned in) {
    const auto out = static_cast<unsigned>(high >> 58);
    high = (high << 6) | (low >> 58);
    low = (low << 6) | in;
    return out;
  }

  // CRC-24 of the payload (all but the check value), read as 13 bytes whose last two bits are zero.
  std::uint32_t payloadCheck() const {
    std::array<std::uint8_t, 13> payload{};
    const std::uint64_t payloadLow = low & ~(kCheckMask << kPadBits);
    for (int i = 0; i < 8; ++i) payload[i] = static_cast<std::uint8_t>(high >> (56 - 8 * i));
    for (int i = 0; i < 5; ++i) payload[8 + i] = static_cast<std::uint8_t>(payloadLow >> (56 - 8 * i));
    return crc24(payload.data(), payload.size());
  }
};

Error tokenError(ErrorCode code, const std::string& what) { return makeError(code, "share token: " + what); }

}  // namespace

bool ShareToken::operator==(const ShareToken& other) const {
  return id == other.id && channel == other.channel && depth == other.depth && depthSaturated == other.depthSaturated &&
         mintHour == other.mintHour;
}

TokenDepth childDepth(const ShareToken& parent) {
  if (parent.depth >= kMaxTokenDepth) return {static_cast<std::uint8_t>(kMaxTokenDepth), true};
  return {static_cast<std::uint8_t>(parent.depth + 1), false};
}

Result<ShareToken> mintToken(std::uint64_t randomId, std::int64_t nowMs, Channel channel,
                             const std::optional<ShareToken>& parent) {
  if (nowMs < kTokenEpochMs || (nowMs - kTokenEpochMs) / 3600000 > kMaxMintHour) {
    return tokenError(ErrorCode::mintTimeOutOfRange,
                      "the clock (" + std::to_string(nowMs) + " ms) is outside the token's time range");
  }
  ShareToken token;
  token.id = randomId;
  token.channel = channel;
  token.mintHour = static_cast<std::uint32_t>((nowMs - kTokenEpochMs) / 3600000);
  if (parent) {
    const TokenDepth depth = childDepth(*parent);
    token.depth = depth.depth;
    token.depthSaturated = depth.saturated;
  }
  return token;
}

std::string formatToken(const ShareToken& token) {
  const std::uint64_t header = (std::uint64_t{kTokenVersion} << kVersionShift) |
                               (std::uint64_t{static_cast<unsigned>(token.channel) & 15u} << kChannelShift) |
                               (std::uint64_t{token.depthSaturated} << kSaturatedShift) |
                               (std::uint64_t{token.depth & 31u} << kDepthShift) | (token.mintHour & kMaxMintHour);
  TokenBits bits(header, token.id, 0);
  bits = TokenBits(header, token.id, bits.payloadCheck());
  std::string text(kTokenLength, '\0');
  for (char& c : text) c = kBase64UrlAlphabet[bits.shiftSix(0)];
  return text;
}

Result<ShareToken> parseToken(std::string_view text) {
  if (text.empty()) return tokenError(ErrorCode::tokenLength, "empty");
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (base64UrlValue(text[i]) < 0) {
      return tokenError(ErrorCode::tokenAlphabet, "character " + std::to_string(i + 1) + " is not URL-safe base64");
    }
  }
  const auto version = static_cast<unsigned>(base64UrlValue(text[0]));
  if (version != kTokenVersion) {
    return tokenError(ErrorCode::tokenVersion, "version " + std::to_string(version) + " is not known here");
  }
  if (text.size() != kTokenLength) {
    return tokenError(ErrorCode::tokenLength,
                      std::to_string(text.size()) + " characters instead of " + std::to_string(kTokenLength));
  }
  TokenBits bits;
  for (char c : text) bits.shiftSix(static_cast<unsigned>(base64UrlValue(c)));
  bits.high = (bits.high << kPadBits) | (bits.low >> (64 - kPadBits));  // 126 bits came in: up to the top
  bits.low <<= kPadBits;
  const std::uint64_t header = bits.header();
  const auto channelIndex = static_cast<unsigned>((header >> kChannelShift) & 15);
  const bool saturated = (header >> kSaturatedShift) & 1;
  const auto depth = static_cast<std::uint8_t>((header >> kDepthShift) & 31);
  const auto mintHour = static_cast<std::uint32_t>(header & kMaxMintHour);
  const std::uint64_t id = bits.id();
  if (bits.check() != bits.payloadCheck()) {
    return tokenError(ErrorCode::tokenCheck, "the check value does not match (truncated or mistyped?)");
  }
  const std::optional<Channel> channel = channelFromIndex(channelIndex);
  if (!channel) return tokenError(ErrorCode::tokenChannel, "channel " + std::to_string(channelIndex) + " is unknown");
  if (saturated && depth != kMaxTokenDepth) {
    return tokenError(ErrorCode::tokenDepth, "saturated depth must be " + std::to_string(kMaxTokenDepth));
  }
  ShareToken token;
  token.id = id;
  token.channel = *channel;
  token.depth = depth;
  token.depthSaturated = saturated;
  token.mintHour = mintHour;
  return token;
}

}  // namespace sharetrack
