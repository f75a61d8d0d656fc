// SigV4 canonical request, string to sign, the HMAC chain and the signing
// key cache (see AWS "Create a canonical request" / "Create a signed request").
#include <algorithm>
#include <memory>
#include <utility>

#include <openssl/evp.h>

#include "iamlocal/auth/sigv4.h"
#include "iamlocal/core/strings.h"

namespace iamlocal::auth {
namespace {

// ---- SHA-256 and HMAC on one pre-fetched digest ----
// OpenSSL 3 looks algorithms up by name on every one-shot call (EVP_Digest,
// HMAC); fetching SHA-256 once and reusing a per-thread context keeps a
// verification within its budget of a couple of microseconds.

using Digest = std::array<unsigned char, 32>;

const EVP_MD* sha256Md() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

EVP_MD_CTX* threadCtx() {
  thread_local std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
  return ctx.get();
}

// SHA-256 over the concatenation of up to two pieces.
Digest sha256(std::string_view a, std::string_view b = {}) {
  EVP_MD_CTX* ctx = threadCtx();
  Digest out{};
  unsigned int len = 0;
  EVP_DigestInit_ex2(ctx, sha256Md(), nullptr);
  EVP_DigestUpdate(ctx, a.data(), a.size());
  if (!b.empty()) EVP_DigestUpdate(ctx, b.data(), b.size());
  EVP_DigestFinal_ex(ctx, out.data(), &len);
  return out;
}

std::string_view asView(const Digest& d) { return {reinterpret_cast<const char*>(d.data()), d.size()}; }

// RFC 2104 over SHA-256 (block size 64).
Digest hmacSha256(std::string_view key, std::string_view message) {
  constexpr std::size_t kBlock = 64;
  Digest hashed_key{};
  if (key.size() > kBlock) {
    hashed_key = sha256(key);
    key = asView(hashed_key);
  }
  std::array<char, kBlock> ipad{}, opad{};
  for (std::size_t i = 0; i < kBlock; ++i) {
    const auto k = static_cast<unsigned char>(i < key.size() ? key[i] : 0);
    ipad[i] = static_cast<char>(k ^ 0x36);
    opad[i] = static_cast<char>(k ^ 0x5c);
  }
  const Digest inner = sha256({ipad.data(), kBlock}, message);
  return sha256({opad.data(), kBlock}, asView(inner));
}

void appendHex(std::string& out, const Digest& d) {
  static constexpr char kHex[] = "0123456789abcdef";
  char buf[64];
  for (std::size_t i = 0; i < d.size(); ++i) {
    buf[2 * i] = kHex[d[i] >> 4];
    buf[2 * i + 1] = kHex[d[i] & 15];
  }
  out.append(buf, sizeof buf);
}

// ---- URI and header canonicalisation ----

constexpr std::array<bool, 256> kUnreserved = [] {
  std::array<bool, 256> t{};
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = true;
  for (int c = '0'; c <= '9'; ++c) t[c] = true;
  t['-'] = t['_'] = t['.'] = t['~'] = true;
  return t;
}();

// Appends runs of safe bytes in one go: tokens and ARNs are mostly safe.
void appendEncoded(std::string& out, std::string_view s, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (kUnreserved[c] || (keep_slash && c == '/')) continue;
    out.append(s.data() + run, i - run);
    const char escape[3] = {'%', kHex[c >> 4], kHex[c & 15]};
    out.append(escape, 3);
    run = i + 1;
  }
  out.append(s.data() + run, s.size() - run);
}

// RFC 3986 5.2.4 dot-segment removal plus collapsing of repeated slashes,
// keeping a trailing slash: "//example//" -> "/example/", "/a/.." -> "/".
std::string normalizePath(std::string_view path) {
  if (path.empty()) return "/";
  std::vector<std::string_view> segments;
  std::size_t pos = 0;
  while (pos <= path.size()) {
    std::size_t slash = path.find('/', pos);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view seg = path.substr(pos, slash - pos);
    if (seg == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!seg.empty() && seg != ".") {
      segments.push_back(seg);
    }
    pos = slash + 1;
  }
  std::string out;
  out.reserve(path.size());
  if (path.front() == '/') out.push_back('/');
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (i) out.push_back('/');
    out.append(segments[i]);
  }
  if (path.back() == '/' && !segments.empty()) out.push_back('/');
  return out;
}

