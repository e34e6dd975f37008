// The scenarios of tests/vectors/scores.json (and the worlds of score_orders.json) as stored
// events: named tokens minted into real ones, times offset from the scenario's base. Shared by the
// core tests and the collector's.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sharetrack/score_book.hpp"

namespace sharetrack::test {

struct ScoreScenario {
  nlohmann::json vector;            // the scenario as written
  std::vector<StoredEvent> events;  // in delivery order
  ScoreSettings settings;
  // A named token of the scenario minted as a real token; any other name as it is.
  std::string tokenText(const std::string& name) const;
  // The scenario's name of a token text, or the text.
  std::string tokenName(const std::string& text) const;
};

// The scenarios listed under `list` in tests/vectors/`file`.
std::vector<ScoreScenario> loadScoreScenarios(const std::string& file = "scores.json",
                                              const std::string& list = "scenarios");

// The figures of a book that `expect` (a scenario's "expect") names, in the vector's form.
nlohmann::json scoreFigures(const ScoreBook& book, const ScoreScenario& scenario, const nlohmann::json& expect);

// Equal JSON, numbers within a relative 1e-9 (figures computed in another order or language).
bool sameFigures(const nlohmann::json& a, const nlohmann::json& b);

}  // namespace sharetrack::test
