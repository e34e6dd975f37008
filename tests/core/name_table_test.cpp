#include "name_table.hpp"

#include <array>
#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "support/vectors.hpp"

using namespace sharetrack;

TEST_CASE("a name table reads both ways and knows when it is in order", "[name_table]") {
  enum class Fruit { apple, pear };
  constexpr detail::NameTable fruits(
      std::array{detail::Named<Fruit>{Fruit::apple, "apple"}, detail::Named<Fruit>{Fruit::pear, "pear"}});
  static_assert(fruits.inOrder() && fruits.size() == 2);
  constexpr detail::NameTable shuffled(
      std::array{detail::Named<Fruit>{Fruit::pear, "pear"}, detail::Named<Fruit>{Fruit::apple, "apple"}});
  static_assert(!shuffled.inOrder());
  CHECK(fruits.name(Fruit::pear) == "pear");
  CHECK(fruits.find("apple") == Fruit::apple);
  CHECK_FALSE(fruits.find("Apple"));
  CHECK(fruits.name(static_cast<Fruit>(7)).empty());
}

TEST_CASE("every wire name is snake_case and unique within its table", "[name_table]") {
  const auto vectors = test::loadVectors("wire_names.json");
  for (const auto& [table, names] : vectors.items()) {
    if (!names.is_array()) continue;
    std::set<std::string> seen;
    for (const auto& name : names) {
      INFO(table << ": " << name);
      CHECK(name.get<std::string>().find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == std::string::npos);
      CHECK(seen.insert(name.get<std::string>()).second);
    }
  }
}
