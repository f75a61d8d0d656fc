#include "iamlocal/policy/document.h"

#include <gtest/gtest.h>

namespace iamlocal::policy {
namespace {

TEST(PolicyDocument, RejectsTextThatIsNotAJsonObjectWithAwsSyntaxMessage) {
  for (const char* text : {"", "not json", "[1,2]", "null", "{\"Statement\": [}", "{\"a\":1,}"}) {
    SCOPED_TRACE(text);
    auto doc = parseDocument(text);
    ASSERT_FALSE(doc.has_value());
    EXPECT_EQ(doc.error().code, ErrorCode::MalformedPolicyDocument);
    EXPECT_EQ(doc.error().message, "Syntax errors in policy.");
  }
}

TEST(PolicyDocument, ParsesEveryElementOfAStatement) {
  auto doc = parseDocument(R"({
  "Version": "2012-10-17",
  "Id": "policy-1",
  "Statement": [{
    "Sid": "One",
    "Effect": "Allow",
    "Principal": {"AWS": ["123456789012", "arn:aws:iam::123456789012:user/a"], "Service": "ec2.amazonaws.com"},
    "Action": ["s3:GetObject", "s3:PutObject"],
    "NotResource": "arn:aws:s3:::b/*",
    "Condition": {"NumericLessThan": {"s3:max-keys": 10}, "Bool": {"aws:SecureTransport": true}}
  }]
})");
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ(doc->version, PolicyVersion::V2012_10_17);
  EXPECT_TRUE(doc->supportsVariables());
  EXPECT_EQ(doc->id, "policy-1");
  ASSERT_EQ(doc->statements.size(), 1u);
  const Statement& st = doc->statements[0];
  EXPECT_EQ(st.sid, "One");
  EXPECT_EQ(st.effect, "Allow");
  EXPECT_EQ(st.action.values, (std::vector<std::string>{"s3:GetObject", "s3:PutObject"}));
  EXPECT_TRUE(st.action.is_array);
  EXPECT_FALSE(st.resource.present);
  EXPECT_EQ(st.not_resource.values, std::vector<std::string>{"arn:aws:s3:::b/*"});
  ASSERT_TRUE(st.principal.present);
  ASSERT_EQ(st.principal.entries.size(), 2u);
  EXPECT_EQ(st.principal.entries[0].first, "AWS");
  EXPECT_EQ(st.principal.entries[0].second.size(), 2u);
  ASSERT_EQ(st.conditions.size(), 2u);
  // Numbers and booleans are kept as the text AWS compares.
  EXPECT_EQ(st.conditions[0].op, "Bool");
  EXPECT_EQ(st.conditions[0].values, std::vector<std::string>{"true"});
  EXPECT_EQ(st.conditions[1].values, std::vector<std::string>{"10"});
  EXPECT_TRUE(doc->syntax_problems.empty());
}

TEST(PolicyDocument, AcceptsASingleStatementObjectAndNoVersion) {
  auto doc = parseDocument(R"({"Statement": {"Effect": "Deny", "Action": "*", "Resource": "*"}})");
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ(doc->version, PolicyVersion::Unspecified);
  EXPECT_FALSE(doc->supportsVariables());
  ASSERT_EQ(doc->statements.size(), 1u);
  EXPECT_FALSE(doc->statements[0].action.is_array);
  EXPECT_EQ(doc->statements[0].start, (Position{1, 15}));
  EXPECT_EQ(doc->statements[0].end, (Position{1, 64}));
}

TEST(PolicyDocument, RecordsWhereEachStatementStartsAndEnds) {
  const std::string text =
      "{\n"
      "  \"Version\": \"2012-10-17\",\n"
      "  \"Statement\": [\n"
      "    {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"},\n"
      "    {\n"
      "      \"Effect\": \"Deny\",\n"
      "      \"Action\": \"s3:DeleteBucket\",\n"
      "      \"Resource\": \"*\"\n"
      "    }\n"
      "  ]\n"
      "}\n";
  auto doc = parseDocument(text);
  ASSERT_TRUE(doc.has_value());
  ASSERT_EQ(doc->statements.size(), 2u);
  EXPECT_EQ(doc->statements[0].start, (Position{4, 5}));
  EXPECT_EQ(doc->statements[0].end, (Position{4, 58}));
  EXPECT_EQ(doc->statements[1].start, (Position{5, 5}));
  EXPECT_EQ(doc->statements[1].end, (Position{9, 5}));
  EXPECT_EQ(doc->statements[1].positionOf("Action"), (Position{7, 7}));
}

TEST(PolicyDocument, CountsColumnsInCharactersNotBytes) {
  auto doc = parseDocument("{\"Id\": \"caf\xc3\xa9\", \"Statement\": {\"Effect\": \"Allow\"}}");
  ASSERT_TRUE(doc.has_value());
  ASSERT_EQ(doc->statements.size(), 1u);
  EXPECT_EQ(doc->statements[0].start, (Position{1, 29}));
}

TEST(PolicyDocument, KeepsWrongTypesAsSyntaxProblemsWithTheirPlace) {
  auto doc = parseDocument(R"({"Statement": [{"Effect": "Allow", "Action": 5, "Resource": ["*", {}]}]})");
  ASSERT_TRUE(doc.has_value());
  ASSERT_EQ(doc->syntax_problems.size(), 2u);
  EXPECT_EQ(doc->syntax_problems[0].describe(),
            "Statement[0].Action: expected a string or an array of strings, got number (line 1, column 36)");
  EXPECT_EQ(doc->syntax_problems[1].where, "Statement[0].Resource[1]");
  EXPECT_EQ(doc->syntax_problems[1].aws_message, "Syntax errors in policy.");
}

}  // namespace
}  // namespace iamlocal::policy
