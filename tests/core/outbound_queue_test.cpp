#include "sharetrack/outbound_queue.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "sharetrack/batch_decode.hpp"
#include "sharetrack/batch_encode.hpp"
#include "support/engine_harness.hpp"
#include "support/queue_pieces.hpp"

using namespace sharetrack;

namespace {

const RestoreBounds kBounds{1763769600000, 3600000};

QueuedEvent conversionEvent(int n, std::int64_t at = 0) {
  Event event{"evt-" + std::to_string(100000 + n), at, ConversionEvent{"signup", double(n)}};
  return QueuedEvent{event.id, encodeEvent(event), "", at};
}

QueuedEvent summaryEvent(const std::string& id, std::uint32_t seq) {
  SummaryEvent summary;
  summary.content = "t-42";
  summary.pageView = "pageview-1";
  summary.seq = seq;
  Event event{id, 0, summary};
  return QueuedEvent{id, encodeEvent(event), "pageview-1|t-42", 0};
}

BatchAnswer answer(const OutgoingBatch& batch, EventStatus status = EventStatus::accepted) {
  BatchAnswer a;
  a.batchId = "batch-0001";
  for (const auto& id : batch.eventIds)
    a.results.push_back({id, status, status == EventStatus::rejected ? "x" : "", ""});
  return a;
}

// Applies the queue's writes to `stored` (piece name -> text), as the shell writes storage; gives
// the names of the pieces written.
std::vector<std::string> store(OutboundQueue& queue, test::QueuePieces& stored) {
  auto writes = queue.takeWrites();
  std::vector<std::string> names;
  for (const QueueWrite& write : writes) names.push_back(write.name);
  test::applyQueueWrites(stored, std::move(writes));
  return names;
}

// A fresh queue adopts every stored piece: what another tab would get.
OutboundQueue adoptAll(const test::QueuePieces& stored) {
  OutboundQueue adopter;
  for (const auto& [name, text] : stored) REQUIRE(adopter.adopt(text, kBounds).ok());
  return adopter;
}

std::vector<std::string> idsOf(const OutboundQueue& queue) {
  std::vector<std::string> ids;
  for (const auto& e : queue.events()) ids.push_back(e.id);
  return ids;
}

}  // namespace

TEST_CASE("an id queued, or acknowledged lately, is held: a share committed twice is queued once",
          "[outbound_queue]") {
  OutboundQueue queue;
  CHECK_FALSE(queue.holds(conversionEvent(1).id));
  CHECK(queue.push(conversionEvent(1)) == OutboundQueue::PushResult::queued);
  CHECK(queue.holds(conversionEvent(1).id));
  auto batch = queue.take(test::batchHeader(), 10, kMaxBatchBytes, false, 1);
  queue.acknowledge(1, answer(*batch));
  CHECK(queue.size() == 0);
  CHECK(queue.holds(conversionEvent(1).id));
  CHECK_FALSE(queue.holds(conversionEvent(2).id));
}

TEST_CASE("the queue is stored in pieces: a write holds what changed, not the whole queue", "[outbound_queue]") {
  OutboundQueue queue;
  test::QueuePieces stored;
  const auto writes = [&] { return store(queue, stored); };
  for (int i = 0; i < int(OutboundQueue::kPieceEvents); ++i) queue.push(conversionEvent(i, 1000));
  CHECK(writes() == std::vector<std::string>{"1"});
  queue.push(conversionEvent(100, 1000));  // piece 1 is full: a new piece, and piece 1 is not written again
  CHECK(writes() == std::vector<std::string>{"2"});
  CHECK(stored["2"].size() < stored["1"].size() / 32);
  queue.push(conversionEvent(101, 1000));  // piece 2 is small: it takes this one too
  CHECK(writes() == std::vector<std::string>{"2"});
  CHECK(idsOf(adoptAll(stored)) == idsOf(queue));

  auto batch = queue.take(test::batchHeader(), 10, kMaxBatchBytes, false, 1);
  CHECK(writes().empty());  // in flight is not stored: a tab that dies mid-send leaves them waiting
  queue.acknowledge(1, answer(*batch));
  CHECK(writes() == std::vector<std::string>{"1"});
  CHECK(idsOf(adoptAll(stored)) == idsOf(queue));

  batch = queue.take(test::batchHeader(), 200, kMaxBatchBytes, false, 2);
  queue.acknowledge(2, answer(*batch));
  CHECK(writes() == (std::vector<std::string>{"1", "2"}));  // both emptied: removed
  CHECK(stored.empty());
}

TEST_CASE("the drop counts are a piece of their own, removed once reported", "[outbound_queue]") {
  OutboundQueue queue(QueueLimits{2, 100});
  test::QueuePieces stored;
  for (int i = 0; i < 3; ++i) queue.push(conversionEvent(i, 1000));
  store(queue, stored);
  REQUIRE(stored.count("d"));
  CHECK(adoptAll(stored).pendingDrops().queueOverflow == 1);
  auto batch = queue.take(test::batchHeader(), 10, kMaxBatchBytes, false, 1);
  queue.acknowledge(1, answer(*batch));
  store(queue, stored);
  CHECK(stored.empty());
}

