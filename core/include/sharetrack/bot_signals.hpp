// The page's own evidence that it runs under automation. Cheap enough for the shipped module;
// the collector checks the request's User-Agent against the full maintained list as well.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sharetrack/batch.hpp"

namespace sharetrack {

struct PageAutomationFacts {
  bool webdriver = false;     // navigator.webdriver
  bool prerendering = false;  // document.prerendering, or the page was never shown
  std::string userAgent;
};

// BotSignal bits (batch.hpp) for a clickback's `bot` field; 0 for a page that looks human.
std::uint8_t botSignalsOf(const PageAutomationFacts& facts);

// True for user agents that name a crawler, unfurler, headless browser or HTTP library.
bool userAgentLooksAutomated(std::string_view userAgent);

}  // namespace sharetrack
