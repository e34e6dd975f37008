#include "sharetrack/engine.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <string>

#include "sharetrack/batch_decode.hpp"
#include "sharetrack/batch_encode.hpp"
#include "sharetrack/crc24.hpp"
#include "support/engine_harness.hpp"
#include "support/vectors.hpp"
#include "support/wire_names.hpp"

using namespace sharetrack;

namespace {

std::string substitute(std::string text, const std::string& address, const std::string& shared) {
  for (const auto& [name, value] : {std::pair<std::string, std::string>{"$address", address}, {"$shared", shared}}) {
    for (auto at = text.find(name); at != std::string::npos; at = text.find(name)) text.replace(at, name.size(), value);
  }
  return text;
}

// The clickback the last landing queued, decoded back from its wire form.
ClickbackEvent lastClickback(const Engine& engine) {
  for (auto it = engine.queue().events().rbegin(); it != engine.queue().events().rend(); ++it) {
    const BatchHeader header = test::batchHeader();
    const auto decoded = decodeBatch(encodeBatchText(header, {it->json}));
    if (const auto* c = std::get_if<ClickbackEvent>(&decoded.value().events[0].event.value().body)) return *c;
  }
  FAIL("no clickback queued");
  return {};
}

// Everything queued, acknowledged as the collector would, answering `status`.
SendReport answerAll(const OutgoingBatch& batch) {
  const auto decoded = decodeBatch(batch.text);
  BatchAnswer answer;
  answer.batchId = decoded.value().header.id;
  for (const auto& id : batch.eventIds) answer.results.push_back({id, EventStatus::accepted, "", ""});
  SendReport report = test::sendReport(batch.sendId, SendKind::answered);
  report.status = 200;
  report.answer = Answer{answer};
  return report;
}

SendReport httpStatus(const OutgoingBatch& batch, int status, std::string retryAfter = "") {
  SendReport report = test::sendReport(batch.sendId, SendKind::answered);
  report.status = status;
  report.retryAfter = std::move(retryAfter);
  return report;
}

}  // namespace

