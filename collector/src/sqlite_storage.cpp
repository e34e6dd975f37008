#include "sqlite_storage.hpp"

#include <sqlite3.h>

#include "event_rows.hpp"
#include "sharetrack/erased_form.hpp"
#include "sqlite_checkpointer.hpp"

namespace sharetrack::collector {
namespace {

// Each entry moves the schema one version up; never edit a shipped one, append a new one.
const char* const kMigrations[] = {
    R"sql(
CREATE TABLE events (
  site TEXT NOT NULL,
  event_id TEXT NOT NULL,
  type TEXT NOT NULL,
  batch_id TEXT NOT NULL,
  visitor TEXT NOT NULL,
  subscriber TEXT,
  content TEXT,
  page_view TEXT,
  token TEXT,
  parent TEXT,
  channel TEXT,
  self_click INTEGER NOT NULL DEFAULT 0,
  bot INTEGER NOT NULL DEFAULT 0,
  conversion_name TEXT,
  conversion_value REAL,
  client_time INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (site, event_id)
) WITHOUT ROWID;
CREATE INDEX events_by_token ON events (site, token);
CREATE INDEX events_by_visitor ON events (site, visitor);
CREATE TABLE summaries (
  site TEXT NOT NULL,
  page_view TEXT NOT NULL,
  content TEXT NOT NULL,
  visitor TEXT NOT NULL,
  seq INTEGER NOT NULL,
  viewable INTEGER NOT NULL,
  dwell_ms INTEGER NOT NULL,
  video_quartile INTEGER NOT NULL,
  video_watched_ms INTEGER NOT NULL,
  shares TEXT NOT NULL,
  copies INTEGER NOT NULL,
  address_token TEXT,
  bot INTEGER NOT NULL DEFAULT 0,
  event_id TEXT NOT NULL,
  client_time INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (site, page_view, content)
) WITHOUT ROWID;
CREATE TABLE batches (
  site TEXT NOT NULL,
  batch_id TEXT NOT NULL,
  visitor TEXT NOT NULL,
  events INTEGER NOT NULL,
  queue_overflow INTEGER NOT NULL,
  rejected TEXT,
  bot_user_agent INTEGER NOT NULL,
  sent_at INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (site, batch_id)
) WITHOUT ROWID;
)sql",
    // 2: a summary is its visitor's: posting a page view's id cannot reach another visitor's row.
    R"sql(
CREATE TABLE summaries_by_visitor (
  site TEXT NOT NULL,
  page_view TEXT NOT NULL,
  content TEXT NOT NULL,
  visitor TEXT NOT NULL,
  seq INTEGER NOT NULL,
  viewable INTEGER NOT NULL,
  dwell_ms INTEGER NOT NULL,
  video_quartile INTEGER NOT NULL,
  video_watched_ms INTEGER NOT NULL,
  shares TEXT NOT NULL,
  copies INTEGER NOT NULL,
  address_token TEXT,
  bot INTEGER NOT NULL DEFAULT 0,
  event_id TEXT NOT NULL,
  client_time INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (site, visitor, page_view, content)
) WITHOUT ROWID;
INSERT INTO summaries_by_visitor SELECT * FROM summaries;
DROP TABLE summaries;
ALTER TABLE summaries_by_visitor RENAME TO summaries;
)sql",
    // 3: what the scores are recomputed from: the client key of the request, a summary's measures
    // (older rows take them from the summary they left standing), rows left by an erasure.
    R"sql(
ALTER TABLE events ADD COLUMN client_key TEXT;
ALTER TABLE events ADD COLUMN erased INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN measures TEXT;
UPDATE events SET measures = (
  SELECT json_object('seq', s.seq, 'viewable', s.viewable, 'dwellMs', s.dwell_ms, 'quartile', s.video_quartile,
                     'watchedMs', s.video_watched_ms, 'shares', json(s.shares), 'copies', s.copies)
  FROM summaries s WHERE s.site = events.site AND s.event_id = events.event_id)
WHERE type = 'summary';
)sql",
};
constexpr int kSchemaVersion = sizeof kMigrations / sizeof kMigrations[0];

