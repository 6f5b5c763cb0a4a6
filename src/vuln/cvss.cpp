#include "vuln/cvss.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <vector>

namespace mamori::vuln {

namespace {

struct EmbeddedFile {
  const char* name;
  const char* content;
};
#include "vuln/data_embedded.inc"

struct MetricDef {
  const char* name;
  bool required;
  std::vector<std::string> values;
};

const std::vector<MetricDef>& Defs(CvssVersion v) {
  static const std::vector<MetricDef> kV2 = {{"AV", true, {"L", "A", "N"}},
                                             {"AC", true, {"H", "M", "L"}},
                                             {"Au", true, {"M", "S", "N"}},
                                             {"C", true, {"N", "P", "C"}},
                                             {"I", true, {"N", "P", "C"}},
                                             {"A", true, {"N", "P", "C"}},
                                             {"E", false, {"U", "POC", "F", "H", "ND"}},
                                             {"RL", false, {"OF", "TF", "W", "U", "ND"}},
                                             {"RC", false, {"UC", "UR", "C", "ND"}},
                                             {"CDP", false, {"N", "L", "LM", "MH", "H", "ND"}},
                                             {"TD", false, {"N", "L", "M", "H", "ND"}},
                                             {"CR", false, {"L", "M", "H", "ND"}},
                                             {"IR", false, {"L", "M", "H", "ND"}},
                                             {"AR", false, {"L", "M", "H", "ND"}}};
  static const std::vector<MetricDef> kV3 = {{"AV", true, {"N", "A", "L", "P"}},
                                             {"AC", true, {"L", "H"}},
                                             {"PR", true, {"N", "L", "H"}},
                                             {"UI", true, {"N", "R"}},
                                             {"S", true, {"U", "C"}},
                                             {"C", true, {"H", "L", "N"}},
                                             {"I", true, {"H", "L", "N"}},
                                             {"A", true, {"H", "L", "N"}},
                                             {"E", false, {"X", "H", "F", "P", "U"}},
                                             {"RL", false, {"X", "U", "W", "T", "O"}},
                                             {"RC", false, {"X", "C", "R", "U"}},
                                             {"CR", false, {"X", "H", "M", "L"}},
                                             {"IR", false, {"X", "H", "M", "L"}},
                                             {"AR", false, {"X", "H", "M", "L"}},
                                             {"MAV", false, {"X", "N", "A", "L", "P"}},
                                             {"MAC", false, {"X", "L", "H"}},
                                             {"MPR", false, {"X", "N", "L", "H"}},
                                             {"MUI", false, {"X", "N", "R"}},
                                             {"MS", false, {"X", "U", "C"}},
                                             {"MC", false, {"X", "H", "L", "N"}},
                                             {"MI", false, {"X", "H", "L", "N"}},
                                             {"MA", false, {"X", "H", "L", "N"}}};
  static const std::vector<MetricDef> kV4 = {{"AV", true, {"N", "A", "L", "P"}},
                                             {"AC", true, {"L", "H"}},
                                             {"AT", true, {"N", "P"}},
                                             {"PR", true, {"N", "L", "H"}},
                                             {"UI", true, {"N", "P", "A"}},
                                             {"VC", true, {"H", "L", "N"}},
                                             {"VI", true, {"H", "L", "N"}},
                                             {"VA", true, {"H", "L", "N"}},
                                             {"SC", true, {"H", "L", "N"}},
                                             {"SI", true, {"H", "L", "N"}},
                                             {"SA", true, {"H", "L", "N"}},
                                             {"E", false, {"X", "A", "P", "U"}},
                                             {"CR", false, {"X", "H", "M", "L"}},
                                             {"IR", false, {"X", "H", "M", "L"}},
                                             {"AR", false, {"X", "H", "M", "L"}},
                                             {"MAV", false, {"X", "N", "A", "L", "P"}},
                                             {"MAC", false, {"X", "L", "H"}},
                                             {"MAT", false, {"X", "N", "P"}},
                                             {"MPR", false, {"X", "N", "L", "H"}},
                                             {"MUI", false, {"X", "N", "P", "A"}},
                                             {"MVC", false, {"X", "H", "L", "N"}},
                                             {"MVI", false, {"X", "H", "L", "N"}},
                                             {"MVA", false, {"X", "H", "L", "N"}},
                                             {"MSC", false, {"X", "H", "L", "N"}},
                                             {"MSI", false, {"X", "S", "H", "L", "N"}},
                                             {"MSA", false, {"X", "S", "H", "L", "N"}},
                                             {"S", false, {"X", "N", "P"}},
                                             {"AU", false, {"X", "N", "Y"}},
                                             {"R", false, {"X", "A", "U", "I"}},
                                             {"V", false, {"X", "D", "C"}},
                                             {"RE", false, {"X", "L", "M", "H"}},
                                             {"U", false, {"X", "Clear", "Green", "Amber", "Red"}}};
  switch (v) {
    case CvssVersion::kV2:
      return kV2;
    case CvssVersion::kV30:
    case CvssVersion::kV31:
      return kV3;
    case CvssVersion::kV40:
      return kV4;
  }
  return kV3;
}

Error Bad(const char* key, std::vector<std::string> args) {
  return MakeError(ErrorCode::kInvalidArgument, key, std::move(args), "cvss");
}

// --- v2 -------------------------------------------------------------------------------------

double Round1(double x) {
  return std::round(x * 10.0) / 10.0;
}

double ScoreV2(const std::map<std::string, std::string>& m) {
  auto av = m.at("AV") == "L" ? 0.395 : m.at("AV") == "A" ? 0.646 : 1.0;
  auto ac = m.at("AC") == "H" ? 0.35 : m.at("AC") == "M" ? 0.61 : 0.71;
  auto au = m.at("Au") == "M" ? 0.45 : m.at("Au") == "S" ? 0.56 : 0.704;
  auto cia = [&](const char* k) {
    const auto& v = m.at(k);
    return v == "N" ? 0.0 : v == "P" ? 0.275 : 0.660;
  };
  double impact = 10.41 * (1 - (1 - cia("C")) * (1 - cia("I")) * (1 - cia("A")));
  double exploitability = 20 * av * ac * au;
  double f = impact == 0 ? 0 : 1.176;
  return Round1(((0.6 * impact) + (0.4 * exploitability) - 1.5) * f);
}

// --- v3.x -----------------------------------------------------------------------------------

// CVSS v3.1 specification, Appendix A: the smallest number with one decimal that is equal to or
// higher than its input, computed on integers so that 4.000000000001 does not become 4.1.
double RoundupV31(double x) {
  auto i = static_cast<int64_t>(std::llround(x * 100000));
  if (i % 10000 == 0) return static_cast<double>(i) / 100000.0;
  return (std::floor(static_cast<double>(i) / 10000) + 1) / 10.0;
}

double RoundupV30(double x) {
  return std::ceil(x * 10) / 10;
}

struct V3Weights {
  double av, ac, pr, ui;
};

V3Weights ExploitWeights(const std::string& av_v, const std::string& ac_v, const std::string& pr_v,
                         const std::string& ui_v, bool changed) {
  return {av_v == "N"   ? 0.85
          : av_v == "A" ? 0.62
          : av_v == "L" ? 0.55
                        : 0.2,
          ac_v == "L" ? 0.77 : 0.44,
          pr_v == "N"   ? 0.85
          : pr_v == "L" ? (changed ? 0.68 : 0.62)
                        : (changed ? 0.5 : 0.27),
          ui_v == "N" ? 0.85 : 0.62};
}

double CiaWeight(const std::string& x) {
  return x == "H" ? 0.56 : x == "L" ? 0.22 : 0.0;
}

// Base, temporal (E, RL, RC) and environmental (the requirements CR, IR, AR and the modified
// base metrics) scores, as the v3.0 and v3.1 specifications define them (sections 7 and 8).
double ScoreV3(const std::map<std::string, std::string>& m, CvssVersion v, double* temporal,
               double* environmental) {
  auto roundup = v == CvssVersion::kV31 ? RoundupV31 : RoundupV30;
  auto get = [&](const char* k) {
    auto it = m.find(k);
    return it == m.end() ? std::string("X") : it->second;
  };
  bool changed = m.at("S") == "C";
  auto w = ExploitWeights(m.at("AV"), m.at("AC"), m.at("PR"), m.at("UI"), changed);
  double iss =
      1 - (1 - CiaWeight(m.at("C"))) * (1 - CiaWeight(m.at("I"))) * (1 - CiaWeight(m.at("A")));
  double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * std::pow(iss - 0.02, 15) : 6.42 * iss;
  double exploitability = 8.22 * w.av * w.ac * w.pr * w.ui;
  double base = 0;
  if (impact > 0)
    base = changed ? roundup(std::min(1.08 * (impact + exploitability), 10.0))
                   : roundup(std::min(impact + exploitability, 10.0));
  std::string e = get("E");
  std::string rl = get("RL");
  std::string rc = get("RC");
  double ev = e == "H" || e == "X" ? 1 : e == "F" ? 0.97 : e == "P" ? 0.94 : 0.91;
  double rlv = rl == "U" || rl == "X" ? 1 : rl == "W" ? 0.97 : rl == "T" ? 0.96 : 0.95;
  double rcv = rc == "C" || rc == "X" ? 1 : rc == "R" ? 0.96 : 0.92;
  if (e != "X" || rl != "X" || rc != "X") *temporal = roundup(base * ev * rlv * rcv);

  bool any_environmental = false;
  for (const char* k : {"CR", "IR", "AR", "MAV", "MAC", "MPR", "MUI", "MS", "MC", "MI", "MA"})
    if (get(k) != "X") any_environmental = true;
  if (!any_environmental) return base;
  // A modified metric not given takes the base metric's value.
  auto modified = [&](const char* mk, const char* bk) {
    std::string x = get(mk);
    return x == "X" ? m.at(bk) : x;
  };
  auto requirement = [&](const char* k) {
    std::string x = get(k);
    return x == "L" ? 0.5 : x == "H" ? 1.5 : 1.0;
  };
  bool m_changed = modified("MS", "S") == "C";
  auto mw = ExploitWeights(modified("MAV", "AV"), modified("MAC", "AC"), modified("MPR", "PR"),
                           modified("MUI", "UI"), m_changed);
  double miss = std::min(1 - (1 - requirement("CR") * CiaWeight(modified("MC", "C"))) *
                                 (1 - requirement("IR") * CiaWeight(modified("MI", "I"))) *
                                 (1 - requirement("AR") * CiaWeight(modified("MA", "A"))),
                         0.915);
  double m_impact = 6.42 * miss;
  if (m_changed)
    m_impact = v == CvssVersion::kV31
                   ? 7.52 * (miss - 0.029) - 3.25 * std::pow(miss * 0.9731 - 0.02, 13)
                   : 7.52 * (miss - 0.029) - 3.25 * std::pow(miss - 0.02, 15);
  double m_exploitability = 8.22 * mw.av * mw.ac * mw.pr * mw.ui;
  if (m_impact <= 0) {
    *environmental = 0;
  } else {
    double sum = m_changed ? 1.08 * (m_impact + m_exploitability) : m_impact + m_exploitability;
    *environmental = roundup(roundup(std::min(sum, 10.0)) * ev * rlv * rcv);
  }
  return base;
}

// --- v4.0 -----------------------------------------------------------------------------------

struct V4Tables {
  std::map<std::string, double> scores;  // MacroVector → score
  Json max_severity;
  Json max_composed;
};

const V4Tables& Tables() {
  static const V4Tables kTables = [] {
    V4Tables t;
    for (const auto& f : kEmbeddedData) {
      if (std::string_view(f.name) != "cvss4_tables.json") continue;
      Json j = Json::parse(f.content);
      for (const auto& [k, v] : j["macroVectorScores"].items()) t.scores[k] = v.get<double>();
      t.max_severity = j["maxSeverity"];
      t.max_composed = j["maxComposed"];
    }
    // The table is part of this release; a missing one is a build error caught by the tests.
    if (t.scores.size() != 270) throw std::logic_error("cvss4_tables.json is incomplete");
    return t;
  }();
  return kTables;
}

class V4 {
 public:
  explicit V4(const std::map<std::string, std::string>& m) : m_(m) {}

