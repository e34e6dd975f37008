#include "event_rows.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "sharetrack/json_writer.hpp"

namespace sharetrack::collector {
namespace {

void writeShares(JsonWriter& out, const SummaryEvent& summary) {
  out.beginObject();
  for (std::size_t i = 0; i < kChannelCount; ++i) {
    if (summary.shares[i]) out.key(channelName(static_cast<Channel>(i))).integer(summary.shares[i]);
  }
  out.endObject();
}

// A summary's measures as the events table keeps them (keys in the order rows have always had).
std::string measuresJson(const SummaryEvent& summary) {
  JsonWriter out;
  out.beginObject().key("copies").integer(summary.copies).key("dwellMs").integer(summary.dwellMs);
  out.key("quartile").integer(summary.videoQuartile).key("seq").integer(summary.seq).key("shares");
  writeShares(out, summary);
  out.key("viewable").boolean(summary.viewable).key("watchedMs").integer(summary.videoWatchedMs).endObject();
  return std::string(out.text());
}

// Written by measuresJson, or by SQLite's migration 3 (booleans as 0 and 1); what is not a number
// reads as 0.
void readMeasures(const std::string& text, SummaryEvent& summary) {
  const auto measures = nlohmann::json::parse(text, nullptr, false);
  if (!measures.is_object()) return;
  const auto number = [](const nlohmann::json& object, const char* key) -> std::uint32_t {
    const auto it = object.find(key);
    if (it == object.end()) return 0;
    if (it->is_boolean()) return it->get<bool>() ? 1 : 0;
    return it->is_number_unsigned() ? static_cast<std::uint32_t>(it->get<std::uint64_t>()) : 0;
  };
  summary.seq = number(measures, "seq");
  summary.viewable = number(measures, "viewable") != 0;
  summary.dwellMs = number(measures, "dwellMs");
  summary.videoQuartile = static_cast<std::uint8_t>(std::min<std::uint32_t>(number(measures, "quartile"), 4));
  summary.videoWatchedMs = number(measures, "watchedMs");
  summary.copies = number(measures, "copies");
  const auto shares = measures.find("shares");
  if (shares == measures.end() || !shares->is_object()) return;
  for (const auto& [name, count] : shares->items()) {
    const auto channel = channelFromName(name);
    if (channel) summary.shares[static_cast<std::size_t>(*channel)] = number(*shares, name.c_str());
  }
}

}  // namespace

std::string sharesJson(const SummaryEvent& summary) {
  JsonWriter out;
  writeShares(out, summary);
  return std::string(out.text());
}

std::string rejectedJson(const std::map<std::string, std::uint32_t>& rejected) {
  JsonWriter out;
  out.beginObject();
  for (const auto& [code, count] : rejected) out.key(code).integer(count);
  out.endObject();
  return std::string(out.text());
}

EventRow eventRow(const std::string& site, const std::string& batchId, const StoredEvent& stored) {
  const Event& event = stored.event;
  EventRow row;
  row.site = site;
  row.eventId = event.id;
  row.type = std::string(eventTypeName(eventTypeOf(event.body)));
  row.batchId = batchId;
  row.visitor = stored.visitor;
  row.subscriber = stored.subscriber;
  row.bot = stored.requestBot ? botRequestUserAgent : 0;
  row.clientTime = event.timeMs;
  row.receivedAt = stored.receivedAtMs;
  if (!stored.clientKey.empty()) row.clientKey = stored.clientKey;
  row.erased = stored.erased;
  if (const auto* e = std::get_if<ShareEvent>(&event.body)) {
    row.content = e->content;
    row.pageView = e->pageView;
    row.token = e->token;
    row.parent = e->parent;
    row.channel = std::string(channelName(e->channel));
  } else if (const auto* e = std::get_if<ClickbackEvent>(&event.body)) {
    row.content = e->content;
    row.pageView = e->pageView;
    row.token = e->token;
    row.selfClick = e->selfClick;
    row.bot |= e->botSignals;
  } else if (const auto* e = std::get_if<SummaryEvent>(&event.body)) {
    row.content = e->content;
    row.pageView = e->pageView;
    row.token = e->addressToken;
    row.measures = measuresJson(*e);
  } else if (const auto* e = std::get_if<ConversionEvent>(&event.body)) {
    row.conversionName = e->name;
    row.conversionValue = e->value;
  }
  return row;
}

StoredEvent storedEvent(const EventRow& row) {
  StoredEvent stored;
  stored.event.id = row.eventId;
  stored.visitor = row.visitor;
  stored.subscriber = row.subscriber;
  stored.requestBot = (row.bot & botRequestUserAgent) != 0;
  stored.event.timeMs = row.clientTime;
  stored.receivedAtMs = row.receivedAt;
  stored.clientKey = row.clientKey.value_or("");
  stored.erased = row.erased;
  const std::string content = row.content.value_or("");
  const std::string pageView = row.pageView.value_or("");
  if (row.type == eventTypeName(EventType::share)) {
    const auto channel = channelFromName(row.channel.value_or(""));
    stored.event.body =
        ShareEvent{content, pageView, row.token.value_or(""), row.parent, channel.value_or(Channel::native)};
  } else if (row.type == eventTypeName(EventType::clickback)) {
    ClickbackEvent clickback{content, pageView, row.token.value_or(""), row.selfClick};
    clickback.botSignals = static_cast<std::uint8_t>(row.bot & ~botRequestUserAgent);
    stored.event.body = clickback;
  } else if (row.type == eventTypeName(EventType::summary)) {
    SummaryEvent summary;
    summary.content = content;
    summary.pageView = pageView;
    summary.addressToken = row.token;
    readMeasures(row.measures.value_or(""), summary);
    stored.event.body = summary;
  } else {
    stored.event.body = ConversionEvent{row.conversionName.value_or(""), row.conversionValue.value_or(0)};
  }
  return stored;
}

}  // namespace sharetrack::collector
