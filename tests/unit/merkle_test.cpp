// RFC 6962 Merkle trees: the Certificate Transparency reference roots for its eight test leaves,
// the compact (streaming) root equal to the recursive definition, and every inclusion and
// consistency proof of small trees verifying — and failing when a hash or size is wrong.
#include "logs/merkle.hpp"

#include <gtest/gtest.h>

#include "core/crypto.hpp"

namespace mamori::logs {
namespace {

std::vector<Hash> Leaves(size_t n) {
  std::vector<Hash> out;
  for (size_t i = 0; i < n; ++i) out.push_back(LeafHash("event " + std::to_string(i)));
  return out;
}

TEST(Merkle, ReferenceRootsOfTheCertificateTransparencyTestLeaves) {
  // The leaves and roots of the CT reference implementation's tests (merkle_tree_test).
  std::vector<std::string> data = {
      "",
      std::string("\x00", 1),
      "\x10",
      "\x20\x21",
      "\x30\x31",
      "\x40\x41\x42\x43",
      "\x50\x51\x52\x53\x54\x55\x56\x57",
      "\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f"};
  std::vector<std::string> roots = {
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};
  CompactTree t;
  std::vector<Hash> leaves;
  for (size_t i = 0; i < data.size(); ++i) {
    leaves.push_back(LeafHash(data[i]));
    t.Append(leaves.back());
    EXPECT_EQ(ToHex(t.Root()), roots[i]) << i + 1;
    EXPECT_EQ(ToHex(RootOf(leaves, 0, leaves.size())), roots[i]) << i + 1;
  }
  EXPECT_EQ(ToHex(EmptyRoot()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Merkle, CompactTreeEqualsTheDefinitionAndResumesFromItsFrontier) {
  auto leaves = Leaves(70);
  CompactTree t;
  for (size_t n = 1; n <= leaves.size(); ++n) {
    t.Append(leaves[n - 1]);
    ASSERT_EQ(t.Root(), RootOf(leaves, 0, n)) << n;
    CompactTree resumed = CompactTree::FromFrontier(t.Frontier(), t.size());
    for (size_t m = n; m < std::min(leaves.size(), n + 5); ++m) resumed.Append(leaves[m]);
    ASSERT_EQ(resumed.Root(), RootOf(leaves, 0, std::min(leaves.size(), n + 5))) << n;
  }
}

TEST(Merkle, EveryInclusionProofVerifiesAndAWrongOneFails) {
  auto leaves = Leaves(33);
  for (uint64_t n = 1; n <= leaves.size(); ++n) {
    Hash root = RootOf(leaves, 0, n);
    for (uint64_t i = 0; i < n; ++i) {
      auto proof = InclusionProof(leaves, i, n);
      ASSERT_TRUE(VerifyInclusion(leaves[i], i, n, proof, root)) << i << "/" << n;
      EXPECT_FALSE(VerifyInclusion(LeafHash("other"), i, n, proof, root));
      if (n > 1) {
        EXPECT_FALSE(VerifyInclusion(leaves[i], (i + 1) % n, n, proof, root));
      }
      if (!proof.empty()) {
        auto bad = proof;
        bad[0][0] = static_cast<char>(bad[0][0] ^ 1);
        EXPECT_FALSE(VerifyInclusion(leaves[i], i, n, bad, root));
      }
    }
  }
}

TEST(Merkle, EveryConsistencyProofVerifiesAndAWrongOneFails) {
  auto leaves = Leaves(33);
  for (uint64_t n = 2; n <= leaves.size(); ++n) {
    Hash new_root = RootOf(leaves, 0, n);
    for (uint64_t m = 1; m < n; ++m) {
      Hash old_root = RootOf(leaves, 0, m);
      auto proof = ConsistencyProof(leaves, m, n);
      ASSERT_TRUE(VerifyConsistency(m, n, old_root, new_root, proof)) << m << "→" << n;
      EXPECT_FALSE(VerifyConsistency(m, n, LeafHash("x"), new_root, proof));
      EXPECT_FALSE(VerifyConsistency(m, n, old_root, LeafHash("x"), proof));
    }
  }
}

TEST(Merkle, LevelsGiveTheSameRootsAndPathsAsTheRecursiveDefinition) {
  auto leaves = Leaves(70);
  for (uint64_t size = 1; size <= 70; ++size) {
    MerkleLevels tree(leaves, size);
    ASSERT_EQ(tree.Root(), RootOf(leaves, 0, size)) << size;
    for (uint64_t i = 0; i < size; ++i)
      ASSERT_EQ(tree.Path(i), InclusionProof(leaves, i, size)) << size << " " << i;
    EXPECT_TRUE(tree.Path(size).empty());
  }
  EXPECT_EQ(MerkleLevels({}, 0).Root(), RootOf({}, 0, 0));
}

}  // namespace
}  // namespace mamori::logs
