// The collector's HTTP surface: POST /v1/batch (public, CORS by each site's origins), /healthz,
// /metrics (bearer token), an optional static folder, and one JSON log line per request.
#pragma once

#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "client_key.hpp"
#include "ingest.hpp"
#include "metrics.hpp"
#include "reply.hpp"
#include "sites.hpp"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace sharetrack::collector {

// One JSON object per line, written whole under a lock.
class RequestLog {
 public:
  explicit RequestLog(std::FILE* out) : out_(out) {}
  void write(const std::string& line);

 private:
  std::mutex mutex_;
  std::FILE* out_;
};

class CollectorServer {
 public:
  CollectorServer(const SitesConfig& sites, Ingest& ingest, Metrics& metrics, const ClientKeys& keys, RequestLog& log);
  ~CollectorServer();

  // Serves the files under `dir` for GET requests no route takes; false if it is no folder.
  bool serveStatic(const std::string& dir);
  // The bound port (the chosen one for port 0), or nullopt when the address cannot be bound.
  std::optional<int> bind(const std::string& host, int port);
  // Serves until stop(); in-flight requests are answered before it returns.
  bool listen();
  void stop();

 private:
  void routes();
  // The handlers, one per route; each returns what to answer.
  Reply postBatch(const httplib::Request& req) const;
  Reply preflightBatch(const httplib::Request& req) const;
  Reply health() const;
  Reply metrics(const httplib::Request& req) const;
  // Errors httplib produces itself (no route, wrong method, body too large, unreadable request).
  Reply httpError(const httplib::Request& req, int status) const;
  void logRequest(const httplib::Request& req, const httplib::Response& res) const;

  const SitesConfig& sites_;
  Ingest& ingest_;
  Metrics& metrics_;
  const ClientKeys& keys_;
  RequestLog& log_;
  std::unique_ptr<httplib::Server> http_;
};

}  // namespace sharetrack::collector
