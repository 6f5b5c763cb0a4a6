#include "ledger/ledger_repository.hpp"

#include <array>
#include <map>

#include "core/crypto.hpp"

namespace mamori::ledger::repo {

using store::OptValue;
using store::Params;
using store::Row;
using store::Tx;

namespace {

std::vector<std::string> JsonList(const std::string& text) {
  std::vector<std::string> out;
  Json j = Json::parse(text, nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& v : j)
    if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

std::string ListJson(const std::vector<std::string>& v) {
  return Json(v).dump();
}

// Appends "AND <column> = ?" for vendor-scoped callers.
void ScopeFilter(const Scope& scope, const char* column, std::string& sql, Params& params) {
  if (scope.vendor_id) {
    sql += std::string(" AND ") + column + " = ?";
    params.emplace_back(*scope.vendor_id);
  }
}

Vendor ToVendor(const Row& r) {
  return Vendor{r.Int(0), r.Str(1), r.Str(2), r.Str(3), r.Str(4), r.Str(5)};
}
constexpr const char* kVendorCols = "id, name, contact, phone, email, contract_state";

System ToSystem(const Row& r) {
  return System{r.Int(0), r.OptInt(1), r.Str(2), r.Str(3), r.Int(4), r.Str(5)};
}
constexpr const char* kSystemCols = "id, vendor_id, name, kind, recovery_priority, notes";

constexpr const char* kAssetCols =
    "id, category, name, computer_name, maker, model, serial, os, os_version, ips, macs, "
    "location, user_dept, system_id, vendor_id, remote_maintenance, updated_at, remote_method, "
    "remote_source_restricted, remote_allowed_sources, remote_confirmed_on, remote_evidence, "
    "purchase_date, support_end, notes, discovery_sources, last_seen";

Asset ToAsset(const Row& r) {
  Asset a;
  a.id = r.Int(0);
  a.category = r.Str(1);
  a.name = r.Str(2);
  a.computer_name = r.Str(3);
  a.maker = r.Str(4);
  a.model = r.Str(5);
  a.serial = r.Str(6);
  a.os = r.Str(7);
  a.os_version = r.Str(8);
  a.ips = JsonList(r.Str(9));
  a.macs = JsonList(r.Str(10));
  a.location = r.Str(11);
  a.user_dept = r.Str(12);
  a.system_id = r.OptInt(13);
  a.vendor_id = r.OptInt(14);
  a.remote_maintenance = r.Str(15);
  a.updated_at = r.Int(16);
  a.remote_method = r.Str(17);
  a.remote_source_restricted = r.Str(18);
  a.remote_allowed_sources = JsonList(r.Str(19));
  a.remote_confirmed_on = r.Str(20);
  a.remote_evidence = r.Str(21);
  a.purchase_date = r.Str(22);
  a.support_end = r.Str(23);
  a.notes = r.Str(24);
  a.discovery_sources = JsonList(r.Str(25));
  a.last_seen = r.Int(26);
  return a;
}

Status Changed(Result<int64_t> r) {
  if (!r.ok()) return std::move(r).error();
  return Ok();
}

}  // namespace

Result<std::vector<Vendor>> Vendors(Tx& tx, const Scope& scope) {
  std::string sql = std::string("SELECT ") + kVendorCols + " FROM vendors WHERE org_id = ?";
  Params params{scope.actor.org_id};
  ScopeFilter(scope, "id", sql, params);
  sql += " ORDER BY name";
  MAMORI_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
  std::vector<Vendor> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(ToVendor(r));
  return out;
}

Result<std::optional<Vendor>> VendorById(Tx& tx, const Scope& scope, int64_t id) {
  std::string sql =
      std::string("SELECT ") + kVendorCols + " FROM vendors WHERE org_id = ? AND id = ?";
  Params params{scope.actor.org_id, id};
  ScopeFilter(scope, "id", sql, params);
  MAMORI_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
  if (rows.empty()) return std::optional<Vendor>{};
  return std::optional<Vendor>{ToVendor(rows[0])};
}

Result<int64_t> InsertVendor(Tx& tx, int64_t org_id, const Vendor& v) {
  MAMORI_ASSIGN_OR_RETURN(
      auto rows,
      tx.ExecReturning(
          "INSERT INTO vendors (org_id, name, contact, phone, email, contract_state, "
          "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
          {org_id, v.name, v.contact, v.phone, v.email, v.contract_state, tx.now(), tx.now()}));
  return rows.at(0).Int(0);
}

Result<std::vector<System>> Systems(Tx& tx, const Scope& scope) {
  std::string sql = std::string("SELECT ") + kSystemCols + " FROM systems WHERE org_id = ?";
  Params params{scope.actor.org_id};
  ScopeFilter(scope, "vendor_id", sql, params);
  sql += " ORDER BY recovery_priority, name";
  MAMORI_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
  std::vector<System> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(ToSystem(r));
  return out;
}

Result<std::optional<System>> SystemById(Tx& tx, const Scope& scope, int64_t id) {
  std::string sql =
      std::string("SELECT ") + kSystemCols + " FROM systems WHERE org_id = ? AND id = ?";
  Params params{scope.actor.org_id, id};
  ScopeFilter(scope, "vendor_id", sql, params);
  MAMORI_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
  if (rows.empty()) return std::optional<System>{};
  return std::optional<System>{ToSystem(rows[0])};
}

Result<int64_t> InsertSystem(Tx& tx, int64_t org_id, const System& s) {
  MAMORI_ASSIGN_OR_RETURN(
      auto rows, tx.ExecReturning(
                     "INSERT INTO systems (org_id, vendor_id, name, kind, recovery_priority, "
                     "notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                     {org_id, OptValue(s.vendor_id), s.name, s.kind, s.recovery_priority, s.notes,
                      tx.now(), tx.now()}));
  return rows.at(0).Int(0);
}

Status UpdateSystem(Tx& tx, int64_t org_id, const System& s) {
  return Changed(tx.Exec(
      "UPDATE systems SET vendor_id = ?, name = ?, kind = ?, recovery_priority = ?, notes = ?, "
      "updated_at = ? WHERE org_id = ? AND id = ?",
      {OptValue(s.vendor_id), s.name, s.kind, s.recovery_priority, s.notes, tx.now(), org_id,
       s.id}));
}

Result<AssetPage> Assets(Tx& tx, const Scope& scope, const AssetQuery& q) {
  std::string where = " FROM assets WHERE org_id = ?";
  Params params{scope.actor.org_id};
  ScopeFilter(scope, "vendor_id", where, params);
  if (!q.category.empty()) {
    where += " AND category = ?";
    params.emplace_back(q.category);
  }
  if (!q.text.empty()) {
    // LIKE with escaped wildcards; both backends accept ESCAPE.
    std::string pattern = "%";
    for (char c : q.text) {
      if (c == '%' || c == '_' || c == '\\') pattern += '\\';
      pattern += c;
    }
    pattern += '%';
    where +=
        " AND (name LIKE ? ESCAPE '\\' OR computer_name LIKE ? ESCAPE '\\' OR maker LIKE ? "
        "ESCAPE '\\' OR model LIKE ? ESCAPE '\\' OR location LIKE ? ESCAPE '\\' OR ips LIKE ? "
        "ESCAPE '\\')";
    for (int i = 0; i < 6; ++i) params.emplace_back(pattern);
  }
  AssetPage page;
  MAMORI_ASSIGN_OR_RETURN(auto count, tx.Query("SELECT COUNT(*)" + where, params));
  page.total = count.at(0).Int(0);
  params.emplace_back(q.limit);
  params.emplace_back(q.offset);
  // Sort orders from a fixed list (never from the request text).
  static const std::map<std::string, std::string> kOrders = {
      {"", "category, name, id"},
      {"category", "category, name, id"},
      {"name", "name, id"},
      {"host", "computer_name, id"},
      {"location", "location, name, id"},
      {"updated", "updated_at DESC, id DESC"}};
  auto order = kOrders.find(q.sort);
  if (order == kOrders.end())
    return MakeError(ErrorCode::kInvalidArgument, "common.bad_param", {"sort"}, "sort");
  MAMORI_ASSIGN_OR_RETURN(auto rows,
                          tx.Query(std::string("SELECT ") + kAssetCols + where + " ORDER BY " +
                                       order->second + " LIMIT ? OFFSET ?",
                                   params));
  page.items.reserve(rows.size());
  for (const auto& r : rows) page.items.push_back(ToAsset(r));
  return page;
}

Result<std::optional<Asset>> AssetById(Tx& tx, const Scope& scope, int64_t id) {
  std::string sql =
      std::string("SELECT ") + kAssetCols + " FROM assets WHERE org_id = ? AND id = ?";
  Params params{scope.actor.org_id, id};
  ScopeFilter(scope, "vendor_id", sql, params);
  MAMORI_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
  if (rows.empty()) return std::optional<Asset>{};
  return std::optional<Asset>{ToAsset(rows[0])};
}

namespace {
// The columns an asset write sets, and their values in the same order: one list for INSERT and
// UPDATE.
constexpr std::array kAssetWritable = {"category",
                                       "name",
                                       "computer_name",
                                       "maker",
                                       "model",
                                       "serial",
                                       "os",
                                       "os_version",
                                       "ips",
                                       "macs",
                                       "location",
                                       "user_dept",
                                       "system_id",
                                       "vendor_id",
                                       "remote_maintenance",
                                       "remote_method",
                                       "remote_source_restricted",
                                       "remote_allowed_sources",
                                       "remote_confirmed_on",
                                       "remote_evidence",
                                       "purchase_date",
                                       "support_end",
                                       "notes",
                                       "discovery_sources",
                                       "last_seen"};

Params AssetValues(const Asset& a) {
  Params p{a.category,
           a.name,
           a.computer_name,
           a.maker,
           a.model,
           a.serial,
           a.os,
           a.os_version,
           ListJson(a.ips),
           ListJson(a.macs),
           a.location,
           a.user_dept,
           OptValue(a.system_id),
           OptValue(a.vendor_id),
           a.remote_maintenance,
           a.remote_method,
           a.remote_source_restricted,
           ListJson(a.remote_allowed_sources),
           a.remote_confirmed_on,
           a.remote_evidence,
           a.purchase_date,
           a.support_end,
           a.notes,
           ListJson(a.discovery_sources),
           a.last_seen};
  return p;
}
}  // namespace

Result<int64_t> InsertAsset(Tx& tx, int64_t org_id, const Asset& a) {
  std::string cols = "org_id";
  std::string marks = "?";
  for (const char* c : kAssetWritable) {
    cols += std::string(", ") + c;
    marks += ", ?";
  }
  Params params{org_id};
  for (auto& v : AssetValues(a)) params.push_back(std::move(v));
  params.emplace_back(tx.now());
  params.emplace_back(tx.now());
  MAMORI_ASSIGN_OR_RETURN(auto rows, tx.ExecReturning("INSERT INTO assets (" + cols +
                                                          ", created_at, updated_at) VALUES (" +
                                                          marks + ", ?, ?) RETURNING id",
                                                      params));
  return rows.at(0).Int(0);
}

Status UpdateAsset(Tx& tx, int64_t org_id, const Asset& a) {
  std::string sets;
  for (const char* c : kAssetWritable) sets += std::string(sets.empty() ? "" : ", ") + c + " = ?";
  Params params = AssetValues(a);
  params.emplace_back(tx.now());
  params.emplace_back(org_id);
  params.emplace_back(a.id);
  return Changed(tx.Exec(
      "UPDATE assets SET " + sets + ", updated_at = ? WHERE org_id = ? AND id = ?", params));
}

namespace {
constexpr const char* kComponentCols =
    "id, asset_id, product_key, sbom_id, source, name, version, supplier, cpe, purl, hashes, "
    "bom_ref, depends_on, raw";

SoftwareComponent ToComponent(const Row& r) {
  SoftwareComponent c;
  c.id = r.Int(0);
  c.sbom_id = r.OptInt(3);
  c.source = r.Str(4);
  c.name = r.Str(5);
  c.version = r.Str(6);
  c.supplier = r.Str(7);
  c.cpe = r.Str(8);
  c.purl = r.Str(9);
  c.hashes = JsonList(r.Str(10));
  c.bom_ref = r.Str(11);
  c.depends_on = JsonList(r.Str(12));
  c.raw = r.Str(13);
  return c;
}
}  // namespace

Status LoadSoftware(Tx& tx, int64_t org_id, std::vector<Asset>& assets) {
  if (assets.empty()) return Ok();
  std::map<int64_t, size_t> by_id;
  std::map<std::string, std::vector<size_t>> by_model;
  for (size_t i = 0; i < assets.size(); ++i) {
    by_id[assets[i].id] = i;
    if (!assets[i].maker.empty() || !assets[i].model.empty())
      by_model[ProductKey(assets[i].maker, assets[i].model)].push_back(i);
  }
  // A page of the list asks for its own assets, by asset and by product model in two indexed
  // queries (an OR of the two made SQLite scan the table); a whole-ledger read takes every
  // component of the organisation at once.
  std::vector<Row> rows;
  std::string base =
      std::string("SELECT ") + kComponentCols + " FROM software_components WHERE org_id = ?";
  if (assets.size() > 500) {
    MAMORI_ASSIGN_OR_RETURN(rows, tx.Query(base + " ORDER BY id", {org_id}));
  } else {
    auto in_list = [&](const std::string& column, auto&& keys) -> Result<std::vector<Row>> {
      std::string sql = base + " AND " + column + " IN (";
      Params params{org_id};
      bool first = true;
      for (const auto& [key, unused] : keys) {
        (void)unused;
        sql += first ? "?" : ", ?";
        first = false;
        params.emplace_back(key);
      }
      if (first) return std::vector<Row>{};
      return tx.Query(sql + ") ORDER BY id", params);
    };
    MAMORI_ASSIGN_OR_RETURN(rows, in_list("asset_id", by_id));
    MAMORI_ASSIGN_OR_RETURN(auto model_rows, in_list("product_key", by_model));
    for (auto& r : model_rows) rows.push_back(std::move(r));
  }
  for (const auto& r : rows) {
    SoftwareComponent c = ToComponent(r);
    if (auto asset_id = r.OptInt(1)) {
      if (auto it = by_id.find(*asset_id); it != by_id.end())
        assets[it->second].software.push_back(std::move(c));
    } else if (auto it = by_model.find(r.Str(2)); it != by_model.end()) {
      c.via_model = true;
      for (size_t i : it->second) assets[i].software.push_back(c);
    }
  }
  return Ok();
}

Status ReplaceSoftware(Tx& tx, int64_t org_id, int64_t asset_id, const std::string& source,
                       const std::vector<SoftwareComponent>& components) {
  MAMORI_RETURN_IF_ERROR(Changed(
      tx.Exec("DELETE FROM software_components WHERE org_id = ? AND asset_id = ? AND source = ?",
              {org_id, asset_id, source})));
  for (const auto& c : components)
    MAMORI_RETURN_IF_ERROR(InsertComponent(tx, org_id, asset_id, "", std::nullopt, c));
  return Ok();
}

Status InsertComponent(Tx& tx, int64_t org_id, std::optional<int64_t> asset_id,
                       const std::string& product_key, std::optional<int64_t> sbom_id,
                       const SoftwareComponent& c) {
  return Changed(tx.Exec(
      "INSERT INTO software_components (org_id, asset_id, product_key, sbom_id, source, name, "
      "version, supplier, cpe, purl, hashes, bom_ref, depends_on, raw, created_at) VALUES (?, ?, "
      "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {org_id, OptValue(asset_id), product_key, OptValue(sbom_id), c.source, c.name, c.version,
       c.supplier, c.cpe, c.purl, ListJson(c.hashes), c.bom_ref, ListJson(c.depends_on), c.raw,
       tx.now()}));
}

