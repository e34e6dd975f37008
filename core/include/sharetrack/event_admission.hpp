// What the collector checks of an event beyond its form: what no honest widget can have sent,
// given the time the batch arrived and the site's settings. Anyone can post events for a site;
// these rules bound what a forger gains (core/PROTOCOL.md, "Forged events").
#pragma once

#include <cstdint>

#include "sharetrack/batch.hpp"
#include "sharetrack/protocol_limits.hpp"
#include "sharetrack/result.hpp"

namespace sharetrack {

struct AdmissionPolicy {
  double maxConversionValue = kMaxConversionValue;  // the site's bound on one conversion's value
};

// Fails with fieldRange when a token the event carries (its own, its parent, a summary's
// address-bar token) was minted later than `receivedAtMs` plus kMaxClockSkewMs, or when a
// conversion's value is beyond the policy's bound (either sign).
Status admitEvent(const Event& event, const AdmissionPolicy& policy, std::int64_t receivedAtMs);

}  // namespace sharetrack
