#include "pg_storage.hpp"

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <map>
#include <set>
#include <tuple>

#include "event_rows.hpp"
#include "pg_rows.hpp"
#include "sharetrack/erased_form.hpp"

namespace sharetrack::collector {
namespace {

// Each entry moves the schema one version up; never edit a shipped one, append a new one. The
// columns are SQLite's (integers for its flags), so that a row reads the same from either store.
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
  conversion_value DOUBLE PRECISION,
  client_time BIGINT NOT NULL,
  received_at BIGINT NOT NULL,
  client_key TEXT,
  erased INTEGER NOT NULL DEFAULT 0,
  measures TEXT,
  xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  arrival INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site, event_id)
);
CREATE INDEX events_by_token ON events (site, token);
CREATE INDEX events_by_visitor ON events (site, visitor);
CREATE INDEX events_by_arrival ON events (xid, arrival);
CREATE TABLE summaries (
  site TEXT NOT NULL,
  page_view TEXT NOT NULL,
  content TEXT NOT NULL,
  visitor TEXT NOT NULL,
  seq BIGINT NOT NULL,
  viewable INTEGER NOT NULL,
  dwell_ms BIGINT NOT NULL,
  video_quartile INTEGER NOT NULL,
  video_watched_ms BIGINT NOT NULL,
  shares TEXT NOT NULL,
  copies BIGINT NOT NULL,
  address_token TEXT,
  bot INTEGER NOT NULL DEFAULT 0,
  event_id TEXT NOT NULL,
  client_time BIGINT NOT NULL,
  received_at BIGINT NOT NULL,
  PRIMARY KEY (site, visitor, page_view, content)
);
CREATE TABLE batches (
  site TEXT NOT NULL,
  batch_id TEXT NOT NULL,
  visitor TEXT NOT NULL,
  events INTEGER NOT NULL,
  queue_overflow BIGINT NOT NULL,
  rejected TEXT,
  bot_user_agent INTEGER NOT NULL,
  sent_at BIGINT NOT NULL,
  received_at BIGINT NOT NULL,
  PRIMARY KEY (site, batch_id)
);
-- An erasure happened (whose is not kept): every collector rebuilds its scores from the rows.
CREATE TABLE erasures (
  site TEXT NOT NULL,
  erased_at BIGINT NOT NULL,
  xid xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX erasures_by_xid ON erasures (xid);
-- Each day's client-key secret, the same for every collector; deleted after the next day.
CREATE TABLE client_key_secrets (
  day BIGINT PRIMARY KEY,
  secret TEXT NOT NULL
);
)sql",
};
constexpr int kSchemaVersion = sizeof kMigrations / sizeof kMigrations[0];
constexpr std::int64_t kMigrationLock = 0x5368617265547261;  // any constant every collector uses

// PostgreSQL takes at most 65,535 parameters in a statement.
constexpr std::size_t kRowsPerStatement = 1000;

// `head` VALUES (...), (...) `tail` for `rows` rows of `columns` parameters each, bound by `bind`,
// in as many statements as the parameter limit asks; `returned` sees each statement's rows.
Status insertRows(PgConnection& db, std::size_t rows, int columns, const std::string& head, const std::string& tail,
                  const std::function<void(PgParams&, std::size_t row)>& bind, const std::string& what,
                  const std::function<void(const PgResult&)>& returned = {}) {
  for (std::size_t from = 0; from < rows; from += kRowsPerStatement) {
    const std::size_t count = std::min(kRowsPerStatement, rows - from);
    PgParams params;
    params.reserve(count * static_cast<std::size_t>(columns));
    for (std::size_t row = from; row < from + count; ++row) bind(params, row);
    auto result = db.run(head + " VALUES " + pgPlaceholders(count, columns) + " " + tail, params, what);
    if (!result) return result.error();
    if (returned) returned(result.value());
  }
  return {};
}

}  // namespace

int PgStorage::schemaVersion() { return kSchemaVersion; }

PgStorage::PgStorage(std::unique_ptr<PgConnection> db)
    : db_(std::move(db)),
      beginStore_(std::string("BEGIN; CREATE TEMP TABLE IF NOT EXISTS incoming_events ON COMMIT DELETE ROWS AS SELECT ") +
                  kPgEventColumns + ", arrival FROM events WITH NO DATA") {}

