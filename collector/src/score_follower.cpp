#include "score_follower.hpp"

#include <vector>

namespace sharetrack::collector {

ScoreFollower::ScoreFollower(ScoreKeeper& keeper, std::unique_ptr<PgTail> tail, std::chrono::milliseconds interval,
                             std::function<void(const Error&)> failed)
    : keeper_(keeper), tail_(std::move(tail)), interval_(interval), failed_(std::move(failed)) {}

ScoreFollower::~ScoreFollower() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stopped_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Status ScoreFollower::start() {
  SHARETRACK_RETURN_IF_ERROR(rebuild());
  thread_ = std::thread([this] { run(); });
  return {};
}

Status ScoreFollower::rebuild() {
  rebuildDue_ = true;
  tail_->restart();
  SHARETRACK_RETURN_IF_ERROR(keeper_.rebuild([this](const ScoreKeeper::Adder& add) -> Result<TransactionId> {
    auto read = tail_->next([&add](TransactionId, const std::string& site, const StoredEvent& event) { add(site, event); });
    if (!read) return read.error();
    return read.value().horizon;
  }));
  rebuildDue_ = false;
  return {};
}

Status ScoreFollower::step() {
  // A rebuild that failed is tried again before anything else is read: the tail starts over
  // only with the books.
  if (rebuildDue_) return rebuild();
  std::vector<ScoreKeeper::Followed> events;
  auto read = tail_->next([&events](TransactionId transaction, const std::string& site, const StoredEvent& event) {
    events.push_back({transaction, site, event});
  });
  if (!read) return read.error();
  if (read.value().erased) return rebuild();
  keeper_.followed(events, read.value().horizon);
  return {};
}

void ScoreFollower::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (stopped_.wait_for(lock, interval_, [this] { return stopping_; })) break;
    lock.unlock();
    // A database that is away for a while is read again at the next interval: nothing is lost, the
    // scores are only late meanwhile.
    if (Status done = step(); !done) failed_(done.error());
    lock.lock();
  }
}

}  // namespace sharetrack::collector
