// Findings to CSV and to an Excel workbook (libxlsxwriter, through report::XlsxBook).
#include "vuln/findings_export.hpp"

#include <array>
#include <cstdio>
#include <functional>
#include <map>

#include "core/text.hpp"
#include "core/time.hpp"
#include "formats/csv_reader.hpp"
#include "ledger/import/ledger_export.hpp"
#include "report/xlsx_book.hpp"

namespace mamori::vuln {

namespace {

const char* Pick(Lang lang, const char* ja, const char* en) {
  return lang == Lang::kJa ? ja : en;
}

constexpr std::array<const char*, 5> kSeverities = {"CRITICAL", "HIGH", "MEDIUM", "LOW", "NONE"};

// JVN iPedia's words for the CVSS severities.
const char* SeverityName(const std::string& s, Lang lang) {
  if (s == "CRITICAL") return Pick(lang, "緊急", "Critical");
  if (s == "HIGH") return Pick(lang, "重要", "High");
  if (s == "MEDIUM") return Pick(lang, "警告", "Medium");
  if (s == "LOW") return Pick(lang, "注意", "Low");
  if (s == "NONE") return Pick(lang, "なし", "None");
  return "";
}

std::string StateName(const std::string& state, Lang lang) {
  return Tr(lang, FindingStateKey(state));
}

std::string JustificationName(const std::string& j, Lang lang) {
  static const std::map<std::string, const char*> kKeys = {
      {"component_not_present", "vuln.justification_component_not_present"},
      {"vulnerable_code_not_present", "vuln.justification_vulnerable_code_not_present"},
      {"vulnerable_code_not_in_execute_path",
       "vuln.justification_vulnerable_code_not_in_execute_path"},
      {"vulnerable_code_cannot_be_controlled_by_adversary",
       "vuln.justification_vulnerable_code_cannot_be_controlled_by_adversary"},
      {"inline_mitigations_already_exist", "vuln.justification_inline_mitigations_already_exist"}};
  auto it = kKeys.find(j);
  return it == kKeys.end() ? j : Tr(lang, it->second);
}

std::string Score(double v) {
  std::array<char, 16> buf{};
  std::snprintf(buf.data(), buf.size(), "%.1f", v);
  return buf.data();
}

// One column of the findings list: headers, the cell text, and how Excel should hold it.
enum class Kind { kText, kNumber, kDate };
struct Column {
  const char* ja;
  const char* en;
  std::function<std::string(const Finding&, Lang)> get;
  Kind kind = Kind::kText;
  double width = 14;
};

const std::vector<Column>& Columns() {
  static const std::vector<Column> kColumns = {
      {"検出ID", "Finding", [](const Finding& f, Lang) { return std::to_string(f.id); },
       Kind::kNumber, 8},
      {"CVE", "CVE", [](const Finding& f, Lang) { return f.cve; }, Kind::kText, 16},
      {"脆弱性の名称（JVN）", "Title (JVN)", [](const Finding& f, Lang) { return f.title_ja; },
       Kind::kText, 40},
      {"JVNDB", "JVNDB", [](const Finding& f, Lang) { return f.jvndb; }, Kind::kText, 18},
      {"CVSS", "CVSS",
       [](const Finding& f, Lang) { return f.cvss.vector.empty() ? "" : Score(f.cvss.score); },
       Kind::kNumber, 7},
      {"CVSS バージョン", "CVSS version", [](const Finding& f, Lang) { return f.cvss.version; },
       Kind::kText, 8},
      {"深刻度", "Severity",
       [](const Finding& f, Lang l) { return std::string(SeverityName(f.Severity(), l)); },
       Kind::kText, 8},
      {"KEV", "KEV", [](const Finding& f, Lang) { return std::string(f.kev ? "KEV" : ""); },
       Kind::kText, 6},
      {"KEV 対応期限", "KEV due", [](const Finding& f, Lang) { return f.kev_due; }, Kind::kDate,
       12},
      {"EPSS", "EPSS",
       [](const Finding& f, Lang) {
         if (!f.epss) return std::string();
         std::array<char, 16> buf{};
         std::snprintf(buf.data(), buf.size(), "%.4f", *f.epss);
         return std::string(buf.data());
       },
       Kind::kNumber, 8},
      {"機器", "Asset",
       [](const Finding& f, Lang) { return f.asset_name.empty() ? f.target : f.asset_name; },
       Kind::kText, 24},
      {"区分", "Device class",
       [](const Finding& f, Lang l) {
         if (f.asset_category.empty()) return std::string();
         return l == Lang::kJa ? std::string(ledger::import::CategoryJa(f.asset_category))
                               : f.asset_category;
       },
       Kind::kText, 12},
      {"ソフトウェア", "Software", [](const Finding& f, Lang) { return f.component_name; },
       Kind::kText, 24},
      {"版", "Version", [](const Finding& f, Lang) { return f.component_version; }, Kind::kText,
       14},
      {"CPE / PURL", "CPE / PURL", [](const Finding& f, Lang) { return f.component_key; },
       Kind::kText, 30},
      {"判定", "Verdict",
       [](const Finding& f, Lang l) {
         return Tr(l, f.verdict == "affected" ? "vuln.verdict_affected" : "vuln.verdict_review");
       },
       Kind::kText, 8},
      {"状態", "State", [](const Finding& f, Lang l) { return StateName(f.state, l); }, Kind::kText,
       10},
      {"影響なしの理由", "Justification",
       [](const Finding& f, Lang l) { return JustificationName(f.justification, l); }, Kind::kText,
       20},
      {"理由・メモ", "Note", [](const Finding& f, Lang) { return f.state_note; }, Kind::kText, 30},
      {"承認者", "Approver", [](const Finding& f, Lang) { return f.approver; }, Kind::kText, 10},
      {"再評価日", "Review date", [](const Finding& f, Lang) { return f.review_date; }, Kind::kDate,
       12},
      {"判定者", "Decided by", [](const Finding& f, Lang) { return f.state_source; }, Kind::kText,
       12},
      {"対応期限", "Due", [](const Finding& f, Lang) { return f.due_date; }, Kind::kDate, 12},
      {"期限超過", "Overdue",
       [](const Finding& f, Lang l) {
         return std::string(f.overdue ? Pick(l, "超過", "yes") : "");
       },
       Kind::kText, 8},
      {"初回検出", "First seen",
       [](const Finding& f, Lang) { return f.first_seen ? FormatDateJst(f.first_seen) : ""; },
       Kind::kDate, 12},
      {"解消日", "Gone",
       [](const Finding& f, Lang) { return f.gone_at ? FormatDateJst(*f.gone_at) : ""; },
       Kind::kDate, 12},
  };
  return kColumns;
}

}  // namespace

Result<std::string> FindingsCsv(const std::vector<Finding>& findings, const std::string& encoding,
                                Lang lang) {
  if (encoding != "utf-8-bom" && encoding != "cp932")
    return MakeError(ErrorCode::kInvalidArgument, "common.bad_param", {"encoding"}, "encoding");
  std::string header;
  for (const auto& col : Columns()) {
    if (!header.empty()) header += ',';
    header += CsvField(Pick(lang, col.ja, col.en));
  }
  header += "\r\n";
  std::string out = encoding == "cp932" ? std::string() : std::string("\xEF\xBB\xBF");
  auto add = [&](const std::string& line, const std::string& where) -> Status {
    if (encoding != "cp932") {
      out += line;
      return Ok();
    }
    // Row by row, so that a character CP932 lacks is reported with the finding it is in.
    auto converted = formats::ToCp932(line);
    if (!converted.ok()) {
      Error e = converted.error();
      e.field = where;
      return e;
    }
    out += *converted;
    return Ok();
  };
  MAMORI_RETURN_IF_ERROR(add(header, "header"));
  for (const auto& f : findings) {
    std::string line;
    bool first = true;
    for (const auto& col : Columns()) {
      if (!first) line += ',';
      line += CsvField(col.get(f, lang));
      first = false;
    }
    line += "\r\n";
    MAMORI_RETURN_IF_ERROR(add(line, "finding " + std::to_string(f.id)));
  }
  return out;
}

Result<std::string> FindingsXlsx(const std::vector<Finding>& findings,
                                 const std::vector<CveGroup>& groups,
                                 const FindingsExportInfo& info) {
  const Lang lang = info.lang;
  report::XlsxBook book;
  if (book.get() == nullptr) return book.Finish();
  lxw_workbook* wb = book.get();
  std::string title_text = Pick(lang, "脆弱性対応状況", "Vulnerability findings");
  book.SetProperties(title_text, info.org_name, "mamori findings export");
  auto [title, head, wrap, date] = book.AddListFormats();
  lxw_format* number = workbook_add_format(wb);
  format_set_align(number, LXW_ALIGN_VERTICAL_TOP);
  lxw_format* warn = workbook_add_format(wb);
  format_set_font_color(warn, 0xC00000);
  format_set_bold(warn);

  // 概要: what management and an inspector read first.
  lxw_worksheet* sum = workbook_add_worksheet(wb, Pick(lang, "概要", "Summary"));
  worksheet_set_column(sum, 0, 0, 24, nullptr);
  worksheet_set_column(sum, 1, 6, 12, nullptr);
  std::string heading = title_text + "　" + info.org_name;
  worksheet_write_string(sum, 0, 0, heading.c_str(), title);
  std::string when =
      std::string(Pick(lang, "出力日: ", "Exported: ")) +
      (lang == Lang::kJa ? FormatWarekiJst(info.now) + "（" + FormatDateJst(info.now) + "）"
                         : FormatJst(info.now));
  worksheet_write_string(sum, 1, 0, when.c_str(), nullptr);
  std::string cond = std::string(Pick(lang, "条件: ", "Filters: ")) +
                     (info.conditions.empty() ? Pick(lang, "すべて", "all") : info.conditions);
  worksheet_write_string(sum, 2, 0, cond.c_str(), nullptr);

  // Severity × state: how many, and how many of them still open.
  std::map<std::string, std::map<std::string, int>> by;  // severity → state → findings
  int kev_open = 0, overdue = 0, open = 0;
  for (const auto& f : findings) {
    ++by[f.Severity().empty() ? "NONE" : f.Severity()][f.state];
    if (f.Open()) {
      ++open;
      if (f.kev) ++kev_open;
    }
    if (f.overdue) ++overdue;
  }
  int row = 4;
  worksheet_write_string(sum, row, 0, Pick(lang, "深刻度", "Severity"), head);
  for (size_t s = 0; s < std::size(kFindingStates); ++s)
    worksheet_write_string(sum, row, static_cast<lxw_col_t>(s + 1),
                           StateName(kFindingStates[s], lang).c_str(), head);
  worksheet_write_string(sum, row, static_cast<lxw_col_t>(std::size(kFindingStates) + 1),
                         Pick(lang, "計", "Total"), head);
  for (const char* sev : kSeverities) {
    ++row;
    worksheet_write_string(sum, row, 0, SeverityName(sev, lang), nullptr);
    int total = 0;
    for (size_t s = 0; s < std::size(kFindingStates); ++s) {
      int n = by[sev][kFindingStates[s]];
      total += n;
      worksheet_write_number(sum, row, static_cast<lxw_col_t>(s + 1), n, nullptr);
    }
    worksheet_write_number(sum, row, static_cast<lxw_col_t>(std::size(kFindingStates) + 1), total,
                           nullptr);
  }
  row += 2;
  auto line = [&](const char* ja, const char* en, int n, bool alarming) {
    worksheet_write_string(sum, row, 0, Pick(lang, ja, en), nullptr);
    worksheet_write_number(sum, row, 1, n, alarming && n > 0 ? warn : nullptr);
    ++row;
  };
  line("検出（件）", "Findings", static_cast<int>(findings.size()), false);
  line("未対応（未評価・影響あり）", "Open (not assessed, affected)", open, false);
  line("うち悪用確認済み（KEV）", "Of which known exploited (KEV)", kev_open, true);
  line("対応期限超過", "Overdue", overdue, true);
  line("CVE（件）", "CVEs", static_cast<int>(groups.size()), false);

  // CVE別: one advisory, many assets.
  lxw_worksheet* by_cve = workbook_add_worksheet(wb, Pick(lang, "CVE別", "By CVE"));
  const std::array<std::pair<const char*, const char*>, 10> cve_heads = {{
      {"CVE", "CVE"},
      {"脆弱性の名称（JVN）", "Title (JVN)"},
      {"CVSS", "CVSS"},
      {"深刻度", "Severity"},
      {"KEV", "KEV"},
      {"EPSS", "EPSS"},
      {"未対応", "Open"},
      {"検出", "Findings"},
      {"機器数", "Assets"},
      {"最も早い期限", "Earliest due"},
  }};
  for (size_t c = 0; c < cve_heads.size(); ++c)
    worksheet_write_string(by_cve, 0, static_cast<lxw_col_t>(c),
                           Pick(lang, cve_heads[c].first, cve_heads[c].second), head);
  worksheet_set_column(by_cve, 0, 0, 16, nullptr);
  worksheet_set_column(by_cve, 1, 1, 40, nullptr);
  worksheet_set_column(by_cve, 2, 9, 10, nullptr);
  worksheet_set_column(by_cve, 9, 9, 12, nullptr);
  lxw_row_t r = 1;
  for (const auto& g : groups) {
    worksheet_write_string(by_cve, r, 0, g.cve.c_str(), nullptr);
    worksheet_write_string(by_cve, r, 1, g.title_ja.c_str(), wrap);
    if (!g.cvss.vector.empty()) worksheet_write_number(by_cve, r, 2, g.cvss.score, number);
    worksheet_write_string(by_cve, r, 3, SeverityName(g.severity, lang), nullptr);
    if (g.kev) worksheet_write_string(by_cve, r, 4, "KEV", nullptr);
    if (g.epss) worksheet_write_number(by_cve, r, 5, *g.epss, number);
    worksheet_write_number(by_cve, r, 6, static_cast<double>(g.open), nullptr);
    worksheet_write_number(by_cve, r, 7, static_cast<double>(g.findings), nullptr);
    worksheet_write_number(by_cve, r, 8, static_cast<double>(g.assets), nullptr);
    if (!g.due_date.empty()) {
      lxw_datetime d = report::XlsxBook::Date(g.due_date);
      worksheet_write_datetime(by_cve, r, 9, &d, date);
    }
    ++r;
  }
  worksheet_freeze_panes(by_cve, 1, 1);
  if (r > 1) worksheet_autofilter(by_cve, 0, 0, r - 1, cve_heads.size() - 1);

  // 検出一覧: every finding, one row each.
  lxw_worksheet* list = workbook_add_worksheet(wb, Pick(lang, "検出一覧", "Findings"));
  const auto& cols = Columns();
  for (size_t c = 0; c < cols.size(); ++c) {
    worksheet_write_string(list, 0, static_cast<lxw_col_t>(c), Pick(lang, cols[c].ja, cols[c].en),
                           head);
    worksheet_set_column(list, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), cols[c].width,
                         nullptr);
  }
  r = 1;
  for (const auto& f : findings) {
    for (size_t c = 0; c < cols.size(); ++c) {
      std::string v = cols[c].get(f, lang);
      if (v.empty()) continue;
      auto col = static_cast<lxw_col_t>(c);
      switch (cols[c].kind) {
        case Kind::kNumber:
          worksheet_write_number(list, r, col, std::stod(v), number);
          break;
        case Kind::kDate: {
          lxw_datetime d = report::XlsxBook::Date(v);
          worksheet_write_datetime(list, r, col, &d, date);
          break;
        }
        case Kind::kText:
          worksheet_write_string(list, r, col, v.c_str(), wrap);
          break;
      }
    }
    ++r;
  }
  worksheet_freeze_panes(list, 1, 2);
  if (r > 1) worksheet_autofilter(list, 0, 0, r - 1, static_cast<lxw_col_t>(cols.size() - 1));
  return book.Finish();
}

