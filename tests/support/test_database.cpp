#include "support/test_database.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <random>

#include <sqlite3.h>

#include "pg_connection.hpp"
#include "pg_storage.hpp"
#include "sqlite_storage.hpp"
#include "support/sqlite_reader.hpp"

namespace sharetrack::test {

bool TestDatabase::postgresRun() {
  const char* url = std::getenv("SHARETRACK_TEST_POSTGRES");
  return url && *url;
}

TestDatabase::TestDatabase(const TempFolder& folder) {
  const char* url = std::getenv("SHARETRACK_TEST_POSTGRES");
  if (!url || !*url) {
    name_ = folder.file("t.db");
    return;
  }
  std::random_device random;
  schema_ = "t_" + std::to_string(random()) + std::to_string(random());
  auto connection = collector::PgConnection::open(url);
  INFO((connection ? "" : connection.error().message));
  REQUIRE(connection.ok());
  postgres_ = std::move(connection).value();
  REQUIRE(postgres_->run("CREATE SCHEMA " + schema_ + "; SET search_path TO " + schema_, "create a schema").ok());
  const std::string base(url);
  name_ = base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema_ +
          "&application_name=" + schema_;
}

TestDatabase::~TestDatabase() {
  if (postgres_) (void)postgres_->run("DROP SCHEMA " + schema_ + " CASCADE", "drop a test's schema");
}

namespace {

template <typename Store>
std::unique_ptr<collector::Storage> opened(Result<std::unique_ptr<Store>> store) {
  INFO((store ? "" : store.error().message));
  REQUIRE(store.ok());
  return std::move(store).value();
}

}  // namespace

std::unique_ptr<collector::Storage> TestDatabase::open() const {
  if (postgres_) return opened(collector::PgStorage::open(name_));
  return opened(collector::SqliteStorage::open(name_, collector::Durability::normal));
}

void TestDatabase::execute(const std::string& sql) const {
  INFO(sql);
  if (postgres_) {
    const Status done = postgres_->run(sql, "a test's statement");
    INFO((done ? "" : done.error().message));
    REQUIRE(done.ok());
    return;
  }
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(name_.c_str(), &db) == SQLITE_OK);
  const int code = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
  INFO(sqlite3_errmsg(db));
  sqlite3_close(db);
  REQUIRE(code == SQLITE_OK);
}

void TestDatabase::closeConnections() const {
  REQUIRE(postgres_);
  REQUIRE(integer("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '" + schema_ +
                  "' AND pid <> pg_backend_pid()") > 0);
}

std::vector<std::string> TestDatabase::column(const std::string& sql) const {
  if (!postgres_) return SqliteReader(name_).column(sql);
  auto result = postgres_->run(sql, {}, "read the test's rows");
  INFO(sql << ": " << (result ? "" : result.error().message));
  REQUIRE(result.ok());
  std::vector<std::string> rows;
  for (int r = 0; r < result.value().rows(); ++r) rows.push_back(result.value().optionalText(r, 0).value_or(""));
  return rows;
}

std::int64_t TestDatabase::integer(const std::string& sql) const {
  const auto rows = column(sql);
  INFO(sql);
  REQUIRE(rows.size() == 1);
  return std::stoll(rows[0]);
}

}  // namespace sharetrack::test
