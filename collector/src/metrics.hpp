// Counters and histograms of the collector, exposed in Prometheus' text format at /metrics.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace sharetrack::collector {

class Histogram {
 public:
  static constexpr std::array<double, 11> kBounds{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0};
  void observe(double seconds);
  void write(std::string& out, const std::string& name, const std::string& help) const;

 private:
  std::array<std::uint64_t, kBounds.size()> counts_{};
  std::uint64_t total_ = 0;
  double sum_ = 0;
};

class Metrics {
 public:
  void request(int status, double seconds);
  void events(std::uint64_t accepted, std::uint64_t duplicate, std::uint64_t rejected, std::uint64_t bots);
  void commit(std::size_t batches, double seconds);
  // A connection closed without an answer: refused at accept, or timed out.
  void dropped(const std::string& reason);
  std::string prometheus() const;

 private:
  mutable std::mutex mutex_;
  std::map<int, std::uint64_t> requestsByStatus_;
  std::map<std::string, std::uint64_t> droppedByReason_;
  std::uint64_t accepted_ = 0, duplicate_ = 0, rejected_ = 0, bots_ = 0;
  std::uint64_t commits_ = 0, committedBatches_ = 0;
  Histogram requestSeconds_, commitSeconds_;
};

}  // namespace sharetrack::collector
