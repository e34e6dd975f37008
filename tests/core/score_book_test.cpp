#include "sharetrack/score_book.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <functional>
#include <map>
#include <numeric>
#include <set>

#include "sharetrack/credit_split.hpp"
#include "sharetrack/erased_form.hpp"
#include "sharetrack/token.hpp"
#include "support/score_summary.hpp"
#include "support/score_vectors.hpp"
#include "support/share_world.hpp"
#include "support/test_random.hpp"

using namespace sharetrack;
using nlohmann::json;

namespace {

ScoreBook bookOf(const std::vector<StoredEvent>& events, const ScoreSettings& settings = {}) {
  ScoreBook book(settings);
  for (const StoredEvent& event : events) book.add(event);
  return book;
}

std::vector<StoredEvent> shuffled(std::vector<StoredEvent> events, std::uint64_t seed) {
  test::TestRandom random(seed);
  for (std::size_t i = events.size(); i > 1; --i) std::swap(events[i - 1], events[random.below(i)]);
  return events;
}

// The parent array of a drawn tree, for measureCascade.
void parentsOf(const CascadeNode& node, std::uint32_t parent, std::vector<std::uint32_t>& parents) {
  const auto self = static_cast<std::uint32_t>(parents.size());
  parents.push_back(parent);
  for (const CascadeNode& child : node.children) parentsOf(child, self, parents);
}

std::vector<StoredEvent> world(std::uint64_t seed, std::size_t events = 600) {
  test::ShareWorldOptions options;
  options.seed = seed;
  options.events = events;
  return test::generateShareWorld(options);
}

}  // namespace

TEST_CASE("the scoring vectors: verdicts, scores, cascades, engagement and an erasure", "[score_book]") {
  for (const test::ScoreScenario& scenario : test::loadScoreScenarios()) {
    INFO(scenario.vector["name"].get<std::string>());
    ScoreBook book(scenario.settings);
    for (const StoredEvent& event : scenario.events) {
      book.add(event);
      for (const auto& checkpoint : scenario.vector.value("during", json::array())) {
        if (checkpoint["after"] != event.event.id) continue;
        for (const auto& [id, verdict] : checkpoint["verdicts"].items()) {
          INFO("after " << event.event.id << ", " << id);
          CHECK(verdictName(*book.verdictOf(id)) == verdict.get<std::string>());
        }
      }
    }
    const json& expect = scenario.vector["expect"];
    const json figures = test::scoreFigures(book, scenario, expect);
    INFO("figures: " << figures.dump(1));
    CHECK(test::sameFigures(figures, expect));

    const json& erase = scenario.vector["erase"];
    const ErasureCounts deleted = book.eraseVisitor(erase["visitor"], erase["anonymousId"]);
    const json counts = {{"visitors", deleted.visitors}, {"shares", deleted.shares}, {"clickbacks", deleted.clickbacks},
                         {"summaries", deleted.summaries}, {"conversions", deleted.conversions}};
    CHECK(counts == erase["deleted"]);
    const json afterErasure = test::scoreFigures(book, scenario, erase["expect"]);
    INFO("after erasure: " << afterErasure.dump(1));
    CHECK(test::sameFigures(afterErasure, erase["expect"]));
    CHECK(book.eraseVisitor(erase["visitor"], "anon-again").nothing());
    CHECK_FALSE(book.visitorScore(erase["visitor"]));
  }
}

TEST_CASE("the vector scenario gives the same figures in any delivery order", "[score_book]") {
  for (const test::ScoreScenario& scenario : test::loadScoreScenarios()) {
    const json inOrder = test::scoreSummary(bookOf(scenario.events, scenario.settings), scenario.events);
    for (std::uint64_t seed = 1; seed <= 40; ++seed) {
      INFO("shuffle " << seed);
      CHECK(test::scoreSummary(bookOf(shuffled(scenario.events, seed), scenario.settings), scenario.events) == inOrder);
    }
  }
}

