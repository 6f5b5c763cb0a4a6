// The evaluators that read the ledger (2-(1)…2-(3), and the gate item) and the organisation's
// records (1-(1), 3-(1), 3-(3)). Each returns "yes" only when every condition the checklist
// manual describes holds, and names each failed condition as a reason.
#include <algorithm>
#include <set>

#include "checklist/evaluator.hpp"
#include "core/text.hpp"

namespace mamori::checklist {

namespace {

using ledger::Asset;

std::string Num(int64_t n) {
  return std::to_string(n);
}

Result<Suggestion> SystemsInUse(EvalContext& ctx, const ItemDef&, const std::string&) {
  MAMORI_ASSIGN_OR_RETURN(auto systems, ctx.ledger.ListSystems(ctx.scope));
  MAMORI_ASSIGN_OR_RETURN(const ledger::Completeness* c, ctx.Completeness());
  Suggestion s;
  s.evidence.push_back({"ledger", Msg("checklist.ev_ledger"), "#/ledger"});
  if (systems.empty() && c->overall.total == 0) {
    s.answer = "no_data";
    s.reasons.push_back(Msg("checklist.r_ledger_empty"));
    return s;
  }
  s.answer = "yes";
  s.reasons.push_back(Msg("checklist.r_systems_in_use",
                          {Num(static_cast<int64_t>(systems.size())), Num(c->overall.total)}));
  return s;
}

Result<Suggestion> Inventory(EvalContext& ctx, const ItemDef&, const std::string& row) {
  MAMORI_ASSIGN_OR_RETURN(const ledger::Completeness* c, ctx.Completeness());
  const ledger::CategoryState& st =
      row == "general" ? c->overall : c->by_category.at(row == "pc" ? "pc" : row);
  std::vector<Text> failed;
  std::vector<Text> met;
  std::vector<EvidenceRef> ev{{"ledger", Msg("checklist.ev_ledger"), "#/ledger"}};
  if (st.total == 0) {
    failed.push_back(Msg("checklist.r_ledger_empty"));
  } else if (st.incomplete > 0) {
    std::vector<std::pair<int, std::string>> fields;
    for (const auto& [f, n] : st.missing) fields.emplace_back(-n, f);
    std::sort(fields.begin(), fields.end());
    std::string parts;  // every field: there are at most ten
    for (const auto& [n, f] : fields)
      parts += (parts.empty() ? "" : "、") + std::string(ledger::MissingFieldJa(f)) + " " + Num(-n);
    failed.push_back(Msg("checklist.r_incomplete", {Num(st.incomplete), Num(st.total), parts}));
    ev.push_back({"ledger", Msg("checklist.ev_incomplete", {Num(st.incomplete)}),
                  "#/ledger/list/incomplete"});
  } else {
    met.push_back(Msg("checklist.r_complete", {Num(st.total)}));
  }
  if (c->pending_discovered > 0) {
    failed.push_back(Msg("checklist.r_discovered", {Num(c->pending_discovered)}));
    ev.push_back({"ledger", Msg("checklist.ev_discovered"), "#/ledger/discovered"});
  }
  if (!ctx.vendor_id) {  // the hospital's form: 経営層への定期報告
    MAMORI_ASSIGN_OR_RETURN(auto reports, ctx.ledger.ListReports(ctx.scope));
    std::string oldest_ok = ledger::DaysBefore(ctx.today, ctx.settings.report_interval_days);
    const ledger::LedgerReportRecord* last = nullptr;
    for (const auto& r : reports)
      if (!last || r.generated_at > last->generated_at) last = &r;
    if (!last) {
      failed.push_back(Msg("checklist.r_no_report"));
    } else {
      std::string day = FormatDateJst(last->generated_at);
      ev.push_back({"report", Msg("checklist.ev_report", {day}),
                    "/api/v1/ledger/reports/" + Num(last->id) + "/pdf"});
      if (day < oldest_ok)
        failed.push_back(
            Msg("checklist.r_report_old", {day, Num(ctx.settings.report_interval_days)}));
      else
        met.push_back(Msg("checklist.r_report_ok", {day}));
    }
  }
  return Answer(std::move(failed), std::move(met), std::move(ev));
}

Result<Suggestion> RemoteMaintenance(EvalContext& ctx, const ItemDef&, const std::string& row) {
  MAMORI_ASSIGN_OR_RETURN(const std::vector<Asset>* assets, ctx.Assets());
  std::string oldest_ok = ledger::DaysBefore(ctx.today, ctx.settings.remote_confirm_days);
  int with_vendor = 0;
  int unknown = 0;
  int unconfirmed = 0;
  int remote_yes = 0;
  for (const auto& a : *assets) {
    if (!a.vendor_id || !AssetInRow(a, row)) continue;
    ++with_vendor;
    if (a.remote_maintenance == "unknown") {
      ++unknown;
    } else if (a.remote_confirmed_on.empty() || a.remote_confirmed_on < oldest_ok) {
      ++unconfirmed;
    }
    if (a.remote_maintenance == "yes") ++remote_yes;
  }
  std::vector<Text> failed;
  std::vector<Text> met;
  std::vector<EvidenceRef> ev{
      {"ledger", Msg("checklist.ev_remote"), "#/ledger/list/remote_attention"}};
  if (with_vendor == 0) failed.push_back(Msg("checklist.r_no_vendor_assets"));
  if (unknown > 0) failed.push_back(Msg("checklist.r_remote_unknown", {Num(unknown)}));
  if (unconfirmed > 0)
    failed.push_back(Msg("checklist.r_remote_unconfirmed",
                         {Num(unconfirmed), Num(ctx.settings.remote_confirm_days)}));
  if (failed.empty())
    met.push_back(Msg("checklist.r_remote_ok", {Num(with_vendor), Num(remote_yes)}));
  return Answer(std::move(failed), std::move(met), std::move(ev));
}

Result<Suggestion> MdsSds(EvalContext& ctx, const ItemDef&, const std::string&) {
  MAMORI_ASSIGN_OR_RETURN(const ledger::Completeness* c, ctx.Completeness());
  std::set<int64_t> no_sds;
  for (const auto& s : c->missing_sds) no_sds.insert(s.id);
  std::vector<std::string> lacking;
  for (const auto& s : c->missing_mds)
    if (no_sds.contains(s.id)) lacking.push_back(s.name);
  std::vector<Text> failed;
  std::vector<Text> met;
  std::vector<EvidenceRef> ev{{"document", Msg("checklist.ev_mds"), "#/ledger/status"}};
  if (c->vendor_systems == 0) failed.push_back(Msg("checklist.r_no_vendor_systems"));
  if (!lacking.empty())
    failed.push_back(Msg("checklist.r_mds_missing", {Num(static_cast<int64_t>(lacking.size())),
                                                     Num(c->vendor_systems), NameList(lacking)}));
  if (failed.empty()) met.push_back(Msg("checklist.r_mds_ok", {Num(c->vendor_systems)}));
  return Answer(std::move(failed), std::move(met), std::move(ev));
}

// 1-(1) and the vendor form's 1-①: an active appointment of `role` with its approval on record.
Result<Suggestion> Appointed(EvalContext& ctx, const std::string& role) {
  MAMORI_ASSIGN_OR_RETURN(auto roles, ctx.records.ListRoles(ctx.scope));
  std::vector<EvidenceRef> ev{{"role", Msg("checklist.ev_roles"), "#/checklist/org"}};
  const resilience::OrgRole* found = nullptr;
  for (const auto& r : roles) {
    if (r.role != role || !r.ActiveOn(ctx.today)) continue;
    if (role == "vendor_manager" && r.vendor_id != ctx.vendor_id) continue;
    if (!found || (found->approval.empty() && !found->approval_file_id)) found = &r;
  }
  std::string label = "@role." + role;
  if (!found) return Answer({Msg("checklist.r_no_role", {label})}, {}, std::move(ev));
  if (found->approval_file_id)
    ev.push_back(
        {"file", Msg("checklist.ev_approval"), "/api/v1/files/" + Num(*found->approval_file_id)});
  std::vector<Text> failed;
  if (found->appointed_on.empty())
    failed.push_back(Msg("checklist.r_role_no_date", {label, found->person}));
  // The vendor's own manager needs no 経営会議; the hospital's officer is approved by management.
  if (role == "security_officer" && found->approval.empty() && !found->approval_file_id)
    failed.push_back(Msg("checklist.r_role_no_approval", {label, found->person}));
  return Answer(std::move(failed),
                {Msg("checklist.r_role_ok", {label, found->person, found->appointed_on,
                                             found->approval.empty() ? "-" : found->approval})},
                std::move(ev));
}

Result<Suggestion> SecurityOfficer(EvalContext& ctx, const ItemDef&, const std::string&) {
  return Appointed(ctx, "security_officer");
}

Result<Suggestion> VendorManager(EvalContext& ctx, const ItemDef&, const std::string&) {
  return Appointed(ctx, "vendor_manager");
}

Result<Suggestion> Contacts(EvalContext& ctx, const ItemDef&, const std::string&) {
  MAMORI_ASSIGN_OR_RETURN(auto contacts, ctx.records.ListContacts(ctx.scope));
  MAMORI_ASSIGN_OR_RETURN(auto systems, ctx.ledger.ListSystems(ctx.scope));
  MAMORI_ASSIGN_OR_RETURN(auto vendors, ctx.ledger.ListVendors(ctx.scope));
  auto has = [&](const std::string& cat) {
    return std::any_of(contacts.begin(), contacts.end(),
                       [&](const resilience::Contact& c) { return c.category == cat; });
  };
  std::vector<Text> failed;
  for (const char* cat : {"internal", "mhlw", "police", "mhlw_desk"})
    if (!has(cat))
      failed.push_back(Msg("checklist.r_contact_missing", {std::string("@contact.") + cat}));
  if (!has("prefecture") && !has("health_center"))
    failed.push_back(Msg("checklist.r_contact_missing", {"@contact.prefecture"}));
  // Each vendor that provides a system needs its own entry.
  std::set<int64_t> listed;
  for (const auto& c : contacts)
    if (c.category == "vendor" && c.vendor_id) listed.insert(*c.vendor_id);
  std::vector<std::string> unlisted;
  std::set<int64_t> seen;
  for (const auto& s : systems) {
    if (!s.vendor_id || listed.contains(*s.vendor_id) || !seen.insert(*s.vendor_id).second)
      continue;
    for (const auto& v : vendors)
      if (v.id == *s.vendor_id && v.contract_state == "active") unlisted.push_back(v.name);
  }
  if (!unlisted.empty())
    failed.push_back(Msg("checklist.r_contact_vendors",
                         {Num(static_cast<int64_t>(unlisted.size())), NameList(unlisted)}));
  return Answer(
      std::move(failed),
      {Msg("checklist.r_contacts_ok", {Num(static_cast<int64_t>(contacts.size()))})},
      {{"contacts", Msg("checklist.ev_contacts"), "#/checklist/org"},
       {"contacts", Msg("checklist.ev_contact_chart"), "/api/v1/org/contacts/chart.pdf"}});
}

Result<Suggestion> VendorContact(EvalContext& ctx, const ItemDef&, const std::string&) {
  MAMORI_ASSIGN_OR_RETURN(auto contacts, ctx.records.ListContacts(ctx.scope));
  bool listed = std::any_of(contacts.begin(), contacts.end(), [&](const resilience::Contact& c) {
    return c.category == "vendor" && c.vendor_id == ctx.vendor_id;
  });
  return Answer(
      listed ? std::vector<Text>{} : std::vector<Text>{Msg("checklist.r_vendor_no_contact")},
      {Msg("checklist.r_vendor_contact_ok")},
      {{"contacts", Msg("checklist.ev_contacts"), "#/checklist/org"}});
}

Result<Suggestion> Bcp(EvalContext& ctx, const ItemDef&, const std::string&) {
  MAMORI_ASSIGN_OR_RETURN(auto docs, ctx.records.ListBcp(ctx.scope));
  MAMORI_ASSIGN_OR_RETURN(auto drills, ctx.records.ListDrills(ctx.scope));
  std::vector<Text> failed;
  std::vector<Text> met;
  std::vector<EvidenceRef> ev{{"bcp", Msg("checklist.ev_bcp"), "#/checklist/org"}};
  const resilience::BcpDocument* bcp = nullptr;
  auto last_review = [](const resilience::BcpDocument& b) {
    return std::max(b.reviewed_on, b.approved_on);
  };
  for (const auto& b : docs)
    if (b.cyber && !b.approved_on.empty() && (!bcp || last_review(b) > last_review(*bcp))) bcp = &b;
  if (!bcp) {
    failed.push_back(Msg("checklist.r_no_bcp"));
  } else {
    if (bcp->file_id)
      ev.push_back({"file", Msg("checklist.ev_bcp_file", {bcp->title}),
                    "/api/v1/files/" + Num(*bcp->file_id)});
    std::string oldest_ok = ledger::DaysBefore(ctx.today, ctx.settings.bcp_review_days);
    if (last_review(*bcp) < oldest_ok)
      failed.push_back(Msg("checklist.r_bcp_old",
                           {bcp->title, last_review(*bcp), Num(ctx.settings.bcp_review_days)}));
    else
      met.push_back(Msg("checklist.r_bcp_ok", {bcp->title, bcp->version, last_review(*bcp)}));
  }
  std::string drills_ok = ledger::DaysBefore(ctx.today, ctx.settings.drill_interval_days);
  const resilience::Drill* last = nullptr;
  for (const auto& d : drills)
    if (!last || d.held_on > last->held_on) last = &d;
  if (!last) {
    failed.push_back(Msg("checklist.r_no_drill"));
  } else if (last->held_on < drills_ok) {
    failed.push_back(
        Msg("checklist.r_drill_old", {last->held_on, Num(ctx.settings.drill_interval_days)}));
  } else {
    met.push_back(Msg("checklist.r_drill_ok", {last->held_on, last->scenario}));
  }
  return Answer(std::move(failed), std::move(met), std::move(ev));
}

}  // namespace

std::string NameList(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size() && i < 5; ++i) out += (i ? "、" : "") + names[i];
  if (names.size() > 5) out += " …(+" + Num(static_cast<int64_t>(names.size() - 5)) + ")";
  return out;
}

bool AssetInRow(const ledger::Asset& a, const std::string& row) {
  if (row == "server" || row == "pc" || row == "network") return a.category == row;
  return true;
}

Suggestion Answer(std::vector<Text> failed, std::vector<Text> met, std::vector<EvidenceRef> ev) {
  Suggestion s;
  s.answer = failed.empty() ? "yes" : "no";
  s.reasons = failed.empty() ? std::move(met) : std::move(failed);
  s.evidence = std::move(ev);
  return s;
}

void RegisterBuiltinEvaluators(Registry& r) {
  r.Register("ledger.systems_in_use", SystemsInUse);
  r.Register("ledger.inventory", Inventory);
  r.Register("ledger.remote_maintenance", RemoteMaintenance);
  r.Register("ledger.mds_sds", MdsSds);
  r.Register("org.security_officer", SecurityOfficer);
  r.Register("org.vendor_manager", VendorManager);
  r.Register("org.contacts", Contacts);
  r.Register("org.vendor_contact", VendorContact);
  r.Register("org.bcp", Bcp);
}

}  // namespace mamori::checklist
