#include "vuln/vuln_repository.hpp"

#include <algorithm>

#include "core/text.hpp"
#include "vuln/cpe.hpp"
#include "vuln/cvss.hpp"
#include "vuln/nvd.hpp"

namespace mamori::vuln::repo {

using store::Params;
using store::Tx;

namespace {

constexpr size_t kChunk = 400;  // ids per IN (…) list

std::string Placeholders(size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s += i ? ", ?" : "?";
  return s;
}

// Runs fn(sql_in_list, params) over the ids in chunks.
template <typename Fn>
Status ForChunks(const std::vector<std::string>& ids, Fn fn) {
  for (size_t i = 0; i < ids.size(); i += kChunk) {
    size_t n = std::min(kChunk, ids.size() - i);
    Params p(ids.begin() + static_cast<std::ptrdiff_t>(i),
             ids.begin() + static_cast<std::ptrdiff_t>(i + n));
    MAMORI_RETURN_IF_ERROR(fn(Placeholders(n), p));
  }
  return Ok();
}

Json EvidenceJson(const std::vector<Evidence>& ev) {
  Json out = Json::array();
  for (const auto& e : ev)
    out.push_back({{"criterion", e.criterion},
                   {"component", e.component},
                   {"bound", e.bound},
                   {"key", e.key},
                   {"args", e.args}});
  return out;
}

std::vector<Evidence> EvidenceFrom(const std::string& s) {
  std::vector<Evidence> out;
  Json j = Json::parse(s, nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& e : j) {
    if (!e.is_object()) continue;
    Evidence x;
    x.criterion = e.value("criterion", "");
    x.component = e.value("component", "");
    x.bound = e.value("bound", "");
    x.key = e.value("key", "");
    if (e.contains("args") && e["args"].is_array())
      for (const auto& a : e["args"])
        if (a.is_string()) x.args.push_back(a.get<std::string>());
    out.push_back(std::move(x));
  }
  return out;
}

constexpr const char* kFindingCols =
    "f.id, f.target, f.asset_id, COALESCE(a.name, ''), COALESCE(a.category, ''), f.component_key, "
    "f.component_name, f.component_version, f.cve_id, f.verdict, f.evidence, f.state, "
    "f.justification, f.state_note, f.state_source, f.approver, f.review_date, f.first_seen, "
    "f.last_seen, f.gone_at, f.component_purl";

Finding FindingFrom(const store::Row& r) {
  Finding f;
  f.id = r.Int(0);
  f.target = r.Str(1);
  f.asset_id = r.OptInt(2);
  f.asset_name = r.Str(3);
  f.asset_category = r.Str(4);
  f.component_key = r.Str(5);
  f.component_name = r.Str(6);
  f.component_version = r.Str(7);
  f.cve = r.Str(8);
  f.verdict = r.Str(9);
  f.evidence = EvidenceFrom(r.Str(10));
  f.state = r.Str(11);
  f.justification = r.Str(12);
  f.state_note = r.Str(13);
  f.state_source = r.Str(14);
  f.approver = r.Str(15);
  f.review_date = r.Str(16);
  f.first_seen = r.Int(17);
  f.last_seen = r.Int(18);
  f.gone_at = r.OptInt(19);
  f.component_purl = r.Str(20);
  return f;
}

}  // namespace

Result<Counts> UpsertCves(Tx& tx, const std::vector<CveRecord>& cves) {
  Counts c;
  for (const auto& r : cves) {
    const std::string id(r.id);  // a parameter of each statement below
    MAMORI_ASSIGN_OR_RETURN(auto old,
                            tx.Query("SELECT last_modified FROM vuln_cves WHERE cve_id = ?", {id}));
    if (!old.empty()) {
      const std::string stored = old[0].Str(0);
      if (stored > r.last_modified || (stored == r.last_modified && !r.last_modified.empty())) {
        ++c.unchanged;
        continue;
      }
    }
    MAMORI_ASSIGN_OR_RETURN(
        auto n,
        tx.Exec(
            "INSERT INTO vuln_cves (cve_id, published, last_modified, description_en, "
            "cvss_version, cvss_vector, cvss_score, severity, configurations, loaded_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (cve_id) DO UPDATE SET "
            "published = excluded.published, last_modified = excluded.last_modified, "
            "description_en = excluded.description_en, cvss_version = excluded.cvss_version, "
            "cvss_vector = excluded.cvss_vector, cvss_score = excluded.cvss_score, "
            "severity = excluded.severity, configurations = excluded.configurations, "
            "loaded_at = excluded.loaded_at",
            {id, std::string(r.published), std::string(r.last_modified),
             std::string(r.description_en), std::string(r.cvss_version), std::string(r.cvss_vector),
             r.cvss_score, std::string(r.severity), std::string(r.configurations), tx.now()}));
    (void)n;
    if (!old.empty()) {
      MAMORI_ASSIGN_OR_RETURN(auto d,
                              tx.Exec("DELETE FROM vuln_cve_products WHERE cve_id = ?", {id}));
      (void)d;
    }
    for (const auto& [vendor, product] : r.products) {
      MAMORI_ASSIGN_OR_RETURN(
          auto m,
          tx.Exec("INSERT INTO vuln_cve_products (vendor, product, cve_id) VALUES (?, ?, ?)",
                  {std::string(vendor), std::string(product), id}));
      (void)m;
    }
    ++(old.empty() ? c.added : c.updated);
  }
  return c;
}

Result<Counts> UpsertOsv(Tx& tx, const std::vector<OsvRecord>& records) {
  Counts c;
  for (const auto& r : records) {
    MAMORI_ASSIGN_OR_RETURN(auto old,
                            tx.Query("SELECT modified FROM vuln_osv WHERE osv_id = ?", {r.id}));
    if (!old.empty() && old[0].Str(0) >= r.modified) {
      ++c.unchanged;
      continue;
    }
    MAMORI_ASSIGN_OR_RETURN(
        auto n,
        tx.Exec("INSERT INTO vuln_osv (osv_id, finding_id, modified, published, withdrawn, "
                "summary, cvss_vector, affected, loaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (osv_id) DO UPDATE SET finding_id = excluded.finding_id, modified = "
                "excluded.modified, published = excluded.published, withdrawn = "
                "excluded.withdrawn, summary = excluded.summary, cvss_vector = "
                "excluded.cvss_vector, affected = excluded.affected, loaded_at = "
                "excluded.loaded_at",
                {r.id, r.FindingId(), r.modified, r.published, r.withdrawn, r.summary,
                 r.cvss_vector, OsvAffectedToJson(r.affected), tx.now()}));
    (void)n;
    if (!old.empty()) {
      MAMORI_ASSIGN_OR_RETURN(auto d,
                              tx.Exec("DELETE FROM vuln_osv_packages WHERE osv_id = ?", {r.id}));
      (void)d;
    }
    std::set<std::string> keys;
    for (const auto& a : r.affected)
      if (!a.package_key.empty()) keys.insert(a.package_key);
    for (const auto& k : keys) {
      MAMORI_ASSIGN_OR_RETURN(
          auto m,
          tx.Exec("INSERT INTO vuln_osv_packages (package_key, osv_id) VALUES (?, ?)", {k, r.id}));
      (void)m;
    }
    std::string cve = r.FindingId();
    if (cve.starts_with("CVE-")) {
      for (const auto& alias : r.aliases) {
        if (alias == cve) continue;
        MAMORI_ASSIGN_OR_RETURN(auto a,
                                tx.Exec("INSERT INTO vuln_aliases (cve_id, alias) VALUES (?, ?) "
                                        "ON CONFLICT (cve_id, alias) DO NOTHING",
                                        {cve, alias}));
        (void)a;
      }
      if (r.id != cve) {
        MAMORI_ASSIGN_OR_RETURN(auto a,
                                tx.Exec("INSERT INTO vuln_aliases (cve_id, alias) VALUES (?, ?) "
                                        "ON CONFLICT (cve_id, alias) DO NOTHING",
                                        {cve, r.id}));
        (void)a;
      }
    }
    ++(old.empty() ? c.added : c.updated);
  }
  return c;
}

Result<std::vector<std::unique_ptr<CandidateOsv>>> OsvCandidates(
    Tx& tx, const std::set<std::string>& package_keys) {
  std::vector<std::string> keys(package_keys.begin(), package_keys.end());
  std::map<std::string, std::unique_ptr<CandidateOsv>> by_id;
  MAMORI_RETURN_IF_ERROR(ForChunks(keys, [&](const std::string& in, const Params& p) -> Status {
    MAMORI_ASSIGN_OR_RETURN(
        auto rows, tx.Query("SELECT o.osv_id, o.finding_id, o.affected FROM vuln_osv o JOIN "
                            "vuln_osv_packages k ON k.osv_id = o.osv_id WHERE o.withdrawn = '' "
                            "AND k.package_key IN (" +
                                in + ")",
                            p));
    for (const auto& r : rows) {
      if (by_id.count(r.Str(0))) continue;
      auto c = std::make_unique<CandidateOsv>();
      c->id = r.Str(0);
      c->finding_id = r.Str(1);
      MAMORI_ASSIGN_OR_RETURN(c->affected, OsvAffectedFromJson(r.Str(2), c->id));
      by_id[c->id] = std::move(c);
    }
    return Ok();
  }));
  std::vector<std::unique_ptr<CandidateOsv>> out;
  out.reserve(by_id.size());
  for (auto& [id, c] : by_id) out.push_back(std::move(c));
  return out;
}

namespace {

// JVN's version statements as stored (0020_jvn_affected.sql): only the fields given.
Json JvnAffectedJson(const std::vector<JvnAffected>& affected) {
  Json out = Json::array();
  for (const auto& a : affected) {
    Json versions = Json::array();
    for (const auto& v : a.versions) {
      Json j = Json::object();
      for (const auto& [key, value] : {std::pair<const char*, const std::string*>{"text", &v.text},
                                       {"version", &v.version},
                                       {"lessThan", &v.less_than},
                                       {"lessThanOrEqual", &v.less_than_or_equal},
                                       {"status", &v.status}})
        if (!value->empty()) j[key] = *value;
      versions.push_back(std::move(j));
    }
    out.push_back({{"cpe", a.cpe}, {"versions", std::move(versions)}});
  }
  return out;
}

std::vector<JvnAffected> JvnAffectedFrom(const std::string& text) {
  std::vector<JvnAffected> out;
  Json j = Json::parse(text, nullptr, false);
  if (!j.is_array()) return out;
  auto str = [](const Json& o, const char* key) {
    auto it = o.find(key);
    return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  for (const auto& a : j) {
    if (!a.is_object() || !a.contains("versions") || !a["versions"].is_array()) continue;
    JvnAffected x{str(a, "cpe"), {}};
    for (const auto& v : a["versions"])
      if (v.is_object())
        x.versions.push_back({str(v, "text"), str(v, "version"), str(v, "lessThan"),
                              str(v, "lessThanOrEqual"), str(v, "status")});
    out.push_back(std::move(x));
  }
  return out;
}

}  // namespace

Result<Counts> UpsertJvn(Tx& tx, const std::vector<JvnEntry>& entries) {
  Counts c;
  for (const auto& e : entries) {
    MAMORI_ASSIGN_OR_RETURN(
        auto old, tx.Query("SELECT last_modified FROM vuln_jvn WHERE jvndb_id = ?", {e.id}));
    if (!old.empty() && old[0].Str(0) > e.last_modified) {
      ++c.unchanged;
      continue;
    }
    Json cpes = e.cpes;
    std::string affected = e.has_affected ? JvnAffectedJson(e.affected).dump() : std::string();
    MAMORI_ASSIGN_OR_RETURN(
        auto n,
        tx.Exec("INSERT INTO vuln_jvn (jvndb_id, title, overview, published, last_modified, "
                "cvss_vector, cpes, url, loaded_at, affected) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                "?) ON CONFLICT (jvndb_id) DO UPDATE SET title = excluded.title, overview = "
                "excluded.overview, published = excluded.published, last_modified = "
                "excluded.last_modified, cvss_vector = excluded.cvss_vector, cpes = "
                "excluded.cpes, url = excluded.url, loaded_at = excluded.loaded_at, affected = "
                "CASE WHEN excluded.affected = '' THEN vuln_jvn.affected ELSE excluded.affected "
                "END",
                {e.id, e.title, e.overview, e.published, e.last_modified, e.cvss_vector,
                 cpes.dump(), e.url, tx.now(), affected}));
    (void)n;
    MAMORI_ASSIGN_OR_RETURN(auto dp,
                            tx.Exec("DELETE FROM vuln_jvn_products WHERE jvndb_id = ?", {e.id}));
    (void)dp;
    std::set<std::pair<std::string, std::string>> products;
    for (const auto& name : e.cpes)
      if (auto cpe = ParseCpe(name); cpe.ok() && !CpeHasSpecial(cpe->Vendor()) &&
                                     !CpeHasSpecial(cpe->Product()) && !CpeIsAny(cpe->Product()))
        products.emplace(AsciiLower(cpe->Vendor()), AsciiLower(cpe->Product()));
    for (const auto& [vendor, product] : products) {
      MAMORI_ASSIGN_OR_RETURN(
          auto m, tx.Exec("INSERT INTO vuln_jvn_products (vendor, product, jvndb_id) VALUES (?, "
                          "?, ?)",
                          {vendor, product, e.id}));
      (void)m;
    }
    MAMORI_ASSIGN_OR_RETURN(auto d, tx.Exec("DELETE FROM vuln_aliases WHERE alias = ?", {e.id}));
    (void)d;
    std::vector<std::string> aliases{e.id};
    aliases.insert(aliases.end(), e.aliases.begin(), e.aliases.end());
    for (const auto& cve : e.cves)
      for (const auto& alias : aliases) {
        MAMORI_ASSIGN_OR_RETURN(auto m,
                                tx.Exec("INSERT INTO vuln_aliases (cve_id, alias) VALUES (?, ?) "
                                        "ON CONFLICT (cve_id, alias) DO NOTHING",
                                        {cve, alias}));
        (void)m;
      }
    ++(old.empty() ? c.added : c.updated);
  }
  return c;
}

Status ReplaceKev(Tx& tx, const KevCatalog& kev) {
  MAMORI_ASSIGN_OR_RETURN(auto d, tx.Exec("DELETE FROM vuln_kev"));
  (void)d;
  for (const auto& e : kev.entries) {
    MAMORI_ASSIGN_OR_RETURN(
        auto n, tx.Exec("INSERT INTO vuln_kev (cve_id, vendor_project, product, name, date_added, "
                        "due_date, ransomware, required_action) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                        "ON CONFLICT (cve_id) DO NOTHING",
                        {e.cve, e.vendor_project, e.product, e.name, e.date_added, e.due_date,
                         int64_t{e.ransomware ? 1 : 0}, e.required_action}));
    (void)n;
  }
  return Ok();
}

Status ReplaceEpss(Tx& tx, const EpssFile& epss) {
  MAMORI_ASSIGN_OR_RETURN(auto d, tx.Exec("DELETE FROM vuln_epss"));
  (void)d;
  for (const auto& s : epss.scores) {
    MAMORI_ASSIGN_OR_RETURN(auto n,
                            tx.Exec("INSERT INTO vuln_epss (cve_id, epss, percentile, score_date) "
                                    "VALUES (?, ?, ?, ?) ON CONFLICT (cve_id) DO NOTHING",
                                    {s.cve, s.epss, s.percentile, epss.score_date}));
    (void)n;
  }
  return Ok();
}

Status ReplaceEol(Tx& tx, const EolProduct& p) {
  MAMORI_ASSIGN_OR_RETURN(auto d, tx.Exec("DELETE FROM vuln_eol WHERE product = ?", {p.id}));
  (void)d;
  Json cpes = p.cpes;
  for (const auto& r : p.releases) {
    MAMORI_ASSIGN_OR_RETURN(
        auto n, tx.Exec("INSERT INTO vuln_eol (product, cycle, label, release_date, eol, eol_bool, "
                        "latest, cpes) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                        "ON CONFLICT (product, cycle) DO NOTHING",
                        {p.id, r.cycle, p.title + "\t" + r.label, r.release_date, r.eol,
                         int64_t{r.eol_bool ? 1 : 0}, r.latest, cpes.dump()}));
    (void)n;
  }
  return Ok();
}

Status InsertFeedFile(Tx& tx, const LoadResult& r, const std::string& sha256) {
  MAMORI_ASSIGN_OR_RETURN(
      auto n,
      tx.Exec("INSERT INTO vuln_feed_files (kind, file_name, sha256, version, records, "
              "loaded_at, loaded_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
              {r.kind, r.file, sha256, r.version, r.records, tx.now(), tx.actor().username}));
  (void)n;
  return Ok();
}

Result<std::vector<Json>> FeedFiles(Tx& tx) {
  MAMORI_ASSIGN_OR_RETURN(
      auto rows, tx.Query("SELECT kind, file_name, sha256, version, records, loaded_at, loaded_by "
                          "FROM vuln_feed_files ORDER BY id DESC"));
  std::vector<Json> out;
  out.reserve(rows.size());
  for (const auto& r : rows)
    out.push_back({{"kind", r.Str(0)},
                   {"file", r.Str(1)},
                   {"sha256", r.Str(2)},
                   {"version", r.Str(3)},
                   {"records", r.Int(4)},
                   {"loaded_at", FormatJst(r.Int(5))},
                   {"loaded_by", r.Str(6)}});
  return out;
}

Result<std::vector<TrustedKey>> TrustedKeys(Tx& tx) {
  MAMORI_ASSIGN_OR_RETURN(auto rows,
                          tx.Query("SELECT key_id, public_key, comment, added_at, added_by FROM "
                                   "vuln_bundle_keys ORDER BY added_at, key_id"));
  std::vector<TrustedKey> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back({r.Str(0), r.Str(1), r.Str(2), r.Str(4), r.Int(3)});
  return out;
}

Status PutTrustedKey(Tx& tx, const TrustedKey& k) {
  MAMORI_ASSIGN_OR_RETURN(
      auto n, tx.Exec("INSERT INTO vuln_bundle_keys (key_id, public_key, comment, added_at, "
                      "added_by) VALUES (?, ?, ?, ?, ?) ON CONFLICT (key_id) DO UPDATE SET "
                      "public_key = excluded.public_key, comment = excluded.comment",
                      {k.key_id, k.public_key_b64, k.comment, k.added_at, k.added_by}));
  (void)n;
  return Ok();
}

Result<bool> DeleteTrustedKey(Tx& tx, const std::string& key_id) {
  MAMORI_ASSIGN_OR_RETURN(auto n,
                          tx.Exec("DELETE FROM vuln_bundle_keys WHERE key_id = ?", {key_id}));
  return n > 0;
}

Json LoadedBundle::ToJson() const {
  return {{"id", bundle_id},       {"sequence", sequence}, {"base", base_id},
          {"created", created},    {"producer", producer}, {"key_id", key_id},
          {"files", files},        {"sha256", sha256},     {"loaded_at", FormatJst(loaded_at)},
          {"loaded_by", loaded_by}};
}

namespace {
constexpr const char* kBundleColumns =
    "bundle_id, sequence, base_id, created, producer, key_id, files, sha256, loaded_at, "
    "loaded_by";
LoadedBundle BundleRow(const store::Row& r) {
  LoadedBundle b;
  b.bundle_id = r.Str(0);
  b.sequence = r.Int(1);
  b.base_id = r.Str(2);
  b.created = r.Str(3);
  b.producer = r.Str(4);
  b.key_id = r.Str(5);
  b.files = r.Int(6);
  b.sha256 = r.Str(7);
  b.loaded_at = r.Int(8);
  b.loaded_by = r.Str(9);
  return b;
}
}  // namespace

Result<std::optional<LoadedBundle>> FindBundle(Tx& tx, const std::string& bundle_id) {
  MAMORI_ASSIGN_OR_RETURN(auto rows, tx.Query(std::string("SELECT ") + kBundleColumns +
                                                  " FROM vuln_bundles WHERE bundle_id = ?",
                                              {bundle_id}));
  if (rows.empty()) return std::optional<LoadedBundle>();
  return std::optional<LoadedBundle>(BundleRow(rows[0]));
}

Status InsertBundle(Tx& tx, const LoadedBundle& b) {
  MAMORI_ASSIGN_OR_RETURN(
      auto n, tx.Exec(std::string("INSERT INTO vuln_bundles (") + kBundleColumns +
                          ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      {b.bundle_id, b.sequence, b.base_id, b.created, b.producer, b.key_id, b.files,
                       b.sha256, b.loaded_at, b.loaded_by}));
  (void)n;
  return Ok();
}

Result<std::vector<LoadedBundle>> Bundles(Tx& tx) {
  MAMORI_ASSIGN_OR_RETURN(auto rows, tx.Query(std::string("SELECT ") + kBundleColumns +
                                              " FROM vuln_bundles ORDER BY loaded_at, sequence"));
  std::vector<LoadedBundle> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(BundleRow(r));
  return out;
}

Json FeedSourceState::ToJson() const {
  return {{"source", source},
          {"last_success", last_success != 0 ? Json(FormatJst(last_success)) : Json(nullptr)},
          {"last_attempt", last_attempt != 0 ? Json(FormatJst(last_attempt)) : Json(nullptr)},
          {"cursor", cursor},
          {"last_error", last_error}};
}

Result<std::vector<FeedSourceState>> FeedSources(Tx& tx) {
  MAMORI_ASSIGN_OR_RETURN(auto rows,
                          tx.Query("SELECT source, cursor, etag, last_error, last_success, "
                                   "last_attempt FROM vuln_feed_sources ORDER BY source"));
  std::vector<FeedSourceState> out;
  out.reserve(rows.size());
  for (const auto& r : rows)
    out.push_back({r.Str(0), r.Str(1), r.Str(2), r.Str(3), r.Int(4), r.Int(5)});
  return out;
}

Status PutFeedSource(Tx& tx, const FeedSourceState& s) {
  MAMORI_ASSIGN_OR_RETURN(
      auto n,
      tx.Exec("INSERT INTO vuln_feed_sources (source, last_success, last_attempt, cursor, etag, "
              "last_error) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (source) DO UPDATE SET "
              "last_success = excluded.last_success, last_attempt = excluded.last_attempt, "
              "cursor = excluded.cursor, etag = excluded.etag, last_error = excluded.last_error",
              {s.source, s.last_success, s.last_attempt, s.cursor, s.etag, s.last_error}));
  (void)n;
  return Ok();
}

namespace {

// The ids a product table (vuln_cve_products, vuln_jvn_products: vendor, product, id) lists for
// any of these vendor:product pairs; a vendor of "*" (unknown) stands for every vendor.
Result<std::set<std::string>> IdsNaming(
    Tx& tx, std::string_view table, std::string_view id,
    const std::set<std::pair<std::string, std::string>>& products) {
  std::string select = "SELECT " + std::string(id) + " FROM " + std::string(table) + " WHERE ";
  std::string by_product = select + "product = ?";
  std::string by_both = select + "vendor = ? AND product = ?";
  std::set<std::string> ids;
  for (const auto& [vendor, product] : products) {
    MAMORI_ASSIGN_OR_RETURN(auto rows, vendor == "*" ? tx.Query(by_product, {product})
                                                     : tx.Query(by_both, {vendor, product}));
    for (const auto& r : rows) ids.insert(r.Str(0));
  }
  return ids;
}

}  // namespace

Result<std::vector<std::unique_ptr<CandidateCve>>> Candidates(
    Tx& tx, const std::set<std::pair<std::string, std::string>>& products) {
  MAMORI_ASSIGN_OR_RETURN(auto ids, IdsNaming(tx, "vuln_cve_products", "cve_id", products));
  std::vector<std::string> list(ids.begin(), ids.end());
  std::map<std::string, std::unique_ptr<CandidateCve>> by_id;
  MAMORI_RETURN_IF_ERROR(ForChunks(list, [&](const std::string& in, const Params& p) -> Status {
    MAMORI_ASSIGN_OR_RETURN(
        auto rows,
        tx.Query("SELECT cve_id, configurations FROM vuln_cves WHERE cve_id IN (" + in + ")", p));
    for (const auto& r : rows) {
      auto c = std::make_unique<CandidateCve>();
      c->id = r.Str(0);
      MAMORI_ASSIGN_OR_RETURN(c->configurations, ParseConfigurations(r.Str(1), c->id));
      by_id[c->id] = std::move(c);
    }
    MAMORI_ASSIGN_OR_RETURN(
        auto prods, tx.Query("SELECT cve_id, vendor, product FROM vuln_cve_products WHERE cve_id "
                             "IN (" +
                                 in + ")",
                             p));
    for (const auto& r : prods)
      if (auto it = by_id.find(r.Str(0)); it != by_id.end())
        it->second->products.emplace_back(r.Str(1), r.Str(2));
    return Ok();
  }));
  std::vector<std::unique_ptr<CandidateCve>> out;
  out.reserve(by_id.size());
  for (auto& [id, c] : by_id) out.push_back(std::move(c));
  return out;
}

Result<std::vector<std::unique_ptr<CandidateCve>>> JvnCandidates(
    Tx& tx, const std::set<std::pair<std::string, std::string>>& products,
    std::map<std::string, JvnSource>* jvn_of) {
  MAMORI_ASSIGN_OR_RETURN(auto entries, IdsNaming(tx, "vuln_jvn_products", "jvndb_id", products));
  std::vector<std::unique_ptr<CandidateCve>> out;
  if (entries.empty()) return out;
  std::vector<std::string> list(entries.begin(), entries.end());
  std::map<std::string, std::vector<std::string>> cpes_of, cves_of;  // JVNDB id → …
  std::map<std::string, std::vector<JvnAffected>> affected_of;
  MAMORI_RETURN_IF_ERROR(ForChunks(list, [&](const std::string& in, const Params& p) -> Status {
    MAMORI_ASSIGN_OR_RETURN(
        auto rows,
        tx.Query("SELECT jvndb_id, cpes, affected FROM vuln_jvn WHERE jvndb_id IN (" + in + ")",
                 p));
    for (const auto& r : rows) {
      Json cpes = Json::parse(r.Str(1), nullptr, false);
      if (cpes.is_array())
        for (const auto& c : cpes)
          if (c.is_string()) cpes_of[r.Str(0)].push_back(c.get<std::string>());
      affected_of[r.Str(0)] = JvnAffectedFrom(r.Str(2));
    }
    MAMORI_ASSIGN_OR_RETURN(
        auto aliases,
        tx.Query("SELECT alias, cve_id FROM vuln_aliases WHERE alias IN (" + in + ")", p));
    for (const auto& r : aliases) cves_of[r.Str(0)].push_back(r.Str(1));
    return Ok();
  }));
  // CVEs NVD has analysed are matched by NVD's criteria alone.
  std::set<std::string> all_cves;
  for (const auto& [id, cves] : cves_of) all_cves.insert(cves.begin(), cves.end());
  std::vector<std::string> cve_list(all_cves.begin(), all_cves.end());
  std::set<std::string> analysed;
  MAMORI_RETURN_IF_ERROR(ForChunks(cve_list, [&](const std::string& in, const Params& p) -> Status {
    MAMORI_ASSIGN_OR_RETURN(
        auto rows,
        tx.Query("SELECT cve_id FROM vuln_cves WHERE configurations NOT IN ('', '[]') AND "
                 "cve_id IN (" +
                     in + ")",
                 p));
    for (const auto& r : rows) analysed.insert(r.Str(0));
    return Ok();
  }));
  std::set<std::string> made;
  for (const auto& [jvndb, cpes] : cpes_of) {
    // The entry's products (one per vendor:product: OKA's product tree also names each listed
    // version by a CPE of its own), each with what JVN states of its versions.
    struct Product {
      std::pair<std::string, std::string> key;                   // vendor, product (lower case)
      std::vector<Cpe> cpes;                                     // as the entry gives them
      std::vector<std::pair<JvnRange, std::string>> statements;  // read, and the words
    };
    std::vector<Product> named;
    std::vector<std::pair<const JvnAffected*, std::pair<std::string, std::string>>> stated;
    for (const auto& a : affected_of[jvndb])
      if (auto cpe = ParseCpe(a.cpe); cpe.ok())
        stated.push_back({&a, {AsciiLower(cpe->Vendor()), AsciiLower(cpe->Product())}});
    for (const auto& name : cpes) {
      auto cpe = ParseCpe(name);
      if (!cpe.ok() || CpeHasSpecial(cpe->Vendor()) || CpeHasSpecial(cpe->Product()) ||
          CpeIsAny(cpe->Product()))
        continue;
      std::pair<std::string, std::string> key{AsciiLower(cpe->Vendor()),
                                              AsciiLower(cpe->Product())};
      auto it =
          std::find_if(named.begin(), named.end(), [&](const Product& p) { return p.key == key; });
      if (it != named.end()) {
        it->cpes.push_back(*cpe);
        continue;
      }
      Product p{key, {*cpe}, {}};
      for (const auto& [a, stated_key] : stated) {
        if (stated_key != key) continue;
        for (const auto& v : a->versions)
          p.statements.emplace_back(ReadJvnVersion(v), v.text.empty() ? v.version : v.text);
      }
      named.push_back(std::move(p));
    }
    std::vector<std::string> ids = cves_of[jvndb];
    if (ids.empty()) ids.push_back(jvndb);
    for (const auto& id : ids) {
      if (analysed.count(id) || made.count(id)) continue;
      // One configuration: any of the products, each with the ranges JVN states for this CVE —
      // or, where it states none or words not understood, without a range (要確認).
      Json matches = Json::array();
      std::vector<std::pair<std::string, std::string>> keys;
      JvnSource source{jvndb, {}};
      for (const auto& p : named) {
        std::vector<const std::pair<JvnRange, std::string>*> about;
        for (const auto& st : p.statements)
          if (st.first.cves.empty() ||
              std::find(st.first.cves.begin(), st.first.cves.end(), id) != st.first.cves.end())
            about.push_back(&st);
        if (!p.statements.empty() && about.empty()) continue;  // JVN names it for other CVEs
        bool read = !about.empty() && std::all_of(about.begin(), about.end(), [](const auto* st) {
          return st->first.understood;
        });
        auto& note = source.products[p.key];
        for (const auto* st : about) note.texts.push_back(st->second);
        note.read = read;
        // Each CPE as the entry gives it — any version, or one it names (OKA's tree) — except
        // that where JVN states ranges, they stand for "any version".
        for (const auto& cpe : p.cpes)
          if (!read || !CpeIsAny(cpe.Version()))
            matches.push_back({{"vulnerable", true}, {"criteria", cpe.ToString()}});
        if (read)
          for (const auto* st : about)
            if (Json m = JvnCriterion(p.cpes.front(), st->first); !m.is_null())
              matches.push_back(std::move(m));
        keys.push_back(p.key);
      }
      if (matches.empty()) continue;
      std::sort(keys.begin(), keys.end());
      keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
      std::string configurations =
          Json::array({{{"nodes", Json::array({{{"operator", "OR"}, {"cpeMatch", matches}}})}}})
              .dump();
      // Built here from checked parts; should a stored entry still give a configuration the
      // matcher cannot read, that entry is left out rather than stopping every match.
      auto parsed = ParseConfigurations(configurations, jvndb);
      if (!parsed.ok()) continue;
      made.insert(id);
      auto c = std::make_unique<CandidateCve>();
      c->id = id;
      c->configurations = std::move(*parsed);
      c->products = std::move(keys);
      if (jvn_of != nullptr) (*jvn_of)[id] = std::move(source);
      out.push_back(std::move(c));
    }
  }
  return out;
}

Result<std::map<std::string, CveInfo>> CveInfos(Tx& tx, const std::set<std::string>& ids) {
  std::map<std::string, CveInfo> out;
  std::vector<std::string> list(ids.begin(), ids.end());
  for (const auto& id : list) out[id];
  MAMORI_RETURN_IF_ERROR(ForChunks(list, [&](const std::string& in, const Params& p) -> Status {
    MAMORI_ASSIGN_OR_RETURN(
        auto rows, tx.Query("SELECT cve_id, cvss_version, cvss_vector, cvss_score, severity FROM "
                            "vuln_cves WHERE cve_id IN (" +
                                in + ")",
                            p));
    for (const auto& r : rows) {
      auto& c = out[r.Str(0)].cvss;
      c.version = r.Str(1);
      c.vector = r.Str(2);
      c.score = r.Real(3);
      c.severity = r.Str(4);
    }
    // No NVD record (a GHSA/PYSEC id, or a CVE NVD has not scored): the OSV record's vector.
    MAMORI_ASSIGN_OR_RETURN(
        auto osv, tx.Query("SELECT finding_id, cvss_vector FROM vuln_osv WHERE finding_id IN (" +
                               in + ") AND cvss_vector <> '' ORDER BY osv_id",
                           p));
    for (const auto& r : osv) {
      auto& c = out[r.Str(0)].cvss;
      if (!c.vector.empty()) continue;
      auto parsed = ParseCvss(r.Str(1));
      if (!parsed.ok()) continue;
      c.version = CvssVersionName(parsed->version);
      c.vector = parsed->vector;
      c.score = parsed->base_score;
      c.severity = parsed->severity;
    }
    MAMORI_ASSIGN_OR_RETURN(
        auto kev,
        tx.Query("SELECT cve_id, due_date, ransomware FROM vuln_kev WHERE cve_id IN (" + in + ")",
                 p));
    for (const auto& r : kev) {
      auto& c = out[r.Str(0)];
      c.kev = true;
      c.kev_due = r.Str(1);
      c.ransomware = r.Int(2) != 0;
    }
    MAMORI_ASSIGN_OR_RETURN(
        auto epss, tx.Query("SELECT cve_id, epss FROM vuln_epss WHERE cve_id IN (" + in + ")", p));
    for (const auto& r : epss) out[r.Str(0)].epss = r.Real(1);
    // JVN iPedia: the Japanese title, and its CVSS where neither NVD nor OSV scored the CVE (NVD's
    // backlog); a finding named by a JVNDB id (no CVE) takes all of it from its entry.
    auto from_jvn = [](CveInfo& c, const std::string& jvndb, const std::string& title,
                       const std::string& vector) {
      if (!c.jvndb.empty()) return;
      c.jvndb = jvndb;
      c.title_ja = title;
      if (!c.cvss.vector.empty() || vector.empty()) return;
      auto parsed = ParseCvss(vector);
      if (!parsed.ok()) return;
      c.cvss.version = CvssVersionName(parsed->version);
      c.cvss.vector = parsed->vector;
      c.cvss.score = parsed->base_score;
      c.cvss.severity = parsed->severity;
    };
    MAMORI_ASSIGN_OR_RETURN(
        auto jvn,
        tx.Query("SELECT a.cve_id, j.jvndb_id, j.title, j.cvss_vector FROM vuln_aliases a JOIN "
                 "vuln_jvn j ON j.jvndb_id = a.alias WHERE a.cve_id IN (" +
                     in + ") ORDER BY j.jvndb_id",
                 p));
    for (const auto& r : jvn) from_jvn(out[r.Str(0)], r.Str(1), r.Str(2), r.Str(3));
    MAMORI_ASSIGN_OR_RETURN(
        auto own,
        tx.Query("SELECT jvndb_id, title, cvss_vector FROM vuln_jvn WHERE jvndb_id IN (" + in + ")",
                 p));
    for (const auto& r : own) from_jvn(out[r.Str(0)], r.Str(0), r.Str(1), r.Str(2));
    return Ok();
  }));
  return out;
}

Result<std::vector<EolProduct>> EolProducts(Tx& tx) {
  MAMORI_ASSIGN_OR_RETURN(
      auto rows, tx.Query("SELECT product, cycle, label, release_date, eol, eol_bool, latest, cpes "
                          "FROM vuln_eol ORDER BY product, release_date DESC, cycle"));
  std::vector<EolProduct> out;
  for (const auto& r : rows) {
    if (out.empty() || out.back().id != r.Str(0)) {
      EolProduct p;
      p.id = r.Str(0);
      std::string label = r.Str(2);
      p.title = label.substr(0, label.find('\t'));
      Json cpes = Json::parse(r.Str(7), nullptr, false);
      if (cpes.is_array())
        for (const auto& c : cpes)
          if (c.is_string()) p.cpes.push_back(c.get<std::string>());
      out.push_back(std::move(p));
    }
    EolRelease e;
    e.cycle = r.Str(1);
    std::string label = r.Str(2);
    size_t tab = label.find('\t');
    e.label = tab == std::string::npos ? label : label.substr(tab + 1);
    e.release_date = r.Str(3);
    e.eol = r.Str(4);
    e.eol_bool = r.Int(5) != 0;
    e.latest = r.Str(6);
    out.back().releases.push_back(std::move(e));
  }
  return out;
}

Result<std::pair<UnixMillis, UnixMillis>> LastLoadAndMatch(Tx& tx, int64_t org_id) {
  MAMORI_ASSIGN_OR_RETURN(auto load, tx.Query("SELECT MAX(loaded_at) FROM vuln_feed_files"));
  MAMORI_ASSIGN_OR_RETURN(auto match,
                          tx.Query("SELECT MAX(at) FROM audit_log WHERE org_id = ? AND action = ?",
                                   {org_id, std::string("vuln.match")}));
  return std::make_pair(load.empty() ? 0 : load[0].Int(0), match.empty() ? 0 : match[0].Int(0));
}

Result<Counts> UpsertCpeDictionary(Tx& tx, const std::vector<CpeProduct>& products) {
  Counts c;
  for (const auto& p : products) {
    MAMORI_ASSIGN_OR_RETURN(
        auto n, tx.Exec("INSERT INTO vuln_cpe_dictionary (vendor, product, part, title) "
                        "VALUES (?, ?, ?, ?) ON CONFLICT (vendor, product) DO NOTHING",
                        {p.vendor, p.product, p.part, p.title}));
    ++(n > 0 ? c.added : c.unchanged);
  }
  return c;
}

Result<std::vector<DictionaryEntry>> DictionaryProducts(Tx& tx,
                                                        const std::vector<std::string>& products) {
  std::vector<DictionaryEntry> out;
  MAMORI_RETURN_IF_ERROR(ForChunks(products, [&](const std::string& in, const Params& p) -> Status {
    MAMORI_ASSIGN_OR_RETURN(
        auto rows, tx.Query("SELECT vendor, product, title FROM vuln_cpe_dictionary WHERE product "
                            "IN (" +
                                in + ") ORDER BY vendor, product",
                            p));
    for (const auto& r : rows) out.push_back({r.Str(0), r.Str(1), r.Str(2)});
    return Ok();
  }));
  return out;
}

Result<std::map<std::string, std::string>> NameMap(Tx& tx, int64_t org_id) {
  MAMORI_ASSIGN_OR_RETURN(
      auto rows, tx.Query("SELECT normalised, cpe FROM vuln_name_map WHERE org_id = ?", {org_id}));
  std::map<std::string, std::string> out;
  for (const auto& r : rows) out[r.Str(0)] = r.Str(1);
  return out;
}

Status PutNameMap(Tx& tx, int64_t org_id, const std::string& normalised, const std::string& cpe) {
  MAMORI_ASSIGN_OR_RETURN(auto n,
                          tx.Exec("DELETE FROM vuln_name_map WHERE org_id = ? AND normalised = ?",
                                  {org_id, normalised}));
  MAMORI_ASSIGN_OR_RETURN(
      n, tx.Exec("INSERT INTO vuln_name_map (org_id, normalised, cpe, confirmed_by, confirmed_at) "
                 "VALUES (?, ?, ?, ?, ?)",
                 {org_id, normalised, cpe, tx.actor().username, tx.now()}));
  (void)n;
  return Ok();
}

namespace {

// The FROM and WHERE of a findings query (its stored fields), with its parameters.
std::string FindingsWhere(int64_t org_id, const FindingQuery& q, std::optional<int64_t> vendor_id,
                          Params& p) {
  std::string sql =
      " FROM vuln_findings f LEFT JOIN assets a ON a.id = f.asset_id WHERE f.org_id = ?";
  p.emplace_back(org_id);
  if (!q.include_gone) sql += " AND f.gone_at IS NULL";
  if (q.asset_id) {
    sql += " AND f.asset_id = ?";
    p.emplace_back(*q.asset_id);
  }
  if (!q.cve.empty()) {
    sql += " AND f.cve_id = ?";
    p.emplace_back(q.cve);
  }
  if (q.state == "open") {
    sql += " AND f.state IN ('new', 'affected')";
  } else if (!q.state.empty()) {
    sql += " AND f.state = ?";
    p.emplace_back(q.state);
  }
  if (vendor_id) {  // a vendor sees the findings of its own assets only
    sql += " AND a.vendor_id = ?";
    p.emplace_back(*vendor_id);
  }
  return sql;
}

}  // namespace

Result<int64_t> CountFindings(Tx& tx, int64_t org_id, const FindingQuery& q,
                              std::optional<int64_t> vendor_id) {
  Params p;
  std::string sql = "SELECT COUNT(*)" + FindingsWhere(org_id, q, vendor_id, p);
  MAMORI_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, p));
  return rows.empty() ? int64_t{0} : rows[0].Int(0);
}