TEST_CASE("the worlds the scores fuzz target found order-dependent give the same figures in any order",
          "[score_book]") {
  for (const test::ScoreScenario& world : test::loadScoreScenarios("score_orders.json", "worlds")) {
    INFO(world.vector["name"].get<std::string>());
    const json asMade = test::scoreSummary(bookOf(world.events, world.settings), world.events);
    std::vector<StoredEvent> broken;
    for (const auto& id : world.vector["brokenOrder"]) {
      broken.push_back(*std::find_if(world.events.begin(), world.events.end(),
                                     [&](const StoredEvent& e) { return e.event.id == id; }));
    }
    REQUIRE(broken.size() == world.events.size());
    CHECK(test::scoreSummary(bookOf(broken, world.settings), world.events) == asMade);
    std::vector<StoredEvent> reversed(world.events.rbegin(), world.events.rend());
    CHECK(test::scoreSummary(bookOf(reversed, world.settings), world.events) == asMade);
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
      INFO("shuffle " << seed);
      CHECK(test::scoreSummary(bookOf(shuffled(world.events, seed), world.settings), world.events) == asMade);
    }
  }
}

TEST_CASE("random share worlds: any delivery order, duplicates and late share events give the same figures",
          "[score_book]") {
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    INFO("world " << seed);
    const std::vector<StoredEvent> events = world(seed);
    const json asItHappened = test::scoreSummary(bookOf(events), events);
    CHECK(asItHappened["cascades"].size() > 3);
    // A share event delivered after every clickback through its token: they wait, then count.
    std::vector<StoredEvent> sharesLast = events;
    std::stable_partition(sharesLast.begin(), sharesLast.end(),
                          [](const StoredEvent& e) { return !std::holds_alternative<ShareEvent>(e.event.body); });
    CHECK(test::scoreSummary(bookOf(sharesLast), events) == asItHappened);
    std::vector<StoredEvent> reversed(events.rbegin(), events.rend());
    CHECK(test::scoreSummary(bookOf(reversed), events) == asItHappened);
    for (std::uint64_t shuffle = 1; shuffle <= 3; ++shuffle) {
      CHECK(test::scoreSummary(bookOf(shuffled(events, seed * 100 + shuffle)), events) == asItHappened);
    }
  }
}

TEST_CASE("random share worlds: every verdict occurs, and each cascade's kept measures are its tree's", "[score_book]") {
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    INFO("world " << seed);
    const std::vector<StoredEvent> events = world(seed);
    const ScoreBook book = bookOf(shuffled(events, seed));
    const EngagementCounts site = book.totals(TimeRange{});
    for (std::size_t v = 0; v < kVerdictCount; ++v) {
      INFO(verdictName(static_cast<Verdict>(v)));
      if (static_cast<Verdict>(v) != Verdict::waiting) CHECK(site.verdicts[v] > 0);
    }
    for (const CascadeSummary& cascade : book.cascades(TimeRange{}, CascadeOrder::size, 100000)) {
      std::vector<std::uint32_t> parents;
      parentsOf(book.cascadeTree(cascade.id, 100000)->root, kNoParent, parents);
      CHECK(test::measuresJson(cascade.measures) == test::measuresJson(measureCascade(parents)));
    }
  }
}

TEST_CASE("one clickback hands out less than 2, and conversion credits add up to the values", "[score_book]") {
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    INFO("world " << seed);
    const std::vector<StoredEvent> events = world(seed);
    for (const double factor : {0.5, 0.7, 0.9}) {
      ScoreSettings settings;
      settings.chainFactor = factor;
      const ScoreBook book = bookOf(events, settings);
      const EngagementCounts site = book.totals(TimeRange{});
      double points = 0;
      std::int64_t credits = 0;
      for (const Standing& row : book.leaderboard(Audience::visitor, LeaderOrder::score, 100000)) {
        points += row.score;
        credits += row.conversionCreditMicros;
      }
      const double perClickback = (1 - std::pow(factor, settings.chainLevels)) / (1 - factor);
      CHECK(points <= static_cast<double>(site.countedClickbacks()) * perClickback + 1e-9);
      if (factor == 0.5) CHECK(perClickback < 2);
      CHECK(site.creditedConversions > 0);
      CHECK(credits == site.creditedValueMicros);
    }
  }
}

