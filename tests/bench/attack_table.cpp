// The collector under attack, as a table: each attack of tests/support/attacks.hpp against a
// collector binary (this build's by default, or the one named on the command line, to compare
// builds), with what it answered, its resident memory at the peak and the /healthz probe meanwhile.
// Run by scripts/bench attacks; the tests assert the same attacks' outcomes.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>

#include "support/attacks.hpp"
#include "support/collector_process.hpp"
#include "support/raw_connection.hpp"

using namespace sharetrack::test;

namespace {

std::string describe(const attacks::Outcome& outcome) {
  std::string text = outcome.status ? std::to_string(outcome.status) : std::string("no answer");
  if (!outcome.code.empty()) text += " " + outcome.code;
  if (outcome.bodyTaken) text += ", took " + std::to_string(outcome.bodyTaken >> 20) + " MB of body";
  return text + (outcome.closed ? ", closed" : ", left open");
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Row {
  std::string attack;
  std::vector<std::string> extraArgs;
  std::function<std::string(int port)> run;
  double rateLimit = 1000;  // the site's batches per second and burst
};

}  // namespace

int main(int argc, char** argv) {
  const std::string binary = argc > 1 ? argv[1] : "";
  const std::string vectors = std::string(SHARETRACK_VECTORS_DIR);
  raiseOpenFileLimit();
  const std::string chunk = "100000\r\n" + std::string(1 << 20, 'x') + "\r\n";
  const std::string bomb = readFile(vectors + "/zeros-400mb.br");
  const std::string filler(10 << 20, 'a');
  std::string manyHeaders = "GET /healthz HTTP/1.1\r\nHost: collector\r\n";
  for (int i = 0; i < 100000; ++i) manyHeaders += "X-A: b\r\n";
  std::string ranges = "Range: bytes=0-0";
  for (int i = 1; i < 1000; ++i) ranges += "," + std::to_string(i) + "-" + std::to_string(i);

  const auto crowd = [](int port) {
    const auto outcome = attacks::crowd(port, 1000, 20, 15000);
    return std::to_string(outcome.opened) + " opened, " + std::to_string(outcome.ordinaryAnswered) + "/" +
           std::to_string(outcome.ordinarySent) + " batches answered (slowest " +
           std::to_string(outcome.slowestOrdinaryMs) + " ms), " + std::to_string(outcome.closedAfter) +
           " closed by the collector within 15 s";
  };
  const std::vector<Row> rows{
      {"128 MB chunked body",
       {},
       [&](int port) {
         return describe(attacks::bodyBomb(port, "Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n", chunk,
                                           std::size_t{128} << 20));
       }},
      {"128 MB body, no length",
       {},
       [&](int port) {
         return describe(attacks::bodyBomb(port, "Content-Type: text/plain\r\n", chunk, std::size_t{128} << 20));
       }},
      {"brotli bomb: 316 bytes of 400 MB of zeros",
       {},
       [&](int port) {
         return describe(attacks::bodyBomb(port,
                                           "Content-Type: text/plain\r\nContent-Encoding: br\r\nContent-Length: " +
                                               std::to_string(bomb.size()) + "\r\n",
                                           bomb, bomb.size()));
       }},
      {"10 MB header line",
       {},
       [&](int port) {
         return describe(attacks::headerFlood(port, "GET /healthz HTTP/1.1\r\nX-Long: " + filler + "\r\n\r\n"));
       }},
      {"100,000 headers", {}, [&](int port) { return describe(attacks::headerFlood(port, manyHeaders + "\r\n")); }},
      {"1,000 slow + 1,000 idle connections from one address, 20 ordinary batches", {}, crowd},
      {"the same, with --max-connections-per-client 5000", {"--max-connections-per-client", "5000"}, crowd},
      {"200 connections from one address",
       {},
       [&](int port) { return std::to_string(attacks::connectionsKept(port, 200)) + " kept open"; }},
      {"30 unreadable batches from one client (site limit 5/s)",
       {},
       [&](int port) {
         int limited = 0;
         for (int status : attacks::posts(port, 30, "{")) limited += status == 429 ? 1 : 0;
         return std::to_string(limited) + " of 30 answered 429";
       },
       5},
      {"GET with 1,000 byte ranges (1,000-byte file)",
       {"--static", "static"},
       [&](int port) {
         const auto outcome = attacks::get(port, "/clip.txt", ranges + "\r\n");
         return std::to_string(outcome.status) + ", " + std::to_string(outcome.answerBytes) + " bytes answered";
       }},
      {"/clip.txt%00.html",
       {"--static", "static"},
       [&](int port) {
         const auto outcome = attacks::get(port, "/clip.txt%00.html");
         return std::to_string(outcome.status) + (outcome.contentType.empty() ? "" : ", " + outcome.contentType);
       }},
      {"symlink to a file outside the folder",
       {"--static", "static"},
       [&](int port) { return std::to_string(attacks::get(port, "/secret.txt").status); }},
  };

  std::printf("| attack | what the collector did | RSS peak | /healthz meanwhile |\n");
  std::printf("| --- | --- | ---: | --- |\n");
  for (const Row& row : rows) {
    TempFolder folder;
    TempFolder outside;
    outside.write("secret.txt", "outside the folder");
    std::filesystem::create_directory(folder.file("static"));
    folder.write("static/clip.txt", std::string(1000, 'c'));
    std::filesystem::create_symlink(outside.file("secret.txt"), folder.file("static/secret.txt"));
    folder.write("sites.json", testSitesFile(row.rateLimit, row.rateLimit));
    std::vector<std::string> args = row.extraArgs;
    for (auto& arg : args) arg = arg == "static" ? folder.file("static") : arg;
    std::unique_ptr<CollectorProcess> started;
    try {
      started = std::make_unique<CollectorProcess>(folder.file("t.db"), folder.file("sites.json"), args, binary);
    } catch (const std::exception& error) {  // an older collector that lacks a flag of this row
      const std::string why = error.what();
      std::printf("| %s | (does not start: %s) | | |\n", row.attack.c_str(), why.substr(0, why.find('\n')).c_str());
      continue;
    }
    CollectorProcess& collector = *started;
    attacks::Watch watch(collector.port(), collector.pid());
    const std::string outcome = row.run(collector.port());
    const auto readings = watch.stop();
    std::printf("| %s | %s | %zu MB | %d/%d answered, slowest %ld ms |\n", row.attack.c_str(), outcome.c_str(),
                readings.peakResidentBytes >> 20, readings.probes - readings.failedProbes, readings.probes,
                readings.slowestProbeMs);
    std::fflush(stdout);
  }
}
