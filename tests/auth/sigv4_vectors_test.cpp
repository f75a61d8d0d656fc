// The official AWS SigV4 test suite (tests/fixtures/sigv4, from aws-c-auth)
// in both forms, byte for byte, and requests signed by botocore itself.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "iamlocal/auth/sigv4.h"

namespace iamlocal::auth {
namespace {

namespace fs = std::filesystem;

const fs::path kSuiteDir = fs::path(IAMLOCAL_SOURCE_DIR) / "tests" / "fixtures" / "sigv4";

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The suite's files are HTTP/1.1 messages with '\n' line ends. The request
// line's target may hold raw spaces ("GET /example space/ HTTP/1.1"), and a
// line starting with whitespace continues the previous header.
http::Request parseRawRequest(const std::string& text) {
  http::Request request;
  std::size_t head_end = text.find("\n\n");
  std::string head = text.substr(0, head_end);
  if (head_end != std::string::npos) request.body = text.substr(head_end + 2);
  std::vector<std::string> lines;
  std::istringstream in(head);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  const std::string& first = lines.at(0);
  request.method = first.substr(0, first.find(' '));
  std::size_t target_start = first.find(' ') + 1;
  request.target = first.substr(target_start, first.rfind(" HTTP/") - target_start);
  std::size_t q = request.target.find('?');
  request.path = request.target.substr(0, q);
  if (q != std::string::npos) request.query = request.target.substr(q + 1);
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if (line.empty()) continue;
    if (line[0] == ' ' || line[0] == '\t') {
      request.headers.back().second += "\n" + line;
      continue;
    }
    std::size_t colon = line.find(':');
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    request.headers.emplace_back(name, line.substr(colon + 1));
  }
  return request;
}

// Just enough JSON for context.json: a string or boolean value by key.
std::string jsonString(const std::string& json, const std::string& key) {
  std::size_t k = json.find("\"" + key + "\"");
  if (k == std::string::npos) return {};
  std::size_t open = json.find('"', json.find(':', k) + 1);
  return json.substr(open + 1, json.find('"', open + 1) - open - 1);
}
bool jsonBool(const std::string& json, const std::string& key) {
  std::size_t k = json.find("\"" + key + "\"");
  if (k == std::string::npos) return false;
  std::size_t v = json.find_first_not_of(" \t\n:", json.find(':', k));
  return json.compare(v, 4, "true") == 0;
}

struct Context {
  std::string access_key_id, secret, token, region, service;
  TimePoint time;
  bool normalize = true, sign_body = false, omit_session_token = false;

  SigV4Options options() const {
    SigV4Options o;
    o.region = region;
    o.service = service;
    o.normalize_path = normalize;
    return o;
  }
};

Context readContext(const fs::path& file) {
  const std::string json = readFile(file);
  Context c;
  c.access_key_id = jsonString(json, "access_key_id");
  c.secret = jsonString(json, "secret_access_key");
  c.token = jsonString(json, "token");
  c.region = jsonString(json, "region");
  c.service = jsonString(json, "service");
  EXPECT_TRUE(parseIso8601(jsonString(json, "timestamp"), c.time));
  c.normalize = json.find("\"normalize\"") == std::string::npos || jsonBool(json, "normalize");
  c.sign_body = jsonBool(json, "sign_body");
  c.omit_session_token = jsonBool(json, "omit_session_token");
  return c;
}

std::vector<std::string> suiteCases() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(kSuiteDir))
    if (entry.is_directory() && fs::exists(entry.path() / "header-canonical-request.txt"))
      names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

TEST(SigV4Suite, HasAllThirtyEightCases) { EXPECT_EQ(suiteCases().size(), 38u); }

// ---- Mutations: every signed byte changed must be rejected ----

