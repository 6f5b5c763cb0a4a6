#include "vuln/nvd.hpp"

#include "core/json_body.hpp"

namespace mamori::vuln {

namespace {

Error BadRecord(const std::string& file, const std::string& where, const std::string& what) {
  return MakeError(ErrorCode::kInvalidArgument, "nvd.bad_record", {file, where, what}, where);
}

std::string Str(const Json& j, const char* k) {
  auto it = j.find(k);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Result<std::vector<Configuration>> ReadConfigurations(const Json& cfgs, const std::string& file,
                                                      const std::string& at) {
  std::vector<Configuration> out;
  if (!cfgs.is_array()) return BadRecord(file, at, "configurations");
  for (size_t i = 0; i < cfgs.size(); ++i) {
    const Json& cfg = cfgs[i];
    std::string cw = at + " configurations[" + std::to_string(i) + "]";
    if (!cfg.is_object() || !cfg.contains("nodes") || !cfg["nodes"].is_array())
      return BadRecord(file, cw, "nodes");
    Configuration conf;
    conf.and_op = Str(cfg, "operator") == "AND";
    conf.negate = cfg.value("negate", false);
    for (size_t n = 0; n < cfg["nodes"].size(); ++n) {
      const Json& node = cfg["nodes"][n];
      std::string nw = cw + " nodes[" + std::to_string(n) + "]";
      if (!node.is_object() || !node.contains("cpeMatch") || !node["cpeMatch"].is_array())
        return BadRecord(file, nw, "cpeMatch");
      ConfigNode cn;
      cn.and_op = Str(node, "operator") == "AND";
      cn.negate = node.value("negate", false);
      for (size_t m = 0; m < node["cpeMatch"].size(); ++m) {
        const Json& cm = node["cpeMatch"][m];
        std::string mw = nw + " cpeMatch[" + std::to_string(m) + "]";
        if (!cm.is_object()) return BadRecord(file, mw, "cpeMatch");
        CpeCriterion k;
        k.vulnerable = cm.value("vulnerable", true);
        k.criteria = Str(cm, "criteria");
        auto parsed = ParseCpe(k.criteria);
        if (!parsed.ok()) return BadRecord(file, mw, "criteria " + k.criteria);
        k.cpe = *parsed;
        k.product_key = PlainKey(k.cpe.Product());
        k.start_including = Str(cm, "versionStartIncluding");
        k.start_excluding = Str(cm, "versionStartExcluding");
        k.end_including = Str(cm, "versionEndIncluding");
        k.end_excluding = Str(cm, "versionEndExcluding");
        k.match_id = Str(cm, "matchCriteriaId");
        cn.matches.push_back(std::move(k));
      }
      conf.nodes.push_back(std::move(cn));
    }
    out.push_back(std::move(conf));
  }
  return out;
}

Result<NvdCve> ReadCve(const Json& c, const std::string& file, const std::string& where) {
  if (!c.is_object()) return BadRecord(file, where, "cve");
  NvdCve out;
  out.id = Str(c, "id");
  if (out.id.empty()) return BadRecord(file, where, "id");
  std::string at = where + " " + out.id;
  out.published = Str(c, "published");
  out.last_modified = Str(c, "lastModified");
  if (auto d = c.find("descriptions"); d != c.end() && d->is_array())
    for (const auto& x : *d)
      if (x.is_object() && Str(x, "lang") == "en") out.description_en = Str(x, "value");
  if (auto m = c.find("metrics"); m != c.end() && m->is_object())
    for (const char* k : {"cvssMetricV40", "cvssMetricV31", "cvssMetricV30", "cvssMetricV2"})
      if (auto list = m->find(k); list != m->end() && list->is_array())
        for (const auto& x : *list)
          if (x.is_object() && x.contains("cvssData") && x["cvssData"].is_object())
            if (std::string v = Str(x["cvssData"], "vectorString"); !v.empty())
              out.cvss_vectors.push_back(v);
  auto cfgs = c.find("configurations");
  if (cfgs == c.end()) return out;
  MAMORI_ASSIGN_OR_RETURN(out.configurations, ReadConfigurations(*cfgs, file, at));
  return out;
}

}  // namespace

uint64_t PlainKey(const std::string& value) {
  if (value.empty() || value == "-" || value.find_first_of("*?\\") != std::string::npos) return 0;
  uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (unsigned char ch : value) {
    h ^= static_cast<uint64_t>(std::tolower(ch));
    h *= 1099511628211ULL;
  }
  return h == 0 ? 1 : h;
}

namespace {

// Three-valued logic (Kleene): true, false, unknown (= a person must decide).
enum class Tri { kFalse, kTrue, kUnknown };

Tri Not(Tri t) {
  return t == Tri::kTrue ? Tri::kFalse : t == Tri::kFalse ? Tri::kTrue : Tri::kUnknown;
}

struct CriterionOutcome {
  Tri holds = Tri::kFalse;
  Evidence evidence;
};

// Two plain values (no wildcard, escape or NA) that differ: the names cannot match, whatever
// else they say. Checked first, before anything is copied: most criteria a component meets are
// about other products (the platforms of "running on" configurations).
bool PlainlyDifferent(const std::string& a, const std::string& b) {
  auto plain = [](const std::string& v) {
    return v != "-" && v.find_first_of("*?\\") == std::string::npos;
  };
  if (!plain(a) || !plain(b) || a.size() != b.size()) return plain(a) && plain(b);
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return true;
  return false;
}

CriterionOutcome CheckCriterion(const CpeCriterion& k, const Component& c) {
  CriterionOutcome out;
  if (PlainlyDifferent(k.cpe.Vendor(), c.cpe.Vendor()) ||
      PlainlyDifferent(k.cpe.Part(), c.cpe.Part()))
    return out;
  // A component that states its version but not its update ("2.9.0") is that release, not one
  // of its pre-releases: its update counts as NA, so "2.9.0 rc0" criteria do not hold for it.
  static const std::string kNa = "-";
  static const std::string kAny = "*";
  CpeValues target = ValuesOf(c.cpe);
  if (c.cpe.attrs[4] == "*" && c.cpe.Version() != "*" && c.cpe.Version() != "-") target[4] = &kNa;
  // NVD writes some vendors' products without versions ("windows_10_22h2:-", Microsoft's
  // records): NA there means every build, fixed or not. Matched as ANY, then treated as a
  // criterion without bounds (review), so a known build neither hides nor proves it.
  CpeValues criterion = ValuesOf(k.cpe);
  bool version_na = k.vulnerable && k.cpe.attrs[3] == "-" && !k.Bounded();
  if (version_na) criterion[3] = &kAny;
  CpeMatchResult m = MatchCpe(criterion, target);
  if (m.match == CpeMatch::kNoMatch) return out;
  out.evidence.criterion = k.criteria;
  out.evidence.component = c.cpe.ToString();
  if (m.match == CpeMatch::kReview) {
    out.holds = Tri::kUnknown;
    out.evidence.key = m.reason_key;
    out.evidence.args = m.reason_args;
    return out;
  }
  const std::string& cv = *criterion[3];
  if (!k.Bounded()) {
    // Any version, no bound: for a vulnerable criterion that would make every version affected,
    // which NVD's data means only sometimes — a person decides. A platform criterion ("running
    // on") is simply present.
    if (k.vulnerable && cv == "*") {
      out.holds = Tri::kUnknown;
      out.evidence.key = "nvd.ev_unbounded";
      out.evidence.args = {k.criteria};
      return out;
    }
    out.holds = Tri::kTrue;
    out.evidence.key = "nvd.ev_exact";
    out.evidence.args = {k.criteria, CpeUnescape(c.cpe.Version())};
    return out;
  }
  std::string version = CpeUnescape(c.cpe.Version());
  if (c.cpe.Version() == "*" || c.cpe.Version() == "-" || version.empty()) {
    out.holds = Tri::kUnknown;
    out.evidence.key = "nvd.ev_no_version";
    out.evidence.args = {k.criteria};
    return out;
  }
  auto cmp = [&](const std::string& bound) { return CompareVersions(c.scheme, version, bound); };
  struct Bound {
    const std::string& value;
    const char* name;
    bool ok;
  };
  Bound bounds[] = {{k.start_including, "versionStartIncluding",
                     k.start_including.empty() || cmp(k.start_including) >= 0},
                    {k.start_excluding, "versionStartExcluding",
                     k.start_excluding.empty() || cmp(k.start_excluding) > 0},
                    {k.end_including, "versionEndIncluding",
                     k.end_including.empty() || cmp(k.end_including) <= 0},
                    {k.end_excluding, "versionEndExcluding",
                     k.end_excluding.empty() || cmp(k.end_excluding) < 0}};
  std::string described;
  for (const auto& b : bounds) {
    if (b.value.empty()) continue;
    described += (described.empty() ? "" : ", ") + std::string(b.name) + " " + b.value;
    if (!b.ok) {
      out.evidence.bound = std::string(b.name) + " " + b.value;
      return out;  // outside the range
    }
  }
  out.holds = Tri::kTrue;
  out.evidence.bound = described;
  out.evidence.key = "nvd.ev_in_range";
  out.evidence.args = {version, described};
  return out;
}

struct NodeOutcome {
  Tri holds = Tri::kFalse;
  bool vulnerable_true = false;  // a vulnerable criterion holds
  std::vector<Evidence> evidence;
};

NodeOutcome CheckNode(const ConfigNode& n, const std::vector<const Component*>& components,
                      const std::vector<uint64_t>& keys) {
  NodeOutcome out;
  out.holds = n.and_op ? Tri::kTrue : Tri::kFalse;
  for (const auto& k : n.matches) {
    Tri best = Tri::kFalse;  // the criterion holds for some component
    for (size_t i = 0; i < components.size(); ++i) {
      if (k.product_key != 0 && keys[i] != 0 && k.product_key != keys[i]) continue;
      CriterionOutcome o = CheckCriterion(k, *components[i]);
      if (o.holds == Tri::kFalse) continue;
      if (o.holds == Tri::kTrue && k.vulnerable) out.vulnerable_true = true;
      out.evidence.push_back(std::move(o.evidence));
      if (o.holds == Tri::kTrue)
        best = Tri::kTrue;
      else if (best == Tri::kFalse)
        best = Tri::kUnknown;
    }
    if (n.and_op) {
      if (best == Tri::kFalse)
        out.holds = Tri::kFalse;
      else if (best == Tri::kUnknown && out.holds == Tri::kTrue)
        out.holds = Tri::kUnknown;
    } else {
      if (best == Tri::kTrue)
        out.holds = Tri::kTrue;
      else if (best == Tri::kUnknown && out.holds == Tri::kFalse)
        out.holds = Tri::kUnknown;
    }
  }
  if (n.negate) out.holds = Not(out.holds);
  return out;
}

}  // namespace

Result<std::vector<NvdCve>> ReadNvdCves(std::string_view json, const std::string& file) {
  Json j = Json::parse(json, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return BadRecord(file, "-", "JSON");
  std::vector<NvdCve> out;
  if (j.contains("cve")) {
    MAMORI_ASSIGN_OR_RETURN(auto c, ReadCve(j["cve"], file, "cve"));
    out.push_back(std::move(c));
    return out;
  }
  auto v = j.find("vulnerabilities");
  if (v == j.end() || !v->is_array()) return BadRecord(file, "-", "vulnerabilities");
  for (size_t i = 0; i < v->size(); ++i) {
    const Json& e = (*v)[i];
    std::string where = "vulnerabilities[" + std::to_string(i) + "]";
    if (!e.is_object() || !e.contains("cve")) return BadRecord(file, where, "cve");
    MAMORI_ASSIGN_OR_RETURN(auto c, ReadCve(e["cve"], file, where));
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::vector<Configuration>> ParseConfigurations(std::string_view json,
                                                       const std::string& where) {
  Json j = Json::parse(json, nullptr, false);
  if (j.is_discarded()) return BadRecord(where, "-", "configurations");
  return ReadConfigurations(j, where, "configurations");
}

Applicability Evaluate(const NvdCve& cve, const std::vector<Component>& components) {
  return Evaluate(cve.configurations, components);
}

Applicability Evaluate(const std::vector<Configuration>& configurations,
                       const std::vector<Component>& components) {
  std::vector<const Component*> refs;
  refs.reserve(components.size());
  for (const auto& c : components) refs.push_back(&c);
  return Evaluate(configurations, refs);
}

Applicability Evaluate(const std::vector<Configuration>& configurations,
                       const std::vector<const Component*>& components) {
  Applicability out;
  std::vector<uint64_t> keys;
  keys.reserve(components.size());
  for (const Component* c : components) keys.push_back(PlainKey(c->cpe.Product()));
  for (const auto& cfg : configurations) {
    Tri holds = cfg.and_op ? Tri::kTrue : Tri::kFalse;
    bool vulnerable = false;
    std::vector<Evidence> ev;
    for (const auto& node : cfg.nodes) {
      NodeOutcome n = CheckNode(node, components, keys);
      vulnerable = vulnerable || n.vulnerable_true;
      for (auto& e : n.evidence) ev.push_back(std::move(e));
      if (cfg.and_op) {
        if (n.holds == Tri::kFalse)
          holds = Tri::kFalse;
        else if (n.holds == Tri::kUnknown && holds == Tri::kTrue)
          holds = Tri::kUnknown;
      } else {
        if (n.holds == Tri::kTrue)
          holds = Tri::kTrue;
        else if (n.holds == Tri::kUnknown && holds == Tri::kFalse)
          holds = Tri::kUnknown;
      }
    }
    if (cfg.negate) holds = Not(holds);
    // Affected needs a vulnerable criterion to hold, not only the platform.
    if (holds == Tri::kTrue && !vulnerable) holds = Tri::kFalse;
    if (holds == Tri::kTrue) {
      out.verdict = Verdict::kAffected;
      out.evidence = std::move(ev);
      return out;  // one configuration suffices
    }
    if (holds == Tri::kUnknown && out.verdict == Verdict::kNotAffected) {
      out.verdict = Verdict::kReview;
      out.evidence = std::move(ev);
    }
  }
  return out;
}

}  // namespace mamori::vuln
