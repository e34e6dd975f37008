// Everything the engine keeps about one visitor across page loads and tabs: identity, the
// tokens through which they arrived, their latent address-bar tokens, the tokens they minted,
// their clickback dedupe memory and the collector's health. Two tabs' copies merge without
// losing either's tokens or memory; snapshots are versioned compact text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "sharetrack/dedupe.hpp"
#include "sharetrack/delivery_health.hpp"
#include "sharetrack/result.hpp"

namespace sharetrack {

struct VisitorLimits {
  std::size_t contentPages = 200;  // arrivals and address-bar tokens kept, oldest evicted first
  std::size_t mintedTokens = 500;
  std::size_t clickbacks = 500;  // dedupe memory of (visitor, token) clickbacks
};

// The first token through which the visitor arrived at a content page.
struct Arrival {
  std::string token;
  std::int64_t atMs = 0;
  bool operator==(const Arrival& other) const;
};

// The visitor's latent token for a content page, kept in the address bar.
struct AddressToken {
  std::string token;
  std::optional<std::string> parent;  // the arrival token when it was minted
  std::int64_t atMs = 0;
  bool operator==(const AddressToken& other) const;
};

struct VisitorState {
  explicit VisitorState(const VisitorLimits& limits = {});

  VisitorLimits limits;
  std::string visitorId;            // 32 lowercase hex digits; empty until the engine assigns one
  std::int64_t visitorSinceMs = 0;  // when it was assigned: the oldest id wins a merge
  std::optional<std::string> subscriberId;
  std::int64_t subscriberAtMs = 0;
  std::map<std::string, Arrival> arrivals;            // by content id
  std::map<std::string, AddressToken> addressTokens;  // by content id
  DedupeMemory minted;                                // tokens this visitor minted
  DedupeMemory clickbacks;                            // tokens this visitor clicked back through
  DeliveryHealth health;

  bool operator==(const VisitorState& other) const;
};

// Commutative and idempotent: the oldest visitor id, the later subscriber id, the earliest
// arrival per content, the address-bar token that matches that arrival (else the earliest),
// the union of minted tokens and clickbacks, and the latest delivery health.
VisitorState mergeVisitorStates(const VisitorState& a, const VisitorState& b);

// Drops the oldest entries beyond the limits.
void trimVisitorState(VisitorState& state);

// What restored state may hold, read at `nowMs`: no time before 1970 or later than now plus the
// clock skew two page loads may see (kMaxClockSkewMs), and no wait (backoff, cooldown) longer than
// `maxWaitMs` from now. Storage is the visitor's to edit: anything past these is refused.
struct RestoreBounds {
  std::int64_t nowMs = 0;
  std::int64_t maxWaitMs = 0;
  bool time(std::int64_t atMs) const;
  bool wait(std::int64_t untilMs) const;
};

std::string encodeVisitorState(const VisitorState& state);
// Fails with snapshotForeign, snapshotVersion or snapshotCorrupt (damaged, or out of `bounds`);
// the caller starts clean.
Result<VisitorState> decodeVisitorState(std::string_view text, const VisitorLimits& limits,
                                        const RestoreBounds& bounds);

}  // namespace sharetrack