// Whether removing dot segments or repeated slashes could change `path`:
// the common "/" and plain paths skip the work.
bool needsNormalizing(std::string_view path) {
  if (path.empty() || path.front() != '/') return true;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] != '/') continue;
    if (i + 1 < path.size() && path[i + 1] == '/') return true;
    if (i + 1 < path.size() && path[i + 1] == '.') {
      std::size_t j = i + 2;
      if (j < path.size() && path[j] == '.') ++j;
      if (j == path.size() || path[j] == '/') return true;
    }
  }
  return false;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decoding of one query component; '+' is a space, as the query
// endpoint reads it, so the signed value is the value the operation sees.
bool decodeComponent(std::string_view s, std::string& out) {
  std::size_t i = 0;
  while (i < s.size() && s[i] != '%' && s[i] != '+') ++i;
  out.assign(s.data(), i);
  if (i == s.size()) return true;
  out.resize(s.size());
  char* w = out.data() + i;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return false;
      const int hi = hexValue(s[i + 1]), lo = hexValue(s[i + 2]);
      if (hi < 0 || lo < 0) return false;
      *w++ = static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      *w++ = c == '+' ? ' ' : c;
    }
  }
  out.resize(static_cast<std::size_t>(w - out.data()));
  return true;
}

// Sorted "key=value" pairs, each side decoded then strictly re-encoded.
bool appendCanonicalQuery(std::string& out, std::string_view query, bool presigned, bool include_token) {
  std::vector<std::pair<std::string, std::string>> pairs;
  std::string key, value;
  std::size_t pos = 0;
  while (pos < query.size()) {
    std::size_t amp = query.find('&', pos);
    if (amp == std::string_view::npos) amp = query.size();
    std::string_view pair = query.substr(pos, amp - pos);
    pos = amp + 1;
    if (pair.empty()) continue;
    std::size_t eq = pair.find('=');
    if (!decodeComponent(pair.substr(0, eq), key)) return false;
    if (!decodeComponent(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1), value)) return false;
    if (presigned && (key == "X-Amz-Signature" || (!include_token && key == "X-Amz-Security-Token"))) continue;
    std::string enc_key, enc_value;
    enc_key.reserve(key.size());
    enc_value.reserve(value.size());
    appendEncoded(enc_key, key, false);
    appendEncoded(enc_value, value, false);
    pairs.emplace_back(std::move(enc_key), std::move(enc_value));
  }
  std::sort(pairs.begin(), pairs.end());
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    if (i) out.push_back('&');
    out.append(pairs[i].first);
    out.push_back('=');
    out.append(pairs[i].second);
  }
  return true;
}

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Trimall: no leading or trailing whitespace, inner runs become one space
// (folded continuation lines included). Appends whole words at a time.
void appendTrimmed(std::string& out, std::string_view value) {
  std::size_t i = 0;
  bool first = true;
  while (true) {
    while (i < value.size() && isSpace(value[i])) ++i;
    if (i == value.size()) return;
    std::size_t end = i;
    while (end < value.size() && !isSpace(value[end])) ++end;
    if (!first) out.push_back(' ');
    out.append(value.data() + i, end - i);
    first = false;
    i = end;
  }
}

}  // namespace

std::string SignatureInfo::credentialScope() const {
  std::string out;
  out.reserve(scope_date.size() + region.size() + service.size() + terminator.size() + 3);
  out.append(scope_date).append("/").append(region).append("/").append(service).append("/").append(terminator);
  return out;
}

std::string sha256Hex(std::string_view data) {
  std::string out;
  out.reserve(64);
  appendHex(out, sha256(data));
  return out;
}

SigningKey deriveSigningKey(std::string_view secret, std::string_view date, std::string_view region,
                            std::string_view service) {
  std::string k_secret;
  k_secret.reserve(secret.size() + 4);
  k_secret.append("AWS4").append(secret);
  const Digest k_date = hmacSha256(k_secret, date);
  const Digest k_region = hmacSha256(asView(k_date), region);
  const Digest k_service = hmacSha256(asView(k_region), service);
  return hmacSha256(asView(k_service), "aws4_request");
}

