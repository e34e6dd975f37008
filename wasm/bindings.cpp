// Embind bindings of sharetrack::core for the browser: pure conversions between JS values and
// the engine's calls, one call per user action or batch. Errors cross as data ({ok, code,
// message}); web/ turns them into ShareTrackError.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include "sharetrack/engine.hpp"

using emscripten::val;
using namespace sharetrack;

namespace {

val failure(const Error& error) {
  val out = val::object();
  out.set("ok", false);
  out.set("code", std::string(errorCodeName(error.code)));
  out.set("message", error.message);
  return out;
}

val success() {
  val out = val::object();
  out.set("ok", true);
  return out;
}

// {ok: true, recorded} or the failure: whether an event was recorded (false while untracked).
val recordedOutcome(const Result<bool>& recorded) {
  if (!recorded) return failure(recorded.error());
  val out = success();
  out.set("recorded", recorded.value());
  return out;
}

std::string text(const val& object, const char* key, const std::string& fallback) {
  const val v = object[key];
  return v.isString() ? v.as<std::string>() : fallback;
}

template <typename T>
T number(const val& object, const char* key, T fallback) {
  const val v = object[key];
  return v.isNumber() ? static_cast<T>(v.as<double>()) : fallback;
}

bool flag(const val& object, const char* key, bool fallback) {
  const val v = object[key];
  return v.isTrue() || (!v.isFalse() && fallback);
}

// The configuration from a plain JS object; absent keys keep their defaults.
EngineConfig configFrom(const val& c) {
  EngineConfig config;
  config.site = text(c, "site", "");
  config.shareUrl.tokenParam = text(c, "tokenParam", config.shareUrl.tokenParam);
  config.shareUrl.utm = flag(c, "utm", false);
  config.shareUrl.utmCampaign = text(c, "utmCampaign", "");
  config.subscriberParam = text(c, "subscriberParam", "");
  config.consentRequired = flag(c, "consentRequired", false);
  config.subscriberNeedsConsent = flag(c, "subscriberNeedsConsent", true);
  config.dedupeWindowMs = number(c, "dedupeWindowMs", config.dedupeWindowMs);
  config.queueLimits.capacity = number(c, "queueCapacity", config.queueLimits.capacity);
  config.summaries.intervalMs = number(c, "summaryIntervalMs", config.summaries.intervalMs);
  config.summaries.viewableMs = number(c, "viewableMs", config.summaries.viewableMs);
  config.summaries.activeInputMs = number(c, "activeInputMs", config.summaries.activeInputMs);
  config.flushEvents = number(c, "flushEvents", config.flushEvents);
  config.flushAgeMs = number(c, "flushAgeMs", config.flushAgeMs);
  config.sendTimeoutMs = number(c, "sendTimeoutMs", config.sendTimeoutMs);
  config.retry.backoffBaseMs = number(c, "backoffBaseMs", config.retry.backoffBaseMs);
  config.retry.backoffMaxMs = number(c, "backoffMaxMs", config.retry.backoffMaxMs);
  config.retry.cooldownAfterFailures = number(c, "cooldownAfterFailures", config.retry.cooldownAfterFailures);
  config.retry.cooldownMs = number(c, "cooldownMs", config.retry.cooldownMs);
  config.persistIntervalMs = number(c, "persistIntervalMs", config.persistIntervalMs);
  return config;
}

Seed seedFrom(const val& words) {
  Seed seed{};
  for (unsigned i = 0; i < 8; ++i) {
    const auto word = static_cast<std::uint64_t>(words[i].isNumber() ? words[i].as<double>() : 0);
    seed[i / 2] |= (word & 0xffffffffull) << (32 * (i % 2));
  }
  return seed;
}

// The collector's answer, already parsed by JSON.parse in the shell; anything not of the
// protocol's shape is no answer at all.
std::optional<Answer> answerFrom(const val& body) {
  if (!body.isArray() && body.typeOf().as<std::string>() == "object" && !body.isNull()) {
    const val error = body["error"];
    if (!error.isUndefined() && !error.isNull()) {
      if (!error["code"].isString()) return std::nullopt;
      BatchRefusal refusal;
      refusal.code = error["code"].as<std::string>();
      if (error["retryAfter"].isNumber()) refusal.retryAfterSeconds = error["retryAfter"].as<std::uint32_t>();
      return Answer{refusal};
    }
    const val results = body["results"];
    if (!body["batch"].isString() || !results.isArray()) return std::nullopt;
    BatchAnswer answer;
    answer.batchId = body["batch"].as<std::string>();
    const unsigned length = results["length"].as<unsigned>();
    for (unsigned i = 0; i < length; ++i) {
      const val r = results[i];
      if (!r["id"].isString() || !r["status"].isString()) return std::nullopt;
      const std::string status = r["status"].as<std::string>();
      EventResult result;
      result.id = r["id"].as<std::string>();
      if (status == "accepted")
        result.status = EventStatus::accepted;
      else if (status == "duplicate")
        result.status = EventStatus::duplicate;
      else if (status == "rejected" && r["code"].isString())
        result.status = EventStatus::rejected;
      else
        return std::nullopt;
      if (result.status == EventStatus::rejected) result.code = r["code"].as<std::string>();
      answer.results.push_back(std::move(result));
    }
    return Answer{answer};
  }
  return std::nullopt;
}

val optionalTime(const std::optional<std::int64_t>& time) {
  return time ? val(static_cast<double>(*time)) : val::null();
}

class WasmEngine {
 public:
  // The configuration must have passed checkConfig.
  WasmEngine(const val& config, const val& seed, double nowMs, bool visible, bool focused)
      : engine_(std::make_unique<Engine>(configFrom(config), seedFrom(seed), static_cast<std::int64_t>(nowMs), visible,
                                         focused)) {}

