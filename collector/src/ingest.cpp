#include "ingest.hpp"

#include <algorithm>
#include <memory>

#include "sharetrack/answer.hpp"
#include "sharetrack/batch_decode.hpp"
#include "sharetrack/event_admission.hpp"

namespace sharetrack::collector {
namespace {

constexpr std::uint32_t kStorageRetrySeconds = 5;

bool listed(const std::vector<std::string>& origins, std::string_view origin) {
  return std::find(origins.begin(), origins.end(), origin) != origins.end();
}

// What the answer needs once the batch is stored: each event's id and, when it was refused before
// storing, why.
struct PendingResult {
  std::string id;
  std::optional<Error> refused;
};

Reply answerOf(const std::string& batchId, const std::vector<PendingResult>& pending, const IncomingBatch& incoming,
               const std::vector<StoreOutcome>& stored, Metrics& metrics) {
  Reply reply;
  reply.botUserAgent = incoming.botUserAgent;
  BatchAnswer answer;
  answer.batchId = batchId;
  std::size_t next = 0;
  std::uint64_t bots = 0;
  for (const PendingResult& event : pending) {
    EventResult result;
    result.id = event.id;
    if (event.refused) {
      result.status = EventStatus::rejected;
      result.code = std::string(errorCodeName(event.refused->code));
      result.message = event.refused->message;
      ++reply.rejected;
    } else {
      const StoreOutcome outcome = stored[next];
      const Event& storedEvent = incoming.events[next++].event;
      result.status = outcome == StoreOutcome::accepted ? EventStatus::accepted : EventStatus::duplicate;
      ++(outcome == StoreOutcome::accepted ? reply.accepted : reply.duplicate);
      const auto* clickback = std::get_if<ClickbackEvent>(&storedEvent.body);
      if (outcome == StoreOutcome::accepted && (incoming.botUserAgent || (clickback && clickback->botSignals))) ++bots;
    }
    answer.results.push_back(std::move(result));
  }
  metrics.events(reply.accepted, reply.duplicate, reply.rejected, bots);
  reply.body = encodeAnswer(answer);
  return reply;
}

}  // namespace

void Ingest::handle(const IngestRequest& request, std::function<void(Reply)> done) {
  const bool browserOfSomeSite = request.origin && sites_.originAllowedAnywhere(*request.origin);
  auto decoded = decodeBatch(request.body);
  if (!decoded) {
    Reply refused = refusal(400, decoded.error().code, decoded.error().message);
    // No site to go by: a browser on any site's origin may read why its batch was refused.
    if (browserOfSomeSite) refused.allowOrigin = std::string(*request.origin);
    return done(std::move(refused));
  }
  const BatchHeader& header = decoded.value().header;
  const Site* site = sites_.find(header.site);
  if (!site) {
    Reply refused = refusal(403, ErrorCode::siteUnknown, "site '" + header.site + "' is not served here");
    if (browserOfSomeSite) refused.allowOrigin = std::string(*request.origin);
    return done(std::move(refused));
  }
  const auto refuse = [&](Reply reply) {
    reply.site = site->id;
    done(std::move(reply));
  };
  if (request.origin && !listed(site->origins, *request.origin)) {  // no CORS: not one of this site's pages
    return refuse(refusal(403, ErrorCode::originNotAllowed,
                          "origin " + std::string(*request.origin) + " is not allowed for site " + site->id));
  }
  if (!request.origin && site->requireOrigin) {
    return refuse(refusal(403, ErrorCode::originMissing,
                          "site " + site->id + " takes batches from browsers only, which send an Origin header"));
  }
  const std::optional<std::string> allowOrigin =
      request.origin ? std::optional<std::string>(*request.origin) : std::nullopt;
  if (const auto wait = limiter_.take(site->id + " " + request.clientKey, site->rateLimit, request.nowMs)) {
    Reply limited = refusal(429, ErrorCode::rateLimited, "too many batches; retry later", wait);
    limited.allowOrigin = allowOrigin;
    return refuse(std::move(limited));
  }

  auto incoming = std::make_shared<IncomingBatch>();
  incoming->receivedAtMs = request.nowMs;
  incoming->botUserAgent = bots_.isBot(request.userAgent);
  incoming->clientKey = request.clientKey;
  std::vector<DecodedEvent>& events = decoded.value().events;
  incoming->header = std::move(decoded.value().header);
  incoming->events.reserve(events.size());
  std::vector<PendingResult> pending;
  pending.reserve(events.size());
  const AdmissionPolicy policy{site->maxConversionValue};
  for (std::size_t i = 0; i < events.size(); ++i) {
    DecodedEvent& event = events[i];
    if (!event.event.ok()) {
      pending.push_back({std::move(event.id), event.event.error()});
    } else if (const Status admitted = admitEvent(event.event.value(), policy, request.nowMs); !admitted) {
      const std::string path = "events[" + std::to_string(i) + "].";
      pending.push_back({std::move(event.id), Error{admitted.error().code, path + admitted.error().message}});
    } else {
      pending.push_back({std::move(event.id), std::nullopt});
      incoming->add(std::move(event.event).value());
    }
  }
  // The writer's thread only hands the outcomes over; the answer is encoded on the connection's.
  writer_.submit(incoming, [this, incoming, pending = std::move(pending), siteId = site->id, allowOrigin,
                            done = std::move(done)](Result<std::vector<StoreOutcome>> stored) mutable {
    Reply reply;
    if (stored) {
      reply.finish = [this, incoming = std::move(incoming), pending = std::move(pending),
                      outcomes = std::move(stored).value()](Reply& unfinished) {
        Reply answered = answerOf(incoming->header.id, pending, *incoming, outcomes, metrics_);
        answered.site = std::move(unfinished.site);
        answered.allowOrigin = std::move(unfinished.allowOrigin);
        unfinished = std::move(answered);
      };
    } else {
      reply = refusal(503, ErrorCode::storageUnavailable, "the batch could not be stored; nothing was",
                      kStorageRetrySeconds);
    }
    reply.site = std::move(siteId);
    reply.allowOrigin = std::move(allowOrigin);
    done(std::move(reply));
  });
}

}  // namespace sharetrack::collector
