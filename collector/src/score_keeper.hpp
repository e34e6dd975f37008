// Each site's ScoreBook (core), loaded from storage at start and kept up to date from every
// commit, so the query API answers from kept state and never rescans events. One writer (the
// batch writer's thread), many readers (the HTTP server's).
#pragma once

#include <map>
#include <shared_mutex>
#include <string>
#include <vector>

#include "sharetrack/score_book.hpp"
#include "sites.hpp"
#include "storage.hpp"

namespace sharetrack::collector {

class ScoreKeeper {
 public:
  explicit ScoreKeeper(const SitesConfig& sites);

  // Every stored event of the served sites, in one pass over storage.
  Status load(Storage& storage);
  // What a commit stored: the accepted events of each batch.
  void committed(const std::vector<const IncomingBatch*>& batches,
                 const std::vector<std::vector<StoreOutcome>>& outcomes);
  ErasureCounts erase(const std::string& site, const std::string& visitor, const std::string& anonymousId);

  // Calls `read` with the site's book under a shared lock; the site must be served.
  template <typename Read>
  auto read(const std::string& site, Read read) const {
    std::shared_lock lock(mutex_);
    return read(books_.at(site));
  }

 private:
  mutable std::shared_mutex mutex_;
  std::map<std::string, ScoreBook, std::less<>> books_;
};

}  // namespace sharetrack::collector
