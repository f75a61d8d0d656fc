#include "mfa_qr_code.h"

#include <cstring>
#include <memory>
#include <vector>

#include <png.h>
#include <qrencode.h>

namespace iamlocal::services::iam {
namespace {

constexpr int kPixelsPerModule = 4;
constexpr int kQuietZoneModules = 4;

// Percent-encodes everything but RFC 3986's unreserved characters.
std::string uriEscape(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~' || c == '@') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

struct QrCodeDeleter {
  void operator()(QRcode* code) const { QRcode_free(code); }
};

}  // namespace

std::string mfaOtpauthUri(std::string_view device_name, std::string_view account_name, std::string_view base32_seed) {
  constexpr std::string_view kIssuer = "Amazon Web Services";
  std::string label = std::string(kIssuer) + ":" + std::string(device_name) + "@" + std::string(account_name);
  return "otpauth://totp/" + uriEscape(label) + "?secret=" + std::string(base32_seed) + "&issuer=" + uriEscape(kIssuer);
}

std::optional<std::string> qrCodePng(std::string_view text) {
  const std::string data(text);
  std::unique_ptr<QRcode, QrCodeDeleter> code(QRcode_encodeString8bit(data.c_str(), 0, QR_ECLEVEL_M));
  if (!code) return std::nullopt;
  const int modules = code->width + 2 * kQuietZoneModules;
  const int side = modules * kPixelsPerModule;
  std::vector<unsigned char> pixels(static_cast<std::size_t>(side) * static_cast<std::size_t>(side), 0xff);
  for (int y = 0; y < code->width; ++y) {
    for (int x = 0; x < code->width; ++x) {
      // Bit 0 of each module byte is its colour (1: dark).
      if ((code->data[y * code->width + x] & 1) == 0) continue;
      for (int dy = 0; dy < kPixelsPerModule; ++dy) {
        const int row = (y + kQuietZoneModules) * kPixelsPerModule + dy;
        std::memset(&pixels[static_cast<std::size_t>(row) * side + (x + kQuietZoneModules) * kPixelsPerModule], 0,
                    kPixelsPerModule);
      }
    }
  }
  // libpng's simplified API reports errors through its return value, not
  // longjmp, so it is safe to call from C++.
  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  image.width = static_cast<png_uint_32>(side);
  image.height = static_cast<png_uint_32>(side);
  image.format = PNG_FORMAT_GRAY;
  png_alloc_size_t size = 0;
  if (!png_image_write_to_memory(&image, nullptr, &size, 0, pixels.data(), side, nullptr)) return std::nullopt;
  std::string png(size, '\0');
  if (!png_image_write_to_memory(&image, png.data(), &size, 0, pixels.data(), side, nullptr)) return std::nullopt;
  png.resize(size);
  return png;
}

}  // namespace iamlocal::services::iam
