#include "vuln/vuln_service.hpp"

#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "core/crypto.hpp"
#include "core/gzip.hpp"
#include "core/i18n.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "ledger/completeness.hpp"
#include "store/settings.hpp"
#include "vuln/cvss.hpp"
#include "vuln/vex_apply.hpp"
#include "vuln/vex_export.hpp"
#include "vuln/vuln_repository.hpp"

namespace mamori::vuln {

namespace {

Error Invalid(const char* key, std::vector<std::string> args = {}, std::string field = "") {
  return MakeError(ErrorCode::kInvalidArgument, key, std::move(args), std::move(field));
}

std::string_view SkipBomAndSpace(std::string_view s) {
  if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
  while (!s.empty() && (s[0] == ' ' || s[0] == '\n' || s[0] == '\r' || s[0] == '\t'))
    s.remove_prefix(1);
  return s;
}

// The version scheme a component's versions are compared in, from its package URL.
VersionScheme SchemeOf(const std::shared_ptr<const Purl>& purl) {
  return purl ? PurlScheme(purl->type) : VersionScheme::kGeneric;
}

// A component as the engine sees it: from its own CPE, else its name resolved (aliases, this
// organisation's confirmations); nullopt when neither gives a CPE — the unresolved queue.
struct Resolved {
  MatchComponent mc;
  std::string source;  // cpe | alias:<id> | confirmed | purl
  std::string eol_product, eol_cycle;
};

class ComponentResolver {
 public:
  explicit ComponentResolver(std::map<std::string, std::string> confirmed)
      : confirmed_(std::move(confirmed)) {}

  std::optional<Resolved> Resolve(const std::string& name, const std::string& version,
                                  const std::string& cpe, const std::string& purl) const {
    Resolved r;
    r.mc.name = name;
    r.mc.version = version;
    if (!purl.empty())
      if (auto p = ParsePurl(purl); p.ok()) {
        if (p->version.empty()) p->version = version;
        r.mc.purl = std::make_shared<const Purl>(std::move(*p));
      }
    r.mc.component.scheme = SchemeOf(r.mc.purl);
    if (!cpe.empty()) {
      auto parsed = ParseCpe(cpe);
      if (!parsed.ok()) return PurlOnly(std::move(r));
      r.mc.component.cpe = *parsed;
      // A CPE without a version, on a component that states one, takes the component's.
      if (r.mc.component.cpe.Version() == "*" && !version.empty() &&
          !r.mc.component.cpe.Set(3, CpeEscape(version)))
        return PurlOnly(std::move(r));  // a "version" of thousands of characters
      r.source = "cpe";
    } else {
      if (name.empty()) return PurlOnly(std::move(r));
      Resolution res = NameResolver::Builtin().Resolve(name, version, confirmed_);
      if (!res.Resolved()) return PurlOnly(std::move(r));
      auto parsed = ParseCpe(res.candidates[0].cpe);
      if (!parsed.ok()) return PurlOnly(std::move(r));
      r.mc.component.cpe = *parsed;
      r.source = res.candidates[0].source;
      r.eol_product = res.candidates[0].eol_product;
      r.eol_cycle = res.candidates[0].eol_cycle;
    }
    return r;
  }

 private:
  // No CPE: a component with a package URL is still matched (against OSV), keyed by its purl.
  static std::optional<Resolved> PurlOnly(Resolved r) {
    if (!r.mc.purl) return std::nullopt;
    r.mc.component = Component{};
    r.mc.component.scheme = SchemeOf(r.mc.purl);
    r.source = "purl";
    return r;
  }

  std::map<std::string, std::string> confirmed_;
};

Result<ComponentResolver> LoadResolver(store::Database& db, const store::Actor& actor) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db, actor));
  MAMORI_ASSIGN_OR_RETURN(auto confirmed, repo::NameMap(tx, actor.org_id));
  return ComponentResolver(std::move(confirmed));
}

// The dictionary products a text could name: its words and runs of up to three words joined
// with "_" ("apache tomcat" → apache, tomcat, apache_tomcat).
std::vector<std::string> ProductGuesses(const std::string& normalised) {
  std::vector<std::string> words;
  std::istringstream in(normalised);
  for (std::string w; in >> w;) words.push_back(w);
  std::vector<std::string> out;
  for (size_t i = 0; i < words.size(); ++i) {
    std::string run;
    for (size_t n = 0; n < 3 && i + n < words.size(); ++n) {
      run += (n ? "_" : "") + words[i + n];
      if (run.size() >= 3) out.push_back(run);
    }
  }
  return out;
}

// Every component of an asset, its operating system included ("Windows 10 Pro" "22H2").
template <typename Fn>
void ForEachComponent(const ledger::Asset& a, Fn fn) {
  if (!a.os.empty()) fn(a.os, a.os_version, std::string(), std::string());
  for (const auto& sc : a.software) fn(sc.name, sc.version, sc.cpe, sc.purl);
}

std::string Upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

// Vectors scored with requirements ("vector\nCR:H/…"), each once per listing.
using ScoredVectors = std::map<std::string, std::optional<Cvss>>;

// The CVE's vector scored with the asset's requirements (v3.x environmental, v4.0 CVSS-BE):
// the requirements replace any the vector had. v2's environmental formula is not scored.
void ApplyRequirements(Finding& f, const AssetRequirements& r, ScoredVectors& cache) {
  std::string req = r.Vector();
  if (req.empty() || f.cvss.vector.empty()) return;
  f.requirements = req;
  std::string key = f.cvss.vector + "\n" + req;
  auto it = cache.find(key);
  if (it == cache.end()) {
    std::optional<Cvss> scored;
    if (f.cvss.vector.starts_with("CVSS:3.") || f.cvss.vector.starts_with("CVSS:4.")) {
      std::string v;
      std::string_view rest = f.cvss.vector;
      while (!rest.empty()) {
        size_t slash = rest.find('/');
        std::string_view part = rest.substr(0, slash);
        rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
        if (part.starts_with("CR:") || part.starts_with("IR:") || part.starts_with("AR:")) continue;
        v += (v.empty() ? "" : "/") + std::string(part);
      }
      if (auto c = ParseCvss(v + "/" + req); c.ok()) scored = std::move(*c);
    }
    it = cache.emplace(key, std::move(scored)).first;
  }
  if (!it->second) return;
  const Cvss& c = *it->second;
  double score = c.version == CvssVersion::kV40 ? c.base_score : c.environmental_score;
  if (score < 0) return;
  f.environmental_score = score;
  f.environmental_severity = CvssSeverity(score, c.version);
}

// The feeds' fields, the asset's requirements when it has them (`scored` caches the vectors
// scored with them), and the due date by the severity that results.
void ApplyInfo(Finding& f, const repo::CveInfo& info, const DuePolicy& policy,
               const std::string& today, const AssetRequirements* requirements = nullptr,
               ScoredVectors* scored = nullptr) {
  f.cvss = info.cvss;
  if (requirements != nullptr && scored != nullptr) ApplyRequirements(f, *requirements, *scored);
  f.title_ja = info.title_ja;
  f.jvndb = info.jvndb;
  f.kev = info.kev;
  f.kev_due = info.kev_due;
  f.ransomware = info.ransomware;
  f.epss = info.epss;
  std::string sev = Upper(f.Severity());
  int days = sev == "CRITICAL" ? policy.critical_days
             : sev == "HIGH"   ? policy.high_days
             : sev == "MEDIUM" ? policy.medium_days
             : sev == "LOW"    ? policy.low_days
                               : 0;
  std::string due;
  if (days > 0) due = ledger::DaysBefore(FormatDateJst(f.first_seen), -days);
  if (policy.kev_due && f.kev && !f.kev_due.empty() && (due.empty() || f.kev_due < due))
    due = f.kev_due;
  f.due_date = due;
  f.overdue = f.Open() && !due.empty() && due < today;
}

Json EvidenceToJson(const std::vector<Evidence>& ev, Lang lang) {
  Json out = Json::array();
  for (const auto& e : ev)
    out.push_back({{"criterion", e.criterion},
                   {"component", e.component},
                   {"bound", e.bound},
                   {"reason", e.key.empty() ? std::string() : Tr(lang, e.key, e.args)}});
  return out;
}

int64_t DaysBetween(const std::string& from, const std::string& to) {
  auto a = ParseTime(from);
  auto b = ParseTime(to);
  if (!a || !b) return 0;
  return (*b - *a) / (24LL * 3600 * 1000);
}

}  // namespace

// The message of a state, written out so that every key is visible to the catalogue check.
const char* FindingStateKey(const std::string& state) {
  if (state == "affected") return "vuln.state_affected";
  if (state == "not_affected") return "vuln.state_not_affected";
  if (state == "fixed") return "vuln.state_fixed";
  if (state == "accepted") return "vuln.state_accepted";
  return "vuln.state_new";
}

