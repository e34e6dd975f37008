// Reading the collector's answer (core/PROTOCOL.md, "Answer") with nlohmann/json: natively, in
// the collector's tests and any native client; part of sharetrack::decode.
#pragma once

#include <string_view>

#include "sharetrack/answer.hpp"
#include "sharetrack/result.hpp"

namespace sharetrack {

// Any text that is not one of the two forms, or breaks validateAnswer, fails with answerMalformed.
Result<Answer> decodeAnswer(std::string_view text);

}  // namespace sharetrack
