// mamori's command line: one binary for administration, the server and every capability.
// Global options (--db, --lang, --json) are accepted before or after the subcommand.
#include <pthread.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <thread>

#include "audit/audit_service.hpp"
#include "auth/auth_service.hpp"
#include "cli/checklist_cmd.hpp"
#include "cli/cli_common.hpp"
#include "cli/cli_io.hpp"
#include "cli/logs_cmd.hpp"
#include "cli/vuln_cmd.hpp"
#include "core/crypto.hpp"
#include "core/text.hpp"
#include "demo/demo_logs.hpp"
#include "demo/demo_seed.hpp"
#include "formats/csv_reader.hpp"
#include "formats/nmap.hpp"
#include "formats/sbom.hpp"
#include "ledger/completeness.hpp"
#include "ledger/import/ledger_export.hpp"
#include "ledger/import/ledger_import.hpp"
#include "ledger/import/nmap_import.hpp"
#include "ledger/import/sbom_import.hpp"
#include "ledger/ledger_report.hpp"
#include "ledger/ledger_service.hpp"
#include "logs/expiry_schedule.hpp"
#include "logs/receiver.hpp"
#include "server/server.hpp"
#include "store/tx.hpp"

#ifndef MAMORI_VERSION
#define MAMORI_VERSION "0.0.0"
#endif