namespace {

bool Contains(const char* const* list, size_t n, const std::string& v) {
  return std::find(list, list + n, v) != list + n;
}

}  // namespace

Json LoadResult::ToJson() const {
  return {{"file", file},   {"kind", kind},       {"version", version},    {"records", records},
          {"added", added}, {"updated", updated}, {"unchanged", unchanged}};
}

Json DuePolicy::ToJson() const {
  return {{"critical_days", critical_days},
          {"high_days", high_days},
          {"medium_days", medium_days},
          {"low_days", low_days},
          {"kev_due", kev_due}};
}

Json MatchSummary::ToJson() const {
  return {{"targets", targets},
          {"components", components},
          {"unresolved", unresolved},
          {"candidates", candidates},
          {"added", added},
          {"still", still},
          {"gone", gone},
          {"current", current},
          {"vex_applied", vex_applied},
          {"incremental", incremental},
          {"evaluated_targets", evaluated_targets},
          {"changed_records", changed_records},
          {"changes", changes}};
}

Json VexLoadResult::ToJson() const {
  return {{"file", file},
          {"format", format},
          {"id", id},
          {"author", author},
          {"statements", statements},
          {"applied", applied},
          {"category", category},
          {"title", title}};
}

Json EolStatus::ToJson() const {
  Json j{{"asset_id", asset_id ? Json(*asset_id) : Json(nullptr)},
         {"asset", asset_name},
         {"component", component},
         {"product", product},
         {"cycle", cycle},
         {"eol", eol},
         {"ended", ended},
         {"days_left", days_left}};
  if (!candidates.empty()) j["candidates"] = candidates;
  return j;
}

Json ResolutionJson(const Resolution& r) {
  Json c = Json::array();
  for (const auto& x : r.candidates) {
    Json j{{"cpe", x.cpe}, {"confidence", x.confidence}, {"source", x.source}};
    if (!x.title.empty()) j["title"] = x.title;
    c.push_back(std::move(j));
  }
  return {{"normalised", r.normalised},
          {"status", r.Resolved() ? "resolved" : "unresolved"},
          {"cpe", r.Resolved() ? Json(r.candidates[0].cpe) : Json(nullptr)},
          {"candidates", std::move(c)}};
}

Json UnresolvedName::ToJson() const {
  Json j = ResolutionJson(Resolution{normalised, candidates});
  j["name"] = name;
  j["version"] = version;
  j["count"] = count;
  j["assets"] = assets;
  return j;
}

Json Finding::ToJson(Lang lang) const {
  Json j{
      {"id", id},
      {"target", target},
      {"asset_id", asset_id ? Json(*asset_id) : Json(nullptr)},
      {"asset", asset_name},
      {"asset_category", asset_category},
      {"component", component_name},
      {"component_key", component_key},
      {"component_purl", component_purl},
      {"version", component_version},
      {"cve", cve},
      {"verdict", verdict},
      {"evidence", EvidenceToJson(evidence, lang)},
      {"state", state},
      {"state_label", Tr(lang, FindingStateKey(state))},
      {"justification", justification},
      {"note", state_note},
      {"state_source", state_source},
      {"approver", approver},
      {"review_date", review_date},
      {"first_seen", first_seen ? Json(FormatJst(first_seen)) : Json(nullptr)},
      {"last_seen", last_seen ? Json(FormatJst(last_seen)) : Json(nullptr)},
      {"gone_at", gone_at ? Json(FormatJst(*gone_at)) : Json(nullptr)},
      {"cvss",
       {{"version", cvss.version},
        {"vector", cvss.vector},
        {"score", cvss.score},
        {"severity", cvss.severity},
        {"requirements", requirements},
        {"environmental_score", environmental_score ? Json(*environmental_score) : Json(nullptr)},
        {"environmental_severity", environmental_severity}}},
      {"severity", Severity()},
      {"title_ja", title_ja},
      {"jvndb", jvndb},
      {"kev", kev},
      {"kev_due", kev_due},
      {"ransomware", ransomware},
      {"epss", epss ? Json(*epss) : Json(nullptr)},
      {"due_date", due_date},
      {"overdue", overdue}};
  return j;
}

std::string DetectFeedKind(std::string_view bytes) {
  if (IsZip(bytes)) return "osv";  // OSV's per-ecosystem all.zip
  std::string_view s = SkipBomAndSpace(bytes);
  std::string_view head = s.substr(0, 65536);
  if (s.starts_with("<")) {
    if (head.find("VULDEF-Document") != std::string_view::npos) return "jvn";
    if (head.find("rdf:RDF") != std::string_view::npos &&
        head.find("jvn") != std::string_view::npos)
      return "jvn";
    return "";
  }
  if (s.starts_with("---")) return "eol";
  // OSV as YAML (the PyPA advisory database): "id:" and "modified:" keys at the top level.
  if (s.starts_with("id:") ||
      (head.find("\nid:") != std::string_view::npos &&
       head.find("\nmodified:") != std::string_view::npos && !s.starts_with("{")))
    return "osv";
  if (s.starts_with("#model_version") || s.starts_with("cve,epss")) return "epss";
  if (s.starts_with("[") && head.find("\"modified\"") != std::string_view::npos &&
      head.find("\"id\"") != std::string_view::npos)
    return "osv";  // an array of OSV records
  if (s.starts_with("{")) {
    // MyJVN OKA JSON names its schema (jvndb.jvn.jp/schema/myjvn_…) or its API; it carries
    // "vulnerabilities" and "cve" too, so it is told apart first.
    if (head.find("jvndb.jvn.jp/schema/myjvn") != std::string_view::npos ||
        head.find("\"MyJVN API\"") != std::string_view::npos)
      return "jvn";
    if (head.find("\"catalogVersion\"") != std::string_view::npos) return "kev";
    if (head.find("\"modified\"") != std::string_view::npos &&
        head.find("\"id\"") != std::string_view::npos &&
        (head.find("\"affected\"") != std::string_view::npos ||
         head.find("\"aliases\"") != std::string_view::npos ||
         head.find("\"schema_version\"") != std::string_view::npos))
      return "osv";
    if (head.find("\"products\"") != std::string_view::npos &&
        head.find("\"cpeName\"") != std::string_view::npos)
      return "cpe";
    if (head.find("\"vulnerabilities\"") != std::string_view::npos ||
        head.find("\"cve\"") != std::string_view::npos)
      return "nvd";
  }
  return "";
}

namespace {

// A feed file read and checked, before anything is written.
struct ParsedFeed {
  LoadResult r;
  std::string sha256;
  NvdFeed cves;
  std::vector<JvnEntry> jvn;
  std::vector<CpeProduct> dictionary;
  KevCatalog kev;
  EpssFile epss;
  EolProduct eol;
  std::vector<OsvRecord> osv;
};

Result<ParsedFeed> ParseFeed(std::string bytes, const std::string& file) {
  MAMORI_ASSIGN_OR_RETURN(bytes, MaybeGunzip(std::move(bytes), file));
  ParsedFeed p;
  LoadResult& r = p.r;
  r.file = file;
  r.kind = DetectFeedKind(bytes);
  if (r.kind.empty()) return Invalid("vuln.unknown_feed", {file}, file);
  if (r.kind == "nvd") {
    MAMORI_ASSIGN_OR_RETURN(p.cves, ReadNvdFeed(bytes, file));
    r.records = static_cast<int64_t>(p.cves.records.size());
  } else if (r.kind == "osv") {
    if (IsZip(bytes)) {
      MAMORI_ASSIGN_OR_RETURN(p.osv, ReadOsvZip(bytes, file));
    } else {
      MAMORI_ASSIGN_OR_RETURN(p.osv, ReadOsv(bytes, file));
    }
    r.records = static_cast<int64_t>(p.osv.size());
  } else if (r.kind == "jvn") {
    MAMORI_ASSIGN_OR_RETURN(p.jvn, ReadJvn(bytes, file));
    r.records = static_cast<int64_t>(p.jvn.size());
  } else if (r.kind == "cpe") {
    MAMORI_ASSIGN_OR_RETURN(p.dictionary, ReadCpeDictionary(bytes, file));
    r.records = static_cast<int64_t>(p.dictionary.size());
  } else if (r.kind == "kev") {
    MAMORI_ASSIGN_OR_RETURN(p.kev, ReadKev(bytes, file));
    r.records = static_cast<int64_t>(p.kev.entries.size());
    r.version = p.kev.version;
  } else if (r.kind == "epss") {
    MAMORI_ASSIGN_OR_RETURN(p.epss, ReadEpss(bytes, file));
    r.records = static_cast<int64_t>(p.epss.scores.size());
    r.version = p.epss.score_date;
  } else {
    MAMORI_ASSIGN_OR_RETURN(p.eol, ReadEolProduct(bytes, file));
    r.records = static_cast<int64_t>(p.eol.releases.size());
    r.version = p.eol.id;
  }
  p.sha256 = Sha256Hex(bytes);
  return p;
}

// Writes a parsed file in the caller's transaction: its records, its row in vuln_feed_files and
// the audit record; fills in what was added, updated and unchanged.
Status WriteFeed(store::Tx& tx, ParsedFeed& p) {
  LoadResult& r = p.r;
  if (r.kind == "nvd") {
    MAMORI_ASSIGN_OR_RETURN(auto c, repo::UpsertCves(tx, p.cves.records));
    r.added = c.added;
    r.updated = c.updated;
    r.unchanged = c.unchanged;
  } else if (r.kind == "osv") {
    MAMORI_ASSIGN_OR_RETURN(auto c, repo::UpsertOsv(tx, p.osv));
    r.added = c.added;
    r.updated = c.updated;
    r.unchanged = c.unchanged;
  } else if (r.kind == "jvn") {
    MAMORI_ASSIGN_OR_RETURN(auto c, repo::UpsertJvn(tx, p.jvn));
    r.added = c.added;
    r.updated = c.updated;
    r.unchanged = c.unchanged;
  } else if (r.kind == "cpe") {
    MAMORI_ASSIGN_OR_RETURN(auto c, repo::UpsertCpeDictionary(tx, p.dictionary));
    r.added = c.added;
    r.unchanged = c.unchanged;
  } else if (r.kind == "kev") {
    MAMORI_RETURN_IF_ERROR(repo::ReplaceKev(tx, p.kev));
    r.added = r.records;
  } else if (r.kind == "epss") {
    MAMORI_RETURN_IF_ERROR(repo::ReplaceEpss(tx, p.epss));
    r.added = r.records;
  } else {
    MAMORI_RETURN_IF_ERROR(repo::ReplaceEol(tx, p.eol));
    r.added = r.records;
  }
  MAMORI_RETURN_IF_ERROR(repo::InsertFeedFile(tx, r, p.sha256));
  Json after = r.ToJson();
  after["sha256"] = p.sha256;
  return tx.Audit({"vuln.feed_load", "vuln_feed", r.kind, nullptr, after});
}

}  // namespace

