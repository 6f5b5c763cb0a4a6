#include "logs/review.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <deque>
#include <map>
#include <stdexcept>

#include "core/crypto.hpp"
#include "core/text.hpp"
#include "logs/logs_repository.hpp"
#include "report/pdf.hpp"

namespace mamori::logs {

namespace {

struct EmbeddedFile {
  const char* name;
  const char* content;
};
#include "logs/rules_embedded.inc"

bool AnyEqual(const std::vector<std::string>& list, const std::string& lower_value) {
  return std::find(list.begin(), list.end(), lower_value) != list.end();
}

bool AnyContained(const std::vector<std::string>& list, const std::string& lower_value) {
  return std::any_of(list.begin(), list.end(), [&](const std::string& part) {
    return lower_value.find(part) != std::string::npos;
  });
}

Error RuleError(const std::string& file, const std::string& where, const std::string& what) {
  return MakeError(ErrorCode::kInvalidArgument, "logs.bad_rule", {file, where, what});
}

std::optional<int64_t> EventId(const LogEvent& e) {
  if (!e.fields.is_object()) return std::nullopt;
  auto it = e.fields.find("event_id");
  if (it == e.fields.end()) return std::nullopt;
  if (it->is_number_integer()) return it->get<int64_t>();
  if (it->is_string()) {
    const auto& s = it->get_ref<const std::string&>();
    char* end = nullptr;
    long long v = std::strtoll(s.c_str(), &end, 10);
    if (!s.empty() && end != nullptr && *end == '\0') return v;
  }
  return std::nullopt;
}

std::string FieldString(const LogEvent& e, const char* key) {
  if (!e.fields.is_object()) return "";
  auto it = e.fields.find(key);
  if (it == e.fields.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number()) return it->dump();
  return "";
}

constexpr int64_t kMinute = int64_t{60} * 1000;
constexpr int64_t kDayMs = int64_t{24} * 60 * kMinute;

Json EventRow(const LogEvent& e) {
  return {{"seq", e.seq},
          {"time", FormatJst(e.time)},
          {"source", e.source},
          {"host", e.host},
          {"user", e.user},
          {"action", e.action},
          {"outcome", OutcomeName(e.outcome)},
          {"src_ip", e.src_ip},
          {"object", e.object}};
}

// A list that keeps its first `limit` rows and counts them all.
struct Capped {
  Json rows = Json::array();
  uint64_t total = 0;
  void Add(Json row, size_t limit) {
    ++total;
    if (rows.size() < limit) rows.push_back(std::move(row));
  }
  [[nodiscard]] Json ToJson() const { return {{"total", total}, {"events", rows}}; }
};

struct SourceAcc {
  uint64_t events = 0, live = 0, skewed = 0;
  int64_t max_abs_skew = 0;
  UnixMillis first = 0, last = 0;
  UnixMillis prev = 0;
  int64_t longest_gap = 0;
  Json gaps = Json::array();
  std::set<std::string> hosts;
};

struct FailedUser {
  uint64_t count = 0;
  std::set<std::string> hosts;
  UnixMillis first = 0, last = 0;
  std::deque<UnixMillis> window;
  UnixMillis burst_until = 0;
};

bool IsPatientAccess(const LogEvent& e) {
  return !e.object.empty() &&
         (e.format == "atna" || e.format == "fhir" || e.format == "csv" || e.format == "jsonl");
}

std::string DayJst(UnixMillis t) {
  return FormatDateJst(t);
}

}  // namespace

// ---- the classifier ---------------------------------------------------------------------------

Result<EventClassifier> EventClassifier::FromYaml(std::string_view text, const std::string& file) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return RuleError(file, "line " + std::to_string(e.mark.line + 1), e.msg);
  }
  if (!root.IsSequence()) return RuleError(file, "-", "a list of rules");
  EventClassifier c;
  for (size_t i = 0; i < root.size(); ++i) {
    const YAML::Node n = root[i];
    std::string where = "[" + std::to_string(i) + "]";
    if (!n.IsMap()) return RuleError(file, where, "a rule");
    ReviewRule r;
    std::vector<std::string>* lists[] = {&r.formats,       &r.actions,          &r.action_contains,
                                         &r.apps,          &r.message_contains, &r.logon_types,
                                         &r.user_prefixes, &r.user_suffixes};
    const char* names[] = {"formats",          "actions",     "action_contains", "apps",
                           "message_contains", "logon_types", "user_prefixes",   "user_suffixes"};
    for (const auto& kv : n) {
      std::string key = kv.first.as<std::string>("");
      if (key == "category") {
        r.category = kv.second.as<std::string>("");
        continue;
      }
      if (key == "event_ids") {
        if (!kv.second.IsSequence()) return RuleError(file, where, key);
        for (const auto& v : kv.second) {
          try {
            r.event_ids.push_back(v.as<int64_t>());
          } catch (const YAML::Exception&) {
            return RuleError(file, where, key);
          }
        }
        continue;
      }
      auto* it = std::find_if(std::begin(names), std::end(names),
                              [&](const char* nm) { return key == nm; });
      if (it == std::end(names)) return RuleError(file, where, key);
      if (!kv.second.IsSequence()) return RuleError(file, where, key);
      auto& list = *lists[it - std::begin(names)];
      for (const auto& v : kv.second) {
        if (!v.IsScalar()) return RuleError(file, where, key);
        list.push_back(AsciiLower(v.Scalar()));
      }
    }
    static const std::set<std::string> kCategories = {"logon", "admin", "log_cleared", "remote",
                                                      "service_account"};
    if (!kCategories.count(r.category)) return RuleError(file, where, "category");
    c.rules_.push_back(std::move(r));
  }
  return c;
}

