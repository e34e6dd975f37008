// The attacks a collector meets on the open internet, each written once, over real sockets
// against a collector on loopback. The Catch2 tests (tests/collector/open_internet_test.cpp)
// check what they return; tests/bench/attack_table.cpp prints it for any collector binary.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstddef>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace sharetrack::test::attacks {

inline constexpr const char* kOtherClient = "127.0.0.2";  // the probe's address, not the attacker's
// "Answered" means not starved: a loaded 2-core CI machine running the ASan tree in parallel once
// took the full 1 s; latency under attack is a figure of scripts/bench attacks, not a test.
inline constexpr int kProbeDeadlineMs = 5000;

// While an attack runs: /healthz asked from kOtherClient every 100 ms, and the collector's
// resident memory read from /proc.
struct Readings {
  std::size_t peakResidentBytes = 0;
  int probes = 0;
  int failedProbes = 0;  // unanswered within kProbeDeadlineMs, or not 200
  long slowestProbeMs = 0;
};

class Watch {
 public:
  Watch(int port, pid_t pid);
  ~Watch();
  Watch(const Watch&) = delete;
  Watch& operator=(const Watch&) = delete;
  Readings stop();

 private:
  std::atomic<bool> done_{false};
  Readings readings_;
  std::thread thread_;
};

// What the collector did with one attacking request.
struct Outcome {
  int status = 0;               // the answer's status; 0 when none came within the wait
  std::string code;             // a refusal's code
  std::string contentType;      // the answer's Content-Type
  std::size_t answerBytes = 0;  // the answer's body
  std::size_t bodyTaken = 0;    // body bytes the collector took before it stopped reading
  bool closed = false;          // the collector closed the connection afterwards
};

// A POST with `fields` (framing, encoding, type), then `body` sent as fast as the collector takes
// it, repeated up to `bodyBytes`.
Outcome bodyBomb(int port, std::string_view fields, std::string_view body, std::size_t bodyBytes);
// Bytes sent as one request (a huge line, a flood of headers).
Outcome headerFlood(int port, std::string_view bytes);
// One GET of `target` with `fields`, from kOtherClient.
Outcome get(int port, std::string_view target, std::string_view fields = "");
// `count` POSTs of `body` from one client (127.0.0.1), each on a connection of its own, with
// X-Forwarded-For `forwardedFor` when not empty: the statuses in order.
std::vector<int> posts(int port, int count, std::string_view body, std::string_view forwardedFor = "");

// `each` connections sending a header a byte at a time and `each` idle keep-alive connections
// from 127.0.0.1, while `ordinary` batches are posted from kOtherClient; then how many of the
// attack's connections the collector closed within `closeWaitMs`.
struct CrowdOutcome {
  std::size_t opened = 0;  // connections the collector took (of 2 x each)
  int ordinaryAnswered = 0;
  int ordinarySent = 0;
  long slowestOrdinaryMs = 0;
  std::size_t closedAfter = 0;
};
CrowdOutcome crowd(int port, std::size_t each, int ordinary, int closeWaitMs);

// Of `count` connections from one client that send nothing, how many the collector keeps open.
std::size_t connectionsKept(int port, int count);

// A valid batch of one conversion, as the widget writes it; `id` makes its ids unique.
std::string conversionBatch(const std::string& id, double value = 10);

}  // namespace sharetrack::test::attacks