TEST_CASE("a summary replaced in place rewrites only the piece that held it", "[outbound_queue]") {
  OutboundQueue queue;
  test::QueuePieces stored;
  queue.push(summaryEvent("sum-000001", 1));
  for (int i = 0; i < int(OutboundQueue::kPieceEvents); ++i) queue.push(conversionEvent(i, 1000));
  store(queue, stored);
  queue.push(conversionEvent(100, 1000));
  store(queue, stored);
  queue.push(summaryEvent("sum-000002", 2));
  const auto writes = queue.takeWrites();
  REQUIRE(writes.size() == 1);
  CHECK(writes[0].name == "1");
  CHECK(writes[0].text.find("sum-000002") != std::string::npos);
  CHECK(writes[0].text.find("sum-000001") == std::string::npos);
}

TEST_CASE("a newer summary replaces the waiting one and not the one in flight", "[outbound_queue]") {
  OutboundQueue queue;
  queue.push(summaryEvent("sum-000001", 1));
  CHECK(queue.push(summaryEvent("sum-000002", 2)) == OutboundQueue::PushResult::replacedOlder);
  CHECK(queue.size() == 1);
  auto batch = queue.take(test::batchHeader(), 10, kMaxBatchBytes, false, 1);
  CHECK(batch->eventIds == std::vector<std::string>{"sum-000002"});
  CHECK(queue.push(summaryEvent("sum-000003", 3)) == OutboundQueue::PushResult::queued);
  CHECK(queue.size() == 2);
}

TEST_CASE("a full queue drops its oldest waiting events and counts them: it never grows past its cap",
          "[outbound_queue]") {
  OutboundQueue queue(QueueLimits{5, 100});
  for (int i = 0; i < 3; ++i) queue.push(conversionEvent(i));
  auto inFlight = queue.take(test::batchHeader(), 2, kMaxBatchBytes, false, 1);
  for (int i = 3; i < 12; ++i) {
    queue.push(conversionEvent(i));
    REQUIRE(queue.size() <= 5);
  }
  CHECK(queue.pendingDrops().queueOverflow == 7);
  std::vector<std::string> ids;
  for (const auto& e : queue.events()) ids.push_back(e.id);
  CHECK(ids == std::vector<std::string>{"evt-100000", "evt-100001", "evt-100009", "evt-100010", "evt-100011"});
  QueueLimits tiny{2, 10};
  OutboundQueue allInFlight(tiny);
  allInFlight.push(conversionEvent(1));
  allInFlight.push(conversionEvent(2));
  allInFlight.take(test::batchHeader(), 10, kMaxBatchBytes, false, 1);
  CHECK(allInFlight.push(conversionEvent(3)) == OutboundQueue::PushResult::overflowed);
  CHECK(allInFlight.size() == 2);
}

TEST_CASE("batches take the oldest events first within the byte and event limits", "[outbound_queue]") {
  OutboundQueue queue;
  for (int i = 0; i < 300; ++i) queue.push(conversionEvent(i));
  auto byCount = queue.take(test::batchHeader(), 200, kMaxBatchBytes, false, 1);
  CHECK(byCount->eventIds.size() == 200);
  CHECK(byCount->eventIds.front() == "evt-100000");
  queue.release(1);
  for (std::size_t limit : {std::size_t{1024}, std::size_t{4000}, kMaxUnloadBatchBytes}) {
    auto batch = queue.take(test::batchHeader(), 200, limit, false, 2);
    REQUIRE(batch);
    CHECK(batch->text.size() <= limit);
    const bool full = batch->eventIds.size() == 200 ||
                      batch->text.size() + queue.events()[batch->eventIds.size()].json.size() + 1 > limit;
    CHECK(full);  // stopped by the count, or the next event would not fit
    CHECK(decodeBatch(batch->text).value().events.size() == batch->eventIds.size());
    queue.release(2);
  }
}