Result<std::vector<Finding>> Findings(Tx& tx, int64_t org_id, const FindingQuery& q,
                                      std::optional<int64_t> vendor_id,
                                      std::optional<int64_t> limit, int64_t offset) {
  Params p;
  std::string sql = std::string("SELECT ") + kFindingCols + FindingsWhere(org_id, q, vendor_id, p);
  sql += " ORDER BY f.cve_id, f.id";
  if (limit) {
    sql += " LIMIT ? OFFSET ?";
    p.emplace_back(*limit);
    p.emplace_back(offset);
  }
  MAMORI_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, p));
  std::vector<Finding> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(FindingFrom(r));
  return out;
}

Result<std::optional<Finding>> FindingById(Tx& tx, int64_t org_id, int64_t id,
                                           std::optional<int64_t> vendor_id) {
  std::string sql = std::string("SELECT ") + kFindingCols +
                    " FROM vuln_findings f LEFT JOIN assets a ON a.id = f.asset_id "
                    "WHERE f.org_id = ? AND f.id = ?";
  Params p{org_id, id};
  if (vendor_id) {
    sql += " AND a.vendor_id = ?";
    p.emplace_back(*vendor_id);
  }
  MAMORI_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, p));
  if (rows.empty()) return std::optional<Finding>();
  return std::optional<Finding>(FindingFrom(rows[0]));
}

