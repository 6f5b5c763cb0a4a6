#include "ledger/ledger_service.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>

#include "ledger/ledger_repository.hpp"

namespace mamori::ledger {

namespace {

constexpr std::array kCategories = {"server", "pc", "network", "medical", "cloud", "other"};
constexpr std::array kRemote = {"yes", "no", "unknown"};
constexpr std::array kContract = {"active", "ended", "none"};

template <size_t N>
bool OneOf(const std::string& v, const std::array<const char*, N>& allowed) {
  return std::any_of(allowed.begin(), allowed.end(), [&](const char* a) { return v == a; });
}

Json OptJson(const std::optional<int64_t>& v) {
  return v ? Json(*v) : Json(nullptr);
}

Status ReadStringList(JsonBody& body, const std::string& key, std::vector<std::string>& out,
                      bool is_mac) {
  auto values = body.StringList(key, false);
  if (!values) return Ok();  // absent keeps the stored value; a type error comes from Finish()
  for (auto& v : *values) {
    if (is_mac) {
      std::string m = NormaliseMac(v);
      if (m.empty()) return MakeError(ErrorCode::kInvalidArgument, "ledger.bad_mac", {v}, key);
      v = m;
    } else if (!IsValidIp(v)) {
      return MakeError(ErrorCode::kInvalidArgument, "ledger.bad_ip", {v}, key);
    }
  }
  out = std::move(*values);
  return Ok();
}

void Str(JsonBody& body, const char* key, std::string& field, size_t max = 500) {
  if (auto v = body.String(key, false, max)) field = *v;
}

void OptId(JsonBody& body, const char* key, std::optional<int64_t>& field) {
  if (body.Has(key)) {
    if (auto v = body.Int(key, false)) field = *v;
  } else {
    (void)body.Int(key, false);
  }
}

Error NotFound(const char* what, int64_t id) {
  return MakeError(ErrorCode::kNotFound, "common.not_found", {what, std::to_string(id)});
}

}  // namespace

Json Vendor::ToJson() const {
  return Json{{"id", id},       {"name", name},   {"contact", contact},
              {"phone", phone}, {"email", email}, {"contract_state", contract_state}};
}

Json System::ToJson() const {
  return Json{{"id", id},     {"vendor_id", OptJson(vendor_id)},        {"name", name},
              {"kind", kind}, {"recovery_priority", recovery_priority}, {"notes", notes}};
}

Json Asset::ToJson() const {
  return Json{{"id", id},
              {"category", category},
              {"name", name},
              {"computer_name", computer_name},
              {"maker", maker},
              {"model", model},
              {"serial", serial},
              {"os", os},
              {"os_version", os_version},
              {"ips", ips},
              {"macs", macs},
              {"location", location},
              {"user", user_dept},
              {"system_id", OptJson(system_id)},
              {"vendor_id", OptJson(vendor_id)},
              {"remote_maintenance", remote_maintenance},
              {"updated_at", updated_at ? Json(FormatJst(updated_at)) : Json(nullptr)}};
}

bool IsValidIp(const std::string& s) {
  unsigned char buf[16];
  return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

std::string NormaliseMac(const std::string& s) {
  std::string hex;
  for (char c : s) {
    if (std::isxdigit(static_cast<unsigned char>(c)))
      hex += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    else if (c != ':' && c != '-' && c != '.')
      return {};
  }
  if (hex.size() != 12) return {};
  std::string out;
  for (size_t i = 0; i < 12; i += 2) {
    if (i) out += ':';
    out += hex.substr(i, 2);
  }
  return out;
}

const std::map<std::string, std::string Asset::*>& AssetTextFields() {
  static const std::map<std::string, std::string Asset::*> kFields = {
      {"name", &Asset::name},
      {"computer_name", &Asset::computer_name},
      {"maker", &Asset::maker},
      {"model", &Asset::model},
      {"serial", &Asset::serial},
      {"os", &Asset::os},
      {"os_version", &Asset::os_version},
      {"location", &Asset::location},
      {"user", &Asset::user_dept},
      {"category", &Asset::category},
      {"remote_maintenance", &Asset::remote_maintenance}};
  return kFields;
}

std::vector<std::string> MissingFields(const Asset& a) {
  // Which fields each category is expected to have: a cloud service has no OS or location of
  // ours, a medical device often no OS the hospital can see.
  std::vector<std::string> expected;
  if (a.category == "server" || a.category == "pc")
    expected = {"maker", "model", "os", "os_version", "ips", "computer_name", "location", "user"};
  else if (a.category == "network")
    expected = {"maker", "model", "ips", "location"};
  else if (a.category == "medical")
    expected = {"maker", "model", "location", "user"};
  else if (a.category == "cloud")
    expected = {"maker", "user"};
  else
    expected = {"maker", "location"};
  std::vector<std::string> missing;
  for (const auto& name : expected) {
    if (name == "ips") {
      if (a.ips.empty()) missing.push_back(name);
      continue;
    }
    if ((a.*(AssetTextFields().at(name))).empty()) missing.push_back(name);
  }
  if (a.vendor_id && a.remote_maintenance == "unknown") missing.emplace_back("remote_maintenance");
  return missing;
}

Json Asset::ToJsonWithCompleteness() const {
  Json j = ToJson();
  j["missing"] = MissingFields(*this);
  return j;
}

Status ReadAsset(JsonBody& body, Asset& a, bool create) {
  if (auto v = body.String("category", create, 20)) a.category = *v;
  if (auto v = body.String("name", create, 200)) a.name = *v;
  Str(body, "computer_name", a.computer_name, 100);
  Str(body, "maker", a.maker);
  Str(body, "model", a.model);
  Str(body, "serial", a.serial);
  Str(body, "os", a.os);
  Str(body, "os_version", a.os_version);
  Str(body, "location", a.location);
  Str(body, "user", a.user_dept);
  Str(body, "remote_maintenance", a.remote_maintenance, 20);
  OptId(body, "system_id", a.system_id);
  OptId(body, "vendor_id", a.vendor_id);
  MAMORI_RETURN_IF_ERROR(ReadStringList(body, "ips", a.ips, false));
  MAMORI_RETURN_IF_ERROR(ReadStringList(body, "macs", a.macs, true));
  MAMORI_RETURN_IF_ERROR(body.Finish());
  if (!OneOf(a.category, kCategories))
    return MakeError(ErrorCode::kInvalidArgument, "ledger.bad_category", {a.category}, "category");
  if (a.name.empty())
    return MakeError(ErrorCode::kInvalidArgument, "json.missing_field", {"name"}, "name");
  if (!OneOf(a.remote_maintenance, kRemote))
    return MakeError(ErrorCode::kInvalidArgument, "ledger.bad_remote", {a.remote_maintenance},
                     "remote_maintenance");
  return Ok();
}

Status ReadSystem(JsonBody& body, System& s, bool create) {
  if (auto v = body.String("name", create, 200)) s.name = *v;
  Str(body, "kind", s.kind, 100);
  Str(body, "notes", s.notes, 4000);
  OptId(body, "vendor_id", s.vendor_id);
  if (auto v = body.Int("recovery_priority", false)) s.recovery_priority = *v;
  MAMORI_RETURN_IF_ERROR(body.Finish());
  if (s.name.empty())
    return MakeError(ErrorCode::kInvalidArgument, "json.missing_field", {"name"}, "name");
  if (s.recovery_priority < 1 || s.recovery_priority > 5)
    return MakeError(ErrorCode::kInvalidArgument, "ledger.bad_priority", {}, "recovery_priority");
  return Ok();
}

Status ReadVendor(JsonBody& body, Vendor& v, bool create) {
  if (auto x = body.String("name", create, 200)) v.name = *x;
  Str(body, "contact", v.contact, 200);
  Str(body, "phone", v.phone, 50);
  Str(body, "email", v.email, 200);
  Str(body, "contract_state", v.contract_state, 20);
  MAMORI_RETURN_IF_ERROR(body.Finish());
  if (v.name.empty())
    return MakeError(ErrorCode::kInvalidArgument, "json.missing_field", {"name"}, "name");
  if (!OneOf(v.contract_state, kContract))
    return MakeError(ErrorCode::kInvalidArgument, "ledger.bad_contract", {v.contract_state},
                     "contract_state");
  return Ok();
}

Result<std::vector<Vendor>> LedgerService::ListVendors(const Scope& scope) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, scope.actor));
  return repo::Vendors(tx, scope);
}

