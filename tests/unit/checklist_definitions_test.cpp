// Checklist definitions: the bundled forms load and keep their confidence marks; malformed
// definition files are refused with the file, the place and the field named.
#include <gtest/gtest.h>

#include "checklist/definitions.hpp"
#include "checklist/official_import.hpp"

namespace mamori::checklist {
namespace {

TEST(ChecklistDefinitions, BundledFormsLoad) {
  const auto& forms = BundledForms();
  std::set<std::string> keys;
  for (const auto& f : forms) keys.insert(f.Key());
  for (const char* k :
       {"R6-hospital", "R6-vendor", "R7-hospital", "R7-vendor", "R8-hospital", "R8-vendor"})
    EXPECT_TRUE(keys.contains(k)) << k;
  for (const auto& f : forms) {
    ASSERT_FALSE(f.items.empty()) << f.Key();
    for (const auto& it : f.items) {
      EXPECT_FALSE(it.evaluator.empty()) << f.Key() << " " << it.id;
      EXPECT_FALSE(it.rows.empty());
    }
  }
}

const FormDef& Find(const std::string& key) {
  for (const auto& f : BundledForms())
    if (f.Key() == key) return f;
  throw std::logic_error("no form " + key);
}

TEST(ChecklistDefinitions, ItemsCarryTheirRowsGateAndConditions) {
  const FormDef& r6 = Find("R6-hospital");
  EXPECT_EQ(r6.fiscal_year, 2024);
  EXPECT_EQ(r6.FiscalStart(), "2024-04-01");
  EXPECT_EQ(r6.FiscalEnd(), "2025-03-31");
  ASSERT_NE(r6.Find("0"), nullptr);
  EXPECT_TRUE(r6.Find("0")->gate);
  EXPECT_EQ(r6.Find("2-2")->requires_cond, "vendor_contract");
  EXPECT_EQ(r6.Find("2-7")->rows, (std::vector<std::string>{"server", "pc", "network"}));
  EXPECT_EQ(r6.Find("2-6")->text_confidence, "reconstructed");
  EXPECT_TRUE(r6.Find("1-1")->Verified());
  EXPECT_EQ(r6.Find("1-1")->number, "1-(1)");
  EXPECT_EQ(Find("R7-hospital").Find("1-1")->number, "1-①");
}

TEST(ChecklistDefinitions, CarriedOverFormIsMarkedUnverified) {
  const FormDef& r8 = Find("R8-hospital");
  const FormDef& r7 = Find("R7-hospital");
  EXPECT_EQ(r8.carried_from, "R7");
  EXPECT_EQ(r8.fiscal_year, 2026);
  ASSERT_EQ(r8.items.size(), r7.items.size());
  for (const auto& it : r8.items) {
    EXPECT_FALSE(it.Verified()) << it.id;
    EXPECT_NE(it.confidence_note.find("令和7年度版の文言を仮に引継ぎ"), std::string::npos);
  }
  EXPECT_TRUE(r7.Find("1-1")->Verified());  // the base form keeps its own marks
}

std::string ErrorOf(std::string_view yaml) {
  auto r = ParseFormDefinition(yaml, "test.yaml");
  EXPECT_FALSE(r.ok());
  return r.ok() ? "" : r.error().Message(Lang::kJa);
}

TEST(ChecklistDefinitions, ErrorsNameFileItemLineAndField) {
  const std::string head = "form: hospital\nyear: R8\ntitle: t\nitems:\n";
  EXPECT_EQ(
      ErrorOf(head +
              "  - id: a\n    text: x\n    text_confidence: verbatim\n    rows: [server, desk]\n"),
      "test.yaml: items[1] id=a の「rows」に「desk」は指定できません");
  EXPECT_EQ(ErrorOf(head + "  - id: a\n    text: x\n"),
            "test.yaml: items[1] id=a の「text_confidence」は必須です");
  EXPECT_EQ(
      ErrorOf(head + "  - id: a\n    text: x\n    text_confidence: verbatim\n    colour: red\n"),
      "test.yaml: items[1] id=a line 8 の「colour」は定義にない項目名です");
  EXPECT_EQ(ErrorOf(head + "  - {id: a, text: x, text_confidence: verbatim}\n  - {id: a, text: y, "
                           "text_confidence: verbatim}\n"),
            "test.yaml: items[2] line 6 の「id」の値「a」が重複しています");
  EXPECT_EQ(ErrorOf("form: clinic\nyear: R8\ntitle: t\nitems: []\n"),
            "test.yaml: header の「form」に「clinic」は指定できません");
  EXPECT_EQ(ErrorOf("form: hospital\nyear: 平成30\ntitle: t\n"),
            "test.yaml: header の「year」に「平成30」は指定できません");
  EXPECT_NE(ErrorOf("form: [unclosed\n").find("test.yaml: line"), std::string::npos);
  // Not UTF-8 (found by checklist_definition_fuzz: such text cannot become JSON).
  EXPECT_EQ(ErrorOf(head + "  - {id: a, text: \"\xff\xfe\", text_confidence: verbatim}\n"),
            "test.yaml はUTF-8のテキストではありません");
  EXPECT_EQ(
      ErrorOf(head + "  - id: a\n    text: x\n    text_confidence: verbatim\n    rows: server\n"),
      "test.yaml: items[1] id=a line 8 の「rows」は一覧（[...]）にしてください");
}

TEST(ChecklistDefinitions, JsonRoundTripKeepsEverything) {
  const FormDef& r7 = Find("R7-hospital");
  auto back = FormDef::FromJson(r7.ToJson(), "stored");
  ASSERT_TRUE(back.ok()) << back.error().Message(Lang::kJa);
  EXPECT_EQ(back->ToJson().dump(), [&] {
    Json j = r7.ToJson();
    j["origin"] = "bundled";
    return j.dump();
  }());
}

TEST(ChecklistDefinitions, ItemNumbersFromTheOfficialForm) {
  EXPECT_EQ(ItemIdFromNumber("1-①", ""), "1-1");
  EXPECT_EQ(ItemIdFromNumber("２－（１）", ""), "2-1");
  EXPECT_EQ(ItemIdFromNumber("2-⑬", ""), "2-13");
  EXPECT_EQ(ItemIdFromNumber("（３）", "2"), "2-3");
  EXPECT_EQ(ItemIdFromNumber("(3)", ""), "");
  EXPECT_EQ(ItemIdFromNumber("0", ""), "0");
  EXPECT_EQ(ItemIdFromNumber("1 体制構築", ""), "");
  EXPECT_EQ(ItemIdFromNumber("備考", "2"), "");
}

TEST(ChecklistDefinitions, FiscalYears) {
  EXPECT_EQ(NormaliseYear("R8"), "R8");
  EXPECT_EQ(NormaliseYear("r7"), "R7");
  EXPECT_EQ(NormaliseYear("令和8年度"), "R8");
  EXPECT_EQ(NormaliseYear("令和６年度版"), "R6");
  EXPECT_EQ(NormaliseYear("2026"), "R8");
  EXPECT_EQ(NormaliseYear("R"), std::nullopt);
  EXPECT_EQ(NormaliseYear("1999"), std::nullopt);
  EXPECT_EQ(FiscalYearOf("2026-11-22"), "R8");
  EXPECT_EQ(FiscalYearOf("2027-03-31"), "R8");
  EXPECT_EQ(FiscalYearOf("2027-04-01"), "R9");
}

}  // namespace
}  // namespace mamori::checklist
