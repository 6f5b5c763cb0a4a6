// Terminal helpers for the CLI: reading passwords without echo, printing results and errors in
// the chosen language, and the exit-code convention (0 ok, 1 user error, 2 internal error).
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "core/json_body.hpp"
#include "core/result.hpp"

namespace mamori::cli {

struct Output {
  Lang lang = Lang::kJa;
  bool json = false;
};

// From stdin when from_stdin (one line), else from the terminal with echo off, asked twice when
// confirm. A missing terminal without --password-stdin is an error.
Result<std::string> ReadPassword(const Output& out, bool from_stdin, bool confirm);

// Prints an error (stderr; and as {"error":…} on stdout in --json mode); returns the exit code.
int Fail(const Output& out, const Error& e);
void PrintJson(const Json& j);
// A listing as a JSON array of each item's ToJson() (what every listing's --json prints).
template <typename List>
void PrintJsonList(const List& items) {
  Json out = Json::array();
  for (const auto& item : items) out.push_back(item.ToJson());
  PrintJson(out);
}
void PrintLine(const std::string& s);
// One line of a listing: the cells tab-separated, "-" for an empty one (every listing's rule, so
// that a column without a value still reads as one).
std::string Columns(std::initializer_list<std::string_view> cells);

}  // namespace mamori::cli