TEST_CASE("landing and share scenario vectors", "[engine]") {
  const auto vectors = test::loadVectors("landings.json");
  for (const auto& scenario : vectors["scenarios"]) {
    INFO(scenario["why"].get<std::string>());
    EngineConfig config = test::testConfig();
    if (scenario.contains("config")) config.subscriberParam = scenario["config"].value("subscriberParam", "");
    PrivacySignals signals;
    if (scenario.contains("privacy")) signals.globalPrivacyControl = scenario["privacy"].value("gpc", false);
    const std::string userAgent = scenario.contains("automation")
                                      ? scenario["automation"]["userAgent"].get<std::string>()
                                      : vectors["userAgent"].get<std::string>();
    const bool webdriver = scenario.contains("automation") && scenario["automation"].value("webdriver", false);
    const PageAutomationFacts automation{webdriver, false, userAgent};

    test::BrowserProfile browser;
    auto engine = browser.open(config, signals);
    std::string address, shared;
    for (const auto& step : scenario["steps"]) {
      const auto action = step["do"].get<std::string>();
      INFO("step " << step.dump());
      const nlohmann::json expect = step.value("expect", nlohmann::json::object());
      if (action == "reload") {
        browser.persist(*engine, true);
        engine = browser.open(config, signals);
      } else if (action == "advance") {
        browser.nowMs += step["ms"].get<std::int64_t>();
      } else if (action == "land") {
        const auto url = substitute(step["url"].get<std::string>(), address, shared);
        const auto landing = engine->land(Landing{url, "t-42", automation}, browser.nowMs);
        REQUIRE(landing.ok());
        const auto& result = landing.value();
        CHECK(std::string(landingOutcomeName(result.outcome)) == expect["outcome"].get<std::string>());
        if (expect.contains("sameAddress"))
          CHECK((result.addressToken == address) == expect["sameAddress"].get<bool>());
        address = result.addressToken;
        if (expect.contains("addressUrl")) {
          CHECK(result.addressUrl == substitute(expect["addressUrl"].get<std::string>(), address, shared));
        }
        if (expect.contains("addressParent")) {
          const auto& own = engine->visitor().addressTokens.at("t-42");
          CHECK(own.token == address);
          CHECK(own.parent == (expect["addressParent"].is_null()
                                   ? std::nullopt
                                   : std::optional<std::string>(expect["addressParent"].get<std::string>())));
        }
        if (expect.contains("addressDepth") || expect.contains("addressSaturated")) {
          const auto token = parseToken(address).value();
          CHECK(token.channel == Channel::addressbar);
          CHECK(token.depth == expect.value("addressDepth", int{token.depth}));
          CHECK(token.depthSaturated == expect.value("addressSaturated", false));
        }
        if (expect.contains("tokenError")) {
          REQUIRE(result.tokenError);
          CHECK(errorCodeName(result.tokenError->code) == expect["tokenError"].get<std::string>());
        }
        if (expect.contains("self")) CHECK(lastClickback(*engine).selfClick == expect["self"].get<bool>());
        if (expect.contains("bot")) CHECK(lastClickback(*engine).botSignals == botWebdriver);
        if (expect.contains("subscriber"))
          CHECK(engine->visitor().subscriberId == expect["subscriber"].get<std::string>());
      } else if (action == "render") {
        REQUIRE(engine->widgetRendered(step["content"].get<std::string>(), 1, browser.nowMs).value());
      } else if (action == "share") {
        const auto channel = *channelFromName(step["channel"].get<std::string>());
        const auto page = vectors["page"].get<std::string>() + (expect.contains("untracked") ? "?a=1&st=old" : "");
        const auto prepared = engine->prepareShare(step.value("content", "t-42"), channel, page, browser.nowMs);
        REQUIRE(prepared.ok());
        if (expect.contains("untracked")) {
          CHECK(prepared.value().token.empty());
          CHECK(prepared.value().url == expect["url"].get<std::string>());
          CHECK_FALSE(engine->commitShare(prepared.value(), browser.nowMs).value());
          continue;
        }
        REQUIRE(engine->commitShare(prepared.value(), browser.nowMs).value());
        shared = prepared.value().token;
        const auto token = parseToken(shared).value();
        CHECK(token.channel == channel);
        CHECK(token.depth == expect["depth"].get<int>());
        CHECK(token.depthSaturated == expect.value("saturated", false));
        CHECK(prepared.value().parent == (expect["parent"].is_null()
                                              ? std::nullopt
                                              : std::optional<std::string>(expect["parent"].get<std::string>())));
        CHECK(prepared.value().url == vectors["page"].get<std::string>() + "?st=" + shared);
      } else if (action == "expectQueued") {
        CHECK(test::queuedOfType(*engine, "clickback") == step.value("clickbacks", 0u));
        if (step.contains("shares")) CHECK(test::queuedOfType(*engine, "share") == step["shares"].get<std::size_t>());
      } else {
        FAIL("unknown step " << action);
      }
      browser.persist(*engine);
    }
  }
}

TEST_CASE("shares and clickbacks are persisted before the call returns and summaries later", "[engine]") {
  EngineConfig config = test::testConfig();
  config.summaries.intervalMs = 1000;
  config.persistIntervalMs = 3000;
  test::BrowserProfile browser;
  auto engine = browser.open(config);
  const auto t0 = browser.nowMs;
  REQUIRE(engine->widgetRendered("t-42", 0, t0).value());
  const auto share = engine->prepareShare("t-42", Channel::x, "https://brand.example/p", t0).value();
  REQUIRE(engine->commitShare(share, t0).value());
  const PersistPlan plan = engine->takePersist(t0, false);
  CHECK(plan.visitor);
  CHECK(plan.queue);

  engine->copied("t-42", t0 + 1500);
  CHECK_FALSE(engine->nextSend(t0 + 1500, false));  // collects the due summary; nothing to send yet
  CHECK(test::queuedOfType(*engine, "summary") == 1);
  CHECK_FALSE(engine->takePersist(t0 + 1500, false).queue);  // summaries: at most every 3 s
  CHECK(engine->takePersist(t0 + 1500, true).queue);         // and when the page hides

  // What the collector acknowledged leaves storage at once, whatever the interval.
  engine->flush();
  const auto batch = engine->nextSend(t0 + 1600, false);
  REQUIRE(batch);
  engine->reportSend(answerAll(*batch), t0 + 1600);
  CHECK(engine->queue().size() == 0);
  CHECK(engine->takePersist(t0 + 1600, false).queue);
}

