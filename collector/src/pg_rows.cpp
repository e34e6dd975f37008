#include "pg_rows.hpp"

#include <cstdio>
#include <cstdlib>

namespace sharetrack::collector {

std::string pgNumber(std::int64_t value) { return std::to_string(value); }

std::string pgPlaceholders(std::size_t rows, int columns) {
  std::string out;
  int next = 1;
  for (std::size_t r = 0; r < rows; ++r) {
    out += r ? ", (" : "(";
    for (int c = 0; c < columns; ++c) out += (c ? ", $" : "$") + std::to_string(next++);
    out += ")";
  }
  return out;
}

void bindEventRow(PgParams& params, const EventRow& row) {
  std::optional<std::string> value;
  if (row.conversionValue) {
    char text[32];
    std::snprintf(text, sizeof text, "%.17g", *row.conversionValue);  // exact back to the same double
    value = text;
  }
  params.insert(params.end(), {row.site, row.eventId, row.type, row.batchId, row.visitor, row.subscriber, row.content,
                               row.pageView, row.token, row.parent, row.channel, pgNumber(row.selfClick ? 1 : 0),
                               pgNumber(row.bot), row.conversionName, value, pgNumber(row.clientTime),
                               pgNumber(row.receivedAt), row.clientKey, pgNumber(row.erased ? 1 : 0), row.measures});
}

EventRow eventRowOf(const PgResult& result, int r, int c) {
  EventRow row;
  row.site = result.text(r, c + 0);
  row.eventId = result.text(r, c + 1);
  row.type = result.text(r, c + 2);
  row.batchId = result.text(r, c + 3);
  row.visitor = result.text(r, c + 4);
  row.subscriber = result.optionalText(r, c + 5);
  row.content = result.optionalText(r, c + 6);
  row.pageView = result.optionalText(r, c + 7);
  row.token = result.optionalText(r, c + 8);
  row.parent = result.optionalText(r, c + 9);
  row.channel = result.optionalText(r, c + 10);
  row.selfClick = result.integer(r, c + 11) != 0;
  row.bot = static_cast<int>(result.integer(r, c + 12));
  row.conversionName = result.optionalText(r, c + 13);
  if (!result.isNull(r, c + 14)) row.conversionValue = std::strtod(result.text(r, c + 14).c_str(), nullptr);
  row.clientTime = result.integer(r, c + 15);
  row.receivedAt = result.integer(r, c + 16);
  row.clientKey = result.optionalText(r, c + 17);
  row.erased = result.integer(r, c + 18) != 0;
  row.measures = result.optionalText(r, c + 19);
  return row;
}

}  // namespace sharetrack::collector