const EventClassifier& EventClassifier::Builtin() {
  static const EventClassifier kBuiltin = [] {
    for (const auto& f : kEmbeddedRules)
      if (std::string_view(f.name) == "review.yaml") {
        auto r = FromYaml(f.content, "review.yaml");
        if (!r.ok())
          throw std::logic_error("built-in review.yaml: " + r.error().Message(Lang::kEn));
        return std::move(*r);
      }
    throw std::logic_error("review.yaml is not embedded");
  }();
  return kBuiltin;
}

std::set<std::string> EventClassifier::Categories(const LogEvent& e) const {
  std::set<std::string> out;
  std::string format = AsciiLower(e.format), action = AsciiLower(e.action), app = AsciiLower(e.app),
              user = AsciiLower(e.user);
  std::string message;  // lower-cased only when a rule asks
  std::optional<int64_t> id = EventId(e);
  std::string logon_type = FieldString(e, "logon_type");
  for (const auto& r : rules_) {
    if (out.count(r.category)) continue;
    if (!r.formats.empty() && !AnyEqual(r.formats, format)) continue;
    if (!r.actions.empty() && !AnyEqual(r.actions, action)) continue;
    if (!r.action_contains.empty() && !AnyContained(r.action_contains, action)) continue;
    if (!r.apps.empty() && !AnyEqual(r.apps, app)) continue;
    if (!r.user_prefixes.empty() &&
        !std::any_of(r.user_prefixes.begin(), r.user_prefixes.end(),
                     [&](const std::string& p) { return user.rfind(p, 0) == 0; }))
      continue;
    if (!r.user_suffixes.empty() &&
        !std::any_of(r.user_suffixes.begin(), r.user_suffixes.end(), [&](const std::string& x) {
          return user.size() >= x.size() && user.compare(user.size() - x.size(), x.size(), x) == 0;
        }))
      continue;
    if (!r.logon_types.empty() && !AnyEqual(r.logon_types, logon_type)) continue;
    if (!r.event_ids.empty() &&
        (!id || std::find(r.event_ids.begin(), r.event_ids.end(), *id) == r.event_ids.end()))
      continue;
    if (!r.message_contains.empty()) {
      if (message.empty()) message = AsciiLower(e.message);
      if (!AnyContained(r.message_contains, message)) continue;
    }
    out.insert(r.category);
  }
  return out;
}

// ---- computing a review -------------------------------------------------------------------------

