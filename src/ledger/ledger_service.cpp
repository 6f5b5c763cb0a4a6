#include "ledger/ledger_service.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>

#include "core/crypto.hpp"
#include "core/text.hpp"
#include "ledger/completeness.hpp"
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

Json SoftwareComponent::ToJson() const {
  Json j{{"name", name}, {"version", version}, {"supplier", supplier},
         {"cpe", cpe},   {"purl", purl},       {"source", source}};
  if (!hashes.empty()) j["hashes"] = hashes;
  if (!bom_ref.empty()) j["bom_ref"] = bom_ref;
  if (!depends_on.empty()) j["depends_on"] = depends_on;
  if (!raw.empty()) j["raw"] = raw;
  if (via_model) j["via_model"] = true;
  return j;
}

std::string ProductKey(const std::string& maker, const std::string& model) {
  return MatchKey(maker) + "\t" + MatchKey(model);
}

std::vector<SoftwareComponent> ParseSoftwareCell(std::string_view cell) {
  std::vector<SoftwareComponent> out;
  std::string text(cell);
  std::vector<std::string> entries;
  std::string cur;
  for (size_t i = 0; i <= text.size(); ++i) {
    bool end = i == text.size();
    size_t skip = 0;
    if (!end) {
      if (text[i] == ';' || text[i] == '\n' || text[i] == '\r')
        skip = 1;
      else if (text.compare(i, 3, "、") == 0 || text.compare(i, 3, "；") == 0)
        skip = 3;
    }
    if (end || skip) {
      std::string t = Trim(cur);
      if (!t.empty()) entries.push_back(t);
      cur.clear();
      if (skip) i += skip - 1;
    } else {
      cur += text[i];
    }
  }
  for (const auto& e : entries) {
    SoftwareComponent c;
    c.source = "ledger";
    c.raw = e;
    c.name = e;
    // "name version": the last word is the version when it starts like one (a digit, or v1.2).
    std::string n = Nfkc(e);
    auto sp = n.find_last_of(' ');
    if (sp != std::string::npos && sp + 1 < n.size()) {
      std::string last = n.substr(sp + 1);
      bool starts_digit = std::isdigit(static_cast<unsigned char>(last[0])) ||
                          ((last[0] == 'v' || last[0] == 'V') && last.size() > 1 &&
                           std::isdigit(static_cast<unsigned char>(last[1])));
      if (starts_digit) {
        c.name = Trim(n.substr(0, sp));
        c.version = last;
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

Json Asset::ToJson() const {
  Json sw = Json::array();
  for (const auto& c : software) sw.push_back(c.ToJson());
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
              {"remote",
               {{"method", remote_method},
                {"source_restricted", remote_source_restricted},
                {"allowed_sources", remote_allowed_sources},
                {"confirmed_on", remote_confirmed_on},
                {"evidence", remote_evidence}}},
              {"purchase_date", purchase_date},
              {"support_end", support_end},
              {"notes", notes},
              {"software", sw},
              {"discovery_sources", discovery_sources},
              {"last_seen", last_seen ? Json(FormatJst(last_seen)) : Json(nullptr)},
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
      {"remote_maintenance", &Asset::remote_maintenance},
      {"remote_method", &Asset::remote_method},
      {"remote_evidence", &Asset::remote_evidence},
      {"notes", &Asset::notes}};
  return kFields;
}

const std::map<std::string, std::string Asset::*>& AssetDateFields() {
  static const std::map<std::string, std::string Asset::*> kFields = {
      {"purchase_date", &Asset::purchase_date},
      {"support_end", &Asset::support_end},
      {"remote_confirmed_on", &Asset::remote_confirmed_on}};
  return kFields;
}

std::vector<std::string> MissingFields(const Asset& a) {
  // Which fields each category is expected to have: a cloud service has no OS or location of
  // ours, a medical device often no OS the hospital can see.
  std::vector<std::string> expected;
  if (a.category == "server" || a.category == "pc")
    expected = {"maker", "model",         "os",       "os_version", "software",
                "ips",   "computer_name", "location", "user"};
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
    if (name == "software") {
      if (a.software.empty()) missing.push_back(name);
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
  Str(body, "remote_method", a.remote_method, 100);
  Str(body, "remote_source_restricted", a.remote_source_restricted, 20);
  Str(body, "remote_evidence", a.remote_evidence, 2000);
  Str(body, "notes", a.notes, 4000);
  for (const auto& [key, field] : AssetDateFields()) {
    if (auto v = body.String(key, false, 40)) {
      if (v->empty()) {
        a.*field = "";
      } else if (auto d = ParseCalendarDate(*v)) {
        a.*field = *d;
      } else {
        return MakeError(ErrorCode::kInvalidArgument, "ledger.bad_date", {*v}, key);
      }
    }
  }
  if (auto v = body.StringList("remote_allowed_sources", false)) a.remote_allowed_sources = *v;
  OptId(body, "system_id", a.system_id);
  OptId(body, "vendor_id", a.vendor_id);
  MAMORI_RETURN_IF_ERROR(ReadStringList(body, "ips", a.ips, false));
  MAMORI_RETURN_IF_ERROR(ReadStringList(body, "macs", a.macs, true));
  MAMORI_RETURN_IF_ERROR(body.Finish());
  if (!OneOf(a.remote_source_restricted, kRemote))
    return MakeError(ErrorCode::kInvalidArgument, "ledger.bad_remote", {a.remote_source_restricted},
                     "remote_source_restricted");
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
  if (!bounded.filter.empty()) {
    // Conditions computed from several fields and the date: evaluated over the whole ledger
    // (10 000 assets take tens of milliseconds), then paged.
    const std::string today = FormatDateJst(SystemClock().Now());
    if (bounded.filter != "incomplete" && bounded.filter != "support_ended" &&
        bounded.filter != "remote_attention")
      return MakeError(ErrorCode::kInvalidArgument, "common.bad_param", {"filter"}, "filter");
    AssetQuery all_q = bounded;
    all_q.filter.clear();
    all_q.limit = 1000;
    all_q.offset = 0;
    std::vector<Asset> matched;
    int64_t total = 0;
    {
      MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, scope.actor));
      while (true) {
        MAMORI_ASSIGN_OR_RETURN(auto page, repo::Assets(tx, scope, all_q));
        MAMORI_RETURN_IF_ERROR(repo::LoadSoftware(tx, scope.actor.org_id, page.items));
        for (auto& a : page.items) {
          bool keep = false;
          if (bounded.filter == "incomplete") keep = !MissingFields(a).empty();
          if (bounded.filter == "support_ended") keep = SupportEnded(a, today);
          if (bounded.filter == "remote_attention")
            keep = NeedsRemoteAttention(a, DaysBefore(today, 365));
          if (!keep) continue;
          if (total >= bounded.offset && total < bounded.offset + bounded.limit)
            matched.push_back(std::move(a));
          ++total;
        }
        all_q.offset += static_cast<int64_t>(page.items.size());
        if (page.items.empty() || all_q.offset >= page.total) break;
      }
    }
    return AssetPage{std::move(matched), total};
  }
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, scope.actor));
  MAMORI_ASSIGN_OR_RETURN(auto page, repo::Assets(tx, scope, bounded));
  MAMORI_RETURN_IF_ERROR(repo::LoadSoftware(tx, scope.actor.org_id, page.items));
  return page;
}

