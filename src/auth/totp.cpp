#include "iamlocal/auth/totp.h"

#include <array>
#include <chrono>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace iamlocal::auth {
namespace {

constexpr std::string_view kBase32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

}  // namespace

std::string hotpCode(std::string_view seed, std::uint64_t counter) {
  std::array<unsigned char, 8> message{};
  for (int i = 7; i >= 0; --i) {
    message[static_cast<std::size_t>(i)] = static_cast<unsigned char>(counter & 0xff);
    counter >>= 8;
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int mac_len = 0;
  HMAC(EVP_sha1(), seed.data(), static_cast<int>(seed.size()), message.data(), message.size(), mac.data(), &mac_len);
  // RFC 4226 section 5.3, dynamic truncation: the low nibble of the last
  // byte picks four bytes, whose top bit is dropped.
  const unsigned offset = mac[mac_len - 1] & 0x0f;
  const std::uint32_t binary = (static_cast<std::uint32_t>(mac[offset] & 0x7f) << 24) |
                               (static_cast<std::uint32_t>(mac[offset + 1]) << 16) |
                               (static_cast<std::uint32_t>(mac[offset + 2]) << 8) |
                               static_cast<std::uint32_t>(mac[offset + 3]);
  std::uint32_t value = binary % 1000000;
  std::string code(kTotpDigits, '0');
  for (int i = kTotpDigits - 1; i >= 0 && value > 0; --i) {
    code[static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return code;
}

std::uint64_t totpStep(TimePoint t) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  return seconds <= 0 ? 0 : static_cast<std::uint64_t>(seconds) / kTotpStepSeconds;
}

std::string totpCode(std::string_view seed, TimePoint t) { return hotpCode(seed, totpStep(t)); }

std::optional<std::uint64_t> matchTotpStep(std::string_view seed, std::string_view code, TimePoint t,
                                           int window_steps) {
  if (code.size() != static_cast<std::size_t>(kTotpDigits)) return std::nullopt;
  const std::uint64_t now = totpStep(t);
  std::optional<std::uint64_t> found;
  for (int delta = -window_steps; delta <= window_steps; ++delta) {
    if (delta < 0 && now < static_cast<std::uint64_t>(-delta)) continue;
    const std::uint64_t step = now + static_cast<std::uint64_t>(static_cast<std::int64_t>(delta));
    const std::string candidate = hotpCode(seed, step);
    // Every step of the window is computed and compared, so the time taken
    // says nothing about which one matched.
    if (CRYPTO_memcmp(candidate.data(), code.data(), candidate.size()) == 0 && !found) found = step;
  }
  return found;
}

std::string base32Encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 4) / 5 * 8);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 5) {
      out += kBase32Alphabet[(buffer >> (bits - 5)) & 0x1f];
      bits -= 5;
    }
  }
  if (bits > 0) out += kBase32Alphabet[(buffer << (5 - bits)) & 0x1f];
  while (out.size() % 8 != 0) out += '=';
  return out;
}

std::optional<std::string> base32Decode(std::string_view text) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=' || c == ' ') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    const auto index = kBase32Alphabet.find(c);
    if (index == std::string_view::npos) return std::nullopt;
    buffer = (buffer << 5) | static_cast<std::uint32_t>(index);
    bits += 5;
    if (bits >= 8) {
      out += static_cast<char>((buffer >> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return out;
}

}  // namespace iamlocal::auth
