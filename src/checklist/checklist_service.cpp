#include "checklist/checklist_service.hpp"

#include <algorithm>
#include <charconv>
#include <map>

#include "checklist/checklist_repository.hpp"
#include "core/crypto.hpp"
#include "ledger/completeness.hpp"
#include "store/settings.hpp"

namespace mamori::checklist {

namespace {

Error Bad(const char* key, std::vector<std::string> args, const char* field) {
  return MakeError(ErrorCode::kInvalidArgument, key, std::move(args), field);
}

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// The entity id of one answer cell in the audit trail.
std::string CellId(const AnswerRecord& a) {
  return a.year + "/" + a.form + "/" + std::to_string(a.vendor_id) + "/" + a.item_id + "/" + a.row +
         "/" + std::to_string(a.round);
}

}  // namespace

Json AnswerRecord::ToJson() const {
  return Json{{"year", year},
              {"form", form},
              {"vendor_id", vendor_id},
              {"item_id", item_id},
              {"row", row},
              {"round", round},
              {"answer", answer},
              {"checked_on", checked_on},
              {"target_on", target_on},
              {"note", note},
              {"suggested", suggested},
              {"answered_by", answered_by},
              {"answered_at", answered_at}};
}

Json EvidenceItem::ToJson() const {
  return Json{{"id", id},
              {"item_id", item_id},
              {"kind", kind},
              {"file_id", file_id ? Json(*file_id) : Json()},
              {"link", link},
              {"label", label},
              {"added_by", added_by},
              {"added_at", added_at}};
}

Json Disagreement::ToJson() const {
  return Json{{"item_id", item_id},
              {"row", row},
              {"vendor_id", vendor_id},
              {"vendor_name", vendor_name},
              {"hospital_answer", hospital_answer},
              {"vendor_answer", vendor_answer}};
}

Json Assessment::ToJson(Lang lang) const {
  Json items = Json::array();
  for (const auto& r : rows) {
    Json j = r.suggestion.ToJson(lang);
    j["id"] = r.item->id;
    j["number"] = r.item->number;
    j["row"] = r.row;
    j["row_label"] = RowLabelJa(r.row);
    j["text"] = r.item->text;
    j["verified"] = r.item->Verified();
    j["section"] = r.item->section;
    j["guidance"] = r.item->guidance;
    j["evidence_expected"] = r.item->evidence_expected;
    j["confidence_note"] = r.item->confidence_note;
    j["reference"] = r.reference;
    j["first"] = r.first ? r.first->ToJson() : Json();
    j["second"] = r.second ? r.second->ToJson() : Json();
    const AnswerRecord* cur = r.Current();
    j["answer"] = cur ? Json(cur->answer) : Json();
    items.push_back(std::move(j));
  }
  Json ev = Json::array();
  for (const auto& e : evidence) ev.push_back(e.ToJson());
  Json dis = Json::array();
  for (const auto& d : disagreements) dis.push_back(d.ToJson());
  const Summary& s = summary;
  return Json{{"year", form.year},
              {"form", form.form},
              {"title", form.title},
              {"fiscal_year", form.fiscal_year},
              {"carried_from", form.carried_from},
              {"vendor_id", vendor_id},
              {"vendor_name", vendor_name},
              {"today", today},
              {"items", items},
              {"evidence", ev},
              {"disagreements", dis},
              {"summary",
               {{"rows", s.rows},
                {"answered", s.answered},
                {"yes", s.yes},
                {"no", s.no},
                {"unknown", s.unknown},
                {"not_applicable", s.not_applicable},
                {"target_soon", s.target_soon},
                {"target_overdue", s.target_overdue},
                {"suggested_yes", s.suggested_yes},
                {"suggested_no", s.suggested_no},
                {"no_data", s.no_data},
                {"differs", s.differs}}}};
}

Result<std::vector<FormDef>> ChecklistService::Forms(const ledger::Scope& scope) {
  std::vector<FormDef> out = BundledForms();
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, scope.actor));
  MAMORI_ASSIGN_OR_RETURN(auto imported, repo::ImportedForms(tx, scope.actor.org_id));
  for (const auto& j : imported) {
    MAMORI_ASSIGN_OR_RETURN(auto f, FormDef::FromJson(j, "checklist_forms"));
    auto it = std::find_if(out.begin(), out.end(),
                           [&](const FormDef& b) { return b.year == f.year && b.form == f.form; });
    if (it != out.end())
      *it = std::move(f);
    else
      out.push_back(std::move(f));
  }
  return out;
}

