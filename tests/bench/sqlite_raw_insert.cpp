// The raw SQLite baseline of the collector's ingest (scripts/bench collector): one thread writes the
// rows the collector stores for tests/bench/ingest.lua's batches (20 events each: their event rows,
// a summary row for each summary, a batch row), with the collector's schema and indexes
// (SqliteStorage::open), its connection settings for the durability and its statements, in
// transactions of as many batches as the collector's group commit achieved in the same run, as
// fast as it can. No HTTP, JSON, validation or scores: what SQLite alone costs.
// Usage: sharetrack_sqlite_raw_insert DB normal|full BATCHES_PER_TRANSACTION SECONDS
// Prints the event rows stored per second.
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "sqlite_storage.hpp"

using namespace sharetrack::collector;
using Clock = std::chrono::steady_clock;

namespace {

// What ingest.lua's batches carry, as the collector stores it.
constexpr std::string_view kSite = "bench";
constexpr std::string_view kVisitor = "0123456789abcdef0123456789abcdef";
constexpr std::string_view kClientKey = "5f0c7e1d2a3b4c69";  // the collector's daily key of the client
constexpr std::string_view kContent = "t-42";
constexpr std::string_view kPageView = "pageview-1";
constexpr std::string_view kToken = "BIAAD6AEjRWeJq83veg0b";
constexpr std::string_view kChild = "BEEAD6RERIiIzM0REDDXn";
constexpr std::string_view kAddress = "BcEAD6ZmZiIh3d2ZmKabl";
constexpr std::string_view kMeasures =
    R"({"copies":0,"dwellMs":5400,"quartile":0,"seq":2,"shares":{"x":1},"viewable":true,"watchedMs":0})";
constexpr std::string_view kShares = R"({"x":1})";
constexpr std::int64_t kClientTimeMs = 1707670000000;
constexpr int kEventsPerBatch = 20;

int fail(const std::string& message) {
  std::fprintf(stderr, "sharetrack_sqlite_raw_insert: %s\n", message.c_str());
  return 1;
}

std::int64_t unixMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class Statement {
 public:
  Statement(sqlite3* db, const char* sql) {
    sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  bool ok() const { return stmt_ != nullptr; }
  // The text outlives the step: SQLite need not copy it.
  Statement& text(int i, std::string_view value) {
    sqlite3_bind_text(stmt_, i, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
    return *this;
  }
  Statement& integer(int i, std::int64_t value) {
    sqlite3_bind_int64(stmt_, i, value);
    return *this;
  }
  Statement& null(int i) {
    sqlite3_bind_null(stmt_, i);
    return *this;
  }
  Statement& real(int i, double value) {
    sqlite3_bind_double(stmt_, i, value);
    return *this;
  }
  bool run() {
    const int rc = sqlite3_step(stmt_);
    sqlite3_reset(stmt_);
    return rc == SQLITE_DONE;
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

struct Writes {
  explicit Writes(sqlite3* db)
      : begin(db, "BEGIN IMMEDIATE"),
        commit(db, "COMMIT"),
        event(db, sqlite_writes::kInsertEvent),
        summary(db, sqlite_writes::kUpsertSummary),
        batch(db, sqlite_writes::kInsertBatch) {}
  bool ok() const { return begin.ok() && commit.ok() && event.ok() && summary.ok() && batch.ok(); }
  Statement begin, commit, event, summary, batch;
};

// One batch of ingest.lua's: events 1-20, each of the kind its number gives modulo 4.
bool writeBatch(Writes& w, long number) {
  const std::string batchId = "batch-t0-" + std::to_string(number);
  const std::int64_t receivedAtMs = unixMs();
  for (int i = 1; i <= kEventsPerBatch; ++i) {
    const std::string id = "ev-t0-" + std::to_string(number) + "-" + std::to_string(i);
    const std::string pageView = "pv-" + id;
    Statement& e = w.event;
    e.text(1, kSite).text(2, id).text(4, batchId).text(5, kVisitor).null(6);
    e.integer(12, 0).integer(13, 0).null(14).null(15).integer(16, kClientTimeMs).integer(17, receivedAtMs);
    e.text(18, kClientKey).integer(19, 0).null(20);
    switch (i % 4) {
      case 0:
        e.text(3, "share").text(7, kContent).text(8, kPageView).text(9, kChild).text(10, kToken).text(11, "copy");
        break;
      case 1:
        e.text(3, "clickback").text(7, kContent).text(8, kPageView).text(9, kToken).null(10).null(11);
        break;
      case 2:
        e.text(3, "summary").text(7, kContent).text(8, pageView).text(9, kAddress).null(10).null(11);
        e.text(20, kMeasures);
        break;
      default:
        e.text(3, "conversion").null(7).null(8).null(9).null(10).null(11).text(14, "signup").real(15, 12.5);
    }
    if (!e.run()) return false;
    if (i % 4 != 2) continue;
    Statement& s = w.summary;
    s.text(1, kSite).text(2, pageView).text(3, kContent).text(4, kVisitor).integer(5, 2).integer(6, 1);
    s.integer(7, 5400).integer(8, 0).integer(9, 0).text(10, kShares).integer(11, 0).text(12, kAddress);
    s.integer(13, 0).text(14, id).integer(15, kClientTimeMs).integer(16, receivedAtMs);
    if (!s.run()) return false;
  }
  Statement& b = w.batch;
  b.text(1, kSite).text(2, batchId).text(3, kVisitor).integer(4, kEventsPerBatch).integer(5, 0).null(6);
  b.integer(7, 0).integer(8, kClientTimeMs).integer(9, receivedAtMs);
  return b.run();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) return fail("usage: sharetrack_sqlite_raw_insert DB normal|full BATCHES_PER_TRANSACTION SECONDS");
  const std::string path = argv[1];
  const Durability durability = std::string(argv[2]) == "full" ? Durability::full : Durability::normal;
  const double perTransaction = std::atof(argv[3]);
  const double seconds = std::atof(argv[4]);
  if (perTransaction < 1 || seconds <= 0) return fail("BATCHES_PER_TRANSACTION must be at least 1, SECONDS above 0");

  // The collector's schema, indexes and migrations, in a new file.
  if (auto created = SqliteStorage::open(path, durability); !created) return fail(created.error().message);
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK ||
      !configureConnection(db, durability)) {
    return fail("cannot open " + path);
  }
  long batches = 0;
  {
    Writes writes(db);
    if (!writes.ok()) return fail(sqlite3_errmsg(db));
    const auto start = Clock::now();
    const auto end = start + std::chrono::duration<double>(seconds);
    double due = 0;  // batches written by the end of this transaction: a fractional size averages out
    while (Clock::now() < end) {
      due += perTransaction;
      if (!writes.begin.run()) return fail(sqlite3_errmsg(db));
      for (; batches < static_cast<long>(due); ++batches) {
        if (!writeBatch(writes, batches)) return fail(sqlite3_errmsg(db));
      }
      if (!writes.commit.run()) return fail(sqlite3_errmsg(db));
    }
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    std::printf("%.0f\n", static_cast<double>(batches * kEventsPerBatch) / elapsed);
  }
  sqlite3_close(db);
  return 0;
}
