#include "sqlite_storage.hpp"

#include <sqlite3.h>

#include <nlohmann/json.hpp>

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
  Statement& text(int i, const std::string& value) {
    sqlite3_bind_text(stmt_, i, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
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

}  // namespace

struct SqliteStorage::Statements {
  Statement begin, commit, rollback, insertEvent, upsertSummary, insertBatch;
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
  const char* synchronous = durability == Durability::full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL";
  if (!exec(db, "PRAGMA journal_mode=WAL") || !exec(db, synchronous) || !exec(db, "PRAGMA busy_timeout=5000")) {
    return storageError(db, "cannot configure database " + path);
  }

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
  return storage;
}

SqliteStorage::SqliteStorage(sqlite3* db, std::string path)
    : db_(db), path_(std::move(path)), statements_(std::make_unique<Statements>()) {}

SqliteStorage::~SqliteStorage() {
  statements_.reset();  // statements before the connection
  sqlite3_close(db_);
}

Status SqliteStorage::prepare() {
  Statements& s = *statements_;
  const bool ok =
      s.begin.prepare(db_, "BEGIN IMMEDIATE") && s.commit.prepare(db_, "COMMIT") &&
      s.rollback.prepare(db_, "ROLLBACK") &&
      s.insertEvent.prepare(
          db_,
          "INSERT OR IGNORE INTO events (site, event_id, type, batch_id, visitor, subscriber, content, "
          "page_view, token, parent, channel, self_click, bot, conversion_name, conversion_value, "
          "client_time, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
          "?14, ?15, ?16, ?17)") &&
      s.upsertSummary.prepare(
          db_,
          "INSERT INTO summaries (site, page_view, content, visitor, seq, viewable, dwell_ms, video_quartile, "
          "video_watched_ms, shares, copies, address_token, bot, event_id, client_time, received_at) VALUES (?1, ?2, "
          "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16) ON CONFLICT (site, visitor, page_view, "
          "content) DO "
          "UPDATE SET seq = excluded.seq, viewable = excluded.viewable, dwell_ms = "
          "excluded.dwell_ms, video_quartile = excluded.video_quartile, video_watched_ms = excluded.video_watched_ms, "
          "shares = excluded.shares, copies = excluded.copies, address_token = excluded.address_token, bot = "
          "excluded.bot, event_id = excluded.event_id, client_time = excluded.client_time, received_at = "
          "excluded.received_at WHERE excluded.seq > summaries.seq") &&
      s.insertBatch.prepare(db_,
                            "INSERT OR IGNORE INTO batches (site, batch_id, visitor, events, queue_overflow, rejected, "
                            "bot_user_agent, sent_at, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  if (!ok) return storageError(db_, "cannot prepare statements for " + path_);
  return {};
}

Status SqliteStorage::storeOne(const IncomingBatch& batch, std::vector<StoreOutcome>& outcomes) {
  Statements& s = *statements_;
  const BatchHeader& h = batch.header;
  const std::uint8_t requestBot = batch.botUserAgent ? botRequestUserAgent : 0;
  for (const Event& event : batch.events) {
    Statement& insert = s.insertEvent;
    insert.text(1, h.site).text(2, event.id).text(3, std::string(eventTypeName(eventTypeOf(event.body)))).text(4, h.id);
    insert.text(5, h.visitor).optionalText(6, h.subscriber).integer(16, event.timeMs).integer(17, batch.receivedAtMs);
    insert.integer(12, 0).integer(13, requestBot);
    for (int column : {7, 8, 9, 10, 11, 14, 15}) insert.null(column);
    if (const auto* e = std::get_if<ShareEvent>(&event.body)) {
      insert.text(7, e->content).text(8, e->pageView).text(9, e->token).optionalText(10, e->parent);
      insert.text(11, std::string(channelName(e->channel)));
    } else if (const auto* e = std::get_if<ClickbackEvent>(&event.body)) {
      insert.text(7, e->content).text(8, e->pageView).text(9, e->token);
      insert.integer(12, e->selfClick ? 1 : 0).integer(13, e->botSignals | requestBot);
    } else if (const auto* e = std::get_if<SummaryEvent>(&event.body)) {
      insert.text(7, e->content).text(8, e->pageView).optionalText(9, e->addressToken);
    } else if (const auto* e = std::get_if<ConversionEvent>(&event.body)) {
      insert.text(14, e->name).real(15, e->value);
    }
    if (!insert.run()) return storageError(db_, "cannot store event " + event.id);
    const bool fresh = sqlite3_changes(db_) == 1;
    outcomes.push_back(fresh ? StoreOutcome::accepted : StoreOutcome::duplicate);

    const auto* summary = std::get_if<SummaryEvent>(&event.body);
    if (!fresh || !summary) continue;
    nlohmann::json shares = nlohmann::json::object();
    for (std::size_t i = 0; i < kChannelCount; ++i) {
      if (summary->shares[i]) shares[std::string(channelName(static_cast<Channel>(i)))] = summary->shares[i];
    }
    Statement& upsert = s.upsertSummary;
    upsert.text(1, h.site).text(2, summary->pageView).text(3, summary->content).text(4, h.visitor);
    upsert.integer(5, summary->seq).integer(6, summary->viewable ? 1 : 0).integer(7, summary->dwellMs);
    upsert.integer(8, summary->videoQuartile).integer(9, summary->videoWatchedMs).text(10, shares.dump());
    upsert.integer(11, summary->copies).optionalText(12, summary->addressToken).integer(13, requestBot);
    upsert.text(14, event.id).integer(15, event.timeMs).integer(16, batch.receivedAtMs);
    if (!upsert.run()) return storageError(db_, "cannot store summary " + event.id);
  }
  Statement& insertBatch = s.insertBatch;
  insertBatch.text(1, h.site)
      .text(2, h.id)
      .text(3, h.visitor)
      .integer(4, static_cast<std::int64_t>(batch.events.size()));
  insertBatch.integer(5, h.dropped.queueOverflow);
  if (h.dropped.rejected.empty()) {
    insertBatch.null(6);
  } else {
    insertBatch.text(6, nlohmann::json(h.dropped.rejected).dump());
  }
  insertBatch.integer(7, batch.botUserAgent ? 1 : 0).integer(8, h.sentAtMs).integer(9, batch.receivedAtMs);
  if (!insertBatch.run()) return storageError(db_, "cannot store batch " + h.id);
  return {};
}

Result<std::vector<std::vector<StoreOutcome>>> SqliteStorage::store(const std::vector<const IncomingBatch*>& batches) {
  Statements& s = *statements_;
  if (!s.begin.run()) return storageError(db_, "cannot begin a transaction");
  std::vector<std::vector<StoreOutcome>> outcomes(batches.size());
  for (std::size_t i = 0; i < batches.size(); ++i) {
    if (auto stored = storeOne(*batches[i], outcomes[i]); !stored) {
      s.rollback.run();
      return stored.error();
    }
  }
  if (!s.commit.run()) {
    Error error = storageError(db_, "cannot commit");
    s.rollback.run();
    return error;
  }
  return outcomes;
}

}  // namespace sharetrack::collector
