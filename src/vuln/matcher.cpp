#include "vuln/matcher.hpp"

#include <algorithm>
#include <set>

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

CandidateIndex BuildIndex(const std::vector<std::unique_ptr<CandidateCve>>& cves) {
  CandidateIndex index;
  for (const auto& c : cves)
    for (const auto& p : c->products) index[p].push_back(c.get());
  return index;
}

std::vector<Match> MatchTargets(const std::vector<MatchTarget>& targets,
                                const CandidateIndex& index) {
  std::vector<Match> out;
  std::vector<Component> scratch;
  for (const auto& t : targets) {
    for (const auto& mc : t.components) {
      auto product = ProductOf(mc.component);
      if (product.second.empty() || product.second == "*") continue;  // nothing to look up
      std::vector<const CandidateCve*> candidates;
      if (product.first == "*") {
        // An unknown vendor: every CVE naming the product is a candidate (evaluated as review).
        for (auto it = index.lower_bound({"", ""}); it != index.end(); ++it)
          if (it->first.second == product.second)
            candidates.insert(candidates.end(), it->second.begin(), it->second.end());
      } else if (auto it = index.find(product); it != index.end()) {
        candidates = it->second;
      }
      for (const CandidateCve* cve : candidates) {
        // The component, and as platforms the target's components whose product this CVE does
        // not name as vulnerable (those get findings of their own, never this one's).
        std::set<std::string> named;
        for (const auto& p : cve->products) named.insert(p.second);
        scratch.clear();
        scratch.push_back(mc.component);
        for (const auto& other : t.components)
          if (&other != &mc && !named.count(ProductOf(other.component).second))
            scratch.push_back(other.component);
        Applicability a = Evaluate(cve->configurations, scratch);
        if (a.verdict == Verdict::kNotAffected) continue;
        out.push_back(Match{&t, &mc, cve->id, a.verdict, std::move(a.evidence)});
      }
    }
  }
  return out;
}

}  // namespace mamori::vuln