Result<OfficialImport> ChecklistService::ImportOfficial(const ledger::Scope& scope,
                                                        std::string_view bytes,
                                                        const OfficialImportOptions& opt,
                                                        bool dry_run) {
  if (scope.vendor_id) return MakeError(ErrorCode::kPermissionDenied, "auth.forbidden");
  MAMORI_ASSIGN_OR_RETURN(auto imported, ReadOfficialWorkbook(bytes, opt, BundledForms()));
  // The stored form must read back through the same checks as a definition file.
  Json def = imported.form.ToJson();
  MAMORI_RETURN_IF_ERROR(FormDef::FromJson(def, opt.file_name));
  if (dry_run) return imported;
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, scope.actor));
  MAMORI_RETURN_IF_ERROR(repo::UpsertImportedForm(tx, scope.actor.org_id, imported.form.year,
                                                  imported.form.form, def.dump(), opt.file_name,
                                                  Sha256Hex(bytes)));
  MAMORI_RETURN_IF_ERROR(tx.Audit({"checklist.form_import", "checklist_form", imported.form.Key(),
                                   nullptr, imported.ToJson()}));
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  return imported;
}

Result<FormDef> ChecklistService::Form(const ledger::Scope& scope, const std::string& year,
                                       const std::string& form) {
  auto y = NormaliseYear(year);
  if (!y) return Bad("checklist.bad_year", {year}, "year");
  MAMORI_ASSIGN_OR_RETURN(auto all, Forms(scope));
  for (auto& f : all)
    if (f.year == *y && f.form == form) return std::move(f);
  return MakeError(ErrorCode::kNotFound, "checklist.no_form", {*y, form}, "year");
}

Result<EvalSettings> ChecklistService::Settings(const ledger::Scope& scope) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, scope.actor));
  MAMORI_ASSIGN_OR_RETURN(auto kv, store::OrgSettings(tx, scope.actor.org_id, "checklist."));
  EvalSettings s;
  auto read = [&](const char* key, int& field) {
    auto it = kv.find(std::string("checklist.") + key);
    if (it == kv.end()) return;
    int v = 0;
    const std::string& text = it->second;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec == std::errc() && p == text.data() + text.size() && v > 0 && v <= 3650) field = v;
  };
  read("report_interval_days", s.report_interval_days);
  read("remote_confirm_days", s.remote_confirm_days);
  read("bcp_review_days", s.bcp_review_days);
  read("drill_interval_days", s.drill_interval_days);
  read("log_review_days", s.log_review_days);
  read("log_verify_days", s.log_verify_days);
  return s;
}

