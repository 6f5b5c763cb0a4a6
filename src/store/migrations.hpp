// The schema's migrations, embedded from src/store/migrations/NNNN_name.sql at build time.
// Dialect tokens ({{ID}}, {{BLOB}}) are rendered per backend; docs/formats/schema.md explains.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "store/store.hpp"

namespace mamori::store {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

const std::vector<Migration>& Migrations();
std::string RenderMigration(const Migration& m, Dialect dialect);

}  // namespace mamori::store