Result<Asset> LedgerService::GetAsset(const Scope& scope, int64_t id) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, scope.actor));
  MAMORI_ASSIGN_OR_RETURN(auto a, repo::AssetById(tx, scope, id));
  if (!a) return NotFound("asset", id);
  std::vector<Asset> one{std::move(*a)};
  MAMORI_RETURN_IF_ERROR(repo::LoadSoftware(tx, scope.actor.org_id, one));
  return std::move(one[0]);
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
  MAMORI_RETURN_IF_ERROR(repo::LoadSoftware(tx, scope.actor.org_id, all));
  return all;
}

Status LedgerService::ApplyChanges(const Scope& scope, const std::vector<Change>& changes,
                                   const std::string& source) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, scope.actor));
  // Vendors and systems the file names that are not in the ledger yet: created once each.
  std::map<std::string, int64_t> vendor_ids, system_ids;
  MAMORI_ASSIGN_OR_RETURN(auto vendors, repo::Vendors(tx, scope));
  MAMORI_ASSIGN_OR_RETURN(auto systems, repo::Systems(tx, scope));
  for (const auto& v : vendors) vendor_ids.emplace(MatchKey(v.name), v.id);
  for (const auto& x : systems) system_ids.emplace(MatchKey(x.name), x.id);
  for (const auto& c : changes) {
    Asset after = c.after;
    if (!c.vendor_name.empty()) {
      auto [it, fresh] = vendor_ids.emplace(MatchKey(c.vendor_name), 0);
      if (fresh) {
        if (scope.vendor_id) return MakeError(ErrorCode::kPermissionDenied, "auth.forbidden");
        Vendor v;
        v.name = c.vendor_name;
        MAMORI_ASSIGN_OR_RETURN(v.id, repo::InsertVendor(tx, scope.actor.org_id, v));
        Json j = v.ToJson();
        j["source"] = source;
        MAMORI_RETURN_IF_ERROR(
            tx.Audit({"vendor.import_create", "vendor", std::to_string(v.id), nullptr, j}));
        it->second = v.id;
      }
      after.vendor_id = it->second;
    }
    if (!c.system_name.empty()) {
      auto [it, fresh] = system_ids.emplace(MatchKey(c.system_name), 0);
      if (fresh) {
        System x;
        x.name = c.system_name;
        x.vendor_id = after.vendor_id;
        MAMORI_RETURN_IF_ERROR(CheckVendorRef(tx, scope, x.vendor_id));
        MAMORI_ASSIGN_OR_RETURN(x.id, repo::InsertSystem(tx, scope.actor.org_id, x));
        Json j = x.ToJson();
        j["source"] = source;
        MAMORI_RETURN_IF_ERROR(
            tx.Audit({"system.import_create", "system", std::to_string(x.id), nullptr, j}));
        it->second = x.id;
      }
      after.system_id = it->second;
    }
    MAMORI_RETURN_IF_ERROR(CheckVendorRef(tx, scope, after.vendor_id));
    MAMORI_RETURN_IF_ERROR(CheckSystemRef(tx, scope, after.system_id));
    Json after_json = after.ToJson();
    after_json.erase("updated_at");
    after_json["source"] = source;
    if (!c.before) {
      MAMORI_ASSIGN_OR_RETURN(after.id, repo::InsertAsset(tx, scope.actor.org_id, after));
      after_json["id"] = after.id;
      if (c.ledger_software)
        MAMORI_RETURN_IF_ERROR(repo::ReplaceSoftware(tx, scope.actor.org_id, after.id,
                                                     c.software_source, *c.ledger_software));
      MAMORI_RETURN_IF_ERROR(tx.Audit(
          {"asset.import_create", "asset", std::to_string(after.id), nullptr, after_json}));
    } else {
      after.id = c.before->id;
      MAMORI_RETURN_IF_ERROR(repo::UpdateAsset(tx, scope.actor.org_id, after));
      if (c.ledger_software)
        MAMORI_RETURN_IF_ERROR(repo::ReplaceSoftware(tx, scope.actor.org_id, after.id,
                                                     c.software_source, *c.ledger_software));
      Json before_json = c.before->ToJson();
      before_json.erase("updated_at");
      MAMORI_RETURN_IF_ERROR(tx.Audit(
          {"asset.import_update", "asset", std::to_string(after.id), before_json, after_json}));
    }
  }
  return tx.Commit();
}