Result<EvalSettings> ChecklistService::UpdateSettings(const ledger::Scope& scope, JsonBody& body) {
  if (scope.vendor_id) return MakeError(ErrorCode::kPermissionDenied, "auth.forbidden");
  MAMORI_ASSIGN_OR_RETURN(EvalSettings before, Settings(scope));
  EvalSettings after = before;
  std::map<std::string, int*> fields = {{"report_interval_days", &after.report_interval_days},
                                        {"remote_confirm_days", &after.remote_confirm_days},
                                        {"bcp_review_days", &after.bcp_review_days},
                                        {"drill_interval_days", &after.drill_interval_days},
                                        {"log_review_days", &after.log_review_days},
                                        {"log_verify_days", &after.log_verify_days}};
  for (auto& [key, field] : fields) {
    auto v = body.Int(key, false);
    if (!v) continue;
    if (*v < 1 || *v > 3650)
      return Bad("checklist.bad_interval", {std::to_string(*v)}, key.c_str());
    *field = static_cast<int>(*v);
  }
  MAMORI_RETURN_IF_ERROR(body.Finish());
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, scope.actor));
  for (const auto& [key, field] : fields)
    MAMORI_RETURN_IF_ERROR(
        store::PutOrgSetting(tx, scope.actor.org_id, "checklist." + key, std::to_string(*field)));
  MAMORI_RETURN_IF_ERROR(
      tx.Audit({"checklist.settings", "settings", "checklist", before.ToJson(), after.ToJson()}));
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  return after;
}

Result<int64_t> ChecklistService::VendorOf(const ledger::Scope& scope, const AssessQuery& q) {
  if (q.form == "hospital") {
    if (scope.vendor_id) return MakeError(ErrorCode::kPermissionDenied, "auth.forbidden");
    return int64_t{0};
  }
  if (q.form != "vendor") return Bad("checklist.bad_form", {q.form}, "form");
  if (scope.vendor_id) {
    if (q.vendor_id && *q.vendor_id != *scope.vendor_id)
      return MakeError(ErrorCode::kPermissionDenied, "auth.forbidden");
    return *scope.vendor_id;
  }
  if (!q.vendor_id) return Bad("json.missing_field", {"vendor_id"}, "vendor_id");
  MAMORI_ASSIGN_OR_RETURN(auto vendors, ledger_.ListVendors(scope));
  for (const auto& v : vendors)
    if (v.id == *q.vendor_id) return v.id;
  return MakeError(ErrorCode::kNotFound, "common.not_found",
                   {"vendor", std::to_string(*q.vendor_id)}, "vendor_id");
}

