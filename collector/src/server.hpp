// The collector's routes on its HTTP server: POST /v1/batch (public, CORS by each site's origins),
// the query API under /v1/sites/ and /metrics (bearer tokens), /healthz, the dashboard's files at
// /dashboard/, an optional static folder, and one JSON log line per request.
#pragma once

#include <cstdio>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "client_key.hpp"
#include "http_server.hpp"
#include "ingest.hpp"
#include "query_api.hpp"
#include "metrics.hpp"
#include "rate_limiter.hpp"
#include "reply.hpp"
#include "sites.hpp"
#include "static_files.hpp"

namespace sharetrack::collector {

// One JSON object per line, written whole under a lock.
class RequestLog {
 public:
  explicit RequestLog(std::FILE* out) : out_(out) {}
  void write(std::string_view line);

 private:
  std::mutex mutex_;
  std::FILE* out_;
};

class CollectorServer final : public HttpHandler {
 public:
  CollectorServer(const SitesConfig& sites, Ingest& ingest, QueryApi& queries, Metrics& metrics, const ClientKeys& keys,
                  RequestLog& log, std::optional<StaticFiles> files, std::optional<StaticFiles> dashboard,
                  HttpLimits limits, TrustedProxies proxies);

  std::optional<int> bind(const std::string& host, int port) { return http_.bind(host, port); }
  // Serves until stop(); every request in progress is answered before it returns.
  void run() { http_.run(); }
  void stop() { http_.stop(); }

  std::optional<Reply> admit(const HttpRequest& head, const HttpClient& client) override;
  void handle(const HttpRequest& request, const HttpClient& client, std::function<void(Reply)> done) override;
  void answered(const HttpRequest& request, const HttpClient& client, const Reply& reply) override;
  void dropped(const char* why) override;

 private:
  // The routes, one handler each.
  std::optional<Reply> admitBatch(const HttpRequest& head, const HttpClient& client);
  void postBatch(const HttpRequest& request, const HttpClient& client, std::function<void(Reply)> done);
  Reply preflightBatch(const HttpRequest& request) const;
  Reply health() const;
  Reply metricsText(const HttpRequest& request) const;
  Reply notFound(const HttpRequest& request) const;
  Reply methodNotAllowed(const HttpRequest& request, const char* allow) const;

  std::string clientKey(const HttpClient& client) const;
  bool fromSomeSite(const HttpRequest& request) const;

  const SitesConfig& sites_;
  Ingest& ingest_;
  QueryApi& queries_;
  Metrics& metrics_;
  const ClientKeys& keys_;
  RequestLog& log_;
  std::optional<StaticFiles> files_;
  std::optional<StaticFiles> dashboard_;
  RateLimiter beforeParsing_;  // per client, at the loosest of the sites' limits
  RateLimit loosest_;
  HttpServer http_;
};

}  // namespace sharetrack::collector