Json SbomDocument::ToJson() const {
  Json j{{"id", id},
         {"asset_id", OptJson(asset_id)},
         {"format", format},
         {"spec_version", spec_version},
         {"serial_number", serial_number},
         {"subject", subject},
         {"author", author},
         {"created", created},
         {"file_name", file_name},
         {"sha256", sha256},
         {"component_count", component_count},
         {"imported_at", imported_at ? Json(FormatJst(imported_at)) : Json(nullptr)}};
  if (!product_key.empty()) {
    auto tab = product_key.find('\t');
    j["product"] = {{"maker", product_key.substr(0, tab)},
                    {"model", tab == std::string::npos ? "" : product_key.substr(tab + 1)}};
  }
  return j;
}

Result<LedgerService::SbomAttach> LedgerService::AttachSbom(
    const Scope& scope, const SbomDocument& doc, const std::vector<SoftwareComponent>& components,
    bool dry_run) {
  // A vendor may attach SBOMs to its own assets only, not to a product model (which would reach
  // other vendors' assets of the same model).
  if (scope.vendor_id && !doc.asset_id)
    return MakeError(ErrorCode::kPermissionDenied, "auth.forbidden");
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, scope.actor));
  if (doc.asset_id) {
    MAMORI_ASSIGN_OR_RETURN(auto a, repo::AssetById(tx, scope, *doc.asset_id));
    if (!a) return NotFound("asset", *doc.asset_id);
  }
  SbomAttach out;
  out.doc = doc;
  out.doc.component_count = static_cast<int64_t>(components.size());
  MAMORI_ASSIGN_OR_RETURN(auto existing, repo::SbomDocuments(tx, scope));
  std::vector<SbomDocument> replaced;
  for (const auto& e : existing) {
    if (e.asset_id != doc.asset_id || e.product_key != doc.product_key) continue;
    if (e.sha256 == doc.sha256) {
      out.doc = e;
      out.unchanged = true;
      return out;  // the read-only transaction ends unused
    }
    if (e.subject == doc.subject) {
      replaced.push_back(e);
      out.replaced += e.component_count;
    }
  }
  if (dry_run) return out;
  for (const auto& e : replaced)
    MAMORI_RETURN_IF_ERROR(repo::DeleteSbomDocument(tx, scope.actor.org_id, e.id));
  MAMORI_ASSIGN_OR_RETURN(out.doc.id, repo::InsertSbomDocument(tx, scope.actor.org_id, out.doc));
  for (const auto& c : components)
    MAMORI_RETURN_IF_ERROR(repo::InsertComponent(tx, scope.actor.org_id, doc.asset_id,
                                                 doc.product_key, out.doc.id, c));
  out.doc.imported_at = tx.now();
  Json after = out.doc.ToJson();
  Json before = Json::array();
  for (const auto& e : replaced) before.push_back(e.ToJson());
  MAMORI_RETURN_IF_ERROR(tx.Audit({"sbom.import", "sbom", std::to_string(out.doc.id),
                                   replaced.empty() ? Json(nullptr) : before, after}));
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  return out;
}