Result<LoadResult> VulnService::Load(const store::Actor& actor, std::string bytes,
                                     const std::string& file) {
  // Everything is read before the transaction: a file that fails changes nothing.
  MAMORI_ASSIGN_OR_RETURN(auto p, ParseFeed(std::move(bytes), file));
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, actor));
  MAMORI_RETURN_IF_ERROR(WriteFeed(tx, p));
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  return p.r;
}

struct FeedLoader::Parsed {
  Result<ParsedFeed> feed;
};

// The thread that parses the next file while the caller writes the one before (a fifth of a
// load of the NVD's pages was parsing, the rest SQLite). One thread for the loader's life, not
// one per file: the NVD reader keeps its parser and buffers per thread (ReadNvdFeed), and fresh
// ones per file cost more in page faults than they saved.
struct FeedLoader::Ahead {
  std::mutex mu;
  std::condition_variable cv;
  std::optional<std::pair<std::string, std::string>> job;  // bytes, name
  std::optional<Parsed> result;
  bool stop = false;
  bool busy = false;  // a file was handed over and not taken back yet
  size_t index = 0;   // its index
  std::thread thread;

  Ahead() : thread([this] { Run(); }) {}
  ~Ahead() {
    {
      std::lock_guard lock(mu);
      stop = true;
    }
    cv.notify_all();
    thread.join();
  }
  Ahead(const Ahead&) = delete;
  Ahead& operator=(const Ahead&) = delete;

  void Run() {
    std::unique_lock lock(mu);
    while (true) {
      cv.wait(lock, [this] { return stop || job.has_value(); });
      if (stop) return;
      auto [bytes, name] = std::move(*job);
      job.reset();
      lock.unlock();
      Parsed parsed{ParseFeed(std::move(bytes), name)};
      lock.lock();
      result.emplace(std::move(parsed));
      cv.notify_all();
    }
  }
  void Start(size_t i, std::string bytes, const std::string& name) {
    {
      std::lock_guard lock(mu);
      busy = true;
      index = i;
      job.emplace(std::move(bytes), name);
    }
    cv.notify_all();
  }
  Parsed Take() {
    std::unique_lock lock(mu);
    cv.wait(lock, [this] { return result.has_value(); });
    Parsed parsed = std::move(*result);
    result.reset();
    busy = false;
    return parsed;
  }
};

FeedLoader::FeedLoader(store::Database& db, store::Actor actor, Done done)
    : db_(db), actor_(std::move(actor)), done_(std::move(done)) {}

FeedLoader::~FeedLoader() {
  // Not finished: what is pending is rolled back with the transaction, and a file parsed ahead
  // was never written; say so.
  if (tx_ || (ahead_ && ahead_->busy))
    (void)LoseBatch(MakeError(ErrorCode::kInternal, "vuln.load_not_finished", {}));
}

Status FeedLoader::Commit(bool last) {
  if (!tx_) return Ok();
  Status st = last ? tx_->Commit() : tx_->CommitAndContinue();
  if (!st.ok() || last) tx_.reset();
  batch_began_ = db_.clock().Now();
  for (auto& [i, r] : pending_) {
    if (st.ok())
      done_(i, std::move(r));
    else
      done_(i, st.error());
  }
  pending_.clear();
  return st;
}

Status FeedLoader::LoseBatch(const Error& e) {
  tx_.reset();
  for (auto& [i, r] : pending_) done_(i, e);
  pending_.clear();
  if (ahead_ && ahead_->busy) {
    size_t i = ahead_->index;
    (void)ahead_->Take();
    done_(i, e);
  }
  return e;
}

Status FeedLoader::Add(size_t i, std::string bytes, const std::string& name) {
  if (!ahead_) ahead_ = std::make_unique<Ahead>();
  std::optional<std::pair<size_t, Parsed>> before;  // parsed meanwhile, written now
  if (ahead_->busy) {
    size_t at = ahead_->index;
    before.emplace(at, ahead_->Take());
  }
  if (bytes.size() > kAheadMaxBytes || IsGzip(bytes)) {  // alone, after the one before
    if (before) MAMORI_RETURN_IF_ERROR(Write(before->first, std::move(before->second)));
    return Write(i, Parsed{ParseFeed(std::move(bytes), name)});
  }
  ahead_->Start(i, std::move(bytes), name);
  if (before) return Write(before->first, std::move(before->second));
  return Ok();
}

Status FeedLoader::Write(size_t i, Parsed parsed) {
  // Read and checked before anything is written, as Load does.
  if (!parsed.feed.ok()) {
    done_(i, parsed.feed.error());
    return Ok();
  }
  if (!tx_) {
    MAMORI_ASSIGN_OR_RETURN(auto begun, store::Tx::BeginBulk(db_, actor_));
    tx_.emplace(std::move(begun));
    batch_began_ = db_.clock().Now();
  }
  if (Status st = tx_->Savepoint("feed_file"); !st.ok()) return LoseBatch(st.error());
  if (Status st = WriteFeed(*tx_, *parsed.feed); !st.ok()) {
    done_(i, st.error());
    if (Status undo = tx_->RollbackTo("feed_file"); !undo.ok())  // this file only
      return LoseBatch(undo.error());
  } else {
    if (Status kept = tx_->Release("feed_file"); !kept.ok()) {
      done_(i, kept.error());
      return LoseBatch(kept.error());
    }
    pending_.emplace_back(i, std::move(parsed.feed->r));
  }
  // Committed every few files, and at least every few seconds: fewer commits write the pages of
  // the candidate-product index (touched all over by every file) fewer times, and the write lock
  // is not held for the whole load — the next part begins with the next file's first write.
  if (pending_.size() >= kBatchFiles || db_.clock().Now() - batch_began_ >= kBatchMillis)
    return Commit(false);
  return Ok();
}

Status FeedLoader::Finish() {
  if (ahead_ && ahead_->busy) {
    size_t i = ahead_->index;
    MAMORI_RETURN_IF_ERROR(Write(i, ahead_->Take()));
  }
  return Commit(true);
}

Result<std::vector<Json>> VulnService::FeedFiles(const store::Actor& actor) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, actor));
  return repo::FeedFiles(tx);
}

