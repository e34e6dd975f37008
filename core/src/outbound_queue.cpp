#include "sharetrack/outbound_queue.hpp"

#include <algorithm>
#include <map>

#include "sharetrack/batch_encode.hpp"
#include "sharetrack/field_rules.hpp"
#include "snapshot_text.hpp"

namespace sharetrack {
namespace {

constexpr std::string_view kKind = "sharetrack-queue";
constexpr int kVersion = 1;

bool isWaiting(const QueuedEvent& e) { return e.sendId == 0; }

Error corrupt(const std::string& what) { return makeError(ErrorCode::snapshotCorrupt, "queue snapshot: " + what); }

}  // namespace

OutboundQueue::OutboundQueue(const QueueLimits& limits) : limits_(limits), acknowledged_(limits.acknowledgedMemory) {}

bool OutboundQueue::holds(const std::string& id) const {
  return acknowledged_.contains(id) ||
         std::any_of(events_.begin(), events_.end(), [&](const QueuedEvent& e) { return e.id == id; });
}

OutboundQueue::PushResult OutboundQueue::push(QueuedEvent event) {
  if (!event.replaceKey.empty()) {
    for (QueuedEvent& e : events_) {
      if (isWaiting(e) && e.replaceKey == event.replaceKey) {
        event.queuedAtMs = e.queuedAtMs;  // the flush deadline still runs from the first
        event.sendId = 0;
        event.piece = e.piece;            // in place: the queue stays in piece order
        touch(e.piece);
        e = std::move(event);
        return PushResult::replacedOlder;
      }
    }
  }
  if (!makeRoom()) {
    drops_.queueOverflow = std::min(drops_.queueOverflow + 1, kMaxCount);
    return PushResult::overflowed;
  }
  event.sendId = 0;
  event.piece = openPiece_;
  touch(openPiece_);
  if (events_.size() == events_.capacity()) {
    // Grow as a vector does, but never past the cap: the queue never holds more.
    events_.reserve(std::min(std::max<std::size_t>(2 * events_.size(), 8), limits_.capacity));
  }
  events_.push_back(std::move(event));
  return PushResult::queued;
}

// Evicts the oldest waiting events until one more fits; false when every event is in flight.
bool OutboundQueue::makeRoom() {
  while (events_.size() >= limits_.capacity) {
    const auto oldest = std::find_if(events_.begin(), events_.end(), isWaiting);
    if (oldest == events_.end()) return false;
    touch(oldest->piece);
    events_.erase(oldest);
    drops_.queueOverflow = std::min(drops_.queueOverflow + 1, kMaxCount);
  }
  return true;
}

void OutboundQueue::dropTooLarge(std::size_t emptyBatchBytes, std::size_t maxBytes) {
  const auto tooLarge = [&](const QueuedEvent& e) {
    const bool drop = isWaiting(e) && emptyBatchBytes + e.json.size() > maxBytes;
    if (drop) touch(e.piece);
    return drop;
  };
  const auto before = events_.size();
  events_.erase(std::remove_if(events_.begin(), events_.end(), tooLarge), events_.end());
  if (events_.size() == before) return;
  auto& count = drops_.rejected[std::string(errorCodeName(ErrorCode::batchTooLarge))];
  count = static_cast<std::uint32_t>(std::min<std::size_t>(count + (before - events_.size()), kMaxCount));
}

std::optional<OutgoingBatch> OutboundQueue::take(BatchHeader header, std::size_t maxEvents, std::size_t maxBytes,
                                                 bool beacon, std::uint32_t sendId) {
  if (!beacon && inFlight_) return std::nullopt;
  if (!beacon) {
    // Dropped before the header is written, so that this very batch reports them; the 64 bytes
    // are what reporting them may add to the header.
    header.dropped = drops_;
    dropTooLarge(encodedBatchSize(header, 0, 0) + 64, maxBytes);
  }
  header.dropped = beacon ? DropCounts{} : drops_;
  const std::size_t emptySize = encodedBatchSize(header, 0, 0);
  std::vector<std::string_view> texts;
  std::vector<QueuedEvent*> chosen;
  std::size_t bytes = 0;
  for (QueuedEvent& e : events_) {
    if (!isWaiting(e) || (beacon && e.beaconed)) continue;
    if (emptySize + e.json.size() > maxBytes) continue;  // too large for a beacon: a normal send drops it
    if (chosen.size() == maxEvents || emptySize + bytes + e.json.size() + chosen.size() > maxBytes) break;
    bytes += e.json.size();
    texts.push_back(e.json);
    chosen.push_back(&e);
  }
  const bool dropsToReport = header.dropped.queueOverflow != 0 || !header.dropped.rejected.empty();
  if (chosen.empty() && !dropsToReport) return std::nullopt;

  OutgoingBatch batch;
  batch.sendId = sendId;
  batch.beacon = beacon;
  batch.text = encodeBatchText(header, texts);
  for (QueuedEvent* e : chosen) {
    batch.eventIds.push_back(e->id);
    if (beacon) {
      e->beaconed = true;
      touch(e->piece);  // the mark is stored: a later page load's beacon skips the event too
    } else {
      e->sendId = sendId;
    }
  }
  if (!beacon) inFlight_ = InFlight{sendId, header.dropped};
  return batch;
}

void OutboundQueue::finish(const std::string& id) { acknowledged_.remember(id, ++acknowledgedClock_); }

void OutboundQueue::subtract(DropCounts& from, const DropCounts& reported) {
  from.queueOverflow -= std::min(from.queueOverflow, reported.queueOverflow);
  for (const auto& [code, count] : reported.rejected) {
    const auto it = from.rejected.find(code);
    if (it == from.rejected.end()) continue;
    it->second -= std::min(it->second, count);
    if (it->second == 0) from.rejected.erase(it);
  }
}

void OutboundQueue::acknowledge(std::uint32_t sendId, const BatchAnswer& answer) {
  if (!inFlight_ || inFlight_->sendId != sendId) return;
  subtract(drops_, inFlight_->reported);
  inFlight_.reset();
  std::map<std::string_view, const EventResult*> results;
  for (const EventResult& result : answer.results) results.emplace(result.id, &result);
  std::vector<QueuedEvent> kept;
  kept.reserve(events_.size());
  for (QueuedEvent& e : events_) {
    const auto it = e.sendId == sendId ? results.find(e.id) : results.end();
    if (it == results.end()) {
      e.sendId = 0;
      kept.push_back(std::move(e));
      continue;
    }
    touch(e.piece);
    if (it->second->status == EventStatus::rejected) {
      auto& count = drops_.rejected[it->second->code];
      count = std::min(count + 1, kMaxCount);
    }
    finish(e.id);
  }
  events_ = std::move(kept);
}

void OutboundQueue::release(std::uint32_t sendId) {
  if (!inFlight_ || inFlight_->sendId != sendId) return;
  inFlight_.reset();
  for (QueuedEvent& e : events_) {
    if (e.sendId == sendId) e.sendId = 0;
  }
}

void OutboundQueue::unmarkBeaconed(const std::vector<std::string>& ids) {
  for (QueuedEvent& e : events_) {
    if (e.beaconed && std::find(ids.begin(), ids.end(), e.id) != ids.end()) {
      e.beaconed = false;
      touch(e.piece);
    }
  }
}

void OutboundQueue::dropSend(std::uint32_t sendId, const std::string& code) {
  if (!inFlight_ || inFlight_->sendId != sendId) return;
  inFlight_.reset();
  const auto before = events_.size();
  events_.erase(
      std::remove_if(events_.begin(), events_.end(),
                     [&](const QueuedEvent& e) {
                       if (e.sendId != sendId) return false;
                       touch(e.piece);
                       return true;
                     }),
      events_.end());
  auto& count = drops_.rejected[code];
  count = static_cast<std::uint32_t>(std::min<std::size_t>(count + (before - events_.size()), kMaxCount));
  if (count == 0) drops_.rejected.erase(code);
}

std::size_t OutboundQueue::waiting() const {
  return static_cast<std::size_t>(std::count_if(events_.begin(), events_.end(), isWaiting));
}

std::optional<std::int64_t> OutboundQueue::oldestWaitingAtMs() const {
  std::optional<std::int64_t> oldest;
  for (const QueuedEvent& e : events_) {
    if (isWaiting(e) && (!oldest || e.queuedAtMs < *oldest)) oldest = e.queuedAtMs;
  }
  return oldest;
}

std::size_t OutboundQueue::waitingBytes() const {
  std::size_t bytes = 0;
  for (const QueuedEvent& e : events_) bytes += isWaiting(e) ? e.json.size() + 1 : 0;
  return bytes;
}

void OutboundQueue::touch(std::uint32_t piece) {
  if (piece != lastTouched_) touched_.emplace(std::to_string(piece), piece);  // most touches repeat the last
  lastTouched_ = piece;
}

// The queue is in piece order: a piece's events are side by side.
std::string OutboundQueue::pieceText(std::uint32_t piece) const {
  const auto first = std::find_if(events_.begin(), events_.end(), [&](const QueuedEvent& e) { return e.piece == piece; });
  const auto last = std::find_if(first, events_.end(), [&](const QueuedEvent& e) { return e.piece != piece; });
  if (first == last) return {};
  std::size_t bytes = 64;
  for (auto e = first; e != last; ++e) bytes += 32 + e->id.size() + e->replaceKey.size() + e->json.size();
  detail::SnapshotWriter out(kKind, kVersion, bytes);
  for (auto e = first; e != last; ++e) {
    out.record("e").field(e->queuedAtMs).field(e->beaconed ? 1 : 0).field(e->id);
    out.field(e->replaceKey.empty() ? std::string_view("-") : std::string_view(e->replaceKey)).field(e->json);
  }
  return out.finish();
}

std::string OutboundQueue::dropsText() const {
  if (drops_.queueOverflow == 0 && drops_.rejected.empty()) return {};
  detail::SnapshotWriter out(kKind, kVersion, 64 + 48 * drops_.rejected.size());
  if (drops_.queueOverflow) out.record("o").field(drops_.queueOverflow);
  for (const auto& [code, count] : drops_.rejected) out.record("r").field(code).field(count);
  return out.finish();
}

std::vector<QueueWrite> OutboundQueue::takeWrites() {
  std::vector<QueueWrite> writes;
  std::string drops = dropsText();
  if (drops != writtenDrops_) {
    writes.push_back({"d", drops});
    writtenDrops_ = std::move(drops);
  }
  for (const auto& [name, piece] : touched_) writes.push_back({name, pieceText(piece)});
  touched_.clear();
  lastTouched_ = 0;
  const auto open = std::count_if(events_.begin(), events_.end(), [&](const QueuedEvent& e) { return e.piece == openPiece_; });
  if (static_cast<std::size_t>(open) >= kPieceEvents) ++openPiece_;
  return writes;
}

Result<std::vector<QueuedEvent>> OutboundQueue::readEvents(std::string_view snapshot, const RestoreBounds& bounds,
                                                           DropCounts& drops) const {
  auto records = detail::readSnapshot(snapshot, kKind, kVersion);
  if (!records) return records.error();
  std::vector<QueuedEvent> events;
  for (const auto& r : records.value()) {
    const auto& f = r.fields;
    if (r.tag == "o" && f.size() == 1) {
      const auto count = detail::parseInt(f[0]);
      if (!count || *count < 0 || *count > kMaxCount) return corrupt("bad overflow count");
      drops.queueOverflow = static_cast<std::uint32_t>(std::min<std::int64_t>(drops.queueOverflow + *count, kMaxCount));
    } else if (r.tag == "r" && f.size() == 2) {
      const auto count = detail::parseInt(f[1]);
      if (!count || *count < 0 || *count > kMaxCount || !follows(f[0], rules::code)) {
        return corrupt("bad rejected count");
      }
      auto& total = drops.rejected[std::string(f[0])];
      total = static_cast<std::uint32_t>(std::min<std::int64_t>(total + *count, kMaxCount));
    } else if (r.tag == "e" && f.size() >= 5) {
      QueuedEvent e;
      const auto queuedAt = detail::parseInt(f[0]);
      const std::string_view json = r.restAfter(4);
      if (!queuedAt || !bounds.time(*queuedAt) || (f[1] != "0" && f[1] != "1") || !follows(f[2], rules::id) ||
          json.empty() || json.front() != '{' || json.back() != '}') {
        return corrupt("bad event record");
      }
      e.queuedAtMs = *queuedAt;
      e.beaconed = f[1] == "1";
      e.id = std::string(f[2]);
      e.replaceKey = f[3] == "-" ? "" : std::string(f[3]);
      e.json = std::string(json);
      events.push_back(std::move(e));
    } else if (r.tag == "o" || r.tag == "r" || r.tag == "e") {
      return corrupt("bad '" + std::string(r.tag) + "' record");
    }
  }
  return events;
}

Result<std::size_t> OutboundQueue::adopt(std::string_view snapshot, const RestoreBounds& bounds) {
  DropCounts drops;
  auto events = readEvents(snapshot, bounds, drops);
  if (!events) return events.error();
  // The ids queued already or taken from this snapshot, looked up in a tree: a scan of the queue
  // per event, as push does, would make adopting a long snapshot quadratic.
  DedupeMemory seen(events_.size() + events.value().size());
  for (const QueuedEvent& e : events_) seen.remember(e.id, 0);
  std::size_t adopted = 0;
  for (QueuedEvent& e : events.value()) {
    if (acknowledged_.contains(e.id) || seen.contains(e.id)) continue;
    seen.remember(e.id, 0);
    adopted += push(std::move(e)) == PushResult::queued ? 1 : 0;
  }
  drops_.queueOverflow = std::min(drops_.queueOverflow + drops.queueOverflow, kMaxCount);
  for (const auto& [code, count] : drops.rejected) {
    auto& total = drops_.rejected[code];
    total = std::min(total + count, kMaxCount);
  }
  return adopted;
}

}  // namespace sharetrack
