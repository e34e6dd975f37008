// The HTTP Retry-After header (RFC 9110 §10.2.3), as the engine reads it from a 429 or 503.
#pragma once

#include <cstdint>
#include <string_view>

#include "sharetrack/result.hpp"

namespace sharetrack {

// A Retry-After header value, as delta-seconds or an HTTP date, in seconds from `nowMs`; a date
// in the past gives 0, anything over kMaxRetryAfterSeconds is clamped. Anything else fails with
// retryAfterInvalid.
Result<std::uint32_t> parseRetryAfter(std::string_view header, std::int64_t nowMs);

}  // namespace sharetrack