Result<std::vector<SbomDocument>> LedgerService::ListSbomDocuments(const Scope& scope) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, scope.actor));
  return repo::SbomDocuments(tx, scope);
}

Json DiscoveredHost::ToJson() const {
  return Json{{"id", id},
              {"ip", ip},
              {"mac", mac},
              {"mac_vendor", mac_vendor},
              {"hostnames", hostnames},
              {"os_guess", os_guess},
              {"services", services},
              {"source", source},
              {"source_file", source_file},
              {"first_seen", first_seen ? Json(FormatJst(first_seen)) : Json(nullptr)},
              {"last_seen", last_seen ? Json(FormatJst(last_seen)) : Json(nullptr)},
              {"status", status},
              {"asset_id", OptJson(asset_id)},
              {"note", note},
              {"decided_by", decided_by},
              {"decided_at", decided_at ? Json(FormatJst(decided_at)) : Json(nullptr)}};
}

bool SameDevice(const DiscoveredHost& a, const DiscoveredHost& b) {
  if (!a.mac.empty() && a.mac == b.mac) return true;
  return (a.mac.empty() || b.mac.empty()) && !a.ip.empty() && a.ip == b.ip;
}

Result<std::vector<DiscoveredHost>> LedgerService::ListDiscovered(const Scope& scope,
                                                                  const std::string& status) {
  if (scope.vendor_id) return std::vector<DiscoveredHost>{};
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, scope.actor));
  return repo::Discovered(tx, scope.actor.org_id, status);
}

