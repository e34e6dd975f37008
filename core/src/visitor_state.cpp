#include "sharetrack/visitor_state.hpp"

#include <algorithm>
#include <array>
#include <tuple>

#include "keep_newest.hpp"
#include "sharetrack/field_rules.hpp"
#include "sharetrack/token.hpp"
#include "snapshot_text.hpp"

namespace sharetrack {
namespace {

constexpr std::string_view kKind = "sharetrack-visitor";
constexpr int kVersion = 1;

bool earlier(std::int64_t aMs, const std::string& aToken, std::int64_t bMs, const std::string& bToken) {
  return std::tie(aMs, aToken) < std::tie(bMs, bToken);
}

Error corrupt(const std::string& what) { return makeError(ErrorCode::snapshotCorrupt, "visitor snapshot: " + what); }

bool validToken(std::string_view text) { return parseToken(text).ok(); }

bool validContent(std::string_view text) { return follows(text, rules::content); }

}  // namespace

bool Arrival::operator==(const Arrival& o) const { return token == o.token && atMs == o.atMs; }

bool AddressToken::operator==(const AddressToken& o) const {
  return token == o.token && parent == o.parent && atMs == o.atMs;
}

VisitorState::VisitorState(const VisitorLimits& limits)
    : limits(limits), minted(limits.mintedTokens), clickbacks(limits.clickbacks) {}

bool VisitorState::operator==(const VisitorState& o) const {
  return std::tie(visitorId, visitorSinceMs, subscriberId, subscriberAtMs, arrivals, addressTokens, health) ==
             std::tie(o.visitorId, o.visitorSinceMs, o.subscriberId, o.subscriberAtMs, o.arrivals, o.addressTokens,
                      o.health) &&
         minted.entries() == o.minted.entries() && clickbacks.entries() == o.clickbacks.entries();
}

VisitorState mergeVisitorStates(const VisitorState& a, const VisitorState& b) {
  VisitorState merged = a;
  if (merged.visitorId.empty() ||
      (!b.visitorId.empty() && std::tie(b.visitorSinceMs, b.visitorId) < std::tie(a.visitorSinceMs, a.visitorId))) {
    merged.visitorId = b.visitorId;
    merged.visitorSinceMs = b.visitorSinceMs;
  }
  if (b.subscriberId && (!merged.subscriberId || std::tie(b.subscriberAtMs, *b.subscriberId) >
                                                     std::tie(merged.subscriberAtMs, *merged.subscriberId))) {
    merged.subscriberId = b.subscriberId;
    merged.subscriberAtMs = b.subscriberAtMs;
  }
  for (const auto& [content, arrival] : b.arrivals) {
    auto [it, inserted] = merged.arrivals.emplace(content, arrival);
    if (!inserted && earlier(arrival.atMs, arrival.token, it->second.atMs, it->second.token)) it->second = arrival;
  }
  for (const auto& [content, address] : b.addressTokens) {
    auto [it, inserted] = merged.addressTokens.emplace(content, address);
    if (inserted) continue;
    const auto arrival = merged.arrivals.find(content);
    const std::optional<std::string> arrivedBy =
        arrival == merged.arrivals.end() ? std::nullopt : std::optional<std::string>(arrival->second.token);
    const bool oursMatches = it->second.parent == arrivedBy;
    const bool theirsMatches = address.parent == arrivedBy;
    if (theirsMatches != oursMatches) {
      if (theirsMatches) it->second = address;
    } else if (earlier(address.atMs, address.token, it->second.atMs, it->second.token)) {
      it->second = address;
    }
  }
  merged.minted.merge(b.minted);
  merged.clickbacks.merge(b.clickbacks);
  merged.health = mergeDeliveryHealth(a.health, b.health);
  trimVisitorState(merged);
  return merged;
}

void trimVisitorState(VisitorState& state) {
  const auto atMs = [](const auto& entry) { return entry.atMs; };
  detail::keepNewest(state.arrivals, state.limits.contentPages, atMs);
  detail::keepNewest(state.addressTokens, state.limits.contentPages, atMs);
}

std::string encodeVisitorState(const VisitorState& state) {
  const std::size_t records = state.arrivals.size() + state.addressTokens.size() + state.minted.entries().size() +
                              state.clickbacks.entries().size();
  detail::SnapshotWriter out(kKind, kVersion, 256 + 64 * records);
  if (!state.visitorId.empty()) out.record("v").field(state.visitorId).field(state.visitorSinceMs);
  if (state.subscriberId) out.record("s").field(*state.subscriberId).field(state.subscriberAtMs);
  for (const auto& [content, arrival] : state.arrivals) {
    out.record("a").field(content).field(arrival.token).field(arrival.atMs);
  }
  for (const auto& [content, address] : state.addressTokens) {
    out.record("b").field(content).field(address.token).optionalField(address.parent).field(address.atMs);
  }
  for (const auto& [token, atMs] : state.minted.entries()) out.record("m").field(token).field(atMs);
  for (const auto& [token, atMs] : state.clickbacks.entries()) out.record("d").field(token).field(atMs);
  const DeliveryHealth& h = state.health;
  out.record("h").field(h.failures).field(h.retryAtMs).field(h.cooldownUntilMs).field(h.updatedAtMs);
  return out.finish();
}

bool RestoreBounds::time(std::int64_t atMs) const { return atMs >= 0 && atMs <= nowMs + kMaxClockSkewMs; }

bool RestoreBounds::wait(std::int64_t untilMs) const {
  return untilMs >= 0 && untilMs <= nowMs + kMaxClockSkewMs + maxWaitMs;
}

Result<VisitorState> decodeVisitorState(std::string_view text, const VisitorLimits& limits,
                                        const RestoreBounds& bounds) {
  auto records = detail::readSnapshot(text, kKind, kVersion);
  if (!records) return records.error();
  VisitorState state(limits);
  for (const auto& r : records.value()) {
    const auto& f = r.fields;
    // The first fields as numbers, where they are: no record read here has more than four.
    std::array<std::optional<std::int64_t>, 4> numbers{};
    for (std::size_t i = 0; i < std::min(f.size(), numbers.size()); ++i) numbers[i] = detail::parseInt(f[i]);
    // The record's time field, when it is a time within bounds.
    const auto timeAt = [&](std::size_t i) { return numbers[i] && bounds.time(*numbers[i]); };
    if (r.tag == "v" && f.size() == 2 && timeAt(1) && follows(f[0], rules::visitor)) {
      state.visitorId = std::string(f[0]);
      state.visitorSinceMs = *numbers[1];
    } else if (r.tag == "s" && f.size() == 2 && timeAt(1)) {
      if (!follows(f[0], rules::subscriber)) return corrupt("bad subscriber id");
      state.subscriberId = std::string(f[0]);
      state.subscriberAtMs = *numbers[1];
    } else if (r.tag == "a" && f.size() == 3 && timeAt(2) && validContent(f[0]) && validToken(f[1])) {
      state.arrivals[std::string(f[0])] = Arrival{std::string(f[1]), *numbers[2]};
    } else if (r.tag == "b" && f.size() == 4 && timeAt(3) && validContent(f[0]) && validToken(f[1]) &&
               (f[2] == "-" || validToken(f[2]))) {
      state.addressTokens[std::string(f[0])] = AddressToken{std::string(f[1]), detail::optionalText(f[2]), *numbers[3]};
    } else if ((r.tag == "m" || r.tag == "d") && f.size() == 2 && timeAt(1) && validToken(f[0])) {
      (r.tag == "m" ? state.minted : state.clickbacks).remember(std::string(f[0]), *numbers[1]);
    } else if (r.tag == "h" && f.size() == 4 && numbers[0] && *numbers[0] >= 0 && *numbers[0] <= kMaxCount &&
               numbers[1] && bounds.wait(*numbers[1]) && numbers[2] && bounds.wait(*numbers[2]) && timeAt(3)) {
      state.health = DeliveryHealth{static_cast<std::uint32_t>(*numbers[0]), *numbers[1], *numbers[2], *numbers[3]};
    } else if (r.tag.size() != 1 || std::string_view("vsabmdh").find(r.tag) == std::string_view::npos) {
      continue;  // a record a later build added: skipped, as the format allows
    } else {
      return corrupt("bad or out-of-range '" + std::string(r.tag) + "' record");
    }
  }
  trimVisitorState(state);
  return state;
}

}  // namespace sharetrack
