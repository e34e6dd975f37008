// Writing batches (core/PROTOCOL.md), with JsonWriter only: the widget's side, so the browser's
// module carries no JSON library. batch_decode.hpp reads them back.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sharetrack/batch.hpp"

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

}  // namespace sharetrack
