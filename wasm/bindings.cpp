// Embind bindings of sharetrack::core for the browser: conversions between JS values and the
// engine's calls, one call per user action or batch. Every name and rule is core's; a value of
// the wrong type or range is refused here with a typed error before any cast. Errors cross as
// data ({ok: false, code, message}); web/ turns them into ShareTrackError.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cmath>
#include <limits>
#include <memory>
#include <type_traits>
#include <vector>

#include "sharetrack/engine.hpp"

using emscripten::val;
using namespace sharetrack;

namespace {

// ---- outcomes ----

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

val outcome(const Status& status) { return status ? success() : failure(status.error()); }

// {ok: true, recorded} or the failure: whether an event was recorded (false while untracked).
val recordedOutcome(const Result<bool>& recorded) {
  if (!recorded) return failure(recorded.error());
  val out = success();
  out.set("recorded", recorded.value());
  return out;
}

// ---- reading JS values ----

bool present(const val& v) { return !v.isUndefined() && !v.isNull(); }

// A JS number that is a whole number in [0, max]: NaN, infinities, fractions and negatives
// would be undefined behaviour in a cast.
bool whole(double number, double max) { return number >= 0 && number <= max && std::trunc(number) == number; }

Result<double> wholeNumber(double number, const char* name, double max) {
  if (!whole(number, max)) {
    return makeError(ErrorCode::fieldRange, std::string(name) + ": must be a whole number from 0 to " +
                                                std::to_string(static_cast<std::uint64_t>(max)));
  }
  return number;
}

// The time every call carries, in Unix milliseconds.
Result<std::int64_t> timeFrom(double ms) {
  const auto time = wholeNumber(ms, "nowMs", static_cast<double>(kMaxTimeMs));
  if (!time) return time.error();
  return static_cast<std::int64_t>(time.value());
}

// A widget's index among the page's widgets.
Result<int> widgetFrom(double index) {
  const auto widget = wholeNumber(index, "widget", std::numeric_limits<int>::max());
  if (!widget) return widget.error();
  return static_cast<int>(widget.value());
}

// Each converter takes a present JS value into `out`; on the wrong type or range it says what was
// expected.
const char* convert(const val& v, std::string& out) {
  if (!v.isString()) return "a string";
  out = v.as<std::string>();
  return nullptr;
}
const char* convert(const val& v, bool& out) {
  if (!v.isTrue() && !v.isFalse()) return "true or false";
  out = v.isTrue();
  return nullptr;
}
const char* convertWhole(const val& v, double max, double& out) {
  out = v.isNumber() ? v.as<double>() : -1;
  return whole(out, max) ? nullptr : "a whole number of at least 0";
}
template <typename T, typename = std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>>>
const char* convert(const val& v, T& out) {
  double number = 0;
  const char* expected = convertWhole(v, static_cast<double>(std::numeric_limits<T>::max()), number);
  if (!expected) out = static_cast<T>(number);
  return expected;
}

// The fields of one JS object; the first absent or wrong field is remembered, so a caller reads
// them all and checks once.
class Fields {
 public:
  Fields(const val& object, const char* what) : object_(object), what_(what) {
    if (!present(object)) fail(ErrorCode::fieldType, "", "an object");
  }
  template <typename T>
  Fields& required(const char* key, T& out) {
    return read(key, out, true);
  }
  // An absent key leaves `out` as it was: EngineConfig's defaults stay where the page set nothing.
  template <typename T>
  Fields& optional(const char* key, T& out) {
    return read(key, out, false);
  }
  Status status() const { return error_ ? Status(*error_) : Status{}; }

 private:
  template <typename T>
  Fields& read(const char* key, T& out, bool needed) {
    if (error_) return *this;
    const val v = object_[key];
    if (!present(v)) {
      if (needed) fail(ErrorCode::fieldMissing, key, "present");
    } else if (const char* expected = convert(v, out)) {
      fail(ErrorCode::fieldType, key, expected);
    }
    return *this;
  }
  void fail(ErrorCode code, const char* key, const char* expected) {
    error_ = makeError(code, std::string(what_) + (*key ? "." : "") + key + ": must be " + expected);
  }

