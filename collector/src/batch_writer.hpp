// Group commit: request handlers hand their batches to one writer thread, which stores everything
// waiting in one transaction and then calls each batch's completion. Nobody waits on a thread:
// the HTTP server answers a batch from its completion.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "metrics.hpp"
#include "storage.hpp"

namespace sharetrack::collector {

using StoreCompletion = std::function<void(Result<std::vector<StoreOutcome>>)>;
// Told of every successful commit, on the writer thread, before any batch of it is answered.
using CommitObserver =
    std::function<void(const std::vector<const IncomingBatch*>&, const std::vector<std::vector<StoreOutcome>>&)>;
// Work that needs the store to itself (an erasure); given nullptr once the writer has stopped.
using StoreTask = std::function<void(Storage*)>;

class BatchWriter {
 public:
  BatchWriter(Storage& storage, Metrics& metrics, CommitObserver committed = {});
  ~BatchWriter();
  BatchWriter(const BatchWriter&) = delete;
  BatchWriter& operator=(const BatchWriter&) = delete;

  // Stores `batch` with the others waiting; `done` runs on the writer thread once the transaction
  // committed or failed (then nothing of it was stored). After stop(), `done` fails at once.
  void submit(std::shared_ptr<const IncomingBatch> batch, StoreCompletion done);
  // Runs `task` on the writer thread after the commit in progress.
  void submit(StoreTask task);
  // Commits what is waiting, then ends the writer thread.
  void stop();

 private:
  struct Job {
    std::shared_ptr<const IncomingBatch> batch;  // or a task
    StoreCompletion done;
    StoreTask task;
  };
  void run();

  Storage& storage_;
  Metrics& metrics_;
  CommitObserver committed_;
  std::mutex mutex_;
  std::condition_variable work_;
  std::deque<Job> waiting_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace sharetrack::collector
