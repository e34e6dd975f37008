#include "score_summary.hpp"

#include <algorithm>

namespace sharetrack::test {

using nlohmann::json;

json measuresJson(const CascadeMeasures& m) {
  return {{"size", m.size}, {"depth", m.depth}, {"maxBreadth", m.maxBreadth},
          {"virality", m.virality ? json(*m.virality) : json(nullptr)}};
}

json standingsJson(const std::vector<Standing>& rows) {
  json out = json::array();
  for (const Standing& r : rows) {
    out.push_back({r.id, r.score, r.countedClickbacks, r.conversionsInfluenced, r.conversionCreditMicros});
  }
  return out;
}

namespace {

json nodeJson(const CascadeNode& node) {
  json children = json::array();
  for (const CascadeNode& child : node.children) children.push_back(nodeJson(child));
  std::sort(children.begin(), children.end(), [](const json& a, const json& b) { return a.dump() < b.dump(); });
  return {{"v", node.visitor ? json(*node.visitor) : json(nullptr)}, {"size", node.size},
          {"counted", node.countedClickbacks}, {"children", children}};
}

}  // namespace

json countsJson(const EngagementCounts& c) {
  return {c.rendered, c.viewable, c.pageViewsWithShare, c.dwellMs, c.videoStarts, c.videoQuartiles, c.botPageViews,
          c.shares, c.reshares, c.clickbacks, c.verdicts, c.sharers, c.arrivals, c.conversions, c.conversionValueMicros,
          c.creditedConversions, c.creditedValueMicros};
}

json scoreSummary(const ScoreBook& book, const std::vector<StoredEvent>& events) {
  json out;
  for (const StoredEvent& e : events) {
    if (!std::holds_alternative<ClickbackEvent>(e.event.body)) continue;
    const auto verdict = book.verdictOf(e.event.id);
    out["verdicts"][e.event.id] = verdict ? json(std::string(verdictName(*verdict))) : json(nullptr);
  }
  for (const auto order : {LeaderOrder::score, LeaderOrder::clickbacks, LeaderOrder::conversions}) {
    out["visitors"].push_back(standingsJson(book.leaderboard(Audience::visitor, order, 100000)));
    out["subscribers"].push_back(standingsJson(book.leaderboard(Audience::subscriber, order, 100000)));
  }
  for (const Standing& row : book.leaderboard(Audience::visitor, LeaderOrder::score, 100000)) {
    const ScoreBreakdown breakdown = *book.visitorScore(row.id);
    for (const LevelScore& level : breakdown.levels) out["levels"][row.id].push_back(level.clickbacks);
  }
  for (const CascadeSummary& c : book.cascades(TimeRange{}, CascadeOrder::size, 100000)) {
    out["cascades"].push_back({c.id, c.content, c.root ? json(*c.root) : json(nullptr), c.startedAtMs,
                               measuresJson(c.measures), nodeJson(book.cascadeTree(c.id, 100000)->root)});
  }
  for (const ContentEngagement& c : book.contents(TimeRange{})) {
    out["contents"].push_back({c.content, countsJson(c.counts), c.dwellMedianMs ? json(*c.dwellMedianMs) : json(nullptr)});
  }
  out["site"] = countsJson(book.totals(TimeRange{}));
  return out;
}

}  // namespace sharetrack::test