Result<int64_t> LedgerService::RecordDiscovered(const Scope& scope,
                                                const std::vector<DiscoveredHost>& hosts,
                                                const std::string& source_file) {
  if (scope.vendor_id) return MakeError(ErrorCode::kPermissionDenied, "auth.forbidden");
  if (hosts.empty()) return int64_t{0};
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, scope.actor));
  MAMORI_ASSIGN_OR_RETURN(auto known, repo::Discovered(tx, scope.actor.org_id, ""));
  int64_t created = 0;
  Json ids = Json::array();
  for (const auto& h : hosts) {
    DiscoveredHost* same = nullptr;
    for (auto& k : known)
      if (SameDevice(h, k)) same = &k;
    if (same == nullptr) {
      DiscoveredHost n = h;
      n.source_file = source_file;
      n.status = "pending";
      MAMORI_ASSIGN_OR_RETURN(n.id, repo::InsertDiscovered(tx, scope.actor.org_id, n));
      ids.push_back(n.id);
      known.push_back(n);
      ++created;
      continue;
    }
    if (h.last_seen < same->last_seen) continue;  // an older scan tells nothing new
    if (!h.ip.empty()) same->ip = h.ip;
    if (!h.mac.empty()) same->mac = h.mac;
    if (!h.mac_vendor.empty()) same->mac_vendor = h.mac_vendor;
    if (!h.hostnames.empty()) same->hostnames = h.hostnames;
    if (!h.os_guess.empty()) same->os_guess = h.os_guess;
    same->services = h.services;
    same->source_file = source_file;
    same->last_seen = h.last_seen;
    MAMORI_RETURN_IF_ERROR(repo::UpdateDiscovered(tx, scope.actor.org_id, *same));
  }
  MAMORI_RETURN_IF_ERROR(tx.Audit({"discovered.record", "discovered_host", "", nullptr,
                                   Json{{"source_file", source_file},
                                        {"hosts", hosts.size()},
                                        {"new", created},
                                        {"new_ids", ids}}}));
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  return created;
}

namespace {
Result<DiscoveredHost> FindDiscovered(store::Tx& tx, int64_t org_id, int64_t id) {
  MAMORI_ASSIGN_OR_RETURN(auto all, repo::Discovered(tx, org_id, ""));
  for (auto& h : all)
    if (h.id == id) return std::move(h);
  return NotFound("discovered_host", id);
}
}  // namespace

Result<Asset> LedgerService::AcceptDiscovered(const Scope& scope, int64_t id,
                                              const std::string& category,
                                              const std::string& name) {
  if (scope.vendor_id) return MakeError(ErrorCode::kPermissionDenied, "auth.forbidden");
  if (!OneOf(category, kCategories))
    return MakeError(ErrorCode::kInvalidArgument, "ledger.bad_category", {category}, "category");
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, scope.actor));
  MAMORI_ASSIGN_OR_RETURN(auto h, FindDiscovered(tx, scope.actor.org_id, id));
  if (h.status != "pending")
    return MakeError(ErrorCode::kConflict, "discovered.decided", {std::to_string(id), h.status});
  Asset a;
  a.category = category;
  a.computer_name = h.hostnames.empty() ? "" : h.hostnames.front();
  if (auto dot = a.computer_name.find('.'); dot != std::string::npos) a.computer_name.resize(dot);
  a.name = !name.empty() ? name : !a.computer_name.empty() ? a.computer_name : h.ip;
  a.maker = h.mac_vendor;
  if (!h.ip.empty()) a.ips.push_back(h.ip);
  if (!h.mac.empty()) a.macs.push_back(h.mac);
  a.os = h.os_guess;
  a.discovery_sources = {h.source};
  a.last_seen = h.last_seen;
  a.notes = "台帳未登録から登録（" + h.source_file + "）";
  for (const auto& s : h.services) {
    if (!s.is_object() || s.value("product", "").empty()) continue;
    SoftwareComponent c;
    c.source = h.source;
    c.name = s.value("product", "");
    c.version = s.value("version", "");
    c.cpe = s.value("cpe", "");
    c.raw = s.value("protocol", "") + "/" + std::to_string(s.value("port", 0)) + " " +
            s.value("name", "");
    a.software.push_back(std::move(c));
  }
  MAMORI_ASSIGN_OR_RETURN(a.id, repo::InsertAsset(tx, scope.actor.org_id, a));
  for (const auto& c : a.software)
    MAMORI_RETURN_IF_ERROR(
        repo::InsertComponent(tx, scope.actor.org_id, a.id, "", std::nullopt, c));
  DiscoveredHost before = h;
  h.status = "accepted";
  h.asset_id = a.id;
  h.decided_by = scope.actor.username;
  h.decided_at = tx.now();
  MAMORI_RETURN_IF_ERROR(repo::UpdateDiscovered(tx, scope.actor.org_id, h));
  Json after = a.ToJson();
  after.erase("updated_at");
  MAMORI_RETURN_IF_ERROR(
      tx.Audit({"asset.create_from_discovery", "asset", std::to_string(a.id), nullptr, after}));
  MAMORI_RETURN_IF_ERROR(tx.Audit(
      {"discovered.accept", "discovered_host", std::to_string(id), before.ToJson(), h.ToJson()}));
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  a.updated_at = tx.now();
  return a;
}

