// Organisation settings (key → text value): every capability keeps its small options here under
// its own key prefix ("checklist.", "vuln.").
#pragma once

#include <map>
#include <string>

#include "store/tx.hpp"

namespace mamori::store {

// The organisation's settings whose key starts with `prefix`.
Result<std::map<std::string, std::string>> OrgSettings(Tx& tx, int64_t org_id,
                                                       const std::string& prefix);

// Sets one (a change: the caller audits it in the same transaction).
Status PutOrgSetting(Tx& tx, int64_t org_id, const std::string& key, const std::string& value);

}  // namespace mamori::store
