// The events table's rows as PostgreSQL's statements take and give them: every value as text
// parameters, NULL for what a row lacks. Shared by the store and the tail.
#pragma once

#include <string>

#include "event_rows.hpp"
#include "pg_connection.hpp"

namespace sharetrack::collector {

// The columns of an EventRow, in its order.
inline constexpr const char* kPgEventColumns =
    "site, event_id, type, batch_id, visitor, subscriber, content, page_view, token, parent, channel, self_click, bot, "
    "conversion_name, conversion_value, client_time, received_at, client_key, erased, measures";
inline constexpr int kPgEventColumnCount = 20;
// The order events arrived in, which the scores are built fastest in: by the transaction that
// stored them, then by their place in its group commit (column `arrival`; the rows themselves go
// in by key, to keep lock order).
inline constexpr const char* kPgArrivalOrder = "xid, arrival";

std::string pgNumber(std::int64_t value);
// "($1, $2, ...), ($n+1, ...)": `rows` rows of `columns` parameters.
std::string pgPlaceholders(std::size_t rows, int columns);
// Appends `row`'s kPgEventColumns to `params`.
void bindEventRow(PgParams& params, const EventRow& row);
// Row `r` of `result`, whose first columns are kPgEventColumns.
EventRow eventRowOf(const PgResult& result, int r, int firstColumn = 0);

}  // namespace sharetrack::collector
