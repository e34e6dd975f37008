// The database of a collector test: an SQLite file in the test's folder or, when the environment
// names a PostgreSQL database (SHARETRACK_TEST_POSTGRES, which scripts/test sets for the collector
// tests' second run), a schema of the test's own there; and its rows read back for either, so that
// the same tests run against both stores.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "support/collector_process.hpp"

namespace sharetrack::collector {
class PgConnection;
class Storage;
}

namespace sharetrack::test {

class TestDatabase {
 public:
  explicit TestDatabase(const TempFolder& folder);
  // Whether the tests run against PostgreSQL (SHARETRACK_TEST_POSTGRES names a database).
  static bool postgresRun();
  ~TestDatabase();  // a PostgreSQL schema goes with its rows
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  // What the collector's --db gets: the file, or the URL with the schema as its search path.
  const std::string& name() const { return name_; }
  bool postgres() const { return postgres_ != nullptr; }
  // The store the collector would open on it (SQLite's at durability normal).
  std::unique_ptr<collector::Storage> open() const;
  // Runs a statement that returns no rows (to set up a state the tests need).
  void execute(const std::string& sql) const;
  // PostgreSQL only: ends every connection a collector or store holds to the test's schema, as a
  // server restart or a network failure would.
  void closeConnections() const;
  std::int64_t integer(const std::string& sql) const;
  // The first column of every row, as text.
  std::vector<std::string> column(const std::string& sql) const;

 private:
  std::string name_;
  std::string schema_;
  std::unique_ptr<collector::PgConnection> postgres_;
};

}  // namespace sharetrack::test