  void setPrivacy(bool gpc, bool dnt) { engine_->setPrivacySignals(PrivacySignals{gpc, dnt}); }
  void setConsent(bool granted) { engine_->setConsent(granted); }

  val permissions() const {
    const Permissions p = engine_->permissions();
    val out = val::object();
    out.set("record", p.record);
    out.set("store", p.store);
    out.set("send", p.send);
    out.set("reason", std::string(p.reason));
    return out;
  }

  val mergeVisitor(const std::string& snapshot) {
    const auto error = engine_->mergeVisitor(snapshot);
    return error ? failure(*error) : success();
  }

  val adoptQueue(const std::string& snapshot) {
    const auto adopted = engine_->adoptQueue(snapshot);
    if (!adopted) return failure(adopted.error());
    val out = success();
    out.set("adopted", static_cast<double>(adopted.value()));
    return out;
  }

  std::string visitorSnapshot() const { return engine_->visitorSnapshot(); }
  std::string queueSnapshot() const { return engine_->queueSnapshot(); }

  val takePersist(double nowMs, bool hiding) {
    const PersistPlan plan = engine_->takePersist(static_cast<std::int64_t>(nowMs), hiding);
    val out = val::object();
    out.set("visitor", plan.visitor);
    out.set("queue", plan.queue);
    out.set("erase", plan.erase);
    return out;
  }

  val land(const std::string& url, const std::string& content, bool webdriver, bool prerendering,
           const std::string& userAgent, double nowMs) {
    const auto landing = engine_->land(url, content, PageAutomationFacts{webdriver, prerendering, userAgent},
                                       static_cast<std::int64_t>(nowMs));
    if (!landing) return failure(landing.error());
    val out = success();
    out.set("outcome", std::string(landingOutcomeName(landing.value().outcome)));
    out.set("addressToken", landing.value().addressToken);
    out.set("addressUrl", landing.value().addressUrl);
    if (landing.value().tokenError) out.set("tokenError", failure(*landing.value().tokenError));
    return out;
  }

  val prepareShare(const std::string& content, const std::string& channelName, const std::string& pageUrl,
                   double nowMs) {
    const auto channel = channelFromName(channelName);
    if (!channel) return failure(Error{ErrorCode::channelUnknown, "channel '" + channelName + "' is unknown"});
    const auto share = engine_->prepareShare(content, *channel, pageUrl, static_cast<std::int64_t>(nowMs));
    if (!share) return failure(share.error());
    val out = success();
    out.set("content", share.value().content);
    out.set("channel", channelName);
    out.set("token", share.value().token);
    out.set("parent", share.value().parent ? val(*share.value().parent) : val::null());
    out.set("url", share.value().url);
    out.set("eventId", share.value().eventId);
    return out;
  }

  val commitShare(const val& prepared, double nowMs) {
    PreparedShare share;
    share.content = text(prepared, "content", "");
    const auto channel = channelFromName(text(prepared, "channel", ""));
    if (!channel) return failure(Error{ErrorCode::channelUnknown, "not a prepared share"});
    share.channel = *channel;
    share.token = text(prepared, "token", "");
    if (prepared["parent"].isString()) share.parent = prepared["parent"].as<std::string>();
    share.url = text(prepared, "url", "");
    share.eventId = text(prepared, "eventId", "");
    return recordedOutcome(engine_->commitShare(share, static_cast<std::int64_t>(nowMs)));
  }

  val conversion(const std::string& name, double value, double nowMs) {
    return recordedOutcome(engine_->conversion(name, value, static_cast<std::int64_t>(nowMs)));
  }

  val widgetRendered(const std::string& content, int widget, double nowMs) {
    const auto rendered = engine_->widgetRendered(content, widget, static_cast<std::int64_t>(nowMs));
    return rendered ? success() : failure(rendered.error());
  }

