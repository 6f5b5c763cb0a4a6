#include "logs/csv_audit.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>

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

constexpr size_t kCsvBatch = 1000;

// The bytes of a row's lines in the file as it is (CP932 rows are read from their conversion, but
// keep their own bytes), for rows asked in order: a cursor moved forward line by line.
class LineOffsets {
 public:
  explicit LineOffsets(std::string_view bytes) : bytes_(bytes) {}
  // Lines first … last (1-based) with their line breaks.
  std::string_view Lines(int first, int last) {
    size_t begin = StartOf(first);
    size_t end = StartOf(last + 1);
    return bytes_.substr(begin, end - begin);
  }

 private:
  size_t StartOf(int line) {
    while (line_ < line && at_ < bytes_.size()) {
      const void* nl = std::memchr(bytes_.data() + at_, '\n', bytes_.size() - at_);
      at_ = nl == nullptr ? bytes_.size() : static_cast<const char*>(nl) - bytes_.data() + 1;
      ++line_;
    }
    return line_ < line ? bytes_.size() : at_;
  }
  std::string_view bytes_;
  int line_ = 1;   // the line that starts at at_
  size_t at_ = 0;  // where line_ starts
};

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
                               const SyslogContext& ctx, const CsvMapping& mapping,
                               const CsvSink& sink) {
  for (const auto& kv : mapping) {
    const std::string& field = kv.first;
    if (std::find_if(std::begin(kCsvFields), std::end(kCsvFields),
                     [&field](const char* f) { return field == f; }) == std::end(kCsvFields))
      return FileError(file, "mapping: " + field);
  }
  CsvAudit out;
  formats::Encoding encoding = formats::Encoding::kUtf8;
  // The rows before the header is known: the header is the first of the first ten rows in which
  // a time column is found.
  struct Pending {
    std::vector<std::string> cells;
    int line = 0, last_line = 0;
  };
  std::vector<Pending> first;
  bool header_found = false;
  std::map<std::string, size_t> col;  // field → column index
  std::vector<std::string> headers;
  std::vector<bool> mapped_column;
  std::vector<LogEvent> batch;
  LineOffsets offsets(bytes);

  auto find_header = [&](const std::vector<std::string>& row) {
    std::map<std::string, size_t> found;
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
    if (!found.count("time") && !(found.count("date") && found.count("clock"))) return false;
    col = std::move(found);
    return true;
  };
  auto flush = [&]() -> Status {
    if (batch.empty()) return Ok();
    Status st = sink ? sink(batch) : Ok();
    if (!sink)
      for (auto& e : batch) out.events.push_back(std::move(e));
    batch.clear();
    return st;
  };
  // A row after the header: an event, or an error naming its line and column.
  auto event_of = [&](const std::vector<std::string>& row, int line, int last_line) -> Status {
    if (std::all_of(row.begin(), row.end(), [](const std::string& v) { return v.empty(); }))
      return Ok();
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
      return Ok();
    }
    LogEvent e;
    e.time = *t;
    e.offset_minutes = ctx.default_offset_minutes;
    e.received = ctx.received;
    e.source = ctx.source;
    e.format = "csv";
    e.charset = encoding == formats::Encoding::kCp932 ? "CP932" : "UTF-8";
    e.user = cell("user");
    e.action = cell("action");
    e.object = cell("object");
    e.outcome = OutcomeOf(cell("outcome"));
    e.host = cell("host");
    e.src_ip = cell("src_ip");
    e.message = cell("message");
    for (size_t c = 0; c < row.size() && c < headers.size(); ++c)
      if (!mapped_column[c] && !headers[c].empty() && !row[c].empty())
        e.fields[headers[c]] = row[c];
    if (e.message.empty())
      e.message = e.action + (e.object.empty() ? "" : " " + e.object) +
                  (e.user.empty() ? "" : " — " + e.user);
    // The row's bytes as they were in the file (CP932 stays CP932; the store keeps it base64).
    std::string_view raw = offsets.Lines(line, last_line);
    while (!raw.empty() && (raw.back() == '\n' || raw.back() == '\r')) raw.remove_suffix(1);
    e.raw = std::string(raw);
    batch.push_back(std::move(e));
    return batch.size() >= kCsvBatch ? flush() : Ok();
  };
  // The header's row found: the mapping checked, the rows read before it after it handed on.
  auto header_known = [&](size_t at) -> Status {
    header_found = true;
    for (const auto& [field, header] : mapping)
      if (!col.count(field)) return FileError(file, header);
    headers = first[at].cells;
    mapped_column.assign(headers.size(), false);
    for (const auto& [field, c] : col) {
      out.mapping[field] = headers[c];
      if (c < mapped_column.size()) mapped_column[c] = true;
    }
    out.header_line = first[at].line;
    for (size_t r = at + 1; r < first.size(); ++r)
      MAMORI_RETURN_IF_ERROR(event_of(first[r].cells, first[r].line, first[r].last_line));
    first.clear();
    return Ok();
  };

  MAMORI_RETURN_IF_ERROR(
      formats::ForEachCsvRow(bytes, file, &encoding,
                             [&](std::vector<std::string>& row, int line, int last_line) -> Status {
                               if (header_found) return event_of(row, line, last_line);
                               first.push_back({std::move(row), line, last_line});
                               if (find_header(first.back().cells))
                                 return header_known(first.size() - 1);
                               if (first.size() >= 10)
                                 return Status(FileError(file, "time / 日時"));
                               return Ok();
                             }));
  if (!header_found) return FileError(file, "time / 日時");
  MAMORI_RETURN_IF_ERROR(flush());
  return out;
}

}  // namespace mamori::logs