Result<Json> ComputeReview(LogsService& logs, const ReviewOptions& o,
                           const EventClassifier& classifier) {
  std::map<std::string, const LogSource*> registered;
  for (const auto& s : o.sources) registered[s.name] = &s;
  std::map<std::string, SourceAcc> per_source;
  std::map<std::string, FailedUser> failed;
  Json bursts = Json::array();
  Capped off_hours, admin, cleared, remote;
  uint64_t logons_ok = 0, logons_failed = 0, events = 0;
  std::map<std::pair<std::string, std::string>, std::set<std::string>> users_of_object_day;
  std::map<std::pair<std::string, std::string>, std::set<std::string>> objects_of_user_day;

  MAMORI_RETURN_IF_ERROR(logs.ForEachInRange(o.from, o.to, [&](const LogEvent& e) -> Status {
    ++events;
    auto& acc = per_source[e.source];
    const LogSource* src = registered.count(e.source) ? registered[e.source] : nullptr;
    if (acc.events == 0) {
      acc.first = e.time;
    } else {
      int64_t gap = e.time - acc.prev;
      acc.longest_gap = std::max(acc.longest_gap, gap);
      if (src != nullptr && gap > src->expected_interval_minutes * kMinute && acc.gaps.size() < 50)
        acc.gaps.push_back(
            {{"from", FormatJst(acc.prev)}, {"to", FormatJst(e.time)}, {"minutes", gap / kMinute}});
    }
    ++acc.events;
    acc.prev = acc.last = e.time;
    if (!e.host.empty() && acc.hosts.size() < 20) acc.hosts.insert(e.host);
    if (IsLive(e)) {
      ++acc.live;
      int64_t skew = std::llabs(e.time - e.received);
      acc.max_abs_skew = std::max(acc.max_abs_skew, skew);
      int64_t tolerance = (src != nullptr ? src->skew_tolerance_seconds : 300) * 1000;
      if (skew > tolerance) ++acc.skewed;
    }

    auto cats = classifier.Categories(e);
    bool from_remote_network =
        !e.src_ip.empty() &&
        std::any_of(o.remote_networks.begin(), o.remote_networks.end(),
                    [&](const std::string& n) { return AddressIn(e.src_ip, n); });
    if (cats.count("logon")) {
      if (e.outcome == Outcome::kFailure) {
        ++logons_failed;
        std::string user = e.user.empty() ? "(不明)" : e.user;
        auto& f = failed[user];
        if (f.count == 0) f.first = e.time;
        ++f.count;
        f.last = e.time;
        if (!e.host.empty() && f.hosts.size() < 10) f.hosts.insert(e.host);
        f.window.push_back(e.time);
        while (!f.window.empty() && e.time - f.window.front() > 10 * kMinute) f.window.pop_front();
        if (static_cast<int>(f.window.size()) >= o.failed_burst && e.time > f.burst_until) {
          if (bursts.size() < o.list_limit)
            bursts.push_back({{"user", user},
                              {"from", FormatJst(f.window.front())},
                              {"count", f.window.size()},
                              {"host", e.host},
                              {"src_ip", e.src_ip}});
          f.burst_until = f.window.front() + 10 * kMinute;
        }
      } else if (e.outcome == Outcome::kSuccess) {
        ++logons_ok;
        std::string why;
        if (!cats.count("service_account") && !o.calendar.Working(e.time, &why)) {
          Json row = EventRow(e);
          row["reason"] = why;
          off_hours.Add(std::move(row), o.list_limit);
        }
      }
    }
    if (cats.count("admin")) admin.Add(EventRow(e), o.list_limit);
    if (cats.count("log_cleared")) cleared.Add(EventRow(e), o.list_limit);
    if (cats.count("remote") || (from_remote_network && cats.count("logon"))) {
      Json row = EventRow(e);
      row["reason"] = cats.count("remote") ? "remote_access" : "remote_maintenance_source";
      remote.Add(std::move(row), o.list_limit);
    }
    if (IsPatientAccess(e) && !e.user.empty()) {
      std::string day = DayJst(e.time);
      auto& users = users_of_object_day[{e.object, day}];
      if (users.size() < 1000) users.insert(e.user);
      auto& objects = objects_of_user_day[{e.user, day}];
      if (objects.size() < 10000) objects.insert(e.object);
    }
    return Ok();
  }));

  Json sources = Json::array(), unregistered = Json::array();
  for (const auto& s : o.sources) {
    if (!s.active) continue;
    auto it = per_source.find(s.name);
    Json j = {{"name", s.name},
              {"description", s.description},
              {"registered", true},
              {"expected_interval_minutes", s.expected_interval_minutes},
              {"skew_tolerance_seconds", s.skew_tolerance_seconds}};
    if (it == per_source.end()) {
      j.update({{"events", 0}, {"silent", true}, {"gaps", Json::array()}});
    } else {
      const auto& a = it->second;
      // Silent also when the period ends (or starts) long after the last (before the first) event.
      Json gaps = a.gaps;
      int64_t interval = s.expected_interval_minutes * kMinute;
      UnixMillis end = o.now > 0 ? std::min(o.to, o.now) : o.to;
      if (end - a.last > interval && gaps.size() < 51)
        gaps.push_back({{"from", FormatJst(a.last)},
                        {"to", FormatJst(end)},
                        {"minutes", (end - a.last) / kMinute}});
      j.update(
          {{"events", a.events},
           {"first", FormatJst(a.first)},
           {"last", FormatJst(a.last)},
           {"live", a.live},
           {"skewed", a.skewed},
           {"max_abs_skew_seconds", a.max_abs_skew / 1000},
           {"longest_gap_minutes",
            std::max(a.longest_gap, (o.now > 0 ? std::min(o.to, o.now) : o.to) - a.last) / kMinute},
           {"hosts", a.hosts},
           {"gaps", gaps},
           {"silent", !gaps.empty()}});
    }
    sources.push_back(std::move(j));
  }
  for (const auto& [name, a] : per_source) {
    if (registered.count(name)) continue;
    unregistered.push_back({{"name", name},
                            {"events", a.events},
                            {"first", FormatJst(a.first)},
                            {"last", FormatJst(a.last)},
                            {"live", a.live},
                            {"skewed", a.skewed},
                            {"max_abs_skew_seconds", a.max_abs_skew / 1000},
                            {"hosts", a.hosts}});
  }

  std::vector<std::pair<std::string, const FailedUser*>> by_count;
  by_count.reserve(failed.size());
  for (const auto& [u, f] : failed) by_count.emplace_back(u, &f);
  std::sort(by_count.begin(), by_count.end(),
            [](const auto& a, const auto& b) { return a.second->count > b.second->count; });
  Json failed_users = Json::array();
  for (const auto& [u, f] : by_count) {
    if (failed_users.size() >= o.list_limit) break;
    failed_users.push_back({{"user", u},
                            {"count", f->count},
                            {"hosts", f->hosts},
                            {"first", FormatJst(f->first)},
                            {"last", FormatJst(f->last)}});
  }

  Json many_users = Json::array(), many_patients = Json::array();
  for (const auto& [key, users] : users_of_object_day)
    if (static_cast<int>(users.size()) >= o.patient_many_users_day &&
        many_users.size() < o.list_limit)
      many_users.push_back(
          {{"object", key.first},
           {"day", key.second},
           {"users", users.size()},
           {"user_list",
            std::vector<std::string>(
                users.begin(),
                std::next(users.begin(),
                          std::min<ptrdiff_t>(20, static_cast<ptrdiff_t>(users.size()))))}});
  for (const auto& [key, objects] : objects_of_user_day)
    if (static_cast<int>(objects.size()) >= o.user_many_patients_day &&
        many_patients.size() < o.list_limit)
      many_patients.push_back(
          {{"user", key.first}, {"day", key.second}, {"patients", objects.size()}});

  size_t silent = 0;
  for (const auto& s : sources)
    if (s["silent"].get<bool>()) ++silent;
  uint64_t skewed = 0;
  for (const auto& [name, a] : per_source) skewed += a.skewed;

  return Json{{"period", {{"from", o.period_from}, {"to", o.period_to}}},
              {"totals",
               {{"events", events},
                {"sources_registered", sources.size()},
                {"sources_silent", silent},
                {"sources_unregistered", unregistered.size()},
                {"events_skewed", skewed},
                {"logons", logons_ok},
                {"logons_failed", logons_failed},
                {"failed_bursts", bursts.size()},
                {"off_hours_logons", off_hours.total},
                {"admin_actions", admin.total},
                {"log_cleared", cleared.total},
                {"remote_logons", remote.total},
                {"patients_many_users", many_users.size()},
                {"users_many_patients", many_patients.size()}}},
              {"sources", sources},
              {"unregistered_sources", unregistered},
              {"failed_logons", {{"by_user", failed_users}, {"bursts", bursts}}},
              {"off_hours_logons", off_hours.ToJson()},
              {"admin_actions", admin.ToJson()},
              {"log_cleared", cleared.ToJson()},
              {"remote_logons", remote.ToJson()},
              {"patients_many_users", many_users},
              {"users_many_patients", many_patients},
              {"thresholds",
               {{"patient_many_users_day", o.patient_many_users_day},
                {"user_many_patients_day", o.user_many_patients_day},
                {"failed_burst", o.failed_burst},
                {"calendar", o.calendar.ToJson()}}}};
}

