#include "core/i18n.hpp"

#include <unordered_map>

namespace mamori {

std::optional<Lang> ParseLang(std::string_view s) {
  if (s == "ja" || s == "ja-JP" || s == "ja_JP") return Lang::kJa;
  if (s == "en" || s == "en-US" || s == "en_US" || s == "en-GB") return Lang::kEn;
  return std::nullopt;
}

const char* LangCode(Lang lang) {
  return lang == Lang::kJa ? "ja" : "en";
}

namespace {
const std::unordered_map<std::string_view, const MessageDef*>& Index() {
  static const auto* index = [] {
    auto* m = new std::unordered_map<std::string_view, const MessageDef*>();
    for (const auto& def : MessageCatalogue()) m->emplace(def.key, &def);
    return m;
  }();
  return *index;
}
}  // namespace

bool HasMessage(std::string_view key) {
  return Index().contains(key);
}

std::string Tr(Lang lang, std::string_view key, const std::vector<std::string>& args) {
  auto it = Index().find(key);
  std::string_view pattern = key;
  if (it != Index().end()) pattern = lang == Lang::kJa ? it->second->ja : it->second->en;
  std::string out;
  out.reserve(pattern.size() + 16);
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{' && i + 2 < pattern.size() && pattern[i + 2] == '}' &&
        pattern[i + 1] >= '0' && pattern[i + 1] <= '9') {
      size_t n = static_cast<size_t>(pattern[i + 1] - '0');
      if (n < args.size()) out += args[n];
      i += 2;
      continue;
    }
    out += pattern[i];
  }
  return out;
}

}  // namespace mamori