namespace {

struct Prepared {
  std::vector<MatchTarget> targets;  // the assets with a resolved component
  std::set<std::string> assets;      // every asset target of the scope, with components or not
  int64_t components = 0;
  int64_t unresolved = 0;
};

std::set<std::pair<std::string, std::string>> ProductsOf(const std::vector<MatchTarget>& targets) {
  std::set<std::pair<std::string, std::string>> products;
  for (const auto& t : targets)
    for (const auto& c : t.components) {
      auto p = ProductOf(c.component);
      if (!p.second.empty() && p.second != "*") products.insert(p);
    }
  return products;
}

std::set<std::string> PackagesOf(const std::vector<MatchTarget>& targets) {
  std::set<std::string> keys;
  for (const auto& t : targets)
    for (const auto& c : t.components)
      if (c.purl) keys.insert(c.purl->PackageKey());
  return keys;
}

// What JVN said of the products a finding's criteria name: the words it states the versions in,
// read into the criteria's ranges or left to a person; or, where it states none, that it lists
// the product.
void AddJvnEvidence(Match& m, const repo::JvnSource& source) {
  std::set<std::pair<std::string, std::string>> told;
  std::vector<Evidence> added;
  for (const auto& ev : m.evidence) {
    auto cpe = ParseCpe(ev.criterion);
    if (!cpe.ok()) continue;
    std::pair<std::string, std::string> key{AsciiLower(cpe->Vendor()), AsciiLower(cpe->Product())};
    auto it = source.products.find(key);
    if (it == source.products.end() || !told.insert(key).second) continue;
    const auto& p = it->second;
    if (p.texts.empty()) continue;
    std::string words;
    for (const auto& t : p.texts) words += (words.empty() ? "「" : "、「") + t + "」";
    added.push_back(Evidence{
        "", "", "", p.read ? "vuln.ev_jvn_read" : "vuln.ev_jvn_unread", {source.jvndb, words}});
  }
  if (added.empty()) added.push_back(Evidence{"", "", "", "vuln.ev_jvn", {source.jvndb}});
  m.evidence.insert(m.evidence.end(), added.begin(), added.end());
}

// NVD criteria against CPEs, JVN iPedia's products where NVD has no configurations (in the
// version ranges JVN states, 要確認 where it states none or words not read), and OSV ranges
// against package URLs, merged per finding.
Result<std::vector<Match>> MatchAll(store::Tx& tx, const std::vector<MatchTarget>& targets,
                                    int64_t* candidates,
                                    const std::set<std::string>* only = nullptr) {
  if (targets.empty()) return std::vector<Match>();
  auto products = ProductsOf(targets);
  MAMORI_ASSIGN_OR_RETURN(auto cands, repo::Candidates(tx, products));
  std::map<std::string, repo::JvnSource> jvn_of;  // candidate id → its JVN entry
  MAMORI_ASSIGN_OR_RETURN(auto jvn, repo::JvnCandidates(tx, products, &jvn_of));
  std::set<std::string> from_nvd;
  for (const auto& c : cands) from_nvd.insert(c->id);
  for (auto& c : jvn)
    if (!from_nvd.count(c->id)) cands.push_back(std::move(c));
  MAMORI_ASSIGN_OR_RETURN(auto osv, repo::OsvCandidates(tx, PackagesOf(targets)));
  if (only != nullptr) {  // an incremental match: only the records loaded since
    std::erase_if(cands, [only](const auto& c) { return !only->count(c->id); });
    std::erase_if(osv, [only](const auto& o) { return !only->count(o->finding_id); });
  }
  if (candidates) *candidates = static_cast<int64_t>(cands.size() + osv.size());
  const CandidateIndex index = BuildIndex(cands);
  // Written out while the candidates the criteria refer to are alive.
  std::vector<Match> matches = MatchTargets(targets, index).Written();
  for (auto& m : matches) {
    if (auto it = jvn_of.find(m.cve); it != jvn_of.end() && !from_nvd.count(m.cve))
      AddJvnEvidence(m, it->second);
  }
  std::vector<Match> by_purl = MatchOsvTargets(targets, BuildOsvIndex(osv));
  matches.insert(matches.end(), std::make_move_iterator(by_purl.begin()),
                 std::make_move_iterator(by_purl.end()));
  return MergeMatches(std::move(matches));
}

// The ledger's assets in scope as the matcher takes them: each component resolved to a CPE or
// package URL (sources: how a CPE was found where it was not given).
Result<Prepared> LedgerTargets(store::Database& db, ledger::LedgerService& ledger,
                               const ledger::Scope& scope,
                               std::map<std::string, std::string>* sources) {
  MAMORI_ASSIGN_OR_RETURN(auto assets, ledger.AllAssets(scope));
  MAMORI_ASSIGN_OR_RETURN(auto resolver, LoadResolver(db, scope.actor));
  Prepared p;
  for (const auto& a : assets) {
    MatchTarget t;
    t.target = "asset:" + std::to_string(a.id);
    t.asset_id = a.id;
    t.label = a.name;
    ForEachComponent(a, [&](const std::string& name, const std::string& version,
                            const std::string& cpe, const std::string& purl) {
      ++p.components;
      auto r = resolver.Resolve(name, version, cpe, purl);
      if (!r) {
        ++p.unresolved;
        return;
      }
      if (sources != nullptr && r->source != "cpe" && r->source != "purl")
        (*sources)[r->mc.Key()] = r->source;
      t.components.push_back(std::move(r->mc));
    });
    p.assets.insert("asset:" + std::to_string(a.id));
    if (!t.components.empty()) p.targets.push_back(std::move(t));
  }
  return p;
}

// Each asset's components' CPEs, for statements about a platform (VexTarget::cpes).
using AssetCpes = std::map<int64_t, std::vector<std::string>>;
AssetCpes CpesOf(const std::vector<MatchTarget>& targets) {
  AssetCpes out;
  for (const auto& t : targets)
    if (t.asset_id)
      for (const auto& c : t.components)
        if (!c.component.cpe.Part().empty()) out[*t.asset_id].push_back(c.component.cpe.ToString());
  return out;
}

// Applies this organisation's VEX statements to its findings in scope that no person has
// triaged; returns how many changed. cpes_of gives the assets' component CPEs, asked for only
// when a statement names its product by CPE (resolving the whole ledger is not free).
Result<int64_t> ApplyStoredVex(store::Tx& tx, const ledger::Scope& scope,
                               const std::function<Result<AssetCpes>()>& cpes_of) {
  MAMORI_ASSIGN_OR_RETURN(auto statements, repo::VexStatements(tx, scope.actor.org_id));
  if (statements.empty()) return int64_t{0};
  MAMORI_ASSIGN_OR_RETURN(auto targets, repo::VexTargets(tx, scope.actor.org_id));
  if (std::any_of(statements.begin(), statements.end(), [](const StoredVex& v) {
        return !v.statement.products.empty() && !v.statement.products[0].product_cpe.empty();
      })) {
    MAMORI_ASSIGN_OR_RETURN(auto cpes, cpes_of());
    for (auto& [asset, list] : cpes)
      if (auto it = targets.find(asset); it != targets.end()) it->second.cpes = std::move(list);
  }
  MAMORI_ASSIGN_OR_RETURN(auto findings,
                          repo::Findings(tx, scope.actor.org_id, FindingQuery{}, scope.vendor_id));
  int64_t changed = 0;
  for (auto& f : findings) {
    const VexTarget* t = nullptr;
    if (f.asset_id)
      if (auto it = targets.find(*f.asset_id); it != targets.end()) t = &it->second;
    const StoredVex* v = DecidingVex(statements, f, t);
    if (v == nullptr || !ApplyVex(f, *v)) continue;
    MAMORI_RETURN_IF_ERROR(repo::UpdateFindingState(tx, scope.actor.org_id, f));
    ++changed;
  }
  return changed;
}

// What a target's resolved components are: equal fingerprints, nothing to match again.
std::string Fingerprint(const MatchTarget& t) {
  std::vector<std::string> lines;
  lines.reserve(t.components.size());
  for (const auto& c : t.components)
    lines.push_back(c.Key() + "\t" + c.name + "\t" + c.version + "\t" +
                    (c.purl ? c.purl->ToString() : std::string()));
  std::sort(lines.begin(), lines.end());
  std::string all;
  for (const auto& l : lines) all += l + "\n";
  return Sha256Hex(all);
}

Finding FromMatch(const Match& m) {
  Finding f;
  f.target = m.target->target;
  f.asset_id = m.target->asset_id;
  f.asset_name = m.target->label;
  f.component_key = m.component->Key();
  f.component_name = m.component->name;
  f.component_version = m.component->version;
  if (m.component->purl) f.component_purl = m.component->purl->ToString();
  f.cve = m.cve;
  f.verdict = m.verdict == Verdict::kAffected ? "affected" : "review";
  f.evidence = m.evidence;
  return f;
}

}  // namespace

