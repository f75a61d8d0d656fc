#include "iamlocal/auth/secrets.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <cstdlib>
#include <string_view>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace iamlocal::auth {
namespace {

constexpr std::string_view kSecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Secrets come from a ChaCha20 keystream under a per-thread key drawn from
// OpenSSL's DRBG (itself seeded by the kernel), re-keyed every 1 MiB: the
// construction of arc4random and the kernel's own generator. A session's
// ~380 secret bytes cost a fraction of a microsecond this way; a
// getrandom(2) or a RAND_bytes per session cost more than the rest of
// minting it.
class SecretStream {
 public:
  SecretStream() : ctx_(EVP_CIPHER_CTX_new()) {}
  ~SecretStream() {
    OPENSSL_cleanse(buffer_.data(), buffer_.size());
    EVP_CIPHER_CTX_free(ctx_);
  }
  SecretStream(const SecretStream&) = delete;
  SecretStream& operator=(const SecretStream&) = delete;

  // Copies the next n keystream bytes out of a buffer refilled a block at a
  // time: one cipher call per 4 KiB rather than per secret.
  void fill(unsigned char* out, std::size_t n) {
    while (n > 0) {
      if (next_ == buffer_.size()) refill();
      const std::size_t chunk = std::min(n, buffer_.size() - next_);
      std::memcpy(out, buffer_.data() + next_, chunk);
      OPENSSL_cleanse(buffer_.data() + next_, chunk);  // handed out: not kept
      next_ += chunk;
      out += chunk;
      n -= chunk;
    }
  }

 private:
  static constexpr std::size_t kBytesPerKey = 1 << 20;

  void refill() {
    if (left_ == 0) rekey();
    static constexpr unsigned char kZeros[4096] = {};
    static_assert(sizeof kZeros == std::tuple_size_v<decltype(buffer_)> && kBytesPerKey % sizeof kZeros == 0);
    int written = 0;
    if (EVP_EncryptUpdate(ctx_, buffer_.data(), &written, kZeros, static_cast<int>(sizeof kZeros)) != 1 ||
        written != static_cast<int>(sizeof kZeros))
      std::abort();  // the cipher failed: no safe secret exists
    left_ -= sizeof kZeros;
    next_ = 0;
  }

  void rekey() {
    unsigned char key_and_iv[32 + 16];
    if (ctx_ == nullptr || RAND_bytes(key_and_iv, sizeof key_and_iv) != 1 ||
        EVP_EncryptInit_ex(ctx_, EVP_chacha20(), nullptr, key_and_iv, key_and_iv + 32) != 1)
      std::abort();  // no seeded generator: no safe secret exists
    OPENSSL_cleanse(key_and_iv, sizeof key_and_iv);
    left_ = kBytesPerKey;
  }

  std::array<unsigned char, 4096> buffer_{};
  std::size_t next_ = 4096;  // empty until the first fill
  EVP_CIPHER_CTX* ctx_;
  std::size_t left_ = 0;
};

}  // namespace

std::string secretChars(std::size_t n) {
  thread_local SecretStream stream;
  std::string out(n, '\0');
  stream.fill(reinterpret_cast<unsigned char*>(out.data()), n);
  // 64 symbols: each byte's low six bits pick one without bias.
  for (char& c : out) c = kSecretAlphabet[static_cast<unsigned char>(c) & 63];
  return out;
}

std::string secretAccessKey() { return secretChars(40); }

}  // namespace iamlocal::auth
