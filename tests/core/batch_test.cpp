#include "sharetrack/batch.hpp"

#include <catch2/catch.hpp>

#include "support/wire_names.hpp"

using namespace sharetrack;

TEST_CASE("event types have their wire names from wire_names.json in the order of EventBody", "[batch]") {
  test::checkWireNames<EventType>(
      "eventTypes", kEventTypeCount, [](EventType type) { return eventTypeName(type); }, eventTypeFromName);
  CHECK(eventTypeOf(EventBody{ShareEvent{}}) == EventType::share);
  CHECK(eventTypeOf(EventBody{ConversionEvent{}}) == EventType::conversion);
}

TEST_CASE("bot signals travel by name and an unknown name is still a bot's", "[batch]") {
  std::vector<std::string> names;
  for (BotSignal signal : kWireBotSignals) {
    names.emplace_back(botSignalName(signal));
    CHECK(botSignalFromName(names.back()) == signal);
  }
  CHECK(names == test::loadVectors("wire_names.json")["botSignals"].get<std::vector<std::string>>());
  CHECK(botSignalFromName("a_newer_signal") == botOther);
  CHECK(botSignalName(botRequestUserAgent).empty());  // the collector's own: never on the wire
}
