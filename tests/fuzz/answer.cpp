// Any response body as the collector's answer (a proxy or an attacker may answer instead):
// decoding never crashes, and an answer it accepts, written again, decodes to the same answer.
#include <variant>

#include "fuzz_check.hpp"
#include "sharetrack/answer_decode.hpp"

using namespace sharetrack;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto answer = decodeAnswer(fuzz::textOf(data, size));
  if (!answer) return 0;
  FUZZ_REQUIRE(validateAnswer(answer.value()).ok());
  const auto* stored = std::get_if<BatchAnswer>(&answer.value());
  const std::string text = stored ? encodeAnswer(*stored) : encodeRefusal(std::get<BatchRefusal>(answer.value()));
  const auto again = decodeAnswer(text);
  FUZZ_REQUIRE(again.ok());
  FUZZ_REQUIRE(again.value() == answer.value());
  return 0;
}
