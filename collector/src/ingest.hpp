// POST /v1/batch: from the request's facts to the answer, with the core's codec deciding what is
// valid. Answers only after the batch is durably stored.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "batch_writer.hpp"
#include "bot_list.hpp"
#include "metrics.hpp"
#include "rate_limiter.hpp"
#include "sites.hpp"

namespace sharetrack::collector {

struct IngestRequest {
  std::string_view body;
  std::optional<std::string_view> origin;  // absent for non-browser clients
  std::string_view userAgent;
  std::string clientKey;
  std::int64_t nowMs = 0;
};

struct IngestResponse {
  int status = 200;
  std::string body;
  std::optional<std::uint32_t> retryAfterSeconds;
  bool corsAllowed = false;  // the origin may read a success; refusals are readable by any origin
  // For the request log.
  std::string site;
  std::string code;
  std::size_t accepted = 0, duplicate = 0, rejected = 0;
  bool botUserAgent = false;
};

class Ingest {
 public:
  Ingest(const SitesConfig& sites, RateLimiter& limiter, BatchWriter& writer, const BotList& bots, Metrics& metrics)
      : sites_(sites), limiter_(limiter), writer_(writer), bots_(bots), metrics_(metrics) {}

  IngestResponse handle(const IngestRequest& request);

 private:
  const SitesConfig& sites_;
  RateLimiter& limiter_;
  BatchWriter& writer_;
  const BotList& bots_;
  Metrics& metrics_;
};

// A refusal of the whole request, as the protocol writes it.
IngestResponse refusal(int status, ErrorCode code, const std::string& message,
                       std::optional<std::uint32_t> retryAfterSeconds = std::nullopt);

}  // namespace sharetrack::collector
