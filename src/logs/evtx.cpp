#include "logs/evtx.hpp"

#include <libevtx.h>

#include <map>
#include <memory>
#include <pugixml.hpp>

namespace mamori::logs {

namespace {

std::string ErrorText(libevtx_error_t* error) {
  if (error == nullptr) return "?";
  char buf[512] = {0};
  libevtx_error_sprint(error, buf, sizeof buf);
  libevtx_error_free(&error);
  std::string s = buf;
  // libevtx's messages chain with newlines; the last line is the innermost cause.
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  auto nl = s.rfind('\n');
  return nl == std::string::npos ? s : s.substr(nl + 1);
}

struct Known {
  const char* action;
  Outcome outcome;
};

// What a hospital's review asks about, by event ID (Security, System, TerminalServices).
const std::map<int, Known>& KnownEvents() {
  static const std::map<int, Known> k = {
      {4624, {"logon", Outcome::kSuccess}},
      {4625, {"logon", Outcome::kFailure}},
      {4634, {"logoff", Outcome::kSuccess}},
      {4647, {"logoff", Outcome::kSuccess}},
      {4648, {"logon_explicit_credentials", Outcome::kSuccess}},
      {4672, {"special_privileges", Outcome::kSuccess}},
      {4688, {"process_created", Outcome::kSuccess}},
      {4719, {"audit_policy_changed", Outcome::kSuccess}},
      {4720, {"account_created", Outcome::kSuccess}},
      {4722, {"account_enabled", Outcome::kSuccess}},
      {4723, {"password_change", Outcome::kUnknown}},
      {4724, {"password_reset", Outcome::kUnknown}},
      {4725, {"account_disabled", Outcome::kSuccess}},
      {4726, {"account_deleted", Outcome::kSuccess}},
      {4728, {"group_member_added", Outcome::kSuccess}},
      {4732, {"group_member_added", Outcome::kSuccess}},
      {4740, {"account_locked", Outcome::kFailure}},
      {4768, {"kerberos_tgt", Outcome::kUnknown}},
      {4771, {"kerberos_preauth_failed", Outcome::kFailure}},
      {4776, {"credential_validation", Outcome::kUnknown}},
      {4778, {"session_reconnected", Outcome::kSuccess}},
      {4779, {"session_disconnected", Outcome::kSuccess}},
      {4825, {"rdp_denied", Outcome::kFailure}},
      {1102, {"log_cleared", Outcome::kSuccess}},
      {104, {"log_cleared", Outcome::kSuccess}},
      {1149, {"rdp_logon", Outcome::kSuccess}},
  };
  return k;
}

}  // namespace

Result<LogEvent> EventFromWindowsXml(std::string_view xml, const SyslogContext& ctx) {
  pugi::xml_document doc;
  if (!doc.load_buffer(xml.data(), xml.size()))
    return MakeError(ErrorCode::kInvalidArgument, "logs.evtx_xml_bad");
  auto ev = doc.child("Event");
  auto sys = ev.child("System");
  if (!sys) return MakeError(ErrorCode::kInvalidArgument, "logs.evtx_xml_bad");
  LogEvent e;
  e.format = "evtx";
  e.charset = "UTF-16";
  e.received = ctx.received;
  e.source = ctx.source;
  std::string provider = sys.child("Provider").attribute("Name").as_string();
  int id = sys.child("EventID").text().as_int(-1);
  std::string channel = sys.child("Channel").text().as_string();
  e.host = sys.child("Computer").text().as_string();
  e.app = provider;
  std::string created = sys.child("TimeCreated").attribute("SystemTime").as_string();
  auto t = ParseTime(created.empty() || created.back() == 'Z' ? created : created + "Z");
  if (t) {
    e.time = *t;
    e.offset_minutes = 0;
  } else {
    e.time = ctx.received;
    e.time_from_receipt = true;
  }
  e.severity = sys.child("Level").text().as_int(-1);
  Json data = Json::object();
  for (auto d : ev.child("EventData").children("Data")) {
    std::string name = d.attribute("Name").as_string();
    if (!name.empty()) data[name] = d.text().as_string();
  }
  // Terminal Services and other UserData payloads: flatten one level.
  for (auto u : ev.child("UserData").children())
    for (auto f : u.children())
      if (f.first_child().type() == pugi::node_pcdata) data[f.name()] = f.text().as_string();
  auto str = [&](const char* key) -> std::string {
    auto it = data.find(key);
    return it != data.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  e.fields = {{"event_id", id},
              {"channel", channel},
              {"provider", provider},
              {"record_id", sys.child("EventRecordID").text().as_ullong()},
              {"data", data}};
  if (auto sid = sys.child("Security").attribute("UserID")) e.fields["user_sid"] = sid.as_string();
  // Provider-specific IDs: 104 and 1102 are log clearing only from the Eventlog provider.
  auto known = KnownEvents().find(id);
  bool eventlog = provider.find("Eventlog") != std::string::npos;
  if (known != KnownEvents().end() && ((id != 104 && id != 1102) || eventlog)) {
    e.action = known->second.action;
    e.outcome = known->second.outcome;
  } else {
    e.action = "event " + std::to_string(id);
    // Audit success/failure keywords.
    std::string keywords = sys.child("Keywords").text().as_string();
    if (keywords == "0x8010000000000000") e.outcome = Outcome::kFailure;
    if (keywords == "0x8020000000000000") e.outcome = Outcome::kSuccess;
  }
  std::string user = str("TargetUserName");
  std::string domain = str("TargetDomainName");
  if (id == 4648 || id == 4688 || id == 1102 || id == 4719 || user.empty()) {
    if (!str("SubjectUserName").empty()) {
      user = str("SubjectUserName");
      domain = str("SubjectDomainName");
    }
  }
  if (user.empty()) user = str("Param1");  // 1149: user
  if (user.empty()) user = str("User");
  if (!user.empty() && user != "-")
    e.user = domain.empty() || domain == "-" ? user : domain + "\\" + user;
  std::string ip = str("IpAddress");
  if (ip.empty()) ip = str("Param3");  // 1149: source address
  if (ip.empty()) ip = str("ClientAddress");
  if (!ip.empty() && ip != "-" && ip != "::1" && ip != "127.0.0.1") e.src_ip = ip;
  if (!str("LogonType").empty()) e.fields["logon_type"] = str("LogonType");
  if (id == 4688) e.object = str("NewProcessName");
  if (id == 4720 || id == 4722 || id == 4725 || id == 4726 || id == 4728 || id == 4732) {
    e.object = str("TargetUserName");
    e.user = str("SubjectUserName");
  }
  e.message = channel + " " + std::to_string(id) +
              (e.action.rfind("event ", 0) == 0 ? "" : " " + e.action) +
              (e.user.empty() ? "" : " " + e.user) + (e.src_ip.empty() ? "" : " from " + e.src_ip);
  e.raw = std::string(xml);
  return e;
}

Result<EvtxRead> ReadEvtx(const std::string& path, const SyslogContext& ctx) {
  libevtx_file_t* file = nullptr;
  libevtx_error_t* error = nullptr;
  if (libevtx_file_initialize(&file, &error) != 1)
    return MakeError(ErrorCode::kInternal, "logs.evtx_bad", {path, ErrorText(error)});
  std::unique_ptr<libevtx_file_t, void (*)(libevtx_file_t*)> guard(file, [](libevtx_file_t* f) {
    libevtx_file_close(f, nullptr);
    libevtx_file_free(&f, nullptr);
  });
  if (libevtx_file_open(file, path.c_str(), LIBEVTX_OPEN_READ, &error) != 1)
    return MakeError(ErrorCode::kInvalidArgument, "logs.evtx_bad", {path, ErrorText(error)});
  EvtxRead out;
  auto read_records = [&](bool recovered) {
    int n = 0;
    if ((recovered ? libevtx_file_get_number_of_recovered_records(file, &n, &error)
                   : libevtx_file_get_number_of_records(file, &n, &error)) != 1) {
      out.problems.push_back(path + ": " + ErrorText(error));
      error = nullptr;
      return;
    }
    if (recovered)
      out.recovered = static_cast<uint64_t>(n);
    else
      out.records = static_cast<uint64_t>(n);
    for (int i = 0; i < n; ++i) {
      libevtx_record_t* record = nullptr;
      int rc = recovered ? libevtx_file_get_recovered_record_by_index(file, i, &record, &error)
                         : libevtx_file_get_record_by_index(file, i, &record, &error);
      if (rc != 1) {
        out.problems.push_back(
            Tr(Lang::kJa, "logs.evtx_record_bad", {path, std::to_string(i + 1), ErrorText(error)}));
        error = nullptr;
        continue;
      }
      size_t size = 0;
      std::string xml;
      if (libevtx_record_get_utf8_xml_string_size(record, &size, &error) == 1 && size > 0) {
        xml.resize(size);
        if (libevtx_record_get_utf8_xml_string(record, reinterpret_cast<uint8_t*>(xml.data()), size,
                                               &error) != 1)
          xml.clear();
        else
          xml.resize(size - 1);  // the terminating NUL
      }
      libevtx_record_free(&record, nullptr);
      if (xml.empty()) {
        out.problems.push_back(
            Tr(Lang::kJa, "logs.evtx_record_bad", {path, std::to_string(i + 1), ErrorText(error)}));
        error = nullptr;
        continue;
      }
      auto e = EventFromWindowsXml(xml, ctx);
      if (!e.ok()) {
        out.problems.push_back(Tr(Lang::kJa, "logs.evtx_record_bad",
                                  {path, std::to_string(i + 1), e.error().Message(Lang::kJa)}));
        continue;
      }
      if (recovered) e->fields["recovered"] = true;
      out.events.push_back(std::move(*e));
    }
  };
  read_records(false);
  read_records(true);
  return out;
}

}  // namespace mamori::logs
