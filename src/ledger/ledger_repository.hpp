// SQL for the ledger. Vendor scoping is applied here, in every query that reads or writes rows.
#pragma once

#include "ledger/ledger_service.hpp"

namespace mamori::ledger::repo {

Result<std::vector<Vendor>> Vendors(store::Tx& tx, const Scope& scope);
Result<int64_t> InsertVendor(store::Tx& tx, int64_t org_id, const Vendor& v);
Result<std::optional<Vendor>> VendorById(store::Tx& tx, const Scope& scope, int64_t id);

Result<std::vector<System>> Systems(store::Tx& tx, const Scope& scope);
Result<std::optional<System>> SystemById(store::Tx& tx, const Scope& scope, int64_t id);
Result<int64_t> InsertSystem(store::Tx& tx, int64_t org_id, const System& s);
Status UpdateSystem(store::Tx& tx, int64_t org_id, const System& s);

Result<AssetPage> Assets(store::Tx& tx, const Scope& scope, const AssetQuery& q);
Result<std::optional<Asset>> AssetById(store::Tx& tx, const Scope& scope, int64_t id);
Result<int64_t> InsertAsset(store::Tx& tx, int64_t org_id, const Asset& a);
Status UpdateAsset(store::Tx& tx, int64_t org_id, const Asset& a);

}  // namespace mamori::ledger::repo