Result<std::unique_ptr<PgStorage>> PgStorage::open(const std::string& url) {
  auto connection = PgConnection::open(url);
  if (!connection) return connection.error();
  std::unique_ptr<PgStorage> storage(new PgStorage(std::move(connection).value()));
  PgConnection& db = *storage->db_;
  const Status migrated = db.transaction([&]() -> Status {
    SHARETRACK_RETURN_IF_ERROR(
        db.run("SELECT pg_advisory_xact_lock(" + pgNumber(kMigrationLock) + ")", "wait for other collectors' migrations"));
    SHARETRACK_RETURN_IF_ERROR(db.run("CREATE TABLE IF NOT EXISTS sharetrack_schema (version INTEGER NOT NULL)",
                                      "create the schema version table"));
    auto found = db.run("SELECT COALESCE(MAX(version), 0) FROM sharetrack_schema", {}, "read the schema version");
    if (!found) return found.error();
    const auto version = static_cast<int>(found.value().integer(0, 0));
    if (version > kSchemaVersion) {
      return makeError(ErrorCode::configInvalid, db.name() + " has schema version " + std::to_string(version) +
                                                     ", newer than this collector's " + std::to_string(kSchemaVersion));
    }
    for (int next = version; next < kSchemaVersion; ++next) {
      const std::string what = "migrate to schema version " + std::to_string(next + 1);
      SHARETRACK_RETURN_IF_ERROR(db.run(kMigrations[next], what));
      SHARETRACK_RETURN_IF_ERROR(db.run("DELETE FROM sharetrack_schema", what));
      SHARETRACK_RETURN_IF_ERROR(
          db.run("INSERT INTO sharetrack_schema (version) VALUES (" + std::to_string(next + 1) + ")", what));
    }
    return {};
  });
  if (!migrated) return migrated.error();
  return storage;
}

Status PgStorage::insertEvents(const std::vector<const IncomingBatch*>& batches,
                               std::vector<std::vector<StoreOutcome>>& outcomes) {
  std::vector<EventRow> rows;
  for (const IncomingBatch* batch : batches) {
    for (const StoredEvent& event : batch->events) rows.push_back(eventRow(batch->header.site, batch->header.id, event));
  }
  // One row per id (a group may hold an id twice: the first is stored, the rest are duplicates),
  // inserted in key order as every collector does: two transactions holding the same ids (a batch
  // retried through another collector) wait for each other instead of deadlocking.
  std::vector<std::size_t> order(rows.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&rows](std::size_t a, std::size_t b) {
    return std::tie(rows[a].site, rows[a].eventId) < std::tie(rows[b].site, rows[b].eventId);
  });
  std::vector<PgParams> unique;
  for (std::size_t i = 0; i < order.size(); ++i) {
    const EventRow& row = rows[order[i]];
    if (i > 0 && row.site == rows[order[i - 1]].site && row.eventId == rows[order[i - 1]].eventId) continue;
    PgParams& bound = unique.emplace_back();
    bindEventRow(bound, row);
    bound.push_back(pgNumber(static_cast<std::int64_t>(order[i])));
  }
  // COPY into this transaction's scratch table, then one insert that skips the ids stored before:
  // faster than multi-row INSERTs (scripts/bench postgres).
  const std::string columns = std::string(kPgEventColumns) + ", arrival";
  SHARETRACK_RETURN_IF_ERROR(db_->copyRows("incoming_events", columns, unique, "store events"));
  auto result = db_->run("INSERT INTO events (" + columns + ") SELECT " + columns +
                             " FROM incoming_events ORDER BY site, event_id ON CONFLICT (site, event_id) DO NOTHING "
                             "RETURNING site, event_id",
                         {}, "store events");
  if (!result) return result.error();
  std::set<std::pair<std::string, std::string>> inserted;
  for (int r = 0; r < result.value().rows(); ++r) inserted.emplace(result.value().text(r, 0), result.value().text(r, 1));
  std::size_t at = 0;
  for (std::size_t b = 0; b < batches.size(); ++b) {
    outcomes[b].reserve(batches[b]->events.size());
    for (std::size_t e = 0; e < batches[b]->events.size(); ++e, ++at) {
      const bool fresh = inserted.erase({rows[at].site, rows[at].eventId}) > 0;
      outcomes[b].push_back(fresh ? StoreOutcome::accepted : StoreOutcome::duplicate);
    }
  }
  return {};
}

