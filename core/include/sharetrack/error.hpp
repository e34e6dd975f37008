// Errors as values: every way an input can be wrong has one ErrorCode. Nothing in core throws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sharetrack {

// The wire name of each code (errorCodeName) is stable: it is what the collector answers per
// event, what the widget counts in `dropped.rejected`, and what a ShareTrackError's `code` says.
enum class ErrorCode : std::uint8_t {
  // Share tokens.
  tokenLength,         // not the length its version has
  tokenAlphabet,       // a character outside A-Z a-z 0-9 - _
  tokenVersion,        // a format version this build does not know
  tokenCheck,          // the check value does not match: truncated, mistyped or mangled
  tokenDepth,          // the saturation flag is set but the depth is not the top of its range
  tokenChannel,        // the channel field names no known channel
  mintTimeOutOfRange,  // the clock is before 2024 or past the token's time range
  // URLs.
  urlMalformed,      // not an absolute URL of the form scheme://host/...
  urlScheme,         // a scheme other than http or https
  urlTooLong,        // longer than kMaxUrlLength
  paramNameInvalid,  // the token's query parameter name is empty or not URL-safe
  // Batches (wire protocol).
  batchTooLarge,       // the body is over kMaxBatchBytes
  batchNotJson,        // the body is not JSON
  unsupportedVersion,  // a protocol version this collector does not read
  fieldMissing,        // a required field is absent
  fieldType,           // a field has the wrong JSON type
  fieldLength,         // a string or list is too short or too long
  fieldCharset,        // a string has a character its field does not allow
  fieldRange,          // a number is out of its range
  tooManyEvents,       // more than kMaxEventsPerBatch events
  eventTypeUnknown,    // an event type this collector does not know
  channelUnknown,      // a channel name that is not one of the eight
  channelMismatch,     // a share event's channel differs from its token's
  depthMismatch,       // a share token's depth is not its parent's depth + 1
  // Collector answers and HTTP facts.
  answerMalformed,    // the collector's answer is not a protocol answer
  retryAfterInvalid,  // a Retry-After header that is neither delta-seconds nor an HTTP date
  // The engine.
  channelNotShareable,  // a share through the address bar (its token is minted on landing)
  contentInvalid,       // a content id outside 1-128 of A-Z a-z 0-9 - _ . ~ : /
  conversionInvalid,    // a conversion name or value outside the protocol's rules
  snapshotForeign,      // a stored snapshot of another kind, or not a snapshot at all
  snapshotVersion,      // a snapshot of a format version this build does not read
  snapshotCorrupt,      // a snapshot that is truncated or whose check value does not match
  notAllowed,           // tracking is off (a privacy signal, or no consent): nothing recorded
  // Collector refusals of a whole request (core/PROTOCOL.md, "Answer").
  siteUnknown,           // 403: the batch names a site the collector does not serve
  originNotAllowed,      // 403: the request's Origin is not one of the site's origins
  rateLimited,           // 429: this client posts faster than its site allows
  storageUnavailable,    // 503: the batch could not be stored; nothing was
  unauthorized,          // 401: a bearer token is missing or wrong
  notFound,              // 404
  methodNotAllowed,      // 405
  originMissing,         // 403: the site takes batches from browsers only, which send Origin
  lengthRequired,        // 411: a batch's body needs a Content-Length (no chunked or open-ended body)
  mediaTypeUnsupported,  // 415: a Content-Type or Content-Encoding the collector does not read
  headerTooLarge,        // 431: the request line and headers are over the limit
  requestInvalid,        // 400: not an HTTP request the collector takes (syntax, a body where none belongs)
  serverBusy,            // 503: too many requests at once; retry after Retry-After
  // The query API (collector/openapi.yaml).
  forbidden,             // 403: the bearer token is another site's
  rangeInvalid,          // 400: a time range that is not one (from after to, not whole milliseconds, too long)
  limitInvalid,          // 400: a row limit or node cap outside its range
  sortUnknown,           // 400: an order, audience or step the query does not know
  idInvalid,             // 400: a visitor, subscriber, content or cascade id that cannot be one
  parameterUnknown,      // 400: a query parameter the endpoint does not take (a typo?)
  // Shells.
  configInvalid,  // a configuration file or flag that cannot be used: the message says where
};

// One past the last code, for tables and tests.
inline constexpr int kErrorCodeCount = static_cast<int>(ErrorCode::configInvalid) + 1;

// The stable snake_case wire name, e.g. "token_check".
std::string_view errorCodeName(ErrorCode code);
std::optional<ErrorCode> errorCodeFromName(std::string_view name);

struct Error {
  ErrorCode code;
  std::string message;  // for people: names the field or position at fault
};

}  // namespace sharetrack
