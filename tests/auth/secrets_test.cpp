// Secret material: its alphabet, its spread, and that no two draws repeat.
#include "iamlocal/auth/secrets.h"

#include <array>
#include <set>
#include <string>
#include <thread>

#include <gtest/gtest.h>

namespace iamlocal::auth {
namespace {

TEST(Secrets, SecretAccessKeysAreFortyCharacters) {
  EXPECT_EQ(secretAccessKey().size(), 40u);
  EXPECT_NE(secretAccessKey(), secretAccessKey());
}

TEST(Secrets, SecretCharsUseEveryOneOfTheSixtyFourSymbolsEvenly) {
  // 2 MiB in all: the generator re-keys (every 1 MiB) along the way.
  std::array<std::size_t, 256> counts{};
  std::set<std::string> seen;
  for (int i = 0; i < 512; ++i) {
    std::string s = secretChars(4096);
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

TEST(Secrets, SecretsDrawnOnDifferentThreadsDiffer) {
  std::string a, b;
  std::thread first([&] { a = secretChars(64); });
  std::thread second([&] { b = secretChars(64); });
  first.join();
  second.join();
  EXPECT_NE(a, b);
  EXPECT_NE(a, secretChars(64));
}

}  // namespace
}  // namespace iamlocal::auth