namespace mamori::cli {
namespace {

// The shape of every ledger listing command: open the organisation's ledger, fetch, then either
// one JSON array or a header line (the message `header`) and one tab-separated line per item.
template <typename Fetch, typename Line>
int LedgerListing(Globals& g, const char* header, Fetch fetch, Line line) {
  auto opened = OpenOrgDb(g);
  if (!opened.ok()) return Fail(g.out, opened.error());
  ledger::LedgerService ledger(*opened->db);
  auto items = fetch(ledger, ledger::Scope{CliActor(opened->org), std::nullopt});
  if (!items.ok()) return Fail(g.out, items.error());
  if (!g.json) PrintLine(Tr(g.out.lang, header));
  Json j = Json::array();
  for (const auto& item : *items) {
    j.push_back(item.ToJson());
    if (!g.json) PrintLine(line(item));
  }
  if (g.json) PrintJson(j);
  return 0;
}

std::string WebRoot(const std::string& flag) {
  namespace fs = std::filesystem;
  std::vector<fs::path> candidates;
  if (!flag.empty()) return flag;
  if (const char* env = std::getenv("MAMORI_WEB_ROOT")) candidates.emplace_back(env);
  std::error_code ec;
  auto exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    candidates.push_back(exe.parent_path() / ".." / "web" / "dist");
    candidates.push_back(exe.parent_path() / ".." / "share" / "mamori" / "web");
  }
  candidates.emplace_back("/usr/share/mamori/web");
  for (const auto& c : candidates)
    if (fs::exists(c / "index.html", ec)) return fs::weakly_canonical(c, ec).string();
  return {};
}

int CmdInit(Globals& g, const std::string& org_name, const std::string& kind,
            const std::string& admin, bool password_stdin) {
  auto db = OpenDb(g, true);
  if (!db.ok()) return Fail(g.out, db.error());
  auth::AuthService auth(**db);
  auto existing = auth.FirstOrg();
  if (!existing.ok()) return Fail(g.out, existing.error());
  if (*existing) {
    auto v = (*db)->SchemaVersion();
    if (g.json)
      PrintJson(
          {{"initialised", false}, {"org_id", **existing}, {"schema_version", v.ok() ? *v : 0}});
    else
      PrintLine(Tr(g.out.lang, "cli.already_initialised",
                   {(*db)->Describe(), std::to_string(v.ok() ? *v : 0)}));
    return 0;
  }
  std::string password;
  if (!admin.empty()) {
    auto pw = ReadPassword(g.out, password_stdin, true);
    if (!pw.ok()) return Fail(g.out, pw.error());
    password = *pw;
    // Check the policy before anything is written, so a weak password leaves no half-made org.
    auto policy = auth::CheckPasswordPolicy(password, admin);
    if (!policy.ok()) return Fail(g.out, policy.error());
  }
  auto org = auth.CreateOrg(CliActor(0), org_name, kind, false);
  if (!org.ok()) return Fail(g.out, org.error());
  if (!admin.empty()) {
    auth::NewUser u{*org, admin, "", auth::Role::kAdmin, std::nullopt, password, false};
    auto created = auth.CreateUser(CliActor(*org), u);
    if (!created.ok()) return Fail(g.out, created.error());
  }
  if (g.json)
    PrintJson({{"initialised", true},
               {"org_id", *org},
               {"schema_version", store::Database::LatestSchemaVersion()}});
  else
    PrintLine(Tr(g.out.lang, "cli.initialised", {(*db)->Describe(), org_name}));
  return 0;
}

Result<std::optional<int64_t>> ResolveVendor(store::Database& db, int64_t org,
                                             const std::string& vendor) {
  if (vendor.empty()) return std::optional<int64_t>{};
  ledger::LedgerService ledger(db);
  MAMORI_ASSIGN_OR_RETURN(auto vendors, ledger.ListVendors({CliActor(org), std::nullopt}));
  for (const auto& v : vendors)
    if (v.name == vendor || std::to_string(v.id) == vendor) return std::optional<int64_t>{v.id};
  return MakeError(ErrorCode::kNotFound, "cli.vendor_not_found", {vendor}, "--vendor");
}

int CmdUserAdd(Globals& g, const std::string& name, const std::string& role_name,
               const std::string& vendor, const std::string& display, bool password_stdin,
               bool require_totp) {
  auto opened = OpenOrgDb(g);
  if (!opened.ok()) return Fail(g.out, opened.error());
  store::Database& db = *opened->db;
  const int64_t org = opened->org;
  auto role = auth::ParseRole(role_name);
  if (!role)
    return Fail(g.out,
                MakeError(ErrorCode::kInvalidArgument, "user.bad_role", {role_name}, "--role"));
  auto vendor_id = ResolveVendor(db, org, vendor);
  if (!vendor_id.ok()) return Fail(g.out, vendor_id.error());
  auto pw = ReadPassword(g.out, password_stdin, true);
  if (!pw.ok()) return Fail(g.out, pw.error());
  auth::AuthService auth(db);
  auth::NewUser u{org, name, display, *role, *vendor_id, *pw, require_totp};
  auto created = auth.CreateUser(CliActor(org), u);
  if (!created.ok()) return Fail(g.out, created.error());
  if (g.json)
    PrintJson(created->ToJson());
  else
    PrintLine(Tr(g.out.lang, "cli.user_created", {name, role_name}));
  return 0;
}

int CmdUserList(Globals& g) {
  auto opened = OpenOrgDb(g);
  if (!opened.ok()) return Fail(g.out, opened.error());
  store::Database& db = *opened->db;
  const int64_t org = opened->org;
  auth::AuthService auth(db);
  auto users = auth.ListUsers(CliActor(org));
  if (!users.ok()) return Fail(g.out, users.error());
  if (g.json) {
    PrintJsonList(*users);
    return 0;
  }
  bool ja = g.out.lang == Lang::kJa;
  PrintLine(ja ? "ID\tユーザー名\tロール\t二要素\t状態\t表示名"
               : "ID\tUSER\tROLE\tTOTP\tSTATE\tNAME");
  for (const auto& u : *users) {
    std::string state = u.disabled ? (ja ? "無効" : "disabled") : (ja ? "有効" : "active");
    PrintLine(std::to_string(u.id) + "\t" + u.username + "\t" + auth::RoleName(u.role) + "\t" +
              (u.totp_enabled ? "on" : (u.totp_required ? "required" : "off")) + "\t" + state +
              "\t" + u.display_name);
  }
  return 0;
}

int CmdUserPasswd(Globals& g, const std::string& name, bool password_stdin) {
  auto opened = OpenOrgDb(g);
  if (!opened.ok()) return Fail(g.out, opened.error());
  store::Database& db = *opened->db;
  const int64_t org = opened->org;
  auth::AuthService auth(db);
  auto user = auth.FindUserByName(CliActor(org), name);
  if (!user.ok()) return Fail(g.out, user.error());
  auto pw = ReadPassword(g.out, password_stdin, true);
  if (!pw.ok()) return Fail(g.out, pw.error());
  auto st = auth.SetPassword(CliActor(org), user->id, *pw);
  if (!st.ok()) return Fail(g.out, st.error());
  if (g.json)
    PrintJson({{"ok", true}, {"username", name}});
  else
    PrintLine(Tr(g.out.lang, "cli.password_set", {name}));
  return 0;
}

int CmdUserDisable(Globals& g, const std::string& name) {
  auto opened = OpenOrgDb(g);
  if (!opened.ok()) return Fail(g.out, opened.error());
  store::Database& db = *opened->db;
  const int64_t org = opened->org;
  auth::AuthService auth(db);
  auto user = auth.FindUserByName(CliActor(org), name);
  if (!user.ok()) return Fail(g.out, user.error());
  auth::UserPatch p;
  p.disabled = true;
  auto updated = auth.UpdateUser(CliActor(org), user->id, p);
  if (!updated.ok()) return Fail(g.out, updated.error());
  if (g.json)
    PrintJson(updated->ToJson());
  else
    PrintLine(Tr(g.out.lang, "cli.user_disabled", {name}));
  return 0;
}

int CmdAuditList(Globals& g, int64_t limit, const std::string& action, const std::string& entity) {
  auto opened = OpenOrgDb(g);
  if (!opened.ok()) return Fail(g.out, opened.error());
  store::Database& db = *opened->db;
  const int64_t org = opened->org;
  audit::AuditService svc(db);
  audit::Query q;
  q.limit = limit;
  q.action_prefix = action;
  q.entity = entity;
  auto entries = svc.List(CliActor(org), q);
  if (!entries.ok()) return Fail(g.out, entries.error());
  if (g.json) {
    PrintJsonList(*entries);
    return 0;
  }
  PrintLine(Tr(g.out.lang, "audit.list_header"));
  for (const auto& e : *entries)
    PrintLine(Columns({std::to_string(e.id), FormatJst(e.at), e.username, e.ip, e.action,
                       e.entity_id.empty() ? e.entity : e.entity + ":" + e.entity_id}));
  return 0;
}

int CmdAuditVerify(Globals& g) {
  auto db = OpenDb(g, false);
  if (!db.ok()) return Fail(g.out, db.error());
  auto n = store::VerifyAuditChain(**db);
  if (!n.ok()) {
    if (g.json && n.error().code == ErrorCode::kCorruption) {
      PrintJson({{"ok", false}, {"problem", n.error().Message(g.out.lang)}});
      std::cerr << "mamori: " << n.error().Message(g.out.lang) << "\n";
      return 1;
    }
    return Fail(g.out, n.error());
  }
  if (g.json)
    PrintJson({{"ok", true}, {"records", *n}});
  else
    PrintLine(Tr(g.out.lang, "audit.verified", {std::to_string(*n)}));
  return 0;
}

int CmdLedgerList(Globals& g, const std::string& category, const std::string& search) {
  auto opened = OpenOrgDb(g);
  if (!opened.ok()) return Fail(g.out, opened.error());
  store::Database& db = *opened->db;
  const int64_t org = opened->org;
  ledger::LedgerService ledger(db);
  ledger::Scope scope{CliActor(org), std::nullopt};
  auto names = ledger::import::NamesOf(ledger, scope);
  if (!names.ok()) return Fail(g.out, names.error());
  ledger::AssetQuery q;
  q.category = category;
  q.text = search;
  q.limit = 1000;
  Json all = Json::array();
  bool ja = g.out.lang == Lang::kJa;
  if (!g.json)
    PrintLine(ja ? "ID\t区分\t名称\tコンピュータ名\tOS\tIPアドレス\t設置場所\t未記入"
                 : "ID\tCATEGORY\tNAME\tHOST\tOS\tIP\tLOCATION\tMISSING");
  while (true) {
    auto page = ledger.ListAssets(scope, q);
    if (!page.ok()) return Fail(g.out, page.error());
    for (const auto& a : page->items) {
      Json j = a.ToJsonWithCompleteness();
      j["vendor"] = a.vendor_id ? Json(names->vendors[*a.vendor_id]) : Json(nullptr);
      j["system"] = a.system_id ? Json(names->systems[*a.system_id]) : Json(nullptr);
      if (g.json) {
        all.push_back(std::move(j));
      } else {
        std::string ips, missing;
        for (const auto& ip : a.ips) {
          if (!ips.empty()) ips += ',';
          ips += ip;
        }
        for (const auto& m : j["missing"]) {
          if (!missing.empty()) missing += ',';
          missing += m.get<std::string>();
        }
        std::string os = a.os;
        if (!a.os_version.empty()) os.append(os.empty() ? "" : " ").append(a.os_version);
        PrintLine(Columns({std::to_string(a.id), a.category, a.name, a.computer_name, os, ips,
                           a.location, missing}));
      }
    }
    q.offset += static_cast<int64_t>(page->items.size());
    if (page->items.empty() || q.offset >= page->total) break;
  }
  if (g.json) PrintJson(all);
  return 0;
}

struct SbomTarget {
  std::string asset;
  std::string product;
};

int CmdLedgerImport(Globals& g, const std::string& file, const ledger::import::ImportOptions& o,
                    const std::vector<std::string>& maps, const std::string& profile,
                    const SbomTarget& sbom_target) {
  auto read = ReadFileBytes(file);
  if (!read.ok()) return Fail(g.out, read.error());
  std::string bytes = std::move(*read);
  auto opened = OpenOrgDb(g);
  if (!opened.ok()) return Fail(g.out, opened.error());
  ledger::LedgerService ledger(*opened->db);
  ledger::import::ImportOptions opt = o;
  opt.file = std::filesystem::path(file).filename().string();
  ledger::Scope scope{CliActor(opened->org), std::nullopt};
  if (!profile.empty()) {
    auto p = ledger.FindProfile(scope, profile);
    if (!p.ok()) return Fail(g.out, p.error());
    if (!*p)
      return Fail(g.out,
                  MakeError(ErrorCode::kNotFound, "import.no_profile", {profile}, "--profile"));
    opt.mapping = (*p)->mapping;
  }
  std::string format = opt.format == "auto" ? ledger::import::DetectFormat(bytes) : opt.format;
  if (format == "nmap") {
    auto rep = ledger::import::ImportNmap(ledger, scope, bytes, {opt.file, opt.dry_run});
    if (!rep.ok()) return Fail(g.out, rep.error());
    if (g.json) {
      PrintJson(rep->ToJson());
    } else {
      for (const auto& h : rep->hosts)
        PrintLine(h.address + "\t" +
                  (h.match.empty() ? Tr(g.out.lang, "discovered.unlisted") : h.match));
      PrintLine(Tr(g.out.lang, "nmap.summary",
                   {std::to_string(rep->hosts_up), std::to_string(rep->matched),
                    std::to_string(rep->updated), std::to_string(rep->unmatched),
                    std::to_string(rep->new_pending)}));
      if (opt.dry_run) PrintLine(Tr(g.out.lang, "import.dry_run"));
    }
    return 0;
  }
  if (format == "cyclonedx" || format == "spdx") {
    ledger::import::SbomImportOptions so{opt.file, sbom_target.asset, sbom_target.product,
                                         opt.dry_run};
    auto rep = ledger::import::ImportSbom(ledger, scope, bytes, so);
    if (!rep.ok()) return Fail(g.out, rep.error());
    if (g.json) {
      PrintJson(rep->ToJson());
    } else if (rep->unchanged) {
      PrintLine(Tr(g.out.lang, "sbom.unchanged"));
    } else {
      auto m = rep->sbom.MinimumElements();
      PrintLine(Tr(g.out.lang, "sbom.summary",
                   {rep->sbom.format + " " + rep->sbom.spec_version, rep->stored.subject,
                    std::to_string(m.components), std::to_string(rep->replaced), rep->target,
                    std::to_string(m.without_supplier), std::to_string(m.without_version),
                    std::to_string(m.without_identifier)}));
      if (opt.dry_run) PrintLine(Tr(g.out.lang, "import.dry_run"));
    }
    return 0;
  }
  auto extra = ledger::import::ParseMappingArgs(maps);
  if (!extra.ok()) return Fail(g.out, extra.error());
  for (const auto& [h, f] : *extra) opt.mapping[h] = f;
  auto report =
      ledger::import::ImportFile(ledger, {CliActor(opened->org), std::nullopt}, bytes, opt);
  if (!report.ok()) return Fail(g.out, report.error());
  if (g.json) {
    PrintJson(report->ToJson(g.out.lang));
  } else {
    for (const auto& c : report->changed) {
      std::string fields;
      for (const auto& f : c.fields) fields += (fields.empty() ? "" : ", ") + f;
      PrintLine(
          Tr(g.out.lang, "import.changed_line", {std::to_string(c.asset_id), c.name, fields}));
    }
    for (const auto& e : report->errors)
      std::cerr << opt.file << (e.sheet.empty() ? "" : " [" + e.sheet + "]") << ":" << e.row
                << (e.column.empty() ? "" : " [" + e.column + "]") << ": "
                << e.error.Message(g.out.lang) << "\n";
    PrintLine(Tr(g.out.lang, "import.summary",
                 {std::to_string(report->created), std::to_string(report->updated),
                  std::to_string(report->unchanged), std::to_string(report->errors.size())}));
    if (opt.strict && !report->errors.empty())
      PrintLine(Tr(g.out.lang, "import.strict_rejected"));
    else if (opt.dry_run)
      PrintLine(Tr(g.out.lang, "import.dry_run"));
  }
  return report->errors.empty() ? 0 : 1;
}

int CmdProfileSave(Globals& g, const std::string& name, const std::vector<std::string>& maps) {
  auto mapping = ledger::import::ParseMappingArgs(maps);
  if (!mapping.ok()) return Fail(g.out, mapping.error());
  auto opened = OpenOrgDb(g);
  if (!opened.ok()) return Fail(g.out, opened.error());
  ledger::LedgerService ledger(*opened->db);
  auto saved = ledger.SaveProfile({CliActor(opened->org), std::nullopt}, {0, name, *mapping});
  if (!saved.ok()) return Fail(g.out, saved.error());
  if (g.json)
    PrintJson(saved->ToJson());
  else
    PrintLine(Tr(g.out.lang, "import.profile_saved", {name, std::to_string(mapping->size())}));
  return 0;
}

int CmdCompleteness(Globals& g) {
  auto opened = OpenOrgDb(g);
  if (!opened.ok()) return Fail(g.out, opened.error());
  ledger::LedgerService ledger(*opened->db);
  auto c = ledger::LedgerCompleteness(ledger, {CliActor(opened->org), std::nullopt},
                                      FormatDateJst(SystemClock().Now()));
  if (!c.ok()) return Fail(g.out, c.error());
  if (g.json) {
    PrintJson(c->ToJson());
    return 0;
  }
  const auto& o = c->overall;
  PrintLine(
      Tr(g.out.lang, "ledger.completeness_line",
         {std::to_string(o.total), std::to_string(o.incomplete), std::to_string(o.support_ended),
          std::to_string(o.remote_unknown), std::to_string(c->remote_attention_ids.size()),
          std::to_string(c->missing_mds.size()), std::to_string(c->missing_sds.size()),
          std::to_string(c->pending_discovered)}));
  // Each field by the ledger's own column name in Japanese (the name --json gives in English).
  for (const auto& [field, n] : o.missing) {
    const char* ja = ledger::MissingFieldJa(field);
    PrintLine("  " + (g.out.lang == Lang::kJa && *ja != '\0' ? std::string(ja) : field) + "\t" +
              std::to_string(n));
  }
  return 0;
}

int CmdDocAdd(Globals& g, const std::string& system, const std::string& kind,
              const std::string& file, const std::string& version, const std::string& received,
              int64_t blank, const std::string& note) {
  auto read = ReadFileBytes(file);
  if (!read.ok()) return Fail(g.out, read.error());
  std::string bytes = std::move(*read);
  auto opened = OpenOrgDb(g);
  if (!opened.ok()) return Fail(g.out, opened.error());
  ledger::LedgerService ledger(*opened->db);
  ledger::Scope scope{CliActor(opened->org), std::nullopt};
  auto systems = ledger.ListSystems(scope);
  if (!systems.ok()) return Fail(g.out, systems.error());
  std::optional<int64_t> sid;
  for (const auto& s : *systems)
    if (s.name == system || std::to_string(s.id) == system) sid = s.id;
  if (!sid)
    return Fail(
        g.out, MakeError(ErrorCode::kNotFound, "common.not_found", {"system", system}, "--system"));
  ledger::SystemDocument d;
  d.system_id = *sid;
  d.kind = kind;
  d.file_name = std::filesystem::path(file).filename().string();
  d.content = std::move(bytes);
  d.jahis_version = version;
  d.received_on = received;
  if (blank >= 0) d.blank_answers = blank;
  d.note = note;
  auto added = ledger.AddSystemDocument(scope, d);
  if (!added.ok()) return Fail(g.out, added.error());
  if (g.json)
    PrintJson(added->ToJson());
  else
    PrintLine(Tr(g.out.lang, "ledger.doc_added", {system, kind, std::to_string(added->id)}));
  return 0;
}

int CmdDocList(Globals& g) {
  return LedgerListing(
      g, "ledger.doc_list_header",
      [](ledger::LedgerService& l, const ledger::Scope& sc) { return l.ListSystemDocuments(sc); },
      [](const ledger::SystemDocument& d) {
        return Columns({std::to_string(d.id), std::to_string(d.system_id), d.kind, d.file_name,
                        d.received_on});
      });
}

int CmdLedgerReport(Globals& g, const std::string& output, bool list) {
  auto opened = OpenOrgDb(g);
  if (!opened.ok()) return Fail(g.out, opened.error());
  ledger::LedgerService ledger(*opened->db);
  ledger::Scope scope{CliActor(opened->org), std::nullopt};
  if (list || output.empty()) {
    auto all = ledger.ListReports(scope);
    if (!all.ok()) return Fail(g.out, all.error());
    Json j = Json::array();
    if (!g.json) PrintLine(Tr(g.out.lang, "ledger.report_list_header"));
    for (const auto& r : *all) {
      j.push_back(r.ToJson());
      if (!g.json)
        PrintLine(Columns(
            {std::to_string(r.id), FormatWarekiJst(r.generated_at), r.generated_by, r.sha256}));
    }
    if (g.json) PrintJson(j);
    return 0;
  }
  auth::AuthService auth(*opened->db);
  auto org = auth.GetOrg(opened->org);
  if (!org.ok()) return Fail(g.out, org.error());
  auto rep = ledger::GenerateManagementReport(ledger, scope, {org->name, SystemClock().Now()});
  if (!rep.ok()) return Fail(g.out, rep.error());
  std::ofstream out(output, std::ios::binary | std::ios::trunc);
  out << rep->pdf;
  out.close();
  if (!out) return Fail(g.out, MakeError(ErrorCode::kIo, "export.cannot_write", {output}, output));
  if (g.json) {
    Json j = rep->ToJson();
    j["file"] = output;
    PrintJson(j);
  } else {
    PrintLine(Tr(g.out.lang, "report.written", {output, rep->sha256, std::to_string(rep->id)}));
  }
  return 0;
}

int CmdSbomList(Globals& g) {
  return LedgerListing(
      g, "ledger.sbom_list_header",
      [](ledger::LedgerService& l, const ledger::Scope& sc) { return l.ListSbomDocuments(sc); },
      [](const ledger::SbomDocument& d) {
        return Columns({std::to_string(d.id), d.format + " " + d.spec_version, d.subject,
                        std::to_string(d.component_count), d.file_name});
      });
}

int CmdDiscoveredList(Globals& g, const std::string& status) {
  return LedgerListing(
      g, "ledger.discovered_list_header",
      [&](ledger::LedgerService& l, const ledger::Scope& sc) {
        return l.ListDiscovered(sc, status);
      },
      [](const ledger::DiscoveredHost& h) {
        std::string ports;
        for (const auto& s : h.services)
          ports += (ports.empty() ? "" : ",") + std::to_string(s.value("port", 0)) + "/" +
                   s.value("name", "");
        return Columns({std::to_string(h.id), h.status, h.ip, h.mac,
                        h.hostnames.empty() ? "" : h.hostnames[0], ports, FormatJst(h.last_seen)});
      });
}

int CmdDiscoveredDecide(Globals& g, int64_t id, bool accept, const std::string& category,
                        const std::string& text) {
  auto opened = OpenOrgDb(g);
  if (!opened.ok()) return Fail(g.out, opened.error());
  ledger::LedgerService ledger(*opened->db);
  ledger::Scope scope{CliActor(opened->org), std::nullopt};
  if (accept) {
    auto a = ledger.AcceptDiscovered(scope, id, category, text);
    if (!a.ok()) return Fail(g.out, a.error());
    if (g.json)
      PrintJson(a->ToJson());
    else
      PrintLine(Tr(g.out.lang, "discovered.accepted", {std::to_string(a->id), a->name}));
  } else {
    auto h = ledger.IgnoreDiscovered(scope, id, text);
    if (!h.ok()) return Fail(g.out, h.error());
    if (g.json)
      PrintJson(h->ToJson());
    else
      PrintLine(Tr(g.out.lang, "discovered.ignored", {std::to_string(id)}));
  }
  return 0;
}

int CmdProfileList(Globals& g) {
  return LedgerListing(
      g, "ledger.profile_list_header",
      [](ledger::LedgerService& l, const ledger::Scope& sc) { return l.ListProfiles(sc); },
      [](const ledger::ImportProfile& p) {
        std::string mapping;
        for (const auto& [h, f] : p.mapping)
          mapping.append(mapping.empty() ? "" : " ").append(h).append("=").append(f);
        return Columns({p.name, mapping});
      });
}

int CmdLedgerExport(Globals& g, const std::string& format, const std::string& encoding,
                    const std::string& output) {
  auto opened = OpenOrgDb(g);
  if (!opened.ok()) return Fail(g.out, opened.error());
  store::Database& db = *opened->db;
  const int64_t org = opened->org;
  ledger::LedgerService ledger(db);
  ledger::Scope scope{CliActor(org), std::nullopt};
  auto names = ledger::import::NamesOf(ledger, scope);
  if (!names.ok()) return Fail(g.out, names.error());
  auto assets = ledger.AllAssets(scope);
  if (!assets.ok()) return Fail(g.out, assets.error());
  std::string content;
  if (format == "json") {
    Json all = Json::array();
    for (const auto& a : *assets) all.push_back(a.ToJsonWithCompleteness());
    content = all.dump(2) + "\n";
  } else if (format == "xlsx") {
    auth::AuthService auth(db);
    auto org_row = auth.GetOrg(org);
    if (!org_row.ok()) return Fail(g.out, org_row.error());
    auto xlsx = ledger::import::ExportXlsx(*assets, *names, {org_row->name, SystemClock().Now()});
    if (!xlsx.ok()) return Fail(g.out, xlsx.error());
    content = std::move(xlsx).value();
  } else {
    auto csv = ledger::import::ExportCsv(*assets, *names, encoding);
    if (!csv.ok()) return Fail(g.out, csv.error());
    content = std::move(csv).value();
  }
  std::ofstream out(output, std::ios::binary | std::ios::trunc);
  out << content;
  out.close();
  if (!out) return Fail(g.out, MakeError(ErrorCode::kIo, "export.cannot_write", {output}, output));
  if (g.json)
    PrintJson({{"file", output}, {"assets", assets->size()}, {"format", format}});
  else
    PrintLine(Tr(g.out.lang, "export.written", {output, std::to_string(assets->size())}));
  return 0;
}

int CmdServe(Globals& g, const std::string& listen, const std::string& cert, const std::string& key,
             const std::string& web_root, bool secure_cookies, int threads,
             const std::string& log_dir, const std::string& upload_dir,
             logs::ReceiverOptions syslog, const std::string& expire_at) {
  auto parsed = logs::DailySchedule::ParseOptional(expire_at);
  if (!parsed.ok()) return Fail(g.out, parsed.error());
  std::optional<logs::DailySchedule> schedule = *parsed;
  server::ServerOptions opts;
  opts.threads = threads;
  opts.log_dir = LogDirFor(g, log_dir);
  opts.upload_dir = UploadDirFor(g, upload_dir);
  if (!syslog.tls.empty() && (syslog.tls_cert.empty() || syslog.tls_key.empty()))
    return Fail(g.out, MakeError(ErrorCode::kInvalidArgument, "cli.tls_pair", {}, "--syslog-tls"));
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0)
    return Fail(g.out,
                MakeError(ErrorCode::kInvalidArgument, "cli.bad_listen", {listen}, "--listen"));
  opts.host = listen.substr(0, colon);
  if (opts.host.size() > 2 && opts.host.front() == '[')
    opts.host = opts.host.substr(1, opts.host.size() - 2);
  try {
    opts.port = std::stoi(listen.substr(colon + 1));
  } catch (const std::exception&) {
    return Fail(g.out,
                MakeError(ErrorCode::kInvalidArgument, "cli.bad_listen", {listen}, "--listen"));
  }
  if (cert.empty() != key.empty())
    return Fail(g.out, MakeError(ErrorCode::kInvalidArgument, "cli.tls_pair", {}, "--tls-cert"));
  opts.tls_cert = cert;
  opts.tls_key = key;
  opts.secure_cookies = secure_cookies;
  opts.web_root = WebRoot(web_root);
  if (opts.web_root.empty())
    std::cerr << "mamori: "
              << Tr(g.out.lang, "cli.web_root_missing", {web_root.empty() ? "web/dist" : web_root})
              << "\n";
  auto db = OpenDb(g, false);
  if (!db.ok()) return Fail(g.out, db.error());

