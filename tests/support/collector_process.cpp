#include "support/collector_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <stdexcept>

namespace sharetrack::test {
namespace {

struct Child {
  pid_t pid;
  int outputFd;
};

void require(bool condition, const std::string& what) {
  if (!condition) throw std::runtime_error(what);
}

Child spawn(const std::vector<std::string>& args, std::string binary = SHARETRACK_COLLECTOR_BINARY) {
  int pipeFds[2];
  require(pipe(pipeFds) == 0, "pipe");
  const pid_t pid = fork();
  require(pid >= 0, "fork");
  if (pid == 0) {
    dup2(pipeFds[1], STDOUT_FILENO);
    dup2(pipeFds[1], STDERR_FILENO);
    close(pipeFds[0]);
    close(pipeFds[1]);
    std::vector<char*> argv;
    argv.push_back(binary.data());
    std::vector<std::string> copies = args;
    for (std::string& arg : copies) argv.push_back(arg.data());
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  close(pipeFds[1]);
  return Child{pid, pipeFds[0]};
}

// Reads what is available within `timeoutMs`; false at end of output.
bool readSome(int fd, std::string& into, int timeoutMs) {
  pollfd p{fd, POLLIN, 0};
  if (poll(&p, 1, timeoutMs) <= 0) return true;
  char buffer[4096];
  const ssize_t n = read(fd, buffer, sizeof buffer);
  if (n <= 0) return false;
  into.append(buffer, static_cast<std::size_t>(n));
  return true;
}

int exitStatus(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status); }

}  // namespace

TempFolder::TempFolder() {
  std::string pattern = (std::filesystem::temp_directory_path() / "sharetrack-test-XXXXXX").string();
  require(mkdtemp(pattern.data()) != nullptr, "mkdtemp " + pattern);
  path_ = pattern;
}

TempFolder::~TempFolder() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

void TempFolder::write(const std::string& name, const std::string& text) const {
  std::ofstream out(file(name), std::ios::binary);
  out << text;
  require(out.good(), "cannot write " + file(name));
}

std::string testSitesFile(double batchesPerSecond, double burst) {
  return R"({
  "accessTokens": ["ops-token-0123456789abcdef"],
  "sites": [
    {
      "id": "acme",
      "origins": ["https://www.acme.example"],
      "rateLimit": {"batchesPerSecond": )" +
         std::to_string(batchesPerSecond) + R"(, "burst": )" + std::to_string(burst) + R"(},
      "accessTokens": ["acme-token-0123456789abcdef"]
    }
  ]
}
)";
}

CollectorProcess::CollectorProcess(const std::string& database, const std::string& sitesFile,
                                   const std::vector<std::string>& extraArgs, const std::string& binary, int startSeconds) {
  std::vector<std::string> args{"--listen", "127.0.0.1:0", "--db", database, "--sites", sitesFile};
  args.insert(args.end(), extraArgs.begin(), extraArgs.end());
  const Child child = binary.empty() ? spawn(args) : spawn(args, binary);
  pid_ = child.pid;
  reader_ = std::thread([this, fd = child.outputFd] {
    std::string chunk;
    while (readSome(fd, chunk, 100)) {
      if (chunk.empty()) continue;
      std::lock_guard lock(mutex_);
      output_ += chunk;
      chunk.clear();
    }
    close(fd);
  });
  const std::regex listening(R"("port":(\d+))");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(startSeconds);
  std::smatch match;
  std::string seen = output();
  while (!std::regex_search(seen, match, listening)) {
    if (std::chrono::steady_clock::now() > deadline) {
      stop(SIGKILL);
      throw std::runtime_error("the collector did not start; its output: " + seen);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    seen = output();
  }
  port_ = std::stoi(match[1]);
}

CollectorProcess::~CollectorProcess() {
  if (pid_ > 0) stop(SIGKILL);
  if (reader_.joinable()) reader_.join();
}

int CollectorProcess::stop(int signal) {
  if (pid_ <= 0) return -1;
  kill(pid_, signal);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  if (reader_.joinable()) reader_.join();  // to the end of its output: it has exited
  return exitStatus(status);
}

std::string CollectorProcess::output() {
  std::lock_guard lock(mutex_);
  return output_;
}

RunResult runCollector(const std::vector<std::string>& args) {
  const Child child = spawn(args);
  RunResult result{0, ""};
  while (readSome(child.outputFd, result.output, 10000)) {
  }
  close(child.outputFd);
  int status = 0;
  waitpid(child.pid, &status, 0);
  result.status = exitStatus(status);
  return result;
}

}  // namespace sharetrack::test
