// What the collector decided about one clickback (DESIGN.md, "Scores"). Only `counted` earns;
// the rest are shown as counts of filtered traffic.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace sharetrack {

enum class Verdict : std::uint8_t {
  counted,     // the first of this visitor and token, from a human, through another's token
  duplicate,   // not the first clickback of this visitor and token
  self,        // the visitor minted the token
  ownChain,    // the visitor minted an ancestor of the token: came back into their own cascade
  bot,         // a bot signal from the page, or the request's User-Agent is on the bot list
  waiting,     // the token's share event (or address-bar registration) has not arrived yet
  suspicious,  // the sharer's own client key, or past the burst limit of one client key
};

inline constexpr std::size_t kVerdictCount = 7;

std::string_view verdictName(Verdict verdict);
std::optional<Verdict> verdictFromName(std::string_view name);

}  // namespace sharetrack
