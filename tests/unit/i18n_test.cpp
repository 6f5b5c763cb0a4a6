// Every message key used in src/ exists in the catalogue, in both languages, with the same
// placeholders.
#include "core/i18n.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

namespace mamori {
namespace {

std::set<std::string> Placeholders(const std::string& s) {
  std::set<std::string> out;
  std::regex re("\\{[0-9]\\}");
  for (std::sregex_iterator it(s.begin(), s.end(), re), end; it != end; ++it) out.insert(it->str());
  return out;
}

TEST(I18n, CatalogueIsComplete) {
  std::set<std::string> keys;
  for (const auto& m : MessageCatalogue()) {
    EXPECT_TRUE(keys.insert(m.key).second) << "duplicate key " << m.key;
    EXPECT_STRNE(m.ja, "") << m.key;
    EXPECT_STRNE(m.en, "") << m.key;
    EXPECT_EQ(Placeholders(m.ja), Placeholders(m.en)) << m.key;
  }
}

TEST(I18n, EveryKeyUsedInTheSourceExists) {
  const char* root = std::getenv("MAMORI_SOURCE_DIR");
  ASSERT_NE(root, nullptr);
  // Keys appear as the string argument after an ErrorCode, in Tr(), or as known literals.
  std::regex re(R"((?:ErrorCode::k[A-Za-z]+,\s*|Tr\([^,]+,\s*|Msg\(|"@)\"?([a-z_]+\.[a-z_]+)\")");
  int found = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(std::string(root) + "/src")) {
    if (e.path().extension() != ".cpp" && e.path().extension() != ".hpp") continue;
    std::ifstream f(e.path());
    std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    for (std::sregex_iterator it(text.begin(), text.end(), re), end; it != end; ++it) {
      ++found;
      EXPECT_TRUE(HasMessage((*it)[1].str())) << (*it)[1].str() << " in " << e.path();
    }
  }
  EXPECT_GT(found, 50);
}

TEST(I18n, TranslatesWithArguments) {
  EXPECT_EQ(Tr(Lang::kJa, "auth.locked", {"15"}),
            "ログインの失敗が続いたため、アカウントを一時的にロックしました。約15分後に再試行してく"
            "ださい");
  EXPECT_EQ(Tr(Lang::kEn, "auth.locked", {"15"}),
            "Too many failed logins: the account is locked for about 15 minutes");
  EXPECT_EQ(Tr(Lang::kJa, "no.such_key"), "no.such_key");
}

}  // namespace
}  // namespace mamori
