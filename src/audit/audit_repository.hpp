#pragma once

#include "audit/audit_service.hpp"

namespace mamori::audit::repo {

Result<std::vector<Entry>> Entries(store::Tx& tx, int64_t org_id, const Query& q);

}  // namespace mamori::audit::repo
