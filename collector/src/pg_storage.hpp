// Storage in PostgreSQL, for sites that outgrow one machine: several collectors behind any load
// balancer write to one database. The same tables, idempotency and summary rule as SQLite's; each
// row also keeps the id of the transaction that wrote it (`xid`), by which every collector follows
// the others' commits (pg_tail.hpp). A batch is acknowledged once its transaction committed.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "pg_connection.hpp"
#include "storage.hpp"

namespace sharetrack::collector {

class PgStorage final : public Storage {
 public:
  // Connects and migrates the schema (one collector at a time: an advisory lock); fails with
  // storageUnavailable, or configInvalid for a schema newer than this collector's.
  static Result<std::unique_ptr<PgStorage>> open(const std::string& url);

  Result<std::vector<std::vector<StoreOutcome>>> store(const std::vector<const IncomingBatch*>& batches) override;
  Status forEachEvent(const StoredEventVisitor& visit) override;
  Result<std::vector<std::string>> visitorsOf(const std::string& site, const std::string& subscriber) override;
  Status eraseVisitor(const std::string& site, const std::string& visitor, const std::string& anonymousId) override;

  // Told of each store's transaction before it commits (its rows are this collector's own, for the
  // ScoreKeeper), and again if the commit then fails.
  void observeTransactions(std::function<void(TransactionId)> announced, std::function<void(TransactionId)> abandoned);
  // The transaction of the last successful store.
  TransactionId lastTransaction() const { return lastTransaction_; }
  static int schemaVersion();
  // Where it is (host, port, database), for the log: no credentials.
  const std::string& name() const { return db_->name(); }

 private:
  explicit PgStorage(std::unique_ptr<PgConnection> db);
  Status insertEvents(const std::vector<const IncomingBatch*>& batches,
                      std::vector<std::vector<StoreOutcome>>& outcomes);
  Status upsertSummaries(const std::vector<const IncomingBatch*>& batches,
                         const std::vector<std::vector<StoreOutcome>>& outcomes);
  Status insertBatches(const std::vector<const IncomingBatch*>& batches);

  std::unique_ptr<PgConnection> db_;
  const std::string beginStore_;  // BEGIN, and the scratch table the events are copied into
  std::function<void(TransactionId)> announced_;
  std::function<void(TransactionId)> abandoned_;
  TransactionId lastTransaction_ = 0;
};

}  // namespace sharetrack::collector
