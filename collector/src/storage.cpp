#include "storage.hpp"

namespace sharetrack::collector {

StoredEvent storedEvent(const IncomingBatch& batch, const Event& event) {
  StoredEvent stored;
  stored.event = event;
  stored.visitor = batch.header.visitor;
  stored.subscriber = batch.header.subscriber;
  stored.clientKey = batch.clientKey;
  stored.receivedAtMs = batch.receivedAtMs;
  stored.requestBot = batch.botUserAgent;
  return stored;
}

}  // namespace sharetrack::collector
