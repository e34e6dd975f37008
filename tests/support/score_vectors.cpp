#include "score_vectors.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>

#include "sharetrack/token.hpp"
#include "support/vectors.hpp"

namespace sharetrack::test {
namespace {

std::uint64_t fnv1a(const std::string& text) {
  std::uint64_t hash = 14695981039346656037ull;
  for (const unsigned char c : text) hash = (hash ^ c) * 1099511628211ull;
  return hash;
}

std::string mintNamed(const std::string& name, const nlohmann::json& spec, std::int64_t baseMs) {
  ShareToken token;
  token.id = fnv1a(name);
  token.channel = *channelFromName(spec.at("channel").get<std::string>());
  token.depth = spec.at("depth").get<std::uint8_t>();
  token.mintHour = static_cast<std::uint32_t>((baseMs - kTokenEpochMs) / 3600000);
  return formatToken(token);
}

StoredEvent storedFrom(const nlohmann::json& e, const ScoreScenario& scenario, std::int64_t baseMs) {
  StoredEvent stored;
  stored.visitor = e.at("visitor");
  if (e.contains("subscriber")) stored.subscriber = e["subscriber"].get<std::string>();
  stored.clientKey = e.value("key", "");
  stored.receivedAtMs = baseMs + e.at("at").get<std::int64_t>();
  stored.requestBot = e.value("requestBot", false);
  stored.event.id = e.at("id");
  stored.event.timeMs = baseMs + e.at("t").get<std::int64_t>();
  const std::string type = e.at("type");
  if (type == "share") {
    ShareEvent share;
    share.content = e.at("content");
    share.pageView = e.at("pv");
    share.token = scenario.tokenText(e.at("token"));
    if (e.contains("parent")) share.parent = scenario.tokenText(e["parent"]);
    share.channel = *channelFromName(e.at("channel").get<std::string>());
    stored.event.body = share;
  } else if (type == "clickback") {
    ClickbackEvent clickback;
    clickback.content = e.at("content");
    clickback.pageView = e.at("pv");
    clickback.token = scenario.tokenText(e.at("token"));
    for (const auto& signal : e.value("bot", nlohmann::json::array())) {
      clickback.botSignals |= botSignalFromName(signal.get<std::string>());
    }
    stored.event.body = clickback;
  } else if (type == "summary") {
    SummaryEvent summary;
    summary.content = e.at("content");
    summary.pageView = e.at("pv");
    summary.seq = e.at("seq");
    summary.viewable = e.value("viewable", false);
    summary.dwellMs = e.value("dwellMs", 0u);
    summary.copies = e.value("copies", 0u);
    if (e.contains("video")) {
      summary.videoQuartile = e["video"].at("quartile");
      summary.videoWatchedMs = e["video"].at("watchedMs");
    }
    const nlohmann::json shares = e.value("shares", nlohmann::json::object());
    for (const auto& [channel, count] : shares.items()) {
      summary.shares[static_cast<std::size_t>(*channelFromName(channel))] = count;
    }
    if (e.contains("addressToken")) summary.addressToken = scenario.tokenText(e["addressToken"]);
    stored.event.body = summary;
  } else {
    REQUIRE(type == "conversion");
    stored.event.body = ConversionEvent{e.at("name"), e.at("value")};
  }
  return stored;
}

nlohmann::json standingJson(const Standing& row) {
  return {{"id", row.id},
          {"score", row.score},
          {"countedClickbacks", row.countedClickbacks},
          {"conversionsInfluenced", row.conversionsInfluenced},
          {"conversionCredit", static_cast<double>(row.conversionCreditMicros) / 1e6}};
}

nlohmann::json treeJson(const CascadeNode& node) {
  nlohmann::json children = nlohmann::json::array();
  for (const CascadeNode& child : node.children) children.push_back(treeJson(child));
  // Children in the order of their visitors' names, anonymous first, so the vector need not know the tree's.
  std::sort(children.begin(), children.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
    return a["visitor"].is_null() ? !b["visitor"].is_null() : !b["visitor"].is_null() && a["visitor"] < b["visitor"];
  });
  return {{"visitor", node.visitor ? nlohmann::json(*node.visitor) : nlohmann::json(nullptr)}, {"children", children}};
}

template <std::size_t N, typename Name>
nlohmann::json namedCounts(const std::array<std::int64_t, N>& counts, Name name, bool keepZeros) {
  nlohmann::json out = nlohmann::json::object();
  for (std::size_t i = 0; i < N; ++i) {
    if (counts[i] != 0 || keepZeros) out[std::string(name(i))] = counts[i];
  }
  return out;
}

nlohmann::json optionalJson(const std::optional<double>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

}  // namespace

std::string ScoreScenario::tokenText(const std::string& name) const {
  const auto& tokens = vector.at("tokens");
  if (!tokens.contains(name)) return name;
  return mintNamed(name, tokens[name], vector.at("baseMs"));
}

std::vector<ScoreScenario> loadScoreScenarios(const std::string& file, const std::string& list) {
  std::vector<ScoreScenario> scenarios;
  const nlohmann::json vectors = loadVectors(file);
  for (const auto& v : vectors.at(list)) {
    ScoreScenario scenario;
    scenario.vector = v;
    const auto& settings = v.value("settings", nlohmann::json::object());
    scenario.settings.chainFactor = settings.value("chainFactor", scenario.settings.chainFactor);
    scenario.settings.chainLevels = settings.value("chainLevels", scenario.settings.chainLevels);
    for (const auto& e : v.at("events")) scenario.events.push_back(storedFrom(e, scenario, v.at("baseMs")));
    scenarios.push_back(std::move(scenario));
  }
  return scenarios;
}

std::string ScoreScenario::tokenName(const std::string& text) const {
  for (const auto& [name, spec] : vector.at("tokens").items()) {
    if (tokenText(name) == text) return name;
  }
  return text;
}

bool sameFigures(const nlohmann::json& a, const nlohmann::json& b) {
  if (a.is_number() && b.is_number()) {
    const double x = a.get<double>(), y = b.get<double>();
    return std::fabs(x - y) <= 1e-9 * std::max({1.0, std::fabs(x), std::fabs(y)});
  }
  if (a.type() != b.type() || a.size() != b.size()) return false;
  if (a.is_array()) {
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!sameFigures(a[i], b[i])) return false;
    }
    return true;
  }
  if (a.is_object()) {
    for (const auto& [key, value] : a.items()) {
      if (!b.contains(key) || !sameFigures(value, b[key])) return false;
    }
    return true;
  }
  return a == b;
}

