#include "iamlocal/core/ids.h"

#include <array>
#include <set>
#include <string>
#include <thread>

#include <gtest/gtest.h>

namespace iamlocal {
namespace {

TEST(Ids, UniqueIdHasPrefixAndTwentyOneChars) {
  auto id = ids::uniqueId(ids::kRolePrefix);
  EXPECT_EQ(id.size(), 21u);
  EXPECT_EQ(id.substr(0, 4), "AROA");
  EXPECT_EQ(id.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), std::string::npos);
}

TEST(Ids, AccessKeysAreTwentyCharsAndSecretsForty) {
  EXPECT_EQ(ids::accessKeyId().size(), 20u);
  EXPECT_EQ(ids::accessKeyId().substr(0, 4), "AKIA");
  EXPECT_EQ(ids::accessKeyId(ids::kTemporaryAccessKeyPrefix).substr(0, 4), "ASIA");
  EXPECT_EQ(ids::secretAccessKey().size(), 40u);
}

TEST(Ids, SecretCharsUseEveryOneOfTheSixtyFourSymbolsEvenly) {
  // 2 MiB in all: the generator re-keys (every 1 MiB) along the way.
  std::array<std::size_t, 256> counts{};
  std::set<std::string> seen;
  for (int i = 0; i < 512; ++i) {
    std::string s = ids::secretChars(4096);
    ASSERT_EQ(s.size(), 4096u);
    for (unsigned char c : s) ++counts[c];
    seen.insert(s.substr(0, 40));
  }
  EXPECT_EQ(seen.size(), 512u);
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::size_t total = 0;
  for (char c : alphabet) {
    // 32768 expected per symbol; 5 % either way is > 9 standard deviations.
    EXPECT_NEAR(static_cast<double>(counts[static_cast<unsigned char>(c)]), 32768.0, 1640.0) << c;
    total += counts[static_cast<unsigned char>(c)];
  }
  EXPECT_EQ(total, 512u * 4096u);  // nothing outside the alphabet
}

TEST(Ids, SecretsDrawnOnDifferentThreadsDiffer) {
  std::string a, b;
  std::thread first([&] { a = ids::secretChars(64); });
  std::thread second([&] { b = ids::secretChars(64); });
  first.join();
  second.join();
  EXPECT_NE(a, b);
  EXPECT_NE(a, ids::secretChars(64));
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
