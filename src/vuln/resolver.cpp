#include "vuln/resolver.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "core/text.hpp"
#include "vuln/cpe.hpp"

namespace mamori::vuln {

namespace {

struct EmbeddedFile {
  const char* name;
  const char* content;
};
#include "vuln/names_embedded.inc"

bool IsAsciiAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

Error Bad(const char* key, std::vector<std::string> args) {
  std::string field = args.size() > 1 ? args[1] : args[0];
  return MakeError(ErrorCode::kInvalidArgument, key, std::move(args), std::move(field));
}

// A captured group as a CPE value: "2012 r2" → "2012_r2", "rtx 1210" → "rtx1210".
std::string GroupValue(const std::string& g, char space) {
  std::string out;
  for (size_t i = 0; i < g.size(); ++i) {
    if (g[i] == ' ') {
      bool letter_digit = i > 0 && i + 1 < g.size() && IsAsciiAlpha(g[i - 1]) && IsDigit(g[i + 1]);
      if (!letter_digit) out += space;
      continue;
    }
    out += g[i];
  }
  return out;
}

std::string Substitute(const std::string& tpl, const std::smatch& m, char space) {
  std::string out;
  for (size_t i = 0; i < tpl.size(); ++i) {
    if (tpl[i] == '$' && i + 1 < tpl.size() && IsDigit(tpl[i + 1])) {
      size_t n = static_cast<size_t>(tpl[i + 1] - '0');
      if (n < m.size()) out += GroupValue(m[n].str(), space);
      ++i;
      continue;
    }
    out += tpl[i];
  }
  return out;
}

// The first token of `rest` that starts with a digit ("rev.14.01.38" and "v2.1" count).
std::string VersionIn(std::string_view rest, const std::set<std::string>& skip = {}) {
  std::istringstream in{std::string(rest)};
  for (std::string tok; in >> tok;) {
    if (skip.count(tok)) continue;
    for (std::string_view prefix : {"rev.", "ver.", "ver"})  // "Rev.14.01.38", "Ver.2.4.0"
      if (tok.starts_with(prefix) && tok.size() > prefix.size() && IsDigit(tok[prefix.size()])) {
        tok = tok.substr(prefix.size());
        break;
      }
    if (tok.size() > 1 && tok[0] == 'v' && IsDigit(tok[1])) tok = tok.substr(1);
    if (!tok.empty() && IsDigit(tok[0])) return tok;
  }
  return {};
}

// "cpe:2.3:a:adobe:acrobat_reader_dc:23.008" → the 13-part formatted name, version escaped.
std::string CompleteCpe(std::string cpe, const std::string& version) {
  size_t at = cpe.find("{version}");
  if (at != std::string::npos) cpe.replace(at, 9, version.empty() ? "*" : CpeEscape(version));
  while (std::count(cpe.begin(), cpe.end(), ':') < 12) cpe += ":*";
  return cpe;
}

std::set<std::string> Tokens(const std::string& s) {
  std::set<std::string> out;
  std::istringstream in(s);
  for (std::string t; in >> t;) out.insert(t);
  return out;
}

}  // namespace

std::string NormaliseName(std::string_view text) {
  std::string n = Nfkc(text);
  std::string out;
  out.reserve(n.size());
  for (size_t i = 0; i < n.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(n[i]);
    if (c >= 0x80) {  // non-ASCII (Japanese) kept as is
      out += static_cast<char>(c);
      continue;
    }
    if (std::isalnum(c) || c == '.' || c == '-' || c == '+' || c == '&' || c == '\'') {
      out += static_cast<char>(std::tolower(c));
    } else if (!out.empty() && out.back() != ' ') {
      out += ' ';
    }
  }
  // Split "windows10", "office2016", "java8" (≥3 letters then a digit); "22h2", "8.0p1" stay.
  std::string split;
  size_t letters = 0;
  for (char c : out) {
    if (IsDigit(c) && letters >= 3) split += ' ';
    letters = IsAsciiAlpha(c) ? letters + 1 : 0;
    split += c;
  }
  while (!split.empty() && split.back() == ' ') split.pop_back();
  // Spaces collapsed (the NFKC of U+3000 is a space too).
  std::string collapsed;
  for (char c : split)
    if (c != ' ' || (!collapsed.empty() && collapsed.back() != ' ')) collapsed += c;
  return collapsed;
}

Result<NameResolver> NameResolver::FromYaml(std::string_view yaml, const std::string& file) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return Bad("feed.bad_field", {file, "line " + std::to_string(e.mark.line + 1), "YAML", e.msg});
  }
  const YAML::Node list = root["aliases"];
  if (!list || !list.IsSequence()) return Bad("feed.missing_field", {file, "-", "aliases"});
  NameResolver r;
  for (size_t i = 0; i < list.size(); ++i) {
    const YAML::Node e = list[i];
    std::string where = "aliases[" + std::to_string(i) + "]";
    auto text = [&](const char* k) {
      return e[k] && e[k].IsScalar() ? e[k].Scalar() : std::string();
    };
    Alias a;
    a.id = text("id");
    std::string pattern = text("pattern");
    a.cpe = text("cpe");
    if (a.id.empty()) return Bad("feed.missing_field", {file, where, "id"});
    where += " " + a.id;
    if (pattern.empty()) return Bad("feed.missing_field", {file, where, "pattern"});
    if (a.cpe.empty()) return Bad("feed.missing_field", {file, where, "cpe"});
    try {
      a.pattern = std::regex(pattern, std::regex::ECMAScript | std::regex::optimize);
    } catch (const std::regex_error& ex) {
      return Bad("feed.bad_field", {file, where, "pattern", ex.what()});
    }
    a.cpe_without_group = text("cpe_without_group");
    a.eol = text("eol");
    a.eol_cycle = text("eol_cycle");
    // The template must give a valid CPE once filled in.
    if (!ParseCpe(CompleteCpe(a.cpe, "1.0")).ok() && a.cpe.find('$') == std::string::npos)
      return Bad("feed.bad_field", {file, where, "cpe", a.cpe});
    r.aliases_.push_back(std::move(a));
  }
  return r;
}

