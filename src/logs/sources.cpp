#include "logs/sources.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <map>

#include "core/text.hpp"
#include "logs/logs_repository.hpp"
#include "store/settings.hpp"

namespace mamori::logs {

namespace {

template <size_t N>
bool OneOf(const std::string& v, const char* const (&list)[N]) {
  return std::any_of(std::begin(list), std::end(list), [&](const char* x) { return v == x; });
}

Error Bad(const char* field, const std::string& value) {
  return MakeError(ErrorCode::kInvalidArgument, "logs.bad_source_field", {field, value}, field);
}

// Parses an IPv4 or IPv6 address into 16 bytes (IPv4 as ::ffff:a.b.c.d).
bool ParseAddress(const std::string& s, std::array<unsigned char, 16>& out) {
  unsigned char v4[4];
  if (inet_pton(AF_INET, s.c_str(), v4) == 1) {
    out.fill(0);
    out[10] = out[11] = 0xff;
    std::memcpy(out.data() + 12, v4, 4);
    return true;
  }
  return inet_pton(AF_INET6, s.c_str(), out.data()) == 1;
}

Error NotFound(const std::string& name) {
  return MakeError(ErrorCode::kNotFound, "logs.no_source", {name});
}

// A network ("10.1.0.0/16", "2001:db8::/32") or an address (all 128 bits) as its first address
// and prefix length.
bool ParseNetwork(const std::string& network, std::array<unsigned char, 16>& base, int& bits) {
  auto slash = network.find('/');
  std::string address = network.substr(0, slash);
  if (!ParseAddress(address, base)) return false;
  bits = 128;
  if (slash != std::string::npos) {
    char* end = nullptr;
    long b = std::strtol(network.c_str() + slash + 1, &end, 10);
    if (end == nullptr || *end != '\0' || b < 0) return false;
    bool v4 = address.find(':') == std::string::npos;
    if (b > (v4 ? 32 : 128)) return false;
    bits = static_cast<int>(v4 ? b + 96 : b);
  }
  return true;
}

bool InNetwork(const std::array<unsigned char, 16>& a, const std::array<unsigned char, 16>& n,
               int bits) {
  for (int i = 0; i < bits; ++i) {
    int byte = i / 8, bit = 7 - i % 8;
    if (((a[static_cast<size_t>(byte)] >> bit) & 1) != ((n[static_cast<size_t>(byte)] >> bit) & 1))
      return false;
  }
  return true;
}

}  // namespace

bool AddressIn(const std::string& address, const std::string& network) {
  std::array<unsigned char, 16> a{}, n{};
  int bits = 128;
  return ParseAddress(address, a) && ParseNetwork(network, n, bits) && InNetwork(a, n, bits);
}

Json LogSource::ToJson() const {
  Json j = {{"id", id},
            {"name", name},
            {"description", description},
            {"kind", kind},
            {"transport", transport},
            {"hosts", hosts},
            {"expected_interval_minutes", expected_interval_minutes},
            {"skew_tolerance_seconds", skew_tolerance_seconds},
            {"retention_years", retention_years},
            {"utc_offset_minutes", utc_offset_minutes},
            {"active", active},
            {"created_at", created_at},
            {"updated_at", updated_at}};
  j["system_id"] = system_id ? Json(*system_id) : Json(nullptr);
  j["asset_id"] = asset_id ? Json(*asset_id) : Json(nullptr);
  j["csv_mapping"] = csv_mapping.empty() ? Json(nullptr) : Json::parse(csv_mapping, nullptr, false);
  return j;
}

Status ReadSource(JsonBody& body, LogSource& s) {
  body.Read("name", s.name, 100);
  body.Read("description", s.description, 1000);
  body.Read("kind", s.kind, 20);
  body.Read("transport", s.transport, 20);
  if (auto v = body.StringList("hosts", false, 200)) s.hosts = *v;
  body.ReadId("system_id", s.system_id);
  body.ReadId("asset_id", s.asset_id);
  if (auto v = body.Int("expected_interval_minutes", false)) s.expected_interval_minutes = *v;
  if (auto v = body.Int("skew_tolerance_seconds", false)) s.skew_tolerance_seconds = *v;
  if (auto v = body.Int("retention_years", false)) s.retention_years = *v;
  if (auto v = body.Int("utc_offset_minutes", false)) s.utc_offset_minutes = *v;
  if (auto v = body.Bool("active", false)) s.active = *v;
  if (body.Has("csv_mapping")) {
    auto m = body.StringMap("csv_mapping", false, 50);
    if (m) s.csv_mapping = m->empty() ? "" : Json(*m).dump();
  }
  MAMORI_RETURN_IF_ERROR(body.Finish());
  if (s.name.empty())
    return MakeError(ErrorCode::kInvalidArgument, "json.missing_field", {"name"}, "name");
  if (!OneOf(s.kind, kSourceKinds)) return Bad("kind", s.kind);
  if (!OneOf(s.transport, kTransports)) return Bad("transport", s.transport);
  if (s.expected_interval_minutes < 1 || s.expected_interval_minutes > int64_t{60} * 24 * 366)
    return Bad("expected_interval_minutes", std::to_string(s.expected_interval_minutes));
  if (s.skew_tolerance_seconds < 1 || s.skew_tolerance_seconds > 86400)
    return Bad("skew_tolerance_seconds", std::to_string(s.skew_tolerance_seconds));
  if (s.retention_years < 1 || s.retention_years > 100)
    return Bad("retention_years", std::to_string(s.retention_years));
  if (s.utc_offset_minutes < int64_t{-14} * 60 || s.utc_offset_minutes > int64_t{14} * 60)
    return Bad("utc_offset_minutes", std::to_string(s.utc_offset_minutes));
  return Ok();
}

SourceMatcher::SourceMatcher(std::vector<LogSource> sources) : sources_(std::move(sources)) {
  networks_.reserve(sources_.size());
  for (const auto& s : sources_) {
    auto& list = networks_.emplace_back(s.hosts.size());
    for (size_t j = 0; j < s.hosts.size(); ++j)
      list[j].valid = ParseNetwork(s.hosts[j], list[j].base, list[j].bits);
  }
}

const LogSource* SourceMatcher::Match(const std::string& peer, const std::string& host) const {
  std::array<unsigned char, 16> peer_address{}, host_address{};
  const bool by_peer = !peer.empty() && ParseAddress(peer, peer_address);
  const bool host_is_address = !host.empty() && ParseAddress(host, host_address);
  for (size_t i = 0; i < sources_.size(); ++i) {
    const LogSource& s = sources_[i];
    if (!s.active) continue;
    for (size_t j = 0; j < s.hosts.size(); ++j) {
      const Network& n = networks_[i][j];
      if (by_peer && n.valid && InNetwork(peer_address, n.base, n.bits)) return &s;
      if (host.empty()) continue;
      if (EqualsAsciiNoCase(s.hosts[j], host)) return &s;
      if (host_is_address && n.valid && InNetwork(host_address, n.base, n.bits)) return &s;
    }
  }
  return nullptr;
}

Json SourceStatus::ToJson() const {
  Json j = source.ToJson();
  j["state"] = state;
  j["events_total"] = events_total;
  j["events_24h"] = events_24h;
  j["last_received"] = last_received ? Json(*last_received) : Json(nullptr);
  j["last_received_jst"] = last_received ? Json(FormatJst(*last_received)) : Json(nullptr);
  j["last_skew_ms"] = last_skew_ms ? Json(*last_skew_ms) : Json(nullptr);
  j["skewed_24h"] = skewed_24h;
  j["max_abs_skew_24h_ms"] = max_abs_skew_24h_ms;
  j["hosts_seen"] = hosts_seen;
  return j;
}

Json SourcesReport::ToJson() const {
  Json s = Json::array(), u = Json::array();
  for (const auto& x : sources) s.push_back(x.ToJson());
  for (const auto& x : unregistered)
    u.push_back({{"source", x.source},
                 {"host", x.host},
                 {"events", x.events},
                 {"last_received", x.last_received},
                 {"last_received_jst", FormatJst(x.last_received)}});
  return {
      {"sources", s}, {"unregistered", u}, {"computed_at", computed_at}, {"alerting", Alerting()}};
}

bool SourcesReport::Alerting() const {
  return std::any_of(sources.begin(), sources.end(), [](const SourceStatus& s) {
    return s.state == "silent" || s.state == "skew" || s.state == "never";
  });
}

Result<std::vector<LogSource>> LogSourcesService::List(const store::Actor& actor) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, actor));
  return repo::Sources(tx, actor.org_id);
}

