#include "vuln/matcher.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace mamori::vuln {

namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

std::pair<std::string, std::string> ProductOf(const Component& c) {
  return {Lower(c.cpe.Vendor()), Lower(c.cpe.Product())};
}

namespace {

bool HasWildcard(const std::string& v) {
  return v.find('*') != std::string::npos || v.find('?') != std::string::npos;
}

void Prepare(CandidateCve& c) {
  std::set<std::string> all;
  std::set<std::string> vulnerable;
  for (const auto& cfg : c.configurations)
    for (const auto& node : cfg.nodes)
      for (const auto& m : node.matches) {
        std::string p = Lower(m.cpe.Product());
        all.insert(p);
        if (m.vulnerable) vulnerable.insert(p);
      }
  for (const auto& p : c.products) vulnerable.insert(p.second);
  c.criteria_products.assign(all.begin(), all.end());
  c.vulnerable_products.assign(vulnerable.begin(), vulnerable.end());
}

bool Contains(const std::vector<std::string>& sorted, const std::string& v) {
  return std::binary_search(sorted.begin(), sorted.end(), v);
}

}  // namespace

CandidateIndex BuildIndex(const std::vector<std::unique_ptr<CandidateCve>>& cves) {
  CandidateIndex index;
  for (const auto& c : cves) {
    Prepare(*c);
    for (const auto& p : c->products) index[p].push_back(c.get());
  }
  return index;
}

std::vector<Match> MatchTargets(const std::vector<MatchTarget>& targets,
                                const CandidateIndex& index) {
  std::vector<Match> out;
  std::vector<const Component*> scratch;
  for (const auto& t : targets) {
    // The target's components by product: the platforms a CVE's criteria could name.
    std::map<std::string, std::vector<const MatchComponent*>> by_product;
    std::vector<const MatchComponent*> wild;  // a wildcard product may match any criterion
    for (const auto& mc : t.components) {
      std::string p = ProductOf(mc.component).second;
      if (p.empty()) continue;
      if (HasWildcard(p))
        wild.push_back(&mc);
      else
        by_product[p].push_back(&mc);
    }
    for (const auto& mc : t.components) {
      auto product = ProductOf(mc.component);
      if (product.second.empty() || product.second == "*") continue;  // nothing to look up
      std::vector<const CandidateCve*> by_any_vendor;
      const std::vector<const CandidateCve*>* candidates = &by_any_vendor;
      if (product.first == "*") {
        // An unknown vendor: every CVE naming the product is a candidate (evaluated as review).
        for (auto it = index.lower_bound({"", ""}); it != index.end(); ++it)
          if (it->first.second == product.second)
            by_any_vendor.insert(by_any_vendor.end(), it->second.begin(), it->second.end());
      } else if (auto it = index.find(product); it != index.end()) {
        candidates = &it->second;
      }
      for (const CandidateCve* cve : *candidates) {
        // The component, and as platforms the target's components whose product a criterion
        // names but no vulnerable one does (those get findings of their own, never this one's).
        scratch.clear();
        scratch.push_back(&mc.component);
        for (const auto& p : cve->criteria_products) {
          if (Contains(cve->vulnerable_products, p)) continue;
          if (auto it = by_product.find(p); it != by_product.end())
            for (const MatchComponent* other : it->second)
              if (other != &mc) scratch.push_back(&other->component);
        }
        for (const MatchComponent* other : wild)
          if (other != &mc &&
              !Contains(cve->vulnerable_products, ProductOf(other->component).second))
            scratch.push_back(&other->component);
        Applicability a = Evaluate(cve->configurations, scratch);
        if (a.verdict == Verdict::kNotAffected) continue;
        out.push_back(Match{&t, &mc, cve->id, a.verdict, std::move(a.evidence)});
      }
    }
  }
  return out;
}

OsvIndex BuildOsvIndex(const std::vector<std::unique_ptr<CandidateOsv>>& records) {
  OsvIndex index;
  for (const auto& r : records) {
    std::set<std::string> keys;
    for (const auto& a : r->affected)
      if (!a.package_key.empty()) keys.insert(a.package_key);
    for (const auto& k : keys) index[k].push_back(r.get());
  }
  return index;
}

std::vector<Match> MatchOsvTargets(const std::vector<MatchTarget>& targets, const OsvIndex& index) {
  std::vector<Match> out;
  for (const auto& t : targets)
    for (const auto& mc : t.components) {
      if (!mc.purl) continue;
      auto it = index.find(mc.purl->PackageKey());
      if (it == index.end()) continue;
      const std::string& version = mc.purl->version.empty() ? mc.version : mc.purl->version;
      for (const CandidateOsv* r : it->second) {
        Applicability best;
        for (const auto& a : r->affected) {
          if (a.package_key != it->first) continue;
          Applicability x = EvaluateOsv(a, r->id, *mc.purl, version);
          if (x.verdict == Verdict::kAffected ||
              (x.verdict == Verdict::kReview && best.verdict == Verdict::kNotAffected))
            best = std::move(x);
          if (best.verdict == Verdict::kAffected) break;
        }
        if (best.verdict == Verdict::kNotAffected) continue;
        out.push_back(Match{&t, &mc, r->finding_id, best.verdict, std::move(best.evidence)});
      }
    }
  return out;
}

std::vector<Match> MergeMatches(std::vector<Match> matches) {
  std::vector<Match> out;
  std::map<std::tuple<const MatchTarget*, const MatchComponent*, std::string>, size_t> at;
  for (auto& m : matches) {
    auto [it, fresh] = at.try_emplace({m.target, m.component, m.cve}, out.size());
    if (fresh) {
      out.push_back(std::move(m));
      continue;
    }
    Match& kept = out[it->second];
    if (m.verdict == Verdict::kAffected && kept.verdict != Verdict::kAffected) {
      // The decisive evidence first.
      m.evidence.insert(m.evidence.end(), kept.evidence.begin(), kept.evidence.end());
      kept.evidence = std::move(m.evidence);
      kept.verdict = Verdict::kAffected;
    } else {
      kept.evidence.insert(kept.evidence.end(), m.evidence.begin(), m.evidence.end());
    }
  }
  return out;
}

}  // namespace mamori::vuln
