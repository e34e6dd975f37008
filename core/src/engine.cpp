#include "sharetrack/engine.hpp"

#include <algorithm>
#include <array>

#include "name_table.hpp"
#include "sharetrack/batch_encode.hpp"
#include "sharetrack/field_rules.hpp"
#include "sharetrack/retry_after.hpp"
#include "sharetrack/share_url.hpp"
#include "sharetrack/token.hpp"

namespace sharetrack {
namespace {

constexpr std::size_t kIdLength = 16;  // 96 random bits: event, batch and page-view ids
constexpr std::size_t kBeaconsRemembered = 4;
constexpr int kLandingWidget = -1;  // the page's content counts as rendered from its landing on

using detail::Named;

constexpr detail::NameTable kLandingOutcomeNames(std::array{
    Named<LandingOutcome>{LandingOutcome::clickback, "clickback"},
    Named<LandingOutcome>{LandingOutcome::noToken, "no_token"},
    Named<LandingOutcome>{LandingOutcome::invalidToken, "invalid_token"},
    Named<LandingOutcome>{LandingOutcome::reload, "reload"},
    Named<LandingOutcome>{LandingOutcome::duplicate, "duplicate"},
    Named<LandingOutcome>{LandingOutcome::notAllowed, "not_allowed"},
});
static_assert(kLandingOutcomeNames.size() == kLandingOutcomeCount && kLandingOutcomeNames.inOrder(),
              "one name per landing outcome");

constexpr detail::NameTable kSendKindNames(std::array{
    Named<SendKind>{SendKind::answered, "answered"},
    Named<SendKind>{SendKind::networkError, "network_error"},
    Named<SendKind>{SendKind::beaconQueued, "beacon_queued"},
    Named<SendKind>{SendKind::beaconRefused, "beacon_refused"},
});
static_assert(kSendKindNames.size() == kSendKindCount && kSendKindNames.inOrder(), "one name per send kind");

Status validateContent(std::string_view content) {
  if (!follows(content, rules::content)) {
    return makeError(ErrorCode::contentInvalid, "content id '" + std::string(content.substr(0, 64)) +
                                                    "' must be 1-128 of A-Z a-z 0-9 - _ . ~ : /");
  }
  return {};
}

}  // namespace

std::string_view landingOutcomeName(LandingOutcome outcome) { return kLandingOutcomeNames.name(outcome); }
std::optional<LandingOutcome> landingOutcomeFromName(std::string_view name) { return kLandingOutcomeNames.find(name); }
std::string_view sendKindName(SendKind kind) { return kSendKindNames.name(kind); }
std::optional<SendKind> sendKindFromName(std::string_view name) { return kSendKindNames.find(name); }

Engine::Engine(EngineConfig config, const Seed& seed, std::int64_t nowMs, bool pageVisible, bool pageFocused)
    : config_(std::move(config)),
      rng_(seed),
      pageView_(rng_.id(kIdLength)),
      consent_(config_.consentRequired ? Consent::pending : Consent::notRequired),
      visitor_(config_.visitorLimits),
      queue_(config_.queueLimits),
      summaries_(pageView_, config_.summaries, nowMs, pageVisible, pageFocused),
      batchEventsLimit_(config_.maxBatchEvents) {}

// ---- privacy ----

Permissions Engine::permissions() const { return permissionsFor(consent_, signals_, config_.subscriberNeedsConsent); }

void Engine::setPrivacySignals(const PrivacySignals& signals) {
  signals_ = signals;
  if (!permissions().record) forgetRecorded();
}

void Engine::setConsent(bool granted) {
  // Where the site does not require consent, the visitor's answer still counts: a yes lets the
  // subscriber id travel, a no turns tracking off.
  consent_ = granted ? Consent::granted : Consent::denied;
  if (!permissions().record) {
    forgetRecorded();
  } else if (permissions().store) {
    // What was held in memory while pending is written now.
    visitorDirty_ = queueDirty_ = queueUrgent_ = true;
  }
}

void Engine::forgetRecorded() {
  visitor_ = VisitorState(config_.visitorLimits);
  queue_ = OutboundQueue(config_.queueLimits);
  visitorDirty_ = queueDirty_ = queueUrgent_ = false;
  inFlightBatchId_.clear();
  beacons_.clear();
}

// ---- storage ----

RestoreBounds Engine::restoreBounds(std::int64_t nowMs) const {
  const std::int64_t longestWait =
      std::max({config_.retry.backoffMaxMs, config_.retry.cooldownMs, std::int64_t{kMaxRetryAfterSeconds} * 1000});
  return RestoreBounds{nowMs, longestWait};
}

Status Engine::mergeVisitor(std::string_view snapshot, std::int64_t nowMs) {
  if (!permissions().store) return makeError(ErrorCode::notAllowed, "visitor state: storage is not allowed");
  auto stored = decodeVisitorState(snapshot, config_.visitorLimits, restoreBounds(nowMs));
  if (!stored) return stored.error();
  VisitorState merged = mergeVisitorStates(visitor_, stored.value());
  if (!(merged == stored.value())) visitorDirty_ = true;  // this tab knows more than storage
  visitor_ = std::move(merged);
  return {};
}

Result<std::size_t> Engine::adoptQueue(std::string_view snapshot, std::int64_t nowMs) {
  if (!permissions().store) return makeError(ErrorCode::notAllowed, "queue: storage is not allowed");
  auto adopted = queue_.adopt(snapshot, restoreBounds(nowMs));
  if (!adopted) return adopted;
  queueDirty_ = queueUrgent_ = true;
  if (adopted.value()) ensureVisitorId(nowMs);  // the visitor state may be lost while its queue survived
  return adopted;
}

std::string Engine::visitorSnapshot() const { return encodeVisitorState(visitor_); }

std::vector<QueueWrite> Engine::takeQueueWrites() { return queue_.takeWrites(); }

PersistPlan Engine::takePersist(std::int64_t nowMs, bool pageHiding) {
  PersistPlan plan;
  if (!permissions().store) {
    plan.erase = storedSomething_;
    storedSomething_ = false;
    return plan;
  }
  plan.visitor = visitorDirty_;
  plan.queue =
      queueUrgent_ || (queueDirty_ && (pageHiding || nowMs - lastQueuePersistMs_ >= config_.persistIntervalMs));
  if (plan.visitor) visitorDirty_ = false;
  if (plan.queue) {
    queueDirty_ = queueUrgent_ = false;
    lastQueuePersistMs_ = nowMs;
  }
  storedSomething_ = storedSomething_ || plan.visitor || plan.queue;
  return plan;
}

// ---- the page ----

void Engine::ensureVisitorId(std::int64_t nowMs) {
  if (!visitor_.visitorId.empty()) return;
  visitor_.visitorId = rng_.hex128();
  visitor_.visitorSinceMs = nowMs;
  visitorDirty_ = true;
}

std::optional<ShareToken> Engine::arrivalToken(const std::string& content) const {
  const auto it = visitor_.arrivals.find(content);
  if (it == visitor_.arrivals.end()) return std::nullopt;
  auto token = parseToken(it->second.token);
  return token ? std::optional<ShareToken>(token.value()) : std::nullopt;
}

std::string Engine::ensureAddressToken(const std::string& content, std::int64_t nowMs) {
  const std::optional<ShareToken> arrival = arrivalToken(content);
  const std::optional<std::string> parent = arrival ? std::optional<std::string>(formatToken(*arrival)) : std::nullopt;
  const auto existing = visitor_.addressTokens.find(content);
  if (existing != visitor_.addressTokens.end() && existing->second.parent == parent) return existing->second.token;
  // First visit, or the visitor has since arrived through a token: a child of that arrival.
  auto minted = mintToken(rng_.next(), nowMs, Channel::addressbar, arrival);
  if (!minted) return {};
  const std::string token = formatToken(minted.value());
  visitor_.addressTokens[content] = AddressToken{token, parent, nowMs};
  visitor_.minted.remember(token, nowMs);
  trimVisitorState(visitor_);
  visitorDirty_ = true;
  return token;
}

Result<LandingResult> Engine::land(const Landing& page, std::int64_t nowMs) {
  SHARETRACK_RETURN_IF_ERROR(validateContent(page.content));
  const std::string& content = page.content;
  std::optional<std::string> subscriber;
  std::string cleanUrl = page.url;
  if (!config_.subscriberParam.empty()) {
    // A personal id must not stay in an address bar that the visitor may copy to friends.
    auto withoutSubscriber = readLandingUrl(cleanUrl, config_.subscriberParam);
    if (!withoutSubscriber) return withoutSubscriber.error();
    subscriber = withoutSubscriber.value().token;
    cleanUrl = withoutSubscriber.value().urlWithoutToken;
  }
  auto landing = readLandingUrl(cleanUrl, config_.shareUrl.tokenParam);
  if (!landing) return landing.error();

  LandingResult result;
  result.addressUrl = landing.value().urlWithoutToken;
  if (!permissions().record) {
    result.outcome = LandingOutcome::notAllowed;
    return result;
  }
  ensureVisitorId(nowMs);
  summaries_.rendered(content, kLandingWidget, nowMs);
  if (subscriber && follows(*subscriber, rules::subscriber)) {
    visitor_.subscriberId = subscriber;
    visitor_.subscriberAtMs = nowMs;
    visitorDirty_ = true;
  }

  const std::optional<std::string>& incoming = landing.value().token;
  if (!incoming) {
    result.outcome = LandingOutcome::noToken;
  } else if (auto token = parseToken(*incoming); !token) {
    result.outcome = LandingOutcome::invalidToken;
    result.tokenError = token.error();
  } else {
    const std::string text = formatToken(token.value());
    const auto own = visitor_.addressTokens.find(content);
    const bool selfClick = visitor_.minted.contains(text);
    if (own != visitor_.addressTokens.end() && own->second.token == text) {
      result.outcome = LandingOutcome::reload;
    } else {
      if (!selfClick) {
        landedThrough_ = text;
        // The landing's content and those rendered before it; arriveAt takes the later ones.
        for (const std::string& rendered : summaries_.contents()) arriveAt(rendered, nowMs);
      }
      if (!visitor_.clickbacks.admit(text, nowMs, config_.dedupeWindowMs)) {
        result.outcome = LandingOutcome::duplicate;
      } else {
        visitorDirty_ = true;
        result.outcome = LandingOutcome::clickback;
        ClickbackEvent clickback{content, pageView_, text, selfClick, botSignalsOf(page.automation)};
        enqueue(Event{rng_.id(kIdLength), nowMs, std::move(clickback)}, Urgency::now);
      }
    }
  }

  result.addressToken = ensureAddressToken(content, nowMs);
  summaries_.addressToken(content, result.addressToken, nowMs);
  ShareUrlOptions addressOptions{config_.shareUrl.tokenParam, false, ""};
  auto addressUrl = shareUrl(result.addressUrl, result.addressToken, Channel::addressbar, addressOptions);
  if (addressUrl) result.addressUrl = std::move(addressUrl).value();  // too long: keep the clean URL
  return result;
}

Result<PreparedShare> Engine::prepareShare(std::string_view contentId, Channel channel, std::string_view pageUrl,
                                           std::int64_t nowMs) {
  SHARETRACK_RETURN_IF_ERROR(validateContent(contentId));
  if (channel == Channel::addressbar) {
    return makeError(ErrorCode::channelNotShareable, "address-bar tokens are minted on landing, not shared");
  }
  PreparedShare share;
  share.content = std::string(contentId);
  share.channel = channel;
  if (permissions().record) {
    const std::optional<ShareToken> parent = arrivalToken(share.content);
    auto token = mintToken(rng_.next(), nowMs, channel, parent);
    if (!token) return token.error();
    share.token = formatToken(token.value());
    if (parent) share.parent = formatToken(*parent);
    share.eventId = rng_.id(kIdLength);
  }
  auto url = shareUrl(pageUrl, share.token, channel, config_.shareUrl);
  if (!url) return url.error();
  share.url = std::move(url).value();
  return share;
}

Result<bool> Engine::commitShare(const PreparedShare& share, std::int64_t nowMs) {
  SHARETRACK_RETURN_IF_ERROR(validateContent(share.content));
  if (share.token.empty() || !permissions().record) return false;  // untracked share: nothing to record
  if (queue_.holds(share.eventId)) return false;  // committed before
  ShareEvent event{share.content, pageView_, share.token, share.parent, share.channel};
  enqueue(Event{share.eventId, nowMs, std::move(event)}, Urgency::now);
  visitor_.minted.remember(share.token, nowMs);
  visitorDirty_ = true;
  summaries_.shared(share.content, share.channel, nowMs);
  return true;
}

Result<bool> Engine::conversion(std::string_view name, double value, std::int64_t nowMs) {
  if (!follows(name, rules::conversionName) || !(value == value) || value > kMaxConversionValue ||
      value < -kMaxConversionValue) {
    return makeError(ErrorCode::conversionInvalid,
                     "conversion needs a name of 1-64 of A-Z a-z 0-9 - _ . : and a finite value within ±1e12");
  }
  if (!permissions().record) return false;
  enqueue(Event{rng_.id(kIdLength), nowMs, ConversionEvent{std::string(name), keptConversionValue(value)}},
          Urgency::now);
  return true;
}

Result<bool> Engine::widgetRendered(std::string_view content, int widget, std::int64_t nowMs) {
  SHARETRACK_RETURN_IF_ERROR(validateContent(content));
  if (!permissions().record) return false;
  summaries_.rendered(std::string(content), widget, nowMs);
  arriveAt(std::string(content), nowMs);
  return true;
}

// Every testimonial of a page the visitor reached through another's share was reached through
// it: a share of any of them continues that share.
void Engine::arriveAt(const std::string& content, std::int64_t nowMs) {
  if (!landedThrough_ || !visitor_.arrivals.emplace(content, Arrival{*landedThrough_, nowMs}).second) return;
  trimVisitorState(visitor_);
  visitorDirty_ = true;
}

void Engine::viewport(const std::string& content, int widget, double ratio, std::int64_t nowMs) {
  summaries_.viewport(content, widget, ratio, nowMs);
}
void Engine::pageFocused(bool focused, std::int64_t nowMs) { summaries_.pageFocused(focused, nowMs); }
void Engine::input(std::int64_t nowMs) { summaries_.input(nowMs); }
void Engine::videoTime(const std::string& content, double positionSec, double durationSec, std::int64_t nowMs) {
  summaries_.videoTime(content, positionSec, durationSec, nowMs);
}
void Engine::videoSeeking(const std::string& content, std::int64_t nowMs) { summaries_.videoSeeking(content, nowMs); }
void Engine::videoEnded(const std::string& content, std::int64_t nowMs) { summaries_.videoEnded(content, nowMs); }
void Engine::copied(const std::string& content, std::int64_t nowMs) { summaries_.copied(content, nowMs); }

void Engine::pageVisible(bool visible, std::int64_t nowMs) {
  summaries_.pageVisible(visible, nowMs);
  if (!visible) collectSummaries(nowMs, true);
}

void Engine::collectSummaries(std::int64_t nowMs, bool force) {
  if (!permissions().record) return;
  for (SummaryEvent& summary : summaries_.takeDue(nowMs, force)) {
    enqueue(Event{rng_.id(kIdLength), nowMs, std::move(summary)}, Urgency::later);
  }
}

void Engine::enqueue(Event event, Urgency urgency) {
  ensureVisitorId(event.timeMs);  // every batch names its visitor
  QueuedEvent queued;
  queued.id = event.id;
  queued.json = encodeEvent(event);
  queued.queuedAtMs = event.timeMs;
  if (const auto* summary = std::get_if<SummaryEvent>(&event.body)) {
    queued.replaceKey = summary->pageView + "|" + summary->content;
  }
  queue_.push(std::move(queued));
  queueDirty_ = true;
  queueUrgent_ = queueUrgent_ || urgency == Urgency::now;
}

// ---- delivery ----

std::optional<OutgoingBatch> Engine::nextSend(std::int64_t nowMs, bool unloading) {
  collectSummaries(nowMs, false);
  if (!permissions().send || visitor_.visitorId.empty()) return std::nullopt;
  if (queue_.inFlight() && nowMs >= inFlightDeadlineMs_) failSend(nowMs, std::nullopt);  // no report in time

  BatchHeader header;
  header.site = config_.site;
  header.id = rng_.id(kIdLength);
  header.visitor = visitor_.visitorId;
  if (permissions().subscriber) header.subscriber = visitor_.subscriberId;
  header.sentAtMs = nowMs;

  if (unloading) {
    if (inCooldown(visitor_.health, nowMs)) return std::nullopt;
    auto batch = queue_.take(header, config_.maxBatchEvents, config_.unloadBatchBytes, true, nextSendId_++);
    if (batch) {
      batch->keepalive = true;  // taken within unloadBatchBytes
      beacons_.emplace_back(batch->sendId, batch->eventIds);
      if (beacons_.size() > kBeaconsRemembered) beacons_.erase(beacons_.begin());
      queueDirty_ = queueUrgent_ = true;  // the beaconed marks must survive the page
    }
    return batch;
  }

  if (queue_.inFlight() || nowMs < nextAttemptAt(visitor_.health)) return std::nullopt;
  const DropCounts& drops = queue_.pendingDrops();
  const auto oldest = queue_.oldestWaitingAtMs();
  const bool due = flushRequested_ || queue_.waiting() >= config_.flushEvents ||
                   queue_.waitingBytes() >= config_.flushBytes || (oldest && nowMs >= *oldest + config_.flushAgeMs) ||
                   (!oldest && (drops.queueOverflow || !drops.rejected.empty()));
  if (!due) return std::nullopt;
  auto batch = queue_.take(header, batchEventsLimit_, config_.maxBatchBytes, false, nextSendId_++);
  flushRequested_ = false;  // served, or nothing was left to flush
  if (!batch) return std::nullopt;
  inFlightEvents_ = batch->eventIds.size();
  // fetch's keepalive quota (64 KB, shared with the host page) counts the body's bytes.
  batch->keepalive = batch->text.size() <= config_.unloadBatchBytes;
  inFlightBatchId_ = header.id;
  inFlightDeadlineMs_ = nowMs + config_.sendTimeoutMs;
  return batch;
}

void Engine::failSend(std::int64_t nowMs, std::optional<std::uint32_t> retryAfterSeconds) {
  queue_.release(queue_.inFlight());
  inFlightBatchId_.clear();
  recordDeliveryFailure(visitor_.health, config_.retry, nowMs, retryAfterSeconds, rng_.unit());
  visitorDirty_ = true;
}

void Engine::reportSend(const SendReport& report, std::int64_t nowMs) {
  const std::uint32_t sendId = report.sendId;
  if (report.kind == SendKind::beaconQueued || report.kind == SendKind::beaconRefused) {
    const auto beacon =
        std::find_if(beacons_.begin(), beacons_.end(), [&](const auto& b) { return b.first == sendId; });
    if (beacon == beacons_.end()) return;
    if (report.kind == SendKind::beaconRefused) queue_.unmarkBeaconed(beacon->second);
    beacons_.erase(beacon);
    return;
  }
  std::optional<std::uint32_t> retryAfter;
  if (!report.retryAfter.empty()) {
    if (auto seconds = parseRetryAfter(report.retryAfter, nowMs)) retryAfter = seconds.value();
  }
  const bool readable = report.answer && validateAnswer(*report.answer);
  const BatchAnswer* answer = readable ? std::get_if<BatchAnswer>(&*report.answer) : nullptr;
  const BatchRefusal* refusal = readable ? std::get_if<BatchRefusal>(&*report.answer) : nullptr;
  if (refusal && refusal->retryAfterSeconds && !retryAfter) retryAfter = refusal->retryAfterSeconds;

  if (sendId == 0 || queue_.inFlight() != sendId) {
    // Timed out already (its events were released and it counted as a failure); the collector
    // asking for quiet still holds what comes next.
    if (sendId != 0 && retryAfter) {
      recordRetryAfter(visitor_.health, nowMs, *retryAfter);
      visitorDirty_ = true;
    }
    return;
  }
  queueDirty_ = true;

  if (report.kind == SendKind::answered && report.status == 200 && answer && answer->batchId == inFlightBatchId_) {
    queue_.acknowledge(sendId, *answer);
    inFlightBatchId_.clear();
    batchEventsLimit_ = config_.maxBatchEvents;
    recordDeliverySuccess(visitor_.health, inFlightDeadlineMs_ - config_.sendTimeoutMs);  // its send time
    // What was delivered leaves storage at once: a tab that dies now does not send it again.
    visitorDirty_ = queueUrgent_ = true;
    return;
  }
  if (report.kind == SendKind::answered && report.status == 413) {
    // The collector takes less than we sent: the next batches carry half as many events as this
    // one, until one is accepted; a lone event refused is dropped and counted.
    if (inFlightEvents_ <= 1) {
      queue_.dropSend(sendId, std::string(errorCodeName(ErrorCode::batchTooLarge)));
    } else {
      queue_.release(sendId);
    }
    inFlightBatchId_.clear();
    batchEventsLimit_ = std::max<std::size_t>(inFlightEvents_ / 2, 1);
    return;
  }
  const bool refusedForGood = report.kind == SendKind::answered && report.status == 400 &&
                              !(refusal && refusal->code == errorCodeName(ErrorCode::unsupportedVersion));
  if (refusedForGood) {
    // The collector read the envelope and will never accept it: drop, count, report.
    queue_.dropSend(sendId, refusal ? refusal->code : std::string("http_400"));
    inFlightBatchId_.clear();
    recordDeliverySuccess(visitor_.health, inFlightDeadlineMs_ - config_.sendTimeoutMs);
    visitorDirty_ = true;
    return;
  }
  // Network errors, 408, 429, 5xx, 403 (a site or origin not yet configured), other statuses
  // and unreadable answers: the events wait, the collector gets time.
  failSend(nowMs, retryAfter);
}

std::optional<std::int64_t> Engine::nextWakeAt() const {
  std::optional<std::int64_t> next = summaries_.nextDueAt();
  const auto consider = [&next](std::int64_t at) { next = next ? std::min(*next, at) : at; };
  if (queue_.inFlight()) consider(inFlightDeadlineMs_);
  if (const auto oldest = queue_.oldestWaitingAtMs(); oldest && permissions().send) {
    consider(std::max(*oldest + config_.flushAgeMs, nextAttemptAt(visitor_.health)));
  }
  return next;
}

std::optional<std::size_t> Engine::intakeRoom() const {
  if (!queue_.inFlight()) return std::nullopt;
  const std::size_t capacity = config_.queueLimits.capacity;
  // A tenth of the queue stays free for the engine's own events (summaries, shares, clickbacks)
  // that may come while the page's calls wait: they must not push out the oldest either.
  const std::size_t taken = queue_.size() + capacity / 10;
  return capacity - std::min(capacity, taken);
}

}  // namespace sharetrack
