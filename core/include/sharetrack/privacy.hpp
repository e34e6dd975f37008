// What the engine may store and send, from the site's consent setting and the browser's
// privacy signals (DESIGN.md, "Privacy and access").
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace sharetrack {

enum class Consent : unsigned char {
  notRequired,  // the site asks for no consent: tracking on unless a privacy signal says no
  pending,      // the site requires consent and has not reported it yet
  granted,
  denied,
};

struct PrivacySignals {
  bool globalPrivacyControl = false;  // navigator.globalPrivacyControl / Sec-GPC
  bool doNotTrack = false;            // navigator.doNotTrack == "1" (legacy, honoured alike)
};

// Why tracking is off or held.
enum class TrackingHold : unsigned char {
  none,                  // tracking is fully on
  globalPrivacyControl,  // the visitor's Global Privacy Control signal
  doNotTrack,            // the visitor's Do Not Track signal
  consentDenied,         // the site reported that consent was refused
  consentPending,        // the site requires consent and has not reported it yet
};
inline constexpr std::size_t kTrackingHoldCount = 5;

// The stable wire names: "none", "global_privacy_control", ...
std::string_view trackingHoldName(TrackingHold hold);
std::optional<TrackingHold> trackingHoldFromName(std::string_view name);

struct Permissions {
  bool record = false;      // events are created and kept in memory
  bool store = false;       // state and events are written to the browser's storage
  bool send = false;        // batches are posted to the collector
  bool subscriber = false;  // the subscriber id may travel with batches
  TrackingHold hold = TrackingHold::none;
};

// A privacy signal always wins, even over granted consent: it is the visitor's own choice and
// binding where laws name it. While consent is pending, events are recorded in memory only, to
// be stored and sent if it is granted and forgotten if it is denied. The subscriber id, which
// names a person the brand knows, needs explicit consent unless `subscriberNeedsConsent` is off.
Permissions permissionsFor(Consent consent, const PrivacySignals& signals, bool subscriberNeedsConsent);

}  // namespace sharetrack
