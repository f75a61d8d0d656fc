#include "iamlocal/core/ids.h"

#include <set>

#include <gtest/gtest.h>

namespace iamlocal {
namespace {

TEST(Ids, UniqueIdHasPrefixAndTwentyOneChars) {
  auto id = ids::uniqueId(ids::kRolePrefix);
  EXPECT_EQ(id.size(), 21u);
  EXPECT_EQ(id.substr(0, 4), "AROA");
  EXPECT_EQ(id.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), std::string::npos);
}

TEST(Ids, AccessKeyIdsAreTwentyChars) {
  EXPECT_EQ(ids::accessKeyId().size(), 20u);
  EXPECT_EQ(ids::accessKeyId().substr(0, 4), "AKIA");
  EXPECT_EQ(ids::accessKeyId(ids::kTemporaryAccessKeyPrefix).substr(0, 4), "ASIA");
}

TEST(Ids, RequestIdsAreVersionFourUuids) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    auto id = ids::requestId();
    ASSERT_EQ(id.size(), 36u);
    EXPECT_EQ(id[14], '4');
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos);
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

}  // namespace
}  // namespace iamlocal
