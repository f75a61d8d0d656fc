#include <string>

#include <gtest/gtest.h>

#include "../../src/protocol/java_regex.h"

namespace iamlocal::protocol::detail {
namespace {

TEST(JavaPattern, MatchesWholeValuesAsJavaWould) {
  struct Case {
    std::string pattern;
    std::string value;
    bool matches;
  };
  const Case cases[] = {
      {"[\\w+=,.@-]+", "app+svc=1,x.y@z-w_", true},
      {"[\\w+=,.@-]+", "a b", false},
      {"[\\w+=,.@-]+", "", false},
      {"[\\w+=,.@-]+", "caf\xc3\xa9", false},  // Java's \w is ASCII
      {"[\\w+=,.@-]+", "ok\nno", false},       // whole value, not a line
      {"[\\w+=,.@-]*", "", true},
      {"(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)", "/", true},
      {"(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)", "/a/b/", true},
      {"(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)", "/a b/", false},
      {"(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)", "a/", false},
      {"[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+", "\xc3\xa9quipe \xe6\x97\xa5\xe6\x9c\xac \xd9\xa3-1", true},
      {"[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+", "a\xc2\xa0" "b", true},  // U+00A0 is in \p{Z}
      {"[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+", "k{", false},
      {"[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+", "tab\t", false},
      {"[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+", "\xf0\x9f\x98\x80", false},  // an emoji is not a letter
      {"[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+", "{\"a\":\"\xc3\xbf\"}\n", true},
      {"[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+", "\xe2\x82\xac", false},  // U+20AC
      {"[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-\\u10FFFF]+",
       "emoji \xf0\x9f\x98\x80 ok", true},
      {"[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-\\u10FFFF]+", "bell\x07",
       false},
      {"\\d{12}", "000000000000", true},
      {"\\d{12}", "00000000000a", false},
      {"^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$", "my-bucket", true},
      {"^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$", "my--bucket", false},
      {"^o-[0-9a-z]{10,32}\\/r-[0-9a-z]{4,32}[0-9a-z-\\/]*", "o-abcdefghij/r-abcd/ou-1", true},
      {"[\\w+=,.@:\\/-]*", "a:b/c", true},
      {"v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?", "v12.beta-1", true},
      {"a.c", "a\nc", false},  // Java's '.' does not match a line terminator
      {"\\Q[x]\\E+", "[x]]]", true},
  };
  for (bool fast_path : {true, false}) {
    for (const Case& c : cases) {
      SCOPED_TRACE(c.pattern + " ~ " + c.value + (fast_path ? " (fast path)" : " (regex)"));
      auto pattern = JavaPattern::compile(c.pattern, fast_path);
      ASSERT_NE(pattern, nullptr);
      EXPECT_EQ(pattern->matches(c.value), c.matches);
    }
  }
}

TEST(JavaPattern, InvalidUtf8NeverMatches) {
  auto pattern = JavaPattern::compile("[\\u0000-\\u00FF]*");
  ASSERT_NE(pattern, nullptr);
  for (std::string bad : {std::string("\xff"), std::string("\xc3"), std::string("\xc0\x80"),
                          std::string("\xed\xa0\x80"), std::string("\xf4\x90\x80\x80")}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(pattern->matches(bad));
  }
}

TEST(JavaPattern, RejectsWhatItCannotTranslate) {
  for (const char* pattern : {"[a-z&&[^e]]", "[a[b]]", "\\p{NoSuchClass}", "[\\P{L}]", "[abc", "\\", "\\u12"}) {
    SCOPED_TRACE(pattern);
    EXPECT_EQ(JavaPattern::compile(pattern), nullptr);
  }
}

TEST(Utf8, CountsCodePointsOrBytesWhenInvalid) {
  EXPECT_EQ(codePointLength("abc"), 3u);
  EXPECT_EQ(codePointLength("caf\xc3\xa9"), 4u);
  EXPECT_EQ(codePointLength("\xf0\x9f\x98\x80"), 1u);
  EXPECT_EQ(codePointLength("a\xff"), 2u);
}

}  // namespace
}  // namespace iamlocal::protocol::detail