Result<std::vector<SbomDocument>> SbomDocuments(Tx& tx, const Scope& scope) {
  // A vendor sees the SBOMs of its own assets.
  std::string sql =
      "SELECT d.id, d.asset_id, d.product_key, d.format, d.spec_version, d.serial_number, "
      "d.subject, d.author, d.created, d.file_name, d.sha256, d.component_count, d.imported_at "
      "FROM sbom_documents d LEFT JOIN assets a ON a.id = d.asset_id WHERE d.org_id = ?";
  Params params{scope.actor.org_id};
  ScopeFilter(scope, "a.vendor_id", sql, params);
  sql += " ORDER BY d.id";
  MAMORI_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
  std::vector<SbomDocument> out;
  out.reserve(rows.size());
  for (const auto& r : rows)
    out.push_back({r.Int(0), r.OptInt(1), r.Str(2), r.Str(3), r.Str(4), r.Str(5), r.Str(6),
                   r.Str(7), r.Str(8), r.Str(9), r.Str(10), r.Int(11), r.Int(12)});
  return out;
}

Result<int64_t> InsertSbomDocument(Tx& tx, int64_t org_id, const SbomDocument& d) {
  MAMORI_ASSIGN_OR_RETURN(
      auto rows,
      tx.ExecReturning(
          "INSERT INTO sbom_documents (org_id, asset_id, product_key, format, spec_version, "
          "serial_number, subject, author, created, file_name, sha256, component_count, "
          "imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
          {org_id, OptValue(d.asset_id), d.product_key, d.format, d.spec_version, d.serial_number,
           d.subject, d.author, d.created, d.file_name, d.sha256, d.component_count, tx.now()}));
  return rows.at(0).Int(0);
}

