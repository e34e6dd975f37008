// A seeded generator whose sequence is the same under libstdc++ (native) and libc++ (wasm),
// unlike std::uniform_int_distribution, so both runs test the very same inputs.
#pragma once

#include <cstdint>
#include <string>

namespace sharetrack::test {

class TestRandom {
 public:
  explicit TestRandom(std::uint64_t seed) : state_(seed) {}

  // SplitMix64 (Steele, Lea, Flood 2014).
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform enough below small bounds; a test generator, not a sampler.
  std::uint64_t below(std::uint64_t bound) { return next() % bound; }
  bool chance(unsigned percent) { return below(100) < percent; }
  std::string text(std::string_view alphabet, std::size_t minLength, std::size_t maxLength) {
    std::string out(minLength + below(maxLength - minLength + 1), ' ');
    for (char& c : out) c = alphabet[below(alphabet.size())];
    return out;
  }

 private:
  std::uint64_t state_;
};

}  // namespace sharetrack::test
