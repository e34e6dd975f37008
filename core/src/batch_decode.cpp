#include "sharetrack/batch_decode.hpp"

#include "json_fields.hpp"
#include "sharetrack/token.hpp"

namespace sharetrack {
namespace {

using detail::json;
using detail::JsonObject;

// Any base64url text of a sane length; parseToken then says what is wrong with it.
constexpr StringRule kTokenText{1, 64, rules::kBase64Url};

Result<ShareToken> readToken(const JsonObject& object, const char* key) {
  std::string text;
  SHARETRACK_ASSIGN_OR_RETURN(text, object.string(key, kTokenText));
  auto token = parseToken(text);
  if (!token) return makeError(token.error().code, object.pathOf(key) + ": " + token.error().message);
  return token;
}

Result<Channel> readChannel(const JsonObject& object, const char* key) {
  const json* value = object.find(key);
  if (!value) return makeError(ErrorCode::fieldMissing, object.pathOf(key) + ": missing");
  if (!value->is_string()) return makeError(ErrorCode::fieldType, object.pathOf(key) + ": must be a string");
  const auto channel = channelFromName(value->get<std::string>());
  if (!channel) return makeError(ErrorCode::channelUnknown, object.pathOf(key) + ": not a known channel");
  return *channel;
}

Result<EventBody> decodeShare(const JsonObject& o) {
  ShareEvent e;
  SHARETRACK_ASSIGN_OR_RETURN(e.content, o.string("content", rules::content));
  SHARETRACK_ASSIGN_OR_RETURN(e.pageView, o.string("pv", rules::id));
  SHARETRACK_ASSIGN_OR_RETURN(e.channel, readChannel(o, "channel"));
  ShareToken token;
  SHARETRACK_ASSIGN_OR_RETURN(token, readToken(o, "token"));
  e.token = formatToken(token);
  if (token.channel != e.channel) {
    return makeError(ErrorCode::channelMismatch,
                     o.pathOf("token") + ": minted for channel " + std::string(channelName(token.channel)));
  }
  std::optional<ShareToken> parent;
  if (o.find("parent") && !o.find("parent")->is_null()) {
    SHARETRACK_ASSIGN_OR_RETURN(parent, readToken(o, "parent"));
    e.parent = formatToken(*parent);
  }
  const TokenDepth expected = parent ? childDepth(*parent) : TokenDepth{0, false};
  if (token.depth != expected.depth || token.depthSaturated != expected.saturated) {
    return makeError(ErrorCode::depthMismatch, o.pathOf("token") + ": depth " + std::to_string(token.depth) +
                                                   " where its parent gives " + std::to_string(expected.depth));
  }
  return EventBody{std::move(e)};
}

Result<std::uint8_t> readBotSignals(const JsonObject& o) {
  const json* value = o.find("bot");
  if (!value || value->is_null()) return std::uint8_t{0};
  if (!value->is_array() || value->size() > 8) {
    return makeError(ErrorCode::fieldType, o.pathOf("bot") + ": must be a list of up to 8 signal names");
  }
  std::uint8_t signals = 0;
  for (const json& name : *value) {
    if (!name.is_string()) return makeError(ErrorCode::fieldType, o.pathOf("bot") + ": names must be strings");
    signals |= botSignalFromName(name.get_ref<const std::string&>());
  }
  return signals;
}

Result<EventBody> decodeClickback(const JsonObject& o) {
  ClickbackEvent e;
  SHARETRACK_ASSIGN_OR_RETURN(e.content, o.string("content", rules::content));
  SHARETRACK_ASSIGN_OR_RETURN(e.pageView, o.string("pv", rules::id));
  ShareToken token;
  SHARETRACK_ASSIGN_OR_RETURN(token, readToken(o, "token"));
  e.token = formatToken(token);
  SHARETRACK_ASSIGN_OR_RETURN(e.selfClick, o.booleanOr("self", false));
  SHARETRACK_ASSIGN_OR_RETURN(e.botSignals, readBotSignals(o));
  return EventBody{std::move(e)};
}

Result<EventBody> decodeSummary(const JsonObject& o) {
  SummaryEvent e;
  SHARETRACK_ASSIGN_OR_RETURN(e.content, o.string("content", rules::content));
  SHARETRACK_ASSIGN_OR_RETURN(e.pageView, o.string("pv", rules::id));
  std::uint64_t seq = 0;
  SHARETRACK_ASSIGN_OR_RETURN(seq, o.unsignedInt("seq", kMaxSummarySeq));
  if (seq == 0) return makeError(ErrorCode::fieldRange, o.pathOf("seq") + ": starts at 1");
  e.seq = static_cast<std::uint32_t>(seq);
  SHARETRACK_ASSIGN_OR_RETURN(e.viewable, o.booleanOr("viewable", false));
  std::uint64_t count = 0;
  SHARETRACK_ASSIGN_OR_RETURN(count, o.unsignedIntOr("dwellMs", kMaxCount, 0));
  e.dwellMs = static_cast<std::uint32_t>(count);
  SHARETRACK_ASSIGN_OR_RETURN(count, o.unsignedIntOr("copies", kMaxCount, 0));
  e.copies = static_cast<std::uint32_t>(count);

  if (const json* video = o.find("video"); video && !video->is_null()) {
    if (!video->is_object()) return makeError(ErrorCode::fieldType, o.pathOf("video") + ": must be an object");
    const JsonObject v(*video, o.pathOf("video"));
    SHARETRACK_ASSIGN_OR_RETURN(count, v.unsignedIntOr("quartile", 4, 0));
    e.videoQuartile = static_cast<std::uint8_t>(count);
    SHARETRACK_ASSIGN_OR_RETURN(count, v.unsignedIntOr("watchedMs", kMaxCount, 0));
    e.videoWatchedMs = static_cast<std::uint32_t>(count);
  }
  if (const json* shares = o.find("shares"); shares && !shares->is_null()) {
    if (!shares->is_object()) return makeError(ErrorCode::fieldType, o.pathOf("shares") + ": must be an object");
    for (const auto& item : shares->items()) {
      const std::string& name = item.key();  // C++17 lambdas cannot capture a structured binding
      const auto channel = channelFromName(name);
      const auto path = [&] { return o.pathOf("shares") + "." + name.substr(0, 32); };
      if (!channel) return makeError(ErrorCode::channelUnknown, path() + ": not a known channel");
      SHARETRACK_ASSIGN_OR_RETURN(count, detail::readUnsigned(item.value(), kMaxCount, path));
      e.shares[static_cast<std::size_t>(*channel)] = static_cast<std::uint32_t>(count);
    }
  }
  if (o.find("addressToken") && !o.find("addressToken")->is_null()) {
    ShareToken token;
    SHARETRACK_ASSIGN_OR_RETURN(token, readToken(o, "addressToken"));
    if (token.channel != Channel::addressbar) {
      return makeError(ErrorCode::channelMismatch, o.pathOf("addressToken") + ": not an address-bar token");
    }
    e.addressToken = formatToken(token);
  }
  return EventBody{std::move(e)};
}

Result<EventBody> decodeConversion(const JsonObject& o) {
  ConversionEvent e;
  SHARETRACK_ASSIGN_OR_RETURN(e.name, o.string("name", rules::conversionName));
  SHARETRACK_ASSIGN_OR_RETURN(e.value, o.number("value", kMaxConversionValue));
  e.value = keptConversionValue(e.value);
  return EventBody{std::move(e)};
}

Result<EventBody> decodeBody(EventType type, const JsonObject& o) {
  switch (type) {
    case EventType::share:
      return decodeShare(o);
    case EventType::clickback:
      return decodeClickback(o);
    case EventType::summary:
      return decodeSummary(o);
    case EventType::conversion:
      return decodeConversion(o);
  }
  return makeError(ErrorCode::eventTypeUnknown, o.pathOf("type") + ": unknown");
}

Result<Event> decodeEvent(const json& value, const std::string& path) {
  if (!value.is_object()) return makeError(ErrorCode::fieldType, path + ": must be an object");
  const JsonObject o(value, path);
  Event event;
  SHARETRACK_ASSIGN_OR_RETURN(event.id, o.string("id", rules::id));
  std::uint64_t time = 0;
  SHARETRACK_ASSIGN_OR_RETURN(time, o.unsignedInt("t", kMaxTimeMs));
  event.timeMs = static_cast<std::int64_t>(time);
  const json* type = o.find("type");
  if (!type) return makeError(ErrorCode::fieldMissing, o.pathOf("type") + ": missing");
  if (!type->is_string()) return makeError(ErrorCode::fieldType, o.pathOf("type") + ": must be a string");
  const auto eventType = eventTypeFromName(type->get_ref<const std::string&>());
  if (!eventType) return makeError(ErrorCode::eventTypeUnknown, o.pathOf("type") + ": unknown");
  SHARETRACK_ASSIGN_OR_RETURN(event.body, decodeBody(*eventType, o));
  return event;
}

Result<DropCounts> decodeDropped(const JsonObject& header) {
  DropCounts dropped;
  const json* value = header.find("dropped");
  if (!value || value->is_null()) return dropped;
  if (!value->is_object()) return makeError(ErrorCode::fieldType, "dropped: must be an object");
  const JsonObject o(*value, "dropped");
  std::uint64_t count = 0;
  SHARETRACK_ASSIGN_OR_RETURN(count, o.unsignedIntOr("queueOverflow", kMaxCount, 0));
  dropped.queueOverflow = static_cast<std::uint32_t>(count);
  if (const json* rejected = o.find("rejected"); rejected && !rejected->is_null()) {
    if (!rejected->is_object() || rejected->size() > kMaxRejectedCodes) {
      return makeError(ErrorCode::fieldType,
                       "dropped.rejected: must be an object of up to " + std::to_string(kMaxRejectedCodes) + " codes");
    }
    for (const auto& item : rejected->items()) {
      const std::string& code = item.key();  // C++17 lambdas cannot capture a structured binding
      const auto path = [&] { return "dropped.rejected." + code.substr(0, kMaxCodeLength); };
      if (!follows(code, rules::code)) return validateString(code, rules::code, path()).error();
      SHARETRACK_ASSIGN_OR_RETURN(count, detail::readUnsigned(item.value(), kMaxCount, path));
      dropped.rejected[code] = static_cast<std::uint32_t>(count);
    }
  }
  return dropped;
}

}  // namespace

Result<DecodedBatch> decodeBatch(std::string_view text) {
  if (text.size() > kMaxBatchBytes) {
    return makeError(ErrorCode::batchTooLarge, "batch of " + std::to_string(text.size()) + " bytes (at most " +
                                                   std::to_string(kMaxBatchBytes) + ")");
  }
  const json root = json::parse(text.begin(), text.end(), nullptr, false);
  if (root.is_discarded()) return makeError(ErrorCode::batchNotJson, "batch is not JSON");
  if (!root.is_object()) return makeError(ErrorCode::fieldType, "batch: must be a JSON object");
  const JsonObject o(root, "");

  DecodedBatch decoded;
  BatchHeader& h = decoded.header;
  std::uint64_t number = 0;
  SHARETRACK_ASSIGN_OR_RETURN(number, o.unsignedInt("v", 1000));
  if (number < kOldestReadableVersion || number > kProtocolVersion) {
    return makeError(ErrorCode::unsupportedVersion,
                     "v: protocol version " + std::to_string(number) + " is not read here (reads " +
                         std::to_string(kOldestReadableVersion) + "-" + std::to_string(kProtocolVersion) + ")");
  }
  h.version = static_cast<int>(number);
  SHARETRACK_ASSIGN_OR_RETURN(h.site, o.string("site", rules::site));
  SHARETRACK_ASSIGN_OR_RETURN(h.id, o.string("batch", rules::id));
  SHARETRACK_ASSIGN_OR_RETURN(h.visitor, o.string("visitor", rules::visitor));
  SHARETRACK_ASSIGN_OR_RETURN(h.subscriber, o.optionalString("subscriber", rules::subscriber));
  SHARETRACK_ASSIGN_OR_RETURN(number, o.unsignedInt("sentAt", kMaxTimeMs));
  h.sentAtMs = static_cast<std::int64_t>(number);
  SHARETRACK_ASSIGN_OR_RETURN(h.dropped, decodeDropped(o));

  const json* events = o.find("events");
  if (!events) return makeError(ErrorCode::fieldMissing, "events: missing");
  if (!events->is_array()) return makeError(ErrorCode::fieldType, "events: must be a list");
  if (events->size() > kMaxEventsPerBatch) {
    return makeError(ErrorCode::tooManyEvents, "events: " + std::to_string(events->size()) + " (at most " +
                                                   std::to_string(kMaxEventsPerBatch) + ")");
  }
  decoded.events.reserve(events->size());
  for (std::size_t i = 0; i < events->size(); ++i) {
    const json& value = (*events)[i];
    std::string id;
    if (value.is_object()) {
      const auto it = value.find(std::string_view("id"));
      if (it != value.end() && it->is_string() && follows(it->get_ref<const std::string&>(), rules::id)) {
        id = it->get<std::string>();
      }
    }
    decoded.events.push_back({std::move(id), decodeEvent(value, "events[" + std::to_string(i) + "]")});
  }
  return decoded;
}

}  // namespace sharetrack
