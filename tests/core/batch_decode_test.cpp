#include "sharetrack/batch_decode.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "sharetrack/batch_encode.hpp"
#include "support/random_batch.hpp"
#include "support/vectors.hpp"

using namespace sharetrack;
using namespace std::string_view_literals;

namespace {

// Every vector batch is JSON in the file; a few give raw text for what JSON cannot hold.
std::string vectorText(const nlohmann::json& v) {
  return v.contains("text") ? v["text"].get<std::string>() : v["batch"].dump();
}

}  // namespace

TEST_CASE("valid batch vectors decode and each event is accepted or rejected alone", "[batch_decode]") {
  const auto vectors = test::loadVectors("batches.json");
  for (const auto& v : vectors["valid"]) {
    INFO(v["why"].get<std::string>());
    const auto decoded = decodeBatch(vectorText(v));
    REQUIRE(decoded.ok());
    const auto& header = decoded.value().header;
    CHECK(header.site == "acme");
    CHECK(header.id == "batch-0001");
    REQUIRE(decoded.value().events.size() == v["results"].size());
    for (std::size_t i = 0; i < v["results"].size(); ++i) {
      const auto& event = decoded.value().events[i];
      const auto expected = v["results"][i].get<std::string>();
      INFO("event " << i << (v.contains("notes") ? ": " + v["notes"][i].get<std::string>() : std::string()));
      if (expected == "ok") {
        REQUIRE(event.event.ok());
        CHECK(event.id == event.event.value().id);
      } else {
        REQUIRE_FALSE(event.event.ok());
        CHECK(errorCodeName(event.event.error().code) == expected);
        CHECK(event.event.error().message.rfind("events[" + std::to_string(i) + "]", 0) == 0);
      }
    }
  }
}

TEST_CASE("the all-kinds vector decodes to the expected values", "[batch_decode]") {
  const auto vectors = test::loadVectors("batches.json");
  const auto decoded = decodeBatch(vectors["valid"][0]["batch"].dump());
  REQUIRE(decoded.ok());
  const auto& h = decoded.value().header;
  CHECK(h.visitor == "0123456789abcdef0123456789abcdef");
  CHECK(h.subscriber == std::optional<std::string>("sub-991"));
  CHECK(h.sentAtMs == 1707670800000);
  CHECK(h.dropped.queueOverflow == 2);
  CHECK(h.dropped.rejected.at("token_check") == 1);
  const auto events = test::validEvents(decoded.value());
  REQUIRE(events.size() == 7);
  const auto& share = std::get<ShareEvent>(events[1].body);
  CHECK(share.channel == Channel::copy);
  CHECK(share.parent == std::optional<std::string>("BIAAD6AEjRWeJq83veg0b"));
  const auto& self = std::get<ClickbackEvent>(events[3].body);
  CHECK(self.selfClick);
  CHECK(self.botSignals == (botWebdriver | botPrerender));
  const auto& summary = std::get<SummaryEvent>(events[4].body);
  CHECK(summary.seq == 3);
  CHECK(summary.viewable);
  CHECK(summary.dwellMs == 12500);
  CHECK(summary.videoQuartile == 2);
  CHECK(summary.videoWatchedMs == 31000);
  CHECK(summary.shares[static_cast<std::size_t>(Channel::x)] == 2);
  CHECK(summary.shares[static_cast<std::size_t>(Channel::copy)] == 1);
  CHECK(summary.addressToken == std::optional<std::string>("BcEAD6ZmZiIh3d2ZmKabl"));
  const auto& conversion = std::get<ConversionEvent>(events[6].body);
  CHECK(conversion.name == "signup");
  CHECK(conversion.value == 49.5);
}

TEST_CASE("conversion values are kept to the millionth and read the same when written again", "[batch_decode]") {
  const auto vectors = test::loadVectors("batches.json");
  for (const auto& v : vectors["valid"]) {
    if (!v.contains("conversionValues")) continue;
    const auto decoded = decodeBatch(v["batch"].dump());
    REQUIRE(decoded.ok());
    const auto events = test::validEvents(decoded.value());
    REQUIRE(events.size() == v["conversionValues"].size());
    for (std::size_t i = 0; i < events.size(); ++i) {
      INFO("event " << i);
      CHECK(std::get<ConversionEvent>(events[i].body).value == v["conversionValues"][i].get<double>());
    }
    const auto again = decodeBatch(encodeBatch(Batch{decoded.value().header, events}));
    REQUIRE(again.ok());
    CHECK(test::validEvents(again.value()) == events);
  }
}

