#include "sharetrack/visitor_state.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <string>

#include "sharetrack/crc24.hpp"
#include "support/vectors.hpp"

using namespace sharetrack;

namespace {

// The merge vectors' times lie in 2024-2025; snapshots are read as of 2025-11-22.
const RestoreBounds kBounds{1763769600000, 3600000};

VisitorState stateFrom(const nlohmann::json& j) {
  VisitorState s;
  s.visitorId = j.value("visitor", "");
  s.visitorSinceMs = j.value("since", std::int64_t{0});
  if (j.contains("subscriber")) {
    s.subscriberId = j["subscriber"][0].get<std::string>();
    s.subscriberAtMs = j["subscriber"][1].get<std::int64_t>();
  }
  const auto part = [&j](const char* key) { return j.value(key, nlohmann::json::object()); };
  const auto arrivals = part("arrivals"), address = part("address"), minted = part("minted");
  const auto clickbacks = part("clickbacks");
  for (const auto& [content, a] : arrivals.items()) {
    s.arrivals[content] = Arrival{a[0].get<std::string>(), a[1].get<std::int64_t>()};
  }
  for (const auto& [content, b] : address.items()) {
    s.addressTokens[content] = AddressToken{
        b[0].get<std::string>(), b[1].is_null() ? std::nullopt : std::optional<std::string>(b[1].get<std::string>()),
        b[2].get<std::int64_t>()};
  }
  for (const auto& [token, at] : minted.items()) s.minted.remember(token, at);
  for (const auto& [token, at] : clickbacks.items()) s.clickbacks.remember(token, at);
  if (j.contains("health")) {
    const auto& h = j["health"];
    s.health = DeliveryHealth{h[0].get<std::uint32_t>(), h[1].get<std::int64_t>(), h[2].get<std::int64_t>(),
                              h[3].get<std::int64_t>()};
  }
  return s;
}

// A snapshot body with a correct check line, as a later build might write it.
std::string withCheck(const std::string& body) {
  char hex[8];
  std::snprintf(hex, sizeof hex, "%06x",
                static_cast<unsigned>(crc24(reinterpret_cast<const std::uint8_t*>(body.data()), body.size())));
  return body + "crc " + hex;
}

}  // namespace

TEST_CASE("merge vectors: commutative and idempotent with nothing lost", "[visitor_state]") {
  const auto vectors = test::loadVectors("merges.json");
  for (const auto& c : vectors["cases"]) {
    INFO(c["why"].get<std::string>());
    const VisitorState a = stateFrom(c["a"]), b = stateFrom(c["b"]), expected = stateFrom(c["merged"]);
    const VisitorState ab = mergeVisitorStates(a, b);
    CHECK(ab == expected);
    CHECK(mergeVisitorStates(b, a) == expected);
    CHECK(mergeVisitorStates(ab, a) == expected);
    CHECK(mergeVisitorStates(ab, ab) == expected);
  }
}

TEST_CASE("a visitor snapshot restores exactly what was saved", "[visitor_state]") {
  const auto vectors = test::loadVectors("merges.json");
  for (const auto& c : vectors["cases"]) {
    const VisitorState state = stateFrom(c["merged"]);
    const auto restored = decodeVisitorState(encodeVisitorState(state), VisitorLimits{}, kBounds);
    REQUIRE(restored.ok());
    CHECK(restored.value() == state);
  }
}

TEST_CASE("truncated or corrupted or foreign visitor snapshots are refused with a named error", "[visitor_state]") {
  const auto vectors = test::loadVectors("merges.json");
  const std::string good = encodeVisitorState(stateFrom(vectors["cases"][3]["merged"]));
  for (std::size_t length = 0; length < good.size(); ++length) {
    INFO("truncated to " << length);
    REQUIRE_FALSE(decodeVisitorState(good.substr(0, length), VisitorLimits{}, kBounds).ok());
  }
  for (std::size_t at = 0; at < good.size(); ++at) {
    std::string flipped = good;
    flipped[at] = static_cast<char>(flipped[at] ^ 0x01);
    INFO("byte " << at << " changed");
    REQUIRE_FALSE(decodeVisitorState(flipped, VisitorLimits{}, kBounds).ok());
  }
  CHECK(decodeVisitorState("", VisitorLimits{}, kBounds).error().code == ErrorCode::snapshotForeign);
  CHECK(decodeVisitorState("{\"visitor\":1}", VisitorLimits{}, kBounds).error().code == ErrorCode::snapshotForeign);
  CHECK(decodeVisitorState(withCheck("sharetrack-queue 1\n"), VisitorLimits{}, kBounds).error().code ==
        ErrorCode::snapshotForeign);
  CHECK(decodeVisitorState(withCheck("sharetrack-visitor 2\n"), VisitorLimits{}, kBounds).error().code ==
        ErrorCode::snapshotVersion);
  CHECK(decodeVisitorState(good.substr(0, good.size() - 3), VisitorLimits{}, kBounds).error().code ==
        ErrorCode::snapshotCorrupt);
  // Checked but wrong inside: a record with a broken token.
  CHECK(
      decodeVisitorState(withCheck("sharetrack-visitor 1\nm not-a-token 5\n"), VisitorLimits{}, kBounds).error().code ==
      ErrorCode::snapshotCorrupt);
}

TEST_CASE("records a later build adds are skipped", "[visitor_state]") {
  const auto restored = decodeVisitorState(
      withCheck("sharetrack-visitor 1\nv aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 7\nz something new here\n"), VisitorLimits{},
      kBounds);
  REQUIRE(restored.ok());
  CHECK(restored.value().visitorId == "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
  CHECK(restored.value().visitorSinceMs == 7);
}

TEST_CASE("visitor state stays within its limits by dropping the oldest", "[visitor_state]") {
  VisitorLimits limits;
  limits.contentPages = 3;
  VisitorState a(limits), b(limits);
  for (int i = 0; i < 3; ++i) a.arrivals["a-" + std::to_string(i)] = Arrival{"BIAAD6AEjRWeJq83veg0b", 10 + i};
  for (int i = 0; i < 3; ++i) b.arrivals["b-" + std::to_string(i)] = Arrival{"BIAAD6AEjRWeJq83veg0b", 20 + i};
  const VisitorState merged = mergeVisitorStates(a, b);
  CHECK(merged.arrivals.size() == 3);
  CHECK(merged.arrivals.count("b-0"));
  CHECK(merged.arrivals.count("b-2"));
  CHECK_FALSE(merged.arrivals.count("a-2"));
}