Result<int64_t> InsertFinding(Tx& tx, int64_t org_id, const Finding& f) {
  MAMORI_ASSIGN_OR_RETURN(
      auto rows,
      tx.ExecReturning(
          "INSERT INTO vuln_findings (org_id, target, asset_id, component_key, component_name, "
          "component_version, cve_id, verdict, evidence, state, first_seen, last_seen, "
          "updated_at, component_purl) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'new', ?, ?, ?, ?) "
          "RETURNING id",
          {org_id, f.target, store::OptValue(f.asset_id), f.component_key, f.component_name,
           f.component_version, f.cve, f.verdict, EvidenceJson(f.evidence).dump(), tx.now(),
           tx.now(), tx.now(), f.component_purl}));
  return rows.at(0).Int(0);
}

Status RefreshFinding(Tx& tx, int64_t id, const Finding& f) {
  MAMORI_ASSIGN_OR_RETURN(
      auto n, tx.Exec("UPDATE vuln_findings SET verdict = ?, evidence = ?, component_name = ?, "
                      "component_version = ?, component_purl = ?, last_seen = ?, gone_at = NULL "
                      "WHERE id = ?",
                      {f.verdict, EvidenceJson(f.evidence).dump(), f.component_name,
                       f.component_version, f.component_purl, tx.now(), id}));
  (void)n;
  return Ok();
}

