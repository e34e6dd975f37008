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

void writeEvent(JsonWriter& out, const Event& event) {
  out.beginObject().key("id").string(event.id).key("t").integer(event.timeMs);
  std::visit([&out](const auto& body) { writeBody(out, body); }, event.body);
  out.endObject();
}

constexpr std::size_t kHeaderBytes = 256;  // room for a batch's header, whatever it reports
constexpr std::size_t kEventBytes = 256;   // room for an event, whatever its kind

// The batch: the header's fields, then the events list, whose items `writeEvents` writes.
template <typename WriteEvents>
std::string writeBatch(const BatchHeader& h, std::size_t expectedBytes, const WriteEvents& writeEvents) {
  JsonWriter out(expectedBytes);
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
  out.key("events").beginArray();
  writeEvents(out);
  return out.endArray().endObject().str();
}

}  // namespace

std::string encodeEvent(const Event& event) {
  JsonWriter out(kEventBytes);
  writeEvent(out, event);
  return out.str();
}

std::string encodeBatchText(const BatchHeader& header, const std::vector<std::string_view>& encodedEvents) {
  std::size_t eventBytes = 0;
  for (std::string_view event : encodedEvents) eventBytes += event.size() + 1;
  return writeBatch(header, kHeaderBytes + eventBytes, [&encodedEvents](JsonWriter& out) {
    for (std::string_view event : encodedEvents) out.raw(event);
  });
}

std::size_t encodedBatchSize(const BatchHeader& header, std::size_t eventBytes, std::size_t eventCount) {
  const std::size_t separators = eventCount ? eventCount - 1 : 0;
  return encodeBatchText(header, {}).size() + eventBytes + separators;
}

std::string encodeBatch(const Batch& batch) {
  return writeBatch(batch.header, kHeaderBytes + kEventBytes * batch.events.size(), [&batch](JsonWriter& out) {
    for (const Event& event : batch.events) writeEvent(out, event);
  });
}

}  // namespace sharetrack
