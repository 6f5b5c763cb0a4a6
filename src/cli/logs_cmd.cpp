// `mamori logs …`: the access-log store from the command line — ingest files, search, verify,
// the node's public key, reindex. The store lives in a directory (--log-dir; by default next to
// the SQLite database file: mamori.db → mamori-logs/).
#include "cli/logs_cmd.hpp"

#include <pthread.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include "core/time.hpp"
#include "logs/expiry_schedule.hpp"
#include "logs/logs_service.hpp"
#include "logs/receiver.hpp"
#include "logs/review.hpp"

namespace mamori::cli {

namespace {

struct IngestArgs {
  std::vector<std::string> files;
  std::string format = "auto";
  std::string source;
  std::string mapping;  // JSON: field → CSV header
  bool save_mapping = false;
};

// A registered source's CSV mapping and clock offset (when there is a database and the source is
// in it).
struct SourceDefaults {
  std::optional<logs::LogSource> source;
  std::map<std::string, std::string> mapping;
};

SourceDefaults Defaults(const Globals& g, const std::string& name) {
  SourceDefaults d;
  if (name.empty()) return d;
  auto odb = OpenOrgDb(g);
  if (!odb.ok()) return d;
  logs::LogSourcesService sources(*odb->db);
  auto list = sources.List(CliActor(odb->org));
  if (!list.ok()) return d;
  for (const auto& s : *list)
    if (s.name == name) {
      d.source = s;
      Json m = Json::parse(s.csv_mapping.empty() ? "{}" : s.csv_mapping, nullptr, false);
      if (m.is_object())
        for (const auto& [k, v] : m.items())
          if (v.is_string()) d.mapping[k] = v.get<std::string>();
    }
  return d;
}

int CmdIngest(Globals& g, const std::string& dir, const IngestArgs& a) {
  SourceDefaults defaults = Defaults(g, a.source);
  std::map<std::string, std::string> mapping = defaults.mapping;
  if (!a.mapping.empty()) {
    Json m = Json::parse(a.mapping, nullptr, false);
    if (!m.is_object())
      return Fail(g.out, MakeError(ErrorCode::kInvalidArgument, "common.bad_param", {"--mapping"},
                                   "--mapping"));
    mapping.clear();
    for (const auto& [k, v] : m.items())
      if (v.is_string()) mapping[k] = v.get<std::string>();
  }
  if (a.save_mapping && !defaults.source)
    return Fail(g.out,
                MakeError(ErrorCode::kNotFound, "logs.no_source", {a.source}, "--save-mapping"));
  int offset = defaults.source ? static_cast<int>(defaults.source->utc_offset_minutes) : 9 * 60;
  std::map<std::string, std::string> used;
  logs::LogsService svc(dir, SystemClock());
  Json total = {
      {"accepted", 0}, {"rejected", 0}, {"errors", Json::array()}, {"files", Json::array()}};
  bool tty = !g.json && isatty(STDERR_FILENO) != 0;
  int failed = 0;
  for (size_t i = 0; i < a.files.size(); ++i) {
    const auto& f = a.files[i];
    if (tty) std::cerr << "[" << i + 1 << "/" << a.files.size() << "] " << f << "\n";
    std::string source = a.source.empty() ? std::filesystem::path(f).filename().string() : a.source;
    auto r = svc.IngestPath(f, a.format, source, mapping, offset);
    if (!r.ok()) {
      ++failed;
      total["errors"].push_back(
          {{"file", f}, {"line", 0}, {"error", r.error().Message(g.out.lang)}});
      if (!g.json) std::cerr << r.error().Message(g.out.lang) << "\n";
      continue;
    }
    if (!r->csv_mapping.empty()) used = r->csv_mapping;
    total["accepted"] = total["accepted"].get<uint64_t>() + r->accepted;
    total["rejected"] = total["rejected"].get<uint64_t>() + r->rejected;
    Json fj = r->ToJson();
    fj["file"] = f;
    total["files"].push_back(fj);
    for (const auto& e : fj["errors"]) total["errors"].push_back(e);
    if (!g.json) {
      for (const auto& n : r->notes) std::cerr << n << "\n";
      for (const auto& e : r->errors) std::cerr << e.message << "\n";
      PrintLine(Tr(g.out.lang, "logs.ingested",
                   {f, std::to_string(r->accepted), std::to_string(r->rejected)}));
    }
  }
  // The columns as this file had them, kept for the source's next files.
  if (a.save_mapping && !used.empty()) {
    auto odb = OpenOrgDb(g);
    if (!odb.ok()) return Fail(g.out, odb.error());
    logs::LogSourcesService sources(*odb->db);
    auto body = JsonBody::Parse(Json{{"csv_mapping", used}}.dump());
    if (!body.ok()) return Fail(g.out, body.error());
    auto st = sources.Update(CliActor(odb->org), a.source, *body);
    if (!st.ok()) return Fail(g.out, st.error());
    total["mapping_saved"] = used;
  }
  if (g.json) PrintJson(total);
  return failed == 0 ? 0 : 1;
}

int CmdVerify(Globals& g, const std::string& dir, std::optional<uint64_t> from,
              const std::string& key_file) {
  std::optional<minisign::PublicKey> key;
  if (!key_file.empty()) {
    auto text = ReadFileBytes(key_file);
    if (!text.ok()) return Fail(g.out, text.error());
    auto k = minisign::ParsePublicKey(*text, key_file);
    if (!k.ok()) return Fail(g.out, k.error());
    key = *k;
  }
  logs::LogsService svc(dir, SystemClock());
  auto r = svc.Verify(from, key);
  if (!r.ok()) return Fail(g.out, r.error());
  // Recorded for the checklist (2-(6): verification clean and recent) when there is a database.
  if (auto odb = OpenOrgDb(g); odb.ok()) {
    resilience::ResilienceService files(*odb->db);
    logs::ReviewService reviews(*odb->db, files);
    auto st = reviews.RecordVerification(CliActor(odb->org), *r);
    if (!st.ok()) std::cerr << st.error().Message(g.out.lang) << "\n";
  }
  if (g.json) {
    PrintJson(r->ToJson());
  } else if (r->ok) {
    PrintLine(Tr(g.out.lang, "logs.verified",
                 {std::to_string(r->events), std::to_string(r->checkpoints_verified), r->key_id}));
  } else {
    for (const auto& p : r->problems) std::cerr << p.detail << "\n";
    PrintLine(Tr(g.out.lang, "logs.verify_failed", {std::to_string(r->problems.size())}));
  }
  return r->ok ? 0 : 1;
}

struct SearchArgs {
  std::string from, to;
  logs::LogQuery q;
  int64_t before = -1;
};

int CmdSearch(Globals& g, const std::string& dir, SearchArgs a) {
  auto time_arg = [&](const std::string& s, const char* name) -> Result<std::optional<UnixMillis>> {
    if (s.empty()) return std::optional<UnixMillis>();
    auto t = ParseTime(s);
    if (!t) return MakeError(ErrorCode::kInvalidArgument, "common.bad_param", {name});
    return std::optional<UnixMillis>(*t);
  };
  auto from = time_arg(a.from, "--from");
  if (!from.ok()) return Fail(g.out, from.error());
  auto to = time_arg(a.to, "--to");
  if (!to.ok()) return Fail(g.out, to.error());
  a.q.from = *from;
  a.q.to = *to;
  if (a.before >= 0) a.q.before_seq = static_cast<uint64_t>(a.before);
  logs::LogsService svc(dir, SystemClock());
  auto page = svc.Search(a.q);
  if (!page.ok()) return Fail(g.out, page.error());
  if (g.json) {
    Json events = Json::array();
    for (const auto& e : page->events) events.push_back(e.ToJson());
    Json j = {{"total", page->total}, {"total_exact", page->total_exact}, {"events", events}};
    j["next_before"] = page->next_before ? Json(*page->next_before) : Json(nullptr);
    PrintJson(j);
    return 0;
  }
  PrintLine(Tr(g.out.lang, "logs.search_header"));
  for (const auto& e : page->events)
    PrintLine(Columns(
        {FormatJst(e.time), e.host, e.user, e.action, logs::OutcomeName(e.outcome), e.message}));
  return 0;
}

// A scheduled expiry run in `logs serve`: the registry's retention, by the schedule (audited as
// such); what it did printed like `logs expire` (a JSON line with --json).
void RunScheduledExpiry(Globals& g, logs::LogsService& svc) {
  UnixMillis now = SystemClock().Now();
  auto odb = OpenOrgDb(g);
  if (!odb.ok()) {
    std::cerr << Tr(g.out.lang, "logs.expiry_failed", {"-", odb.error().Message(g.out.lang)})
              << "\n";
    return;
  }
  logs::LogSourcesService sources(*odb->db);
  store::Actor actor{odb->org, std::nullopt, "schedule:logs serve", "local"};
  auto r = sources.Expire(actor, svc, now, false);
  if (!r.ok()) {
    std::cerr << Tr(g.out.lang, "logs.expiry_failed",
                    {std::to_string(odb->org), r.error().Message(g.out.lang)})
              << "\n";
    return;
  }
  if (g.json) {
    std::cout << Json{{"expiry", r->ToJson()}, {"at", FormatJst(now)}}.dump() << "\n";
  } else if (r->record) {
    PrintLine(Tr(g.out.lang, "logs.expiry_done",
                 {std::to_string(r->record->count), std::to_string(r->record->id)}));
  } else {
    PrintLine(Tr(g.out.lang, "logs.expiry_none"));
  }
  std::cout.flush();
}

int CmdServe(Globals& g, const std::string& dir, logs::ReceiverOptions o, int stats_ms,
             const std::string& expire_at) {
  auto parsed = logs::DailySchedule::ParseOptional(expire_at);
  if (!parsed.ok()) return Fail(g.out, parsed.error());
  std::optional<logs::DailySchedule> schedule = *parsed;
  if (o.udp.empty() && o.tcp.empty() && o.tls.empty())
    return Fail(g.out, MakeError(ErrorCode::kInvalidArgument, "logs.serve_nothing"));
  if (!o.tls.empty() && (o.tls_cert.empty() || o.tls_key.empty()))
    return Fail(g.out, MakeError(ErrorCode::kInvalidArgument, "cli.tls_pair"));
  // SIGINT/SIGTERM are taken by sigwait below; the receiver threads never see them.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  // Events from a registered source's address are recorded under its name; the registry is
  // read again while serving.
  o.reload_matcher = RegistryMatcher(g);
  o.matcher = o.reload_matcher();
  logs::LogsService svc(dir, SystemClock());
  auto r = logs::Receiver::Start(svc, o, SystemClock());
  if (!r.ok()) return Fail(g.out, r.error());
  for (const auto& n : svc.notes()) std::cerr << n << "\n";
  Json ports = {{"udp", (*r)->udp_port()}, {"tcp", (*r)->tcp_port()}, {"tls", (*r)->tls_port()}};
  if (g.json)
    PrintJson({{"listening", ports}, {"log_dir", dir}});
  else
    PrintLine(Tr(g.out.lang, "logs.serving", {ports.dump(), dir}));
  std::cout.flush();
  if (schedule && !g.json) PrintLine(Tr(g.out.lang, "logs.expiry_scheduled", {expire_at}));
  // --stats: the receivers' counters, a line each interval in which they changed (monitoring;
  // the benchmark reads when the last event was stored from them). --expire-at: retention run
  // once a day, on this thread, while the receivers go on.
  if (stats_ms > 0 || schedule) {
    std::string last;
    int tick = stats_ms > 0 ? stats_ms : 1000;
    timespec every{tick / 1000, static_cast<long>(tick % 1000) * 1000000L};
    while (sigtimedwait(&set, nullptr, &every) < 0) {
      if (schedule && schedule->Due(SystemClock().Now())) RunScheduledExpiry(g, svc);
      if (stats_ms <= 0) continue;
      Json stats = (*r)->stats().ToJson();  // once: the line printed is the one compared
      std::string now = stats.dump();
      if (now == last) continue;
      last = now;
      if (g.json)
        std::cout
            << Json{{"stats", std::move(stats)}, {"at", FormatJst(SystemClock().Now())}}.dump()
            << "\n";  // one line each: a stream of JSON lines
      else
        PrintLine(FormatJst(SystemClock().Now()) + " " + now);
      std::cout.flush();
    }
  } else {
    int sig = 0;
    sigwait(&set, &sig);
  }
  (*r)->Stop();
  if (g.json)
    PrintJson({{"stopped", (*r)->stats().ToJson()}});
  else
    PrintLine(Tr(g.out.lang, "logs.stopped", {(*r)->stats().ToJson().dump()}));
  return 0;
}

}  // namespace

std::function<std::shared_ptr<const logs::SourceMatcher>()> RegistryMatcher(const Globals& g) {
  // One connection kept for the life of the receivers (shared by the copies of the function).
  auto odb = std::make_shared<std::optional<OrgDb>>();
  return [g, odb]() -> std::shared_ptr<const logs::SourceMatcher> {
    if (!odb->has_value()) {
      auto opened = OpenOrgDb(g);
      if (!opened.ok()) return nullptr;
      *odb = std::move(*opened);
    }
    logs::LogSourcesService sources(*(*odb)->db);
    auto list = sources.List(CliActor((*odb)->org));
    if (!list.ok()) return nullptr;
    return std::make_shared<logs::SourceMatcher>(std::move(*list));
  };
}

void AddLogsCommands(CLI::App& app, Globals& g, int& rc) {
  auto* logs = app.add_subcommand("logs", "アクセスログ / access logs");
  logs->require_subcommand(1);
  static std::string dir_opt;
  logs->add_option("--log-dir", dir_opt,
                   "ログ保管庫のフォルダ（既定: データベースの隣） / the log store directory");

  static IngestArgs ia;
  auto* ingest = logs->add_subcommand("ingest", "ログファイルの取込み / ingest log files");
  ingest->add_option("file", ia.files, "ファイル / files")->required();
  ingest->add_option("--format", ia.format, "auto|syslog|jsonl|evtx|atna|fhir|csv")
      ->check(CLI::IsMember({"auto", "syslog", "jsonl", "evtx", "atna", "fhir", "csv"}));
  ingest->add_option("--source", ia.source, "ログの送信元（ログリストの名前） / log source");
  ingest->add_option(
      "--mapping", ia.mapping,
      "CSV の列の対応（JSON: {\"time\":\"操作日時\",\"user\":\"利用者ID\",…}） / CSV "
      "columns");
  ingest->add_flag("--save-mapping", ia.save_mapping,
                   "使った列の対応を送信元に保存 / save the mapping for the source");
  ingest->callback([&] { rc = CmdIngest(g, LogDirFor(g, dir_opt), ia); });

  static int64_t from_cp = -1;
  static std::string key_file;
  auto* verify =
      logs->add_subcommand("verify", "改ざん・削除・欠落の検証 / prove the store unaltered");
  verify->add_option("--from", from_cp,
                     "このサイズのチェックポイントから / from the checkpoint of this size");
  verify->add_option("--key", key_file, "信頼する公開鍵（監査人の控え） / the public key to trust");
  verify->callback([&] {
    rc = CmdVerify(
        g, LogDirFor(g, dir_opt),
        from_cp >= 0 ? std::optional<uint64_t>(static_cast<uint64_t>(from_cp)) : std::nullopt,
        key_file);
  });

  static logs::ReceiverOptions ro;
  auto* serve = logs->add_subcommand(
      "serve", "syslog を受信して保管（UDP/TCP/TLS） / receive syslog into the store");
  serve->add_option("--udp", ro.udp, "UDP の待受け（例 0.0.0.0:514） / UDP listen address");
  serve->add_option("--tcp", ro.tcp,
                    "TCP の待受け（例 0.0.0.0:601、RFC 6587） / TCP listen address");
  serve->add_option("--tls", ro.tls,
                    "TLS の待受け（例 0.0.0.0:6514、RFC 5425） / TLS listen address");
  serve->add_option("--tls-cert", ro.tls_cert, "サーバ証明書（PEM） / server certificate");
  serve->add_option("--tls-key", ro.tls_key, "秘密鍵（PEM） / private key");
  serve->add_option("--tls-ca", ro.tls_ca,
                    "クライアント証明書を要求し、この CA で検証（相互 TLS） / require client "
                    "certificates signed by this CA");
  serve->add_option("--source", ro.source, "記録する送信元名 / log source name");
  serve->add_option("--reload", ro.reload_seconds,
                    "ログリストを読み直す間隔（秒、既定 30） / re-read the source registry every N "
                    "seconds (default 30)");
  static int stats_ms = 0;
  serve->add_option("--stats", stats_ms,
                    "受信・保管の件数をこの間隔（ミリ秒）で表示 / print the receivers' counters "
                    "every N milliseconds while they change");
  static std::string expire_at;
  serve->add_option("--expire-at", expire_at,
                    "保存期間の削除を毎日この時刻（HH:MM、日本時間）に実行 / run the retention "
                    "expiry daily at HH:MM JST");
  serve->callback([&] { rc = CmdServe(g, LogDirFor(g, dir_opt), ro, stats_ms, expire_at); });

  static SearchArgs sa;
  auto* search = logs->add_subcommand("search", "ログの検索 / search the logs");
  search->add_option("--from", sa.from, "開始時刻（この時刻を含む） / from (RFC 3339 or date)");
  search->add_option("--to", sa.to, "終了時刻（含まない） / to (exclusive)");
  search->add_option("--source", sa.q.source, "送信元 / log source");
  search->add_option("--host", sa.q.host, "ホスト / host");
  search->add_option("--user", sa.q.user, "利用者 / user");
  search->add_option("--object", sa.q.object, "対象（患者ID など） / object (patient ID…)");
  search->add_option("--action", sa.q.action, "操作 / action");
  search->add_option("--outcome", sa.q.outcome, "success|failure|unknown");
  search->add_option("--text", sa.q.text, "本文の文字列 / text in the message");
  search->add_option("--limit", sa.q.limit, "件数 / page size");
  search->add_option("--before", sa.before,
                     "この番号より前（次のページ） / events before this seq");
  search->callback([&] { rc = CmdSearch(g, LogDirFor(g, dir_opt), sa); });

  logs->add_subcommand("key", "署名の公開鍵（監査人に渡す） / the node's public key")
      ->callback([&] {
        logs::LogsService svc(LogDirFor(g, dir_opt), SystemClock());
        auto k = svc.PublicKey();
        if (!k.ok()) {
          rc = Fail(g.out, k.error());
          return;
        }
        std::cout << *k;
        rc = 0;
      });
  static int64_t proof_event = -1, proof_size = -1, proof_from = -1, proof_to = -1;
  auto* proof = logs->add_subcommand(
      "proof", "監査人向けの証明（包含・一貫性） / proofs for an auditor (RFC 6962)");
  proof->add_option("--event", proof_event,
                    "このイベントの包含証明 / inclusion proof of this event");
  proof->add_option("--size", proof_size, "このサイズのチェックポイントで / in this checkpoint");
  proof->add_option("--from", proof_from,
                    "一貫性証明: 古いチェックポイントのサイズ / consistency: old size");
  proof->add_option("--to", proof_to,
                    "一貫性証明: 新しいチェックポイントのサイズ / consistency: new size");
  proof->callback([&] {
    logs::LogsService svc(LogDirFor(g, dir_opt), SystemClock());
    Result<Json> r = MakeError(ErrorCode::kInvalidArgument, "common.bad_param", {"--event"});
    if (proof_event >= 0)
      r = svc.InclusionProofOf(
          static_cast<uint64_t>(proof_event),
          proof_size >= 0 ? std::optional<uint64_t>(proof_size) : std::nullopt);
    else if (proof_from >= 0 && proof_to >= 0)
      r = svc.ConsistencyProofOf(static_cast<uint64_t>(proof_from),
                                 static_cast<uint64_t>(proof_to));
    if (!r.ok()) {
      rc = Fail(g.out, r.error());
      return;
    }
    PrintJson(*r);  // a proof is data for a verifier: always JSON
    rc = 0;
  });
  static std::string export_from, export_to, export_out;
  static int64_t export_size = -1;
  auto* exp = logs->add_subcommand(
      "export", "期間のイベントを包含証明つきで書出し（監査人向け） / a range with its proofs");
  exp->add_option("--from", export_from, "開始（含む） / from")->required();
  exp->add_option("--to", export_to, "終了（含まない） / to (exclusive)")->required();
  exp->add_option("--size", export_size, "このサイズのチェックポイントで / in this checkpoint");
  exp->add_option("-o,--output", export_out, "出力ファイル（JSON） / output file")->required();
  exp->callback([&] {
    auto from = ParseTime(export_from), to = ParseTime(export_to);
    if (!from || !to) {
      rc = Fail(g.out, MakeError(ErrorCode::kInvalidArgument, "common.bad_param",
                                 {!from ? "--from" : "--to"}));
      return;
    }
    logs::LogsService svc(LogDirFor(g, dir_opt), SystemClock());
    auto r = svc.ExportRange(
        *from, *to, export_size >= 0 ? std::optional<uint64_t>(export_size) : std::nullopt);
    if (!r.ok()) {
      rc = Fail(g.out, r.error());
      return;
    }
    std::ofstream out(export_out, std::ios::binary);
    out << r->dump(1, ' ', false, Json::error_handler_t::replace) << "\n";
    if (!out) {
      rc = Fail(g.out, MakeError(ErrorCode::kIo, "common.file_unwritable", {export_out, "write"}));
      return;
    }
    Json summary = {{"output", export_out},
                    {"events", (*r)["events"].size()},
                    {"tree_size", (*r)["tree_size"]},
                    {"not_covered", (*r)["not_covered"]}};
    if (g.json)
      PrintJson(summary);
    else
      PrintLine(Tr(g.out.lang, "logs.exported",
                   {export_out, std::to_string((*r)["events"].size()), (*r)["tree_size"].dump(),
                    (*r)["not_covered"].dump()}));
    rc = 0;
  });
  logs->add_subcommand("status", "保管庫の状態 / what the store holds")->callback([&] {
    logs::LogsService svc(LogDirFor(g, dir_opt), SystemClock());
    auto st = svc.StoreStatus();
    if (!st.ok()) {
      rc = Fail(g.out, st.error());
      return;
    }
    if (g.json) {
      PrintJson(*st);
    } else {
      PrintLine(std::to_string((*st)["indexed"].get<uint64_t>()) + "\t" +
                std::to_string((*st)["segments"].get<uint64_t>()) + "\t" +
                std::to_string((*st)["bytes"].get<uint64_t>()));
    }
    rc = 0;
  });
  AddLogsRegistryCommands(*logs, g, rc, [&g] { return LogDirFor(g, dir_opt); });
  logs->add_subcommand("reindex", "索引を作り直す / rebuild the index")->callback([&] {
    logs::LogsService svc(LogDirFor(g, dir_opt), SystemClock());
    auto n = svc.Reindex();
    if (!n.ok()) {
      rc = Fail(g.out, n.error());
      return;
    }
    if (g.json)
      PrintJson({{"indexed", *n}});
    else
      PrintLine(std::to_string(*n));
    rc = 0;
  });
}

}  // namespace mamori::cli
