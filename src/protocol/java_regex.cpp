#include "java_regex.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <exception>
#include <vector>

#include <boost/regex.hpp>

#include "unicode_classes.h"

namespace iamlocal::protocol::detail {

static_assert(sizeof(wchar_t) == 4, "patterns are matched on UTF-32 code points");

namespace {

bool isContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }



int hexDigit(wchar_t c) {
  if (c >= L'0' && c <= L'9') return static_cast<int>(c - L'0');
  if (c >= L'a' && c <= L'f') return static_cast<int>(c - L'a' + 10);
  if (c >= L'A' && c <= L'F') return static_cast<int>(c - L'A' + 10);
  return -1;
}

void appendCodePoint(std::wstring& out, std::uint32_t cp) {
  static constexpr wchar_t kHex[] = L"0123456789ABCDEF";
  out += L"\\x{";
  bool started = false;
  for (int shift = 20; shift >= 0; shift -= 4) {
    unsigned digit = (cp >> shift) & 0xF;
    if (digit != 0 || started || shift == 0) {
      out.push_back(kHex[digit]);
      started = true;
    }
  }
  out.push_back(L'}');
}

void appendRanges(std::wstring& out, std::span<const CodeRange> ranges) {
  for (const CodeRange& r : ranges) {
    appendCodePoint(out, r.first);
    if (r.last != r.first) {
      out.push_back(L'-');
      appendCodePoint(out, r.last);
    }
  }
}

// Java's POSIX classes (\p{Alpha} ...) are US-ASCII only, as are \w \d \s.
constexpr std::array kAsciiAlpha = {CodeRange{'A', 'Z'}, CodeRange{'a', 'z'}};
constexpr std::array kAsciiDigit = {CodeRange{'0', '9'}};
constexpr std::array kAsciiAlnum = {CodeRange{'0', '9'}, CodeRange{'A', 'Z'}, CodeRange{'a', 'z'}};
constexpr std::array kAsciiWord = {CodeRange{'0', '9'}, CodeRange{'A', 'Z'}, CodeRange{'_', '_'},
                                   CodeRange{'a', 'z'}};
constexpr std::array kAsciiSpace = {CodeRange{'\t', '\r'}, CodeRange{' ', ' '}};
constexpr std::array kAsciiUpper = {CodeRange{'A', 'Z'}};
constexpr std::array kAsciiLower = {CodeRange{'a', 'z'}};
constexpr std::array kAsciiPunct = {CodeRange{'!', '/'}, CodeRange{':', '@'}, CodeRange{'[', '`'},
                                    CodeRange{'{', '~'}};
constexpr std::array kAsciiXDigit = {CodeRange{'0', '9'}, CodeRange{'A', 'F'}, CodeRange{'a', 'f'}};
constexpr std::array kAsciiGraph = {CodeRange{'!', '~'}};
constexpr std::array kAsciiPrint = {CodeRange{' ', '~'}};
constexpr std::array kAsciiCntrl = {CodeRange{0, 0x1F}, CodeRange{0x7F, 0x7F}};
constexpr std::array kAscii = {CodeRange{0, 0x7F}};

std::span<const CodeRange> namedClass(std::string_view name) {
  if (name == "Alpha") return kAsciiAlpha;
  if (name == "Digit") return kAsciiDigit;
  if (name == "Alnum") return kAsciiAlnum;
  if (name == "Upper") return kAsciiUpper;
  if (name == "Lower") return kAsciiLower;
  if (name == "Punct") return kAsciiPunct;
  if (name == "XDigit") return kAsciiXDigit;
  if (name == "Space") return kAsciiSpace;
  if (name == "Graph") return kAsciiGraph;
  if (name == "Print") return kAsciiPrint;
  if (name == "Cntrl") return kAsciiCntrl;
  if (name == "ASCII") return kAscii;
  if (name.starts_with("Is")) name.remove_prefix(2);
  return unicodeCategoryRanges(name);
}

// Emits a class (positive or negated) either as a bracket expression of its
// own or, inside an enclosing [...], as bare ranges.
bool emitClass(std::wstring& out, std::span<const CodeRange> ranges, bool negated, bool in_set) {
  if (ranges.empty()) return false;
  if (in_set) {
    if (negated) return false;  // [^...] cannot be nested in Boost's syntax
    appendRanges(out, ranges);
    return true;
  }
  out += negated ? L"[^" : L"[";
  appendRanges(out, ranges);
  out.push_back(L']');
  return true;
}

}  // namespace

