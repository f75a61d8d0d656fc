// The instance metadata service and container credentials over plain
// requests with a manual clock: IMDSv2 tokens and their rules, IMDSv1 under
// HttpTokens, the metadata tree, role credentials that are store sessions
// rotated before expiry and follow the association, signed identity
// documents, and the container endpoint's token check.
#include "iamlocal/services/imds.h"

#include <shared_mutex>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "iamlocal/core/clock.h"
#include "iamlocal/services/ec2.h"
#include "iamlocal/services/iam.h"
#include "iamlocal/services/operation.h"
#include "iamlocal/store/store.h"

namespace iamlocal::services {
namespace {

using nlohmann::json;

constexpr std::string_view kAccount = "000000000000";
constexpr std::string_view kInstance = "i-0123456789abcdef0";

TimePoint start() {
  TimePoint t;
  parseIso8601("2024-05-01T12:00:00Z", t);
  return t;
}

class MetadataServiceTest : public ::testing::Test {
 public:
  MetadataServiceTest() : clock_(start()), imds_(store_, clock_, options()) {
    registerIamOperations(table_, store_);
    registerEc2Operations(table_, store_);
  }

  static MetadataOptions options() {
    MetadataOptions o;
    o.region = "eu-west-1";
    o.container_role = "task-role";
    o.container_token = "secret-token";
    return o;
  }

  json iam(std::string_view action, const json& input) {
    Call c;
    c.service = "iam";
    c.action = std::string(action);
    c.region = "eu-west-1";
    c.caller = auth::rootPrincipal(kAccount);
    c.now = clock_.now();
    auto r = (*table_.find("iam", action))(c, input);
    EXPECT_TRUE(r) << action << ": " << (r ? "" : r.error().message);
    return r ? *r : json();
  }

  static std::string trustOf(std::string_view service) {
    return R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":")" + std::string(service) +
           R"("},"Action":"sts:AssumeRole"}]})";
  }

  void makeRole(const std::string& role, const std::string& profile = "",
                const std::string& trust = trustOf("ec2.amazonaws.com")) {
    iam("CreateRole", {{"RoleName", role}, {"AssumeRolePolicyDocument", trust}});
    if (!profile.empty()) {
      iam("CreateInstanceProfile", {{"InstanceProfileName", profile}});
      iam("AddRoleToInstanceProfile", {{"InstanceProfileName", profile}, {"RoleName", role}});
    }
  }

  void declare(std::string id) {
    InstanceSpec spec;
    spec.id = std::move(id);
    declare(spec);
  }

  void declare(InstanceSpec spec) {
    if (spec.id.empty()) spec.id = std::string(kInstance);
    ASSERT_TRUE(declareInstance(store_, kAccount, "eu-west-1", spec, clock_.now()));
  }

  static http::Request request(std::string method, std::string path,
                               std::vector<std::pair<std::string, std::string>> headers = {}) {
    http::Request r;
    r.method = std::move(method);
    r.path = std::move(path);
    r.target = r.path;
    r.headers = std::move(headers);
    return r;
  }

  http::Response get(const std::string& path, std::vector<std::pair<std::string, std::string>> headers = {}) {
    return imds_.handle(request("GET", path, std::move(headers)));
  }

  std::string token(int ttl = 21600) {
    auto r = imds_.handle(request("PUT", "/latest/api/token", {{"x-aws-ec2-metadata-token-ttl-seconds", std::to_string(ttl)}}));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.body;
  }

  store::Store store_;
  OperationTable table_;
  ManualClock clock_;
  MetadataService imds_;
};

TEST_F(MetadataServiceTest, TokenTtlMustBeFrom1To21600AndProxiesAreRefused) {
  declare(InstanceSpec{});
  for (const char* bad : {"0", "21601", "abc", "-5", ""}) {
    SCOPED_TRACE(bad);
    std::vector<std::pair<std::string, std::string>> headers;
    if (*bad) headers.emplace_back("x-aws-ec2-metadata-token-ttl-seconds", bad);
    auto r = imds_.handle(request("PUT", "/latest/api/token", headers));
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.body.find("<title>400 - Bad Request</title>"), std::string::npos);
  }
  auto forwarded = imds_.handle(request(
      "PUT", "/latest/api/token", {{"x-aws-ec2-metadata-token-ttl-seconds", "60"}, {"x-forwarded-for", "10.0.0.1"}}));
  EXPECT_EQ(forwarded.status, 403);
  auto ok = imds_.handle(request("PUT", "/latest/api/token", {{"x-aws-ec2-metadata-token-ttl-seconds", "60"}}));
  EXPECT_EQ(ok.status, 200);
  EXPECT_FALSE(ok.body.empty());
  EXPECT_EQ(imds_.handle(request("GET", "/latest/api/token")).status, 405);
}