TEST_CASE("erasure in memory equals a book rebuilt from the erased forms of the stored events", "[score_book]") {
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    INFO("world " << seed);
    const std::vector<StoredEvent> events = world(seed);
    // The visitor with the most events: shares, clickbacks, summaries and conversions.
    std::map<std::string, int> eventsOf;
    for (const StoredEvent& e : events) ++eventsOf[e.visitor];
    const std::string erased =
        std::max_element(eventsOf.begin(), eventsOf.end(), [](auto& a, auto& b) { return a.second < b.second; })->first;

    ScoreBook inMemory = bookOf(events);
    const ErasureCounts counts = inMemory.eraseVisitor(erased, "anonymous-1");
    CHECK(counts.visitors == 1);
    CHECK(counts.shares + counts.clickbacks + counts.summaries + counts.conversions == eventsOf[erased]);

    std::vector<StoredEvent> stored;
    for (const StoredEvent& e : events) {
      if (e.visitor != erased) {
        stored.push_back(e);
      } else if (auto kept = erasedForm(e, "anonymous-1")) {
        stored.push_back(*kept);
      }
    }
    CHECK(test::scoreSummary(bookOf(shuffled(stored, seed)), events) == test::scoreSummary(inMemory, events));
    CHECK_FALSE(inMemory.visitorScore(erased));
    CHECK(test::scoreSummary(inMemory, events).dump().find(erased) == std::string::npos);
  }
}

TEST_CASE("erasing a visitor who made no clickback changes nobody else's score", "[score_book]") {
  std::vector<StoredEvent> events = world(7);
  // A sharer who never arrived anywhere; two of the world's visitors come through their link.
  const std::string erased = "quiet-sharer";
  const std::string token = formatToken(mintToken(77, events.front().event.timeMs, Channel::email, std::nullopt).value());
  StoredEvent share;
  share.visitor = erased;
  share.event = Event{"quiet-share", events.front().event.timeMs, ShareEvent{"testimonial-0", "pv-q", token, std::nullopt, Channel::email}};
  events.insert(events.begin() + 10, share);
  for (const std::size_t i : {50, 90}) {
    StoredEvent click;
    click.visitor = events[i].visitor;
    click.event = Event{"quiet-click-" + std::to_string(i), events[i].event.timeMs, ClickbackEvent{"testimonial-0", "pv-c", token}};
    events.insert(events.begin() + static_cast<std::ptrdiff_t>(i), click);
  }
  ScoreBook book = bookOf(events);
  REQUIRE(book.visitorScore(erased)->standing.countedClickbacks == 2);
  auto before = book.leaderboard(Audience::visitor, LeaderOrder::score, 100000);
  before.erase(std::remove_if(before.begin(), before.end(), [&](const Standing& r) { return r.id == erased; }),
               before.end());
  const auto cascadesBefore = book.cascades(TimeRange{}, CascadeOrder::size, 100000);
  book.eraseVisitor(erased, "anonymous-2");
  CHECK(test::standingsJson(book.leaderboard(Audience::visitor, LeaderOrder::score, 100000)) == test::standingsJson(before));
  const auto cascadesAfter = book.cascades(TimeRange{}, CascadeOrder::size, 100000);
  REQUIRE(cascadesAfter.size() == cascadesBefore.size());
  for (std::size_t i = 0; i < cascadesAfter.size(); ++i) {
    CHECK(test::measuresJson(cascadesAfter[i].measures) == test::measuresJson(cascadesBefore[i].measures));
  }
}

