#include "support/random_batch.hpp"

#include "sharetrack/token.hpp"

namespace sharetrack::test {
namespace {

constexpr std::string_view kIdChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::string_view kContentChars = "abcdefghijklmnopqrstuvwxyz0123456789-_.~:/";
constexpr std::int64_t kSomeTime = 1763769600000;  // 2025-11-22

// Minted any time from the tokens' epoch to kSomeTime: in the past, as a collector sees them.
ShareToken randomToken(TestRandom& random, Channel channel, const std::optional<ShareToken>& parent) {
  const auto mintedAt = kTokenEpochMs + static_cast<std::int64_t>(random.below(kSomeTime - kTokenEpochMs));
  return mintToken(random.next(), mintedAt, channel, parent).value();
}

Channel randomChannel(TestRandom& random) { return static_cast<Channel>(random.below(kChannelCount)); }

EventBody randomBody(TestRandom& random) {
  const std::string content = random.text(kContentChars, 1, 40);
  const std::string pageView = random.text(kIdChars, kMinIdLength, 24);
  switch (random.below(4)) {
    case 0: {
      ShareEvent e{content, pageView, "", std::nullopt, randomChannel(random)};
      std::optional<ShareToken> parent;
      if (random.chance(60)) {
        parent = randomToken(random, randomChannel(random), std::nullopt);
        parent->depth = static_cast<std::uint8_t>(random.below(kMaxTokenDepth + 1));
        e.parent = formatToken(*parent);
      }
      e.token = formatToken(randomToken(random, e.channel, parent));
      return e;
    }
    case 1: {
      ClickbackEvent e{content, pageView, formatToken(randomToken(random, randomChannel(random), std::nullopt))};
      e.selfClick = random.chance(20);
      e.botSignals = random.chance(20) ? static_cast<std::uint8_t>(random.below(8)) : 0;
      return e;
    }
    case 2: {
      SummaryEvent e;
      e.content = content;
      e.pageView = pageView;
      e.seq = static_cast<std::uint32_t>(1 + random.below(kMaxSummarySeq));
      e.viewable = random.chance(50);
      e.dwellMs = static_cast<std::uint32_t>(random.below(kMaxCount + 1));
      e.videoQuartile = static_cast<std::uint8_t>(random.below(5));
      e.videoWatchedMs = static_cast<std::uint32_t>(random.below(600000));
      for (auto& count : e.shares) count = random.chance(30) ? static_cast<std::uint32_t>(random.below(5)) : 0;
      e.copies = static_cast<std::uint32_t>(random.below(3));
      if (random.chance(70)) e.addressToken = formatToken(randomToken(random, Channel::addressbar, std::nullopt));
      return e;
    }
    default: {
      ConversionEvent e;
      e.name = random.text("abcdefghijklmnopqrstuvwxyz_.:-", 1, 20);
      // Exact binary fractions, so the value survives JSON text unchanged; under a site's
      // default bound of one million.
      e.value = static_cast<double>(random.below(1u << 24)) / 64.0;
      return e;
    }
  }
}

}  // namespace

Batch randomBatch(TestRandom& random, std::size_t eventCount) {
  Batch batch;
  batch.header.site = random.text("abcdefghijklmnopqrstuvwxyz0123456789-_", 1, 20);
  batch.header.id = random.text(kIdChars, kMinIdLength, kMaxIdLength);
  batch.header.visitor = random.text("0123456789abcdef", kVisitorIdLength, kVisitorIdLength);
  if (random.chance(30)) batch.header.subscriber = random.text(kIdChars, 1, 40);
  batch.header.sentAtMs = kSomeTime + static_cast<std::int64_t>(random.below(1LL << 40));
  if (random.chance(30)) batch.header.dropped.queueOverflow = static_cast<std::uint32_t>(random.below(100));
  if (random.chance(30)) batch.header.dropped.rejected["token_check"] = static_cast<std::uint32_t>(random.below(9) + 1);
  for (std::size_t i = 0; i < eventCount; ++i) {
    Event event;
    event.id = random.text(kIdChars, kMinIdLength, 32);
    event.timeMs = kSomeTime + static_cast<std::int64_t>(random.below(1LL << 40));
    event.body = randomBody(random);
    batch.events.push_back(std::move(event));
  }
  return batch;
}

std::vector<Event> validEvents(const DecodedBatch& decoded) {
  std::vector<Event> events;
  for (const auto& e : decoded.events) {
    if (e.event.ok()) events.push_back(e.event.value());
  }
  return events;
}

}  // namespace sharetrack::test
