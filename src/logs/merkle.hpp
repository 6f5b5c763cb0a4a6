// RFC 6962 (Certificate Transparency) Merkle tree hashing over the log store's events: leaf
// hash SHA-256(0x00 ‖ entry), node hash SHA-256(0x01 ‖ left ‖ right), the tree of n leaves split
// at the largest power of two below n. Written here because no Debian package offers it as a
// library (the algorithms are a page of RFC 6962 §2.1; they are tested against its definitions
// and against each other: every proof produced is verified).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mamori::logs {

using Hash = std::string;  // 32 raw bytes

Hash LeafHash(std::string_view entry);
// The leaf hash of the entry `head ‖ tail`, without joining them first.
Hash LeafHash(std::string_view head, std::string_view tail);
Hash NodeHash(std::string_view left, std::string_view right);
// The root of no leaves: SHA-256 of the empty string.
Hash EmptyRoot();

// The root of a growing tree, one leaf at a time, in O(log n) memory: the perfect subtrees of
// the leaves so far (the binary digits of n), largest first.
class CompactTree {
 public:
  CompactTree() = default;
  // The tree of `size` leaves given its perfect subtree roots (a checkpoint's frontier).
  static CompactTree FromFrontier(std::vector<Hash> frontier, uint64_t size);
  void Append(const Hash& leaf);
  [[nodiscard]] const std::vector<Hash>& Frontier() const { return stack_; }
  [[nodiscard]] Hash Root() const;
  [[nodiscard]] uint64_t size() const { return size_; }

 private:
  std::vector<Hash> stack_;  // perfect subtree roots, sizes decreasing
  uint64_t size_ = 0;
};

// Root of leaves[begin, end) by the RFC's recursive definition.
Hash RootOf(const std::vector<Hash>& leaves, uint64_t begin, uint64_t end);

// The audit path of leaf `index` in the tree of the first `size` leaves (RFC 6962 §2.1.1).
std::vector<Hash> InclusionProof(const std::vector<Hash>& leaves, uint64_t index, uint64_t size);

// Every level of the tree of the first `size` leaves, built once (2 × size hashes), so that many
// inclusion proofs cost O(log n) each (an export of a range proves thousands of events). An
// unpaired last node is carried up a level, which gives RFC 6962's tree exactly.
class MerkleLevels {
 public:
  MerkleLevels(const std::vector<Hash>& leaves, uint64_t size);
  [[nodiscard]] Hash Root() const;
  // The same path as InclusionProof(leaves, index, size).
  [[nodiscard]] std::vector<Hash> Path(uint64_t index) const;

 private:
  std::vector<std::vector<Hash>> levels_;
};
bool VerifyInclusion(const Hash& leaf, uint64_t index, uint64_t size,
                     const std::vector<Hash>& proof, const Hash& root);

// The consistency proof between the trees of the first `old_size` and `new_size` leaves
// (RFC 6962 §2.1.2), and its check (the algorithm of RFC 9162 §2.1.4.2).
std::vector<Hash> ConsistencyProof(const std::vector<Hash>& leaves, uint64_t old_size,
                                   uint64_t new_size);
bool VerifyConsistency(uint64_t old_size, uint64_t new_size, const Hash& old_root,
                       const Hash& new_root, const std::vector<Hash>& proof);

}  // namespace mamori::logs