Result<MatchSummary> VulnService::MatchLedger(const ledger::Scope& scope, const std::string& today,
                                              bool full) {
  (void)today;
  std::map<std::string, std::string> sources;  // component key → how its CPE was found
  MAMORI_ASSIGN_OR_RETURN(Prepared p, LedgerTargets(db_, ledger_, scope, &sources));
  MatchSummary s;
  s.targets = static_cast<int64_t>(p.targets.size());
  s.components = p.components;
  s.unresolved = p.unresolved;

  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, scope.actor));
  // Incremental: a target whose resolved components are as at its last match is evaluated only
  // against the feed records loaded since; a changed or new one in full.
  MAMORI_ASSIGN_OR_RETURN(auto state, repo::MatchState(tx, scope.actor.org_id));
  s.incremental = !full && !state.empty();
  const std::set<std::string>& in_scope = p.assets;
  std::vector<MatchTarget> changed, same;
  std::map<std::string, std::string> prints;
  UnixMillis since = tx.now();
  for (auto& t : p.targets) {
    prints[t.target] = Fingerprint(t);
    auto it = state.find(t.target);
    if (s.incremental && it != state.end() && it->second.first == prints[t.target]) {
      since = std::min(since, it->second.second);
      same.push_back(std::move(t));
    } else {
      changed.push_back(std::move(t));
    }
  }
  std::set<std::string> whole;  // targets whose every finding is re-decided
  for (const auto& t : changed) whole.insert(t.target);
  for (const auto& [target, st] : state)
    if (in_scope.count(target) && !prints.count(target)) whole.insert(target);  // now empty
  std::set<std::string> fresh;  // records loaded since the unchanged targets were matched
  if (!same.empty()) {
    MAMORI_ASSIGN_OR_RETURN(fresh, repo::ChangedSince(tx, since));
  }
  s.evaluated_targets = static_cast<int64_t>(changed.size() + (fresh.empty() ? 0 : same.size()));
  s.changed_records = static_cast<int64_t>(fresh.size());

  int64_t cands_changed = 0, cands_same = 0;
  MAMORI_ASSIGN_OR_RETURN(std::vector<Match> matches, MatchAll(tx, changed, &cands_changed));
  if (!fresh.empty()) {
    MAMORI_ASSIGN_OR_RETURN(auto more, MatchAll(tx, same, &cands_same, &fresh));
    matches.insert(matches.end(), std::make_move_iterator(more.begin()),
                   std::make_move_iterator(more.end()));
  }
  s.candidates = cands_changed + cands_same;

  FindingQuery all;
  all.include_gone = true;
  MAMORI_ASSIGN_OR_RETURN(auto existing,
                          repo::Findings(tx, scope.actor.org_id, all, scope.vendor_id));
  auto decided = [&](const Finding& f) {  // is the finding re-decided by this match?
    return whole.count(f.target) > 0 || (fresh.count(f.cve) > 0 && in_scope.count(f.target) > 0);
  };
  std::map<std::tuple<std::string, std::string, std::string>, const Finding*> by_key;
  for (const auto& f : existing) by_key[{f.target, f.component_key, f.cve}] = &f;
  std::set<int64_t> seen;
  auto change = [&](const char* what, const Finding& f) {
    s.changes.push_back({{"change", what},
                         {"cve", f.cve},
                         {"asset", f.asset_name},
                         {"asset_id", f.asset_id ? Json(*f.asset_id) : Json(nullptr)},
                         {"component", f.component_name},
                         {"version", f.component_version}});
  };
  for (const auto& m : matches) {
    Finding f = FromMatch(m);
    if (auto src = sources.find(f.component_key); src != sources.end())
      f.evidence.push_back(Evidence{
          "",
          f.component_key,
          "",
          "vuln.ev_resolved",
          {f.component_name + (f.component_version.empty() ? "" : " " + f.component_version),
           f.component_key, src->second}});
    auto it = by_key.find({f.target, f.component_key, f.cve});
    if (it == by_key.end()) {
      MAMORI_ASSIGN_OR_RETURN(auto id, repo::InsertFinding(tx, scope.actor.org_id, f));
      seen.insert(id);
      by_key[{f.target, f.component_key, f.cve}] = nullptr;
      ++s.added;
      change("added", f);
    } else if (it->second != nullptr && !seen.count(it->second->id)) {
      MAMORI_RETURN_IF_ERROR(repo::RefreshFinding(tx, it->second->id, f));
      seen.insert(it->second->id);
      ++s.still;
      if (it->second->gone_at) change("returned", *it->second);
    }
  }
  for (const auto& f : existing) {
    if (!f.gone_at && !seen.count(f.id) && decided(f)) {
      MAMORI_RETURN_IF_ERROR(repo::MarkFindingGone(tx, f.id, tx.now()));
      ++s.gone;
      change("gone", f);
    } else if (!f.gone_at || seen.count(f.id)) {
      ++s.current;  // kept, refreshed or returned
    }
  }
  s.current += s.added;
  for (const auto& [target, fp] : prints)
    MAMORI_RETURN_IF_ERROR(repo::PutMatchState(tx, scope.actor.org_id, target, fp));
  for (const auto& target : whole)
    if (!prints.count(target))
      MAMORI_RETURN_IF_ERROR(repo::DeleteMatchState(tx, scope.actor.org_id, target));
  MAMORI_ASSIGN_OR_RETURN(s.vex_applied, ApplyStoredVex(tx, scope, [&]() -> Result<AssetCpes> {
                            AssetCpes cpes = CpesOf(changed);
                            cpes.merge(CpesOf(same));
                            return cpes;
                          }));
  Json audit = s.ToJson();
  audit.erase("changes");
  MAMORI_RETURN_IF_ERROR(tx.Audit({"vuln.match", "vuln_finding", "", nullptr, audit}));
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  return s;
}

Result<std::vector<Finding>> VulnService::MatchSbom(const store::Actor& actor,
                                                    const formats::Sbom& sbom,
                                                    const std::string& file,
                                                    const std::string& today,
                                                    const std::vector<VexDocument>& vex) {
  MatchTarget t;
  t.target = "sbom:" + file;
  t.label = sbom.subject_name.empty() ? file : sbom.subject_name;
  MAMORI_ASSIGN_OR_RETURN(auto resolver, LoadResolver(db_, actor));
  VexTarget vt;
  vt.sboms.push_back(
      {sbom.serial_number, Trim(sbom.subject_name + " " + sbom.subject_version), {}});
  for (const auto& c : sbom.components) {
    if (!c.bom_ref.empty()) vt.sboms[0].refs[c.bom_ref] = {c.name, c.version};
    if (auto r = resolver.Resolve(c.name, c.version, c.cpe, c.purl)) {
      if (!r->mc.component.cpe.Part().empty()) vt.cpes.push_back(r->mc.component.cpe.ToString());
      t.components.push_back(std::move(r->mc));
    }
  }
  std::vector<MatchTarget> targets;
  targets.push_back(std::move(t));
  MAMORI_ASSIGN_OR_RETURN(auto policy, Policy(actor));
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, actor));
  MAMORI_ASSIGN_OR_RETURN(std::vector<Match> matches, MatchAll(tx, targets, nullptr));
  std::vector<Finding> out;
  std::set<std::string> ids;
  for (const auto& m : matches) {
    out.push_back(FromMatch(m));
    out.back().first_seen = tx.now();
    ids.insert(m.cve);
  }
  // The organisation's statements and the documents given with the SBOM (those last: the
  // maker's own word on this very SBOM).
  MAMORI_ASSIGN_OR_RETURN(auto statements, repo::VexStatements(tx, actor.org_id));
  int64_t next = 1LL << 60;
  for (const auto& d : vex)
    for (const auto& st : d.statements)
      for (const auto& p : st.products) {
        StoredVex v;
        v.id = next++;
        v.source = VexSource(d);
        v.statement = st;
        v.statement.products = {p};
        if (v.statement.timestamp.empty()) v.statement.timestamp = d.timestamp;
        statements.push_back(std::move(v));
      }
  for (auto& f : out)
    if (const StoredVex* v = DecidingVex(statements, f, &vt)) ApplyVex(f, *v);
  MAMORI_ASSIGN_OR_RETURN(auto infos, repo::CveInfos(tx, ids));
  for (auto& f : out) ApplyInfo(f, infos[f.cve], policy, today);
  return out;
}

Result<VexLoadResult> VulnService::LoadVex(const ledger::Scope& scope, std::string bytes,
                                           const std::string& file) {
  MAMORI_ASSIGN_OR_RETURN(bytes, MaybeGunzip(std::move(bytes), file));
  MAMORI_ASSIGN_OR_RETURN(auto doc, ReadVex(bytes, file));
  // Who said it: the document's author, else at least which file it came from.
  if (doc.author.empty()) doc.author = std::filesystem::path(file).filename().string();
  VexLoadResult r;
  r.file = file;
  r.format = doc.format;
  r.id = doc.id;
  r.author = doc.author;
  r.category = doc.category;
  r.title = doc.title;
  for (const auto& st : doc.statements) r.statements += static_cast<int64_t>(st.products.size());
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, scope.actor));
  std::string sha = Sha256Hex(bytes);
  MAMORI_ASSIGN_OR_RETURN(
      auto id, repo::InsertVexDocument(tx, scope.actor.org_id, scope.vendor_id, doc, file, sha));
  MAMORI_ASSIGN_OR_RETURN(r.applied, ApplyStoredVex(tx, scope, [&]() -> Result<AssetCpes> {
                            MAMORI_ASSIGN_OR_RETURN(Prepared ledger,
                                                    LedgerTargets(db_, ledger_, scope, nullptr));
                            return CpesOf(ledger.targets);
                          }));
  Json after = r.ToJson();
  after["sha256"] = sha;
  MAMORI_RETURN_IF_ERROR(
      tx.Audit({"vuln.vex_load", "vuln_vex", std::to_string(id), nullptr, after}));
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  return r;
}