nlohmann::json scoreFigures(const ScoreBook& book, const ScoreScenario& scenario, const nlohmann::json& expect) {
  nlohmann::json figures;
  nlohmann::json verdicts = nlohmann::json::object();
  for (const auto& [id, verdict] : expect.at("verdicts").items()) {
    const auto found = book.verdictOf(id);
    verdicts[id] = found ? nlohmann::json(std::string(verdictName(*found))) : nlohmann::json(nullptr);
  }
  figures["verdicts"] = verdicts;
  figures["leaderboard"] = nlohmann::json::array();
  for (const Standing& row : book.leaderboard(Audience::visitor, LeaderOrder::score, 100)) {
    figures["leaderboard"].push_back(standingJson(row));
  }
  figures["subscribers"] = nlohmann::json::array();
  for (const Standing& row : book.leaderboard(Audience::subscriber, LeaderOrder::score, 100)) {
    figures["subscribers"].push_back(standingJson(row));
  }
  figures["levels"] = nlohmann::json::object();
  for (const Standing& row : book.leaderboard(Audience::visitor, LeaderOrder::score, 100)) {
    nlohmann::json levels = nlohmann::json::array();
    const ScoreBreakdown breakdown = *book.visitorScore(row.id);
    for (const LevelScore& level : breakdown.levels) {
      while (levels.size() < static_cast<std::size_t>(level.level)) levels.push_back(0);
      levels.push_back(level.clickbacks);
    }
    figures["levels"][row.id] = levels;
  }
  figures["cascades"] = nlohmann::json::array();
  const auto cascades = book.cascades(TimeRange{}, CascadeOrder::size, 100);
  for (const CascadeSummary& c : cascades) {
    figures["cascades"].push_back({{"id", scenario.tokenName(c.id)},
                                   {"content", c.content},
                                   {"root", c.root ? nlohmann::json(*c.root) : nlohmann::json(nullptr)},
                                   {"size", c.measures.size},
                                   {"depth", c.measures.depth},
                                   {"maxBreadth", c.measures.maxBreadth},
                                   {"virality", optionalJson(c.measures.virality)}});
  }
  if (!cascades.empty()) figures["tree"] = treeJson(book.cascadeTree(cascades.front().id, 1000)->root);
  const std::string content = expect.at("cascades").empty() ? "" : expect["cascades"][0].value("content", "");
  const auto engagement = book.content(content, TimeRange{});
  const EngagementCounts& c = engagement->counts;
  const auto channel = [](std::size_t i) { return channelName(static_cast<Channel>(i)); };
  const auto verdict = [](std::size_t i) { return verdictName(static_cast<Verdict>(i)); };
  const EngagementCounts site = book.totals(TimeRange{});
  figures["engagement"] = {{"rendered", c.rendered},
                           {"viewable", c.viewable},
                           {"pageViewsWithShare", c.pageViewsWithShare},
                           {"dwellMs", c.dwellMs},
                           {"dwellMedianMs", engagement->dwellMedianMs ? nlohmann::json(*engagement->dwellMedianMs)
                                                                       : nlohmann::json(nullptr)},
                           {"videoStarts", c.videoStarts},
                           {"videoQuartiles", c.videoQuartiles},
                           {"botPageViews", c.botPageViews},
                           {"shares", namedCounts(c.shares, channel, false)},
                           {"clickbacks", namedCounts(c.clickbacks, channel, false)},
                           {"verdicts", namedCounts(c.verdicts, verdict, true)},
                           {"sharers", c.sharers},
                           {"arrivals", c.arrivals},
                           {"conversions", site.conversions},
                           {"conversionValue", static_cast<double>(site.conversionValueMicros) / 1e6},
                           {"creditedConversions", c.creditedConversions},
                           {"creditedValue", static_cast<double>(c.creditedValueMicros) / 1e6},
                           {"viewableRate", optionalJson(engagement->rates.viewableRate)},
                           {"shareRate", optionalJson(engagement->rates.shareRate)},
                           {"clickbacksPerShare", optionalJson(engagement->rates.clickbacksPerShare)},
                           {"viralCoefficient", optionalJson(engagement->rates.viralCoefficient)}};
  return figures;
}

}  // namespace sharetrack::test
