#include "vuln/nvd_feed.hpp"

#include <simdjson.h>

#include <algorithm>
#include <set>

#include "core/text.hpp"
#include "vuln/cpe.hpp"
#include "vuln/nvd_dom.hpp"

namespace mamori::vuln {

namespace {

namespace dom = simdjson::dom;

Error BadRecord(const std::string& file, const std::string& where, const std::string& what) {
  return MakeError(ErrorCode::kInvalidArgument, "nvd.bad_record", {file, where, what}, where);
}

int MetricRank(std::string_view key) {
  if (key == "cvssMetricV40") return 4;
  if (key == "cvssMetricV31") return 3;
  if (key == "cvssMetricV30") return 2;
  if (key == "cvssMetricV2") return 1;
  return 0;
}

class CveReader {
 public:
  CveReader(const std::string& file, std::string where) : file_(file), where_(std::move(where)) {}

  Result<CveRecord> Read(dom::object cve) {
    CveRecord r;
    std::string_view id;
    if (cve["id"].get_string().get(id) || id.empty()) return Bad("id");
    r.id = std::string(id);
    where_ += " " + r.id;
    MAMORI_ASSIGN_OR_RETURN(r.published, OptString(cve, "published"));
    MAMORI_ASSIGN_OR_RETURN(r.last_modified, OptString(cve, "lastModified"));
    if (auto d = cve["descriptions"]; !d.error())
      MAMORI_RETURN_IF_ERROR(Descriptions(d.value_unsafe(), r));
    if (auto m = cve["metrics"]; !m.error()) MAMORI_RETURN_IF_ERROR(Metrics(m.value_unsafe(), r));
    if (auto c = cve["configurations"]; !c.error())
      MAMORI_RETURN_IF_ERROR(Configurations(c.value_unsafe(), r));
    return r;
  }

 private:
  Error Bad(const std::string& what) const { return BadRecord(file_, where_, what); }

  Result<std::string> OptString(dom::object o, const char* key) const {
    auto v = o[key];
    if (v.error() == simdjson::NO_SUCH_FIELD) return std::string();
    std::string_view s;
    if (v.get_string().get(s)) return Bad(key);
    return std::string(s);
  }

  Status Descriptions(dom::element v, CveRecord& r) const {
    dom::array arr;
    if (v.get_array().get(arr)) return Bad("descriptions");
    for (dom::element el : arr) {
      std::string_view lang, value;
      if (el["lang"].get_string().get(lang) || el["value"].get_string().get(value))
        return Bad("descriptions");
      if (lang == "en" && r.description_en.empty()) r.description_en = std::string(value);
    }
    return Ok();
  }

  Status Metrics(dom::element v, CveRecord& r) {
    dom::object metrics;
    if (v.get_object().get(metrics)) return Bad("metrics");
    for (auto [k, list_el] : metrics) {
      int rank = MetricRank(k);
      if (rank == 0) continue;
      dom::array list;
      if (list_el.get_array().get(list)) return Bad("metrics " + std::string(k));
      for (dom::element m : list) MAMORI_RETURN_IF_ERROR(Metric(m, rank, r));
    }
    return Ok();
  }

  // Keeps the newest CVSS version; within one version, NVD's own (Primary) score.
  Status Metric(dom::element m, int rank, CveRecord& r) {
    dom::object data;
    if (m["cvssData"].get_object().get(data)) return Bad("metrics cvssData");
    std::string_view type, version, vector, severity;
    double score = 0;
    if (auto t = m["type"]; !t.error() && t.get_string().get(type)) return Bad("metrics type");
    if (data["vectorString"].get_string().get(vector)) return Bad("cvssData vectorString");
    if (auto x = data["version"]; !x.error() && x.get_string().get(version))
      return Bad("cvssData version");
    if (auto x = data["baseScore"]; !x.error() && x.get_double().get(score))
      return Bad("cvssData baseScore");
    // v3/v4 keep baseSeverity in cvssData, v2 beside it.
    if (auto x = data["baseSeverity"]; !x.error()) {
      if (x.get_string().get(severity)) return Bad("cvssData baseSeverity");
    } else if (auto y = m["baseSeverity"]; !y.error() && y.get_string().get(severity)) {
      return Bad("metrics baseSeverity");
    }
    bool primary = type == "Primary";
    if (rank > best_rank_ || (rank == best_rank_ && primary && !best_primary_)) {
      best_rank_ = rank;
      best_primary_ = primary;
      r.cvss_version = std::string(version);
      r.cvss_vector = std::string(vector);
      r.cvss_score = score;
      r.severity = std::string(severity);
    }
    return Ok();
  }

