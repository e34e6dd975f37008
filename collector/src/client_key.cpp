#include "client_key.hpp"

namespace sharetrack::collector {

ClientKeySecret randomClientKeySecret() {
  ClientKeySecret secret{};
  randombytes_buf(secret.data(), secret.size());
  return secret;
}

std::string ClientKeys::keyFor(std::string_view ipAddress, std::int64_t nowMs) const {
  const std::string message = std::to_string(nowMs / 86400000) + "|" + std::string(ipAddress);
  std::array<unsigned char, crypto_shorthash_BYTES> hash{};
  crypto_shorthash(hash.data(), reinterpret_cast<const unsigned char*>(message.data()), message.size(), secret_.data());
  std::string hex(2 * hash.size() + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), hash.data(), hash.size());
  hex.pop_back();
  return hex;
}

}  // namespace sharetrack::collector
