// Large transient arrays on transparent huge pages: the matcher's per-component arrays for a
// million components (tens of MiB each, written once and dropped after the match).
//
// Why by hand: fresh memory is paid for page by page at its first write, and in a virtual
// machine a page fault is an exit to the hypervisor — on the VM the benchmarks run on, 2.7 ms
// per MiB of 4 KiB pages against 0.08 ms on 2 MiB pages (madvise(MADV_HUGEPAGE)); a million
// components' arrays (~140 MiB) took a third of the match in faults. glibc has a per-process
// tunable for this (glibc.malloc.hugetlb, set in the environment before start) and jemalloc, the
// binary's allocator, only all-or-nothing (opt.thp, which grew the resident set by 70 MiB of
// small allocations' pages); an allocator for these few arrays is what neither offers.
// Where THP is off ("never", or not built into the kernel), madvise fails and the arrays are
// ordinary anonymous memory: nothing else changes.
#pragma once

#include <cstddef>
#include <new>
#include <vector>

namespace mamori {

// Arrays of at least this many bytes get their own mapping, 2 MiB-aligned and advised as huge
// pages; smaller ones come from operator new as usual.
inline constexpr size_t kHugePageArrayBytes = size_t{2} << 20;

void* AllocateHugePages(size_t bytes);  // throws std::bad_alloc when the mapping fails
void FreeHugePages(void* p, size_t bytes);

template <typename T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>& /*other*/) noexcept {}  // NOLINT: rebinding

  T* allocate(size_t n) {  // NOLINT(readability-identifier-naming): the Allocator interface
    const size_t bytes = n * sizeof(T);  // NOLINT(bugprone-sizeof-expression): T may be a pointer
    if (bytes >= kHugePageArrayBytes) return static_cast<T*>(AllocateHugePages(bytes));
    return static_cast<T*>(::operator new (bytes, std::align_val_t{alignof(T)}));
  }
  void deallocate(T* p, size_t n) noexcept {  // NOLINT(readability-identifier-naming)
    const size_t bytes = n * sizeof(T);  // NOLINT(bugprone-sizeof-expression): T may be a pointer
    if (bytes >= kHugePageArrayBytes) {
      FreeHugePages(p, bytes);
      return;
    }
    ::operator delete (p, std::align_val_t{alignof(T)});
  }
  template <typename U>
  friend bool operator==(const HugePageAllocator& /*a*/, const HugePageAllocator<U>& /*b*/) {
    return true;
  }
};

// A vector whose large buffers are on huge pages (growing, it moves like any vector).
template <typename T>
using HugeVector = std::vector<T, HugePageAllocator<T>>;

}  // namespace mamori