Error storageError(sqlite3* db, const std::string& what) {
  return makeError(ErrorCode::storageUnavailable, what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

class Statement {
 public:
  Statement() = default;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() { sqlite3_finalize(stmt_); }
  bool prepare(sqlite3* db, const char* sql) {
    return sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr) == SQLITE_OK;
  }
  // The text must outlive run(): SQLite reads it in place rather than copying it.
  Statement& text(int i, std::string_view value) {
    sqlite3_bind_text(stmt_, i, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
    return *this;
  }
  Statement& optionalText(int i, const std::optional<std::string>& value) {
    if (value) return text(i, *value);
    sqlite3_bind_null(stmt_, i);
    return *this;
  }
  Statement& integer(int i, std::int64_t value) {
    sqlite3_bind_int64(stmt_, i, value);
    return *this;
  }
  Statement& real(int i, double value) {
    sqlite3_bind_double(stmt_, i, value);
    return *this;
  }
  Statement& null(int i) {
    sqlite3_bind_null(stmt_, i);
    return *this;
  }
  // Runs to completion; true on success.
  bool run() {
    const int rc = sqlite3_step(stmt_);
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    return rc == SQLITE_DONE;
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

bool exec(sqlite3* db, const char* sql) { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK; }

std::string columnText(sqlite3_stmt* row, int i) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(row, i));
  return text ? std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(row, i))) : std::string();
}

std::optional<std::string> columnOptional(sqlite3_stmt* row, int i) {
  if (sqlite3_column_type(row, i) == SQLITE_NULL) return std::nullopt;
  return columnText(row, i);
}

constexpr const char* kEventColumns =
    "site, event_id, type, visitor, subscriber, content, page_view, token, parent, channel, self_click, bot, "
    "conversion_name, conversion_value, client_time, received_at, client_key, erased, measures";

// One row of kEventColumns back into the event it stored.
StoredEvent eventFromRow(sqlite3_stmt* row) {
  EventRow r;
  r.eventId = columnText(row, 1);
  r.type = columnText(row, 2);
  r.visitor = columnText(row, 3);
  r.subscriber = columnOptional(row, 4);
  r.content = columnOptional(row, 5);
  r.pageView = columnOptional(row, 6);
  r.token = columnOptional(row, 7);
  r.parent = columnOptional(row, 8);
  r.channel = columnOptional(row, 9);
  r.selfClick = sqlite3_column_int(row, 10) != 0;
  r.bot = sqlite3_column_int(row, 11);
  r.conversionName = columnOptional(row, 12);
  if (sqlite3_column_type(row, 13) != SQLITE_NULL) r.conversionValue = sqlite3_column_double(row, 13);
  r.clientTime = sqlite3_column_int64(row, 14);
  r.receivedAt = sqlite3_column_int64(row, 15);
  r.clientKey = columnOptional(row, 16);
  r.erased = sqlite3_column_int(row, 17) != 0;
  r.measures = columnOptional(row, 18);
  return storedEvent(r);
}

}  // namespace

namespace sqlite_writes {
const char* const kInsertEvent =
    "INSERT OR IGNORE INTO events (site, event_id, type, batch_id, visitor, subscriber, content, page_view, token, "
    "parent, channel, self_click, bot, conversion_name, conversion_value, client_time, received_at, client_key, "
    "erased, measures) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
    "?19, ?20)";
const char* const kUpsertSummary =
    "INSERT INTO summaries (site, page_view, content, visitor, seq, viewable, dwell_ms, video_quartile, "
    "video_watched_ms, shares, copies, address_token, bot, event_id, client_time, received_at) VALUES (?1, ?2, ?3, "
    "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16) ON CONFLICT (site, visitor, page_view, content) DO "
    "UPDATE SET seq = excluded.seq, viewable = excluded.viewable, dwell_ms = excluded.dwell_ms, video_quartile = "
    "excluded.video_quartile, video_watched_ms = excluded.video_watched_ms, shares = excluded.shares, copies = "
    "excluded.copies, address_token = excluded.address_token, bot = excluded.bot, event_id = excluded.event_id, "
    "client_time = excluded.client_time, received_at = excluded.received_at WHERE excluded.seq > summaries.seq";
const char* const kInsertBatch =
    "INSERT OR IGNORE INTO batches (site, batch_id, visitor, events, queue_overflow, rejected, bot_user_agent, "
    "sent_at, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
}  // namespace sqlite_writes