Result<Assessment> ChecklistService::Assess(const ledger::Scope& scope, AssessQuery q,
                                            const std::string& today) {
  if (q.year.empty()) q.year = FiscalYearOf(today);
  MAMORI_ASSIGN_OR_RETURN(int64_t vendor_id, VendorOf(scope, q));
  MAMORI_ASSIGN_OR_RETURN(FormDef form, Form(scope, q.year, q.form));
  MAMORI_ASSIGN_OR_RETURN(EvalSettings settings, Settings(scope));
  MAMORI_ASSIGN_OR_RETURN(auto vendors, ledger_.ListVendors(scope));
  auto vendor_name = [&](int64_t id) {
    for (const auto& v : vendors)
      if (v.id == id) return v.name;
    return std::string();
  };

  Assessment out;
  out.form = std::move(form);
  out.vendor_id = vendor_id;
  out.vendor_name = vendor_name(vendor_id);
  out.today = today;
  std::vector<AnswerRecord> answers;
  std::vector<AnswerRecord> others;  // the other side's answers, for disagreements
  {
    MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, scope.actor));
    MAMORI_ASSIGN_OR_RETURN(
        answers, repo::Answers(tx, scope.actor.org_id, out.form.year, out.form.form, vendor_id));
    MAMORI_ASSIGN_OR_RETURN(out.evidence, repo::Evidence(tx, scope.actor.org_id, out.form.year,
                                                         out.form.form, vendor_id));
    if (!scope.vendor_id) {
      bool hospital = out.form.form == "hospital";
      MAMORI_ASSIGN_OR_RETURN(
          others,
          repo::Answers(tx, scope.actor.org_id, out.form.year, hospital ? "vendor" : "hospital",
                        hospital ? std::nullopt : std::optional<int64_t>(0)));
    }
  }
  auto find = [](const std::vector<AnswerRecord>& v, const std::string& item,
                 const std::string& row, int64_t round, int64_t vendor) -> const AnswerRecord* {
    for (const auto& a : v)
      if (a.item_id == item && a.row == row && a.round == round && a.vendor_id == vendor) return &a;
    return nullptr;
  };

  ledger::Scope eval_scope = scope;
  if (vendor_id != 0) eval_scope.vendor_id = vendor_id;
  EvalContext ctx{ledger_,    records_,
                  eval_scope, vendor_id != 0 ? std::optional<int64_t>(vendor_id) : std::nullopt,
                  out.form,   today,
                  settings};

  // The gate item: its human answer (or, unanswered, the suggestion) decides whether the rest
  // applies. Vendor contracts decide the items that require one.
  bool gate_no = false;
  bool has_contract = std::any_of(vendors.begin(), vendors.end(), [](const ledger::Vendor& v) {
    return v.contract_state == "active";
  });
  for (const auto& item : out.form.items) {
    for (const auto& row : item.rows) {
      RowState st;
      st.item = &item;
      st.row = row;
      st.reference = Contains(item.reference_rows, row);
      if (const auto* a = find(answers, item.id, row, 1, vendor_id)) st.first = *a;
      if (const auto* a = find(answers, item.id, row, 2, vendor_id)) st.second = *a;
      if (!item.gate && gate_no) {
        st.suggestion = {"not_applicable", {Msg("checklist.r_gate_no")}, {}};
      } else if (item.requires_cond == "vendor_contract" && vendor_id == 0 && !has_contract) {
        st.suggestion = {"not_applicable", {Msg("checklist.r_no_vendor_contract")}, {}};
      } else {
        MAMORI_ASSIGN_OR_RETURN(st.suggestion, Evaluate(registry_, ctx, item, row));
      }
      if (item.gate) {
        const AnswerRecord* cur = st.Current();
        gate_no = cur ? cur->answer == "no" || cur->answer == "not_applicable"
                      : st.suggestion.answer == "no";
      }
      // Disagreements: the hospital's current answer against each vendor's, or the reverse.
      if (const AnswerRecord* cur = st.Current();
          cur && (cur->answer == "yes" || cur->answer == "no")) {
        for (const auto& o : others) {
          if (o.item_id != item.id || o.row != row) continue;
          const AnswerRecord* latest = find(others, item.id, row, 2, o.vendor_id);
          if (!latest) latest = find(others, item.id, row, 1, o.vendor_id);
          if (latest != &o || (o.answer != "yes" && o.answer != "no") || o.answer == cur->answer)
            continue;
          Disagreement d;
          d.item_id = item.id;
          d.row = row;
          d.vendor_id = vendor_id != 0 ? vendor_id : o.vendor_id;
          d.vendor_name = vendor_name(d.vendor_id);
          d.hospital_answer = vendor_id != 0 ? o.answer : cur->answer;
          d.vendor_answer = vendor_id != 0 ? cur->answer : o.answer;
          out.disagreements.push_back(std::move(d));
        }
      }
      out.rows.push_back(std::move(st));
    }
  }

  auto& s = out.summary;
  std::string soon = ledger::DaysBefore(today, -30);
  for (const auto& st : out.rows) {
    ++s.rows;
    const std::string& sug = st.suggestion.answer;
    s.suggested_yes += sug == "yes";
    s.suggested_no += sug == "no";
    s.no_data += sug == "no_data";
    const AnswerRecord* cur = st.Current();
    if (!cur) continue;
    ++s.answered;
    s.yes += cur->answer == "yes";
    s.no += cur->answer == "no";
    s.unknown += cur->answer == "unknown";
    s.not_applicable += cur->answer == "not_applicable";
    if (cur->answer == "no" && !cur->target_on.empty()) {
      if (cur->target_on < today)
        ++s.target_overdue;
      else if (cur->target_on <= soon)
        ++s.target_soon;
    }
    if ((sug == "yes" || sug == "no") && (cur->answer == "yes" || cur->answer == "no") &&
        sug != cur->answer)
      ++s.differs;
  }
  return out;
}