Result<DiscoveredHost> LedgerService::IgnoreDiscovered(const Scope& scope, int64_t id,
                                                       const std::string& note) {
  if (scope.vendor_id) return MakeError(ErrorCode::kPermissionDenied, "auth.forbidden");
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, scope.actor));
  MAMORI_ASSIGN_OR_RETURN(auto h, FindDiscovered(tx, scope.actor.org_id, id));
  if (h.status != "pending")
    return MakeError(ErrorCode::kConflict, "discovered.decided", {std::to_string(id), h.status});
  DiscoveredHost before = h;
  h.status = "ignored";
  h.note = note;
  h.decided_by = scope.actor.username;
  h.decided_at = tx.now();
  MAMORI_RETURN_IF_ERROR(repo::UpdateDiscovered(tx, scope.actor.org_id, h));
  MAMORI_RETURN_IF_ERROR(tx.Audit(
      {"discovered.ignore", "discovered_host", std::to_string(id), before.ToJson(), h.ToJson()}));
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  return h;
}

Json SystemDocument::ToJson() const {
  return Json{{"id", id},
              {"system_id", system_id},
              {"kind", kind},
              {"file_name", file_name},
              {"sha256", sha256},
              {"jahis_version", jahis_version},
              {"received_on", received_on},
              {"blank_answers", blank_answers ? Json(*blank_answers) : Json(nullptr)},
              {"note", note},
              {"uploaded_by", uploaded_by},
              {"uploaded_at", uploaded_at ? Json(FormatJst(uploaded_at)) : Json(nullptr)}};
}

Result<SystemDocument> LedgerService::AddSystemDocument(const Scope& scope,
                                                        const SystemDocument& d) {
  if (d.kind != "mds" && d.kind != "sds")
    return MakeError(ErrorCode::kInvalidArgument, "ledger.bad_doc_kind", {d.kind}, "kind");
  if (d.content.empty() || d.file_name.empty())
    return MakeError(ErrorCode::kInvalidArgument, "json.missing_field", {"file"}, "file");
  if (!d.received_on.empty() && !ParseCalendarDate(d.received_on))
    return MakeError(ErrorCode::kInvalidArgument, "ledger.bad_date", {d.received_on},
                     "received_on");
  if (d.blank_answers && *d.blank_answers < 0)
    return MakeError(ErrorCode::kInvalidArgument, "ledger.bad_blank_answers", {}, "blank_answers");
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, scope.actor));
  MAMORI_ASSIGN_OR_RETURN(auto sys, repo::SystemById(tx, scope, d.system_id));
  if (!sys) return NotFound("system", d.system_id);
  SystemDocument out = d;
  if (!out.received_on.empty()) out.received_on = *ParseCalendarDate(out.received_on);
  out.sha256 = Sha256Hex(d.content);
  out.uploaded_by = scope.actor.username;
  MAMORI_ASSIGN_OR_RETURN(out.id, repo::InsertSystemDocument(tx, scope.actor.org_id, out));
  out.uploaded_at = tx.now();
  MAMORI_RETURN_IF_ERROR(tx.Audit(
      {"system.document_add", "system", std::to_string(d.system_id), nullptr, out.ToJson()}));
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  out.content.clear();
  return out;
}

Result<std::vector<SystemDocument>> LedgerService::ListSystemDocuments(const Scope& scope) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, scope.actor));
  return repo::SystemDocuments(tx, scope, std::nullopt);
}

Result<SystemDocument> LedgerService::GetSystemDocument(const Scope& scope, int64_t id) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, scope.actor));
  MAMORI_ASSIGN_OR_RETURN(auto found, repo::SystemDocuments(tx, scope, id));
  if (found.empty()) return NotFound("system_document", id);
  return std::move(found[0]);
}

