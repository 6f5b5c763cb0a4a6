// `mamori vuln bundle …`: the signed offline bundle that carries feeds to a closed network.
// keygen, build and verify work without a database (the connected machine that builds bundles
// need not run mamori's server); trust, keys, load and list work on the installation's database.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/vuln_cmd.hpp"
#include "core/time.hpp"
#include "vuln/bundle.hpp"

namespace mamori::cli {

namespace {

bool Tty(const Globals& g) {
  return !g.json && isatty(STDERR_FILENO) != 0;
}

std::function<void(size_t, size_t, const std::string&)> Progress(const Globals& g) {
  if (!Tty(g)) return {};
  return [](size_t done, size_t total, const std::string& name) {
    std::cerr << "[" << done + 1 << "/" << total << "] " << name << "\n";
  };
}

Status WriteNewFile(const std::string& path, const std::string& bytes, mode_t mode) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec))
    return MakeError(ErrorCode::kConflict, "common.file_unwritable", {path, "exists"});
  {
    std::ofstream out(path, std::ios::binary);
    if (!out) return MakeError(ErrorCode::kIo, "common.file_unwritable", {path, "open"});
    out << bytes;
    if (!out) return MakeError(ErrorCode::kIo, "common.file_unwritable", {path, "write"});
  }
  chmod(path.c_str(), mode);
  return Ok();
}

Result<std::vector<vuln::PublicKey>> ReadPublicKeys(const std::vector<std::string>& files) {
  std::vector<vuln::PublicKey> keys;
  for (const auto& f : files) {
    MAMORI_ASSIGN_OR_RETURN(auto text, ReadFileBytes(f));
    MAMORI_ASSIGN_OR_RETURN(auto k, vuln::ParsePublicKey(text, f));
    keys.push_back(k);
  }
  return keys;
}

int CmdKeygen(Globals& g, const std::string& prefix) {
  auto key = vuln::GenerateSigningKey();
  std::string sec = prefix + ".key", pub = prefix + ".pub";
  if (auto st = WriteNewFile(sec, vuln::FormatSecretKey(key), 0600); !st.ok())
    return Fail(g.out, st.error());
  if (auto st = WriteNewFile(pub, vuln::FormatPublicKey(key.pub), 0644); !st.ok())
    return Fail(g.out, st.error());
  if (g.json) {
    PrintJson({{"key_id", key.pub.IdHex()}, {"secret_key", sec}, {"public_key", pub}});
  } else {
    PrintLine(Tr(g.out.lang, "bundle.keygen_done", {key.pub.IdHex(), sec, pub}));
  }
  return 0;
}

int CmdBuild(Globals& g, const std::vector<std::string>& inputs, const std::string& key_file,
             const std::string& out, const std::string& base_file, const std::string& producer) {
  auto key_text = ReadFileBytes(key_file);
  if (!key_text.ok()) return Fail(g.out, key_text.error());
  auto key = vuln::ParseSecretKey(*key_text, key_file);
  if (!key.ok()) return Fail(g.out, key.error());
  vuln::BundleBuild b;
  b.inputs = inputs;
  b.out = out;
  b.key = *key;
  b.created = FormatJst(SystemClock().Now());
  b.producer = producer.empty() ? std::string("mamori ") + MAMORI_VERSION : producer;
  b.progress = Progress(g);
  std::optional<vuln::OpenedBundle> base;
  if (!base_file.empty()) {
    // The base must be a bundle this key signed: a delta continues its producer's own series.
    auto opened = vuln::OpenBundle(base_file, {key->pub});
    if (!opened.ok()) return Fail(g.out, opened.error());
    base = std::move(*opened);
    b.base = &base->manifest;
  }
  auto m = vuln::BuildBundle(b);
  if (!m.ok()) return Fail(g.out, m.error());
  if (g.json) {
    Json j = m->ToJson();
    j["file"] = out;
    j["key_id"] = key->pub.IdHex();
    PrintJson(j);
  } else {
    PrintLine(Tr(g.out.lang, "bundle.built",
                 {out, std::to_string(m->sequence), std::to_string(m->files.size()),
                  std::to_string(m->unchanged.size()), key->pub.IdHex()}));
  }
  return 0;
}