bool configureConnection(sqlite3* db, Durability durability) {
  const char* synchronous = durability == Durability::full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL";
  return exec(db, "PRAGMA journal_mode=WAL") && exec(db, synchronous) && exec(db, "PRAGMA busy_timeout=5000");
}

struct SqliteStorage::Statements {
  Statement begin, commit, rollback, insertEvent, upsertSummary, insertBatch, deleteVisitorEvents,
      deleteVisitorSummaries, deleteVisitorBatches;
};

int SqliteStorage::schemaVersion() { return kSchemaVersion; }

Result<std::unique_ptr<SqliteStorage>> SqliteStorage::open(const std::string& path, Durability durability) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK) {
    Error error = storageError(db, "cannot open database " + path);
    sqlite3_close(db);
    return error;
  }
  std::unique_ptr<SqliteStorage> storage(new SqliteStorage(db, path));
  if (!configureConnection(db, durability)) return storageError(db, "cannot configure database " + path);

  sqlite3_stmt* versionQuery = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &versionQuery, nullptr);
  int version = 0;
  if (versionQuery && sqlite3_step(versionQuery) == SQLITE_ROW) version = sqlite3_column_int(versionQuery, 0);
  sqlite3_finalize(versionQuery);
  if (version > kSchemaVersion) {
    return makeError(ErrorCode::configInvalid, "database " + path + " has schema version " + std::to_string(version) +
                                                   ", newer than this collector's " + std::to_string(kSchemaVersion));
  }
  for (int next = version; next < kSchemaVersion; ++next) {
    const std::string setVersion = "PRAGMA user_version=" + std::to_string(next + 1);
    if (!exec(db, "BEGIN IMMEDIATE") || !exec(db, kMigrations[next]) || !exec(db, setVersion.c_str()) ||
        !exec(db, "COMMIT")) {
      Error error = storageError(db, "cannot migrate database " + path + " to version " + std::to_string(next + 1));
      exec(db, "ROLLBACK");
      return error;
    }
  }
  SHARETRACK_RETURN_IF_ERROR(storage->prepare());
  auto checkpointer = SqliteCheckpointer::start(db, path, durability);
  if (!checkpointer) return checkpointer.error();
  storage->checkpointer_ = std::move(checkpointer).value();
  return storage;
}

SqliteStorage::SqliteStorage(sqlite3* db, std::string path)
    : db_(db), path_(std::move(path)), statements_(std::make_unique<Statements>()) {}

SqliteStorage::~SqliteStorage() {
  checkpointer_.reset();  // its thread and connection before the writer's connection
  statements_.reset();    // statements before the connection
  sqlite3_close(db_);
}

Status SqliteStorage::prepare() {
  Statements& s = *statements_;
  const bool ok = s.begin.prepare(db_, "BEGIN IMMEDIATE") && s.commit.prepare(db_, "COMMIT") &&
                  s.rollback.prepare(db_, "ROLLBACK") && s.insertEvent.prepare(db_, sqlite_writes::kInsertEvent) &&
                  s.deleteVisitorEvents.prepare(db_, "DELETE FROM events WHERE site = ?1 AND visitor = ?2") &&
                  s.deleteVisitorSummaries.prepare(db_, "DELETE FROM summaries WHERE site = ?1 AND visitor = ?2") &&
                  s.deleteVisitorBatches.prepare(db_, "DELETE FROM batches WHERE site = ?1 AND visitor = ?2") &&
                  s.upsertSummary.prepare(db_, sqlite_writes::kUpsertSummary) &&
                  s.insertBatch.prepare(db_, sqlite_writes::kInsertBatch);
  if (!ok) return storageError(db_, "cannot prepare statements for " + path_);
  return {};
}

