#include "server.hpp"

#include <httplib.h>

#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>

#include "bearer_token.hpp"

namespace sharetrack::collector {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kWorkerThreads = 64;
constexpr std::string_view kBatchPath = "/v1/batch";

std::int64_t unixMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// What one request did, gathered on its thread for its log line (httplib runs a request on one thread).
struct RequestFacts {
  Clock::time_point start = Clock::now();
  Reply reply;
};
thread_local RequestFacts facts;

void send(httplib::Response& res, Reply reply) {
  res.status = reply.status;
  if (!reply.body.empty()) res.set_content(reply.body, reply.contentType.c_str());
  res.set_header("Cache-Control", "no-store");
  if (reply.retryAfterSeconds) res.set_header("Retry-After", std::to_string(*reply.retryAfterSeconds));
  if (reply.allowOrigin) {
    res.set_header("Access-Control-Allow-Origin", *reply.allowOrigin);
    res.set_header("Access-Control-Expose-Headers", "Retry-After");
  }
  res.set_header("Vary", "Origin");
  for (const auto& [name, value] : reply.headers) res.set_header(name, value);
  facts.reply = std::move(reply);
}

std::optional<std::string_view> originOf(const httplib::Request& req) {
  const auto it = req.headers.find("Origin");
  return it == req.headers.end() ? std::nullopt : std::optional<std::string_view>(it->second);
}

}  // namespace

void RequestLog::write(const std::string& line) {
  std::lock_guard lock(mutex_);
  std::fputs(line.c_str(), out_);
  std::fputc('\n', out_);
  std::fflush(out_);
}

CollectorServer::CollectorServer(const SitesConfig& sites, Ingest& ingest, Metrics& metrics, const ClientKeys& keys,
                                 RequestLog& log)
    : sites_(sites),
      ingest_(ingest),
      metrics_(metrics),
      keys_(keys),
      log_(log),
      http_(std::make_unique<httplib::Server>()) {
  routes();
}

CollectorServer::~CollectorServer() = default;

void CollectorServer::routes() {
  httplib::Server& http = *http_;
  // httplib answers 413 itself past this; httpError gives it the protocol's form.
  http.set_payload_max_length(kMaxBatchBytes);
  http.set_keep_alive_max_count(1000);
  http.set_tcp_nodelay(true);  // small answers must not wait for Nagle's algorithm (40 ms per request)
  // A worker serves one keep-alive connection at a time and mostly waits on the group commit:
  // many workers keep connections from queueing behind each other.
  http.new_task_queue = [] { return new httplib::ThreadPool(kWorkerThreads); };

  const auto route = [](auto handler) {
    return [handler](const httplib::Request& req, httplib::Response& res) { send(res, handler(req)); };
  };
  http.Post(kBatchPath.data(), route([this](const auto& req) { return postBatch(req); }));
  http.Options(kBatchPath.data(), route([this](const auto& req) { return preflightBatch(req); }));
  http.Get(kBatchPath.data(), route([this](const auto& req) { return httpError(req, 405); }));
  http.Get("/healthz", route([this](const auto&) { return health(); }));
  http.Get("/metrics", route([this](const auto& req) { return metrics(req); }));

  http.set_error_handler(
      httplib::Server::HandlerWithResponse([this](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;  // a handler's own reply
        send(res, httpError(req, res.status));
        return httplib::Server::HandlerResponse::Handled;
      }));
  http.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
    facts = RequestFacts{};
    return httplib::Server::HandlerResponse::Unhandled;
  });
  // Logged and counted just before the answer is written, so a client that has its answer can
  // already see it in /metrics.
  http.set_post_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    logRequest(req, res);
    facts = RequestFacts{};  // a request that fails before routing starts from here
  });
}

Reply CollectorServer::postBatch(const httplib::Request& req) const {
  IngestRequest request;
  request.body = req.body;
  request.origin = originOf(req);
  const std::string userAgent = req.get_header_value("User-Agent");
  request.userAgent = userAgent;
  request.nowMs = unixMs();
  request.clientKey = keys_.keyFor(req.remote_addr, request.nowMs);
  return ingest_.handle(request);
}

