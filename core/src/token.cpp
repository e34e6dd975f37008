#include "sharetrack/token.hpp"

#include <array>

#include "sharetrack/base64url.hpp"
#include "sharetrack/crc24.hpp"

namespace sharetrack {
namespace {

constexpr int kPayloadBits = 6 + 4 + 1 + 5 + 22 + 64;  // everything but the check value
constexpr int kCheckBits = 24;
static_assert(kPayloadBits + kCheckBits == 6 * static_cast<int>(kTokenLength));

// A big-endian bit string of the token's 126 bits.
class TokenBits {
 public:
  void put(std::uint64_t value, int width) {
    for (int i = width - 1; i >= 0; --i) {
      if ((value >> i) & 1u) bytes_[cursor_ / 8] |= static_cast<std::uint8_t>(0x80u >> (cursor_ % 8));
      ++cursor_;
    }
  }
  std::uint64_t take(int width) {
    std::uint64_t value = 0;
    for (int i = 0; i < width; ++i) {
      value = (value << 1) | ((bytes_[cursor_ / 8] >> (7 - cursor_ % 8)) & 1u);
      ++cursor_;
    }
    return value;
  }
  // CRC-24 of the payload bits, read as 13 bytes whose last two bits are zero.
  std::uint32_t payloadCheck() const {
    std::array<std::uint8_t, 13> payload{};
    for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = bytes_[i];
    payload[12] &= 0xFCu;  // bits 102 and 103 belong to the check value
    return crc24(payload.data(), payload.size());
  }
  void rewind() { cursor_ = 0; }

 private:
  std::array<std::uint8_t, 16> bytes_{};
  int cursor_ = 0;
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
  TokenBits bits;
  bits.put(kTokenVersion, 6);
  bits.put(static_cast<unsigned>(token.channel), 4);
  bits.put(token.depthSaturated ? 1 : 0, 1);
  bits.put(token.depth, 5);
  bits.put(token.mintHour, 22);
  bits.put(token.id, 64);
  bits.put(bits.payloadCheck(), kCheckBits);
  bits.rewind();
  std::string text(kTokenLength, '\0');
  for (char& c : text) c = kBase64UrlAlphabet[bits.take(6)];
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
  for (char c : text) bits.put(static_cast<std::uint64_t>(base64UrlValue(c)), 6);
  const std::uint32_t expectedCheck = bits.payloadCheck();
  bits.rewind();
  bits.take(6);  // version, read above
  const auto channelIndex = static_cast<unsigned>(bits.take(4));
  const bool saturated = bits.take(1) == 1;
  const auto depth = static_cast<std::uint8_t>(bits.take(5));
  const auto mintHour = static_cast<std::uint32_t>(bits.take(22));
  const std::uint64_t id = bits.take(64);
  if (bits.take(kCheckBits) != expectedCheck) {
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