Status SqliteStorage::insertEvent(const std::string& site, const std::string& batchId, const StoredEvent& stored,
                                  bool& fresh) {
  const EventRow row = eventRow(site, batchId, stored);  // bound in place: kept until the insert has run
  Statement& insert = statements_->insertEvent;
  insert.text(1, row.site).text(2, row.eventId).text(3, row.type).text(4, row.batchId).text(5, row.visitor);
  insert.optionalText(6, row.subscriber).optionalText(7, row.content).optionalText(8, row.pageView);
  insert.optionalText(9, row.token).optionalText(10, row.parent).optionalText(11, row.channel);
  insert.integer(12, row.selfClick ? 1 : 0).integer(13, row.bot).optionalText(14, row.conversionName);
  if (row.conversionValue) {
    insert.real(15, *row.conversionValue);
  } else {
    insert.null(15);
  }
  insert.integer(16, row.clientTime).integer(17, row.receivedAt).optionalText(18, row.clientKey);
  insert.integer(19, row.erased ? 1 : 0).optionalText(20, row.measures);
  if (!insert.run()) return storageError(db_, "cannot store event " + row.eventId);
  fresh = sqlite3_changes(db_) == 1;
  return {};
}

Status SqliteStorage::upsertSummary(const std::string& site, const StoredEvent& stored, const SummaryEvent& summary) {
  Statement& upsert = statements_->upsertSummary;
  const std::string shares = sharesJson(summary);
  upsert.text(1, site).text(2, summary.pageView).text(3, summary.content).text(4, stored.visitor);
  upsert.integer(5, summary.seq).integer(6, summary.viewable ? 1 : 0).integer(7, summary.dwellMs);
  upsert.integer(8, summary.videoQuartile).integer(9, summary.videoWatchedMs).text(10, shares);
  upsert.integer(11, summary.copies).optionalText(12, summary.addressToken);
  upsert.integer(13, stored.requestBot ? botRequestUserAgent : 0);
  upsert.text(14, stored.event.id).integer(15, stored.event.timeMs).integer(16, stored.receivedAtMs);
  if (!upsert.run()) return storageError(db_, "cannot store summary " + stored.event.id);
  return {};
}

Status SqliteStorage::storeOne(const IncomingBatch& batch, std::vector<StoreOutcome>& outcomes) {
  const BatchHeader& h = batch.header;
  outcomes.reserve(batch.events.size());
  for (const StoredEvent& stored : batch.events) {
    bool fresh = false;
    SHARETRACK_RETURN_IF_ERROR(insertEvent(h.site, h.id, stored, fresh));
    outcomes.push_back(fresh ? StoreOutcome::accepted : StoreOutcome::duplicate);
    const auto* summary = std::get_if<SummaryEvent>(&stored.event.body);
    if (fresh && summary) SHARETRACK_RETURN_IF_ERROR(upsertSummary(h.site, stored, *summary));
  }
  Statement& insertBatch = statements_->insertBatch;
  std::string rejected;  // bound below, so kept until the insert has run
  insertBatch.text(1, h.site)
      .text(2, h.id)
      .text(3, h.visitor)
      .integer(4, static_cast<std::int64_t>(batch.events.size()));
  insertBatch.integer(5, h.dropped.queueOverflow);
  if (h.dropped.rejected.empty()) {
    insertBatch.null(6);
  } else {
    rejected = rejectedJson(h.dropped.rejected);
    insertBatch.text(6, rejected);
  }
  insertBatch.integer(7, batch.botUserAgent ? 1 : 0).integer(8, h.sentAtMs).integer(9, batch.receivedAtMs);
  if (!insertBatch.run()) return storageError(db_, "cannot store batch " + h.id);
  return {};
}

template <typename Work>
Status SqliteStorage::inTransaction(Work work) {
  Statements& s = *statements_;
  if (!s.begin.run()) return storageError(db_, "cannot begin a transaction");
  if (Status done = work(); !done) {
    s.rollback.run();
    return done;
  }
  if (!s.commit.run()) {
    Error error = storageError(db_, "cannot commit");
    s.rollback.run();
    return error;
  }
  return {};
}