Reply CollectorServer::preflightBatch(const httplib::Request& req) const {
  const std::string origin = req.get_header_value("Origin");
  if (!sites_.originAllowedAnywhere(origin)) {
    return refusal(403, ErrorCode::originNotAllowed, "origin " + origin + " is not allowed for any site");
  }
  Reply reply;
  reply.status = 204;
  reply.allowOrigin = origin;
  reply.headers = {{"Access-Control-Allow-Methods", "POST"},
                   {"Access-Control-Allow-Headers", "Content-Type"},
                   {"Access-Control-Max-Age", "86400"}};
  return reply;
}

Reply CollectorServer::health() const {
  Reply reply;
  reply.body = R"({"status":"ok"})";
  return reply;
}

Reply CollectorServer::metrics(const httplib::Request& req) const {
  if (!bearerTokenMatches(req.get_header_value("Authorization"), sites_.accessTokens)) {
    Reply refused =
        refusal(401, ErrorCode::unauthorized, "/metrics needs a bearer token from the sites file's accessTokens");
    refused.headers = {{"WWW-Authenticate", "Bearer"}};
    return refused;
  }
  Reply reply;
  reply.body = metrics_.prometheus();
  reply.contentType = "text/plain; version=0.0.4";
  return reply;
}

Reply CollectorServer::httpError(const httplib::Request& req, int status) const {
  Reply reply;
  switch (status) {
    case 404:
      reply = refusal(404, ErrorCode::notFound, "no such path: " + req.path.substr(0, 200));
      break;
    case 405:
      reply = refusal(405, ErrorCode::methodNotAllowed, req.method + " is not allowed here");
      if (req.path == kBatchPath) reply.headers = {{"Allow", "POST, OPTIONS"}};
      break;
    case 413:
      reply = refusal(413, ErrorCode::batchTooLarge, "body over " + std::to_string(kMaxBatchBytes) + " bytes");
      break;
    default:
      reply = refusal(status, ErrorCode::batchNotJson, "unreadable request");
      break;
  }
  // A widget on any site's page may read why its batch was refused rather than retry blindly.
  const auto origin = originOf(req);
  if (req.path == kBatchPath && origin && sites_.originAllowedAnywhere(*origin)) reply.allowOrigin = *origin;
  return reply;
}

void CollectorServer::logRequest(const httplib::Request& req, const httplib::Response& res) const {
  const double seconds = std::chrono::duration<double>(Clock::now() - facts.start).count();
  metrics_.request(res.status, seconds);
  const Reply& reply = facts.reply;
  nlohmann::json line{{"at", unixMs()},
                      {"method", req.method},
                      {"path", req.path.substr(0, 200)},
                      {"status", res.status},
                      {"ms", std::round(seconds * 100000.0) / 100.0},
                      {"client", keys_.keyFor(req.remote_addr, unixMs())}};
  if (!reply.site.empty()) line["site"] = reply.site;
  if (!reply.code.empty()) line["code"] = reply.code;
  if (req.path == kBatchPath && req.method == "POST" && res.status == 200) {
    line["accepted"] = reply.accepted;
    line["duplicate"] = reply.duplicate;
    line["rejected"] = reply.rejected;
    if (reply.botUserAgent) line["botUserAgent"] = true;
  }
  log_.write(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

bool CollectorServer::serveStatic(const std::string& dir) { return http_->set_mount_point("/", dir); }

std::optional<int> CollectorServer::bind(const std::string& host, int port) {
  if (port == 0) {
    const int bound = http_->bind_to_any_port(host);
    return bound > 0 ? std::optional<int>(bound) : std::nullopt;
  }
  return http_->bind_to_port(host, port) ? std::optional<int>(port) : std::nullopt;
}

bool CollectorServer::listen() { return http_->listen_after_bind(); }

void CollectorServer::stop() { http_->stop(); }

}  // namespace sharetrack::collector
