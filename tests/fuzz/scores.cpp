// The scores depend on the set of stored events, never on their order: a fuzzed world of a few
// visitors sharing (tokens minted, some through another's, some copied from another's share),
// clicking back, summarising and converting, every event valid as the collector stores it, goes
// into one book in the order made and into another in a fuzzed order, and everything the two
// books answer must be equal (verdicts, leaderboards, levels, cascades and their trees,
// engagement; score_summary.hpp).
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "fuzz_check.hpp"
#include "sharetrack/batch_encode.hpp"
#include "sharetrack/score_book.hpp"
#include "sharetrack/token.hpp"
#include "support/score_summary.hpp"

using namespace sharetrack;

namespace {

constexpr std::int64_t kStartMs = 1793836800000;  // 2026-11-05T00:00Z, as the share worlds
const char* const kVisitors[] = {"0123456789abcdef0123456789abcdef", "11111111111111111111111111111111",
                                 "22222222222222222222222222222222", "33333333333333333333333333333333"};
const char* const kContents[] = {"t-1", "t-2"};
const char* const kClientKeys[] = {"key-a", "key-b", "key-c"};

template <typename T>
const T& pick(FuzzedDataProvider& in, const std::vector<T>& items) {
  return items[in.ConsumeIntegralInRange<std::size_t>(0, items.size() - 1)];
}

class World {
 public:
  explicit World(FuzzedDataProvider& in) : in_(in) {}

  std::vector<StoredEvent> make() {
    const auto count = in_.ConsumeIntegralInRange<std::size_t>(1, 80);
    for (std::size_t i = 0; i < count && in_.remaining_bytes() > 0; ++i) {
      StoredEvent stored;
      stored.visitor = kVisitors[in_.ConsumeIntegralInRange<int>(0, 3)];
      if (in_.ConsumeIntegralInRange<int>(0, 3) == 0) stored.subscriber = "sub-" + std::to_string(in_.ConsumeBool());
      stored.clientKey = kClientKeys[in_.ConsumeIntegralInRange<int>(0, 2)];
      stored.requestBot = in_.ConsumeIntegralInRange<int>(0, 7) == 0;
      stored.event.id = "ev-" + std::to_string(i);
      stored.event.timeMs = kStartMs + in_.ConsumeIntegralInRange<std::int64_t>(0, 3 * kDayMs);
      stored.receivedAtMs = stored.event.timeMs + in_.ConsumeIntegralInRange<std::int64_t>(-2 * kHourMs, 2 * kHourMs);
      auto body = this->body(stored.event.timeMs);
      if (!body) continue;
      stored.event.body = std::move(*body);
      events_.push_back(std::move(stored));
    }
    return events_;
  }

 private:
  std::optional<std::string> knownToken() {
    if (tokens_.empty() || in_.ConsumeIntegralInRange<int>(0, 7) == 0) return std::nullopt;
    return pick(in_, tokens_);
  }

  std::optional<std::string> mint(std::int64_t nowMs, Channel channel, const std::optional<std::string>& parent) {
    std::optional<ShareToken> parentToken;
    if (parent) parentToken = parseToken(*parent).value();
    const auto minted = mintToken(in_.ConsumeIntegral<std::uint64_t>(), nowMs, channel, parentToken);
    if (!minted) return std::nullopt;  // a chain past the deepest depth a token can say
    tokens_.push_back(formatToken(minted.value()));
    return tokens_.back();
  }

  std::optional<EventBody> body(std::int64_t nowMs) {
    const std::string content = kContents[in_.ConsumeBool()];
    const std::string pageView = "pv-" + std::to_string(in_.ConsumeIntegralInRange<int>(0, 7));
    switch (in_.ConsumeIntegralInRange<int>(0, 3)) {
      case 0: {
        const auto parent = knownToken();
        const auto channel = static_cast<Channel>(in_.ConsumeIntegralInRange<std::size_t>(0, kChannelCount - 2));
        // Now and then a token already shared is claimed again (a copied link posted as one's own).
        const auto token = in_.ConsumeIntegralInRange<int>(0, 7) == 0 ? knownToken() : mint(nowMs, channel, parent);
        if (!token) return std::nullopt;
        return ShareEvent{content, pageView, *token, parent, channel};
      }
      case 1: {
        const auto token = knownToken();
        if (!token) return std::nullopt;
        ClickbackEvent clickback{content, pageView, *token};
        clickback.selfClick = in_.ConsumeIntegralInRange<int>(0, 7) == 0;
        if (in_.ConsumeIntegralInRange<int>(0, 7) == 0) clickback.botSignals = botWebdriver;
        return clickback;
      }
      case 2: {
        SummaryEvent summary;
        summary.content = content;
        summary.pageView = pageView;
        summary.seq = in_.ConsumeIntegralInRange<std::uint32_t>(1, 4);
        summary.viewable = in_.ConsumeBool();
        summary.dwellMs = in_.ConsumeIntegralInRange<std::uint32_t>(0, 120000);
        summary.videoQuartile = in_.ConsumeIntegralInRange<std::uint8_t>(0, 4);
        summary.videoWatchedMs = in_.ConsumeIntegralInRange<std::uint32_t>(0, 90000);
        summary.shares[in_.ConsumeIntegralInRange<std::size_t>(0, kChannelCount - 2)] = in_.ConsumeIntegralInRange<std::uint32_t>(0, 2);
        summary.copies = in_.ConsumeIntegralInRange<std::uint32_t>(0, 2);
        if (in_.ConsumeBool()) summary.addressToken = mint(nowMs, Channel::addressbar, knownToken());
        return summary;
      }
      default:
        return ConversionEvent{"signup", in_.ConsumeIntegralInRange<int>(0, 10000) / 100.0};
    }
  }

  FuzzedDataProvider& in_;
  std::vector<std::string> tokens_;
  std::vector<StoredEvent> events_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  const std::vector<StoredEvent> events = World(in).make();
  std::vector<StoredEvent> reordered = events;
  for (std::size_t i = reordered.size(); i > 1; --i) {
    std::swap(reordered[i - 1], reordered[in.ConsumeIntegralInRange<std::size_t>(0, i - 1)]);
  }
  ScoreBook asMade;
  ScoreBook asDelivered;
  for (const StoredEvent& event : events) asMade.add(event);
  for (const StoredEvent& event : reordered) asDelivered.add(event);
  const auto made = test::scoreSummary(asMade, events);
  const auto delivered = test::scoreSummary(asDelivered, events);
  if (made != delivered) {
    for (const StoredEvent& e : events) {
      std::fprintf(stderr, "%s %s %s\n", e.visitor.c_str(), encodeEvent(e.event).c_str(), e.clientKey.c_str());
    }
    std::fprintf(stderr, "in the order made:\n%s\nin a fuzzed order:\n%s\n", made.dump().c_str(), delivered.dump().c_str());
  }
  FUZZ_REQUIRE(made == delivered);
  return 0;
}