TEST_F(MetadataServiceTest, V1WorksUnlessTokensAreRequiredAndBadTokensAre401) {
  declare(InstanceSpec{});
  EXPECT_EQ(get("/latest/meta-data/instance-id").body, kInstance);
  const std::string t = token(60);
  EXPECT_EQ(get("/latest/meta-data/instance-id", {{"x-aws-ec2-metadata-token", t}}).status, 200);
  EXPECT_EQ(get("/latest/meta-data/instance-id", {{"x-aws-ec2-metadata-token", "forged"}}).status, 401);
  clock_.advance(std::chrono::seconds(61));
  auto expired = get("/latest/meta-data/instance-id", {{"x-aws-ec2-metadata-token", t}});
  EXPECT_EQ(expired.status, 401);
  EXPECT_NE(expired.body.find("<h1>401 - Unauthorized</h1>"), std::string::npos);

  {
    std::unique_lock lock(store_.mutex());
    store_.account(kAccount).instances.at(std::string(kInstance)).metadata_options.http_tokens = "required";
  }
  EXPECT_EQ(get("/latest/meta-data/instance-id").status, 401);
  EXPECT_EQ(get("/latest/meta-data/instance-id", {{"x-aws-ec2-metadata-token", token()}}).status, 200);
}

TEST_F(MetadataServiceTest, DisabledEndpointAnswers403) {
  InstanceSpec spec;
  spec.metadata_options.http_endpoint = "disabled";
  declare(spec);
  EXPECT_EQ(get("/latest/meta-data/").status, 403);
  EXPECT_EQ(imds_.handle(request("PUT", "/latest/api/token", {{"x-aws-ec2-metadata-token-ttl-seconds", "60"}})).status, 403);
}

TEST_F(MetadataServiceTest, ServesTheMetadataTreeAndUserData) {
  InstanceSpec spec;
  spec.instance_type = "t3.small";
  spec.user_data = "#!/bin/sh\necho hi\n";
  spec.tags = {{"Name", "app"}};
  spec.metadata_options.instance_metadata_tags = "enabled";
  declare(spec);
  auto listing = get("/latest/meta-data/");
  ASSERT_EQ(listing.status, 200);
  for (const char* entry : {"ami-id\n", "hostname\n", "instance-id\n", "instance-type\n", "local-hostname\n",
                            "local-ipv4\n", "mac\n", "placement/\n", "security-groups", "tags/"})
    EXPECT_NE(listing.body.find(entry), std::string::npos) << entry << " in\n" << listing.body;
  EXPECT_EQ(listing.body.find("iam/"), std::string::npos);  // no profile
  EXPECT_EQ(get("/latest/meta-data").body, listing.body);
  EXPECT_EQ(get("/latest/meta-data/instance-type").body, "t3.small");
  EXPECT_EQ(get("/latest/meta-data/placement/availability-zone/").body, "eu-west-1a");
  EXPECT_EQ(get("/latest/meta-data/placement/region").body, "eu-west-1");
  EXPECT_EQ(get("/latest/meta-data/placement/").body, "availability-zone\nregion");
  EXPECT_EQ(get("/latest/meta-data/tags/instance").body, "Name");
  EXPECT_EQ(get("/latest/meta-data/tags/instance/Name").body, "app");
  EXPECT_EQ(get("/latest/meta-data/security-groups").body, "default");
  EXPECT_TRUE(get("/latest/meta-data/local-ipv4").body.starts_with("172.31."));
  EXPECT_EQ(get("/latest/user-data").body, spec.user_data);
  EXPECT_EQ(get("/latest/").body, "dynamic\nmeta-data\nuser-data");
  auto missing = get("/latest/meta-data/nothing-here");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.content_type, "text/html");
  EXPECT_NE(missing.body.find("<title>404 - Not Found</title>"), std::string::npos);
}

TEST_F(MetadataServiceTest, TagsAndUserDataAreAbsentWhenNotEnabledOrGiven) {
  InstanceSpec spec;
  spec.tags = {{"Name", "app"}};
  declare(spec);
  EXPECT_EQ(get("/latest/meta-data/tags/instance").status, 404);
  EXPECT_EQ(get("/latest/user-data").status, 404);
}

