// What every fuzz target shares: the input as text, and a check that stops the run with a message
// (libFuzzer then saves the input that broke it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace sharetrack::fuzz {

inline std::string_view textOf(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

[[noreturn]] inline void broken(const char* what, const char* file, int line) {
  std::fprintf(stderr, "%s:%d: property broken: %s\n", file, line, what);
  std::abort();
}

}  // namespace sharetrack::fuzz

#define FUZZ_REQUIRE(condition) \
  ((condition) ? void(0) : ::sharetrack::fuzz::broken(#condition, __FILE__, __LINE__))
