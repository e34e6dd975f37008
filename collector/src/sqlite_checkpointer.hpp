// WAL checkpoints beside the writer. A checkpoint copies the WAL's pages into the database file
// and syncs both: tens of milliseconds on a slow disk, which SQLite's own checkpoints (run by the
// committing connection after a commit, every 1,000 pages) put in front of every batch waiting for
// the next commit. Here they run on a thread and a connection of their own. The writer's
// connection checkpoints itself only when they fall far behind, which keeps the WAL bounded.
// Durability is unchanged: a commit is in the WAL, synced as the durability says, before it is
// acknowledged; a checkpoint only moves committed pages, and a kill in the middle of one loses
// nothing.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "sqlite_storage.hpp"

namespace sharetrack::collector {

class SqliteCheckpointer {
 public:
  // Takes over the checkpoints of `writer`, a connection to the database at `path`; fails with
  // storageUnavailable when its own connection cannot be opened.
  static Result<std::unique_ptr<SqliteCheckpointer>> start(sqlite3* writer, const std::string& path,
                                                           Durability durability);
  // Stops the thread and closes its connection.
  ~SqliteCheckpointer();
  SqliteCheckpointer(const SqliteCheckpointer&) = delete;
  SqliteCheckpointer& operator=(const SqliteCheckpointer&) = delete;

 private:
  SqliteCheckpointer(sqlite3* writer, sqlite3* own);
  // SQLite's WAL hook: after each commit of the writer, on its thread, with the WAL's size.
  static int committed(void* self, sqlite3* db, const char* schema, int walPages);
  void run();

  sqlite3* writer_;
  sqlite3* own_;
  std::mutex mutex_;
  std::condition_variable wanted_;  // due_ or stopping_
  std::condition_variable idle_;    // !busy_
  bool due_ = false;                // the WAL has grown past a checkpoint's worth
  bool busy_ = false;               // the thread is checkpointing
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace sharetrack::collector
