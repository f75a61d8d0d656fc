#include "iamlocal/core/ids.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <random>

#include <openssl/evp.h>
#include <openssl/rand.h>

namespace iamlocal::ids {
namespace {

constexpr std::string_view kBase32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr std::string_view kSecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kHex = "0123456789abcdef";

// Ids need to be unique, not secret: a per-thread generator seeded once.
std::mt19937_64& generator() {
  thread_local std::mt19937_64 gen{[] {
    std::random_device rd;
    return (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
  }()};
  return gen;
}

// Secrets come from a ChaCha20 keystream under a per-thread key drawn from
// OpenSSL's DRBG (itself seeded by the kernel), re-keyed every 1 MiB: the
// construction of arc4random and the kernel's own generator. A session's
// ~380 secret bytes cost a fraction of a microsecond this way; a
// getrandom(2) or a RAND_bytes per session cost more than the rest of
// minting it.
class SecretStream {
 public:
  SecretStream() : ctx_(EVP_CIPHER_CTX_new()) {}
  ~SecretStream() { EVP_CIPHER_CTX_free(ctx_); }
  SecretStream(const SecretStream&) = delete;
  SecretStream& operator=(const SecretStream&) = delete;

  void fill(unsigned char* out, std::size_t n) {
    static constexpr unsigned char kZeros[256] = {};
    while (n > 0) {
      if (left_ == 0) rekey();
      const std::size_t chunk = std::min({n, sizeof kZeros, left_});
      int written = 0;
      if (EVP_EncryptUpdate(ctx_, out, &written, kZeros, static_cast<int>(chunk)) != 1 ||
          written != static_cast<int>(chunk))
        std::abort();  // the cipher failed: no safe secret exists
      out += chunk;
      n -= chunk;
      left_ -= chunk;
    }
  }

 private:
  static constexpr std::size_t kBytesPerKey = 1 << 20;

  void rekey() {
    unsigned char key_and_iv[32 + 16];
    if (ctx_ == nullptr || RAND_bytes(key_and_iv, sizeof key_and_iv) != 1 ||
        EVP_EncryptInit_ex(ctx_, EVP_chacha20(), nullptr, key_and_iv, key_and_iv + 32) != 1)
      std::abort();  // no seeded generator: no safe secret exists
    OPENSSL_cleanse(key_and_iv, sizeof key_and_iv);
    left_ = kBytesPerKey;
  }

  EVP_CIPHER_CTX* ctx_;
  std::size_t left_ = 0;
};

std::string randomChars(std::string_view prefix, std::size_t n, std::string_view alphabet) {
  std::string out(prefix);
  out.reserve(prefix.size() + n);
  auto& gen = generator();
  std::uint64_t bits = 0;
  int left = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (left < 6) {
      bits = gen();
      left = 64;
    }
    out.push_back(alphabet[(bits & 63) % alphabet.size()]);
    bits >>= 6;
    left -= 6;
  }
  return out;
}

}  // namespace

std::string uniqueId(std::string_view prefix) { return randomChars(prefix, 17, kBase32); }

std::string accessKeyId(std::string_view prefix) { return randomChars(prefix, 16, kBase32); }

std::string secretChars(std::size_t n) {
  thread_local SecretStream stream;
  std::string out(n, '\0');
  stream.fill(reinterpret_cast<unsigned char*>(out.data()), n);
  // 64 symbols: each byte's low six bits pick one without bias.
  for (char& c : out) c = kSecretAlphabet[static_cast<unsigned char>(c) & 63];
  return out;
}

std::string secretAccessKey() { return secretChars(40); }

std::string requestId() {
  auto& gen = generator();
  std::uint64_t a = gen(), b = gen();
  a = (a & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  b = (b & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // variant 1
  std::string out;
  out.reserve(36);
  auto put = [&](std::uint64_t v, int nibbles) {
    for (int i = nibbles - 1; i >= 0; --i) out.push_back(kHex[(v >> (i * 4)) & 15]);
  };
  put(a >> 32, 8);
  out.push_back('-');
  put((a >> 16) & 0xffff, 4);
  out.push_back('-');
  put(a & 0xffff, 4);
  out.push_back('-');
  put(b >> 48, 4);
  out.push_back('-');
  put(b & 0xffffffffffffULL, 12);
  return out;
}

std::string hex(std::size_t n) { return randomChars("", n, kHex.substr(0, 16)); }

}  // namespace iamlocal::ids
