#include "query_api.hpp"

#include <sodium.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "bearer_token.hpp"
#include "percent_decoding.hpp"
#include "sharetrack/credit_split.hpp"
#include "sharetrack/field_rules.hpp"
#include "sharetrack/token.hpp"

namespace sharetrack::collector {
namespace {

namespace http = boost::beast::http;
using nlohmann::json;

constexpr std::string_view kPrefix = "/v1/sites/";
constexpr std::int64_t kDefaultSpanMs = 30 * kDayMs;
constexpr std::int64_t kMaxSpanMs = 731 * kDayMs;
constexpr std::int64_t kMaxHourlySpanMs = 31 * kDayMs;
constexpr std::int64_t kMaxMs = std::int64_t{1} << 53;
constexpr std::size_t kDefaultRows = 50, kMaxRows = 1000;
constexpr std::size_t kDefaultNodes = 500, kMaxNodes = 5000;

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

Reply badRequest(ErrorCode code, const std::string& message) { return refusal(400, code, message); }

Reply jsonReply(const json& body) {
  Reply reply;
  reply.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return reply;
}

json optionalJson(const std::optional<double>& value) { return value ? json(*value) : json(nullptr); }

json channelCounts(const std::array<std::int64_t, kChannelCount>& counts) {
  json out = json::object();
  for (std::size_t i = 0; i < kChannelCount; ++i) {
    if (counts[i]) out[std::string(channelName(static_cast<Channel>(i)))] = counts[i];
  }
  return out;
}

json verdictCounts(const std::array<std::int64_t, kVerdictCount>& verdicts) {
  json out = json::object();
  for (std::size_t i = 0; i < kVerdictCount; ++i) out[std::string(verdictName(static_cast<Verdict>(i)))] = verdicts[i];
  return out;
}

double units(std::int64_t micros) { return static_cast<double>(micros) / kMicrosPerUnit; }

json cascadeJson(const CascadeSummary& c) {
  return {{"id", c.id},
          {"content", c.content},
          {"root", c.root ? json(*c.root) : json(nullptr)},
          {"startedAt", c.startedAtMs},
          {"size", c.measures.size},
          {"depth", c.measures.depth},
          {"maxBreadth", c.measures.maxBreadth},
          {"virality", optionalJson(c.measures.virality)},
          {"shape", c.measures.viral() ? "viral" : "broadcast"}};
}

json figuresJson(const EngagementCounts& c, const std::optional<CascadeSummary>& largest) {
  const EngagementRates rates = ratesOf(c);
  return {{"renderedImpressions", c.rendered},
          {"viewableImpressions", c.viewable},
          {"viewableRate", optionalJson(rates.viewableRate)},
          {"pageViewsWithShare", c.pageViewsWithShare},
          {"shares", c.totalShares()},
          {"reshares", c.reshares},
          {"shareRate", optionalJson(rates.shareRate)},
          {"countedClickbacks", c.countedClickbacks()},
          {"clickbacksPerShare", optionalJson(rates.clickbacksPerShare)},
          {"viralCoefficient", optionalJson(rates.viralCoefficient)},
          {"sharers", c.sharers},
          {"arrivals", c.arrivals},
          {"conversions", c.conversions},
          {"conversionValue", units(c.conversionValueMicros)},
          {"creditedConversions", c.creditedConversions},
          {"creditedValue", units(c.creditedValueMicros)},
          {"largestCascade", largest ? cascadeJson(*largest) : json(nullptr)}};
}

json contentJson(const ContentEngagement& e) {
  const EngagementCounts& c = e.counts;
  return {{"content", e.content},
          {"renderedImpressions", c.rendered},
          {"viewableImpressions", c.viewable},
          {"viewableRate", optionalJson(e.rates.viewableRate)},
          {"dwellMs", {{"total", c.dwellMs}, {"median", e.dwellMedianMs ? json(*e.dwellMedianMs) : json(nullptr)}}},
          {"video", {{"starts", c.videoStarts}, {"quartiles", c.videoQuartiles}}},
          {"shares", channelCounts(c.shares)},
          {"shareRate", optionalJson(e.rates.shareRate)},
          {"countedClickbacks", c.countedClickbacks()},
          {"clickbacksPerShare", optionalJson(e.rates.clickbacksPerShare)},
          {"viralCoefficient", optionalJson(e.rates.viralCoefficient)},
          {"sharers", c.sharers},
          {"arrivals", c.arrivals}};
}

json standingJson(const Standing& s) {
  return {{"id", s.id},
          {"score", s.score},
          {"countedClickbacks", s.countedClickbacks},
          {"conversionsInfluenced", s.conversionsInfluenced},
          {"conversionCredit", units(s.conversionCreditMicros)}};
}

json nodeJson(const CascadeNode& node) {
  json children = json::array();
  for (const CascadeNode& child : node.children) children.push_back(nodeJson(child));
  return {{"visitor", node.visitor ? json(*node.visitor) : json(nullptr)},
          {"depth", node.depth},
          {"size", node.size},
          {"countedClickbacks", node.countedClickbacks},
          {"hiddenChildren", node.hiddenChildren},
          {"children", children}};
}

// A CSV field: quoted when it holds a separator, a quote or a line break.
std::string csvField(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string csvNumber(const std::optional<double>& value) {
  if (!value) return "";
  std::ostringstream out;
  out.precision(10);
  out << *value;
  return out.str();
}

Reply csvReply(const std::string& body, const std::string& fileName) {
  Reply reply;
  reply.body = body;
  reply.contentType = "text/csv; charset=utf-8";
  reply.headers = {{"Content-Disposition", "attachment; filename=\"" + fileName + "\""}};
  return reply;
}

// One request's parameters and the rules for reading them.
class Query {
 public:
  Query(std::map<std::string, std::string> params, std::int64_t nowMs) : params_(std::move(params)), nowMs_(nowMs) {}

  // parameter_unknown for any parameter the route does not take.
  Status onlyKnown(std::initializer_list<const char*> known) const {
    for (const auto& param : params_) {
      const std::string& name = param.first;  // a lambda may not capture a structured binding before C++20
      const bool listed = std::any_of(known.begin(), known.end(), [&](const char* k) { return name == k; });
      if (!listed) return makeError(ErrorCode::parameterUnknown, "unknown parameter '" + name.substr(0, 64) + "'");
    }
    return {};
  }

  // from/to in Unix milliseconds, widened to whole hours; the last 30 days by default.
  Result<TimeRange> range() const {
    TimeRange range;
    SHARETRACK_RETURN_IF_ERROR(time("to", ceilTo(nowMs_, kHourMs), range.toMs));
    SHARETRACK_RETURN_IF_ERROR(time("from", range.toMs - kDefaultSpanMs, range.fromMs));
    if (range.fromMs >= range.toMs) return makeError(ErrorCode::rangeInvalid, "from must be before to");
    range.fromMs = floorTo(range.fromMs, kHourMs);
    range.toMs = ceilTo(range.toMs, kHourMs);
    if (range.toMs - range.fromMs > kMaxSpanMs) return makeError(ErrorCode::rangeInvalid, "a range spans at most 731 days");
    return range;
  }

  Result<std::size_t> count(const char* name, std::size_t fallback, std::size_t max) const {
    const auto it = params_.find(name);
    if (it == params_.end()) return fallback;
    const std::string& text = it->second;
    const bool digits = !text.empty() && text.size() <= 7 && text.find_first_not_of("0123456789") == std::string::npos;
    const std::size_t value = digits ? std::stoul(text) : 0;
    if (!digits || value < 1 || value > max) {
      return makeError(ErrorCode::limitInvalid, std::string(name) + " is a whole number from 1 to " + std::to_string(max));
    }
    return value;
  }

  // One of `choices` (the first is the default), as its index.
  Result<std::size_t> choice(const char* name, std::initializer_list<const char*> choices) const {
    const auto it = params_.find(name);
    if (it == params_.end()) return 0;
    std::size_t i = 0;
    std::string listed;
    for (const char* c : choices) {
      if (it->second == c) return i;
      listed += (i++ ? ", " : "") + std::string(c);
    }
    return makeError(ErrorCode::sortUnknown, std::string(name) + " is one of " + listed);
  }

  // What most routes take: parameters among `known` only, a range, and a content when known.
  struct Scope {
    TimeRange range;
    std::string content;
  };
  Result<Scope> scope(std::initializer_list<const char*> known) const {
    SHARETRACK_RETURN_IF_ERROR(onlyKnown(known));
    Scope scope;
    SHARETRACK_ASSIGN_OR_RETURN(scope.range, range());
    SHARETRACK_ASSIGN_OR_RETURN(scope.content, content());
    return scope;
  }

  // An optional content id; empty when absent.
  Result<std::string> content() const {
    const auto it = params_.find("content");
    if (it == params_.end()) return std::string();
    if (!validateString(it->second, rules::content, "content")) {
      return makeError(ErrorCode::idInvalid, "content: 1-128 of " + std::string(rules::content.charset.description()));
    }
    return it->second;
  }

 private:
  Status time(const char* name, std::int64_t fallback, std::int64_t& into) const {
    const auto it = params_.find(name);
    if (it == params_.end()) {
      into = fallback;
      return {};
    }
    const std::string& text = it->second;
    if (text.empty() || text.size() > 16 || text.find_first_not_of("0123456789") != std::string::npos ||
        std::stoll(text) > kMaxMs) {
      return makeError(ErrorCode::rangeInvalid, std::string(name) + " is a time in Unix milliseconds, 0 to 2^53");
    }
    into = std::stoll(text);
    return {};
  }

  std::map<std::string, std::string> params_;
  std::int64_t nowMs_;
};

Result<std::map<std::string, std::string>> parseParams(std::string_view query) {
  std::map<std::string, std::string> params;
  if (query.empty()) return params;
  for (const std::string_view pair : split(query, '&')) {
    if (pair.empty()) continue;
    const std::size_t equals = pair.find('=');
    const auto name = percentDecoded(pair.substr(0, equals));
    const auto value = percentDecoded(equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1));
    if (!name || !value) return makeError(ErrorCode::requestInvalid, "a broken %-escape in the query");
    params[*name] = *value;
  }
  return params;
}

std::string randomHex(std::size_t bytes) {
  std::vector<unsigned char> random(bytes);
  randombytes_buf(random.data(), random.size());
  std::string hex(bytes * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), random.data(), random.size());
  hex.pop_back();
  return hex;
}

json erasureJson(const ErasureCounts& c) {
  return {{"visitors", c.visitors},
          {"shares", c.shares},
          {"clickbacks", c.clickbacks},
          {"summaries", c.summaries},
          {"conversions", c.conversions}};
}

}  // namespace

