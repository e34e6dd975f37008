// JSON read with the line of every value, so that a configuration error can name its line.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "sharetrack/result.hpp"

namespace sharetrack::collector {

struct LocatedJson {
  nlohmann::json value;
  std::map<std::string, int> lines;  // JSON pointer ("/sites/0/id") -> 1-based line

  int lineOf(const std::string& pointer) const;  // the nearest located ancestor's line
};

// Fails with configInvalid naming `fileName` and the line where the JSON stops being valid.
Result<LocatedJson> parseLocatedJson(std::string_view text, std::string_view fileName);

}  // namespace sharetrack::collector
