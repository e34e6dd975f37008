// Each day's client-key secret, shared by the collectors of one PostgreSQL database so that a
// client has one key whichever collector it reaches (client_key.hpp). The first collector to ask
// for a day draws its secret; a day's secret is deleted once the day after it began, so the rows
// of an older day cannot be traced back to addresses by anyone, the database's readers included.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "client_key.hpp"
#include "pg_connection.hpp"

namespace sharetrack::collector {

class PgClientKeySecrets {
 public:
  static Result<std::unique_ptr<PgClientKeySecrets>> open(const std::string& url);
  // The day's secret (days since the epoch, UTC), drawn now if no collector has yet; nullopt
  // when the database cannot be reached. Not thread-safe: ClientKeys calls it under its lock.
  std::optional<ClientKeySecret> forDay(std::int64_t day);

 private:
  explicit PgClientKeySecrets(std::unique_ptr<PgConnection> db) : db_(std::move(db)) {}
  std::unique_ptr<PgConnection> db_;
};

}  // namespace sharetrack::collector
