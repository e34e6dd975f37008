// The sites file: which sites the collector serves, from which origins, how fast a client may
// post, what a conversion weighs, and who may read the data. Bad configuration is refused at
// start with a message naming the file, the line and the field.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sharetrack/result.hpp"

namespace sharetrack::collector {

struct RateLimit {
  double batchesPerSecond = 10;  // refill of one client's token bucket
  double burst = 40;             // its size
};

struct Site {
  std::string id;
  std::vector<std::string> origins;  // "https://www.brand.example", exact
  RateLimit rateLimit;
  double conversionWeight = 1.0;          // what a conversion earns up the sharing chain
  std::vector<std::string> accessTokens;  // bearer tokens for this site's query API
};

struct SitesConfig {
  std::vector<Site> sites;
  std::vector<std::string> accessTokens;  // bearer tokens for the collector-wide endpoints (/metrics)

  const Site* find(std::string_view id) const;
  bool originAllowedAnywhere(std::string_view origin) const;
};

Result<SitesConfig> parseSites(std::string_view text, std::string_view fileName);

}  // namespace sharetrack::collector
