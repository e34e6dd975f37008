// The ScoreBook's records, shared by its mutations (score_book.cpp) and its queries
// (score_queries.cpp). Everything is indexed by small integers; strings are kept once.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sharetrack/dwell_histogram.hpp"
#include "sharetrack/score_book.hpp"

namespace sharetrack {

using Index = std::uint32_t;
inline constexpr Index kNone = UINT32_MAX;

inline std::uint64_t pairKey(Index a, Index b) { return (std::uint64_t{a} << 32) | b; }

// 64-bit FNV-1a: event ids and page views as numbers, where only equality and a fixed order count.
inline std::uint64_t hashOf(std::string_view text, std::uint64_t hash = 14695981039346656037ull) {
  for (const unsigned char c : text) hash = (hash ^ c) * 1099511628211ull;
  return hash;
}

// The order of one visitor's events: their own clock, then (the hash of) the event id, so ties
// are settled the same way everywhere. Comparing two events of one visitor by it is sound; the
// figures never compare clocks of different visitors.
struct EventKey {
  std::int64_t timeMs = INT64_MAX;
  std::uint64_t id = UINT64_MAX;
  EventKey() = default;
  EventKey(std::int64_t time, std::string_view eventId) : timeMs(time), id(hashOf(eventId)) {}
  bool operator<(const EventKey& o) const { return timeMs != o.timeMs ? timeMs < o.timeMs : id < o.id; }
  bool operator==(const EventKey& o) const { return timeMs == o.timeMs && id == o.id; }
};

// A record in the order of one visitor's events.
using ByKey = std::set<std::pair<EventKey, Index>>;

struct VisitorRecord {
  std::string id;
  bool erased = false;
  std::vector<Index> subscribers;
  std::vector<std::int64_t> levelClickbacks;  // counted clickbacks credited at each level
  std::int64_t creditMicros = 0;
  std::int64_t conversionsInfluenced = 0;
  ByKey counted;      // their clickbacks judged counted: a conversion goes to the latest before it
  ByKey conversions;  // theirs
  std::vector<Index> shares;
  std::vector<Index> clickbacks;  // made
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
  std::set<Index> creditedConversions;  // attributed to a clickback through this token
};

struct ClickbackRecord {
  EventKey key;
  Index visitor = kNone, token = kNone, content = kNone, clientKey = kNone;
  std::int64_t receivedAtMs = 0;
  bool bot = false;
  bool erased = false;
  std::optional<Verdict> applied;  // the verdict its counts and credits stand for
  Index countedIn = kNone;         // the content those counts went to
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
  std::uint64_t pageView = 0;  // hashOf(visitor, page view, content): the summary's row
  std::uint32_t seq = 0;
  std::uint32_t dwellMs = 0;
  std::uint8_t videoQuartile = 0;
  bool viewable = false;
  bool videoStarted = false;
  bool shared = false;
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

// How a visitor joined a content's cascade: through a token (`via`), or as a root, by a
// first-generation token they registered (`claim`) or for want of any known arrival (neither).
struct Join {
  EventKey key;  // the max key for want of an arrival
  Index via = kNone;
  Index claim = kNone;
  std::int64_t atMs = 0;
  bool operator<(const Join& o) const {
    if (!(key == o.key)) return key < o.key;
    return via != o.via ? via < o.via : claim < o.claim;
  }
  bool sameAs(const Join& o) const { return key == o.key && via == o.via && claim == o.claim && atMs == o.atMs; }
};

// What one visitor did that could place them in one content's cascade.
struct Membership {
  std::set<Join> joins;       // root claims and arrivals through registered tokens, earliest first
  std::vector<Index> tokens;  // the tokens they registered for the content
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
  bool live = true;    // false once its root moved or its content was rebuilt
  std::int64_t startedAtMs = 0;  // the root's join, in the collector's clock
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
  // Visitors whose earliest join would close a loop as the tree stands (their minter is below
  // them, placed so by events that came early); tried again whenever a node moves.
  std::set<Index> blocked;
  // The same counts by hour and by UTC day: a range sums its whole days and the hours at its ends.
  std::map<std::int64_t, EngagementCounts> hours, days;
  std::map<std::int64_t, DwellHistogram> dwellByDay;  // of viewable impressions
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
  std::map<std::int64_t, EngagementCounts> siteHours, siteDays;  // conversions, which belong to no content

  std::unordered_map<std::string, Index> visitorIndex, tokenIndex, contentIndex, subscriberIndex, clientKeyIndex;
  std::unordered_map<std::uint64_t, Index> summaryByPageView;  // SummaryRecord::pageView -> the applied one
  std::unordered_map<std::uint64_t, Membership> memberships;   // (visitor, content)
  std::unordered_map<std::uint64_t, Index> firstOfPair;        // (visitor, token) -> their earliest clickback
  std::unordered_map<std::uint64_t, ByKey> firstsByClient;     // (token, client key) -> those earliest ones

  Index visitor(const std::string& id);
  Index token(const std::string& text);
  Index content(const std::string& id);
  Index subscriber(const std::string& id);
  Index clientKey(const std::string& key);
  // Applies `change` to the counts of the hour and of the day that hold `atMs`, of a content or
  // (kNone) of the site.
  template <typename Change>
  void count(Index content, std::int64_t atMs, Change change) {
    auto& hours = content == kNone ? siteHours : contents[content].hours;
    auto& days = content == kNone ? siteDays : contents[content].days;
    change(hours[floorTo(atMs, kHourMs)]);
    change(days[floorTo(atMs, kDayMs)]);
  }
  const NodeRecord* nodeOf(Index content, Index visitor) const;
  Membership& membership(Index visitor, Index content) { return memberships[pairKey(visitor, content)]; }
  const Membership* findMembership(Index visitor, Index content) const {
    const auto it = memberships.find(pairKey(visitor, content));
    return it == memberships.end() ? nullptr : &it->second;
  }
  double points(const VisitorRecord& visitor) const;
};


}  // namespace sharetrack
