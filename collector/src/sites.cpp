#include "sites.hpp"

#include "sharetrack/score_book.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "located_json.hpp"
#include "sharetrack/field_rules.hpp"
#include "sharetrack/protocol_limits.hpp"

namespace sharetrack::collector {
namespace {

using nlohmann::json;

constexpr std::size_t kMinTokenLength = 16;

// Names what is wrong where: "sites.json:7: sites[0].origins[1]: ...".
class ConfigReader {
 public:
  ConfigReader(const LocatedJson& located, std::string_view fileName) : located_(located), fileName_(fileName) {}

  Error error(const std::string& pointer, const std::string& what) const {
    return makeError(ErrorCode::configInvalid, std::string(fileName_) + ":" + std::to_string(located_.lineOf(pointer)) +
                                                   ": " + readable(pointer) + ": " + what);
  }

  // "/sites/0/origins/1" -> "sites[0].origins[1]"
  static std::string readable(const std::string& pointer) {
    if (pointer.empty()) return "(top level)";
    std::string out;
    std::size_t start = 1;
    while (start <= pointer.size()) {
      std::size_t end = pointer.find('/', start);
      if (end == std::string::npos) end = pointer.size();
      const std::string part = pointer.substr(start, end - start);
      const bool index = !part.empty() && part.find_first_not_of("0123456789") == std::string::npos;
      out += index ? "[" + part + "]" : (out.empty() ? "" : ".") + part;
      start = end + 1;
    }
    return out;
  }

