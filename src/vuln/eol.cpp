#include "vuln/eol.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <regex>

#include "core/text.hpp"
#include "vuln/cpe.hpp"

namespace mamori::vuln {

namespace {

Error Bad(const char* key, std::vector<std::string> args) {
  std::string field = args.size() > 1 ? args[1] : args[0];
  return MakeError(ErrorCode::kInvalidArgument, key, std::move(args), std::move(field));
}

std::string Stem(const std::string& file) {
  size_t slash = file.find_last_of('/');
  std::string base = slash == std::string::npos ? file : file.substr(slash + 1);
  size_t dot = base.find('.');
  return dot == std::string::npos ? base : base.substr(0, dot);
}

std::string Scalar(const YAML::Node& n) {
  return n && n.IsScalar() ? n.Scalar() : std::string();
}

bool IsDate(const std::string& s) {
  static const std::regex kDate(R"(\d{4}-\d{2}-\d{2})");
  return std::regex_match(s, kDate);
}

// "7.0.12" starts with the cycle "7.0" at a boundary: the next character is not a digit.
bool CyclePrefix(std::string_view version, std::string_view cycle) {
  if (cycle.empty() || version.size() < cycle.size()) return false;
  for (size_t i = 0; i < cycle.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(version[i])) !=
        std::tolower(static_cast<unsigned char>(cycle[i])))
      return false;
  return version.size() == cycle.size() ||
         !std::isdigit(static_cast<unsigned char>(version[cycle.size()]));
}

// How many leading dot-separated parts two versions share: "10.0.19045.3803" and "10.0.19045"
// share 3.
int SharedParts(std::string_view a, std::string_view b) {
  int n = 0;
  for (;;) {
    size_t da = a.find('.');
    size_t db = b.find('.');
    if (a.substr(0, da) != b.substr(0, db) || a.substr(0, da).empty()) return n;
    ++n;
    if (da == std::string_view::npos || db == std::string_view::npos) return n;
    a.remove_prefix(da + 1);
    b.remove_prefix(db + 1);
  }
}

}  // namespace

Result<EolProduct> ReadEolProduct(std::string_view text, const std::string& file) {
  if (!IsValidUtf8(text)) return Bad("feed.bad_json", {file});
  // The YAML front matter between the first two "---" lines.
  if (text.substr(0, 3) != "---") return Bad("feed.missing_field", {file, "-", "---"});
  size_t end = text.find("\n---", 3);
  if (end == std::string_view::npos) return Bad("feed.missing_field", {file, "-", "---"});
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text.substr(3, end - 3)));
  } catch (const YAML::Exception& e) {
    return Bad("feed.bad_field", {file, "line " + std::to_string(e.mark.line + 2), "YAML", e.msg});
  }
  if (!root.IsMap()) return Bad("feed.missing_field", {file, "-", "releases"});
  EolProduct p;
  p.title = Scalar(root["title"]);
  p.id = Stem(file);  // products/<id>.md, as the endoflife.date API names it
  if (const YAML::Node ids = root["identifiers"]; ids && ids.IsSequence()) {
    for (const auto& id : ids) {
      std::string cpe = id.IsMap() ? Scalar(id["cpe"]) : std::string();
      if (cpe.empty()) continue;
      auto parsed = cpe.rfind("cpe:2.3:", 0) == 0 ? ParseCpeShort(cpe) : ParseCpe22(cpe);
      if (!parsed.ok()) continue;  // an identifier mamori cannot use is not an error
      std::string key = std::string(parsed->Vendor()) + ":" + std::string(parsed->Product());
      std::transform(key.begin(), key.end(), key.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (std::find(p.cpes.begin(), p.cpes.end(), key) == p.cpes.end()) p.cpes.push_back(key);
    }
  }
  const YAML::Node rel = root["releases"];
  if (!rel || !rel.IsSequence()) return Bad("feed.missing_field", {file, "-", "releases"});
  for (size_t i = 0; i < rel.size(); ++i) {
    const YAML::Node r = rel[i];
    std::string where = "releases[" + std::to_string(i) + "]";
    if (!r.IsMap()) return Bad("feed.missing_field", {file, where, "releaseCycle"});
    EolRelease e;
    e.cycle = Scalar(r["releaseCycle"]);
    if (e.cycle.empty()) return Bad("feed.missing_field", {file, where, "releaseCycle"});
    where += " " + e.cycle;
    e.label = Scalar(r["releaseLabel"]);
    if (e.label.empty()) e.label = e.cycle;
    e.release_date = Scalar(r["releaseDate"]);
    e.latest = Scalar(r["latest"]);
    std::string eol = Scalar(r["eol"]);
    if (eol == "true") {
      e.eol_bool = true;
    } else if (eol == "false" || eol.empty()) {
      e.eol_bool = false;
    } else if (IsDate(eol)) {
      e.eol = eol;
    } else {
      return Bad("feed.bad_field", {file, where, "eol", eol});
    }
    if (!e.release_date.empty() && !IsDate(e.release_date))
      return Bad("feed.bad_field", {file, where, "releaseDate", e.release_date});
    p.releases.push_back(std::move(e));
  }
  return p;
}

EolCycleMatch FindEolCycle(const EolProduct& product, std::string_view version) {
  EolCycleMatch m;
  if (version.empty()) return m;
  for (const auto& r : product.releases)
    if (CyclePrefix(version, r.cycle) &&
        (m.release == nullptr || r.cycle.size() > m.release->cycle.size()))
      m.release = &r;
  if (m.release != nullptr) {
    m.how = "cycle";
    return m;
  }
  int best = 2;  // at least major.minor in common
  for (const auto& r : product.releases) {
    int shared = SharedParts(version, r.latest);
    if (shared < best) continue;
    if (shared > best) m.candidates.clear();
    best = shared;
    m.candidates.push_back(&r);
  }
  if (m.candidates.empty()) return m;
  bool agree = std::all_of(m.candidates.begin(), m.candidates.end(), [&](const EolRelease* r) {
    return r->eol == m.candidates[0]->eol && r->eol_bool == m.candidates[0]->eol_bool;
  });
  if (agree) {
    m.release = m.candidates[0];
    m.how = "latest";
    m.candidates.clear();
  }
  return m;
}

EolCycleMatch FindEolCycleNamed(const EolProduct& product, std::string_view cycle) {
  EolCycleMatch m;
  if (cycle.empty()) return m;
  for (const auto& r : product.releases) {
    if (r.cycle == cycle) {
      m.release = &r;
      m.how = "named";
      m.candidates.clear();
      return m;
    }
    if (r.cycle.size() > cycle.size() && r.cycle.compare(0, cycle.size(), cycle) == 0 &&
        r.cycle[cycle.size()] == '-')
      m.candidates.push_back(&r);
  }
  if (m.candidates.empty()) return m;
  bool agree = std::all_of(m.candidates.begin(), m.candidates.end(), [&](const EolRelease* r) {
    return r->eol == m.candidates[0]->eol && r->eol_bool == m.candidates[0]->eol_bool;
  });
  if (agree) {
    m.release = m.candidates[0];
    m.how = "named";
    m.candidates.clear();
  }
  return m;
}

}  // namespace mamori::vuln