Result<AnswerRecord> ChecklistService::SetAnswer(const ledger::Scope& scope, AnswerRecord a,
                                                 const std::string& today) {
  auto y = NormaliseYear(a.year.empty() ? FiscalYearOf(today) : a.year);
  if (!y) return Bad("checklist.bad_year", {a.year}, "year");
  a.year = *y;
  AssessQuery q{a.year, a.form,
                a.vendor_id != 0 ? std::optional<int64_t>(a.vendor_id) : std::nullopt};
  MAMORI_ASSIGN_OR_RETURN(a.vendor_id, VendorOf(scope, q));
  MAMORI_ASSIGN_OR_RETURN(FormDef form, Form(scope, a.year, a.form));
  const ItemDef* item = form.Find(a.item_id);
  if (!item) return Bad("checklist.no_item", {a.item_id, form.title}, "item");
  if (!Contains(item->rows, a.row))
    return Bad("checklist.bad_row", {a.row, a.item_id, RowLabelJa(item->rows.front())}, "row");
  if (a.round != 1 && a.round != 2)
    return Bad("checklist.bad_round", {std::to_string(a.round)}, "round");
  if (std::none_of(std::begin(kAnswers), std::end(kAnswers),
                   [&](const char* x) { return a.answer == x; }))
    return Bad("checklist.bad_answer", {a.answer}, "answer");
  if (!a.checked_on.empty()) {
    auto d = ParseCalendarDate(a.checked_on);
    if (!d) return Bad("ledger.bad_date", {a.checked_on}, "checked_on");
    a.checked_on = *d;
    if (a.checked_on > today) return Bad("checklist.future_date", {a.checked_on}, "checked_on");
  }
  if ((a.answer == "yes" || a.answer == "no") && a.checked_on.empty())
    return Bad("checklist.need_checked_on", {}, "checked_on");
  if (!a.target_on.empty()) {
    auto d = ParseCalendarDate(a.target_on);
    if (!d) return Bad("ledger.bad_date", {a.target_on}, "target_on");
    a.target_on = *d;
  }
  if (a.answer == "no") {
    if (a.target_on.empty()) return Bad("checklist.need_target", {}, "target_on");
    if (a.target_on < form.FiscalStart() || a.target_on > form.FiscalEnd())
      return Bad("checklist.target_outside_year",
                 {a.target_on, form.FiscalStart(), form.FiscalEnd()}, "target_on");
  } else {
    a.target_on.clear();
  }

  // The suggestion at the time of answering is kept with the answer.
  MAMORI_ASSIGN_OR_RETURN(EvalSettings settings, Settings(scope));
  ledger::Scope eval_scope = scope;
  if (a.vendor_id != 0) eval_scope.vendor_id = a.vendor_id;
  EvalContext ctx{ledger_,    records_,
                  eval_scope, a.vendor_id != 0 ? std::optional<int64_t>(a.vendor_id) : std::nullopt,
                  form,       today,
                  settings};
  MAMORI_ASSIGN_OR_RETURN(auto sug, Evaluate(registry_, ctx, *item, a.row));
  a.suggested = sug.answer;
  a.answered_by = scope.actor.username;

  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, scope.actor));
  if (a.round == 2) {
    AnswerRecord first = a;
    first.round = 1;
    MAMORI_ASSIGN_OR_RETURN(auto f, repo::FindAnswer(tx, scope.actor.org_id, first));
    if (!f) return Bad("checklist.second_before_first", {}, "round");
  }
  MAMORI_ASSIGN_OR_RETURN(auto before, repo::FindAnswer(tx, scope.actor.org_id, a));
  a.answered_at = tx.now();
  MAMORI_RETURN_IF_ERROR(repo::UpsertAnswer(tx, scope.actor.org_id, a, before.has_value()));
  MAMORI_RETURN_IF_ERROR(tx.Audit({"checklist.answer", "checklist_answer", CellId(a),
                                   before ? before->ToJson() : Json(), a.ToJson()}));
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  return a;
}

