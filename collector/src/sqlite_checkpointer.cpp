#include "sqlite_checkpointer.hpp"

#include <sqlite3.h>

namespace sharetrack::collector {
namespace {

// SQLite's own default: a checkpoint once the WAL holds this many pages.
constexpr int kCheckpointPages = 1000;
// Past this (32 MB of 4 KB pages) the writer checkpoints itself and waits for it. A background
// checkpoint cannot restart the WAL while commits keep coming (SQLite restarts it only when a
// write begins with every page copied), so without this bound it would grow for as long as the
// load lasts.
constexpr int kMaxWalPages = 8 * kCheckpointPages;

}  // namespace

Result<std::unique_ptr<SqliteCheckpointer>> SqliteCheckpointer::start(sqlite3* writer, const std::string& path,
                                                                      Durability durability) {
  sqlite3* own = nullptr;
  // Its checkpoints sync the way its connection's synchronous setting says: the writer's.
  if (sqlite3_open_v2(path.c_str(), &own, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK ||
      !configureConnection(own, durability)) {
    Error error = makeError(ErrorCode::storageUnavailable, "cannot open database " + path + " for checkpoints: " +
                                                               (own ? sqlite3_errmsg(own) : "out of memory"));
    sqlite3_close(own);
    return error;
  }
  return std::unique_ptr<SqliteCheckpointer>(new SqliteCheckpointer(writer, own));
}

SqliteCheckpointer::SqliteCheckpointer(sqlite3* writer, sqlite3* own)
    : writer_(writer), own_(own), thread_([this] { run(); }) {
  sqlite3_wal_hook(writer_, &SqliteCheckpointer::committed, this);  // replaces SQLite's own checkpoints
}

SqliteCheckpointer::~SqliteCheckpointer() {
  sqlite3_wal_hook(writer_, nullptr, nullptr);
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wanted_.notify_one();
  thread_.join();
  sqlite3_close(own_);
}

int SqliteCheckpointer::committed(void* self, sqlite3* db, const char* schema, int walPages) {
  auto& checkpointer = *static_cast<SqliteCheckpointer*>(self);
  if (walPages >= kMaxWalPages) {
    // SQLite refuses a second checkpoint at once rather than waiting: wait for the background
    // one here, and keep the next from starting. Restart copies the rest and waits for readers
    // to leave the WAL, so that the next commit writes it from its start.
    std::unique_lock lock(checkpointer.mutex_);
    checkpointer.idle_.wait(lock, [&] { return !checkpointer.busy_; });
    sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_RESTART, nullptr, nullptr);
  } else if (walPages >= kCheckpointPages) {
    {
      std::lock_guard lock(checkpointer.mutex_);
      checkpointer.due_ = true;
    }
    checkpointer.wanted_.notify_one();
  }
  return SQLITE_OK;  // a checkpoint that failed is tried again after the next commit
}

void SqliteCheckpointer::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    wanted_.wait(lock, [this] { return due_ || stopping_; });
    if (stopping_) return;
    due_ = false;
    busy_ = true;
    lock.unlock();
    // Passive: copies what it can without waiting for the writer, which goes on committing.
    sqlite3_wal_checkpoint_v2(own_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    lock.lock();
    busy_ = false;
    idle_.notify_all();
  }
}

}  // namespace sharetrack::collector
