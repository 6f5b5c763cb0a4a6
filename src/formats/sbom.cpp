#include "formats/sbom.hpp"

#include <map>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <set>

#include "formats/xml_util.hpp"

namespace mamori::formats {

namespace {

using Json = nlohmann::json;

constexpr int kMaxDepth = 32;
constexpr size_t kMaxComponents = 500'000;

std::string Str(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string Trimmed(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  size_t e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

Error Bad(const std::string& file, const std::string& where, const std::string& what) {
  return MakeError(ErrorCode::kInvalidArgument, "sbom.bad_field", {file, where, what}, file);
}

// "SHA-256", "SHA256", "sha256" → "SHA-256".
std::string HashAlg(const std::string& alg) {
  std::string up;
  for (char c : alg) up += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (up.starts_with("SHA") && up.size() > 3 && up[3] != '-') up.insert(3, "-");
  if (up.starts_with("SHA3-")) return up;
  return up;
}

// ---- CycloneDX JSON ----------------------------------------------------------------------------

std::string CdxSupplier(const Json& c) {
  for (const char* k : {"supplier", "manufacturer"})
    if (auto it = c.find(k); it != c.end() && it->is_object())
      if (auto n = Str(*it, "name"); !n.empty()) return n;
  if (auto p = Str(c, "publisher"); !p.empty()) return p;
  return Str(c, "author");
}

Status CdxComponents(const Json& list, const std::string& path, int depth, const std::string& file,
                     std::vector<SbomComponent>& out) {
  if (!list.is_array()) return Bad(file, path, "array");
  if (depth > kMaxDepth) return Bad(file, path, "nesting");
  for (size_t i = 0; i < list.size(); ++i) {
    const Json& c = list[i];
    std::string where = path + "[" + std::to_string(i) + "]";
    if (!c.is_object()) return Bad(file, where, "object");
    SbomComponent sc;
    std::string group = Str(c, "group");
    sc.name = Str(c, "name");
    if (sc.name.empty()) return Bad(file, where + ".name", "name");
    if (!group.empty()) sc.name = group + "/" + sc.name;
    sc.version = Str(c, "version");
    sc.supplier = CdxSupplier(c);
    sc.type = Str(c, "type");
    sc.cpe = Str(c, "cpe");
    sc.purl = Str(c, "purl");
    sc.bom_ref = Str(c, "bom-ref");
    if (auto h = c.find("hashes"); h != c.end() && h->is_array())
      for (const auto& x : *h)
        if (x.is_object() && !Str(x, "content").empty())
          sc.hashes.push_back(HashAlg(Str(x, "alg")) + ":" + Str(x, "content"));
    if (auto l = c.find("licenses"); l != c.end() && l->is_array())
      for (const auto& x : *l) {
        if (!x.is_object()) continue;
        if (auto e = Str(x, "expression"); !e.empty()) sc.licenses.push_back(e);
        if (auto li = x.find("license"); li != x.end() && li->is_object()) {
          std::string id = Str(*li, "id");
          sc.licenses.push_back(id.empty() ? Str(*li, "name") : id);
        }
      }
    if (auto p = c.find("properties"); p != c.end() && p->is_array())
      for (const auto& x : *p)
        if (x.is_object() && Str(x, "name") == "End-of-Support")
          sc.end_of_support = Str(x, "value");
    out.push_back(std::move(sc));
    if (out.size() > kMaxComponents) return Bad(file, where, "too many components");
    if (auto sub = c.find("components"); sub != c.end())
      MAMORI_RETURN_IF_ERROR(CdxComponents(*sub, where + ".components", depth + 1, file, out));
  }
  return Ok();
}

void ApplyDependencies(const std::map<std::string, std::vector<std::string>>& deps, Sbom& s) {
  for (auto& c : s.components)
    if (auto it = deps.find(c.bom_ref); it != deps.end() && !c.bom_ref.empty())
      c.depends_on = it->second;
}

Result<Sbom> CycloneDxJson(const Json& j, const std::string& file) {
  Sbom s;
  s.format = "cyclonedx";
  s.encoding = "json";
  s.spec_version = Str(j, "specVersion");
  s.serial_number = Str(j, "serialNumber");
  if (auto m = j.find("metadata"); m != j.end() && m->is_object()) {
    s.created = Str(*m, "timestamp");
    if (auto a = m->find("authors"); a != m->end() && a->is_array()) {
      for (const auto& x : *a)
        if (x.is_object() && !Str(x, "name").empty())
          s.author += (s.author.empty() ? "" : ", ") + Str(x, "name");
    }
    if (s.author.empty())
      for (const char* k : {"manufacture", "manufacturer", "supplier"})
        if (auto o = m->find(k); s.author.empty() && o != m->end() && o->is_object())
          s.author = Str(*o, "name");
    if (s.author.empty()) {
      // Tools: an array in 1.4, {"components": [...]} from 1.5.
      const Json* tools = nullptr;
      if (auto t = m->find("tools"); t != m->end())
        tools = t->is_array()                                   ? &*t
                : (t->is_object() && t->contains("components")) ? &(*t)["components"]
                                                                : nullptr;
      if (tools != nullptr && tools->is_array())
        for (const auto& x : *tools)
          if (x.is_object() && !Str(x, "name").empty())
            s.author += (s.author.empty() ? "Tool: " : ", ") + Str(x, "name");
    }
    if (auto c = m->find("component"); c != m->end() && c->is_object()) {
      s.subject_name = Str(*c, "name");
      if (auto g = Str(*c, "group"); !g.empty()) s.subject_name = g + "/" + s.subject_name;
      s.subject_version = Str(*c, "version");
      s.subject_supplier = CdxSupplier(*c);
      if (auto ms = m->find("supplier");
          s.subject_supplier.empty() && ms != m->end() && ms->is_object())
        s.subject_supplier = Str(*ms, "name");
    }
  }
  if (auto c = j.find("components"); c != j.end())
    MAMORI_RETURN_IF_ERROR(CdxComponents(*c, "components", 0, file, s.components));
  std::map<std::string, std::vector<std::string>> deps;
  if (auto d = j.find("dependencies"); d != j.end() && d->is_array())
    for (const auto& x : *d) {
      if (!x.is_object()) continue;
      auto& v = deps[Str(x, "ref")];
      if (auto on = x.find("dependsOn"); on != x.end() && on->is_array())
        for (const auto& r : *on)
          if (r.is_string()) v.push_back(r.get<std::string>());
    }
  ApplyDependencies(deps, s);
  return s;
}

// ---- CycloneDX XML -----------------------------------------------------------------------------

std::string XmlSupplier(pugi::xml_node c) {
  for (const char* k : {"supplier", "manufacturer"})
    if (auto n = ChildText(Child(c, k), "name"); !n.empty()) return n;
  if (auto p = ChildText(c, "publisher"); !p.empty()) return p;
  return ChildText(c, "author");
}

Status XmlComponents(pugi::xml_node list, const std::string& path, int depth,
                     const std::string& file, std::vector<SbomComponent>& out) {
  if (depth > kMaxDepth) return Bad(file, path, "nesting");
  size_t i = 0;
  for (auto c = Child(list, "component"); c; c = NextSame(c), ++i) {
    std::string where = path + "[" + std::to_string(i) + "]";
    SbomComponent sc;
    std::string group = ChildText(c, "group");
    sc.name = ChildText(c, "name");
    if (sc.name.empty()) return Bad(file, where + ".name", "name");
    if (!group.empty()) sc.name = group + "/" + sc.name;
    sc.version = ChildText(c, "version");
    sc.supplier = XmlSupplier(c);
    sc.type = c.attribute("type").value();
    sc.cpe = ChildText(c, "cpe");
    sc.purl = ChildText(c, "purl");
    sc.bom_ref = c.attribute("bom-ref").value();
    for (auto h = Child(Child(c, "hashes"), "hash"); h; h = NextSame(h))
      sc.hashes.push_back(HashAlg(h.attribute("alg").value()) + ":" + Trimmed(h.text().get()));
    for (auto l = Child(Child(c, "licenses"), "license"); l; l = NextSame(l)) {
      std::string id = ChildText(l, "id");
      sc.licenses.push_back(id.empty() ? ChildText(l, "name") : id);
    }
    if (auto e = ChildText(Child(c, "licenses"), "expression"); !e.empty())
      sc.licenses.push_back(e);
    for (auto p = Child(Child(c, "properties"), "property"); p; p = NextSame(p))
      if (std::string_view(p.attribute("name").value()) == "End-of-Support")
        sc.end_of_support = Trimmed(p.text().get());
    out.push_back(std::move(sc));
    if (out.size() > kMaxComponents) return Bad(file, where, "too many components");
    if (auto sub = Child(c, "components"))
      MAMORI_RETURN_IF_ERROR(XmlComponents(sub, where + ".components", depth + 1, file, out));
  }
  return Ok();
}

Result<Sbom> CycloneDxXml(std::string_view bytes, const std::string& file) {
  pugi::xml_document doc;
  auto res = doc.load_buffer(bytes.data(), bytes.size());
  if (!res)
    return MakeError(ErrorCode::kInvalidArgument, "sbom.bad_xml",
                     {file, std::to_string(res.offset), res.description()}, file);
  auto bom = Child(doc, "bom");
  if (!bom) return MakeError(ErrorCode::kInvalidArgument, "sbom.not_sbom", {file}, file);
  Sbom s;
  s.format = "cyclonedx";
  s.encoding = "xml";
  // The version is in the namespace: http://cyclonedx.org/schema/bom/1.4
  for (auto a = bom.first_attribute(); a; a = a.next_attribute()) {
    std::string_view name = a.name();
    std::string_view v = a.value();
    if ((name == "xmlns" || name.starts_with("xmlns:")) &&
        v.starts_with("http://cyclonedx.org/schema/bom/"))
      s.spec_version = std::string(v.substr(v.rfind('/') + 1));
  }
  s.serial_number = bom.attribute("serialNumber").value();
  auto meta = Child(bom, "metadata");
  s.created = ChildText(meta, "timestamp");
  for (auto a = Child(Child(meta, "authors"), "author"); a; a = NextSame(a))
    if (auto n = ChildText(a, "name"); !n.empty()) s.author += (s.author.empty() ? "" : ", ") + n;
  if (s.author.empty()) s.author = ChildText(Child(meta, "manufacture"), "name");
  if (s.author.empty()) s.author = ChildText(Child(meta, "supplier"), "name");
  if (s.author.empty()) {
    auto tools = Child(meta, "tools");
    for (auto t = Child(tools, "tool"); t; t = NextSame(t))
      s.author += (s.author.empty() ? "Tool: " : ", ") + ChildText(t, "name");
    for (auto t = Child(Child(tools, "components"), "component"); t; t = NextSame(t))
      s.author += (s.author.empty() ? "Tool: " : ", ") + ChildText(t, "name");
  }
  if (auto c = Child(meta, "component")) {
    s.subject_name = ChildText(c, "name");
    if (auto g = ChildText(c, "group"); !g.empty()) s.subject_name = g + "/" + s.subject_name;
    s.subject_version = ChildText(c, "version");
    s.subject_supplier = XmlSupplier(c);
  }
  MAMORI_RETURN_IF_ERROR(
      XmlComponents(Child(bom, "components"), "components", 0, file, s.components));
  std::map<std::string, std::vector<std::string>> deps;
  for (auto d = Child(Child(bom, "dependencies"), "dependency"); d; d = NextSame(d)) {
    auto& v = deps[d.attribute("ref").value()];
    for (auto on = Child(d, "dependency"); on; on = NextSame(on))
      v.emplace_back(on.attribute("ref").value());
  }
  ApplyDependencies(deps, s);
  return s;
}

// ---- SPDX 2.x JSON -----------------------------------------------------------------------------

// "Organization: ACME (info@acme.example)" → "ACME"; NOASSERTION → "".
std::string SpdxActor(const std::string& v) {
  if (v.empty() || v == "NOASSERTION") return {};
  std::string s = v;
  if (auto colon = s.find(": "); colon != std::string::npos) s = s.substr(colon + 2);
  if (auto paren = s.find(" ("); paren != std::string::npos) s.resize(paren);
  return Trimmed(s);
}

Result<Sbom> SpdxJson(const Json& j, const std::string& file) {
  Sbom s;
  s.format = "spdx";
  s.encoding = "json";
  std::string ver = Str(j, "spdxVersion");  // "SPDX-2.3"
  s.spec_version = ver.starts_with("SPDX-") ? ver.substr(5) : ver;
  s.serial_number = Str(j, "documentNamespace");
  if (auto ci = j.find("creationInfo"); ci != j.end() && ci->is_object()) {
    s.created = Str(*ci, "created");
    if (auto cr = ci->find("creators"); cr != ci->end() && cr->is_array()) {
      // People and organisations are the authors; tools only when there is nobody else.
      std::string tools;
      for (const auto& x : *cr) {
        if (!x.is_string()) continue;
        std::string v = x.get<std::string>();
        if (v.starts_with("Tool:"))
          tools += (tools.empty() ? "Tool: " : ", ") + SpdxActor(v);
        else if (auto a = SpdxActor(v); !a.empty())
          s.author += (s.author.empty() ? "" : ", ") + a;
      }
      if (s.author.empty()) s.author = tools;
    }
  }
  std::set<std::string> described;
  if (auto d = j.find("documentDescribes"); d != j.end() && d->is_array())
    for (const auto& x : *d)
      if (x.is_string()) described.insert(x.get<std::string>());
  std::map<std::string, std::vector<std::string>> deps;
  if (auto rels = j.find("relationships"); rels != j.end() && rels->is_array())
    for (const auto& r : *rels) {
      if (!r.is_object()) continue;
      std::string a = Str(r, "spdxElementId");
      std::string type = Str(r, "relationshipType");
      std::string b = Str(r, "relatedSpdxElement");
      if (type == "DESCRIBES" && a == "SPDXRef-DOCUMENT") described.insert(b);
      if (type == "DESCRIBED_BY" && b == "SPDXRef-DOCUMENT") described.insert(a);
      if (type == "DEPENDS_ON" || type == "CONTAINS" || type == "DYNAMIC_LINK" ||
          type == "STATIC_LINK")
        deps[a].push_back(b);
      if (type.ends_with("DEPENDENCY_OF") || type == "CONTAINED_BY") deps[b].push_back(a);
    }
  auto pkgs = j.find("packages");
  if (pkgs != j.end() && !pkgs->is_array()) return Bad(file, "packages", "array");
  if (pkgs != j.end())
    for (size_t i = 0; i < pkgs->size(); ++i) {
      const Json& p = (*pkgs)[i];
      std::string where = "packages[" + std::to_string(i) + "]";
      if (!p.is_object()) return Bad(file, where, "object");
      SbomComponent c;
      c.name = Str(p, "name");
      if (c.name.empty()) return Bad(file, where + ".name", "name");
      c.version = Str(p, "versionInfo");
      c.supplier = SpdxActor(Str(p, "supplier"));
      if (c.supplier.empty()) c.supplier = SpdxActor(Str(p, "originator"));
      c.bom_ref = Str(p, "SPDXID");
      c.type = Str(p, "primaryPackagePurpose");
      if (auto refs = p.find("externalRefs"); refs != p.end() && refs->is_array())
        for (const auto& r : *refs) {
          if (!r.is_object()) continue;
          std::string type = Str(r, "referenceType");
          std::string loc = Str(r, "referenceLocator");
          if ((type == "cpe23Type" || type == "cpe22Type") && c.cpe.empty()) c.cpe = loc;
          if (type == "purl" && c.purl.empty()) c.purl = loc;
        }
      if (auto cs = p.find("checksums"); cs != p.end() && cs->is_array())
        for (const auto& x : *cs)
          if (x.is_object() && !Str(x, "checksumValue").empty())
            c.hashes.push_back(HashAlg(Str(x, "algorithm")) + ":" + Str(x, "checksumValue"));
      for (const char* k : {"licenseConcluded", "licenseDeclared"})
        if (auto l = Str(p, k); !l.empty() && l != "NOASSERTION" && l != "NONE") {
          c.licenses.push_back(l);
          break;
        }
      if (described.contains(c.bom_ref) && s.subject_name.empty()) {
        // The package the document describes is the product, not one of its components.
        s.subject_name = c.name;
        s.subject_version = c.version;
        s.subject_supplier = c.supplier;
        continue;
      }
      s.components.push_back(std::move(c));
      if (s.components.size() > kMaxComponents) return Bad(file, where, "too many components");
    }
  if (s.subject_name.empty()) s.subject_name = Str(j, "name");
  ApplyDependencies(deps, s);
  return s;
}

}  // namespace

SbomMinimumElements Sbom::MinimumElements() const {
  SbomMinimumElements m;
  m.components = static_cast<int>(components.size());
  m.has_author = !author.empty();
  m.has_timestamp = !created.empty();
  for (const auto& c : components) {
    if (c.supplier.empty()) ++m.without_supplier;
    if (c.version.empty()) ++m.without_version;
    if (c.cpe.empty() && c.purl.empty() && c.hashes.empty()) ++m.without_identifier;
    if (!c.depends_on.empty()) m.has_dependencies = true;
  }
  return m;
}

std::string DetectSbomFormat(std::string_view bytes) {
  std::string_view head = bytes.substr(0, 4096);
  size_t i = head.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  while (i < head.size() && std::isspace(static_cast<unsigned char>(head[i]))) ++i;
  if (i < head.size() && head[i] == '<')
    return head.find("cyclonedx.org/schema/bom") != std::string_view::npos ? "cyclonedx" : "";
  if (i < head.size() && head[i] == '{') {
    if (bytes.find("\"bomFormat\"") != std::string_view::npos) return "cyclonedx";
    if (bytes.find("\"spdxVersion\"") != std::string_view::npos) return "spdx";
    if (bytes.find("spdx.org/rdf/3") != std::string_view::npos) return "spdx";
  }
  return {};
}

Result<Sbom> ReadSbom(std::string_view bytes, const std::string& file) {
  size_t i = bytes.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  while (i < bytes.size() && std::isspace(static_cast<unsigned char>(bytes[i]))) ++i;
  if (i < bytes.size() && bytes[i] == '<') {
    MAMORI_ASSIGN_OR_RETURN(auto s, CycloneDxXml(bytes.substr(i), file));
    if (s.spec_version < "1.2" || s.spec_version > "1.6")
      return MakeError(ErrorCode::kInvalidArgument, "sbom.unsupported_version",
                       {file, "CycloneDX " + s.spec_version}, file);
    return s;
  }
  // nlohmann reports where the syntax breaks only through its exception; it is caught here and
  // becomes a value, as every expected failure is.
  Json j;
  try {
    j = Json::parse(bytes.substr(i));
  } catch (const Json::parse_error& e) {
    return MakeError(ErrorCode::kInvalidArgument, "sbom.bad_json", {file, std::to_string(e.byte)},
                     file);
  } catch (const Json::exception& e) {
    return MakeError(ErrorCode::kInvalidArgument, "sbom.bad_json", {file, "?"}, file);
  }
  if (!j.is_object()) return MakeError(ErrorCode::kInvalidArgument, "sbom.not_sbom", {file}, file);
  if (Str(j, "bomFormat") == "CycloneDX") {
    std::string v = Str(j, "specVersion");
    if (v != "1.2" && v != "1.3" && v != "1.4" && v != "1.5" && v != "1.6")
      return MakeError(ErrorCode::kInvalidArgument, "sbom.unsupported_version",
                       {file, "CycloneDX " + v}, file);
    return CycloneDxJson(j, file);
  }
  if (j.contains("spdxVersion")) {
    std::string v = Str(j, "spdxVersion");
    if (v != "SPDX-2.2" && v != "SPDX-2.3")
      return MakeError(ErrorCode::kInvalidArgument, "sbom.unsupported_version", {file, v}, file);
    return SpdxJson(j, file);
  }
  if (j.contains("@context") && j.dump().find("spdx.org/rdf/3") != std::string::npos)
    return MakeError(ErrorCode::kInvalidArgument, "sbom.unsupported_version", {file, "SPDX 3"},
                     file);
  return MakeError(ErrorCode::kInvalidArgument, "sbom.not_sbom", {file}, file);
}

}  // namespace mamori::formats
