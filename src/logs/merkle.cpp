#include "logs/merkle.hpp"

#include <openssl/evp.h>

namespace mamori::logs {

namespace {

// SHA-256 fetched from the provider once: EVP_sha256() makes EVP_DigestInit_ex fetch the
// implementation again on every call (OpenSSL 3), which cost more than hashing a short event.
const EVP_MD* Sha256() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md != nullptr ? md : EVP_sha256();
}

// One digest context per thread, reused: verifying a store hashes every event and every node.
Hash Sha(std::string_view a, std::string_view b = {}, std::string_view c = {}) {
  struct Ctx {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~Ctx() { EVP_MD_CTX_free(ctx); }
  };
  thread_local Ctx t;
  EVP_DigestInit_ex(t.ctx, Sha256(), nullptr);
  EVP_DigestUpdate(t.ctx, a.data(), a.size());
  if (!b.empty()) EVP_DigestUpdate(t.ctx, b.data(), b.size());
  if (!c.empty()) EVP_DigestUpdate(t.ctx, c.data(), c.size());
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(t.ctx, md, &len);
  return {reinterpret_cast<const char*>(md), len};
}

// The largest power of two smaller than n (n > 1).
uint64_t Split(uint64_t n) {
  uint64_t k = 1;
  while (k << 1 < n) k <<= 1;
  return k;
}

void Path(const std::vector<Hash>& leaves, uint64_t m, uint64_t begin, uint64_t end,
          std::vector<Hash>& out) {
  uint64_t n = end - begin;
  if (n <= 1) return;
  uint64_t k = Split(n);
  if (m < k) {
    Path(leaves, m, begin, begin + k, out);
    out.push_back(RootOf(leaves, begin + k, end));
  } else {
    Path(leaves, m - k, begin + k, end, out);
    out.push_back(RootOf(leaves, begin, begin + k));
  }
}

// SUBPROOF(m, D[begin:end], b) of RFC 6962 §2.1.2.
void SubProof(const std::vector<Hash>& leaves, uint64_t m, uint64_t begin, uint64_t end, bool whole,
              std::vector<Hash>& out) {
  uint64_t n = end - begin;
  if (m == n) {
    if (!whole) out.push_back(RootOf(leaves, begin, end));
    return;
  }
  uint64_t k = Split(n);
  if (m <= k) {
    SubProof(leaves, m, begin, begin + k, whole, out);
    out.push_back(RootOf(leaves, begin + k, end));
  } else {
    SubProof(leaves, m - k, begin + k, end, false, out);
    out.push_back(RootOf(leaves, begin, begin + k));
  }
}

}  // namespace

Hash LeafHash(std::string_view entry) {
  static const std::string kZero(1, '\0');
  return Sha(kZero, entry);
}

Hash LeafHash(std::string_view head, std::string_view tail) {
  static const std::string kZero(1, '\0');
  return Sha(kZero, head, tail);
}

Hash NodeHash(std::string_view left, std::string_view right) {
  static const std::string kOne(1, '\1');
  return Sha(kOne, left, right);
}

Hash EmptyRoot() {
  return Sha({});
}

CompactTree CompactTree::FromFrontier(std::vector<Hash> frontier, uint64_t size) {
  CompactTree t;
  t.stack_ = std::move(frontier);
  t.size_ = size;
  return t;
}

void CompactTree::Append(const Hash& leaf) {
  Hash h = leaf;
  // Merge equal-sized perfect subtrees: as many as the trailing one bits of the old size.
  for (uint64_t n = size_; (n & 1) != 0; n >>= 1) {
    h = NodeHash(stack_.back(), h);
    stack_.pop_back();
  }
  stack_.push_back(std::move(h));
  ++size_;
}

Hash CompactTree::Root() const {
  if (stack_.empty()) return EmptyRoot();
  Hash root = stack_.back();
  for (size_t i = stack_.size() - 1; i-- > 0;) root = NodeHash(stack_[i], root);
  return root;
}

Hash RootOf(const std::vector<Hash>& leaves, uint64_t begin, uint64_t end) {
  uint64_t n = end - begin;
  if (n == 0) return EmptyRoot();
  if (n == 1) return leaves[begin];
  uint64_t k = Split(n);
  return NodeHash(RootOf(leaves, begin, begin + k), RootOf(leaves, begin + k, end));
}

std::vector<Hash> InclusionProof(const std::vector<Hash>& leaves, uint64_t index, uint64_t size) {
  std::vector<Hash> out;
  if (index < size && size <= leaves.size()) Path(leaves, index, 0, size, out);
  return out;
}

MerkleLevels::MerkleLevels(const std::vector<Hash>& leaves, uint64_t size) {
  levels_.emplace_back(
      leaves.begin(),
      leaves.begin() + static_cast<std::ptrdiff_t>(std::min<uint64_t>(size, leaves.size())));
  while (levels_.back().size() > 1) {
    const auto& below = levels_.back();
    std::vector<Hash> up;
    up.reserve((below.size() + 1) / 2);
    for (size_t i = 0; i + 1 < below.size(); i += 2) up.push_back(NodeHash(below[i], below[i + 1]));
    if (below.size() % 2 == 1) up.push_back(below.back());
    levels_.push_back(std::move(up));
  }
}

Hash MerkleLevels::Root() const {
  return levels_.front().empty() ? EmptyRoot() : levels_.back().front();
}

std::vector<Hash> MerkleLevels::Path(uint64_t index) const {
  std::vector<Hash> out;
  if (index >= levels_.front().size()) return out;
  for (size_t l = 0; l + 1 < levels_.size(); ++l) {
    uint64_t sibling = index ^ 1;
    if (sibling < levels_[l].size()) out.push_back(levels_[l][sibling]);
    index >>= 1;
  }
  return out;
}

bool VerifyInclusion(const Hash& leaf, uint64_t index, uint64_t size,
                     const std::vector<Hash>& proof, const Hash& root) {
  // RFC 9162 §2.1.3.2.
  if (index >= size) return false;
  uint64_t fn = index, sn = size - 1;
  Hash r = leaf;
  for (const auto& p : proof) {
    if (sn == 0) return false;
    if ((fn & 1) != 0 || fn == sn) {
      r = NodeHash(p, r);
      if ((fn & 1) == 0)
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

std::vector<Hash> ConsistencyProof(const std::vector<Hash>& leaves, uint64_t old_size,
                                   uint64_t new_size) {
  std::vector<Hash> out;
  if (old_size == 0 || old_size >= new_size || new_size > leaves.size()) return out;
  SubProof(leaves, old_size, 0, new_size, true, out);
  return out;
}

bool VerifyConsistency(uint64_t old_size, uint64_t new_size, const Hash& old_root,
                       const Hash& new_root, const std::vector<Hash>& proof) {
  // RFC 9162 §2.1.4.2.
  if (old_size > new_size) return false;
  if (old_size == new_size) return proof.empty() && old_root == new_root;
  if (old_size == 0) return proof.empty();
  if (proof.empty()) return false;
  std::vector<Hash> path = proof;
  if ((old_size & (old_size - 1)) == 0) path.insert(path.begin(), old_root);
  uint64_t fn = old_size - 1, sn = new_size - 1;
  while ((fn & 1) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path[0], sr = path[0];
  for (size_t i = 1; i < path.size(); ++i) {
    if (sn == 0) return false;
    const Hash& c = path[i];
    if ((fn & 1) != 0 || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      if ((fn & 1) == 0)
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return fr == old_root && sr == new_root && sn == 0;
}

}  // namespace mamori::logs
