#include "http_server.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

namespace sharetrack::collector {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kReadAheadBytes = 16 * 1024;  // what a connection buffers beyond its header
constexpr std::chrono::milliseconds kLingerTime{1000};
constexpr std::size_t kLingerBytes = 64 * 1024;
constexpr std::chrono::milliseconds kAcceptRetry{100};

http::response<http::string_body> toResponse(Reply reply, unsigned version, bool head) {
  http::response<http::string_body> response{static_cast<http::status>(reply.status), version};
  bool cacheControl = false;
  for (const auto& [name, value] : reply.headers) {
    response.set(name, value);
    cacheControl = cacheControl || beast::iequals(name, "Cache-Control");
  }
  if (!cacheControl) response.set(http::field::cache_control, "no-store");
  if (reply.retryAfterSeconds) response.set(http::field::retry_after, std::to_string(*reply.retryAfterSeconds));
  if (reply.allowOrigin) {
    response.set(http::field::access_control_allow_origin, *reply.allowOrigin);
    response.set(http::field::access_control_expose_headers, "Retry-After");
  }
  response.set(http::field::vary, "Origin");
  if (!reply.body.empty()) response.set(http::field::content_type, reply.contentType);
  const std::size_t length = reply.body.size();
  response.body() = std::move(reply.body);
  response.prepare_payload();
  if (head) {  // the headers of a GET, without its body
    response.body().clear();
    response.content_length(length);
  }
  return response;
}

}  // namespace

class Session;

struct HttpServer::State : std::enable_shared_from_this<State> {
  State(HttpHandler& handler, HttpLimits limits, TrustedProxies proxies)
      : handler(handler),
        limits(limits),
        proxies(std::move(proxies)),
        ioc(limits.threads),
        acceptor(ioc),
        acceptRetry(ioc) {}

  void accept();
  void onAccept(beast::error_code error, tcp::socket socket);
  bool admitConnection(const std::string& network, bool proxy);
  void release(Session* session, const std::string& network, bool countedForClient);
  bool takeBodySlot();
  void releaseBodySlot() { --bodiesInFlight; }

  HttpHandler& handler;
  HttpLimits limits;
  TrustedProxies proxies;
  net::io_context ioc;
  tcp::acceptor acceptor;
  net::steady_timer acceptRetry;
  std::atomic<bool> stopping{false};
  std::atomic<std::size_t> bodiesInFlight{0};

  std::mutex mutex;  // guards what follows
  std::size_t connections = 0;
  std::unordered_map<std::string, std::size_t> perClient;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
};

