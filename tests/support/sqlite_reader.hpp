// Reads a collector database in tests, read-only, while the collector may still be running.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

struct sqlite3;

namespace sharetrack::test {

class SqliteReader {
 public:
  explicit SqliteReader(const std::string& path);
  ~SqliteReader();
  SqliteReader(const SqliteReader&) = delete;
  SqliteReader& operator=(const SqliteReader&) = delete;

  std::int64_t integer(const std::string& sql);
  // The first column of every row, as text.
  std::vector<std::string> column(const std::string& sql);

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace sharetrack::test