TEST_CASE("a native share sheet that is cancelled leaves no event and committing twice counts once", "[engine]") {
  test::BrowserProfile browser;
  auto engine = browser.open(test::testConfig());
  REQUIRE(engine->widgetRendered("t-42", 0, browser.nowMs).ok());
  const auto cancelled = engine->prepareShare("t-42", Channel::native, "https://brand.example/p", browser.nowMs);
  REQUIRE(cancelled.ok());
  CHECK(test::queuedOfType(*engine, "share") == 0);
  const auto done = engine->prepareShare("t-42", Channel::native, "https://brand.example/p", browser.nowMs).value();
  CHECK(engine->commitShare(done, browser.nowMs).value());
  CHECK_FALSE(engine->commitShare(done, browser.nowMs).value());
  CHECK(test::queuedOfType(*engine, "share") == 1);
  CHECK(engine->summaries().current("t-42")->shares[static_cast<std::size_t>(Channel::native)] == 1);
}

TEST_CASE("bad inputs get named errors and change nothing", "[engine]") {
  test::BrowserProfile browser;
  auto engine = browser.open(test::testConfig());
  const PageAutomationFacts human{false, false, "Mozilla/5.0 Firefox/133.0"};
  CHECK(engine->land(Landing{"not a url", "t-42", human}, browser.nowMs).error().code == ErrorCode::urlMalformed);
  CHECK(engine->land(Landing{"https://a.example/", "t 42", human}, browser.nowMs).error().code ==
        ErrorCode::contentInvalid);
  CHECK(engine->prepareShare("t-42", Channel::addressbar, "https://a.example/", browser.nowMs).error().code ==
        ErrorCode::channelNotShareable);
  CHECK(engine->prepareShare("t-42", Channel::x, "ftp://a.example/", browser.nowMs).error().code ==
        ErrorCode::urlScheme);
  CHECK(engine->conversion("sign up", 1, browser.nowMs).error().code == ErrorCode::conversionInvalid);
  CHECK(engine->conversion("signup", 1e13, browser.nowMs).error().code == ErrorCode::conversionInvalid);
  CHECK(engine->widgetRendered("", 0, browser.nowMs).error().code == ErrorCode::contentInvalid);
  CHECK(engine->mergeVisitor("garbage", browser.nowMs).error().code == ErrorCode::snapshotForeign);
  CHECK(engine->adoptQueue("sharetrack-queue 1\ne 1 0 evt-00000001 - {}\ncrc 000000", browser.nowMs).error().code ==
        ErrorCode::snapshotCorrupt);
  CHECK(engine->queue().size() == 0);
  CHECK(engine->conversion("signup", 49.5, browser.nowMs).value());
  CHECK(engine->queue().size() == 1);
}

TEST_CASE("with consent required nothing is stored or sent before consent and everything after", "[engine]") {
  EngineConfig config = test::testConfig();
  config.consentRequired = true;
  test::BrowserProfile browser;
  browser.visitorSnapshot = "left by an earlier grant";
  auto engine = browser.open(config);
  CHECK(engine->permissions().hold == TrackingHold::consentPending);
  const PageAutomationFacts human{false, false, "Mozilla/5.0 Firefox/133.0"};
  REQUIRE(engine->land(Landing{"https://brand.example/p?st=BIAAD6AEjRWeJq83veg0b", "t-42", human}, browser.nowMs).ok());
  CHECK(engine->queue().size() == 1);      // held in memory
  CHECK(browser.visitorSnapshot.empty());  // not even read: erased as tracking is not allowed yet
  CHECK_FALSE(engine->nextSend(browser.nowMs + 60000, false));
  CHECK_FALSE(engine->nextSend(browser.nowMs + 60000, true));

  engine->setConsent(true);
  browser.persist(*engine);
  CHECK_FALSE(browser.visitorSnapshot.empty());
  CHECK_FALSE(browser.queuePieces.empty());
  engine->flush();
  const auto batch = engine->nextSend(browser.nowMs + 1, false);
  REQUIRE(batch);
  CHECK(batch->eventIds.size() == 2);  // the clickback and the page's summary, both held until now
  CHECK(batch->text.find("\"type\":\"clickback\"") != std::string::npos);
  CHECK(batch->text.find("\"type\":\"summary\"") != std::string::npos);
}

