// SigV4 verification errors: AWS's codes, HTTP statuses and message texts,
// in AWS's order, and the access-key / session-token checks.
#include <gtest/gtest.h>

#include <thread>

#include "iamlocal/auth/sigv4.h"

namespace iamlocal::auth {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kKeyId = "AKIDEXAMPLE";
constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr std::string_view kMismatch =
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access "
    "Key and signing method. Consult the service documentation for details.";

TimePoint at(std::string_view iso) {
  TimePoint t;
  EXPECT_TRUE(parseIso8601(iso, t));
  return t;
}

const TimePoint kSignedAt = at("2015-08-30T12:36:00Z");

SigV4Options iamOptions() {
  SigV4Options o;
  o.region = "us-east-1";
  o.service = "iam";
  return o;
}

http::Request listUsersPost() {
  http::Request r;
  r.method = "POST";
  r.target = r.path = "/";
  r.headers = {{"host", "iam.amazonaws.com"},
               {"content-type", "application/x-www-form-urlencoded; charset=utf-8"}};
  r.body = "Action=ListUsers&Version=2010-05-08";
  return r;
}

SigningParams params(std::string_view region = "us-east-1", std::string_view service = "iam",
                     TimePoint time = kSignedAt) {
  SigningParams p;
  p.access_key_id = kKeyId;
  p.secret_access_key = kSecret;
  p.region = region;
  p.service = service;
  p.time = time;
  return p;
}

http::Request signedRequest(const SigningParams& p = params()) {
  http::Request r = listUsersPost();
  signRequest(r, p);
  return r;
}

http::Request presigned(const SigningParams& p = params()) {
  http::Request r;
  r.method = "GET";
  r.path = "/";
  r.query = "Action=ListUsers&Version=2010-05-08";
  r.headers = {{"host", "iam.amazonaws.com"}};
  presignRequest(r, p);
  return r;
}

void setHeader(http::Request& r, std::string_view name, std::string value) {
  for (auto& [k, v] : r.headers)
    if (k == name) {
      v = std::move(value);
      return;
    }
  r.headers.emplace_back(std::string(name), std::move(value));
}

void removeHeader(http::Request& r, std::string_view name) {
  std::erase_if(r.headers, [&](const auto& h) { return h.first == name; });
}

// parse + verify, as a caller with the secret would.
Status verify(const http::Request& r, TimePoint now = kSignedAt, const SigV4Options& options = iamOptions(),
              std::string_view secret = kSecret) {
  auto info = parseSigV4(r);
  if (!info) return std::unexpected(info.error());
  SigningKeyCache cache;
  return verifySigV4(r, *info, secret, now, cache, options);
}

Status asStatus(const Result<Principal>& r) {
  if (!r) return std::unexpected(r.error());
  return {};
}

void expectError(const Status& status, ErrorCode code, int http_status, std::string_view message) {
  ASSERT_FALSE(status) << "expected " << errorCodeName(code);
  EXPECT_EQ(status.error().code, code) << status.error().message;
  EXPECT_EQ(status.error().httpStatus(), http_status);
  EXPECT_EQ(status.error().message, message);
}

TEST(SigV4Verifier, AcceptsHeaderAndPresignedRequestsSignedForTheEndpoint) {
  EXPECT_TRUE(verify(signedRequest()));
  EXPECT_TRUE(verify(presigned()));
}

// ---- No signature, both forms ----

TEST(SigV4Verifier, RejectsRequestWithoutSignatureAsMissingAuthenticationToken) {
  expectError(verify(listUsersPost()), ErrorCode::MissingAuthenticationToken, 403,
              "Request is missing Authentication Token");
}

TEST(SigV4Verifier, TreatsNonSigV4AuthorizationAsMissingAuthenticationToken) {
  http::Request r = listUsersPost();
  setHeader(r, "authorization", "Bearer eyJhbGciOiJIUzI1NiJ9");
  expectError(verify(r), ErrorCode::MissingAuthenticationToken, 403, "Request is missing Authentication Token");
}

TEST(SigV4Verifier, TreatsCredentialQueryWithoutAlgorithmAsUnsigned) {
  http::Request r = listUsersPost();
  r.query = "X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fiam%2Faws4_request";
  expectError(verify(r), ErrorCode::MissingAuthenticationToken, 403, "Request is missing Authentication Token");
}

TEST(SigV4Verifier, RejectsRequestSignedBothWays) {
  http::Request r = presigned();
  setHeader(r, "authorization", std::string(signedRequest().header("authorization")));
  expectError(verify(r), ErrorCode::SignatureDoesNotMatch, 403,
              "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.");
}

// ---- IncompleteSignature ----

TEST(SigV4Verifier, NamesTheMissingAuthorizationParameter) {
  http::Request r = listUsersPost();
  setHeader(r, "x-amz-date", "20150830T123600Z");
  const std::string auth =
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date";
  setHeader(r, "authorization", auth);
  expectError(verify(r), ErrorCode::IncompleteSignature, 400,
              "Authorization header requires 'Signature' parameter. Authorization=" + auth);
}

TEST(SigV4Verifier, NamesEveryMissingAuthorizationParameterAndTheMissingDate) {
  http::Request r = listUsersPost();
  setHeader(r, "authorization", "AWS4-HMAC-SHA256");
  expectError(verify(r), ErrorCode::IncompleteSignature, 400,
              "Authorization header requires 'Credential' parameter. "
              "Authorization header requires 'Signature' parameter. "
              "Authorization header requires 'SignedHeaders' parameter. "
              "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
              "Authorization=AWS4-HMAC-SHA256");
}

TEST(SigV4Verifier, RejectsAuthorizationElementWithoutEqualSign) {
  http::Request r = signedRequest();
  const std::string auth =
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE /20150830/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=ab";
  setHeader(r, "authorization", auth);
  expectError(verify(r), ErrorCode::IncompleteSignature, 400,
              "'/20150830/us-east-1/iam/aws4_request' not a valid key=value pair (missing equal-sign) in "
              "Authorization header: '" + auth + "'.");
}

TEST(SigV4Verifier, NamesTheMissingQueryParameters) {
  http::Request r = presigned();
  r.query = r.query.substr(0, r.query.find("&X-Amz-Signature="));
  expectError(verify(r), ErrorCode::IncompleteSignature, 400,
              "AWS query-string parameters must include 'X-Amz-Signature'. Re-examine the query-string parameters.");

  http::Request bare = listUsersPost();
  bare.query = "X-Amz-Algorithm=";
  expectError(verify(bare), ErrorCode::IncompleteSignature, 400,
              "AWS query-string parameters must include 'X-Amz-Algorithm'. "
              "AWS query-string parameters must include 'X-Amz-Credential'. "
              "AWS query-string parameters must include 'X-Amz-Signature'. "
              "AWS query-string parameters must include 'X-Amz-SignedHeaders'. "
              "AWS query-string parameters must include 'X-Amz-Date'. "
              "Re-examine the query-string parameters.");
}

TEST(SigV4Verifier, RejectsDateNotInBasicIsoFormat) {
  http::Request r = signedRequest();
  setHeader(r, "x-amz-date", "2015-08-30T12:36:00Z");
  expectError(verify(r), ErrorCode::IncompleteSignature, 400,
              "Date must be in ISO-8601 'basic format'. Got '2015-08-30T12:36:00Z'. See "
              "http://en.wikipedia.org/wiki/ISO_8601");
}

TEST(SigV4Verifier, RejectsDateOutsideTheClocksRangeAsMalformed) {
  http::Request r = signedRequest();
  setHeader(r, "x-amz-date", "99990830T123600Z");
  expectError(verify(r), ErrorCode::IncompleteSignature, 400,
              "Date must be in ISO-8601 'basic format'. Got '99990830T123600Z'. See "
              "http://en.wikipedia.org/wiki/ISO_8601");
}

TEST(SigV4Verifier, RejectsUnsupportedAlgorithm) {
  http::Request r = signedRequest();
  std::string auth(r.header("authorization"));
  auth.replace(0, 16, "AWS4-HMAC-SHA512");
  setHeader(r, "authorization", auth);
  expectError(verify(r), ErrorCode::IncompleteSignature, 400,
              "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now). ");
}

TEST(SigV4Verifier, RejectsCredentialWithoutFiveElements) {
  http::Request r = signedRequest();
  std::string auth(r.header("authorization"));
  auth.replace(auth.find("/us-east-1"), 10, "");
  setHeader(r, "authorization", auth);
  expectError(verify(r), ErrorCode::IncompleteSignature, 400,
              "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got "
              "'AKIDEXAMPLE/20150830/iam/aws4_request'");
}

TEST(SigV4Verifier, IgnoresTrailingSlashesOfTheCredential) {
  http::Request slashed = signedRequest();
  std::string auth(slashed.header("authorization"));
  auth.replace(auth.find("aws4_request"), 12, "aws4_request//");
  setHeader(slashed, "authorization", auth);
  auto parsed = parseSigV4(slashed);
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(parsed->credential_well_formed);
  EXPECT_EQ(parsed->terminator, "aws4_request");
  EXPECT_TRUE(verify(slashed));
}

TEST(SigV4Verifier, RequiresHostToBeSigned) {
  http::Request r = listUsersPost();
  removeHeader(r, "host");
  signRequest(r, params());
  r.headers.emplace_back("host", "iam.amazonaws.com");
  expectError(verify(r), ErrorCode::SignatureDoesNotMatch, 403,
              "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
}

// ---- Time ----

TEST(SigV4Verifier, AcceptsRequestsUpToFifteenMinutesOldOrEarly) {
  EXPECT_TRUE(verify(signedRequest(), kSignedAt + 15min));
  EXPECT_TRUE(verify(signedRequest(), kSignedAt - 15min));
}

TEST(SigV4Verifier, RejectsRequestOlderThanFifteenMinutes) {
  expectError(verify(signedRequest(), at("2015-08-30T12:51:01Z")), ErrorCode::SignatureDoesNotMatch, 403,
              "Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z (20150830T125101Z - 15 min.)");
}

TEST(SigV4Verifier, RejectsRequestMoreThanFifteenMinutesInTheFuture) {
  expectError(verify(signedRequest(), at("2015-08-30T12:20:59Z")), ErrorCode::SignatureDoesNotMatch, 403,
              "Signature not yet current: 20150830T123600Z is still later than 20150830T123559Z "
              "(20150830T122059Z + 15 min.)");
}

TEST(SigV4Verifier, AppliesTheFifteenMinuteWindowToPresignedRequestsToo) {
  SigningParams p = params();
  p.expires = 3600s;  // non-S3 services never stretch the window
  expectError(verify(presigned(p), at("2015-08-30T13:00:00Z")), ErrorCode::SignatureDoesNotMatch, 403,
              "Signature expired: 20150830T123600Z is now earlier than 20150830T124500Z (20150830T130000Z - 15 min.)");
}

TEST(SigV4Verifier, RejectsPresignedRequestPastItsExpires) {
  SigningParams p = params();
  p.expires = 60s;
  EXPECT_TRUE(verify(presigned(p), kSignedAt + 60s));
  expectError(verify(presigned(p), kSignedAt + 61s), ErrorCode::SignatureDoesNotMatch, 403,
              "Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z (20150830T123701Z - 60 sec.)");
}

TEST(SigV4Verifier, RejectsInvalidExpires) {
  auto with_expires = [](std::string value) {
    http::Request r = presigned();
    std::size_t at = r.query.find("X-Amz-Expires=") + 14;
    r.query.replace(at, r.query.find('&', at) - at, value);
    return r;
  };
  expectError(verify(with_expires("abc")), ErrorCode::IncompleteSignature, 400, "X-Amz-Expires should be a number");
  expectError(verify(with_expires("-5")), ErrorCode::IncompleteSignature, 400, "X-Amz-Expires must be non-negative");
  expectError(verify(with_expires("604801")), ErrorCode::IncompleteSignature, 400,
              "X-Amz-Expires must be less than a week (in seconds) that is 604800");
}

// Signs `r` by hand through the public pieces: for requests the signer
// does not produce (a Date header instead of X-Amz-Date).
void signByHand(http::Request& r, std::string_view signed_headers) {
  r.headers.emplace_back("authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
                                          "SignedHeaders=" + std::string(signed_headers) + ", Signature=0");
  auto info = parseSigV4(r);
  ASSERT_TRUE(info) << info.error().message;
  auto canonical = canonicalRequest(r, *info, iamOptions());
  ASSERT_TRUE(canonical);
  const std::string signature = signatureHex(deriveSigningKey(kSecret, "20150830", "us-east-1", "iam"),
                                             stringToSign(*info, *canonical));
  std::string& auth = r.headers.back().second;
  auth.replace(auth.size() - 1, 1, signature);
}

TEST(SigV4Verifier, AcceptsDateHeaderInsteadOfXAmzDate) {
  // IMF-fixdate, and botocore's RFC 2822 form with "-0000".
  for (std::string date : {"Sun, 30 Aug 2015 12:36:00 GMT", "Sun, 30 Aug 2015 12:36:00 -0000"}) {
    SCOPED_TRACE(date);
    http::Request r = listUsersPost();
    r.headers.emplace_back("date", date);
    signByHand(r, "content-type;date;host");
    auto info = parseSigV4(r);
    ASSERT_TRUE(info);
    EXPECT_EQ(info->amz_date, "20150830T123600Z");
    EXPECT_TRUE(verify(r));
    expectError(verify(r, kSignedAt + 16min), ErrorCode::SignatureDoesNotMatch, 403,
                "Signature expired: 20150830T123600Z is now earlier than 20150830T123700Z (20150830T125200Z - 15 min.)");
  }
}

// ---- Credential scope ----

TEST(SigV4Verifier, RejectsCredentialScopedToAnotherRegion) {
  expectError(verify(signedRequest(params("us-east-2"))), ErrorCode::SignatureDoesNotMatch, 403,
              "Credential should be scoped to a valid region, not 'us-east-2'. ");
}

TEST(SigV4Verifier, AcceptsAnyRegionWhenTheEndpointServesAll) {
  SigV4Options any = iamOptions();
  any.region.clear();
  EXPECT_TRUE(verify(signedRequest(params("eu-west-3")), kSignedAt, any));
}

TEST(SigV4Verifier, RejectsCredentialScopedToAnotherService) {
  expectError(verify(signedRequest(params("us-east-1", "sts"))), ErrorCode::SignatureDoesNotMatch, 403,
              "Credential should be scoped to correct service: 'iam'. ");
}

TEST(SigV4Verifier, ReportsEveryScopeProblemTogether) {
  http::Request r = signedRequest();
  std::string auth(r.header("authorization"));
  auth.replace(auth.find("20150830/us-east-1/iam/aws4_request"), 35, "20150831/moon-1/sts/aws5_request");
  setHeader(r, "authorization", auth);
  expectError(verify(r), ErrorCode::SignatureDoesNotMatch, 403,
              "Credential should be scoped to a valid region, not 'moon-1'. "
              "Credential should be scoped to correct service: 'iam'. "
              "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. "
              "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
              "'20150831' != '20150830', from '20150830T123600Z'. ");
}

// ---- Signature ----

TEST(SigV4Verifier, RejectsWrongSecretShowingWhatItComputed) {
  http::Request r = signedRequest();
  auto info = parseSigV4(r);
  ASSERT_TRUE(info);
  auto canonical = canonicalRequest(r, *info, iamOptions());
  ASSERT_TRUE(canonical);
  expectError(verify(r, kSignedAt, iamOptions(), "not-the-secret"), ErrorCode::SignatureDoesNotMatch, 403,
              std::string(kMismatch) + "\n\nThe Canonical String for this request should have been\n'" + *canonical +
                  "'\n\nThe String-to-Sign should have been\n'" + stringToSign(*info, *canonical) + "'\n");
}

TEST(SigV4Verifier, RejectsChangedBody) {
  http::Request r = signedRequest();
  r.body = "Action=DeleteUser&UserName=alice&Version=2010-05-08";
  auto status = verify(r);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::SignatureDoesNotMatch);
  EXPECT_TRUE(status.error().message.starts_with(kMismatch));
}

TEST(SigV4Verifier, DoesNotLetADeclaredPayloadHashVouchForAnotherBody) {
  SigningParams p = params();
  p.add_content_sha256 = true;
  http::Request r = signedRequest(p);
  EXPECT_TRUE(verify(r));
  r.body = "Action=DeleteUser&UserName=alice&Version=2010-05-08";
  EXPECT_FALSE(verify(r));
}

TEST(SigV4Verifier, AcceptsUnsignedPayload) {
  http::Request r = listUsersPost();
  r.headers.emplace_back("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
  signRequest(r, params());
  auto info = parseSigV4(r);
  ASSERT_TRUE(info);
  auto canonical = canonicalRequest(r, *info, iamOptions());
  ASSERT_TRUE(canonical);
  EXPECT_TRUE(canonical->ends_with("\nUNSIGNED-PAYLOAD"));
  EXPECT_TRUE(verify(r));
}

TEST(SigV4Verifier, RejectsUppercaseOrTruncatedSignature) {
  http::Request r = signedRequest();
  std::string auth(r.header("authorization"));
  std::string upper = auth;
  for (std::size_t i = upper.find("Signature=") + 10; i < upper.size(); ++i) upper[i] = static_cast<char>(std::toupper(upper[i]));
  setHeader(r, "authorization", upper);
  EXPECT_FALSE(verify(r));
  setHeader(r, "authorization", auth.substr(0, auth.size() - 1));
  EXPECT_FALSE(verify(r));
}

TEST(SigV4Verifier, RejectsMalformedQueryEscapeAsMalformedQueryString) {
  http::Request r = listUsersPost();
  r.query = "Marker=%zz";
  signRequest(r, params());
  auto status = verify(r);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::MalformedQueryString);
}

TEST(SigV4Verifier, AcceptsPresignedTokenAppendedAfterSigning) {
  SigningParams p = params();
  p.session_token = "FQoGZXIvYXdzEXAMPLE";
  p.omit_session_token = true;
  http::Request r = presigned(p);
  auto info = parseSigV4(r);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->session_token, "FQoGZXIvYXdzEXAMPLE");
  EXPECT_TRUE(verify(r));
}

