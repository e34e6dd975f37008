#include "sharetrack/erased_form.hpp"

#include <catch2/catch.hpp>

using namespace sharetrack;

namespace {

StoredEvent of(EventBody body) {
  StoredEvent stored;
  stored.visitor = "0123456789abcdef0123456789abcdef";
  stored.subscriber = "sub-1";
  stored.clientKey = "key";
  stored.receivedAtMs = 5000;
  stored.event = Event{"event-0001", 4000, std::move(body)};
  return stored;
}

}  // namespace

TEST_CASE("an erased share keeps its token, parent and channel under the anonymous id", "[erased_form]") {
  const ShareEvent share{"t-1", "pv-1", "BEEAD6RERIiIzM0REDDXn", "BIAAD6AEjRWeJq83veg0b", Channel::copy};
  const auto kept = erasedForm(of(share), "anon-1");
  REQUIRE(kept);
  CHECK(kept->visitor == "anon-1");
  CHECK_FALSE(kept->subscriber);
  CHECK(kept->clientKey == "key");  // so the sharer's own network stays suspicious
  CHECK(kept->erased);
  CHECK(kept->event.id == "event-0001");
  CHECK(kept->event.timeMs == 4000);
  CHECK(kept->receivedAtMs == 5000);
  CHECK(std::get<ShareEvent>(kept->event.body) == share);
}

TEST_CASE("an erased summary keeps only its address-bar token, a clickback of a human only its token", "[erased_form]") {
  SummaryEvent summary;
  summary.content = "t-1";
  summary.pageView = "pv-1";
  summary.seq = 3;
  summary.viewable = true;
  summary.dwellMs = 12000;
  summary.shares[0] = 2;
  summary.copies = 1;
  CHECK_FALSE(erasedForm(of(summary), "anon-1"));
  summary.addressToken = "BcEAD6ZmZiIh3d2ZmKabl";
  const SummaryEvent kept = std::get<SummaryEvent>(erasedForm(of(summary), "anon-1")->event.body);
  CHECK(kept.addressToken == summary.addressToken);
  CHECK(kept.seq == 3);
  CHECK_FALSE(kept.viewable);
  CHECK(kept.dwellMs == 0);
  CHECK(kept.shares[0] == 0);
  CHECK(kept.copies == 0);

  const ClickbackEvent human{"t-1", "pv-2", "BIAAD6AEjRWeJq83veg0b", true};
  const auto keptClick = erasedForm(of(human), "anon-1");
  CHECK_FALSE(std::get<ClickbackEvent>(keptClick->event.body).selfClick);
  CHECK(keptClick->clientKey.empty());
  ClickbackEvent bot = human;
  bot.botSignals = botWebdriver;
  CHECK_FALSE(erasedForm(of(bot), "anon-1"));
  StoredEvent fromBotAgent = of(human);
  fromBotAgent.requestBot = true;
  CHECK_FALSE(erasedForm(fromBotAgent, "anon-1"));
}

TEST_CASE("an erased conversion leaves nothing", "[erased_form]") {
  CHECK_FALSE(erasedForm(of(ConversionEvent{"signup", 10}), "anon-1"));
}