char flipped(char c) {
  if (c >= '0' && c <= '9') return static_cast<char>('0' + (c - '0' + 1) % 10);
  if (c >= 'a' && c <= 'z') return static_cast<char>('a' + (c - 'a' + 1) % 26);
  return static_cast<char>('A' + (c - 'A' + 1) % 26);
}
bool flippable(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

struct Mutation {
  std::string what;
  http::Request request;
  bool always_signed;  // signature and scope bytes: no canonical change, still signed
};

std::vector<Mutation> mutationsOf(const http::Request& original) {
  std::vector<Mutation> out;
  auto each = [&](const std::string& what, std::function<std::string&(http::Request&)> field, bool always) {
    const std::string& value = field(const_cast<http::Request&>(original));
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (!flippable(value[i])) continue;
      http::Request copy = original;
      field(copy)[i] = flipped(value[i]);
      out.push_back({what + "[" + std::to_string(i) + "]", std::move(copy), always});
    }
  };
  {
    http::Request copy = original;
    copy.method = original.method == "GET" ? "POST" : "GET";
    out.push_back({"method", std::move(copy), false});
  }
  each("path", [](http::Request& r) -> std::string& { return r.path; }, false);
  each("body", [](http::Request& r) -> std::string& { return r.body; }, false);
  // Query bytes: the signature and the credential scope are signed even
  // though X-Amz-Signature is not part of the canonical query.
  for (std::size_t i = 0; i < original.query.size(); ++i) {
    if (!flippable(original.query[i])) continue;
    std::size_t key_start = original.query.rfind('&', i);
    key_start = key_start == std::string::npos ? 0 : key_start + 1;
    bool in_signature = original.query.compare(key_start, 16, "X-Amz-Signature=") == 0;
    http::Request copy = original;
    copy.query[i] = flipped(original.query[i]);
    out.push_back({"query[" + std::to_string(i) + "]", std::move(copy), in_signature});
  }
  for (std::size_t h = 0; h < original.headers.size(); ++h) {
    const std::string& value = original.headers[h].second;
    const bool is_auth = original.headers[h].first == "authorization";
    // In the Authorization header everything after the key id (scope,
    // SignedHeaders, signature) is signed; the key id only selects the secret.
    std::size_t from = 0;
    if (is_auth) from = value.find('/');
    for (std::size_t i = from; i < value.size(); ++i) {
      if (!flippable(value[i])) continue;
      http::Request copy = original;
      copy.headers[h].second[i] = flipped(value[i]);
      out.push_back({original.headers[h].first + "[" + std::to_string(i) + "]", std::move(copy), is_auth});
    }
  }
  return out;
}

// Runs every mutation of a verified request: the ones that change what was
// signed must be rejected; the rest (bytes that canonicalisation drops, an
// unsigned token) must still verify. Returns the number of accepted ones.
int expectMutationsRejected(const http::Request& original, const Context& ctx, bool omit_token) {
  const SigV4Options options = ctx.options();
  SigningKeyCache cache;
  auto original_info = parseSigV4(original);
  EXPECT_TRUE(original_info.has_value());
  auto baseline = canonicalRequest(original, *original_info, options, !omit_token);
  EXPECT_TRUE(baseline.has_value());
  int accepted = 0;
  const std::vector<Mutation> mutations = mutationsOf(original);
  EXPECT_GE(mutations.size(), 20u);  // method, path, headers, scope, signature at least
  for (const auto& m : mutations) {
    SCOPED_TRACE(m.what);
    auto info = parseSigV4(m.request);
    bool verified = info && verifySigV4(m.request, *info, ctx.secret, ctx.time, cache, options).has_value();
    auto canonical = canonicalRequest(m.request, *original_info, options, !omit_token);
    const bool signed_content_same = !m.always_signed && canonical && *canonical == *baseline;
    EXPECT_EQ(verified, signed_content_same);
    if (verified) ++accepted;
  }
  return accepted;
}

// ---- The suite, case by case ----

class SigV4SuiteCase : public testing::TestWithParam<std::string> {
 protected:
  fs::path dir() const { return kSuiteDir / GetParam(); }
  std::string file(const std::string& name) const { return readFile(dir() / name); }
  Context context() const { return readContext(dir() / "context.json"); }
};

TEST_P(SigV4SuiteCase, HeaderFormReproducesCanonicalRequestStringToSignAndSignature) {
  const Context ctx = context();
  http::Request request = parseRawRequest(file("header-signed-request.txt"));
  auto info = parseSigV4(request);
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->form, SigV4Form::Header);
  EXPECT_EQ(info->access_key_id, ctx.access_key_id);
  auto canonical = canonicalRequest(request, *info, ctx.options());
  ASSERT_TRUE(canonical);
  EXPECT_EQ(*canonical, file("header-canonical-request.txt"));
  const std::string to_sign = stringToSign(*info, *canonical);
  EXPECT_EQ(to_sign, file("header-string-to-sign.txt"));
  const std::string signature =
      signatureHex(deriveSigningKey(ctx.secret, info->scope_date, info->region, info->service), to_sign);
  EXPECT_EQ(signature, file("header-signature.txt"));
  EXPECT_EQ(info->signature, signature);
}

TEST_P(SigV4SuiteCase, QueryFormReproducesCanonicalRequestStringToSignAndSignature) {
  const Context ctx = context();
  http::Request request = parseRawRequest(file("query-signed-request.txt"));
  auto info = parseSigV4(request);
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->form, SigV4Form::Query);
  EXPECT_EQ(info->session_token, ctx.token);
  auto canonical = canonicalRequest(request, *info, ctx.options(), !ctx.omit_session_token);
  ASSERT_TRUE(canonical);
  EXPECT_EQ(*canonical, file("query-canonical-request.txt"));
  const std::string to_sign = stringToSign(*info, *canonical);
  EXPECT_EQ(to_sign, file("query-string-to-sign.txt"));
  const std::string signature =
      signatureHex(deriveSigningKey(ctx.secret, info->scope_date, info->region, info->service), to_sign);
  EXPECT_EQ(signature, file("query-signature.txt"));
  EXPECT_EQ(info->signature, signature);
}

