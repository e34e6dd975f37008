#include "sharetrack/batch.hpp"

#include <tuple>

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

bool Event::operator==(const Event& o) const { return std::tie(id, timeMs, body) == std::tie(o.id, o.timeMs, o.body); }

bool DropCounts::operator==(const DropCounts& o) const {
  return queueOverflow == o.queueOverflow && rejected == o.rejected;
}

bool BatchHeader::operator==(const BatchHeader& o) const {
  return std::tie(version, site, id, visitor, subscriber, sentAtMs, dropped) ==
         std::tie(o.version, o.site, o.id, o.visitor, o.subscriber, o.sentAtMs, o.dropped);
}

bool Batch::operator==(const Batch& o) const { return header == o.header && events == o.events; }

std::string_view eventTypeName(const EventBody& body) {
  static constexpr std::string_view kNames[] = {"share", "clickback", "summary", "conversion"};
  return kNames[body.index()];
}

}  // namespace sharetrack
