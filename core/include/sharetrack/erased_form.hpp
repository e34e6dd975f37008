// What is left of an erased visitor's stored event (DESIGN.md, "Scores", erasure): only what
// gives the cascades their shape, under a fresh anonymous id. The collector rewrites its stored
// rows with it, so a ScoreBook rebuilt from storage equals one that erased in memory.
#pragma once

#include <optional>
#include <string>

#include "sharetrack/score_book.hpp"

namespace sharetrack {

// A share keeps its token, parent and channel; a human's clickback its token; a summary its
// address-bar token and nothing it measured. A bot's clickback, a conversion, and a summary
// without a token leave nothing. The subscriber goes, and the client key but where it registers a
// token.
std::optional<StoredEvent> erasedForm(const StoredEvent& event, const std::string& anonymousId);

}  // namespace sharetrack
