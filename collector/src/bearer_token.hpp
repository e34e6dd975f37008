// Access to the query API, the dashboard and /metrics: an "Authorization: Bearer <token>" header
// holding one of the sites file's tokens.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sharetrack::collector {

// Compared in constant time (libsodium): both sides are hashed with BLAKE2b and the hashes
// compared with sodium_memcmp, so timing reveals neither a token's bytes nor its length.
bool bearerTokenMatches(std::string_view authorizationHeader, const std::vector<std::string>& tokens);

}  // namespace sharetrack::collector
