#include "ingest.hpp"

#include <algorithm>

#include "sharetrack/answer.hpp"
#include "sharetrack/batch_codec.hpp"

namespace sharetrack::collector {

constexpr std::uint32_t kStorageRetrySeconds = 5;

IngestResponse refusal(int status, ErrorCode code, const std::string& message,
                       std::optional<std::uint32_t> retryAfterSeconds) {
  IngestResponse response;
  response.status = status;
  response.code = std::string(errorCodeName(code));
  response.retryAfterSeconds = retryAfterSeconds;
  response.body = encodeRefusal(BatchRefusal{kProtocolVersion, response.code, message, retryAfterSeconds});
  return response;
}

IngestResponse Ingest::handle(const IngestRequest& request) {
  if (request.body.size() > kMaxBatchBytes) {
    return refusal(
        413, ErrorCode::batchTooLarge,
        "batch of " + std::to_string(request.body.size()) + " bytes (at most " + std::to_string(kMaxBatchBytes) + ")");
  }
  auto decoded = decodeBatch(request.body);
  if (!decoded) return refusal(400, decoded.error().code, decoded.error().message);
  const BatchHeader& header = decoded.value().header;

  const Site* site = sites_.find(header.site);
  if (!site) return refusal(403, ErrorCode::siteUnknown, "site '" + header.site + "' is not served here");
  if (request.origin && std::find(site->origins.begin(), site->origins.end(), *request.origin) == site->origins.end()) {
    IngestResponse refused = refusal(403, ErrorCode::originNotAllowed,
                                     "origin " + std::string(*request.origin) + " is not allowed for site " + site->id);
    refused.site = site->id;
    return refused;
  }
  if (const auto wait = limiter_.take(site->id, request.clientKey, site->rateLimit, request.nowMs)) {
    IngestResponse refused = refusal(429, ErrorCode::rateLimited, "too many batches; retry later", wait);
    refused.site = site->id;
    return refused;
  }

  IncomingBatch incoming;
  incoming.header = header;
  incoming.receivedAtMs = request.nowMs;
  incoming.botUserAgent = bots_.isBot(request.userAgent);
  for (const DecodedEvent& event : decoded.value().events) {
    if (event.event.ok()) incoming.events.push_back(event.event.value());
  }
  auto stored = writer_.write(incoming);
  if (!stored) {
    return refusal(503, ErrorCode::storageUnavailable, "the batch could not be stored; nothing was",
                   kStorageRetrySeconds);
  }

  IngestResponse response;
  response.site = site->id;
  response.corsAllowed = true;
  response.botUserAgent = incoming.botUserAgent;
  BatchAnswer answer;
  answer.batchId = header.id;
  std::size_t next = 0;
  std::uint64_t bots = 0;
  for (const DecodedEvent& event : decoded.value().events) {
    EventResult result;
    result.id = event.id;
    if (!event.event.ok()) {
      result.status = EventStatus::rejected;
      result.code = std::string(errorCodeName(event.event.error().code));
      result.message = event.event.error().message;
      ++response.rejected;
    } else {
      const StoreOutcome outcome = stored.value()[next];
      const Event& storedEvent = incoming.events[next++];
      result.status = outcome == StoreOutcome::accepted ? EventStatus::accepted : EventStatus::duplicate;
      ++(outcome == StoreOutcome::accepted ? response.accepted : response.duplicate);
      const auto* clickback = std::get_if<ClickbackEvent>(&storedEvent.body);
      if (outcome == StoreOutcome::accepted && (incoming.botUserAgent || (clickback && clickback->botSignals))) ++bots;
    }
    answer.results.push_back(std::move(result));
  }
  metrics_.events(response.accepted, response.duplicate, response.rejected, bots);
  response.body = encodeAnswer(answer);
  return response;
}

}  // namespace sharetrack::collector
