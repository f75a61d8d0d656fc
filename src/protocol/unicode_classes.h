// Code-point ranges of Unicode general categories (L, N, Z, ...), for
// translating Java's \p{X} classes into something Boost.Regex without ICU
// understands. The tables are generated (gen_unicode_classes.py).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace iamlocal::protocol::detail {

struct CodeRange {
  std::uint32_t first;
  std::uint32_t last;  // inclusive
};

// Ranges of the named category ("L", "Nd", "Zs", ...), sorted; empty if unknown.
std::span<const CodeRange> unicodeCategoryRanges(std::string_view name);

}  // namespace iamlocal::protocol::detail