Result<LogSource> LogSourcesService::Add(const store::Actor& actor, const LogSource& s) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, actor));
  MAMORI_ASSIGN_OR_RETURN(auto all, repo::Sources(tx, actor.org_id));
  for (const auto& x : all)
    if (x.name == s.name)
      return MakeError(ErrorCode::kConflict, "logs.source_exists", {s.name}, "name");
  LogSource out = s;
  MAMORI_ASSIGN_OR_RETURN(out.id, repo::InsertSource(tx, actor.org_id, s));
  out.created_at = out.updated_at = tx.now();
  MAMORI_RETURN_IF_ERROR(
      tx.Audit({"log_source.create", "log_source", std::to_string(out.id), nullptr, out.ToJson()}));
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  return out;
}

Result<LogSource> LogSourcesService::Update(const store::Actor& actor, const std::string& name,
                                            JsonBody& body) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, actor));
  MAMORI_ASSIGN_OR_RETURN(auto all, repo::Sources(tx, actor.org_id));
  auto it =
      std::find_if(all.begin(), all.end(), [&](const LogSource& s) { return s.name == name; });
  if (it == all.end()) return NotFound(name);
  LogSource after = *it;
  MAMORI_RETURN_IF_ERROR(ReadSource(body, after));
  for (const auto& x : all)
    if (x.id != after.id && x.name == after.name)
      return MakeError(ErrorCode::kConflict, "logs.source_exists", {after.name}, "name");
  MAMORI_RETURN_IF_ERROR(repo::UpdateSource(tx, actor.org_id, after));
  after.updated_at = tx.now();
  MAMORI_RETURN_IF_ERROR(tx.Audit(
      {"log_source.update", "log_source", std::to_string(after.id), it->ToJson(), after.ToJson()}));
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  return after;
}

