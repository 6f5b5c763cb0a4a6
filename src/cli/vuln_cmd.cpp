// `mamori vuln …`: the vulnerability engine from the command line. For now the CVSS calculator
// (every version a feed carries); feeds, matching and findings join it (issue #5).
#include "cli/vuln_cmd.hpp"

#include <iostream>

#include "vuln/cvss.hpp"

namespace mamori::cli {

namespace {

int CmdCvss(Globals& g, std::vector<std::string> vectors, bool from_stdin) {
  if (from_stdin)
    for (std::string line; std::getline(std::cin, line);)
      if (!line.empty()) vectors.push_back(line);
  Json out = Json::array();
  int bad = 0;
  for (const auto& v : vectors) {
    auto c = vuln::ParseCvss(v);
    if (!c.ok()) {
      ++bad;
      out.push_back(Json{{"vector", v}, {"error", c.error().Message(g.out.lang)}});
      if (!g.json) std::cerr << v << ": " << c.error().Message(g.out.lang) << "\n";
      continue;
    }
    out.push_back(c->ToJson());
    if (!g.json) {
      char score[16];
      std::snprintf(score, sizeof score, "%.1f", c->base_score);
      PrintLine(std::string(score) + "\t" + c->severity + "\t" + c->vector);
    }
  }
  if (g.json) PrintJson(out);
  return bad == 0 ? 0 : 1;
}

}  // namespace

void AddVulnCommands(CLI::App& app, Globals& g, int& rc) {
  auto* vuln = app.add_subcommand("vuln", "脆弱性 / vulnerabilities");
  vuln->require_subcommand(1);
  static std::vector<std::string> vectors;
  static bool from_stdin = false;
  auto* cvss =
      vuln->add_subcommand("cvss", "CVSS ベクトルの評価（2.0/3.0/3.1/4.0） / score CVSS vectors");
  cvss->add_option("vector", vectors, "CVSS ベクトル / vectors");
  cvss->add_flag("--stdin", from_stdin, "標準入力から1行1件 / one vector per line on stdin");
  cvss->callback([&] { rc = CmdCvss(g, vectors, from_stdin); });
}

}  // namespace mamori::cli
