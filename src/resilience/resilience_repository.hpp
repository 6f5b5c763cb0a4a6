// SQL for the organisation's preparedness records and evidence files. Vendor scoping is
// applied here: a vendor's user reads and writes only rows of its own vendor.
#pragma once

#include "resilience/resilience_service.hpp"

namespace mamori::resilience::repo {

Result<std::optional<StoredFile>> FileByHash(store::Tx& tx, const Scope& scope,
                                             const std::string& sha256);
Result<std::optional<StoredFile>> FileById(store::Tx& tx, const Scope& scope, int64_t id,
                                           bool with_content);
Result<int64_t> InsertFile(store::Tx& tx, const Scope& scope, const StoredFile& f);

Result<std::vector<OrgRole>> Roles(store::Tx& tx, const Scope& scope);
Result<int64_t> InsertRole(store::Tx& tx, int64_t org_id, const OrgRole& r);
Status UpdateRole(store::Tx& tx, int64_t org_id, const OrgRole& r);

Result<std::vector<Contact>> Contacts(store::Tx& tx, const Scope& scope);
Result<int64_t> InsertContact(store::Tx& tx, int64_t org_id, const Contact& c);
Status UpdateContact(store::Tx& tx, int64_t org_id, const Contact& c);
Status DeleteContact(store::Tx& tx, int64_t org_id, int64_t id);

Result<std::vector<BcpDocument>> BcpDocuments(store::Tx& tx, int64_t org_id);
Result<int64_t> InsertBcp(store::Tx& tx, int64_t org_id, const BcpDocument& b);
Status UpdateBcp(store::Tx& tx, int64_t org_id, const BcpDocument& b);

Result<std::vector<Drill>> Drills(store::Tx& tx, int64_t org_id);
Result<int64_t> InsertDrill(store::Tx& tx, int64_t org_id, const Drill& d);

}  // namespace mamori::resilience::repo
