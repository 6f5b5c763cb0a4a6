#include "checklist/definitions.hpp"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <set>

#include "core/i18n.hpp"
#include "core/text.hpp"

namespace mamori::checklist {

namespace {

struct EmbeddedFile {
  const char* name;
  const char* content;
};
#include "checklist/forms_embedded.inc"

// Every definition error names the file, where in it (item and line) and the field; `key` is
// the message (checklist.def_*), `arg` its detail.
Error DefError(const std::string& file, const std::string& where, const std::string& field,
               const char* key, const std::string& arg = {}) {
  return MakeError(ErrorCode::kInvalidArgument, key, {file, where, field, arg}, field);
}

std::string Where(const YAML::Node& n, const std::string& what) {
  const auto m = n.Mark();
  if (m.line < 0) return what;
  return what + " line " + std::to_string(m.line + 1);
}

// A scalar field; "" when absent. A map or list where a text belongs is an error.
Result<std::string> Text(const YAML::Node& parent, const char* key, bool required,
                         const std::string& file, const std::string& where) {
  const YAML::Node n = parent[key];
  if (!n || n.IsNull()) {
    if (required) return DefError(file, where, key, "checklist.def_required");
    return std::string();
  }
  if (!n.IsScalar()) return DefError(file, Where(n, where), key, "checklist.def_not_text");
  // An escape such as "\ud800" decodes to bytes that are not UTF-8.
  if (!IsValidUtf8(n.Scalar()))
    return DefError(file, Where(n, where), key, "checklist.def_bad_text");
  return Trim(n.Scalar());
}

Result<std::vector<std::string>> TextList(const YAML::Node& parent, const char* key,
                                          const std::string& file, const std::string& where) {
  std::vector<std::string> out;
  const YAML::Node n = parent[key];
  if (!n || n.IsNull()) return out;
  if (!n.IsSequence()) return DefError(file, Where(n, where), key, "checklist.def_not_list");
  for (const auto& v : n) {
    if (!v.IsScalar()) return DefError(file, Where(v, where), key, "checklist.def_not_list");
    if (!IsValidUtf8(v.Scalar()))
      return DefError(file, Where(v, where), key, "checklist.def_bad_text");
    out.push_back(Trim(v.Scalar()));
  }
  return out;
}

Status CheckRows(const std::vector<std::string>& rows, const std::string& file,
                 const std::string& where, const char* field) {
  for (const auto& r : rows)
    if (!IsRowClass(r)) return DefError(file, where, field, "checklist.def_bad_value", r);
  return {};
}

Result<ItemDef> ParseItem(const YAML::Node& n, const std::string& file, size_t index) {
  std::string where = "items[" + std::to_string(index + 1) + "]";
  if (!n.IsMap()) return DefError(file, Where(n, where), "items", "checklist.def_not_map");
  static const std::set<std::string> kKnown = {"id",
                                               "number",
                                               "section",
                                               "text",
                                               "text_en",
                                               "rows",
                                               "gate",
                                               "requires",
                                               "evaluator",
                                               "guidance",
                                               "evidence_expected",
                                               "text_confidence",
                                               "confidence_note",
                                               "source",
                                               "reference_rows"};
  ItemDef it;
  MAMORI_ASSIGN_OR_RETURN(it.id, Text(n, "id", true, file, Where(n, where)));
  where += " id=" + it.id;
  for (const auto& kv : n) {
    std::string k = kv.first.Scalar();
    if (!IsValidUtf8(k))
      return DefError(file, Where(kv.first, where), "?", "checklist.def_bad_text");
    if (!kKnown.contains(k))
      return DefError(file, Where(kv.first, where), k, "checklist.def_unknown_key", k);
  }
  MAMORI_ASSIGN_OR_RETURN(it.number, Text(n, "number", false, file, where));
  if (it.number.empty()) it.number = it.id;
  MAMORI_ASSIGN_OR_RETURN(it.section, Text(n, "section", false, file, where));
  MAMORI_ASSIGN_OR_RETURN(it.text, Text(n, "text", true, file, where));
  MAMORI_ASSIGN_OR_RETURN(it.text_en, Text(n, "text_en", false, file, where));
  MAMORI_ASSIGN_OR_RETURN(it.rows, TextList(n, "rows", file, where));
  if (it.rows.empty()) it.rows = {"general"};
  MAMORI_RETURN_IF_ERROR(CheckRows(it.rows, file, where, "rows"));
  MAMORI_ASSIGN_OR_RETURN(it.reference_rows, TextList(n, "reference_rows", file, where));
  MAMORI_RETURN_IF_ERROR(CheckRows(it.reference_rows, file, where, "reference_rows"));
  MAMORI_ASSIGN_OR_RETURN(std::string gate, Text(n, "gate", false, file, where));
  if (!gate.empty() && gate != "true" && gate != "false")
    return DefError(file, where, "gate", "checklist.def_bad_value", gate);
  it.gate = gate == "true";
  MAMORI_ASSIGN_OR_RETURN(it.requires_cond, Text(n, "requires", false, file, where));
  if (!it.requires_cond.empty() && it.requires_cond != "vendor_contract")
    return DefError(file, where, "requires", "checklist.def_bad_value", it.requires_cond);
  MAMORI_ASSIGN_OR_RETURN(it.evaluator, Text(n, "evaluator", false, file, where));
  MAMORI_ASSIGN_OR_RETURN(it.guidance, Text(n, "guidance", false, file, where));
  MAMORI_ASSIGN_OR_RETURN(it.evidence_expected, TextList(n, "evidence_expected", file, where));
  MAMORI_ASSIGN_OR_RETURN(it.text_confidence, Text(n, "text_confidence", true, file, where));
  if (it.text_confidence != "verbatim" && it.text_confidence != "reconstructed")
    return DefError(file, where, "text_confidence", "checklist.def_bad_value", it.text_confidence);
  MAMORI_ASSIGN_OR_RETURN(it.confidence_note, Text(n, "confidence_note", false, file, where));
  MAMORI_ASSIGN_OR_RETURN(it.source, Text(n, "source", false, file, where));
  return it;
}

Result<FormDef> ParseNode(const YAML::Node& root, const std::string& file,
                          const std::vector<FormDef>& base) {
  const std::string top = "header";
  if (!root.IsMap()) return DefError(file, top, "form", "checklist.def_not_map");
  FormDef f;
  MAMORI_ASSIGN_OR_RETURN(f.form, Text(root, "form", true, file, top));
  if (f.form != "hospital" && f.form != "vendor")
    return DefError(file, top, "form", "checklist.def_bad_value", f.form);
  MAMORI_ASSIGN_OR_RETURN(std::string year, Text(root, "year", true, file, top));
  auto y = NormaliseYear(year);
  if (!y) return DefError(file, top, "year", "checklist.def_bad_value", year);
  f.year = *y;
  f.fiscal_year = 2018 + std::stoi(f.year.substr(1));
  MAMORI_ASSIGN_OR_RETURN(std::string fy, Text(root, "fiscal_year", false, file, top));
  if (!fy.empty() && fy != std::to_string(f.fiscal_year))
    return DefError(file, top, "fiscal_year", "checklist.def_bad_value", fy);
  MAMORI_ASSIGN_OR_RETURN(f.title, Text(root, "title", true, file, top));
  MAMORI_ASSIGN_OR_RETURN(f.published, Text(root, "published", false, file, top));
  MAMORI_ASSIGN_OR_RETURN(f.source, Text(root, "source", false, file, top));
  MAMORI_ASSIGN_OR_RETURN(std::string from, Text(root, "items_from", false, file, top));
  const YAML::Node items = root["items"];
  if (!from.empty()) {
    if (items) return DefError(file, top, "items", "checklist.def_conflict", "items_from");
    auto fy2 = NormaliseYear(from);
    const FormDef* src = nullptr;
    for (const auto& b : base)
      if (fy2 && b.year == *fy2 && b.form == f.form) src = &b;
    if (!src) return DefError(file, top, "items_from", "checklist.def_bad_value", from);
    f.carried_from = src->year;
    f.items = src->items;
    for (auto& it : f.items) {
      it.text_confidence = "reconstructed";
      it.confidence_note = "令和" + src->year.substr(1) +
                           "年度版の文言を仮に引継ぎ（公式様式未取込）" +
                           (it.confidence_note.empty() ? "" : "。" + it.confidence_note);
    }
    return f;
  }
  if (!items || !items.IsSequence() || items.size() == 0)
    return DefError(file, top, "items", "checklist.def_required");
  std::set<std::string> seen;
  for (size_t i = 0; i < items.size(); ++i) {
    MAMORI_ASSIGN_OR_RETURN(auto it, ParseItem(items[i], file, i));
    if (!seen.insert(it.id).second)
      return DefError(file, Where(items[i], "items[" + std::to_string(i + 1) + "]"), "id",
                      "checklist.def_duplicate", it.id);
    f.items.push_back(std::move(it));
  }
  return f;
}

}  // namespace

bool IsRowClass(std::string_view s) {
  for (const char* r : kRowClasses)
    if (s == r) return true;
  return false;
}

std::string RowLabel(Lang lang, std::string_view row) {
  return Tr(lang, row == "server"    ? "checklist.row_server"
                  : row == "pc"      ? "checklist.row_pc"
                  : row == "network" ? "checklist.row_network"
                                     : "checklist.row_general");
}

std::string RowLabelJa(std::string_view row) {
  return RowLabel(Lang::kJa, row);
}

Json ItemDef::ToJson() const {
  return Json{{"id", id},
              {"number", number},
              {"section", section},
              {"text", text},
              {"text_en", text_en},
              {"rows", rows},
              {"reference_rows", reference_rows},
              {"gate", gate},
              {"requires", requires_cond},
              {"evaluator", evaluator},
              {"guidance", guidance},
              {"evidence_expected", evidence_expected},
              {"text_confidence", text_confidence},
              {"verified", Verified()},
              {"confidence_note", confidence_note},
              {"source", source}};
}

const ItemDef* FormDef::Find(std::string_view item_id) const {
  for (const auto& it : items)
    if (it.id == item_id) return &it;
  return nullptr;
}

std::string FormDef::FiscalStart() const {
  return std::to_string(fiscal_year) + "-04-01";
}
std::string FormDef::FiscalEnd() const {
  return std::to_string(fiscal_year + 1) + "-03-31";
}

Json FormDef::ToJson() const {
  Json j{{"key", Key()},
         {"year", year},
         {"form", form},
         {"fiscal_year", fiscal_year},
         {"title", title},
         {"published", published},
         {"source", source},
         {"origin", origin},
         {"carried_from", carried_from}};
  Json arr = Json::array();
  for (const auto& it : items) arr.push_back(it.ToJson());
  j["items"] = std::move(arr);
  return j;
}

Result<FormDef> FormDef::FromJson(const Json& j, const std::string& what) {
  // The stored form of an imported definition: the JSON that ToJson() wrote, re-read through
  // the YAML parser (JSON is YAML), so both paths apply the same checks.
  Json copy = j;
  copy.erase("key");
  copy.erase("origin");
  copy.erase("carried_from");
  if (copy.contains("items"))
    for (auto& it : copy["items"]) {
      it.erase("verified");
      for (const char* k : {"reference_rows", "evidence_expected"})
        if (it.contains(k) && it[k].empty()) it.erase(k);
      it["gate"] = it.value("gate", false) ? "true" : "false";
    }
  MAMORI_ASSIGN_OR_RETURN(auto f, ParseFormDefinition(copy.dump(), what));
  f.origin = j.value("origin", "imported");
  return f;
}

Result<FormDef> ParseFormDefinition(std::string_view yaml, const std::string& file_name,
                                    const std::vector<FormDef>& base) {
  if (!IsValidUtf8(yaml)) return DefError(file_name, "-", "yaml", "checklist.def_not_utf8");
  // yaml-cpp reports malformed input by throwing; this is the boundary where that becomes a value.
  try {
    YAML::Node root = YAML::Load(std::string(yaml));
    return ParseNode(root, file_name, base);
  } catch (const YAML::Exception& e) {
    return DefError(file_name, "line " + std::to_string(e.mark.line + 1), "yaml",
                    "checklist.def_yaml", e.msg);
  }
}

const std::vector<FormDef>& BundledForms() {
  static const std::vector<FormDef> kForms = [] {
    std::vector<FormDef> out;
    // Files with items first, then those carrying items over from them.
    for (int pass = 0; pass < 2; ++pass)
      for (const auto& f : kEmbeddedForms) {
        bool carries = std::string_view(f.content).find("\nitems_from:") != std::string_view::npos;
        if ((pass == 0) == carries) continue;
        auto parsed = ParseFormDefinition(f.content, f.name, out);
        // A bundled definition that does not parse is a bug in this release, caught by tests.
        if (!parsed.ok()) throw std::logic_error(parsed.error().Message(Lang::kJa));
        out.push_back(std::move(*parsed));
      }
    return out;
  }();
  return kForms;
}

std::optional<std::string> NormaliseYear(std::string_view s) {
  std::string t = Nfkc(Trim(std::string(s)));
  for (const char* strip : {"年度版", "年度"})
    if (t.size() > strlen(strip) && t.ends_with(strip)) t.resize(t.size() - strlen(strip));
  std::string digits;
  if (t.starts_with("令和")) {
    digits = t.substr(strlen("令和"));
  } else if (!t.empty() && (t[0] == 'R' || t[0] == 'r')) {
    digits = t.substr(1);
  } else if (t.size() == 4) {
    int year = 0;
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), year);
    if (ec != std::errc() || p != t.data() + t.size() || year < 2019 || year > 2100)
      return std::nullopt;
    return "R" + std::to_string(year - 2018);
  } else {
    return std::nullopt;
  }
  int n = 0;
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || p != digits.data() + digits.size() || n < 1 || n > 80)
    return std::nullopt;
  return "R" + std::to_string(n);
}

std::string FiscalYearOf(std::string_view iso_date) {
  int y = std::stoi(std::string(iso_date.substr(0, 4)));
  int m = std::stoi(std::string(iso_date.substr(5, 2)));
  if (m < 4) --y;
  return "R" + std::to_string(y - 2018);
}

}  // namespace mamori::checklist
