#include "cli/cli_io.hpp"

#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

namespace mamori::cli {

namespace {
std::string ReadLineNoEcho(const std::string& prompt) {
  std::fputs(prompt.c_str(), stderr);
  std::fflush(stderr);
  termios old{};
  bool tty = tcgetattr(STDIN_FILENO, &old) == 0;
  if (tty) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    std::fputs("\n", stderr);
  }
  return line;
}
}  // namespace

Result<std::string> ReadPassword(const Output& out, bool from_stdin, bool confirm) {
  std::string pw;
  if (from_stdin) {
    std::getline(std::cin, pw);
    if (!pw.empty() && pw.back() == '\r') pw.pop_back();
  } else {
    if (!isatty(STDIN_FILENO))
      return MakeError(ErrorCode::kInvalidArgument, "cli.password_empty", {}, "password");
    pw = ReadLineNoEcho(Tr(out.lang, "cli.password_prompt"));
    if (confirm && ReadLineNoEcho(Tr(out.lang, "cli.password_confirm")) != pw)
      return MakeError(ErrorCode::kInvalidArgument, "cli.password_mismatch", {}, "password");
  }
  if (pw.empty())
    return MakeError(ErrorCode::kInvalidArgument, "cli.password_empty", {}, "password");
  return pw;
}

int Fail(const Output& out, const Error& e) {
  std::string msg = e.Message(out.lang);
  std::fprintf(stderr, "mamori: %s%s\n", msg.c_str(),
               e.field.empty() ? "" : (" [" + e.field + "]").c_str());
  if (out.json) {
    Json j{{"error", {{"code", ErrorCodeName(e.code)}, {"key", e.key}, {"message", msg}}}};
    if (!e.field.empty()) j["error"]["field"] = e.field;
    PrintJson(j);
  }
  return e.code == ErrorCode::kInternal ? 2 : 1;
}

void PrintJson(const Json& j) {
  std::cout << j.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
}

void PrintLine(const std::string& s) {
  std::cout << s << "\n";
}

std::string Columns(std::initializer_list<std::string_view> cells) {
  std::string line;
  for (std::string_view c : cells) {
    if (!line.empty()) line += '\t';  // every cell adds at least "-"
    line += c.empty() ? std::string_view("-") : c;
  }
  return line;
}

}  // namespace mamori::cli
