#include "sharetrack/erased_form.hpp"

namespace sharetrack {

// A token's registering event keeps its client key (a daily keyed hash, unlinkable across days):
// a clickback from the sharer's own network stays suspicious, as it was before the erasure.
std::optional<StoredEvent> erasedForm(const StoredEvent& event, const std::string& anonymousId) {
  StoredEvent kept;
  kept.event.id = event.event.id;
  kept.event.timeMs = event.event.timeMs;  // with the id, the order of the visitor's joins
  kept.visitor = anonymousId;
  kept.receivedAtMs = event.receivedAtMs;
  kept.erased = true;
  if (const auto* share = std::get_if<ShareEvent>(&event.event.body)) {
    kept.event.body = *share;
    kept.clientKey = event.clientKey;
    return kept;
  }
  if (const auto* clickback = std::get_if<ClickbackEvent>(&event.event.body)) {
    if (clickback->botSignals != 0 || event.requestBot) return std::nullopt;
    ClickbackEvent shape;
    shape.content = clickback->content;
    shape.pageView = clickback->pageView;
    shape.token = clickback->token;
    kept.event.body = shape;
    return kept;
  }
  if (const auto* summary = std::get_if<SummaryEvent>(&event.event.body)) {
    if (!summary->addressToken) return std::nullopt;
    SummaryEvent shape;
    shape.content = summary->content;
    shape.pageView = summary->pageView;
    shape.seq = summary->seq;
    shape.addressToken = summary->addressToken;
    kept.event.body = shape;
    kept.clientKey = event.clientKey;
    return kept;
  }
  return std::nullopt;
}

}  // namespace sharetrack
