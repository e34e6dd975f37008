// One tab's outbound events, already encoded, on their way to the collector: capped (the oldest
// go first, counted), deduplicated by event id, batched under byte and count limits, and
// resolved per event by the collector's answer. A tab left behind can be adopted by another.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sharetrack/answer.hpp"
#include "sharetrack/batch.hpp"
#include "sharetrack/dedupe.hpp"
#include "sharetrack/result.hpp"
#include "sharetrack/visitor_state.hpp"

namespace sharetrack {

struct QueuedEvent {
  std::string id;
  std::string json;        // encodeEvent's text
  std::string replaceKey;  // summaries: "<page view>|<content>"; a newer one replaces a waiting older one
  std::int64_t queuedAtMs = 0;
  bool beaconed = false;     // handed to a beacon: maybe delivered, so still pending until acknowledged
  std::uint32_t sendId = 0;  // in flight with that send; 0 when waiting
  std::uint32_t piece = 0;   // the stored piece that holds it (OutboundQueue::takeWrites)
};

// One change to the stored queue: piece `name` now reads `text`, a queue snapshot of its own, or
// is gone when `text` is empty.
struct QueueWrite {
  std::string name;
  std::string text;
};

struct QueueLimits {
  std::size_t capacity = 1000;
  std::size_t acknowledgedMemory = 500;  // ids recently acknowledged, refused if queued again
};

// A batch taken from the queue, ready to post.
struct OutgoingBatch {
  std::uint32_t sendId = 0;
  std::string text;
  std::vector<std::string> eventIds;
  bool beacon = false;     // for sendBeacon: the page is hiding
  bool keepalive = false;  // small enough (in UTF-8 bytes) for fetch's shared keepalive quota
};

class OutboundQueue {
 public:
  explicit OutboundQueue(const QueueLimits& limits = {});

  enum class PushResult {
    queued,
    replacedOlder,  // a waiting summary of the same page view and content gave way
    overflowed,     // full of events in flight: this one was dropped and counted
  };
  // The event's id must be new to the queue: freshly minted, or checked with holds(). Checking
  // here would cost a scan of the queue per event.
  PushResult push(QueuedEvent event);
  // Whether the id is queued, or was acknowledged lately.
  bool holds(const std::string& id) const;

  // Up to `maxEvents` waiting events, oldest first, in a batch of at most `maxBytes`. A normal
  // send puts them in flight (one send at a time) and reports the drop counts; a beacon takes
  // only events no beacon carried yet, leaves them waiting, and reports no counts, since its
  // delivery is never known. An event too large for any batch of `maxBytes` is dropped and counted
  // as batch_too_large by a normal send (a beacon leaves it to one). Nothing to send gives nullopt.
  std::optional<OutgoingBatch> take(BatchHeader header, std::size_t maxEvents, std::size_t maxBytes, bool beacon,
                                    std::uint32_t sendId);

  // The collector stored the batch: accepted and duplicate events are done, rejected ones are
  // dropped and counted by code; events the answer does not mention wait again.
  void acknowledge(std::uint32_t sendId, const BatchAnswer& answer);
  // The send failed: its events wait again.
  void release(std::uint32_t sendId);
  // sendBeacon refused these: the next beacon may carry them.
  void unmarkBeaconed(const std::vector<std::string>& ids);
  // The collector refused the batch for good: its events are dropped, counted under `code`.
  void dropSend(std::uint32_t sendId, const std::string& code);

  std::uint32_t inFlight() const { return inFlight_ ? inFlight_->sendId : 0; }
  std::size_t size() const { return events_.size(); }
  std::size_t waiting() const;
  std::optional<std::int64_t> oldestWaitingAtMs() const;
  std::size_t waitingBytes() const;
  const std::vector<QueuedEvent>& events() const { return events_; }
  const DropCounts& pendingDrops() const { return drops_; }

  // The queue is stored in pieces, so that a write costs what changed rather than what the queue
  // holds: piece "d" holds the drop counts; each numbered piece the events queued between two
  // writes (a piece of fewer than kPieceEvents takes the next write's events too), rewritten when
  // one of them leaves or changes. What changed since the last call; the first call, everything.
  std::vector<QueueWrite> takeWrites();
  static constexpr std::size_t kPieceEvents = 64;
  // Takes in the events of a queue snapshot (another tab's, or this tab's previous page load's)
  // that this queue lacks, waiting again; returns how many. A snapshot whose times are out of
  // `bounds` (see RestoreBounds) is refused whole as snapshotCorrupt.
  Result<std::size_t> adopt(std::string_view snapshot, const RestoreBounds& bounds);

 private:
  struct InFlight {
    std::uint32_t sendId;
    DropCounts reported;
  };
  bool makeRoom();
  void touch(std::uint32_t piece);
  std::string pieceText(std::uint32_t piece) const;
  std::string dropsText() const;
  Result<std::vector<QueuedEvent>> readEvents(std::string_view snapshot, const RestoreBounds& bounds,
                                              DropCounts& drops) const;
  void dropTooLarge(std::size_t emptyBatchBytes, std::size_t maxBytes);
  void finish(const std::string& id);
  static void subtract(DropCounts& from, const DropCounts& reported);

  QueueLimits limits_;
  std::vector<QueuedEvent> events_;
  DropCounts drops_;
  std::optional<InFlight> inFlight_;
  DedupeMemory acknowledged_;
  std::int64_t acknowledgedClock_ = 0;  // orders the acknowledged-id memory (no clock needed)
  std::uint32_t openPiece_ = 1;  // where pushed and adopted events go; events_ stays in piece order
  std::map<std::string, std::uint32_t> touched_;  // pieces changed since the last write, by name
  std::uint32_t lastTouched_ = 0;
  std::string writtenDrops_;  // the text piece "d" holds
};

}  // namespace sharetrack
