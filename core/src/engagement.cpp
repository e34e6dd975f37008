#include "sharetrack/engagement.hpp"

#include <numeric>

namespace sharetrack {
namespace {

template <typename T, std::size_t N>
void addAll(std::array<T, N>& into, const std::array<T, N>& from) {
  for (std::size_t i = 0; i < N; ++i) into[i] += from[i];
}

std::optional<double> ratio(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return std::nullopt;
  return static_cast<double>(part) / static_cast<double>(whole);
}

}  // namespace

EngagementCounts& EngagementCounts::operator+=(const EngagementCounts& o) {
  rendered += o.rendered;
  viewable += o.viewable;
  pageViewsWithShare += o.pageViewsWithShare;
  dwellMs += o.dwellMs;
  videoStarts += o.videoStarts;
  addAll(videoQuartiles, o.videoQuartiles);
  botPageViews += o.botPageViews;
  addAll(shares, o.shares);
  reshares += o.reshares;
  addAll(clickbacks, o.clickbacks);
  addAll(verdicts, o.verdicts);
  sharers += o.sharers;
  arrivals += o.arrivals;
  conversions += o.conversions;
  conversionValueMicros += o.conversionValueMicros;
  creditedConversions += o.creditedConversions;
  creditedValueMicros += o.creditedValueMicros;
  return *this;
}

bool EngagementCounts::operator==(const EngagementCounts& o) const {
  return rendered == o.rendered && viewable == o.viewable && pageViewsWithShare == o.pageViewsWithShare &&
         dwellMs == o.dwellMs && videoStarts == o.videoStarts && videoQuartiles == o.videoQuartiles &&
         botPageViews == o.botPageViews && shares == o.shares && reshares == o.reshares && clickbacks == o.clickbacks &&
         verdicts == o.verdicts && sharers == o.sharers && arrivals == o.arrivals && conversions == o.conversions &&
         conversionValueMicros == o.conversionValueMicros && creditedConversions == o.creditedConversions &&
         creditedValueMicros == o.creditedValueMicros;
}

std::int64_t EngagementCounts::totalShares() const { return std::accumulate(shares.begin(), shares.end(), std::int64_t{0}); }

std::int64_t EngagementCounts::countedClickbacks() const {
  return std::accumulate(clickbacks.begin(), clickbacks.end(), std::int64_t{0});
}

EngagementRates ratesOf(const EngagementCounts& c) {
  return {ratio(c.viewable, c.rendered), ratio(c.pageViewsWithShare, c.viewable),
          ratio(c.countedClickbacks(), c.totalShares()), ratio(c.arrivals, c.sharers)};
}

}  // namespace sharetrack
