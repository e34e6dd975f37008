// A simulated browser profile for engine tests: the storage that tabs persist to, the clock,
// and engines created the way the web shell creates them (seeded, restored from storage).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "sharetrack/engine.hpp"
#include "support/queue_pieces.hpp"

namespace sharetrack::test {

EngineConfig testConfig();

struct BrowserProfile {
  std::string visitorSnapshot;
  QueuePieces queuePieces;             // the last tab's queue, left for the next page load
  std::int64_t nowMs = 1763769600000;  // 2025-11-22
  std::uint64_t seeds = 1;

  // A new page view: a fresh engine that merges the stored visitor state and adopts the queue.
  std::unique_ptr<Engine> open(const EngineConfig& config, const PrivacySignals& signals = {});
  // Writes what the engine asks to be written, as the shell does after every call.
  void persist(Engine& engine, bool pageHiding = false);
};

// A report of `kind` for `sendId` with nothing else set.
SendReport sendReport(std::uint32_t sendId, SendKind kind);

// A valid header for site "acme", batch "batch-0001".
BatchHeader batchHeader();

// Events of one type waiting or in flight in the engine's queue.
std::size_t queuedOfType(const Engine& engine, const std::string& type);

}  // namespace sharetrack::test
