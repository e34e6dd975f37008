// Random valid batches for property tests and benchmarks: every field inside its limits, share
// tokens consistent with their parents and channels.
#pragma once

#include <vector>

#include "sharetrack/batch.hpp"
#include "sharetrack/batch_decode.hpp"
#include "support/test_random.hpp"

namespace sharetrack::test {

Batch randomBatch(TestRandom& random, std::size_t eventCount);

// The events of a decoded batch that were valid, in order.
std::vector<Event> validEvents(const DecodedBatch& decoded);

}  // namespace sharetrack::test
