#include "sharetrack/dedupe.hpp"

#include <catch2/catch.hpp>
#include <string>

using namespace sharetrack;

TEST_CASE("a key is admitted once per window", "[dedupe]") {
  DedupeMemory memory(10);
  CHECK(memory.admit("k", 1000, 500));
  CHECK_FALSE(memory.admit("k", 1499, 500));
  CHECK(memory.admit("k", 1500, 500));
  CHECK_FALSE(memory.admit("k", 1999, 500));  // the window restarts at the last admission
  CHECK(memory.admit("other", 1999, 500));
}

TEST_CASE("memory is bounded and forgets the oldest first", "[dedupe]") {
  DedupeMemory memory(8);
  for (int i = 0; i < 100; ++i) memory.admit("k" + std::to_string(i), i, 1000000);
  CHECK(memory.entries().size() <= 8);
  CHECK(memory.contains("k99"));
  CHECK(memory.contains("k98"));
  CHECK_FALSE(memory.contains("k0"));
  CHECK_FALSE(memory.contains("k90"));
}

TEST_CASE("merging keeps both memories and each key at its later time", "[dedupe]") {
  DedupeMemory a(10), b(10);
  a.remember("shared", 5);
  a.remember("only-a", 1);
  b.remember("shared", 9);
  b.remember("only-b", 2);
  a.merge(b);
  CHECK(a.entries().at("shared") == 9);
  CHECK(a.contains("only-a"));
  CHECK(a.contains("only-b"));
  DedupeMemory again = a;
  again.merge(b);
  CHECK(again.entries() == a.entries());  // idempotent
}