Status DeleteSbomDocument(Tx& tx, int64_t org_id, int64_t id) {
  MAMORI_RETURN_IF_ERROR(Changed(
      tx.Exec("DELETE FROM software_components WHERE org_id = ? AND sbom_id = ?", {org_id, id})));
  return Changed(tx.Exec("DELETE FROM sbom_documents WHERE org_id = ? AND id = ?", {org_id, id}));
}

Result<std::vector<DiscoveredHost>> Discovered(Tx& tx, int64_t org_id, const std::string& status) {
  std::string sql =
      "SELECT id, ip, mac, mac_vendor, hostnames, os_guess, services, source, source_file, "
      "first_seen, last_seen, status, asset_id, note, decided_by, decided_at FROM "
      "discovered_hosts WHERE org_id = ?";
  Params params{org_id};
  if (!status.empty()) {
    sql += " AND status = ?";
    params.emplace_back(status);
  }
  sql += " ORDER BY id";
  MAMORI_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
  std::vector<DiscoveredHost> out;
  for (const auto& r : rows) {
    DiscoveredHost h;
    h.id = r.Int(0);
    h.ip = r.Str(1);
    h.mac = r.Str(2);
    h.mac_vendor = r.Str(3);
    h.hostnames = JsonList(r.Str(4));
    h.os_guess = r.Str(5);
    h.services = Json::parse(r.Str(6), nullptr, false);
    if (!h.services.is_array()) h.services = Json::array();
    h.source = r.Str(7);
    h.source_file = r.Str(8);
    h.first_seen = r.Int(9);
    h.last_seen = r.Int(10);
    h.status = r.Str(11);
    h.asset_id = r.OptInt(12);
    h.note = r.Str(13);
    h.decided_by = r.Str(14);
    h.decided_at = r.Int(15);
    out.push_back(std::move(h));
  }
  return out;
}

