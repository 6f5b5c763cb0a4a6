#pragma once

#include <memory>
#include <string>

#include "store/store.hpp"

namespace mamori::store::sqlite {

// Opens (or with create=true creates) a SQLite database file: WAL, foreign keys on, busy timeout.
// A file that is not a SQLite database is reported and left untouched.
Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path, bool create);

}  // namespace mamori::store::sqlite
