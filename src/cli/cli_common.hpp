// What every CLI command shares: the global options, the actor a command acts as, opening the
// database and its organisation, and reading an input file.
#pragma once

#include <memory>
#include <string>

#include "cli/cli_io.hpp"
#include "store/tx.hpp"

namespace mamori::cli {

struct Globals {
  std::string db;
  std::string lang = "ja";
  bool json = false;
  Output out;
};

// "cli:<login name>", acting for the organisation.
store::Actor CliActor(int64_t org_id);

// Opens the database and applies pending migrations.
Result<std::unique_ptr<store::Database>> OpenDb(const Globals& g, bool create);

struct OrgDb {
  std::unique_ptr<store::Database> db;
  int64_t org = 0;
};

// The database (which must exist) and the organisation the CLI acts on.
Result<OrgDb> OpenOrgDb(const Globals& g);

// The access-log store's directory: `given`, else $MAMORI_LOG_DIR, else next to the SQLite
// database (mamori.db → mamori-logs/), or "mamori-logs" for PostgreSQL.
std::string LogDirFor(const Globals& g, const std::string& given);
// Where the server assembles large uploads (offline bundles): --upload-dir, else
// $MAMORI_UPLOAD_DIR, else beside the SQLite database ("<name>-uploads"), else ./mamori-uploads.
std::string UploadDirFor(const Globals& g, const std::string& given);

// The whole file, or import.cannot_read naming it.
Result<std::string> ReadFileBytes(const std::string& file);

}  // namespace mamori::cli
