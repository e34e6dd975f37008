#include "pg_connection.hpp"

#include <cstdlib>

namespace sharetrack::collector {

std::string PgResult::text(int row, int column) const {
  return std::string(PQgetvalue(result_.get(), row, column),
                     static_cast<std::size_t>(PQgetlength(result_.get(), row, column)));
}

std::optional<std::string> PgResult::optionalText(int row, int column) const {
  if (isNull(row, column)) return std::nullopt;
  return text(row, column);
}

std::int64_t PgResult::integer(int row, int column) const {
  return std::strtoll(PQgetvalue(result_.get(), row, column), nullptr, 10);
}

Result<std::unique_ptr<PgConnection>> PgConnection::open(const std::string& url) {
  PGconn* connection = PQconnectdb(url.c_str());
  if (!connection) return makeError(ErrorCode::storageUnavailable, "cannot connect to PostgreSQL: out of memory");
  std::string name = std::string("PostgreSQL at ") + (PQhost(connection) ? PQhost(connection) : "?") + ":" +
                     (PQport(connection) ? PQport(connection) : "?") + "/" + (PQdb(connection) ? PQdb(connection) : "?");
  if (PQstatus(connection) != CONNECTION_OK) {
    std::string why = PQerrorMessage(connection);
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    PQfinish(connection);
    return makeError(ErrorCode::storageUnavailable, "cannot connect to " + name + ": " + why);
  }
  // Notices (a table that already exists, and the like) are not the collector's log lines.
  PQsetNoticeProcessor(connection, [](void*, const char*) {}, nullptr);
  return std::unique_ptr<PgConnection>(new PgConnection(connection, std::move(name)));
}

PgConnection::~PgConnection() { PQfinish(connection_); }

bool PgConnection::reconnectIfLost() {
  // Only before a transaction: a statement of a broken transaction must fail, not run alone.
  if (PQstatus(connection_) != CONNECTION_BAD) return false;
  PQreset(connection_);
  return PQstatus(connection_) == CONNECTION_OK;
}

Error PgConnection::failure(const std::string& what) const {
  std::string why = PQerrorMessage(connection_);
  while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
  return makeError(ErrorCode::storageUnavailable, "cannot " + what + " in " + name_ + ": " + why);
}

namespace {

std::vector<const char*> values(const PgParams& params) {
  std::vector<const char*> out;
  out.reserve(params.size());
  for (const auto& param : params) out.push_back(param ? param->c_str() : nullptr);
  return out;
}

// COPY's text format: \N for NULL; backslash, tab, newline and carriage return escaped.
void appendCopyValue(std::string& data, const std::optional<std::string>& value) {
  if (!value) {
    data += "\\N";
    return;
  }
  for (const char c : *value) {
    switch (c) {
      case '\\': data += "\\\\"; break;
      case '\t': data += "\\t"; break;
      case '\n': data += "\\n"; break;
      case '\r': data += "\\r"; break;
      default: data += c;
    }
  }
}

bool succeeded(const PGresult* result) {
  const ExecStatusType status = PQresultStatus(result);
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

}  // namespace

Result<PgResult> PgConnection::run(const std::string& sql, const PgParams& params, const std::string& what) {
  const auto bound = values(params);
  PGresult* raw = PQexecParams(connection_, sql.c_str(), static_cast<int>(bound.size()), nullptr, bound.data(), nullptr,
                               nullptr, 0);
  PgResult result(raw);
  if (!raw || !succeeded(raw)) return failure(what);
  return result;
}

Status PgConnection::run(const std::string& sql, const std::string& what) {
  // The simple protocol: several statements at once (a migration), no parameters.
  PGresult* raw = PQexec(connection_, sql.c_str());
  const PgResult result(raw);
  if (!raw || !succeeded(raw)) return failure(what);
  return {};
}

Status PgConnection::copyRows(const std::string& table, const std::string& columns, const std::vector<PgParams>& rows,
                              const std::string& what) {
  std::string data;
  for (const PgParams& row : rows) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (c > 0) data += '\t';
      appendCopyValue(data, row[c]);
    }
    data += '\n';
  }
  PGresult* started = PQexec(connection_, ("COPY " + table + " (" + columns + ") FROM STDIN").c_str());
  const PgResult startedResult(started);
  if (!started || PQresultStatus(started) != PGRES_COPY_IN) return failure(what);
  const bool sent = PQputCopyData(connection_, data.data(), static_cast<int>(data.size())) == 1 &&
                    PQputCopyEnd(connection_, nullptr) == 1;
  std::optional<Error> error;
  if (!sent) error = failure(what);
  while (PGresult* raw = PQgetResult(connection_)) {  // every result, to leave the connection ready
    const PgResult result(raw);
    if (!succeeded(raw) && !error) error = failure(what);
  }
  if (error) return *error;
  return {};
}

Status PgConnection::forEachRow(const std::string& sql, const PgParams& params, const std::string& what,
                                const std::function<void(const PgResult&)>& row) {
  const auto bound = values(params);
  if (!PQsendQueryParams(connection_, sql.c_str(), static_cast<int>(bound.size()), nullptr, bound.data(), nullptr,
                         nullptr, 0) ||
      !PQsetSingleRowMode(connection_)) {
    return failure(what);
  }
  std::optional<Error> error;
  while (PGresult* raw = PQgetResult(connection_)) {  // every result, to leave the connection ready
    PgResult result(raw);
    if (PQresultStatus(raw) == PGRES_SINGLE_TUPLE) {
      if (!error) row(result);
    } else if (!succeeded(raw) && !error) {
      error = failure(what);
    }
  }
  if (error) return *error;
  return {};
}

}  // namespace sharetrack::collector