// ---- the PDF
// ---------------------------------------------------------------------------------------

namespace {

std::string S(const Json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

std::vector<std::vector<std::string>> EventRows(const Json& list, bool with_reason) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : list) {
    std::vector<std::string> r = {S(e, "time").substr(0, 19),
                                  S(e, "source"),
                                  S(e, "host"),
                                  S(e, "user"),
                                  S(e, "action"),
                                  S(e, "src_ip")};
    if (with_reason) r.push_back(S(e, "reason"));
    rows.push_back(std::move(r));
  }
  return rows;
}

void EventTable(report::PdfDocument& pdf, const Json& section, bool with_reason,
                const std::string& reason_header) {
  uint64_t total = section["total"].get<uint64_t>();
  if (total == 0) {
    pdf.Paragraph("該当なし。");
    return;
  }
  const Json& rows = section["events"];
  if (rows.size() < total)
    pdf.Paragraph("全 " + std::to_string(total) + " 件のうち先頭 " + std::to_string(rows.size()) +
                      " 件を掲載（全件は mamori logs search で確認できます）。",
                  true);
  std::vector<std::string> header = {"日時 (JST)", "送信元", "ホスト", "利用者", "操作", "接続元"};
  std::vector<double> widths = {0.19, 0.13, 0.14, 0.16, 0.24, 0.14};
  if (with_reason) {
    header.push_back(reason_header);
    widths = {0.16, 0.1, 0.11, 0.13, 0.15, 0.12, 0.23};
  }
  pdf.Table(header, widths, EventRows(rows, with_reason));
}

}  // namespace