Result<int64_t> InsertDiscovered(Tx& tx, int64_t org_id, const DiscoveredHost& h) {
  MAMORI_ASSIGN_OR_RETURN(
      auto rows,
      tx.ExecReturning(
          "INSERT INTO discovered_hosts (org_id, ip, mac, mac_vendor, hostnames, os_guess, "
          "services, source, source_file, first_seen, last_seen, status) VALUES (?, ?, ?, ?, ?, "
          "?, ?, ?, ?, ?, ?, ?) RETURNING id",
          {org_id, h.ip, h.mac, h.mac_vendor, ListJson(h.hostnames), h.os_guess, h.services.dump(),
           h.source, h.source_file, h.first_seen, h.last_seen, h.status}));
  return rows.at(0).Int(0);
}

Status UpdateDiscovered(Tx& tx, int64_t org_id, const DiscoveredHost& h) {
  return Changed(tx.Exec(
      "UPDATE discovered_hosts SET ip = ?, mac = ?, mac_vendor = ?, hostnames = ?, os_guess = ?, "
      "services = ?, source_file = ?, last_seen = ?, status = ?, asset_id = ?, note = ?, "
      "decided_by = ?, decided_at = ? WHERE org_id = ? AND id = ?",
      {h.ip, h.mac, h.mac_vendor, ListJson(h.hostnames), h.os_guess, h.services.dump(),
       h.source_file, h.last_seen, h.status, OptValue(h.asset_id), h.note, h.decided_by,
       h.decided_at, org_id, h.id}));
}

