#include "sharetrack/score_settings.hpp"

#include <catch2/catch.hpp>
#include <string>

using namespace sharetrack;

TEST_CASE("score settings out of range are refused naming the knob", "[score_settings]") {
  CHECK(validateScoreSettings(ScoreSettings{}));
  const auto refused = [](auto change) {
    ScoreSettings settings;
    change(settings);
    const Status status = validateScoreSettings(settings);
    return status ? std::string() : status.error().message.substr(0, status.error().message.find(':'));
  };
  CHECK(refused([](ScoreSettings& s) { s.chainFactor = 1; }) == "chainFactor");
  CHECK(refused([](ScoreSettings& s) { s.chainFactor = 0; }) == "chainFactor");
  CHECK(refused([](ScoreSettings& s) { s.chainLevels = 0; }) == "chainLevels");
  CHECK(refused([](ScoreSettings& s) { s.chainLevels = 33; }) == "chainLevels");
  CHECK(refused([](ScoreSettings& s) { s.attributionWindowMs = 0; }) == "attributionWindowMs");
  CHECK(refused([](ScoreSettings& s) { s.burstLimit = 0; }) == "burstLimit");
  CHECK(refused([](ScoreSettings& s) { s.conversionWeight = -1; }) == "conversionWeight");
}