  val object_;
  const char* what_;
  std::optional<Error> error_;
};

// ---- the configuration: a plain JS object; an absent key keeps EngineConfig's default ----

Result<EngineConfig> configFrom(const val& c) {
  EngineConfig config;
  const Status read = Fields(c, "engine config")
                          .required("site", config.site)
                          .optional("tokenParam", config.shareUrl.tokenParam)
                          .optional("utm", config.shareUrl.utm)
                          .optional("utmCampaign", config.shareUrl.utmCampaign)
                          .optional("subscriberParam", config.subscriberParam)
                          .optional("consentRequired", config.consentRequired)
                          .optional("subscriberNeedsConsent", config.subscriberNeedsConsent)
                          .optional("dedupeWindowMs", config.dedupeWindowMs)
                          .optional("queueCapacity", config.queueLimits.capacity)
                          .optional("summaryIntervalMs", config.summaries.intervalMs)
                          .optional("viewableMs", config.summaries.viewableMs)
                          .optional("activeInputMs", config.summaries.activeInputMs)
                          .optional("flushEvents", config.flushEvents)
                          .optional("flushAgeMs", config.flushAgeMs)
                          .optional("sendTimeoutMs", config.sendTimeoutMs)
                          .optional("backoffBaseMs", config.retry.backoffBaseMs)
                          .optional("backoffMaxMs", config.retry.backoffMaxMs)
                          .optional("cooldownAfterFailures", config.retry.cooldownAfterFailures)
                          .optional("cooldownMs", config.retry.cooldownMs)
                          .optional("persistIntervalMs", config.persistIntervalMs)
                          .status();
  SHARETRACK_RETURN_IF_ERROR(read);
  SHARETRACK_RETURN_IF_ERROR(validateEngineConfig(config));
  return config;
}

// 256 bits from crypto.getRandomValues: eight 32-bit words.
Result<Seed> seedFrom(const val& words) {
  const Error wrong = makeError(ErrorCode::fieldType, "seed: must be eight 32-bit words");
  if (!present(words) || words["length"].as<double>() != 8) return wrong;
  Seed seed{};
  for (unsigned i = 0; i < 8; ++i) {
    std::uint32_t word = 0;
    if (convert(words[i], word)) return wrong;
    seed[i / 2] |= std::uint64_t{word} << (32 * (i % 2));
  }
  return seed;
}

// ---- the collector's answer, as JSON.parse gave it, in core's shape ----

// Only what the engine uses is read: ids, statuses, codes, Retry-After (no messages, no version).
std::optional<EventResult> resultFrom(const val& r) {
  EventResult result;
  std::string status;
  if (!Fields(r, "result")
           .required("id", result.id)
           .required("status", status)
           .optional("code", result.code)
           .status()) {
    return std::nullopt;
  }
  const auto known = eventStatusFromName(status);
  if (!known) return std::nullopt;
  result.status = *known;
  return result;
}

// nullopt when the body has the shape of neither form; the engine checks the values.
std::optional<Answer> answerFrom(const val& body) {
  if (!present(body) || body.typeOf().as<std::string>() != "object" || body.isArray()) return std::nullopt;
  const val error = body["error"];
  if (present(error)) {
    BatchRefusal refusal;
    std::uint32_t retryAfter = 0;
    if (!Fields(error, "error").required("code", refusal.code).optional("retryAfter", retryAfter).status()) {
      return std::nullopt;
    }
    if (present(error["retryAfter"])) refusal.retryAfterSeconds = retryAfter;
    return Answer{std::move(refusal)};
  }
  BatchAnswer answer;
  const val results = body["results"];
  if (!Fields(body, "answer").required("batch", answer.batchId).status() || !results.isArray()) return std::nullopt;
  const auto length = results["length"].as<unsigned>();
  for (unsigned i = 0; i < length; ++i) {
    auto result = resultFrom(results[i]);
    if (!result) return std::nullopt;
    answer.results.push_back(std::move(*result));
  }
  return Answer{std::move(answer)};
}

Result<SendReport> sendReportFrom(const val& r) {
  SendReport report;
  std::string kind;
  SHARETRACK_RETURN_IF_ERROR(Fields(r, "report")
                                 .required("sendId", report.sendId)
                                 .required("kind", kind)
                                 .optional("status", report.status)
                                 .optional("retryAfter", report.retryAfter)
                                 .status());
  const auto known = sendKindFromName(kind);
  if (!known) return makeError(ErrorCode::fieldRange, "report.kind: '" + kind.substr(0, 32) + "' is no send kind");
  report.kind = *known;
  report.answer = answerFrom(r["body"]);
  return report;
}

// ---- the facts of a call, as objects ----

Status landingFrom(const val& page, Landing& landing) {
  return Fields(page, "landing")
      .required("url", landing.url)
      .required("content", landing.content)
      .required("webdriver", landing.automation.webdriver)
      .required("prerendering", landing.automation.prerendering)
      .required("userAgent", landing.automation.userAgent)
      .status();
}

Status shareRequestFrom(const val& request, std::string& content, std::string& channel, std::string& url) {
  return Fields(request, "share")
      .required("content", content)
      .required("channel", channel)
      .required("url", url)
      .status();
}

Status preparedShareFrom(const val& prepared, PreparedShare& share) {
  std::string channelName, parent;
  SHARETRACK_RETURN_IF_ERROR(Fields(prepared, "prepared share")
                                 .required("content", share.content)
                                 .required("channel", channelName)
                                 .required("token", share.token)
                                 .optional("parent", parent)
                                 .required("url", share.url)
                                 .required("eventId", share.eventId)
                                 .status());
  const auto channel = channelFromName(channelName);
  if (!channel) return makeError(ErrorCode::channelUnknown, "channel '" + channelName.substr(0, 32) + "' is unknown");
  share.channel = *channel;
  if (!parent.empty()) share.parent = parent;
  return {};
}

// ---- the engine ----

template <typename Call>
val atTime(double nowMs, Call call) {
  const auto now = timeFrom(nowMs);
  return now ? call(now.value()) : failure(now.error());
}

class WasmEngine {
 public:
  WasmEngine(EngineConfig config, const Seed& seed, std::int64_t nowMs, bool visible, bool focused)
      : engine_(std::move(config), seed, nowMs, visible, focused) {}