Status MarkFindingGone(Tx& tx, int64_t id, UnixMillis at) {
  MAMORI_ASSIGN_OR_RETURN(auto n,
                          tx.Exec("UPDATE vuln_findings SET gone_at = ? WHERE id = ?", {at, id}));
  (void)n;
  return Ok();
}

Status UpdateFindingState(Tx& tx, int64_t org_id, const Finding& f) {
  MAMORI_ASSIGN_OR_RETURN(
      auto n, tx.Exec("UPDATE vuln_findings SET state = ?, justification = ?, state_note = ?, "
                      "state_source = ?, approver = ?, review_date = ?, updated_at = ? "
                      "WHERE org_id = ? AND id = ?",
                      {f.state, f.justification, f.state_note, f.state_source, f.approver,
                       f.review_date, tx.now(), org_id, f.id}));
  (void)n;
  return Ok();
}

Result<int64_t> InsertVexDocument(Tx& tx, int64_t org_id, std::optional<int64_t> vendor_id,
                                  const VexDocument& d, const std::string& file,
                                  const std::string& sha256) {
  int64_t count = 0;
  for (const auto& s : d.statements) count += static_cast<int64_t>(s.products.size());
  MAMORI_ASSIGN_OR_RETURN(
      auto rows, tx.ExecReturning(
                     "INSERT INTO vuln_vex_documents (org_id, format, doc_id, author, issued, "
                     "file_name, sha256, statements, loaded_at, loaded_by, vendor_id, category, "
                     "title) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                     {org_id, d.format, d.id, d.author, d.timestamp, file, sha256, count, tx.now(),
                      tx.actor().username, vendor_id ? store::Value(*vendor_id) : store::Value(),
                      d.category, d.title}));
  int64_t id = rows.at(0).Int(0);
  for (const auto& s : d.statements)
    for (const auto& p : s.products) {
      MAMORI_ASSIGN_OR_RETURN(
          auto n,
          tx.Exec("INSERT INTO vuln_vex_statements (org_id, document_id, vulnerability, aliases, "
                  "product, status, justification, original_justification, detail, action, "
                  "issued) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  {org_id, id, s.vulnerability, Json(s.aliases).dump(), p.ToJson().dump(), s.status,
                   s.justification, s.original_justification, s.detail, s.action,
                   s.timestamp.empty() ? d.timestamp : s.timestamp}));
      (void)n;
    }
  return id;
}