  // The effective value of a metric: environmental (modified) values override base ones, and
  // E, CR, IR, AR not given take their worst case (specification, section 7).
  [[nodiscard]] std::string M(const std::string& metric) const {
    std::string selected = Get(metric);
    if (metric == "E" && selected == "X") return "A";
    if ((metric == "CR" || metric == "IR" || metric == "AR") && selected == "X") return "H";
    std::string modified = Get("M" + metric);
    if (!modified.empty() && modified != "X") return modified;
    return selected;
  }

  [[nodiscard]] std::array<int, 6> Eq() const {
    std::array<int, 6> eq{};
    bool av_n = M("AV") == "N";
    bool pr_n = M("PR") == "N";
    bool ui_n = M("UI") == "N";
    if (av_n && pr_n && ui_n)
      eq[0] = 0;
    else if ((av_n || pr_n || ui_n) && M("AV") != "P")
      eq[0] = 1;
    else
      eq[0] = 2;
    eq[1] = M("AC") == "L" && M("AT") == "N" ? 0 : 1;
    if (M("VC") == "H" && M("VI") == "H")
      eq[2] = 0;
    else if (M("VC") == "H" || M("VI") == "H" || M("VA") == "H")
      eq[2] = 1;
    else
      eq[2] = 2;
    if (M("MSI") == "S" || M("MSA") == "S")
      eq[3] = 0;
    else if (M("SC") == "H" || M("SI") == "H" || M("SA") == "H")
      eq[3] = 1;
    else
      eq[3] = 2;
    eq[4] = M("E") == "A" ? 0 : M("E") == "P" ? 1 : 2;
    bool crit = (M("CR") == "H" && M("VC") == "H") || (M("IR") == "H" && M("VI") == "H") ||
                (M("AR") == "H" && M("VA") == "H");
    eq[5] = crit ? 0 : 1;
    return eq;
  }

