#include "bearer_token.hpp"

#include <sodium.h>

#include <array>

namespace sharetrack::collector {
namespace {

using Digest = std::array<unsigned char, crypto_generichash_BYTES>;

Digest digestOf(std::string_view text) {
  Digest digest{};
  crypto_generichash(digest.data(), digest.size(), reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                     nullptr, 0);
  return digest;
}

}  // namespace

bool bearerTokenMatches(std::string_view authorizationHeader, const std::vector<std::string>& tokens) {
  constexpr std::string_view kBearer = "Bearer ";
  if (authorizationHeader.substr(0, kBearer.size()) != kBearer) return false;
  const Digest presented = digestOf(authorizationHeader.substr(kBearer.size()));
  bool match = false;
  for (const std::string& token : tokens) {
    const Digest expected = digestOf(token);
    match = (sodium_memcmp(presented.data(), expected.data(), presented.size()) == 0) || match;
  }
  return match;
}

}  // namespace sharetrack::collector
