#include "core/huge_pages.hpp"

#include <sys/mman.h>

#include <cstdint>

namespace mamori {

namespace {

constexpr size_t kHugePage = size_t{2} << 20;

size_t Rounded(size_t bytes) {
  return (bytes + kHugePage - 1) & ~(kHugePage - 1);
}

}  // namespace

void* AllocateHugePages(size_t bytes) {
  const size_t size = Rounded(bytes);
  // Mapped one huge page larger, then trimmed to a 2 MiB boundary: the kernel places a huge
  // page only on an aligned 2 MiB range.
  const size_t mapped = size + kHugePage;
  void* raw = mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  char* start = static_cast<char*>(raw);
  const size_t head = (kHugePage - reinterpret_cast<uintptr_t>(raw) % kHugePage) % kHugePage;
  char* p = start + head;
  if (head > 0) munmap(start, head);
  if (const size_t tail = mapped - head - size; tail > 0) munmap(p + size, tail);
  (void)madvise(p, size, MADV_HUGEPAGE);  // advice: without THP the pages are ordinary ones
  return p;
}

void FreeHugePages(void* p, size_t bytes) {
  munmap(p, Rounded(bytes));
}

}  // namespace mamori
