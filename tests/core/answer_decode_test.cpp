#include "sharetrack/answer_decode.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "support/vectors.hpp"

using namespace sharetrack;

TEST_CASE("valid answer vectors decode to their results", "[answer_decode]") {
  const auto vectors = test::loadVectors("answers.json");
  for (const auto& v : vectors["valid"]) {
    INFO(v["why"].get<std::string>());
    const auto decoded = decodeAnswer(v["text"].get<std::string>());
    REQUIRE(decoded.ok());
    if (v["kind"] == "answer") {
      REQUIRE(std::holds_alternative<BatchAnswer>(decoded.value()));
      const auto& answer = std::get<BatchAnswer>(decoded.value());
      CHECK(answer.batchId == v["batch"].get<std::string>());
      REQUIRE(answer.results.size() == v["statuses"].size());
      for (std::size_t i = 0; i < answer.results.size(); ++i) {
        CHECK(eventStatusName(answer.results[i].status) == v["statuses"][i].get<std::string>());
        CHECK(answer.results[i].code == v["codes"][i].get<std::string>());
      }
      CHECK(decodeAnswer(encodeAnswer(answer)).value() == decoded.value());
    } else {
      REQUIRE(std::holds_alternative<BatchRefusal>(decoded.value()));
      const auto& refusal = std::get<BatchRefusal>(decoded.value());
      CHECK(refusal.code == v["code"].get<std::string>());
      CHECK(refusal.retryAfterSeconds ==
            (v.contains("retryAfter") ? std::optional<std::uint32_t>(v["retryAfter"]) : std::nullopt));
      CHECK(decodeAnswer(encodeRefusal(refusal)).value() == decoded.value());
    }
  }
}

TEST_CASE("invalid answer vectors fail with answer_malformed", "[answer_decode]") {
  const auto vectors = test::loadVectors("answers.json");
  for (const auto& v : vectors["invalid"]) {
    INFO(v["why"].get<std::string>());
    const auto decoded = decodeAnswer(v["text"].get<std::string>());
    REQUIRE_FALSE(decoded.ok());
    CHECK(decoded.error().code == ErrorCode::answerMalformed);
  }
}

TEST_CASE("a refusal whose message quotes broken UTF-8 still encodes as valid JSON", "[answer_decode]") {
  BatchRefusal refusal;
  refusal.code = "batch_not_json";
  refusal.message = std::string("bad byte \xff here");
  const auto decoded = decodeAnswer(encodeRefusal(refusal));
  REQUIRE(decoded.ok());
  CHECK(std::get<BatchRefusal>(decoded.value()).code == "batch_not_json");
}
