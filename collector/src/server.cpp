#include "server.hpp"

#include <httplib.h>

#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>

#include "sharetrack/answer.hpp"

namespace sharetrack::collector {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kWorkerThreads = 64;

std::int64_t unixMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// What one request did, gathered on its thread for its log line (httplib runs a request on one thread).
struct RequestFacts {
  explicit RequestFacts(Clock::time_point at = Clock::now()) : start(at) {}
  Clock::time_point start;
  std::string site, code;
  std::size_t accepted = 0, duplicate = 0, rejected = 0;
  bool botUserAgent = false;
};
thread_local RequestFacts facts;

void setJson(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_content(body, "application/json");
  res.set_header("Cache-Control", "no-store");
}

void refuse(httplib::Response& res, int status, ErrorCode code, const std::string& message) {
  facts.code = std::string(errorCodeName(code));
  setJson(res, status, encodeRefusal(BatchRefusal{kProtocolVersion, facts.code, message, std::nullopt}));
}

// Refusals carry the request's origin so the widget can read why instead of retrying blindly.
void allowOrigin(const httplib::Request& req, httplib::Response& res) {
  if (req.has_header("Origin")) res.set_header("Access-Control-Allow-Origin", req.get_header_value("Origin"));
  res.set_header("Vary", "Origin");
}

bool authorized(const httplib::Request& req, const std::vector<std::string>& tokens) {
  const std::string header = req.get_header_value("Authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (header.compare(0, kBearer.size(), kBearer) != 0) return false;
  const std::string presented = header.substr(kBearer.size());
  bool match = false;
  for (const std::string& token : tokens) {
    // Constant time per candidate: the comparison does not stop at the first difference.
    unsigned char difference = token.size() == presented.size() ? 0 : 1;
    for (std::size_t i = 0; i < token.size() && i < presented.size(); ++i) {
      difference |= static_cast<unsigned char>(token[i] ^ presented[i]);
    }
    match = match || difference == 0;
  }
  return match;
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
  // httplib answers 413 itself past this; the error handler below gives it the protocol's form.
  http.set_payload_max_length(kMaxBatchBytes);
  http.set_keep_alive_max_count(1000);
  http.set_tcp_nodelay(true);  // small answers must not wait for Nagle's algorithm (40 ms per request)
  // A worker serves one keep-alive connection at a time and mostly waits on the group commit:
  // many workers keep connections from queueing behind each other.
  http.new_task_queue = [] { return new httplib::ThreadPool(kWorkerThreads); };

  http.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
    facts = RequestFacts(Clock::now());
    return httplib::Server::HandlerResponse::Unhandled;
  });

  http.Post("/v1/batch", [this](const httplib::Request& req, httplib::Response& res) {
    IngestRequest request;
    request.body = req.body;
    const std::string origin = req.get_header_value("Origin");
    if (req.has_header("Origin")) request.origin = origin;
    const std::string userAgent = req.get_header_value("User-Agent");
    request.userAgent = userAgent;
    request.nowMs = unixMs();
    request.clientKey = keys_.keyFor(req.remote_addr, request.nowMs);
    const IngestResponse response = ingest_.handle(request);
    facts.site = response.site;
    facts.code = response.code;
    facts.accepted = response.accepted;
    facts.duplicate = response.duplicate;
    facts.rejected = response.rejected;
    facts.botUserAgent = response.botUserAgent;
    setJson(res, response.status, response.body);
    if (response.retryAfterSeconds) res.set_header("Retry-After", std::to_string(*response.retryAfterSeconds));
    allowOrigin(req, res);
  });

  http.Options("/v1/batch", [this](const httplib::Request& req, httplib::Response& res) {
    const std::string origin = req.get_header_value("Origin");
    if (!sites_.originAllowedAnywhere(origin)) {
      refuse(res, 403, ErrorCode::originNotAllowed, "origin " + origin + " is not allowed for any site");
      return;
    }
    res.status = 204;
    res.set_header("Access-Control-Allow-Origin", origin);
    res.set_header("Access-Control-Allow-Methods", "POST");
    res.set_header("Access-Control-Allow-Headers", "Content-Type");
    res.set_header("Access-Control-Max-Age", "86400");
    res.set_header("Vary", "Origin");
  });

  http.Get("/v1/batch", [](const httplib::Request& req, httplib::Response& res) {
    refuse(res, 405, ErrorCode::methodNotAllowed, "POST a batch to /v1/batch");
    res.set_header("Allow", "POST, OPTIONS");
    allowOrigin(req, res);
  });

  http.Get("/healthz",
           [](const httplib::Request&, httplib::Response& res) { setJson(res, 200, R"({"status":"ok"})"); });

  http.Get("/metrics", [this](const httplib::Request& req, httplib::Response& res) {
    if (!authorized(req, sites_.accessTokens)) {
      refuse(res, 401, ErrorCode::unauthorized, "/metrics needs a bearer token from the sites file's accessTokens");
      res.set_header("WWW-Authenticate", "Bearer");
      return;
    }
    res.set_content(metrics_.prometheus(), "text/plain; version=0.0.4");
  });

  // Errors httplib produces itself (no route, wrong method, body too large, unreadable request)
  // get the protocol's refusal form; the handlers' own refusals pass through untouched.
  const httplib::Server::HandlerWithResponse onError = [](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    switch (res.status) {
      case 404:
        refuse(res, 404, ErrorCode::notFound, "no such path: " + req.path.substr(0, 200));
        break;
      case 405:
        refuse(res, 405, ErrorCode::methodNotAllowed, req.method + " is not allowed here");
        break;
      case 413:
        refuse(res, 413, ErrorCode::batchTooLarge, "body over " + std::to_string(kMaxBatchBytes) + " bytes");
        break;
      default:
        refuse(res, res.status, ErrorCode::batchNotJson, "unreadable request");
        break;
    }
    allowOrigin(req, res);
    return httplib::Server::HandlerResponse::Handled;
  };
  http.set_error_handler(onError);

  // Logged and counted just before the answer is written, so a client that has its answer can
  // already see it in /metrics.
  http.set_post_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    const double seconds = std::chrono::duration<double>(Clock::now() - facts.start).count();
    metrics_.request(res.status, seconds);
    nlohmann::json line{{"at", unixMs()},
                        {"method", req.method},
                        {"path", req.path.substr(0, 200)},
                        {"status", res.status},
                        {"ms", std::round(seconds * 100000.0) / 100.0},
                        {"client", keys_.keyFor(req.remote_addr, unixMs())}};
    if (!facts.site.empty()) line["site"] = facts.site;
    if (!facts.code.empty()) line["code"] = facts.code;
    if (req.path == "/v1/batch" && req.method == "POST" && res.status == 200) {
      line["accepted"] = facts.accepted;
      line["duplicate"] = facts.duplicate;
      line["rejected"] = facts.rejected;
      if (facts.botUserAgent) line["botUserAgent"] = true;
    }
    log_.write(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    facts = RequestFacts(Clock::now());  // a request that fails before routing starts from here
  });
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