 private:
  const LocatedJson& located_;
  std::string_view fileName_;
};

// "scheme://host[:port]" as browsers send it in the Origin header: no path, no trailing slash.
bool isOrigin(const std::string& text) {
  std::size_t hostStart = 0;
  if (text.rfind("https://", 0) == 0)
    hostStart = 8;
  else if (text.rfind("http://", 0) == 0)
    hostStart = 7;
  else
    return false;
  if (text.size() == hostStart) return false;
  for (std::size_t i = hostStart; i < text.size(); ++i) {
    const char c = text[i];
    const bool allowed =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == ':' || c == '[' || c == ']';
    if (!allowed) return false;
  }
  return true;
}

Result<std::vector<std::string>> readTokens(const ConfigReader& reader, const json& object, const std::string& pointer,
                                            std::set<std::string>& seen) {
  std::vector<std::string> tokens;
  const auto it = object.find("accessTokens");
  if (it == object.end()) return tokens;
  const std::string here = pointer + "/accessTokens";
  if (!it->is_array()) return reader.error(here, "must be a list of strings");
  for (std::size_t i = 0; i < it->size(); ++i) {
    const json& token = (*it)[i];
    const std::string at = here + "/" + std::to_string(i);
    if (!token.is_string()) return reader.error(at, "must be a string");
    const auto text = token.get<std::string>();
    const bool printable = std::all_of(text.begin(), text.end(), [](char c) { return c > ' ' && c < 127; });
    if (text.size() < kMinTokenLength || !printable) {
      return reader.error(at, "an access token needs at least 16 printable characters and no spaces");
    }
    if (!seen.insert(text).second) return reader.error(at, "this access token is used twice");
    tokens.push_back(text);
  }
  return tokens;
}

Status checkKeys(const ConfigReader& reader, const json& object, const std::string& pointer,
                 std::initializer_list<const char*> known) {
  for (const auto& [key, value] : object.items()) {
    if (std::none_of(known.begin(), known.end(), [&key = key](const char* k) { return key == k; })) {
      return reader.error(pointer + "/" + key, "unknown setting (a typo?)");
    }
  }
  return {};
}

Result<double> readNumber(const ConfigReader& reader, const json& object, const std::string& pointer, const char* key,
                          double fallback, double min, double max) {
  const auto it = object.find(key);
  if (it == object.end()) return fallback;
  const std::string at = pointer + "/" + key;
  if (!it->is_number()) return reader.error(at, "must be a number");
  const double value = it->get<double>();
  if (!std::isfinite(value) || value < min || value > max) {
    return reader.error(at, "must be from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return value;
}

Result<Site> readSite(const ConfigReader& reader, const json& object, const std::string& pointer,
                      std::set<std::string>& tokens) {
  if (!object.is_object()) return reader.error(pointer, "a site must be an object");
  SHARETRACK_RETURN_IF_ERROR(checkKeys(
      reader, object, pointer,
      {"id", "origins", "rateLimit", "conversionWeight", "maxConversionValue", "requireOrigin", "accessTokens",
       "scoring"}));
  Site site;
  const auto id = object.find("id");
  if (id == object.end()) return reader.error(pointer, "a site needs an \"id\"");
  if (!id->is_string()) return reader.error(pointer + "/id", "must be a string");
  site.id = id->get<std::string>();
  if (!validateString(site.id, rules::site, "id")) {
    return reader.error(pointer + "/id", "must be 1-" + std::to_string(rules::site.maxLength) + " of " +
                                             std::string(rules::site.charset.description()));
  }

  const auto origins = object.find("origins");
  if (origins == object.end() || !origins->is_array() || origins->empty()) {
    return reader.error(pointer + "/origins", "a site needs a non-empty list of origins");
  }
  for (std::size_t i = 0; i < origins->size(); ++i) {
    const std::string at = pointer + "/origins/" + std::to_string(i);
    const json& origin = (*origins)[i];
    if (!origin.is_string() || !isOrigin(origin.get<std::string>())) {
      return reader.error(
          at, "an origin is scheme://host[:port] in lower case, with no path (e.g. https://www.brand.example)");
    }
    site.origins.push_back(origin.get<std::string>());
  }

  if (const auto limit = object.find("rateLimit"); limit != object.end()) {
    const std::string at = pointer + "/rateLimit";
    if (!limit->is_object()) return reader.error(at, "must be an object");
    SHARETRACK_RETURN_IF_ERROR(checkKeys(reader, *limit, at, {"batchesPerSecond", "burst"}));
    auto rate = readNumber(reader, *limit, at, "batchesPerSecond", site.rateLimit.batchesPerSecond, 0.001, 1e6);
    if (!rate) return rate.error();
    auto burst = readNumber(reader, *limit, at, "burst", site.rateLimit.burst, 1, 1e6);
    if (!burst) return burst.error();
    site.rateLimit = RateLimit{rate.value(), burst.value()};
  }
  auto weight = readNumber(reader, object, pointer, "conversionWeight", site.scoring.conversionWeight, 0, 1e6);
  if (!weight) return weight.error();
  site.scoring.conversionWeight = weight.value();
  if (const auto scoring = object.find("scoring"); scoring != object.end()) {
    const std::string at = pointer + "/scoring";
    if (!scoring->is_object()) return reader.error(at, "must be an object");
    SHARETRACK_RETURN_IF_ERROR(checkKeys(reader, *scoring, at,
                                         {"chainFactor", "chainLevels", "attributionDays", "burstLimit",
                                          "suspectSharerNetwork"}));
    if (const auto suspect = scoring->find("suspectSharerNetwork"); suspect != scoring->end()) {
      if (!suspect->is_boolean()) return reader.error(at + "/suspectSharerNetwork", "must be true or false");
      site.scoring.suspectSharerNetwork = suspect->get<bool>();
    }
    ScoreSettings& s = site.scoring;
    auto factor = readNumber(reader, *scoring, at, "chainFactor", s.chainFactor, 0.01, 0.99);
    if (!factor) return factor.error();
    auto levels = readNumber(reader, *scoring, at, "chainLevels", s.chainLevels, 1, kMaxChainLevels);
    if (!levels) return levels.error();
    auto days = readNumber(reader, *scoring, at, "attributionDays", static_cast<double>(s.attributionWindowMs) / kDayMs,
                           1, 365);
    if (!days) return days.error();
    auto burst = readNumber(reader, *scoring, at, "burstLimit", s.burstLimit, 1, 1e6);
    if (!burst) return burst.error();
    for (const auto* whole : {&levels, &days, &burst}) {
      if (whole->value() != std::floor(whole->value())) return reader.error(at, "chainLevels, attributionDays and burstLimit are whole numbers");
    }
    s.chainFactor = factor.value();
    s.chainLevels = static_cast<int>(levels.value());
    s.attributionWindowMs = static_cast<std::int64_t>(days.value()) * kDayMs;
    s.burstLimit = static_cast<std::uint32_t>(burst.value());
  }
  auto maxValue =
      readNumber(reader, object, pointer, "maxConversionValue", site.maxConversionValue, 0, kMaxConversionValue);
  if (!maxValue) return maxValue.error();
  site.maxConversionValue = maxValue.value();
  if (const auto requireOrigin = object.find("requireOrigin"); requireOrigin != object.end()) {
    if (!requireOrigin->is_boolean()) return reader.error(pointer + "/requireOrigin", "must be true or false");
    site.requireOrigin = requireOrigin->get<bool>();
  }
  auto accessTokens = readTokens(reader, object, pointer, tokens);
  if (!accessTokens) return accessTokens.error();
  site.accessTokens = std::move(accessTokens).value();
  return site;
}

}  // namespace

const Site* SitesConfig::find(std::string_view id) const {
  for (const Site& site : sites) {
    if (site.id == id) return &site;
  }
  return nullptr;
}

bool SitesConfig::originAllowedAnywhere(std::string_view origin) const {
  for (const Site& site : sites) {
    if (std::find(site.origins.begin(), site.origins.end(), origin) != site.origins.end()) return true;
  }
  return false;
}

RateLimit SitesConfig::loosestRateLimit() const {
  RateLimit loosest{0, 0};
  for (const Site& site : sites) {
    loosest.batchesPerSecond = std::max(loosest.batchesPerSecond, site.rateLimit.batchesPerSecond);
    loosest.burst = std::max(loosest.burst, site.rateLimit.burst);
  }
  return loosest;
}

Result<SitesConfig> parseSites(std::string_view text, std::string_view fileName) {
  auto located = parseLocatedJson(text, fileName);
  if (!located) return located.error();
  const ConfigReader reader(located.value(), fileName);
  const json& root = located.value().value;
  if (!root.is_object()) return reader.error("", "the sites file is a JSON object with a \"sites\" list");
  SHARETRACK_RETURN_IF_ERROR(checkKeys(reader, root, "", {"sites", "accessTokens"}));

  SitesConfig config;
  std::set<std::string> tokens;
  auto globalTokens = readTokens(reader, root, "", tokens);
  if (!globalTokens) return globalTokens.error();
  config.accessTokens = std::move(globalTokens).value();

  const auto sites = root.find("sites");
  if (sites == root.end() || !sites->is_array() || sites->empty()) {
    return reader.error("/sites", "the sites file needs a non-empty \"sites\" list");
  }
  for (std::size_t i = 0; i < sites->size(); ++i) {
    const std::string pointer = "/sites/" + std::to_string(i);
    auto site = readSite(reader, (*sites)[i], pointer, tokens);
    if (!site) return site.error();
    if (config.find(site.value().id)) return reader.error(pointer + "/id", "site \"" + site.value().id + "\" twice");
    config.sites.push_back(std::move(site).value());
  }
  return config;
}

}  // namespace sharetrack::collector