TEST_CASE("bursts: past the limit of visitors from one client key, the rest are suspicious", "[score_book]") {
  ScoreSettings settings;
  settings.burstLimit = 3;
  ScoreBook book(settings);
  const std::string token = "BIAAD6AEjRWeJq83veg0b";  // tests/vectors/tokens.json: depth 0, x
  StoredEvent share;
  share.visitor = "sharer";
  share.clientKey = "home";
  share.event = Event{"share-1", 1000, ShareEvent{"t-1", "pv-s", token, std::nullopt, Channel::x}};
  book.add(share);
  // Six visitors behind one address, delivered newest first: the three earliest count.
  for (int i = 6; i >= 1; --i) {
    StoredEvent click;
    click.visitor = "office-" + std::to_string(i);
    click.clientKey = "office";
    click.event = Event{"click-" + std::to_string(i), 2000 + i, ClickbackEvent{"t-1", "pv-" + std::to_string(i), token}};
    book.add(click);
  }
  for (int i = 1; i <= 6; ++i) {
    INFO("clickback " << i);
    CHECK(book.verdictOf("click-" + std::to_string(i)) == (i <= 3 ? Verdict::counted : Verdict::suspicious));
  }
  CHECK(book.visitorScore("sharer")->standing.countedClickbacks == 3);
}

TEST_CASE("a clickback from the sharer's own client key is suspicious unless the site turns that off", "[score_book]") {
  for (const bool suspect : {true, false}) {
    ScoreSettings settings;
    settings.suspectSharerNetwork = suspect;
    ScoreBook book(settings);
    const std::string token = "BIAAD6AEjRWeJq83veg0b";
    StoredEvent share;
    share.visitor = "sharer";
    share.clientKey = "office";
    share.event = Event{"share-1", 1000, ShareEvent{"t-1", "pv-s", token, std::nullopt, Channel::x}};
    book.add(share);
    StoredEvent click;
    click.visitor = "colleague";
    click.clientKey = "office";
    click.event = Event{"click-1", 2000, ClickbackEvent{"t-1", "pv-c", token}};
    book.add(click);
    CHECK(book.verdictOf("click-1") == (suspect ? Verdict::suspicious : Verdict::counted));
  }
}

TEST_CASE("a clickback counts for the testimonial that was shared, whichever the landing page shows first",
          "[score_book]") {
  ScoreBook book;
  const std::string token = "BIAAD6AEjRWeJq83veg0b";
  StoredEvent click;
  click.visitor = "friend";
  click.event = Event{"click-1", 2000, ClickbackEvent{"page/first-widget", "pv-f", token}};
  book.add(click);  // before the share: waiting, under the page's widget
  CHECK(book.totals(TimeRange{}, "page/first-widget").verdicts[static_cast<std::size_t>(Verdict::waiting)] == 1);
  StoredEvent share;
  share.visitor = "sharer";
  share.event = Event{"share-1", 1000, ShareEvent{"page/shared-one", "pv-s", token, std::nullopt, Channel::x}};
  book.add(share);
  CHECK(book.totals(TimeRange{}, "page/first-widget") == EngagementCounts{});
  const EngagementCounts shared = book.totals(TimeRange{}, "page/shared-one");
  CHECK(shared.countedClickbacks() == 1);
  CHECK(shared.verdicts[static_cast<std::size_t>(Verdict::counted)] == 1);
}