  // The array is kept for matching, in the compact form the walk that checks it writes
  // (CheckConfigurations — the walk the matcher reads it back with, so that a record that could
  // not be matched later is refused now, naming where). It was simdjson::minify of the array, a
  // second pass over it that also kept every criterion's matchCriteriaId.
  Status Configurations(dom::element v, CveRecord& r) {
    r.products.clear();
    MAMORI_RETURN_IF_ERROR(CheckConfigurations(v, file_, where_, &r.products, &r.configurations));
    std::sort(r.products.begin(), r.products.end());
    r.products.erase(std::unique(r.products.begin(), r.products.end()), r.products.end());
    return Ok();
  }

  const std::string& file_;
  std::string where_;
  int best_rank_ = 0;
  bool best_primary_ = false;
};

}  // namespace

Result<std::vector<CveRecord>> ReadNvdFeed(std::string_view json, const std::string& file) {
  auto bad_json = [&] {
    return MakeError(ErrorCode::kInvalidArgument, "feed.bad_json", {file}, file);
  };
  // The DOM API: simdjson picks the fastest kernel for this CPU at run time (On-Demand would use
  // only what the compiler targets — the generic kernel for Debian's baseline x86-64). One
  // parser per thread keeps its buffers from file to file: a fresh one per 4 MB page spent more
  // time faulting in new memory than parsing.
  thread_local dom::parser parser;
  // simdjson reads a few bytes past the end: the text is copied into a buffer with room for
  // them, also kept from file to file.
  thread_local std::string padded;
  padded.reserve(json.size() + simdjson::SIMDJSON_PADDING);
  padded.assign(json);
  // A yearly file of a few hundred MB is not kept for the life of a server thread.
  struct Release {
    ~Release() {
      if (padded.capacity() <= (64U << 20)) return;
      std::string().swap(padded);
      parser = dom::parser();
    }
  } release;
  dom::element root;
  if (parser.parse(padded.data(), padded.size(), false).get(root)) return bad_json();
  dom::object obj;
  if (root.get_object().get(obj)) return bad_json();
  std::vector<CveRecord> out;
  if (auto single = obj["cve"]; !single.error()) {
    dom::object cve;
    if (single.get_object().get(cve)) return BadRecord(file, "cve", "cve");
    MAMORI_ASSIGN_OR_RETURN(auto r, CveReader(file, "cve").Read(cve));
    out.push_back(std::move(r));
    return out;
  }
  dom::array arr;
  if (obj["vulnerabilities"].get_array().get(arr)) return BadRecord(file, "-", "vulnerabilities");
  out.reserve(arr.size());
  size_t i = 0;
  for (dom::element el : arr) {
    std::string where = "vulnerabilities[" + std::to_string(i++) + "]";
    dom::object cve;
    if (el["cve"].get_object().get(cve)) return BadRecord(file, where, "cve");
    MAMORI_ASSIGN_OR_RETURN(auto r, CveReader(file, where).Read(cve));
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::vector<CpeProduct>> ReadCpeDictionary(std::string_view json, const std::string& file) {
  thread_local dom::parser parser;  // buffers kept from file to file, as above
  dom::element root;
  if (parser.parse(json.data(), json.size(), true).get(root))
    return MakeError(ErrorCode::kInvalidArgument, "feed.bad_json", {file}, file);
  dom::array products;
  if (root["products"].get_array().get(products)) return BadRecord(file, "-", "products");
  std::vector<CpeProduct> out;
  std::set<std::pair<std::string, std::string>> seen;
  size_t i = 0;
  for (dom::element p : products) {
    std::string where = "products[" + std::to_string(i++) + "]";
    std::string_view name;
    if (p["cpe"]["cpeName"].get_string().get(name)) return BadRecord(file, where, "cpeName");
    auto cpe = ParseCpe(name);
    if (!cpe.ok()) return BadRecord(file, where, "cpeName " + std::string(name));
    bool deprecated = false;
    if (auto d = p["cpe"]["deprecated"]; !d.error() && d.get_bool().get(deprecated))
      return BadRecord(file, where, "deprecated");
    if (deprecated) continue;
    CpeProduct c{AsciiLower(cpe->Vendor()), AsciiLower(cpe->Product()), std::string(cpe->Part()),
                 ""};
    if (!seen.insert({c.vendor, c.product}).second) continue;
    std::string en;
    if (dom::array titles; !p["cpe"]["titles"].get_array().get(titles))
      for (dom::element t : titles) {
        std::string_view lang, title;
        if (t["lang"].get_string().get(lang) || t["title"].get_string().get(title)) continue;
        if (lang == "ja") c.title = std::string(title);
        if (lang == "en") en = std::string(title);
      }
    if (c.title.empty()) c.title = en;
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace mamori::vuln