Status LogSourcesService::Remove(const store::Actor& actor, const std::string& name) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, actor));
  MAMORI_ASSIGN_OR_RETURN(auto all, repo::Sources(tx, actor.org_id));
  auto it =
      std::find_if(all.begin(), all.end(), [&](const LogSource& s) { return s.name == name; });
  if (it == all.end()) return NotFound(name);
  MAMORI_RETURN_IF_ERROR(repo::DeleteSource(tx, actor.org_id, it->id));
  MAMORI_RETURN_IF_ERROR(
      tx.Audit({"log_source.delete", "log_source", std::to_string(it->id), it->ToJson(), nullptr}));
  return tx.Commit();
}

std::vector<ExpiryRule> RetentionRules(const std::vector<LogSource>& sources, UnixMillis now) {
  std::vector<ExpiryRule> rules;
  rules.reserve(sources.size());
  for (const auto& s : sources)
    rules.push_back(
        {s.name, s.retention_years, YearsBeforeJst(now, static_cast<int>(s.retention_years))});
  return rules;
}

Result<ExpiryReport> LogSourcesService::Expire(const store::Actor& actor, LogsService& logs,
                                               UnixMillis now, bool dry_run) {
  MAMORI_ASSIGN_OR_RETURN(auto sources, List(actor));
  MAMORI_ASSIGN_OR_RETURN(auto report,
                          logs.Expire(RetentionRules(sources, now), actor.username, dry_run));
  if (report.record) {
    MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, actor));
    MAMORI_RETURN_IF_ERROR(tx.Audit({"logs.expire", "log_store", std::to_string(report.record->id),
                                     nullptr, report.record->ToJson()}));
    MAMORI_RETURN_IF_ERROR(tx.Commit());
  }
  return report;
}

Result<SourcesReport> LogSourcesService::Report(const store::Actor& actor, LogsService& logs,
                                                UnixMillis now) {
  MAMORI_ASSIGN_OR_RETURN(auto sources, List(actor));
  std::vector<SenderStats> senders;
  {
    auto s = logs.Senders();
    if (s.ok()) {
      senders = std::move(*s);
    } else if (s.error().code != ErrorCode::kNotFound) {  // no store yet: nothing received
      return s.error();
    }
  }
  SourcesReport report;
  report.computed_at = now;
  constexpr int64_t kDay = int64_t{24} * 3600 * 1000;
  std::map<std::string, size_t> by_name;
  for (const auto& s : sources) {
    SourceStatus st;
    st.source = s;
    for (const auto& x : senders) {
      if (x.source != s.name) continue;
      st.events_total += x.events;
      st.hosts_seen.push_back(x.host);
      if (!st.last_received || x.last_received > *st.last_received) {
        st.last_received = x.last_received;
        if (x.last_skew_ms) st.last_skew_ms = x.last_skew_ms;
      }
    }
    if (st.events_total > 0) {
      MAMORI_ASSIGN_OR_RETURN(auto w,
                              logs.Window(s.name, now - kDay, s.skew_tolerance_seconds * 1000));
      st.events_24h = w.events;
      st.skewed_24h = w.skewed;
      st.max_abs_skew_24h_ms = w.max_abs_skew_ms;
    }
    int64_t tolerance = s.skew_tolerance_seconds * 1000;
    if (!s.active)
      st.state = "inactive";
    else if (!st.last_received)
      st.state = "never";
    else if (now - *st.last_received > s.expected_interval_minutes * 60 * 1000)
      st.state = "silent";
    else if (st.last_skew_ms && std::llabs(*st.last_skew_ms) > tolerance)
      st.state = "skew";
    else
      st.state = "ok";
    by_name[s.name] = report.sources.size();
    report.sources.push_back(std::move(st));
  }
  for (const auto& x : senders)
    if (!by_name.count(x.source))
      report.unregistered.push_back({x.source, x.host, x.events, x.last_received});
  return report;
}

Result<WorkCalendar> LogSourcesService::Calendar(const store::Actor& actor) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, actor));
  MAMORI_ASSIGN_OR_RETURN(auto kv, store::OrgSettings(tx, actor.org_id, "logs.calendar"));
  auto it = kv.find("logs.calendar");
  if (it == kv.end()) return WorkCalendar::Default();
  Json j = Json::parse(it->second, nullptr, false);
  return WorkCalendar::FromJson(j);
}

Status LogSourcesService::SetCalendar(const store::Actor& actor, const WorkCalendar& c) {
  MAMORI_ASSIGN_OR_RETURN(auto before, Calendar(actor));
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, actor));
  MAMORI_RETURN_IF_ERROR(
      store::PutOrgSetting(tx, actor.org_id, "logs.calendar", c.ToJson().dump()));
  MAMORI_RETURN_IF_ERROR(
      tx.Audit({"logs.calendar_update", "settings", "logs.calendar", before.ToJson(), c.ToJson()}));
  return tx.Commit();
}

}  // namespace mamori::logs
