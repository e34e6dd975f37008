// What the ScoreBook answers: sums of kept hourly counts, and walks over kept cascades and
// visitors. Nothing here looks at events.
#include <algorithm>
#include <cmath>
#include <deque>
#include <set>
#include <tuple>

#include "score_state.hpp"

namespace sharetrack {
namespace {

using Buckets = std::map<std::int64_t, EngagementCounts>;

// The buckets that start within [from, to).
void addBuckets(const Buckets& buckets, std::int64_t from, std::int64_t to, EngagementCounts& into) {
  for (auto it = buckets.lower_bound(from); it != buckets.end() && it->first < to; ++it) into += it->second;
}

// The hours that start within the range (the collector's ranges are whole hours): its whole days
// from the day counts, the hours before and after them from the hour counts.
void addRange(const Buckets& hours, const Buckets& days, const TimeRange& range, EngagementCounts& into) {
  const std::int64_t firstDay = range.fromMs <= INT64_MIN + kDayMs ? INT64_MIN : ceilTo(range.fromMs, kDayMs);
  const std::int64_t lastDay = range.toMs >= INT64_MAX - kDayMs ? INT64_MAX : floorTo(range.toMs, kDayMs);
  if (firstDay >= lastDay) return addBuckets(hours, range.fromMs, range.toMs, into);
  addBuckets(hours, range.fromMs, firstDay, into);
  addBuckets(days, firstDay, lastDay, into);
  addBuckets(hours, lastDay, range.toMs, into);
}

// The median dwell of viewable impressions over the UTC days the range touches.
std::optional<std::uint32_t> dwellMedian(const ContentRecord& content, const TimeRange& range) {
  DwellHistogram merged;
  const auto& days = content.dwellByDay;
  const std::int64_t firstDay = range.fromMs > INT64_MIN + kDayMs ? floorTo(range.fromMs, kDayMs) : INT64_MIN;
  for (auto it = days.lower_bound(firstDay); it != days.end() && it->first < range.toMs; ++it) merged += it->second;
  return merged.median();
}

ContentEngagement engagementOf(const ContentRecord& content, const TimeRange& range) {
  ContentEngagement engagement;
  engagement.content = content.id;
  addRange(content.hours, content.days, range, engagement.counts);
  engagement.rates = ratesOf(engagement.counts);
  engagement.dwellMedianMs = dwellMedian(content, range);
  return engagement;
}

}  // namespace

EngagementCounts ScoreBook::totals(const TimeRange& range, const std::string& content) const {
  EngagementCounts counts;
  if (!content.empty()) {
    const auto it = state_->contentIndex.find(content);
    if (it != state_->contentIndex.end()) {
      const ContentRecord& record = state_->contents[it->second];
      addRange(record.hours, record.days, range, counts);
    }
    return counts;
  }
  for (const ContentRecord& record : state_->contents) addRange(record.hours, record.days, range, counts);
  addRange(state_->siteHours, state_->siteDays, range, counts);
  return counts;
}

std::vector<EngagementCounts> ScoreBook::series(const TimeRange& range, std::int64_t stepMs,
                                                const std::string& content) const {
  std::vector<EngagementCounts> steps;
  const std::int64_t start = range.fromMs;
  if (range.toMs <= start) return steps;
  steps.resize(static_cast<std::size_t>((range.toMs - start + stepMs - 1) / stepMs));
  // Whole days from the day counts when the steps are days that start at midnight.
  const bool byDay = stepMs == kDayMs && floorTo(start, kDayMs) == start;
  const auto add = [&](const Buckets& hours, const Buckets& days) {
    const Buckets& buckets = byDay ? days : hours;
    for (auto it = buckets.lower_bound(start); it != buckets.end() && it->first < range.toMs; ++it) {
      steps[static_cast<std::size_t>((it->first - start) / stepMs)] += it->second;
    }
  };
  if (!content.empty()) {
    const auto it = state_->contentIndex.find(content);
    if (it != state_->contentIndex.end()) add(state_->contents[it->second].hours, state_->contents[it->second].days);
    return steps;
  }
  for (const ContentRecord& record : state_->contents) add(record.hours, record.days);
  add(state_->siteHours, state_->siteDays);
  return steps;
}

std::vector<ContentEngagement> ScoreBook::contents(const TimeRange& range) const {
  std::vector<ContentEngagement> all;
  for (const ContentRecord& record : state_->contents) {
    ContentEngagement engagement = engagementOf(record, range);
    if (!(engagement.counts == EngagementCounts{})) all.push_back(std::move(engagement));
  }
  std::sort(all.begin(), all.end(), [](const ContentEngagement& a, const ContentEngagement& b) {
    if (a.counts.viewable != b.counts.viewable) return a.counts.viewable > b.counts.viewable;
    return a.content < b.content;
  });
  return all;
}

std::optional<ContentEngagement> ScoreBook::content(const std::string& id, const TimeRange& range) const {
  const auto it = state_->contentIndex.find(id);
  if (it == state_->contentIndex.end()) return std::nullopt;
  return engagementOf(state_->contents[it->second], range);
}

std::vector<Standing> ScoreBook::leaderboard(Audience audience, LeaderOrder order, std::size_t limit) const {
  const ScoreState& s = *state_;
  // Numbers first, for everyone; names only for the rows shown.
  struct Row {
    Index who;
    double score = 0;
    std::int64_t clickbacks = 0, influenced = 0, credit = 0;
  };
  const auto add = [&](Row& row, const VisitorRecord& v) {
    row.score += s.points(v);
    if (!v.levelClickbacks.empty()) row.clickbacks += v.levelClickbacks.front();
    row.influenced += v.conversionsInfluenced;
    row.credit += v.creditMicros;
  };
  std::vector<Row> rows;
  const bool byVisitor = audience == Audience::visitor;
  if (byVisitor) {
    for (std::size_t i = 0; i < s.visitors.size(); ++i) {
      const VisitorRecord& v = s.visitors[i];
      if (v.erased || (v.levelClickbacks.empty() && v.conversionsInfluenced == 0)) continue;
      Row row{static_cast<Index>(i)};
      add(row, v);
      rows.push_back(row);
    }
  } else {
    for (std::size_t sub = 0; sub < s.subscriberVisitors.size(); ++sub) {
      Row row{static_cast<Index>(sub)};
      for (const Index v : s.subscriberVisitors[sub]) add(row, s.visitors[v]);
      rows.push_back(row);
    }
  }
  rows.erase(std::remove_if(rows.begin(), rows.end(), [](const Row& r) { return r.score <= 0 && r.influenced == 0; }),
             rows.end());
  const auto key = [order](const Row& r) {
    switch (order) {
      case LeaderOrder::clickbacks: return std::make_pair(static_cast<double>(r.clickbacks), r.score);
      case LeaderOrder::conversions: return std::make_pair(static_cast<double>(r.influenced), static_cast<double>(r.credit));
      case LeaderOrder::score: break;
    }
    return std::make_pair(r.score, static_cast<double>(r.clickbacks));
  };
  const auto name = [&](const Row& r) -> const std::string& {
    return byVisitor ? s.visitors[r.who].id : s.subscribers[r.who];
  };
  const std::size_t shown = std::min(limit, rows.size());
  std::partial_sort(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(shown), rows.end(),
                    [&](const Row& a, const Row& b) {
                      const auto ka = key(a), kb = key(b);
                      return ka != kb ? ka > kb : name(a) < name(b);
                    });
  std::vector<Standing> standings;
  for (std::size_t i = 0; i < shown; ++i) {
    const Row& r = rows[i];
    standings.push_back(Standing{name(r), r.score, r.clickbacks, r.influenced, r.credit});
  }
  return standings;
}

std::optional<ScoreBreakdown> ScoreBook::visitorScore(const std::string& visitor) const {
  const ScoreState& s = *state_;
  const auto it = s.visitorIndex.find(visitor);
  if (it == s.visitorIndex.end() || s.visitors[it->second].erased) return std::nullopt;
  const VisitorRecord& v = s.visitors[it->second];
  ScoreBreakdown breakdown;
  breakdown.standing = Standing{v.id, s.points(v), v.levelClickbacks.empty() ? 0 : v.levelClickbacks.front(),
                                v.conversionsInfluenced, v.creditMicros};
  double weight = 1;
  for (std::size_t level = 0; level < v.levelClickbacks.size(); ++level, weight *= s.settings.chainFactor) {
    if (v.levelClickbacks[level] == 0) continue;
    breakdown.levels.push_back(LevelScore{static_cast<int>(level), v.levelClickbacks[level],
                                          static_cast<double>(v.levelClickbacks[level]) * weight});
  }
  for (const Index sub : v.subscribers) breakdown.subscribers.push_back(s.subscribers[sub]);
  return breakdown;
}

std::optional<TokenReport> ScoreBook::token(const std::string& text) const {
  const ScoreState& s = *state_;
  const auto it = s.tokenIndex.find(text);
  if (it == s.tokenIndex.end()) return std::nullopt;
  const TokenRecord& t = s.tokens[it->second];
  TokenReport report;
  report.token = t.text;
  report.channel = t.channel;
  report.depth = t.depth;
  report.registered = t.registered;
  if (t.registered) {
    report.content = s.contents[t.content].id;
    if (!s.visitors[t.minter].erased) report.minter = s.visitors[t.minter].id;
  }
  std::set<Index> visitors;
  for (const Index c : t.clickbacks) {
    const ClickbackRecord& click = s.clickbacks[c];
    if (click.applied) ++report.verdicts[static_cast<std::size_t>(*click.applied)];
    if (!click.bot && !click.erased) visitors.insert(click.visitor);
  }
  report.visitors = static_cast<std::uint32_t>(visitors.size());
  return report;
}

namespace {

// A cascade is named by the first token its root registered for the content.
const TokenRecord* cascadeToken(const ScoreState& s, const CascadeRecord& cascade) {
  const Index rootVisitor = s.nodes[cascade.root].visitor;
  const TokenRecord* first = nullptr;
  const Membership* membership = s.findMembership(rootVisitor, cascade.content);
  if (!membership) return nullptr;
  for (const Index t : membership->tokens) {
    const TokenRecord& token = s.tokens[t];
    if (!first || token.registeredBy < first->registeredBy) first = &token;
  }
  return first;
}

CascadeSummary summaryOf(const ScoreState& s, const CascadeRecord& cascade) {
  CascadeSummary summary;
  const TokenRecord* token = cascadeToken(s, cascade);
  summary.id = token ? token->text : std::string();
  summary.content = s.contents[cascade.content].id;
  const NodeRecord& root = s.nodes[cascade.root];
  const VisitorRecord& visitor = s.visitors[root.visitor];
  if (!visitor.erased) summary.root = visitor.id;
  summary.startedAtMs = root.join.atMs;
  summary.measures.size = static_cast<std::uint32_t>(cascade.sums.size);
  summary.measures.depth = static_cast<std::uint32_t>(cascade.atDepth.size() - 1);
  summary.measures.maxBreadth = cascade.maxBreadth;
  summary.measures.virality = cascade.sums.virality();
  return summary;
}

}  // namespace

std::vector<CascadeSummary> ScoreBook::cascades(const TimeRange& range, CascadeOrder order, std::size_t limit,
                                                const std::string& content) const {
  const ScoreState& s = *state_;
  Index only = kNone;
  if (!content.empty()) {
    const auto it = s.contentIndex.find(content);
    if (it == s.contentIndex.end()) return {};
    only = it->second;
  }
  // Keys for every cascade in the range, summaries only for those shown.
  struct Keyed {
    std::tuple<double, double, double> key;
    std::string_view id;  // breaks ties, the same in any delivery order
    const CascadeRecord* cascade;
  };
  std::vector<Keyed> matching;
  for (const CascadeRecord& c : s.cascades) {
    if (!c.live || (only != kNone && c.content != only)) continue;
    if (!range.contains(c.startedAtMs)) continue;
    const double size = static_cast<double>(c.sums.size);
    const double depth = static_cast<double>(c.atDepth.size() - 1);
    const double virality = c.sums.virality().value_or(0);
    std::tuple<double, double, double> key{size, depth, virality};
    if (order == CascadeOrder::depth) key = {depth, size, virality};
    if (order == CascadeOrder::virality) key = {virality, size, depth};
    const TokenRecord* token = cascadeToken(s, c);
    matching.push_back(Keyed{key, token ? std::string_view(token->text) : std::string_view(), &c});
  }
  const std::size_t shown = std::min(limit, matching.size());
  std::partial_sort(matching.begin(), matching.begin() + static_cast<std::ptrdiff_t>(shown), matching.end(),
                    [](const Keyed& a, const Keyed& b) { return a.key != b.key ? a.key > b.key : a.id < b.id; });
  std::vector<CascadeSummary> rows;
  for (std::size_t i = 0; i < shown; ++i) rows.push_back(summaryOf(s, *matching[i].cascade));
  return rows;
}

std::optional<CascadeTree> ScoreBook::cascadeTree(const std::string& id, std::size_t maxNodes) const {
  const ScoreState& s = *state_;
  const auto tokenIt = s.tokenIndex.find(id);
  if (tokenIt == s.tokenIndex.end()) return std::nullopt;
  const TokenRecord& token = s.tokens[tokenIt->second];
  if (!token.registered) return std::nullopt;
  const NodeRecord* root = s.nodeOf(token.content, token.minter);
  if (!root || root->parent != kNone) return std::nullopt;
  const CascadeRecord& cascade = s.cascades[root->cascade];
  if (cascadeToken(s, cascade) != &token) return std::nullopt;

  const auto countedThrough = [&](Index visitorAt) {
    std::int64_t counted = 0;
    const Membership* membership = s.findMembership(visitorAt, token.content);
    if (!membership) return counted;
    for (const Index t : membership->tokens) {
      for (const Index c : s.tokens[t].clickbacks) counted += s.clickbacks[c].applied == Verdict::counted;
    }
    return counted;
  };
  const auto describe = [&](const NodeRecord& node) {
    CascadeNode out;
    const VisitorRecord& visitor = s.visitors[node.visitor];
    if (!visitor.erased) out.visitor = visitor.id;
    out.depth = node.depth;
    out.size = static_cast<std::uint32_t>(node.size);
    out.countedClickbacks = countedThrough(node.visitor);
    return out;
  };
  const auto childrenInOrder = [&](const NodeRecord& node) {
    std::vector<Index> children = node.children;
    std::sort(children.begin(), children.end(), [&](Index a, Index b) {
      if (s.nodes[a].size != s.nodes[b].size) return s.nodes[a].size > s.nodes[b].size;
      return s.nodes[a].join.key < s.nodes[b].join.key;
    });
    return children;
  };

  CascadeTree tree;
  tree.summary = summaryOf(s, cascade);
  tree.root = describe(*root);
  tree.shownNodes = 1;
  // Breadth first, so a cap keeps the upper levels whole; bigger subtrees first within a level.
  std::deque<std::pair<const NodeRecord*, CascadeNode*>> queue{{root, &tree.root}};
  while (!queue.empty()) {
    const auto [node, out] = queue.front();
    queue.pop_front();
    const std::vector<Index> children = childrenInOrder(*node);
    out->children.reserve(children.size());
    for (const Index child : children) {
      if (tree.shownNodes >= maxNodes) {
        ++out->hiddenChildren;
        continue;
      }
      out->children.push_back(describe(s.nodes[child]));
      ++tree.shownNodes;
    }
    for (std::size_t i = 0; i < out->children.size(); ++i) queue.emplace_back(&s.nodes[children[i]], &out->children[i]);
  }
  return tree;
}

}  // namespace sharetrack
