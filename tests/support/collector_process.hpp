// The real collector binary, started for a test on a free loopback port with its own SQLite
// file and sites file in a fresh folder. Failures throw std::runtime_error (a test reports it),
// so the benchmarks use it too.
#pragma once

#include <sys/types.h>

#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace sharetrack::test {

// A fresh folder under the system's temporary folder, removed with its files on destruction.
class TempFolder {
 public:
  TempFolder();
  ~TempFolder();
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  void write(const std::string& name, const std::string& text) const;

 private:
  std::string path_;
};

// A sites file for site "acme" with origin https://www.acme.example, admin token
// "ops-token-0123456789abcdef" and the given rate limit.
std::string testSitesFile(double batchesPerSecond = 1000, double burst = 1000);

class CollectorProcess {
 public:
  // Starts `binary` (by default this build's sharetrack-collector) with `--listen 127.0.0.1:0
  // --db <db> --sites <sites>` and `extraArgs`, and waits up to `startSeconds` for its
  // "listening" line (it loads the scores of every stored event first).
  CollectorProcess(const std::string& database, const std::string& sitesFile,
                   const std::vector<std::string>& extraArgs = {}, const std::string& binary = "",
                   int startSeconds = 10);
  ~CollectorProcess();
  CollectorProcess(const CollectorProcess&) = delete;
  CollectorProcess& operator=(const CollectorProcess&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  // Sends `signal` and waits: the exit status, or 128 + the signal that ended it.
  int stop(int signal);
  // Everything the process wrote to stdout and stderr so far (its request log). A thread reads it
  // as it comes, so that a long request log never blocks the collector on a full pipe.
  std::string output();

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::mutex mutex_;
  std::string output_;
  std::thread reader_;
};

// Runs the collector binary with `args` to completion; its exit status and output.
struct RunResult {
  int status;
  std::string output;
};
RunResult runCollector(const std::vector<std::string>& args);

}  // namespace sharetrack::test
