#include "iamlocal/core/strings.h"

#include <gtest/gtest.h>

namespace iamlocal {
namespace {

TEST(UriEncode, KeepsUnreservedAndEncodesTheRestUpperCase) {
  EXPECT_EQ(uriEncode("Az09-_.~"), "Az09-_.~");
  EXPECT_EQ(uriEncode("{\"a\": \"b/c\"}"), "%7B%22a%22%3A%20%22b%2Fc%22%7D");
  EXPECT_EQ(uriEncode("/a b/", false), "/a%20b/");
}

TEST(UriDecode, DecodesPlusAsSpaceOnlyWhenAsked) {
  std::string out;
  ASSERT_TRUE(uriDecode("a+b%2Bc", out));
  EXPECT_EQ(out, "a b+c");
  ASSERT_TRUE(uriDecode("a+b", out, false));
  EXPECT_EQ(out, "a+b");
}

TEST(UriDecode, RejectsTruncatedOrNonHexEscapes) {
  std::string out;
  EXPECT_FALSE(uriDecode("%", out));
  EXPECT_FALSE(uriDecode("%4", out));
  EXPECT_FALSE(uriDecode("%zz", out));
}

TEST(ParseFormEncoded, KeepsOrderAndEmptyValues) {
  std::vector<std::pair<std::string, std::string>> out;
  ASSERT_TRUE(parseFormEncoded("Action=ListUsers&Version=2010-05-08&Marker=&X", out));
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0], (std::pair<std::string, std::string>{"Action", "ListUsers"}));
  EXPECT_EQ(out[2], (std::pair<std::string, std::string>{"Marker", ""}));
  EXPECT_EQ(out[3], (std::pair<std::string, std::string>{"X", ""}));
}

TEST(CaseInsensitiveLess, OrdersIgnoringAsciiCase) {
  CaseInsensitiveLess less;
  EXPECT_FALSE(less("Admin", "admin"));
  EXPECT_FALSE(less("admin", "Admin"));
  EXPECT_TRUE(less("alpha", "Beta"));
}

TEST(AppendXmlEscaped, EscapesMarkupCharacters) {
  std::string out;
  appendXmlEscaped(out, "<a href=\"x\">&'</a>");
  EXPECT_EQ(out, "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;");
}

}  // namespace
}  // namespace iamlocal