TEST_CASE("an unknown bot signal still marks the clickback as a bot's", "[batch_decode]") {
  const auto vectors = test::loadVectors("batches.json");
  for (const auto& v : vectors["valid"]) {
    if (!v.contains("botSignals")) continue;
    const auto decoded = decodeBatch(v["batch"].dump());
    REQUIRE(decoded.ok());
    CHECK(std::get<ClickbackEvent>(decoded.value().events[0].event.value().body).botSignals ==
          v["botSignals"][0].get<int>());
  }
}

TEST_CASE("invalid batch vectors are refused whole with their error code", "[batch_decode]") {
  const auto vectors = test::loadVectors("batches.json");
  for (const auto& v : vectors["invalid"]) {
    INFO(v["why"].get<std::string>());
    const auto decoded = decodeBatch(vectorText(v));
    REQUIRE_FALSE(decoded.ok());
    CHECK(errorCodeName(decoded.error().code) == v["error"].get<std::string>());
    CHECK_FALSE(decoded.error().message.empty());
  }
}

TEST_CASE("property: no input of a fuzz-like corpus crashes the decoder", "[batch_decode][property]") {
  test::TestRandom random(1337);
  const std::string_view structural = "{}[]\":,0123456789-.eEtrufalsn \\\x00\xff\xc3"sv;
  int decodedWhole = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string text = encodeBatch(test::randomBatch(random, random.below(6)));
    const auto mutations = 1 + random.below(8);
    for (std::uint64_t m = 0; m < mutations && !text.empty(); ++m) {
      const std::size_t at = random.below(text.size());
      switch (random.below(4)) {
        case 0:
          text[at] = structural[random.below(structural.size())];
          break;
        case 1:
          text.erase(at, 1 + random.below(8));
          break;
        case 2:
          text.insert(at, 1, structural[random.below(structural.size())]);
          break;
        default:
          text.resize(at);
          break;
      }
    }
    const auto decoded = decodeBatch(text);
    if (decoded.ok()) {
      ++decodedWhole;
      for (const auto& event : decoded.value().events) {
        if (!event.event.ok()) CHECK_FALSE(event.event.error().message.empty());
      }
    } else {
      CHECK_FALSE(decoded.error().message.empty());
    }
  }
  for (int i = 0; i < 2000; ++i) {
    std::string noise(random.below(200), ' ');
    for (char& c : noise) c = static_cast<char>(random.below(256));
    CHECK_FALSE(decodeBatch(noise).ok());
  }
  CHECK(decodedWhole > 0);  // the corpus reaches the event decoders, not only the JSON parser
}

TEST_CASE("oversized or overlong or deeply nested batches are refused or rejected without harm", "[batch_decode]") {
  const std::string header =
      R"({"v":1,"site":"acme","batch":"batch-0001","visitor":"0123456789abcdef0123456789abcdef","sentAt":1,)";
  const std::string conversion = R"({"id":"evt-conv-%04","t":1,"type":"conversion","name":"signup","value":1})";

  std::string padded = header + R"("pad":")" + std::string(kMaxBatchBytes, 'x') + R"(","events":[]})";
  CHECK(decodeBatch(padded).error().code == ErrorCode::batchTooLarge);

  std::string events;
  for (std::size_t i = 0; i <= kMaxEventsPerBatch; ++i) {
    std::string event = conversion;
    event.replace(event.find("%04"), 3, std::to_string(1000 + i));
    events += (i ? "," : "") + event;
  }
  CHECK(decodeBatch(header + R"("events":[)" + events + "]}").error().code == ErrorCode::tooManyEvents);

  const std::string deepList = std::string(30000, '[') + std::string(30000, ']');
  CHECK(decodeBatch(deepList).error().code == ErrorCode::fieldType);

  std::string nested;
  for (int i = 0; i < 9000; ++i) nested += R"({"a":)";
  nested += "1" + std::string(9000, '}');
  const auto decoded = decodeBatch(header + R"("events":[)" + nested + "]}");
  REQUIRE(decoded.ok());
  REQUIRE(decoded.value().events.size() == 1);
  CHECK(decoded.value().events[0].event.error().code == ErrorCode::fieldMissing);
}
