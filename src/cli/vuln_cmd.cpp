// `mamori vuln …`: the vulnerability engine from the command line — the same VulnService the
// server uses. load (feeds from files), match (the ledger, or a bare SBOM), findings, triage,
// eol, policy, feeds, and the CVSS calculator.
#include "cli/vuln_cmd.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "auth/auth_service.hpp"
#include "cli/cli_common.hpp"
#include "core/gzip.hpp"
#include "core/time.hpp"
#include "formats/sbom.hpp"
#include "vuln/cvss.hpp"
#include "vuln/findings_export.hpp"
#include "vuln/vex.hpp"
#include "vuln/vuln_service.hpp"

namespace mamori::cli {

Result<std::unique_ptr<VulnServices>> OpenVulnServices(const Globals& g) {
  MAMORI_ASSIGN_OR_RETURN(auto opened, OpenOrgDb(g));
  auto s = std::make_unique<VulnServices>();
  s->opened = std::move(opened);
  s->ledger = std::make_unique<ledger::LedgerService>(*s->opened.db);
  s->vuln = std::make_unique<vuln::VulnService>(*s->opened.db, *s->ledger);
  s->scope = ledger::Scope{CliActor(s->opened.org), std::nullopt};
  return s;
}

namespace {

Result<std::unique_ptr<VulnServices>> Open(const Globals& g) {
  return OpenVulnServices(g);
}

std::string Today() {
  return FormatDateJst(SystemClock().Now());
}

std::string Fixed1(double v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string Fixed2(double v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

using vuln::Resolution;

int CmdCvss(Globals& g, std::vector<std::string> vectors, bool from_stdin) {
  if (from_stdin)
    for (std::string line; std::getline(std::cin, line);)
      if (!line.empty()) vectors.push_back(line);
  Json out = Json::array();
  int bad = 0;
  for (const auto& v : vectors) {
    auto c = vuln::ParseCvss(v);
    if (!c.ok()) {
      ++bad;
      out.push_back(Json{{"vector", v}, {"error", c.error().Message(g.out.lang)}});
      if (!g.json) std::cerr << v << ": " << c.error().Message(g.out.lang) << "\n";
      continue;
    }
    out.push_back(c->ToJson());
    if (!g.json) PrintLine(Fixed1(c->base_score) + "\t" + c->severity + "\t" + c->vector);
  }
  if (g.json) PrintJson(out);
  return bad == 0 ? 0 : 1;
}

// Feed files are loaded together (vuln::FeedLoader): each in a savepoint of its own, the
// transaction committed every few files — a bad file is reported with its error and leaves what
// is stored as it was. VEX documents (this organisation's, not shared feeds) are stored and
// applied after the feeds. Results are listed in the files' order.
int CmdLoad(Globals& g, const std::vector<std::string>& paths) {
  auto s = Open(g);
  if (!s.ok()) return Fail(g.out, s.error());
  std::vector<std::string> files;
  for (const auto& p : paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(p, ec)) {
      for (const auto& e : std::filesystem::recursive_directory_iterator(p, ec))
        if (e.is_regular_file()) files.push_back(e.path().string());
    } else {
      files.push_back(p);
    }
  }
  std::sort(files.begin(), files.end());
  bool tty = isatty(STDERR_FILENO) != 0;
  std::vector<Json> out(files.size());
  int failed = 0;
  auto report_error = [&](size_t i, const Error& e) {
    ++failed;
    out[i] = {{"file", files[i]}, {"error", e.Message(g.out.lang)}};
    if (!g.json) std::cerr << e.Message(g.out.lang) << "\n";
  };
  std::vector<std::pair<size_t, std::string>> vex;  // loaded after the feeds
  vuln::FeedLoader loader(
      (*s)->vuln->Store(), (*s)->scope.actor, [&](size_t i, Result<vuln::LoadResult> r) {
        if (!r.ok()) return report_error(i, r.error());
        out[i] = r->ToJson();
        if (!g.json)
          PrintLine(r->kind + "\t" + std::to_string(r->records) + "\t+" + std::to_string(r->added) +
                    " ~" + std::to_string(r->updated) + " =" + std::to_string(r->unchanged) + "\t" +
                    r->file);
      });
  Status loaded = Ok();
  for (size_t i = 0; i < files.size() && loaded.ok(); ++i) {
    if (tty && !g.json)
      std::cerr << "[" << i + 1 << "/" << files.size() << "] " << files[i] << "\n";
    auto bytes = ReadFileBytes(files[i]);
    if (!bytes.ok()) {
      report_error(i, bytes.error());
      continue;
    }
    // Unpacked once here (to tell a VEX from a feed) and handed on unpacked; a gzip file that
    // does not unpack goes on as it is, for the loader to report.
    std::string data = std::move(*bytes);
    if (IsGzip(data))
      if (auto plain = MaybeGunzip(data, files[i]); plain.ok()) data = std::move(*plain);
    if (!vuln::DetectVex(data).empty()) {
      vex.emplace_back(i, std::move(data));
      continue;
    }
    loaded = loader.Add(i, std::move(data), files[i]);
  }
  if (loaded.ok()) loaded = loader.Finish();
  if (!loaded.ok()) {  // the store failed: what was not reported was not loaded
    for (size_t i = 0; i < files.size(); ++i)
      if (out[i].is_null()) report_error(i, loaded.error());
    vex.clear();
  }
  for (auto& [i, bytes] : vex) {
    auto v = (*s)->vuln->LoadVex((*s)->scope, std::move(bytes), files[i]);
    if (!v.ok()) {
      report_error(i, v.error());
      continue;
    }
    out[i] = v->ToJson();
    out[i]["kind"] = "vex";
    if (!g.json)
      PrintLine("vex\t" + std::to_string(v->statements) + "\t" + v->format + " " + v->author +
                "\t" + Tr(g.out.lang, "vuln.vex_applied", {std::to_string(v->applied)}) + "\t" +
                v->file);
  }
  if (g.json) PrintJson(Json(out));
  return failed == 0 ? 0 : 1;
}

// A due date as the listings show it: marked when it has passed (Columns writes "-" without one).
std::string DueText(Lang lang, const std::string& due, bool overdue) {
  return overdue && !due.empty() ? Tr(lang, "vuln.date_overdue", {due}) : due;
}

// A CVSS score as the listings show it ("" without a vector).
std::string ScoreText(const vuln::CvssSummary& cvss) {
  return cvss.vector.empty() ? "" : Fixed1(cvss.score);
}

// The words for a match's change (MatchSummary::changes: added, gone, returned).
const char* ChangeKey(const std::string& change) {
  if (change == "added") return "vuln.change_added";
  if (change == "gone") return "vuln.change_gone";
  return "vuln.change_returned";
}

void PrintFindings(const Globals& g, const std::vector<vuln::Finding>& list) {
  if (g.json) {
    Json out = Json::array();
    for (const auto& f : list) out.push_back(f.ToJson(g.out.lang));
    PrintJson(out);
    return;
  }
  // The words the UI and the Excel export use (判定・状態・期限), in the output's language,
  // under a header line.
  const Lang lang = g.out.lang;
  PrintLine(Tr(lang, "vuln.findings_header"));
  for (const auto& f : list)
    PrintLine(Columns(
        {f.cve,
         ScoreText(f.cvss) + (f.environmental_score ? "→" + Fixed1(*f.environmental_score) : ""),
         f.kev ? "KEV" : "",
         Tr(lang, f.verdict == "affected" ? "vuln.verdict_affected" : "vuln.verdict_review"),
         Tr(lang, vuln::FindingStateKey(f.state)), f.asset_name.empty() ? f.target : f.asset_name,
         f.component_name + " " + f.component_version, DueText(lang, f.due_date, f.overdue)}));
}

int CmdMatch(Globals& g, const std::string& sbom_file, const std::vector<std::string>& vex_files,
             bool summary, bool full) {
  auto s = Open(g);
  if (!s.ok()) return Fail(g.out, s.error());
  if (!vex_files.empty() && sbom_file.empty())
    return Fail(g.out, MakeError(ErrorCode::kInvalidArgument, "vuln.vex_needs_sbom", {}, "--vex"));
  if (!sbom_file.empty()) {
    auto bytes = ReadFileBytes(sbom_file);
    if (!bytes.ok()) return Fail(g.out, bytes.error());
    auto sbom = formats::ReadSbom(*bytes, sbom_file);
    if (!sbom.ok()) return Fail(g.out, sbom.error());
    std::vector<vuln::VexDocument> vex;
    for (const auto& f : vex_files) {
      auto vb = ReadFileBytes(f);
      if (!vb.ok()) return Fail(g.out, vb.error());
      auto doc = vuln::ReadVex(*vb, f);
      if (!doc.ok()) return Fail(g.out, doc.error());
      vex.push_back(std::move(*doc));
    }
    auto list = (*s)->vuln->MatchSbom((*s)->scope.actor, *sbom, sbom_file, Today(), vex);
    if (!list.ok()) return Fail(g.out, list.error());
    PrintFindings(g, *list);
    return 0;
  }
  auto r = (*s)->vuln->MatchLedger((*s)->scope, Today(), full);
  if (!r.ok()) return Fail(g.out, r.error());
  if (g.json && summary) {
    PrintJson(r->ToJson());
  } else if (g.json) {
    // The ledger's current findings, as `--sbom` gives a file's.
    auto list = (*s)->vuln->Findings((*s)->scope, vuln::FindingQuery{}, Today());
    if (!list.ok()) return Fail(g.out, list.error());
    PrintFindings(g, *list);
  } else {
    PrintLine(Tr(g.out.lang, "vuln.match_summary",
                 {std::to_string(r->targets), std::to_string(r->components),
                  std::to_string(r->unresolved), std::to_string(r->added), std::to_string(r->still),
                  std::to_string(r->gone), std::to_string(r->current)}));
    if (r->incremental)
      PrintLine(Tr(g.out.lang, "vuln.match_incremental",
                   {std::to_string(r->evaluated_targets), std::to_string(r->changed_records)}));
    for (const auto& c : r->changes)
      PrintLine("  " + Tr(g.out.lang, ChangeKey(c["change"].get<std::string>())) + "\t" +
                c["cve"].get<std::string>() + "\t" + c["asset"].get<std::string>() + "\t" +
                c["component"].get<std::string>() + " " + c["version"].get<std::string>());
  }
  return 0;
}

int CmdVexList(Globals& g) {
  auto s = Open(g);
  if (!s.ok()) return Fail(g.out, s.error());
  auto list = (*s)->vuln->VexDocuments((*s)->scope);
  if (!list.ok()) return Fail(g.out, list.error());
  if (g.json) {
    PrintJson(Json(*list));
    return 0;
  }
  PrintLine(Tr(g.out.lang, "vuln.vex_list_header"));
  for (const auto& d : *list) {
    std::string category = d["category"].get<std::string>();
    PrintLine(
        Columns({d["loaded_at"].get<std::string>(),
                 d["format"].get<std::string>() + (category.empty() ? "" : " " + category),
                 d["author"].get<std::string>(), d["doc_id"].get<std::string>(),
                 std::to_string(d["statements"].get<int64_t>()), d["file"].get<std::string>()}));
  }
  return 0;
}

// Always JSON (the document itself), to stdout or --out.
int CmdVexExport(Globals& g, int64_t asset, const std::string& format, const std::string& out) {
  auto s = Open(g);
  if (!s.ok()) return Fail(g.out, s.error());
  auto doc = (*s)->vuln->ExportVex((*s)->scope, asset, format, Today());
  if (!doc.ok()) return Fail(g.out, doc.error());
  std::string text = doc->dump(2) + "\n";
  if (out.empty()) {
    std::cout << text;
    return 0;
  }
  std::ofstream f(out, std::ios::binary | std::ios::trunc);
  f << text;
  if (!f) return Fail(g.out, MakeError(ErrorCode::kIo, "export.cannot_write", {out}, out));
  return 0;
}

struct FindingArgs {
  std::string state;
  std::string cve;
  int64_t asset = 0;
  bool all = false;
  std::string category, severity, verdict;
  bool gone = false, overdue = false, kev = false;
  int64_t limit = 0;  // 0: every finding
  int64_t offset = 0;
};

vuln::FindingQuery QueryOf(const FindingArgs& a) {
  vuln::FindingQuery q;
  q.state = a.state;
  q.cve = a.cve;
  if (a.asset > 0) q.asset_id = a.asset;
  q.include_gone = a.all;
  q.category = a.category;
  q.severity = a.severity;
  q.verdict = a.verdict;
  q.only_gone = a.gone;
  q.overdue = a.overdue;
  q.kev = a.kev;
  return q;
}

int CmdFindings(Globals& g, const FindingArgs& a) {
  auto s = Open(g);
  if (!s.ok()) return Fail(g.out, s.error());
  vuln::FindingQuery q = QueryOf(a);
  std::optional<int64_t> limit;
  if (a.limit != 0) limit = a.limit;
  auto page = (*s)->vuln->FindingsPage((*s)->scope, q, Today(), limit, a.offset);
  if (!page.ok()) return Fail(g.out, page.error());
  if (limit && g.json) {  // the page as the API gives it
    PrintJson(page->ToJson(g.out.lang));
    return 0;
  }
  PrintFindings(g, page->items);
  if (limit && !g.json) {  // which page this was, on stderr so that stdout stays the list
    int64_t shown = static_cast<int64_t>(page->items.size());
    std::cerr << Tr(g.out.lang, "vuln.findings_page",
                    {std::to_string(shown == 0 ? 0 : a.offset + 1),
                     std::to_string(a.offset + shown), std::to_string(page->total)})
              << "\n";
  }
  return 0;
}

// Findings by CVE, most urgent first: CVE, score, KEV, open/all findings, assets, earliest due.
int CmdCves(Globals& g, const FindingArgs& a) {
  auto s = Open(g);
  if (!s.ok()) return Fail(g.out, s.error());
  auto groups = (*s)->vuln->FindingsByCve((*s)->scope, QueryOf(a), Today());
  if (!groups.ok()) return Fail(g.out, groups.error());
  if (g.json) {
    Json out = Json::array();
    for (const auto& c : *groups) out.push_back(c.ToJson());
    PrintJson(out);
    return 0;
  }
  PrintLine(Tr(g.out.lang, "vuln.cves_header"));
  for (const auto& c : *groups)
    PrintLine(Columns({c.cve, ScoreText(c.cvss), c.kev ? "KEV" : "",
                       std::to_string(c.open) + "/" + std::to_string(c.findings),
                       std::to_string(c.assets), DueText(g.out.lang, c.due_date, c.overdue),
                       c.title_ja}));
  return 0;
}

// The findings as an Excel workbook or CSV, written to --out (or the file's own name here).
int CmdExportFindings(Globals& g, const FindingArgs& a, std::string format,
                      const std::string& encoding, const std::string& out) {
  if (format.empty()) format = out.ends_with(".csv") ? "csv" : "xlsx";
  auto s = Open(g);
  if (!s.ok()) return Fail(g.out, s.error());
  auth::AuthService auth(*(*s)->opened.db);
  auto org = auth.GetOrg((*s)->opened.org);
  if (!org.ok()) return Fail(g.out, org.error());
  vuln::FindingsExportInfo info;
  info.org_name = org->name;
  info.now = SystemClock().Now();
  info.today = Today();
  info.lang = g.out.lang;
  auto file = vuln::ExportFindings(*(*s)->vuln, (*s)->scope, QueryOf(a), format, encoding, info);
  if (!file.ok()) return Fail(g.out, file.error());
  std::string path = out.empty() ? file->file_name : out;
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << file->content;
  if (!f) return Fail(g.out, MakeError(ErrorCode::kIo, "export.cannot_write", {path}, path));
  if (g.json)
    PrintJson({{"file", path}, {"bytes", file->content.size()}, {"format", format}});
  else
    PrintLine(path);
  return 0;
}

struct TriageArgs {
  std::vector<int64_t> ids;
  std::string state, justification, note, approver, review_date;
};

int CmdTriage(Globals& g, const TriageArgs& a) {
  auto s = Open(g);
  if (!s.ok()) return Fail(g.out, s.error());
  Json body{{"state", a.state}};
  if (!a.justification.empty()) body["justification"] = a.justification;
  if (!a.note.empty()) body["note"] = a.note;
  if (!a.approver.empty()) body["approver"] = a.approver;
  if (!a.review_date.empty()) body["review_date"] = a.review_date;
  auto jb = JsonBody::Parse(body.dump());
  if (!jb.ok()) return Fail(g.out, jb.error());
  auto r = (*s)->vuln->TriageMany((*s)->scope, a.ids, *jb, Today());
  if (!r.ok()) return Fail(g.out, r.error());
  if (g.json && r->size() == 1) {  // one id: the finding, as before several could be given
    PrintJson(r->front().ToJson(g.out.lang));
    return 0;
  }
  if (g.json) {
    PrintFindings(g, *r);
    return 0;
  }
  for (const auto& f : *r)
    PrintLine(std::to_string(f.id) + "\t" + f.cve + "\t" + f.state + "\t" +
              (f.asset_name.empty() ? f.target : f.asset_name) + "\t" + f.component_name);
  return 0;
}

// `vuln requirements` lists; `set` and `clear` change one asset's (a: as the options gave it).
int CmdRequirements(Globals& g, const std::string& action, const vuln::AssetRequirements& a) {
  auto s = Open(g);
  if (!s.ok()) return Fail(g.out, s.error());
  auto& svc = *(*s)->vuln;
  if (action == "set") {
    auto stored = svc.SetRequirements((*s)->scope, a);
    if (!stored.ok()) return Fail(g.out, stored.error());
    if (g.json)
      PrintJson(stored->ToJson());
    else
      PrintLine(stored->asset_name + "\t" + stored->Vector());
    return 0;
  }
  if (action == "clear") {
    auto st = svc.ClearRequirements((*s)->scope, a.asset_id);
    if (!st.ok()) return Fail(g.out, st.error());
    if (g.json) PrintJson(Json{{"asset_id", a.asset_id}, {"cleared", true}});
    return 0;
  }
  auto list = svc.Requirements((*s)->scope);
  if (!list.ok()) return Fail(g.out, list.error());
  if (g.json) {
    PrintJsonList(*list);
    return 0;
  }
  PrintLine(Tr(g.out.lang, "vuln.requirements_header"));
  for (const auto& r : *list)
    PrintLine(Columns({std::to_string(r.asset_id), r.asset_name, r.Vector(), r.note}));
  return 0;
}

int CmdEol(Globals& g, int days) {
  auto s = Open(g);
  if (!s.ok()) return Fail(g.out, s.error());
  auto list = (*s)->vuln->Eol((*s)->scope, Today(), days);
  if (!list.ok()) return Fail(g.out, list.error());
  if (g.json) {
    PrintJsonList(*list);
    return 0;
  }
  // A date from the ledger's own 保守期限 column has no endoflife.date product: said as such,
  // as the UI does.
  PrintLine(Tr(g.out.lang, "vuln.eol_header"));
  for (const auto& e : *list)
    PrintLine(e.asset_name + "\t" + e.component + "\t" +
              (e.product == "ledger" ? Tr(g.out.lang, "vuln.eol_from_ledger")
                                     : e.product + " " + e.cycle) +
              "\t" +
              (e.candidates.empty() ? (e.ended ? Tr(g.out.lang, "vuln.eol_ended", {e.eol})
                                               : Tr(g.out.lang, "vuln.eol_near",
                                                    {e.eol, std::to_string(e.days_left)}))
                                    : Tr(g.out.lang, "vuln.eol_ambiguous")));
  return 0;
}

int CmdPolicy(Globals& g, const std::vector<std::string>& sets) {
  auto s = Open(g);
  if (!s.ok()) return Fail(g.out, s.error());
  Result<vuln::DuePolicy> p = (*s)->vuln->Policy((*s)->scope.actor);
  if (!sets.empty()) {
    Json body = Json::object();
    for (const auto& kv : sets) {
      size_t eq = kv.find('=');
      std::string k = kv.substr(0, eq);
      std::string v = eq == std::string::npos ? "" : kv.substr(eq + 1);
      if (k == "kev_due")
        body[k] = v == "1" || v == "true" || v == "yes";
      else
        body[k] = std::atoll(v.c_str());
    }
    auto jb = JsonBody::Parse(body.dump());
    if (!jb.ok()) return Fail(g.out, jb.error());
    p = (*s)->vuln->SetPolicy((*s)->scope.actor, *jb);
  }
  if (!p.ok()) return Fail(g.out, p.error());
  if (g.json) {
    PrintJson(p->ToJson());
  } else {
    const Json j = p->ToJson();
    for (auto it = j.begin(); it != j.end(); ++it) PrintLine(it.key() + "\t" + it.value().dump());
  }
  return 0;
}

void PrintResolution(const Globals& g, const std::string& text, const Resolution& r) {
  if (g.json) {
    Json j = vuln::ResolutionJson(r);
    j["text"] = text;
    PrintJson(j);
    return;
  }
  PrintLine(text + "\t" + (r.Resolved() ? r.candidates[0].cpe : Tr(g.out.lang, "vuln.unresolved")));
  for (size_t i = r.Resolved() ? 1 : 0; i < r.candidates.size(); ++i)
    PrintLine("  " + r.candidates[i].cpe + "\t" + Fixed2(r.candidates[i].confidence) + "\t" +
              r.candidates[i].source +
              (r.candidates[i].title.empty() ? "" : "\t" + r.candidates[i].title));
}

int CmdResolve(Globals& g, const std::string& text, const std::string& version) {
  auto s = Open(g);
  if (!s.ok()) return Fail(g.out, s.error());
  auto r = (*s)->vuln->Resolve((*s)->scope, text, version);
  if (!r.ok()) return Fail(g.out, r.error());
  PrintResolution(g, text, *r);
  return 0;
}

int CmdUnresolved(Globals& g) {
  auto s = Open(g);
  if (!s.ok()) return Fail(g.out, s.error());
  auto list = (*s)->vuln->Unresolved((*s)->scope);
  if (!list.ok()) return Fail(g.out, list.error());
  if (g.json) {
    PrintJsonList(*list);
    return 0;
  }
  PrintLine(Tr(g.out.lang, "vuln.unresolved_header"));
  for (const auto& u : *list)
    PrintLine(Columns({std::to_string(u.count), u.name + (u.version.empty() ? "" : " " + u.version),
                       u.candidates.empty() ? "" : u.candidates[0].cpe}));
  return 0;
}

int CmdConfirm(Globals& g, const std::string& name, const std::string& version,
               const std::string& cpe) {
  auto s = Open(g);
  if (!s.ok()) return Fail(g.out, s.error());
  auto r = (*s)->vuln->Confirm((*s)->scope, name, version, cpe);
  if (!r.ok()) return Fail(g.out, r.error());
  PrintResolution(g, name, *r);
  return 0;
}

int CmdFeeds(Globals& g) {
  auto s = Open(g);
  if (!s.ok()) return Fail(g.out, s.error());
  auto list = (*s)->vuln->FeedFiles((*s)->scope.actor);
  if (!list.ok()) return Fail(g.out, list.error());
  if (g.json) {
    PrintJson(*list);
    return 0;
  }
  PrintLine(Tr(g.out.lang, "vuln.feeds_header"));
  for (const auto& f : *list)
    PrintLine(Columns({f["loaded_at"].get<std::string>(), f["kind"].get<std::string>(),
                       std::to_string(f["records"].get<int64_t>()), f["file"].get<std::string>()}));
  return 0;
}

}  // namespace

void AddVulnCommands(CLI::App& app, Globals& g, int& rc) {
  auto* vuln = app.add_subcommand("vuln", "脆弱性 / vulnerabilities");
  vuln->require_subcommand(1);

  static std::vector<std::string> vectors;
  static bool from_stdin = false;
  auto* cvss =
      vuln->add_subcommand("cvss", "CVSS ベクトルの評価（2.0/3.0/3.1/4.0） / score CVSS vectors");
  cvss->add_option("vector", vectors, "CVSS ベクトル / vectors");
  cvss->add_flag("--stdin", from_stdin, "標準入力から1行1件 / one vector per line on stdin");
  cvss->callback([&] { rc = CmdCvss(g, vectors, from_stdin); });

  static std::vector<std::string> paths;
  auto* load = vuln->add_subcommand(
      "load",
      "脆弱性情報・VEX の読み込み（NVD/JVN/OSV/KEV/EPSS/endoflife.date/VEX、gz可） / load feed "
      "and VEX files");
  load->add_option("path", paths, "ファイルまたはフォルダ / files or folders")->required();
  load->callback([&] { rc = CmdLoad(g, paths); });

  static std::string sbom;
  static std::vector<std::string> vex_files;
  static int64_t vex_asset = 0;
  static std::string vex_format, vex_out;
  auto* match = vuln->add_subcommand(
      "match", "台帳（または SBOM ファイル）と脆弱性を照合 / match the ledger or an SBOM");
  match->add_option("--sbom", sbom, "SBOM ファイル（保存しない） / a bare SBOM file");
  match->add_option("--vex", vex_files,
                    "SBOM に添える VEX（CycloneDX/CSAF/OpenVEX） / VEX documents for the SBOM");
  static bool match_summary = false;
  match->add_flag("--summary", match_summary,
                  "--json で検出の代わりに件数（追加・継続・解消）を出力 / with --json: the counts "
                  "(added, still, gone) instead of the findings");
  static bool match_full = false;
  match->add_flag("--full", match_full,
                  "変更のない機器も含めすべて照合し直す / re-evaluate every asset, not only what "
                  "changed since the last match");
  match->callback([&] { rc = CmdMatch(g, sbom, vex_files, match_summary, match_full); });

  auto* vex = vuln->add_subcommand("vex", "VEX の一覧と出力 / VEX documents in and out");
  vex->require_subcommand(1);
  vex->add_subcommand("list",
                      "読み込んだ VEX・CSAF アドバイザリ / VEX documents and advisories loaded")
      ->callback([&] { rc = CmdVexList(g); });
  auto* vex_export = vex->add_subcommand("export", "機器の VEX を出力 / VEX for an asset");
  vex_export->add_option("--asset", vex_asset, "機器ID / asset id")->required();
  vex_export->add_option("--format", vex_format, "cyclonedx | csaf")->required();
  vex_export->add_option("--out", vex_out, "出力ファイル（省略時は標準出力） / output file");
  vex_export->callback([&] { rc = CmdVexExport(g, vex_asset, vex_format, vex_out); });

  static FindingArgs fa;
  auto* findings = vuln->add_subcommand("findings", "検出一覧 / list findings");
  findings->add_option("--state", fa.state, "new|affected|not_affected|fixed|accepted|open");
  findings->add_option("--cve", fa.cve, "CVE-ID");
  findings->add_option("--asset", fa.asset, "機器ID / asset id");
  findings->add_flag("--all", fa.all, "解消済みも含める / include findings no longer matched");
  findings->add_flag("--gone", fa.gone, "解消済みのみ / only findings no longer matched");
  findings->add_option("--severity", fa.severity, "CRITICAL|HIGH|MEDIUM|LOW|NONE");
  findings->add_option("--verdict", fa.verdict, "affected|review");
  findings->add_option("--category", fa.category, "機器分類 / device class");
  findings->add_flag("--kev", fa.kev, "KEV 掲載のみ / only those in CISA KEV");
  findings->add_flag("--overdue", fa.overdue, "期限超過のみ / only overdue");
  findings->add_option("--limit", fa.limit, "1ページの件数 (1–1000) / page size");
  findings->add_option("--offset", fa.offset, "先頭からの位置 / first finding (0-based)");
  findings->callback([&] { rc = CmdFindings(g, fa); });

  static FindingArgs ca;
  auto* cves = vuln->add_subcommand("cves", "CVE 別の検出 / findings grouped by CVE");
  cves->add_option("--state", ca.state, "new|affected|not_affected|fixed|accepted|open");
  cves->add_option("--asset", ca.asset, "機器ID / asset id");
  cves->add_flag("--all", ca.all, "解消済みも含める / include findings no longer matched");
  cves->add_option("--severity", ca.severity, "CRITICAL|HIGH|MEDIUM|LOW|NONE");
  cves->add_option("--verdict", ca.verdict, "affected|review");
  cves->add_option("--category", ca.category, "機器分類 / device class");
  cves->add_flag("--kev", ca.kev, "KEV 掲載のみ / only those in CISA KEV");
  cves->add_flag("--overdue", ca.overdue, "期限超過のみ / only overdue");
  cves->callback([&] { rc = CmdCves(g, ca); });

  static FindingArgs xa;
  static std::string x_format, x_encoding = "utf-8-bom", x_out;
  auto* xport = vuln->add_subcommand(
      "export", "検出一覧を Excel / CSV に出力 / findings to an Excel workbook or CSV");
  xport->add_option("-o,--out", x_out, "出力ファイル（.xlsx / .csv） / output file");
  xport->add_option("--format", x_format, "xlsx | csv（省略時は拡張子から） / from the extension");
  xport->add_option("--encoding", x_encoding, "utf-8-bom | cp932（CSV）");
  xport->add_option("--state", xa.state, "new|affected|not_affected|fixed|accepted|open");
  xport->add_option("--cve", xa.cve, "CVE-ID");
  xport->add_option("--asset", xa.asset, "機器ID / asset id");
  xport->add_flag("--all", xa.all, "解消済みも含める / include findings no longer matched");
  xport->add_option("--severity", xa.severity, "CRITICAL|HIGH|MEDIUM|LOW|NONE");
  xport->add_option("--verdict", xa.verdict, "affected|review");
  xport->add_option("--category", xa.category, "機器分類 / device class");
  xport->add_flag("--kev", xa.kev, "KEV 掲載のみ / only those in CISA KEV");
  xport->add_flag("--overdue", xa.overdue, "期限超過のみ / only overdue");
  xport->callback([&] { rc = CmdExportFindings(g, xa, x_format, x_encoding, x_out); });

  static TriageArgs ta;
  auto* triage = vuln->add_subcommand(
      "triage", "検出の判定（複数可、すべてか、どれも変えないか） / triage findings (all or none)");
  triage->add_option("ids", ta.ids, "検出ID（複数可） / finding ids")->required();
  triage->add_option("--state", ta.state, "affected|not_affected|fixed|accepted|new")->required();
  triage->add_option("--justification", ta.justification, "VEX justification (not_affected)");
  triage->add_option("--note", ta.note, "理由 / reason");
  triage->add_option("--approver", ta.approver, "承認者 (accepted)");
  triage->add_option("--review-date", ta.review_date, "再評価日 (accepted)");
  triage->callback([&] { rc = CmdTriage(g, ta); });

  static int eol_days = 180;
  auto* eol = vuln->add_subcommand("eol", "サポート終了（間近）の一覧 / end of support");
  eol->add_option("--days", eol_days,
                  "この日数以内に終了するものも表示 / also ending within N days");
  eol->callback([&] { rc = CmdEol(g, eol_days); });

  static std::vector<std::string> sets;
  // Options go straight into the request; the list runs when neither set nor clear was given.
  static vuln::AssetRequirements ra;
  auto* req = vuln->add_subcommand(
      "requirements",
      "機器のセキュリティ要求度（CVSS CR/IR/AR） / security requirements per asset");
  auto* req_set = req->add_subcommand("set", "設定 / set an asset's requirements");
  auto* req_clear = req->add_subcommand("clear", "解除 / clear an asset's requirements");
  req->callback([&, req_set, req_clear] {
    if (!req_set->parsed() && !req_clear->parsed()) rc = CmdRequirements(g, "list", ra);
  });
  req_set->add_option("asset", ra.asset_id, "機器ID / asset id")->required();
  req_set->add_option("--cr", ra.cr, "機密性の要求度 L|M|H|X / confidentiality requirement");
  req_set->add_option("--ir", ra.ir, "完全性の要求度 L|M|H|X / integrity requirement");
  req_set->add_option("--ar", ra.ar, "可用性の要求度 L|M|H|X / availability requirement");
  req_set->add_option("--note", ra.note, "理由 / why");
  req_set->callback([&] { rc = CmdRequirements(g, "set", ra); });
  req_clear->add_option("asset", ra.asset_id, "機器ID / asset id")->required();
  req_clear->callback([&] { rc = CmdRequirements(g, "clear", ra); });

  auto* policy = vuln->add_subcommand("policy", "対応期限の方針 / due-date policy");
  policy->add_option("--set", sets, "critical_days=30 high_days=90 … kev_due=1");
  policy->callback([&] { rc = CmdPolicy(g, sets); });

  static std::string resolve_text, resolve_version, confirm_cpe;
  auto* resolve = vuln->add_subcommand(
      "resolve", "名称から CPE 候補を求める / free-text name → CPE candidates");
  resolve->add_option("text", resolve_text, "台帳の名称 / the name")->required();
  resolve->add_option("--version", resolve_version, "版 / version");
  resolve->callback([&] { rc = CmdResolve(g, resolve_text, resolve_version); });

  vuln->add_subcommand("unresolved", "CPE 未確定の名称 / names not resolved yet")->callback([&] {
    rc = CmdUnresolved(g);
  });

  auto* confirm = vuln->add_subcommand("confirm", "名称の CPE を確定 / confirm the CPE of a name");
  confirm->add_option("text", resolve_text, "台帳の名称 / the name")->required();
  confirm->add_option("cpe", confirm_cpe, "CPE 2.3")->required();
  confirm->add_option("--version", resolve_version, "版 / version");
  confirm->callback([&] { rc = CmdConfirm(g, resolve_text, resolve_version, confirm_cpe); });

  auto* feeds = vuln->add_subcommand("feeds", "読み込んだ脆弱性情報ファイル / loaded feed files");
  feeds->callback([&] { rc = CmdFeeds(g); });

  AddVulnBundleCommands(*vuln, g, rc);
}

}  // namespace mamori::cli