Result<std::vector<Json>> ChecklistService::History(const ledger::Scope& scope,
                                                    const AssessQuery& q,
                                                    const std::string& item_id) {
  MAMORI_ASSIGN_OR_RETURN(int64_t vendor_id, VendorOf(scope, q));
  auto y = NormaliseYear(q.year);
  if (!y) return Bad("checklist.bad_year", {q.year}, "year");
  MAMORI_ASSIGN_OR_RETURN(FormDef form, Form(scope, *y, q.form));
  const ItemDef* item = form.Find(item_id);
  if (!item) return Bad("checklist.no_item", {item_id, form.title}, "item");
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, scope.actor));
  std::vector<Json> out;
  for (const auto& row : item->rows)
    for (int64_t round : {1, 2}) {
      AnswerRecord key;
      key.year = form.year;
      key.form = form.form;
      key.vendor_id = vendor_id;
      key.item_id = item_id;
      key.row = row;
      key.round = round;
      MAMORI_ASSIGN_OR_RETURN(
          auto recs, repo::AuditOf(tx, scope.actor.org_id, "checklist_answer", CellId(key)));
      for (auto& r : recs) out.push_back(std::move(r));
    }
  std::sort(out.begin(), out.end(), [](const Json& a, const Json& b) {
    return a["at"].get<int64_t>() < b["at"].get<int64_t>();
  });
  return out;
}

Json ShareLink::ToJson() const {
  Json j{{"id", id},
         {"prefix", prefix},
         {"year", year},
         {"note", note},
         {"created_by", created_by},
         {"created_at", created_at},
         {"expires_at", expires_at},
         {"revoked", revoked},
         {"last_used_at", last_used_at ? Json(*last_used_at) : Json()}};
  if (!token.empty()) j["token"] = token;
  return j;
}

Result<ShareLink> ChecklistService::CreateShareLink(const ledger::Scope& scope,
                                                    const std::string& year, int64_t days,
                                                    const std::string& note) {
  if (scope.vendor_id) return MakeError(ErrorCode::kPermissionDenied, "auth.forbidden");
  if (days < 1 || days > 30) return Bad("checklist.bad_share_days", {std::to_string(days)}, "days");
  auto y = NormaliseYear(year);
  if (!y) return Bad("checklist.bad_year", {year}, "year");
  ShareLink l;
  l.token = RandomToken(32);
  l.prefix = l.token.substr(0, 8);
  l.year = *y;
  l.note = note;
  l.created_by = scope.actor.username;
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, scope.actor));
  l.created_at = tx.now();
  l.expires_at = tx.now() + days * 86'400'000;
  MAMORI_ASSIGN_OR_RETURN(l.id,
                          repo::InsertShareLink(tx, scope.actor.org_id, l, Sha256Hex(l.token)));
  ShareLink logged = l;
  logged.token.clear();  // the audit trail never holds the secret
  MAMORI_RETURN_IF_ERROR(tx.Audit({"checklist.share_create", "checklist_share_link",
                                   std::to_string(l.id), nullptr, logged.ToJson()}));
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  return l;
}

Result<std::vector<ShareLink>> ChecklistService::ListShareLinks(const ledger::Scope& scope) {
  if (scope.vendor_id) return std::vector<ShareLink>();
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, scope.actor));
  return repo::ShareLinks(tx, scope.actor.org_id);
}