  void setPrivacy(bool gpc, bool dnt) { engine_.setPrivacySignals(PrivacySignals{gpc, dnt}); }
  void setConsent(bool granted) { engine_.setConsent(granted); }

  val permissions() const {
    const Permissions p = engine_.permissions();
    val out = val::object();
    out.set("record", p.record);
    out.set("store", p.store);
    out.set("send", p.send);
    out.set("hold", std::string(trackingHoldName(p.hold)));
    return out;
  }

  val mergeVisitor(const std::string& snapshot, double nowMs) {
    return atTime(nowMs, [&](std::int64_t now) { return outcome(engine_.mergeVisitor(snapshot, now)); });
  }

  val adoptQueue(const std::string& snapshot, double nowMs) {
    return atTime(nowMs, [&](std::int64_t now) {
      const auto adopted = engine_.adoptQueue(snapshot, now);
      if (!adopted) return failure(adopted.error());
      val out = success();
      out.set("adopted", static_cast<double>(adopted.value()));
      return out;
    });
  }

  std::string visitorSnapshot() const { return engine_.visitorSnapshot(); }
  // [{name, text}]: each piece of the queue to write, or to remove when its text is empty.
  val takeQueueWrites() {
    val out = val::array();
    int index = 0;
    for (const QueueWrite& write : engine_.takeQueueWrites()) {
      val piece = val::object();
      piece.set("name", write.name);
      piece.set("text", write.text);
      out.set(index++, piece);
    }
    return out;
  }

  val takePersist(double nowMs, bool hiding) {
    return atTime(nowMs, [&](std::int64_t now) {
      const PersistPlan plan = engine_.takePersist(now, hiding);
      val out = success();
      out.set("visitor", plan.visitor);
      out.set("queue", plan.queue);
      out.set("erase", plan.erase);
      return out;
    });
  }

  // page: {url, content, webdriver, prerendering, userAgent}
  val land(const val& page, double nowMs) {
    return atTime(nowMs, [&](std::int64_t now) {
      Landing landing;
      if (const Status read = landingFrom(page, landing); !read) return failure(read.error());
      const auto result = engine_.land(landing, now);
      if (!result) return failure(result.error());
      val out = success();
      out.set("outcome", std::string(landingOutcomeName(result.value().outcome)));
      out.set("addressToken", result.value().addressToken);
      out.set("addressUrl", result.value().addressUrl);
      if (result.value().tokenError) out.set("tokenError", failure(*result.value().tokenError));
      return out;
    });
  }

  // request: {content, channel, url}
  val prepareShare(const val& request, double nowMs) {
    return atTime(nowMs, [&](std::int64_t now) {
      std::string content, channelName, url;
      if (const Status read = shareRequestFrom(request, content, channelName, url); !read) return failure(read.error());
      const auto channel = channelFromName(channelName);
      if (!channel) {
        return failure(makeError(ErrorCode::channelUnknown, "channel '" + channelName.substr(0, 32) + "' is unknown"));
      }
      const auto share = engine_.prepareShare(content, *channel, url, now);
      if (!share) return failure(share.error());
      val out = success();
      out.set("content", share.value().content);
      out.set("channel", channelName);
      out.set("token", share.value().token);
      out.set("parent", share.value().parent ? val(*share.value().parent) : val::null());
      out.set("url", share.value().url);
      out.set("eventId", share.value().eventId);
      return out;
    });
  }