QueryApi::QueryApi(const SitesConfig& sites, ScoreKeeper& keeper, BatchWriter& writer)
    : sites_(sites), everyToken_(sites.accessTokens), keeper_(keeper), writer_(writer) {
  for (const Site& s : sites.sites) everyToken_.insert(everyToken_.end(), s.accessTokens.begin(), s.accessTokens.end());
}

bool QueryApi::handles(std::string_view path) { return path.substr(0, kPrefix.size()) == kPrefix; }

void QueryApi::handle(const HttpRequest& request, std::int64_t nowMs, std::function<void(Reply)> done) {
  const std::string_view target = request.target();
  const std::size_t question = target.find('?');
  const std::string_view path = target.substr(0, question);
  std::vector<std::string> segments;
  for (const std::string_view raw : split(path.substr(kPrefix.size()), '/')) {
    const auto segment = percentDecoded(raw);
    if (!segment) return done(badRequest(ErrorCode::requestInvalid, "a broken %-escape in the path"));
    segments.push_back(*segment);
  }

  // 401 for a token that is nobody's; then the site; then 403 for another site's token.
  const std::string_view authorization = request[http::field::authorization];
  if (!bearerTokenMatches(authorization, everyToken_)) {
    Reply refused = refusal(401, ErrorCode::unauthorized, "the query API needs one of the site's access tokens as a bearer token");
    refused.headers = {{"WWW-Authenticate", "Bearer"}};
    return done(std::move(refused));
  }
  const Site* site = sites_.find(segments.front());
  if (!site) return done(badRequest(ErrorCode::siteUnknown, "site '" + segments.front().substr(0, 64) + "' is not served here"));
  if (!bearerTokenMatches(authorization, site->accessTokens)) {
    return done(refusal(403, ErrorCode::forbidden, "this token does not read site " + site->id));
  }
  const auto params = parseParams(question == std::string_view::npos ? std::string_view() : target.substr(question + 1));
  if (!params) return done(badRequest(params.error().code, params.error().message));
  const Query query(params.value(), nowMs);
  const std::vector<std::string> route(segments.begin() + 1, segments.end());
  const http::verb method = request.method();
  const auto is = [&](std::initializer_list<const char*> shape) {
    if (shape.size() != route.size()) return false;
    std::size_t i = 0;
    for (const char* part : shape) {
      if (std::string_view(part) != "*" && route[i] != part) return false;
      ++i;
    }
    return true;
  };
  const auto answer = [&](Result<Reply> reply) {
    if (!reply) {
      const ErrorCode code = reply.error().code;
      return done(refusal(code == ErrorCode::notFound ? 404 : 400, code, reply.error().message));
    }
    Reply out = std::move(reply).value();
    out.site = site->id;
    done(std::move(out));
  };
  const auto read = [&](auto reader) { return keeper_.read(site->id, reader); };

  if (method == http::verb::delete_ && (is({"visitors", "*"}) || is({"subscribers", "*"}))) {
    const bool bySubscriber = route[0] == "subscribers";
    const std::string& id = route[1];
    if (auto known = query.onlyKnown({}); !known) return answer(known.error());
    const bool valid = bySubscriber ? validateString(id, rules::subscriber, "id").ok()
                                    : validateString(id, rules::visitor, "id").ok();
    if (!valid) {
      return answer(makeError(ErrorCode::idInvalid, bySubscriber ? "a subscriber id is 1-128 of A-Z a-z 0-9 - _ . ~ :"
                                                                 : "a visitor id is 32 lowercase hex digits"));
    }
    const std::string siteId = site->id;
    ScoreKeeper& keeper = keeper_;
    writer_.submit([siteId, id, bySubscriber, &keeper, done](Storage* storage) {
      if (!storage) return done(refusal(503, ErrorCode::storageUnavailable, "the collector is shutting down", 5));
      // A subscriber's visitors from the rows, not the scores: with several collectors, this one's
      // books may not yet hold what another stored a moment ago.
      auto visitors = bySubscriber ? storage->visitorsOf(siteId, id)
                                   : Result<std::vector<std::string>>(std::vector<std::string>{id});
      if (!visitors) return done(refusal(503, ErrorCode::storageUnavailable, visitors.error().message, 5));
      ErasureCounts total;
      for (const std::string& visitor : visitors.value()) {
        const std::string anonymous = "erased-" + randomHex(12);
        if (Status erased = storage->eraseVisitor(siteId, visitor, anonymous); !erased) {
          return done(refusal(503, ErrorCode::storageUnavailable, erased.error().message, 5));
        }
        const ErasureCounts counts = keeper.erase(siteId, visitor, anonymous);
        // A subscriber's visitors come from the rows, so each had some, whatever these scores held.
        total.visitors += bySubscriber ? 1 : counts.visitors;
        total.shares += counts.shares;
        total.clickbacks += counts.clickbacks;
        total.summaries += counts.summaries;
        total.conversions += counts.conversions;
      }
      Reply reply = jsonReply(
          {{"deleted", erasureJson(total)},
           {"message", total.nothing() ? "nothing to delete: no events of this " +
                                             std::string(bySubscriber ? "subscriber" : "visitor") + " are stored"
                                       : "deleted; their places in cascades are anonymous now"}});
      reply.site = siteId;
      done(std::move(reply));
    });
    return;
  }
  if (method != http::verb::get) {
    Reply refused = refusal(405, ErrorCode::methodNotAllowed, std::string(request.method_string()) + " is not allowed here");
    refused.headers = {{"Allow", route.size() == 2 && (route[0] == "visitors" || route[0] == "subscribers") ? "DELETE" : "GET"}};
    return done(std::move(refused));
  }

  if (is({"overview"})) {
    return answer([&]() -> Result<Reply> {
      Query::Scope scope;
      SHARETRACK_ASSIGN_OR_RETURN(scope, query.scope({"from", "to", "content"}));
      TimeRange& range = scope.range;
      const std::string& content = scope.content;
      const TimeRange previous{range.fromMs - (range.toMs - range.fromMs), range.fromMs};
      return read([&](const ScoreBook& book) {
        const auto figures = [&](const TimeRange& r) {
          const auto largest = book.cascades(r, CascadeOrder::size, 1, content);
          return figuresJson(book.totals(r, content),
                             largest.empty() ? std::nullopt : std::optional<CascadeSummary>(largest.front()));
        };
        return jsonReply({{"site", site->id},
                          {"from", range.fromMs},
                          {"to", range.toMs},
                          {"content", content.empty() ? json(nullptr) : json(content)},
                          {"current", figures(range)},
                          {"previous", {{"from", previous.fromMs}, {"to", previous.toMs}, {"figures", figures(previous)}}}});
      });
    }());
  }
  if (is({"series"})) {
    return answer([&]() -> Result<Reply> {
      Query::Scope scope;
      SHARETRACK_ASSIGN_OR_RETURN(scope, query.scope({"from", "to", "step", "content"}));
      TimeRange& range = scope.range;
      const std::string& content = scope.content;
      std::size_t step = 0;
      SHARETRACK_ASSIGN_OR_RETURN(step, query.choice("step", {"day", "hour"}));
      const std::int64_t stepMs = step == 0 ? kDayMs : kHourMs;
      if (stepMs == kHourMs && range.toMs - range.fromMs > kMaxHourlySpanMs) {
        return makeError(ErrorCode::rangeInvalid, "by the hour, a range spans at most 31 days");
      }
      range.fromMs = floorTo(range.fromMs, stepMs);
      range.toMs = ceilTo(range.toMs, stepMs);
      return read([&](const ScoreBook& book) {
        json points = json::array();
        std::int64_t at = range.fromMs;
        for (const EngagementCounts& c : book.series(range, stepMs, content)) {
          points.push_back({{"at", at},
                            {"viewableImpressions", c.viewable},
                            {"shares", c.totalShares()},
                            {"countedClickbacks", c.countedClickbacks()},
                            {"arrivals", c.arrivals},
                            {"conversions", c.conversions},
                            {"creditedConversions", c.creditedConversions}});
          at += stepMs;
        }
        return jsonReply({{"site", site->id},
                          {"from", range.fromMs},
                          {"to", range.toMs},
                          {"step", step == 0 ? "day" : "hour"},
                          {"content", content.empty() ? json(nullptr) : json(content)},
                          {"points", points}});
      });
    }());
  }
  if (is({"contents"}) || is({"export", "contents.csv"})) {
    const bool csv = route[0] == "export";
    return answer([&]() -> Result<Reply> {
      Query::Scope scope;
      SHARETRACK_ASSIGN_OR_RETURN(scope, query.scope({"from", "to"}));
      const TimeRange& range = scope.range;
      const auto contents = read([&](const ScoreBook& book) { return book.contents(range); });
      if (!csv) {
        json rows = json::array();
        for (const ContentEngagement& c : contents) rows.push_back(contentJson(c));
        return jsonReply({{"site", site->id}, {"from", range.fromMs}, {"to", range.toMs}, {"contents", rows}});
      }
      std::string out = "content,rendered_impressions,viewable_impressions,viewable_rate,dwell_total_ms,dwell_median_ms,"
                        "video_starts,video_25,video_50,video_75,video_100";
      for (std::size_t i = 0; i < kChannelCount; ++i) out += ",shares_" + std::string(channelName(static_cast<Channel>(i)));
      out += ",share_rate,counted_clickbacks,clickbacks_per_share,viral_coefficient\r\n";
      for (const ContentEngagement& e : contents) {
        const EngagementCounts& c = e.counts;
        out += csvField(e.content) + "," + std::to_string(c.rendered) + "," + std::to_string(c.viewable) + "," +
               csvNumber(e.rates.viewableRate) + "," + std::to_string(c.dwellMs) + "," +
               (e.dwellMedianMs ? std::to_string(*e.dwellMedianMs) : "") + "," + std::to_string(c.videoStarts);
        for (const std::int64_t q : c.videoQuartiles) out += "," + std::to_string(q);
        for (const std::int64_t n : c.shares) out += "," + std::to_string(n);
        out += "," + csvNumber(e.rates.shareRate) + "," + std::to_string(c.countedClickbacks()) + "," +
               csvNumber(e.rates.clickbacksPerShare) + "," + csvNumber(e.rates.viralCoefficient) + "\r\n";
      }
      return csvReply(out, site->id + "-contents.csv");
    }());
  }
  if (is({"contents", "*"})) {
    return answer([&]() -> Result<Reply> {
      Query::Scope scope;
      SHARETRACK_ASSIGN_OR_RETURN(scope, query.scope({"from", "to"}));
      const TimeRange& range = scope.range;
      if (!validateString(route[1], rules::content, "content")) {
        return makeError(ErrorCode::idInvalid, "a content id is 1-128 of " + std::string(rules::content.charset.description()));
      }
      const auto engagement = read([&](const ScoreBook& book) { return book.content(route[1], range); });
      if (!engagement) return makeError(ErrorCode::notFound, "no events of content '" + route[1] + "' are stored");
      json body = contentJson(*engagement);
      body["site"] = site->id;
      body["from"] = range.fromMs;
      body["to"] = range.toMs;
      return jsonReply(body);
    }());
  }
  if (is({"channels"})) {
    return answer([&]() -> Result<Reply> {
      Query::Scope scope;
      SHARETRACK_ASSIGN_OR_RETURN(scope, query.scope({"from", "to", "content"}));
      TimeRange& range = scope.range;
      const std::string& content = scope.content;
      const EngagementCounts c = read([&](const ScoreBook& book) { return book.totals(range, content); });
      json rows = json::array();
      for (std::size_t i = 0; i < kChannelCount; ++i) {
        rows.push_back({{"channel", channelName(static_cast<Channel>(i))},
                        {"shares", c.shares[i]},
                        {"countedClickbacks", c.clickbacks[i]}});
      }
      return jsonReply({{"site", site->id}, {"from", range.fromMs}, {"to", range.toMs}, {"channels", rows}});
    }());
  }
  if (is({"leaderboard"}) || is({"export", "leaderboard.csv"})) {
    const bool csv = route[0] == "export";
    return answer([&]() -> Result<Reply> {
      SHARETRACK_RETURN_IF_ERROR(query.onlyKnown({"by", "sort", "limit"}));
      std::size_t by = 0, sort = 0, limit = 0;
      SHARETRACK_ASSIGN_OR_RETURN(by, query.choice("by", {"visitor", "subscriber"}));
      SHARETRACK_ASSIGN_OR_RETURN(sort, query.choice("sort", {"score", "clickbacks", "conversions"}));
      SHARETRACK_ASSIGN_OR_RETURN(limit, query.count("limit", csv ? kMaxRows : kDefaultRows, kMaxRows));
      const auto rows = read([&](const ScoreBook& book) {
        return book.leaderboard(static_cast<Audience>(by), static_cast<LeaderOrder>(sort), limit);
      });
      if (csv) {
        std::string out = std::string(by == 0 ? "visitor" : "subscriber") +
                          ",score,counted_clickbacks,conversions_influenced,conversion_credit\r\n";
        for (const Standing& s : rows) {
          out += csvField(s.id) + "," + csvNumber(s.score) + "," + std::to_string(s.countedClickbacks) + "," +
                 std::to_string(s.conversionsInfluenced) + "," + csvNumber(units(s.conversionCreditMicros)) + "\r\n";
        }
        return csvReply(out, site->id + "-leaderboard.csv");
      }
      json out = json::array();
      for (const Standing& s : rows) out.push_back(standingJson(s));
      return jsonReply({{"site", site->id},
                        {"by", by == 0 ? "visitor" : "subscriber"},
                        {"sort", sort == 0 ? "score" : sort == 1 ? "clickbacks" : "conversions"},
                        {"rows", out}});
    }());
  }
  if (is({"visitors", "*", "score"})) {
    return answer([&]() -> Result<Reply> {
      SHARETRACK_RETURN_IF_ERROR(query.onlyKnown({}));
      if (!validateString(route[1], rules::visitor, "visitor")) {
        return makeError(ErrorCode::idInvalid, "a visitor id is 32 lowercase hex digits");
      }
      const auto score = read([&](const ScoreBook& book) { return book.visitorScore(route[1]); });
      if (!score) return makeError(ErrorCode::notFound, "no events of visitor " + route[1] + " are stored");
      json levels = json::array();
      for (const LevelScore& l : score->levels) {
        levels.push_back({{"level", l.level}, {"clickbacks", l.clickbacks}, {"points", l.points}});
      }
      json body = standingJson(score->standing);
      body.erase("id");
      body["visitor"] = score->standing.id;
      body["site"] = site->id;
      body["levels"] = levels;
      body["subscribers"] = score->subscribers;
      return jsonReply(body);
    }());
  }
  if (is({"cascades"})) {
    return answer([&]() -> Result<Reply> {
      Query::Scope scope;
      SHARETRACK_ASSIGN_OR_RETURN(scope, query.scope({"from", "to", "sort", "limit", "content"}));
      TimeRange& range = scope.range;
      const std::string& content = scope.content;
      std::size_t sort = 0, limit = 0;
      SHARETRACK_ASSIGN_OR_RETURN(sort, query.choice("sort", {"size", "depth", "virality"}));
      SHARETRACK_ASSIGN_OR_RETURN(limit, query.count("limit", kDefaultRows, kMaxRows));
      const auto cascades = read([&](const ScoreBook& book) {
        return book.cascades(range, static_cast<CascadeOrder>(sort), limit, content);
      });
      json rows = json::array();
      for (const CascadeSummary& c : cascades) rows.push_back(cascadeJson(c));
      return jsonReply({{"site", site->id}, {"from", range.fromMs}, {"to", range.toMs}, {"cascades", rows}});
    }());
  }
  if (is({"cascades", "*"})) {
    return answer([&]() -> Result<Reply> {
      SHARETRACK_RETURN_IF_ERROR(query.onlyKnown({"maxNodes"}));
      if (!parseToken(route[1])) return makeError(ErrorCode::idInvalid, "a cascade id is the share token of its root");
      std::size_t maxNodes = 0;
      SHARETRACK_ASSIGN_OR_RETURN(maxNodes, query.count("maxNodes", kDefaultNodes, kMaxNodes));
      const auto tree = read([&](const ScoreBook& book) { return book.cascadeTree(route[1], maxNodes); });
      if (!tree) return makeError(ErrorCode::notFound, "no cascade " + route[1]);
      return jsonReply({{"site", site->id},
                        {"cascade", cascadeJson(tree->summary)},
                        {"shownNodes", tree->shownNodes},
                        {"root", nodeJson(tree->root)}});
    }());
  }
  if (is({"tokens", "*"})) {
    return answer([&]() -> Result<Reply> {
      SHARETRACK_RETURN_IF_ERROR(query.onlyKnown({}));
      if (!parseToken(route[1])) return makeError(ErrorCode::idInvalid, route[1].substr(0, 64) + " is not a share token");
      const auto report = read([&](const ScoreBook& book) { return book.token(route[1]); });
      if (!report) return makeError(ErrorCode::notFound, "no event names the token " + route[1]);
      const auto orNull = [](const std::optional<std::string>& text) { return text ? json(*text) : json(nullptr); };
      return jsonReply({{"site", site->id},
                        {"token", report->token},
                        {"channel", channelName(report->channel)},
                        {"depth", report->depth},
                        {"registered", report->registered},
                        {"content", orNull(report->content)},
                        {"minter", orNull(report->minter)},
                        {"visitors", report->visitors},
                        {"verdicts", verdictCounts(report->verdicts)}});
    }());
  }
  if (is({"verdicts"})) {
    return answer([&]() -> Result<Reply> {
      Query::Scope scope;
      SHARETRACK_ASSIGN_OR_RETURN(scope, query.scope({"from", "to", "content"}));
      TimeRange& range = scope.range;
      const std::string& content = scope.content;
      const EngagementCounts c = read([&](const ScoreBook& book) { return book.totals(range, content); });
      return jsonReply({{"site", site->id},
                        {"from", range.fromMs},
                        {"to", range.toMs},
                        {"verdicts", verdictCounts(c.verdicts)},
                        {"botPageViews", c.botPageViews}});
    }());
  }
  done(refusal(404, ErrorCode::notFound, "no such path: " + std::string(path.substr(0, 200))));
}

}  // namespace sharetrack::collector