TEST_CASE("a denial forgets what was held and erases what was stored", "[engine]") {
  EngineConfig config = test::testConfig();
  config.consentRequired = true;
  test::BrowserProfile browser;
  auto engine = browser.open(config);
  engine->setConsent(true);
  REQUIRE(engine->conversion("signup", 1, browser.nowMs).value());
  browser.persist(*engine);
  REQUIRE_FALSE(browser.queuePieces.empty());
  engine->setConsent(false);
  CHECK(engine->queue().size() == 0);
  browser.persist(*engine);
  CHECK(browser.queuePieces.empty());
  CHECK(browser.visitorSnapshot.empty());
  CHECK_FALSE(engine->conversion("signup", 1, browser.nowMs).value());
}

TEST_CASE("the subscriber id travels only with explicit consent", "[engine]") {
  for (bool consentRequired : {false, true}) {
    EngineConfig config = test::testConfig();
    config.subscriberParam = "sub";
    config.consentRequired = consentRequired;
    test::BrowserProfile browser;
    auto engine = browser.open(config);
    if (consentRequired) engine->setConsent(true);
    const PageAutomationFacts human{false, false, "Mozilla/5.0 Firefox/133.0"};
    REQUIRE(engine->land(Landing{"https://brand.example/p?sub=crm-1", "t-42", human}, browser.nowMs).ok());
    REQUIRE(engine->conversion("signup", 1, browser.nowMs).ok());
    engine->flush();
    const auto batch = engine->nextSend(browser.nowMs, false);
    REQUIRE(batch);
    CHECK(decodeBatch(batch->text).value().header.subscriber ==
          (consentRequired ? std::optional<std::string>("crm-1") : std::nullopt));
  }
}

TEST_CASE("where consent is not required, a yes lets the subscriber id travel and a no turns tracking off",
          "[engine]") {
  EngineConfig config = test::testConfig();
  config.subscriberParam = "sub";
  test::BrowserProfile browser;
  auto engine = browser.open(config);
  const PageAutomationFacts human{false, false, "Mozilla/5.0 Firefox/133.0"};
  REQUIRE(engine->land(Landing{"https://brand.example/p?sub=crm-1", "t-42", human}, browser.nowMs).ok());
  engine->setConsent(true);
  REQUIRE(engine->conversion("signup", 1, browser.nowMs).ok());
  engine->flush();
  const auto batch = engine->nextSend(browser.nowMs, false);
  REQUIRE(batch);
  CHECK(decodeBatch(batch->text).value().header.subscriber == std::optional<std::string>("crm-1"));

  engine->setConsent(false);
  CHECK_FALSE(engine->permissions().record);
  CHECK(engine->permissions().hold == TrackingHold::consentDenied);
  CHECK(engine->takePersist(browser.nowMs, false).erase);
  CHECK_FALSE(engine->conversion("signup", 1, browser.nowMs).value());
}

