// Sealed authorization failure messages: the DecodedMessage JSON, encrypted
// and authenticated with AES-256-GCM under a key drawn once per process.
// The text is random nonce (12 bytes) + ciphertext + tag (16 bytes), in
// URL-safe base64 without padding, so it survives being pasted into a shell.
#include "iamlocal/services/authorization_message.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <memory>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace iamlocal::services {
namespace {

using nlohmann::json;

constexpr std::size_t kKeyBytes = 32;
constexpr std::size_t kNonceBytes = 12;
constexpr std::size_t kTagBytes = 16;

// The key is made on first use; a message from an earlier process (or
// another iamlocal) does not decode, as AWS's are bound to AWS.
const std::array<unsigned char, kKeyBytes>& processKey() {
  static const std::array<unsigned char, kKeyBytes> key = [] {
    std::array<unsigned char, kKeyBytes> k{};
    if (RAND_bytes(k.data(), static_cast<int>(k.size())) != 1) std::abort();  // no entropy: nothing is safe
    return k;
  }();
  return key;
}

struct CipherContextDeleter {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, CipherContextDeleter>;

constexpr std::string_view kUrlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string base64UrlEncode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const auto v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                   static_cast<unsigned char>(bytes[i + 2]);
    out += kUrlAlphabet[(v >> 18) & 63];
    out += kUrlAlphabet[(v >> 12) & 63];
    out += kUrlAlphabet[(v >> 6) & 63];
    out += kUrlAlphabet[v & 63];
  }
  if (const std::size_t rest = bytes.size() - i; rest > 0) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (rest == 2) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += kUrlAlphabet[(v >> 18) & 63];
    out += kUrlAlphabet[(v >> 12) & 63];
    if (rest == 2) out += kUrlAlphabet[(v >> 6) & 63];
  }
  return out;
}

std::optional<std::string> base64UrlDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size() * 3 / 4);
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    const auto index = kUrlAlphabet.find(c);
    if (index == std::string_view::npos) return std::nullopt;
    buffer = (buffer << 6) | static_cast<unsigned>(index);
    bits += 6;
    if (bits >= 8) {
      out += static_cast<char>((buffer >> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return out;
}

json itemsOf(json items) { return json{{"items", std::move(items)}}; }

// AWS's DecodedMessage: every list is an {"items": [...]} object and every
// value a {"value": ...} one.
std::string decodedMessageJson(const AuthorizationFailure& failure) {
  json statements = json::array();
  for (const auto& id : failure.matched_statements)
    statements.push_back(json{{"statementId", id}, {"effect", failure.explicit_deny ? "DENY" : "ALLOW"}});
  json principal = json::object();
  principal["id"] = failure.principal_id;
  if (!failure.principal_name.empty()) principal["name"] = failure.principal_name;
  principal["arn"] = failure.principal_arn;
  json conditions = json::array();
  for (const auto& [key, values] : failure.conditions) {
    json items = json::array();
    for (const auto& value : values) items.push_back(json{{"value", value}});
    conditions.push_back(json{{"key", key}, {"values", itemsOf(std::move(items))}});
  }
  json message = json::object();
  message["allowed"] = failure.allowed;
  message["explicitDeny"] = failure.explicit_deny;
  message["matchedStatements"] = itemsOf(std::move(statements));
  message["failures"] = itemsOf(json::array());
  message["context"] = json{{"principal", std::move(principal)},
                            {"action", failure.action},
                            {"resource", failure.resource},
                            {"conditions", itemsOf(std::move(conditions))}};
  return message.dump();
}

}  // namespace

std::string encodeAuthorizationMessage(const AuthorizationFailure& failure) {
  const std::string plain = decodedMessageJson(failure);
  const auto& key = processKey();
  std::string sealed(kNonceBytes + plain.size() + kTagBytes, '\0');
  auto* bytes = reinterpret_cast<unsigned char*>(sealed.data());
  if (RAND_bytes(bytes, static_cast<int>(kNonceBytes)) != 1) std::abort();
  CipherContext ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), bytes) != 1 ||
      EVP_EncryptUpdate(ctx.get(), bytes + kNonceBytes, &len, reinterpret_cast<const unsigned char*>(plain.data()),
                        static_cast<int>(plain.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), bytes + kNonceBytes + len, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagBytes),
                          bytes + kNonceBytes + plain.size()) != 1)
    std::abort();  // only on allocation failure inside OpenSSL
  return base64UrlEncode(sealed);
}

std::optional<std::string> decodeAuthorizationMessage(std::string_view encoded) {
  auto sealed = base64UrlDecode(encoded);
  if (!sealed || sealed->size() < kNonceBytes + kTagBytes) return std::nullopt;
  const auto& key = processKey();
  const auto* bytes = reinterpret_cast<const unsigned char*>(sealed->data());
  const std::size_t cipher_len = sealed->size() - kNonceBytes - kTagBytes;
  std::string plain(cipher_len, '\0');
  auto* out = reinterpret_cast<unsigned char*>(plain.data());
  CipherContext ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), bytes) != 1 ||
      EVP_DecryptUpdate(ctx.get(), out, &len, bytes + kNonceBytes, static_cast<int>(cipher_len)) != 1)
    return std::nullopt;
  std::array<unsigned char, kTagBytes> tag{};
  std::copy(bytes + kNonceBytes + cipher_len, bytes + sealed->size(), tag.begin());
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagBytes), tag.data()) != 1) return std::nullopt;
  // The tag check: any altered byte, or a message sealed under another key, fails here.
  if (EVP_DecryptFinal_ex(ctx.get(), out + len, &len) != 1) return std::nullopt;
  return plain;
}

}  // namespace iamlocal::services
