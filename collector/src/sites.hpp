// The sites file: which sites the collector serves, from which origins, how fast a client may
// post, what a conversion weighs, and who may read the data. Bad configuration is refused at
// start with a message naming the file, the line and the field.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "rate_limiter.hpp"
#include "sharetrack/result.hpp"
#include "sharetrack/score_settings.hpp"

namespace sharetrack::collector {

struct Site {
  std::string id;
  std::vector<std::string> origins;  // "https://www.brand.example", exact
  RateLimit rateLimit;
  ScoreSettings scoring;                  // the chain's halving, attribution, bursts, conversion weight
  double maxConversionValue = 1e6;        // a conversion worth more is refused (either sign)
  bool requireOrigin = true;              // batches must come from a browser, which sends Origin
  std::vector<std::string> accessTokens;  // bearer tokens for this site's query API
};

struct SitesConfig {
  std::vector<Site> sites;
  std::vector<std::string> accessTokens;  // bearer tokens for the collector-wide endpoints (/metrics)

  const Site* find(std::string_view id) const;
  bool originAllowedAnywhere(std::string_view origin) const;
  // The most any site lets one client post: applied to every batch before its site is read.
  RateLimit loosestRateLimit() const;
};

Result<SitesConfig> parseSites(std::string_view text, std::string_view fileName);

}  // namespace sharetrack::collector
