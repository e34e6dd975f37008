#include "sharetrack/dwell_histogram.hpp"

#include <algorithm>

namespace sharetrack {
namespace {

constexpr std::uint32_t kMinute = 60000, kTenMinutes = 600000, kHour = 3600000;
constexpr std::size_t kFine = kMinute / 100;                           // 600 bins of 100 ms
constexpr std::size_t kSeconds = kFine + (kTenMinutes - kMinute) / 1000;  // then 540 of 1 s
constexpr std::size_t kTens = kSeconds + (kHour - kTenMinutes) / 10000;   // then 300 of 10 s

}  // namespace

std::size_t DwellHistogram::binOf(std::uint32_t ms) {
  if (ms < kMinute) return ms / 100;
  if (ms < kTenMinutes) return kFine + (ms - kMinute) / 1000;
  if (ms < kHour) return kSeconds + (ms - kTenMinutes) / 10000;
  return kTens;
}

std::uint32_t DwellHistogram::lowerBound(std::size_t bin) {
  if (bin < kFine) return static_cast<std::uint32_t>(bin * 100);
  if (bin < kSeconds) return static_cast<std::uint32_t>(kMinute + (bin - kFine) * 1000);
  if (bin < kTens) return static_cast<std::uint32_t>(kTenMinutes + (bin - kSeconds) * 10000);
  return kHour;
}

void DwellHistogram::add(std::uint32_t dwellMs, int sign) {
  const std::size_t bin = binOf(dwellMs);
  if (bins_.size() <= bin) bins_.resize(bin + 1, 0);
  bins_[bin] += sign;
}

DwellHistogram& DwellHistogram::operator+=(const DwellHistogram& other) {
  if (bins_.size() < other.bins_.size()) bins_.resize(other.bins_.size(), 0);
  for (std::size_t i = 0; i < other.bins_.size(); ++i) bins_[i] += other.bins_[i];
  return *this;
}

std::optional<std::uint32_t> DwellHistogram::median() const {
  std::int64_t total = 0;
  for (const std::int32_t count : bins_) total += count;
  if (total <= 0) return std::nullopt;
  std::int64_t seen = 0;
  for (std::size_t bin = 0; bin < bins_.size(); ++bin) {
    seen += bins_[bin];
    if (2 * seen >= total) return lowerBound(bin);
  }
  return std::nullopt;
}

}  // namespace sharetrack
