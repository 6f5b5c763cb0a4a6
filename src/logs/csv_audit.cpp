#include "logs/csv_audit.hpp"

#include <algorithm>
#include <cstdio>

#include "core/text.hpp"
#include "formats/csv_reader.hpp"

namespace mamori::logs {

namespace {

// Header names seen in Japanese EHR and department-system exports, after NFKC and lower case.
const std::map<std::string, std::vector<std::string>>& Aliases() {
  static const std::map<std::string, std::vector<std::string>> k = {
      {"time",
       {"日時", "操作日時", "アクセス日時", "発生日時", "記録日時", "処理日時", "ログ日時",
        "日付時刻", "タイムスタンプ", "timestamp", "time", "datetime", "date_time", "event_time"}},
      {"date", {"日付", "操作日", "アクセス日", "処理日", "date"}},
      {"clock", {"時刻", "操作時刻", "アクセス時刻", "処理時刻", "時間"}},
      {"user",
       {"利用者id", "利用者", "ユーザid", "ユーザーid", "ユーザ", "ユーザー", "職員id", "職員番号",
        "職員コード", "操作者", "操作者id", "ログインid", "user", "userid", "user_id", "username"}},
      {"action",
       {"操作", "操作種別", "操作内容", "処理", "処理内容", "処理区分", "機能", "機能名",
        "イベント", "action", "operation", "event"}},
      {"object",
       {"患者id", "患者番号", "患者コード", "カルテ番号", "カルテno", "id番号", "対象", "対象患者",
        "patient_id", "patientid", "patient", "object"}},
      {"outcome", {"結果", "成否", "処理結果", "ステータス", "outcome", "result", "status"}},
      {"host",
       {"端末", "端末名", "端末id", "ホスト", "ホスト名", "コンピュータ名", "host", "hostname",
        "terminal", "workstation"}},
      {"src_ip",
       {"ipアドレス", "ip", "接続元", "接続元ip", "クライアントip", "src_ip", "ip_address"}},
      {"message", {"内容", "詳細", "メッセージ", "備考", "message", "detail", "details"}},
  };
  return k;
}

Error FileError(const std::string& file, const std::string& what) {
  return MakeError(ErrorCode::kInvalidArgument, "logs.csv_bad", {file, what}, file);
}

Outcome OutcomeOf(const std::string& text) {
  std::string k = MatchKey(text);
  static const std::vector<std::string> ok = {"成功", "ok",   "正常", "success", "succeeded",
                                              "○",    "許可", "0",    "true"};
  static const std::vector<std::string> ng = {
      "失敗", "ng", "エラー", "error", "failure", "failed", "×", "拒否", "denied", "1", "false"};
  if (std::find(ok.begin(), ok.end(), k) != ok.end()) return Outcome::kSuccess;
  if (std::find(ng.begin(), ng.end(), k) != ng.end()) return Outcome::kFailure;
  return Outcome::kUnknown;
}

// The byte offset where each 1-based line starts.
std::vector<size_t> LineStarts(std::string_view bytes) {
  std::vector<size_t> starts = {0, 0};  // [0] unused
  for (size_t i = 0; i < bytes.size(); ++i)
    if (bytes[i] == '\n') starts.push_back(i + 1);
  return starts;
}

}  // namespace

std::optional<UnixMillis> ParseLocalTime(std::string_view text, int offset_minutes) {
  std::string s = Nfkc(text);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.pop_back();
  if (s.empty()) return std::nullopt;
  if (auto t = ParseTime(s); t && s.find(':') != std::string::npos) return t;  // RFC 3339
  // A date (西暦 or 和暦) then a time of day.
  size_t sp = s.find_first_of(" T");
  std::string date_part = s.substr(0, sp);
  std::string clock = sp == std::string::npos ? "" : s.substr(sp + 1);
  auto date = ParseCalendarDate(date_part);
  if (!date) return std::nullopt;
  int h = 0, m = 0, sec = 0, ms = 0;
  if (!clock.empty()) {
    char extra = 0;
    int n = std::sscanf(clock.c_str(), "%d:%d:%d.%3d%c", &h, &m, &sec, &ms, &extra);
    if (n < 2 || n > 4 || h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 60)
      return std::nullopt;
    if (n < 4) ms = 0;
    if (n < 3) sec = 0;
  }
  auto midnight_jst = ParseTime(*date);  // JST midnight
  if (!midnight_jst) return std::nullopt;
  int64_t midnight_utc = *midnight_jst + int64_t{9} * 3600 * 1000;
  return midnight_utc - int64_t{offset_minutes} * 60 * 1000 +
         ((int64_t{h} * 60 + m) * 60 + sec) * 1000 + ms;
}

Result<CsvAudit> ParseCsvAudit(std::string_view bytes, const std::string& file,
                               const SyslogContext& ctx, const CsvMapping& mapping) {
  MAMORI_ASSIGN_OR_RETURN(auto table, formats::ReadCsv(bytes, file));
  for (const auto& kv : mapping) {
    const std::string& field = kv.first;
    if (std::find_if(std::begin(kCsvFields), std::end(kCsvFields),
                     [&field](const char* f) { return field == f; }) == std::end(kCsvFields))
      return FileError(file, "mapping: " + field);
  }
  // The header row: the first of the first ten rows in which a time column is found.
  CsvAudit out;
  std::map<std::string, size_t> col;  // field → column index
  size_t header_row = table.rows.size();
  for (size_t r = 0; r < table.rows.size() && r < 10 && header_row == table.rows.size(); ++r) {
    std::map<std::string, size_t> found;
    const auto& row = table.rows[r];
    for (size_t c = 0; c < row.size(); ++c) {
      std::string k = MatchKey(row[c]);
      if (k.empty()) continue;
      bool mapped = false;
      for (const auto& [field, header] : mapping)
        if (MatchKey(header) == k) {
          found.emplace(field, c);
          mapped = true;
        }
      if (mapped) continue;
      for (const auto& [field, names] : Aliases())
        if (!mapping.count(field) && !found.count(field) &&
            std::find(names.begin(), names.end(), k) != names.end())
          found.emplace(field, c);
    }
    if (found.count("time") || (found.count("date") && found.count("clock"))) {
      header_row = r;
      col = std::move(found);
    }
  }
  if (header_row == table.rows.size()) return FileError(file, "time / 日時");
  for (const auto& [field, header] : mapping)
    if (!col.count(field)) return FileError(file, header);
  const auto& headers = table.rows[header_row];
  for (const auto& [field, c] : col) out.mapping[field] = headers[c];
  out.header_line = table.lines[header_row];
  auto starts = LineStarts(bytes);

  for (size_t r = header_row + 1; r < table.rows.size(); ++r) {
    const auto& row = table.rows[r];
    int64_t line = table.lines[r];
    if (std::all_of(row.begin(), row.end(), [](const std::string& v) { return v.empty(); }))
      continue;
    auto cell = [&](const char* field) -> std::string {
      auto it = col.find(field);
      return it != col.end() && it->second < row.size() ? row[it->second] : std::string();
    };
    std::string when = col.count("time") ? cell("time") : cell("date") + " " + cell("clock");
    auto t = ParseLocalTime(when, ctx.default_offset_minutes);
    if (!t) {
      std::string header = col.count("time") ? headers[col["time"]] : headers[col["date"]];
      out.errors.push_back(
          {line, Tr(Lang::kJa, "logs.csv_bad_time", {file, std::to_string(line), header, when})});
      continue;
    }
    LogEvent e;
    e.time = *t;
    e.offset_minutes = ctx.default_offset_minutes;
    e.received = ctx.received;
    e.source = ctx.source;
    e.format = "csv";
    e.charset = table.encoding == formats::Encoding::kCp932 ? "CP932" : "UTF-8";
    e.user = cell("user");
    e.action = cell("action");
    e.object = cell("object");
    e.outcome = OutcomeOf(cell("outcome"));
    e.host = cell("host");
    e.src_ip = cell("src_ip");
    e.message = cell("message");
    for (size_t c = 0; c < row.size() && c < headers.size(); ++c) {
      bool mapped =
          std::any_of(col.begin(), col.end(), [&](const auto& kv) { return kv.second == c; });
      if (!mapped && !headers[c].empty() && !row[c].empty()) e.fields[headers[c]] = row[c];
    }
    if (e.message.empty())
      e.message = e.action + (e.object.empty() ? "" : " " + e.object) +
                  (e.user.empty() ? "" : " — " + e.user);
    // The row's bytes as they were in the file (CP932 stays CP932; the store keeps it base64).
    size_t begin =
        static_cast<size_t>(line) < starts.size() ? starts[static_cast<size_t>(line)] : 0;
    size_t end =
        r + 1 < table.rows.size() && static_cast<size_t>(table.lines[r + 1]) < starts.size()
            ? starts[static_cast<size_t>(table.lines[r + 1])]
            : bytes.size();
    std::string_view raw = bytes.substr(begin, end - begin);
    while (!raw.empty() && (raw.back() == '\n' || raw.back() == '\r')) raw.remove_suffix(1);
    e.raw = std::string(raw);
    out.events.push_back(std::move(e));
  }
  return out;
}

}  // namespace mamori::logs