TEST_P(SigV4SuiteCase, HeaderSignedRequestVerifiesAtItsTimestamp) {
  const Context ctx = context();
  http::Request request = parseRawRequest(file("header-signed-request.txt"));
  auto info = parseSigV4(request);
  ASSERT_TRUE(info);
  SigningKeyCache cache;
  auto status = verifySigV4(request, *info, ctx.secret, ctx.time, cache, ctx.options());
  EXPECT_TRUE(status) << status.error().message;
}

TEST_P(SigV4SuiteCase, QuerySignedRequestVerifiesAtItsTimestamp) {
  const Context ctx = context();
  http::Request request = parseRawRequest(file("query-signed-request.txt"));
  auto info = parseSigV4(request);
  ASSERT_TRUE(info);
  SigningKeyCache cache;
  auto status = verifySigV4(request, *info, ctx.secret, ctx.time, cache, ctx.options());
  EXPECT_TRUE(status) << status.error().message;
}

TEST_P(SigV4SuiteCase, SignerReproducesTheSignedRequests) {
  const Context ctx = context();
  SigningParams params;
  params.access_key_id = ctx.access_key_id;
  params.secret_access_key = ctx.secret;
  params.session_token = ctx.token;
  params.region = ctx.region;
  params.service = ctx.service;
  params.time = ctx.time;
  params.normalize_path = ctx.normalize;
  params.add_content_sha256 = ctx.sign_body;
  params.omit_session_token = ctx.omit_session_token;

  const http::Request expected_header = parseRawRequest(file("header-signed-request.txt"));
  http::Request header = parseRawRequest(file("request.txt"));
  signRequest(header, params);
  EXPECT_EQ(header.header("authorization"), expected_header.header("authorization"));
  EXPECT_EQ(header.header("x-amz-date"), expected_header.header("x-amz-date"));
  EXPECT_EQ(header.header("x-amz-security-token"), expected_header.header("x-amz-security-token"));
  EXPECT_EQ(header.header("x-amz-content-sha256"), expected_header.header("x-amz-content-sha256"));

  const http::Request expected_query = parseRawRequest(file("query-signed-request.txt"));
  http::Request query = parseRawRequest(file("request.txt"));
  presignRequest(query, params);
  EXPECT_EQ(query.target, expected_query.target);
}

TEST_P(SigV4SuiteCase, HeaderFormRejectsAnyChangedSignedByte) {
  const Context ctx = context();
  http::Request request = parseRawRequest(file("header-signed-request.txt"));
  int accepted = expectMutationsRejected(request, ctx, false);
  // Only bytes that canonicalisation drops (a segment removed by "..") or an
  // unsigned session token may change without breaking the signature.
  const bool has_droppable = (ctx.normalize && request.path.find("..") != std::string::npos) ||
                             ctx.omit_session_token;
  if (!has_droppable) {
    EXPECT_EQ(accepted, 0);
  }
}

TEST_P(SigV4SuiteCase, QueryFormRejectsAnyChangedSignedByte) {
  const Context ctx = context();
  http::Request request = parseRawRequest(file("query-signed-request.txt"));
  int accepted = expectMutationsRejected(request, ctx, ctx.omit_session_token);
  const bool has_droppable = (ctx.normalize && request.path.find("..") != std::string::npos) ||
                             ctx.omit_session_token;
  if (!has_droppable) {
    EXPECT_EQ(accepted, 0);
  }
}

INSTANTIATE_TEST_SUITE_P(AwsSuite, SigV4SuiteCase, testing::ValuesIn(suiteCases()),
                         [](const testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

// ---- Requests signed by botocore (tests/fixtures/sigv4/botocore/generate.py) ----

class BotocoreSigned : public testing::TestWithParam<std::string> {};

TEST_P(BotocoreSigned, IsAccepted) {
  const fs::path base = kSuiteDir / "botocore" / GetParam();
  const Context ctx = readContext(base.string() + ".json");
  http::Request request = parseRawRequest(readFile(base.string() + ".txt"));
  auto info = parseSigV4(request);
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->access_key_id, ctx.access_key_id);
  EXPECT_EQ(info->session_token, ctx.token);
  SigningKeyCache cache;
  auto status = verifySigV4(request, *info, ctx.secret, ctx.time, cache, ctx.options());
  EXPECT_TRUE(status) << status.error().message;
}

TEST_P(BotocoreSigned, IsRejectedWithAnotherSecret) {
  const fs::path base = kSuiteDir / "botocore" / GetParam();
  const Context ctx = readContext(base.string() + ".json");
  http::Request request = parseRawRequest(readFile(base.string() + ".txt"));
  auto info = parseSigV4(request);
  ASSERT_TRUE(info);
  SigningKeyCache cache;
  auto status = verifySigV4(request, *info, ctx.secret + "x", ctx.time, cache, ctx.options());
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::SignatureDoesNotMatch);
}

INSTANTIATE_TEST_SUITE_P(Botocore, BotocoreSigned,
                         testing::Values("sts-get-caller-identity", "iam-list-users-session-token",
                                         "iam-get-user-query-params", "sts-presigned-get-caller-identity"),
                         [](const testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

}  // namespace
}  // namespace iamlocal::auth
