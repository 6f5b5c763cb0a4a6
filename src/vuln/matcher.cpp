#include "vuln/matcher.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <map>
#include <set>
#include <span>
#include <thread>
#include <tuple>

#include "core/text.hpp"

namespace mamori::vuln {

namespace {

std::string Lower(std::string_view v) {
  std::string s(v);
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

std::string MatchComponent::Key() const {
  if (!component.cpe.Part().empty()) return component.cpe.ToString();  // a CPE was given
  return purl ? purl->ToString() : std::string();
}

std::pair<std::string, std::string> ProductOf(const Component& c) {
  return {Lower(c.cpe.Vendor()), Lower(c.cpe.Product())};
}

namespace {

// FNV-1a over the ASCII-lower-cased bytes: the same for "OpenSSL" and "openssl", so that a
// component's raw CPE value and a CVE's lower-cased product hash alike without a copy.
size_t ProductHash(std::string_view value) {
  uint64_t h = 1469598103934665603ULL;
  for (char ch : value) {
    auto c = static_cast<unsigned char>(ch);
    h ^= c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
    h *= 1099511628211ULL;
  }
  return static_cast<size_t>(h);
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
  c.platform_products.clear();
  std::set_difference(all.begin(), all.end(), vulnerable.begin(), vulnerable.end(),
                      std::back_inserter(c.platform_products));
  c.platform_hashes.clear();
  for (const auto& p : c.platform_products) c.platform_hashes.push_back(ProductHash(p));
}

bool Contains(const std::vector<std::string>& sorted, const std::string& v) {
  return std::binary_search(sorted.begin(), sorted.end(), v);
}

size_t PairHash(std::string_view vendor, std::string_view product) {
  return ProductHash(vendor) * 31 + ProductHash(product);
}

// ProductHash of a value from its PlainKey, which is the same FNV-1a of the lower-cased bytes for
// a plain value (0 for any other; 1 also for a hash of 0), or the hash computed.
size_t HashFromKey(uint64_t key, std::string_view value) {
  return key > 1 ? static_cast<size_t>(key) : ProductHash(value);
}

}  // namespace

CandidateIndex BuildIndex(const std::vector<std::unique_ptr<CandidateCve>>& cves) {
  CandidateIndex index;
  index.platform_bits.assign(1024, 0);
  for (const auto& c : cves) {
    Prepare(*c);
    for (const auto& p : c->products) index.by_product[p].push_back(c.get());
    for (size_t h : c->platform_hashes)
      index.platform_bits[(h >> 6) & 1023] |= uint64_t{1} << (h & 63);
  }
  index.by_hash.reserve(index.by_product.size());
  index.by_product_hash.reserve(index.by_product.size());
  for (const auto& [key, list] : index.by_product) {
    auto name = static_cast<uint32_t>(index.names.size());
    for (const std::string* part : {&key.first, &key.second}) {
      auto size = static_cast<uint32_t>(part->size());
      index.names.append(reinterpret_cast<const char*>(&size), sizeof size);
    }
    index.names += key.first;
    index.names += key.second;
    index.by_hash.push_back({PairHash(key.first, key.second), &key, &list, name});
    index.by_product_hash.push_back({ProductHash(key.second), &key, &list, name});
  }
  // Stable: within one hash, entries keep by_product's order.
  std::stable_sort(index.by_hash.begin(), index.by_hash.end());
  std::stable_sort(index.by_product_hash.begin(), index.by_product_hash.end());
  size_t size = 16;
  while (size < index.by_hash.size() * 2) size *= 2;
  index.pair_table.assign(size, {});
  index.product_table.assign(size, {});
  auto place = [](std::vector<CandidateIndex::Slot>& table, const CandidateIndex::Entry& e,
                  size_t at) {
    size_t i = e.hash & (table.size() - 1);
    while (table[i].at != 0) i = (i + 1) & (table.size() - 1);
    table[i] = {e.hash, static_cast<uint32_t>(at + 1), e.name};
  };
  for (size_t k = 0; k < index.by_hash.size(); ++k) place(index.pair_table, index.by_hash[k], k);
  // Only the first entry of each product name: FindAnyVendor's answer.
  for (size_t k = 0; k < index.by_product_hash.size(); ++k) {
    const auto& e = index.by_product_hash[k];
    bool first = true;
    for (size_t j = k; j-- > 0 && index.by_product_hash[j].hash == e.hash;)
      if (index.by_product_hash[j].key->second == e.key->second) first = false;
    if (first) place(index.product_table, e, k);
  }
  return index;
}

std::string_view CandidateIndex::NameVendor(uint32_t name) const {
  uint32_t size = 0;
  std::memcpy(&size, names.data() + name, sizeof size);
  return std::string_view(names).substr(name + 8, size);
}

std::string_view CandidateIndex::NameProduct(uint32_t name) const {
  uint32_t vendor = 0, size = 0;
  std::memcpy(&vendor, names.data() + name, sizeof vendor);
  std::memcpy(&size, names.data() + name + 4, sizeof size);
  return std::string_view(names).substr(name + 8 + vendor, size);
}

const CandidateIndex::Entry* CandidateIndex::Find(std::string_view vendor,
                                                  std::string_view product) const {
  return Find(vendor, product, ProductHash(vendor), ProductHash(product));
}

const CandidateIndex::Entry* CandidateIndex::Find(std::string_view vendor, std::string_view product,
                                                  size_t vendor_hash, size_t product_hash) const {
  if (pair_table.empty()) return nullptr;
  const size_t hash = vendor_hash * 31 + product_hash, mask = pair_table.size() - 1;
  for (size_t i = hash & mask; pair_table[i].at != 0; i = (i + 1) & mask) {
    if (pair_table[i].hash != hash) continue;
    const uint32_t name = pair_table[i].name;
    if (EqualsAsciiNoCase(NameVendor(name), vendor) &&
        EqualsAsciiNoCase(NameProduct(name), product))
      return &by_hash[pair_table[i].at - 1];
  }
  return nullptr;
}

const CandidateIndex::Entry* CandidateIndex::FindAnyVendor(std::string_view product) const {
  if (product_table.empty()) return nullptr;
  const size_t hash = ProductHash(product), mask = product_table.size() - 1;
  for (size_t i = hash & mask; product_table[i].at != 0; i = (i + 1) & mask) {
    if (product_table[i].hash != hash) continue;
    if (EqualsAsciiNoCase(NameProduct(product_table[i].name), product))
      return &by_product_hash[product_table[i].at - 1];
  }
  return nullptr;
}

CandidateIndex::List CandidateIndex::AnyVendor(std::string_view product) const {
  std::vector<const Entry*> found;
  Entry probe{ProductHash(product), nullptr, nullptr};
  for (auto it = std::lower_bound(by_product_hash.begin(), by_product_hash.end(), probe);
       it != by_product_hash.end() && it->hash == probe.hash; ++it)
    if (EqualsAsciiNoCase(it->key->second, product)) found.push_back(&*it);
  std::sort(found.begin(), found.end(),
            [](const Entry* a, const Entry* b) { return *a->key < *b->key; });
  List out;
  for (const Entry* e : found) out.insert(out.end(), e->cves->begin(), e->cves->end());
  return out;
}

namespace {

// A target's components by product: the platforms a CVE's criteria could name.
struct TargetPlatforms {
  // (ProductHash, slot), sorted; the product itself is compared too, so that a collision of
  // hashes never makes a platform of a component no criterion names.
  struct Entry {
    size_t hash;
    uint32_t slot;
  };
  std::vector<Entry> by_product;
  // A bit per hash (mod 1024) of those products: most platforms a CVE names are not on the
  // target, and this says so without a search.
  std::array<uint64_t, 16> seen{};
  void Add(size_t hash, uint32_t slot) {
    seen[(hash >> 6) & 15] |= uint64_t{1} << (hash & 63);
    by_product.push_back({hash, slot});
  }
  // By hash, a product's components in target order (their slots ascend): std::sort with the
  // slot as the tie-break gives stable_sort's order without its buffer.
  void Sort() {
    std::sort(by_product.begin(), by_product.end(), [](const Entry& a, const Entry& b) {
      return a.hash != b.hash ? a.hash < b.hash : a.slot < b.slot;
    });
  }
  [[nodiscard]] bool MaySee(size_t hash) const {
    return (seen[(hash >> 6) & 15] >> (hash & 63)) & 1;
  }
  std::vector<uint32_t> wild;  // a wildcard product may match any criterion
};

// The components of all targets that name one vendor:product, and the CVEs to evaluate them
// against. Work goes product by product, CVE by CVE over its components, so that a CVE's
// configurations are read from memory once for all of them, not once per component.
struct ProductGroup {
  std::span<const uint32_t> slots;  // in Data::slots
  std::vector<const CandidateCve*> by_any_vendor;
  const std::vector<const CandidateCve*>* candidates = nullptr;
};

// Runs fn(k) for k in [0, threads) on that many threads (k = 0 on this one).
template <typename Fn>
void OnCores(size_t threads, Fn fn) {
  std::vector<std::jthread> pool;
  for (size_t k = 1; k < threads; ++k) pool.emplace_back(fn, k);
  fn(0);
}

size_t Cores(size_t work) {
  if (work < 64) return 1;
  return std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 8);
}

}  // namespace

struct Matcher::Data {
  const std::vector<MatchTarget>* targets = nullptr;
  HugeVector<uint32_t> target_of;  // slot → target index
  HugeVector<const MatchComponent*> component_of;
  HugeVector<ComponentKeys> keys_of;  // slot → KeysOf its component
  std::vector<TargetPlatforms> platforms;
  HugeVector<uint8_t> target_wild;  // slot → its target has a component of wildcard product
  HugeVector<uint32_t> slots;       // the groups' components, group by group
  std::vector<ProductGroup> groups;
  std::vector<const ProductGroup*> work;

