// TOTP as virtual MFA devices compute it: RFC 4226's HOTP test values,
// RFC 6238's TOTP (SHA-1) test values cut to six digits, the ±1 step window,
// and RFC 4648's Base32 test vectors.
#include "iamlocal/auth/totp.h"

#include <chrono>

#include <gtest/gtest.h>

namespace iamlocal::auth {
namespace {

constexpr std::string_view kRfcSeed = "12345678901234567890";

TimePoint at(std::int64_t unix_seconds) { return TimePoint(std::chrono::seconds(unix_seconds)); }

TEST(Hotp, MatchesRfc4226AppendixDValues) {
  const char* expected[] = {"755224", "287082", "359152", "969429", "338314",
                            "254676", "287922", "162583", "399871", "520489"};
  for (std::uint64_t counter = 0; counter < 10; ++counter) {
    SCOPED_TRACE(counter);
    EXPECT_EQ(hotpCode(kRfcSeed, counter), expected[counter]);
  }
}

TEST(Totp, MatchesRfc6238Sha1ValuesCutToSixDigits) {
  struct Case {
    std::int64_t time;
    const char* code;  // the RFC's eight digits, last six
  } cases[] = {{59, "287082"},         {1111111109, "081804"}, {1111111111, "050471"},
               {1234567890, "005924"}, {2000000000, "279037"}};
  // The RFC's last value (T = 20000000000, "353130") is past what a
  // nanosecond system_clock can hold; HOTP of its step checks the arithmetic.
  EXPECT_EQ(hotpCode(kRfcSeed, 20000000000 / 30), "353130");
  for (const auto& c : cases) {
    SCOPED_TRACE(c.time);
    EXPECT_EQ(totpCode(kRfcSeed, at(c.time)), c.code);
  }
}

TEST(Totp, StepsAreThirtySeconds) {
  EXPECT_EQ(totpStep(at(0)), 0u);
  EXPECT_EQ(totpStep(at(29)), 0u);
  EXPECT_EQ(totpStep(at(30)), 1u);
  EXPECT_EQ(totpCode(kRfcSeed, at(30)), totpCode(kRfcSeed, at(59)));
}

TEST(Totp, AcceptsTheCodesOfOneStepEitherSide) {
  const TimePoint now = at(1111111111);
  const std::uint64_t step = totpStep(now);
  EXPECT_EQ(matchTotpStep(kRfcSeed, hotpCode(kRfcSeed, step), now), step);
  EXPECT_EQ(matchTotpStep(kRfcSeed, hotpCode(kRfcSeed, step - 1), now), step - 1);
  EXPECT_EQ(matchTotpStep(kRfcSeed, hotpCode(kRfcSeed, step + 1), now), step + 1);
}

TEST(Totp, RefusesCodesTwoStepsAwayAndMalformedCodes) {
  const TimePoint now = at(1111111111);
  const std::uint64_t step = totpStep(now);
  EXPECT_FALSE(matchTotpStep(kRfcSeed, hotpCode(kRfcSeed, step - 2), now));
  EXPECT_FALSE(matchTotpStep(kRfcSeed, hotpCode(kRfcSeed, step + 2), now));
  EXPECT_FALSE(matchTotpStep(kRfcSeed, "", now));
  EXPECT_FALSE(matchTotpStep(kRfcSeed, "12345", now));
  EXPECT_FALSE(matchTotpStep(kRfcSeed, "1234567", now));
}

TEST(Totp, AWiderWindowReachesFurther) {
  const TimePoint now = at(1111111111);
  const std::uint64_t step = totpStep(now);
  EXPECT_EQ(matchTotpStep(kRfcSeed, hotpCode(kRfcSeed, step - 5), now, 10), step - 5);
}

TEST(Base32, EncodesRfc4648TestVectors) {
  EXPECT_EQ(base32Encode(""), "");
  EXPECT_EQ(base32Encode("f"), "MY======");
  EXPECT_EQ(base32Encode("fo"), "MZXQ====");
  EXPECT_EQ(base32Encode("foo"), "MZXW6===");
  EXPECT_EQ(base32Encode("foob"), "MZXW6YQ=");
  EXPECT_EQ(base32Encode("fooba"), "MZXW6YTB");
  EXPECT_EQ(base32Encode("foobar"), "MZXW6YTBOI======");
}

TEST(Base32, FortyByteSeedsEncodeToSixtyFourCharactersWithoutPadding) {
  const std::string seed(40, '\x5a');
  const std::string text = base32Encode(seed);
  EXPECT_EQ(text.size(), 64u);
  EXPECT_EQ(text.find('='), std::string::npos);
  EXPECT_EQ(base32Decode(text), seed);
}

TEST(Base32, DecodesIgnoringCaseSpacesAndPadding) {
  EXPECT_EQ(base32Decode("MZXW6YTBOI======"), "foobar");
  EXPECT_EQ(base32Decode("mzxw 6ytb oi"), "foobar");
  EXPECT_EQ(base32Decode(""), "");
}

TEST(Base32, RefusesCharactersOutsideTheAlphabet) {
  EXPECT_FALSE(base32Decode("MZXW1"));
  EXPECT_FALSE(base32Decode("MZXW8"));
  EXPECT_FALSE(base32Decode("MZ-W6"));
}

}  // namespace
}  // namespace iamlocal::auth
