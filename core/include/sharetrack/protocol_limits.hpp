// Wire protocol v1 limits (core/PROTOCOL.md), shared by the widget, which stays under them, and
// the collector, which rejects what goes over them with a typed error.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sharetrack {

inline constexpr int kProtocolVersion = 1;        // what this build writes
inline constexpr int kOldestReadableVersion = 1;  // the oldest a collector of this build reads

inline constexpr std::size_t kMaxBatchBytes = 60 * 1024;        // any batch body
inline constexpr std::size_t kMaxUnloadBatchBytes = 16 * 1024;  // a batch sent as the page hides
inline constexpr std::size_t kMaxEventsPerBatch = 200;

inline constexpr std::size_t kMinIdLength = 8;  // event, batch and page-view ids: base64url
inline constexpr std::size_t kMaxIdLength = 64;
inline constexpr std::size_t kVisitorIdLength = 32;          // 128 bits as lowercase hex
inline constexpr std::size_t kMaxSiteIdLength = 64;          // a-z 0-9 _ -
inline constexpr std::size_t kMaxContentIdLength = 128;      // A-Z a-z 0-9 . _ ~ : / -
inline constexpr std::size_t kMaxSubscriberIdLength = 128;   // A-Z a-z 0-9 . _ ~ : -
inline constexpr std::size_t kMaxConversionNameLength = 64;  // A-Z a-z 0-9 . _ : -
inline constexpr std::size_t kMaxCodeLength = 64;            // error codes: a-z 0-9 _
inline constexpr std::size_t kMaxRejectedCodes = 32;         // distinct codes in dropped.rejected
inline constexpr std::size_t kMaxMessageLength = 512;        // a refusal's human message

inline constexpr std::int64_t kMaxTimeMs = std::int64_t{1} << 53;  // exact in a JS number
inline constexpr std::uint32_t kMaxCount = 1000000000;             // any counter or duration in ms
// A summary's sequence number: one a second would take 28 hours to reach it, so a page view never
// does, and a forged one cannot run far ahead.
inline constexpr std::uint32_t kMaxSummarySeq = 100000;
// How far ahead of the collector's clock a client's may run: a token minted later than this is forged.
inline constexpr std::int64_t kMaxClockSkewMs = 2 * 3600 * 1000;
inline constexpr double kMaxConversionValue = 1e12;
inline constexpr std::uint32_t kMaxRetryAfterSeconds = 86400;

}  // namespace sharetrack
