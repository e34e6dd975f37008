#include "sharetrack/channel.hpp"

#include <catch2/catch.hpp>

#include "support/wire_names.hpp"

using namespace sharetrack;

TEST_CASE("channels have their wire names from wire_names.json", "[channel]") {
  test::checkWireNames<Channel>("channels", kChannelCount, channelName, channelFromName);
  CHECK_FALSE(channelFromName("X"));
  CHECK_FALSE(channelFromName(""));
}

TEST_CASE("a token's channel field maps to a channel up to the last and no further", "[channel]") {
  CHECK(channelFromIndex(0) == Channel::native);
  CHECK(channelFromIndex(kChannelCount - 1) == Channel::addressbar);
  CHECK_FALSE(channelFromIndex(kChannelCount));
  CHECK_FALSE(channelFromIndex(15));
}