Result<std::vector<Json>> VulnService::VexDocuments(const ledger::Scope& scope) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, scope.actor));
  return repo::VexDocuments(tx, scope.actor.org_id, scope.vendor_id);
}

Result<Json> VulnService::ExportVex(const ledger::Scope& scope, int64_t asset_id,
                                    const std::string& format, const std::string& today) {
  if (format != "cyclonedx" && format != "csaf")
    return Invalid("vuln.vex_format", {format}, "format");
  MAMORI_ASSIGN_OR_RETURN(auto asset, ledger_.GetAsset(scope, asset_id));
  FindingQuery q;
  q.asset_id = asset_id;
  MAMORI_ASSIGN_OR_RETURN(auto findings, Findings(scope, q, today));
  if (findings.empty()) return Invalid("vuln.vex_nothing", {asset.name}, "asset_id");
  VexExportInput in;
  {
    MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, scope.actor));
    MAMORI_ASSIGN_OR_RETURN(auto org, repo::OrgNameAndKind(tx, scope.actor.org_id));
    in.publisher = org.first;
    in.publisher_category = org.second == "maker" ? "vendor" : "user";
    in.now = FormatJst(tx.now());
  }
  in.publisher_namespace = "urn:mamori:org:" + std::to_string(scope.actor.org_id);
  in.asset_id = asset.id;
  in.asset_name = asset.name;
  in.maker = asset.maker;
  in.model = asset.model;
  in.tool_version = MAMORI_VERSION;
  in.findings = std::move(findings);
  return format == "csaf" ? CsafVex(in) : CycloneDxVex(in);
}

namespace {

// The views of FindingQuery computed from the feeds and the policy, not stored with a finding.
bool HasComputedView(const FindingQuery& q) {
  return !q.category.empty() || !q.severity.empty() || !q.verdict.empty() || q.only_gone ||
         q.overdue || q.kev;
}

// What a stored finding shows beside its own fields: the CVE's scores, KEV, EPSS and support
// data, the due date by policy, the asset's security requirements.
Status Enrich(store::Tx& tx, int64_t org_id, const DuePolicy& policy, const std::string& today,
              std::vector<Finding>& findings) {
  std::set<std::string> ids;
  for (const auto& f : findings) ids.insert(f.cve);
  MAMORI_ASSIGN_OR_RETURN(auto infos, repo::CveInfos(tx, ids));
  MAMORI_ASSIGN_OR_RETURN(auto requirements, repo::Requirements(tx, org_id));
  ScoredVectors scored;
  for (auto& f : findings) {
    const AssetRequirements* r = nullptr;
    if (f.asset_id)
      if (auto it = requirements.find(*f.asset_id); it != requirements.end()) r = &it->second;
    ApplyInfo(f, infos[f.cve], policy, today, r, &scored);
  }
  return Ok();
}

}  // namespace

Result<std::vector<Finding>> VulnService::Findings(const ledger::Scope& scope,
                                                   const FindingQuery& q,
                                                   const std::string& today) {
  MAMORI_ASSIGN_OR_RETURN(auto policy, Policy(scope.actor));
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, scope.actor));
  FindingQuery stored = q;
  if (q.only_gone) stored.include_gone = true;
  MAMORI_ASSIGN_OR_RETURN(auto out,
                          repo::Findings(tx, scope.actor.org_id, stored, scope.vendor_id));
  MAMORI_RETURN_IF_ERROR(Enrich(tx, scope.actor.org_id, policy, today, out));
  std::erase_if(out, [&q](const Finding& f) {
    return (!q.category.empty() && f.asset_category != q.category) || (q.overdue && !f.overdue) ||
           (q.kev && !f.kev) || (!q.severity.empty() && f.Severity() != q.severity) ||
           (!q.verdict.empty() && f.verdict != q.verdict) || (q.only_gone && !f.gone_at);
  });
  return out;
}

namespace {

int SeverityRank(const std::string& severity) {  // 0: gravest
  static const char* const kOrder[] = {"CRITICAL", "HIGH", "MEDIUM", "LOW", "NONE"};
  for (size_t i = 0; i < std::size(kOrder); ++i)
    if (severity == kOrder[i]) return static_cast<int>(i);
  return static_cast<int>(std::size(kOrder));  // unscored
}

}  // namespace

Result<std::vector<CveGroup>> VulnService::FindingsByCve(const ledger::Scope& scope,
                                                         const FindingQuery& q,
                                                         const std::string& today) {
  MAMORI_ASSIGN_OR_RETURN(auto list, Findings(scope, q, today));
  return GroupByCve(list);
}

std::vector<CveGroup> GroupByCve(const std::vector<Finding>& list) {
  std::map<std::string, CveGroup> groups;
  std::map<std::string, std::set<std::string>> targets;  // CVE → its findings' assets
  for (const auto& f : list) {
    CveGroup& g = groups[f.cve];
    if (g.cve.empty()) {
      g.cve = f.cve;
      g.title_ja = f.title_ja;
      g.jvndb = f.jvndb;
      g.cvss = f.cvss;
      g.kev = f.kev;
      g.kev_due = f.kev_due;
      g.ransomware = f.ransomware;
      g.epss = f.epss;
    }
    if (g.severity.empty() || SeverityRank(f.Severity()) < SeverityRank(g.severity))
      g.severity = f.Severity();
    ++g.findings;
    ++g.states[f.state];
    targets[f.cve].insert(f.target);
    if (f.verdict == "review") ++g.review;
    if (f.overdue) ++g.overdue;
    if (f.Open()) {
      ++g.open;
      if (!f.due_date.empty() && (g.due_date.empty() || f.due_date < g.due_date))
        g.due_date = f.due_date;
    }
  }
  std::vector<CveGroup> out;
  out.reserve(groups.size());
  for (auto& [cve, g] : groups) {
    g.assets = static_cast<int64_t>(targets[cve].size());
    out.push_back(std::move(g));
  }
  std::stable_sort(out.begin(), out.end(), [](const CveGroup& a, const CveGroup& b) {
    if (a.kev != b.kev) return a.kev;
    int ra = SeverityRank(a.severity), rb = SeverityRank(b.severity);
    if (ra != rb) return ra < rb;
    return a.open > b.open;  // then by CVE id, as the map gave them
  });
  return out;
}

Json CveGroup::ToJson() const {
  return Json{{"cve", cve},
              {"title_ja", title_ja},
              {"jvndb", jvndb},
              {"cvss",
               {{"version", cvss.version},
                {"vector", cvss.vector},
                {"score", cvss.score},
                {"severity", cvss.severity}}},
              {"severity", severity},
              {"kev", kev},
              {"kev_due", kev_due},
              {"ransomware", ransomware},
              {"epss", epss ? Json(*epss) : Json(nullptr)},
              {"findings", findings},
              {"assets", assets},
              {"open", open},
              {"overdue", overdue},
              {"review", review},
              {"due_date", due_date},
              {"states", states}};
}

std::string AssetRequirements::Vector() const {
  std::string out;
  for (auto [name, value] : {std::pair{"CR", &cr}, std::pair{"IR", &ir}, std::pair{"AR", &ar}})
    if (*value != "X") out += (out.empty() ? "" : "/") + std::string(name) + ":" + *value;
  return out;
}

Json AssetRequirements::ToJson() const {
  return {{"asset_id", asset_id},
          {"asset", asset_name},
          {"cr", cr},
          {"ir", ir},
          {"ar", ar},
          {"vector", Vector()},
          {"note", note},
          {"updated_by", updated_by},
          {"updated_at", updated_at ? Json(FormatJst(updated_at)) : Json(nullptr)}};
}

Result<std::vector<AssetRequirements>> VulnService::Requirements(const ledger::Scope& scope) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, scope.actor));
  MAMORI_ASSIGN_OR_RETURN(auto all, repo::Requirements(tx, scope.actor.org_id));
  std::vector<AssetRequirements> out;
  for (auto& [id, r] : all)
    if (!scope.vendor_id || ledger_.GetAsset(scope, id).ok()) out.push_back(std::move(r));
  std::stable_sort(out.begin(), out.end(),
                   [](const AssetRequirements& a, const AssetRequirements& b) {
                     return a.asset_name < b.asset_name;
                   });
  return out;
}

