#include "batch_writer.hpp"

#include <chrono>

namespace sharetrack::collector {

constexpr std::size_t kMaxBatchesPerCommit = 256;

BatchWriter::BatchWriter(Storage& storage, Metrics& metrics, CommitObserver committed)
    : storage_(storage), metrics_(metrics), committed_(std::move(committed)), thread_([this] { run(); }) {}

BatchWriter::~BatchWriter() { stop(); }

void BatchWriter::submit(std::shared_ptr<const IncomingBatch> batch, StoreCompletion done) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      waiting_.push_back(Job{std::move(batch), std::move(done), nullptr});
      work_.notify_one();
      return;
    }
  }
  done(makeError(ErrorCode::storageUnavailable, "the collector is shutting down"));
}

void BatchWriter::submit(StoreTask task) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      waiting_.push_back(Job{nullptr, nullptr, std::move(task)});
      work_.notify_one();
      return;
    }
  }
  task(nullptr);
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
    std::vector<Job> jobs;
    while (!waiting_.empty() && jobs.size() < kMaxBatchesPerCommit) {
      jobs.push_back(std::move(waiting_.front()));
      waiting_.pop_front();
    }
    lock.unlock();
    std::vector<const IncomingBatch*> batches;
    std::vector<Job*> batchJobs;
    for (Job& job : jobs) {
      if (!job.batch) continue;
      batches.push_back(job.batch.get());
      batchJobs.push_back(&job);
    }
    if (!batches.empty()) {
      const auto start = std::chrono::steady_clock::now();
      auto stored = storage_.store(batches);
      metrics_.commit(batches.size(), std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      if (stored && committed_) committed_(batches, stored.value());
      for (std::size_t i = 0; i < batchJobs.size(); ++i) {
        if (stored) {
          batchJobs[i]->done(std::move(stored.value()[i]));
        } else {
          batchJobs[i]->done(stored.error());
        }
      }
    }
    for (Job& job : jobs) {
      if (job.task) job.task(&storage_);
    }
    lock.lock();
  }
}

}  // namespace sharetrack::collector
