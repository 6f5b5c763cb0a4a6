// `mamori checklist …` (forms, evaluate, answer, history, export) and `mamori org …` (roles,
// contacts, BCP, drills): the same capability APIs the server uses.
#include "cli/checklist_cmd.hpp"

#include <filesystem>
#include <fstream>
#include <map>

#include "auth/auth_service.hpp"
#include "checklist/checklist_export.hpp"
#include "checklist/checklist_service.hpp"
#include "cli/cli_common.hpp"
#include "ledger/ledger_service.hpp"
#include "logs/logs_evaluators.hpp"
#include "resilience/contact_documents.hpp"
#include "resilience/resilience_service.hpp"
#include "vuln/vuln_evaluators.hpp"

namespace mamori::cli {

namespace {

// The services of one command, over the CLI's organisation.
struct Services {
  OrgDb opened;
  std::unique_ptr<ledger::LedgerService> ledger;
  std::unique_ptr<resilience::ResilienceService> records;
  std::unique_ptr<vuln::VulnService> vuln;
  std::unique_ptr<logs::LogsService> logs;
  std::unique_ptr<logs::LogSourcesService> log_sources;
  std::unique_ptr<logs::ReviewService> log_reviews;
  checklist::Registry registry;
  std::unique_ptr<checklist::ChecklistService> checklist;
  ledger::Scope scope;
};

Result<std::unique_ptr<Services>> Open(const Globals& g) {
  MAMORI_ASSIGN_OR_RETURN(auto opened, OpenOrgDb(g));
  auto s = std::make_unique<Services>();
  s->opened = std::move(opened);
  s->ledger = std::make_unique<ledger::LedgerService>(*s->opened.db);
  s->records = std::make_unique<resilience::ResilienceService>(*s->opened.db);
  s->vuln = std::make_unique<vuln::VulnService>(*s->opened.db, *s->ledger);
  checklist::RegisterBuiltinEvaluators(s->registry);
  vuln::RegisterEvaluators(s->registry, *s->vuln);
  s->logs = std::make_unique<logs::LogsService>(LogDirFor(g, ""), SystemClock());
  s->log_sources = std::make_unique<logs::LogSourcesService>(*s->opened.db);
  s->log_reviews = std::make_unique<logs::ReviewService>(*s->opened.db, *s->records);
  logs::LogsService* store = s->logs.get();
  logs::RegisterEvaluators(s->registry,
                           {[store](int64_t) { return store; }, *s->log_sources, *s->log_reviews});
  s->checklist = std::make_unique<checklist::ChecklistService>(*s->opened.db, *s->ledger,
                                                               *s->records, s->registry);
  s->scope = ledger::Scope{CliActor(s->opened.org), std::nullopt};
  return s;
}

std::string Today() {
  return FormatDateJst(SystemClock().Now());
}

// A vendor named by id or by name.
Result<std::optional<int64_t>> VendorArg(Services& s, const std::string& arg) {
  if (arg.empty()) return std::optional<int64_t>();
  MAMORI_ASSIGN_OR_RETURN(auto vendors, s.ledger->ListVendors(s.scope));
  for (const auto& v : vendors)
    if (v.name == arg || std::to_string(v.id) == arg) return std::optional<int64_t>(v.id);
  return MakeError(ErrorCode::kNotFound, "common.not_found", {"vendor", arg}, "--vendor");
}

// An evidence file stored from a path; nullopt when no path was given.
Result<std::optional<int64_t>> FileArg(Services& s, const std::string& path) {
  if (path.empty()) return std::optional<int64_t>();
  MAMORI_ASSIGN_OR_RETURN(auto bytes, ReadFileBytes(path));
  MAMORI_ASSIGN_OR_RETURN(
      auto f,
      s.records->PutFile(s.scope, std::filesystem::path(path).filename().string(), "", bytes));
  return std::optional<int64_t>(f.id);
}

// An answer in the output's language (the UI's words): "" for no answer. Row classes: RowLabel.
std::string AnswerLabel(Lang lang, const std::string& a) {
  const char* key = a == "yes"              ? "checklist.answer_yes"
                    : a == "no"             ? "checklist.answer_no"
                    : a == "unknown"        ? "checklist.answer_unknown"
                    : a == "not_applicable" ? "checklist.answer_not_applicable"
                    : a == "no_data"        ? "checklist.answer_no_data"
                                            : nullptr;
  return key == nullptr ? std::string() : Tr(lang, key);
}

using checklist::RowLabel;

struct ChecklistArgs {
  std::string year;
  std::string form = "hospital";
  std::string vendor;
  std::string item;
  std::string row = "general";
  std::string answer;
  std::string date;
  std::string target;
  std::string note;
  int64_t round = 1;
  std::string format = "json";
  std::string out;
  std::string file;
  bool dry_run = false;
  bool form_given = false;
};

int CmdForms(Globals& g) {
  auto s = Open(g);
  if (!s.ok()) return Fail(g.out, s.error());
  auto forms = (*s)->checklist->Forms((*s)->scope);
  if (!forms.ok()) return Fail(g.out, forms.error());
  Json all = Json::array();
  if (!g.json) PrintLine(Tr(g.out.lang, "checklist.forms_header"));
  for (const auto& f : *forms) {
    all.push_back(f.ToJson());
    if (g.json) continue;
    int unverified = 0;
    for (const auto& it : f.items) unverified += !it.Verified();
    PrintLine(Columns(
        {f.year, f.form, f.title, std::to_string(f.items.size()), std::to_string(unverified)}));
  }
  if (g.json) PrintJson(all);
  return 0;
}

Result<checklist::AssessQuery> Query(Services& s, const ChecklistArgs& a) {
  checklist::AssessQuery q;
  q.year = a.year;
  q.form = a.form;
  MAMORI_ASSIGN_OR_RETURN(q.vendor_id, VendorArg(s, a.vendor));
  return q;
}

int CmdEvaluate(Globals& g, const ChecklistArgs& a) {
  auto s = Open(g);
  if (!s.ok()) return Fail(g.out, s.error());
  auto q = Query(**s, a);
  if (!q.ok()) return Fail(g.out, q.error());
  auto r = (*s)->checklist->Assess((*s)->scope, *q, Today());
  if (!r.ok()) return Fail(g.out, r.error());
  if (g.json) {
    PrintJson(r->ToJson(g.out.lang));
    return 0;
  }
  PrintLine(r->form.title + (r->vendor_name.empty() ? "" : "（" + r->vendor_name + "）"));
  PrintLine(Tr(g.out.lang, "checklist.evaluate_header"));
  for (const auto& row : r->rows) {
    const auto* cur = row.Current();
    PrintLine(Columns(
        {row.item->number, RowLabel(g.out.lang, row.row),
         AnswerLabel(g.out.lang, row.suggestion.answer),
         cur ? AnswerLabel(g.out.lang, cur->answer) : "",
         row.suggestion.reasons.empty() ? "" : row.suggestion.reasons[0].Render(g.out.lang)}));
    for (size_t i = 1; i < row.suggestion.reasons.size(); ++i)
      PrintLine("\t\t\t\t" + row.suggestion.reasons[i].Render(g.out.lang));
  }
  return 0;
}

int CmdAnswer(Globals& g, const ChecklistArgs& a) {
  auto s = Open(g);
  if (!s.ok()) return Fail(g.out, s.error());
  auto vendor = VendorArg(**s, a.vendor);
  if (!vendor.ok()) return Fail(g.out, vendor.error());
  checklist::AnswerRecord rec;
  rec.year = a.year;
  rec.form = a.form;
  rec.vendor_id = vendor->value_or(0);
  rec.item_id = a.item;
  rec.row = a.row;
  rec.round = a.round;
  rec.answer = a.answer == "na" ? "not_applicable" : a.answer;
  rec.checked_on = a.date;
  rec.target_on = a.target;
  rec.note = a.note;
  auto r = (*s)->checklist->SetAnswer((*s)->scope, rec, Today());
  if (!r.ok()) return Fail(g.out, r.error());
  if (g.json)
    PrintJson(r->ToJson());
  else
    PrintLine(r->year + " " + r->item_id + " " + RowLabel(g.out.lang, r->row) + ": " +
              AnswerLabel(g.out.lang, r->answer) + " (" + r->checked_on + ")");
  return 0;
}

int CmdHistory(Globals& g, const ChecklistArgs& a) {
  auto s = Open(g);
  if (!s.ok()) return Fail(g.out, s.error());
  auto q = Query(**s, a);
  if (!q.ok()) return Fail(g.out, q.error());
  if (q->year.empty()) q->year = checklist::FiscalYearOf(Today());
  auto h = (*s)->checklist->History((*s)->scope, *q, a.item);
  if (!h.ok()) return Fail(g.out, h.error());
  if (g.json) {
    PrintJson(*h);
    return 0;
  }
  PrintLine(Tr(g.out.lang, "checklist.history_header"));
  for (const auto& e : *h) {
    const Json& after = e["after"];
    PrintLine(Columns({FormatJst(e["at"].get<int64_t>()), e["username"].get<std::string>(),
                       RowLabel(g.out.lang, after.value("row", "")),
                       std::to_string(after.value("round", 0)),
                       AnswerLabel(g.out.lang, after.value("answer", ""))}));
  }
  return 0;
}

int CmdExport(Globals& g, const ChecklistArgs& a) {
  auto s = Open(g);
  if (!s.ok()) return Fail(g.out, s.error());
  auto q = Query(**s, a);
  if (!q.ok()) return Fail(g.out, q.error());
  auth::AuthService auth(*(*s)->opened.db);
  auto org = auth.GetOrg((*s)->opened.org);
  if (!org.ok()) return Fail(g.out, org.error());
  checklist::ExportRequest req{*q, a.format, Today(), org->name, g.out.lang};
  auto file = checklist::ExportAssessment(*(*s)->checklist, *(*s)->ledger, (*s)->scope, req);
  if (!file.ok()) return Fail(g.out, file.error());
  std::string out = a.out.empty() ? file->file_name : a.out;
  std::ofstream f(out, std::ios::binary);
  f << file->content;
  if (!f) return Fail(g.out, MakeError(ErrorCode::kIo, "export.cannot_write", {out}, out));
  if (g.json)
    PrintJson({{"file", out}, {"bytes", file->content.size()}, {"format", a.format}});
  else
    PrintLine(out);
  return 0;
}

int CmdImportOfficial(Globals& g, const ChecklistArgs& a) {
  auto s = Open(g);
  if (!s.ok()) return Fail(g.out, s.error());
  auto bytes = ReadFileBytes(a.file);
  if (!bytes.ok()) return Fail(g.out, bytes.error());
  checklist::OfficialImportOptions opt{std::filesystem::path(a.file).filename().string(), a.year,
                                       a.form_given ? a.form : ""};
  auto r = (*s)->checklist->ImportOfficial((*s)->scope, *bytes, opt, a.dry_run);
  if (!r.ok()) return Fail(g.out, r.error());
  Json j = r->ToJson();
  j["dry_run"] = a.dry_run;
  if (g.json) {
    PrintJson(j);
    return 0;
  }
  PrintLine(Tr(g.out.lang, "checklist.official_imported",
               {r->form.year, r->form.form, std::to_string(r->form.items.size()),
                std::to_string(r->matched), std::to_string(r->new_items.size())}));
  for (const auto& id : r->new_items) PrintLine("  " + id);
  return 0;
}

struct OrgArgs {
  std::string role;
  std::string person;
  std::string title;
  std::string vendor;
  std::string date;
  std::string reviewed;
  std::string approval;
  std::string file;
  std::string note;
  resilience::Contact contact;
  std::string version;
  std::string scenario;
  std::string participants;
  std::string findings;
};

// A listing of the organisation's records: a JSON array, or a header line (the message
// `header`) and a line per record.
template <typename Fetch>
int OrgList(Globals& g, const char* header, Fetch fetch,
            const std::function<std::string(const Json&)>& line) {
  auto s = Open(g);
  if (!s.ok()) return Fail(g.out, s.error());
  auto items = fetch(**s);
  if (!items.ok()) return Fail(g.out, items.error());
  Json all = Json::array();
  for (const auto& it : *items) all.push_back(it.ToJson());
  if (g.json) {
    PrintJson(all);
  } else {
    PrintLine(Tr(g.out.lang, header));
    for (const auto& j : all) PrintLine(line(j));
  }
  return 0;
}

template <typename Add>
int OrgAdd(Globals& g, Add add) {
  auto s = Open(g);
  if (!s.ok()) return Fail(g.out, s.error());
  auto r = add(**s);
  if (!r.ok()) return Fail(g.out, r.error());
  if (g.json)
    PrintJson(r->ToJson());
  else
    PrintLine("id " + std::to_string(r->id));
  return 0;
}

// A record read from JSON by the same reader the API uses (so the CLI checks what the API does),
// then added.
template <typename T, typename Read, typename Add>
Result<T> AddFromJson(const Json& body, Read read, Add add) {
  MAMORI_ASSIGN_OR_RETURN(auto jb, JsonBody::Parse(body.dump()));
  T rec;
  MAMORI_RETURN_IF_ERROR(read(jb, rec));
  return add(rec);
}

std::string S(const Json& j, const char* k) {
  return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : "";
}

int CmdSettings(Globals& g, const std::map<std::string, int64_t>& changes) {
  auto s = Open(g);
  if (!s.ok()) return Fail(g.out, s.error());
  Json body = Json::object();
  for (const auto& [k, v] : changes)
    if (v > 0) body[k] = v;
  Result<checklist::EvalSettings> r = (*s)->checklist->Settings((*s)->scope);
  if (!body.empty()) {
    auto jb = JsonBody::Parse(body.dump());
    if (!jb.ok()) return Fail(g.out, jb.error());
    r = (*s)->checklist->UpdateSettings((*s)->scope, *jb);
  }
  if (!r.ok()) return Fail(g.out, r.error());
  if (g.json) {
    PrintJson(r->ToJson());
  } else {
    for (const auto& [k, v] : r->ToJson().items()) PrintLine(k + "\t" + v.dump());
  }
  return 0;
}

int ContactDocument(Globals& g, const std::string& out, bool poster) {
  auto s = Open(g);
  if (!s.ok()) return Fail(g.out, s.error());
  auto run = [&]() -> Result<std::string> {
    resilience::ContactDocInput in;
    auth::AuthService auth(*(*s)->opened.db);
    MAMORI_ASSIGN_OR_RETURN(auto org, auth.GetOrg((*s)->opened.org));
    in.org_name = org.name;
    in.today = Today();
    MAMORI_ASSIGN_OR_RETURN(in.contacts, (*s)->records->ListContacts((*s)->scope));
    MAMORI_ASSIGN_OR_RETURN(in.vendors, (*s)->ledger->ListVendors((*s)->scope));
    MAMORI_ASSIGN_OR_RETURN(in.systems, (*s)->ledger->ListSystems((*s)->scope));
    if (poster) return resilience::IncidentPosterPdf(in);
    if (out.ends_with(".svg")) return resilience::ContactChartSvg(in);
    return resilience::ContactChartPdf(in);
  };
  auto bytes = run();
  if (!bytes.ok()) return Fail(g.out, bytes.error());
  std::ofstream f(out, std::ios::binary);
  f << *bytes;
  if (!f) return Fail(g.out, MakeError(ErrorCode::kIo, "export.cannot_write", {out}, out));
  PrintLine(out);
  return 0;
}

}  // namespace

void AddChecklistCommands(CLI::App& app, Globals& g, int& rc) {
  auto* cl = app.add_subcommand("checklist",
                                "サイバーセキュリティ対策チェックリスト / the MHLW checklist");
  cl->require_subcommand(1);
  static ChecklistArgs a;
  auto common = [&](CLI::App* c) {
    c->add_option("--year", a.year, "年度（R8、令和8年度） / fiscal year");
    c->add_option("--form", a.form, "hospital（医療機関確認用）| vendor（事業者確認用） / form")
        ->check(CLI::IsMember({"hospital", "vendor"}));
    c->add_option("--vendor", a.vendor, "事業者（名称またはID） / vendor");
  };
  cl->add_subcommand("forms", "読み込まれている様式 / loaded forms")->callback([&] {
    rc = CmdForms(g);
  });
  auto* ev =
      cl->add_subcommand("evaluate", "根拠データからの判定 / suggested answers from live data");
  common(ev);
  ev->callback([&] { rc = CmdEvaluate(g, a); });
  auto* ans = cl->add_subcommand("answer", "回答を記録 / record an answer");
  common(ans);
  ans->add_option("item", a.item, "項目ID（例: 2-1） / item id")->required();
  ans->add_option("--row", a.row, "general|server|pc|network");
  ans->add_option("--answer", a.answer, "yes|no|unknown|na")
      ->required()
      ->check(CLI::IsMember({"yes", "no", "unknown", "na", "not_applicable"}));
  ans->add_option("--date", a.date, "確認日 / date checked");
  ans->add_option("--target", a.target, "目標日（いいえの場合） / target date");
  ans->add_option("--round", a.round, "1回目=1, 2回目=2 / check round");
  ans->add_option("--note", a.note, "備考 / note");
  ans->callback([&] { rc = CmdAnswer(g, a); });
  auto* hist = cl->add_subcommand("history", "回答の履歴 / answer history");
  common(hist);
  hist->add_option("item", a.item, "項目ID / item id")->required();
  hist->callback([&] { rc = CmdHistory(g, a); });
  auto* exp = cl->add_subcommand("export", "様式の出力 / export the filled form");
  common(exp);
  exp->add_option("--format", a.format, "xlsx|pdf|json")
      ->check(CLI::IsMember({"xlsx", "pdf", "json"}));
  exp->add_option("-o,--output", a.out, "出力ファイル / output file");
  exp->callback([&] { rc = CmdExport(g, a); });
  static std::map<std::string, int64_t> intervals = {
      {"report_interval_days", 0}, {"remote_confirm_days", 0}, {"bcp_review_days", 0},
      {"drill_interval_days", 0},  {"log_review_days", 0},     {"log_verify_days", 0}};
  auto* set = cl->add_subcommand("settings", "判定に使う間隔（日数） / the evaluators' intervals");
  set->add_option("--report-days", intervals["report_interval_days"],
                  "経営層への報告の間隔 / management report interval");
  set->add_option("--remote-days", intervals["remote_confirm_days"],
                  "リモート保守の確認の間隔 / remote maintenance confirmation interval");
  set->add_option("--bcp-days", intervals["bcp_review_days"],
                  "BCP見直しの間隔 / BCP review interval");
  set->add_option("--drill-days", intervals["drill_interval_days"], "訓練の間隔 / drill interval");
  set->add_option("--log-review-days", intervals["log_review_days"],
                  "アクセスログ確認の間隔 / access-log review interval");
  set->add_option("--log-verify-days", intervals["log_verify_days"],
                  "ログ改ざん検証の間隔 / log verification interval");
  set->callback([&] { rc = CmdSettings(g, intervals); });
  auto* imp = cl->add_subcommand("import-official",
                                 "厚生労働省の様式（Excel）を取込 / load the MHLW form workbook");
  imp->add_option("file", a.file, "様式のExcelファイル / the workbook")->required();
  imp->add_option("--year", a.year, "年度（ファイルから読めない場合） / fiscal year");
  imp->add_option("--form", a.form, "hospital | vendor（ファイルから読めない場合） / form")
      ->check(CLI::IsMember({"hospital", "vendor"}))
      ->each([&](const std::string&) { a.form_given = true; });
  imp->add_flag("--dry-run", a.dry_run, "確認のみ / check without saving");
  imp->callback([&] { rc = CmdImportOfficial(g, a); });
}

void AddOrgCommands(CLI::App& app, Globals& g, int& rc) {
  auto* org = app.add_subcommand("org", "体制・連絡体制・BCP・訓練 / roles, contacts, BCP, drills");
  org->require_subcommand(1);
  static OrgArgs o;

  auto* role = org->add_subcommand("role", "体制（責任者・担当者） / roles");
  role->require_subcommand(1);
  auto* radd = role->add_subcommand("add", "登録 / add");
  radd->add_option("--role", o.role, "security_officer|planning_manager|operations|vendor_manager")
      ->required();
  radd->add_option("--person", o.person, "氏名 / name")->required();
  radd->add_option("--title", o.title, "役職 / title");
  radd->add_option("--vendor", o.vendor, "事業者（vendor_manager） / vendor");
  radd->add_option("--appointed", o.date, "任命日 / appointed on");
  radd->add_option("--approval", o.approval, "承認の記録（例: 経営会議 2026-04-10） / approval");
  radd->add_option("--approval-file", o.file, "議事録等のファイル / minutes file");
  radd->callback([&] {
    rc = OrgAdd(g, [&](Services& s) -> Result<resilience::OrgRole> {
      MAMORI_ASSIGN_OR_RETURN(auto vendor, VendorArg(s, o.vendor));
      MAMORI_ASSIGN_OR_RETURN(auto file, FileArg(s, o.file));
      Json body{{"role", o.role},
                {"person", o.person},
                {"title", o.title},
                {"appointed_on", o.date},
                {"approval", o.approval}};
      if (vendor) body["vendor_id"] = *vendor;
      if (file) body["approval_file_id"] = *file;
      return AddFromJson<resilience::OrgRole>(body, resilience::ReadRole, [&](const auto& x) {
        return s.records->AddRole(s.scope, x);
      });
    });
  });
  role->add_subcommand("list", "一覧 / list")->callback([&] {
    rc = OrgList(
        g, "org.role_list_header", [](Services& s) { return s.records->ListRoles(s.scope); },
        [](const Json& j) {
          return Columns({S(j, "role"), S(j, "person"), S(j, "title"), S(j, "appointed_on"),
                          S(j, "approval")});
        });
  });

  auto* contact = org->add_subcommand("contact", "連絡体制 / contact list");
  contact->require_subcommand(1);
  auto* cadd = contact->add_subcommand("add", "登録 / add");
  auto& c = o.contact;
  cadd->add_option("--category", c.category,
                   "internal|vendor|mhlw|mhlw_desk|police|prefecture|health_center|security|other")
      ->required();
  cadd->add_option("--organisation", c.organisation, "組織名 / organisation")->required();
  cadd->add_option("--department", c.department, "部署 / department");
  cadd->add_option("--person", c.person, "担当者 / person");
  cadd->add_option("--phone", c.phone, "電話 / phone");
  cadd->add_option("--after-hours", c.phone_after_hours, "夜間・休日の電話 / after-hours phone");
  cadd->add_option("--email", c.email, "メール / e-mail");
  cadd->add_option("--hours", c.hours, "受付時間 / hours");
  cadd->add_option("--order", c.call_order, "連絡順 / order of calls");
  cadd->add_option("--vendor", o.vendor, "事業者（category vendor） / vendor");
  cadd->callback([&] {
    rc = OrgAdd(g, [&](Services& s) -> Result<resilience::Contact> {
      MAMORI_ASSIGN_OR_RETURN(auto vendor, VendorArg(s, o.vendor));
      Json body{{"category", c.category},     {"organisation", c.organisation},
                {"department", c.department}, {"person", c.person},
                {"phone", c.phone},           {"phone_after_hours", c.phone_after_hours},
                {"email", c.email},           {"hours", c.hours},
                {"call_order", c.call_order}};
      if (vendor) body["vendor_id"] = *vendor;
      return AddFromJson<resilience::Contact>(body, resilience::ReadContact, [&](const auto& x) {
        return s.records->AddContact(s.scope, x);
      });
    });
  });
  contact->add_subcommand("list", "一覧 / list")->callback([&] {
    rc = OrgList(
        g, "org.contact_list_header", [](Services& s) { return s.records->ListContacts(s.scope); },
        [](const Json& j) {
          return Columns({std::to_string(j["call_order"].get<int64_t>()), S(j, "category"),
                          S(j, "organisation"), S(j, "person"), S(j, "phone")});
        });
  });

  static std::string doc_out;
  auto* chart = contact->add_subcommand("chart", "連絡体制図（.svg または .pdf） / contact chart");
  chart->add_option("-o,--output", doc_out, "出力ファイル（.svg / .pdf） / output file")
      ->required();
  chart->callback([&] { rc = ContactDocument(g, doc_out, false); });
  auto* poster =
      contact->add_subcommand("poster", "院内掲示用ポスター（PDF） / poster for the wards");
  poster->add_option("-o,--output", doc_out, "出力ファイル / output file")->required();
  poster->callback([&] { rc = ContactDocument(g, doc_out, true); });

  auto* bcp = org->add_subcommand("bcp", "BCP（事業継続計画） / business continuity plans");
  bcp->require_subcommand(1);
  auto* badd = bcp->add_subcommand("add", "登録 / add");
  badd->add_option("--title", o.title, "表題 / title")->required();
  badd->add_option("--version", o.version, "版 / version");
  badd->add_option("--approved", o.date, "承認日 / approved on");
  badd->add_option("--reviewed", o.reviewed, "最終見直し日 / last reviewed on");
  badd->add_option("--file", o.file, "文書ファイル / document");
  badd->callback([&] {
    rc = OrgAdd(g, [&](Services& s) -> Result<resilience::BcpDocument> {
      MAMORI_ASSIGN_OR_RETURN(auto file, FileArg(s, o.file));
      Json body{{"title", o.title},
                {"version", o.version},
                {"approved_on", o.date},
                {"reviewed_on", o.reviewed}};
      if (file) body["file_id"] = *file;
      return AddFromJson<resilience::BcpDocument>(
          body, resilience::ReadBcp, [&](const auto& x) { return s.records->AddBcp(s.scope, x); });
    });
  });
  bcp->add_subcommand("list", "一覧 / list")->callback([&] {
    rc = OrgList(
        g, "org.bcp_list_header", [](Services& s) { return s.records->ListBcp(s.scope); },
        [](const Json& j) {
          return Columns(
              {S(j, "title"), S(j, "version"), S(j, "approved_on"), S(j, "reviewed_on")});
        });
  });

  auto* drill = org->add_subcommand("drill", "訓練の記録 / drills");
  drill->require_subcommand(1);
  auto* dadd = drill->add_subcommand("add", "登録 / add");
  dadd->add_option("--date", o.date, "実施日 / held on")->required();
  dadd->add_option("--scenario", o.scenario, "想定 / scenario")->required();
  dadd->add_option("--participants", o.participants, "参加者 / participants");
  dadd->add_option("--findings", o.findings, "課題・気づき / findings");
  dadd->add_option("--file", o.file, "報告書ファイル / report file");
  dadd->callback([&] {
    rc = OrgAdd(g, [&](Services& s) -> Result<resilience::Drill> {
      MAMORI_ASSIGN_OR_RETURN(auto file, FileArg(s, o.file));
      Json body{{"held_on", o.date},
                {"scenario", o.scenario},
                {"participants", o.participants},
                {"findings", o.findings}};
      if (file) body["file_id"] = *file;
      return AddFromJson<resilience::Drill>(body, resilience::ReadDrill, [&](const auto& x) {
        return s.records->AddDrill(s.scope, x);
      });
    });
  });
  drill->add_subcommand("list", "一覧 / list")->callback([&] {
    rc = OrgList(
        g, "org.drill_list_header", [](Services& s) { return s.records->ListDrills(s.scope); },
        [](const Json& j) {
          return Columns({S(j, "held_on"), S(j, "scenario")});
        });
  });
}

}  // namespace mamori::cli