  double Score(std::string* macro_out) const {
    std::array<int, 6> eq = Eq();
    std::string macro;
    for (int e : eq) macro += std::to_string(e);
    *macro_out = macro;
    // No impact on the vulnerable or subsequent system: 0.
    if (std::all_of(std::begin(kImpact), std::end(kImpact),
                    [&](const char* k) { return M(k) == "N"; }))
      return 0.0;
    const V4Tables& t = Tables();
    double value = t.scores.at(macro);
    auto lookup = [&](std::array<int, 6> e) {
      std::string k;
      for (int x : e) k += std::to_string(x);
      auto it = t.scores.find(k);
      return it == t.scores.end() ? NAN : it->second;
    };
    auto plus = [&](std::initializer_list<std::pair<int, int>> changes) {
      std::array<int, 6> e = eq;
      for (auto [i, d] : changes) e[static_cast<size_t>(i)] += d;
      return lookup(e);
    };
    double lower_eq1 = plus({{0, 1}});
    double lower_eq2 = plus({{1, 1}});
    double lower_eq3eq6 = NAN;
    if ((eq[2] == 1 || eq[2] == 0) && eq[5] == 1)  // 11 → 21, 01 → 11
      lower_eq3eq6 = plus({{2, 1}});
    else if (eq[2] == 1 && eq[5] == 0)  // 10 → 11
      lower_eq3eq6 = plus({{5, 1}});
    else if (eq[2] == 0 && eq[5] == 0) {  // 00 → 01 or 10, the higher
      double left = plus({{5, 1}});
      double right = plus({{2, 1}});
      lower_eq3eq6 = left > right ? left : right;  // as the reference: NaN compares false
    } else {
      lower_eq3eq6 = plus({{2, 1}, {5, 1}});
    }
    double lower_eq4 = plus({{3, 1}});
    double lower_eq5 = plus({{4, 1}});

    // The highest-severity vector of the MacroVector that this vector does not exceed.
    std::vector<std::string> maxes;
    auto list = [&](const Json& j) {
      std::vector<std::string> out;
      for (const auto& s : j) out.push_back(s.get<std::string>());
      return out;
    };
    auto e1 = list(t.max_composed["eq1"][std::to_string(eq[0])]);
    auto e2 = list(t.max_composed["eq2"][std::to_string(eq[1])]);
    auto e36 = list(t.max_composed["eq3"][std::to_string(eq[2])][std::to_string(eq[5])]);
    auto e4 = list(t.max_composed["eq4"][std::to_string(eq[3])]);
    auto e5 = list(t.max_composed["eq5"][std::to_string(eq[4])]);
    for (const auto& a : e1)
      for (const auto& b : e2)
        for (const auto& c : e36)
          for (const auto& d : e4)
            for (const auto& e : e5) {
              std::string v = a;
              v.append(b).append(c).append(d).append(e);
              maxes.push_back(std::move(v));
            }
    std::map<std::string, double> dist;
    for (const auto& mx : maxes) {
      bool ok = true;
      for (const char* k : kDistanceMetrics) {
        dist[k] = Level(k, M(k)) - Level(k, Extract(mx, k));
        if (dist[k] < 0) ok = false;
      }
      if (ok) break;
    }
    double d_eq1 = dist["AV"] + dist["PR"] + dist["UI"];
    double d_eq2 = dist["AC"] + dist["AT"];
    double d_eq3eq6 = dist["VC"] + dist["VI"] + dist["VA"] + dist["CR"] + dist["IR"] + dist["AR"];
    double d_eq4 = dist["SC"] + dist["SI"] + dist["SA"];
    const double step = 0.1;
    const Json& ms = t.max_severity;
    double max_eq1 = ms["eq1"][std::to_string(eq[0])].get<double>() * step;
    double max_eq2 = ms["eq2"][std::to_string(eq[1])].get<double>() * step;
    double max_eq3eq6 =
        ms["eq3eq6"][std::to_string(eq[2])][std::to_string(eq[5])].get<double>() * step;
    double max_eq4 = ms["eq4"][std::to_string(eq[3])].get<double>() * step;

    int n = 0;
    double sum = 0;
    auto add = [&](double lower, double current, double max) {
      double available = value - lower;
      if (std::isnan(available)) return;
      ++n;
      sum += available * (current / max);
    };
    add(lower_eq1, d_eq1, max_eq1);
    add(lower_eq2, d_eq2, max_eq2);
    add(lower_eq3eq6, d_eq3eq6, max_eq3eq6);
    add(lower_eq4, d_eq4, max_eq4);
    if (!std::isnan(value - lower_eq5)) ++n;  // EQ5 has no distance: it counts with 0
    double mean = n == 0 ? 0 : sum / n;
    value = std::clamp(value - mean, 0.0, 10.0);
    // As the reference calculator rounds: half up, with an epsilon against binary fractions.
    return std::round((value + 1e-6) * 10) / 10;
  }