TEST_CASE("batches leave by count or by age or on request and one at a time", "[engine]") {
  EngineConfig config = test::testConfig();
  config.flushEvents = 3;
  config.flushAgeMs = 5000;
  test::BrowserProfile browser;
  auto engine = browser.open(config);
  const auto t0 = browser.nowMs;
  REQUIRE(engine->conversion("a", 1, t0).ok());
  REQUIRE(engine->conversion("b", 1, t0).ok());
  CHECK_FALSE(engine->nextSend(t0, false));
  CHECK(engine->nextWakeAt() == std::optional<std::int64_t>(t0 + 5000));
  REQUIRE(engine->conversion("c", 1, t0).ok());
  auto batch = engine->nextSend(t0, false);
  REQUIRE(batch);
  CHECK(batch->eventIds.size() == 3);
  REQUIRE(engine->conversion("d", 1, t0).ok());
  engine->flush();
  CHECK_FALSE(engine->nextSend(t0, false));  // one send at a time
  engine->reportSend(answerAll(*batch), t0 + 100);
  CHECK(engine->queue().size() == 1);
  batch = engine->nextSend(t0 + 100, false);  // the flush request still stands
  REQUIRE(batch);
  engine->reportSend(answerAll(*batch), t0 + 200);
  REQUIRE(engine->conversion("e", 1, t0 + 300).ok());
  CHECK_FALSE(engine->nextSend(t0 + 5299, false));
  CHECK(engine->nextSend(t0 + 5300, false));  // by age
}

TEST_CASE("a burst of calls is held back only while a send under way will make room", "[engine]") {
  EngineConfig config = test::testConfig();
  config.flushEvents = 2;
  config.queueLimits.capacity = 5;
  test::BrowserProfile browser;
  auto engine = browser.open(config);
  const auto t0 = browser.nowMs;
  CHECK_FALSE(engine->intakeRoom());  // nothing under way: calls go in
  REQUIRE(engine->conversion("a", 1, t0).ok());
  REQUIRE(engine->conversion("b", 1, t0).ok());
  const auto batch = engine->nextSend(t0, false);
  REQUIRE(batch);
  CHECK(engine->intakeRoom() == std::optional<std::size_t>(3));
  for (const char* name : {"c", "d", "e"}) REQUIRE(engine->conversion(name, 1, t0).ok());
  CHECK(engine->intakeRoom() == std::optional<std::size_t>(0));  // one more would drop "c"
  engine->reportSend(answerAll(*batch), t0 + 10);
  CHECK_FALSE(engine->intakeRoom());
  CHECK(engine->queue().size() == 3);
  CHECK(engine->queue().pendingDrops().queueOverflow == 0);

  SECTION("a tenth of a larger queue stays for the engine's own events") {
    EngineConfig larger = config;
    larger.queueLimits.capacity = 20;
    auto other = browser.open(larger);
    REQUIRE(other->conversion("a", 1, t0).ok());
    REQUIRE(other->conversion("b", 1, t0).ok());
    REQUIRE(other->nextSend(t0, false));
    CHECK(other->intakeRoom() == std::optional<std::size_t>(20 - 2 - 2));
  }

  SECTION("a send that fails makes no room by waiting: calls go in, the cap applies") {
    const auto second = engine->nextSend(t0 + 10, false);
    REQUIRE(second);
    engine->reportSend(httpStatus(*second, 503), t0 + 20);
    CHECK_FALSE(engine->intakeRoom());
  }
}

