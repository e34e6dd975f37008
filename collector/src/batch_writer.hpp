// Group commit: request threads hand their batches to one writer thread, which stores everything
// waiting in one transaction and wakes each request once its batch is durable.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "metrics.hpp"
#include "storage.hpp"

namespace sharetrack::collector {

class BatchWriter {
 public:
  BatchWriter(Storage& storage, Metrics& metrics);
  ~BatchWriter();
  BatchWriter(const BatchWriter&) = delete;
  BatchWriter& operator=(const BatchWriter&) = delete;

  // Blocks until `batch` is committed with the others waiting, or their transaction failed.
  Result<std::vector<StoreOutcome>> write(const IncomingBatch& batch);
  // Commits what is waiting, then ends the writer thread; later writes fail.
  void stop();

 private:
  struct Job {
    const IncomingBatch* batch;
    std::optional<Result<std::vector<StoreOutcome>>> result;
  };
  void run();

  Storage& storage_;
  Metrics& metrics_;
  std::mutex mutex_;
  std::condition_variable work_, done_;
  std::deque<Job*> waiting_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace sharetrack::collector
