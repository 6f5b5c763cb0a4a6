// Checklist definitions are data: one YAML file per form and fiscal year (src/checklist/forms/,
// embedded at build time), or a form a hospital imported from the MHLW workbook. Each item names
// the evaluator that computes its evidence; none of the item texts live in code.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_body.hpp"
#include "core/result.hpp"

namespace mamori::checklist {

// Device-class rows of the form: 医療情報システム全般, サーバ, 端末PC, ネットワーク機器.
inline constexpr const char* kRowClasses[] = {"general", "server", "pc", "network"};
bool IsRowClass(std::string_view s);
// A row class in words (messages checklist.row_*): RowLabelJa for the official forms.
std::string RowLabel(Lang lang, std::string_view row);
std::string RowLabelJa(std::string_view row);

struct ItemDef {
  std::string id;      // stable ASCII key: "0", "1-1", "2-10a", "R7-rules"
  std::string number;  // as printed on the form: "1-(1)", "2-①"
  std::string section;
  std::string text;
  std::string text_en;
  std::vector<std::string> rows;            // general | server | pc | network
  std::vector<std::string> reference_rows;  // rows that are 参考項目 that year
  bool gate = false;  // 「医療情報システムを導入、運用している」: いいえ → the rest 対象外
  std::string requires_cond;  // "vendor_contract": only with a vendor contract
  std::string evaluator;      // e.g. "ledger.inventory"
  std::string guidance;
  std::vector<std::string> evidence_expected;
  std::string text_confidence;  // verbatim | reconstructed
  std::string confidence_note;
  std::string source;
  [[nodiscard]] bool Verified() const { return text_confidence == "verbatim"; }
  [[nodiscard]] Json ToJson() const;
};

struct FormDef {
  std::string year;     // "R8"
  std::string form;     // hospital | vendor
  int fiscal_year = 0;  // 2026 for R8: 2026-04-01 … 2027-03-31
  std::string title;
  std::string published;
  std::string source;
  std::string origin = "bundled";  // bundled | imported
  std::string carried_from;        // items taken over from this year's form, unverified
  std::vector<ItemDef> items;
  [[nodiscard]] std::string Key() const { return year + "-" + form; }
  [[nodiscard]] const ItemDef* Find(std::string_view item_id) const;
  [[nodiscard]] std::string FiscalStart() const;  // YYYY-04-01
  [[nodiscard]] std::string FiscalEnd() const;    // (YYYY+1)-03-31
  [[nodiscard]] Json ToJson() const;
  static Result<FormDef> FromJson(const Json& j, const std::string& what);
};

// Parses one definition file. Errors name the file, the item (by position and id) and the field.
// `items_from: R7` forms get their items from `base` (which must be given), marked unverified.
Result<FormDef> ParseFormDefinition(std::string_view yaml, const std::string& file_name,
                                    const std::vector<FormDef>& base = {});

// The definitions shipped with mamori (R6, R7, R8; hospital and vendor).
const std::vector<FormDef>& BundledForms();

// "R8", "r8", "令和8", "令和8年度", "2026" → "R8".
std::optional<std::string> NormaliseYear(std::string_view s);
// The fiscal year (令和) containing a date "YYYY-MM-DD": April starts it.
std::string FiscalYearOf(std::string_view iso_date);

}  // namespace mamori::checklist
