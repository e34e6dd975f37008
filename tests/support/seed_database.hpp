// Fills a collector database with stored events as the collector would have stored them: one
// batch per event (each with its own receipt time and client key), many per transaction. For the
// query benchmark and the dashboard's browser tests.
#pragma once

#include <string>
#include <vector>

#include "sharetrack/score_book.hpp"

namespace sharetrack::test {

// `database`: an SQLite file, or a PostgreSQL URL. Throws std::runtime_error when the database
// cannot be opened or written.
void seedDatabase(const std::string& database, const std::string& site, const std::vector<StoredEvent>& events);

}  // namespace sharetrack::test
