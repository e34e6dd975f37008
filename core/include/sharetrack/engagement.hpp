// Counts kept per content and hour (DESIGN.md, "Scores", "Per content"), and the rates derived
// from them. Counts move by +1 and -1 as facts arrive or are superseded, so they are signed.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "sharetrack/channel.hpp"
#include "sharetrack/verdict.hpp"

namespace sharetrack {

struct EngagementCounts {
  std::int64_t rendered = 0;            // summaries: one per page view and content
  std::int64_t viewable = 0;            // of those, with a viewable impression
  std::int64_t pageViewsWithShare = 0;  // of those, with a share
  std::int64_t dwellMs = 0;             // active dwell, in all
  std::int64_t videoStarts = 0;
  std::array<std::int64_t, 4> videoQuartiles{};  // page views that reached 25, 50, 75, 100 %
  std::int64_t botPageViews = 0;                 // summaries from a bot's request, not counted above
  std::array<std::int64_t, kChannelCount> shares{};      // share events
  std::int64_t reshares = 0;                              // of those, by visitors who arrived through a share
  std::array<std::int64_t, kChannelCount> clickbacks{};  // counted clickbacks, by the token's channel
  std::array<std::int64_t, kVerdictCount> verdicts{};    // every clickback's verdict
  std::int64_t sharers = 0;   // visitors who shared this content, at their first share
  std::int64_t arrivals = 0;  // visitors who joined a cascade through someone's token
  std::int64_t conversions = 0;            // reported by the site (kept apart from any content)
  std::int64_t conversionValueMicros = 0;  // their value
  std::int64_t creditedConversions = 0;    // conversions credited to this content's sharers
  std::int64_t creditedValueMicros = 0;    // their value

  EngagementCounts& operator+=(const EngagementCounts& other);
  bool operator==(const EngagementCounts& other) const;
  std::int64_t totalShares() const;
  std::int64_t countedClickbacks() const;
};

struct EngagementRates {
  std::optional<double> viewableRate;        // viewable ÷ rendered
  std::optional<double> shareRate;           // page views with a share ÷ viewable
  std::optional<double> clickbacksPerShare;  // counted clickbacks ÷ shares
  std::optional<double> viralCoefficient;    // K: arrivals ÷ sharers
};

// Null where the denominator is zero: no rate is better than a made-up one.
EngagementRates ratesOf(const EngagementCounts& counts);

}  // namespace sharetrack