 private:
  static constexpr const char* kImpact[] = {"VC", "VI", "VA", "SC", "SI", "SA"};
  static constexpr const char* kDistanceMetrics[] = {"AV", "PR", "UI", "AC", "AT", "VC", "VI",
                                                     "VA", "SC", "SI", "SA", "CR", "IR", "AR"};

  [[nodiscard]] std::string Get(const std::string& k) const {
    auto it = m_.find(k);
    return it == m_.end() ? (k.size() > 1 && k[0] == 'M' ? std::string() : std::string("X"))
                          : it->second;
  }

  // The value of `metric` in a partial vector "AV:N/PR:N/UI:N/".
  static std::string Extract(const std::string& partial, const std::string& metric) {
    size_t pos = 0;
    while (pos < partial.size()) {
      size_t colon = partial.find(':', pos);
      size_t slash = partial.find('/', colon);
      if (colon == std::string::npos || slash == std::string::npos) break;
      if (partial.compare(pos, colon - pos, metric) == 0)
        return partial.substr(colon + 1, slash - colon - 1);
      pos = slash + 1;
    }
    return "";
  }

  // Severity distances in tenths (specification, section 8.2).
  static double Level(const std::string& metric, const std::string& v) {
    if (metric == "AV") return v == "N" ? 0.0 : v == "A" ? 0.1 : v == "L" ? 0.2 : 0.3;
    if (metric == "PR") return v == "N" ? 0.0 : v == "L" ? 0.1 : 0.2;
    if (metric == "UI") return v == "N" ? 0.0 : v == "P" ? 0.1 : 0.2;
    if (metric == "AC") return v == "L" ? 0.0 : 0.1;
    if (metric == "AT") return v == "N" ? 0.0 : 0.1;
    if (metric == "VC" || metric == "VI" || metric == "VA")
      return v == "H" ? 0.0 : v == "L" ? 0.1 : 0.2;
    if (metric == "SC" || metric == "SI" || metric == "SA")
      return v == "S" ? 0.0 : v == "H" ? 0.1 : v == "L" ? 0.2 : 0.3;
    // CR, IR, AR
    return v == "H" ? 0.0 : v == "M" ? 0.1 : 0.2;
  }

