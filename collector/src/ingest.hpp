// POST /v1/batch: from the request's facts to the reply, with the core's codec and admission
// rules deciding what is valid. Replies only after the batch is durably stored.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "batch_writer.hpp"
#include "bot_list.hpp"
#include "metrics.hpp"
#include "rate_limiter.hpp"
#include "reply.hpp"
#include "sites.hpp"

namespace sharetrack::collector {

struct IngestRequest {
  std::string_view body;
  std::optional<std::string_view> origin;  // absent for non-browser clients
  std::string_view userAgent;
  std::string clientKey;
  std::int64_t nowMs = 0;
};

class Ingest {
 public:
  Ingest(const SitesConfig& sites, RateLimiter& limiter, BatchWriter& writer, const BotList& bots, Metrics& metrics)
      : sites_(sites), limiter_(limiter), writer_(writer), bots_(bots), metrics_(metrics) {}

  // Calls `done` once: at once for a refusal, else from the writer once the batch is durable,
  // with a reply whose finish() encodes the answer. `request` need only stay valid during this
  // call.
  void handle(const IngestRequest& request, std::function<void(Reply)> done);

 private:
  const SitesConfig& sites_;
  RateLimiter& limiter_;  // per site and client
  BatchWriter& writer_;
  const BotList& bots_;
  Metrics& metrics_;
};

}  // namespace sharetrack::collector
