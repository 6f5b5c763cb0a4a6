#include "logs/atna.hpp"

#include <cstring>
#include <pugixml.hpp>
#include <sstream>

#include "core/text.hpp"
#include "formats/xml_util.hpp"

namespace mamori::logs {

namespace {

// A coded value in either dialect: DICOM (csd-code, originalText) or RFC 3881 (code,
// displayName).
struct Code {
  std::string code, text, system;
};

Code CodeOf(const pugi::xml_node& n) {
  Code c;
  c.code = n.attribute("csd-code").as_string();
  if (c.code.empty()) c.code = n.attribute("code").as_string();
  c.text = n.attribute("originalText").as_string();
  if (c.text.empty()) c.text = n.attribute("displayName").as_string();
  c.system = n.attribute("codeSystemName").as_string();
  while (!c.text.empty() && c.text.back() == ' ') c.text.pop_back();
  return c;
}

// xs:dateTime, with or without a zone (without: the source's local time).
bool ParseDateTime(const std::string& s, int default_offset, UnixMillis* out, int* offset) {
  auto t = ParseTime(s);
  if (t) {
    *out = *t;
    // The offset as written: Z, ±hh:mm, or none.
    *offset = 0;
    if (s.size() >= 6) {
      std::string tail = s.substr(s.size() - 6);
      if ((tail[0] == '+' || tail[0] == '-') && tail[3] == ':')
        *offset = (tail[0] == '-' ? -1 : 1) *
                  (std::stoi(tail.substr(1, 2)) * 60 + std::stoi(tail.substr(4, 2)));
    }
    return true;
  }
  // No zone: ParseTime needs one; read as local time of the source.
  std::string sign = default_offset >= 0 ? "+" : "-";
  int a = std::abs(default_offset);
  char zone[32];
  std::snprintf(zone, sizeof zone, "%s%02d:%02d", sign.c_str(), a / 60, a % 60);
  t = ParseTime(s + zone);
  if (!t) return false;
  *out = *t;
  *offset = default_offset;
  return true;
}

Error Bad(const std::string& file, int index, const std::string& where) {
  return MakeError(ErrorCode::kInvalidArgument, "logs.atna_bad",
                   {file, std::to_string(index + 1), where});
}

Result<LogEvent> Map(const pugi::xml_node& msg, const SyslogContext& ctx, const std::string& file,
                     int index) {
  LogEvent e;
  e.format = "atna";
  e.charset = "UTF-8";
  e.received = ctx.received;
  e.source = ctx.source;
  auto ident = msg.child("EventIdentification");
  if (!ident) return Bad(file, index, "EventIdentification");
  std::string when = ident.attribute("EventDateTime").as_string();
  int offset = 0;
  if (when.empty()) {
    // Required by the schema, yet some senders leave it out (dcm4chee's documented query
    // messages do): the message is kept with the time it was received, and says so.
    e.time = ctx.received;
    e.time_from_receipt = true;
  } else if (!ParseDateTime(when, ctx.default_offset_minutes, &e.time, &offset)) {
    return Bad(file, index, "EventIdentification@EventDateTime " + when);
  } else {
    e.offset_minutes = offset;
  }
  Code id = CodeOf(ident.child("EventID"));
  if (id.code.empty()) return Bad(file, index, "EventID");
  e.action = id.text.empty() ? id.code : id.text;
  Json fields = {{"event_id", id.code},
                 {"event_action", ident.attribute("EventActionCode").as_string()},
                 {"dialect", ident.child("EventID").attribute("csd-code") ? "dicom" : "rfc3881"}};
  Json types = Json::array();
  for (auto t : ident.children("EventTypeCode")) {
    Code c = CodeOf(t);
    types.push_back(c.text.empty() ? c.code : c.text);
  }
  if (!types.empty()) fields["event_types"] = types;
  std::string outcome = ident.attribute("EventOutcomeIndicator").as_string();
  fields["outcome_indicator"] = outcome;
  e.outcome = outcome == "0"    ? Outcome::kSuccess
              : outcome.empty() ? Outcome::kUnknown
                                : Outcome::kFailure;  // 4 minor, 8 serious, 12 major failure

  Json participants = Json::array();
  for (auto p : msg.children("ActiveParticipant")) {
    Json pj = {{"user_id", p.attribute("UserID").as_string()},
               {"alt_user_id", p.attribute("AlternativeUserID").as_string()},
               {"user_name", p.attribute("UserName").as_string()},
               {"requestor", p.attribute("UserIsRequestor").as_bool(true)},
               {"network", p.attribute("NetworkAccessPointID").as_string()}};
    Json roles = Json::array();
    for (auto r : p.children("RoleIDCode")) {
      Code c = CodeOf(r);
      roles.push_back(c.text.empty() ? c.code : c.text);
    }
    pj["roles"] = roles;
    participants.push_back(pj);
    // The requestor is who did it; a missing UserIsRequestor means true (DICOM default).
    if (e.user.empty() && p.attribute("UserIsRequestor").as_bool(true)) {
      e.user = p.attribute("UserID").as_string();
      std::string type = p.attribute("NetworkAccessPointTypeCode").as_string();
      if (type == "2") e.src_ip = p.attribute("NetworkAccessPointID").as_string();
      if (type == "1") fields["src_host"] = p.attribute("NetworkAccessPointID").as_string();
      if (auto n = p.attribute("UserName")) fields["user_name"] = n.as_string();
    }
  }
  if (participants.empty()) return Bad(file, index, "ActiveParticipant");
  fields["participants"] = participants;

  auto src = msg.child("AuditSourceIdentification");
  e.host = src.attribute("AuditSourceID").as_string();
  if (auto site = src.attribute("AuditEnterpriseSiteID")) fields["site"] = site.as_string();

  Json objects = Json::array();
  for (auto o : msg.children("ParticipantObjectIdentification")) {
    std::string oid = o.attribute("ParticipantObjectID").as_string();
    std::string type = o.attribute("ParticipantObjectTypeCode").as_string();
    std::string role = o.attribute("ParticipantObjectTypeCodeRole").as_string();
    Code idtype = CodeOf(o.child("ParticipantObjectIDTypeCode"));
    Json oj = {{"id", oid},
               {"type", type},
               {"role", role},
               {"id_type", idtype.text.empty() ? idtype.code : idtype.text}};
    if (auto name = o.child("ParticipantObjectName")) oj["name"] = name.text().as_string();
    bool patient = type == "1" && role == "1";
    if (patient) {
      auto [pid, authority] = NormalisePatientId(oid);
      oj["patient_id"] = pid;
      if (!authority.empty()) oj["assigning_authority"] = authority;
      if (e.object.empty() || fields.value("object_kind", "") != "patient") {
        e.object = pid;
        fields["object_kind"] = "patient";
      }
    } else if (e.object.empty()) {
      e.object = oid;
    }
    objects.push_back(oj);
  }
  if (!objects.empty()) fields["objects"] = objects;
  e.fields = fields;
  e.message = e.action + (e.user.empty() ? "" : " — " + e.user) +
              (e.object.empty() ? "" : " → " + e.object);
  return e;
}

}  // namespace

std::pair<std::string, std::string> NormalisePatientId(std::string_view cx) {
  size_t caret = cx.find('^');
  if (caret == std::string_view::npos) return {std::string(cx), {}};
  std::string id(cx.substr(0, caret));
  // CX.4 (assigning authority) is the fourth component: "HD" = namespace&universal id&type.
  std::string_view rest = cx.substr(caret);
  std::string authority;
  size_t comp = 0, at = 0;
  while (at < rest.size() && comp < 3) {
    if (rest[at] == '^') ++comp;
    ++at;
  }
  if (comp == 3) {
    std::string_view hd = rest.substr(at);
    hd = hd.substr(0, hd.find('^'));
    size_t amp = hd.find('&');
    if (amp != std::string_view::npos) {
      std::string_view uid = hd.substr(amp + 1);
      authority = std::string(uid.substr(0, uid.find('&')));
    } else {
      authority = std::string(hd);
    }
  }
  return {id, authority};
}

Result<std::vector<LogEvent>> ParseAtna(std::string_view xml, const SyslogContext& ctx,
                                        const std::string& file) {
  // Not UTF-8 (a Japanese system writing Shift_JIS or EUC-JP): converted first, so that every
  // value taken from the XML is valid UTF-8.
  DecodedText decoded;
  if (!IsValidUtf8(xml) && xml.substr(0, 2) != "\xFF\xFE" && xml.substr(0, 2) != "\xFE\xFF") {
    decoded = DecodeText(xml);
    xml = decoded.text;
  }
  pugi::xml_document doc;
  auto res = doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_auto);
  if (!res) {
    return MakeError(
        ErrorCode::kInvalidArgument, "logs.xml_bad",
        {file, std::to_string(formats::LineOfOffset(xml, res.offset)), res.description()});
  }
  std::vector<pugi::xml_node> messages;
  auto root = doc.document_element();
  if (std::strcmp(root.name(), "AuditMessage") == 0) {
    messages.push_back(root);
  } else {
    for (auto m : root.children("AuditMessage")) messages.push_back(m);
  }
  if (messages.empty()) return MakeError(ErrorCode::kInvalidArgument, "logs.atna_none", {file});
  std::vector<LogEvent> out;
  for (size_t i = 0; i < messages.size(); ++i) {
    MAMORI_ASSIGN_OR_RETURN(auto e, Map(messages[i], ctx, file, static_cast<int>(i)));
    std::ostringstream raw;
    messages[i].print(raw, "", pugi::format_raw);
    e.raw = messages.size() == 1 ? std::string(xml) : raw.str();
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace mamori::logs
