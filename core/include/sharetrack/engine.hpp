// The widget's engine for one page view in one tab: the shell feeds it facts (a landing, a
// share, what the visitor sees and plays, the time, HTTP results) and carries out its decisions
// (this URL in the address bar, post this batch, write these snapshots, wake me at T). It has no
// clock, randomness or I/O of its own: time comes with every call, random bits with the seed.
// Every time is Unix milliseconds in [0, kMaxTimeMs] (the bindings refuse any other); every time
// it restores from storage is checked against that and against the time of the call, so no sum or
// difference of times can overflow.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sharetrack/answer.hpp"
#include "sharetrack/bot_signals.hpp"
#include "sharetrack/engine_config.hpp"
#include "sharetrack/outbound_queue.hpp"
#include "sharetrack/privacy.hpp"
#include "sharetrack/rng.hpp"
#include "sharetrack/summary_tracker.hpp"
#include "sharetrack/token.hpp"
#include "sharetrack/visitor_state.hpp"

namespace sharetrack {

enum class LandingOutcome : unsigned char {
  clickback,     // a clickback event was queued (flagged when it is a self-click or a bot's)
  noToken,       // the URL carries no share token
  invalidToken,  // the URL carries a token that does not parse: `tokenError` says how
  reload,        // the token is the visitor's own address-bar token for this page
  duplicate,     // this visitor clicked back through this token within the dedupe window
  notAllowed,    // tracking is off: nothing recorded, the token is only removed
};
inline constexpr std::size_t kLandingOutcomeCount = 6;

// The outcome's stable snake_case name ("clickback", "no_token", ...), as web/ reports it.
std::string_view landingOutcomeName(LandingOutcome outcome);
std::optional<LandingOutcome> landingOutcomeFromName(std::string_view name);

// What the shell knows when the page loads.
struct Landing {
  std::string url;      // location.href
  std::string content;  // the first widget's content id: it counts as rendered from now on
  PageAutomationFacts automation;
};

struct LandingResult {
  LandingOutcome outcome = LandingOutcome::noToken;
  std::optional<Error> tokenError;
  std::string addressToken;  // the visitor's own token for this page; empty when not tracked
  std::string addressUrl;    // what the address bar should show (history.replaceState)
};

// A share ready to happen: the URL to hand to the share target. It becomes a share event only
// by commitShare, once the share happened (navigator.share resolved, the link was copied, the
// network's window opened); a cancelled share sheet is simply forgotten.
struct PreparedShare {
  std::string content;
  Channel channel = Channel::native;
  std::string token;  // empty when tracking is off: the URL then carries no token
  std::optional<std::string> parent;
  std::string url;
  std::string eventId;
};

// How a send ended, as the shell saw it.
enum class SendKind : unsigned char {
  answered,       // an HTTP response arrived: `status`, `answer` and `retryAfter` say what
  networkError,   // no response (offline, DNS, CORS, timeout in the shell)
  beaconQueued,   // sendBeacon accepted the batch; its fate is never known
  beaconRefused,  // sendBeacon returned false
};
inline constexpr std::size_t kSendKindCount = 4;

// The kind's stable snake_case name ("answered", "network_error", ...), as web/ reports it.
std::string_view sendKindName(SendKind kind);
std::optional<SendKind> sendKindFromName(std::string_view name);

struct SendReport {
  std::uint32_t sendId = 0;  // the OutgoingBatch's
  SendKind kind = SendKind::networkError;
  int status = 0;
  // The body as the shell parsed it, when it looked like a protocol answer; the engine checks it
  // with validateAnswer and treats one that breaks the protocol as no answer at all.
  std::optional<Answer> answer;
  std::string retryAfter;  // the Retry-After header, as sent
};

// What the shell must write to storage now; `erase` removes what ShareTrack stored, when
// tracking has been turned off.
struct PersistPlan {
  bool visitor = false;
  bool queue = false;
  bool erase = false;
};

class Engine {
 public:
  // The configuration must have passed validateEngineConfig.
  Engine(EngineConfig config, const Seed& seed, std::int64_t nowMs, bool pageVisible = true, bool pageFocused = true);

  // ---- privacy ----
  void setPrivacySignals(const PrivacySignals& signals);
  // The site's consent decision (only meaningful with consentRequired). A denial forgets what
  // was recorded while consent was pending.
  void setConsent(bool granted);
  Permissions permissions() const;

