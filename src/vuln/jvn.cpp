#include "vuln/jvn.hpp"

#include <algorithm>
#include <cstring>
#include <map>
#include <pugixml.hpp>
#include <regex>

#include "core/json_body.hpp"
#include "core/text.hpp"
#include "vuln/cpe.hpp"

namespace mamori::vuln {

namespace {

Error Bad(const char* key, std::vector<std::string> args) {
  std::string field = args.size() > 1 ? args[1] : args[0];
  return MakeError(ErrorCode::kInvalidArgument, key, std::move(args), std::move(field));
}

// Element names compared without their namespace prefix ("sec:cpe" → "cpe").
std::string_view Local(const char* name) {
  std::string_view n(name);
  size_t colon = n.find(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

pugi::xml_node Child(pugi::xml_node n, std::string_view local) {
  for (auto c : n.children())
    if (Local(c.name()) == local) return c;
  return {};
}

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

// JVN writes HTML lists inside the text ("&lt;ul&gt;&lt;li&gt;…"): kept as plain lines.
std::string PlainText(std::string_view s) {
  static const std::regex kBreak(R"(<(/li|br ?/?|/p)>)");
  static const std::regex kTag(R"(<[^>]*>)");
  std::string out = std::regex_replace(std::string(s), kBreak, "\n");
  out = std::regex_replace(out, kTag, "");
  return Trim(out);
}

bool IsCve(std::string_view s) {
  static const std::regex kCve(R"(CVE-\d{4}-\d{4,})");
  return std::regex_match(s.begin(), s.end(), kCve);
}

void AddUnique(std::vector<std::string>& v, std::string s) {
  if (!s.empty() && std::find(v.begin(), v.end(), s) == v.end()) v.push_back(std::move(s));
}

void AddCpe(JvnEntry& e, std::string_view text) {
  std::string t = Trim(text);
  auto cpe = t.rfind("cpe:2.3:", 0) == 0 ? ParseCpe(t) : ParseCpe22(t);
  if (cpe.ok()) AddUnique(e.cpes, cpe->ToString());  // an unusable CPE is left out, not fatal
}

// The versions stated for a product, under its CPE (2.3); several items about one product are
// merged.
void AddAffected(JvnEntry& e, std::string_view cpe_text, const std::vector<JvnVersion>& versions) {
  if (versions.empty()) return;
  std::string t = Trim(cpe_text);
  auto cpe = t.rfind("cpe:2.3:", 0) == 0 ? ParseCpe(t) : ParseCpe22(t);
  if (!cpe.ok()) return;
  std::string name = cpe->ToString();
  auto it = std::find_if(e.affected.begin(), e.affected.end(),
                         [&](const JvnAffected& a) { return a.cpe == name; });
  if (it == e.affected.end()) {
    e.affected.push_back({name, versions});
  } else {
    it->versions.insert(it->versions.end(), versions.begin(), versions.end());
  }
}

// <item> of the RSS overview / data feed.
JvnEntry ReadItem(pugi::xml_node item) {
  JvnEntry e;
  e.url = item.attribute("rdf:about").value();
  std::string cvss_version;
  for (auto c : item.children()) {
    std::string_view n = Local(c.name());
    std::string_view full(c.name());
    if (n == "identifier") {
      e.id = Trim(c.child_value());
    } else if (full == "title") {
      e.title = Trim(c.child_value());
    } else if (full == "description") {
      e.overview = PlainText(c.child_value());
    } else if (n == "references") {
      std::string id = c.attribute("id").value();
      if (IsCve(id))
        AddUnique(e.cves, id);
      else if (id.rfind("JVN#", 0) == 0 || id.rfind("JVNVU#", 0) == 0 || id.rfind("JVNTA", 0) == 0)
        AddUnique(e.aliases, id);
    } else if (n == "cpe") {
      AddCpe(e, c.child_value());
    } else if (n == "cvss") {
      std::string v = c.attribute("version").value();
      if (v > cvss_version) {
        cvss_version = v;
        e.cvss_vector = c.attribute("vector").value();
      }
    } else if (full == "dcterms:issued") {
      e.published = Trim(c.child_value());
    } else if (full == "dcterms:modified") {
      e.last_modified = Trim(c.child_value());
    }
  }
  return e;
}

// <Vulinfo> of VULDEF-Document.
JvnEntry ReadVulinfo(pugi::xml_node v) {
  JvnEntry e;
  e.id = Trim(Child(v, "VulinfoID").child_value());
  pugi::xml_node data = Child(v, "VulinfoData");
  e.title = Trim(Child(data, "Title").child_value());
  e.overview = PlainText(Child(Child(data, "VulinfoDescription"), "Overview").child_value());
  // Each AffectedItem: its product's CPEs and the versions stated for them.
  e.has_affected = true;
  for (auto item : Child(data, "Affected").children()) {
    std::vector<JvnVersion> versions;
    for (auto c : item.children())
      if (Local(c.name()) == "VersionNumber")
        if (std::string t = Trim(c.child_value()); !t.empty())
          versions.push_back({t, "", "", "", ""});
    for (auto c : item.children())
      if (Local(c.name()) == "Cpe") {
        AddCpe(e, c.child_value());
        AddAffected(e, c.child_value(), versions);
      }
  }
  std::string cvss_version;
  for (auto c : Child(data, "Impact").children())
    if (Local(c.name()) == "Cvss") {
      std::string ver = c.attribute("version").value();
      if (ver > cvss_version) {
        cvss_version = ver;
        e.cvss_vector = Trim(Child(c, "Vector").child_value());
      }
    }
  for (auto r : Child(data, "Related").children()) {
    std::string id = Trim(Child(r, "VulinfoID").child_value());
    if (IsCve(id))
      AddUnique(e.cves, id);
    else if (id.rfind("JVN#", 0) == 0 || id.rfind("JVNVU#", 0) == 0)
      AddUnique(e.aliases, id);
  }
  e.published = Trim(Child(data, "DateFirstPublished").child_value());
  e.last_modified = Trim(Child(data, "DateLastUpdated").child_value());
  if (e.id.size() > 11)
    e.url = "https://jvndb.jvn.jp/ja/contents/" + e.id.substr(6, 4) + "/" + e.id + ".html";
  return e;
}

// ---- MyJVN API "OKA" (ver 4.0) JSON -------------------------------------------------------

std::string Str(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? Trim(it->get<std::string>()) : std::string();
}

const Json& Member(const Json& j, const char* key) {
  static const Json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

std::string JvndbUrl(const std::string& id) {
  return id.size() > 11 ? "https://jvndb.jvn.jp/ja/contents/" + id.substr(6, 4) + "/" + id + ".html"
                        : std::string();
}

// An identifier named by a reference (its summary): a CVE, or a JVN advisory's alias.
void AddReference(JvnEntry& e, const std::string& id) {
  if (IsCve(id))
    AddUnique(e.cves, id);
  else if (id.rfind("JVN#", 0) == 0 || id.rfind("JVNVU#", 0) == 0 || id.rfind("JVNTA", 0) == 0)
    AddUnique(e.aliases, id);
}

// The newest CVSS version of OKA metrics: [{content: {cvss_v2|cvss_v3|cvss_v4: {version,
// vectorString}}}] (other scoring systems are left out).
void AddMetrics(JvnEntry& e, const Json& metrics, std::string& best_version) {
  if (!metrics.is_array()) return;
  for (const auto& m : metrics)
    for (const char* k : {"cvss_v2", "cvss_v3", "cvss_v4"}) {
      const Json& c = Member(Member(m, "content"), k);
      std::string version = Str(c, "version"), vector = Str(c, "vectorString");
      if (!vector.empty() && version > best_version) {
        best_version = version;
        e.cvss_vector = vector;
      }
    }
}

// The product tree's CPEs (product_identification_helper.cpe), at any depth of branches.
// Real trees are three levels deep (vendor, product, version); a hostile file is not followed
// past kMaxDepth.
constexpr int kMaxDepth = 32;

void AddTreeCpes(JvnEntry& e, const Json& branches, int depth = 0) {
  if (!branches.is_array() || depth > kMaxDepth) return;
  for (const auto& b : branches) {
    std::string cpe = Str(Member(Member(b, "product"), "product_identification_helper"), "cpe");
    if (!cpe.empty()) AddCpe(e, cpe);
    AddTreeCpes(e, Member(b, "branches"), depth + 1);
  }
}

// vendor name → product name → CPE, from the product tree's vendor and product_name branches
// (jvn_extension.affected names products by these names).
using TreeNames = std::map<std::pair<std::string, std::string>, std::string>;

void CollectTreeNames(TreeNames& out, const Json& branches, const std::string& vendor,
                      int depth = 0) {
  if (!branches.is_array() || depth > kMaxDepth) return;
  for (const auto& b : branches) {
    std::string category = Str(b, "category"), name = Str(b, "name");
    if (category == "product_name") {
      std::string cpe = Str(Member(Member(b, "product"), "product_identification_helper"), "cpe");
      if (!cpe.empty()) out.emplace(std::make_pair(vendor, name), cpe);
    }
    CollectTreeNames(out, Member(b, "branches"), category == "vendor" ? name : vendor, depth + 1);
  }
}

// jvn_extension.affected: [{vendor, product, versions: [{version, lessThan, lessThanOrEqual,
// status, description}]}], each product found in the tree by its vendor's and its own name.
void AddOkaAffected(JvnEntry& e, const Json& d) {
  const Json& affected = Member(Member(d, "jvn_extension"), "affected");
  if (!affected.is_array()) return;
  e.has_affected = true;
  TreeNames names;
  CollectTreeNames(names, Member(Member(d, "product_tree"), "branches"), "");
  for (const auto& a : affected) {
    auto it = names.find({Str(a, "vendor"), Str(a, "product")});
    if (it == names.end()) continue;  // a product the tree does not identify: its CPE alone
    std::vector<JvnVersion> versions;
    for (const auto& v : Member(a, "versions")) {
      JvnVersion jv{Str(v, "description"), Str(v, "version"), Str(v, "lessThan"),
                    Str(v, "lessThanOrEqual"), Str(v, "status")};
      if (!jv.text.empty() || !jv.version.empty()) versions.push_back(std::move(jv));
    }
    AddAffected(e, it->second, versions);
  }
}

// A vulnerability document as getVulnDetailInfo gives it (jvncsaf; also inside a jvnstix
// bundle's VULDEF-Document): document.tracking, product_tree, vulnerabilities.
JvnEntry ReadOkaDocument(const Json& d) {
  JvnEntry e;
  const Json& doc = Member(d, "document");
  const Json& tracking = Member(doc, "tracking");
  e.id = Str(tracking, "id");
  e.title = Str(doc, "title");
  for (const auto& n : Member(doc, "notes"))
    if (Str(n, "category") == "description" && e.overview.empty())
      e.overview = PlainText(Str(n, "text"));
  e.published = Str(tracking, "initial_release_date");
  e.last_modified = Str(tracking, "current_release_date");
  AddTreeCpes(e, Member(Member(d, "product_tree"), "branches"));
  AddOkaAffected(e, d);
  std::string best;
  for (const auto& v : Member(d, "vulnerabilities")) {
    AddReference(e, Str(v, "cve"));
    AddMetrics(e, Member(v, "metrics"), best);
    if (e.overview.empty())
      for (const auto& n : Member(v, "notes"))
        if (Str(n, "category") == "description") e.overview = PlainText(Str(n, "text"));
  }
  for (const auto& r : Member(doc, "references")) AddReference(e, Str(r, "summary"));
  e.url = JvndbUrl(e.id);
  return e;
}

// An entry of getVulnOverviewList / the JVNDB RSS data feed: feed.entry[].
JvnEntry ReadOkaEntry(const Json& x) {
  JvnEntry e;
  e.id = Str(x, "id");
  e.title = Str(x, "title");
  e.overview = PlainText(Str(x, "summary"));
  e.url = Str(x, "link");
  if (e.url.empty()) e.url = JvndbUrl(e.id);
  e.published = Str(x, "created");
  e.last_modified = Str(x, "modified");
  for (const auto& r : Member(x, "references")) AddReference(e, Str(r, "summary"));
  for (const auto& p : Member(x, "products")) {
    std::string cpe = Str(Member(p, "product_ids"), "cpe");
    if (!cpe.empty()) AddCpe(e, cpe);
  }
  std::string best;
  AddMetrics(e, Member(x, "metrics"), best);
  return e;
}

// Every vulnerability document anywhere in the JSON (a jvnstix bundle nests them), in order.
void FindOkaDocuments(const Json& j, std::vector<const Json*>& out, int depth = 0) {
  if (depth > kMaxDepth) return;
  if (j.is_object()) {
    const Json& doc = Member(j, "document");
    if (doc.is_object() && doc.contains("tracking")) {
      out.push_back(&j);
      return;
    }
    for (const auto& [k, v] : j.items()) FindOkaDocuments(v, out, depth + 1);
  } else if (j.is_array()) {
    for (const auto& v : j) FindOkaDocuments(v, out, depth + 1);
  }
}

// ---- version statements ---------------------------------------------------------------------

// A version as JVN writes one: a digit first, a letter or digit last ("1.05", "3.1.1a",
// "14.01.38"); a "v" before it is dropped.
constexpr const char* kVer = R"([vV]?(\d(?:[0-9A-Za-z._+\-]*[0-9A-Za-z])?))";
// Words before a version that say nothing about the range.
constexpr const char* kPre =
    R"((?:(?:ファームウェア\s*|[Ff]irmware\s*)?(?:バージョン|[Vv]er\.?|[Vv]ersions?)\s*)?)";

// A whole-text pattern from pieces ("^…$").
std::regex Whole(std::initializer_list<std::string_view> parts) {
  std::string p = "^";
  for (auto part : parts) p += part;
  return std::regex(p + "$");
}

// "1.2.x": a series, not a version — not read.
bool IsSeries(std::string_view v) {
  for (size_t at = 0; at <= v.size();) {
    size_t dot = std::min(v.find('.', at), v.size());
    std::string_view part = v.substr(at, dot - at);
    if (part == "x" || part == "X") return true;
    at = dot + 1;
  }
  return false;
}

bool IsZero(std::string_view v) {
  return v.empty() || v == "*" || v.find_first_not_of("0.") == std::string_view::npos;
}

// The version itself, or "" where it is not one.
std::string VersionToken(std::string_view v) {
  static const std::regex kToken = Whole({kVer});
  std::string s = Trim(Nfkc(v));
  std::smatch m;
  return std::regex_match(s, m, kToken) && !IsSeries(m[1].str()) ? m[1].str() : std::string();
}

// A closing "(CVE-2025-0354、CVE-2025-0355)": its CVEs, and the text without it. Anything else in
// brackets stays in the text (and is not understood).
std::vector<std::string> TakeCves(std::string& s) {
  if (s.empty() || s.back() != ')') return {};
  size_t open = s.rfind('(');
  if (open == std::string::npos) return {};
  static const std::regex kSep("(?:、|,|・|\\s)+");
  std::string inner = s.substr(open + 1, s.size() - open - 2);
  std::vector<std::string> cves;
  for (std::sregex_token_iterator it(inner.begin(), inner.end(), kSep, -1), end; it != end; ++it) {
    std::string id = it->str();
    if (id.empty()) continue;
    if (!IsCve(id)) return {};
    AddUnique(cves, id);
  }
  if (!cves.empty()) s = Trim(std::string_view(s).substr(0, open));
  return cves;
}

JvnRange ReadJvnText(std::string_view text) {
  JvnRange r;
  std::string s = Trim(Nfkc(text));
  r.cves = TakeCves(s);
  for (const char* suffix :
       {"のすべてのバージョン", "の全バージョン", "のバージョン", "バージョン"})
    if (std::string_view(s).ends_with(suffix)) {
      s = Trim(std::string_view(s).substr(0, s.size() - std::strlen(suffix)));
      break;
    }
  static const std::regex kExact = Whole({kPre, kVer});
  static const std::regex kBefore = Whole({kPre, kVer, R"(\s*(?:より前|未満))"});
  static const std::regex kPriorTo =
      Whole({R"((?:[Vv]ersions?\s+)?(?:prior to|before|earlier than)\s+)", kPre, kVer});
  static const std::regex kUpTo = Whole(
      {kPre, kVer,
       R"(\s*(?:およびそれ以前|及びそれ以前|以前|以下|and earlier|and prior|or earlier|or prior))"});
  static const std::regex kFrom = Whole({kPre, kVer, R"(\s*(?:以降|以上|and later|or later))"});
  static const std::regex kBetween =
      Whole({kPre, kVer, R"(\s*(?:以上|から)\s*)", kPre, kVer, R"(\s*(以下|まで|未満|より前))"});
  static const std::regex kTo = Whole({kPre, kVer, R"(\s*(?:to|~|〜)\s*)", kPre, kVer});
  std::smatch m;
  if (std::regex_match(s, m, kExact)) {
    r.exact = m[1];
  } else if (std::regex_match(s, m, kBefore) || std::regex_match(s, m, kPriorTo)) {
    r.end = m[1];
  } else if (std::regex_match(s, m, kUpTo)) {
    r.end = m[1];
    r.end_including = true;
  } else if (std::regex_match(s, m, kFrom)) {
    r.start = m[1];
  } else if (std::regex_match(s, m, kBetween)) {
    r.start = m[1];
    r.end = m[2];
    r.end_including = m[3] == "以下" || m[3] == "まで";
  } else if (std::regex_match(s, m, kTo)) {
    r.start = m[1];
    r.end = m[2];
    r.end_including = true;
  } else {
    return r;
  }
  r.understood = !IsSeries(r.exact) && !IsSeries(r.start) && !IsSeries(r.end);
  return r;
}

}  // namespace

JvnRange ReadJvnVersion(const JvnVersion& v) {
  if (v.version.empty() && v.less_than.empty() && v.less_than_or_equal.empty())
    return ReadJvnText(v.text);
  // OKA's fields (CVE JSON 5): version is the start of a range with lessThan(OrEqual), else the
  // one version; "0.0.0" starts from the first.
  JvnRange r;
  std::string words = Trim(Nfkc(v.text));
  r.cves = TakeCves(words);
  if (!v.status.empty() && v.status != "affected") return r;
  std::string end = v.less_than.empty() ? v.less_than_or_equal : v.less_than;
  if (end.empty()) {
    r.exact = VersionToken(v.version);
    r.understood = !r.exact.empty();
    return r;
  }
  r.end_including = v.less_than.empty();
  if (end != "*" && (r.end = VersionToken(end)).empty()) return r;
  if (!IsZero(v.version) && (r.start = VersionToken(v.version)).empty()) return r;
  r.understood = !r.start.empty() || !r.end.empty();
  return r;
}

Json JvnCriterion(const Cpe& product, const JvnRange& r) {
  Cpe criterion = product;
  if (!r.understood || !criterion.Set(3, r.exact.empty() ? std::string("*") : CpeEscape(r.exact)))
    return nullptr;
  Json m = {{"vulnerable", true}, {"criteria", criterion.ToString()}};
  if (!r.start.empty())
    m[r.start_including ? "versionStartIncluding" : "versionStartExcluding"] = r.start;
  if (!r.end.empty()) m[r.end_including ? "versionEndIncluding" : "versionEndExcluding"] = r.end;
  return m;
}

Result<std::vector<JvnEntry>> ReadJvnOka(std::string_view json, const std::string& file) {
  Json j;
  try {
    j = Json::parse(json);
  } catch (const Json::parse_error& err) {
    auto at = std::min<size_t>(err.byte, json.size());
    auto line = 1 + std::count(json.begin(), json.begin() + static_cast<std::ptrdiff_t>(at), '\n');
    return Bad("feed.bad_json_at", {file, std::to_string(line)});
  } catch (const Json::exception&) {  // a number out of range (5e572) is not a parse_error
    return Bad("feed.bad_json", {file});
  }
  // Other MyJVN methods (vendor and product lists, alerts, statistics) hold no vulnerabilities.
  std::string method = Str(Member(j, "status"), "method");
  if (!method.empty() && method != "getVulnOverviewList" && method != "getVulnDetailInfo")
    return Bad("feed.jvn_not_vulnerabilities", {file, method});
  std::vector<JvnEntry> out;
  auto take = [&](JvnEntry e, const std::string& path) -> Status {
    if (e.id.rfind("JVNDB-", 0) != 0) return Bad("feed.missing_field", {file, path, "JVNDB ID"});
    if (e.title.empty()) return Bad("feed.missing_field", {file, path + " " + e.id, "title"});
    out.push_back(std::move(e));
    return Ok();
  };
  const Json& entries = Member(Member(j, "feed"), "entry");
  if (entries.is_array()) {
    for (size_t k = 0; k < entries.size(); ++k)
      MAMORI_RETURN_IF_ERROR(
          take(ReadOkaEntry(entries[k]), "feed.entry[" + std::to_string(k) + "]"));
    return out;
  }
  std::vector<const Json*> docs;
  FindOkaDocuments(j, docs);
  if (docs.empty()) return Bad("feed.missing_field", {file, "-", "feed.entry / document.tracking"});
  for (size_t k = 0; k < docs.size(); ++k)
    MAMORI_RETURN_IF_ERROR(
        take(ReadOkaDocument(*docs[k]), "document[" + std::to_string(k) + "].tracking.id"));
  return out;
}

Result<std::vector<JvnEntry>> ReadJvn(std::string_view xml, const std::string& file) {
  if (!IsValidUtf8(xml)) return Bad("feed.bad_json", {file});
  size_t first = xml.find_first_not_of(" \t\r\n\xef\xbb\xbf");
  if (first != std::string_view::npos && xml[first] == '{') return ReadJvnOka(xml, file);
  pugi::xml_document doc;
  auto parsed = doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!parsed) {
    auto line =
        1 + std::count(xml.begin(),
                       xml.begin() + std::min<std::ptrdiff_t>(
                                         parsed.offset, static_cast<std::ptrdiff_t>(xml.size())),
                       '\n');
    return Bad("feed.bad_xml", {file, std::to_string(line), parsed.description()});
  }
  pugi::xml_node root = doc.document_element();
  std::vector<JvnEntry> out;
  std::string_view name = Local(root.name());
  size_t i = 0;
  auto take = [&](JvnEntry e) -> Status {
    std::string where = "[" + std::to_string(i++) + "]";
    if (e.id.rfind("JVNDB-", 0) != 0) return Bad("feed.missing_field", {file, where, "JVNDB ID"});
    if (e.title.empty()) return Bad("feed.missing_field", {file, where + " " + e.id, "title"});
    out.push_back(std::move(e));
    return Ok();
  };
  if (name == "RDF") {
    for (auto c : root.children())
      if (std::string_view(c.name()) == "item") MAMORI_RETURN_IF_ERROR(take(ReadItem(c)));
  } else if (name == "VULDEF-Document") {
    for (auto c : root.children())
      if (Local(c.name()) == "Vulinfo") MAMORI_RETURN_IF_ERROR(take(ReadVulinfo(c)));
  } else {
    return Bad("feed.missing_field", {file, "-", "rdf:RDF / VULDEF-Document"});
  }
  return out;
}

}  // namespace mamori::vuln
