// Wildcard patterns as IAM matches them: '*' any run of characters, '?' one
// character, and (from policy version 2012-10-17) policy variables that are
// substituted from the request when matching, never by building a string.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "iamlocal/policy/evaluator.h"

namespace iamlocal::policy {

struct PatternToken {
  enum Kind : std::uint8_t { Literal, Star, One, Variable };
  Kind kind = Literal;
  std::string text;         // Literal: the characters; Variable: the key, lower case
  std::string written;      // Variable: the key as written (reported when missing)
  std::optional<std::string> default_value;
  std::uint64_t key_hash = 0;  // Variable: contextKeyHash(text)
};

// A run of tokens between stars (literals, '?' and variables), measured when
// compiling so that matching need not walk the tokens to find the stars.
struct PatternSegment {
  std::uint32_t begin = 0, end = 0;  // tokens [begin, end)
  std::uint32_t fixed = 0;           // characters of its literals and '?'s
  bool has_variables = false;        // then its length is known only per request
};

struct Pattern {
  // Any: "*". Exact: `text` itself. Prefix: `text` then one '*' ("s3:Get*").
  // Glob: the tokens, which start with the literal `text`.
  enum Shape : std::uint8_t { Any, Exact, Prefix, Glob };
  Shape shape = Exact;
  bool has_variables = false;
  std::string text;
  std::vector<PatternToken> tokens;
  // Glob only: the star-free runs in order, and whether a star comes first
  // or last (else the first run must start the text, the last end it).
  std::vector<PatternSegment> segments;
  bool has_star = false;
  bool starts_with_star = false;
  bool ends_with_star = false;
};

// Byte equality of short texts without a call to memcmp: eight bytes at a
// time, the last word overlapping. Patterns and keys are mostly 4-64 bytes.
inline bool sameBytes(const char* a, const char* b, std::size_t n) {
  if (n >= 8) {
    std::uint64_t x, y;
    for (std::size_t i = 0; i + 8 < n; i += 8) {
      std::memcpy(&x, a + i, 8);
      std::memcpy(&y, b + i, 8);
      if (x != y) return false;
    }
    std::memcpy(&x, a + n - 8, 8);
    std::memcpy(&y, b + n - 8, 8);
    return x == y;
  }
  if (n >= 4) {
    std::uint32_t x, y, z, w;
    std::memcpy(&x, a, 4);
    std::memcpy(&y, b, 4);
    std::memcpy(&z, a + n - 4, 4);
    std::memcpy(&w, b + n - 4, 4);
    return x == y && z == w;
  }
  for (std::size_t i = 0; i < n; ++i)
    if (a[i] != b[i]) return false;
  return true;
}
inline bool sameText(std::string_view a, std::string_view b) {
  return a.size() == b.size() && sameBytes(a.data(), b.data(), a.size());
}
inline bool startsWithText(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && sameBytes(text.data(), prefix.data(), prefix.size());
}

// The fingerprint by which a request's context keys are found (computed for
// policy keys when compiling): the length and the first and last eight
// bytes, mixed. Constant time, because every request hashes all its keys;
// a full comparison confirms a match.
inline std::uint64_t contextKeyHash(std::string_view lower_key) {
  std::uint64_t head = 0, tail = 0;
  const std::size_t n = lower_key.size();
  if (n >= 8) {
    std::memcpy(&head, lower_key.data(), 8);
    std::memcpy(&tail, lower_key.data() + n - 8, 8);
  } else {
    std::memcpy(&head, lower_key.data(), n);
  }
  const std::uint64_t h = (head * 0x9E3779B97F4A7C15ull) ^ (tail * 0xC2B2AE3D27D4EB4Full) ^ n;
  return h ^ (h >> 29);
}

// A request's context keys, looked up by hash. The hashes of the request's
// keys are computed on the first lookup only, so a request whose matching
// statements need no key pays nothing; later lookups compare integers
// before strings. Lives on the stack for one evaluation; never allocates.
class ContextLookup {
 public:
  explicit ContextLookup(const RequestContext& request) : request_(request) {}
  ContextLookup(const ContextLookup&) = delete;
  ContextLookup& operator=(const ContextLookup&) = delete;

  const RequestContext& request() const { return request_; }
  // The entry of `lower_key` (whose contextKeyHash is `hash`), or null.
  const ContextEntry* find(std::string_view lower_key, std::uint64_t hash) const;

 private:
  // Requests with more keys than this are searched linearly.
  static constexpr std::size_t kMaxHashed = 64;
  // Recent answers, found by hash: the same few keys (aws:username,
  // aws:SourceIp, ...) are asked for by statement after statement.
  struct Recent {
    std::uint64_t hash;
    std::string_view key;
    const ContextEntry* entry;
  };
  static constexpr std::size_t kRecent = 8;
  const RequestContext& request_;
  mutable bool hashed_ = false;
  mutable std::uint64_t hashes_[kMaxHashed];
  mutable Recent recent_[kRecent];
};

// `fold_case` lower-cases literals (the caller lower-cases what it matches);
// `variables` enables ${...}.
Pattern compilePattern(std::string_view text, bool fold_case, bool variables, bool wildcards = true);

// Keys a variable needed but the request lacked are appended to `missing`
// (when not null). `arn_components`: '*' and '?' do not cross the first five
// ':' of the text, so each ARN component matches on its own (Arn operators).
// A missing key is reported once.
bool matchPattern(const Pattern& pattern, std::string_view text, const ContextLookup& keys,
                  std::vector<std::string_view>* missing, bool arn_components = false);
bool matchPattern(const Pattern& pattern, std::string_view text, const RequestContext& request,
                  std::vector<std::string_view>* missing, bool arn_components = false);

// Resolves a variable token: the key's single value, else its default.
std::optional<std::string_view> resolveVariable(const PatternToken& token, const ContextLookup& keys);
std::optional<std::string_view> resolveVariable(const PatternToken& token, const RequestContext& request);

bool equalsIgnoreCase(std::string_view a, std::string_view b);

// An IPv4 or IPv6 network ("10.0.0.0/8", "2001:db8::/32", or one address).
struct IpNetwork {
  bool v6 = false;
  std::uint8_t bytes[16] = {};
  int prefix = 0;
};
bool parseIpNetwork(std::string_view text, IpNetwork& out);
bool ipInNetwork(const IpNetwork& address, const IpNetwork& network);

// Dates as condition values: ISO 8601 (date, date-time, with zone) or epoch
// seconds; out is milliseconds since the epoch.
bool parsePolicyDate(std::string_view text, std::int64_t& millis);
bool parsePolicyNumber(std::string_view text, double& out);

}  // namespace iamlocal::policy
