// A folder served under a path prefix: the demo site's files (--static, at /) and the dashboard
// (--dashboard, at /dashboard/). GET and HEAD only; a path with a NUL or control character is
// refused; what a path resolves to, symlinks and all, must lie inside the folder; at most one
// byte range (a video's seek), never several; X-Content-Type-Options: nosniff, and any headers
// the folder's pages need (the dashboard's Content-Security-Policy).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "http_server.hpp"
#include "reply.hpp"
#include "sharetrack/result.hpp"

namespace sharetrack::collector {

class StaticFiles {
 public:
  // Fails with configInvalid, naming `flag`, when `folder` is no folder. `prefix` starts and ends
  // with '/'.
  static Result<StaticFiles> open(const std::string& folder, const std::string& flag, std::string prefix = "/",
                                  std::vector<std::pair<std::string, std::string>> headers = {});

  // The file the request names, or nullopt when there is none (so another route may answer).
  std::optional<Reply> serve(const HttpRequest& request) const;

 private:
  StaticFiles(std::filesystem::path root, std::string prefix, std::vector<std::pair<std::string, std::string>> headers)
      : root_(std::move(root)), prefix_(std::move(prefix)), headers_(std::move(headers)) {}
  std::filesystem::path root_;
  std::string prefix_;
  std::vector<std::pair<std::string, std::string>> headers_;
};

}  // namespace sharetrack::collector
