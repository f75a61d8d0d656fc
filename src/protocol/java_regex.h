// AWS models carry Java regular expressions (\uXXXX escapes, \p{L}, ASCII
// \w) that must match a member's WHOLE value. JavaPattern translates one
// into Boost.Regex syntax over code points, so "é" is one character as Java
// sees it and a string that is not valid UTF-8 never matches.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace iamlocal::protocol::detail {

// Decodes strict UTF-8 (no overlongs, no surrogates, <= U+10FFFF) into code
// points (wchar_t is 32 bits here); nullopt when `s` is not valid UTF-8.
std::optional<std::wstring> decodeUtf8(std::string_view s);

// The number of characters AWS counts for a length constraint: code points
// of valid UTF-8, bytes otherwise.
std::size_t codePointLength(std::string_view s);

// The Boost (perl syntax, wide) form of a Java pattern, or nullopt when it
// uses a construct we cannot translate.
std::optional<std::wstring> translateJavaPattern(std::string_view java);

class JavaPattern {
 public:
  ~JavaPattern();
  JavaPattern(const JavaPattern&) = delete;
  JavaPattern& operator=(const JavaPattern&) = delete;

  // nullptr when the pattern cannot be translated or compiled. Patterns that
  // are one repeated character class skip the regex engine unless
  // `allow_fast_path` is false (tests compare both ways).
  static std::unique_ptr<JavaPattern> compile(std::string_view java, bool allow_fast_path = true);

  // True when all of `utf8` matches. Invalid UTF-8 never matches, nor does a
  // value so pathological that the regex engine gives up.
  bool matches(std::string_view utf8) const;

 private:
  struct Impl;
  explicit JavaPattern(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace iamlocal::protocol::detail
