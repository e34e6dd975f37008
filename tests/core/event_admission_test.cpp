#include "sharetrack/event_admission.hpp"

#include <catch2/catch.hpp>

#include "sharetrack/token.hpp"

using namespace sharetrack;

namespace {

constexpr std::int64_t kNow = 1763769600000;  // when the batch arrived

std::string tokenMintedAt(std::int64_t atMs, Channel channel = Channel::x) {
  return formatToken(mintToken(7, atMs, channel, std::nullopt).value());
}

Event eventOf(EventBody body) { return Event{"evt-00000001", kNow, std::move(body)}; }

}  // namespace

TEST_CASE("a token minted after the batch arrived is forged: beyond the clock skew it is refused",
          "[event_admission]") {
  const AdmissionPolicy policy;
  const auto admitted = [&](EventBody body) { return admitEvent(eventOf(std::move(body)), policy, kNow).ok(); };
  const std::string past = tokenMintedAt(kNow - 3600000);
  const std::string skewed = tokenMintedAt(kNow + kMaxClockSkewMs);
  const std::string future = tokenMintedAt(kNow + kMaxClockSkewMs + 3600000);
  CHECK(admitted(ClickbackEvent{"t-42", "pageview-1", past}));
  CHECK(admitted(ClickbackEvent{"t-42", "pageview-1", skewed}));
  CHECK_FALSE(admitted(ClickbackEvent{"t-42", "pageview-1", future}));
  CHECK_FALSE(admitted(ShareEvent{"t-42", "pageview-1", future, std::nullopt, Channel::x}));
  CHECK_FALSE(admitted(ShareEvent{"t-42", "pageview-1", past, future, Channel::x}));  // its parent
  SummaryEvent summary;
  summary.addressToken = tokenMintedAt(kNow + 30 * 86400000LL, Channel::addressbar);
  CHECK_FALSE(admitted(summary));
  const Status refused = admitEvent(eventOf(ClickbackEvent{"t-42", "pageview-1", future}), policy, kNow);
  CHECK(refused.error().code == ErrorCode::fieldRange);
  CHECK(refused.error().message == "token: minted in the future");
}

TEST_CASE("a conversion worth more than the site allows is refused, whatever its sign", "[event_admission]") {
  const AdmissionPolicy policy{1000};
  CHECK(admitEvent(eventOf(ConversionEvent{"signup", 1000}), policy, kNow).ok());
  CHECK(admitEvent(eventOf(ConversionEvent{"refund", -1000}), policy, kNow).ok());
  CHECK(admitEvent(eventOf(ConversionEvent{"signup", 1000.5}), policy, kNow).error().code == ErrorCode::fieldRange);
  CHECK(admitEvent(eventOf(ConversionEvent{"refund", -1e9}), policy, kNow).error().code == ErrorCode::fieldRange);
}
