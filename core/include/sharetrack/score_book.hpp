// A site's cascades, verdicts, sharing scores, conversion credit and engagement (DESIGN.md,
// "Scores"), kept up to date as stored events are added, in any order: every figure depends only
// on the set of events added, never on the order they came in. The collector adds each event it
// stores once and answers queries from here; nothing rescans the events.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sharetrack/batch.hpp"
#include "sharetrack/cascade_measures.hpp"
#include "sharetrack/engagement.hpp"
#include "sharetrack/score_settings.hpp"
#include "sharetrack/verdict.hpp"

namespace sharetrack {

// One stored event with what the collector knows of its batch and request.
struct StoredEvent {
  Event event;
  std::string visitor;
  std::optional<std::string> subscriber;
  std::string clientKey;  // the collector's key for the client that posted it; empty if unknown
  std::int64_t receivedAtMs = 0;
  bool requestBot = false;  // the request's User-Agent is on the bot list
  bool erased = false;      // what is left of an erased visitor's event: the shape of a cascade only
};

// Half-open, in the collector's clock (an event's receivedAtMs).
struct TimeRange {
  std::int64_t fromMs = INT64_MIN;
  std::int64_t toMs = INT64_MAX;
  bool contains(std::int64_t ms) const { return ms >= fromMs && ms < toMs; }
};

inline constexpr std::int64_t kHourMs = 3600 * 1000;
inline constexpr std::int64_t kDayMs = 24 * kHourMs;
// The start of the step (an hour, a day) that holds `ms`.
inline std::int64_t floorTo(std::int64_t ms, std::int64_t step) { return ms - ((ms % step) + step) % step; }
// The start of the first step at or after `ms`.
inline std::int64_t ceilTo(std::int64_t ms, std::int64_t step) { return -floorTo(-ms, step); }

struct ContentEngagement {
  std::string content;
  EngagementCounts counts;
  EngagementRates rates;
  std::optional<std::uint32_t> dwellMedianMs;  // over viewable impressions
};

enum class Audience : std::uint8_t { visitor, subscriber };
enum class LeaderOrder : std::uint8_t { score, clickbacks, conversions };

struct Standing {
  std::string id;  // a visitor or a subscriber
  double score = 0;
  std::int64_t countedClickbacks = 0;  // through the visitor's own tokens (level 0)
  std::int64_t conversionsInfluenced = 0;
  std::int64_t conversionCreditMicros = 0;
};

struct LevelScore {
  int level = 0;  // 0: clickbacks through the visitor's own tokens; 1: through their children's; ...
  std::int64_t clickbacks = 0;
  double points = 0;  // clickbacks · factor^level
};

struct ScoreBreakdown {
  Standing standing;
  std::vector<LevelScore> levels;  // levels with clickbacks only
  std::vector<std::string> subscribers;
};

enum class CascadeOrder : std::uint8_t { size, depth, virality };

struct CascadeSummary {
  std::string id;  // the first token its root minted for the content
  std::string content;
  std::optional<std::string> root;  // the root's visitor id; none once erased
  std::int64_t startedAtMs = 0;     // when the root joined, in the collector's clock
  CascadeMeasures measures;
};

struct CascadeNode {
  std::optional<std::string> visitor;  // none for an erased visitor: an anonymous node
  std::uint32_t depth = 0;
  std::uint32_t size = 1;  // the subtree's visitors, this one counted
  std::int64_t countedClickbacks = 0;  // through this visitor's tokens for the content
  std::uint32_t hiddenChildren = 0;    // children left out to stay under the node cap
  std::vector<CascadeNode> children;
};

struct CascadeTree {
  CascadeSummary summary;
  CascadeNode root;
  std::uint32_t shownNodes = 0;
};

// What became of one shared link.
struct TokenReport {
  std::string token;
  Channel channel = Channel::native;
  std::uint32_t depth = 0;  // 0: its minter shared without arriving through another's token
  bool registered = false;  // its share event (or, for an address-bar token, a summary) is stored
  std::optional<std::string> content;  // once registered
  std::optional<std::string> minter;   // once registered; none once erased
  std::uint32_t visitors = 0;          // distinct visitors who clicked back through it, bots aside
  std::array<std::int64_t, kVerdictCount> verdicts{};  // its clickbacks by verdict
};

struct ErasureCounts {
  std::int64_t visitors = 0, shares = 0, clickbacks = 0, summaries = 0, conversions = 0;
  bool nothing() const { return visitors == 0; }
};

struct ScoreState;

class ScoreBook {
 public:
  explicit ScoreBook(ScoreSettings settings = {});
  ~ScoreBook();
  ScoreBook(ScoreBook&&) noexcept;
  ScoreBook& operator=(ScoreBook&&) noexcept;

  const ScoreSettings& settings() const;

  // Each stored event once (the store keeps each event id once per site).
  void add(const StoredEvent& event);

  // Forgets a visitor's events and identifiers; their place in cascades stays as an anonymous
  // node named `anonymousId` from now on (fresh and random: the collector's), so the cascades keep
  // their shape. Nobody else's figures change but through the erased visitor's own events.
  ErasureCounts eraseVisitor(const std::string& visitor, const std::string& anonymousId);
  std::vector<std::string> visitorsOf(const std::string& subscriber) const;

  // Counts for the range, of one content or (empty) the whole site.
  EngagementCounts totals(const TimeRange& range, const std::string& content = {}) const;
  // One entry per step (kHourMs or kDayMs) from the range's start; the collector aligns ranges to
  // whole hours or days.
  std::vector<EngagementCounts> series(const TimeRange& range, std::int64_t stepMs,
                                       const std::string& content = {}) const;
  std::vector<ContentEngagement> contents(const TimeRange& range) const;
  std::optional<ContentEngagement> content(const std::string& id, const TimeRange& range) const;

  std::vector<Standing> leaderboard(Audience audience, LeaderOrder order, std::size_t limit) const;
  std::optional<ScoreBreakdown> visitorScore(const std::string& visitor) const;

  // Cascades that started in the range, largest first by `order`, of one content or all.
  std::vector<CascadeSummary> cascades(const TimeRange& range, CascadeOrder order, std::size_t limit,
                                       const std::string& content = {}) const;
  // Breadth first up to `maxNodes` nodes; the rest counted in hiddenChildren.
  std::optional<CascadeTree> cascadeTree(const std::string& id, std::size_t maxNodes) const;

  // A token any event named; none for one never seen.
  std::optional<TokenReport> token(const std::string& token) const;

  std::optional<Verdict> verdictOf(const std::string& clickbackEventId) const;

 private:
  std::unique_ptr<ScoreState> state_;
};

}  // namespace sharetrack