// ---- Signing key cache ----

TEST(SigningKeyCache, DerivesOnceAndReturnsTheSameKey) {
  SigningKeyCache cache(4);
  const SigningKey first = cache.get(kSecret, "20150830", "us-east-1", "iam");
  const SigningKey second = cache.get(kSecret, "20150830", "us-east-1", "iam");
  EXPECT_EQ(first, second);
  EXPECT_EQ(first, deriveSigningKey(kSecret, "20150830", "us-east-1", "iam"));
  EXPECT_EQ(cache.misses(), 1u);
  EXPECT_EQ(cache.hits(), 1u);
}

TEST(SigningKeyCache, KeysDifferPerSecretDateRegionAndService) {
  SigningKeyCache cache;
  const SigningKey base = cache.get(kSecret, "20150830", "us-east-1", "iam");
  EXPECT_NE(base, cache.get("other", "20150830", "us-east-1", "iam"));
  EXPECT_NE(base, cache.get(kSecret, "20150831", "us-east-1", "iam"));
  EXPECT_NE(base, cache.get(kSecret, "20150830", "us-west-2", "iam"));
  EXPECT_NE(base, cache.get(kSecret, "20150830", "us-east-1", "sts"));
  EXPECT_EQ(cache.size(), 5u);
}

TEST(SigningKeyCache, EvictsTheLeastRecentlyUsed) {
  SigningKeyCache cache(2);
  cache.get("a", "20150830", "us-east-1", "iam");
  cache.get("b", "20150830", "us-east-1", "iam");
  cache.get("a", "20150830", "us-east-1", "iam");  // a is now the most recent
  cache.get("c", "20150830", "us-east-1", "iam");  // evicts b
  EXPECT_EQ(cache.size(), 2u);
  const auto misses = cache.misses();
  cache.get("a", "20150830", "us-east-1", "iam");
  EXPECT_EQ(cache.misses(), misses);
  cache.get("b", "20150830", "us-east-1", "iam");
  EXPECT_EQ(cache.misses(), misses + 1);
}

