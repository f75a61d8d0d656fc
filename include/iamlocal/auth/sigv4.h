// AWS Signature Version 4 verification (Authorization header and presigned
// query string) with AWS's own error codes and texts, plus the small signer
// the tests and benchmarks use to produce requests exactly as SDKs do.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "iamlocal/auth/principal.h"
#include "iamlocal/core/clock.h"
#include "iamlocal/core/result.h"
#include "iamlocal/http/message.h"

namespace iamlocal::auth {

inline constexpr std::string_view kSigV4Algorithm = "AWS4-HMAC-SHA256";
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";

enum class SigV4Form { Header, Query };

// What a request says about its signature, before anything is checked
// against a clock, a scope or a secret.
struct SignatureInfo {
  SigV4Form form = SigV4Form::Header;
  std::string algorithm;   // "AWS4-HMAC-SHA256" when well formed
  std::string credential;  // "AKID/20150830/us-east-1/iam/aws4_request" as sent
  std::string access_key_id;
  // The scope elements; set only when the credential has exactly five.
  bool credential_well_formed = false;
  std::string scope_date;  // YYYYMMDD
  std::string region;
  std::string service;
  std::string terminator;  // "aws4_request"
  std::vector<std::string> signed_headers;  // lower-cased and sorted
  std::string signature;                    // hex, as sent
  std::string date_text;                    // X-Amz-Date (or Date) as sent
  std::optional<TimePoint> timestamp;       // when date_text parses
  std::string amz_date;                     // timestamp as YYYYMMDD'T'HHMMSS'Z'
  std::string session_token;                // X-Amz-Security-Token, "" if none
  std::string expires_text;                 // X-Amz-Expires as sent (query form)

  bool presigned() const { return form == SigV4Form::Query; }
  // "20150830/us-east-1/iam/aws4_request"
  std::string credentialScope() const;
};

// What the receiving endpoint accepts. Empty region or service accepts any
// (non-empty) value; iamlocal serves every region on one port.
struct SigV4Options {
  std::string region;
  std::string service;
  // Remove dot segments and repeated slashes from the path before signing:
  // what every AWS service but S3 does.
  bool normalize_path = true;
  // Clock skew AWS tolerates in either direction.
  std::chrono::seconds max_skew = std::chrono::minutes(15);
};

// A derived signing key: HMAC chain over "AWS4"+secret, date, region,
// service, "aws4_request".
using SigningKey = std::array<unsigned char, 32>;
SigningKey deriveSigningKey(std::string_view secret, std::string_view date, std::string_view region,
                            std::string_view service);

// A small thread-safe LRU of derived signing keys keyed by
// (secret, date, region, service): with a warm cache a verification costs
// one HMAC instead of five.
class SigningKeyCache {
 public:
  explicit SigningKeyCache(std::size_t capacity = 1024);
  SigningKey get(std::string_view secret, std::string_view date, std::string_view region, std::string_view service);
  std::size_t size() const;
  std::uint64_t hits() const;
  std::uint64_t misses() const;

 private:
  using Entry = std::pair<std::string, SigningKey>;
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::list<Entry> lru_;  // most recently used first
  std::unordered_map<std::string_view, std::list<Entry>::iterator> index_;
  std::uint64_t hits_ = 0;
  std::uint64_t misses_ = 0;
};

// Reads the signature parameters from the Authorization header or the
// X-Amz-* query parameters. Fails, as AWS does, when there is no signature
// (MissingAuthenticationToken), when both forms are present, or when
// required parameters are missing or malformed (IncompleteSignature).
Result<SignatureInfo> parseSigV4(const http::Request& request);

// The checks AWS makes before it looks at the key or the signature, in
// AWS's order: date format, the 15-minute window (and X-Amz-Expires),
// 'host' signed, algorithm, credential shape, then region, service,
// terminator and date of the scope (reported together, as AWS does).
Status checkSigV4Scope(const SignatureInfo& info, TimePoint now, const SigV4Options& options = {});

// Recomputes the signature with `secret` and compares it in constant time.
// A presigned request whose session token was appended after signing (the
// aws-c-auth "omit_session_token" mode) is accepted too.
Status checkSigV4Signature(const http::Request& request, const SignatureInfo& info, std::string_view secret,
                           SigningKeyCache& cache, const SigV4Options& options = {});

// checkSigV4Scope, then checkSigV4Signature.
Status verifySigV4(const http::Request& request, const SignatureInfo& info, std::string_view secret, TimePoint now,
                   SigningKeyCache& cache, const SigV4Options& options = {});

// The whole of SigV4 authentication in AWS's order: parse, scope and time,
// the access key (InvalidClientTokenId), the signature, then the session
// token (InvalidClientTokenId when it is not the key's, ExpiredToken when
// the temporary credentials have expired).
Result<Principal> authenticateSigV4(const http::Request& request, const CredentialSource& credentials, TimePoint now,
                                    SigningKeyCache& cache, const SigV4Options& options = {});

// The canonical request AWS builds for `request` as described by `info`.
// `include_query_token` = false leaves X-Amz-Security-Token out of a
// presigned request's canonical query (the token was appended after signing).
Result<std::string> canonicalRequest(const http::Request& request, const SignatureInfo& info,
                                     const SigV4Options& options = {}, bool include_query_token = true);
std::string stringToSign(const SignatureInfo& info, std::string_view canonical_request);
// Lower-case hex of HMAC-SHA256(key, string_to_sign).
std::string signatureHex(const SigningKey& key, std::string_view string_to_sign);
// Lower-case hex SHA-256.
std::string sha256Hex(std::string_view data);

// ---- Signing, as the SDKs do it (tests, benchmarks, tooling) ----

struct SigningParams {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty for long-term keys
  std::string region;
  std::string service;
  TimePoint time;
  bool normalize_path = true;
  // Add x-amz-content-sha256 with the body's hash (and sign it).
  bool add_content_sha256 = false;
  // Add the session token after signing instead of signing it.
  bool omit_session_token = false;
  std::chrono::seconds expires = std::chrono::seconds(3600);  // presigned only
};

// Adds X-Amz-Date, X-Amz-Security-Token and Authorization headers; every
// header already present (but a few hop-by-hop ones) is signed.
void signRequest(http::Request& request, const SigningParams& params);
// Appends the X-Amz-* parameters and X-Amz-Signature to the query (and target).
void presignRequest(http::Request& request, const SigningParams& params);

}  // namespace iamlocal::auth