const NameResolver& NameResolver::Builtin() {
  static const NameResolver kBuiltin = [] {
    for (const auto& f : kEmbeddedNames)
      if (std::string_view(f.name) == "aliases.yaml") {
        auto r = FromYaml(f.content, "aliases.yaml");
        if (!r.ok())
          throw std::logic_error("built-in aliases.yaml: " + r.error().Message(Lang::kEn));
        return std::move(*r);
      }
    throw std::logic_error("aliases.yaml is not embedded");
  }();
  return kBuiltin;
}

Resolution NameResolver::Resolve(std::string_view name, std::string_view version,
                                 const std::map<std::string, std::string>& confirmed,
                                 const std::vector<DictionaryEntry>& dictionary) const {
  Resolution res;
  std::string text(name);
  if (!version.empty() && text.find(version) == std::string::npos)
    text += " " + std::string(version);
  res.normalised = NormaliseName(text);
  const std::string& n = res.normalised;
  if (auto it = confirmed.find(n); it != confirmed.end()) {
    res.candidates.push_back({it->second, 1.0, "confirmed", "", "", ""});
    return res;
  }
  for (const auto& a : aliases_) {
    std::smatch m;
    if (!std::regex_search(n, m, a.pattern, std::regex_constants::match_continuous)) continue;
    // The match must end at a word boundary: "edge" is not "edgeware".
    size_t end = static_cast<size_t>(m.length(0));
    if (end < n.size() && n[end] != ' ') continue;
    bool has_group = m.size() > 1 && m[1].matched;
    std::string tpl = !has_group && !a.cpe_without_group.empty() ? a.cpe_without_group : a.cpe;
    if (tpl.find('$') != std::string::npos && !has_group) continue;  // the group is required
    std::string v = VersionIn(std::string_view(n).substr(end));
    bool needs_version = tpl.find("{version}") != std::string::npos;
    std::string cpe = CompleteCpe(Substitute(tpl, m, '_'), needs_version ? v : "");
    if (!ParseCpe(cpe).ok()) continue;
    NameCandidate c{
        cpe,
        needs_version && v.empty() ? 0.8 : 0.95,
        "alias:" + a.id,
        "",
        a.eol,
        a.eol_cycle.empty() || (a.eol_cycle.find('$') != std::string::npos && !has_group)
            ? ""
            : Substitute(a.eol_cycle, m, '-')};
    res.candidates.push_back(std::move(c));
    return res;  // the first alias that matches decides; entries are ordered for that
  }
  // Candidates only: dictionary products whose vendor and product words all occur in the text.
  std::set<std::string> words = Tokens(n);
  for (const auto& d : dictionary) {
    std::string product = d.product;
    std::replace(product.begin(), product.end(), '_', ' ');
    std::set<std::string> need = Tokens(product);
    if (need.empty()) continue;
    bool all = std::all_of(need.begin(), need.end(),
                           [&](const std::string& w) { return words.count(w) > 0; });
    bool title = !d.title.empty() && n.find(NormaliseName(d.title)) != std::string::npos;
    if (!all && !title) continue;
    double conf = words.count(d.vendor) ? 0.6 : 0.4;
    if (title) conf = std::max(conf, 0.6);
    std::string v = VersionIn(n, need);
    std::string cpe = CompleteCpe("cpe:2.3:a:" + d.vendor + ":" + d.product + ":{version}", v);
    if (!ParseCpe(cpe).ok()) continue;
    res.candidates.push_back({cpe, conf, "dictionary", d.title, "", ""});
  }
  std::stable_sort(
      res.candidates.begin(), res.candidates.end(),
      [](const NameCandidate& a, const NameCandidate& b) { return a.confidence > b.confidence; });
  if (res.candidates.size() > 10) res.candidates.resize(10);
  return res;
}

}  // namespace mamori::vuln