Result<std::string> RenderReviewPdf(const Json& r, const std::string& org_name) {
  report::PdfDocument pdf("アクセスログ定期確認報告書", org_name + " アクセスログ定期確認");
  pdf.Title("アクセスログ定期確認報告書");
  const Json& period = r["period"];
  const Json& t = r["totals"];
  pdf.Paragraph("医療機関: " + org_name);
  pdf.Paragraph("対象期間: " + S(period, "from") + " 〜 " + S(period, "to") + "（日本時間）");
  if (r.contains("store"))
    pdf.Paragraph("確認したログ保管庫: チェックポイント " + S(r["store"], "size") +
                      " 件、Merkle 根 " + S(r["store"], "root"),
                  true);
  pdf.Paragraph("作成: " + S(r, "generated_at") + "（mamori）", true);

  pdf.Heading("1. 概要");
  pdf.Table({"項目", "件数"}, {0.7, 0.3},
            {{"イベント総数", S(t, "events")},
             {"登録済みの送信元（ログリスト）", S(t, "sources_registered")},
             {"途絶のあった送信元", S(t, "sources_silent")},
             {"未登録の送信元", S(t, "sources_unregistered")},
             {"時刻のずれが許容範囲を超えたイベント", S(t, "events_skewed")},
             {"ログオン成功", S(t, "logons")},
             {"ログオン失敗", S(t, "logons_failed")},
             {"連続したログオン失敗（10分以内）", S(t, "failed_bursts")},
             {"勤務時間外のログオン", S(t, "off_hours_logons")},
             {"管理者操作", S(t, "admin_actions")},
             {"ログの消去", S(t, "log_cleared")},
             {"リモート接続（保守を含む）", S(t, "remote_logons")},
             {"多数の利用者が参照した患者", S(t, "patients_many_users")},
             {"1日に多数の患者を参照した利用者", S(t, "users_many_patients")}});

  pdf.Heading("2. 送信元ごとの件数・途絶・時刻のずれ");
  std::vector<std::vector<std::string>> rows;
  for (const auto& s : r["sources"])
    rows.push_back({S(s, "name"), S(s, "events"), s["silent"].get<bool>() ? "途絶あり" : "—",
                    S(s, "longest_gap_minutes"), S(s, "skewed"), S(s, "max_abs_skew_seconds")});
  if (rows.empty())
    pdf.Paragraph("ログリストに送信元が登録されていません。");
  else
    pdf.Table({"送信元", "件数", "途絶", "最長の空白（分）", "時刻ずれ超過", "最大ずれ（秒）"},
              {0.3, 0.12, 0.12, 0.16, 0.15, 0.15}, rows);
  for (const auto& s : r["sources"])
    for (const auto& g : s["gaps"])
      pdf.Paragraph("途絶: " + S(s, "name") + "  " + S(g, "from").substr(0, 16) + " 〜 " +
                        S(g, "to").substr(0, 16) + "（" + S(g, "minutes") + " 分）",
                    true);
  if (!r["unregistered_sources"].empty()) {
    pdf.Paragraph("ログリストに未登録の送信元（登録して受信を監視してください）:");
    rows.clear();
    for (const auto& s : r["unregistered_sources"])
      rows.push_back(
          {S(s, "name"), S(s, "events"), S(s, "first").substr(0, 16), S(s, "last").substr(0, 16)});
    pdf.Table({"送信元", "件数", "最初", "最後"}, {0.4, 0.14, 0.23, 0.23}, rows);
  }

  pdf.Heading("3. ログオン失敗");
  rows.clear();
  for (const auto& u : r["failed_logons"]["by_user"]) {
    std::string hosts;
    for (const auto& h : u["hosts"]) hosts += (hosts.empty() ? "" : ", ") + h.get<std::string>();
    rows.push_back({S(u, "user"), S(u, "count"), hosts, S(u, "first").substr(0, 16),
                    S(u, "last").substr(0, 16)});
  }
  if (rows.empty())
    pdf.Paragraph("該当なし。");
  else
    pdf.Table({"利用者", "回数", "ホスト", "最初", "最後"}, {0.24, 0.1, 0.26, 0.2, 0.2}, rows);
  if (!r["failed_logons"]["bursts"].empty()) {
    pdf.Paragraph("10 分以内に " + S(r["thresholds"], "failed_burst") +
                  " 回以上の失敗（総当たり攻撃の疑い）:");
    rows.clear();
    for (const auto& b : r["failed_logons"]["bursts"])
      rows.push_back(
          {S(b, "user"), S(b, "from").substr(0, 19), S(b, "count"), S(b, "host"), S(b, "src_ip")});
    pdf.Table({"利用者", "開始", "回数", "ホスト", "接続元"}, {0.22, 0.24, 0.1, 0.22, 0.22}, rows);
  }

  pdf.Heading("4. 勤務時間外のログオン");
  pdf.Paragraph("勤務時間は施設の勤務カレンダー（曜日ごとの時間、国民の祝日、休診日）によります。",
                true);
  EventTable(pdf, r["off_hours_logons"], true, "理由");
  pdf.Heading("5. 管理者操作");
  EventTable(pdf, r["admin_actions"], false, "");
  pdf.Heading("6. ログの消去");
  EventTable(pdf, r["log_cleared"], false, "");
  pdf.Heading("7. リモート接続・リモート保守");
  EventTable(pdf, r["remote_logons"], false, "");

  pdf.Heading("8. 患者情報の参照");
  pdf.Paragraph("1日に " + S(r["thresholds"], "patient_many_users_day") +
                "人以上の利用者が参照した患者:");
  rows.clear();
  for (const auto& p : r["patients_many_users"]) {
    std::string users;
    for (const auto& u : p["user_list"])
      users += (users.empty() ? "" : ", ") + u.get<std::string>();
    rows.push_back({S(p, "object"), S(p, "day"), S(p, "users"), users});
  }
  if (rows.empty())
    pdf.Paragraph("該当なし。", true);
  else
    pdf.Table({"患者ID", "日付", "利用者数", "利用者（先頭20）"}, {0.2, 0.15, 0.1, 0.55}, rows);
  pdf.Paragraph("1日に " + S(r["thresholds"], "user_many_patients_day") +
                "人以上の患者を参照した利用者:");
  rows.clear();
  for (const auto& p : r["users_many_patients"])
    rows.push_back({S(p, "user"), S(p, "day"), S(p, "patients")});
  if (rows.empty())
    pdf.Paragraph("該当なし。", true);
  else
    pdf.Table({"利用者", "日付", "患者数"}, {0.4, 0.3, 0.3}, rows);

  pdf.Heading("9. 確認");
  pdf.Paragraph(
      "上記を確認し、不審な点について対応を記録しました。確認者の承認は mamori に電子的に記録され、"
      "ログ保管庫の署名鍵で署名されます。");
  pdf.Table({"確認者", "確認日", "所見"}, {0.3, 0.2, 0.5}, {{"", "", ""}});
  return pdf.Finish();
}

