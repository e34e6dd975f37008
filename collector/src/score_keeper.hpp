// Each site's ScoreBook (core), loaded from storage at start and kept up to date from every
// commit, so the query API answers from kept state and never rescans events. One writer (the
// batch writer's thread), many readers (the HTTP server's); with several collectors on one
// PostgreSQL database, also the follower's thread, which adds what the others commit.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "sharetrack/score_book.hpp"
#include "sites.hpp"
#include "storage.hpp"

namespace sharetrack::collector {

class ScoreKeeper {
 public:
  using Books = std::map<std::string, ScoreBook, std::less<>>;
  // Adds (site, event) to `books` while reading: a site no longer served keeps its rows, unscored.
  using Adder = std::function<void(const std::string& site, const StoredEvent& event)>;

  explicit ScoreKeeper(const SitesConfig& sites);

  // Every stored event of the served sites, in one pass over storage.
  Status load(Storage& storage);
  // What a commit stored: the accepted events of each batch. `transaction`: its id, when other
  // collectors follow the same database (it was announced before the commit).
  void committed(const std::vector<const IncomingBatch*>& batches,
                 const std::vector<std::vector<StoreOutcome>>& outcomes,
                 std::optional<TransactionId> transaction = std::nullopt);

  // Following the commits of several collectors on one database. A transaction of this collector's
  // is announced before its commit and its events added by committed(); the follower adds every
  // other transaction's events as it reads them, and a rebuild reads everything afresh. Each own
  // transaction's events land in the books once, in any order of the three.
  void announced(TransactionId transaction);
  // Its commit failed, or its answer was lost: it wrote nothing unless the follower read its rows.
  void abandoned(TransactionId transaction);
  struct Followed {
    TransactionId transaction;
    std::string site;
    StoredEvent event;
  };
  // What was committed up to `readUpTo` (every transaction below it has ended) since the last read.
  void followed(const std::vector<Followed>& events, TransactionId readUpTo);
  // Books read afresh replace the kept ones: `fill` adds every event of the transactions below the
  // horizon it returns. The reading holds no lock.
  Status rebuild(const std::function<Result<TransactionId>(const Adder& add)>& fill);
  ErasureCounts erase(const std::string& site, const std::string& visitor, const std::string& anonymousId);

  // Calls `read` with the site's book under a shared lock; the site must be served.
  template <typename Read>
  auto read(const std::string& site, Read read) const {
    std::shared_lock lock(mutex_);
    return read(books_.at(site));
  }

 private:
  Books emptyBooks() const;

  const SitesConfig& sites_;
  mutable std::shared_mutex mutex_;
  Books books_;
  struct Own {
    bool added = false;    // committed() added its events to the books
    bool inBooks = false;  // a rebuild read it: committed() adds nothing
    // Its rows as the follower read them before the writer heard how the commit went: added if
    // the commit is reported failed (its answer was lost), dropped if committed() adds them.
    std::vector<Followed> seen;
  };
  // This collector's transactions that the follower may still meet, or that committed() has yet to
  // add; forgotten once added and read past.
  std::map<TransactionId, Own> own_;
};

}  // namespace sharetrack::collector