TEST(SigningKeyCache, IsSafeToShareBetweenThreads) {
  SigningKeyCache cache(8);
  const SigningKey expected = deriveSigningKey(kSecret, "20150830", "us-east-1", "iam");
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        if (cache.get(kSecret, "20150830", "us-east-1", "iam") != expected) ++wrong;
        cache.get("secret-" + std::to_string((i + t) % 16), "20150830", "us-east-1", "iam");
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_LE(cache.size(), 8u);
}

// ---- authenticateSigV4: key lookup and session token ----

class FakeCredentials final : public CredentialSource {
 public:
  std::optional<Credential> findAccessKey(std::string_view id) const override {
    for (const auto& c : credentials)
      if (c.access_key_id == id) return c;
    return std::nullopt;
  }
  std::vector<Credential> credentials;
};

Credential credential(std::string_view id, std::string_view secret, std::string_view token = {}) {
  Credential c;
  c.access_key_id = id;
  c.secret_access_key = secret;
  c.session_token = token;
  c.principal.type = PrincipalType::User;
  c.principal.account_id = "123456789012";
  c.principal.arn = "arn:aws:iam::123456789012:user/alice";
  c.principal.name = "alice";
  c.principal.access_key_id = id;
  return c;
}

TEST(SigV4Authenticate, ReturnsThePrincipalOfAValidSignature) {
  FakeCredentials source;
  source.credentials.push_back(credential(kKeyId, kSecret));
  SigningKeyCache cache;
  auto principal = authenticateSigV4(signedRequest(), source, kSignedAt, cache, iamOptions());
  ASSERT_TRUE(principal) << principal.error().message;
  EXPECT_EQ(principal->arn, "arn:aws:iam::123456789012:user/alice");
}

