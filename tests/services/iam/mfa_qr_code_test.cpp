// The QR code CreateVirtualMFADevice returns: the otpauth:// key URI an
// authenticator app reads, drawn as a square greyscale PNG.
#include "../../../src/services/iam/mfa_qr_code.h"

#include <cstdint>

#include <gtest/gtest.h>

namespace iamlocal::services::iam {
namespace {

std::uint32_t bigEndian32(const std::string& bytes, std::size_t at) {
  return (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at])) << 24) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + 1])) << 16) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + 2])) << 8) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + 3]));
}

TEST(MfaQrCode, UriNamesIssuerDeviceAccountAndSecret) {
  EXPECT_EQ(mfaOtpauthUri("alice-phone", "123456789012", "JBSWY3DPEHPK3PXP"),
            "otpauth://totp/Amazon%20Web%20Services%3Aalice-phone@123456789012?secret=JBSWY3DPEHPK3PXP"
            "&issuer=Amazon%20Web%20Services");
}

TEST(MfaQrCode, UriEscapesCharactersOutsideTheUnreservedSet) {
  EXPECT_EQ(mfaOtpauthUri("a+b=c,d", "my alias", "AAAA"),
            "otpauth://totp/Amazon%20Web%20Services%3Aa%2Bb%3Dc%2Cd@my%20alias?secret=AAAA"
            "&issuer=Amazon%20Web%20Services");
}

TEST(MfaQrCode, PngIsASquareGreyscaleImageWithQuietZone) {
  auto png = qrCodePng(mfaOtpauthUri("device", "123456789012", std::string(64, 'A')));
  ASSERT_TRUE(png);
  ASSERT_GT(png->size(), 33u);
  EXPECT_EQ(png->substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(png->substr(12, 4), "IHDR");
  const std::uint32_t width = bigEndian32(*png, 16);
  const std::uint32_t height = bigEndian32(*png, 20);
  EXPECT_EQ(width, height);
  // Four pixels a module; a QR code is 21 + 4k modules wide, plus 2 x 4 of quiet zone.
  ASSERT_EQ(width % 4, 0u);
  const std::uint32_t modules = width / 4 - 8;
  EXPECT_GE(modules, 21u);
  EXPECT_EQ((modules - 21) % 4, 0u);
  EXPECT_EQ(static_cast<unsigned char>((*png)[24]), 8);  // bit depth
  EXPECT_EQ(static_cast<unsigned char>((*png)[25]), 0);  // colour type: greyscale
}

TEST(MfaQrCode, LongerTextNeedsALargerCode) {
  auto small = qrCodePng("otpauth://totp/x?secret=AAAA");
  auto large = qrCodePng(mfaOtpauthUri(std::string(64, 'd'), "123456789012", std::string(64, 'A')));
  ASSERT_TRUE(small && large);
  EXPECT_LT(bigEndian32(*small, 16), bigEndian32(*large, 16));
}

}  // namespace
}  // namespace iamlocal::services::iam
