// Random valid batches for property tests and benchmarks: every field inside its limits, share
// tokens consistent with their parents and channels.
#pragma once

#include "sharetrack/batch.hpp"
#include "support/test_random.hpp"

namespace sharetrack::test {

Batch randomBatch(TestRandom& random, std::size_t eventCount);

}  // namespace sharetrack::test
