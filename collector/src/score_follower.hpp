// With several collectors on one PostgreSQL database, keeps this collector's scores in step with
// what all of them commit: a thread that reads, every interval, the transactions that ended since
// its last read (PgTail) and hands their events to the ScoreKeeper, which skips this collector's
// own. An erasure anywhere (rare: a visitor's request) rebuilds the books from the table, so that
// every collector's scores are the rows' own.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "pg_tail.hpp"
#include "score_keeper.hpp"

namespace sharetrack::collector {

class ScoreFollower {
 public:
  // `failed` hears each read that failed (the database away); the next interval reads again.
  ScoreFollower(ScoreKeeper& keeper, std::unique_ptr<PgTail> tail, std::chrono::milliseconds interval,
                std::function<void(const Error&)> failed);
  ~ScoreFollower();
  ScoreFollower(const ScoreFollower&) = delete;
  ScoreFollower& operator=(const ScoreFollower&) = delete;

  // The first read, every stored event, before the collector serves; then the thread starts.
  Status start();

 private:
  Status step();
  Status rebuild();
  void run();

  ScoreKeeper& keeper_;
  std::unique_ptr<PgTail> tail_;
  std::chrono::milliseconds interval_;
  bool rebuildDue_ = false;  // an erasure was seen, or a rebuild failed (the follower thread alone reads it)
  std::function<void(const Error&)> failed_;
  std::mutex mutex_;
  std::condition_variable stopped_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace sharetrack::collector
