// Reading batches (core/PROTOCOL.md) with nlohmann/json: the collector's side, part of
// sharetrack::decode, which the browser's module never links.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sharetrack/batch.hpp"
#include "sharetrack/result.hpp"

namespace sharetrack {

// One event of a decoded batch: valid, or rejected with the reason. `id` is the event's id as
// sent when it was a well-formed id, else empty; the answer reports it either way.
struct DecodedEvent {
  std::string id;
  Result<Event> event;
};

struct DecodedBatch {
  BatchHeader header;
  std::vector<DecodedEvent> events;  // in the batch's order
};

// Fails only when the envelope is unreadable (size, JSON, version, header fields, the events
// list itself); each event is then judged alone, so valid events survive an invalid neighbour.
Result<DecodedBatch> decodeBatch(std::string_view text);

}  // namespace sharetrack
