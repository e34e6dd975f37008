#include "sharetrack/privacy.hpp"

#include <catch2/catch.hpp>

#include "support/wire_names.hpp"

using namespace sharetrack;

TEST_CASE("privacy signals turn tracking off whatever the consent", "[privacy]") {
  for (Consent consent : {Consent::notRequired, Consent::pending, Consent::granted, Consent::denied}) {
    const auto gpc = permissionsFor(consent, PrivacySignals{true, false}, true);
    CHECK_FALSE(gpc.record);
    CHECK_FALSE(gpc.store);
    CHECK_FALSE(gpc.send);
    CHECK(gpc.hold == TrackingHold::globalPrivacyControl);
    const auto dnt = permissionsFor(consent, PrivacySignals{false, true}, true);
    CHECK_FALSE(dnt.record);
    CHECK(dnt.hold == TrackingHold::doNotTrack);
  }
}

TEST_CASE("consent states decide what is recorded and what is stored and sent", "[privacy]") {
  const PrivacySignals none;
  const auto open = permissionsFor(Consent::notRequired, none, true);
  CHECK((open.record && open.store && open.send));
  CHECK_FALSE(open.subscriber);  // a subscriber id needs explicit consent by default
  CHECK(permissionsFor(Consent::notRequired, none, false).subscriber);
  CHECK(open.hold == TrackingHold::none);

  const auto pending = permissionsFor(Consent::pending, none, true);
  CHECK(pending.record);  // held in memory, to be sent if consent comes
  CHECK_FALSE(pending.store);
  CHECK_FALSE(pending.send);
  CHECK(pending.hold == TrackingHold::consentPending);

  const auto granted = permissionsFor(Consent::granted, none, true);
  CHECK((granted.record && granted.store && granted.send && granted.subscriber));

  const auto denied = permissionsFor(Consent::denied, none, true);
  CHECK_FALSE((denied.record || denied.store || denied.send || denied.subscriber));
  CHECK(denied.hold == TrackingHold::consentDenied);
}

TEST_CASE("tracking holds have their wire names from wire_names.json", "[privacy]") {
  test::checkWireNames<TrackingHold>("trackingHolds", kTrackingHoldCount, trackingHoldName, trackingHoldFromName);
}
