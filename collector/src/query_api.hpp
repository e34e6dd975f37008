// The query API under /v1/sites/{site}/ (collector/openapi.yaml): overview, series, contents,
// channels, leaderboard, a visitor's score, cascades and one cascade's tree, verdict counts, CSV
// exports, and erasure of a visitor or a subscriber. Every request carries one of the site's
// access tokens as a bearer token; answers come from the kept ScoreBooks.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "batch_writer.hpp"
#include "http_server.hpp"
#include "reply.hpp"
#include "score_keeper.hpp"
#include "sites.hpp"

namespace sharetrack::collector {

class QueryApi {
 public:
  QueryApi(const SitesConfig& sites, ScoreKeeper& keeper, BatchWriter& writer);

  static bool handles(std::string_view path);
  // Calls `done` once: at once, or from the writer thread for an erasure.
  void handle(const HttpRequest& request, std::int64_t nowMs, std::function<void(Reply)> done);

 private:
  const SitesConfig& sites_;
  std::vector<std::string> everyToken_;  // of any site or the collector: a bearer of none gets 401
  ScoreKeeper& keeper_;
  BatchWriter& writer_;
};

}  // namespace sharetrack::collector