// Keys for checking a bundle: those given, and the trusted ones of the database if there is one.
std::vector<vuln::PublicKey> KeysFor(const Globals& g, std::vector<vuln::PublicKey> given) {
  auto s = OpenVulnServices(g);
  if (!s.ok()) return given;
  auto keys = (*s)->vuln->TrustedBundleKeys((*s)->scope.actor);
  if (keys.ok()) given.insert(given.end(), keys->begin(), keys->end());
  return given;
}

int CmdVerify(Globals& g, const std::string& file, const std::vector<std::string>& key_files) {
  auto given = ReadPublicKeys(key_files);
  if (!given.ok()) return Fail(g.out, given.error());
  auto opened = vuln::OpenBundle(file, KeysFor(g, *given));
  if (!opened.ok()) return Fail(g.out, opened.error());
  if (g.json) {
    Json j = opened->manifest.ToJson();
    j["file"] = file;
    j["key_id"] = opened->signature.key.IdHex();
    j["trusted_comment"] = opened->signature.trusted_comment;
    j["sha256"] = opened->sha256;
    PrintJson(j);
  } else {
    PrintLine(Tr(g.out.lang, "bundle.verified",
                 {file, std::to_string(opened->manifest.sequence),
                  std::to_string(opened->manifest.files.size()), opened->signature.key.IdHex()}));
  }
  return 0;
}

int CmdTrust(Globals& g, const std::string& file, const std::string& comment) {
  auto s = OpenVulnServices(g);
  if (!s.ok()) return Fail(g.out, s.error());
  auto keys = ReadPublicKeys({file});
  if (!keys.ok()) return Fail(g.out, keys.error());
  auto r = (*s)->vuln->TrustBundleKey((*s)->scope.actor, keys->front(), comment);
  if (!r.ok()) return Fail(g.out, r.error());
  if (g.json)
    PrintJson(*r);
  else
    PrintLine(Tr(g.out.lang, "bundle.trusted", {(*r)["key_id"].get<std::string>()}));
  return 0;
}

int CmdUntrust(Globals& g, const std::string& key_id) {
  auto s = OpenVulnServices(g);
  if (!s.ok()) return Fail(g.out, s.error());
  auto r = (*s)->vuln->DistrustBundleKey((*s)->scope.actor, key_id);
  if (!r.ok()) return Fail(g.out, r.error());
  if (g.json)
    PrintJson({{"key_id", key_id}, {"removed", true}});
  else
    PrintLine(Tr(g.out.lang, "bundle.untrusted", {key_id}));
  return 0;
}

int CmdKeys(Globals& g) {
  auto s = OpenVulnServices(g);
  if (!s.ok()) return Fail(g.out, s.error());
  auto keys = (*s)->vuln->BundleKeys((*s)->scope.actor);
  if (!keys.ok()) return Fail(g.out, keys.error());
  if (g.json) {
    PrintJson(*keys);
    return 0;
  }
  PrintLine(Tr(g.out.lang, "vuln.bundle_keys_header"));
  for (const auto& k : *keys)
    PrintLine(Columns({k["key_id"].get<std::string>(), k["added_at"].get<std::string>(),
                       k["comment"].get<std::string>()}));
  return 0;
}

int CmdBundleLoad(Globals& g, const std::vector<std::string>& files,
                  const std::vector<std::string>& key_files, bool force) {
  auto s = OpenVulnServices(g);
  if (!s.ok()) return Fail(g.out, s.error());
  auto keys = ReadPublicKeys(key_files);
  if (!keys.ok()) return Fail(g.out, keys.error());
  Json out = Json::array();
  for (const auto& f : files) {
    auto r = (*s)->vuln->LoadBundle((*s)->scope.actor, f, *keys, force, Progress(g));
    if (!r.ok()) {
      if (g.json) PrintJson(out);
      return Fail(g.out, r.error());
    }
    out.push_back(r->ToJson());
    if (g.json) continue;
    if (r->already_loaded) {
      PrintLine(Tr(g.out.lang, "bundle.already_loaded",
                   {r->manifest.id, std::to_string(r->manifest.sequence)}));
      continue;
    }
    int64_t records = 0;
    for (const auto& l : r->files) records += l.records;
    PrintLine(Tr(g.out.lang, "bundle.loaded",
                 {f, std::to_string(r->manifest.sequence), std::to_string(r->files.size()),
                  std::to_string(records), r->signature.key.IdHex()}));
  }
  if (g.json) PrintJson(out);
  return 0;
}

