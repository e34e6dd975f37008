#include "ingest.hpp"

#include <algorithm>

#include "sharetrack/answer.hpp"

namespace sharetrack::collector {
namespace {

constexpr std::uint32_t kStorageRetrySeconds = 5;

bool listed(const std::vector<std::string>& origins, std::string_view origin) {
  return std::find(origins.begin(), origins.end(), origin) != origins.end();
}

}  // namespace

Reply Ingest::handle(const IngestRequest& request) {
  auto decoded = decodeBatch(request.body);
  if (!decoded) {
    Reply refused = refusal(400, decoded.error().code, decoded.error().message);
    // No site to go by: a browser on any site's origin may read why its batch was refused.
    if (request.origin && sites_.originAllowedAnywhere(*request.origin)) refused.allowOrigin = *request.origin;
    return refused;
  }
  const BatchHeader& header = decoded.value().header;
  const Site* site = sites_.find(header.site);
  if (!site) {
    Reply refused = refusal(403, ErrorCode::siteUnknown, "site '" + header.site + "' is not served here");
    if (request.origin && sites_.originAllowedAnywhere(*request.origin)) refused.allowOrigin = *request.origin;
    return refused;
  }
  if (request.origin && !listed(site->origins, *request.origin)) {
    Reply refused = refusal(403, ErrorCode::originNotAllowed,
                            "origin " + std::string(*request.origin) + " is not allowed for site " + site->id);
    refused.site = site->id;
    return refused;  // no CORS header: the page is not one of this site's
  }
  Reply reply = store(request, *site, decoded.value());
  reply.site = site->id;
  if (request.origin) reply.allowOrigin = *request.origin;
  return reply;
}

Reply Ingest::store(const IngestRequest& request, const Site& site, const DecodedBatch& decoded) {
  if (const auto wait = limiter_.take(site.id, request.clientKey, site.rateLimit, request.nowMs)) {
    return refusal(429, ErrorCode::rateLimited, "too many batches; retry later", wait);
  }
  IncomingBatch incoming;
  incoming.header = decoded.header;
  incoming.receivedAtMs = request.nowMs;
  incoming.botUserAgent = bots_.isBot(request.userAgent);
  for (const DecodedEvent& event : decoded.events) {
    if (event.event.ok()) incoming.events.push_back(event.event.value());
  }
  auto stored = writer_.write(incoming);
  if (!stored) {
    return refusal(503, ErrorCode::storageUnavailable, "the batch could not be stored; nothing was",
                   kStorageRetrySeconds);
  }

  Reply reply;
  reply.botUserAgent = incoming.botUserAgent;
  BatchAnswer answer;
  answer.batchId = decoded.header.id;
  std::size_t next = 0;
  std::uint64_t bots = 0;
  for (const DecodedEvent& event : decoded.events) {
    EventResult result;
    result.id = event.id;
    if (!event.event.ok()) {
      result.status = EventStatus::rejected;
      result.code = std::string(errorCodeName(event.event.error().code));
      result.message = event.event.error().message;
      ++reply.rejected;
    } else {
      const StoreOutcome outcome = stored.value()[next];
      const Event& storedEvent = incoming.events[next++];
      result.status = outcome == StoreOutcome::accepted ? EventStatus::accepted : EventStatus::duplicate;
      ++(outcome == StoreOutcome::accepted ? reply.accepted : reply.duplicate);
      const auto* clickback = std::get_if<ClickbackEvent>(&storedEvent.body);
      if (outcome == StoreOutcome::accepted && (incoming.botUserAgent || (clickback && clickback->botSignals))) ++bots;
    }
    answer.results.push_back(std::move(result));
  }
  metrics_.events(reply.accepted, reply.duplicate, reply.rejected, bots);
  reply.body = encodeAnswer(answer);
  return reply;
}

}  // namespace sharetrack::collector
