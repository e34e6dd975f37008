// sharetrack_seed DATABASE SITE EVENTS [SEED]: a seeded share world (share_world.hpp) of EVENTS
// events over the last ten days, stored for SITE as the collector would have stored them. For the
// dashboard's browser tests and for trying the dashboard by hand.
#include <chrono>
#include <cstdio>
#include <string>

#include "support/seed_database.hpp"
#include "support/share_world.hpp"

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fputs("usage: sharetrack_seed DATABASE SITE EVENTS [SEED]\n", stderr);
    return 2;
  }
  using namespace sharetrack;
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  test::ShareWorldOptions options;
  options.events = std::stoul(argv[3]);
  options.seed = argc > 4 ? std::stoull(argv[4]) : 1;
  options.visitors = std::max<std::size_t>(20, options.events / 8);
  options.contents = 6;
  options.spanMs = 10 * kDayMs;
  options.startMs = floorTo(now, kDayMs) - 9 * kDayMs;
  test::seedDatabase(argv[1], argv[2], test::generateShareWorld(options));
  return 0;
}
