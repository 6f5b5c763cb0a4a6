#include "vuln/vex_export.hpp"

#include <map>
#include <set>

#include "core/crypto.hpp"

namespace mamori::vuln {

namespace {

// A version 4 UUID for the CycloneDX serial number.
std::string Uuid4() {
  std::string b = RandomBytes(16);
  b[6] = static_cast<char>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<char>((b[8] & 0x3F) | 0x80);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[(static_cast<unsigned char>(b[i]) >> 4) & 15];
    out += kHex[static_cast<unsigned char>(b[i]) & 15];
  }
  return out;
}

std::string CdxMethod(const std::string& version) {
  if (version == "2.0") return "CVSSv2";
  if (version == "3.0") return "CVSSv3";
  if (version == "3.1") return "CVSSv31";
  if (version == "4.0") return "CVSSv4";
  return "other";
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// One entry per distinct component of the findings.
struct ExportComponent {
  std::string ref, name, version, purl, cpe;
};

std::vector<ExportComponent> ComponentsOf(const std::vector<Finding>& findings,
                                          std::map<std::string, std::string>* ref_of) {
  std::vector<ExportComponent> out;
  for (const auto& f : findings) {
    if (ref_of->count(f.component_key)) continue;
    ExportComponent c;
    c.ref = "component-" + std::to_string(out.size() + 1);
    c.name = f.component_name.empty() ? f.component_key : f.component_name;
    c.version = f.component_version;
    c.purl = f.component_purl;
    if (f.component_key.starts_with("cpe:2.3:")) c.cpe = f.component_key;
    (*ref_of)[f.component_key] = c.ref;
    out.push_back(std::move(c));
  }
  return out;
}

std::string Detail(const Finding& f) {
  std::string d = f.state_note;
  if (!f.state_source.empty())
    d += (d.empty() ? "" : " ") + std::string("[") + f.state_source + "]";
  return d;
}

}  // namespace

std::string CycloneDxState(const std::string& state) {
  if (state == "affected" || state == "accepted") return "exploitable";
  if (state == "not_affected") return "not_affected";
  if (state == "fixed") return "resolved";
  return "in_triage";
}

std::string CycloneDxJustification(const std::string& j) {
  if (j == "component_not_present") return "requires_dependency";
  if (j == "vulnerable_code_not_present") return "code_not_present";
  if (j == "vulnerable_code_not_in_execute_path") return "code_not_reachable";
  if (j == "vulnerable_code_cannot_be_controlled_by_adversary") return "requires_environment";
  if (j == "inline_mitigations_already_exist") return "protected_by_mitigating_control";
  return "";
}

Json CycloneDxVex(const VexExportInput& in) {
  std::map<std::string, std::string> ref_of;
  std::vector<ExportComponent> comps = ComponentsOf(in.findings, &ref_of);
  Json components = Json::array();
  for (const auto& c : comps) {
    Json j{{"type", "library"}, {"bom-ref", c.ref}, {"name", c.name}};
    if (!c.version.empty()) j["version"] = c.version;
    if (!c.purl.empty()) j["purl"] = c.purl;
    if (!c.cpe.empty()) j["cpe"] = c.cpe;
    components.push_back(std::move(j));
  }
  Json subject{{"type", "device"},
               {"bom-ref", "asset-" + std::to_string(in.asset_id)},
               {"name", in.model.empty() ? in.asset_name : in.model}};
  subject["description"] = in.asset_name;
  Json vulns = Json::array();
  for (const auto& f : in.findings) {
    Json v{{"id", f.cve}};
    if (f.cve.starts_with("CVE-"))
      v["source"] = {{"name", "NVD"}, {"url", "https://nvd.nist.gov/vuln/detail/" + f.cve}};
    else if (f.cve.starts_with("JVNDB-") && f.cve.size() > 10)
      v["source"] = {{"name", "JVN iPedia"},
                     {"url", "https://jvndb.jvn.jp/ja/contents/" + f.cve.substr(6, 4) + "/" +
                                 f.cve + ".html"}};
    if (!f.cvss.vector.empty()) {
      Json rating{{"method", CdxMethod(f.cvss.version)}, {"vector", f.cvss.vector}};
      if (f.cvss.score > 0) rating["score"] = f.cvss.score;
      if (!f.cvss.severity.empty()) rating["severity"] = Lower(f.cvss.severity);
      v["ratings"] = Json::array({rating});
    }
    Json analysis{{"state", CycloneDxState(f.state)}};
    if (f.state == "not_affected") {
      std::string j = CycloneDxJustification(f.justification);
      if (!j.empty()) analysis["justification"] = j;
    }
    if (f.state == "accepted") analysis["response"] = Json::array({"will_not_fix"});
    if (f.state == "fixed") analysis["response"] = Json::array({"update"});
    std::string detail = Detail(f);
    if (!detail.empty()) analysis["detail"] = detail;
    v["analysis"] = std::move(analysis);
    v["affects"] = Json::array({{{"ref", ref_of[f.component_key]}}});
    vulns.push_back(std::move(v));
  }
  Json bom = {
      {"bomFormat", "CycloneDX"},
      {"specVersion", "1.5"},
      {"serialNumber", "urn:uuid:" + Uuid4()},
      {"version", 1},
      {"metadata",
       {{"timestamp", in.now},
        {"tools",
         {{"components",
           Json::array(
               {{{"type", "application"}, {"name", "mamori"}, {"version", in.tool_version}}})}}},
        {"supplier", {{"name", in.publisher}}},
        {"component", std::move(subject)}}},
      {"components", std::move(components)},
      {"vulnerabilities", std::move(vulns)}};
  // The device's maker: CycloneDX 1.5 names who made the BOM's subject in metadata.manufacture
  // (a component's own "manufacturer" arrived only in 1.6; the schema check caught it).
  if (!in.maker.empty()) bom["metadata"]["manufacture"] = {{"name", in.maker}};
  return bom;
}

Json CsafVex(const VexExportInput& in) {
  std::map<std::string, std::string> ref_of;
  std::vector<ExportComponent> comps = ComponentsOf(in.findings, &ref_of);
  std::string asset_pid = "CSAFPID-ASSET-" + std::to_string(in.asset_id);
  std::string asset_label =
      in.asset_name + (in.maker.empty() && in.model.empty()
                           ? ""
                           : " (" + in.maker + (in.maker.empty() ? "" : " ") + in.model + ")");
  Json full = Json::array({{{"product_id", asset_pid}, {"name", asset_label}}});
  Json rels = Json::array();
  std::map<std::string, std::string> pid_of;  // component key → the "component on asset" id
  for (size_t i = 0; i < comps.size(); ++i) {
    const auto& c = comps[i];
    std::string cid = "CSAFPID-C" + std::to_string(i + 1);
    Json p{{"product_id", cid}, {"name", c.name + (c.version.empty() ? "" : " " + c.version)}};
    Json helper = Json::object();
    if (!c.purl.empty()) helper["purl"] = c.purl;
    if (!c.cpe.empty()) helper["cpe"] = c.cpe;
    if (!helper.empty()) p["product_identification_helper"] = helper;
    full.push_back(std::move(p));
    std::string rid = cid;
    rid += ":" + asset_pid;
    rels.push_back(
        {{"category", "installed_on"},
         {"product_reference", cid},
         {"relates_to_product_reference", asset_pid},
         {"full_product_name",
          {{"product_id", rid},
           {"name", c.name + (c.version.empty() ? "" : " " + c.version) + " on " + asset_label}}}});
  }
  for (const auto& [key, ref] : ref_of) {
    size_t n = std::stoul(ref.substr(ref.find('-') + 1));
    pid_of[key] = "CSAFPID-C" + std::to_string(n) + ":" + asset_pid;
  }
  // One CSAF vulnerability per CVE, the products grouped by status.
  std::map<std::string, std::vector<const Finding*>> by_cve;
  for (const auto& f : in.findings) by_cve[f.cve].push_back(&f);
  Json vulns = Json::array();
  for (const auto& [cve, fs] : by_cve) {
    std::string about = "Status of " + cve;
    about += " on ";
    about += asset_label;
    about += " as assessed in mamori.";
    Json v = Json::object();
    if (cve.starts_with("CVE-"))
      v["cve"] = cve;
    else
      v["ids"] = Json::array(
          {{{"system_name", cve.starts_with("JVNDB-") ? "JVN iPedia" : "OSV"}, {"text", cve}}});
    v["notes"] = Json::array({{{"category", "description"}, {"title", "mamori"}, {"text", about}}});
    std::map<std::string, Json> status;
    Json flags = Json::array();
    Json threats = Json::array();
    Json remediations = Json::array();
    std::set<std::string> listed;
    for (const Finding* f : fs) {
      std::string pid = pid_of[f->component_key];
      if (!listed.insert(pid).second) continue;
      std::string s = f->state == "not_affected" ? "known_not_affected"
                      : f->state == "fixed"      ? "fixed"
                      : f->state == "new"        ? "under_investigation"
                                                 : "known_affected";  // affected, accepted
      status[s].push_back(pid);
      if (s == "known_not_affected") {
        if (!f->justification.empty())
          flags.push_back({{"label", f->justification}, {"product_ids", {pid}}});
        std::string d = Detail(*f);
        threats.push_back({{"category", "impact"},
                           {"details", d.empty() ? "Not affected (" + f->justification + ")." : d},
                           {"product_ids", {pid}}});
      } else if (s == "known_affected") {
        std::string d = Detail(*f);
        if (f->state == "accepted")
          remediations.push_back(
              {{"category", "no_fix_planned"},
               {"details", "Risk accepted" + (f->approver.empty() ? "" : " by " + f->approver) +
                               (f->review_date.empty() ? "" : ", review by " + f->review_date) +
                               (d.empty() ? "" : ": " + d)},
               {"product_ids", {pid}}});
        else
          remediations.push_back(
              {{"category", "none_available"},
               {"details", "Remediation pending" +
                               (f->due_date.empty() ? "" : " (due " + f->due_date + ")") +
                               (d.empty() ? "" : ": " + d)},
               {"product_ids", {pid}}});
      }
    }
    Json ps = Json::object();
    for (auto& [k, ids] : status) ps[k] = ids;
    v["product_status"] = ps;
    if (!flags.empty()) v["flags"] = flags;
    if (!threats.empty()) v["threats"] = threats;
    if (!remediations.empty()) v["remediations"] = remediations;
    vulns.push_back(std::move(v));
  }
  std::string id = "MAMORI-VEX-" + std::to_string(in.asset_id) + "-" + in.now.substr(0, 10);
  Json doc{{"category", "csaf_vex"},
           {"csaf_version", "2.0"},
           {"lang", "en"},
           {"notes",
            Json::array({{{"category", "summary"},
                          {"title", "About this document"},
                          {"text", "Vulnerability status of " + asset_label + " in the care of " +
                                       in.publisher + ", exported from mamori."}}})},
           {"publisher",
            {{"category", in.publisher_category},
             {"name", in.publisher},
             {"namespace", in.publisher_namespace}}},
           {"title", "VEX: " + asset_label},
           {"tracking",
            {{"current_release_date", in.now},
             {"generator",
              {{"date", in.now}, {"engine", {{"name", "mamori"}, {"version", in.tool_version}}}}},
             {"id", id},
             {"initial_release_date", in.now},
             {"revision_history",
              Json::array({{{"date", in.now}, {"number", "1"}, {"summary", "Initial version."}}})},
             {"status", "final"},
             {"version", "1"}}}};
  Json tree{{"full_product_names", std::move(full)}};
  if (!rels.empty()) tree["relationships"] = std::move(rels);
  return {{"document", std::move(doc)},
          {"product_tree", std::move(tree)},
          {"vulnerabilities", std::move(vulns)}};
}

}  // namespace mamori::vuln