Result<AssetRequirements> VulnService::SetRequirements(const ledger::Scope& scope,
                                                       AssetRequirements r) {
  if (scope.vendor_id)
    return MakeError(ErrorCode::kPermissionDenied, "vuln.requirements_vendor", {}, "asset_id");
  for (auto [field, value] :
       {std::pair{"cr", &r.cr}, std::pair{"ir", &r.ir}, std::pair{"ar", &r.ar}}) {
    *value = Upper(*value);
    if (value->empty()) *value = "X";
    if (*value != "L" && *value != "M" && *value != "H" && *value != "X")
      return Invalid("vuln.bad_requirement", {field, *value}, field);
  }
  if (r.note.size() > 500) return Invalid("common.bad_param", {"note"}, "note");
  MAMORI_ASSIGN_OR_RETURN(auto asset, ledger_.GetAsset(scope, r.asset_id));
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, scope.actor));
  MAMORI_ASSIGN_OR_RETURN(auto before, repo::Requirements(tx, scope.actor.org_id));
  Json old = nullptr;
  if (auto it = before.find(r.asset_id); it != before.end()) old = it->second.ToJson();
  MAMORI_RETURN_IF_ERROR(repo::PutRequirements(tx, scope.actor.org_id, r));
  // As stored: what PutRequirements wrote, by whom and when.
  r.asset_name = asset.name;
  r.updated_at = tx.now();
  r.updated_by = tx.actor().username;
  MAMORI_RETURN_IF_ERROR(
      tx.Audit({"vuln.requirements_set", "asset", std::to_string(r.asset_id), old, r.ToJson()}));
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  return r;
}

Status VulnService::ClearRequirements(const ledger::Scope& scope, int64_t asset_id) {
  if (scope.vendor_id)
    return MakeError(ErrorCode::kPermissionDenied, "vuln.requirements_vendor", {}, "asset_id");
  MAMORI_ASSIGN_OR_RETURN(auto asset, ledger_.GetAsset(scope, asset_id));
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, scope.actor));
  MAMORI_ASSIGN_OR_RETURN(auto before, repo::Requirements(tx, scope.actor.org_id));
  auto it = before.find(asset_id);
  if (it == before.end()) return Invalid("vuln.no_requirements", {asset.name}, "asset_id");
  MAMORI_ASSIGN_OR_RETURN(bool removed, repo::DeleteRequirements(tx, scope.actor.org_id, asset_id));
  (void)removed;
  MAMORI_RETURN_IF_ERROR(tx.Audit({"vuln.requirements_clear", "asset", std::to_string(asset_id),
                                   it->second.ToJson(), nullptr}));
  return tx.Commit();
}

Json FindingPage::ToJson(Lang lang) const {
  Json out = {{"total", total}};
  if (limit) {
    out["limit"] = *limit;
    out["offset"] = offset;
  }
  Json list = Json::array();
  for (const auto& f : items) list.push_back(f.ToJson(lang));
  out["items"] = std::move(list);
  return out;
}

Result<FindingPage> VulnService::FindingsPage(const ledger::Scope& scope, const FindingQuery& q,
                                              const std::string& today,
                                              std::optional<int64_t> limit, int64_t offset) {
  if (limit && (*limit < 1 || *limit > 1000))
    return MakeError(ErrorCode::kInvalidArgument, "common.bad_param", {"limit"}, "limit");
  if (offset < 0)
    return MakeError(ErrorCode::kInvalidArgument, "common.bad_param", {"offset"}, "offset");
  FindingPage page;
  page.limit = limit;
  page.offset = offset;
  if (limit && !HasComputedView(q)) {
    // Only stored fields select: the database counts and pages, and only the page is enriched
    // (a hospital with tens of thousands of findings no longer loads them all for each page).
    MAMORI_ASSIGN_OR_RETURN(auto policy, Policy(scope.actor));
    MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, scope.actor));
    MAMORI_ASSIGN_OR_RETURN(page.total,
                            repo::CountFindings(tx, scope.actor.org_id, q, scope.vendor_id));
    MAMORI_ASSIGN_OR_RETURN(
        page.items, repo::Findings(tx, scope.actor.org_id, q, scope.vendor_id, limit, offset));
    MAMORI_RETURN_IF_ERROR(Enrich(tx, scope.actor.org_id, policy, today, page.items));
    return page;
  }
  MAMORI_ASSIGN_OR_RETURN(auto list, Findings(scope, q, today));
  page.total = static_cast<int64_t>(list.size());
  if (!limit) {
    page.items = std::move(list);
    return page;
  }
  auto begin = std::min(list.size(), static_cast<size_t>(offset));
  auto end = std::min(list.size(), begin + static_cast<size_t>(*limit));
  page.items.assign(std::make_move_iterator(list.begin() + static_cast<std::ptrdiff_t>(begin)),
                    std::make_move_iterator(list.begin() + static_cast<std::ptrdiff_t>(end)));
  return page;
}

namespace {

// What a person decided, read from a request body once for every finding it is applied to.
struct TriageDecision {
  std::string state, justification, note, approver, review_date;
};

Result<TriageDecision> ReadTriage(JsonBody& body, const std::string& today) {
  TriageDecision d;
  auto state = body.String("state", true, 20);
  body.Read("justification", d.justification, 60);
  body.Read("note", d.note, 2000);
  body.Read("approver", d.approver, 200);
  body.ReadDate("review_date", d.review_date);
  MAMORI_RETURN_IF_ERROR(body.Finish());
  d.state = *state;
  if (!Contains(kFindingStates, std::size(kFindingStates), d.state))
    return Invalid("vuln.bad_state", {d.state}, "state");
  if (d.state == "not_affected" &&
      !Contains(kVexJustifications, std::size(kVexJustifications), d.justification))
    return Invalid("vuln.justification_required", {}, "justification");
  if (d.state == "accepted") {
    if (d.note.empty()) return Invalid("vuln.accept_reason_required", {}, "note");
    if (d.approver.empty()) return Invalid("vuln.accept_approver_required", {}, "approver");
    if (d.review_date.empty() || d.review_date <= today)
      return Invalid("vuln.accept_review_date", {today}, "review_date");
  }
  return d;
}

Json TriageBrief(const Finding& x) {
  return Json{{"cve", x.cve},
              {"target", x.target},
              {"component", x.component_key},
              {"state", x.state},
              {"justification", x.justification},
              {"note", x.state_note},
              {"approver", x.approver},
              {"review_date", x.review_date}};
}

}  // namespace

Result<Finding> VulnService::Triage(const ledger::Scope& scope, int64_t id, JsonBody& body,
                                    const std::string& today) {
  MAMORI_ASSIGN_OR_RETURN(auto list, TriageMany(scope, {id}, body, today));
  return std::move(list.front());
}

Result<std::vector<Finding>> VulnService::TriageMany(const ledger::Scope& scope,
                                                     const std::vector<int64_t>& ids,
                                                     JsonBody& body, const std::string& today) {
  MAMORI_ASSIGN_OR_RETURN(auto d, ReadTriage(body, today));
  if (ids.empty()) return Invalid("vuln.triage_no_ids", {}, "ids");
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, scope.actor));
  // All or none: a finding not found (or another vendor's) rolls back those before it.
  std::set<std::string> cves;
  std::map<int64_t, Finding> updated;
  for (int64_t id : ids) {
    MAMORI_ASSIGN_OR_RETURN(auto found,
                            repo::FindingById(tx, scope.actor.org_id, id, scope.vendor_id));
    if (!found)
      return MakeError(ErrorCode::kNotFound, "vuln.finding_not_found", {std::to_string(id)});
    Finding f = *found;
    f.state = d.state;
    f.justification = d.state == "not_affected" ? d.justification : "";
    f.state_note = d.note;
    f.approver = d.state == "accepted" ? d.approver : "";
    f.review_date = d.state == "accepted" ? d.review_date : "";
    f.state_source = scope.actor.username;
    MAMORI_RETURN_IF_ERROR(repo::UpdateFindingState(tx, scope.actor.org_id, f));
    // One audit record per finding, as when each is triaged alone.
    MAMORI_RETURN_IF_ERROR(tx.Audit(
        {"vuln.triage", "vuln_finding", std::to_string(id), TriageBrief(*found), TriageBrief(f)}));
    cves.insert(f.cve);
    updated[id] = std::move(f);
  }
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  // The findings as the list shows them (scores, due dates), in the order asked.
  std::map<int64_t, Finding> shown;
  for (const auto& cve : cves) {
    FindingQuery q;
    q.cve = cve;
    q.include_gone = true;
    MAMORI_ASSIGN_OR_RETURN(auto list, Findings(scope, q, today));
    for (auto& x : list) shown[x.id] = std::move(x);
  }
  std::vector<Finding> out;
  out.reserve(ids.size());
  for (int64_t id : ids) {
    auto it = shown.find(id);
    out.push_back(std::move(it != shown.end() ? it->second : updated[id]));
  }
  return out;
}

Result<Resolution> VulnService::Resolve(const ledger::Scope& scope, const std::string& name,
                                        const std::string& version) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, scope.actor));
  MAMORI_ASSIGN_OR_RETURN(auto confirmed, repo::NameMap(tx, scope.actor.org_id));
  const NameResolver& resolver = NameResolver::Builtin();
  Resolution first = resolver.Resolve(name, version, confirmed);
  if (first.Resolved()) return first;
  MAMORI_ASSIGN_OR_RETURN(auto dict,
                          repo::DictionaryProducts(tx, ProductGuesses(first.normalised)));
  return resolver.Resolve(name, version, confirmed, dict);
}

