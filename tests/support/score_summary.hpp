// Everything a ScoreBook answers (verdicts, leaderboards, levels, cascades and their trees,
// engagement per content and for the site) as one comparable JSON value: two books that hold the
// same events must give equal summaries, whatever order the events came in. For the scoring
// tests and the scores fuzz target.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "sharetrack/score_book.hpp"

namespace sharetrack::test {

nlohmann::json countsJson(const EngagementCounts& counts);
nlohmann::json measuresJson(const CascadeMeasures& measures);
nlohmann::json standingsJson(const std::vector<Standing>& rows);

// What `book` answers about `events` (the clickbacks' verdicts are looked up by their ids).
nlohmann::json scoreSummary(const ScoreBook& book, const std::vector<StoredEvent>& events);

}  // namespace sharetrack::test
