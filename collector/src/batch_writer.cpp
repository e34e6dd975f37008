#include "batch_writer.hpp"

#include <chrono>

namespace sharetrack::collector {

constexpr std::size_t kMaxBatchesPerCommit = 256;

BatchWriter::BatchWriter(Storage& storage, Metrics& metrics)
    : storage_(storage), metrics_(metrics), thread_([this] { run(); }) {}

BatchWriter::~BatchWriter() { stop(); }

Result<std::vector<StoreOutcome>> BatchWriter::write(const IncomingBatch& batch) {
  Job job{&batch, std::nullopt};
  std::unique_lock lock(mutex_);
  if (stopping_) return makeError(ErrorCode::storageUnavailable, "the collector is shutting down");
  waiting_.push_back(&job);
  work_.notify_one();
  done_.wait(lock, [&job] { return job.result.has_value(); });
  return std::move(*job.result);
}

void BatchWriter::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void BatchWriter::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    work_.wait(lock, [this] { return stopping_ || !waiting_.empty(); });
    if (waiting_.empty()) return;  // stopping, and everything waiting has been committed
    std::vector<Job*> jobs;
    while (!waiting_.empty() && jobs.size() < kMaxBatchesPerCommit) {
      jobs.push_back(waiting_.front());
      waiting_.pop_front();
    }
    lock.unlock();
    std::vector<const IncomingBatch*> batches;
    for (Job* job : jobs) batches.push_back(job->batch);
    const auto start = std::chrono::steady_clock::now();
    auto stored = storage_.store(batches);
    metrics_.commit(batches.size(), std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    lock.lock();
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      if (stored) {
        jobs[i]->result = std::move(stored.value()[i]);
      } else {
        jobs[i]->result = stored.error();
      }
    }
    done_.notify_all();
  }
}

}  // namespace sharetrack::collector
