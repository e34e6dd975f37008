#include "metrics.hpp"

#include <cstdio>

namespace sharetrack::collector {
namespace {

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.9g", value);
  return text;
}

void counter(std::string& out, const std::string& name, const std::string& help) {
  out += "# HELP " + name + " " + help + "\n# TYPE " + name + " counter\n";
}

}  // namespace

void Histogram::observe(double seconds) {
  for (std::size_t i = 0; i < kBounds.size(); ++i) {
    if (seconds <= kBounds[i]) ++counts_[i];
  }
  ++total_;
  sum_ += seconds;
}

void Histogram::write(std::string& out, const std::string& name, const std::string& help) const {
  out += "# HELP " + name + " " + help + "\n# TYPE " + name + " histogram\n";
  for (std::size_t i = 0; i < kBounds.size(); ++i) {
    out += name + "_bucket{le=\"" + number(kBounds[i]) + "\"} " + std::to_string(counts_[i]) + "\n";
  }
  out += name + "_bucket{le=\"+Inf\"} " + std::to_string(total_) + "\n";
  out += name + "_sum " + number(sum_) + "\n" + name + "_count " + std::to_string(total_) + "\n";
}

void Metrics::request(int status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requestsByStatus_[status];
  requestSeconds_.observe(seconds);
}

void Metrics::events(std::uint64_t accepted, std::uint64_t duplicate, std::uint64_t rejected, std::uint64_t bots) {
  std::lock_guard lock(mutex_);
  accepted_ += accepted;
  duplicate_ += duplicate;
  rejected_ += rejected;
  bots_ += bots;
}

void Metrics::commit(std::size_t batches, double seconds) {
  std::lock_guard lock(mutex_);
  ++commits_;
  committedBatches_ += batches;
  commitSeconds_.observe(seconds);
}

void Metrics::dropped(const std::string& reason) {
  std::lock_guard lock(mutex_);
  ++droppedByReason_[reason];
}

std::string Metrics::prometheus() const {
  std::lock_guard lock(mutex_);
  std::string out;
  counter(out, "sharetrack_http_requests_total", "HTTP requests answered, by status.");
  for (const auto& [status, count] : requestsByStatus_) {
    out += "sharetrack_http_requests_total{status=\"" + std::to_string(status) + "\"} " + std::to_string(count) + "\n";
  }
  counter(out, "sharetrack_connections_dropped_total", "Connections closed without an answer, by reason.");
  for (const auto& [reason, count] : droppedByReason_) {
    out += "sharetrack_connections_dropped_total{reason=\"" + reason + "\"} " + std::to_string(count) + "\n";
  }
  counter(out, "sharetrack_events_total", "Events received, by result.");
  out += "sharetrack_events_total{result=\"accepted\"} " + std::to_string(accepted_) + "\n";
  out += "sharetrack_events_total{result=\"duplicate\"} " + std::to_string(duplicate_) + "\n";
  out += "sharetrack_events_total{result=\"rejected\"} " + std::to_string(rejected_) + "\n";
  counter(out, "sharetrack_bot_events_total", "Accepted events flagged as a bot's.");
  out += "sharetrack_bot_events_total " + std::to_string(bots_) + "\n";
  counter(out, "sharetrack_commits_total", "Storage transactions committed.");
  out += "sharetrack_commits_total " + std::to_string(commits_) + "\n";
  counter(out, "sharetrack_committed_batches_total", "Batches stored by those transactions (group commit).");
  out += "sharetrack_committed_batches_total " + std::to_string(committedBatches_) + "\n";
  requestSeconds_.write(out, "sharetrack_request_duration_seconds", "Time to answer a request.");
  commitSeconds_.write(out, "sharetrack_commit_duration_seconds", "Time of one storage transaction.");
  return out;
}

}  // namespace sharetrack::collector
