#include "support/attacks.hpp"

#include <strings.h>

#include <chrono>
#include <cstdlib>

#include "support/raw_connection.hpp"

namespace sharetrack::test::attacks {
namespace {

using Clock = std::chrono::steady_clock;

long msSince(Clock::time_point start) {
  return static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count());
}

std::string headerValue(const std::string& head, std::string_view name) {
  std::size_t at = 0;
  while ((at = head.find("\r\n", at)) != std::string::npos) {
    at += 2;
    if (head.size() >= at + name.size() + 1 && strncasecmp(head.c_str() + at, name.data(), name.size()) == 0 &&
        head[at + name.size()] == ':') {
      const std::size_t start = head.find_first_not_of(' ', at + name.size() + 1);
      return head.substr(start, head.find("\r\n", start) - start);
    }
  }
  return "";
}

// The refusal code in an answer's body, found without a JSON parser: "code":"..."
std::string codeOf(const std::string& body) {
  const std::size_t at = body.find("\"code\":\"");
  if (at == std::string::npos) return "";
  return body.substr(at + 8, body.find('"', at + 8) - (at + 8));
}

Outcome outcomeOf(const std::optional<RawAnswer>& answer) {
  Outcome outcome;
  if (!answer) return outcome;
  outcome.status = answer->status;
  outcome.code = codeOf(answer->body);
  outcome.contentType = headerValue(answer->head, "Content-Type");
  outcome.answerBytes = answer->body.size();
  return outcome;
}

}  // namespace

Watch::Watch(int port, pid_t pid)
    : thread_([this, port, pid] {
        do {  // at least one reading, however short the attack
          readings_.peakResidentBytes = std::max(readings_.peakResidentBytes, residentBytes(pid));
          RawConnection probe(port, kOtherClient);
          const auto started = Clock::now();
          probe.send("GET /healthz HTTP/1.1\r\nHost: collector\r\nConnection: close\r\n\r\n");
          const auto answer = probe.readAnswer(kProbeDeadlineMs);
          ++readings_.probes;
          if (!answer || answer->status != 200) ++readings_.failedProbes;
          readings_.slowestProbeMs = std::max(readings_.slowestProbeMs, msSince(started));
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
        } while (!done_);
        readings_.peakResidentBytes = std::max(readings_.peakResidentBytes, residentBytes(pid));
      }) {}

Watch::~Watch() {
  done_ = true;
  if (thread_.joinable()) thread_.join();
}

Readings Watch::stop() {
  done_ = true;
  if (thread_.joinable()) thread_.join();
  return readings_;
}

Outcome bodyBomb(int port, std::string_view fields, std::string_view body, std::size_t bodyBytes) {
  RawConnection connection(port);
  connection.send("POST /v1/batch HTTP/1.1\r\nHost: collector\r\nOrigin: https://www.acme.example\r\n" +
                  std::string(fields) + "\r\n");
  std::size_t taken = 0;
  while (taken < bodyBytes && connection.send(body)) taken += body.size();
  Outcome outcome = outcomeOf(connection.readAnswer(3000));
  outcome.bodyTaken = taken;
  outcome.closed = connection.closedByPeer(3000);
  return outcome;
}

Outcome headerFlood(int port, std::string_view bytes) {
  RawConnection connection(port);
  connection.send(bytes);
  Outcome outcome = outcomeOf(connection.readAnswer(3000));
  outcome.closed = connection.closedByPeer(3000);
  return outcome;
}

Outcome get(int port, std::string_view target, std::string_view fields) {
  RawConnection connection(port, kOtherClient);
  connection.send("GET " + std::string(target) + " HTTP/1.1\r\nHost: collector\r\nConnection: close\r\n" +
                  std::string(fields) + "\r\n");
  return outcomeOf(connection.readAnswer(3000));
}

std::vector<int> posts(int port, int count, std::string_view body, std::string_view forwardedFor) {
  std::vector<int> statuses;
  const std::string forwarded = forwardedFor.empty() ? "" : "X-Forwarded-For: " + std::string(forwardedFor) + "\r\n";
  for (int i = 0; i < count; ++i) {
    RawConnection connection(port);  // a refusal sent before the body was read closes the connection
    connection.send("POST /v1/batch HTTP/1.1\r\nHost: collector\r\nOrigin: https://www.acme.example\r\n" + forwarded +
                    "Content-Type: text/plain\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
                    std::string(body));
    const auto answer = connection.readAnswer(3000);
    statuses.push_back(answer ? answer->status : 0);
  }
  return statuses;
}

CrowdOutcome crowd(int port, std::size_t each, int ordinary, int closeWaitMs) {
  CrowdOutcome outcome;
  std::vector<RawConnection> slow, idle;
  for (std::size_t i = 0; i < each; ++i) {
    slow.emplace_back(port);
    slow.back().send("POST /v1/batch HTTP/1.1\r\nHost: c");
    idle.emplace_back(port);
    idle.back().send("GET /healthz HTTP/1.1\r\nHost: collector\r\n\r\n");
  }
  for (auto& connection : idle) outcome.opened += connection.readAnswer(3000) ? 1 : 0;
  for (auto& connection : slow) outcome.opened += connection.send("o") ? 1 : 0;

  for (int i = 0; i < ordinary; ++i) {
    for (std::size_t s = 0; s < slow.size(); s += 50) slow[s].send("o");  // keep trickling
    RawConnection client(port, kOtherClient);
    const std::string body = conversionBatch("ordinary-" + std::to_string(100000 + i));
    const auto started = Clock::now();
    client.send(
        "POST /v1/batch HTTP/1.1\r\nHost: collector\r\nOrigin: https://www.acme.example\r\nContent-Type: "
        "text/plain\r\nContent-Length: " +
        std::to_string(body.size()) + "\r\n\r\n" + body);
    const auto answer = client.readAnswer(5000);
    ++outcome.ordinarySent;
    outcome.ordinaryAnswered += answer && answer->status == 200 ? 1 : 0;
    outcome.slowestOrdinaryMs = std::max(outcome.slowestOrdinaryMs, msSince(started));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  for (auto& connection : slow) outcome.closedAfter += connection.closedByPeer(closeWaitMs) ? 1 : 0;
  for (auto& connection : idle) outcome.closedAfter += connection.closedByPeer(closeWaitMs) ? 1 : 0;
  return outcome;
}

std::size_t connectionsKept(int port, int count) {
  std::vector<RawConnection> held;
  for (int i = 0; i < count; ++i) held.emplace_back(port);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // those refused are closed by now
  std::size_t kept = 0;
  for (auto& connection : held) kept += connection.connected() && !connection.closedByPeer(10) ? 1 : 0;
  return kept;
}

std::string conversionBatch(const std::string& id, double value) {
  return R"({"v":1,"site":"acme","batch":"batch-)" + id +
         R"(","visitor":"0123456789abcdef0123456789abcdef","sentAt":1707670800000,"events":[{"id":")" + id +
         R"(","t":1707670300000,"type":"conversion","name":"signup","value":)" + std::to_string(value) + "}]}";
}

}  // namespace sharetrack::test::attacks