// ---- reviews kept as evidence -------------------------------------------------------------------

Json Review::ToJson(bool with_summary) const {
  Json j = {{"id", id},
            {"period_from", period_from},
            {"period_to", period_to},
            {"report_sha256", report_sha256},
            {"store_size", store_size},
            {"store_root", store_root},
            {"created_at", created_at},
            {"created_by", created_by},
            {"signed_by", signed_by},
            {"signoff_comment", signoff_comment},
            {"signed", signed_at.has_value()}};
  j["report_file_id"] = report_file_id ? Json(*report_file_id) : Json(nullptr);
  j["signed_at"] = signed_at ? Json(*signed_at) : Json(nullptr);
  j["signed_at_jst"] = signed_at ? Json(FormatJst(*signed_at)) : Json(nullptr);
  j["signature"] = signature;
  if (signed_at) j["signed_text"] = SignedText();
  if (summary.is_object() && summary.contains("totals")) j["totals"] = summary["totals"];
  if (with_summary) j["summary"] = summary;
  return j;
}

std::string Review::SignedText() const {
  return "mamori access-log review\nreview: " + std::to_string(id) + "\nperiod: " + period_from +
         " " + period_to + "\nreport-sha256: " + report_sha256 +
         "\nstore: " + std::to_string(store_size) + " " + store_root + "\nsigned-by: " + signed_by +
         "\nsigned-at: " + (signed_at ? FormatJst(*signed_at) : "") +
         "\ncomment: " + signoff_comment + "\n";
}