TEST_CASE("a conversion goes to the most recent counted clickback within the window, else to nobody", "[score_book]") {
  ScoreSettings settings;
  settings.attributionWindowMs = 1000;
  settings.conversionWeight = 5;
  ScoreBook book(settings);
  const std::string tokenA = "BIAAD6AEjRWeJq83veg0b";
  StoredEvent share;
  share.visitor = "ann";
  share.event = Event{"share-a", 0, ShareEvent{"t-1", "pv-a", tokenA, std::nullopt, Channel::x}};
  book.add(share);
  StoredEvent click;
  click.visitor = "ben";
  click.event = Event{"click-b", 10000, ClickbackEvent{"t-1", "pv-b", tokenA}};
  book.add(click);
  StoredEvent late;
  late.visitor = "ben";
  late.event = Event{"conversion-late", 11001, ConversionEvent{"signup", 0}};
  book.add(late);
  CHECK(book.visitorScore("ann")->standing.conversionsInfluenced == 0);
  StoredEvent inTime = late;
  inTime.event = Event{"conversion-in-time", 10900, ConversionEvent{"signup", 0}};
  book.add(inTime);
  CHECK(book.visitorScore("ann")->standing.conversionsInfluenced == 1);
  CHECK(book.visitorScore("ann")->standing.conversionCreditMicros == 5 * kMicrosPerUnit);  // the site's weight
  const EngagementCounts site = book.totals(TimeRange{});
  CHECK(site.conversions == 2);
  CHECK(site.creditedConversions == 1);
}

TEST_CASE("time ranges and series sum whole hours by the collector's clock", "[score_book]") {
  const std::vector<StoredEvent> events = world(3);
  const ScoreBook book = bookOf(events);
  const std::int64_t start = test::ShareWorldOptions{}.startMs;
  const TimeRange firstDay{start, start + kDayMs};
  const TimeRange rest{start + kDayMs, start + 10 * kDayMs};
  EngagementCounts both = book.totals(firstDay);
  both += book.totals(rest);
  CHECK(test::countsJson(both) == test::countsJson(book.totals(TimeRange{})));
  const auto hours = book.series(firstDay, kHourMs);
  REQUIRE(hours.size() == 24);
  EngagementCounts summed;
  for (const EngagementCounts& hour : hours) summed += hour;
  CHECK(test::countsJson(summed) == test::countsJson(book.totals(firstDay)));
  // A range of whole days and odd hours: its days from the day counts, its ends from the hours.
  const TimeRange odd{start + 5 * kHourMs, start + 2 * kDayMs + 7 * kHourMs};
  EngagementCounts hourly;
  for (const EngagementCounts& hour : book.series(odd, kHourMs)) hourly += hour;
  CHECK(test::countsJson(hourly) == test::countsJson(book.totals(odd)));
  const auto days = book.series(TimeRange{start, start + 3 * kDayMs}, kDayMs);
  REQUIRE(days.size() == 3);
  for (int day = 0; day < 3; ++day) {
    const TimeRange oneDay{start + day * kDayMs, start + (day + 1) * kDayMs};
    EngagementCounts dayByHours;
    for (const EngagementCounts& hour : book.series(oneDay, kHourMs)) dayByHours += hour;
    CHECK(test::countsJson(days[static_cast<std::size_t>(day)]) == test::countsJson(dayByHours));
  }
  CHECK(book.totals(TimeRange{start - kDayMs, start}) == EngagementCounts{});
}

TEST_CASE("a cascade tree is cut breadth first at the node cap, the rest counted", "[score_book]") {
  const ScoreBook book = bookOf(world(2, 1500));
  const CascadeSummary largest = book.cascades(TimeRange{}, CascadeOrder::size, 1).front();
  REQUIRE(largest.measures.size > 6);
  const CascadeTree tree = *book.cascadeTree(largest.id, 5);
  CHECK(tree.shownNodes == 5);
  std::uint32_t shown = 0, hidden = 0;
  const std::function<void(const CascadeNode&)> walk = [&](const CascadeNode& node) {
    ++shown;
    hidden += node.hiddenChildren;
    for (const CascadeNode& child : node.children) walk(child);
  };
  walk(tree.root);
  CHECK(shown == 5);
  CHECK(hidden > 0);
  CHECK(tree.root.size == largest.measures.size);
  CHECK_FALSE(book.cascadeTree("BIAAD6AEjRWeJq83veg0b", 10));  // no such cascade
}
