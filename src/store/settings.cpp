#include "store/settings.hpp"

namespace mamori::store {

Result<std::map<std::string, std::string>> OrgSettings(Tx& tx, int64_t org_id,
                                                       const std::string& prefix) {
  MAMORI_ASSIGN_OR_RETURN(auto rows,
                          tx.Query("SELECT key, value FROM settings WHERE org_id = ?", {org_id}));
  std::map<std::string, std::string> out;
  for (const auto& r : rows)
    if (r.Str(0).starts_with(prefix)) out[r.Str(0)] = r.Str(1);
  return out;
}

Status PutOrgSetting(Tx& tx, int64_t org_id, const std::string& key, const std::string& value) {
  MAMORI_ASSIGN_OR_RETURN(
      auto n, tx.Exec("DELETE FROM settings WHERE org_id = ? AND key = ?", {org_id, key}));
  MAMORI_ASSIGN_OR_RETURN(n, tx.Exec("INSERT INTO settings (org_id, key, value) VALUES (?, ?, ?)",
                                     {org_id, key, value}));
  (void)n;
  return Ok();
}

}  // namespace mamori::store
