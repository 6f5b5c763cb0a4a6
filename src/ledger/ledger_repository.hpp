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

// Fills `software` of each asset: its own components and those of its product model.
Status LoadSoftware(store::Tx& tx, int64_t org_id, std::vector<Asset>& assets);
// Replaces the asset's components from one source ("ledger": the 主なソフトウェア cell).
Status ReplaceSoftware(store::Tx& tx, int64_t org_id, int64_t asset_id, const std::string& source,
                       const std::vector<SoftwareComponent>& components);
Status InsertComponent(store::Tx& tx, int64_t org_id, std::optional<int64_t> asset_id,
                       const std::string& product_key, std::optional<int64_t> sbom_id,
                       const SoftwareComponent& c);

Result<std::vector<SbomDocument>> SbomDocuments(store::Tx& tx, const Scope& scope);
Result<int64_t> InsertSbomDocument(store::Tx& tx, int64_t org_id, const SbomDocument& d);
Status DeleteSbomDocument(store::Tx& tx, int64_t org_id, int64_t id);

// Discovered hosts; status "" lists all.
Result<std::vector<DiscoveredHost>> Discovered(store::Tx& tx, int64_t org_id,
                                               const std::string& status);
Result<int64_t> InsertDiscovered(store::Tx& tx, int64_t org_id, const DiscoveredHost& h);
// Sighting fields (addresses, names, OS, services, last_seen) and decision fields.
Status UpdateDiscovered(store::Tx& tx, int64_t org_id, const DiscoveredHost& h);

Result<std::vector<SystemDocument>> SystemDocuments(store::Tx& tx, const Scope& scope,
                                                    std::optional<int64_t> id_with_content);
Result<int64_t> InsertSystemDocument(store::Tx& tx, int64_t org_id, const SystemDocument& d);

Result<std::vector<LedgerReportRecord>> Reports(store::Tx& tx, int64_t org_id,
                                                std::optional<int64_t> id_with_pdf);
Result<int64_t> InsertReport(store::Tx& tx, int64_t org_id, const LedgerReportRecord& r);
Result<std::map<std::string, int64_t>> AssetAuditCounts(store::Tx& tx, int64_t org_id,
                                                        UnixMillis since);

Result<std::vector<ImportProfile>> Profiles(store::Tx& tx, int64_t org_id);
Result<int64_t> UpsertProfile(store::Tx& tx, int64_t org_id, const ImportProfile& p);

}  // namespace mamori::ledger::repo
