// What the collector's HTTP tests share: a collector on a fresh folder, its HTTP client and
// database, and batches posted the way the widget posts them.
#pragma once

#include <httplib.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sharetrack/answer.hpp"
#include "support/collector_process.hpp"
#include "support/test_database.hpp"

namespace sharetrack::test {

inline constexpr const char* kOrigin = "https://www.acme.example";
inline constexpr const char* kBrowser = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

struct CollectorSetup {
  TempFolder folder;
  TestDatabase database{folder};
  std::unique_ptr<CollectorProcess> collector;
  explicit CollectorSetup(const std::string& sites = testSitesFile(), const std::vector<std::string>& extra = {});
  httplib::Client client() const;
  const TestDatabase& db() const { return database; }
};

// POST /v1/batch as the widget does: text/plain, with `origin` (none when empty) and a browser's
// user agent.
httplib::Result post(httplib::Client& client, const std::string& body, const std::string& origin = kOrigin,
                     const std::string& userAgent = kBrowser);

// The per-event answer of a 200; fails the test otherwise.
BatchAnswer answerOf(const httplib::Result& result);
// The code of a refusal; fails the test when the body is no refusal.
std::string refusalCode(const httplib::Result& result);

// The first valid batch of tests/vectors/batches.json: every event kind, for site "acme".
nlohmann::json validBatch();

}  // namespace sharetrack::test