Result<Vendor> LedgerService::CreateVendor(const Scope& scope, const Vendor& v) {
  if (scope.vendor_id) return MakeError(ErrorCode::kPermissionDenied, "auth.forbidden");
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, scope.actor));
  Vendor out = v;
  MAMORI_ASSIGN_OR_RETURN(out.id, repo::InsertVendor(tx, scope.actor.org_id, v));
  MAMORI_RETURN_IF_ERROR(
      tx.Audit({"vendor.create", "vendor", std::to_string(out.id), nullptr, out.ToJson()}));
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  return out;
}

Result<std::vector<System>> LedgerService::ListSystems(const Scope& scope) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, scope.actor));
  return repo::Systems(tx, scope);
}

Result<System> LedgerService::GetSystem(const Scope& scope, int64_t id) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, scope.actor));
  MAMORI_ASSIGN_OR_RETURN(auto s, repo::SystemById(tx, scope, id));
  if (!s) return NotFound("system", id);
  return *s;
}

namespace {
// A vendor-scoped caller can only place rows under its own vendor; others must name a vendor of
// this organisation.
Status CheckVendorRef(store::Tx& tx, const Scope& scope, std::optional<int64_t>& vendor_id) {
  if (scope.vendor_id) {
    if (vendor_id && *vendor_id != *scope.vendor_id)
      return MakeError(ErrorCode::kPermissionDenied, "ledger.other_vendor", {}, "vendor_id");
    vendor_id = scope.vendor_id;
    return Ok();
  }
  if (vendor_id) {
    MAMORI_ASSIGN_OR_RETURN(auto v, repo::VendorById(tx, scope, *vendor_id));
    if (!v)
      return MakeError(ErrorCode::kInvalidArgument, "ledger.unknown_vendor",
                       {std::to_string(*vendor_id)}, "vendor_id");
  }
  return Ok();
}

Status CheckSystemRef(store::Tx& tx, const Scope& scope, const std::optional<int64_t>& system_id) {
  if (!system_id) return Ok();
  MAMORI_ASSIGN_OR_RETURN(auto s, repo::SystemById(tx, scope, *system_id));
  if (!s)
    return MakeError(ErrorCode::kInvalidArgument, "ledger.unknown_system",
                     {std::to_string(*system_id)}, "system_id");
  return Ok();
}
}  // namespace