  // SIGTERM and SIGINT are taken by one thread (sigwait) that stops the server gracefully.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGUSR1);  // wakes the signal thread when the server stops on its own
  pthread_sigmask(SIG_BLOCK, &set, nullptr);

  server::Server srv(**db, opts);
  auto bound = srv.Bind();
  if (!bound.ok()) return Fail(g.out, bound.error());
  std::string url = std::string(cert.empty() ? "http" : "https") + "://" + listen;
  std::cerr << Tr(g.out.lang, "cli.serving", {url}) << std::endl;
  // Syslog receivers beside the web server, into the first organisation's log store (the same
  // LogsService the API uses).
  std::unique_ptr<logs::Receiver> receiver;
  if (!syslog.udp.empty() || !syslog.tcp.empty() || !syslog.tls.empty()) {
    logs::LogsService* store = srv.FirstOrgLogs();
    if (store == nullptr) return Fail(g.out, MakeError(ErrorCode::kInvalidArgument, "org.none"));
    syslog.reload_matcher = RegistryMatcher(g);
    syslog.matcher = syslog.reload_matcher();
    auto r = logs::Receiver::Start(*store, syslog, SystemClock());
    if (!r.ok()) return Fail(g.out, r.error());
    receiver = std::move(*r);
    std::cerr << Tr(g.out.lang, "logs.serving",
                    {Json{{"udp", receiver->udp_port()},
                          {"tcp", receiver->tcp_port()},
                          {"tls", receiver->tls_port()}}
                         .dump(),
                     opts.log_dir})
              << std::endl;
  }
  // --expire-at: every organisation's retention once a day, on a thread of its own (the server
  // holds the stores: a separate `logs expire` could not run).
  std::atomic<bool> stopping{false};
  std::thread expiry;
  if (schedule) {
    std::cerr << Tr(g.out.lang, "logs.expiry_scheduled", {expire_at}) << std::endl;
    expiry = std::thread([&, schedule]() mutable {
      while (!stopping) {
        for (int i = 0; i < 10 && !stopping; ++i)
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
        if (stopping || !schedule->Due(SystemClock().Now())) continue;
        auto runs = srv.ExpireLogs(SystemClock().Now());
        if (!runs.ok()) {
          std::cerr << Tr(g.out.lang, "logs.expiry_failed", {"-", runs.error().Message(g.out.lang)})
                    << std::endl;
          continue;
        }
        for (const auto& done : *runs) {
          if (done.error)
            std::cerr << Tr(g.out.lang, "logs.expiry_failed",
                            {std::to_string(done.org_id), done.error->Message(g.out.lang)})
                      << std::endl;
          else if (done.record)
            std::cerr << Tr(g.out.lang, "logs.expiry_done",
                            {std::to_string(done.record->count), std::to_string(done.record->id)})
                      << std::endl;
        }
      }
    });
  }
  std::thread signals([&srv, set] {
    int sig = 0;
    sigwait(&set, &sig);
    srv.Stop();
  });
  srv.Run();
  stopping = true;
  if (expiry.joinable()) expiry.join();
  // Run() also returns when the listener fails; wake the signal thread so it can be joined.
  pthread_kill(signals.native_handle(), SIGUSR1);
  signals.join();
  if (receiver) receiver->Stop();  // drains the queue into the store, writes a checkpoint
  return 0;
}

