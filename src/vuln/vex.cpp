#include "vuln/vex.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

namespace mamori::vuln {

namespace {

Error Bad(const char* key, std::vector<std::string> args) {
  std::string field = args.empty() ? std::string() : args[0];
  return MakeError(ErrorCode::kInvalidArgument, key, std::move(args), std::move(field));
}

std::string Str(const Json& o, const char* k) {
  if (!o.is_object()) return "";
  auto it = o.find(k);
  return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const Json& Member(const Json& o, const char* k) {
  static const Json kNull;
  if (!o.is_object()) return kNull;
  auto it = o.find(k);
  return it == o.end() ? kNull : *it;
}

std::vector<std::string> Strings(const Json& a) {
  std::vector<std::string> out;
  if (a.is_array())
    for (const auto& x : a)
      if (x.is_string()) out.push_back(x.get<std::string>());
  return out;
}

// --- CycloneDX -------------------------------------------------------------------------------

std::string CdxStatus(const std::string& state) {
  if (state == "not_affected" || state == "false_positive") return "not_affected";
  if (state == "exploitable") return "affected";
  if (state == "resolved" || state == "resolved_with_pedigree") return "fixed";
  if (state == "in_triage") return "under_investigation";
  return "";
}

struct CdxComponent {
  std::string name, version, purl, cpe;
};

void CollectCdx(const Json& list, std::map<std::string, CdxComponent>& by_ref, int depth = 0) {
  if (!list.is_array() || depth > 32) return;
  for (const auto& c : list) {
    std::string ref = Str(c, "bom-ref");
    if (!ref.empty())
      by_ref[ref] = {Str(c, "name"), Str(c, "version"), Str(c, "purl"), Str(c, "cpe")};
    CollectCdx(Member(c, "components"), by_ref, depth + 1);
  }
}

Result<VexDocument> ReadCycloneDx(const Json& j, const std::string& file) {
  VexDocument d;
  d.format = "cyclonedx";
  d.id = Str(j, "serialNumber");
  const Json& meta = Member(j, "metadata");
  d.timestamp = Str(meta, "timestamp");
  for (const char* who : {"manufacturer", "supplier", "manufacture"})
    if (d.author.empty()) d.author = Str(Member(meta, who), "name");
  if (d.author.empty()) {
    const Json& authors = Member(meta, "authors");
    if (authors.is_array() && !authors.empty()) d.author = Str(authors[0], "name");
  }
  std::map<std::string, CdxComponent> by_ref;
  CollectCdx(Member(j, "components"), by_ref);
  const Json& subject = Member(meta, "component");
  std::string subject_ref = Str(subject, "bom-ref");
  CdxComponent product{Str(subject, "name"), Str(subject, "version"), Str(subject, "purl"),
                       Str(subject, "cpe")};
  if (d.author.empty()) d.author = Str(Member(subject, "supplier"), "name");
  const Json& vulns = Member(j, "vulnerabilities");
  if (!vulns.is_array()) return Bad("feed.missing_field", {file, "-", "vulnerabilities"});
  for (size_t i = 0; i < vulns.size(); ++i) {
    const Json& v = vulns[i];
    std::string at = "vulnerabilities[" + std::to_string(i) + "]";
    VexStatement s;
    s.vulnerability = Str(v, "id");
    if (s.vulnerability.empty()) return Bad("feed.missing_field", {file, at, "id"});
    const Json& refs = Member(v, "references");
    if (refs.is_array())
      for (const auto& r : refs)
        if (!Str(r, "id").empty()) s.aliases.push_back(Str(r, "id"));
    const Json& analysis = Member(v, "analysis");
    std::string state = Str(analysis, "state");
    if (state.empty()) return Bad("feed.missing_field", {file, at, "analysis.state"});
    s.status = CdxStatus(state);
    if (s.status.empty()) return Bad("feed.bad_field", {file, at, "analysis.state", state});
    s.original_justification = Str(analysis, "justification");
    if (state == "false_positive") s.original_justification = "false_positive";
    s.justification = NormaliseVexJustification(s.original_justification);
    s.detail = Str(analysis, "detail");
    for (const auto& r : Strings(Member(analysis, "response")))
      s.action += (s.action.empty() ? "" : ", ") + r;
    s.timestamp = Str(analysis, "lastUpdated");
    if (s.timestamp.empty()) s.timestamp = Str(v, "updated");
    const Json& affects = Member(v, "affects");
    std::vector<VexStatement> versioned;
    bool per_version_refs = false;
    if (affects.is_array())
      for (size_t k = 0; k < affects.size(); ++k) {
        std::string ref = Str(affects[k], "ref");
        if (ref.empty())
          return Bad("feed.missing_field",
                     {file, at + ".affects[" + std::to_string(k) + "]", "ref"});
        VexProduct p;
        if (ref.starts_with("urn:cdx:")) {
          // BOM-Link: urn:cdx:<serial>/<version>#<bom-ref> — another SBOM, by serial number.
          std::string rest = ref.substr(8);
          size_t hash = rest.find('#');
          std::string serial = rest.substr(0, std::min(rest.find('/'), hash));
          p.sbom_serial = "urn:uuid:" + serial;
          if (hash != std::string::npos) {
            std::string frag = rest.substr(hash + 1);
            if (frag.starts_with("pkg:"))
              p.purl = frag;
            else
              p.bom_ref = frag;
          }
        } else if (ref == subject_ref || by_ref.count(ref) == 0) {
          if (ref.starts_with("pkg:")) {
            p.purl = ref;
          } else if (ref == subject_ref) {
            p.product_name = product.name;
            p.product_version = product.version;
            if (p.product_name.empty()) p.product_name = ref;
          } else {
            return Bad("vex.unknown_ref", {file, at + ".affects[" + std::to_string(k) + "]", ref});
          }
        } else {
          const CdxComponent& c = by_ref[ref];
          p.name = c.name;
          p.version = c.version;
          p.purl = c.purl;
          p.cpe = c.cpe;
          p.product_name = product.name;  // a component of the document's product
          p.product_version = product.version;
        }
        // Statuses per version ("affects[].versions"): one statement per exact version or
        // version range (purl vers notation).
        const Json& versions = Member(affects[k], "versions");
        if (versions.is_array() && !versions.empty()) {
          per_version_refs = true;
          for (const auto& ver : versions) {
            std::string exact = Str(ver, "version");
            std::string range = Str(ver, "range");
            if (exact.empty() && range.empty()) continue;
            VexStatement one = s;
            one.products.clear();
            VexProduct q = p;
            if (!range.empty())
              q.vers = range;
            else if (q.HasComponent())
              q.version = exact;
            else
              q.product_version = exact;
            one.products.push_back(std::move(q));
            std::string st = Str(ver, "status");
            if (st == "affected") one.status = "affected";
            if (st == "unaffected") one.status = "not_affected";
            if (st == "unknown") one.status = "under_investigation";
            if (one.status != "not_affected") one.justification.clear();
            versioned.push_back(std::move(one));
          }
          continue;
        }
        s.products.push_back(std::move(p));
      }
    for (auto& one : versioned) d.statements.push_back(std::move(one));
    if (s.products.empty() && per_version_refs) continue;
    if (s.products.empty()) {
      // No "affects": the statement holds for every product of the document's maker (CycloneDX
      // VEX use case 7); without a maker it names nothing.
      if (d.author.empty())
        return Bad("feed.missing_field", {file, at + " " + s.vulnerability, "affects"});
      VexProduct p;
      p.product_maker = d.author;
      s.products.push_back(std::move(p));
    }
    d.statements.push_back(std::move(s));
  }
  return d;
}

// --- CSAF 2.0 (VEX profile and security advisories) -----------------------------------------

struct CsafProduct {
  std::string name, version, purl, cpe;  // name: the product_name branch, else the full name
  std::string vers;  // a product_version_range branch: the range as given (vers or free text)
};

void WalkBranches(const Json& branches, std::map<std::string, CsafProduct>& out,
                  const CsafProduct& above, int depth) {
  if (!branches.is_array() || depth > 32) return;
  for (const auto& b : branches) {
    std::string category = Str(b, "category");
    std::string name = Str(b, "name");
    CsafProduct here = above;
    if (category == "product_name" || category == "product_family") here.name = name;
    if (category == "product_version") {
      here.version = name;
      here.vers.clear();
    }
    // "vers:generic/>=2.0|<2.4", or a range in words ("<= 4.2") that mamori cannot evaluate — kept
    // as it is, so that such a statement holds for no version rather than for every one.
    if (category == "product_version_range") {
      here.vers = name;
      here.version.clear();
    }
    const Json& prod = Member(b, "product");
    if (prod.is_object()) {
      CsafProduct p = here;
      if (p.name.empty()) p.name = Str(prod, "name");
      const Json& helper = Member(prod, "product_identification_helper");
      p.purl = Str(helper, "purl");
      p.cpe = Str(helper, "cpe");
      out[Str(prod, "product_id")] = p;
    }
    WalkBranches(Member(b, "branches"), out, here, depth + 1);
  }
}

VexProduct FromCsaf(const CsafProduct& c) {
  VexProduct p;
  if (!c.purl.empty() || !c.cpe.empty()) {
    p.purl = c.purl;
    p.cpe = c.cpe;
    p.name = c.name;
    p.version = c.version;
  } else {
    p.product_name = c.name;
    p.product_version = c.version;
  }
  p.vers = c.vers;
  return p;
}

Result<VexDocument> ReadCsaf(const Json& j, const std::string& file) {
  VexDocument d;
  d.format = "csaf";
  const Json& doc = Member(j, "document");
  d.category = Str(doc, "category");
  d.title = Str(doc, "title");
  d.author = Str(Member(doc, "publisher"), "name");
  const Json& tracking = Member(doc, "tracking");
  d.id = Str(tracking, "id");
  d.timestamp = Str(tracking, "current_release_date");
  if (d.id.empty()) return Bad("feed.missing_field", {file, "document", "tracking.id"});
  const Json& tree = Member(j, "product_tree");
  std::map<std::string, CsafProduct> products;
  WalkBranches(Member(tree, "branches"), products, CsafProduct{}, 0);
  const Json& full = Member(tree, "full_product_names");
  if (full.is_array())
    for (const auto& f : full) {
      CsafProduct p;
      p.name = Str(f, "name");
      const Json& helper = Member(f, "product_identification_helper");
      p.purl = Str(helper, "purl");
      p.cpe = Str(helper, "cpe");
      products[Str(f, "product_id")] = p;
    }
  // Relationships: "component X in product Y" — the component's identity within the product.
  std::map<std::string, VexProduct> resolved;
  for (const auto& [id, p] : products) resolved[id] = FromCsaf(p);
  const Json& rels = Member(tree, "relationships");
  if (rels.is_array())
    for (const auto& r : rels) {
      std::string id = Str(Member(r, "full_product_name"), "product_id");
      auto comp = products.find(Str(r, "product_reference"));
      auto in = products.find(Str(r, "relates_to_product_reference"));
      if (id.empty() || comp == products.end() || in == products.end()) continue;
      VexProduct p;
      p.purl = comp->second.purl;
      p.cpe = comp->second.cpe;
      p.name = comp->second.name;
      p.version = comp->second.version;
      p.vers = comp->second.vers;
      p.product_name = in->second.name;
      p.product_version = in->second.version;
      // The platform by its CPE where the tree gives one (Red Hat's product streams): a name
      // like "Red Hat Enterprise Linux AppStream (v. 9)" matches no ledger's model.
      p.product_cpe = in->second.cpe;
      resolved[id] = p;
    }
  std::map<std::string, std::vector<std::string>> groups;
  const Json& pg = Member(tree, "product_groups");
  if (pg.is_array())
    for (const auto& g : pg) groups[Str(g, "group_id")] = Strings(Member(g, "product_ids"));
  auto ids_of = [&groups](const Json& o) {
    std::set<std::string> ids;
    for (const auto& id : Strings(Member(o, "product_ids"))) ids.insert(id);
    for (const auto& g : Strings(Member(o, "group_ids")))
      for (const auto& id : groups[g]) ids.insert(id);
    return ids;
  };
  const Json& vulns = Member(j, "vulnerabilities");
  if (!vulns.is_array()) {
    // Required of the VEX profile; an advisory without vulnerabilities states nothing to apply.
    if (d.category == "csaf_vex") return Bad("feed.missing_field", {file, "-", "vulnerabilities"});
    return d;
  }
  static const std::pair<const char*, const char*> kStatus[] = {
      {"known_not_affected", "not_affected"},
      {"fixed", "fixed"},
      {"first_fixed", "fixed"},
      {"known_affected", "affected"},
      {"first_affected", "affected"},
      {"last_affected", "affected"},
      {"under_investigation", "under_investigation"}};
  for (size_t i = 0; i < vulns.size(); ++i) {
    const Json& v = vulns[i];
    std::string at = "vulnerabilities[" + std::to_string(i) + "]";
    std::string cve = Str(v, "cve");
    std::vector<std::string> aliases;
    const Json& ids = Member(v, "ids");
    if (ids.is_array())
      for (const auto& x : ids)
        if (!Str(x, "text").empty()) aliases.push_back(Str(x, "text"));
    if (cve.empty() && aliases.empty()) return Bad("feed.missing_field", {file, at, "cve"});
    if (cve.empty()) {
      cve = aliases.front();
      aliases.erase(aliases.begin());
    }
    const Json& status = Member(v, "product_status");
    // Per product: the flag (justification), the impact statement and the remediation.
    std::map<std::string, std::string> flag, impact, remedy;
    const Json& flags = Member(v, "flags");
    if (flags.is_array())
      for (const auto& f : flags)
        for (const auto& id : ids_of(f)) flag[id] = Str(f, "label");
    const Json& threats = Member(v, "threats");
    if (threats.is_array())
      for (const auto& t : threats)
        if (Str(t, "category") == "impact")
          for (const auto& id : ids_of(t)) impact[id] = Str(t, "details");
    const Json& rems = Member(v, "remediations");
    if (rems.is_array())
      for (const auto& r : rems)
        for (const auto& id : ids_of(r))
          remedy[id] +=
              (remedy[id].empty() ? "" : " / ") + Str(r, "category") + ": " + Str(r, "details");
    for (const auto& [key, mapped] : kStatus) {
      for (const auto& id : Strings(Member(status, key))) {
        auto p = resolved.find(id);
        if (p == resolved.end())
          return Bad("vex.unknown_ref", {file, at + ".product_status." + key, id});
        VexStatement s;
        s.vulnerability = cve;
        s.aliases = aliases;
        s.status = mapped;
        s.products.push_back(p->second);
        s.original_justification = flag[id];
        s.justification = NormaliseVexJustification(flag[id]);
        s.detail = impact[id];
        s.action = remedy[id];
        s.timestamp = d.timestamp;
        d.statements.push_back(std::move(s));
      }
    }
  }
  return d;
}

// --- OpenVEX ---------------------------------------------------------------------------------

VexProduct FromOpenVexProduct(const Json& p) {
  VexProduct out;
  if (p.is_string()) {
    std::string id = p.get<std::string>();
    if (id.starts_with("pkg:"))
      out.purl = id;
    else if (id.starts_with("cpe:"))
      out.cpe = id;
    else
      out.name = id;
    return out;
  }
  std::string id = Str(p, "@id");
  const Json& idents = Member(p, "identifiers");
  out.purl = Str(idents, "purl");
  out.cpe = Str(idents, "cpe23");
  if (out.cpe.empty()) out.cpe = Str(idents, "cpe22");
  if (out.purl.empty() && id.starts_with("pkg:")) out.purl = id;
  if (out.cpe.empty() && id.starts_with("cpe:")) out.cpe = id;
  if (out.purl.empty() && out.cpe.empty()) out.name = id;
  return out;
}

Result<VexDocument> ReadOpenVex(const Json& j, const std::string& file) {
  VexDocument d;
  d.format = "openvex";
  d.id = Str(j, "@id");
  d.author = Str(j, "author");
  d.timestamp = Str(j, "last_updated");
  if (d.timestamp.empty()) d.timestamp = Str(j, "timestamp");
  const Json& st = Member(j, "statements");
  if (!st.is_array()) return Bad("feed.missing_field", {file, "-", "statements"});
  for (size_t i = 0; i < st.size(); ++i) {
    const Json& x = st[i];
    std::string at = "statements[" + std::to_string(i) + "]";
    VexStatement s;
    const Json& vuln = Member(x, "vulnerability");
    if (vuln.is_string()) {
      s.vulnerability = vuln.get<std::string>();
    } else {
      s.vulnerability = Str(vuln, "name");
      s.aliases = Strings(Member(vuln, "aliases"));
    }
    if (s.vulnerability.empty()) return Bad("feed.missing_field", {file, at, "vulnerability"});
    // A vendor's own id (CGA-…) with a CVE alias: the CVE is what findings carry.
    if (!s.vulnerability.starts_with("CVE-")) {
      auto cve = std::find_if(s.aliases.begin(), s.aliases.end(),
                              [](const std::string& a) { return a.starts_with("CVE-"); });
      if (cve != s.aliases.end()) std::swap(*cve, s.vulnerability);  // the vendor's id an alias
    }
    s.status = Str(x, "status");
    if (s.status != "not_affected" && s.status != "affected" && s.status != "fixed" &&
        s.status != "under_investigation")
      return Bad("feed.bad_field", {file, at, "status", s.status});
    s.original_justification = Str(x, "justification");
    s.justification = NormaliseVexJustification(s.original_justification);
    s.detail = Str(x, "impact_statement");
    if (s.detail.empty()) s.detail = Str(x, "status_notes");
    s.action = Str(x, "action_statement");
    s.timestamp = Str(x, "last_updated");
    if (s.timestamp.empty()) s.timestamp = Str(x, "timestamp");
    if (s.timestamp.empty()) s.timestamp = d.timestamp;
    const Json& products = Member(x, "products");
    if (products.is_array())
      for (const auto& p : products) {
        const Json& subs = Member(p, "subcomponents");
        if (subs.is_array() && !subs.empty()) {
          // The subcomponents are what a finding is on; the product (an image, a device)
          // has no identity mamori could check on a hospital's target.
          for (const auto& sc : subs) s.products.push_back(FromOpenVexProduct(sc));
        } else {
          s.products.push_back(FromOpenVexProduct(p));
        }
      }
    if (s.products.empty()) return Bad("feed.missing_field", {file, at, "products"});
    d.statements.push_back(std::move(s));
  }
  return d;
}

}  // namespace

std::string VexProduct::Describe() const {
  std::string c = !purl.empty()  ? purl
                  : !cpe.empty() ? cpe
                                 : name + (version.empty() ? "" : " " + version);
  std::string p = !product_name.empty()
                      ? product_name + (product_version.empty() ? "" : " " + product_version)
                  : !product_cpe.empty() ? product_cpe
                  : !sbom_serial.empty() ? sbom_serial
                                         : product_maker;
  if (c.empty() || c == " ") return p;
  return p.empty() ? c : c + " (" + p + ")";
}

Json VexProduct::ToJson() const {
  Json j = Json::object();
  auto put = [&j](const char* k, const std::string& v) {
    if (!v.empty()) j[k] = v;
  };
  put("purl", purl);
  put("cpe", cpe);
  put("name", name);
  put("version", version);
  put("product_name", product_name);
  put("product_version", product_version);
  put("product_maker", product_maker);
  put("product_cpe", product_cpe);
  put("sbom_serial", sbom_serial);
  put("bom_ref", bom_ref);
  put("vers", vers);
  return j;
}

VexProduct VexProduct::FromJson(const Json& j) {
  VexProduct p;
  if (!j.is_object()) return p;
  for (auto [key, field] : {std::pair{"purl", &VexProduct::purl},
                            {"cpe", &VexProduct::cpe},
                            {"name", &VexProduct::name},
                            {"version", &VexProduct::version},
                            {"product_name", &VexProduct::product_name},
                            {"product_version", &VexProduct::product_version},
                            {"product_maker", &VexProduct::product_maker},
                            {"product_cpe", &VexProduct::product_cpe},
                            {"sbom_serial", &VexProduct::sbom_serial},
                            {"bom_ref", &VexProduct::bom_ref},
                            {"vers", &VexProduct::vers}})
    p.*field = Str(j, key);
  return p;
}

std::string NormaliseVexJustification(std::string_view w) {
  static const std::pair<const char*, const char*> kMap[] = {
      // the CSAF / OpenVEX five, as they are
      {"component_not_present", "component_not_present"},
      {"vulnerable_code_not_present", "vulnerable_code_not_present"},
      {"vulnerable_code_not_in_execute_path", "vulnerable_code_not_in_execute_path"},
      {"vulnerable_code_cannot_be_controlled_by_adversary",
       "vulnerable_code_cannot_be_controlled_by_adversary"},
      {"inline_mitigations_already_exist", "inline_mitigations_already_exist"},
      // CycloneDX analysis.justification
      {"code_not_present", "vulnerable_code_not_present"},
      {"code_not_reachable", "vulnerable_code_not_in_execute_path"},
      {"requires_configuration", "vulnerable_code_cannot_be_controlled_by_adversary"},
      {"requires_dependency", "component_not_present"},
      {"requires_environment", "vulnerable_code_cannot_be_controlled_by_adversary"},
      {"protected_by_compiler", "inline_mitigations_already_exist"},
      {"protected_at_runtime", "inline_mitigations_already_exist"},
      {"protected_at_perimeter", "inline_mitigations_already_exist"},
      {"protected_by_mitigating_control", "inline_mitigations_already_exist"}};
  for (const auto& [from, to] : kMap)
    if (w == from) return to;
  return "";
}

std::string DetectVex(std::string_view bytes) {
  std::string_view head = bytes.substr(0, 65536);
  auto has = [&head](std::string_view s) { return head.find(s) != std::string_view::npos; };
  // JVN iPedia's OKA documents are CSAF-shaped advisories, not VEX: the JVN reader takes them.
  if (has("jvndb.jvn.jp/schema/myjvn")) return "";
  if (has("\"csaf_version\"") && has("\"document\"")) return "csaf";
  if (has("openvex.dev/ns") || (has("\"@context\"") && has("\"statements\""))) return "openvex";
  // A CycloneDX document that states analyses: a VEX (a plain SBOM has no "analysis").
  if (has("\"bomFormat\"") && has("\"vulnerabilities\"") &&
      bytes.find("\"analysis\"") != bytes.npos)
    return "cyclonedx";
  return "";
}

Result<VexDocument> ReadVex(std::string_view bytes, const std::string& file) {
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  Json j = Json::parse(bytes, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Bad("feed.bad_json", {file});
  if (j.contains("csaf_version") || (j.contains("document") && j["document"].is_object() &&
                                     j["document"].contains("csaf_version"))) {
    // The VEX profile, a security advisory, or a publisher's own category: each states its
    // products' status per vulnerability; an informational advisory has none to apply.
    MAMORI_ASSIGN_OR_RETURN(auto d, ReadCsaf(j, file));
    if (d.statements.empty()) return Bad("vex.csaf_no_status", {file, d.category});
    return d;
  }
  if (j.contains("statements")) return ReadOpenVex(j, file);
  if (Str(j, "bomFormat") == "CycloneDX") return ReadCycloneDx(j, file);
  return Bad("vex.not_vex", {file, ""});
}

}  // namespace mamori::vuln