Result<std::vector<SystemDocument>> SystemDocuments(Tx& tx, const Scope& scope,
                                                    std::optional<int64_t> id_with_content) {
  std::string sql = std::string(
                        "SELECT d.id, d.system_id, d.kind, d.file_name, d.sha256, d.jahis_version, "
                        "d.received_on, d.blank_answers, d.note, d.uploaded_by, d.uploaded_at, ") +
                    (id_with_content ? "d.content_base64" : "''") +
                    " FROM system_documents d JOIN systems s ON s.id = d.system_id WHERE "
                    "d.org_id = ?";
  Params params{scope.actor.org_id};
  ScopeFilter(scope, "s.vendor_id", sql, params);
  if (id_with_content) {
    sql += " AND d.id = ?";
    params.emplace_back(*id_with_content);
  }
  sql += " ORDER BY d.system_id, d.kind, d.id";
  MAMORI_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
  std::vector<SystemDocument> out;
  for (const auto& r : rows) {
    SystemDocument d;
    d.id = r.Int(0);
    d.system_id = r.Int(1);
    d.kind = r.Str(2);
    d.file_name = r.Str(3);
    d.sha256 = r.Str(4);
    d.jahis_version = r.Str(5);
    d.received_on = r.Str(6);
    d.blank_answers = r.OptInt(7);
    d.note = r.Str(8);
    d.uploaded_by = r.Str(9);
    d.uploaded_at = r.Int(10);
    if (id_with_content) {
      auto c = Base64Decode(r.Str(11));
      if (!c) return MakeError(ErrorCode::kInternal, "report.corrupt", {std::to_string(d.id)});
      d.content = std::move(*c);
    }
    out.push_back(std::move(d));
  }
  return out;
}