int CmdDemoSeed(Globals& g, int64_t extra, bool no_feeds) {
  auto db = OpenDb(g, true);
  if (!db.ok()) return Fail(g.out, db.error());
  auth::AuthService auth(**db);
  auto existing = auth.FirstOrg();
  if (!existing.ok()) return Fail(g.out, existing.error());
  if (*existing)
    return Fail(g.out, MakeError(ErrorCode::kConflict, "cli.demo_exists", {(*db)->Describe()}));
  auto sum = demo::SeedDemoHospital(**db, auth::HashCost::kInteractive, extra, !no_feeds);
  if (!sum.ok()) return Fail(g.out, sum.error());
  // A month of access logs from the demo's log sources, in the log store beside the database.
  {
    logs::LogsService store(LogDirFor(g, ""), SystemClock());
    auto n = demo::SeedDemoLogs(**db, sum->org_id, store, SystemClock().Now());
    if (!n.ok()) return Fail(g.out, n.error());
  }
  if (g.json) {
    PrintJson({{"org_id", sum->org_id},
               {"org", sum->org_name},
               {"assets", sum->assets},
               {"vendors", sum->vendors},
               {"systems", sum->systems},
               {"users", sum->users},
               {"password", sum->password}});
  } else {
    PrintLine(Tr(g.out.lang, "cli.demo_seeded",
                 {sum->org_name, std::to_string(sum->assets), std::to_string(sum->vendors),
                  std::to_string(sum->users)}));
  }
  return 0;
}

