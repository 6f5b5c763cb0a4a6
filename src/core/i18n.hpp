// Messages in Japanese (default) and English from one catalogue (messages.cpp). Every key has both
// languages; tests/unit/i18n_test.cpp checks it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mamori {

enum class Lang { kJa, kEn };

std::optional<Lang> ParseLang(std::string_view s);
const char* LangCode(Lang lang);

// Tr("auth.locked", {"15"}) → the message with {0}, {1}… replaced. An unknown key returns the key
// itself, so a missing entry is visible rather than silent.
std::string Tr(Lang lang, std::string_view key, const std::vector<std::string>& args = {});

bool HasMessage(std::string_view key);

struct MessageDef {
  const char* key;
  const char* ja;
  const char* en;
};
const std::vector<MessageDef>& MessageCatalogue();

}  // namespace mamori
