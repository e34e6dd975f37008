// Storage in one SQLite file in WAL mode: every acknowledged batch survives the collector being
// killed; with Durability::full it survives power loss too (fsync at every commit).
#pragma once

#include <memory>
#include <string>

#include "storage.hpp"

struct sqlite3;

namespace sharetrack::collector {

enum class Durability { normal, full };

class SqliteStorage final : public Storage {
 public:
  // Opens (creating it if needed) and migrates the database; fails with storageUnavailable or
  // configInvalid (a database from a newer collector) and a message naming the file.
  static Result<std::unique_ptr<SqliteStorage>> open(const std::string& path, Durability durability);
  ~SqliteStorage() override;

  Result<std::vector<std::vector<StoreOutcome>>> store(const std::vector<const IncomingBatch*>& batches) override;
  Status forEachEvent(const StoredEventVisitor& visit) override;
  Status eraseVisitor(const std::string& site, const std::string& visitor, const std::string& anonymousId) override;

  // The schema version this build writes (PRAGMA user_version).
  static int schemaVersion();

 private:
  struct Statements;
  SqliteStorage(sqlite3* db, std::string path);
  Status prepare();
  Status storeOne(const IncomingBatch& batch, std::vector<StoreOutcome>& outcomes);
  // Inserts one event unless its id is stored for the site; `fresh` says whether it was new.
  Status insertEvent(const std::string& site, const std::string& batchId, const StoredEvent& event, bool& fresh);
  Status upsertSummary(const std::string& site, const StoredEvent& event, const SummaryEvent& summary);
  template <typename Work>
  Status inTransaction(Work work);

  sqlite3* db_;
  std::string path_;
  std::unique_ptr<Statements> statements_;
};

}  // namespace sharetrack::collector
