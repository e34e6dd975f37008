// What a handler answers: status, JSON body, the headers that depend on the request, and what
// the request log says of it. Every refusal has the protocol's form (core/PROTOCOL.md, "Answer").
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sharetrack/error.hpp"

namespace sharetrack::collector {

struct Reply {
  int status = 200;
  std::string body;
  std::string contentType = "application/json";
  std::optional<std::uint32_t> retryAfterSeconds;
  // CORS: the request's Origin, echoed only when it is one of the site's origins.
  std::optional<std::string> allowOrigin;
  std::vector<std::pair<std::string, std::string>> headers;  // any others (Allow, WWW-Authenticate)
  // For the request log.
  std::string site;
  std::string code;
  std::size_t accepted = 0, duplicate = 0, rejected = 0;
  bool botUserAgent = false;
  // What is left to compute, run on the connection's thread before anything else reads the
  // reply: a reply completed on the writer's thread leaves its answer to be encoded there.
  std::function<void(Reply&)> finish;
};

// A refusal of the whole request, with the error's wire code.
Reply refusal(int status, ErrorCode code, const std::string& message,
              std::optional<std::uint32_t> retryAfterSeconds = std::nullopt);

}  // namespace sharetrack::collector
