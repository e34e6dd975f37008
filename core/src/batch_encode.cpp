#include "sharetrack/batch_encode.hpp"
#include "sharetrack/json_writer.hpp"

// Writing batches: with JsonWriter only, so the widget's module needs no JSON library.
namespace sharetrack {
namespace {

void writeBody(JsonWriter& out, const ShareEvent& e) {
  out.key("type").string(eventTypeName(EventType::share)).key("content").string(e.content).key("pv").string(e.pageView);
  out.key("token").string(e.token).key("channel").string(channelName(e.channel));
  if (e.parent) out.key("parent").string(*e.parent);
}

void writeBody(JsonWriter& out, const ClickbackEvent& e) {
  out.key("type")
      .string(eventTypeName(EventType::clickback))
      .key("content")
      .string(e.content)
      .key("pv")
      .string(e.pageView);
  out.key("token").string(e.token);
  if (e.selfClick) out.key("self").boolean(true);
  if (e.botSignals & ~botRequestUserAgent) {
    out.key("bot").beginArray();
    for (BotSignal signal : kWireBotSignals) {
      if (e.botSignals & signal) out.string(botSignalName(signal));
    }
    out.endArray();
  }
}

void writeBody(JsonWriter& out, const SummaryEvent& e) {
  out.key("type")
      .string(eventTypeName(EventType::summary))
      .key("content")
      .string(e.content)
      .key("pv")
      .string(e.pageView);
  out.key("seq").integer(e.seq).key("viewable").boolean(e.viewable).key("dwellMs").integer(e.dwellMs);
  if (e.videoQuartile || e.videoWatchedMs) {
    out.key("video").beginObject().key("quartile").integer(e.videoQuartile);
    out.key("watchedMs").integer(e.videoWatchedMs).endObject();
  }
  bool anyShare = false;
  for (std::size_t i = 0; i < kChannelCount; ++i) {
    if (!e.shares[i]) continue;
    if (!anyShare) out.key("shares").beginObject();
    anyShare = true;
    out.key(channelName(static_cast<Channel>(i))).integer(e.shares[i]);
  }
  if (anyShare) out.endObject();
  if (e.copies) out.key("copies").integer(e.copies);
  if (e.addressToken) out.key("addressToken").string(*e.addressToken);
}

void writeBody(JsonWriter& out, const ConversionEvent& e) {
  out.key("type").string(eventTypeName(EventType::conversion)).key("name").string(e.name).key("value").number(e.value);
}

// The header fields as one JSON object, without the events list (which always follows them).
std::string encodeHeader(const BatchHeader& h) {
  JsonWriter out;
  out.beginObject().key("v").integer(h.version).key("site").string(h.site).key("batch").string(h.id);
  out.key("visitor").string(h.visitor);
  if (h.subscriber) out.key("subscriber").string(*h.subscriber);
  out.key("sentAt").integer(h.sentAtMs);
  if (h.dropped.queueOverflow || !h.dropped.rejected.empty()) {
    out.key("dropped").beginObject();
    if (h.dropped.queueOverflow) out.key("queueOverflow").integer(h.dropped.queueOverflow);
    if (!h.dropped.rejected.empty()) {
      out.key("rejected").beginObject();
      for (const auto& [code, count] : h.dropped.rejected) out.key(code).integer(count);
      out.endObject();
    }
    out.endObject();
  }
  return out.endObject().take();
}

constexpr std::string_view kEventsKey = ",\"events\":[";

}  // namespace

std::string encodeEvent(const Event& event) {
  JsonWriter out;
  out.beginObject().key("id").string(event.id).key("t").integer(event.timeMs);
  std::visit([&out](const auto& body) { writeBody(out, body); }, event.body);
  return out.endObject().take();
}

std::string encodeBatchText(const BatchHeader& header, const std::vector<std::string_view>& encodedEvents) {
  std::string text = encodeHeader(header);
  text.pop_back();  // the header object's closing brace
  text += kEventsKey;
  for (std::size_t i = 0; i < encodedEvents.size(); ++i) {
    if (i) text += ',';
    text += encodedEvents[i];
  }
  text += "]}";
  return text;
}

std::size_t encodedBatchSize(const BatchHeader& header, std::size_t eventBytes, std::size_t eventCount) {
  const std::size_t separators = eventCount ? eventCount - 1 : 0;
  return encodeHeader(header).size() - 1 + kEventsKey.size() + eventBytes + separators + 2;
}

std::string encodeBatch(const Batch& batch) {
  std::vector<std::string> events;
  events.reserve(batch.events.size());
  for (const Event& event : batch.events) events.push_back(encodeEvent(event));
  return encodeBatchText(batch.header, std::vector<std::string_view>(events.begin(), events.end()));
}

}  // namespace sharetrack