Result<std::vector<StoredVex>> VexStatements(Tx& tx, int64_t org_id) {
  MAMORI_ASSIGN_OR_RETURN(
      auto rows,
      tx.Query("SELECT s.id, d.format, d.author, d.doc_id, s.vulnerability, s.aliases, s.product, "
               "s.status, s.justification, s.original_justification, s.detail, s.action, "
               "s.issued, d.vendor_id FROM vuln_vex_statements s JOIN vuln_vex_documents d ON "
               "d.id = s.document_id WHERE s.org_id = ? ORDER BY s.id",
               {org_id}));
  std::vector<StoredVex> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    StoredVex v;
    v.id = r.Int(0);
    VexDocument d;
    d.format = r.Str(1);
    d.author = r.Str(2);
    d.id = r.Str(3);
    v.source = VexSource(d);
    VexStatement& s = v.statement;
    s.vulnerability = r.Str(4);
    Json aliases = Json::parse(r.Str(5), nullptr, false);
    if (aliases.is_array())
      for (const auto& a : aliases)
        if (a.is_string()) s.aliases.push_back(a.get<std::string>());
    s.products.push_back(VexProduct::FromJson(Json::parse(r.Str(6), nullptr, false)));
    s.status = r.Str(7);
    s.justification = r.Str(8);
    s.original_justification = r.Str(9);
    s.detail = r.Str(10);
    s.action = r.Str(11);
    s.timestamp = r.Str(12);
    if (!r.IsNull(13)) v.vendor_id = r.Int(13);
    out.push_back(std::move(v));
  }
  return out;
}