// CLI11 pads the option column by bytes: a Japanese label (three bytes, two columns a
// character) would pull that line's description out of line. Padded here by the columns a
// terminal gives it (DisplayColumns).
class JapaneseFormatter : public CLI::Formatter {
 public:
  std::string make_option(const CLI::Option* opt, bool is_positional) const override {
    std::string name = "  " + make_option_name(opt, is_positional) + make_option_opts(opt);
    std::string desc = make_option_desc(opt);
    const size_t columns = DisplayColumns(name);
    const size_t width = get_column_width();
    std::string out = name;
    if (!desc.empty()) {
      if (columns >= width)
        out += "\n" + std::string(width, ' ');
      else
        out += std::string(width - columns, ' ');
      for (char c : desc) {
        out += c;
        if (c == '\n') out += std::string(width, ' ');
      }
    }
    out += '\n';
    return out;
  }
};

// --help in Japanese: CLI11's frame ("Usage", "Options", "Subcommands", the help flag's own
// description) around the commands' bilingual descriptions, which otherwise read half English.
// CLI11 keeps these as labels of the formatter all commands share and as the default group names
// of options and subcommands, renamed here once the whole tree is built.
void LocaliseHelp(CLI::App& app) {
  auto fmt = std::make_shared<JapaneseFormatter>();
  fmt->label("Usage", Tr(Lang::kJa, "cli.help_usage"));
  fmt->label("OPTIONS", Tr(Lang::kJa, "cli.help_options_badge"));
  fmt->label("SUBCOMMAND", Tr(Lang::kJa, "cli.help_subcommand"));
  fmt->label("SUBCOMMANDS", Tr(Lang::kJa, "cli.help_subcommand"));
  fmt->label("Positionals", Tr(Lang::kJa, "cli.help_positionals"));
  fmt->label("REQUIRED", Tr(Lang::kJa, "cli.help_required"));
  fmt->label("Env", Tr(Lang::kJa, "cli.help_env"));
  const std::string options = Tr(Lang::kJa, "cli.help_options");
  const std::string subcommands = Tr(Lang::kJa, "cli.help_subcommands");
  const std::string help = Tr(Lang::kJa, "cli.help_flag");
  auto rename = [&](auto& self, CLI::App& a) -> void {
    a.formatter(fmt);
    a.set_help_flag("-h,--help", help);  // before the groups: it joins the default group
    for (CLI::Option* o : a.get_options({}))
      if (o->get_group() == "Options") o->group(options);
    for (CLI::App* sub : a.get_subcommands({})) {
      if (sub->get_group() == "Subcommands") sub->group(subcommands);
      self(self, *sub);
    }
  };
  rename(rename, app);
}