namespace {

// Reads the code point at s[i], advancing i; false on invalid UTF-8.
bool nextCodePoint(std::string_view s, std::size_t& i, std::uint32_t& cp) {
  auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    cp = c;
    ++i;
    return true;
  }
  std::size_t extra;
  std::uint32_t min;
  if ((c & 0xE0) == 0xC0) {
    extra = 1, cp = c & 0x1F, min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    extra = 2, cp = c & 0x0F, min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    extra = 3, cp = c & 0x07, min = 0x10000;
  } else {
    return false;
  }
  if (i + extra >= s.size()) return false;
  for (std::size_t k = 1; k <= extra; ++k) {
    auto cc = static_cast<unsigned char>(s[i + k]);
    if (!isContinuation(cc)) return false;
    cp = (cp << 6) | (cc & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
  i += extra + 1;
  return true;
}

// After "\\u" at p[i]: the code point, advancing i. Java reads exactly four
// hex digits. The STS model also writes supplementary code points as
// \u10000-\u10FFFF, meaning planes 1-16; a \u1XXX followed by more hex
// digits that still form a code point <= U+10FFFF is read that way (no
// model uses the other reading).
std::optional<std::uint32_t> readUnicodeEscape(const std::wstring& p, std::size_t& i) {
  std::uint32_t cp = 0;
  for (int k = 0; k < 4; ++k) {
    if (i >= p.size() || hexDigit(p[i]) < 0) return std::nullopt;
    cp = cp * 16 + static_cast<std::uint32_t>(hexDigit(p[i++]));
  }
  if (cp >= 0x1000 && cp <= 0x10FF) {
    std::uint32_t wide = cp;
    std::size_t j = i;
    int digits = 4;
    while (digits < 6 && j < p.size() && hexDigit(p[j]) >= 0) {
      wide = wide * 16 + static_cast<std::uint32_t>(hexDigit(p[j++]));
      ++digits;
    }
    if (digits > 4 && wide >= 0x10000 && wide <= 0x10FFFF) {
      cp = wide;
      i = j;
    }
  }
  return cp;
}

// "\\p{Name}" or "\\pN" after the 'p' at p[i]: the name, advancing i.
std::optional<std::string> readClassName(const std::wstring& p, std::size_t& i) {
  std::string name;
  if (i < p.size() && p[i] == L'{') {
    ++i;
    while (i < p.size() && p[i] != L'}') {
      if (p[i] >= 0x80) return std::nullopt;
      name.push_back(static_cast<char>(p[i++]));
    }
    if (i >= p.size()) return std::nullopt;
    ++i;  // '}'
    return name;
  }
  if (i < p.size() && p[i] < 0x80) {
    name.push_back(static_cast<char>(p[i++]));
    return name;
  }
  return std::nullopt;
}

// Most AWS patterns are one character class repeated ([\\w+=,.@-]+,
// [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*). Those are matched by looking each code
// point up in the class's ranges, which is many times faster than Boost's
// set matching over hundreds of Unicode ranges.
struct SimpleClass {
  std::vector<CodeRange> ranges;  // sorted, merged
  std::uint64_t ascii[2] = {0, 0};
  bool negated = false;
  bool allow_empty = false;

  bool contains(std::uint32_t cp) const {
    bool in;
    if (cp < 128) {
      in = (ascii[cp >> 6] >> (cp & 63)) & 1;
    } else {
      auto it = std::upper_bound(ranges.begin(), ranges.end(), cp,
                                 [](std::uint32_t v, const CodeRange& r) { return v < r.first; });
      in = it != ranges.begin() && cp <= std::prev(it)->last;
    }
    return in != negated;
  }
};

std::optional<SimpleClass> parseSimpleClass(const std::wstring& p) {
  std::size_t i = 0;
  const std::size_t n = p.size();
  if (i < n && p[i] == L'^') ++i;
  if (i >= n || p[i] != L'[') return std::nullopt;
  ++i;
  SimpleClass sc;
  if (i < n && p[i] == L'^') {
    sc.negated = true;
    ++i;
  }
  std::vector<CodeRange> items;
  bool can_start_range = false;  // the last item was a single character
  bool pending_dash = false;
  while (true) {
    if (i >= n) return std::nullopt;
    wchar_t c = p[i];
    if (c == L']') {
      if (items.empty()) return std::nullopt;
      ++i;
      break;
    }
    if (c == L'[' || (c == L'&' && i + 1 < n && p[i + 1] == L'&')) return std::nullopt;
    std::optional<std::uint32_t> single;
    std::span<const CodeRange> cls;
    if (c == L'\\') {
      if (i + 1 >= n) return std::nullopt;
      wchar_t e = p[i + 1];
      i += 2;
      switch (e) {
        case L'u':
          single = readUnicodeEscape(p, i);
          if (!single) return std::nullopt;
          break;
        case L'w': cls = kAsciiWord; break;
        case L'd': cls = kAsciiDigit; break;
        case L's': cls = kAsciiSpace; break;
        case L'p': {
          auto name = readClassName(p, i);
          if (!name) return std::nullopt;
          cls = namedClass(*name);
          if (cls.empty()) return std::nullopt;
          break;
        }
        case L't': single = '\t'; break;
        case L'n': single = '\n'; break;
        case L'r': single = '\r'; break;
        case L'f': single = '\f'; break;
        default:
          // An escaped punctuation character stands for itself.
          if (e >= 0x80 || std::isalnum(static_cast<int>(e))) return std::nullopt;
          single = static_cast<std::uint32_t>(e);
      }
    } else if (c == L'-') {
      ++i;
      if (can_start_range && i < n && p[i] != L']') {
        pending_dash = true;
        can_start_range = false;
        continue;
      }
      single = '-';
    } else {
      single = static_cast<std::uint32_t>(c);
      ++i;
    }
    if (!cls.empty()) {
      if (pending_dash) return std::nullopt;
      items.insert(items.end(), cls.begin(), cls.end());
      can_start_range = false;
      continue;
    }
    if (pending_dash) {
      if (*single < items.back().first) return std::nullopt;
      items.back().last = *single;
      pending_dash = false;
      can_start_range = false;
      continue;
    }
    items.push_back(CodeRange{*single, *single});
    can_start_range = true;
  }
  if (i >= n) return std::nullopt;
  if (p[i] == L'+') {
    sc.allow_empty = false;
  } else if (p[i] == L'*') {
    sc.allow_empty = true;
  } else {
    return std::nullopt;
  }
  ++i;
  if (i < n && p[i] == L'$') ++i;
  if (i != n) return std::nullopt;

  std::sort(items.begin(), items.end(), [](const CodeRange& a, const CodeRange& b) { return a.first < b.first; });
  for (const CodeRange& r : items) {
    if (!sc.ranges.empty() && r.first <= sc.ranges.back().last + 1) {
      sc.ranges.back().last = std::max(sc.ranges.back().last, r.last);
    } else {
      sc.ranges.push_back(r);
    }
  }
  for (const CodeRange& r : sc.ranges) {
    for (std::uint32_t cp = r.first; cp <= r.last && cp < 128; ++cp) sc.ascii[cp >> 6] |= std::uint64_t{1} << (cp & 63);
  }
  return sc;
}

}  // namespace

std::optional<std::wstring> decodeUtf8(std::string_view s) {
  std::wstring out;
  out.reserve(s.size());
  std::size_t i = 0;
  std::uint32_t cp;
  while (i < s.size()) {
    if (!nextCodePoint(s, i, cp)) return std::nullopt;
    out.push_back(static_cast<wchar_t>(cp));
  }
  return out;
}

std::size_t codePointLength(std::string_view s) {
  if (auto decoded = decodeUtf8(s)) return decoded->size();
  return s.size();
}

std::optional<std::wstring> translateJavaPattern(std::string_view java) {
  auto decoded = decodeUtf8(java);
  if (!decoded) return std::nullopt;
  const std::wstring& p = *decoded;
  std::wstring out;
  out.reserve(p.size() * 2);
  bool in_set = false;
  // Inside [...]: what the last item allows. Java reads a '-' that cannot
  // form a range (after a range or a class, or at either end) as a literal,
  // where Boost rejects it, so such dashes are escaped.
  enum class SetState { Start, Atom, NoRange, Dash } set_state = SetState::Start;
  auto atom = [&] { set_state = set_state == SetState::Dash ? SetState::NoRange : SetState::Atom; };
  auto classItem = [&] {
    bool ok = set_state != SetState::Dash;
    set_state = SetState::NoRange;
    return ok;
  };
  std::size_t i = 0;
  while (i < p.size()) {
    wchar_t c = p[i];
    if (c == L'[') {
      // Java nests classes ([a[b]]) and intersects them (&&); Boost does not.
      if (in_set) return std::nullopt;
      in_set = true;
      set_state = SetState::Start;
      out.push_back(c);
      ++i;
      if (i < p.size() && p[i] == L'^') out.push_back(p[i++]);
      if (i < p.size() && p[i] == L']') return std::nullopt;  // "[]" is an error in Java
      continue;
    }
    if (c == L']') {
      in_set = false;
      out.push_back(c);
      ++i;
      continue;
    }
    if (in_set && c == L'&' && i + 1 < p.size() && p[i + 1] == L'&') return std::nullopt;
    if (in_set && c == L'-') {
      if (set_state == SetState::Atom && i + 1 < p.size() && p[i + 1] != L']') {
        out.push_back(c);
        set_state = SetState::Dash;
      } else {
        out += L"\\-";
        atom();
      }
      ++i;
      continue;
    }
    if (in_set && c != L'\\') atom();
    if (c != L'\\') {
      if (c < 0x80) {
        out.push_back(c);
      } else {
        appendCodePoint(out, static_cast<std::uint32_t>(c));
      }
      ++i;
      continue;
    }
    if (i + 1 >= p.size()) return std::nullopt;
    wchar_t e = p[i + 1];
    i += 2;
    bool is_class = e == L'p' || e == L'P' || e == L'w' || e == L'W' || e == L'd' || e == L'D' || e == L's' ||
                    e == L'S';
    if (in_set) {
      if (is_class) {
        if (!classItem()) return std::nullopt;
      } else {
        atom();
      }
    }
    switch (e) {
      case L'u': {
        auto cp = readUnicodeEscape(p, i);
        if (!cp) return std::nullopt;
        appendCodePoint(out, *cp);
        break;
      }
      case L'p':
      case L'P': {
        auto name = readClassName(p, i);
        if (!name) return std::nullopt;
        if (!emitClass(out, namedClass(*name), e == L'P', in_set)) return std::nullopt;
        break;
      }
      case L'w':
      case L'W':
        if (!emitClass(out, kAsciiWord, e == L'W', in_set)) return std::nullopt;
        break;
      case L'd':
      case L'D':
        if (!emitClass(out, kAsciiDigit, e == L'D', in_set)) return std::nullopt;
        break;
      case L's':
      case L'S':
        if (!emitClass(out, kAsciiSpace, e == L'S', in_set)) return std::nullopt;
        break;
      case L'Q': {
        // Literal text up to \E.
        while (i < p.size() && !(p[i] == L'\\' && i + 1 < p.size() && p[i + 1] == L'E')) {
          appendCodePoint(out, static_cast<std::uint32_t>(p[i++]));
        }
        if (i < p.size()) i += 2;
        break;
      }
      default:
        // \. \- \/ \\ \t \n \x{..} \b ... mean the same in Boost's perl syntax.
        out.push_back(L'\\');
        if (e < 0x80) {
          out.push_back(e);
        } else {
          out.pop_back();
          appendCodePoint(out, static_cast<std::uint32_t>(e));
        }
    }
  }
  if (in_set) return std::nullopt;
  return out;
}

struct JavaPattern::Impl {
  std::optional<SimpleClass> simple;  // the fast path, when the pattern allows it
  boost::wregex regex;                // otherwise
};

JavaPattern::JavaPattern(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
JavaPattern::~JavaPattern() = default;

std::unique_ptr<JavaPattern> JavaPattern::compile(std::string_view java, bool allow_fast_path) {
  auto translated = translateJavaPattern(java);
  if (!translated) return nullptr;
  try {
    auto impl = std::make_unique<Impl>();
    if (allow_fast_path) {
      if (auto decoded = decodeUtf8(java)) impl->simple = parseSimpleClass(*decoded);
    }
    if (!impl->simple) impl->regex.assign(*translated, boost::regex_constants::perl);
    return std::unique_ptr<JavaPattern>(new JavaPattern(std::move(impl)));
  } catch (const std::exception&) {
    return nullptr;
  }
}

bool JavaPattern::matches(std::string_view utf8) const {
  if (impl_->simple) {
    const SimpleClass& sc = *impl_->simple;
    if (utf8.empty()) return sc.allow_empty;
    std::size_t i = 0;
    std::uint32_t cp;
    while (i < utf8.size()) {
      if (!nextCodePoint(utf8, i, cp) || !sc.contains(cp)) return false;
    }
    return true;
  }
  auto wide = decodeUtf8(utf8);
  if (!wide) return false;
  try {
    // Java's '.' stops at line terminators; Boost's would not without the flag.
    return boost::regex_match(*wide, impl_->regex, boost::match_not_dot_newline);
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace iamlocal::protocol::detail
