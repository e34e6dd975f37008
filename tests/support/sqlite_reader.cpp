#include "support/sqlite_reader.hpp"

#include <sqlite3.h>

#include <catch2/catch.hpp>

namespace sharetrack::test {

SqliteReader::SqliteReader(const std::string& path) {
  REQUIRE(sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_busy_timeout(db_, 5000);
}

SqliteReader::~SqliteReader() { sqlite3_close(db_); }

std::int64_t SqliteReader::integer(const std::string& sql) {
  const auto rows = column(sql);
  INFO(sql);
  REQUIRE(rows.size() == 1);
  return std::stoll(rows[0]);
}

std::vector<std::string> SqliteReader::column(const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  INFO(sql << ": " << sqlite3_errmsg(db_));
  REQUIRE(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
  std::vector<std::string> rows;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    const auto* text = sqlite3_column_text(stmt, 0);
    rows.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
  }
  sqlite3_finalize(stmt);
  return rows;
}

}  // namespace sharetrack::test
