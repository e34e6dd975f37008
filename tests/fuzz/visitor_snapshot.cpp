// Any stored text as the visitor state (storage is the visitor's to edit, and every tab writes
// it): restoring never crashes, a state it accepts writes back to a snapshot that restores the
// same, and the merge of two tabs' states is idempotent and commutative, so tabs agree whatever
// the order they read each other's writes. The input is one snapshot, or two split at a NUL.
#include <algorithm>

#include "fuzz_check.hpp"
#include "sharetrack/visitor_state.hpp"

using namespace sharetrack;

namespace {

const RestoreBounds kBounds{1763769600000, 24 * 3600 * 1000};  // 2025-11-22, as the vectors

Result<VisitorState> restore(std::string_view text) { return decodeVisitorState(text, VisitorLimits{}, kBounds); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = fuzz::textOf(data, size);
  const std::size_t split = std::min(input.find('\0'), input.size());
  const auto a = restore(input.substr(0, split));
  if (a) {
    const auto again = restore(encodeVisitorState(a.value()));
    FUZZ_REQUIRE(again.ok());
    FUZZ_REQUIRE(again.value() == a.value());
    FUZZ_REQUIRE(mergeVisitorStates(a.value(), a.value()) == a.value());
  }
  if (split == input.size()) return 0;
  const auto b = restore(input.substr(split + 1));
  if (!a || !b) return 0;
  const VisitorState ab = mergeVisitorStates(a.value(), b.value());
  FUZZ_REQUIRE(ab == mergeVisitorStates(b.value(), a.value()));
  FUZZ_REQUIRE(mergeVisitorStates(ab, b.value()) == ab);
  return 0;
}
