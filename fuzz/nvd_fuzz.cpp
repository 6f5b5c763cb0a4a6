// libFuzzer target: NVD CVE API 2.0 JSON (records, configurations, cpeMatch criteria) and the
// applicability evaluation over them. Invariants: an "affected" verdict carries evidence, each
// evidence item names its criterion and why, a component list that is empty is never affected, and
// the verdict alone (EvaluateVerdict, with its shortcuts for plain names) is the full evaluation's
// for components made from the record's own criteria — each criterion's name at its bounds, with
// the update stated, NA and left open — and so are the verdicts of many evaluated alone together
// (EvaluateVerdictsAlone), also as the matcher asks for a group of one vendor and product (its
// names compared once); every criterion on the general path alone (no shortcut by key or for plain
// names) gives the same verdict and evidence.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "core/text.hpp"
#include "vuln/nvd.hpp"

namespace {

using namespace mamori::vuln;

void CheckVerdict(const NvdCve& cve, const std::vector<const Component*>& components) {
  std::vector<ComponentKeys> keys;
  keys.reserve(components.size());
  for (const Component* c : components) keys.push_back(KeysOf(*c));
  Applicability a = Evaluate(cve.configurations, components);
  if (a.verdict == Verdict::kAffected && a.evidence.empty()) std::abort();
  // Each criterion the evaluation kept says why when written out (its outcome is the same).
  for (const auto& e : a.evidence)
    if (e.key.empty() || e.criterion.empty()) std::abort();
  if (EvaluateVerdict(cve.configurations, components, keys.data()) != a.verdict) std::abort();
  // Every criterion of every node on the general path alone (empty keys: no shortcut by key or
  // for plain names): the same verdict and evidence, in the same order.
  for (auto& k : keys) k = ComponentKeys{};
  Applicability g = Evaluate(cve.configurations, components, keys.data());
  if (g.verdict != a.verdict || g.evidence.size() != a.evidence.size()) std::abort();
  for (size_t i = 0; i < g.evidence.size(); ++i)
    if (g.evidence[i].criterion != a.evidence[i].criterion ||
        g.evidence[i].component != a.evidence[i].component ||
        g.evidence[i].bound != a.evidence[i].bound || g.evidence[i].key != a.evidence[i].key ||
        g.evidence[i].args != a.evidence[i].args)
      std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 256 * 1024) return 0;
  auto r = ReadNvdCves(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.json");
  if (!r.ok()) return 0;
  static const Component kComponent{*ParseCpe("cpe:2.3:a:google:tensorflow:2.6.3:*:*:*:*:*:*:*"),
                                    VersionScheme::kGeneric};
  for (const auto& cve : *r) {
    CheckVerdict(cve, {&kComponent});
    if (Evaluate(cve, {}).verdict == Verdict::kAffected) std::abort();
    // Components from the criteria (a bounded few): alone, and all together as one target.
    std::vector<Component> made;
    for (const auto& cfg : cve.configurations)
      for (const auto& node : cfg.nodes)
        for (const auto& k : node.matches) {
          for (const std::string* version : {&k.start, &k.end}) {
            if (made.size() >= 24) break;
            Component c{k.cpe, VersionScheme::kGeneric};
            if (!version->empty() && !c.cpe.Set(3, CpeEscape(*version))) continue;
            for (std::string_view update : {"*", "-", "sp1"}) {
              if (!c.cpe.Set(4, update)) continue;
              made.push_back(c);
            }
          }
        }
    std::vector<const Component*> all;
    for (const auto& c : made) {
      CheckVerdict(cve, {&c});
      all.push_back(&c);
    }
    CheckVerdict(cve, all);
    // Evaluated alone, together: all of them, and those of each product (the matcher's groups).
    std::vector<ComponentKeys> keys;
    for (const Component* c : all) keys.push_back(KeysOf(*c));
    auto together = [&](const std::vector<size_t>& which, bool same_names) {
      std::vector<const Component*> cs;
      std::vector<ComponentKeys> ks;
      for (size_t i : which) {
        cs.push_back(all[i]);
        ks.push_back(keys[i]);
      }
      std::vector<Verdict> got(cs.size());
      EvaluateVerdictsAlone(cve.configurations, cs.data(), ks.data(), cs.size(), got.data(),
                            same_names);
      for (size_t i = 0; i < cs.size(); ++i)
        if (got[i] != EvaluateVerdict(cve.configurations, {cs[i]}, &ks[i])) std::abort();
    };
    std::vector<size_t> every;
    for (size_t i = 0; i < all.size(); ++i) every.push_back(i);
    together(every, false);
    for (size_t i = 0; i < all.size(); ++i) {
      std::vector<size_t> same;
      for (size_t j = 0; j < all.size(); ++j)
        if (keys[j].product == keys[i].product) same.push_back(j);
      if (same.front() == i) together(same, false);  // each product's group once
      // The matcher's groups: one vendor and product but for case (the names compared once).
      std::vector<size_t> named;
      for (size_t j = 0; j < all.size(); ++j)
        if (mamori::EqualsAsciiNoCase(all[j]->cpe.Vendor(), all[i]->cpe.Vendor()) &&
            mamori::EqualsAsciiNoCase(all[j]->cpe.Product(), all[i]->cpe.Product()))
          named.push_back(j);
      if (named.front() == i) together(named, true);
    }
  }
  return 0;
}