Result<int64_t> InsertSystemDocument(Tx& tx, int64_t org_id, const SystemDocument& d) {
  MAMORI_ASSIGN_OR_RETURN(
      auto rows,
      tx.ExecReturning(
          "INSERT INTO system_documents (org_id, system_id, kind, file_name, sha256, "
          "content_base64, jahis_version, received_on, blank_answers, note, uploaded_by, "
          "uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
          {org_id, d.system_id, d.kind, d.file_name, d.sha256, Base64Encode(d.content),
           d.jahis_version, d.received_on, OptValue(d.blank_answers), d.note, d.uploaded_by,
           tx.now()}));
  return rows.at(0).Int(0);
}

Result<std::vector<LedgerReportRecord>> Reports(Tx& tx, int64_t org_id,
                                                std::optional<int64_t> id_with_pdf) {
  std::string sql = std::string(
                        "SELECT id, generated_at, generated_by, since, file_name, sha256, "
                        "summary, ") +
                    (id_with_pdf ? "pdf_base64" : "''") + " FROM ledger_reports WHERE org_id = ?";
  Params params{org_id};
  if (id_with_pdf) {
    sql += " AND id = ?";
    params.emplace_back(*id_with_pdf);
  }
  sql += " ORDER BY generated_at DESC, id DESC";
  MAMORI_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
  std::vector<LedgerReportRecord> out;
  for (const auto& r : rows) {
    LedgerReportRecord rec;
    rec.id = r.Int(0);
    rec.generated_at = r.Int(1);
    rec.generated_by = r.Str(2);
    rec.since = r.Int(3);
    rec.file_name = r.Str(4);
    rec.sha256 = r.Str(5);
    rec.summary = Json::parse(r.Str(6), nullptr, false);
    if (id_with_pdf) {
      auto pdf = Base64Decode(r.Str(7));
      if (!pdf) return MakeError(ErrorCode::kInternal, "report.corrupt", {std::to_string(rec.id)});
      rec.pdf = std::move(*pdf);
    }
    out.push_back(std::move(rec));
  }
  return out;
}

