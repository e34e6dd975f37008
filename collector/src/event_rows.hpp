// An event as the stores keep it: one row of the events table, the same columns in SQLite and in
// PostgreSQL, and the JSON texts of its summary measures and of a batch's rejected counts. Both
// stores write and read rows through here, so an event goes in and comes back the same whichever
// holds it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "sharetrack/score_book.hpp"

namespace sharetrack::collector {

struct EventRow {
  std::string site;
  std::string eventId;
  std::string type;
  std::string batchId;
  std::string visitor;
  std::optional<std::string> subscriber;
  std::optional<std::string> content;
  std::optional<std::string> pageView;
  std::optional<std::string> token;  // a summary's address-bar token
  std::optional<std::string> parent;
  std::optional<std::string> channel;
  bool selfClick = false;
  int bot = 0;  // a clickback's bot signals, with botRequestUserAgent for any event
  std::optional<std::string> conversionName;
  std::optional<double> conversionValue;
  std::int64_t clientTime = 0;
  std::int64_t receivedAt = 0;
  std::optional<std::string> clientKey;
  bool erased = false;
  std::optional<std::string> measures;  // a summary's, as measuresJson writes them
};

EventRow eventRow(const std::string& site, const std::string& batchId, const StoredEvent& event);
// The event a row stored (its site is the row's); what a row cannot say reads as its default.
StoredEvent storedEvent(const EventRow& row);

// A summary's shares per channel, by channel name, the channels with none left out.
std::string sharesJson(const SummaryEvent& summary);
// The widget's rejected events by code, as the batches table keeps them.
std::string rejectedJson(const std::map<std::string, std::uint32_t>& rejected);

}  // namespace sharetrack::collector
