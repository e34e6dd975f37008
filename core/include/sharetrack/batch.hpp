// The batch the widget posts to the collector (core/PROTOCOL.md), as values, and the names its
// words have on the wire.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sharetrack/channel.hpp"
#include "sharetrack/protocol_limits.hpp"

namespace sharetrack {

// A visitor minted `token` for `content` through `channel`.
struct ShareEvent {
  std::string content;
  std::string pageView;
  std::string token;
  std::optional<std::string> parent;  // the token through which the visitor arrived, if any
  Channel channel = Channel::native;
  bool operator==(const ShareEvent&) const;
};

// Why the page thinks it runs under automation; any bit makes the event a bot's.
enum BotSignal : std::uint8_t {
  botWebdriver = 1,          // navigator.webdriver
  botPrerender = 2,          // the page was prerendered and never shown
  botUserAgent = 4,          // the widget's own small user-agent check matched
  botRequestUserAgent = 64,  // set by the collector: the request's User-Agent is on its bot list
  botOther = 128,            // a signal a newer widget named that this build does not know
};

// The signals a clickback names on the wire ("bot": ["webdriver", ...]), in this order; the
// collector's own botRequestUserAgent never travels.
inline constexpr std::array<BotSignal, 4> kWireBotSignals{botWebdriver, botPrerender, botUserAgent, botOther};
std::string_view botSignalName(BotSignal signal);
// A name this build does not know is botOther: a newer widget's signal must not make it human.
BotSignal botSignalFromName(std::string_view name);

// A visitor arrived at `content` through `token`.
struct ClickbackEvent {
  std::string content;
  std::string pageView;
  std::string token;
  bool selfClick = false;  // the visitor minted the token or one of its ancestors
  std::uint8_t botSignals = 0;
  bool operator==(const ClickbackEvent&) const;
};

// One per (page view, content), cumulative; the collector keeps the highest seq.
struct SummaryEvent {
  std::string content;
  std::string pageView;
  std::uint32_t seq = 1;
  bool viewable = false;                              // >= 50 % in view for >= 1 s continuous, at least once
  std::uint32_t dwellMs = 0;                          // active dwell
  std::uint8_t videoQuartile = 0;                     // highest quartile reached: 0 none, 1..4 = 25..100 %
  std::uint32_t videoWatchedMs = 0;                   // seconds actually played, seeks excluded
  std::array<std::uint32_t, kChannelCount> shares{};  // indexed by Channel
  std::uint32_t copies = 0;                           // text copied out of the testimonial
  std::optional<std::string> addressToken;            // the visitor's latent address-bar token
  bool operator==(const SummaryEvent&) const;
};

// A site-reported conversion; the collector attributes it.
struct ConversionEvent {
  std::string name;
  double value = 0;  // as keptConversionValue keeps it
  bool operator==(const ConversionEvent&) const;
};

// A conversion's value as the protocol keeps it: to the millionth (the six decimals a batch
// carries), to the unit from 2^33 on (where a double no longer holds the millionths of a
// number of millionths). So a value read from a batch and written again reads the same.
double keptConversionValue(double value);

using EventBody = std::variant<ShareEvent, ClickbackEvent, SummaryEvent, ConversionEvent>;

// The event kinds, in the order of EventBody's alternatives; their names are the wire's "type".
enum class EventType : std::uint8_t { share, clickback, summary, conversion };
inline constexpr std::size_t kEventTypeCount = std::variant_size_v<EventBody>;
std::string_view eventTypeName(EventType type);
std::optional<EventType> eventTypeFromName(std::string_view name);
inline EventType eventTypeOf(const EventBody& body) { return static_cast<EventType>(body.index()); }

struct Event {
  std::string id;
  std::int64_t timeMs = 0;  // the client's clock, Unix milliseconds
  EventBody body;
  bool operator==(const Event&) const;
};

// What the widget lost and why, reported in its next batch.
struct DropCounts {
  std::uint32_t queueOverflow = 0;                // evicted, oldest first, from a full queue
  std::map<std::string, std::uint32_t> rejected;  // by the collector, per error code
  bool operator==(const DropCounts&) const;
};

struct BatchHeader {
  int version = kProtocolVersion;
  std::string site;
  std::string id;
  std::string visitor;
  std::optional<std::string> subscriber;
  std::int64_t sentAtMs = 0;
  DropCounts dropped;
  bool operator==(const BatchHeader&) const;
};

struct Batch {
  BatchHeader header;
  std::vector<Event> events;
  bool operator==(const Batch&) const;
};

}  // namespace sharetrack
