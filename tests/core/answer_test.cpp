#include "sharetrack/answer.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "support/wire_names.hpp"

using namespace sharetrack;

namespace {

BatchAnswer answerOf(std::vector<EventResult> results) {
  BatchAnswer answer;
  answer.batchId = "batch-0001";
  answer.results = std::move(results);
  return answer;
}

ErrorCode codeOf(const Status& status) { return status.ok() ? ErrorCode::configInvalid : status.error().code; }

}  // namespace

TEST_CASE("event statuses have their wire names from wire_names.json", "[answer]") {
  test::checkWireNames<EventStatus>("eventStatuses", kEventStatusCount, eventStatusName, eventStatusFromName);
  CHECK_FALSE(eventStatusFromName("Accepted"));
}

TEST_CASE("an answer whose values break the protocol is malformed whoever parsed it", "[answer]") {
  CHECK(validateAnswer(answerOf({{"evt-00000001", EventStatus::accepted, "", ""},
                                 {"", EventStatus::rejected, "field_type", "events[1]: must be an object"}}))
            .ok());
  CHECK(validateAnswer(BatchRefusal{1, "rate_limited", "slow down", 30}).ok());

  CHECK(codeOf(validateAnswer(BatchAnswer{})) == ErrorCode::answerMalformed);  // no batch id
  BatchAnswer badId = answerOf({});
  badId.batchId = "batch 0001";
  CHECK(codeOf(validateAnswer(badId)) == ErrorCode::answerMalformed);
  CHECK(codeOf(validateAnswer(answerOf({{"evt 1", EventStatus::accepted, "", ""}}))) == ErrorCode::answerMalformed);
  CHECK(codeOf(validateAnswer(answerOf({{"evt-00000001", EventStatus::rejected, "", ""}}))) ==
        ErrorCode::answerMalformed);  // a rejection names its code
  CHECK(codeOf(validateAnswer(answerOf({{"evt-00000001", EventStatus::rejected, "Field-Type", ""}}))) ==
        ErrorCode::answerMalformed);
  CHECK(codeOf(validateAnswer(answerOf(std::vector<EventResult>(kMaxEventsPerBatch + 1)))) ==
        ErrorCode::answerMalformed);
  CHECK(codeOf(validateAnswer(BatchRefusal{1, "", "", std::nullopt})) == ErrorCode::answerMalformed);
  CHECK(codeOf(validateAnswer(BatchRefusal{1, "rate_limited", std::string(kMaxMessageLength + 1, 'x'),
                                           std::nullopt})) == ErrorCode::answerMalformed);
  CHECK(codeOf(validateAnswer(BatchRefusal{1, "rate_limited", "", kMaxRetryAfterSeconds + 1})) ==
        ErrorCode::answerMalformed);
  const Status named = validateAnswer(answerOf({{"evt-00000001", EventStatus::rejected, "", ""}}));
  CHECK(named.error().message == "answer: results: each an id, a status, and for a rejection a code");
}