Status ChecklistService::RevokeShareLink(const ledger::Scope& scope, int64_t id) {
  if (scope.vendor_id) return MakeError(ErrorCode::kPermissionDenied, "auth.forbidden");
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, scope.actor));
  MAMORI_RETURN_IF_ERROR(repo::RevokeShareLink(tx, scope.actor.org_id, id));
  MAMORI_RETURN_IF_ERROR(tx.Audit({"checklist.share_revoke", "checklist_share_link",
                                   std::to_string(id), nullptr, Json{{"revoked", true}}}));
  return tx.Commit();
}

Result<ShareGrant> ChecklistService::ResolveShareLink(const std::string& token,
                                                      const std::string& ip) {
  auto denied = MakeError(ErrorCode::kUnauthenticated, "checklist.share_invalid");
  if (token.size() < 16 || token.size() > 128) return denied;
  MAMORI_ASSIGN_OR_RETURN(auto tx,
                          store::Tx::Begin(db_, store::Actor{0, std::nullopt, "share", ip}));
  MAMORI_ASSIGN_OR_RETURN(auto found, repo::ShareLinkByHash(tx, Sha256Hex(token)));
  if (!found || found->first.revoked || found->first.expires_at <= tx.now()) return denied;
  MAMORI_RETURN_IF_ERROR(repo::TouchShareLink(tx, found->first.id, tx.now()));
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  return ShareGrant{found->second, found->first.year, found->first.id};
}

Result<std::set<int64_t>> ChecklistService::EvidenceFileIds(const ledger::Scope& scope,
                                                            const std::string& year) {
  std::set<int64_t> ids;
  {
    MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, scope.actor));
    MAMORI_ASSIGN_OR_RETURN(auto attached, repo::EvidenceFileIds(tx, scope.actor.org_id, year));
    ids.insert(attached.begin(), attached.end());
  }
  MAMORI_ASSIGN_OR_RETURN(auto roles, records_.ListRoles(scope));
  for (const auto& r : roles)
    if (r.approval_file_id) ids.insert(*r.approval_file_id);
  MAMORI_ASSIGN_OR_RETURN(auto bcp, records_.ListBcp(scope));
  for (const auto& b : bcp)
    if (b.file_id) ids.insert(*b.file_id);
  MAMORI_ASSIGN_OR_RETURN(auto drills, records_.ListDrills(scope));
  for (const auto& d : drills)
    if (d.file_id) ids.insert(*d.file_id);
  return ids;
}

Result<EvidenceItem> ChecklistService::AddEvidence(const ledger::Scope& scope, const AssessQuery& q,
                                                   EvidenceItem e) {
  MAMORI_ASSIGN_OR_RETURN(int64_t vendor_id, VendorOf(scope, q));
  auto y = NormaliseYear(q.year);
  if (!y) return Bad("checklist.bad_year", {q.year}, "year");
  MAMORI_ASSIGN_OR_RETURN(FormDef form, Form(scope, *y, q.form));
  if (!form.Find(e.item_id)) return Bad("checklist.no_item", {e.item_id, form.title}, "item");
  if (e.kind == "file") {
    if (!e.file_id) return Bad("json.missing_field", {"file_id"}, "file_id");
    MAMORI_RETURN_IF_ERROR(records_.GetFile(scope, *e.file_id));
  } else if (e.kind == "link") {
    if (e.link.empty()) return Bad("json.missing_field", {"link"}, "link");
  } else {
    return Bad("checklist.bad_evidence_kind", {e.kind}, "kind");
  }
  if (e.label.empty()) return Bad("json.missing_field", {"label"}, "label");
  e.added_by = scope.actor.username;
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, scope.actor));
  MAMORI_ASSIGN_OR_RETURN(
      e.id, repo::InsertEvidence(tx, scope.actor.org_id, form.year, form.form, vendor_id, e));
  e.added_at = tx.now();
  MAMORI_RETURN_IF_ERROR(tx.Audit(
      {"checklist.evidence_add", "checklist_evidence", std::to_string(e.id), nullptr, e.ToJson()}));
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  return e;
}

}  // namespace mamori::checklist
