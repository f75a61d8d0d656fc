#include "iamlocal/store/aws_managed_policies.h"

#include <fstream>
#include <set>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "iamlocal/core/strings.h"

namespace iamlocal::store {
namespace {

TEST(AwsManagedPolicies, CatalogueHoldsEveryPolicyOfTheDataset) {
  std::ifstream in(IAMLOCAL_SOURCE_DIR "/data/aws-managed-policies.json");
  ASSERT_TRUE(in);
  auto data = nlohmann::ordered_json::parse(in);
  const auto& policies = data.at("policies");
  ASSERT_EQ(awsManagedPolicies().size(), policies.size());
  for (const auto& p : policies) {
    const auto arn = p.at("Arn").get<std::string>();
    SCOPED_TRACE(arn);
    const AwsManagedPolicy* found = findAwsManagedPolicy(arn);
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(found->name, p.at("PolicyName").get<std::string>());
    EXPECT_EQ(found->path, p.at("Path").get<std::string>());
    EXPECT_EQ(found->default_version_id, p.at("DefaultVersionId").get<std::string>());
    EXPECT_EQ(found->deprecated, p.at("Deprecated").get<bool>());
    // The document comes back as the compact dump of the dataset's object,
    // keys in their original order.
    EXPECT_EQ(found->document, p.at("Document").dump());
  }
}

TEST(AwsManagedPolicies, AreOrderedByNameIgnoringCase) {
  auto all = awsManagedPolicies();
  CaseInsensitiveLess less;
  for (std::size_t i = 1; i < all.size(); ++i) {
    SCOPED_TRACE(all[i].name);
    EXPECT_TRUE(less(all[i - 1].name, all[i].name));
  }
}

TEST(AwsManagedPolicies, AdministratorAccessIsKnownWithItsDocument) {
  const AwsManagedPolicy* admin = findAwsManagedPolicy("arn:aws:iam::aws:policy/AdministratorAccess");
  ASSERT_NE(admin, nullptr);
  EXPECT_EQ(admin->name, "AdministratorAccess");
  EXPECT_EQ(admin->path, "/");
  auto doc = nlohmann::json::parse(admin->document);
  EXPECT_EQ(doc["Statement"][0]["Effect"], "Allow");
  EXPECT_EQ(doc["Statement"][0]["Action"], "*");
}

TEST(AwsManagedPolicies, IdsAreUniqueStableAndShapedLikeAwsPolicyIds) {
  std::set<std::string_view> ids;
  for (const auto& p : awsManagedPolicies()) {
    SCOPED_TRACE(p.arn);
    ASSERT_EQ(p.id.size(), 21u);
    EXPECT_TRUE(p.id.starts_with("ANPA"));
    EXPECT_EQ(p.id.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), std::string_view::npos);
    EXPECT_TRUE(ids.insert(p.id).second);
  }
}

TEST(AwsManagedPolicies, DatesAreWrittenInZuluForm) {
  for (const auto& p : awsManagedPolicies()) {
    SCOPED_TRACE(p.arn);
    EXPECT_EQ(p.create_date.size(), 20u);
    EXPECT_TRUE(p.create_date.ends_with("Z"));
    EXPECT_TRUE(p.update_date.ends_with("Z"));
  }
}

TEST(AwsManagedPolicies, UnknownOrForeignArnsAreNotFound) {
  for (std::string_view arn : {"arn:aws:iam::aws:policy/NoSuchPolicyAtAll", "arn:aws:iam::aws:policy/administratoraccess",
                               "arn:aws:iam::123456789012:policy/AdministratorAccess", "", "AdministratorAccess"}) {
    SCOPED_TRACE(arn);
    EXPECT_EQ(findAwsManagedPolicy(arn), nullptr);
  }
}

TEST(AwsManagedPolicies, RecognisesTheAwsPolicyNamespace) {
  EXPECT_TRUE(isAwsManagedPolicyArn("arn:aws:iam::aws:policy/NoSuchPolicyAtAll"));
  EXPECT_TRUE(isAwsManagedPolicyArn("arn:aws:iam::aws:policy/service-role/AWSLambdaRole"));
  EXPECT_FALSE(isAwsManagedPolicyArn("arn:aws:iam::123456789012:policy/mine"));
}

}  // namespace
}  // namespace iamlocal::store
