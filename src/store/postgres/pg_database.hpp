#pragma once

#include <memory>
#include <string>

#include "store/store.hpp"

namespace mamori::store::postgres {

// Connects to a PostgreSQL server (libpq) at a postgresql:// URL.
Result<std::unique_ptr<Database>> OpenPostgres(const std::string& url);

// '?' placeholders → $1, $2 … outside string literals, quoted identifiers and comments.
std::string RewritePlaceholders(std::string_view sql);

}  // namespace mamori::store::postgres
