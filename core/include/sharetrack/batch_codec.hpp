// The one codec of batches, used by the widget to write them and by the collector to read them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sharetrack/batch.hpp"
#include "sharetrack/result.hpp"

namespace sharetrack {

// Compact JSON in the v1 form of core/PROTOCOL.md.
std::string encodeBatch(const Batch& batch);

// One event's JSON, as it appears in a batch's events list: the widget's queue keeps events in
// this form, so building a batch is concatenation and restoring a queue needs no JSON parser.
std::string encodeEvent(const Event& event);

// A batch of events already encoded by encodeEvent; its length is exactly
// encodedBatchSize(header, sum of the events' lengths, number of events).
std::string encodeBatchText(const BatchHeader& header, const std::vector<std::string_view>& encodedEvents);
std::size_t encodedBatchSize(const BatchHeader& header, std::size_t eventBytes, std::size_t eventCount);

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