Result<System> LedgerService::CreateSystem(const Scope& scope, const System& s) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, scope.actor));
  System out = s;
  MAMORI_RETURN_IF_ERROR(CheckVendorRef(tx, scope, out.vendor_id));
  MAMORI_ASSIGN_OR_RETURN(out.id, repo::InsertSystem(tx, scope.actor.org_id, out));
  MAMORI_RETURN_IF_ERROR(
      tx.Audit({"system.create", "system", std::to_string(out.id), nullptr, out.ToJson()}));
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  return out;
}

Result<System> LedgerService::UpdateSystem(const Scope& scope, int64_t id, JsonBody& body) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, scope.actor));
  MAMORI_ASSIGN_OR_RETURN(auto found, repo::SystemById(tx, scope, id));
  if (!found) return NotFound("system", id);
  System after = *found;
  MAMORI_RETURN_IF_ERROR(ReadSystem(body, after, false));
  after.id = id;
  MAMORI_RETURN_IF_ERROR(CheckVendorRef(tx, scope, after.vendor_id));
  MAMORI_RETURN_IF_ERROR(repo::UpdateSystem(tx, scope.actor.org_id, after));
  MAMORI_RETURN_IF_ERROR(
      tx.Audit({"system.update", "system", std::to_string(id), found->ToJson(), after.ToJson()}));
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  return after;
}

Result<AssetPage> LedgerService::ListAssets(const Scope& scope, const AssetQuery& q) {
  AssetQuery bounded = q;
  bounded.limit = std::clamp<int64_t>(q.limit, 1, 1000);
  bounded.offset = std::max<int64_t>(q.offset, 0);
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, scope.actor));
  return repo::Assets(tx, scope, bounded);
}

Result<Asset> LedgerService::GetAsset(const Scope& scope, int64_t id) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, scope.actor));
  MAMORI_ASSIGN_OR_RETURN(auto a, repo::AssetById(tx, scope, id));
  if (!a) return NotFound("asset", id);
  return *a;
}

