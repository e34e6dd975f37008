#include "sharetrack/batch.hpp"

#include <array>
#include <cstdint>
#include <tuple>
#include <type_traits>

#include "name_table.hpp"

namespace sharetrack {

bool ShareEvent::operator==(const ShareEvent& o) const {
  return std::tie(content, pageView, token, parent, channel) ==
         std::tie(o.content, o.pageView, o.token, o.parent, o.channel);
}

bool ClickbackEvent::operator==(const ClickbackEvent& o) const {
  return std::tie(content, pageView, token, selfClick, botSignals) ==
         std::tie(o.content, o.pageView, o.token, o.selfClick, o.botSignals);
}

bool SummaryEvent::operator==(const SummaryEvent& o) const {
  return std::tie(content, pageView, seq, viewable, dwellMs, videoQuartile, videoWatchedMs, shares, copies,
                  addressToken) == std::tie(o.content, o.pageView, o.seq, o.viewable, o.dwellMs, o.videoQuartile,
                                            o.videoWatchedMs, o.shares, o.copies, o.addressToken);
}

bool ConversionEvent::operator==(const ConversionEvent& o) const { return name == o.name && value == o.value; }

double keptConversionValue(double value) {
  constexpr double kMillionthsUpTo = 8589934592.0;  // 2^33: its millionths stay below 2^53
  const double magnitude = value < 0 ? -value : value;
  const double unit = magnitude >= kMillionthsUpTo ? 1 : 1e6;
  // Half away from zero, by a truncating cast: no libm call in the browser's module.
  const double kept = static_cast<double>(static_cast<std::int64_t>(magnitude * unit + 0.5)) / unit;
  return value < 0 ? -kept : kept;
}

bool Event::operator==(const Event& o) const { return std::tie(id, timeMs, body) == std::tie(o.id, o.timeMs, o.body); }

bool DropCounts::operator==(const DropCounts& o) const {
  return queueOverflow == o.queueOverflow && rejected == o.rejected;
}

bool BatchHeader::operator==(const BatchHeader& o) const {
  return std::tie(version, site, id, visitor, subscriber, sentAtMs, dropped) ==
         std::tie(o.version, o.site, o.id, o.visitor, o.subscriber, o.sentAtMs, o.dropped);
}

bool Batch::operator==(const Batch& o) const { return header == o.header && events == o.events; }

namespace {

using detail::Named;

constexpr detail::NameTable kEventTypeNames(std::array{
    Named<EventType>{EventType::share, "share"},
    Named<EventType>{EventType::clickback, "clickback"},
    Named<EventType>{EventType::summary, "summary"},
    Named<EventType>{EventType::conversion, "conversion"},
});
static_assert(kEventTypeNames.size() == kEventTypeCount && kEventTypeNames.inOrder(), "one name per event type");
static_assert(std::is_same_v<std::variant_alternative_t<static_cast<std::size_t>(EventType::conversion), EventBody>,
                             ConversionEvent>,
              "EventType follows EventBody's alternatives");

constexpr std::array kBotSignalNames{
    Named<BotSignal>{botWebdriver, "webdriver"},
    Named<BotSignal>{botPrerender, "prerender"},
    Named<BotSignal>{botUserAgent, "user_agent"},
    Named<BotSignal>{botOther, "other"},
};
static_assert(kBotSignalNames.size() == kWireBotSignals.size(), "one name per wire bot signal");

}  // namespace

std::string_view eventTypeName(EventType type) { return kEventTypeNames.name(type); }

std::optional<EventType> eventTypeFromName(std::string_view name) { return kEventTypeNames.find(name); }

std::string_view botSignalName(BotSignal signal) {
  for (const auto& entry : kBotSignalNames) {
    if (entry.value == signal) return entry.name;
  }
  return {};
}

BotSignal botSignalFromName(std::string_view name) {
  for (const auto& entry : kBotSignalNames) {
    if (entry.name == name) return entry.value;
  }
  return botOther;
}

}  // namespace sharetrack
