#include "sharetrack/rng.hpp"

#include <catch2/catch.hpp>
#include <set>

#include "sharetrack/base64url.hpp"

using namespace sharetrack;

TEST_CASE("the generator replays from its seed and differs across seeds", "[rng]") {
  Rng a(Seed{1, 2, 3, 4}), b(Seed{1, 2, 3, 4}), c(Seed{1, 2, 3, 5});
  for (int i = 0; i < 100; ++i) {
    const auto x = a.next();
    CHECK(x == b.next());
    CHECK(x != c.next());
  }
  Rng zero(Seed{0, 0, 0, 0});
  CHECK(zero.next() != zero.next());  // an all-zero seed still runs
}

TEST_CASE("ids use the base64url alphabet and do not repeat", "[rng]") {
  Rng rng(Seed{7, 7, 7, 7});
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) {
    const std::string id = rng.id(16);
    REQUIRE(id.size() == 16);
    REQUIRE(id.find_first_not_of(kBase64UrlAlphabet) == std::string::npos);
    REQUIRE(seen.insert(id).second);
  }
  const std::string visitor = rng.hex128();
  CHECK(visitor.size() == 32);
  CHECK(visitor.find_first_not_of("0123456789abcdef") == std::string::npos);
  const double u = rng.unit();
  CHECK((u >= 0.0 && u < 1.0));
}