Status PgStorage::upsertSummaries(const std::vector<const IncomingBatch*>& batches,
                                  const std::vector<std::vector<StoreOutcome>>& outcomes) {
  // One row per page view in a statement (PostgreSQL updates a row once per statement): the
  // highest sequence number, the first of equals, as SQLite's row-by-row upserts leave it.
  using Key = std::tuple<std::string, std::string, std::string, std::string>;
  std::map<Key, std::pair<const IncomingBatch*, const StoredEvent*>> standing;
  for (std::size_t b = 0; b < batches.size(); ++b) {
    for (std::size_t e = 0; e < batches[b]->events.size(); ++e) {
      const StoredEvent& stored = batches[b]->events[e];
      const auto* summary = std::get_if<SummaryEvent>(&stored.event.body);
      if (!summary || outcomes[b][e] != StoreOutcome::accepted) continue;
      const Key key{batches[b]->header.site, stored.visitor, summary->pageView, summary->content};
      const auto [it, fresh] = standing.emplace(key, std::make_pair(batches[b], &stored));
      if (!fresh && std::get<SummaryEvent>(it->second.second->event.body).seq < summary->seq) {
        it->second = {batches[b], &stored};
      }
    }
  }
  std::vector<const StoredEvent*> rows;
  std::vector<const std::string*> sites;
  for (const auto& [key, at] : standing) {
    rows.push_back(at.second);
    sites.push_back(&std::get<0>(key));
  }
  return insertRows(
      *db_, rows.size(), 16,
      "INSERT INTO summaries (site, page_view, content, visitor, seq, viewable, dwell_ms, video_quartile, "
      "video_watched_ms, shares, copies, address_token, bot, event_id, client_time, received_at)",
      "ON CONFLICT (site, visitor, page_view, content) DO UPDATE SET seq = excluded.seq, viewable = "
      "excluded.viewable, dwell_ms = excluded.dwell_ms, video_quartile = excluded.video_quartile, video_watched_ms = "
      "excluded.video_watched_ms, shares = excluded.shares, copies = excluded.copies, address_token = "
      "excluded.address_token, bot = excluded.bot, event_id = excluded.event_id, client_time = excluded.client_time, "
      "received_at = excluded.received_at WHERE excluded.seq > summaries.seq",
      [&](PgParams& params, std::size_t i) {
        const StoredEvent& stored = *rows[i];
        const auto& s = std::get<SummaryEvent>(stored.event.body);
        params.insert(params.end(), {*sites[i], s.pageView, s.content, stored.visitor, pgNumber(s.seq),
                                     pgNumber(s.viewable ? 1 : 0), pgNumber(s.dwellMs), pgNumber(s.videoQuartile),
                                     pgNumber(s.videoWatchedMs), sharesJson(s), pgNumber(s.copies), s.addressToken,
                                     pgNumber(stored.requestBot ? botRequestUserAgent : 0), stored.event.id,
                                     pgNumber(stored.event.timeMs), pgNumber(stored.receivedAtMs)});
      },
      "store summaries");
}

Status PgStorage::insertBatches(const std::vector<const IncomingBatch*>& batches) {
  std::vector<const IncomingBatch*> sorted = batches;  // in key order, as the events
  std::sort(sorted.begin(), sorted.end(), [](const IncomingBatch* a, const IncomingBatch* b) {
    return std::tie(a->header.site, a->header.id) < std::tie(b->header.site, b->header.id);
  });
  return insertRows(
      *db_, sorted.size(), 9,
      "INSERT INTO batches (site, batch_id, visitor, events, queue_overflow, rejected, bot_user_agent, sent_at, "
      "received_at)",
      "ON CONFLICT (site, batch_id) DO NOTHING",
      [&](PgParams& params, std::size_t i) {
        const IncomingBatch& batch = *sorted[i];
        const BatchHeader& h = batch.header;
        params.insert(params.end(),
                      {h.site, h.id, h.visitor, pgNumber(static_cast<std::int64_t>(batch.events.size())),
                       pgNumber(h.dropped.queueOverflow),
                       h.dropped.rejected.empty() ? std::nullopt
                                                  : std::optional<std::string>(rejectedJson(h.dropped.rejected)),
                       pgNumber(batch.botUserAgent ? 1 : 0), pgNumber(h.sentAtMs), pgNumber(batch.receivedAtMs)});
      },
      "store batches");
}

