// Any stored text as the visitor state (storage is the visitor's to edit): restoring never
// crashes, a state it accepts writes back to a snapshot that restores the same, and merging a
// state with itself changes nothing.
#include "fuzz_check.hpp"
#include "sharetrack/visitor_state.hpp"

using namespace sharetrack;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const RestoreBounds bounds{1763769600000, 24 * 3600 * 1000};  // 2025-11-22, as the vectors
  const auto state = decodeVisitorState(fuzz::textOf(data, size), VisitorLimits{}, bounds);
  if (!state) return 0;
  const auto again = decodeVisitorState(encodeVisitorState(state.value()), VisitorLimits{}, bounds);
  FUZZ_REQUIRE(again.ok());
  FUZZ_REQUIRE(again.value() == state.value());
  FUZZ_REQUIRE(mergeVisitorStates(state.value(), state.value()) == state.value());
  return 0;
}
