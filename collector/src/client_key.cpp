#include "client_key.hpp"

namespace sharetrack::collector {
namespace {

constexpr std::int64_t kDayMs = 86400000;
constexpr std::int64_t kAskAgainMs = 60000;

}  // namespace

ClientKeySecret randomClientKeySecret() {
  ClientKeySecret secret{};
  randombytes_buf(secret.data(), secret.size());
  return secret;
}

ClientKeySecret ClientKeys::secretFor(std::int64_t day, std::int64_t nowMs) const {
  if (!shared_) return own_;
  std::lock_guard lock(mutex_);
  if (const auto known = sharedDays_.find(day); known != sharedDays_.end()) return known->second;
  if (nowMs < askAgainAtMs_) return own_;
  const std::optional<ClientKeySecret> shared = shared_(day);
  if (!shared) {
    askAgainAtMs_ = nowMs + kAskAgainMs;
    return own_;
  }
  sharedDays_.erase(sharedDays_.begin(), sharedDays_.lower_bound(day - 1));
  sharedDays_.emplace(day, *shared);
  return *shared;
}

std::string ClientKeys::keyFor(std::string_view ipAddress, std::int64_t nowMs) const {
  const std::int64_t day = nowMs / kDayMs;
  const ClientKeySecret secret = secretFor(day, nowMs);
  const std::string message = std::to_string(day) + "|" + std::string(ipAddress);
  std::array<unsigned char, crypto_shorthash_BYTES> hash{};
  crypto_shorthash(hash.data(), reinterpret_cast<const unsigned char*>(message.data()), message.size(), secret.data());
  std::string hex(2 * hash.size() + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), hash.data(), hash.size());
  hex.pop_back();
  return hex;
}

}  // namespace sharetrack::collector
