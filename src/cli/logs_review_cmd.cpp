// `mamori logs sources|calendar|review|reviews|signoff`: the log-source registry (ログリスト)
// with each source's status, the facility's working calendar, and the periodic review with its
// report and sign-off. These need the organisation's database (the store itself does not).
#include <unistd.h>

#include <fstream>
#include <iostream>

#include "auth/auth_service.hpp"
#include "cli/logs_cmd.hpp"
#include "logs/review.hpp"
#include "logs/sources.hpp"

namespace mamori::cli {

namespace {

struct SourceArgs {
  std::string name, description, kind, transport, hosts, csv_mapping;
  int64_t interval = -1, skew = -1, retention = -1, offset = INT64_MIN, system_id = -1;
  std::string active;
};

// The flags given, as the JSON body the API takes (one reader for both).
Json SourceBody(const SourceArgs& a) {
  Json j = Json::object();
  if (!a.description.empty()) j["description"] = a.description;
  if (!a.kind.empty()) j["kind"] = a.kind;
  if (!a.transport.empty()) j["transport"] = a.transport;
  if (!a.hosts.empty()) j["hosts"] = a.hosts;
  if (a.interval >= 0) j["expected_interval_minutes"] = a.interval;
  if (a.skew >= 0) j["skew_tolerance_seconds"] = a.skew;
  if (a.retention >= 0) j["retention_years"] = a.retention;
  if (a.offset != INT64_MIN) j["utc_offset_minutes"] = a.offset;
  if (a.system_id >= 0) j["system_id"] = a.system_id;
  if (!a.active.empty()) j["active"] = a.active == "yes" || a.active == "true";
  if (!a.csv_mapping.empty()) j["csv_mapping"] = Json::parse(a.csv_mapping, nullptr, false);
  return j;
}

const char* StateKey(const std::string& state) {
  if (state == "ok") return "logs.state_ok";
  if (state == "silent") return "logs.state_silent";
  if (state == "skew") return "logs.state_skew";
  if (state == "never") return "logs.state_never";
  return "logs.state_inactive";
}

int CmdSources(Globals& g, const std::string& dir, bool check) {
  auto odb = OpenOrgDb(g);
  if (!odb.ok()) return Fail(g.out, odb.error());
  logs::LogSourcesService sources(*odb->db);
  logs::LogsService svc(dir, SystemClock());
  auto r = sources.Report(CliActor(odb->org), svc, SystemClock().Now());
  if (!r.ok()) return Fail(g.out, r.error());
  if (g.json) {
    PrintJson(r->ToJson());
  } else {
    PrintLine(Tr(g.out.lang, "logs.sources_header"));
    for (const auto& s : r->sources) {
      std::string skew = s.last_skew_ms ? std::to_string(*s.last_skew_ms / 1000) + "s" : "-";
      PrintLine(s.source.name + "\t" + Tr(g.out.lang, StateKey(s.state)) + "\t" +
                std::to_string(s.events_24h) + "\t" +
                (s.last_received ? FormatJst(*s.last_received) : "-") + "\t" + skew);
    }
    for (const auto& u : r->unregistered)
      PrintLine(
          Tr(g.out.lang, "logs.unregistered_sender", {u.source, u.host, std::to_string(u.events)}));
  }
  return check && r->Alerting() ? 2 : 0;
}

int CmdExpire(Globals& g, const std::string& dir, bool dry_run) {
  auto odb = OpenOrgDb(g);
  if (!odb.ok()) return Fail(g.out, odb.error());
  logs::LogSourcesService sources(*odb->db);
  logs::LogsService svc(dir, SystemClock());
  auto r = sources.Expire(CliActor(odb->org), svc, SystemClock().Now(), dry_run);
  if (!r.ok()) return Fail(g.out, r.error());
  if (g.json) {
    PrintJson(r->ToJson());
    return 0;
  }
  for (const auto& [rule, n] : r->due)
    PrintLine(Tr(g.out.lang, "logs.expiry_due",
                 {rule.source, std::to_string(rule.retention_years), FormatJst(rule.before),
                  std::to_string(n)}));
  if (r->record)
    PrintLine(Tr(g.out.lang, "logs.expiry_done",
                 {std::to_string(r->record->count), std::to_string(r->record->id)}));
  else if (!dry_run)
    PrintLine(Tr(g.out.lang, "logs.expiry_none"));
  return 0;
}

int CmdExpiries(Globals& g, const std::string& dir) {
  auto list = logs::ReadExpiries(dir);
  if (!list.ok()) return Fail(g.out, list.error());
  if (g.json) {
    PrintJsonList(*list);
    return 0;
  }
  PrintLine(Tr(g.out.lang, "logs.expiries_header"));
  for (const auto& e : *list)
    for (const auto& s : e.sources)
      PrintLine(
          Columns({std::to_string(e.id), FormatJst(e.time), e.by, s.source, std::to_string(s.count),
                   FormatJst(s.first_received) + "〜" + FormatJst(s.last_received)}));
  return 0;
}

int CmdSourceAdd(Globals& g, const SourceArgs& a, bool update) {
  auto odb = OpenOrgDb(g);
  if (!odb.ok()) return Fail(g.out, odb.error());
  logs::LogSourcesService sources(*odb->db);
  Json body = SourceBody(a);
  if (!update) body["name"] = a.name;
  auto parsed = JsonBody::Parse(body.dump());
  if (!parsed.ok()) return Fail(g.out, parsed.error());
  Result<logs::LogSource> r = MakeError(ErrorCode::kInternal, "common.internal");
  if (update) {
    r = sources.Update(CliActor(odb->org), a.name, *parsed);
  } else {
    logs::LogSource s;
    auto st = logs::ReadSource(*parsed, s);
    if (!st.ok()) return Fail(g.out, st.error());
    r = sources.Add(CliActor(odb->org), s);
  }
  if (!r.ok()) return Fail(g.out, r.error());
  if (g.json)
    PrintJson(r->ToJson());
  else
    PrintLine(Tr(g.out.lang, "logs.source_saved", {r->name}));
  return 0;
}

int CmdCalendar(Globals& g, const std::string& set_file) {
  auto odb = OpenOrgDb(g);
  if (!odb.ok()) return Fail(g.out, odb.error());
  logs::LogSourcesService sources(*odb->db);
  if (!set_file.empty()) {
    auto bytes = ReadFileBytes(set_file);
    if (!bytes.ok()) return Fail(g.out, bytes.error());
    Json j = Json::parse(*bytes, nullptr, false);
    if (j.is_discarded())
      return Fail(g.out, MakeError(ErrorCode::kInvalidArgument, "json.invalid", {"0"}, set_file));
    auto c = logs::WorkCalendar::FromJson(j);
    if (!c.ok()) return Fail(g.out, c.error());
    auto st = sources.SetCalendar(CliActor(odb->org), *c);
    if (!st.ok()) return Fail(g.out, st.error());
  }
  auto c = sources.Calendar(CliActor(odb->org));
  if (!c.ok()) return Fail(g.out, c.error());
  PrintJson(c->ToJson());
  return 0;
}

struct ReviewArgs {
  std::string from, to, out;
};

int CmdReview(Globals& g, const std::string& dir, const ReviewArgs& a) {
  auto odb = OpenOrgDb(g);
  if (!odb.ok()) return Fail(g.out, odb.error());
  auth::AuthService auth(*odb->db);
  auto org = auth.GetOrg(odb->org);
  if (!org.ok()) return Fail(g.out, org.error());
  logs::LogSourcesService sources(*odb->db);
  ledger::LedgerService ledger(*odb->db);
  resilience::ResilienceService files(*odb->db);
  logs::ReviewService reviews(*odb->db, files);
  logs::LogsService svc(dir, SystemClock());
  bool tty = !g.json && isatty(STDERR_FILENO) != 0;
  if (tty) std::cerr << Tr(g.out.lang, "logs.reviewing", {a.from, a.to}) << "\n";
  auto r = reviews.Create(CliActor(odb->org), svc, sources, ledger, a.from, a.to, org->name);
  if (!r.ok()) return Fail(g.out, r.error());
  if (!a.out.empty()) {
    ledger::Scope scope{CliActor(odb->org), std::nullopt};
    auto file = files.GetFile(scope, *r->report_file_id);
    if (!file.ok()) return Fail(g.out, file.error());
    std::ofstream out(a.out, std::ios::binary);
    out << file->content;
    if (!out)
      return Fail(g.out, MakeError(ErrorCode::kIo, "common.file_unwritable", {a.out, "write"}));
  }
  if (g.json) {
    PrintJson(r->ToJson(true));
  } else {
    const Json& t = r->summary["totals"];
    PrintLine(Tr(g.out.lang, "logs.review_done",
                 {std::to_string(r->id), r->period_from, r->period_to, t["events"].dump(),
                  t["sources_silent"].dump(), t["logons_failed"].dump(),
                  t["off_hours_logons"].dump(), t["log_cleared"].dump(), a.out}));
  }
  return 0;
}

int CmdReviews(Globals& g) {
  auto odb = OpenOrgDb(g);
  if (!odb.ok()) return Fail(g.out, odb.error());
  resilience::ResilienceService files(*odb->db);
  logs::ReviewService reviews(*odb->db, files);
  auto list = reviews.List(CliActor(odb->org));
  if (!list.ok()) return Fail(g.out, list.error());
  if (g.json) {
    Json a = Json::array();
    for (const auto& r : *list) a.push_back(r.ToJson(false));
    PrintJson(a);
    return 0;
  }
  PrintLine(Tr(g.out.lang, "logs.reviews_header"));
  for (const auto& r : *list)
    PrintLine(Columns({std::to_string(r.id), r.period_from, r.period_to,
                       r.signed_at ? r.signed_by + " " + FormatJst(*r.signed_at)
                                   : Tr(g.out.lang, "logs.review_unsigned")}));
  return 0;
}

int CmdSignoff(Globals& g, const std::string& dir, int64_t id, const std::string& comment) {
  auto odb = OpenOrgDb(g);
  if (!odb.ok()) return Fail(g.out, odb.error());
  resilience::ResilienceService files(*odb->db);
  logs::ReviewService reviews(*odb->db, files);
  logs::LogsService svc(dir, SystemClock());
  auto r = reviews.SignOff(CliActor(odb->org), svc, id, comment);
  if (!r.ok()) return Fail(g.out, r.error());
  if (g.json)
    PrintJson(r->ToJson(false));
  else
    PrintLine(Tr(g.out.lang, "logs.review_signed_ok",
                 {std::to_string(r->id), r->signed_by, FormatJst(*r->signed_at)}));
  return 0;
}

}  // namespace

void AddLogsRegistryCommands(CLI::App& logs, Globals& g, int& rc,
                             std::function<std::string()> dir_of) {
  // The callbacks run after parsing, when this function has returned: they keep their own copy.
  static std::function<std::string()> dir;
  dir = std::move(dir_of);
  static bool check = false;
  auto* sources = logs.add_subcommand(
      "sources", "ログリスト（送信元の登録と状態） / the log-source registry and its status");
  sources->add_flag(
      "--check", check,
      "途絶・時刻ずれがあれば終了コード 2 / exit 2 when a source is silent or skewed");
  sources->callback([&g, &rc, sources] {
    if (sources->get_subcommands().empty()) rc = CmdSources(g, dir(), check);
  });
  static SourceArgs sa;
  auto flags = [](CLI::App* c) {
    c->add_option("name", sa.name, "送信元の名前 / source name")->required();
    c->add_option("--description", sa.description, "送るログの内容 / what it sends");
    c->add_option("--kind", sa.kind, "syslog|atna|fhir|evtx|csv|jsonl");
    c->add_option("--transport", sa.transport, "udp|tcp|tls|http|file");
    c->add_option("--hosts", sa.hosts,
                  "送信元のホスト名・アドレス・ネットワーク（カンマ区切り） / hosts, addresses, "
                  "networks");
    c->add_option("--interval", sa.interval,
                  "この分数より長く届かなければ途絶 / silent after this many minutes");
    c->add_option("--skew", sa.skew, "時刻ずれの許容（秒） / clock tolerance in seconds");
    c->add_option("--retention", sa.retention, "保存年数 / retention in years");
    c->add_option("--utc-offset", sa.offset,
                  "時刻帯なしの時刻の UTC からの分 / offset of local times (minutes)");
    c->add_option("--system", sa.system_id, "台帳のシステム ID / ledger system id");
    c->add_option("--active", sa.active, "yes|no");
    c->add_option("--csv-mapping", sa.csv_mapping,
                  "CSV の列の対応（JSON） / CSV column mapping (JSON)");
  };
  auto* add = sources->add_subcommand("add", "送信元を登録 / register a source");
  flags(add);
  add->callback([&] { rc = CmdSourceAdd(g, sa, false); });
  auto* update = sources->add_subcommand("update", "送信元を変更 / change a source");
  flags(update);
  update->callback([&] { rc = CmdSourceAdd(g, sa, true); });
  static std::string remove_name;
  auto* remove = sources->add_subcommand("remove", "送信元の登録を削除 / remove a source");
  remove->add_option("name", remove_name)->required();
  remove->callback([&] {
    auto odb = OpenOrgDb(g);
    if (!odb.ok()) {
      rc = Fail(g.out, odb.error());
      return;
    }
    logs::LogSourcesService svc(*odb->db);
    auto st = svc.Remove(CliActor(odb->org), remove_name);
    rc = st.ok() ? 0 : Fail(g.out, st.error());
  });

  static bool expire_dry = false;
  auto* expire = logs.add_subcommand(
      "expire",
      "保存年数を過ぎたログを削除し、署名した削除記録を残す / remove logs past their "
      "retention, keeping a signed record");
  expire->add_flag("--dry-run", expire_dry, "件数だけ数える / count only");
  expire->callback([&] { rc = CmdExpire(g, dir(), expire_dry); });
  logs.add_subcommand("expiries", "削除記録の一覧 / the expiry records")->callback([&] {
    rc = CmdExpiries(g, dir());
  });

  static std::string calendar_file;
  auto* calendar = logs.add_subcommand(
      "calendar", "勤務カレンダー（時間外ログオンの判定） / the working calendar");
  calendar->add_option("--set", calendar_file, "JSON ファイルで設定 / set from a JSON file");
  calendar->callback([&] { rc = CmdCalendar(g, calendar_file); });

  static ReviewArgs ra;
  auto* review = logs.add_subcommand(
      "review", "定期確認の報告書（PDF）を作成して記録 / the periodic review report");
  review->add_option("--from", ra.from, "開始日（含む） / first day")->required();
  review->add_option("--to", ra.to, "終了日（含む） / last day")->required();
  review->add_option("-o,--output", ra.out, "PDF の出力先 / the PDF file to write");
  review->callback([&] { rc = CmdReview(g, dir(), ra); });

  logs.add_subcommand("reviews", "定期確認の一覧 / the reviews kept")->callback([&] {
    rc = CmdReviews(g);
  });
  static int64_t signoff_id = 0;
  static std::string signoff_comment;
  auto* signoff = logs.add_subcommand("signoff", "定期確認を承認（署名） / sign off a review");
  signoff->add_option("id", signoff_id, "確認の番号 / review id")->required();
  signoff->add_option("--comment", signoff_comment, "所見 / findings");
  signoff->callback([&] { rc = CmdSignoff(g, dir(), signoff_id, signoff_comment); });
}

}  // namespace mamori::cli
