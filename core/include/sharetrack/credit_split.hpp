// A conversion's value split up its token's chain in the halving proportions, normalised so the
// parts add up to exactly the value (DESIGN.md, "Scores": nothing is counted twice).
#pragma once

#include <cstdint>
#include <vector>

namespace sharetrack {

// Millionths of the conversion's unit: credits are integers, so they add up exactly and the sum
// is the same in whatever order conversions arrive.
inline constexpr std::int64_t kMicrosPerUnit = 1000000;

// `levels` parts (level 0 the token's minter) in proportion factor^level, summing to
// `valueMicros`; the remainder of rounding goes to the largest fractions, lowest level first.
std::vector<std::int64_t> splitCredit(std::int64_t valueMicros, std::size_t levels, double factor);

}  // namespace sharetrack
