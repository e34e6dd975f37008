#include "storage.hpp"

namespace sharetrack::collector {

void IncomingBatch::add(Event event) {
  StoredEvent& stored = events.emplace_back();
  stored.event = std::move(event);
  stored.visitor = header.visitor;
  stored.subscriber = header.subscriber;
  stored.clientKey = clientKey;
  stored.receivedAtMs = receivedAtMs;
  stored.requestBot = botUserAgent;
}

}  // namespace sharetrack::collector
