#include "sharetrack/score_settings.hpp"

#include <cmath>
#include <string>

namespace sharetrack {

Status validateScoreSettings(const ScoreSettings& s) {
  const auto invalid = [](const char* knob, const char* rule) {
    return makeError(ErrorCode::configInvalid, std::string(knob) + ": " + rule);
  };
  if (!(s.chainFactor > 0 && s.chainFactor < 1)) return invalid("chainFactor", "a number between 0 and 1, exclusive");
  if (s.chainLevels < 1 || s.chainLevels > kMaxChainLevels) return invalid("chainLevels", "an integer from 1 to 32");
  if (s.attributionWindowMs < 1 || s.attributionWindowMs > 365LL * 24 * 3600 * 1000) {
    return invalid("attributionWindowMs", "from 1 ms to 365 days");
  }
  if (s.burstLimit < 1) return invalid("burstLimit", "at least 1");
  if (!(s.conversionWeight >= 0 && s.conversionWeight <= 1e12)) return invalid("conversionWeight", "from 0 to 10^12");
  return {};
}

}  // namespace sharetrack
