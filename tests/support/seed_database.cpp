#include "support/seed_database.hpp"

#include <algorithm>
#include <stdexcept>

#include "options.hpp"
#include "pg_storage.hpp"
#include "sqlite_storage.hpp"

namespace sharetrack::test {

void seedDatabase(const std::string& database, const std::string& site, const std::vector<StoredEvent>& events) {
  using namespace sharetrack::collector;
  std::unique_ptr<Storage> storage;
  if (isPostgresUrl(database)) {
    auto opened = PgStorage::open(database);
    if (!opened) throw std::runtime_error(opened.error().message);
    storage = std::move(opened).value();
  } else {
    auto opened = SqliteStorage::open(database, Durability::normal);
    if (!opened) throw std::runtime_error(opened.error().message);
    storage = std::move(opened).value();
  }
  constexpr std::size_t kPerTransaction = 20000;
  for (std::size_t start = 0; start < events.size(); start += kPerTransaction) {
    std::vector<IncomingBatch> batches;
    for (std::size_t i = start; i < std::min(events.size(), start + kPerTransaction); ++i) {
      const StoredEvent& e = events[i];
      IncomingBatch batch;
      batch.header.site = site;
      batch.header.id = "seed-batch-" + std::to_string(i);
      batch.header.visitor = e.visitor;
      batch.header.subscriber = e.subscriber;
      batch.header.sentAtMs = e.event.timeMs;
      batch.receivedAtMs = e.receivedAtMs;
      batch.botUserAgent = e.requestBot;
      batch.clientKey = e.clientKey;
      batch.add(e.event);
      batches.push_back(std::move(batch));
    }
    std::vector<const IncomingBatch*> group;
    for (const IncomingBatch& batch : batches) group.push_back(&batch);
    if (auto stored = storage->store(group); !stored) throw std::runtime_error(stored.error().message);
  }
}

}  // namespace sharetrack::test