TEST_CASE("answers resolve events one by one and drop counts are cleared once reported", "[outbound_queue]") {
  OutboundQueue queue(QueueLimits{3, 100});
  for (int i = 0; i < 5; ++i) queue.push(conversionEvent(i));  // two overflow
  auto batch = queue.take(test::batchHeader(), 3, kMaxBatchBytes, false, 7);
  CHECK(decodeBatch(batch->text).value().header.dropped.queueOverflow == 2);
  CHECK(queue.push(conversionEvent(9)) == OutboundQueue::PushResult::overflowed);  // all in flight
  BatchAnswer a;
  a.batchId = "batch-0001";
  a.results = {{batch->eventIds[0], EventStatus::accepted, "", ""},
               {batch->eventIds[1], EventStatus::rejected, "field_range", "value"}};  // the third unanswered
  queue.acknowledge(7, a);
  CHECK(queue.size() == 1);
  CHECK(queue.events()[0].id == batch->eventIds[2]);
  CHECK(queue.events()[0].sendId == 0);
  CHECK(queue.pendingDrops().queueOverflow == 1);  // the reported two are cleared, the new one stays
  CHECK(queue.pendingDrops().rejected.at("field_range") == 1);

  auto failed = queue.take(test::batchHeader(), 3, kMaxBatchBytes, false, 8);
  queue.release(8);
  CHECK(queue.pendingDrops().rejected.at("field_range") == 1);  // still to report
  queue.dropSend(8, "x");                                       // not in flight any more: nothing happens
  CHECK(queue.size() == 1);
  CHECK(failed->eventIds.size() == 1);
}

TEST_CASE("a beacon carries only what no beacon carried: no drop counts and its events stay pending",
          "[outbound_queue]") {
  OutboundQueue queue(QueueLimits{2, 100});
  for (int i = 0; i < 3; ++i) queue.push(conversionEvent(i));
  auto beacon = queue.take(test::batchHeader(), 200, kMaxUnloadBatchBytes, true, 1);
  REQUIRE(beacon);
  CHECK_FALSE(decodeBatch(beacon->text).value().header.dropped.queueOverflow);
  CHECK(queue.waiting() == 2);
  CHECK_FALSE(queue.take(test::batchHeader(), 200, kMaxUnloadBatchBytes, true, 2));
  auto normal = queue.take(test::batchHeader(), 200, kMaxBatchBytes, false, 3);
  CHECK(normal->eventIds == beacon->eventIds);
}

TEST_CASE("a queue snapshot adopted by an empty queue gives back every event waiting and without doubles",
          "[outbound_queue]") {
  OutboundQueue left;
  for (int i = 0; i < 4; ++i) left.push(conversionEvent(i, 1000 + i));
  left.push(summaryEvent("sum-000001", 4));
  left.take(test::batchHeader(), 2, kMaxBatchBytes, true, 1);  // two beaconed
  left.push(conversionEvent(50));
  left.take(test::batchHeader(), 1, kMaxBatchBytes, false, 2);  // one in flight when the tab died
  auto writes = left.takeWrites();
  REQUIRE(writes.size() == 1);  // never written before: every event in the first piece
  const std::string snapshot = writes[0].text;

  OutboundQueue restored;
  REQUIRE(restored.adopt(snapshot, kBounds).value() == left.size());
  REQUIRE(restored.size() == left.size());
  for (std::size_t i = 0; i < left.size(); ++i) {
    CHECK(restored.events()[i].id == left.events()[i].id);
    CHECK(restored.events()[i].json == left.events()[i].json);
    CHECK(restored.events()[i].beaconed == left.events()[i].beaconed);
    CHECK(restored.events()[i].queuedAtMs == left.events()[i].queuedAtMs);
    CHECK(restored.events()[i].sendId == 0);
  }

  OutboundQueue other;
  other.push(conversionEvent(2));
  other.push(conversionEvent(77));
  const auto adopted = other.adopt(snapshot, kBounds);
  REQUIRE(adopted.ok());
  CHECK(adopted.value() == left.size() - 1);
  CHECK(other.size() == left.size() + 1);
  CHECK(other.adopt(snapshot, kBounds).value() == 0);  // adopting twice adds nothing

  CHECK(other.adopt("", kBounds).error().code == ErrorCode::snapshotForeign);
  CHECK(other.adopt(snapshot.substr(0, snapshot.size() / 2), kBounds).error().code == ErrorCode::snapshotCorrupt);
  CHECK(other.size() == left.size() + 1);
}

TEST_CASE("an event too large for any batch is dropped and counted instead of blocking the queue", "[outbound_queue]") {
  OutboundQueue queue;
  Event huge{"evt-huge-0001", 0, ConversionEvent{std::string(2000, 's'), 1}};
  queue.push(QueuedEvent{huge.id, encodeEvent(huge), "", 0});
  queue.push(conversionEvent(1));
  const auto beacon = queue.take(test::batchHeader(), 200, 1024, true, 1);
  REQUIRE(beacon);
  CHECK(beacon->eventIds == std::vector<std::string>{"evt-100001"});  // a beacon passes it by
  CHECK(queue.size() == 2);
  const auto batch = queue.take(test::batchHeader(), 200, 1024, false, 2);
  REQUIRE(batch);
  CHECK(batch->eventIds == std::vector<std::string>{"evt-100001"});
  CHECK(batch->text.size() <= 1024);
  CHECK(decodeBatch(batch->text).value().header.dropped.rejected.at("batch_too_large") == 1);
  CHECK(queue.size() == 1);
}
