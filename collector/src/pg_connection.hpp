// One connection to PostgreSQL through libpq, used by one thread at a time: statements with text
// parameters (NULL for an empty optional), results as text, failures as storageUnavailable with
// the server's message.
#pragma once

#include <libpq-fe.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sharetrack/result.hpp"

namespace sharetrack::collector {

using PgParams = std::vector<std::optional<std::string>>;

class PgResult {
 public:
  explicit PgResult(PGresult* result) : result_(result, PQclear) {}
  int rows() const { return PQntuples(result_.get()); }
  bool isNull(int row, int column) const { return PQgetisnull(result_.get(), row, column) != 0; }
  std::string text(int row, int column) const;
  std::optional<std::string> optionalText(int row, int column) const;
  std::int64_t integer(int row, int column) const;

 private:
  std::shared_ptr<PGresult> result_;
};

class PgConnection {
 public:
  // Connects to `url` (postgresql://user@host:port/database?options); the error names the server
  // and says why, never the password.
  static Result<std::unique_ptr<PgConnection>> open(const std::string& url);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs `sql` with `params` ($1, $2, ...); `what` names the work in the error.
  Result<PgResult> run(const std::string& sql, const PgParams& params, const std::string& what);
  // Runs `sql`, which may hold several statements (a migration); no parameters.
  Status run(const std::string& sql, const std::string& what);
  // COPY `table` (`columns`) FROM STDIN with `rows` (text format): the fastest way in for many rows.
  Status copyRows(const std::string& table, const std::string& columns, const std::vector<PgParams>& rows,
                  const std::string& what);
  // Runs a query and hands its rows to `row` one at a time, without holding them all in memory.
  Status forEachRow(const std::string& sql, const PgParams& params, const std::string& what,
                    const std::function<void(const PgResult&)>& row);
  // BEGIN, `work`, COMMIT; ROLLBACK when `work` or the commit fails. A connection the server or
  // the network closed since the last transaction is opened again first.
  template <typename Work>
  Status transaction(Work work, const char* begin = "BEGIN") {
    Status begun = run(begin, "begin a transaction");
    if (!begun && reconnectIfLost()) begun = run(begin, "begin a transaction");
    if (!begun) {
      (void)run("ROLLBACK", "roll back");  // a BEGIN of several statements may have begun before failing
      return begun;
    }
    if (Status done = work(); !done) {
      (void)run("ROLLBACK", "roll back");
      return done;
    }
    if (Status committed = run("COMMIT", "commit"); !committed) {
      (void)run("ROLLBACK", "roll back");
      return committed;
    }
    return {};
  }
  // Where the connection goes, for messages: host, port and database, no credentials.
  const std::string& name() const { return name_; }

 private:
  PgConnection(PGconn* connection, std::string name) : connection_(connection), name_(std::move(name)) {}
  Error failure(const std::string& what) const;
  bool reconnectIfLost();  // whether it connected again

  PGconn* connection_;
  std::string name_;
};

}  // namespace sharetrack::collector