Result<std::map<int64_t, VexTarget>> VexTargets(Tx& tx, int64_t org_id) {
  std::map<int64_t, VexTarget> out;
  MAMORI_ASSIGN_OR_RETURN(
      auto assets,
      tx.Query("SELECT id, maker, model, vendor_id FROM assets WHERE org_id = ?", {org_id}));
  for (const auto& r : assets) {
    auto& t = out[r.Int(0)];
    t.maker = r.Str(1);
    t.model = r.Str(2);
    if (!r.IsNull(3)) t.vendor_id = r.Int(3);
  }
  MAMORI_ASSIGN_OR_RETURN(
      auto docs, tx.Query("SELECT id, asset_id, serial_number, subject FROM sbom_documents WHERE "
                          "org_id = ? AND asset_id IS NOT NULL ORDER BY id",
                          {org_id}));
  std::map<int64_t, std::pair<int64_t, size_t>> where;  // sbom id → asset, index
  for (const auto& r : docs) {
    auto& t = out[r.Int(1)];
    where[r.Int(0)] = {r.Int(1), t.sboms.size()};
    t.sboms.push_back({r.Str(2), r.Str(3), {}});
  }
  MAMORI_ASSIGN_OR_RETURN(
      auto refs, tx.Query("SELECT sbom_id, bom_ref, name, version FROM software_components WHERE "
                          "org_id = ? AND sbom_id IS NOT NULL AND bom_ref <> ''",
                          {org_id}));
  for (const auto& r : refs)
    if (auto w = where.find(r.Int(0)); w != where.end())
      out[w->second.first].sboms[w->second.second].refs[r.Str(1)] = {r.Str(2), r.Str(3)};
  return out;
}

