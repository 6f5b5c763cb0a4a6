// core/huge_pages.hpp: large arrays on their own 2 MiB-aligned mappings, small ones from
// operator new; either holds what is written through growth, copies and moves.
#include "core/huge_pages.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <numeric>

namespace mamori {
namespace {

constexpr size_t kTwoMiB = size_t{2} << 20;

TEST(HugeVector, LargeArrayIsAlignedToHugePages) {
  HugeVector<uint64_t> v(kHugePageArrayBytes / sizeof(uint64_t) + 3);  // past one huge page
  EXPECT_EQ(reinterpret_cast<uintptr_t>(v.data()) % kTwoMiB, 0U);
  std::iota(v.begin(), v.end(), uint64_t{7});
  EXPECT_EQ(v.front(), 7U);
  EXPECT_EQ(v.back(), 7U + v.size() - 1);
}

TEST(HugeVector, SmallArrayComesFromTheHeap) {
  HugeVector<uint32_t> v(100, 5);
  EXPECT_EQ(v.size(), 100U);
  EXPECT_EQ(v[99], 5U);
}

TEST(HugeVector, GrowsFromSmallToLargeKeepingItsValues) {
  HugeVector<uint32_t> v;
  const size_t n = 3 * kHugePageArrayBytes / sizeof(uint32_t);  // crosses the threshold growing
  for (size_t i = 0; i < n; ++i) v.push_back(static_cast<uint32_t>(i * 2654435761U));
  ASSERT_EQ(v.size(), n);
  for (size_t i = 0; i < n; i += 4093) EXPECT_EQ(v[i], static_cast<uint32_t>(i * 2654435761U));
  EXPECT_EQ(v.back(), static_cast<uint32_t>((n - 1) * 2654435761U));
  HugeVector<uint32_t> copy = v;  // a mapping of its own
  EXPECT_NE(copy.data(), v.data());
  EXPECT_EQ(copy, v);
  HugeVector<uint32_t> moved = std::move(copy);  // the mapping itself
  EXPECT_EQ(moved, v);
  v.clear();
  v.shrink_to_fit();  // unmapped
  EXPECT_EQ(moved.size(), n);
}

}  // namespace
}  // namespace mamori
