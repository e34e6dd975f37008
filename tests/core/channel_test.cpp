#include "sharetrack/channel.hpp"

#include <catch2/catch.hpp>
#include <string>

using namespace sharetrack;

TEST_CASE("channel names round trip and unknown names are refused", "[channel]") {
  for (unsigned i = 0; i < kChannelCount; ++i) {
    const auto channel = channelFromIndex(i);
    REQUIRE(channel);
    CHECK(channelFromName(channelName(*channel)) == channel);
  }
  CHECK(channelName(Channel::addressbar) == "addressbar");
  CHECK_FALSE(channelFromIndex(kChannelCount));
  CHECK_FALSE(channelFromName("X"));
  CHECK_FALSE(channelFromName(""));
}