Json LedgerReportRecord::ToJson() const {
  return Json{{"id", id},
              {"generated_at", FormatJst(generated_at)},
              {"generated_at_wareki", FormatWarekiJst(generated_at)},
              {"generated_by", generated_by},
              {"since", since ? Json(FormatJst(since)) : Json(nullptr)},
              {"file_name", file_name},
              {"sha256", sha256},
              {"summary", summary}};
}

Result<std::vector<LedgerReportRecord>> LedgerService::ListReports(const Scope& scope) {
  if (scope.vendor_id) return MakeError(ErrorCode::kPermissionDenied, "auth.forbidden");
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, scope.actor));
  return repo::Reports(tx, scope.actor.org_id, std::nullopt);
}

Result<LedgerReportRecord> LedgerService::GetReport(const Scope& scope, int64_t id) {
  if (scope.vendor_id) return MakeError(ErrorCode::kPermissionDenied, "auth.forbidden");
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, scope.actor));
  MAMORI_ASSIGN_OR_RETURN(auto found, repo::Reports(tx, scope.actor.org_id, id));
  if (found.empty()) return NotFound("report", id);
  return std::move(found[0]);
}

Result<LedgerReportRecord> LedgerService::StoreReport(const Scope& scope,
                                                      const LedgerReportRecord& r) {
  if (scope.vendor_id) return MakeError(ErrorCode::kPermissionDenied, "auth.forbidden");
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, scope.actor));
  LedgerReportRecord out = r;
  MAMORI_ASSIGN_OR_RETURN(out.id, repo::InsertReport(tx, scope.actor.org_id, out));
  MAMORI_RETURN_IF_ERROR(
      tx.Audit({"ledger.report", "ledger_report", std::to_string(out.id), nullptr, out.ToJson()}));
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  return out;
}

Result<std::map<std::string, int64_t>> LedgerService::AssetChangesSince(const Scope& scope,
                                                                        UnixMillis since) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, scope.actor));
  return repo::AssetAuditCounts(tx, scope.actor.org_id, since);
}

Json ImportProfile::ToJson() const {
  return Json{{"id", id}, {"name", name}, {"mapping", mapping}};
}

Result<std::vector<ImportProfile>> LedgerService::ListProfiles(const Scope& scope) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, scope.actor));
  return repo::Profiles(tx, scope.actor.org_id);
}

Result<std::optional<ImportProfile>> LedgerService::FindProfile(const Scope& scope,
                                                                const std::string& name) {
  MAMORI_ASSIGN_OR_RETURN(auto all, ListProfiles(scope));
  for (auto& p : all)
    if (p.name == name) return std::optional<ImportProfile>(std::move(p));
  return std::optional<ImportProfile>();
}

Result<ImportProfile> LedgerService::SaveProfile(const Scope& scope, const ImportProfile& p) {
  if (scope.vendor_id) return MakeError(ErrorCode::kPermissionDenied, "auth.forbidden");
  if (Trim(p.name).empty())
    return MakeError(ErrorCode::kInvalidArgument, "json.missing_field", {"name"}, "name");
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, scope.actor));
  MAMORI_ASSIGN_OR_RETURN(auto before, repo::Profiles(tx, scope.actor.org_id));
  Json before_json = nullptr;
  for (const auto& b : before)
    if (b.name == p.name) before_json = b.ToJson();
  ImportProfile out = p;
  MAMORI_ASSIGN_OR_RETURN(out.id, repo::UpsertProfile(tx, scope.actor.org_id, p));
  MAMORI_RETURN_IF_ERROR(tx.Audit({"import_profile.save", "import_profile", std::to_string(out.id),
                                   before_json, out.ToJson()}));
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  return out;
}

Result<int64_t> LedgerService::CreateAssets(const Scope& scope, const std::vector<Asset>& assets,
                                            const std::string& action) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, scope.actor));
  Json ids = Json::array();
  for (const auto& a : assets) {
    Asset copy = a;
    MAMORI_RETURN_IF_ERROR(CheckVendorRef(tx, scope, copy.vendor_id));
    MAMORI_ASSIGN_OR_RETURN(int64_t id, repo::InsertAsset(tx, scope.actor.org_id, copy));
    for (const auto& c : copy.software)
      MAMORI_RETURN_IF_ERROR(
          repo::InsertComponent(tx, scope.actor.org_id, id, "", std::nullopt, c));
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
