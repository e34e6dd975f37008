// The collector as an attacker meets it on the open internet: each attack (support/attacks.hpp)
// over real sockets against the real binary, while a probe from another address asks /healthz
// every 100 ms and a watcher reads the collector's resident memory. Every attack must leave the
// probe answered (within kProbeDeadlineMs) and the collector under kMemoryBound.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sharetrack/token.hpp"
#include "support/attacks.hpp"
#include "support/collector_http.hpp"
#include "support/raw_connection.hpp"

using namespace sharetrack;
namespace attacks = sharetrack::test::attacks;

namespace {

#ifdef __SANITIZE_ADDRESS__
// AddressSanitizer's shadow memory and its quarantine of freed blocks (up to 256 MB) count in the
// resident size; the native run holds the real bound.
constexpr std::size_t kMemoryBound = 300 * 1024 * 1024;
#else
constexpr std::size_t kMemoryBound = 100 * 1024 * 1024;
#endif

void checkReadings(const attacks::Readings& readings) {
  INFO("resident memory peak " << readings.peakResidentBytes / 1024 << " KiB; slowest probe " << readings.slowestProbeMs
                               << " ms");
  CHECK(readings.probes > 0);
  CHECK(readings.failedProbes == 0);
  CHECK(readings.peakResidentBytes < kMemoryBound);
}

std::string fileText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("bodies of every framing and encoding are refused before they are read", "[collector][attack]") {
  test::CollectorSetup setup;
  const int port = setup.collector->port();
  attacks::Watch watch(port, setup.collector->pid());
  const std::string bomb = fileText(std::string(SHARETRACK_VECTORS_DIR) + "/zeros-400mb.br");
  const std::string chunk = "100000\r\n" + std::string(1 << 20, 'x') + "\r\n";
  struct Case {
    const char* why;
    std::string fields;
    std::string body;
    int status;
    const char* code;
  };
  const std::vector<Case> cases{
      {"128 MB chunked", "Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n", chunk, 411, "length_required"},
      {"no length", "Content-Type: text/plain\r\n", chunk, 411, "length_required"},
      {"128 MB declared", "Content-Type: text/plain\r\nContent-Length: 134217728\r\n", chunk, 413, "batch_too_large"},
      {"a brotli bomb (316 bytes, 400 MB of zeros)",
       "Content-Type: text/plain\r\nContent-Encoding: br\r\nContent-Length: " + std::to_string(bomb.size()) + "\r\n",
       bomb, 415, "media_type_unsupported"},
      {"gzip", "Content-Type: text/plain\r\nContent-Encoding: gzip\r\nContent-Length: 200\r\n", std::string(200, 'g'),
       415, "media_type_unsupported"},
      {"a form", "Content-Type: multipart/form-data\r\nContent-Length: 10\r\n", "0123456789", 415,
       "media_type_unsupported"},
  };
  for (const Case& c : cases) {
    INFO(c.why);
    const auto outcome = attacks::bodyBomb(port, c.fields, c.body, std::size_t{128} << 20);
    CHECK(outcome.bodyTaken < (std::size_t{16} << 20));  // it stopped taking the body at once
    CHECK(outcome.closed);
    if (outcome.status) {  // the answer may be lost to the reset the sender's own writing caused
      CHECK(outcome.status == c.status);
      CHECK(outcome.code == c.code);
    }
    const auto polite = attacks::bodyBomb(port, c.fields, "", 0);  // the header alone: the answer is read
    CHECK(polite.status == c.status);
    CHECK(polite.code == c.code);
  }
  checkReadings(watch.stop());
  CHECK(setup.db().integer("SELECT COUNT(*) FROM events") == 0);
}

TEST_CASE("a 10 MB request line or header line and 100000 headers are cut at 8 KB", "[collector][attack]") {
  test::CollectorSetup setup;
  const int port = setup.collector->port();
  attacks::Watch watch(port, setup.collector->pid());
  const std::string filler(10 << 20, 'a');
  std::string manyHeaders = "GET /healthz HTTP/1.1\r\nHost: collector\r\n";
  for (int i = 0; i < 100000; ++i) manyHeaders += "X-A: b\r\n";
  for (const std::string& flood : {"GET /" + filler + " HTTP/1.1\r\n\r\n",
                                   "GET /healthz HTTP/1.1\r\nX-Long: " + filler + "\r\n\r\n", manyHeaders + "\r\n"}) {
    const auto outcome = attacks::headerFlood(port, flood);
    CHECK(outcome.closed);
    if (outcome.status) {
      CHECK(outcome.status == 431);
      CHECK(outcome.code == "header_too_large");
    }
  }
  checkReadings(watch.stop());
}

TEST_CASE("slow and idle connections by the thousand leave every other client answered", "[collector][attack]") {
  const std::size_t each = std::min<std::size_t>(1000, (test::raiseOpenFileLimit() - 200) / 2);
  test::CollectorSetup setup(test::testSitesFile(), {"--max-connections-per-client", "5000", "--request-timeout", "3"});
  attacks::Watch watch(setup.collector->port(), setup.collector->pid());
  const auto outcome = attacks::crowd(setup.collector->port(), each, 20, 6000);
  CHECK(outcome.opened == 2 * each);
  CHECK(outcome.ordinaryAnswered == outcome.ordinarySent);
  CHECK(outcome.slowestOrdinaryMs < attacks::kProbeDeadlineMs);
  CHECK(outcome.closedAfter == 2 * each);  // past the request deadline, trickling or idle
  checkReadings(watch.stop());
}

TEST_CASE("one client holds at most 64 connections and others still get in", "[collector][attack]") {
  test::raiseOpenFileLimit();
  test::CollectorSetup setup;
  attacks::Watch watch(setup.collector->port(), setup.collector->pid());
  CHECK(attacks::connectionsKept(setup.collector->port(), 200) == 64);
  CHECK(attacks::get(setup.collector->port(), "/healthz").status == 200);
  checkReadings(watch.stop());
}

TEST_CASE("rate limits apply before a body is parsed: a flood of unreadable batches is limited",
          "[collector][attack]") {
  test::CollectorSetup setup(test::testSitesFile(5, 5));
  std::map<int, int> statuses;
  for (int status : attacks::posts(setup.collector->port(), 30, "{not a batch")) ++statuses[status];
  CHECK(statuses[400] >= 5);
  CHECK(statuses[400] <= 7);  // the burst, and what refilled meanwhile
  CHECK(statuses[429] == 30 - statuses[400]);
}

TEST_CASE("behind a trusted proxy each forwarded client has its own limit and from anyone else the header is ignored",
          "[collector][attack]") {
  const auto limited = [](const std::vector<std::string>& flags) {
    test::CollectorSetup setup(test::testSitesFile(1, 2), flags);
    std::vector<int> statuses;
    for (const char* forwarded : {"198.51.100.7", "198.51.100.7", "198.51.100.7", "198.51.100.8"}) {
      statuses.push_back(attacks::posts(setup.collector->port(), 1, "{", std::string("203.0.113.9, ") + forwarded)[0]);
    }
    return statuses;
  };
  CHECK(limited({"--trust-proxy", "127.0.0.1"}) == std::vector<int>{400, 400, 429, 400});
  CHECK(limited({}) == std::vector<int>{400, 400, 429, 429});
}

TEST_CASE("static files: one range at most, no NUL in a path, nothing outside the folder, nosniff",
          "[collector][attack]") {
  test::TempFolder outside;
  outside.write("secret.txt", "outside the folder");
  test::TempFolder folder;
  std::filesystem::create_directory(folder.file("static"));
  folder.write("static/clip.txt", std::string(1000, 'c'));
  folder.write("sites.json", test::testSitesFile());
  std::filesystem::create_symlink(outside.file("secret.txt"), folder.file("static/secret.txt"));
  std::filesystem::create_directory_symlink(outside.path(), folder.file("static/elsewhere"));
  test::CollectorProcess collector(folder.file("t.db"), folder.file("sites.json"), {"--static", folder.file("static")});
  const int port = collector.port();
  attacks::Watch watch(port, collector.pid());

  std::string ranges = "Range: bytes=0-0";
  for (int i = 1; i < 1000; ++i) ranges += "," + std::to_string(i) + "-" + std::to_string(i);
  const auto flood = attacks::get(port, "/clip.txt", ranges + "\r\n");
  CHECK(flood.status == 200);
  CHECK(flood.answerBytes == 1000);  // never more than the file
  const auto part = attacks::get(port, "/clip.txt", "Range: bytes=10-19\r\n");
  CHECK(part.status == 206);
  CHECK(part.answerBytes == 10);
  CHECK(attacks::get(port, "/clip.txt", "Range: bytes=5000-\r\n").status == 416);

  const auto nul = attacks::get(port, "/clip.txt%00.html");
  CHECK(nul.status == 400);
  CHECK(nul.contentType.find("html") == std::string::npos);
  CHECK(attacks::get(port, "/clip.txt%0d%0aX-Injected:%201").status == 400);
  CHECK(attacks::get(port, "/secret.txt").status == 404);
  CHECK(attacks::get(port, "/elsewhere/secret.txt").status == 404);
  CHECK(attacks::get(port, "/../" + std::filesystem::path(outside.path()).filename().string() + "/secret.txt").status ==
        404);
  checkReadings(watch.stop());

  httplib::Client client("127.0.0.1", port);
  CHECK(client.Get("/clip.txt")->get_header_value("X-Content-Type-Options") == "nosniff");
}

TEST_CASE("a forged sequence number reaches only its own visitor's row and cannot run far ahead",
          "[collector][attack]") {
  test::CollectorSetup setup;
  auto client = setup.client();
  const auto summary = [](const std::string& visitor, const std::string& id, std::uint32_t seq) {
    nlohmann::json batch = test::validBatch();
    batch["batch"] = "batch-" + id;
    batch["visitor"] = visitor;
    batch["events"] = nlohmann::json::array({{{"id", id},
                                              {"t", 1707670300000},
                                              {"type", "summary"},
                                              {"content", "t-42"},
                                              {"pv", "pageview-9"},
                                              {"seq", seq},
                                              {"dwellMs", 10}}});
    return batch.dump();
  };
  const std::string attacker(32, 'a'), visitor(32, 'b');
  auto forged = test::answerOf(test::post(client, summary(attacker, "sum-forged-1", kMaxSummarySeq)));
  CHECK(forged.results[0].status == EventStatus::accepted);
  auto beyond = test::answerOf(test::post(client, summary(attacker, "sum-forged-2", kMaxSummarySeq + 1)));
  CHECK(beyond.results[0].status == EventStatus::rejected);
  CHECK(beyond.results[0].code == "field_range");
  auto honest = test::answerOf(test::post(client, summary(visitor, "sum-honest-1", 1)));
  CHECK(honest.results[0].status == EventStatus::accepted);
  const auto& db = setup.db();
  CHECK(db.integer("SELECT seq FROM summaries WHERE visitor = '" + visitor + "'") == 1);
  CHECK(db.integer("SELECT COUNT(*) FROM summaries WHERE page_view = 'pageview-9'") == 2);
}

TEST_CASE("forged events: no Origin, a token from the future and a conversion past the site's bound are refused",
          "[collector][attack]") {
  test::CollectorSetup setup(R"({"sites": [
    {"id": "acme", "origins": ["https://www.acme.example"], "maxConversionValue": 1000},
    {"id": "server", "origins": ["https://server.example"], "requireOrigin": false}]})");
  auto client = setup.client();
  const auto noOrigin = test::post(client, attacks::conversionBatch("conv-no-origin"), "");
  CHECK(noOrigin->status == 403);
  CHECK(test::refusalCode(noOrigin) == "origin_missing");
  nlohmann::json serverSide = nlohmann::json::parse(attacks::conversionBatch("conv-server-1"));
  serverSide["site"] = "server";
  CHECK(test::answerOf(test::post(client, serverSide.dump(), "")).results[0].status == EventStatus::accepted);

  const auto valued = [&](const std::string& id, double value) {
    return test::answerOf(test::post(client, attacks::conversionBatch(id, value))).results[0];
  };
  CHECK(valued("conv-within", 999.5).status == EventStatus::accepted);
  const auto tooMuch = valued("conv-beyond", -1000.5);
  CHECK(tooMuch.status == EventStatus::rejected);
  CHECK(tooMuch.code == "field_range");

  const auto now =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  const std::string future = formatToken(mintToken(42, now + 3 * 3600 * 1000, Channel::x, std::nullopt).value());
  const std::string recent = formatToken(mintToken(43, now, Channel::x, std::nullopt).value());
  nlohmann::json batch = test::validBatch();
  batch["events"] = nlohmann::json::array({{{"id", "click-future"},
                                            {"t", now},
                                            {"type", "clickback"},
                                            {"content", "t-42"},
                                            {"pv", "pageview-1"},
                                            {"token", future}},
                                           {{"id", "click-recent"},
                                            {"t", now},
                                            {"type", "clickback"},
                                            {"content", "t-42"},
                                            {"pv", "pageview-1"},
                                            {"token", recent}}});
  const auto answer = test::answerOf(test::post(client, batch.dump()));
  CHECK(answer.results[0].status == EventStatus::rejected);
  CHECK(answer.results[0].code == "field_range");
  CHECK(answer.results[0].message == "events[0].token: minted in the future");
  CHECK(answer.results[1].status == EventStatus::accepted);
}
