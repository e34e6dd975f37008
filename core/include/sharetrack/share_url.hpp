// Share tokens in URLs: written into the link a visitor shares, read and removed on landing.
// The token rides in a query parameter (default "st"); every other parameter is kept byte for
// byte and in order, and so is the fragment.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "sharetrack/channel.hpp"
#include "sharetrack/result.hpp"

namespace sharetrack {

inline constexpr std::size_t kMaxUrlLength = 4096;
inline constexpr std::string_view kDefaultTokenParam = "st";
inline constexpr std::size_t kMaxParamNameLength = 32;

// A query parameter name the engine may use (the token's, the subscriber's): 1-32 characters of
// A-Z a-z 0-9 . _ ~ -, so it needs no percent-encoding. Else paramNameInvalid.
Status validateParamName(std::string_view name);

struct ShareUrlOptions {
  std::string tokenParam{kDefaultTokenParam};  // 1-32 characters of A-Z a-z 0-9 . _ ~ -
  // When set, utm_source=<channel> and utm_medium=share replace any the page URL had, and
  // utm_campaign=<utmCampaign> replaces the page's own when utmCampaign is not empty.
  bool utm = false;
  std::string utmCampaign;
};

// `pageUrl` with `token` as its token parameter, replacing any token already there (an empty
// `token` only removes them: the link of a visitor who is not tracked). Fails with
// urlMalformed, urlScheme (only http and https), urlTooLong or paramNameInvalid.
Result<std::string> shareUrl(std::string_view pageUrl, std::string_view token, Channel channel,
                             const ShareUrlOptions& options);

struct LandingUrl {
  std::string urlWithoutToken;       // what the address bar should show before a new token
  std::optional<std::string> token;  // the first non-empty token parameter, percent-decoded, unparsed
};

// Reads the token parameter of a landing URL and removes every occurrence of it.
Result<LandingUrl> readLandingUrl(std::string_view url, std::string_view tokenParam);

}  // namespace sharetrack
