#include "sharetrack/privacy.hpp"

#include <array>

#include "name_table.hpp"

namespace sharetrack {
namespace {

using detail::Named;

constexpr detail::NameTable kHoldNames(std::array{
    Named<TrackingHold>{TrackingHold::none, "none"},
    Named<TrackingHold>{TrackingHold::globalPrivacyControl, "global_privacy_control"},
    Named<TrackingHold>{TrackingHold::doNotTrack, "do_not_track"},
    Named<TrackingHold>{TrackingHold::consentDenied, "consent_denied"},
    Named<TrackingHold>{TrackingHold::consentPending, "consent_pending"},
});
static_assert(kHoldNames.size() == kTrackingHoldCount && kHoldNames.inOrder(), "one name per tracking hold");

}  // namespace

std::string_view trackingHoldName(TrackingHold hold) { return kHoldNames.name(hold); }
std::optional<TrackingHold> trackingHoldFromName(std::string_view name) { return kHoldNames.find(name); }

Permissions permissionsFor(Consent consent, const PrivacySignals& signals, bool subscriberNeedsConsent) {
  Permissions p;
  if (signals.globalPrivacyControl) {
    p.hold = TrackingHold::globalPrivacyControl;
    return p;
  }
  if (signals.doNotTrack) {
    p.hold = TrackingHold::doNotTrack;
    return p;
  }
  switch (consent) {
    case Consent::denied:
      p.hold = TrackingHold::consentDenied;
      return p;
    case Consent::pending:
      p.record = true;
      p.hold = TrackingHold::consentPending;
      return p;
    case Consent::notRequired:
    case Consent::granted:
      p.record = p.store = p.send = true;
      p.subscriber = consent == Consent::granted || !subscriberNeedsConsent;
      return p;
  }
  return p;
}

}  // namespace sharetrack