Result<std::vector<UnresolvedName>> VulnService::Unresolved(const ledger::Scope& scope,
                                                            bool with_candidates) {
  MAMORI_ASSIGN_OR_RETURN(auto assets, ledger_.AllAssets(scope));
  MAMORI_ASSIGN_OR_RETURN(auto resolver, LoadResolver(db_, scope.actor));
  std::map<std::string, UnresolvedName> queue;
  for (const auto& a : assets)
    ForEachComponent(a, [&](const std::string& name, const std::string& version,
                            const std::string& cpe, const std::string& purl) {
      if (resolver.Resolve(name, version, cpe, purl)) return;
      if (name.empty()) return;
      std::string text = name;
      text += ' ';
      text += version;
      std::string key = NormaliseName(text);
      UnresolvedName& u = queue[key];
      if (u.count == 0) {
        u.name = name;
        u.version = version;
      }
      ++u.count;
      if (u.assets.size() < 5) u.assets.push_back(a.name);
      u.asset_ids.push_back(a.id);
    });
  std::vector<UnresolvedName> out;
  for (auto& [key, u] : queue) {
    u.normalised = key;
    if (with_candidates) {
      MAMORI_ASSIGN_OR_RETURN(auto r, Resolve(scope, u.name, u.version));
      u.normalised = r.normalised;
      u.candidates = std::move(r.candidates);
    }
    out.push_back(std::move(u));
  }
  std::stable_sort(out.begin(), out.end(), [](const UnresolvedName& x, const UnresolvedName& y) {
    return x.count > y.count;
  });
  return out;
}

Result<Resolution> VulnService::Confirm(const ledger::Scope& scope, const std::string& name,
                                        const std::string& version, const std::string& cpe) {
  auto parsed = ParseCpeShort(cpe);
  if (!parsed.ok()) return std::move(parsed).error();
  if (parsed->Version() == "*" && !version.empty() && !parsed->Set(3, CpeEscape(version)))
    return Invalid("vuln.version_too_long", {std::to_string(Cpe::kMaxLength)}, "version");
  if (parsed->Vendor() == "*" || parsed->Product() == "*")
    return Invalid("vuln.confirm_needs_product", {cpe}, "cpe");
  std::string normalised = NormaliseName(
      version.empty() || name.find(version) != std::string::npos ? name : name + " " + version);
  if (normalised.empty()) return Invalid("vuln.confirm_needs_name", {}, "name");
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, scope.actor));
  MAMORI_ASSIGN_OR_RETURN(auto before, repo::NameMap(tx, scope.actor.org_id));
  MAMORI_RETURN_IF_ERROR(repo::PutNameMap(tx, scope.actor.org_id, normalised, parsed->ToString()));
  auto old = before.find(normalised);
  MAMORI_RETURN_IF_ERROR(
      tx.Audit({"vuln.name_confirm", "vuln_name_map", normalised,
                old == before.end() ? Json(nullptr) : Json{{"cpe", old->second}},
                Json{{"name", name}, {"version", version}, {"cpe", parsed->ToString()}}}));
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  return Resolve(scope, name, version);
}

Result<std::pair<UnixMillis, UnixMillis>> VulnService::LastLoadAndMatch(const store::Actor& actor) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, actor));
  MAMORI_ASSIGN_OR_RETURN(auto t, repo::LastLoadAndMatch(tx, actor.org_id));
  return t;
}

Result<DuePolicy> VulnService::Policy(const store::Actor& actor) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, actor));
  MAMORI_ASSIGN_OR_RETURN(auto kv, store::OrgSettings(tx, actor.org_id, "vuln.due."));
  DuePolicy p;
  auto num = [&](const char* key, int& field) {
    auto it = kv.find(std::string("vuln.due.") + key);
    if (it != kv.end()) field = std::atoi(it->second.c_str());
  };
  num("critical_days", p.critical_days);
  num("high_days", p.high_days);
  num("medium_days", p.medium_days);
  num("low_days", p.low_days);
  if (auto it = kv.find("vuln.due.kev_due"); it != kv.end()) p.kev_due = it->second == "1";
  return p;
}

Result<DuePolicy> VulnService::SetPolicy(const store::Actor& actor, JsonBody& body) {
  MAMORI_ASSIGN_OR_RETURN(DuePolicy before, Policy(actor));
  DuePolicy p = before;
  std::map<std::string, int*> ints{{"critical_days", &p.critical_days},
                                   {"high_days", &p.high_days},
                                   {"medium_days", &p.medium_days},
                                   {"low_days", &p.low_days}};
  for (auto& [k, field] : ints)
    if (auto v = body.Int(k, false)) {
      if (*v < 0 || *v > 3650) return Invalid("vuln.bad_days", {k}, k);
      *field = static_cast<int>(*v);
    }
  if (auto v = body.Bool("kev_due", false)) p.kev_due = *v;
  MAMORI_RETURN_IF_ERROR(body.Finish());
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, actor));
  for (auto& [k, field] : ints)
    MAMORI_RETURN_IF_ERROR(
        store::PutOrgSetting(tx, actor.org_id, "vuln.due." + k, std::to_string(*field)));
  MAMORI_RETURN_IF_ERROR(
      store::PutOrgSetting(tx, actor.org_id, "vuln.due.kev_due", p.kev_due ? "1" : "0"));
  MAMORI_RETURN_IF_ERROR(
      tx.Audit({"vuln.policy_update", "settings", "vuln.due", before.ToJson(), p.ToJson()}));
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  return p;
}

Result<std::vector<EolStatus>> VulnService::Eol(const ledger::Scope& scope,
                                                const std::string& today, int near_days) {
  MAMORI_ASSIGN_OR_RETURN(auto assets, ledger_.AllAssets(scope));
  std::vector<EolProduct> products;
  {
    MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, scope.actor));
    MAMORI_ASSIGN_OR_RETURN(products, repo::EolProducts(tx));
  }
  std::map<std::string, const EolProduct*> by_cpe;
  for (const auto& p : products)
    for (const auto& c : p.cpes) by_cpe.emplace(c, &p);
  std::map<std::string, const EolProduct*> by_id;
  for (const auto& p : products) by_id.emplace(p.id, &p);
  MAMORI_ASSIGN_OR_RETURN(auto resolver, LoadResolver(db_, scope.actor));
  std::vector<EolStatus> out;
  for (const auto& a : assets) {
    ForEachComponent(a, [&](const std::string& name, const std::string& version,
                            const std::string& cpe, const std::string& purl) {
      auto r = resolver.Resolve(name, version, cpe, purl);
      if (!r) return;
      const EolProduct* product = nullptr;
      if (!r->eol_product.empty()) {
        if (auto it = by_id.find(r->eol_product); it != by_id.end()) product = it->second;
      } else {
        auto prod = ProductOf(r->mc.component);
        if (auto it = by_cpe.find(prod.first + ":" + prod.second); it != by_cpe.end())
          product = it->second;
      }
      if (product == nullptr) return;
      EolCycleMatch m = !r->eol_cycle.empty() ? FindEolCycleNamed(*product, r->eol_cycle)
                                              : FindEolCycle(*product, version);
      EolStatus st;
      st.asset_id = a.id;
      st.asset_name = a.name;
      st.component = name;
      if (!version.empty()) st.component += " " + version;
      st.product = product->id;
      if (m.release == nullptr) {
        if (m.candidates.empty()) return;  // no cycle known for this version
        for (const auto* c : m.candidates) st.candidates.push_back(c->cycle);
        out.push_back(std::move(st));
        return;
      }
      st.cycle = m.release->cycle;
      st.eol = m.release->eol;
      st.ended = m.release->Ended(today);
      st.days_left = st.eol.empty() ? 0 : DaysBetween(today, st.eol);
      bool near = !st.eol.empty() && st.days_left <= near_days;
      if (st.ended || near) out.push_back(std::move(st));
    });
    // The ledger's own 保守期限 / support_end of the asset.
    if (!a.support_end.empty()) {
      EolStatus st;
      st.asset_id = a.id;
      st.asset_name = a.name;
      st.component = a.maker + (a.model.empty() ? "" : " " + a.model);
      st.product = "ledger";
      st.eol = a.support_end;
      st.ended = a.support_end <= today;
      st.days_left = DaysBetween(today, a.support_end);
      if (st.ended || st.days_left <= near_days) out.push_back(std::move(st));
    }
  }
  std::sort(out.begin(), out.end(), [](const EolStatus& x, const EolStatus& y) {
    return std::tie(x.days_left, x.asset_name) < std::tie(y.days_left, y.asset_name);
  });
  return out;
}

}  // namespace mamori::vuln