  const std::map<std::string, std::string>& m_;
};

}  // namespace

const char* CvssVersionName(CvssVersion v) {
  switch (v) {
    case CvssVersion::kV2:
      return "2.0";
    case CvssVersion::kV30:
      return "3.0";
    case CvssVersion::kV31:
      return "3.1";
    case CvssVersion::kV40:
      return "4.0";
  }
  return "";
}

std::string CvssSeverity(double score, CvssVersion v) {
  if (v == CvssVersion::kV2) return score < 4.0 ? "LOW" : score < 7.0 ? "MEDIUM" : "HIGH";
  if (score == 0) return "NONE";
  if (score < 4.0) return "LOW";
  if (score < 7.0) return "MEDIUM";
  if (score < 9.0) return "HIGH";
  return "CRITICAL";
}

Json Cvss::ToJson() const {
  Json j{{"version", CvssVersionName(version)},
         {"vector", vector},
         {"base_score", base_score},
         {"severity", severity}};
  if (temporal_score >= 0) j["temporal_score"] = temporal_score;
  if (environmental_score >= 0) {
    j["environmental_score"] = environmental_score;
    j["environmental_severity"] = CvssSeverity(environmental_score, version);
  }
  if (!macro_vector.empty()) j["macro_vector"] = macro_vector;
  return j;
}

Result<Cvss> ParseCvss(std::string_view text) {
  Cvss c;
  c.vector = std::string(text);
  std::string_view rest = text;
  if (rest.size() > 2 && rest.front() == '(' && rest.back() == ')')
    rest = rest.substr(1, rest.size() - 2);
  if (rest.starts_with("CVSS:")) {
    size_t slash = rest.find('/');
    std::string_view ver =
        rest.substr(5, slash == std::string_view::npos ? rest.size() : slash - 5);
    if (ver == "3.0")
      c.version = CvssVersion::kV30;
    else if (ver == "3.1")
      c.version = CvssVersion::kV31;
    else if (ver == "4.0")
      c.version = CvssVersion::kV40;
    else
      return Bad("cvss.bad_version", {std::string(ver)});
    if (slash == std::string_view::npos) return Bad("cvss.bad_vector", {c.vector});
    rest = rest.substr(slash + 1);
  } else {
    c.version = CvssVersion::kV2;
  }
  const auto& defs = Defs(c.version);
  std::vector<std::string> order;
  while (!rest.empty()) {
    size_t slash = rest.find('/');
    std::string_view part = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    size_t colon = part.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == part.size())
      return Bad("cvss.bad_vector", {c.vector});
    std::string key(part.substr(0, colon));
    std::string value(part.substr(colon + 1));
    auto def =
        std::find_if(defs.begin(), defs.end(), [&](const MetricDef& d) { return key == d.name; });
    if (def == defs.end()) return Bad("cvss.unknown_metric", {key, CvssVersionName(c.version)});
    if (std::find(def->values.begin(), def->values.end(), value) == def->values.end())
      return Bad("cvss.bad_value", {key, value});
    if (!c.metrics.emplace(key, value).second) return Bad("cvss.duplicate", {key});
  }
  for (const auto& d : defs)
    if (d.required && !c.metrics.contains(d.name)) return Bad("cvss.missing", {d.name});
  switch (c.version) {
    case CvssVersion::kV2:
      c.base_score = ScoreV2(c.metrics);
      break;
    case CvssVersion::kV30:
    case CvssVersion::kV31:
      c.base_score = ScoreV3(c.metrics, c.version, &c.temporal_score, &c.environmental_score);
      break;
    case CvssVersion::kV40:
      c.base_score = V4(c.metrics).Score(&c.macro_vector);
      break;
  }
  c.severity = CvssSeverity(c.base_score, c.version);
  return c;
}

}  // namespace mamori::vuln
