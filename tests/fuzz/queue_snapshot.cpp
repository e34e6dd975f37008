// Any stored text as a piece of a closed tab's queue: adopting never crashes, adopting it twice
// adds nothing, and the pieces the adopting queue writes give another tab the same events.
#include "fuzz_check.hpp"
#include "sharetrack/outbound_queue.hpp"

using namespace sharetrack;

namespace {

std::vector<std::string> idsOf(const OutboundQueue& queue) {
  std::vector<std::string> ids;
  for (const QueuedEvent& e : queue.events()) ids.push_back(e.id);
  return ids;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::textOf(data, size);
  const RestoreBounds bounds{1763769600000, 24 * 3600 * 1000};
  OutboundQueue queue;
  if (!queue.adopt(text, bounds)) return 0;
  FUZZ_REQUIRE(queue.adopt(text, bounds).value() == 0);
  OutboundQueue other;
  for (const QueueWrite& piece : queue.takeWrites()) {
    if (!piece.text.empty()) FUZZ_REQUIRE(other.adopt(piece.text, bounds).ok());
  }
  FUZZ_REQUIRE(idsOf(other) == idsOf(queue));
  FUZZ_REQUIRE(other.pendingDrops() == queue.pendingDrops());
  return 0;
}
