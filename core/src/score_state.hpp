// The ScoreBook's records, shared by its mutations (score_book.cpp) and its queries
// (score_queries.cpp). Everything is indexed by small integers; strings are kept once.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "sharetrack/score_book.hpp"

namespace sharetrack {

using Index = std::uint32_t;
inline constexpr Index kNone = UINT32_MAX;

// The order of one visitor's events: their own clock, then the event id. Comparing two events
// of one visitor by it is sound; the figures never compare clocks of different visitors.
struct EventKey {
  std::int64_t timeMs = INT64_MAX;
  std::string id;
  bool operator<(const EventKey& o) const { return timeMs != o.timeMs ? timeMs < o.timeMs : id < o.id; }
};

struct VisitorRecord {
  std::string id;
  bool erased = false;
  std::vector<Index> subscribers;
  std::vector<std::int64_t> levelClickbacks;  // counted clickbacks credited at each level
  std::int64_t creditMicros = 0;
  std::int64_t conversionsInfluenced = 0;
  std::vector<Index> tokens;      // minted
  std::vector<Index> shares;
  std::vector<Index> clickbacks;  // made
  std::vector<Index> conversions;
  std::vector<Index> summaries;
};

struct TokenRecord {
  std::string text;
  Channel channel = Channel::native;
  std::uint8_t depth = 0;
  // Set by the earliest registering event: a share event, or a summary naming an address-bar token.
  bool registered = false;
  EventKey registeredBy;
  std::int64_t registeredAtMs = 0;
  Index content = kNone;
  Index minter = kNone;
  Index sharerKey = kNone;   // the client key that posted the registering event
  std::vector<Index> clickbacks;    // through this token
  std::vector<Index> childShares;   // shares naming this token as their parent
};

struct ClickbackRecord {
  EventKey key;
  Index visitor = kNone, token = kNone, content = kNone, clientKey = kNone;
  std::int64_t receivedAtMs = 0;
  bool bot = false;
  bool erased = false;
  std::optional<Verdict> applied;  // the verdict its counts and credits stand for
};

struct ShareRecord {
  EventKey key;
  Index visitor = kNone, content = kNone, token = kNone, parent = kNone;
  Channel channel = Channel::native;
  std::int64_t receivedAtMs = 0;
  bool erased = false;
  bool applied = false;
};

struct SummaryRecord {
  EventKey key;
  SummaryEvent fields;
  Index visitor = kNone, content = kNone;
  std::int64_t receivedAtMs = 0;
  bool bot = false;
  bool erased = false;
  bool applied = false;  // the highest seq of its (visitor, page view, content)
};

struct ConversionRecord {
  EventKey key;
  Index visitor = kNone;
  std::int64_t valueMicros = 0;
  std::int64_t receivedAtMs = 0;
  bool erased = false;
  bool applied = false;
  Index creditedThrough = kNone;  // the clickback it was attributed to
};

// How a visitor joined a content's cascade: through a token, or as a root.
struct Join {
  EventKey key;  // the max key: a root only for want of any known arrival
  Index via = kNone;
  std::int64_t atMs = 0;
};

struct NodeRecord {
  Index visitor = kNone;
  Index parent = kNone;  // a node
  Index cascade = kNone;
  std::vector<Index> children;
  std::uint32_t depth = 0;
  std::uint64_t size = 1;
  Join join;
};

struct CascadeRecord {
  Index content = kNone;
  Index root = kNone;  // a node
  bool live = true;    // false once its content was rebuilt
  ViralitySums sums;
  std::vector<std::uint32_t> atDepth{1};
  std::uint32_t maxBreadth = 1;
};

struct ContentRecord {
  std::string id;
  std::unordered_map<Index, Index> nodeOf;  // visitor -> node
  std::vector<Index> tokens;                // registered for this content
  std::vector<Index> shares;
  std::unordered_map<Index, Index> firstShare;  // visitor -> their earliest share of this content
  std::vector<Index> creditedConversions;   // attributed through this content's tokens
  std::map<std::int64_t, EngagementCounts> hours;
  std::map<std::int64_t, std::map<std::uint32_t, std::int64_t>> dwellByDay;  // viewable dwell -> page views
};

struct ScoreState {
  ScoreSettings settings;
  std::vector<VisitorRecord> visitors;
  std::vector<TokenRecord> tokens;
  std::vector<ClickbackRecord> clickbacks;
  std::vector<ShareRecord> shares;
  std::vector<SummaryRecord> summaries;
  std::vector<ConversionRecord> conversions;
  std::vector<NodeRecord> nodes;
  std::vector<CascadeRecord> cascades;
  std::vector<ContentRecord> contents;
  std::vector<std::string> subscribers;
  std::vector<std::vector<Index>> subscriberVisitors;
  std::map<std::int64_t, EngagementCounts> siteHours;  // conversions, which belong to no content

  std::unordered_map<std::string, Index> visitorIndex, tokenIndex, contentIndex, subscriberIndex, clientKeyIndex;
  std::unordered_map<std::string, Index> clickbackById;
  std::unordered_map<std::string, Index> summaryByPageView;  // visitor, page view, content -> the applied one
  std::unordered_map<std::uint64_t, std::vector<Index>> clickbacksByPair;   // (visitor, token), by key
  std::unordered_map<std::uint64_t, std::vector<Index>> firstsByClient;     // (token, client key), by key

  Index visitor(const std::string& id);
  Index token(const std::string& text);
  Index content(const std::string& id);
  Index subscriber(const std::string& id);
  Index clientKey(const std::string& key);
  EngagementCounts& hour(Index content, std::int64_t atMs);
  const NodeRecord* nodeOf(Index content, Index visitor) const;
  double points(const VisitorRecord& visitor) const;
};

inline std::uint64_t pairKey(Index a, Index b) { return (std::uint64_t{a} << 32) | b; }

}  // namespace sharetrack