  // ---- storage (call only while permissions().store) ----
  // Another copy of the visitor-wide state (this tab's last page load, or another tab's write):
  // merged in. A corrupt, truncated or foreign snapshot, or one holding times or waits no real
  // state has (see RestoreBounds), is ignored and its error returned: the visitor can edit storage.
  Status mergeVisitor(std::string_view snapshot, std::int64_t nowMs);
  // A piece of the queue of a tab that is gone (see takeQueueWrites): its events that this tab
  // lacks join this tab's queue.
  Result<std::size_t> adoptQueue(std::string_view snapshot, std::int64_t nowMs);
  std::string visitorSnapshot() const;
  // The queue's pieces changed since the last call (OutboundQueue::takeWrites), each stored under
  // a key of its own beside this tab's other pieces.
  std::vector<QueueWrite> takeQueueWrites();
  // Call after every other call: shares, clickbacks and conversions are written at once,
  // summaries at most every persistIntervalMs and when the page hides.
  PersistPlan takePersist(std::int64_t nowMs, bool pageHiding);

  // ---- the page ----
  const std::string& pageViewId() const { return pageView_; }
  const std::string& visitorId() const { return visitor_.visitorId; }
  // The landing URL, once per page view, with the page's content id (which counts as rendered).
  Result<LandingResult> land(const Landing& landing, std::int64_t nowMs);
  Result<PreparedShare> prepareShare(std::string_view content, Channel channel, std::string_view pageUrl,
                                     std::int64_t nowMs);
  Result<bool> commitShare(const PreparedShare& share, std::int64_t nowMs);
  Result<bool> conversion(std::string_view name, double value, std::int64_t nowMs);

  // Facts for the summaries (see SummaryTracker).
  Result<bool> widgetRendered(std::string_view content, int widget, std::int64_t nowMs);
  void viewport(const std::string& content, int widget, double ratio, std::int64_t nowMs);
  void pageFocused(bool focused, std::int64_t nowMs);
  void input(std::int64_t nowMs);
  void videoTime(const std::string& content, double positionSec, double durationSec, std::int64_t nowMs);
  void videoSeeking(const std::string& content, std::int64_t nowMs);
  void videoEnded(const std::string& content, std::int64_t nowMs);
  void copied(const std::string& content, std::int64_t nowMs);
  // visibilitychange / pagehide / bfcache: hiding flushes every changed summary into the queue.
  void pageVisible(bool visible, std::int64_t nowMs);

  // ---- delivery ----
  // Asks for a batch as soon as possible, whatever the size and age rules say.
  void flush() { flushRequested_ = true; }
  // The batch to post now, if any. `unloading`: the page is hiding, so a beacon-sized batch of
  // what no beacon carried yet (fetch keepalive or sendBeacon), whatever the schedule says.
  std::optional<OutgoingBatch> nextSend(std::int64_t nowMs, bool unloading);
  void reportSend(const SendReport& report, std::int64_t nowMs);
  // When the shell should call nextSend again (a timer); nullopt when nothing is pending.
  std::optional<std::int64_t> nextWakeAt() const;
  // How many more events the page's calls may add before the queue would drop its oldest, a tenth
  // of it kept for the engine's own events, while a send under way will make room: the shell holds
  // further calls until that send is reported.
  // nullopt when no send is under way, since waiting would make no room: calls go in, the cap applies.
  std::optional<std::size_t> intakeRoom() const;

  const OutboundQueue& queue() const { return queue_; }
  const VisitorState& visitor() const { return visitor_; }
  const SummaryTracker& summaries() const { return summaries_; }

 private:
  enum class Urgency { later, now };
  void enqueue(Event event, Urgency urgency);
  void collectSummaries(std::int64_t nowMs, bool force);
  void ensureVisitorId(std::int64_t nowMs);
  std::string ensureAddressToken(const std::string& content, std::int64_t nowMs);
  void arriveAt(const std::string& content, std::int64_t nowMs);
  std::optional<ShareToken> arrivalToken(const std::string& content) const;
  void forgetRecorded();
  void failSend(std::int64_t nowMs, std::optional<std::uint32_t> retryAfterSeconds);
  RestoreBounds restoreBounds(std::int64_t nowMs) const;

  EngineConfig config_;
  Rng rng_;
  std::string pageView_;
  PrivacySignals signals_;
  Consent consent_;
  VisitorState visitor_;
  OutboundQueue queue_;
  SummaryTracker summaries_;
  std::optional<std::string> landedThrough_;  // the share token this page view arrived through

  bool visitorDirty_ = false;
  bool queueDirty_ = false;
  bool queueUrgent_ = false;
  bool storedSomething_ = true;  // until erased: a previous page load may have stored state
  std::int64_t lastQueuePersistMs_ = 0;

  bool flushRequested_ = false;
  std::uint32_t nextSendId_ = 1;
  std::string inFlightBatchId_;
  std::int64_t inFlightDeadlineMs_ = 0;
  std::size_t inFlightEvents_ = 0;
  std::size_t batchEventsLimit_;  // halved after a 413, restored after a success
  std::vector<std::pair<std::uint32_t, std::vector<std::string>>> beacons_;  // unanswered, newest last
};

}  // namespace sharetrack
