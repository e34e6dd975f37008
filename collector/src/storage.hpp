// Where the collector keeps what it accepted. SQLite by default; the interface is what a
// PostgreSQL store for several stateless collectors implements too.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sharetrack/batch.hpp"
#include "sharetrack/result.hpp"
#include "sharetrack/score_book.hpp"

namespace sharetrack::collector {

// The valid events of one batch, with what the collector knows of its request.
struct IncomingBatch {
  BatchHeader header;
  std::int64_t receivedAtMs = 0;
  bool botUserAgent = false;  // the request's User-Agent is on the bot list
  std::string clientKey;      // the collector's daily key for the client that posted it
  // As the store keeps them and the scores take them, built once on the request's thread so
  // that the writer copies nothing.
  std::vector<StoredEvent> events;

  // Appends `event` with the batch's visitor and subscriber and the facts above, which must be
  // set first.
  void add(Event event);
};

using StoredEventVisitor = std::function<void(const std::string& site, const StoredEvent& event)>;

// A database transaction's id (PostgreSQL's xid8), which orders the commits of several collectors.
using TransactionId = std::uint64_t;

enum class StoreOutcome : unsigned char { accepted, duplicate };

class Storage {
 public:
  virtual ~Storage() = default;
  // All of `batches` in one durable transaction; per batch, per event: stored now, or its id was
  // already stored for that site. On failure nothing is stored.
  virtual Result<std::vector<std::vector<StoreOutcome>>> store(const std::vector<const IncomingBatch*>& batches) = 0;
  // Every stored event of every site, roughly in the order they arrived (the scores do not depend
  // on it; the ScoreBook is fastest so).
  virtual Status forEachEvent(const StoredEventVisitor& visit) = 0;
  // The visitors whose events carry `subscriber` (an email link's id), from the stored rows: what a
  // subscriber's erasure takes, whichever collector stored them.
  virtual Result<std::vector<std::string>> visitorsOf(const std::string& site, const std::string& subscriber) = 0;
  // Rewrites one visitor's events into their erased forms under `anonymousId` (erased_form.hpp),
  // drops the rest of their rows, in one transaction.
  virtual Status eraseVisitor(const std::string& site, const std::string& visitor, const std::string& anonymousId) = 0;
};

}  // namespace sharetrack::collector
