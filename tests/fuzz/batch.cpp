// Any request body as a batch (the collector's input from the open internet): decoding never
// crashes, and the events it accepts, written again as a batch, decode to the same events.
#include "fuzz_check.hpp"
#include "sharetrack/batch_decode.hpp"
#include "sharetrack/batch_encode.hpp"

using namespace sharetrack;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto decoded = decodeBatch(fuzz::textOf(data, size));
  if (!decoded) return 0;
  Batch valid{decoded.value().header, {}};
  for (const DecodedEvent& e : decoded.value().events) {
    if (e.event) valid.events.push_back(e.event.value());
  }
  const auto again = decodeBatch(encodeBatch(valid));
  FUZZ_REQUIRE(again.ok());
  FUZZ_REQUIRE(again.value().header == valid.header);
  FUZZ_REQUIRE(again.value().events.size() == valid.events.size());
  for (std::size_t i = 0; i < valid.events.size(); ++i) {
    FUZZ_REQUIRE(again.value().events[i].event.ok());
    FUZZ_REQUIRE(again.value().events[i].event.value() == valid.events[i]);
  }
  return 0;
}
