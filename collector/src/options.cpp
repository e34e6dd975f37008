#include "options.hpp"

namespace sharetrack::collector {

const char* const kUsage = R"(Usage: sharetrack-collector [options]

Receives ShareTrack batches, stores them in SQLite or PostgreSQL, serves the query endpoints.

  --listen HOST:PORT     address to serve on (default 127.0.0.1:8080; port 0 picks a free one)
  --db PATH|URL          SQLite database, created if missing (default sharetrack.db), or a
                         PostgreSQL database (postgresql://USER@HOST:PORT/DB) that several
                         collectors behind a load balancer share
  --follow-ms N          with PostgreSQL: how often the scores read what the other collectors
                         committed, in milliseconds (default 1000)
  --sites PATH           sites file: sites, origins, limits, tokens (default sites.json)
  --static DIR           also serve the files under DIR (the demo site)
  --dashboard DIR        serve the dashboard built into DIR (collector/dashboard/dist) at /dashboard/
  --durability MODE      normal: every acknowledged batch survives the collector being killed
                         (default); full: it survives power loss too (fsync per commit)
  --trust-proxy ADDRS    comma-separated addresses of reverse proxies whose X-Forwarded-For
                         names the client (default: none; every peer is the client)
  --max-connections N    open connections in all (default 10000, or what the open-file limit allows)
  --max-connections-per-client N
                         open connections from one client: an IPv4 address or an IPv6 /64
                         (default 64; trusted proxies are not capped)
  --request-timeout S    seconds for a whole request header, and again for a whole body
                         (default 10); an idle keep-alive connection waits as long
  --threads N            threads serving connections (default 2)
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

Result<long> count(const std::string& flag, const std::string& value, long min, long max) {
  const bool digits = !value.empty() && value.size() <= 9 && value.find_first_not_of("0123456789") == std::string::npos;
  const long number = digits ? std::stol(value) : -1;
  if (number < min || number > max) {
    return bad(flag + " must be " + std::to_string(min) + "-" + std::to_string(max) + ", got '" + value + "'");
  }
  return number;
}

constexpr std::string_view kFlags[] = {
    "--listen",          "--db",          "--sites",           "--static",          "--dashboard",
    "--durability",      "--trust-proxy", "--max-connections", "--max-connections-per-client",
    "--request-timeout", "--threads",     "--follow-ms"};

bool knownFlag(std::string_view flag) {
  for (std::string_view known : kFlags) {
    if (flag == known) return true;
  }
  return false;
}

Status apply(const std::string& flag, const std::string& value, Options& o) {
  if (flag == "--listen") return parseListen(value, o);
  if (flag == "--db")
    o.database = value;
  else if (flag == "--sites")
    o.sitesFile = value;
  else if (flag == "--static")
    o.staticDir = value;
  else if (flag == "--dashboard")
    o.dashboardDir = value;
  else if (flag == "--durability") {
    if (value != "normal" && value != "full") return bad("--durability is normal or full, got '" + value + "'");
    o.durability = value == "full" ? Durability::full : Durability::normal;
  } else if (flag == "--trust-proxy") {
    SHARETRACK_ASSIGN_OR_RETURN(o.proxies, TrustedProxies::parse(value));
  } else if (flag == "--max-connections") {
    SHARETRACK_ASSIGN_OR_RETURN(o.http.maxConnections, count(flag, value, 1, 1000000));
  } else if (flag == "--max-connections-per-client") {
    SHARETRACK_ASSIGN_OR_RETURN(o.http.maxConnectionsPerClient, count(flag, value, 1, 1000000));
  } else if (flag == "--request-timeout") {
    long seconds = 0;
    SHARETRACK_ASSIGN_OR_RETURN(seconds, count(flag, value, 1, 3600));
    o.http.headerTimeout = o.http.bodyTimeout = o.http.writeTimeout = std::chrono::seconds(seconds);
  } else if (flag == "--follow-ms") {
    long milliseconds = 0;
    SHARETRACK_ASSIGN_OR_RETURN(milliseconds, count(flag, value, 10, 600000));
    o.followInterval = std::chrono::milliseconds(milliseconds);
  } else if (flag == "--threads") {
    SHARETRACK_ASSIGN_OR_RETURN(o.http.threads, count(flag, value, 1, 256));
  }
  return {};
}

}  // namespace

Result<Options> parseOptions(const std::vector<std::string>& args) {
  Options options;
  bool durabilityGiven = false, followGiven = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (flag == "--help" || flag == "-h") {
      options.help = true;
      continue;
    }
    if (!knownFlag(flag)) return bad("unknown option '" + flag + "'");
    if (i + 1 == args.size() || args[i + 1].empty()) return bad(flag + " needs a value");
    durabilityGiven = durabilityGiven || flag == "--durability";
    followGiven = followGiven || flag == "--follow-ms";
    SHARETRACK_RETURN_IF_ERROR(apply(flag, args[++i], options));
  }
  // A flag that would do nothing with the chosen store is a mistake worth hearing about.
  if (durabilityGiven && isPostgresUrl(options.database)) {
    return bad("--durability is SQLite's: with PostgreSQL the server's settings (fsync, synchronous_commit) decide");
  }
  if (followGiven && !isPostgresUrl(options.database)) {
    return bad("--follow-ms is for several collectors on PostgreSQL; with SQLite there is nothing to follow");
  }
  return options;
}

}  // namespace sharetrack::collector