// One connection: reads requests one at a time, each within its deadlines, and writes each reply.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<HttpServer::State> state, net::ip::address peer, std::string network,
          bool countedForClient)
      : stream_(std::move(socket)),
        buffer_(state->limits.headerBytes + kReadAheadBytes),
        state_(std::move(state)),
        peer_(peer),
        network_(std::move(network)),
        countedForClient_(countedForClient) {}

  ~Session() { state_->release(this, network_, countedForClient_); }

  void start() {
    net::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::readHeader, shared_from_this()));
  }

  // At stop: a connection waiting for a request is closed; one in a request is answered first.
  void closeIfIdle() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->busy_) self->stream_.cancel();
    });
  }

 private:
  const HttpLimits& limits() const { return state_->limits; }

  void readHeader() {
    busy_ = false;
    if (state_->stopping) return close();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(limits().headerBytes));
    parser_->body_limit(limits().bodyBytes);
    stream_.expires_after(limits().headerTimeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::onHeader, shared_from_this()));
  }

  void onHeader(beast::error_code error, std::size_t) {
    if (error == http::error::end_of_stream || error == net::error::operation_aborted) return close();
    if (error == beast::error::timeout) {
      state_->handler.dropped("header_timeout");
      return close();
    }
    if (error == http::error::body_limit) {  // a declared Content-Length past any route's limit
      return respond(
          refusal(413, ErrorCode::batchTooLarge, "body over " + std::to_string(limits().bodyBytes) + " bytes"), true);
    }
    if (error == http::error::header_limit || error == http::error::buffer_overflow) {
      return respond(refusal(431, ErrorCode::headerTooLarge,
                             "request line and headers over " + std::to_string(limits().headerBytes) + " bytes"),
                     true);
    }
    if (error) {
      if (error.category() == http::make_error_code(http::error::bad_target).category()) {
        return respond(refusal(400, ErrorCode::requestInvalid, "not an HTTP/1.1 request: " + error.message()), true);
      }
      return close();
    }
    busy_ = true;
    const HttpRequest& head = parser_->get();
    client_.started = Clock::now();
    client_.network = state_->proxies.clientOf(peer_, head["X-Forwarded-For"]);
    if (auto reply = state_->handler.admit(head, client_)) return respond(std::move(*reply), !parser_->is_done());
    if (parser_->is_done()) return dispatch();
    if (!state_->takeBodySlot()) {
      return respond(refusal(503, ErrorCode::serverBusy, "too many requests at once; retry shortly", 1), true);
    }
    readingBody_ = true;
    if (beast::iequals(head[http::field::expect], "100-continue")) {
      static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      stream_.expires_after(limits().writeTimeout);
      net::async_write(stream_, net::buffer(kContinue), [self = shared_from_this()](beast::error_code e, std::size_t) {
        if (e) return self->endBody(), self->close();
        self->readBody();
      });
      return;
    }
    readBody();
  }

  void readBody() {
    stream_.expires_after(limits().bodyTimeout);
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::onBody, shared_from_this()));
  }

  void endBody() {
    if (readingBody_) state_->releaseBodySlot();
    readingBody_ = false;
  }

  void onBody(beast::error_code error, std::size_t) {
    endBody();
    if (error == http::error::body_limit) {
      return respond(
          refusal(413, ErrorCode::batchTooLarge, "body over " + std::to_string(limits().bodyBytes) + " bytes"), true);
    }
    if (error == beast::error::timeout) {
      state_->handler.dropped("body_timeout");
      return close();
    }
    if (error) return close();
    dispatch();
  }

  void dispatch() {
    // The handler may answer from another thread (the writer's): until it does, the server has
    // work, so it does not finish stopping with this request unanswered.
    auto work = net::make_work_guard(state_->ioc);
    state_->handler.handle(parser_->get(), client_, [self = shared_from_this(), work](Reply reply) {
      net::post(self->stream_.get_executor(),
                [self, reply = std::move(reply)]() mutable { self->respond(std::move(reply), false); });
    });
  }

  void respond(Reply reply, bool closeAfter) {
    busy_ = true;
    if (reply.finish) std::exchange(reply.finish, nullptr)(reply);
    const HttpRequest& request = parser_->get();
    const bool keepAlive =
        !closeAfter && request.keep_alive() && !state_->stopping && ++served_ < limits().maxRequestsPerConnection;
    auto response = std::make_shared<http::response<http::string_body>>(
        toResponse(reply, request.version() ? request.version() : 11, request.method() == http::verb::head));
    response->keep_alive(keepAlive);
    // Counted before it is written: a client that has read this reply finds it in /metrics.
    state_->handler.answered(request, client_, reply);
    stream_.expires_after(limits().writeTimeout);
    http::async_write(stream_, *response,
                      [self = shared_from_this(), response, keepAlive](beast::error_code error, std::size_t) {
                        if (error) return self->close();
                        if (keepAlive) return self->readHeader();
                        self->lingerThenClose();
                      });
  }

  // After a reply the client may still be sending (a body not read): half-close, then read and
  // discard for a moment, so that its TCP stack does not reset the connection before it has read
  // the reply.
  void lingerThenClose() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(kLingerTime);
    discard();
  }

  void discard() {
    stream_.async_read_some(net::buffer(scratch_), [self = shared_from_this()](beast::error_code error, std::size_t n) {
      self->lingered_ += n;
      if (error || self->lingered_ > kLingerBytes) return self->close();
      self->discard();
    });
  }

  void close() {
    endBody();
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::shared_ptr<HttpServer::State> state_;
  net::ip::address peer_;
  std::string network_;
  bool countedForClient_;
  std::optional<http::request_parser<http::string_body>> parser_;
  HttpClient client_;
  bool busy_ = false;
  bool readingBody_ = false;
  std::size_t served_ = 0;
  std::size_t lingered_ = 0;
  std::array<char, 4096> scratch_{};
};