TEST_CASE("what each answer does to the events and to the schedule", "[engine]") {
  EngineConfig config = test::testConfig();
  config.flushEvents = 1;
  config.retry.backoffBaseMs = 1000;
  config.retry.cooldownAfterFailures = 4;
  config.retry.cooldownMs = 600000;
  test::BrowserProfile browser;
  auto engine = browser.open(config);
  std::int64_t now = browser.nowMs;
  REQUIRE(engine->conversion("signup", 1, now).ok());

  SECTION("429 with Retry-After: kept, no attempt before it") {
    auto batch = engine->nextSend(now, false);
    engine->reportSend(httpStatus(*batch, 429, "120"), now);
    CHECK(engine->queue().size() == 1);
    CHECK_FALSE(engine->nextSend(now + 119999, false));
    CHECK_FALSE(engine->nextSend(now + 119999, true));  // not even as the page hides
    CHECK(engine->nextSend(now + 120000, false));
  }
  SECTION("a Retry-After heard after the send timed out still holds the next attempts") {
    auto batch = engine->nextSend(now, false);
    const std::int64_t late = now + config.sendTimeoutMs;
    CHECK_FALSE(engine->nextSend(late, false));  // timed out: a failure, its events back in the queue
    CHECK(engine->visitor().health.failures == 1);
    engine->reportSend(httpStatus(*batch, 429, "120"), late + 10);
    CHECK(engine->visitor().health.failures == 1);  // not counted twice
    CHECK_FALSE(engine->nextSend(late + 120009, false));
    CHECK(engine->nextSend(late + 120010, false));
  }
  SECTION("an answer to a batch that left before another tab's Retry-After does not end that hold") {
    auto batch = engine->nextSend(now, false);  // in flight while the other tab is refused
    browser.persist(*engine);
    auto other = browser.open(config);
    REQUIRE(other->conversion("signup", 2, now + 10).ok());
    auto refused = other->nextSend(now + 10, false);
    REQUIRE(refused);
    other->reportSend(httpStatus(*refused, 429, "120"), now + 20);
    browser.persist(*other);
    REQUIRE(engine->mergeVisitor(browser.visitorSnapshot, now + 30).ok());  // as a page back from the bfcache
    engine->reportSend(answerAll(*batch), now + 40);
    CHECK(engine->queue().size() == 0);  // its events are delivered all the same
    REQUIRE(engine->conversion("signup", 3, now + 50).ok());
    CHECK_FALSE(engine->nextSend(now + 50, false));
    CHECK_FALSE(engine->nextSend(now + 120019, true));
    CHECK(engine->nextSend(now + 120020, false));
  }
  SECTION("5xx, network errors and unreadable answers back off; a cooldown follows; success clears it") {
    for (int failure = 0; failure < 4; ++failure) {
      auto batch = engine->nextSend(now, false);
      REQUIRE(batch);
      SendReport report =
          failure % 2 ? httpStatus(*batch, 503) : test::sendReport(batch->sendId, SendKind::networkError);
      if (failure == 2) report = httpStatus(*batch, 200);  // a 200 whose body is not an answer
      engine->reportSend(report, now);
      REQUIRE(engine->nextWakeAt());
      now = *engine->nextWakeAt();
    }
    CHECK(inCooldown(engine->visitor().health, now - 1));
    CHECK(now >= browser.nowMs + 600000);
    CHECK_FALSE(engine->nextSend(now - 1, true));  // no beacon into a cooldown either
    auto batch = engine->nextSend(now, false);
    REQUIRE(batch);
    engine->reportSend(answerAll(*batch), now);
    CHECK(engine->queue().size() == 0);
    CHECK(engine->visitor().health.failures == 0);
  }
  SECTION("the cooldown is remembered across page loads") {
    for (int failure = 0; failure < 4; ++failure) {
      auto batch = engine->nextSend(now, false);
      engine->reportSend(test::sendReport(batch->sendId, SendKind::networkError), now);
      now = *engine->nextWakeAt();
    }
    browser.persist(*engine, true);
    browser.nowMs = now - 1000;
    auto next = browser.open(config);
    CHECK(next->queue().size() == 1);
    next->flush();
    CHECK_FALSE(next->nextSend(now - 1000, false));
    CHECK(next->nextSend(now, false));
  }
  SECTION("400 with a code: the batch is dropped and counted in the next batch") {
    auto batch = engine->nextSend(now, false);
    SendReport report = httpStatus(*batch, 400);
    report.answer = Answer{BatchRefusal{1, "field_charset", "site: only a-z 0-9 - _", std::nullopt}};
    engine->reportSend(report, now);
    CHECK(engine->queue().size() == 0);
    batch = engine->nextSend(now, false);  // the drop report goes out on its own
    REQUIRE(batch);
    CHECK(decodeBatch(batch->text).value().header.dropped.rejected.at("field_charset") == 1);
    engine->reportSend(answerAll(*batch), now);
    CHECK(engine->queue().pendingDrops().rejected.empty());
  }
  SECTION("400 unsupported_version from an older collector: kept for its upgrade") {
    auto batch = engine->nextSend(now, false);
    SendReport report = httpStatus(*batch, 400);
    report.answer = Answer{BatchRefusal{1, "unsupported_version", "", std::nullopt}};
    engine->reportSend(report, now);
    CHECK(engine->queue().size() == 1);
    CHECK(engine->visitor().health.failures == 1);
  }
  SECTION("a rejected event is dropped and reported; its neighbours are done") {
    REQUIRE(engine->conversion("second", 2, now).ok());
    engine->flush();
    auto batch = engine->nextSend(now, false);
    REQUIRE(batch->eventIds.size() == 2);
    SendReport report = answerAll(*batch);
    auto& answer = std::get<BatchAnswer>(*report.answer);
    answer.results[1] = {batch->eventIds[1], EventStatus::rejected, "quota_exceeded", ""};
    engine->reportSend(report, now);
    CHECK(engine->queue().size() == 0);
    CHECK(engine->queue().pendingDrops().rejected.at("quota_exceeded") == 1);
  }
  SECTION("an answer for another batch is no acknowledgement") {
    auto batch = engine->nextSend(now, false);
    SendReport report = answerAll(*batch);
    std::get<BatchAnswer>(*report.answer).batchId = "someone-elses";
    engine->reportSend(report, now);
    CHECK(engine->queue().size() == 1);
  }
  SECTION("a send with no report in time has failed; its late report changes nothing") {
    auto batch = engine->nextSend(now, false);
    CHECK(engine->nextWakeAt() == std::optional<std::int64_t>(now + config.sendTimeoutMs));
    CHECK_FALSE(engine->nextSend(now + config.sendTimeoutMs - 1, false));
    now += config.sendTimeoutMs;
    CHECK_FALSE(engine->nextSend(now, false));  // failed now, backing off
    engine->reportSend(answerAll(*batch), now);
    CHECK(engine->queue().size() == 1);
  }
  SECTION("413: each batch carries half the events of the refused one; a lone event refused is dropped") {
    for (int i = 0; i < 9; ++i) REQUIRE(engine->conversion("more", i, now).ok());
    std::vector<std::size_t> sizes;
    for (int attempt = 0; attempt < 4; ++attempt) {
      engine->flush();
      const auto batch = engine->nextSend(now, false);
      REQUIRE(batch);
      sizes.push_back(batch->eventIds.size());
      engine->reportSend(httpStatus(*batch, 413), now);
      CHECK(engine->visitor().health.failures == 0);  // the collector is there: no backoff
    }
    CHECK(sizes == std::vector<std::size_t>{10, 5, 2, 1});
    CHECK(engine->queue().size() == 9);  // the lone refused event is gone, the others wait
    CHECK(engine->queue().pendingDrops().rejected.at("batch_too_large") == 1);

    engine->flush();
    auto batch = engine->nextSend(now, false);
    REQUIRE(batch);
    CHECK(batch->eventIds.size() == 1);  // still one at a time until a batch is accepted
    CHECK(decodeBatch(batch->text).value().header.dropped.rejected.at("batch_too_large") == 1);
    engine->reportSend(answerAll(*batch), now);
    engine->flush();
    batch = engine->nextSend(now, false);
    REQUIRE(batch);
    CHECK(batch->eventIds.size() == 8);  // accepted once: full batches again
  }
}

