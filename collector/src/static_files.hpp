// The demo site's files (--static): GET and HEAD only; a path with a NUL or control character is
// refused; what a path resolves to, symlinks and all, must lie inside the folder; at most one
// byte range (a video's seek), never several; and X-Content-Type-Options: nosniff.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "http_server.hpp"
#include "reply.hpp"
#include "sharetrack/result.hpp"

namespace sharetrack::collector {

class StaticFiles {
 public:
  // Fails with configInvalid when `folder` is no folder.
  static Result<StaticFiles> open(const std::string& folder);

  // The file the request names, or nullopt when there is none (so another route may answer).
  std::optional<Reply> serve(const HttpRequest& request) const;

 private:
  explicit StaticFiles(std::filesystem::path root) : root_(std::move(root)) {}
  std::filesystem::path root_;
};

}  // namespace sharetrack::collector