  // prepared: what prepareShare gave
  val commitShare(const val& prepared, double nowMs) {
    return atTime(nowMs, [&](std::int64_t now) {
      PreparedShare share;
      if (const Status read = preparedShareFrom(prepared, share); !read) return failure(read.error());
      return recordedOutcome(engine_.commitShare(share, now));
    });
  }

  // conversion: the page's name and value, their types checked by the shell. Plain arguments, no
  // object to read: this is the call a burst of page calls makes thousands of times.
  val conversion(const std::string& name, double value, double nowMs) {
    return atTime(nowMs, [&](std::int64_t now) { return recordedOutcome(engine_.conversion(name, value, now)); });
  }

  val widgetRendered(const std::string& content, double widget, double nowMs) {
    return atTime(nowMs, [&](std::int64_t now) {
      const auto index = widgetFrom(widget);
      return index ? recordedOutcome(engine_.widgetRendered(content, index.value(), now)) : failure(index.error());
    });
  }

  val viewport(const std::string& content, double widget, double ratio, double nowMs) {
    return atTime(nowMs, [&](std::int64_t now) {
      const auto index = widgetFrom(widget);
      if (!index) return failure(index.error());
      engine_.viewport(content, index.value(), ratio, now);
      return success();
    });
  }

  val pageVisible(bool visible, double nowMs) {
    return atTime(nowMs, [&](std::int64_t now) {
      engine_.pageVisible(visible, now);
      return success();
    });
  }
  val pageFocused(bool focused, double nowMs) {
    return atTime(nowMs, [&](std::int64_t now) {
      engine_.pageFocused(focused, now);
      return success();
    });
  }
  val input(double nowMs) {
    return atTime(nowMs, [&](std::int64_t now) {
      engine_.input(now);
      return success();
    });
  }
  val videoTime(const std::string& content, double position, double duration, double nowMs) {
    return atTime(nowMs, [&](std::int64_t now) {
      engine_.videoTime(content, position, duration, now);
      return success();
    });
  }
  val videoSeeking(const std::string& content, double nowMs) {
    return atTime(nowMs, [&](std::int64_t now) {
      engine_.videoSeeking(content, now);
      return success();
    });
  }
  val videoEnded(const std::string& content, double nowMs) {
    return atTime(nowMs, [&](std::int64_t now) {
      engine_.videoEnded(content, now);
      return success();
    });
  }
  val copied(const std::string& content, double nowMs) {
    return atTime(nowMs, [&](std::int64_t now) {
      engine_.copied(content, now);
      return success();
    });
  }
  void flush() { engine_.flush(); }

  // {ok: true, batch: {sendId, body, beacon, keepalive, events} or null}
  val nextSend(double nowMs, bool unloading) {
    return atTime(nowMs, [&](std::int64_t now) {
      const auto batch = engine_.nextSend(now, unloading);
      val out = success();
      if (!batch) {
        out.set("batch", val::null());
        return out;
      }
      val b = val::object();
      b.set("sendId", batch->sendId);
      b.set("body", batch->text);
      b.set("beacon", batch->beacon);
      b.set("keepalive", batch->keepalive);
      b.set("events", static_cast<double>(batch->eventIds.size()));
      out.set("batch", b);
      return out;
    });
  }

  // report: {sendId, kind, status, body (JSON.parse of the answer, or null), retryAfter}
  val reportSend(const val& report, double nowMs) {
    return atTime(nowMs, [&](std::int64_t now) {
      const auto read = sendReportFrom(report);
      if (!read) return failure(read.error());
      engine_.reportSend(read.value(), now);
      return success();
    });
  }

  val nextWakeAt() const {
    const auto at = engine_.nextWakeAt();
    return at ? val(static_cast<double>(*at)) : val::null();
  }

  val intakeRoom() const {
    const auto room = engine_.intakeRoom();
    return room ? val(static_cast<double>(*room)) : val::null();
  }

