#include "sharetrack/privacy.hpp"

namespace sharetrack {

Permissions permissionsFor(Consent consent, const PrivacySignals& signals, bool subscriberNeedsConsent) {
  Permissions p;
  if (signals.globalPrivacyControl) {
    p.reason = "global_privacy_control";
    return p;
  }
  if (signals.doNotTrack) {
    p.reason = "do_not_track";
    return p;
  }
  switch (consent) {
    case Consent::denied:
      p.reason = "consent_denied";
      return p;
    case Consent::pending:
      p.record = true;
      p.reason = "consent_pending";
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