TEST_F(MetadataServiceTest, ServesRoleCredentialsThatAreStoreSessionsAndRotate) {
  makeRole("AppRole", "app-profile");
  InstanceSpec spec;
  spec.profile_name = "app-profile";
  declare(spec);

  EXPECT_EQ(get("/latest/meta-data/iam/").body, "info\nsecurity-credentials/");
  json info = json::parse(get("/latest/meta-data/iam/info").body);
  EXPECT_EQ(info["Code"], "Success");
  EXPECT_EQ(info["InstanceProfileArn"], "arn:aws:iam::000000000000:instance-profile/app-profile");
  EXPECT_TRUE(info["InstanceProfileId"].get<std::string>().starts_with("AIPA"));
  EXPECT_EQ(get("/latest/meta-data/iam/security-credentials/").body, "AppRole");

  json creds = json::parse(get("/latest/meta-data/iam/security-credentials/AppRole").body);
  EXPECT_EQ(creds["Code"], "Success");
  EXPECT_EQ(creds["Type"], "AWS-HMAC");
  EXPECT_EQ(creds["Expiration"], "2024-05-01T18:00:00Z");
  const std::string key = creds["AccessKeyId"];
  EXPECT_TRUE(key.starts_with("ASIA"));
  {
    std::shared_lock lock(store_.mutex());
    auto session = store_.findSession(key);
    ASSERT_NE(session, nullptr);
    EXPECT_EQ(session->principal.arn, "arn:aws:sts::000000000000:assumed-role/AppRole/" + std::string(kInstance));
    EXPECT_EQ(session->session_token, creds["Token"]);
    EXPECT_EQ(session->secret_access_key, creds["SecretAccessKey"]);
  }
  // The same credentials until 15 minutes before they expire, then new ones.
  clock_.advance(std::chrono::hours(5) + std::chrono::minutes(44));
  EXPECT_EQ(json::parse(get("/latest/meta-data/iam/security-credentials/AppRole").body)["AccessKeyId"], key);
  clock_.advance(std::chrono::minutes(2));
  json rotated = json::parse(get("/latest/meta-data/iam/security-credentials/AppRole").body);
  EXPECT_NE(rotated["AccessKeyId"], key);
  EXPECT_EQ(rotated["Expiration"], "2024-05-01T23:46:00Z");
}

TEST_F(MetadataServiceTest, RoleThatDoesNotTrustEc2GetsAssumeRoleUnauthorizedAccessAndNoCredentials) {
  makeRole("LambdaRole", "lambda-profile", trustOf("lambda.amazonaws.com"));
  InstanceSpec spec;
  spec.profile_name = "lambda-profile";
  declare(spec);
  const std::string expected_message =
      "EC2 cannot assume the role LambdaRole.  Please see documentation at "
      "http://docs.amazonwebservices.com/IAM/latest/UserGuide/RolesTroubleshooting.html.";

  // The role is still listed, as on AWS; its documents say why there are no keys.
  EXPECT_EQ(get("/latest/meta-data/iam/security-credentials/").body, "LambdaRole");
  auto info_response = get("/latest/meta-data/iam/info");
  ASSERT_EQ(info_response.status, 200);
  json info = json::parse(info_response.body);
  EXPECT_EQ(info["Code"], "AssumeRoleUnauthorizedAccess");
  EXPECT_EQ(info["Message"], expected_message);
  EXPECT_EQ(info["LastUpdated"], "2024-05-01T12:00:00Z");
  EXPECT_EQ(info["InstanceProfileArn"], "arn:aws:iam::000000000000:instance-profile/lambda-profile");

  auto creds_response = get("/latest/meta-data/iam/security-credentials/LambdaRole");
  ASSERT_EQ(creds_response.status, 200);
  EXPECT_TRUE(creds_response.body.starts_with("{\n  \"Code\" : \"AssumeRoleUnauthorizedAccess\",\n  \"Message\" : "))
      << creds_response.body;
  json creds = json::parse(creds_response.body);
  EXPECT_EQ(creds["Message"], expected_message);
  EXPECT_EQ(creds["LastUpdated"], "2024-05-01T12:00:00Z");
  for (const char* k : {"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}) EXPECT_FALSE(creds.contains(k)) << k;

  // Trusting EC2 (here among other services, by a list) opens the credentials at once.
  iam("UpdateAssumeRolePolicy",
      {{"RoleName", "LambdaRole"},
       {"PolicyDocument",
        R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["lambda.amazonaws.com","ec2.amazonaws.com"]},"Action":"sts:AssumeRole"}]})"}});
  EXPECT_EQ(json::parse(get("/latest/meta-data/iam/info").body)["Code"], "Success");
  json granted = json::parse(get("/latest/meta-data/iam/security-credentials/LambdaRole").body);
  EXPECT_EQ(granted["Code"], "Success");
  EXPECT_TRUE(granted["AccessKeyId"].get<std::string>().starts_with("ASIA"));
}

