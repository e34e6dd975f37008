#include "score_keeper.hpp"

#include <iterator>
#include <mutex>

namespace sharetrack::collector {
namespace {

void addTo(ScoreKeeper::Books& books, const std::string& site, const StoredEvent& event) {
  // A site no longer in the sites file keeps its rows, unscored.
  if (const auto book = books.find(site); book != books.end()) book->second.add(event);
}

}  // namespace

ScoreKeeper::ScoreKeeper(const SitesConfig& sites) : sites_(sites), books_(emptyBooks()) {}

ScoreKeeper::Books ScoreKeeper::emptyBooks() const {
  Books books;
  for (const Site& site : sites_.sites) books.emplace(site.id, ScoreBook(site.scoring));
  return books;
}

Status ScoreKeeper::load(Storage& storage) {
  std::unique_lock lock(mutex_);
  return storage.forEachEvent([this](const std::string& site, const StoredEvent& event) { addTo(books_, site, event); });
}

void ScoreKeeper::committed(const std::vector<const IncomingBatch*>& batches,
                            const std::vector<std::vector<StoreOutcome>>& outcomes,
                            std::optional<TransactionId> transaction) {
  std::unique_lock lock(mutex_);
  if (transaction) {
    Own& own = own_[*transaction];
    own.added = true;
    own.seen.clear();
    if (own.inBooks) return;  // a rebuild read it already
  }
  for (std::size_t b = 0; b < batches.size(); ++b) {
    const IncomingBatch& batch = *batches[b];
    for (std::size_t e = 0; e < batch.events.size(); ++e) {
      if (outcomes[b][e] == StoreOutcome::accepted) addTo(books_, batch.header.site, batch.events[e]);
    }
  }
}

void ScoreKeeper::announced(TransactionId transaction) {
  std::unique_lock lock(mutex_);
  own_[transaction];
}

void ScoreKeeper::abandoned(TransactionId transaction) {
  std::unique_lock lock(mutex_);
  const auto own = own_.find(transaction);
  if (own == own_.end()) return;
  // Rows the follower read prove the commit happened though its answer was lost: they count.
  for (const Followed& f : own->second.seen) addTo(books_, f.site, f.event);
  own_.erase(own);
}

void ScoreKeeper::followed(const std::vector<Followed>& events, TransactionId readUpTo) {
  std::unique_lock lock(mutex_);
  for (const Followed& f : events) {
    const auto own = own_.find(f.transaction);
    if (own == own_.end()) {
      addTo(books_, f.site, f.event);
    } else if (!own->second.added && !own->second.inBooks) {
      own->second.seen.push_back(f);  // committed; committed() or abandoned() will say what to do
    }
  }
  // Read past and added: nothing meets them again. One committed() has yet to add stays.
  for (auto it = own_.begin(); it != own_.end() && it->first < readUpTo;) {
    it = it->second.added ? own_.erase(it) : std::next(it);
  }
}

Status ScoreKeeper::rebuild(const std::function<Result<TransactionId>(const Adder& add)>& fill) {
  Books books = emptyBooks();
  auto horizon = fill([&books](const std::string& site, const StoredEvent& event) { addTo(books, site, event); });
  if (!horizon) return horizon.error();
  std::unique_lock lock(mutex_);
  books_ = std::move(books);
  // Below the horizon the rebuild read it (committed() must not add it again); above, the follower
  // goes on from the horizon and reads it, unless committed() has yet to add it.
  for (auto it = own_.begin(); it != own_.end();) {
    if (it->first < horizon.value()) it->second.inBooks = true;
    it->second.seen.clear();  // in the books now, or the follower reads it again from the horizon
    it = it->second.added ? own_.erase(it) : std::next(it);
  }
  return {};
}

ErasureCounts ScoreKeeper::erase(const std::string& site, const std::string& visitor, const std::string& anonymousId) {
  std::unique_lock lock(mutex_);
  return books_.at(site).eraseVisitor(visitor, anonymousId);
}

}  // namespace sharetrack::collector
