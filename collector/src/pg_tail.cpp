#include "pg_tail.hpp"

#include <cstdlib>

#include "pg_rows.hpp"

namespace sharetrack::collector {

Result<std::unique_ptr<PgTail>> PgTail::open(const std::string& url) {
  auto connection = PgConnection::open(url);
  if (!connection) return connection.error();
  return std::unique_ptr<PgTail>(new PgTail(std::move(connection).value()));
}

Result<PgTail::Step> PgTail::next(const FollowedEventVisitor& visit) {
  Step step;
  const std::string from = std::to_string(from_);
  const Status read = db_->transaction(
      [&]() -> Status {
        auto horizon = db_->run("SELECT pg_snapshot_xmin(pg_current_snapshot())::text", {}, "read the commit horizon");
        if (!horizon) return horizon.error();
        step.horizon = std::strtoull(horizon.value().text(0, 0).c_str(), nullptr, 10);
        const std::string to = std::to_string(step.horizon);
        if (from_ > 0) {
          auto erasures = db_->run("SELECT EXISTS (SELECT 1 FROM erasures WHERE xid >= $1::xid8 AND xid < $2::xid8)",
                                   {from, to}, "look for erasures");
          if (!erasures) return erasures.error();
          step.erased = erasures.value().text(0, 0) == "t";
          if (step.erased) return {};
        }
        return db_->forEachRow(
            std::string("SELECT xid::text, ") + kPgEventColumns +
                " FROM events WHERE xid >= $1::xid8 AND xid < $2::xid8 ORDER BY " + kPgArrivalOrder,
            {from, to}, "read the events committed since the last step", [&](const PgResult& row) {
              const EventRow r = eventRowOf(row, 0, 1);
              visit(std::strtoull(row.text(0, 0).c_str(), nullptr, 10), r.site, storedEvent(r));
            });
      },
      "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  if (!read) return read.error();
  if (!step.erased) from_ = step.horizon;
  return step;
}

}  // namespace sharetrack::collector
