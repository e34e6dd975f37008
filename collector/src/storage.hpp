// Where the collector keeps what it accepted. SQLite by default; the interface is what a
// PostgreSQL store for several stateless collectors implements too.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sharetrack/batch.hpp"
#include "sharetrack/result.hpp"

namespace sharetrack::collector {

// The valid events of one batch, with what the collector knows of its request.
struct IncomingBatch {
  BatchHeader header;
  std::vector<Event> events;
  std::int64_t receivedAtMs = 0;
  bool botUserAgent = false;  // the request's User-Agent is on the bot list
};

enum class StoreOutcome : unsigned char { accepted, duplicate };

class Storage {
 public:
  virtual ~Storage() = default;
  // All of `batches` in one durable transaction; per batch, per event: stored now, or its id was
  // already stored for that site. On failure nothing is stored.
  virtual Result<std::vector<std::vector<StoreOutcome>>> store(const std::vector<const IncomingBatch*>& batches) = 0;
};

}  // namespace sharetrack::collector
