#include "score_keeper.hpp"

#include <mutex>

namespace sharetrack::collector {

ScoreKeeper::ScoreKeeper(const SitesConfig& sites) {
  for (const Site& site : sites.sites) books_.emplace(site.id, ScoreBook(site.scoring));
}

Status ScoreKeeper::load(Storage& storage) {
  std::unique_lock lock(mutex_);
  return storage.forEachEvent([this](const std::string& site, const StoredEvent& event) {
    // A site no longer in the sites file keeps its rows, unscored.
    if (const auto book = books_.find(site); book != books_.end()) book->second.add(event);
  });
}

void ScoreKeeper::committed(const std::vector<const IncomingBatch*>& batches,
                            const std::vector<std::vector<StoreOutcome>>& outcomes) {
  std::unique_lock lock(mutex_);
  for (std::size_t b = 0; b < batches.size(); ++b) {
    const IncomingBatch& batch = *batches[b];
    const auto book = books_.find(batch.header.site);
    if (book == books_.end()) continue;
    for (std::size_t e = 0; e < batch.events.size(); ++e) {
      if (outcomes[b][e] == StoreOutcome::accepted) book->second.add(batch.events[e]);
    }
  }
}

ErasureCounts ScoreKeeper::erase(const std::string& site, const std::string& visitor, const std::string& anonymousId) {
  std::unique_lock lock(mutex_);
  return books_.at(site).eraseVisitor(visitor, anonymousId);
}

}  // namespace sharetrack::collector