int CmdBundleList(Globals& g) {
  auto s = OpenVulnServices(g);
  if (!s.ok()) return Fail(g.out, s.error());
  auto list = (*s)->vuln->Bundles((*s)->scope.actor);
  if (!list.ok()) return Fail(g.out, list.error());
  if (g.json) {
    PrintJson(*list);
    return 0;
  }
  PrintLine(Tr(g.out.lang, "vuln.bundles_header"));
  for (const auto& b : *list)
    PrintLine(Columns({std::to_string(b["sequence"].get<int64_t>()),
                       b["loaded_at"].get<std::string>(), b["id"].get<std::string>(),
                       b["base"].get<std::string>().empty() ? "full" : "delta",
                       b["key_id"].get<std::string>()}));
  return 0;
}

struct FeedArgs {
  std::vector<std::string> sources;
  std::vector<std::string> urls;  // source=URL
  std::string dir = "mamori-feeds";
  std::string proxy, ca_file, nvd_since;
  std::vector<std::string> eol_products;
  std::vector<std::string> osv_ecosystems;
  std::string jvn_since;
  int jvn_page_size = 50;
  long jvn_pause_ms = 1000;
  bool no_jvn_details = false;
  int page_size = 2000;
  long pause_ms = -1;
  int retries = 3;
  bool download_only = false;
};

int CmdFeedUpdate(Globals& g, const FeedArgs& a) {
  auto s = OpenVulnServices(g);
  if (!s.ok()) return Fail(g.out, s.error());
  vuln::FeedUpdateOptions o;
  for (const auto& src : a.sources) {
    const auto& known = vuln::FeedSourceNames();
    if (std::find(known.begin(), known.end(), src) == known.end())
      return Fail(g.out, MakeError(ErrorCode::kInvalidArgument, "feed.unknown_source", {src}));
    o.sources.push_back(src);
  }
  for (const auto& u : a.urls) {
    auto eq = u.find('=');
    if (eq == std::string::npos)
      return Fail(g.out, MakeError(ErrorCode::kInvalidArgument, "common.bad_param", {"--url"}));
    o.urls[u.substr(0, eq)] = u.substr(eq + 1);
  }
  o.dir = a.dir;
  o.http.proxy = a.proxy;
  o.http.ca_file = a.ca_file;
  o.http.retries = std::max(1, a.retries);
  if (const char* key = std::getenv("NVD_API_KEY")) o.nvd_api_key = key;
  o.nvd_page_size = a.page_size;
  o.nvd_pause_ms = a.pause_ms;
  o.eol_products = a.eol_products;
  o.osv_ecosystems = a.osv_ecosystems;
  o.jvn_page_size = a.jvn_page_size;
  o.jvn_pause_ms = a.jvn_pause_ms;
  o.jvn_details = !a.no_jvn_details;
  if (!a.jvn_since.empty()) {
    if (a.jvn_since.size() != 10 || !ParseTime(a.jvn_since + "T00:00:00+09:00"))
      return Fail(g.out,
                  MakeError(ErrorCode::kInvalidArgument, "common.bad_param", {"--jvn-since"}));
    o.jvn_since = a.jvn_since;
  }
  if (!a.nvd_since.empty()) {
    if (!ParseTime(a.nvd_since))
      return Fail(g.out,
                  MakeError(ErrorCode::kInvalidArgument, "common.bad_param", {"--nvd-since"}));
    o.nvd_since = a.nvd_since;
  }
  // The NVD window ends now, in UTC.
  {
    std::time_t secs = SystemClock().Now() / 1000;
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    o.now_utc = buf;
  }
  if (Tty(g))
    o.progress = [](const std::string& source, const std::string& what) {
      std::cerr << source << ": " << what << "\n";
    };
  auto r = (*s)->vuln->UpdateFeeds((*s)->scope.actor, o, a.download_only);
  if (!r.ok()) return Fail(g.out, r.error());
  Json out = Json::array();
  int failed = 0;
  for (const auto& f : *r) {
    out.push_back(f.ToJson(g.out.lang));
    if (f.error) ++failed;
    if (g.json) continue;
    if (f.error) {
      std::cerr << f.source << ": " << f.error->Message(g.out.lang) << "\n";
      continue;
    }
    for (const auto& p : f.problems) std::cerr << f.source << ": " << p.Message(g.out.lang) << "\n";
    if (f.not_modified) {
      PrintLine(Tr(g.out.lang, "feed.not_modified", {f.source}));
      continue;
    }
    int64_t records = 0;
    for (const auto& l : f.loaded) records += l.records;
    PrintLine(Tr(g.out.lang, "feed.updated",
                 {f.source, std::to_string(f.files.size()), std::to_string(records)}));
  }
  if (g.json) PrintJson(out);
  return failed == 0 ? 0 : 1;
}

