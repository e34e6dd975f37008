// The collector's command line.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "client_address.hpp"
#include "http_server.hpp"
#include "sharetrack/result.hpp"
#include "sqlite_storage.hpp"

namespace sharetrack::collector {

struct Options {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port, printed at start
  std::string database = "sharetrack.db";  // a file, or a PostgreSQL URL (isPostgresUrl)
  std::string sitesFile = "sites.json";
  std::optional<std::string> staticDir;
  std::optional<std::string> dashboardDir;
  Durability durability = Durability::normal;
  std::chrono::milliseconds followInterval{1000};  // with PostgreSQL: how often the scores follow
  HttpLimits http;
  TrustedProxies proxies;
  bool help = false;
};

extern const char* const kUsage;

// Whether --db names a PostgreSQL database rather than an SQLite file.
inline bool isPostgresUrl(const std::string& database) {
  return database.rfind("postgresql://", 0) == 0 || database.rfind("postgres://", 0) == 0;
}

// Fails with configInvalid and a message naming the flag.
Result<Options> parseOptions(const std::vector<std::string>& args);

}  // namespace sharetrack::collector
