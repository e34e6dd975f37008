// How the PostgreSQL store should send a group commit's events (scripts/bench postgres): the same
// rows, in transactions of the same size, through a multi-row INSERT ... ON CONFLICT DO NOTHING
// RETURNING (what PgStorage does: one round trip per 1,000 rows, the duplicates told by what comes
// back) or through COPY into a temporary table and one INSERT ... SELECT with the same conflict
// rule. Rounds alternate between the two; prints a Markdown table of the medians.
// Usage: sharetrack_pg_insert postgresql://... [rows per transaction ...]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "event_rows.hpp"
#include "pg_connection.hpp"
#include "pg_rows.hpp"
#include "pg_storage.hpp"
#include "support/share_world.hpp"

using namespace sharetrack;
using namespace sharetrack::collector;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::size_t kRowsPerRound = 40000;
constexpr int kRounds = 5;
constexpr std::size_t kRowsPerStatement = 1000;  // within PostgreSQL's 65,535 parameters

void require(const Status& done) {
  if (!done) throw std::runtime_error(done.error().message);
}

// Returns how many rows the statements returned (the rows they inserted).
std::size_t insertMultiRow(PgConnection& db, const std::vector<PgParams>& rows, std::size_t from, std::size_t count) {
  std::size_t inserted = 0;
  for (std::size_t at = from; at < from + count; at += kRowsPerStatement) {
    const std::size_t n = std::min(kRowsPerStatement, from + count - at);
    PgParams params;
    for (std::size_t r = at; r < at + n; ++r) params.insert(params.end(), rows[r].begin(), rows[r].end());
    auto result = db.run(std::string("INSERT INTO events (") + kPgEventColumns + ") VALUES " +
                             pgPlaceholders(n, kPgEventColumnCount) +
                             " ON CONFLICT (site, event_id) DO NOTHING RETURNING site, event_id",
                         params, "insert rows");
    if (!result) throw std::runtime_error(result.error().message);
    inserted += static_cast<std::size_t>(result.value().rows());
  }
  return inserted;
}

std::size_t insertByCopy(PgConnection& db, const std::vector<PgParams>& rows, std::size_t from, std::size_t count) {
  require(db.copyRows("incoming_events", kPgEventColumns,
                      std::vector<PgParams>(rows.begin() + static_cast<std::ptrdiff_t>(from),
                                            rows.begin() + static_cast<std::ptrdiff_t>(from + count)),
                      "copy rows"));
  auto result = db.run(std::string("INSERT INTO events (") + kPgEventColumns + ") SELECT " + kPgEventColumns +
                           " FROM incoming_events ORDER BY site, event_id ON CONFLICT (site, event_id) DO NOTHING "
                           "RETURNING site, event_id",
                       {}, "insert the copied rows");
  if (!result) throw std::runtime_error(result.error().message);
  return static_cast<std::size_t>(result.value().rows());
}

double roundRowsPerSecond(PgConnection& db, const std::vector<PgParams>& rows, std::size_t perTransaction, bool copy) {
  require(db.run("TRUNCATE events", "empty the table"));
  const auto start = Clock::now();
  for (std::size_t from = 0; from < rows.size(); from += perTransaction) {
    const std::size_t count = std::min(perTransaction, rows.size() - from);
    require(db.transaction([&]() -> Status {
      const std::size_t inserted = copy ? insertByCopy(db, rows, from, count) : insertMultiRow(db, rows, from, count);
      if (inserted != count) throw std::runtime_error("rows went missing");
      return {};
    }));
  }
  return static_cast<double>(rows.size()) / std::chrono::duration<double>(Clock::now() - start).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: sharetrack_pg_insert postgresql://... [rows per transaction ...]\n");
    return 2;
  }
  std::vector<std::size_t> sizes;
  for (int i = 2; i < argc; ++i) sizes.push_back(std::stoul(argv[i]));
  if (sizes.empty()) sizes = {20, 240, 5000};

  // The collector's schema, in the database given; the store's scratch table on this connection.
  if (auto opened = PgStorage::open(argv[1]); !opened) {
    std::fprintf(stderr, "%s\n", opened.error().message.c_str());
    return 1;
  }
  auto connection = PgConnection::open(argv[1]);
  if (!connection) {
    std::fprintf(stderr, "%s\n", connection.error().message.c_str());
    return 1;
  }
  PgConnection& db = *connection.value();
  require(db.run(std::string("CREATE TEMP TABLE incoming_events ON COMMIT DELETE ROWS AS SELECT ") + kPgEventColumns +
                     " FROM events WITH NO DATA",
                 "create the scratch table"));

  test::ShareWorldOptions world;
  world.events = kRowsPerRound;
  world.visitors = kRowsPerRound / 8;
  std::vector<PgParams> rows;
  for (const StoredEvent& e : test::generateShareWorld(world)) bindEventRow(rows.emplace_back(), eventRow("bench", "batch-bench", e));

  std::printf("| rows per transaction | multi-row INSERT, rows/s | COPY + INSERT ... SELECT, rows/s | COPY / multi-row |\n");
  std::printf("| ---: | ---: | ---: | ---: |\n");
  for (const std::size_t size : sizes) {
    std::vector<double> multi, copy;
    for (int round = 0; round < kRounds; ++round) {
      multi.push_back(roundRowsPerSecond(db, rows, size, false));
      copy.push_back(roundRowsPerSecond(db, rows, size, true));
    }
    std::printf("| %zu | %.0f | %.0f | %.2f |\n", size, median(multi), median(copy), median(copy) / median(multi));
    std::fflush(stdout);
  }
  return 0;
}
