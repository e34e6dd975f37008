// The engine's source of ids and jitter: xoshiro256** seeded by the shell with random bytes
// (crypto.getRandomValues in the browser), so core has no randomness of its own and tests can
// replay any run from its seed.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace sharetrack {

using Seed = std::array<std::uint64_t, 4>;

class Rng {
 public:
  explicit Rng(const Seed& seed);

  std::uint64_t next();
  double unit();  // uniform in [0, 1)
  // `length` characters of base64url: ids for events, batches and page views.
  std::string id(std::size_t length);
  // 128 random bits as 32 lowercase hex digits: a visitor id.
  std::string hex128();

 private:
  std::array<std::uint64_t, 4> state_;
};

}  // namespace sharetrack
