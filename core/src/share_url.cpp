#include "sharetrack/share_url.hpp"

#include <vector>

namespace sharetrack {
namespace {

// An absolute http(s) URL cut at its delimiters; the query is kept as raw "a=b" pieces.
struct UrlParts {
  std::string_view head;  // scheme://authority/path
  std::vector<std::string_view> query;
  std::optional<std::string_view> fragment;  // without '#'
};

bool isUnreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

Result<UrlParts> splitUrl(std::string_view url) {
  if (url.size() > kMaxUrlLength) {
    return makeError(ErrorCode::urlTooLong, "URL of " + std::to_string(url.size()) + " characters (at most " +
                                                std::to_string(kMaxUrlLength) + ")");
  }
  for (std::size_t i = 0; i < url.size(); ++i) {
    const auto c = static_cast<unsigned char>(url[i]);
    if (c <= 0x20 || c >= 0x7f) {
      return makeError(ErrorCode::urlMalformed,
                       "URL character " + std::to_string(i + 1) + " is a space, control or non-ASCII character");
    }
  }
  const std::size_t schemeEnd = url.find("://");
  if (schemeEnd == std::string_view::npos || schemeEnd == 0) {
    return makeError(ErrorCode::urlMalformed, "URL has no scheme://");
  }
  const std::string_view scheme = url.substr(0, schemeEnd);
  for (char c : scheme) {
    const bool schemeChar =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
    if (!schemeChar) return makeError(ErrorCode::urlMalformed, "URL scheme has a character it cannot have");
  }
  if (!equalsIgnoringCase(scheme, "http") && !equalsIgnoringCase(scheme, "https")) {
    return makeError(ErrorCode::urlScheme, "URL scheme '" + std::string(scheme) + "' is not http or https");
  }
  const std::size_t authorityStart = schemeEnd + 3;
  const std::size_t authorityEnd = url.find_first_of("/?#", authorityStart);
  if (authorityEnd == authorityStart || authorityStart == url.size()) {
    return makeError(ErrorCode::urlMalformed, "URL has no host");
  }

  UrlParts parts;
  const std::size_t hash = url.find('#');
  if (hash != std::string_view::npos) parts.fragment = url.substr(hash + 1);
  const std::string_view beforeFragment = url.substr(0, hash);
  const std::size_t question = beforeFragment.find('?');
  parts.head = beforeFragment.substr(0, question);
  if (question != std::string_view::npos) {
    std::string_view query = beforeFragment.substr(question + 1);
    while (!query.empty()) {
      const std::size_t amp = query.find('&');
      const std::string_view piece = query.substr(0, amp);
      if (!piece.empty()) parts.query.push_back(piece);
      if (amp == std::string_view::npos) break;
      query.remove_prefix(amp + 1);
    }
  }
  return parts;
}

std::string_view paramName(std::string_view piece) { return piece.substr(0, piece.find('=')); }

std::string_view paramValue(std::string_view piece) {
  const std::size_t eq = piece.find('=');
  return eq == std::string_view::npos ? std::string_view{} : piece.substr(eq + 1);
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// %XX sequences decoded, '+' kept (tokens never contain it); a broken escape stays as it is.
std::string percentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hexValue(text[i + 1]) >= 0 && hexValue(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hexValue(text[i + 1]) * 16 + hexValue(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::string percentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    if (isUnreserved(c)) {
      out.push_back(c);
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out += {'%', kHex[byte >> 4], kHex[byte & 15]};
    }
  }
  return out;
}

std::string joinUrl(const UrlParts& parts, const std::vector<std::string>& added) {
  std::string url(parts.head);
  char separator = '?';
  for (std::string_view piece : parts.query) {
    url += separator;
    url += piece;
    separator = '&';
  }
  for (const std::string& piece : added) {
    url += separator;
    url += piece;
    separator = '&';
  }
  if (parts.fragment) {
    url += '#';
    url += *parts.fragment;
  }
  return url;
}

template <typename Predicate>
void removeParams(UrlParts& parts, Predicate shouldRemove) {
  std::vector<std::string_view> kept;
  for (std::string_view piece : parts.query) {
    if (!shouldRemove(percentDecode(paramName(piece)))) kept.push_back(piece);
  }
  parts.query = std::move(kept);
}

}  // namespace

Status validateParamName(std::string_view name) {
  bool valid = !name.empty() && name.size() <= kMaxParamNameLength;
  for (char c : name) valid = valid && isUnreserved(c);
  if (!valid) {
    return makeError(ErrorCode::paramNameInvalid, "parameter name '" + std::string(name.substr(0, 64)) +
                                                      "' must be 1-32 characters of A-Z a-z 0-9 . _ ~ -");
  }
  return {};
}

Result<std::string> shareUrl(std::string_view pageUrl, std::string_view token, Channel channel,
                             const ShareUrlOptions& options) {
  SHARETRACK_RETURN_IF_ERROR(validateParamName(options.tokenParam));
  auto split = splitUrl(pageUrl);
  if (!split) return split.error();
  UrlParts parts = std::move(split).value();

  const bool replaceCampaign = options.utm && !options.utmCampaign.empty();
  removeParams(parts, [&](const std::string& name) {
    if (name == options.tokenParam) return true;
    if (!options.utm) return false;
    return name == "utm_source" || name == "utm_medium" || (replaceCampaign && name == "utm_campaign");
  });

  std::vector<std::string> added;
  if (options.utm) {
    added.push_back("utm_source=" + std::string(channelName(channel)));
    added.push_back("utm_medium=share");
    if (replaceCampaign) added.push_back("utm_campaign=" + percentEncode(options.utmCampaign));
  }
  if (!token.empty()) added.push_back(options.tokenParam + "=" + percentEncode(token));
  std::string url = joinUrl(parts, added);
  if (url.size() > kMaxUrlLength) {
    return makeError(ErrorCode::urlTooLong, "share URL would be " + std::to_string(url.size()) +
                                                " characters (at most " + std::to_string(kMaxUrlLength) + ")");
  }
  return url;
}

Result<LandingUrl> readLandingUrl(std::string_view url, std::string_view tokenParam) {
  SHARETRACK_RETURN_IF_ERROR(validateParamName(tokenParam));
  auto split = splitUrl(url);
  if (!split) return split.error();
  UrlParts parts = std::move(split).value();

  LandingUrl landing;
  for (std::string_view piece : parts.query) {
    if (percentDecode(paramName(piece)) == tokenParam && !paramValue(piece).empty()) {
      landing.token = percentDecode(paramValue(piece));
      break;
    }
  }
  removeParams(parts, [&](const std::string& name) { return name == tokenParam; });
  landing.urlWithoutToken = joinUrl(parts, {});
  return landing;
}

}  // namespace sharetrack