Result<std::vector<Json>> VexDocuments(Tx& tx, int64_t org_id, std::optional<int64_t> vendor_id) {
  std::string sql =
      "SELECT d.id, d.format, d.doc_id, d.author, d.issued, d.file_name, d.sha256, d.statements, "
      "d.loaded_at, d.loaded_by, v.name, d.category, d.title FROM vuln_vex_documents d LEFT JOIN "
      "vendors v ON v.id = "
      "d.vendor_id WHERE d.org_id = ?";
  Params params{org_id};
  if (vendor_id) {
    sql += " AND d.vendor_id = ?";
    params.push_back(*vendor_id);
  }
  MAMORI_ASSIGN_OR_RETURN(auto rows, tx.Query(sql + " ORDER BY d.id DESC", params));
  std::vector<Json> out;
  out.reserve(rows.size());
  for (const auto& r : rows)
    out.push_back({{"id", r.Int(0)},
                   {"format", r.Str(1)},
                   {"doc_id", r.Str(2)},
                   {"author", r.Str(3)},
                   {"issued", r.Str(4)},
                   {"file", r.Str(5)},
                   {"sha256", r.Str(6)},
                   {"statements", r.Int(7)},
                   {"loaded_at", FormatJst(r.Int(8))},
                   {"loaded_by", r.Str(9)},
                   {"vendor", r.IsNull(10) ? Json(nullptr) : Json(r.Str(10))},
                   {"category", r.Str(11)},
                   {"title", r.Str(12)}});
  return out;
}