std::string DescribeQuery(const FindingQuery& q, Lang lang) {
  std::vector<std::string> parts;
  auto add = [&](const char* ja, const char* en, const std::string& value) {
    parts.push_back(std::string(Pick(lang, ja, en)) + value);
  };
  if (q.state == "open")
    add("状態: ", "state: ", Pick(lang, "未対応（未評価・影響あり）", "open"));
  else if (!q.state.empty())
    add("状態: ", "state: ", StateName(q.state, lang));
  if (!q.cve.empty()) add("CVE: ", "CVE: ", q.cve);
  if (q.asset_id) add("機器ID: ", "asset: ", std::to_string(*q.asset_id));
  if (!q.category.empty())
    add("区分: ", "class: ",
        lang == Lang::kJa ? ledger::import::CategoryJa(q.category) : q.category);
  if (!q.severity.empty()) add("深刻度: ", "severity: ", SeverityName(q.severity, lang));
  if (!q.verdict.empty())
    add("判定: ", "verdict: ",
        q.verdict == "affected" ? Pick(lang, "該当", "affected")
                                : Pick(lang, "要確認", "needs review"));
  if (q.kev) parts.emplace_back(Pick(lang, "KEV 掲載のみ", "KEV only"));
  if (q.overdue) parts.emplace_back(Pick(lang, "期限超過のみ", "overdue only"));
  if (q.only_gone)
    parts.emplace_back(Pick(lang, "解消済みのみ", "gone only"));
  else if (q.include_gone)
    parts.emplace_back(Pick(lang, "解消済みを含む", "gone included"));
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : Pick(lang, "、", ", ")) + p;
  return out;
}

Result<FindingsFile> ExportFindings(VulnService& vuln, const ledger::Scope& scope,
                                    const FindingQuery& q, const std::string& format,
                                    const std::string& encoding, FindingsExportInfo info) {
  if (format != "xlsx" && format != "csv")
    return MakeError(ErrorCode::kInvalidArgument, "common.bad_param", {"format"}, "format");
  MAMORI_ASSIGN_OR_RETURN(auto list, vuln.Findings(scope, q, info.today));
  std::string base = std::string(Pick(info.lang, "脆弱性検出_", "findings_")) + info.today;
  if (format == "csv") {
    MAMORI_ASSIGN_OR_RETURN(auto csv, FindingsCsv(list, encoding, info.lang));
    return FindingsFile{
        base + ".csv",
        encoding == "cp932" ? "text/csv; charset=Shift_JIS" : "text/csv; charset=utf-8",
        std::move(csv)};
  }
  info.conditions = DescribeQuery(q, info.lang);
  MAMORI_ASSIGN_OR_RETURN(auto xlsx, FindingsXlsx(list, GroupByCve(list), info));
  return FindingsFile{base + ".xlsx",
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      std::move(xlsx)};
}

}  // namespace mamori::vuln
