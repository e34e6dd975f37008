// %XX escapes of request targets, decoded once for the static files and the query API.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sharetrack::collector {

// `text` with every %XX decoded ('+' stays a plus: ids never hold spaces); nullopt for a broken
// escape.
std::optional<std::string> percentDecoded(std::string_view text);

}  // namespace sharetrack::collector