Result<std::vector<std::vector<StoreOutcome>>> SqliteStorage::store(const std::vector<const IncomingBatch*>& batches) {
  std::vector<std::vector<StoreOutcome>> outcomes(batches.size());
  const Status stored = inTransaction([&]() -> Status {
    for (std::size_t i = 0; i < batches.size(); ++i) SHARETRACK_RETURN_IF_ERROR(storeOne(*batches[i], outcomes[i]));
    return {};
  });
  if (!stored) return stored.error();
  return outcomes;
}

Status SqliteStorage::forEachEvent(const StoredEventVisitor& visit) {
  sqlite3_stmt* rows = nullptr;
  // In the order they arrived: any order gives the same scores, this one the fastest.
  const std::string sql = std::string("SELECT ") + kEventColumns + " FROM events ORDER BY received_at";
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &rows, nullptr) != SQLITE_OK) {
    return storageError(db_, "cannot read the events of " + path_);
  }
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(rows)) == SQLITE_ROW) visit(columnText(rows, 0), eventFromRow(rows));
  sqlite3_finalize(rows);
  if (rc != SQLITE_DONE) return storageError(db_, "cannot read the events of " + path_);
  return {};
}

Result<std::vector<std::string>> SqliteStorage::visitorsOf(const std::string& site, const std::string& subscriber) {
  sqlite3_stmt* rows = nullptr;
  if (sqlite3_prepare_v2(db_, "SELECT DISTINCT visitor FROM events WHERE site = ?1 AND subscriber = ?2", -1, &rows,
                         nullptr) != SQLITE_OK) {
    return storageError(db_, "cannot read the visitors of subscriber " + subscriber);
  }
  sqlite3_bind_text(rows, 1, site.data(), static_cast<int>(site.size()), SQLITE_TRANSIENT);
  sqlite3_bind_text(rows, 2, subscriber.data(), static_cast<int>(subscriber.size()), SQLITE_TRANSIENT);
  std::vector<std::string> visitors;
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(rows)) == SQLITE_ROW) visitors.push_back(columnText(rows, 0));
  sqlite3_finalize(rows);
  if (rc != SQLITE_DONE) return storageError(db_, "cannot read the visitors of subscriber " + subscriber);
  return visitors;
}

Status SqliteStorage::eraseVisitor(const std::string& site, const std::string& visitor, const std::string& anonymousId) {
  return inTransaction([&]() -> Status {
    std::vector<StoredEvent> theirs;
    sqlite3_stmt* rows = nullptr;
    const std::string sql = std::string("SELECT ") + kEventColumns + " FROM events WHERE site = ?1 AND visitor = ?2";
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &rows, nullptr) != SQLITE_OK) {
      return storageError(db_, "cannot read the events of visitor " + visitor);
    }
    sqlite3_bind_text(rows, 1, site.data(), static_cast<int>(site.size()), SQLITE_TRANSIENT);
    sqlite3_bind_text(rows, 2, visitor.data(), static_cast<int>(visitor.size()), SQLITE_TRANSIENT);
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(rows)) == SQLITE_ROW) theirs.push_back(eventFromRow(rows));
    sqlite3_finalize(rows);
    if (rc != SQLITE_DONE) return storageError(db_, "cannot read the events of visitor " + visitor);
    Statements& s = *statements_;
    for (Statement* remove : {&s.deleteVisitorEvents, &s.deleteVisitorSummaries, &s.deleteVisitorBatches}) {
      if (!remove->text(1, site).text(2, visitor).run()) return storageError(db_, "cannot erase visitor " + visitor);
    }
    for (const StoredEvent& event : theirs) {
      const auto kept = erasedForm(event, anonymousId);
      bool fresh = false;
      if (kept) SHARETRACK_RETURN_IF_ERROR(insertEvent(site, "erased", *kept, fresh));
    }
    return {};
  });
}

}  // namespace sharetrack::collector
