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
  CveReader(const std::string& file, RecordPlace place) : file_(file), place_(place) {}

  Result<CveRecord> Read(dom::object cve) {
    enum { kId, kPublished, kLastModified, kDescriptions, kMetrics, kConfigurations };
    static constexpr std::array<std::string_view, 6> kNames = {
        "id", "published", "lastModified", "descriptions", "metrics", "configurations"};
    DomFields<6> f(cve, kNames);
    CveRecord r;
    std::string_view id;
    if (!f.Has(kId) || f.value[kId].get_string().get(id) || id.empty()) return Bad("id");
    r.id = std::string(id);
    place_.id = r.id;
    MAMORI_ASSIGN_OR_RETURN(r.published, OptString(f, kPublished, "published"));
    MAMORI_ASSIGN_OR_RETURN(r.last_modified, OptString(f, kLastModified, "lastModified"));
    if (f.Has(kDescriptions)) MAMORI_RETURN_IF_ERROR(Descriptions(f.value[kDescriptions], r));
    if (f.Has(kMetrics)) MAMORI_RETURN_IF_ERROR(Metrics(f.value[kMetrics], r));
    if (f.Has(kConfigurations)) MAMORI_RETURN_IF_ERROR(Configurations(f.value[kConfigurations], r));
    return r;
  }

 private:
  Error Bad(const std::string& what) const { return BadRecord(file_, place_.Str(), what); }

  // An optional string field: "" when absent; an error naming it when it is not a string.
  template <size_t N>
  Result<std::string> OptString(const DomFields<N>& f, size_t i, const char* name) const {
    if (!f.Has(i)) return std::string();
    std::string_view s;
    if (f.value[i].get_string().get(s)) return Bad(name);
    return std::string(s);
  }

  Status Descriptions(dom::element v, CveRecord& r) const {
    dom::array arr;
    if (v.get_array().get(arr)) return Bad("descriptions");
    static constexpr std::array<std::string_view, 2> kNames = {"lang", "value"};
    for (dom::element el : arr) {
      dom::object o;
      if (el.get_object().get(o)) return Bad("descriptions");
      DomFields<2> f(o, kNames);
      std::string_view lang, value;
      if (!f.Has(0) || !f.Has(1) || f.value[0].get_string().get(lang) ||
          f.value[1].get_string().get(value))
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
    dom::object metric, data;
    if (m.get_object().get(metric)) return Bad("metrics cvssData");
    enum { kCvssData, kType, kSeverity };
    static constexpr std::array<std::string_view, 3> kMetric = {"cvssData", "type", "baseSeverity"};
    DomFields<3> mf(metric, kMetric);
    if (!mf.Has(kCvssData) || mf.value[kCvssData].get_object().get(data))
      return Bad("metrics cvssData");
    enum { kVector, kVersion, kScore, kDataSeverity };
    static constexpr std::array<std::string_view, 4> kData = {"vectorString", "version",
                                                              "baseScore", "baseSeverity"};
    DomFields<4> df(data, kData);
    std::string_view type, version, vector, severity;
    double score = 0;
    if (mf.Has(kType) && mf.value[kType].get_string().get(type)) return Bad("metrics type");
    if (!df.Has(kVector) || df.value[kVector].get_string().get(vector))
      return Bad("cvssData vectorString");
    if (df.Has(kVersion) && df.value[kVersion].get_string().get(version))
      return Bad("cvssData version");
    if (df.Has(kScore) && df.value[kScore].get_double().get(score))
      return Bad("cvssData baseScore");
    // v3/v4 keep baseSeverity in cvssData, v2 beside it.
    if (df.Has(kDataSeverity)) {
      if (df.value[kDataSeverity].get_string().get(severity)) return Bad("cvssData baseSeverity");
    } else if (mf.Has(kSeverity) && mf.value[kSeverity].get_string().get(severity)) {
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
    // Written into the thread's buffer, then copied once at its size (grown in the record, the
    // string was reallocated half a dozen times per CVE).
    thread_local std::string compact;
    MAMORI_RETURN_IF_ERROR(CheckConfigurations(v, file_, place_, &r.products, &compact));
    r.configurations.assign(compact);
    std::sort(r.products.begin(), r.products.end());
    r.products.erase(std::unique(r.products.begin(), r.products.end()), r.products.end());
    return Ok();
  }

  const std::string& file_;
  RecordPlace place_;
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
    MAMORI_ASSIGN_OR_RETURN(auto r, CveReader(file, RecordPlace{"cve"}).Read(cve));
    out.push_back(std::move(r));
    return out;
  }
  dom::array arr;
  if (obj["vulnerabilities"].get_array().get(arr)) return BadRecord(file, "-", "vulnerabilities");
  out.reserve(arr.size());
  size_t i = 0;
  for (dom::element el : arr) {
    RecordPlace where{"vulnerabilities", i++};
    dom::object cve;
    if (el["cve"].get_object().get(cve)) return BadRecord(file, where.Str(), "cve");
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
