// A site's scoring knobs (DESIGN.md, "Scores"), from the collector's sites file.
#pragma once

#include <cstdint>

#include "sharetrack/result.hpp"

namespace sharetrack {

inline constexpr int kMaxChainLevels = 32;

struct ScoreSettings {
  double chainFactor = 0.5;  // each level up the chain earns this share of the level below
  int chainLevels = 10;      // the token's minter is level 0; nobody above level chainLevels-1 earns
  std::int64_t attributionWindowMs = 7LL * 24 * 3600 * 1000;  // a conversion's clickback at most this old
  std::uint32_t burstLimit = 10;  // visitors through one token from one client key before the rest are suspicious
  double conversionWeight = 1;    // the value of a conversion reported without one
  // A clickback from the client key that registered its token (the sharer's own network) is
  // suspicious; a site whose visitors share one address (a demo on one machine, an office) can
  // turn that off.
  bool suspectSharerNetwork = true;
};

// chainFactor in (0, 1), chainLevels 1..kMaxChainLevels, a window of 1 ms to 365 days, a burst
// limit of at least 1, a conversion weight of 0 to 10^12: configInvalid naming the knob otherwise.
Status validateScoreSettings(const ScoreSettings& settings);

}  // namespace sharetrack
