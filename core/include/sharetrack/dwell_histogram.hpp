// Dwell times of viewable impressions in fixed bins, so the median over any set of days is a sum
// of small arrays rather than a merge of every value: 100 ms bins under a minute, 1 s bins under
// ten minutes, 10 s bins under an hour, and one bin for an hour or more.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace sharetrack {

class DwellHistogram {
 public:
  void add(std::uint32_t dwellMs, int sign);
  DwellHistogram& operator+=(const DwellHistogram& other);
  // The lower median, as the lower bound of its bin; none when empty.
  std::optional<std::uint32_t> median() const;

  static std::size_t binOf(std::uint32_t dwellMs);
  static std::uint32_t lowerBound(std::size_t bin);

 private:
  std::vector<std::int32_t> bins_;  // as long as the highest bin used
};

}  // namespace sharetrack
