#include "sharetrack/batch_encode.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "sharetrack/batch_decode.hpp"
#include "support/random_batch.hpp"

using namespace sharetrack;

TEST_CASE("property: random valid batches round trip through encode and decode", "[batch_encode][property]") {
  test::TestRandom random(42);
  for (int i = 0; i < 300; ++i) {
    const Batch batch = test::randomBatch(random, random.below(40));
    const std::string text = encodeBatch(batch);
    const auto decoded = decodeBatch(text);
    REQUIRE(decoded.ok());
    CHECK(decoded.value().header == batch.header);
    for (const auto& event : decoded.value().events) {
      INFO(text);
      REQUIRE(event.event.ok());
    }
    REQUIRE(test::validEvents(decoded.value()) == batch.events);
    REQUIRE(encodeBatch(Batch{decoded.value().header, test::validEvents(decoded.value())}) == text);
  }
}

TEST_CASE("encodedBatchSize is the exact length of the batch encodeBatchText writes", "[batch_encode]") {
  test::TestRandom random(7);
  for (int i = 0; i < 100; ++i) {
    const Batch batch = test::randomBatch(random, random.below(30));
    std::vector<std::string> texts;
    std::size_t bytes = 0;
    for (const Event& event : batch.events) {
      texts.push_back(encodeEvent(event));
      bytes += texts.back().size();
    }
    const std::string text = encodeBatchText(batch.header, {texts.begin(), texts.end()});
    CHECK(text == encodeBatch(batch));
    CHECK(encodedBatchSize(batch.header, bytes, texts.size()) == text.size());
  }
}
