#include "vuln/jvn.hpp"

#include <algorithm>
#include <pugixml.hpp>
#include <regex>

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
  for (auto item : Child(data, "Affected").children())
    for (auto c : item.children())
      if (Local(c.name()) == "Cpe") AddCpe(e, c.child_value());
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

}  // namespace

Result<std::vector<JvnEntry>> ReadJvn(std::string_view xml, const std::string& file) {
  if (!IsValidUtf8(xml)) return Bad("feed.bad_json", {file});
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
