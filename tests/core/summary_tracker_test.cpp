#include "sharetrack/summary_tracker.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "support/vectors.hpp"

using namespace sharetrack;

namespace {

void apply(SummaryTracker& tracker, const nlohmann::json& step) {
  const auto at = step["at"].get<std::int64_t>();
  const auto fact = step["fact"].get<std::string>();
  const auto content = step.value("content", std::string());
  if (fact == "rendered")
    tracker.rendered(content, step["widget"].get<int>(), at);
  else if (fact == "viewport")
    tracker.viewport(content, step["widget"].get<int>(), step["ratio"].get<double>(), at);
  else if (fact == "visible")
    tracker.pageVisible(step["value"].get<bool>(), at);
  else if (fact == "focus")
    tracker.pageFocused(step["value"].get<bool>(), at);
  else if (fact == "input")
    tracker.input(at);
  else if (fact == "videoTime")
    tracker.videoTime(content, step["position"].get<double>(), step["duration"].get<double>(), at);
  else if (fact == "videoSeeking")
    tracker.videoSeeking(content, at);
  else if (fact == "videoEnded")
    tracker.videoEnded(content, at);
  else if (fact == "shared")
    tracker.shared(content, *channelFromName(step["channel"].get<std::string>()), at);
  else if (fact == "copied")
    tracker.copied(content, at);
  else if (fact == "tick")
    tracker.takeDue(at, false);
  else
    FAIL("unknown fact " << fact);
}

}  // namespace

TEST_CASE("summary scenario vectors", "[summary_tracker]") {
  const auto vectors = test::loadVectors("summaries.json");
  for (const auto& scenario : vectors["scenarios"]) {
    INFO(scenario["why"].get<std::string>());
    SummaryTracker tracker("pageview-1", SummaryTiming{}, 0, true, true);
    std::int64_t last = 0;
    for (const auto& step : scenario["steps"]) {
      apply(tracker, step);
      last = step["at"].get<std::int64_t>();
    }
    const auto summaries = tracker.takeDue(last, true);
    for (const auto& [content, expected] : scenario["expect"].items()) {
      INFO("content " << content);
      const SummaryEvent* summary = tracker.current(content);
      REQUIRE(summary != nullptr);
      if (expected.contains("viewable")) CHECK(summary->viewable == expected["viewable"].get<bool>());
      if (expected.contains("dwellMs")) CHECK(summary->dwellMs == expected["dwellMs"].get<std::uint32_t>());
      if (expected.contains("videoQuartile")) CHECK(summary->videoQuartile == expected["videoQuartile"].get<int>());
      if (expected.contains("videoWatchedMs")) {
        CHECK(summary->videoWatchedMs == expected["videoWatchedMs"].get<std::uint32_t>());
      }
      if (expected.contains("copies")) CHECK(summary->copies == expected["copies"].get<std::uint32_t>());
      if (expected.contains("shares")) {
        for (unsigned i = 0; i < kChannelCount; ++i) {
          const std::string name(channelName(static_cast<Channel>(i)));
          CHECK(summary->shares[i] == expected["shares"].value(name, 0u));
        }
      }
    }
    CHECK(tracker.current("t-9") == nullptr);
  }
}

TEST_CASE("a summary is emitted for every rendered content viewed or not with a rising sequence", "[summary_tracker]") {
  SummaryTracker tracker("pageview-1", SummaryTiming{}, 0, true, true);
  tracker.rendered("t-1", 0, 0);
  tracker.rendered("t-2", 0, 0);
  CHECK(tracker.takeDue(4999, false).empty());  // at most one summary per interval
  REQUIRE(tracker.nextDueAt() == std::optional<std::int64_t>(5000));
  auto first = tracker.takeDue(5000, false);
  REQUIRE(first.size() == 2);
  CHECK(first[0].seq == 1);
  CHECK(first[0].pageView == "pageview-1");
  CHECK_FALSE(first[0].viewable);
  CHECK(tracker.takeDue(20000, false).empty());  // nothing changed, nothing sent
  CHECK_FALSE(tracker.nextDueAt());

  tracker.copied("t-1", 20000);
  CHECK(tracker.takeDue(20001, false).size() == 1);  // the interval since the last one has passed
  tracker.copied("t-1", 20002);
  CHECK(tracker.takeDue(20003, false).empty());
  const auto forced = tracker.takeDue(20004, true);  // the page hides: everything changed goes now
  REQUIRE(forced.size() == 1);
  CHECK(forced[0].seq == 3);
  CHECK(forced[0].copies == 2);
}

TEST_CASE("the tracker asks to be woken when viewability may be reached", "[summary_tracker]") {
  SummaryTiming timing;
  timing.intervalMs = 60000;
  SummaryTracker tracker("pageview-1", timing, 0, true, true);
  tracker.rendered("t-1", 0, 0);
  tracker.takeDue(0, true);
  tracker.viewport("t-1", 0, 1.0, 250);
  CHECK(tracker.nextDueAt() == std::optional<std::int64_t>(1250));
  tracker.takeDue(1250, false);
  CHECK(tracker.current("t-1")->viewable);
}

TEST_CASE("a page view open for days stops at the protocol's last sequence number and asks no more wakes",
          "[summary_tracker]") {
  SummaryTiming timing;
  timing.intervalMs = 0;
  SummaryTracker tracker("pageview-1", timing, 0, true, true);
  tracker.rendered("t-1", 0, 0);
  for (std::uint32_t i = 1; i <= kMaxSummarySeq; ++i) {
    tracker.copied("t-1", i);
    REQUIRE(tracker.takeDue(i, false).size() == 1);
  }
  CHECK(tracker.current("t-1")->seq == kMaxSummarySeq);
  tracker.copied("t-1", kMaxSummarySeq + 1);
  CHECK(tracker.takeDue(kMaxSummarySeq + 1, true).empty());  // nothing past the last number
  CHECK_FALSE(tracker.nextDueAt());
}
