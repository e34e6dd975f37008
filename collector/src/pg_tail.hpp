// Follows what every collector commits to one PostgreSQL database, so that each collector's scores
// hold all of a site's events however the load balancer spread the batches. Rows are read by the
// id of the transaction that wrote them, up to the oldest transaction still running: every
// transaction below it has ended, so a range read once is complete for good and no row is read
// twice. Its own connection; one thread.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "pg_connection.hpp"
#include "storage.hpp"

namespace sharetrack::collector {

// A stored event and the transaction that wrote it.
using FollowedEventVisitor =
    std::function<void(TransactionId transaction, const std::string& site, const StoredEvent& event)>;

class PgTail {
 public:
  static Result<std::unique_ptr<PgTail>> open(const std::string& url);

  struct Step {
    TransactionId horizon = 0;  // every transaction below it has ended; the next step starts here
    bool erased = false;        // an erasure came in this step: read everything again (restart)
  };
  // The rows of the transactions that ended since the last step (all of them at the first step, or
  // after restart()), in transaction order.
  Result<Step> next(const FollowedEventVisitor& visit);
  void restart() { from_ = 0; }

 private:
  explicit PgTail(std::unique_ptr<PgConnection> db) : db_(std::move(db)) {}

  std::unique_ptr<PgConnection> db_;
  TransactionId from_ = 0;
};

}  // namespace sharetrack::collector
