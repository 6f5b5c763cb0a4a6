#include "logs/fhir.hpp"

#include <cstring>
#include <pugixml.hpp>

#include "core/text.hpp"
#include "formats/xml_util.hpp"

namespace mamori::logs {

namespace {

// FHIR XML → the JSON shape: <x value="v"/> → "v"; elements with children → objects; a name
// that repeats → an array (a single one stays an object; the mapping accepts both).
Json XmlToJson(const pugi::xml_node& n) {
  if (n.first_child() == nullptr && n.attribute("value")) return n.attribute("value").as_string();
  Json j = Json::object();
  if (auto v = n.attribute("value")) j["value"] = v.as_string();
  if (auto u = n.attribute("url")) j["url"] = u.as_string();
  for (auto c : n.children()) {
    if (c.type() != pugi::node_element) continue;
    std::string name = c.name();
    if (name == "text" && std::strcmp(n.name(), "AuditEvent") == 0) continue;  // narrative
    Json v = XmlToJson(c);
    if (!j.contains(name)) {
      j[name] = v;
    } else {
      if (!j[name].is_array()) j[name] = Json::array({j[name]});
      j[name].push_back(v);
    }
  }
  return j;
}

const Json& Null() {
  static const Json k;
  return k;
}

// j as a list whether it is an array, one object or absent.
std::vector<const Json*> Items(const Json& j) {
  std::vector<const Json*> out;
  if (j.is_array()) {
    for (const auto& x : j) out.push_back(&x);
  } else if (!j.is_null()) {
    out.push_back(&j);
  }
  return out;
}

const Json& At(const Json& j, const char* key) {
  if (!j.is_object()) return Null();
  auto it = j.find(key);
  return it == j.end() ? Null() : *it;
}

std::string Str(const Json& j) {
  if (j.is_string()) return j.get<std::string>();
  if (j.is_boolean()) return j.get<bool>() ? "true" : "false";
  if (j.is_number()) return j.dump();
  if (j.is_object() && j.contains("value")) return Str(j["value"]);
  return {};
}

// A Coding or a CodeableConcept: its first code and display.
std::pair<std::string, std::string> CodeOf(const Json& j) {
  if (j.is_string()) return {j.get<std::string>(), {}};
  for (const Json* c : Items(At(j, "coding"))) {
    std::string code = Str(At(*c, "code"));
    if (!code.empty()) return {code, Str(At(*c, "display"))};
  }
  std::string code = Str(At(j, "code"));
  std::string display = Str(At(j, "display"));
  if (display.empty()) display = Str(At(j, "text"));
  return {code, display};
}

bool Truthy(const Json& j) {
  std::string s = Str(j);
  return s == "true";
}

Error Bad(const std::string& file, size_t index, const std::string& field) {
  return MakeError(ErrorCode::kInvalidArgument, "logs.fhir_bad",
                   {file, std::to_string(index + 1), field});
}

Result<LogEvent> Map(const Json& r, const SyslogContext& ctx, const std::string& file,
                     size_t index) {
  LogEvent e;
  e.format = "fhir";
  e.charset = "UTF-8";
  e.received = ctx.received;
  e.source = ctx.source;
  std::string recorded = Str(At(r, "recorded"));
  auto t = ParseTime(recorded);
  if (!t) return Bad(file, index, "recorded " + recorded);
  e.time = *t;
  auto [type_code, type_display] = CodeOf(At(r, "type"));
  if (type_code.empty()) {
    auto [c, d] = CodeOf(At(r, "code"));  // R5: code
    type_code = c;
    type_display = d;
  }
  std::string sub;
  for (const Json* s : Items(At(r, "subtype"))) {
    auto [c, d] = CodeOf(*s);
    sub = d.empty() ? c : d;
    break;
  }
  e.action = !sub.empty() ? sub : (!type_display.empty() ? type_display : type_code);
  if (e.action.empty()) return Bad(file, index, "type");
  Json fields = {
      {"type", type_code}, {"action_code", Str(At(r, "action"))}, {"id", Str(At(r, "id"))}};
  // Outcome: "0" (R4), or a CodeableConcept {coding: [{code: "0"}]} (R5).
  const Json& outcome = At(r, "outcome");
  std::string oc =
      outcome.is_string() ? outcome.get<std::string>() : CodeOf(At(outcome, "code")).first;
  if (oc.empty()) oc = CodeOf(outcome).first;
  fields["outcome_code"] = oc;
  e.outcome = oc.empty() ? Outcome::kUnknown : oc == "0" ? Outcome::kSuccess : Outcome::kFailure;

  Json agents = Json::array();
  for (const Json* a : Items(At(r, "agent"))) {
    const Json& who = At(*a, "who");
    std::string id = Str(At(At(who, "identifier"), "value"));
    if (id.empty()) id = Str(At(At(*a, "userId"), "value"));  // DSTU2
    if (id.empty()) id = Str(At(*a, "altId"));
    if (id.empty()) id = Str(At(who, "reference"));
    std::string name = Str(At(who, "display"));
    if (name.empty()) name = Str(At(*a, "name"));
    const Json& net = At(*a, "network");
    std::string address = Str(At(net, "address"));
    if (address.empty()) address = Str(At(*a, "networkString"));
    agents.push_back({{"id", id},
                      {"name", name},
                      {"requestor", Truthy(At(*a, "requestor"))},
                      {"address", address}});
    if (e.user.empty() && Truthy(At(*a, "requestor"))) {
      e.user = id.empty() ? name : id;
      if (!name.empty()) fields["user_name"] = name;
      std::string net_type = Str(At(net, "type"));
      if (net_type == "2" || (net_type.empty() && !address.empty() &&
                              address.find_first_not_of("0123456789.:abcdef") == std::string::npos))
        e.src_ip = address;
    }
  }
  fields["agents"] = agents;
  const Json& src = At(r, "source");
  e.host = Str(At(At(src, "observer"), "display"));
  if (e.host.empty()) e.host = Str(At(At(At(src, "observer"), "identifier"), "value"));
  if (e.host.empty()) e.host = Str(At(src, "site"));
  if (e.host.empty()) e.host = Str(At(At(src, "identifier"), "value"));  // DSTU2

  Json entities = Json::array();
  for (const Json* en : Items(At(r, "entity"))) {
    const Json& what = At(*en, "what");
    std::string ref = Str(At(what, "reference"));
    if (ref.empty()) ref = Str(At(At(*en, "reference"), "reference"));  // DSTU2
    std::string ident = Str(At(At(what, "identifier"), "value"));
    if (ident.empty()) ident = Str(At(At(*en, "identifier"), "value"));
    std::string type = CodeOf(At(*en, "type")).first;
    std::string role = CodeOf(At(*en, "role")).first;
    entities.push_back({{"reference", ref}, {"identifier", ident}, {"type", type}, {"role", role}});
    bool patient = (type == "1" && role == "1") || ref.rfind("Patient/", 0) == 0;
    if (patient && fields.value("object_kind", "") != "patient") {
      std::string id = ident;
      if (id.empty() && ref.rfind("Patient/", 0) == 0) {
        id = ref.substr(8);
        id = id.substr(0, id.find('/'));
      }
      e.object = id;
      fields["object_kind"] = "patient";
    } else if (e.object.empty()) {
      e.object = !ident.empty() ? ident : ref;
    }
  }
  // R5 and BALP put the patient on the resource too.
  std::string patient_ref = Str(At(At(r, "patient"), "reference"));
  if (patient_ref.rfind("Patient/", 0) == 0 && fields.value("object_kind", "") != "patient") {
    e.object = patient_ref.substr(8);
    fields["object_kind"] = "patient";
  }
  if (!entities.empty()) fields["entities"] = entities;
  e.fields = fields;
  e.message = e.action + (e.user.empty() ? "" : " — " + e.user) +
              (e.object.empty() ? "" : " → " + e.object);
  e.raw = r.dump(-1, ' ', false, Json::error_handler_t::replace);
  return e;
}

}  // namespace

Result<std::vector<LogEvent>> ParseFhirAuditEvents(std::string_view text, const SyslogContext& ctx,
                                                   const std::string& file) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  DecodedText decoded;
  if (!IsValidUtf8(text)) {  // every value taken from the document must be UTF-8
    decoded = DecodeText(text);
    text = decoded.text;
  }
  size_t first = text.find_first_not_of(" \t\r\n");
  Json doc;
  if (first != std::string_view::npos && text[first] == '<') {
    pugi::xml_document x;
    auto res = x.load_buffer(text.data(), text.size());
    if (!res) {
      return MakeError(
          ErrorCode::kInvalidArgument, "logs.xml_bad",
          {file, std::to_string(formats::LineOfOffset(text, res.offset)), res.description()});
    }
    auto root = x.document_element();
    doc = XmlToJson(root);
    if (!doc.is_object()) doc = Json::object();  // a root like <x value="…"/>: not a resource
    doc["resourceType"] = root.name();
    if (std::string(root.name()) == "Bundle") {
      // <entry><resource><AuditEvent>…</AuditEvent></resource></entry>
      Json entries = Json::array();
      for (auto entry : root.children("entry"))
        for (auto res_node : entry.child("resource").children()) {
          Json r = XmlToJson(res_node);
          if (!r.is_object()) r = Json::object();
          r["resourceType"] = res_node.name();
          entries.push_back({{"resource", r}});
        }
      doc["entry"] = entries;
    }
  } else {
    doc = Json::parse(text, nullptr, false);
    if (doc.is_discarded())
      return MakeError(ErrorCode::kInvalidArgument, "logs.fhir_not_json", {file});
  }
  std::vector<const Json*> resources;
  std::string kind = Str(At(doc, "resourceType"));
  if (kind == "AuditEvent") {
    resources.push_back(&doc);
  } else if (kind == "Bundle") {
    for (const Json* entry : Items(At(doc, "entry"))) {
      const Json& r = At(*entry, "resource");
      if (Str(At(r, "resourceType")) == "AuditEvent") resources.push_back(&r);
    }
  } else {
    return MakeError(ErrorCode::kInvalidArgument, "logs.fhir_not_auditevent", {file, kind});
  }
  if (resources.empty())
    return MakeError(ErrorCode::kInvalidArgument, "logs.fhir_not_auditevent", {file, kind});
  std::vector<LogEvent> out;
  for (size_t i = 0; i < resources.size(); ++i) {
    MAMORI_ASSIGN_OR_RETURN(auto e, Map(*resources[i], ctx, file, i));
    if (resources.size() == 1 && kind == "AuditEvent") e.raw = std::string(text);  // as received
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace mamori::logs