TEST_F(MetadataServiceTest, ADenyForEc2OrAnotherActionInTheTrustPolicyWithholdsCredentials) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"explicit deny",
       R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"},)"
       R"({"Effect":"Deny","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]})"},
      {"only sts:TagSession",
       R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:TagSession"}]})"},
      {"an account principal",
       R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"sts:AssumeRole"}]})"},
  };
  int n = 0;
  for (const auto& [name, trust] : cases) {
    SCOPED_TRACE(name);
    const std::string suffix = std::to_string(n++);
    makeRole("Role" + suffix, "profile" + suffix, trust);
    InstanceSpec spec;
    spec.id = "i-0000000" + suffix;
    spec.profile_name = "profile" + suffix;
    declare(spec);
    auto creds = imds_.handleInstance(spec.id, "/latest/meta-data/iam/security-credentials/Role" + suffix,
                                      request("GET", "/latest/meta-data/iam/security-credentials/Role" + suffix));
    ASSERT_EQ(creds.status, 200) << creds.body;
    EXPECT_EQ(json::parse(creds.body)["Code"], "AssumeRoleUnauthorizedAccess");
    EXPECT_FALSE(json::parse(creds.body).contains("AccessKeyId"));
  }
}

TEST_F(MetadataServiceTest, CredentialsFollowTheAssociation) {
  makeRole("FirstRole", "first");
  makeRole("SecondRole", "second");
  InstanceSpec spec;
  spec.profile_name = "first";
  declare(spec);
  EXPECT_EQ(get("/latest/meta-data/iam/security-credentials/").body, "FirstRole");
  const std::string first_key = json::parse(get("/latest/meta-data/iam/security-credentials/FirstRole").body)["AccessKeyId"];
  {
    std::unique_lock lock(store_.mutex());
    store_.account(kAccount).instances.at(std::string(kInstance)).profile->profile_name = "second";
  }
  EXPECT_EQ(get("/latest/meta-data/iam/security-credentials/").body, "SecondRole");
  EXPECT_EQ(get("/latest/meta-data/iam/security-credentials/FirstRole").status, 404);
  json second = json::parse(get("/latest/meta-data/iam/security-credentials/SecondRole").body);
  EXPECT_NE(second["AccessKeyId"], first_key);
  {
    std::unique_lock lock(store_.mutex());
    store_.account(kAccount).instances.at(std::string(kInstance)).profile.reset();
  }
  EXPECT_EQ(get("/latest/meta-data/iam/").status, 404);
  EXPECT_EQ(get("/latest/meta-data/iam/security-credentials/").status, 404);
}

TEST_F(MetadataServiceTest, AProfileCreatedLaterServesCredentialsOnceItExists) {
  InstanceSpec spec;
  spec.profile_name = "later";
  declare(spec);
  EXPECT_EQ(get("/latest/meta-data/iam/security-credentials/").status, 404);
  EXPECT_EQ(get("/latest/meta-data/iam/").body, "info");
  EXPECT_EQ(json::parse(get("/latest/meta-data/iam/info").body)["Code"], "InstanceProfileNotFound");
  makeRole("LaterRole", "later");
  EXPECT_EQ(json::parse(get("/latest/meta-data/iam/info").body)["Code"], "Success");
  EXPECT_EQ(get("/latest/meta-data/iam/security-credentials/").body, "LaterRole");
}

TEST_F(MetadataServiceTest, PicksTheOnlyRunningInstanceOrTheNamedOne) {
  EXPECT_EQ(get("/latest/meta-data/instance-id").status, 404);  // none
  declare(InstanceSpec{});
  declare(std::string("i-00000001"));
  EXPECT_EQ(get("/latest/meta-data/instance-id").status, 404);  // two: ambiguous
  auto r = imds_.handlePrefixed(request("GET", "/_iamlocal/instances/i-00000001/latest/meta-data/instance-id"));
  EXPECT_EQ(r.body, "i-00000001");
  {
    std::unique_lock lock(store_.mutex());
    store_.account(kAccount).instances.at("i-00000001").state = "stopped";
  }
  EXPECT_EQ(get("/latest/meta-data/instance-id").body, kInstance);
  EXPECT_EQ(imds_.handlePrefixed(request("GET", "/_iamlocal/instances/i-00000001/latest/meta-data/instance-id")).status,
            404);
  EXPECT_EQ(imds_.handlePrefixed(request("GET", "/_iamlocal/instances/bogus/latest/meta-data/")).status, 404);

  MetadataOptions named = options();
  named.default_instance_id = "i-00000001";
  MetadataService other(store_, clock_, named);
  EXPECT_EQ(other.handle(request("GET", "/latest/meta-data/instance-id")).status, 404);  // stopped
}