 private:
  Engine engine_;
};

// The engines of this module instance, by handle (a page has one; tests make many). Free functions
// on a handle instead of an Embind class keep Embind's class machinery, about a third of its glue,
// out of the download; declare-exports.js makes each handle an object again (Module.engineOf).
std::vector<std::unique_ptr<WasmEngine>> engines;  // a deleted engine leaves nullptr

WasmEngine* engineAt(double handle) {
  if (engines.empty() || !whole(handle, static_cast<double>(engines.size() - 1))) return nullptr;
  return engines[static_cast<std::size_t>(handle)].get();
}

// What a call on a handle that names no engine gives: a refusal where the call has an outcome.
template <typename R>
R noEngine() {
  if constexpr (std::is_same_v<R, val>) {
    return failure(makeError(ErrorCode::fieldRange, "engine: no engine has this handle (deleted?)"));
  } else if constexpr (!std::is_void_v<R>) {
    return R{};
  }
}

// WasmEngine's method M as a free function of (handle, arguments...).
template <auto M>
struct OnHandle;
template <typename R, typename... A, R (WasmEngine::*M)(A...)>
struct OnHandle<M> {
  static R call(double handle, A... args) {
    WasmEngine* engine = engineAt(handle);
    if (!engine) return noEngine<R>();
    return (engine->*M)(args...);
  }
};
template <typename R, typename... A, R (WasmEngine::*M)(A...) const>
struct OnHandle<M> {
  static R call(double handle, A... args) {
    const WasmEngine* engine = engineAt(handle);
    if (!engine) return noEngine<R>();
    return (engine->*M)(args...);
  }
};

// {ok: true, engine: handle} or the failure of the configuration, the seed or the time.
val createEngine(const val& config, const val& seed, double nowMs, bool visible, bool focused) {
  const auto parsed = configFrom(config);
  if (!parsed) return failure(parsed.error());
  const auto words = seedFrom(seed);
  if (!words) return failure(words.error());
  return atTime(nowMs, [&](std::int64_t now) {
    engines.push_back(std::make_unique<WasmEngine>(parsed.value(), words.value(), now, visible, focused));
    val out = success();
    out.set("engine", static_cast<double>(engines.size() - 1));
    return out;
  });
}

void deleteEngine(double handle) {
  if (engineAt(handle)) engines[static_cast<std::size_t>(handle)].reset();
}

}  // namespace

EMSCRIPTEN_BINDINGS(sharetrack) {
  using emscripten::function;
  function("createEngine", &createEngine);
  function("deleteEngine", &deleteEngine);
  function("setPrivacy", &OnHandle<&WasmEngine::setPrivacy>::call);
  function("setConsent", &OnHandle<&WasmEngine::setConsent>::call);
  function("permissions", &OnHandle<&WasmEngine::permissions>::call);
  function("mergeVisitor", &OnHandle<&WasmEngine::mergeVisitor>::call);
  function("adoptQueue", &OnHandle<&WasmEngine::adoptQueue>::call);
  function("visitorSnapshot", &OnHandle<&WasmEngine::visitorSnapshot>::call);
  function("takeQueueWrites", &OnHandle<&WasmEngine::takeQueueWrites>::call);
  function("takePersist", &OnHandle<&WasmEngine::takePersist>::call);
  function("land", &OnHandle<&WasmEngine::land>::call);
  function("prepareShare", &OnHandle<&WasmEngine::prepareShare>::call);
  function("commitShare", &OnHandle<&WasmEngine::commitShare>::call);
  function("conversion", &OnHandle<&WasmEngine::conversion>::call);
  function("widgetRendered", &OnHandle<&WasmEngine::widgetRendered>::call);
  function("viewport", &OnHandle<&WasmEngine::viewport>::call);
  function("pageVisible", &OnHandle<&WasmEngine::pageVisible>::call);
  function("pageFocused", &OnHandle<&WasmEngine::pageFocused>::call);
  function("input", &OnHandle<&WasmEngine::input>::call);
  function("videoTime", &OnHandle<&WasmEngine::videoTime>::call);
  function("videoSeeking", &OnHandle<&WasmEngine::videoSeeking>::call);
  function("videoEnded", &OnHandle<&WasmEngine::videoEnded>::call);
  function("copied", &OnHandle<&WasmEngine::copied>::call);
  function("flush", &OnHandle<&WasmEngine::flush>::call);
  function("nextSend", &OnHandle<&WasmEngine::nextSend>::call);
  function("reportSend", &OnHandle<&WasmEngine::reportSend>::call);
  function("nextWakeAt", &OnHandle<&WasmEngine::nextWakeAt>::call);
  function("intakeRoom", &OnHandle<&WasmEngine::intakeRoom>::call);
}
