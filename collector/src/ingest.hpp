// POST /v1/batch: from the request's facts to the reply, with the core's codec deciding what is
// valid. Replies only after the batch is durably stored.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "batch_writer.hpp"
#include "bot_list.hpp"
#include "metrics.hpp"
#include "rate_limiter.hpp"
#include "reply.hpp"
#include "sharetrack/batch_decode.hpp"
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

  Reply handle(const IngestRequest& request);

 private:
  Reply store(const IngestRequest& request, const Site& site, const DecodedBatch& decoded);

  const SitesConfig& sites_;
  RateLimiter& limiter_;
  BatchWriter& writer_;
  const BotList& bots_;
  Metrics& metrics_;
};

}  // namespace sharetrack::collector
