#include "vuln/osv.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "core/json_body.hpp"
#include "core/text.hpp"
#include "vuln/archive_handles.hpp"

namespace mamori::vuln {

namespace {

Error Bad(const char* key, std::vector<std::string> args) {
  std::string field = args.empty() ? std::string() : args[0];
  return MakeError(ErrorCode::kInvalidArgument, key, std::move(args), std::move(field));
}

// YAML as JSON: every scalar a string (OSV's values are strings; "introduced: 0" is "0").
Json FromYaml(const YAML::Node& n, int depth = 0) {
  if (depth > 64) return nullptr;
  switch (n.Type()) {
    case YAML::NodeType::Map: {
      Json o = Json::object();
      for (const auto& kv : n) o[kv.first.as<std::string>()] = FromYaml(kv.second, depth + 1);
      return o;
    }
    case YAML::NodeType::Sequence: {
      Json a = Json::array();
      for (const auto& x : n) a.push_back(FromYaml(x, depth + 1));
      return a;
    }
    case YAML::NodeType::Scalar:
      return n.as<std::string>();
    default:
      return nullptr;
  }
}

// A string field; numbers are written back as text (a YAML or JSON "0").
std::string Str(const Json& o, const char* k) {
  auto it = o.find(k);
  if (it == o.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<int64_t>());
  return "";
}

Result<OsvRecord> ReadRecord(const Json& j, const std::string& file, const std::string& where) {
  if (!j.is_object()) return Bad("feed.missing_field", {file, where, "id"});
  OsvRecord r;
  r.id = Str(j, "id");
  if (r.id.empty() || r.id.size() > 200) return Bad("feed.missing_field", {file, where, "id"});
  std::string at = where.empty() ? r.id : where + " " + r.id;
  r.modified = Str(j, "modified");
  if (r.modified.empty()) return Bad("feed.missing_field", {file, at, "modified"});
  r.published = Str(j, "published");
  r.withdrawn = Str(j, "withdrawn");
  r.summary = Str(j, "summary");
  if (r.summary.empty()) {
    r.summary = Str(j, "details").substr(0, 300);
    while (!r.summary.empty() && (r.summary.front() == '\n' || r.summary.front() == ' '))
      r.summary.erase(0, 1);
  }
  if (auto a = j.find("aliases"); a != j.end() && a->is_array())
    for (const auto& x : *a)
      if (x.is_string()) r.aliases.push_back(x.get<std::string>());
  if (auto s = j.find("severity"); s != j.end() && s->is_array()) {
    int best = -1;  // v3 > v4 > v2: NVD and the findings list score v3 first
    for (const auto& x : *s) {
      if (!x.is_object()) continue;
      std::string type = Str(x, "type");
      int rank = type == "CVSS_V3" ? 3 : type == "CVSS_V4" ? 2 : type == "CVSS_V2" ? 1 : -1;
      if (rank > best) {
        best = rank;
        r.cvss_vector = Str(x, "score");
      }
    }
  }
  auto aff = j.find("affected");
  if (aff != j.end() && !aff->is_array()) return Bad("feed.bad_field", {file, at, "affected", ""});
  if (aff == j.end()) return r;  // a record may name no package (withdrawn, or CVE-only)
  for (size_t i = 0; i < aff->size(); ++i) {
    const Json& a = (*aff)[i];
    std::string ap = at + ": affected[" + std::to_string(i) + "]";
    if (!a.is_object()) return Bad("feed.missing_field", {file, ap, "package"});
    OsvAffected x;
    if (auto p = a.find("package"); p != a.end() && p->is_object()) {
      x.ecosystem = Str(*p, "ecosystem");
      x.name = Str(*p, "name");
      x.purl = Str(*p, "purl");
    }
    if (x.ecosystem.empty() && x.purl.empty())
      return Bad("feed.missing_field", {file, ap, "package.ecosystem"});
    if (auto key = OsvPackageKey(x.ecosystem, x.name)) {
      x.package_key = *key;
    } else if (!x.purl.empty()) {
      if (auto p = ParsePurl(x.purl); p.ok()) x.package_key = p->PackageKey();
    }
    if (auto rs = a.find("ranges"); rs != a.end()) {
      if (!rs->is_array()) return Bad("feed.bad_field", {file, ap, "ranges", ""});
      for (size_t k = 0; k < rs->size(); ++k) {
        const Json& rg = (*rs)[k];
        std::string rp = ap + ".ranges[" + std::to_string(k) + "]";
        OsvRange range;
        range.type = rg.is_object() ? Str(rg, "type") : "";
        if (range.type.empty()) return Bad("feed.missing_field", {file, rp, "type"});
        auto ev = rg.find("events");
        if (ev == rg.end() || !ev->is_array() || ev->empty())
          return Bad("feed.missing_field", {file, rp, "events"});
        for (size_t e = 0; e < ev->size(); ++e) {
          const Json& o = (*ev)[e];
          std::string ep = rp + ".events[" + std::to_string(e) + "]";
          if (!o.is_object() || o.size() != 1)
            return Bad("feed.bad_field", {file, ep, "event", o.dump().substr(0, 80)});
          const std::string& kind = o.begin().key();
          if (kind != "introduced" && kind != "fixed" && kind != "last_affected" && kind != "limit")
            return Bad("feed.bad_field", {file, ep, "event", kind});
          std::string value = Str(o, kind.c_str());
          if (value.empty()) return Bad("feed.bad_field", {file, ep, kind, ""});
          range.events.push_back({kind, value});
        }
        x.ranges.push_back(std::move(range));
      }
    }
    if (auto vs = a.find("versions"); vs != a.end() && vs->is_array())
      for (const auto& v : *vs)
        if (v.is_string()) x.versions.push_back(v.get<std::string>());
    r.affected.push_back(std::move(x));
  }
  return r;
}

}  // namespace

std::string OsvRecord::FindingId() const {
  if (id.starts_with("CVE-")) return id;
  for (const auto& a : aliases)
    if (a.starts_with("CVE-")) return a;
  return id;
}

Result<std::vector<OsvRecord>> ReadOsv(std::string_view bytes, const std::string& file) {
  std::string_view s = bytes;
  if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
  size_t first = s.find_first_not_of(" \t\r\n");
  Json j;
  if (first != std::string_view::npos && (s[first] == '{' || s[first] == '[')) {
    j = Json::parse(s, nullptr, false);
    if (j.is_discarded()) return Bad("feed.bad_json", {file});
  } else {
    // yaml-cpp passes any bytes through; the records are stored as JSON, which must be UTF-8.
    if (!IsValidUtf8(s)) return Bad("feed.bad_json", {file});
    try {
      j = FromYaml(YAML::Load(std::string(s)));
    } catch (const YAML::Exception& e) {
      return Bad("feed.bad_yaml", {file, std::to_string(e.mark.line + 1), e.msg});
    }
  }
  std::vector<OsvRecord> out;
  if (j.is_array()) {
    out.reserve(j.size());
    for (size_t i = 0; i < j.size(); ++i) {
      MAMORI_ASSIGN_OR_RETURN(auto r, ReadRecord(j[i], file, "[" + std::to_string(i) + "]"));
      out.push_back(std::move(r));
    }
  } else {
    MAMORI_ASSIGN_OR_RETURN(auto r, ReadRecord(j, file, ""));
    out.push_back(std::move(r));
  }
  return out;
}

std::string OsvAffectedToJson(const std::vector<OsvAffected>& affected) {
  Json out = Json::array();
  for (const auto& a : affected) {
    Json ranges = Json::array();
    for (const auto& r : a.ranges) {
      Json events = Json::array();
      for (const auto& e : r.events) events.push_back({{e.kind, e.value}});
      ranges.push_back({{"type", r.type}, {"events", std::move(events)}});
    }
    out.push_back({{"ecosystem", a.ecosystem},
                   {"name", a.name},
                   {"purl", a.purl},
                   {"key", a.package_key},
                   {"ranges", std::move(ranges)},
                   {"versions", a.versions}});
  }
  return out.dump();
}

Result<std::vector<OsvAffected>> OsvAffectedFromJson(std::string_view json, const std::string& id) {
  Json j = Json::parse(json, nullptr, false);
  if (!j.is_array()) return Bad("nvd.bad_record", {"vuln_osv", id, "affected"});
  std::vector<OsvAffected> out;
  for (const auto& a : j) {
    if (!a.is_object()) continue;
    OsvAffected x;
    x.ecosystem = Str(a, "ecosystem");
    x.name = Str(a, "name");
    x.purl = Str(a, "purl");
    x.package_key = Str(a, "key");
    if (auto rs = a.find("ranges"); rs != a.end() && rs->is_array())
      for (const auto& r : *rs) {
        OsvRange range;
        range.type = Str(r, "type");
        if (auto ev = r.find("events"); ev != r.end() && ev->is_array())
          for (const auto& e : *ev)
            if (e.is_object() && e.size() == 1)
              range.events.push_back({e.begin().key(), Str(e, e.begin().key().c_str())});
        x.ranges.push_back(std::move(range));
      }
    if (auto vs = a.find("versions"); vs != a.end() && vs->is_array())
      for (const auto& v : *vs)
        if (v.is_string()) x.versions.push_back(v.get<std::string>());
    out.push_back(std::move(x));
  }
  return out;
}

namespace {

std::string Bound(const OsvRange& r) {
  std::string s;
  for (const auto& e : r.events) s += (s.empty() ? "" : ", ") + e.kind + " " + e.value;
  return r.type + ": " + s;
}

}  // namespace

Applicability EvaluateOsv(const OsvAffected& a, const std::string& osv_id, const Purl& component,
                          const std::string& version) {
  Applicability out;
  std::string criterion = "OSV " + osv_id + " " + a.ecosystem + "/" + a.name;
  std::string comp = component.ToString();
  auto review = [&](const char* key, std::vector<std::string> args, std::string bound = "") {
    out.verdict = Verdict::kReview;
    out.evidence.push_back({criterion, comp, std::move(bound), key, std::move(args)});
    return out;
  };
  // A distribution's advisory holds for its own release only.
  std::string release;
  if (size_t colon = a.ecosystem.find(':'); colon != std::string::npos) {
    release = a.ecosystem.substr(colon + 1);
    release = release.substr(0, release.find(':'));  // Ubuntu:22.04:LTS → 22.04
  }
  std::string comp_release = PurlDistroRelease(component);
  if (!release.empty() && !comp_release.empty() && release != comp_release) return out;
  if (version.empty()) return review("nvd.ev_no_version", {criterion});
  if (std::find(a.versions.begin(), a.versions.end(), version) != a.versions.end()) {
    out.verdict = Verdict::kAffected;
    out.evidence.push_back({criterion, comp, "versions", "osv.ev_listed", {version}});
  }
  auto scheme = OsvEcosystemScheme(a.ecosystem);
  // Commit ranges cannot be compared with a version; when they are all a record gives (and it
  // lists no versions), nothing can be decided.
  bool undecided = a.versions.empty() && !a.ranges.empty() &&
                   std::all_of(a.ranges.begin(), a.ranges.end(),
                               [](const OsvRange& r) { return r.type == "GIT"; });
  for (const auto& r : a.ranges) {
    if (out.verdict == Verdict::kAffected) break;
    if (r.type == "GIT") continue;
    std::optional<VersionScheme> s =
        r.type == "SEMVER" ? std::optional<VersionScheme>(VersionScheme::kSemver) : scheme;
    if (!s) return review("osv.ev_unordered", {a.ecosystem}, Bound(r));
    // The specification's evaluation: events in version order ("0" first); a version is
    // affected after an introduced event until a fixed (>=) or last_affected (>) event.
    std::vector<OsvEvent> events = r.events;
    std::stable_sort(events.begin(), events.end(), [&](const OsvEvent& x, const OsvEvent& y) {
      if (x.value == "0" || y.value == "0") return x.value == "0" && y.value != "0";
      return CompareVersions(*s, x.value, y.value) < 0;
    });
    bool affected = false;
    size_t from = 0;
    for (size_t i = 0; i < events.size(); ++i) {
      const OsvEvent& e = events[i];
      int c = e.value == "0" ? 1 : CompareVersions(*s, version, e.value);
      if (e.kind == "introduced" && c >= 0) {
        affected = true;
        from = i;
      } else if ((e.kind == "fixed" && c >= 0) || (e.kind == "last_affected" && c > 0)) {
        affected = false;
      }
    }
    if (affected) {
      out.verdict = Verdict::kAffected;
      std::string bound = "introduced " + events[from].value;
      for (size_t i = from + 1; i < events.size(); ++i)
        if (events[i].kind == "fixed" || events[i].kind == "last_affected") {
          bound += ", " + events[i].kind + " " + events[i].value;
          break;
        }
      out.evidence.push_back(
          {criterion, comp, bound, "osv.ev_in_range", {version, bound, VersionSchemeName(*s)}});
    }
  }
  if (out.verdict != Verdict::kAffected && undecided) return review("osv.ev_git_only", {criterion});
  if (out.verdict == Verdict::kAffected && !release.empty() && comp_release.empty()) {
    out.verdict = Verdict::kReview;
    out.evidence.push_back({criterion, comp, a.ecosystem, "osv.ev_release_unknown", {a.ecosystem}});
  }
  return out;
}

bool IsZip(std::string_view bytes) {
  return bytes.starts_with(std::string_view("PK\x03\x04", 4)) ||
         bytes.starts_with(std::string_view("PK\x05\x06", 4));  // an empty archive
}

Result<std::vector<OsvRecord>> ReadOsvZip(std::string_view bytes, const std::string& file) {
  ArchiveReader r;
  auto bad = [&](const std::string& where) {
    const char* msg = archive_error_string(r.a);
    return MakeError(ErrorCode::kInvalidArgument, "feed.bad_archive",
                     {where, msg != nullptr ? msg : "?"}, file);
  };
  archive_read_support_format_zip(r.a);
  if (archive_read_open_memory(r.a, bytes.data(), bytes.size()) != ARCHIVE_OK) return bad(file);
  std::vector<OsvRecord> out;
  // A member larger than this is no OSV record (the largest real ones are a few hundred KB).
  constexpr int64_t kMemberLimit = 64 << 20;
  for (;;) {
    archive_entry* e = nullptr;
    int rc = archive_read_next_header(r.a, &e);
    if (rc == ARCHIVE_EOF) break;
    if (rc != ARCHIVE_OK) return bad(file);
    const char* raw_name = archive_entry_pathname(e);
    std::string name = raw_name != nullptr ? raw_name : "";
    std::string where = file;
    where += ':';
    where += name;
    if (archive_entry_filetype(e) != AE_IFREG || !name.ends_with(".json")) continue;
    if (archive_entry_size_is_set(e) != 0 && archive_entry_size(e) > kMemberLimit)
      return MakeError(ErrorCode::kInvalidArgument, "feed.bad_archive", {where, "size"}, file);
    std::string text;
    char buf[65536];
    for (;;) {
      la_ssize_t n = archive_read_data(r.a, buf, sizeof buf);
      if (n < 0) return bad(where);
      if (n == 0) break;
      text.append(buf, static_cast<size_t>(n));
      if (static_cast<int64_t>(text.size()) > kMemberLimit)
        return MakeError(ErrorCode::kInvalidArgument, "feed.bad_archive", {where, "size"}, file);
    }
    MAMORI_ASSIGN_OR_RETURN(auto records, ReadOsv(text, where));
    for (auto& rec : records) out.push_back(std::move(rec));
  }
  return out;
}

}  // namespace mamori::vuln