void HttpServer::State::accept() {
  acceptor.async_accept(net::make_strand(ioc),
                        [self = shared_from_this()](beast::error_code error, tcp::socket socket) {
                          self->onAccept(error, std::move(socket));
                        });
}

void HttpServer::State::onAccept(beast::error_code error, tcp::socket socket) {
  if (stopping) return;
  if (error) {
    if (error == net::error::operation_aborted) return;
    // Out of file descriptors, or a connection reset before it was taken: try again shortly
    // rather than spin.
    acceptRetry.expires_after(kAcceptRetry);
    acceptRetry.async_wait([self = shared_from_this()](beast::error_code e) {
      if (!e && !self->stopping) self->accept();
    });
    return;
  }
  beast::error_code ignored;
  const tcp::endpoint remote = socket.remote_endpoint(ignored);
  const net::ip::address peer = remote.address();
  const bool proxy = proxies.trusts(peer);
  std::string network = clientNetwork(peer);
  if (!admitConnection(network, proxy)) {
    handler.dropped("connection_limit");
    socket.close(ignored);
  } else {
    socket.set_option(tcp::no_delay(true), ignored);  // small answers must not wait for Nagle
    auto session = std::make_shared<Session>(std::move(socket), shared_from_this(), peer, std::move(network), !proxy);
    {
      std::lock_guard lock(mutex);
      sessions.emplace(session.get(), session);
    }
    session->start();
  }
  accept();
}

bool HttpServer::State::admitConnection(const std::string& network, bool proxy) {
  std::lock_guard lock(mutex);
  if (connections >= limits.maxConnections) return false;
  if (!proxy) {
    std::size_t& count = perClient[network];
    if (count >= limits.maxConnectionsPerClient) return false;
    ++count;
  }
  ++connections;
  return true;
}

void HttpServer::State::release(Session* session, const std::string& network, bool countedForClient) {
  std::lock_guard lock(mutex);
  --connections;
  sessions.erase(session);
  if (!countedForClient) return;
  const auto it = perClient.find(network);
  if (it != perClient.end() && --it->second == 0) perClient.erase(it);
}

bool HttpServer::State::takeBodySlot() {
  if (++bodiesInFlight <= limits.maxBodiesInFlight) return true;
  --bodiesInFlight;
  return false;
}

HttpServer::HttpServer(HttpHandler& handler, HttpLimits limits, TrustedProxies proxies)
    : state_(std::make_shared<State>(handler, limits, std::move(proxies))) {}

HttpServer::~HttpServer() = default;

const HttpLimits& HttpServer::limits() const { return state_->limits; }

std::optional<int> HttpServer::bind(const std::string& host, int port) {
  beast::error_code error;
  const auto address = net::ip::make_address(host, error);
  if (error) return std::nullopt;
  const tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
  tcp::acceptor& acceptor = state_->acceptor;
  acceptor.open(endpoint.protocol(), error);
  if (!error) acceptor.set_option(net::socket_base::reuse_address(true), error);
  if (!error) acceptor.bind(endpoint, error);
  if (!error) acceptor.listen(net::socket_base::max_listen_connections, error);
  if (error) return std::nullopt;
  return acceptor.local_endpoint().port();
}

void HttpServer::run() {
  state_->accept();
  std::vector<std::thread> threads;
  for (int i = 1; i < state_->limits.threads; ++i) threads.emplace_back([this] { state_->ioc.run(); });
  state_->ioc.run();
  for (auto& thread : threads) thread.join();
}

void HttpServer::stop() {
  net::post(state_->ioc, [state = state_] {
    state->stopping = true;
    beast::error_code ignored;
    state->acceptor.close(ignored);
    state->acceptRetry.cancel();
    std::vector<std::shared_ptr<Session>> live;
    {
      std::lock_guard lock(state->mutex);
      for (const auto& [raw, weak] : state->sessions) {
        if (auto session = weak.lock()) live.push_back(std::move(session));
      }
    }
    for (const auto& session : live) session->closeIfIdle();
  });
}

}  // namespace sharetrack::collector
