// A TCP connection to the collector on loopback, from a chosen source address (any 127.x.y.z),
// for tests that speak HTTP the way attackers do: partial headers, slow bodies, idle keep-alive,
// bytes after an answer. And the resident memory of a process, from /proc.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace sharetrack::test {

struct RawAnswer {
  int status = 0;
  std::string head;  // the status line and headers
  std::string body;
};

class RawConnection {
 public:
  explicit RawConnection(int port, const std::string& source = "127.0.0.1");
  ~RawConnection();
  RawConnection(RawConnection&& other) noexcept;
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;
  RawConnection& operator=(RawConnection&&) = delete;

  bool connected() const { return fd_ >= 0; }
  // False once the peer has closed or reset the connection.
  bool send(std::string_view bytes);
  // One answer: its head and a Content-Length body; nullopt on timeout or close before it ends.
  std::optional<RawAnswer> readAnswer(int timeoutMs);
  // True when the peer closes the connection within `timeoutMs` (what it sent first is discarded).
  bool closedByPeer(int timeoutMs);

 private:
  int fd_ = -1;
  std::string pending_;
};

// VmRSS of `pid` in bytes (0 when it cannot be read).
std::size_t residentBytes(pid_t pid);

// Raises this process's open-file limit as far as allowed; returns it.
std::size_t raiseOpenFileLimit();

}  // namespace sharetrack::test
