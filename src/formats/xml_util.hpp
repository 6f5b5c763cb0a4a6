// Small helpers over pugixml for formats whose writers differ in namespace prefixes
// (SpreadsheetML "x:row", CycloneDX with or without a default namespace).
#pragma once

#include <cstddef>
#include <pugixml.hpp>
#include <string>
#include <string_view>

namespace mamori::formats {

// The 1-based line of a byte offset in a text (pugixml reports parse errors by offset; people
// read lines).
inline size_t LineOfOffset(std::string_view text, std::ptrdiff_t offset) {
  size_t line = 1;
  for (size_t i = 0; i < static_cast<size_t>(offset) && i < text.size(); ++i)
    if (text[i] == '\n') ++line;
  return line;
}

// "x:row" → "row".
inline std::string_view LocalName(const char* name) {
  std::string_view n(name);
  auto colon = n.find(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

// The first child element with that local name (null node when none).
inline pugi::xml_node Child(pugi::xml_node n, std::string_view local) {
  for (auto c = n.first_child(); c; c = c.next_sibling())
    if (c.type() == pugi::node_element && LocalName(c.name()) == local) return c;
  return {};
}

// The next sibling element with the same local name as `n`.
inline pugi::xml_node NextSame(pugi::xml_node n) {
  std::string_view local = LocalName(n.name());
  for (auto c = n.next_sibling(); c; c = c.next_sibling())
    if (c.type() == pugi::node_element && LocalName(c.name()) == local) return c;
  return {};
}

// The trimmed text of a child element ("" when absent); CDATA included.
inline std::string ChildText(pugi::xml_node n, std::string_view local) {
  std::string s = Child(n, local).text().get();
  size_t b = s.find_first_not_of(" \t\r\n");
  size_t e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

}  // namespace mamori::formats
