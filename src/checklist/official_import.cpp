#include "checklist/official_import.hpp"

#include <algorithm>
#include <regex>

#include "core/text.hpp"

namespace mamori::checklist {

namespace {

bool AnyOf(const std::string& key, std::initializer_list<const char*> names) {
  return std::any_of(names.begin(), names.end(), [&](const char* n) { return key == n; });
}

// Item text compared without spaces, punctuation variants or a trailing （医療情報システム全般）.
std::string TextKey(const std::string& text) {
  std::string k = MatchKey(text);
  for (const char* tail : {"(医療情報システム全般)", "(サーバ、端末pc)", "(ネットワーク機器)"}) {
    std::string t = MatchKey(tail);
    if (k.size() > t.size() && k.ends_with(t)) k.resize(k.size() - t.size());
  }
  std::string out;
  for (size_t i = 0; i < k.size(); ++i) {
    // "。" and "." at the end, "、" and "," anywhere: written either way in copies of the form.
    if (k.compare(i, 3, "。") == 0 || k.compare(i, 3, "、") == 0) {
      i += 2;
      continue;
    }
    if (k[i] == '.' || k[i] == ',') continue;
    out += k[i];
  }
  return out;
}

std::string RowClassOf(const std::string& cell) {
  std::string k = MatchKey(cell);
  if (k.find(MatchKey("サーバ")) != std::string::npos) return "server";
  if (k.find(MatchKey("端末")) != std::string::npos) return "pc";
  if (k.find(MatchKey("ネットワーク")) != std::string::npos) return "network";
  return "general";
}

struct Columns {
  int number = -1;
  int text = -1;
  int target = -1;
};

std::optional<Columns> HeaderOf(const std::vector<std::string>& row) {
  Columns c;
  for (size_t i = 0; i < row.size(); ++i) {
    std::string k = MatchKey(row[i]);
    int col = static_cast<int>(i);
    if (c.number < 0 && AnyOf(k, {"番号", "no", "no.", "項番", "項目番号", "#"}))
      c.number = col;
    else if (c.text < 0 &&
             AnyOf(k, {"チェック項目", "確認項目", "項目", "確認内容", "チェック内容"}))
      c.text = col;
    else if (c.target < 0 && AnyOf(k, {"対象", "機器", "対象機器", "区分"}))
      c.target = col;
  }
  if (c.number < 0 || c.text < 0) return std::nullopt;
  return c;
}

std::string Cell(const std::vector<std::string>& row, int col) {
  return col >= 0 && static_cast<size_t>(col) < row.size() ? Trim(row[static_cast<size_t>(col)])
                                                           : std::string();
}

}  // namespace

Json OfficialImport::ToJson() const {
  return Json{{"year", form.year},     {"form", form.form},          {"title", form.title},
              {"sheet", sheet},        {"items", form.items.size()}, {"matched", matched},
              {"new_items", new_items}};
}

std::string ItemIdFromNumber(const std::string& number, const std::string& section_no) {
  std::string n = Nfkc(number);  // ① → 1, （１） → (1), － → -
  std::smatch m;
  static const std::regex kFull(R"(^\s*(\d+)\s*[-ー−‐.．]\s*\(?\s*(\d+)\s*\)?\s*([a-z]?)\s*$)");
  static const std::regex kSub(R"(^\s*\(\s*(\d+)\s*\)\s*$)");
  static const std::regex kZero(R"(^\s*(\d+)\s*$)");
  if (std::regex_match(n, m, kFull)) return m[1].str() + "-" + m[2].str() + m[3].str();
  if (std::regex_match(n, m, kSub) && !section_no.empty()) return section_no + "-" + m[1].str();
  if (std::regex_match(n, m, kZero) && m[1].str() == "0") return "0";
  return "";
}

Result<OfficialImport> ReadOfficialWorkbook(std::string_view bytes,
                                            const OfficialImportOptions& opt,
                                            const std::vector<FormDef>& known) {
  MAMORI_ASSIGN_OR_RETURN(auto wb, formats::ReadXlsx(bytes, opt.file_name));
  return ReadOfficialSheets(wb, opt, known);
}

Result<OfficialImport> ReadOfficialSheets(const formats::XlsxWorkbook& wb,
                                          const OfficialImportOptions& opt,
                                          const std::vector<FormDef>& known) {
  for (const auto& sheet : wb.sheets) {
    if (sheet.hidden) continue;
    // Title cells above the header: the form and the year.
    std::string form = opt.form;
    std::string year = opt.year;
    std::string title;
    size_t header_at = sheet.rows.size();
    Columns cols;
    for (size_t r = 0; r < sheet.rows.size() && r < 30; ++r) {
      if (auto h = HeaderOf(sheet.rows[r])) {
        header_at = r;
        cols = *h;
        break;
      }
      for (const auto& cell : sheet.rows[r]) {
        std::string n = Nfkc(cell);
        if (form.empty() && n.find("事業者確認用") != std::string::npos) form = "vendor";
        if (form.empty() && n.find("医療機関") != std::string::npos &&
            n.find("確認用") != std::string::npos)
          form = "hospital";
        static const std::regex kYear(R"(令和\s*(\d+)\s*年度)");
        std::smatch m;
        if (year.empty() && std::regex_search(n, m, kYear)) year = "R" + m[1].str();
        if (title.empty() && n.find("チェックリスト") != std::string::npos) title = Trim(n);
      }
    }
    if (header_at == sheet.rows.size()) continue;
    if (form.empty() || year.empty())
      return MakeError(ErrorCode::kInvalidArgument, "checklist.official_unknown_form",
                       {opt.file_name, sheet.name}, form.empty() ? "form" : "year");
    auto y = NormaliseYear(year);
    if (!y) return MakeError(ErrorCode::kInvalidArgument, "checklist.bad_year", {year}, "year");

    OfficialImport out;
    out.sheet = sheet.name;
    out.form.year = *y;
    out.form.form = form;
    out.form.fiscal_year = 2018 + std::stoi(y->substr(1));
    out.form.title =
        title.empty() ? "医療機関におけるサイバーセキュリティ対策チェックリスト" : title;
    out.form.source = opt.file_name;
    out.form.origin = "imported";

    std::string section;
    std::string section_no;
    ItemDef* current = nullptr;
    for (size_t r = header_at + 1; r < sheet.rows.size(); ++r) {
      const auto& row = sheet.rows[r];
      std::string where = sheet.name + "!" + std::to_string(sheet.row_numbers[r]);
      std::string number = Cell(row, cols.number);
      std::string text = Cell(row, cols.text);
      std::string nn = Nfkc(number);
      static const std::regex kSection(R"(^\s*(\d+)\s*[ .．、]\s*(\S.*)$)");
      std::smatch m;
      if (std::regex_match(nn, m, kSection) && ItemIdFromNumber(number, "").empty()) {
        section_no = m[1].str();
        section = Trim(nn);
        current = nullptr;
        continue;
      }
      if (number.empty() && text.empty()) continue;
      std::string id = ItemIdFromNumber(number, section_no);
      if (id.empty()) {
        if (!number.empty()) continue;  // a note or sub-heading row
        if (current && cols.target >= 0 && !Cell(row, cols.target).empty()) {
          std::string rc = RowClassOf(Cell(row, cols.target));
          if (std::find(current->rows.begin(), current->rows.end(), rc) == current->rows.end())
            current->rows.push_back(rc);
        }
        continue;
      }
      if (current && current->id == id) {  // the same item on its next device row
        std::string rc = RowClassOf(Cell(row, cols.target));
        if (std::find(current->rows.begin(), current->rows.end(), rc) == current->rows.end())
          current->rows.push_back(rc);
        continue;
      }
      if (text.empty())
        return MakeError(ErrorCode::kInvalidArgument, "checklist.official_no_text", {where, number},
                         where);
      if (out.form.Find(id))
        return MakeError(ErrorCode::kInvalidArgument, "checklist.official_duplicate", {where, id},
                         where);
      ItemDef it;
      it.id = id;
      it.number = Trim(number);
      it.section = section;
      it.text = text;
      it.rows = {cols.target >= 0 ? RowClassOf(Cell(row, cols.target)) : "general"};
      it.text_confidence = "verbatim";
      it.source = opt.file_name + " " + where;
      it.confidence_note = "公式様式から取込";
      // Keep what mamori knows about the same item: its evaluator, conditions and guidance.
      std::string key = TextKey(text);
      const ItemDef* match = nullptr;
      for (auto f = known.rbegin(); f != known.rend() && !match; ++f) {
        if (f->form != form) continue;
        for (const auto& k : f->items)
          if (TextKey(k.text) == key) {
            match = &k;
            break;
          }
      }
      if (match) {
        ++out.matched;
        it.evaluator = match->evaluator;
        it.gate = match->gate;
        it.requires_cond = match->requires_cond;
        it.guidance = match->guidance;
        it.evidence_expected = match->evidence_expected;
        it.text_en = match->text_en;
      } else {
        out.new_items.push_back(id);
        it.evaluator = "unmapped." + id;
        it.gate = id == "0";
      }
      out.form.items.push_back(std::move(it));
      current = &out.form.items.back();
    }
    if (out.form.items.empty())
      return MakeError(ErrorCode::kInvalidArgument, "checklist.official_no_items",
                       {opt.file_name, sheet.name});
    return out;
  }
  return MakeError(ErrorCode::kInvalidArgument, "checklist.official_no_header", {opt.file_name});
}

}  // namespace mamori::checklist