  [[nodiscard]] const Cpe& CpeOf(uint32_t slot) const { return component_of[slot]->component.cpe; }

  // Calls fn(other) for each of the target's components, besides this one, of a platform the
  // record names; stops at the first for which fn returns true, and says whether one did.
  template <typename Fn>
  bool ForEachPlatform(uint32_t slot, const CandidateCve& cve, Fn fn) const {
    const TargetPlatforms& tp = platforms[target_of[slot]];
    for (size_t k = 0; k < cve.platform_products.size(); ++k)
      if (size_t h = cve.platform_hashes[k]; tp.MaySee(h))
        for (auto it = std::lower_bound(
                 tp.by_product.begin(), tp.by_product.end(), h,
                 [](const TargetPlatforms::Entry&e, size_t x) { return e.hash < x; });
             it != tp.by_product.end() && it->hash == h; ++it)
          if (it->slot != slot &&
              EqualsAsciiNoCase(CpeOf(it->slot).Product(), cve.platform_products[k]) &&
              fn(it->slot))
            return true;
    return false;
  }

  // Whether Scratch would add a platform to the component (its target has no component of
  // wildcard product).
  [[nodiscard]] bool HasPlatform(uint32_t slot, const CandidateCve& cve) const {
    return ForEachPlatform(slot, cve, [](uint32_t) { return true; });
  }