int CmdFeedStatus(Globals& g) {
  auto s = OpenVulnServices(g);
  if (!s.ok()) return Fail(g.out, s.error());
  auto list = (*s)->vuln->FeedSources((*s)->scope.actor);
  if (!list.ok()) return Fail(g.out, list.error());
  if (g.json) {
    PrintJson(*list);
    return 0;
  }
  PrintLine(Tr(g.out.lang, "vuln.feed_sources_header"));
  for (const auto& j : *list)
    PrintLine(Columns({j["source"].get<std::string>(),
                       j["last_success"].is_null() ? "" : j["last_success"].get<std::string>(),
                       j["last_error"].get<std::string>()}));
  return 0;
}

}  // namespace

void AddVulnBundleCommands(CLI::App& vuln, Globals& g, int& rc) {
  auto* bundle = vuln.add_subcommand(
      "bundle", "署名付きオフラインバンドル / the signed offline bundle of feeds");
  bundle->require_subcommand(1);

  static std::string prefix;
  auto* keygen = bundle->add_subcommand(
      "keygen", "署名鍵の作成（minisign 形式） / create a signing key pair (minisign format)");
  keygen->add_option("--out", prefix, "PREFIX → PREFIX.key, PREFIX.pub")->required();
  keygen->callback([&] { rc = CmdKeygen(g, prefix); });

  static std::vector<std::string> inputs;
  static std::string key_file, out, base;
  auto* build = bundle->add_subcommand(
      "build", "取得済みフィードからバンドルを作成 / build a bundle from downloaded feeds");
  build->add_option("path", inputs, "フィードのファイルまたはフォルダ / feed files or folders")
      ->required();
  build->add_option("--key", key_file, "秘密鍵 / secret key (minisign, unencrypted)")->required();
  build->add_option("-o,--out", out, "出力ファイル / the bundle to write")->required();
  build->add_option("--base", base,
                    "差分の基になる前回のバンドル / the previous bundle: write a delta");
  static std::string producer;
  build->add_option("--producer", producer,
                    "作成元の名前（例: 地域ISAC。既定: mamori とその版） / who built it");
  build->callback([&] { rc = CmdBuild(g, inputs, key_file, out, base, producer); });

  static std::string file;
  static std::vector<std::string> pub_keys;
  auto* verify =
      bundle->add_subcommand("verify", "署名と内容の検証（読み込まない） / verify, do not load");
  verify->add_option("file", file, "バンドル / bundle")->required();
  verify->add_option("--key", pub_keys, "公開鍵 / public key file(s)");
  verify->callback([&] { rc = CmdVerify(g, file, pub_keys); });

  static std::string trust_file, comment;
  auto* trust = bundle->add_subcommand(
      "trust", "バンドル署名の公開鍵を信頼済みに登録 / trust a public key for bundles");
  trust->add_option("pubkey", trust_file, "公開鍵ファイル / public key file")->required();
  trust->add_option("--comment", comment, "発行元など / who publishes it");
  trust->callback([&] { rc = CmdTrust(g, trust_file, comment); });

  static std::string key_id;
  auto* untrust = bundle->add_subcommand("untrust", "信頼済み鍵の削除 / remove a trusted key");
  untrust->add_option("key_id", key_id, "鍵ID / key id")->required();
  untrust->callback([&] { rc = CmdUntrust(g, key_id); });

  bundle->add_subcommand("keys", "信頼済みの公開鍵 / trusted keys")->callback([&] {
    rc = CmdKeys(g);
  });

  static std::vector<std::string> files;
  static bool force = false;
  auto* load =
      bundle->add_subcommand("load", "バンドルを検証して読み込む / verify and load bundles");
  load->add_option("file", files, "バンドル / bundle files, base first")->required();
  load->add_option("--key", pub_keys, "この読込だけに使う公開鍵 / public key for this load only");
  load->add_flag("--force", force, "読込済みでも読み込み直す / load again if already loaded");
  load->callback([&] { rc = CmdBundleLoad(g, files, pub_keys, force); });

  bundle->add_subcommand("list", "読み込んだバンドル / bundles loaded")->callback([&] {
    rc = CmdBundleList(g);
  });

  auto* feed = vuln.add_subcommand("feed", "ネットワーク経由の取得 / download feeds");
  feed->require_subcommand(1);
  static FeedArgs fa;
  auto* update = feed->add_subcommand(
      "update",
      "NVD・KEV・EPSS・endoflife.date・OSV・JVN を取得して読み込む / download and load feeds");
  update->add_option("--source", fa.sources,
                     "nvd | kev | epss | eol | osv | jvn（省略時はすべて / all）");
  update->add_option("--url", fa.urls,
                     "取得元の URL / SOURCE=URL (eol: …{product}…, osv: …{ecosystem}…)");
  update->add_option("--dir", fa.dir, "保存先フォルダ / where the files are kept");
  update->add_option("--proxy", fa.proxy,
                     "プロキシ（省略時は環境変数 https_proxy など） / proxy (default: "
                     "https_proxy etc.)");
  update->add_option("--ca-file", fa.ca_file, "CA 証明書 / CA certificates");
  update->add_option("--eol-product", fa.eol_products, "endoflife.date の製品ID / product ids");
  update->add_option("--osv-ecosystem", fa.osv_ecosystems,
                     "OSV のエコシステム（Debian, PyPI, npm…） / OSV ecosystems");
  update->add_option("--jvn-since", fa.jvn_since,
                     "JVN iPedia: この日以降に更新されたもの（YYYY-MM-DD） / updated since");
  update->add_option("--jvn-page-size", fa.jvn_page_size,
                     "MyJVN の1ページの件数（最大50） / entries per page (≤ 50)");
  update->add_option("--jvn-pause-ms", fa.jvn_pause_ms,
                     "MyJVN への要求の間隔 / pause between MyJVN requests (ms)");
  update->add_flag("--no-jvn-details", fa.no_jvn_details,
                   "JVN iPedia: 詳細（影響を受ける版）を取得しない / skip the details (affected "
                   "versions)");
  update->add_option("--nvd-page-size", fa.page_size, "NVD の1ページの件数 / results per page");
  update->add_option("--nvd-pause-ms", fa.pause_ms,
                     "NVD への要求の間隔 / pause between NVD requests (ms)");
  update->add_option("--retries", fa.retries,
                     "通信エラー・429・5xx の試行回数 / attempts on network errors, 429, 5xx");
  update->add_option("--nvd-since", fa.nvd_since,
                     "この日時以降に更新された CVE を取得（前回の取得時刻の代わり） / fetch CVEs "
                     "modified since then instead of since the last update");
  update->add_flag("--download-only", fa.download_only,
                   "取得のみ（バンドル作成用） / only download (to build bundles)");
  update->callback([&] { rc = CmdFeedUpdate(g, fa); });
  feed->add_subcommand("status", "取得元ごとの最終取得 / last update per source")->callback([&] {
    rc = CmdFeedStatus(g);
  });
}

}  // namespace mamori::cli