  void viewport(const std::string& content, int widget, double ratio, double nowMs) {
    engine_->viewport(content, widget, ratio, static_cast<std::int64_t>(nowMs));
  }
  void pageVisible(bool visible, double nowMs) { engine_->pageVisible(visible, static_cast<std::int64_t>(nowMs)); }
  void pageFocused(bool focused, double nowMs) { engine_->pageFocused(focused, static_cast<std::int64_t>(nowMs)); }
  void input(double nowMs) { engine_->input(static_cast<std::int64_t>(nowMs)); }
  void videoTime(const std::string& content, double position, double duration, double nowMs) {
    engine_->videoTime(content, position, duration, static_cast<std::int64_t>(nowMs));
  }
  void videoSeeking(const std::string& content, double nowMs) {
    engine_->videoSeeking(content, static_cast<std::int64_t>(nowMs));
  }
  void videoEnded(const std::string& content, double nowMs) {
    engine_->videoEnded(content, static_cast<std::int64_t>(nowMs));
  }
  void copied(const std::string& content, double nowMs) { engine_->copied(content, static_cast<std::int64_t>(nowMs)); }
  void flush() { engine_->flush(); }

  val nextSend(double nowMs, bool unloading) {
    const auto batch = engine_->nextSend(static_cast<std::int64_t>(nowMs), unloading);
    if (!batch) return val::null();
    val out = val::object();
    out.set("sendId", batch->sendId);
    out.set("body", batch->text);
    out.set("beacon", batch->beacon);
    out.set("events", static_cast<double>(batch->eventIds.size()));
    return out;
  }

  // kind: "answered" (status, parsed body or null, Retry-After header), "network_error",
  // "beacon_queued", "beacon_refused".
  void reportSend(unsigned sendId, const std::string& kind, int status, const val& body, const std::string& retryAfter,
                  double nowMs) {
    SendReport report;
    report.kind = kind == "answered"         ? SendReport::Kind::answered
                  : kind == "beacon_queued"  ? SendReport::Kind::beaconQueued
                  : kind == "beacon_refused" ? SendReport::Kind::beaconRefused
                                             : SendReport::Kind::networkError;
    report.status = status;
    report.answer = answerFrom(body);
    report.retryAfter = retryAfter;
    engine_->reportSend(sendId, report, static_cast<std::int64_t>(nowMs));
  }

  val nextWakeAt() const { return optionalTime(engine_->nextWakeAt()); }
  std::string pageViewId() const { return engine_->pageViewId(); }
  std::string visitorId() const { return engine_->visitorId(); }

 private:
  std::unique_ptr<Engine> engine_;
};

val checkConfig(const val& config) {
  const auto valid = validateEngineConfig(configFrom(config));
  return valid ? success() : failure(valid.error());
}

}  // namespace

EMSCRIPTEN_BINDINGS(sharetrack) {
  emscripten::function("checkConfig", &checkConfig);
  emscripten::class_<WasmEngine>("Engine")
      .constructor<const val&, const val&, double, bool, bool>()
      .function("setPrivacy", &WasmEngine::setPrivacy)
      .function("setConsent", &WasmEngine::setConsent)
      .function("permissions", &WasmEngine::permissions)
      .function("mergeVisitor", &WasmEngine::mergeVisitor)
      .function("adoptQueue", &WasmEngine::adoptQueue)
      .function("visitorSnapshot", &WasmEngine::visitorSnapshot)
      .function("queueSnapshot", &WasmEngine::queueSnapshot)
      .function("takePersist", &WasmEngine::takePersist)
      .function("land", &WasmEngine::land)
      .function("prepareShare", &WasmEngine::prepareShare)
      .function("commitShare", &WasmEngine::commitShare)
      .function("conversion", &WasmEngine::conversion)
      .function("widgetRendered", &WasmEngine::widgetRendered)
      .function("viewport", &WasmEngine::viewport)
      .function("pageVisible", &WasmEngine::pageVisible)
      .function("pageFocused", &WasmEngine::pageFocused)
      .function("input", &WasmEngine::input)
      .function("videoTime", &WasmEngine::videoTime)
      .function("videoSeeking", &WasmEngine::videoSeeking)
      .function("videoEnded", &WasmEngine::videoEnded)
      .function("copied", &WasmEngine::copied)
      .function("flush", &WasmEngine::flush)
      .function("nextSend", &WasmEngine::nextSend)
      .function("reportSend", &WasmEngine::reportSend)
      .function("nextWakeAt", &WasmEngine::nextWakeAt)
      .function("pageViewId", &WasmEngine::pageViewId)
      .function("visitorId", &WasmEngine::visitorId);
}
