#include "server.hpp"

#include <chrono>
#include <cmath>

#include "bearer_token.hpp"
#include "sharetrack/json_writer.hpp"

namespace sharetrack::collector {
namespace {

namespace http = boost::beast::http;

constexpr std::string_view kBatchPath = "/v1/batch";

std::int64_t unixMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string_view pathOf(const HttpRequest& request) {
  const std::string_view target = request.target();
  return target.substr(0, target.find('?'));
}

std::optional<std::string_view> originOf(const HttpRequest& request) {
  const auto it = request.find(http::field::origin);
  if (it == request.end()) return std::nullopt;
  return std::string_view(it->value());
}

// The declared Content-Length (the parser has checked it is a number), or nullopt.
std::optional<std::uint64_t> contentLength(const HttpRequest& head) {
  const auto it = head.find(http::field::content_length);
  if (it == head.end()) return std::nullopt;
  std::uint64_t length = 0;
  for (char c : it->value()) length = length * 10 + static_cast<std::uint64_t>(c - '0');
  return length;
}

bool hasBody(const HttpRequest& head) { return head.chunked() || contentLength(head).value_or(0) > 0; }

// "text/plain;charset=UTF-8" -> "text/plain"
std::string mediaType(std::string_view contentType) {
  std::string type(contentType.substr(0, contentType.find(';')));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return type;
}

}  // namespace

void RequestLog::write(std::string_view line) {
  std::lock_guard lock(mutex_);
  std::fwrite(line.data(), 1, line.size(), out_);
  std::fputc('\n', out_);
  std::fflush(out_);
}

CollectorServer::CollectorServer(const SitesConfig& sites, Ingest& ingest, QueryApi& queries, Metrics& metrics,
                                 const ClientKeys& keys, RequestLog& log, std::optional<StaticFiles> files,
                                 std::optional<StaticFiles> dashboard, HttpLimits limits, TrustedProxies proxies)
    : sites_(sites),
      ingest_(ingest),
      queries_(queries),
      metrics_(metrics),
      keys_(keys),
      log_(log),
      files_(std::move(files)),
      dashboard_(std::move(dashboard)),
      loosest_(sites.loosestRateLimit()),
      http_(*this, limits, std::move(proxies)) {}

std::string CollectorServer::clientKey(const HttpClient& client) const {
  return keys_.keyFor(client.network, unixMs());
}

bool CollectorServer::fromSomeSite(const HttpRequest& request) const {
  const auto origin = originOf(request);
  return origin && sites_.originAllowedAnywhere(*origin);
}

// ---- before the body ----

std::optional<Reply> CollectorServer::admit(const HttpRequest& head, const HttpClient& client) {
  if (pathOf(head) == kBatchPath && head.method() == http::verb::post) return admitBatch(head, client);
  if (hasBody(head)) return refusal(400, ErrorCode::requestInvalid, "a body where none belongs");
  return std::nullopt;
}

// What can be refused from the header alone is, before a byte of the body is read: framings and
// encodings the collector does not take, a body over the limit, a page on no site's origin, and a
// client over the loosest rate any site allows (the site's own limit follows once it is read).
std::optional<Reply> CollectorServer::admitBatch(const HttpRequest& head, const HttpClient& client) {
  const auto withCors = [&](Reply reply) {
    if (fromSomeSite(head)) reply.allowOrigin = std::string(*originOf(head));
    return reply;
  };
  const auto length = contentLength(head);
  if (head.chunked() || !length) {
    return withCors(refusal(411, ErrorCode::lengthRequired, "a batch needs a Content-Length (no chunked body)"));
  }
  if (*length > kMaxBatchBytes) {
    return withCors(refusal(413, ErrorCode::batchTooLarge, "body over " + std::to_string(kMaxBatchBytes) + " bytes"));
  }
  const std::string_view encoding = head[http::field::content_encoding];
  if (!encoding.empty() && !boost::beast::iequals(encoding, "identity")) {
    return withCors(refusal(415, ErrorCode::mediaTypeUnsupported, "a batch is sent without Content-Encoding"));
  }
  const std::string type = mediaType(head[http::field::content_type]);
  if (type != "text/plain" && type != "application/json") {
    return withCors(refusal(415, ErrorCode::mediaTypeUnsupported, "a batch is text/plain or application/json"));
  }
  if (const auto origin = originOf(head); origin && !sites_.originAllowedAnywhere(*origin)) {
    return refusal(403, ErrorCode::originNotAllowed, "origin " + std::string(*origin) + " is not allowed for any site");
  }
  if (const auto wait = beforeParsing_.take(clientKey(client), loosest_, unixMs())) {
    return withCors(refusal(429, ErrorCode::rateLimited, "too many batches; retry later", wait));
  }
  return std::nullopt;
}

// ---- the routes ----

void CollectorServer::handle(const HttpRequest& request, const HttpClient& client, std::function<void(Reply)> done) {
  const std::string_view path = pathOf(request);
  const http::verb method = request.method();
  if (path == kBatchPath) {
    if (method == http::verb::post) return postBatch(request, client, std::move(done));
    if (method == http::verb::options) return done(preflightBatch(request));
    return done(methodNotAllowed(request, "POST, OPTIONS"));
  }
  if (QueryApi::handles(path)) return queries_.handle(request, unixMs(), std::move(done));
  if (path == "/healthz" && method == http::verb::get) return done(health());
  if (path == "/metrics" && method == http::verb::get) return done(metricsText(request));
  if (dashboard_ && path == "/dashboard") {
    Reply moved;
    moved.status = 308;
    moved.headers = {{"Location", "/dashboard/"}};
    return done(std::move(moved));
  }
  if (dashboard_) {
    if (auto file = dashboard_->serve(request)) return done(std::move(*file));
  }
  if (files_) {
    if (auto file = files_->serve(request)) return done(std::move(*file));
  }
  done(notFound(request));
}

void CollectorServer::postBatch(const HttpRequest& request, const HttpClient& client, std::function<void(Reply)> done) {
  IngestRequest ingest;
  ingest.body = request.body();
  ingest.origin = originOf(request);
  ingest.userAgent = request[http::field::user_agent];
  ingest.nowMs = unixMs();
  ingest.clientKey = keys_.keyFor(client.network, ingest.nowMs);
  ingest_.handle(ingest, std::move(done));
}

Reply CollectorServer::preflightBatch(const HttpRequest& request) const {
  const std::string origin(request[http::field::origin]);
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

Reply CollectorServer::metricsText(const HttpRequest& request) const {
  if (!bearerTokenMatches(request[http::field::authorization], sites_.accessTokens)) {
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

Reply CollectorServer::notFound(const HttpRequest& request) const {
  return refusal(404, ErrorCode::notFound, "no such path: " + std::string(pathOf(request).substr(0, 200)));
}

Reply CollectorServer::methodNotAllowed(const HttpRequest& request, const char* allow) const {
  Reply reply =
      refusal(405, ErrorCode::methodNotAllowed, std::string(request.method_string()) + " is not allowed here");
  reply.headers = {{"Allow", allow}};
  if (fromSomeSite(request)) reply.allowOrigin = std::string(*originOf(request));
  return reply;
}

// ---- each reply, as it is sent: counted, then one log line ----

void CollectorServer::answered(const HttpRequest& request, const HttpClient& client, const Reply& reply) {
  const bool timed = client.started != std::chrono::steady_clock::time_point{};
  const double seconds =
      timed ? std::chrono::duration<double>(std::chrono::steady_clock::now() - client.started).count() : 0.0;
  metrics_.request(reply.status, seconds);
  // Written directly: one line per request, cheaper than building a JSON value to print it.
  JsonWriter line;
  line.beginObject().key("at").integer(unixMs()).key("method").string(request.method_string());
  line.key("path").string(pathOf(request).substr(0, 200)).key("status").integer(reply.status);
  line.key("ms").number(std::round(seconds * 100000.0) / 100.0).key("client").string(clientKey(client));
  if (!reply.site.empty()) line.key("site").string(reply.site);
  if (!reply.code.empty()) line.key("code").string(reply.code);
  if (pathOf(request) == kBatchPath && request.method() == http::verb::post && reply.status == 200) {
    line.key("accepted").integer(static_cast<std::int64_t>(reply.accepted));
    line.key("duplicate").integer(static_cast<std::int64_t>(reply.duplicate));
    line.key("rejected").integer(static_cast<std::int64_t>(reply.rejected));
    if (reply.botUserAgent) line.key("botUserAgent").boolean(true);
  }
  log_.write(line.endObject().text());
}

void CollectorServer::dropped(const char* why) { metrics_.dropped(why); }

}  // namespace sharetrack::collector
