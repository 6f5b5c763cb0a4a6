#include "checklist/checklist_export.hpp"

#include "report/pdf.hpp"
#include "report/xlsx_book.hpp"

namespace mamori::checklist {

namespace {

const char* AnswerJa(const std::string& a) {
  if (a == "yes") return "はい";
  if (a == "no") return "いいえ";
  if (a == "unknown") return "未確認";
  if (a == "not_applicable") return "対象外";
  if (a == "no_data") return "根拠データ未接続";
  return "";
}

// The forms to put in one file: the hospital's and each vendor's (a vendor's user: its own).
Result<std::vector<Assessment>> Collect(ChecklistService& checklist, ledger::LedgerService& ledger,
                                        const ledger::Scope& scope, const ExportRequest& req) {
  std::vector<Assessment> out;
  AssessQuery q = req.query;
  if (scope.vendor_id) {
    q.form = "vendor";
    MAMORI_ASSIGN_OR_RETURN(auto a, checklist.Assess(scope, q, req.today));
    out.push_back(std::move(a));
    return out;
  }
  if (q.form == "vendor" && q.vendor_id) {
    MAMORI_ASSIGN_OR_RETURN(auto a, checklist.Assess(scope, q, req.today));
    out.push_back(std::move(a));
    return out;
  }
  q.form = "hospital";
  q.vendor_id.reset();
  MAMORI_ASSIGN_OR_RETURN(auto h, checklist.Assess(scope, q, req.today));
  q.year = h.form.year;
  out.push_back(std::move(h));
  MAMORI_ASSIGN_OR_RETURN(auto vendors, ledger.ListVendors(scope));
  for (const auto& v : vendors) {
    if (v.contract_state != "active") continue;
    q.form = "vendor";
    q.vendor_id = v.id;
    MAMORI_ASSIGN_OR_RETURN(auto a, checklist.Assess(scope, q, req.today));
    out.push_back(std::move(a));
  }
  return out;
}

std::string SheetName(const Assessment& a, std::vector<std::string>& used) {
  std::string base = a.form.form == "hospital" ? "医療機関確認用" : "事業者確認用_" + a.vendor_name;
  // Excel: at most 31 characters, none of []:*?/\ ; count UTF-8 code points.
  std::string clean;
  int chars = 0;
  for (size_t i = 0; i < base.size() && chars < 28;) {
    unsigned char c = base[i];
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
    std::string ch = base.substr(i, len);
    if (ch.size() == 1 && std::string("[]:*?/\\").find(ch[0]) != std::string::npos) ch = "_";
    clean += ch;
    i += len;
    ++chars;
  }
  std::string name = clean;
  for (int n = 2; std::find(used.begin(), used.end(), name) != used.end(); ++n)
    name = clean + "(" + std::to_string(n) + ")";
  used.push_back(name);
  return name;
}

Result<std::string> Xlsx(const std::vector<Assessment>& forms, const ExportRequest& req) {
  report::XlsxBook book;
  lxw_workbook* wb = book.get();
  if (wb == nullptr) return book.Finish();
  lxw_doc_properties props{};
  props.title = const_cast<char*>("医療機関におけるサイバーセキュリティ対策チェックリスト");
  props.company = const_cast<char*>(req.org_name.c_str());
  props.comments = const_cast<char*>("mamori checklist export");
  workbook_set_properties(wb, &props);
  lxw_format* title = workbook_add_format(wb);
  format_set_bold(title);
  format_set_font_size(title, 14);
  lxw_format* head = workbook_add_format(wb);
  format_set_bold(head);
  format_set_bg_color(head, 0xDDEBF7);
  format_set_border(head, LXW_BORDER_THIN);
  format_set_text_wrap(head);
  format_set_align(head, LXW_ALIGN_CENTER);
  format_set_align(head, LXW_ALIGN_VERTICAL_CENTER);
  lxw_format* cell = workbook_add_format(wb);
  format_set_border(cell, LXW_BORDER_THIN);
  format_set_text_wrap(cell);
  format_set_align(cell, LXW_ALIGN_VERTICAL_TOP);
  lxw_format* section = workbook_add_format(wb);
  format_set_bold(section);
  format_set_bg_color(section, 0xF2F2F2);
  format_set_border(section, LXW_BORDER_THIN);

  std::vector<std::string> used;
  for (const auto& a : forms) {
    std::string sheet = SheetName(a, used);
    lxw_worksheet* ws = workbook_add_worksheet(wb, sheet.c_str());
    worksheet_write_string(ws, 0, 0, a.form.title.c_str(), title);
    std::string who = a.form.form == "hospital"
                          ? "医療機関名: " + req.org_name
                          : "事業者名: " + a.vendor_name + "　医療機関名: " + req.org_name;
    worksheet_write_string(ws, 1, 0, who.c_str(), nullptr);
    std::string made = "作成日: " + WarekiDate(req.today) + "（mamori で作成）";
    worksheet_write_string(ws, 2, 0, made.c_str(), nullptr);
    if (!a.form.carried_from.empty()) {
      std::string warn = "※ 公式様式が未取込のため、令和" + a.form.carried_from.substr(1) +
                         "年度版の項目を仮に使用しています";
      worksheet_write_string(ws, 3, 0, warn.c_str(), nullptr);
    }
    const char* heads[] = {"番号",         "チェック項目",  "対象",       "1回目 回答",
                           "1回目 確認日", "目標日",        "2回目 回答", "2回目 確認日",
                           "備考",         "mamori の判定", "判定の理由"};
    const double widths[] = {8, 52, 14, 10, 16, 16, 10, 16, 24, 14, 60};
    for (lxw_col_t c = 0; c < 11; ++c) {
      worksheet_write_string(ws, 5, c, heads[c], head);
      worksheet_set_column(ws, c, c, widths[c], nullptr);
    }
    lxw_row_t r = 6;
    std::string last_section;
    for (const auto& st : a.rows) {
      if (st.item->section != last_section) {
        last_section = st.item->section;
        worksheet_merge_range(ws, r, 0, r, 10, last_section.c_str(), section);
        ++r;
      }
      const AnswerRecord* f = st.first ? &*st.first : nullptr;
      const AnswerRecord* s = st.second ? &*st.second : nullptr;
      std::string text = st.item->text + (st.item->Verified() ? "" : "\n（文言未確認）");
      std::string reasons;
      for (const auto& t : st.suggestion.reasons)
        reasons += (reasons.empty() ? "" : "\n") + t.Render(req.lang);
      std::string note = f ? f->note : "";
      if (s && !s->note.empty()) note += (note.empty() ? "" : "\n") + s->note;
      std::string row_label = RowLabelJa(st.row) + (st.reference ? "（参考項目）" : "");
      std::string cells[] = {st.item->number,
                             text,
                             row_label,
                             f ? AnswerJa(f->answer) : "",
                             f ? WarekiDate(f->checked_on) : "",
                             f ? WarekiDate(f->target_on) : "",
                             s ? AnswerJa(s->answer) : "",
                             s ? WarekiDate(s->checked_on) : "",
                             note,
                             AnswerJa(st.suggestion.answer),
                             reasons};
      for (lxw_col_t c = 0; c < 11; ++c) worksheet_write_string(ws, r, c, cells[c].c_str(), cell);
      ++r;
    }
    worksheet_freeze_panes(ws, 6, 0);
    worksheet_set_landscape(ws);
    worksheet_fit_to_pages(ws, 1, 0);
  }
  return book.Finish();
}

Result<std::string> Pdf(const std::vector<Assessment>& forms, const ExportRequest& req) {
  report::PdfDocument pdf("医療機関におけるサイバーセキュリティ対策チェックリスト",
                          req.org_name + "　" + WarekiDate(req.today) + " 作成（mamori）");
  for (size_t i = 0; i < forms.size(); ++i) {
    const Assessment& a = forms[i];
    pdf.Title(a.form.title);
    pdf.Paragraph(a.form.form == "hospital"
                      ? "医療機関名: " + req.org_name
                      : "事業者名: " + a.vendor_name + "　医療機関名: " + req.org_name);
    pdf.Paragraph("作成日: " + WarekiDate(req.today) + "（" + req.today + "）");
    if (!a.form.carried_from.empty())
      pdf.Paragraph("※ 公式様式が未取込のため、令和" + a.form.carried_from.substr(1) +
                        "年度版の項目を仮に使用しています",
                    true);
    std::vector<std::vector<std::string>> rows;
    for (const auto& st : a.rows) {
      const AnswerRecord* f = st.first ? &*st.first : nullptr;
      const AnswerRecord* s = st.second ? &*st.second : nullptr;
      rows.push_back(
          {st.item->number, st.item->text + (st.item->Verified() ? "" : "（文言未確認）"),
           RowLabelJa(st.row),
           f ? std::string(AnswerJa(f->answer)) + "\n" + WarekiDate(f->checked_on) : "",
           f && !f->target_on.empty() ? WarekiDate(f->target_on) : "",
           s ? std::string(AnswerJa(s->answer)) + "\n" + WarekiDate(s->checked_on) : ""});
    }
    pdf.Table({"番号", "チェック項目", "対象", "1回目", "目標日", "2回目"},
              {0.07, 0.43, 0.13, 0.13, 0.12, 0.12}, rows);
  }
  pdf.Heading("別添: 判定の根拠");
  for (const auto& a : forms) {
    pdf.Paragraph(a.form.form == "hospital" ? "医療機関確認用"
                                            : "事業者確認用（" + a.vendor_name + "）");
    std::vector<std::vector<std::string>> rows;
    for (const auto& st : a.rows) {
      std::string reasons;
      for (const auto& t : st.suggestion.reasons)
        reasons += (reasons.empty() ? "" : "\n") + t.Render(req.lang);
      std::string ev;
      for (const auto& e : st.suggestion.evidence)
        ev += (ev.empty() ? "" : "\n") + e.label.Render(req.lang);
      for (const auto& e : a.evidence)
        if (e.item_id == st.item->id) ev += (ev.empty() ? "" : "\n") + e.label;
      rows.push_back({st.item->number + " " + RowLabelJa(st.row), AnswerJa(st.suggestion.answer),
                      reasons, ev});
    }
    pdf.Table({"項目", "判定", "理由", "根拠"}, {0.16, 0.14, 0.45, 0.25}, rows);
  }
  return pdf.Finish();
}

}  // namespace

std::string WarekiDate(const std::string& iso) {
  if (iso.empty()) return "";
  auto t = ParseTime(iso);
  return t ? FormatWarekiJst(*t) : iso;
}

Result<ExportedFile> ExportAssessment(ChecklistService& checklist, ledger::LedgerService& ledger,
                                      const ledger::Scope& scope, const ExportRequest& req) {
  MAMORI_ASSIGN_OR_RETURN(auto forms, Collect(checklist, ledger, scope, req));
  std::string base = "チェックリスト_" + forms.front().form.year + "_" + req.today;
  if (req.format == "json") {
    Json all = Json::array();
    for (const auto& a : forms) all.push_back(a.ToJson(req.lang));
    return ExportedFile{base + ".json", "application/json; charset=utf-8", all.dump(2)};
  }
  if (req.format == "xlsx") {
    MAMORI_ASSIGN_OR_RETURN(auto bytes, Xlsx(forms, req));
    return ExportedFile{base + ".xlsx",
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        std::move(bytes)};
  }
  if (req.format == "pdf") {
    MAMORI_ASSIGN_OR_RETURN(auto bytes, Pdf(forms, req));
    return ExportedFile{base + ".pdf", "application/pdf", std::move(bytes)};
  }
  return MakeError(ErrorCode::kInvalidArgument, "common.bad_param", {"format"}, "format");
}

}  // namespace mamori::checklist