  // The component, and as platforms the target's components whose product a criterion names
  // but no vulnerable one does (those get findings of their own, never this one's).
  void Scratch(uint32_t slot, const ComponentKeys& own, const CandidateCve& cve,
               std::vector<const Component*>* scratch, std::vector<ComponentKeys>* keys) const {
    const MatchComponent& mc = *component_of[slot];
    scratch->clear();
    keys->clear();
    scratch->push_back(&mc.component);
    keys->push_back(own);
    // Most CVEs name no platform, and most targets have no component of wildcard product: then
    // the component is all there is to evaluate, and the target is not looked at.
    if (cve.platform_products.empty() && !target_wild[slot]) return;
    ForEachPlatform(slot, cve, [&](uint32_t other) {
      scratch->push_back(&component_of[other]->component);
      keys->push_back(keys_of[other]);
      return false;
    });
    for (uint32_t other : platforms[target_of[slot]].wild)
      if (other != slot &&
          !Contains(cve.vulnerable_products, ProductOf(component_of[other]->component).second)) {
        scratch->push_back(&component_of[other]->component);
        keys->push_back(keys_of[other]);
      }
  }
};

Matcher::Matcher(const std::vector<MatchTarget>& targets, const CandidateIndex& index)
    : d_(std::make_unique<Data>()) {
  Data& d = *d_;
  d.targets = &targets;
  d.platforms.resize(targets.size());
  std::vector<uint32_t> first(targets.size() + 1, 0);
  for (size_t t = 0; t < targets.size(); ++t)
    first[t + 1] = first[t] + static_cast<uint32_t>(targets[t].components.size());
  const uint32_t total = first.back();
  d.target_of.resize(total);
  d.component_of.resize(total);
  d.keys_of.resize(total);
  d.target_wild.resize(total);
  // The group of each component to evaluate, placed into groups below by counting (linear, in
  // slot order). A group is the index's own vendor:product key, or for a component of unknown
  // vendor the first key of that product: an entry's position in by_hash (times two), or in
  // by_product_hash (times two, plus one) — plus one, 0 being no group.
  HugeVector<uint32_t> group_of(total, 0);
  std::vector<char> has_candidates(targets.size(), 0);
  size_t threads = Cores(targets.size());
  OnCores(threads, [&](size_t k) {
    for (size_t t = targets.size() * k / threads; t < targets.size() * (k + 1) / threads; ++t)
      for (uint32_t slot = first[t]; slot < first[t + 1]; ++slot) {
        const MatchComponent& mc = targets[t].components[slot - first[t]];
        d.target_of[slot] = static_cast<uint32_t>(t);
        d.component_of[slot] = &mc;
        d.keys_of[slot] = KeysOf(mc.component);
        std::string_view vendor = mc.component.cpe.Vendor();
        std::string_view product = mc.component.cpe.Product();
        if (product.empty() || product == "*") continue;  // nothing to look up
        // A component whose product the index does not know is no candidate and only ever a
        // platform — after a feed delta of a few thousand CVEs, that is most of a large ledger.
        bool any_vendor = vendor == "*";
        // The keys hashed the names as the index does: not hashed again.
        const ComponentKeys& keys = d.keys_of[slot];
        const CandidateIndex::Entry* e =
            any_vendor ? index.FindAnyVendor(product)
                       : index.Find(vendor, product, HashFromKey(keys.vendor, vendor),
                                    HashFromKey(keys.product, product));
        if (e == nullptr) continue;
        const auto& entries = any_vendor ? index.by_product_hash : index.by_hash;
        auto at = static_cast<uint64_t>(e - entries.data());
        group_of[slot] = static_cast<uint32_t>(at * 2 + (any_vendor ? 1 : 0) + 1);
        has_candidates[t] = 1;
      }
  });
  std::vector<uint32_t> at(index.by_hash.size() * 2 + 2, 0);  // group → its first in slots
  for (uint32_t g : group_of)
    if (g != 0) ++at[g];
  for (size_t g = 1; g < at.size(); ++g) at[g] += at[g - 1];
  d.slots.resize(at.back());
  std::vector<uint32_t> next(at.begin(), at.end() - 1);  // group g + 1 fills from at[g]
  for (uint32_t slot = 0; slot < total; ++slot)
    if (uint32_t g = group_of[slot]; g != 0) d.slots[next[g - 1]++] = slot;
  for (size_t group = 0; group + 1 < at.size(); ++group) {
    if (at[group] == at[group + 1]) continue;
    ProductGroup& g = d.groups.emplace_back();
    g.slots = std::span<const uint32_t>(d.slots).subspan(at[group], at[group + 1] - at[group]);
    if ((group & 1) != 0) {
      // An unknown vendor: every CVE naming the product is a candidate (evaluated as review).
      g.by_any_vendor = index.AnyVendor(index.by_product_hash[group / 2].key->second);
    } else {
      g.candidates = index.by_hash[group / 2].cves;
    }
  }
  for (auto& g : d.groups) {
    if (g.candidates == nullptr) g.candidates = &g.by_any_vendor;
    d.work.push_back(&g);
  }
  // The platforms of the targets that have something to evaluate.
  OnCores(threads, [&](size_t k) {
    for (size_t t = targets.size() * k / threads; t < targets.size() * (k + 1) / threads; ++t) {
      if (!has_candidates[t]) continue;
      TargetPlatforms& tp = d.platforms[t];
      for (uint32_t slot = first[t]; slot < first[t + 1]; ++slot) {
        std::string_view product = d.CpeOf(slot).Product();
        if (product.empty()) continue;
        // A product with a key is plain (no wildcard): only the others are looked at.
        const uint64_t key = d.keys_of[slot].product;
        if (key == 0 && CpeHasWildcard(product)) {
          tp.wild.push_back(slot);
        } else if (const size_t hash = HashFromKey(key, product); index.MayBePlatform(hash)) {
          tp.Add(hash, slot);  // the others are no CVE's platform
        }
      }
      tp.Sort();
      if (!tp.wild.empty())
        std::fill(d.target_wild.begin() + first[t], d.target_wild.begin() + first[t + 1], 1);
    }
  });
}

Matcher::~Matcher() = default;

static_assert(sizeof(Verdicted) == 16, "a million components give more than a million verdicts");

std::span<const CriterionRef> FoundCriteria::Of(size_t i) const {
  const Where& w = where[i];
  // The core's list holding it: the last that starts at or before it.
  size_t share =
      static_cast<size_t>(std::upper_bound(base.begin(), base.end(), w.at) - base.begin()) - 1;
  return {refs[share].data() + (w.at - base[share]), w.count};
}

HugeVector<Verdicted> Matcher::Verdicts(FoundCriteria* criteria) const {
  const Data& d = *d_;
  size_t threads = Cores(d.work.size());
  std::vector<HugeVector<Verdicted>> found(threads);
  // With criteria: each core's criteria, and where each of its findings' start.
  std::vector<CriterionRefs> refs(criteria != nullptr ? threads : 0);
  std::vector<HugeVector<uint32_t>> starts(refs.size());
  // Pure work over shared read-only data: each core its own products.
  OnCores(threads, [&](size_t k) {
    std::vector<const Component*> scratch, alone;
    std::vector<ComponentKeys> keys, alone_keys;
    std::vector<uint32_t> alone_slots, with_wild;  // with_wild: positions in g.slots
    std::vector<const Component*> some;  // of a record naming platforms: those evaluated alone
    std::vector<ComponentKeys> some_keys;
    std::vector<uint32_t> some_slots;
    std::vector<Verdict> verdicts;
    found[k].reserve(d.component_of.size() / threads);
    if (criteria != nullptr) {  // about one a finding (pages untouched until written)
      refs[k].reserve(d.component_of.size() / threads);
      starts[k].reserve(d.component_of.size() / threads);
    }
    // A finding, and with criteria the criteria that made it — found here, while the record is
    // in the cache: explained afterwards, in the components' order, every record was read from
    // memory again, and that took longer than the verdicts.
    auto keep = [&](const CandidateCve* cve, uint32_t slot, Verdict v) {
      found[k].push_back({cve, slot, v});
      if (criteria == nullptr) return;
      starts[k].push_back(static_cast<uint32_t>(refs[k].size()));
      (void)Criteria(found[k].back(), &refs[k]);
    };
    for (size_t w = k; w < d.work.size(); w += threads) {
      const ProductGroup& g = *d.work[w];
      // What the group's components need, side by side: read once here, not once per CVE from
      // a million components' places. Those whose target has a component of wildcard product
      // go through Scratch for every CVE; the others are evaluated alone, together, for each
      // CVE that names no platform.
      alone.clear();
      alone_keys.clear();
      alone_slots.clear();
      with_wild.clear();
      for (size_t i = 0; i < g.slots.size(); ++i) {
        uint32_t slot = g.slots[i];
        if (d.target_wild[slot] != 0) {
          with_wild.push_back(static_cast<uint32_t>(i));
          continue;
        }
        alone.push_back(&d.component_of[slot]->component);
        alone_keys.push_back(d.keys_of[slot]);
        alone_slots.push_back(slot);
      }
      verdicts.resize(alone.size());
      auto one = [&](uint32_t slot, const CandidateCve* cve) {
        d.Scratch(slot, d.keys_of[slot], *cve, &scratch, &keys);
        Verdict v = EvaluateVerdict(cve->configurations, scratch, keys.data());
        if (v != Verdict::kNotAffected) keep(cve, slot, v);
      };
      const std::vector<const CandidateCve*>& list = *g.candidates;
      for (size_t j = 0; j < list.size(); ++j) {
        // The CVEs ahead, a level deeper each step: each is read from memory for the first
        // time here (a chain of misses — the record, its configurations, their nodes — that
        // the evaluation would otherwise wait for in turn).
        if (j + 3 < list.size()) __builtin_prefetch(list[j + 3]);
        if (j + 2 < list.size() && !list[j + 2]->configurations.empty())
          __builtin_prefetch(list[j + 2]->configurations.data());
        if (j + 1 < list.size() && !list[j + 1]->configurations.empty())
          if (const auto& nodes = list[j + 1]->configurations.front().nodes; !nodes.empty()) {
            __builtin_prefetch(nodes.data());
            __builtin_prefetch(nodes.front().by_key.data());
            __builtin_prefetch(nodes.front().matches.data());
          }
        const CandidateCve* cve = list[j];
        // A record naming platforms ("running on"): the components whose target has one of them
        // are evaluated with it, one by one; the others alone, as for any record.
        const Component* const* batch = alone.data();
        const ComponentKeys* batch_keys = alone_keys.data();
        const uint32_t* batch_slots = alone_slots.data();
        size_t batch_size = alone.size();
        if (!cve->platform_products.empty()) {
          some.clear();
          some_keys.clear();
          some_slots.clear();
          for (size_t i = 0; i < alone.size(); ++i) {
            if (d.HasPlatform(alone_slots[i], *cve)) {
              one(alone_slots[i], cve);
              continue;
            }
            some.push_back(alone[i]);
            some_keys.push_back(alone_keys[i]);
            some_slots.push_back(alone_slots[i]);
          }
          batch = some.data();
          batch_keys = some_keys.data();
          batch_slots = some_slots.data();
          batch_size = some.size();
        }
        // A group's components bear its vendor and product: Find and FindAnyVendor compared
        // them with the index's key (and a component of unknown vendor has "*" as its vendor).
        EvaluateVerdictsAlone(cve->configurations, batch, batch_keys, batch_size, verdicts.data(),
                              /*same_names=*/true);
        for (size_t i = 0; i < batch_size; ++i)
          if (verdicts[i] != Verdict::kNotAffected) keep(cve, batch_slots[i], verdicts[i]);
        for (uint32_t i : with_wild) one(g.slots[i], cve);
      }
    }
  });
  // In slot order, each component's CVEs in the index's order (a component's pairs come from
  // one group, in that order already): counted, then placed.
  const size_t total = d.component_of.size();
  HugeVector<size_t> at(total + 1, 0);
  for (const auto& part : found)
    for (const auto& v : part) ++at[v.slot + 1];
  for (size_t k = 0; k < total; ++k) at[k + 1] += at[k];
  HugeVector<Verdicted> out(at[total]);
  if (criteria == nullptr) {
    for (const auto& part : found)
      for (const auto& v : part) out[at[v.slot]++] = v;
    return out;
  }
  criteria->where.resize(out.size());
  criteria->base.assign(threads, 0);
  for (size_t k = 1; k < threads; ++k)
    criteria->base[k] = criteria->base[k - 1] + refs[k - 1].size();
  for (size_t k = 0; k < threads; ++k)
    for (size_t j = 0; j < found[k].size(); ++j) {
      const size_t to = at[found[k][j].slot]++;
      out[to] = found[k][j];
      const size_t end = j + 1 < starts[k].size() ? starts[k][j + 1] : refs[k].size();
      criteria->where[to] = {static_cast<uint32_t>(criteria->base[k] + starts[k][j]),
                             static_cast<uint32_t>(end - starts[k][j])};
    }
  criteria->refs = std::move(refs);
  return out;
}

Match Matcher::Pair(const Verdicted& v) const {
  const Data& d = *d_;
  return Match{
      &(*d.targets)[d.target_of[v.slot]], d.component_of[v.slot], v.cve->id, v.verdict, {}};
}

Verdict Matcher::Criteria(const Verdicted& v, CriterionRefs* out) const {
  const Data& d = *d_;
  // The thread's lists, kept from call to call (a finding is explained in a fraction of a
  // microsecond, and the verdicts' pass for MatchTargets explains every one).
  thread_local std::vector<const Component*> scratch;
  thread_local std::vector<ComponentKeys> keys;
  d.Scratch(v.slot, d.keys_of[v.slot], *v.cve, &scratch, &keys);
  return EvaluateCriteria(v.cve->configurations, scratch, keys.data(), out);
}

std::span<const CriterionRef> Matches::Criteria(size_t i) const {
  return criteria_.Of(i);
}

std::vector<Match> Matches::Written() const {
  std::vector<Match> out;
  out.reserve(size());
  for (size_t i = 0; i < size(); ++i) {
    Match& m = out.emplace_back(matcher_->Pair(verdicts_[i]));
    std::span<const CriterionRef> criteria = Criteria(i);
    m.evidence.reserve(criteria.size());
    for (const auto& r : criteria) m.evidence.push_back(WriteEvidence(r));
  }
  return out;
}

Matches MatchTargets(const std::vector<MatchTarget>& targets, const CandidateIndex& index) {
  Matches out;
  out.matcher_ = std::make_unique<Matcher>(targets, index);
  out.verdicts_ = out.matcher_->Verdicts(&out.criteria_);
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
