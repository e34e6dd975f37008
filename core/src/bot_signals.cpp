#include "sharetrack/bot_signals.hpp"

#include <array>

namespace sharetrack {
namespace {

// Lower-case fragments, each naming automation and never a person's browser. Kept short on
// purpose: link unfurlers run no script, so they are the collector's to catch, not ours.
constexpr std::array<std::string_view, 20> kAutomatedFragments{
    "crawl",      "spider",   "slurp",      "headless",   "phantomjs", "puppeteer",
    "playwright", "selenium", "lighthouse", "pagespeed",  "preview",   "facebookexternalhit",
    "python-",    "curl/",    "wget/",      "node-fetch", "axios/",    "go-http-client",
    "java/",      "okhttp"};

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool matchesAt(std::string_view text, std::size_t at, std::string_view lowerNeedle) {
  if (at + lowerNeedle.size() > text.size()) return false;
  for (std::size_t j = 0; j < lowerNeedle.size(); ++j) {
    if (lower(text[at + j]) != lowerNeedle[j]) return false;
  }
  return true;
}

bool containsIgnoringCase(std::string_view text, std::string_view lowerNeedle) {
  for (std::size_t i = 0; i + lowerNeedle.size() <= text.size(); ++i) {
    if (matchesAt(text, i, lowerNeedle)) return true;
  }
  return false;
}

// "bot" anywhere, except in the CUBOT phone brand (the exception isbot makes too).
bool containsBot(std::string_view text) {
  for (std::size_t i = 0; i + 3 <= text.size(); ++i) {
    if (matchesAt(text, i, "bot") && !(i >= 2 && matchesAt(text, i - 2, "cu"))) return true;
  }
  return false;
}

}  // namespace

bool userAgentLooksAutomated(std::string_view userAgent) {
  if (userAgent.empty() || containsBot(userAgent)) return true;  // every browser sends a user agent
  for (std::string_view fragment : kAutomatedFragments) {
    if (containsIgnoringCase(userAgent, fragment)) return true;
  }
  return false;
}

std::uint8_t botSignalsOf(const PageAutomationFacts& facts) {
  std::uint8_t signals = 0;
  if (facts.webdriver) signals |= botWebdriver;
  if (facts.prerendering) signals |= botPrerender;
  if (userAgentLooksAutomated(facts.userAgent)) signals |= botUserAgent;
  return signals;
}

}  // namespace sharetrack