TEST(SigV4Authenticate, RejectsUnknownOrInactiveKeyAsInvalidClientTokenId) {
  FakeCredentials source;
  SigningKeyCache cache;
  expectError(asStatus(authenticateSigV4(signedRequest(), source, kSignedAt, cache, iamOptions())),
              ErrorCode::InvalidClientTokenId, 403, "The security token included in the request is invalid.");
  source.credentials.push_back(credential(kKeyId, kSecret));
  source.credentials.back().active = false;
  expectError(asStatus(authenticateSigV4(signedRequest(), source, kSignedAt, cache, iamOptions())),
              ErrorCode::InvalidClientTokenId, 403, "The security token included in the request is invalid.");
}

TEST(SigV4Authenticate, ChecksScopeBeforeTheKey) {
  FakeCredentials source;  // unknown key, but the request is expired first
  SigningKeyCache cache;
  auto result = authenticateSigV4(signedRequest(), source, kSignedAt + 1h, cache, iamOptions());
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::SignatureDoesNotMatch);
  EXPECT_TRUE(result.error().message.starts_with("Signature expired: "));
}

TEST(SigV4Authenticate, RequiresTheTemporaryKeysOwnSessionToken) {
  FakeCredentials source;
  source.credentials.push_back(credential("ASIAEXAMPLE", kSecret, "token-1"));
  SigningKeyCache cache;
  SigningParams p = params();
  p.access_key_id = "ASIAEXAMPLE";
  p.session_token = "token-1";
  EXPECT_TRUE(authenticateSigV4(signedRequest(p), source, kSignedAt, cache, iamOptions()));
  EXPECT_TRUE(authenticateSigV4(presigned(p), source, kSignedAt, cache, iamOptions()));

  p.session_token = "token-2";
  expectError(asStatus(authenticateSigV4(signedRequest(p), source, kSignedAt, cache, iamOptions())),
              ErrorCode::InvalidClientTokenId, 403, "The security token included in the request is invalid.");
  p.session_token.clear();
  expectError(asStatus(authenticateSigV4(signedRequest(p), source, kSignedAt, cache, iamOptions())),
              ErrorCode::InvalidClientTokenId, 403, "The security token included in the request is invalid.");
}

TEST(SigV4Authenticate, RejectsExpiredTemporaryCredentials) {
  FakeCredentials source;
  source.credentials.push_back(credential("ASIAEXAMPLE", kSecret, "token-1"));
  source.credentials.back().expiration = kSignedAt - 1s;
  SigningKeyCache cache;
  SigningParams p = params();
  p.access_key_id = "ASIAEXAMPLE";
  p.session_token = "token-1";
  expectError(asStatus(authenticateSigV4(signedRequest(p), source, kSignedAt, cache, iamOptions())),
              ErrorCode::ExpiredToken, 403, "The security token included in the request is expired");
}

TEST(SigV4Authenticate, RejectsTokenSentWithALongTermKey) {
  FakeCredentials source;
  source.credentials.push_back(credential(kKeyId, kSecret));
  SigningKeyCache cache;
  SigningParams p = params();
  p.session_token = "unexpected";
  expectError(asStatus(authenticateSigV4(signedRequest(p), source, kSignedAt, cache, iamOptions())),
              ErrorCode::InvalidClientTokenId, 403, "The security token included in the request is invalid.");
}

}  // namespace
}  // namespace iamlocal::auth