int Run(int argc, char** argv) {
  InitCrypto();
  CLI::App app{
      "mamori — 医療機関のサイバーセキュリティ運用基盤 / cybersecurity operations for hospitals"};
  app.require_subcommand(1);
  app.fallthrough();
  Globals g;
  // CLI11's own usage errors (a missing subcommand or option, an argument it cannot place, a
  // value its checks refuse) in the output's language: the kind in Japanese, CLI11's English
  // detail after it (it names the option and the value). Set before the subcommands, which take
  // it from here.
  app.failure_message([&g](const CLI::App* a, const CLI::Error& e) {
    if (g.out.lang == Lang::kEn) return CLI::FailureMessage::simple(a, e);
    const char* key = "cli.usage_other";
    if (dynamic_cast<const CLI::RequiredError*>(&e) != nullptr) {
      key = "cli.usage_required";
    } else if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr) {
      key = "cli.usage_extras";
    } else if (dynamic_cast<const CLI::ValidationError*>(&e) != nullptr ||
               dynamic_cast<const CLI::ConversionError*>(&e) != nullptr) {
      key = "cli.usage_value";
    }
    return Tr(Lang::kJa, key, {e.what()}) + "\n" + Tr(Lang::kJa, "cli.usage_help") + "\n";
  });
  const char* env_db = std::getenv("MAMORI_DB");
  g.db = env_db ? env_db : "mamori.db";
  app.add_option("--db", g.db, "データベース（SQLiteファイル または postgresql://URL） / database")
      ->envname("MAMORI_DB");
  app.add_option("--lang", g.lang, "表示言語 ja|en / language")->check(CLI::IsMember({"ja", "en"}));
  app.add_flag("--json", g.json, "JSONで出力 / JSON output");

  int rc = 0;
  auto* init = app.add_subcommand("init", "データベースを初期化 / initialise the database");
  std::string org_name = "病院", kind = "hospital", admin;
  bool pw_stdin = false;
  init->add_option("--org", org_name, "組織名 / organisation name");
  init->add_option("--kind", kind, "hospital|clinic|maker|soc")
      ->check(CLI::IsMember({"hospital", "clinic", "maker", "soc"}));
  init->add_option("--admin", admin, "最初の管理者ユーザー名 / first admin user");
  init->add_flag("--password-stdin", pw_stdin, "パスワードを標準入力から / password on stdin");
  init->callback([&] { rc = CmdInit(g, org_name, kind, admin, pw_stdin); });

  auto* serve = app.add_subcommand("serve", "Webサーバを起動 / run the server");
  std::string listen = "127.0.0.1:8080", cert, key, web_root;
  bool secure_cookies = false;
  int threads = 32;
  serve->add_option("--listen", listen, "host:port");
  serve->add_option("--threads", threads, "同時接続を処理するスレッド数 / worker threads")
      ->check(CLI::Range(2, 1024));
  serve->add_option("--tls-cert", cert, "TLS証明書（PEM） / certificate")->check(CLI::ExistingFile);
  serve->add_option("--tls-key", key, "TLS秘密鍵（PEM） / private key")->check(CLI::ExistingFile);
  serve->add_option("--web-root", web_root, "Web画面のディレクトリ / web assets");
  serve->add_flag("--secure-cookies", secure_cookies,
                  "TLS終端プロキシの背後で Secure Cookie を使う / behind a TLS proxy");
  static std::string serve_log_dir;
  static std::string serve_upload_dir;
  static logs::ReceiverOptions syslog;
  serve->add_option("--log-dir", serve_log_dir,
                    "アクセスログの保管庫（既定: データベースの隣） / the access-log store");
  serve->add_option(
      "--upload-dir", serve_upload_dir,
      "大きなファイル（オフライン更新ファイル）の受け取り先（既定: データベースの隣） / "
      "where large uploads are assembled");
  serve->add_option("--syslog-udp", syslog.udp, "syslog の UDP 待受け（例 0.0.0.0:514）");
  serve->add_option("--syslog-tcp", syslog.tcp, "syslog の TCP 待受け（例 0.0.0.0:601）");
  serve->add_option("--syslog-tls", syslog.tls, "syslog の TLS 待受け（例 0.0.0.0:6514）");
  serve->add_option("--syslog-tls-cert", syslog.tls_cert, "syslog TLS の証明書（PEM）");
  serve->add_option("--syslog-tls-key", syslog.tls_key, "syslog TLS の秘密鍵（PEM）");
  serve->add_option("--syslog-tls-ca", syslog.tls_ca,
                    "クライアント証明書を要求し、この CA で検証 / require client certificates");
  static std::string serve_expire_at;
  serve->add_option("--expire-at", serve_expire_at,
                    "アクセスログの保存期間の削除を毎日この時刻（HH:MM、日本時間）に実行 / run the "
                    "access-log retention expiry daily at HH:MM JST");
  serve->callback([&] {
    rc = CmdServe(g, listen, cert, key, web_root, secure_cookies, threads, serve_log_dir,
                  serve_upload_dir, syslog, serve_expire_at);
  });

  auto* user = app.add_subcommand("user", "ユーザー管理 / users");
  user->require_subcommand(1);
  auto* uadd = user->add_subcommand("add", "ユーザー作成 / add a user");
  std::string uname, role, vendor, display;
  bool require_totp = false;
  uadd->add_option("name", uname, "ユーザー名")->required();
  uadd->add_option("--role", role, "admin|staff|vendor|inspector|auditor")->required();
  uadd->add_option("--vendor", vendor, "事業者名またはID（vendorロール） / vendor name or id");
  uadd->add_option("--display-name", display, "表示名 / display name");
  uadd->add_flag("--password-stdin", pw_stdin, "パスワードを標準入力から / password on stdin");
  uadd->add_flag("--require-totp", require_totp, "二要素認証を必須に / require TOTP");
  uadd->callback([&] { rc = CmdUserAdd(g, uname, role, vendor, display, pw_stdin, require_totp); });
  auto* ulist = user->add_subcommand("list", "ユーザー一覧 / list users");
  ulist->callback([&] { rc = CmdUserList(g); });
  auto* upass = user->add_subcommand("passwd", "パスワード変更 / set a password");
  upass->add_option("name", uname)->required();
  upass->add_flag("--password-stdin", pw_stdin);
  upass->callback([&] { rc = CmdUserPasswd(g, uname, pw_stdin); });
  auto* udis = user->add_subcommand("disable", "ユーザー無効化 / disable a user");
  udis->add_option("name", uname)->required();
  udis->callback([&] { rc = CmdUserDisable(g, uname); });

  auto* audit_cmd = app.add_subcommand("audit", "監査証跡 / audit trail");
  audit_cmd->require_subcommand(1);
  auto* alist = audit_cmd->add_subcommand("list", "監査証跡の一覧 / list");
  int64_t limit = 100;
  std::string action, entity;
  alist->add_option("--limit", limit)->check(CLI::Range(1, 1000));
  alist->add_option("--action", action, "操作の前方一致（例: auth.） / action prefix");
  alist->add_option("--entity", entity, "対象（user, asset…） / entity");
  alist->callback([&] { rc = CmdAuditList(g, limit, action, entity); });
  auto* averify = audit_cmd->add_subcommand("verify", "ハッシュ連鎖の検証 / verify the chain");
  averify->callback([&] { rc = CmdAuditVerify(g); });

  auto* ledger_cmd = app.add_subcommand("ledger", "機器台帳 / the device ledger");
  ledger_cmd->require_subcommand(1);
  auto* llist = ledger_cmd->add_subcommand("list", "機器一覧 / list assets");
  std::string category, search;
  llist->add_option("--category", category, "server|pc|network|medical|cloud|other")
      ->check(CLI::IsMember({"server", "pc", "network", "medical", "cloud", "other"}));
  llist->add_option("--search", search, "名称・端末名・IP・設置場所 / text");
  llist->callback([&] { rc = CmdLedgerList(g, category, search); });

  auto* limport =
      ledger_cmd->add_subcommand("import", "台帳の取込（Excel / CSV） / import a ledger file");
  std::string import_file;
  ledger::import::ImportOptions import_opt;
  limport->add_option("file", import_file, "Excel（.xlsx）またはCSV（UTF-8 / BOM付き / Shift_JIS）")
      ->required();
  limport->add_option("--format", import_opt.format, "auto|csv|xlsx|cyclonedx|spdx|nmap")
      ->check(CLI::IsMember({"auto", "csv", "xlsx", "cyclonedx", "spdx", "nmap"}));
  SbomTarget sbom_target;
  limport->add_option("--asset", sbom_target.asset,
                      "SBOMを登録する機器（ID・ホスト名） / the asset an SBOM belongs to");
  limport->add_option("--product", sbom_target.product,
                      "SBOMを登録する機種（メーカー/機種） / the product model (maker/model)");
  limport->add_option("--sheet", import_opt.sheet, "読むシート名 / the sheet to read (xlsx)");
  limport->add_flag("--dry-run", import_opt.dry_run, "変更内容だけ表示 / show, do not save");
  limport->add_flag("--strict", import_opt.strict,
                    "エラーが1件でもあれば何も取り込まない / all or nothing");
  std::vector<std::string> import_maps;
  std::string import_profile;
  limport->add_option("--map", import_maps,
                      "見出し=項目 の対応付け（繰り返し可） / header=field, repeatable");
  limport->add_option("--profile", import_profile, "保存した取込設定 / a saved import profile");
  limport->callback([&] {
    rc = CmdLedgerImport(g, import_file, import_opt, import_maps, import_profile, sbom_target);
  });

  auto* lreport =
      ledger_cmd->add_subcommand("report", "経営層への報告書（PDF） / the management report (PDF)");
  std::string report_file;
  bool report_list = false;
  lreport->add_option("-o,--output", report_file, "出力するPDF / output PDF");
  lreport->add_flag("--list", report_list, "これまでの報告書 / reports so far");
  lreport->callback([&] { rc = CmdLedgerReport(g, report_file, report_list); });

  ledger_cmd
      ->add_subcommand("completeness",
                       "台帳の記入状況（チェックリストの根拠） / completeness as evidence")
      ->callback([&] { rc = CmdCompleteness(g); });

  auto* ldoc = ledger_cmd->add_subcommand("doc", "MDS/SDS の管理 / MDS and SDS documents");
  ldoc->require_subcommand(1);
  auto* dadd = ldoc->add_subcommand("add", "登録 / add");
  std::string doc_system, doc_kind, doc_file, doc_version, doc_received, doc_note;
  int64_t doc_blank = -1;
  dadd->add_option("--system", doc_system, "システム名またはID / system name or id")->required();
  dadd->add_option("--kind", doc_kind, "mds|sds")->required()->check(CLI::IsMember({"mds", "sds"}));
  dadd->add_option("--file", doc_file, "文書ファイル / the document file")->required();
  dadd->add_option("--jahis-version", doc_version, "JAHIS版 / form version");
  dadd->add_option("--received", doc_received, "入手日 / date received");
  dadd->add_option("--blank-answers", doc_blank, "未回答の項目数 / unanswered items");
  dadd->add_option("--note", doc_note, "備考 / note");
  dadd->callback([&] {
    rc = CmdDocAdd(g, doc_system, doc_kind, doc_file, doc_version, doc_received, doc_blank,
                   doc_note);
  });
  ldoc->add_subcommand("list", "一覧 / list")->callback([&] { rc = CmdDocList(g); });

  auto* lsbom = ledger_cmd->add_subcommand("sbom", "登録済みSBOM / stored SBOMs");
  lsbom->require_subcommand(1);
  lsbom->add_subcommand("list", "SBOMの一覧 / list stored SBOMs")->callback([&] {
    rc = CmdSbomList(g);
  });

  auto* ldisc =
      ledger_cmd->add_subcommand("discovered", "台帳未登録の機器 / hosts not in the ledger");
  ldisc->require_subcommand(1);
  auto* dlist = ldisc->add_subcommand("list", "一覧 / list");
  std::string disc_status = "pending";
  dlist->add_option("--status", disc_status, "pending|accepted|ignored|all")
      ->check(CLI::IsMember({"pending", "accepted", "ignored", "all"}));
  dlist->callback([&] { rc = CmdDiscoveredList(g, disc_status == "all" ? "" : disc_status); });
  auto* daccept = ldisc->add_subcommand("accept", "台帳に登録 / add to the ledger");
  int64_t disc_id = 0;
  std::string disc_category, disc_name, disc_note;
  daccept->add_option("id", disc_id, "ID")->required();
  daccept->add_option("--category", disc_category, "server|pc|network|medical|cloud|other")
      ->required();
  daccept->add_option("--name", disc_name, "名称 / name");
  daccept->callback([&] { rc = CmdDiscoveredDecide(g, disc_id, true, disc_category, disc_name); });
  auto* dignore = ldisc->add_subcommand("ignore", "対象外にする / ignore");
  dignore->add_option("id", disc_id, "ID")->required();
  dignore->add_option("--note", disc_note, "理由 / reason")->required();
  dignore->callback([&] { rc = CmdDiscoveredDecide(g, disc_id, false, "", disc_note); });

  auto* lprofile = ledger_cmd->add_subcommand("profile", "取込設定 / import mapping profiles");
  lprofile->require_subcommand(1);
  auto* psave = lprofile->add_subcommand("save", "取込設定を保存 / save a profile");
  std::string profile_name;
  std::vector<std::string> profile_maps;
  psave->add_option("name", profile_name, "名前 / name")->required();
  psave->add_option("--map", profile_maps, "見出し=項目 / header=field")->required();
  psave->callback([&] { rc = CmdProfileSave(g, profile_name, profile_maps); });
  auto* plist = lprofile->add_subcommand("list", "取込設定の一覧 / list profiles");
  plist->callback([&] { rc = CmdProfileList(g); });

  auto* lexport = ledger_cmd->add_subcommand("export", "台帳の出力 / export the ledger");
  std::string export_format = "csv", export_encoding = "utf-8-bom", export_file;
  lexport->add_option("--format", export_format, "csv|json|xlsx")
      ->check(CLI::IsMember({"csv", "json", "xlsx"}));
  lexport->add_option("--encoding", export_encoding, "utf-8-bom|cp932（CSV）")
      ->check(CLI::IsMember({"utf-8-bom", "cp932"}));
  lexport->add_option("-o,--output", export_file, "出力ファイル / output file")->required();
  lexport->callback([&] { rc = CmdLedgerExport(g, export_format, export_encoding, export_file); });

  AddChecklistCommands(app, g, rc);
  AddOrgCommands(app, g, rc);
  AddVulnCommands(app, g, rc);
  AddLogsCommands(app, g, rc);

  auto* version = app.add_subcommand("version", "版数 / version");
  version->callback([&] {
    if (g.json)
      PrintJson({{"version", MAMORI_VERSION},
                 {"schema_version", store::Database::LatestSchemaVersion()}});
    else
      PrintLine(std::string("mamori ") + MAMORI_VERSION + " (schema " +
                std::to_string(store::Database::LatestSchemaVersion()) + ")");
  });

  auto* demo_cmd = app.add_subcommand("demo", "デモデータ / demo data");
  demo_cmd->require_subcommand(1);
  auto* seed = demo_cmd->add_subcommand("seed", "デモ病院を作成 / create the demo hospital");
  int64_t extra = 0;
  seed->add_option("--extra-pcs", extra, "追加の端末PC数（性能測定用） / extra PCs (benchmarks)")
      ->check(CLI::Range(0, 1000000));
  bool no_feeds = false;
  seed->add_flag("--no-feeds", no_feeds,
                 "同梱の脆弱性情報を読み込まない / without the bundled vulnerability extract");
  seed->callback([&] { rc = CmdDemoSeed(g, extra, no_feeds); });

  // Language first, so that even argument errors can be reported in it.
  for (int i = 1; i + 1 < argc; ++i)
    if (std::string(argv[i]) == "--lang") g.lang = argv[i + 1];
  g.out.lang = ParseLang(g.lang).value_or(Lang::kJa);
  if (g.out.lang == Lang::kJa) LocaliseHelp(app);
  app.parse_complete_callback([&] {
    g.out.lang = ParseLang(g.lang).value_or(Lang::kJa);
    g.out.json = g.json;
  });
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 1;
  }
  return rc;
}

}  // namespace
}  // namespace mamori::cli

int main(int argc, char** argv) {
  try {
    return mamori::cli::Run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "mamori: internal error: " << e.what() << "\n";
    return 2;
  }
}
