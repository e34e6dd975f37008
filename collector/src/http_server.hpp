// The collector's HTTP/1.1 server, made to stand on the open internet by itself (Boost.Beast,
// event-driven): a slow or idle client holds a socket and a few kilobytes, never a thread; every
// request has a deadline for its whole header and another for its whole body; header bytes and
// body bytes are bounded whatever the framing; connections are capped in all and per client; and
// the handler decides from the header alone whether a body is read at all.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "client_address.hpp"
#include "reply.hpp"

namespace sharetrack::collector {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;

struct HttpLimits {
  std::size_t headerBytes = 8 * 1024;  // the request line and every header line together
  std::size_t bodyBytes = 64 * 1024;   // any body; each route may admit less
  // From the moment a connection waits for a request (idle keep-alive included) to its header's
  // last byte; then from there to the body's last byte; then to write the answer.
  std::chrono::milliseconds headerTimeout{10000};
  std::chrono::milliseconds bodyTimeout{10000};
  std::chrono::milliseconds writeTimeout{10000};
  std::size_t maxConnections = 10000;        // lowered to what the open-file limit allows
  std::size_t maxConnectionsPerClient = 64;  // per clientNetwork() of the peer (not for trusted proxies)
  std::size_t maxBodiesInFlight = 256;       // connections reading a body at once; more wait with a 503
  std::size_t maxRequestsPerConnection = 10000;
  int threads = 2;
};

// Who sent a request: the client's network (clientNetwork, through trusted proxies) and when the
// request's header was complete.
struct HttpClient {
  std::string network;
  std::chrono::steady_clock::time_point started;
};

class HttpHandler {
 public:
  virtual ~HttpHandler() = default;
  // From the request line and headers alone, before any body byte is read: a reply that ends the
  // request now (the body is never read), or nullopt to read the body and handle it.
  virtual std::optional<Reply> admit(const HttpRequest& head, const HttpClient& client) = 0;
  // The whole request, which stays valid until `done` is called: exactly once, from any thread,
  // possibly later.
  virtual void handle(const HttpRequest& request, const HttpClient& client, std::function<void(Reply)> done) = 0;
  // After each reply is written (or the connection failed writing it): for logs and metrics.
  virtual void answered(const HttpRequest& request, const HttpClient& client, const Reply& reply) = 0;
  // A connection the server closed without a reply: refused at accept, timed out, unreadable.
  virtual void dropped(const char* why) = 0;
};

class HttpServer {
 public:
  HttpServer(HttpHandler& handler, HttpLimits limits, TrustedProxies proxies);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // The bound port (the chosen one for port 0); nullopt when the address cannot be bound.
  std::optional<int> bind(const std::string& host, int port);
  // Serves on `threads` threads until stop(); returns once every connection has closed.
  void run();
  // Stops accepting, closes idle connections, lets each request in progress be answered.
  void stop();

  const HttpLimits& limits() const;

  struct State;  // shared with the connections (http_server.cpp)

 private:
  std::shared_ptr<State> state_;
};

}  // namespace sharetrack::collector