TEST_CASE("beaconed events stay pending until an acknowledged send covers them", "[engine]") {
  test::BrowserProfile browser;
  auto engine = browser.open(test::testConfig());
  const auto now = browser.nowMs;
  REQUIRE(engine->widgetRendered("t-42", 0, now).ok());
  REQUIRE(engine->conversion("signup", 1, now).ok());
  engine->pageVisible(false, now);  // hiding: the summary joins the queue at once
  auto beacon = engine->nextSend(now, true);
  REQUIRE(beacon);
  CHECK(beacon->beacon);
  CHECK(beacon->text.size() <= kMaxUnloadBatchBytes);
  CHECK(beacon->eventIds.size() == 2);
  engine->reportSend(test::sendReport(beacon->sendId, SendKind::beaconQueued), now);
  CHECK(engine->queue().size() == 2);
  CHECK_FALSE(engine->nextSend(now, true));  // nothing new for another beacon

  browser.persist(*engine, true);
  auto next = browser.open(test::testConfig());  // the next page load sends them again by fetch
  next->flush();
  auto batch = next->nextSend(browser.nowMs, false);
  REQUIRE(batch);
  CHECK(batch->eventIds == beacon->eventIds);
}

TEST_CASE("a refused beacon's events go with the next beacon", "[engine]") {
  test::BrowserProfile browser;
  auto engine = browser.open(test::testConfig());
  REQUIRE(engine->conversion("signup", 1, browser.nowMs).ok());
  auto beacon = engine->nextSend(browser.nowMs, true);
  REQUIRE(beacon);
  engine->reportSend(test::sendReport(beacon->sendId, SendKind::beaconRefused), browser.nowMs);
  const auto again = engine->nextSend(browser.nowMs, true);
  REQUIRE(again);
  CHECK(again->eventIds == beacon->eventIds);
}