std::string signatureHex(const SigningKey& key, std::string_view string_to_sign) {
  std::string out;
  out.reserve(64);
  appendHex(out, hmacSha256(asView(key), string_to_sign));
  return out;
}

Result<std::string> canonicalRequest(const http::Request& request, const SignatureInfo& info,
                                     const SigV4Options& options, bool include_query_token) {
  std::string out;
  out.reserve(256 + request.path.size() + request.query.size() * 2);
  out.append(request.method).push_back('\n');

  if (options.normalize_path && needsNormalizing(request.path)) {
    appendEncoded(out, normalizePath(request.path), true);
  } else {
    appendEncoded(out, request.path.empty() ? std::string_view("/") : std::string_view(request.path), true);
  }
  out.push_back('\n');

  if (!appendCanonicalQuery(out, request.query, info.presigned(), include_query_token))
    return fail(ErrorCode::MalformedQueryString, "The query string contains a syntax error.");
  out.push_back('\n');

  for (const auto& name : info.signed_headers) {
    bool first = true;
    // http::Request header names are lower-case, as signed names are.
    for (const auto& [k, v] : request.headers) {
      if (k != name) continue;
      if (first) {
        out.append(name).push_back(':');
        first = false;
      } else {
        out.push_back(',');
      }
      appendTrimmed(out, v);
    }
    if (!first) out.push_back('\n');
  }
  out.push_back('\n');

  for (std::size_t i = 0; i < info.signed_headers.size(); ++i) {
    if (i) out.push_back(';');
    out.append(info.signed_headers[i]);
  }
  out.push_back('\n');

  // The payload hash is always computed from the body we received, so a
  // declared x-amz-content-sha256 cannot vouch for a different body; only
  // an explicit UNSIGNED-PAYLOAD opts out.
  if (request.header("x-amz-content-sha256") == kUnsignedPayload) {
    out.append(kUnsignedPayload);
  } else {
    appendHex(out, sha256(request.body));
  }
  return out;
}

std::string stringToSign(const SignatureInfo& info, std::string_view canonical_request) {
  std::string out;
  out.reserve(kSigV4Algorithm.size() + info.amz_date.size() + 64 + 64 + 3);
  out.append(kSigV4Algorithm).push_back('\n');
  out.append(info.amz_date).push_back('\n');
  out.append(info.scope_date).append("/").append(info.region).append("/").append(info.service).append("/");
  out.append(info.terminator).push_back('\n');
  appendHex(out, sha256(canonical_request));
  return out;
}

// ---- SigningKeyCache ----

SigningKeyCache::SigningKeyCache(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

SigningKey SigningKeyCache::get(std::string_view secret, std::string_view date, std::string_view region,
                                std::string_view service) {
  // '\0' cannot occur in any of the four parts of a well-formed request, so
  // the joined key is unambiguous.
  // A per-thread buffer: a hit allocates nothing.
  thread_local std::string key;
  key.clear();
  key.append(secret).push_back('\0');
  key.append(date).push_back('\0');
  key.append(region).push_back('\0');
  key.append(service);
  {
    std::lock_guard lock(mutex_);
    if (auto it = index_.find(key); it != index_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second);
      ++hits_;
      return it->second->second;
    }
    ++misses_;
  }
  // Derive outside the lock: four HMACs need no serialisation.
  const SigningKey derived = deriveSigningKey(secret, date, region, service);
  std::lock_guard lock(mutex_);
  if (auto it = index_.find(key); it != index_.end()) return it->second->second;
  lru_.emplace_front(key, derived);
  index_.emplace(std::string_view(lru_.front().first), lru_.begin());
  if (lru_.size() > capacity_) {
    index_.erase(std::string_view(lru_.back().first));
    lru_.pop_back();
  }
  return derived;
}

std::size_t SigningKeyCache::size() const {
  std::lock_guard lock(mutex_);
  return lru_.size();
}

std::uint64_t SigningKeyCache::hits() const {
  std::lock_guard lock(mutex_);
  return hits_;
}

std::uint64_t SigningKeyCache::misses() const {
  std::lock_guard lock(mutex_);
  return misses_;
}

}  // namespace iamlocal::auth
