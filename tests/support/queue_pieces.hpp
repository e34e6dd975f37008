// Storage as the shell keeps one tab's queue: piece name -> text, changed by the engine's writes
// (OutboundQueue::takeWrites). Header-only: the fuzz targets use it without Catch2.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "sharetrack/outbound_queue.hpp"

namespace sharetrack::test {

using QueuePieces = std::map<std::string, std::string>;

// Writes each piece, or removes it when its text is empty, as web/src/persistence.ts does.
inline void applyQueueWrites(QueuePieces& pieces, std::vector<QueueWrite> writes) {
  for (QueueWrite& write : writes) {
    if (write.text.empty()) {
      pieces.erase(write.name);
    } else {
      pieces[write.name] = std::move(write.text);
    }
  }
}

}  // namespace sharetrack::test