TEST_CASE("landing outcomes and send kinds have their wire names from wire_names.json", "[engine]") {
  test::checkWireNames<LandingOutcome>("landingOutcomes", kLandingOutcomeCount, landingOutcomeName,
                                       landingOutcomeFromName);
  test::checkWireNames<SendKind>("sendKinds", kSendKindCount, sendKindName, sendKindFromName);
}

TEST_CASE("tampered snapshot vectors: stored state out of range is refused whole and the tab goes on clean",
          "[engine]") {
  const auto vectors = test::loadVectors("tampered_snapshots.json");
  const std::int64_t now = vectors["now"].get<std::int64_t>();
  for (const auto& v : vectors["visitor"]) {
    INFO(v["why"].get<std::string>());
    test::BrowserProfile browser;
    browser.nowMs = now;
    auto engine = browser.open(test::testConfig());
    const Status merged = engine->mergeVisitor(v["text"].get<std::string>(), now);
    CHECK(merged.ok() == v["accepted"].get<bool>());
    if (merged.ok()) continue;
    CHECK(merged.error().code == ErrorCode::snapshotCorrupt);
    CHECK(engine->visitor().visitorId.empty());             // nothing of it was taken
    REQUIRE(engine->conversion("signup", 1, now).value());  // and the tab goes on
    engine->flush();
    CHECK(engine->nextSend(now, false));
  }
  for (const auto& v : vectors["queue"]) {
    INFO(v["why"].get<std::string>());
    test::BrowserProfile browser;
    browser.nowMs = now;
    auto engine = browser.open(test::testConfig());
    const auto adopted = engine->adoptQueue(v["text"].get<std::string>(), now);
    REQUIRE(adopted.ok() == v["accepted"].get<bool>());
    if (!adopted.ok()) {
      CHECK(adopted.error().code == ErrorCode::snapshotCorrupt);
      CHECK(engine->queue().size() == 0);
      continue;
    }
    CHECK(adopted.value() == v["adopted"].get<std::size_t>());
    if (!v.contains("sent")) continue;
    engine->flush();
    const auto batch = engine->nextSend(now, false);
    REQUIRE(batch);
    CHECK(batch->eventIds == v["sent"].get<std::vector<std::string>>());
    CHECK(decodeBatch(batch->text).value().header.dropped.rejected.at("batch_too_large") ==
          v["droppedTooLarge"].get<std::uint32_t>());
  }
}

TEST_CASE("no time the engine restores can overflow: the extremes of each stored time are refused", "[engine]") {
  test::BrowserProfile browser;
  auto engine = browser.open(test::testConfig());
  for (const char* time : {"9223372036854775807", "-9223372036854775808", "9007199254740993"}) {
    INFO(time);
    const std::string body = std::string("sharetrack-visitor 1\nv 0123456789abcdef0123456789abcdef ") + time + "\n";
    const auto crc = crc24(reinterpret_cast<const std::uint8_t*>(body.data()), body.size());
    char hex[8];
    std::snprintf(hex, sizeof hex, "%06x", crc);
    CHECK(engine->mergeVisitor(body + "crc " + hex, browser.nowMs).error().code == ErrorCode::snapshotCorrupt);
  }
}
