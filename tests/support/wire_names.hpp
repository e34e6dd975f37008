// Checks one of core's name tables against its list in tests/vectors/wire_names.json, which
// web/test checks the TypeScript declarations against too.
#pragma once

#include <catch2/catch.hpp>
#include <cstddef>
#include <string>
#include <vector>

#include "support/vectors.hpp"

namespace sharetrack::test {

// Values 0..count-1 of Enum: each name reads back to its value, and the names in order are the
// vector's list `table`.
template <typename Enum, typename Name, typename FromName>
void checkWireNames(const char* table, std::size_t count, Name name, FromName fromName) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < count; ++i) {
    const auto value = static_cast<Enum>(i);
    names.emplace_back(name(value));
    CHECK(fromName(names.back()) == value);
  }
  CHECK_FALSE(fromName("no_such_name"));
  CHECK(names == loadVectors("wire_names.json")[table].get<std::vector<std::string>>());
}

}  // namespace sharetrack::test
