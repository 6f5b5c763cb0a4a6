#include "cli/cli_common.hpp"

#include <cstdlib>
#include <filesystem>

#include "auth/auth_service.hpp"
#include "core/file.hpp"

namespace mamori::cli {

store::Actor CliActor(int64_t org_id) {
  const char* user = std::getenv("USER");
  return store::Actor{org_id, std::nullopt, std::string("cli:") + (user ? user : "unknown"),
                      "local"};
}

Result<std::unique_ptr<store::Database>> OpenDb(const Globals& g, bool create) {
  MAMORI_ASSIGN_OR_RETURN(auto db, store::Database::Open(g.db, create));
  MAMORI_RETURN_IF_ERROR(db->Migrate());
  return db;
}

Result<OrgDb> OpenOrgDb(const Globals& g) {
  MAMORI_ASSIGN_OR_RETURN(auto db, OpenDb(g, false));
  auth::AuthService auth(*db);
  MAMORI_ASSIGN_OR_RETURN(auto org, auth.FirstOrg());
  if (!org) return MakeError(ErrorCode::kInvalidArgument, "org.none");
  return OrgDb{std::move(db), *org};
}

std::string LogDirFor(const Globals& g, const std::string& given) {
  if (!given.empty()) return given;
  if (const char* env = std::getenv("MAMORI_LOG_DIR"); env != nullptr && *env != '\0') return env;
  if (g.db.rfind("postgres", 0) == 0) return "mamori-logs";
  std::filesystem::path db(g.db);
  return (db.parent_path() / (db.stem().string() + "-logs")).string();
}

std::string UploadDirFor(const Globals& g, const std::string& given) {
  if (!given.empty()) return given;
  if (const char* env = std::getenv("MAMORI_UPLOAD_DIR"); env != nullptr && *env != '\0')
    return env;
  if (g.db.rfind("postgres", 0) == 0) return "mamori-uploads";
  std::filesystem::path db(g.db);
  return (db.parent_path() / (db.stem().string() + "-uploads")).string();
}

Result<std::string> ReadFileBytes(const std::string& file) {
  auto bytes = ReadFile(file);
  if (!bytes.ok())
    return MakeError(ErrorCode::kInvalidArgument, "import.cannot_read", {file}, file);
  return bytes;
}

}  // namespace mamori::cli