TEST_F(MetadataServiceTest, PrefixedTokensAreBoundToThatInstance) {
  declare(InstanceSpec{});
  declare(std::string("i-00000001"));
  auto put = imds_.handlePrefixed(request("PUT", "/_iamlocal/instances/i-00000001/latest/api/token",
                                          {{"x-aws-ec2-metadata-token-ttl-seconds", "300"}}));
  ASSERT_EQ(put.status, 200);
  EXPECT_EQ(imds_.handlePrefixed(request("GET", "/_iamlocal/instances/i-00000001/latest/meta-data/ami-id",
                                         {{"x-aws-ec2-metadata-token", put.body}}))
                .status,
            200);
  EXPECT_EQ(imds_.handlePrefixed(request("GET", "/_iamlocal/instances/" + std::string(kInstance) + "/latest/meta-data/ami-id",
                                         {{"x-aws-ec2-metadata-token", put.body}}))
                .status,
            401);
}

TEST_F(MetadataServiceTest, IdentityDocumentIsSignedByThePublishedCertificate) {
  declare(InstanceSpec{});
  auto document = get("/latest/dynamic/instance-identity/document");
  ASSERT_EQ(document.status, 200);
  json doc = json::parse(document.body);
  EXPECT_EQ(doc["instanceId"], kInstance);
  EXPECT_EQ(doc["accountId"], kAccount);
  EXPECT_EQ(doc["region"], "eu-west-1");
  EXPECT_TRUE(doc["kernelId"].is_null());
  EXPECT_EQ(get("/latest/dynamic/instance-identity/").body, "document\npkcs7\nrsa2048\nsignature");

  const std::string pem = imds_.certificatePem();
  ASSERT_TRUE(pem.starts_with("-----BEGIN CERTIFICATE-----"));
  const std::string sig64 = get("/latest/dynamic/instance-identity/signature").body;
  std::string sig(sig64.size(), '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(sig.data()),
                          reinterpret_cast<const unsigned char*>(sig64.data()), static_cast<int>(sig64.size()));
  ASSERT_GT(n, 0);
  sig.resize(256);  // RSA-2048

  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  ASSERT_NE(cert, nullptr);
  EVP_PKEY* key = X509_get_pubkey(cert);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ASSERT_EQ(EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key), 1);
  EXPECT_EQ(EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                             reinterpret_cast<const unsigned char*>(document.body.data()), document.body.size()),
            1);
  EXPECT_NE(EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                             reinterpret_cast<const unsigned char*>("tampered"), 8),
            1);
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(key);
  X509_free(cert);
  BIO_free(bio);
  EXPECT_FALSE(get("/latest/dynamic/instance-identity/pkcs7").body.empty());
}

TEST_F(MetadataServiceTest, ContainerCredentialsNeedTheToken) {
  makeRole("task-role");
  http::Request r = request("GET", std::string(kContainerCredentialsPath));
  EXPECT_EQ(imds_.containerCredentials(r).status, 401);
  r.headers = {{"authorization", "wrong"}};
  EXPECT_EQ(imds_.containerCredentials(r).status, 403);
  r.headers = {{"authorization", "secret-token"}};
  auto ok = imds_.containerCredentials(r);
  ASSERT_EQ(ok.status, 200) << ok.body;
  json creds = json::parse(ok.body);
  EXPECT_EQ(creds["RoleArn"], "arn:aws:iam::000000000000:role/task-role");
  for (const char* k : {"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}) EXPECT_TRUE(creds.contains(k)) << k;
  {
    std::shared_lock lock(store_.mutex());
    auto s = store_.findSession(creds["AccessKeyId"].get<std::string>());
    ASSERT_NE(s, nullptr);
    EXPECT_TRUE(s->principal.arn.starts_with("arn:aws:sts::000000000000:assumed-role/task-role/"));
  }
  // The relative-URI form names the token as its last path segment.
  EXPECT_EQ(imds_.containerCredentials(request("GET", std::string(kContainerRelativePrefix) + "secret-token")).status, 200);
  EXPECT_EQ(imds_.containerCredentials(request("GET", std::string(kContainerRelativePrefix) + "guess")).status, 403);
}

TEST_F(MetadataServiceTest, ContainerCredentialsWithoutTheRoleAre404) {
  http::Request r = request("GET", std::string(kContainerCredentialsPath), {{"authorization", "secret-token"}});
  EXPECT_EQ(imds_.containerCredentials(r).status, 404);
}

}  // namespace
}  // namespace iamlocal::services
