#include "vuln/feeds.hpp"

#include <charconv>
#include <cstdlib>
#include <regex>

#include "core/json_body.hpp"
#include "core/text.hpp"

namespace mamori::vuln {

namespace {

// The first argument is the file, which is also the error's field.
Error Bad(const char* key, std::vector<std::string> args) {
  std::string field = args.empty() ? std::string() : args[0];
  return MakeError(ErrorCode::kInvalidArgument, key, std::move(args), std::move(field));
}

bool IsCveId(const std::string& s) {
  static const std::regex kCve(R"(CVE-\d{4}-\d{4,})");
  return std::regex_match(s, kCve);
}

bool IsDate(const std::string& s) {
  static const std::regex kDate(R"(\d{4}-\d{2}-\d{2})");
  return std::regex_match(s, kDate);
}

// A probability written as a decimal in [0, 1].
bool ReadUnit(std::string_view s, double* out) {
  if (s.empty() || s.size() > 32) return false;
  std::string t(s);
  char* end = nullptr;
  double v = std::strtod(t.c_str(), &end);
  if (end != t.c_str() + t.size() || !(v >= 0 && v <= 1)) return false;
  *out = v;
  return true;
}

}  // namespace

Result<KevCatalog> ReadKev(std::string_view json, const std::string& file) {
  Json j = Json::parse(json, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Bad("feed.bad_json", {file});
  KevCatalog c;
  auto str = [](const Json& o, const char* k) {
    auto it = o.find(k);
    return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  c.version = str(j, "catalogVersion");
  c.released = str(j, "dateReleased");
  auto v = j.find("vulnerabilities");
  if (v == j.end() || !v->is_array())
    return Bad("feed.missing_field", {file, "-", "vulnerabilities"});
  c.entries.reserve(v->size());
  for (size_t i = 0; i < v->size(); ++i) {
    const Json& e = (*v)[i];
    std::string where = "vulnerabilities[" + std::to_string(i) + "]";
    if (!e.is_object()) return Bad("feed.missing_field", {file, where, "cveID"});
    KevEntry k;
    k.cve = str(e, "cveID");
    if (!IsCveId(k.cve)) return Bad("feed.bad_field", {file, where, "cveID", k.cve});
    k.vendor_project = str(e, "vendorProject");
    k.product = str(e, "product");
    k.name = str(e, "vulnerabilityName");
    k.date_added = str(e, "dateAdded");
    k.due_date = str(e, "dueDate");
    for (const auto* d : {&k.date_added, &k.due_date})
      if (!IsDate(*d))
        return Bad("feed.bad_field",
                   {file, where + " " + k.cve, d == &k.date_added ? "dateAdded" : "dueDate", *d});
    k.short_description = str(e, "shortDescription");
    k.required_action = str(e, "requiredAction");
    k.ransomware = str(e, "knownRansomwareCampaignUse") == "Known";
    k.notes = str(e, "notes");
    if (auto cw = e.find("cwes"); cw != e.end() && cw->is_array())
      for (const auto& x : *cw)
        if (x.is_string()) k.cwes.push_back(x.get<std::string>());
    c.entries.push_back(std::move(k));
  }
  return c;
}

Result<EpssFile> ReadEpss(std::string_view csv, const std::string& file) {
  if (!IsValidUtf8(csv)) return Bad("feed.bad_json", {file});
  EpssFile f;
  size_t pos = 0;
  int line = 0;
  bool header = false;
  while (pos < csv.size()) {
    size_t nl = csv.find('\n', pos);
    std::string_view l =
        csv.substr(pos, nl == std::string_view::npos ? csv.size() - pos : nl - pos);
    pos = nl == std::string_view::npos ? csv.size() : nl + 1;
    ++line;
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    if (l.empty()) continue;
    std::string where = "line " + std::to_string(line);
    if (l.front() == '#') {  // #model_version:v2025.03.14,score_date:2025-03-17T12:55:00Z
      std::string meta(l.substr(1));
      for (size_t s = 0; s < meta.size();) {
        size_t comma = meta.find(',', s);
        std::string kv = meta.substr(s, comma == std::string::npos ? std::string::npos : comma - s);
        size_t colon = kv.find(':');
        if (colon != std::string::npos) {
          if (kv.substr(0, colon) == "model_version") f.model_version = kv.substr(colon + 1);
          if (kv.substr(0, colon) == "score_date") f.score_date = kv.substr(colon + 1);
        }
        if (comma == std::string::npos) break;
        s = comma + 1;
      }
      continue;
    }
    if (!header) {
      if (l != "cve,epss,percentile") return Bad("feed.bad_header", {file, where, std::string(l)});
      header = true;
      continue;
    }
    size_t c1 = l.find(',');
    size_t c2 = c1 == std::string_view::npos ? c1 : l.find(',', c1 + 1);
    if (c2 == std::string_view::npos || l.find(',', c2 + 1) != std::string_view::npos)
      return Bad("feed.bad_field", {file, where, "columns", std::string(l)});
    EpssScore s;
    s.cve = std::string(l.substr(0, c1));
    if (!IsCveId(s.cve)) return Bad("feed.bad_field", {file, where, "cve", s.cve});
    if (!ReadUnit(l.substr(c1 + 1, c2 - c1 - 1), &s.epss))
      return Bad("feed.bad_field",
                 {file, where, "epss", std::string(l.substr(c1 + 1, c2 - c1 - 1))});
    if (!ReadUnit(l.substr(c2 + 1), &s.percentile))
      return Bad("feed.bad_field", {file, where, "percentile", std::string(l.substr(c2 + 1))});
    f.scores.push_back(std::move(s));
  }
  if (!header) return Bad("feed.bad_header", {file, "line 1", ""});
  return f;
}

}  // namespace mamori::vuln