Result<std::map<int64_t, AssetRequirements>> Requirements(Tx& tx, int64_t org_id) {
  MAMORI_ASSIGN_OR_RETURN(
      auto rows,
      tx.Query("SELECT r.asset_id, a.name, r.cr, r.ir, r.ar, r.note, r.updated_at, r.updated_by "
               "FROM vuln_asset_requirements r JOIN assets a ON a.id = r.asset_id AND a.org_id = "
               "r.org_id WHERE r.org_id = ? ORDER BY a.name, r.asset_id",
               {org_id}));
  std::map<int64_t, AssetRequirements> out;
  for (const auto& r : rows) {
    AssetRequirements x;
    x.asset_id = r.Int(0);
    x.asset_name = r.Str(1);
    x.cr = r.Str(2);
    x.ir = r.Str(3);
    x.ar = r.Str(4);
    x.note = r.Str(5);
    x.updated_at = r.Int(6);
    x.updated_by = r.Str(7);
    out.emplace(x.asset_id, std::move(x));
  }
  return out;
}

Status PutRequirements(Tx& tx, int64_t org_id, const AssetRequirements& r) {
  MAMORI_ASSIGN_OR_RETURN(
      auto n,
      tx.Exec("INSERT INTO vuln_asset_requirements (org_id, asset_id, cr, ir, ar, note, "
              "updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT "
              "(org_id, asset_id) DO UPDATE SET cr = excluded.cr, ir = excluded.ir, ar = "
              "excluded.ar, note = excluded.note, updated_at = excluded.updated_at, "
              "updated_by = excluded.updated_by",
              {org_id, r.asset_id, r.cr, r.ir, r.ar, r.note, tx.now(), tx.actor().username}));
  (void)n;
  return Ok();
}

Result<bool> DeleteRequirements(Tx& tx, int64_t org_id, int64_t asset_id) {
  MAMORI_ASSIGN_OR_RETURN(
      auto n, tx.Exec("DELETE FROM vuln_asset_requirements WHERE org_id = ? AND asset_id = ?",
                      {org_id, asset_id}));
  return n > 0;
}

Result<std::map<std::string, std::pair<std::string, UnixMillis>>> MatchState(Tx& tx,
                                                                             int64_t org_id) {
  MAMORI_ASSIGN_OR_RETURN(
      auto rows, tx.Query("SELECT target, fingerprint, matched_at FROM vuln_match_state WHERE "
                          "org_id = ?",
                          {org_id}));
  std::map<std::string, std::pair<std::string, UnixMillis>> out;
  for (const auto& r : rows) out[r.Str(0)] = {r.Str(1), r.Int(2)};
  return out;
}

Status PutMatchState(Tx& tx, int64_t org_id, const std::string& target,
                     const std::string& fingerprint) {
  MAMORI_ASSIGN_OR_RETURN(
      auto n, tx.Exec("INSERT INTO vuln_match_state (org_id, target, fingerprint, matched_at) "
                      "VALUES (?, ?, ?, ?) ON CONFLICT (org_id, target) DO UPDATE SET "
                      "fingerprint = excluded.fingerprint, matched_at = excluded.matched_at",
                      {org_id, target, fingerprint, tx.now()}));
  (void)n;
  return Ok();
}

Status DeleteMatchState(Tx& tx, int64_t org_id, const std::string& target) {
  MAMORI_ASSIGN_OR_RETURN(
      auto n,
      tx.Exec("DELETE FROM vuln_match_state WHERE org_id = ? AND target = ?", {org_id, target}));
  (void)n;
  return Ok();
}

Result<std::set<std::string>> ChangedSince(Tx& tx, UnixMillis since) {
  std::set<std::string> out;
  MAMORI_ASSIGN_OR_RETURN(auto cves,
                          tx.Query("SELECT cve_id FROM vuln_cves WHERE loaded_at >= ?", {since}));
  for (const auto& r : cves) out.insert(r.Str(0));
  MAMORI_ASSIGN_OR_RETURN(
      auto osv, tx.Query("SELECT finding_id FROM vuln_osv WHERE loaded_at >= ?", {since}));
  for (const auto& r : osv) out.insert(r.Str(0));
  // A JVN entry stands for its CVEs (or itself, without one).
  MAMORI_ASSIGN_OR_RETURN(
      auto jvn, tx.Query("SELECT j.jvndb_id, a.cve_id FROM vuln_jvn j LEFT JOIN vuln_aliases a ON "
                         "a.alias = j.jvndb_id WHERE j.loaded_at >= ?",
                         {since}));
  for (const auto& r : jvn) out.insert(r.IsNull(1) ? r.Str(0) : r.Str(1));
  return out;
}

Result<std::pair<std::string, std::string>> OrgNameAndKind(Tx& tx, int64_t org_id) {
  MAMORI_ASSIGN_OR_RETURN(auto rows,
                          tx.Query("SELECT name, kind FROM orgs WHERE id = ?", {org_id}));
  if (rows.empty()) return std::pair<std::string, std::string>();
  return std::pair<std::string, std::string>(rows[0].Str(0), rows[0].Str(1));
}

}  // namespace mamori::vuln::repo