Json VerificationRun::ToJson() const {
  return {{"verified_at", verified_at},
          {"verified_at_jst", FormatJst(verified_at)},
          {"ok", ok},
          {"events", events},
          {"checkpoints", checkpoints},
          {"problems", problems},
          {"verified_by", verified_by}};
}

Result<Review> ReviewService::Create(const store::Actor& actor, LogsService& logs,
                                     LogSourcesService& sources, ledger::LedgerService& ledger,
                                     const std::string& from, const std::string& to,
                                     const std::string& org_name) {
  auto day = [](const std::string& s, const char* field) -> Result<UnixMillis> {
    auto d = ParseCalendarDate(s);
    std::optional<UnixMillis> t = d ? ParseTime(*d) : std::nullopt;
    if (!t) return MakeError(ErrorCode::kInvalidArgument, "common.bad_param", {field}, field);
    return *t;
  };
  MAMORI_ASSIGN_OR_RETURN(UnixMillis start, day(from, "from"));
  MAMORI_ASSIGN_OR_RETURN(UnixMillis end, day(to, "to"));
  if (end < start)
    return MakeError(ErrorCode::kInvalidArgument, "logs.bad_period", {from, to}, "to");
  ReviewOptions o;
  o.from = start;
  o.to = end + kDayMs;
  o.now = SystemClock().Now();
  o.period_from = FormatDateJst(start);
  o.period_to = FormatDateJst(end);
  MAMORI_ASSIGN_OR_RETURN(o.calendar, sources.Calendar(actor));
  MAMORI_ASSIGN_OR_RETURN(o.sources, sources.List(actor));
  ledger::Scope scope{actor, std::nullopt};
  MAMORI_ASSIGN_OR_RETURN(auto assets, ledger.AllAssets(scope));
  for (const auto& a : assets)
    for (const auto& n : a.remote_allowed_sources) o.remote_networks.push_back(n);
  MAMORI_ASSIGN_OR_RETURN(auto cp, logs.LastCheckpoint());
  MAMORI_ASSIGN_OR_RETURN(Json summary, ComputeReview(logs, o));
  summary["generated_at"] = FormatJst(SystemClock().Now());
  summary["store"] = {{"size", cp.size}, {"root", cp.size > 0 ? ToHex(cp.root) : ""}};
  MAMORI_ASSIGN_OR_RETURN(std::string pdf, RenderReviewPdf(summary, org_name));
  MAMORI_ASSIGN_OR_RETURN(
      auto file,
      files_.PutFile(scope, "access-log-review-" + o.period_from + "_" + o.period_to + ".pdf",
                     "application/pdf", pdf));
  Review r;
  r.period_from = o.period_from;
  r.period_to = o.period_to;
  r.summary = std::move(summary);
  r.report_file_id = file.id;
  r.report_sha256 = file.sha256;
  r.store_size = cp.size;
  r.store_root = cp.size > 0 ? ToHex(cp.root) : "";
  r.created_by = actor.username;
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, actor));
  MAMORI_ASSIGN_OR_RETURN(r.id, repo::InsertReview(tx, actor.org_id, r));
  r.created_at = tx.now();
  MAMORI_RETURN_IF_ERROR(tx.Audit(
      {"log_review.create", "log_review", std::to_string(r.id), nullptr, r.ToJson(false)}));
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  return r;
}