Result<std::vector<std::vector<StoreOutcome>>> PgStorage::store(const std::vector<const IncomingBatch*>& batches) {
  std::vector<std::vector<StoreOutcome>> outcomes(batches.size());
  std::optional<TransactionId> transaction;
  // The scratch table lives as long as the connection (made again after a reconnection), and is
  // emptied at each commit.
  const Status stored = db_->transaction([&]() -> Status {
    SHARETRACK_RETURN_IF_ERROR(insertEvents(batches, outcomes));
    SHARETRACK_RETURN_IF_ERROR(upsertSummaries(batches, outcomes));
    SHARETRACK_RETURN_IF_ERROR(insertBatches(batches));
    auto id = db_->run("SELECT pg_current_xact_id()::text", {}, "read the transaction id");
    if (!id) return id.error();
    transaction = std::strtoull(id.value().text(0, 0).c_str(), nullptr, 10);
    if (announced_) announced_(*transaction);  // before the commit: a follower may read it at once
    return {};
  }, beginStore_.c_str());
  if (!stored) {
    if (transaction && abandoned_) abandoned_(*transaction);
    return stored.error();
  }
  lastTransaction_ = *transaction;
  return outcomes;
}

void PgStorage::observeTransactions(std::function<void(TransactionId)> announced,
                                    std::function<void(TransactionId)> abandoned) {
  announced_ = std::move(announced);
  abandoned_ = std::move(abandoned);
}

Status PgStorage::forEachEvent(const StoredEventVisitor& visit) {
  // In the order they were written: any order gives the same scores.
  return db_->forEachRow(std::string("SELECT ") + kPgEventColumns + " FROM events ORDER BY " + kPgArrivalOrder, {},
                         "read the events",
                         [&](const PgResult& row) {
                           const EventRow r = eventRowOf(row, 0);
                           visit(r.site, storedEvent(r));
                         });
}

Result<std::vector<std::string>> PgStorage::visitorsOf(const std::string& site, const std::string& subscriber) {
  auto found = db_->run("SELECT DISTINCT visitor FROM events WHERE site = $1 AND subscriber = $2", {site, subscriber},
                        "read the visitors of subscriber " + subscriber);
  if (!found) return found.error();
  std::vector<std::string> visitors;
  for (int r = 0; r < found.value().rows(); ++r) visitors.push_back(found.value().text(r, 0));
  return visitors;
}

Status PgStorage::eraseVisitor(const std::string& site, const std::string& visitor, const std::string& anonymousId) {
  return db_->transaction([&]() -> Status {
    // A batch of the visitor committing meanwhile would keep its rows as they were: ingest waits.
    SHARETRACK_RETURN_IF_ERROR(db_->run("LOCK TABLE events IN SHARE ROW EXCLUSIVE MODE", "lock the events"));
    std::vector<EventRow> theirs;
    SHARETRACK_RETURN_IF_ERROR(db_->forEachRow(
        std::string("SELECT ") + kPgEventColumns + " FROM events WHERE site = $1 AND visitor = $2 ORDER BY " +
            kPgArrivalOrder,
        {site, visitor},
        "read the events of visitor " + visitor, [&](const PgResult& row) { theirs.push_back(eventRowOf(row, 0)); }));
    for (const char* table : {"events", "summaries", "batches"}) {
      auto removed = db_->run(std::string("DELETE FROM ") + table + " WHERE site = $1 AND visitor = $2", {site, visitor},
                              "erase visitor " + visitor);
      if (!removed) return removed.error();
    }
    for (std::size_t i = 0; i < theirs.size(); ++i) {
      const auto kept = erasedForm(storedEvent(theirs[i]), anonymousId);
      if (!kept) continue;
      PgParams params;
      bindEventRow(params, eventRow(site, "erased", *kept));
      params.push_back(pgNumber(static_cast<std::int64_t>(i)));
      auto inserted = db_->run(std::string("INSERT INTO events (") + kPgEventColumns + ", arrival) VALUES " +
                                   pgPlaceholders(1, kPgEventColumnCount + 1) + " ON CONFLICT (site, event_id) DO NOTHING",
                               params, "keep an erased event of visitor " + visitor);
      if (!inserted) return inserted.error();
    }
    auto marked = db_->run("INSERT INTO erasures (site, erased_at) VALUES ($1, (extract(epoch FROM now()) * 1000)::bigint)",
                           {site}, "record the erasure");
    if (!marked) return marked.error();
    return {};
  });
}

}  // namespace sharetrack::collector