Result<Asset> LedgerService::CreateAsset(const Scope& scope, const Asset& a) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, scope.actor));
  Asset out = a;
  MAMORI_RETURN_IF_ERROR(CheckVendorRef(tx, scope, out.vendor_id));
  MAMORI_RETURN_IF_ERROR(CheckSystemRef(tx, scope, out.system_id));
  MAMORI_ASSIGN_OR_RETURN(out.id, repo::InsertAsset(tx, scope.actor.org_id, out));
  out.updated_at = tx.now();
  MAMORI_RETURN_IF_ERROR(
      tx.Audit({"asset.create", "asset", std::to_string(out.id), nullptr, out.ToJson()}));
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  return out;
}

Result<Asset> LedgerService::UpdateAsset(const Scope& scope, int64_t id, JsonBody& body) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, scope.actor));
  MAMORI_ASSIGN_OR_RETURN(auto found, repo::AssetById(tx, scope, id));
  if (!found) return NotFound("asset", id);
  Asset after = *found;
  MAMORI_RETURN_IF_ERROR(ReadAsset(body, after, false));
  after.id = id;
  MAMORI_RETURN_IF_ERROR(CheckVendorRef(tx, scope, after.vendor_id));
  MAMORI_RETURN_IF_ERROR(CheckSystemRef(tx, scope, after.system_id));
  after.updated_at = tx.now();
  MAMORI_RETURN_IF_ERROR(repo::UpdateAsset(tx, scope.actor.org_id, after));
  Json before_json = found->ToJson(), after_json = after.ToJson();
  before_json.erase("updated_at");
  after_json.erase("updated_at");
  MAMORI_RETURN_IF_ERROR(
      tx.Audit({"asset.update", "asset", std::to_string(id), before_json, after_json}));
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  return after;
}

Result<std::vector<Asset>> LedgerService::AllAssets(const Scope& scope) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, scope.actor));
  std::vector<Asset> all;
  AssetQuery q;
  q.limit = 5000;
  while (true) {
    MAMORI_ASSIGN_OR_RETURN(auto page, repo::Assets(tx, scope, q));
    for (auto& a : page.items) all.push_back(std::move(a));
    q.offset += static_cast<int64_t>(page.items.size());
    if (page.items.empty() || q.offset >= page.total) break;
  }
  return all;
}

Status LedgerService::ApplyChanges(const Scope& scope, const std::vector<Change>& changes,
                                   const std::string& source) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, scope.actor));
  for (const auto& c : changes) {
    Asset after = c.after;
    MAMORI_RETURN_IF_ERROR(CheckVendorRef(tx, scope, after.vendor_id));
    Json after_json = after.ToJson();
    after_json.erase("updated_at");
    if (!c.before) {
      MAMORI_ASSIGN_OR_RETURN(after.id, repo::InsertAsset(tx, scope.actor.org_id, after));
      after_json["id"] = after.id;
      after_json["source"] = source;
      MAMORI_RETURN_IF_ERROR(tx.Audit(
          {"asset.import_create", "asset", std::to_string(after.id), nullptr, after_json}));
    } else {
      after.id = c.before->id;
      MAMORI_RETURN_IF_ERROR(repo::UpdateAsset(tx, scope.actor.org_id, after));
      Json before_json = c.before->ToJson();
      before_json.erase("updated_at");
      after_json["source"] = source;
      MAMORI_RETURN_IF_ERROR(tx.Audit(
          {"asset.import_update", "asset", std::to_string(after.id), before_json, after_json}));
    }
  }
  return tx.Commit();
}

Result<int64_t> LedgerService::CreateAssets(const Scope& scope, const std::vector<Asset>& assets,
                                            const std::string& action) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, scope.actor));
  Json ids = Json::array();
  for (const auto& a : assets) {
    Asset copy = a;
    MAMORI_RETURN_IF_ERROR(CheckVendorRef(tx, scope, copy.vendor_id));
    MAMORI_ASSIGN_OR_RETURN(int64_t id, repo::InsertAsset(tx, scope.actor.org_id, copy));
    ids.push_back(id);
  }
  MAMORI_RETURN_IF_ERROR(tx.Audit({action, "asset", "", nullptr,
                                   Json{{"created", assets.size()},
                                        {"first_id", ids.empty() ? Json(nullptr) : ids.front()},
                                        {"last_id", ids.empty() ? Json(nullptr) : ids.back()}}}));
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  return static_cast<int64_t>(assets.size());
}

}  // namespace mamori::ledger
