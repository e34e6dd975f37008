#include "sharetrack/retry_after.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <string>

#include "sharetrack/protocol_limits.hpp"

namespace sharetrack {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t daysFromCivil(std::int64_t year, unsigned month, unsigned day) {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto yearOfEra = static_cast<unsigned>(year - era * 400);
  const unsigned dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
  return era * 146097 + static_cast<std::int64_t>(dayOfEra) - 719468;
}

std::optional<unsigned> digits(std::string_view text) {
  if (text.empty() || text.size() > 9) return std::nullopt;
  unsigned value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  return value;
}

// "Sun, 06 Nov 1994 08:49:37 GMT" (IMF-fixdate, the form RFC 9110 says senders use).
std::optional<std::int64_t> parseHttpDateMs(std::string_view text) {
  static constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (text.size() != 29 || text.substr(3, 2) != ", " || text.substr(25) != " GMT" || text[7] != ' ' ||
      text[11] != ' ' || text[16] != ' ' || text[19] != ':' || text[22] != ':') {
    return std::nullopt;
  }
  const auto day = digits(text.substr(5, 2));
  const auto year = digits(text.substr(12, 4));
  const auto hour = digits(text.substr(17, 2));
  const auto minute = digits(text.substr(20, 2));
  const auto second = digits(text.substr(23, 2));
  unsigned month = 0;
  while (month < 12 && kMonths[month] != text.substr(8, 3)) ++month;
  if (!day || !year || !hour || !minute || !second || month == 12 || *day < 1 || *day > 31 || *hour > 23 ||
      *minute > 59 || *second > 60) {
    return std::nullopt;
  }
  const std::int64_t days = daysFromCivil(*year, month + 1, *day);
  return ((days * 24 + *hour) * 60 + *minute) * 60000 + std::int64_t{*second} * 1000;
}

}  // namespace

Result<std::uint32_t> parseRetryAfter(std::string_view header, std::int64_t nowMs) {
  while (!header.empty() && (header.front() == ' ' || header.front() == '\t')) header.remove_prefix(1);
  while (!header.empty() && (header.back() == ' ' || header.back() == '\t')) header.remove_suffix(1);
  std::int64_t seconds = 0;
  const bool allDigits = !header.empty() && header.find_first_not_of("0123456789") == std::string_view::npos;
  if (allDigits) {
    seconds = header.size() > 9 ? kMaxRetryAfterSeconds : *digits(header);
  } else if (const auto dateMs = parseHttpDateMs(header)) {
    seconds = *dateMs > nowMs ? (*dateMs - nowMs + 999) / 1000 : 0;
  } else {
    return makeError(ErrorCode::retryAfterInvalid,
                     "Retry-After '" + std::string(header.substr(0, 64)) + "' is neither seconds nor an HTTP date");
  }
  return static_cast<std::uint32_t>(std::min<std::int64_t>(seconds, kMaxRetryAfterSeconds));
}

}  // namespace sharetrack
