#include "sharetrack/rng.hpp"

#include "sharetrack/base64url.hpp"

namespace sharetrack {
namespace {

std::uint64_t rotateLeft(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

// SplitMix64 spreads the seed words so that a weak seed (all zero, say) still starts well.
std::uint64_t splitMix(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace

Rng::Rng(const Seed& seed) {
  std::uint64_t mix = 0;
  for (std::uint64_t word : seed) {  // every seed word reaches every state word
    mix ^= word;
    mix = splitMix(mix);
  }
  for (auto& word : state_) word = splitMix(mix);
}

std::uint64_t Rng::next() {
  const std::uint64_t result = rotateLeft(state_[1] * 5, 7) * 9;
  const std::uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = rotateLeft(state_[3], 45);
  return result;
}

double Rng::unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

std::string Rng::id(std::size_t length) {
  std::string out(length, 'A');
  std::uint64_t bits = 0;
  int available = 0;
  for (char& c : out) {
    if (available < 6) {
      bits = next();
      available = 64;
    }
    c = kBase64UrlAlphabet[bits & 63];
    bits >>= 6;
    available -= 6;
  }
  return out;
}

std::string Rng::hex128() {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(32, '0');
  for (int half = 0; half < 2; ++half) {
    std::uint64_t bits = next();
    for (int i = 0; i < 16; ++i, bits >>= 4) out[half * 16 + i] = kHex[bits & 15];
  }
  return out;
}

}  // namespace sharetrack