Result<int64_t> InsertReport(Tx& tx, int64_t org_id, const LedgerReportRecord& r) {
  MAMORI_ASSIGN_OR_RETURN(
      auto rows,
      tx.ExecReturning("INSERT INTO ledger_reports (org_id, generated_at, generated_by, since, "
                       "file_name, sha256, summary, pdf_base64) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                       "RETURNING id",
                       {org_id, r.generated_at, r.generated_by, r.since, r.file_name, r.sha256,
                        r.summary.dump(), Base64Encode(r.pdf)}));
  return rows.at(0).Int(0);
}

Result<std::map<std::string, int64_t>> AssetAuditCounts(Tx& tx, int64_t org_id, UnixMillis since) {
  MAMORI_ASSIGN_OR_RETURN(
      auto rows, tx.Query("SELECT action, COUNT(*) FROM audit_log WHERE org_id = ? AND entity = "
                          "'asset' AND at > ? GROUP BY action",
                          {org_id, since}));
  std::map<std::string, int64_t> out;
  for (const auto& r : rows) out[r.Str(0)] = r.Int(1);
  return out;
}

Result<std::vector<ImportProfile>> Profiles(Tx& tx, int64_t org_id) {
  MAMORI_ASSIGN_OR_RETURN(
      auto rows,
      tx.Query("SELECT id, name, mapping FROM import_profiles WHERE org_id = ? ORDER BY name",
               {org_id}));
  std::vector<ImportProfile> out;
  for (const auto& r : rows) {
    ImportProfile p{r.Int(0), r.Str(1), {}};
    Json j = Json::parse(r.Str(2), nullptr, false);
    if (j.is_object())
      for (const auto& [k, v] : j.items())
        if (v.is_string()) p.mapping[k] = v.get<std::string>();
    out.push_back(std::move(p));
  }
  return out;
}

Result<int64_t> UpsertProfile(Tx& tx, int64_t org_id, const ImportProfile& p) {
  std::string mapping = Json(p.mapping).dump();
  MAMORI_ASSIGN_OR_RETURN(
      auto found,
      tx.Query("SELECT id FROM import_profiles WHERE org_id = ? AND name = ?", {org_id, p.name}));
  if (!found.empty()) {
    int64_t id = found[0].Int(0);
    MAMORI_RETURN_IF_ERROR(Changed(tx.Exec(
        "UPDATE import_profiles SET mapping = ?, updated_at = ? WHERE org_id = ? AND id = ?",
        {mapping, tx.now(), org_id, id})));
    return id;
  }
  MAMORI_ASSIGN_OR_RETURN(
      auto rows, tx.ExecReturning("INSERT INTO import_profiles (org_id, name, mapping, created_at, "
                                  "updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                                  {org_id, p.name, mapping, tx.now(), tx.now()}));
  return rows.at(0).Int(0);
}

}  // namespace mamori::ledger::repo