Result<std::vector<Review>> ReviewService::List(const store::Actor& actor) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, actor));
  return repo::Reviews(tx, actor.org_id, std::nullopt);
}

Result<Review> ReviewService::Get(const store::Actor& actor, int64_t id) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, actor));
  MAMORI_ASSIGN_OR_RETURN(auto list, repo::Reviews(tx, actor.org_id, id));
  if (list.empty())
    return MakeError(ErrorCode::kNotFound, "common.not_found", {"review", std::to_string(id)});
  return list[0];
}

Result<Review> ReviewService::SignOff(const store::Actor& actor, LogsService& logs, int64_t id,
                                      const std::string& comment) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, actor));
  MAMORI_ASSIGN_OR_RETURN(auto list, repo::Reviews(tx, actor.org_id, id));
  if (list.empty())
    return MakeError(ErrorCode::kNotFound, "common.not_found", {"review", std::to_string(id)});
  Review before = list[0];
  if (before.signed_at)
    return MakeError(ErrorCode::kConflict, "logs.review_signed",
                     {before.signed_by, FormatJst(*before.signed_at)});
  Review r = before;
  r.signed_by = actor.username;
  r.signed_at = tx.now();
  r.signoff_comment = comment;
  MAMORI_ASSIGN_OR_RETURN(r.signature, SignWithNodeKey(logs.dir(), r.SignedText(),
                                                       "mamori log review " + std::to_string(r.id) +
                                                           " signed by " + r.signed_by));
  MAMORI_RETURN_IF_ERROR(repo::SignReview(tx, actor.org_id, r));
  MAMORI_RETURN_IF_ERROR(tx.Audit({"log_review.sign", "log_review", std::to_string(r.id),
                                   before.ToJson(false), r.ToJson(false)}));
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  return r;
}

Status ReviewService::RecordVerification(const store::Actor& actor, const VerifyReport& report) {
  VerificationRun v;
  v.ok = report.ok;
  v.events = report.events;
  v.checkpoints = report.checkpoints_verified;
  v.problems = static_cast<int64_t>(report.problems.size());
  v.verified_by = actor.username;
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, actor));
  v.verified_at = tx.now();
  MAMORI_RETURN_IF_ERROR(repo::InsertVerification(tx, actor.org_id, v));
  MAMORI_RETURN_IF_ERROR(tx.Audit({"logs.verify", "log_store", "", nullptr, v.ToJson()}));
  return tx.Commit();
}

Result<std::optional<VerificationRun>> ReviewService::LastVerification(const store::Actor& actor) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, actor));
  return repo::LastVerification(tx, actor.org_id);
}

}  // namespace mamori::logs
