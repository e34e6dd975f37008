#include "options.hpp"

namespace sharetrack::collector {

const char* const kUsage = R"(Usage: sharetrack-collector [options]

Receives ShareTrack batches, stores them in SQLite, serves the query endpoints.

  --listen HOST:PORT     address to serve on (default 127.0.0.1:8080; port 0 picks a free one)
  --db PATH              SQLite database, created if missing (default sharetrack.db)
  --sites PATH           sites file: sites, origins, limits, tokens (default sites.json)
  --static DIR           also serve the files under DIR (the demo site)
  --durability MODE      normal: every acknowledged batch survives the collector being killed
                         (default); full: it survives power loss too (fsync per commit)
  --help                 this text

SIGTERM or SIGINT: stops accepting, answers requests in flight, commits, exits 0.
)";

namespace {

Error bad(const std::string& what) { return makeError(ErrorCode::configInvalid, what + " (see --help)"); }

Status parseListen(const std::string& value, Options& options) {
  const std::size_t colon = value.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == value.size()) {
    return bad("--listen wants HOST:PORT, got '" + value + "'");
  }
  const std::string port = value.substr(colon + 1);
  if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) > 65535) {
    return bad("--listen port must be 0-65535, got '" + port + "'");
  }
  options.host = value.substr(0, colon);
  if (options.host.size() > 2 && options.host.front() == '[' && options.host.back() == ']') {
    options.host = options.host.substr(1, options.host.size() - 2);  // [::1]:8080
  }
  options.port = std::stoi(port);
  return {};
}

}  // namespace

Result<Options> parseOptions(const std::vector<std::string>& args) {
  Options options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (flag == "--help" || flag == "-h") {
      options.help = true;
      continue;
    }
    const bool takesValue =
        flag == "--listen" || flag == "--db" || flag == "--sites" || flag == "--static" || flag == "--durability";
    if (!takesValue) return bad("unknown option '" + flag + "'");
    if (i + 1 == args.size() || args[i + 1].empty()) return bad(flag + " needs a value");
    const std::string& value = args[++i];
    if (flag == "--listen") {
      SHARETRACK_RETURN_IF_ERROR(parseListen(value, options));
    } else if (flag == "--db") {
      options.database = value;
    } else if (flag == "--sites") {
      options.sitesFile = value;
    } else if (flag == "--static") {
      options.staticDir = value;
    } else if (value == "normal" || value == "full") {
      options.durability = value == "full" ? Durability::full : Durability::normal;
    } else {
      return bad("--durability is normal or full, got '" + value + "'");
    }
  }
  return options;
}

}  // namespace sharetrack::collector
