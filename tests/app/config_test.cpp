// Option parsing: defaults, the three sources and their precedence, and one
// clear message for every kind of bad input.
#include "iamlocal/app/config.h"

#include <cstdio>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

namespace iamlocal::app {
namespace {

Result<Invocation> parse(std::vector<std::string> args, Environment env = {}) {
  return parseInvocation(args, env);
}

std::string errorOf(const Result<Invocation>& r) { return r ? std::string("<no error>") : r.error().message; }

class TempFile {
 public:
  explicit TempFile(std::string_view text) {
    char name[] = "/tmp/iamlocal-config-XXXXXX";
    int fd = mkstemp(name);
    path_ = name;
    std::FILE* f = fdopen(fd, "w");
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
  }
  ~TempFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(Config, NoArgumentsServesWithTheDocumentedDefaults) {
  auto r = parse({});
  ASSERT_TRUE(r) << errorOf(r);
  EXPECT_EQ(r->mode, Mode::Serve);
  EXPECT_EQ(r->config.host, "127.0.0.1");
  EXPECT_EQ(r->config.port, 4566);
  EXPECT_EQ(r->config.threads, 0u);
  EXPECT_EQ(r->config.region, "us-east-1");
  EXPECT_EQ(r->config.account, "000000000000");
  EXPECT_EQ(r->config.root_access_key, "test");
  EXPECT_EQ(r->config.root_secret_key, "test");
  EXPECT_EQ(r->config.log_level, "info");
  EXPECT_EQ(r->config.max_body_bytes, 1024u * 1024u);
}

TEST(Config, ShippedExampleConfigFileIsValid) {
  auto r = parse({"--config", IAMLOCAL_SOURCE_DIR "/config/iamlocal.example.json"});
  ASSERT_TRUE(r) << errorOf(r);
  EXPECT_EQ(r->config.port, 4566);
  ASSERT_EQ(r->config.accounts.size(), 1u);
  EXPECT_EQ(r->config.accounts[0].id, "111111111111");
}

TEST(Config, FlagsTakeSeparateOrEqualsValues) {
  auto r = parse({"--port", "4567", "--host=0.0.0.0", "--threads", "3", "--region", "eu-west-1", "--account",
                  "123456789012", "--root-access-key", "AKIAROOT", "--root-secret-key", "s3cr3t", "--log-level",
                  "warn", "--max-body-bytes", "2048", "--max-header-bytes", "4096", "--read-timeout-ms", "500",
                  "--idle-timeout-ms", "700"});
  ASSERT_TRUE(r) << errorOf(r);
  const auto& c = r->config;
  EXPECT_EQ(c.port, 4567);
  EXPECT_EQ(c.host, "0.0.0.0");
  EXPECT_EQ(c.threads, 3u);
  EXPECT_EQ(c.region, "eu-west-1");
  EXPECT_EQ(c.account, "123456789012");
  EXPECT_EQ(c.root_access_key, "AKIAROOT");
  EXPECT_EQ(c.root_secret_key, "s3cr3t");
  EXPECT_EQ(c.log_level, "warn");
  EXPECT_EQ(c.max_body_bytes, 2048u);
  EXPECT_EQ(c.max_header_bytes, 4096u);
  EXPECT_EQ(c.read_timeout, std::chrono::milliseconds(500));
  EXPECT_EQ(c.idle_timeout, std::chrono::milliseconds(700));
}

TEST(Config, PortZeroIsAllowed) {
  auto r = parse({"--port", "0"});
  ASSERT_TRUE(r) << errorOf(r);
  EXPECT_EQ(r->config.port, 0);
}

TEST(Config, EnvironmentVariablesSetOptions) {
  auto r = parse({}, {{"IAMLOCAL_PORT", "5000"}, {"IAMLOCAL_ROOT_ACCESS_KEY", "envkey"}, {"IAMLOCAL_LOG_LEVEL", "off"}});
  ASSERT_TRUE(r) << errorOf(r);
  EXPECT_EQ(r->config.port, 5000);
  EXPECT_EQ(r->config.root_access_key, "envkey");
  EXPECT_EQ(r->config.log_level, "off");
}

TEST(Config, UnknownIamlocalVariablesAreIgnored) {
  // The e2e harness sets IAMLOCAL_BIN, for instance.
  auto r = parse({}, {{"IAMLOCAL_BIN", "/x/iamlocal"}});
  EXPECT_TRUE(r) << errorOf(r);
}

TEST(Config, FlagsBeatEnvironmentWhichBeatsTheConfigFile) {
  TempFile file(R"({"port": 6000, "region": "ap-south-1", "account": "111111111111"})");
  auto r = parse({"--config", file.path(), "--port", "7000"},
                 {{"IAMLOCAL_PORT", "6500"}, {"IAMLOCAL_REGION", "eu-central-1"}});
  ASSERT_TRUE(r) << errorOf(r);
  EXPECT_EQ(r->config.port, 7000);               // flag
  EXPECT_EQ(r->config.region, "eu-central-1");   // environment over file
  EXPECT_EQ(r->config.account, "111111111111");  // file over default
  EXPECT_EQ(r->config.config_file, file.path());
}

TEST(Config, ConfigFileCanBeNamedByTheEnvironment) {
  TempFile file(R"({"root_access_key": "FROMFILE", "threads": 2})");
  auto r = parse({}, {{"IAMLOCAL_CONFIG", file.path()}});
  ASSERT_TRUE(r) << errorOf(r);
  EXPECT_EQ(r->config.root_access_key, "FROMFILE");
  EXPECT_EQ(r->config.threads, 2u);
}

TEST(Config, HelpVersionAndHealthcheckSelectTheirModes) {
  EXPECT_EQ(parse({"--help"})->mode, Mode::Help);
  EXPECT_EQ(parse({"-h"})->mode, Mode::Help);
  EXPECT_EQ(parse({"--version"})->mode, Mode::Version);
  auto r = parse({"--healthcheck", "--port", "4999"});
  ASSERT_TRUE(r) << errorOf(r);
  EXPECT_EQ(r->mode, Mode::Healthcheck);
  EXPECT_EQ(r->config.port, 4999);
}

TEST(Config, HelpListsEveryOptionWithItsVariable) {
  std::string help = helpText();
  for (std::string_view needle :
       {"--host", "IAMLOCAL_HOST", "--port", "IAMLOCAL_PORT", "--threads", "--region", "--account",
        "--root-access-key", "IAMLOCAL_ROOT_SECRET_KEY", "--log-level", "--max-body-bytes", "--config",
        "IAMLOCAL_CONFIG", "--healthcheck", "--version"}) {
    EXPECT_NE(help.find(needle), std::string::npos) << needle;
  }
}

TEST(Config, BadInputNamesTheSourceAndTheValue) {
  struct Case {
    std::vector<std::string> args;
    Environment env;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"--port", "99999"}, {}, "invalid value '99999' for --port: expected an integer from 0 to 65535"},
      {{"--port", "12ab"}, {}, "invalid value '12ab' for --port: expected an integer from 0 to 65535"},
      {{"--port=-1"}, {}, "invalid value '-1' for --port: expected an integer from 0 to 65535"},
      {{"--account", "12345"}, {}, "invalid value '12345' for --account: expected a 12-digit account id"},
      {{"--log-level", "loud"}, {}, "invalid value 'loud' for --log-level: expected one of trace, debug, info, warn, error, critical, off"},
      {{"--region", "US EAST"}, {}, "invalid value 'US EAST' for --region: expected a region name such as us-east-1"},
      {{"--max-body-bytes", "0"}, {}, "invalid value '0' for --max-body-bytes: expected an integer from 1 to 1073741824"},
      {{}, {{"IAMLOCAL_THREADS", "many"}}, "invalid value 'many' for IAMLOCAL_THREADS: expected an integer from 0 to 1024"},
      {{"--bogus", "1"}, {}, "unknown option '--bogus' (see --help)"},
      {{"serve"}, {}, "unexpected argument 'serve' (see --help)"},
      {{"--port"}, {}, "option --port needs a value"},
      {{"--config", "/nonexistent/iamlocal.json"}, {}, "cannot read config file '/nonexistent/iamlocal.json': No such file or directory"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.message);
    auto r = parse(c.args, c.env);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, c.message);
  }
}

TEST(Config, BadConfigFilesAreRejectedWithTheFileAndKey) {
  struct Case {
    std::string text;
    std::string message_part;
  };
  const std::vector<Case> cases = {
      {"{not json", "is not valid JSON"},
      {"[1, 2]", "must hold a JSON object"},
      {R"({"prot": 1})", "unknown key \"prot\""},
      {R"({"port": "http"})", "invalid value 'http' for \"port\" in config file"},
      {R"({"port": [1]})", "\"port\" must be a string or an integer"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    TempFile file(c.text);
    auto r = parse({"--config", file.path()});
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find(c.message_part), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find(file.path()), std::string::npos) << r.error().message;
  }
}

TEST(Config, AuthModeDefaultsToAcceptAndTakesEveryDocumentedMode) {
  EXPECT_EQ(parse({})->config.auth, services::AuthMode::Accept);
  EXPECT_EQ(parse({"--auth", "verify"})->config.auth, services::AuthMode::Verify);
  EXPECT_EQ(parse({"--auth=enforce"})->config.auth, services::AuthMode::Enforce);
  EXPECT_EQ(parse({}, {{"IAMLOCAL_AUTH", "soft"}})->config.auth, services::AuthMode::Soft);
  TempFile file(R"({"auth": "verify"})");
  EXPECT_EQ(parse({"--config", file.path()})->config.auth, services::AuthMode::Verify);
  EXPECT_EQ(parse({"--config", file.path(), "--auth", "accept"})->config.auth, services::AuthMode::Accept);
  EXPECT_EQ(errorOf(parse({"--auth", "strict"})),
            "invalid value 'strict' for --auth: expected one of accept, verify, enforce, soft");
}

TEST(Config, ClockControlIsASwitchOffByDefault) {
  EXPECT_FALSE(parse({})->config.enable_clock_control);
  auto r = parse({"--enable-clock-control", "--port", "5"});
  ASSERT_TRUE(r) << errorOf(r);
  EXPECT_TRUE(r->config.enable_clock_control);
  EXPECT_EQ(r->config.port, 5);  // the switch took no value
  EXPECT_TRUE(parse({}, {{"IAMLOCAL_ENABLE_CLOCK_CONTROL", "1"}})->config.enable_clock_control);
  EXPECT_FALSE(parse({"--enable-clock-control=false"})->config.enable_clock_control);
  TempFile file(R"({"enable_clock_control": true})");
  EXPECT_TRUE(parse({"--config", file.path()})->config.enable_clock_control);
  EXPECT_EQ(errorOf(parse({}, {{"IAMLOCAL_ENABLE_CLOCK_CONTROL", "maybe"}})),
            "invalid value 'maybe' for IAMLOCAL_ENABLE_CLOCK_CONTROL: expected true or false");
}

TEST(Config, ConfigFileDeclaresFurtherAccountsWithTheirRootKeys) {
  TempFile file(R"({"accounts": [
      {"id": "111111111111", "root_access_key": "AKIAONE", "root_secret_key": "one-secret"},
      {"id": "222222222222", "root_access_key": "AKIATWO", "root_secret_key": "two-secret"}]})");
  auto r = parse({"--config", file.path()});
  ASSERT_TRUE(r) << errorOf(r);
  ASSERT_EQ(r->config.accounts.size(), 2u);
  EXPECT_EQ(r->config.accounts[0].id, "111111111111");
  EXPECT_EQ(r->config.accounts[0].root_access_key, "AKIAONE");
  EXPECT_EQ(r->config.accounts[1].root_secret_key, "two-secret");
}

TEST(Config, FlagsAndEnvironmentDeclareFurtherAccountsAddingToTheConfigFile) {
  TempFile file(R"({"accounts": [
      {"id": "111111111111", "root_access_key": "AKIAONE", "root_secret_key": "one-secret"}]})");
  auto r = parse({"--config", file.path(), "--account-root", "333333333333:AKIATHREE:three:with:colons",
                  "--account-root=444444444444:AKIAFOUR:four"},
                 {{"IAMLOCAL_ACCOUNT_ROOT", "222222222222:AKIATWO:two,555555555555:AKIAFIVE:five"}});
  ASSERT_TRUE(r) << errorOf(r);
  std::vector<std::string> seen;
  for (const auto& keys : r->config.accounts)
    seen.push_back(keys.id + " " + keys.root_access_key + " " + keys.root_secret_key);
  // The file, then the environment, then the flags: each adds to the others.
  EXPECT_EQ(seen, (std::vector<std::string>{"111111111111 AKIAONE one-secret", "222222222222 AKIATWO two",
                                            "555555555555 AKIAFIVE five",
                                            "333333333333 AKIATHREE three:with:colons",
                                            "444444444444 AKIAFOUR four"}));
}

TEST(Config, BadAccountRootsAreRejectedSayingWhatIsExpected) {
  const std::string kExpected =
      "expected ID:ACCESS_KEY:SECRET (a 12-digit ID, keys of 1 to 128 printable characters), several separated by "
      "commas";
  EXPECT_EQ(errorOf(parse({"--account-root", "11111111111:AKIA:s"})),
            "invalid value '11111111111:AKIA:s' for --account-root: " + kExpected);
  EXPECT_EQ(errorOf(parse({"--account-root", "111111111111:AKIA"})),
            "invalid value '111111111111:AKIA' for --account-root: " + kExpected);
  EXPECT_EQ(errorOf(parse({"--account-root", "111111111111::s"})),
            "invalid value '111111111111::s' for --account-root: " + kExpected);
  EXPECT_EQ(errorOf(parse({}, {{"IAMLOCAL_ACCOUNT_ROOT", "111111111111:A:a,"}})),
            "invalid value '111111111111:A:a,' for IAMLOCAL_ACCOUNT_ROOT: " + kExpected);
  EXPECT_EQ(errorOf(parse({"--account-root", "111111111111:A:a", "--account-root", "111111111111:B:b"})),
            "invalid value '111111111111:B:b' for --account-root: expected an account not declared before "
            "(account 111111111111 is declared twice)");
  TempFile file(R"({"accounts": [{"id": "111111111111", "root_access_key": "A", "root_secret_key": "a"}]})");
  EXPECT_EQ(errorOf(parse({"--config", file.path(), "--account-root", "222222222222:A:b"})),
            "invalid value '222222222222:A:b' for --account-root: expected an account not declared before "
            "(access key A is declared twice)");
  EXPECT_EQ(errorOf(parse({"--account-root", "000000000000:A:a"})),
            "further account 000000000000 is the default account; set its keys with "
            "--root-access-key/--root-secret-key");
  EXPECT_EQ(errorOf(parse({"--account-root", "111111111111:test:a"})),
            "access key test of further account 111111111111 is already the default account's root key");
}

TEST(Config, BadAccountsAreRejectedNamingTheEntry) {
  struct Case {
    std::string text;
    std::string message_part;
  };
  const std::vector<Case> cases = {
      {R"({"accounts": {}})", "\"accounts\" must be an array"},
      {R"({"accounts": [1]})", "\"accounts\"[0] must be an object"},
      {R"({"accounts": [{"id": "12", "root_access_key": "a", "root_secret_key": "b"}]})",
       "\"accounts\"[0]: \"id\" must be a 12-digit account id"},
      {R"({"accounts": [{"id": "111111111111", "root_access_key": "a"}]})", "must be 1 to 128 printable characters"},
      {R"({"accounts": [{"id": "111111111111", "root_access_key": "a", "root_secret_key": "b", "x": "y"}]})",
       "unknown key \"x\""},
      {R"({"accounts": [{"id": "111111111111", "root_access_key": "a", "root_secret_key": "b"},
                        {"id": "111111111111", "root_access_key": "c", "root_secret_key": "d"}]})",
       "\"accounts\"[1]: account 111111111111 is declared twice"},
      {R"({"accounts": [{"id": "000000000000", "root_access_key": "a", "root_secret_key": "b"}]})",
       "is the default account"},
      {R"({"accounts": [{"id": "111111111111", "root_access_key": "test", "root_secret_key": "b"}]})",
       "is already the default account's root key"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    TempFile file(c.text);
    auto r = parse({"--config", file.path()});
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find(c.message_part), std::string::npos) << r.error().message;
  }
}

TEST(Config, HelpExplainsEveryAuthMode) {
  std::string help = helpText();
  for (std::string_view needle : {"--auth MODE", "IAMLOCAL_AUTH", "authorize every request with the policy engine", "only log what would be denied",
                                  "--enable-clock-control", "\"accounts\""})
    EXPECT_NE(help.find(needle), std::string::npos) << needle;
}

TEST(Config, MetadataServiceAndContainerOptionsDefaultToOff) {
  auto r = parse({});
  ASSERT_TRUE(r) << errorOf(r);
  EXPECT_EQ(r->config.imds_port, 0);
  EXPECT_EQ(r->config.imds_instance, "");
  EXPECT_EQ(r->config.container_role, "");
  EXPECT_EQ(r->config.container_token, "");
  EXPECT_TRUE(r->config.instances.empty());
}

TEST(Config, MetadataServiceAndContainerOptionsComeFromFlagsEnvironmentAndFile) {
  TempFile file(R"({"imds_port": 7000, "imds_instance": "i-00000001", "container_role": "file-role",
                    "container_token": "file-token"})");
  auto from_file = parse({"--config", file.path()});
  ASSERT_TRUE(from_file) << errorOf(from_file);
  EXPECT_EQ(from_file->config.imds_port, 7000);
  EXPECT_EQ(from_file->config.imds_instance, "i-00000001");
  EXPECT_EQ(from_file->config.container_role, "file-role");
  EXPECT_EQ(from_file->config.container_token, "file-token");

  Environment env = {{"IAMLOCAL_IMDS_PORT", "9000"},
                     {"IAMLOCAL_IMDS_INSTANCE", "i-0123456789abcdef0"},
                     {"IAMLOCAL_CONTAINER_ROLE", "arn:aws:iam::000000000000:role/service/task-role"},
                     {"IAMLOCAL_CONTAINER_TOKEN", "env-token"}};
  auto from_env = parse({"--config", file.path()}, env);
  ASSERT_TRUE(from_env) << errorOf(from_env);
  EXPECT_EQ(from_env->config.imds_port, 9000);
  EXPECT_EQ(from_env->config.imds_instance, "i-0123456789abcdef0");
  EXPECT_EQ(from_env->config.container_role, "arn:aws:iam::000000000000:role/service/task-role");
  EXPECT_EQ(from_env->config.container_token, "env-token");

  // A token may be a whole Authorization value with a space, as SDKs send it unchanged.
  auto from_flags = parse({"--config", file.path(), "--imds-port", "8080", "--imds-instance=i-abcdef0123456789a",
                           "--container-role", "flag-role", "--container-token", "Basic dXNlcjpwYXNz"},
                          env);
  ASSERT_TRUE(from_flags) << errorOf(from_flags);
  EXPECT_EQ(from_flags->config.imds_port, 8080);
  EXPECT_EQ(from_flags->config.imds_instance, "i-abcdef0123456789a");
  EXPECT_EQ(from_flags->config.container_role, "flag-role");
  EXPECT_EQ(from_flags->config.container_token, "Basic dXNlcjpwYXNz");
}

TEST(Config, BadMetadataServiceAndContainerValuesGiveOneLineNamingTheSource) {
  struct Case {
    std::vector<std::string> args;
    Environment env;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"--imds-port", "65536"}, {}, "invalid value '65536' for --imds-port: expected an integer from 0 to 65535"},
      {{"--imds-port=http"}, {}, "invalid value 'http' for --imds-port: expected an integer from 0 to 65535"},
      {{}, {{"IAMLOCAL_IMDS_PORT", "-1"}}, "invalid value '-1' for IAMLOCAL_IMDS_PORT: expected an integer from 0 to 65535"},
      {{"--imds-instance", "i-XYZ"}, {}, "invalid value 'i-XYZ' for --imds-instance: expected an instance id: i- and 8 or 17 lower-case hex digits"},
      {{"--imds-instance", "i-0123456789ABCDEF0"}, {}, "invalid value 'i-0123456789ABCDEF0' for --imds-instance: expected an instance id: i- and 8 or 17 lower-case hex digits"},
      {{"--imds-instance", "i-012345678"}, {}, "invalid value 'i-012345678' for --imds-instance: expected an instance id: i- and 8 or 17 lower-case hex digits"},
      {{"--container-role", "my role"}, {}, "invalid value 'my role' for --container-role: expected a role ARN or name"},
      {{"--container-role="}, {}, "invalid value '' for --container-role: expected a role ARN or name"},
      {{}, {{"IAMLOCAL_CONTAINER_TOKEN", ""}}, "invalid value '' for IAMLOCAL_CONTAINER_TOKEN: expected 1 to 4096 printable characters"},
      {{"--container-token", "Basic\tdXNlcg=="}, {}, "invalid value 'Basic\tdXNlcg==' for --container-token: expected 1 to 4096 printable characters"},
      {{"--container-token", std::string(4097, 'x')}, {}, "invalid value '" + std::string(4097, 'x') + "' for --container-token: expected 1 to 4096 printable characters"},
      {{"--imds-port"}, {}, "option --imds-port needs a value"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.message.substr(0, 120));
    auto r = parse(c.args, c.env);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, c.message);
    EXPECT_EQ(r.error().message.find('\n'), std::string::npos);
  }
  TempFile file(R"({"imds_instance": "web-1"})");
  EXPECT_EQ(errorOf(parse({"--config", file.path()})),
            "invalid value 'web-1' for \"imds_instance\" in config file '" + file.path() +
                "': expected an instance id: i- and 8 or 17 lower-case hex digits");
}

TEST(Config, ConfigFileDeclaresInstancesWithProfileOptionsUserDataAndTags) {
  TempFile file(R"({"instances": [
      {"id": "i-0123456789abcdef0", "image_id": "ami-0abcdef1234567890", "instance_type": "t3.small",
       "instance_profile": "web", "user_data": "#!/bin/sh\necho hi\n", "tags": {"Name": "app", "Team": "core"},
       "metadata_options": {"http_tokens": "required", "http_endpoint": "disabled", "instance_metadata_tags": "enabled",
                            "http_protocol_ipv6": "enabled", "http_put_response_hop_limit": 2}},
      {}]})");
  auto r = parse({"--config", file.path()});
  ASSERT_TRUE(r) << errorOf(r);
  ASSERT_EQ(r->config.instances.size(), 2u);
  const services::InstanceSpec& web = r->config.instances[0];
  EXPECT_EQ(web.id, "i-0123456789abcdef0");
  EXPECT_EQ(web.image_id, "ami-0abcdef1234567890");
  EXPECT_EQ(web.instance_type, "t3.small");
  EXPECT_EQ(web.profile_name, "web");
  EXPECT_EQ(web.user_data, "#!/bin/sh\necho hi\n");  // as the instance reads it, not base64
  ASSERT_EQ(web.tags.size(), 2u);
  EXPECT_EQ(web.tags[0].key, "Name");
  EXPECT_EQ(web.tags[0].value, "app");
  EXPECT_EQ(web.tags[1].key, "Team");
  EXPECT_EQ(web.metadata_options.http_tokens, "required");
  EXPECT_EQ(web.metadata_options.http_endpoint, "disabled");
  EXPECT_EQ(web.metadata_options.instance_metadata_tags, "enabled");
  EXPECT_EQ(web.metadata_options.http_protocol_ipv6, "enabled");
  EXPECT_EQ(web.metadata_options.http_put_response_hop_limit, 2);

  // An empty declaration is a running instance with EC2's defaults and a fresh id.
  const services::InstanceSpec& plain = r->config.instances[1];
  EXPECT_EQ(plain.id, "");
  EXPECT_EQ(plain.image_id, "ami-0123456789abcdef0");
  EXPECT_EQ(plain.instance_type, "t3.micro");
  EXPECT_EQ(plain.profile_name, "");
  EXPECT_EQ(plain.metadata_options.http_tokens, "optional");
  EXPECT_EQ(plain.metadata_options.http_endpoint, "enabled");
  EXPECT_EQ(plain.metadata_options.instance_metadata_tags, "disabled");
  EXPECT_EQ(plain.metadata_options.http_put_response_hop_limit, 1);
  EXPECT_TRUE(plain.tags.empty());
}

TEST(Config, InstancesAreDeclaredInTheFileOnly) {
  EXPECT_EQ(errorOf(parse({"--instances", "[]"})), "unknown option '--instances' (see --help)");
  EXPECT_NE(helpText().find("\"instances\""), std::string::npos);
}

TEST(Config, BadInstancesGiveOneLineNamingTheFileTheEntryAndTheKey) {
  struct Case {
    std::string text;
    std::string message;  // after "config file '<path>': "
  };
  const std::vector<Case> cases = {
      {R"({"instances": {}})", "\"instances\" must be an array of objects"},
      {R"({"instances": "i-00000001"})", "\"instances\" must be an array of objects"},
      {R"({"instances": [1]})", "\"instances\"[0]: must be an object"},
      {R"({"instances": [{"id": "i-XYZ"}]})", "\"instances\"[0]: \"id\" must be i- and 8 or 17 lower-case hex digits"},
      {R"({"instances": [{"id": 5}]})", "\"instances\"[0]: \"id\" must be a string"},
      {R"({"instances": [{}, {"profile": "web"}]})", "\"instances\"[1]: unknown key \"profile\""},
      {R"({"instances": [{"instance_profile": ["web"]}]})", "\"instances\"[0]: \"instance_profile\" must be a string"},
      {R"({"instances": [{"tags": [["Name", "app"]]}]})", "\"instances\"[0]: \"tags\" must be an object of string values"},
      {R"({"instances": [{"tags": {"Name": 1}}]})",
       "\"instances\"[0]: tag \"Name\" must have a 1-128 character key and a string value"},
      {R"({"instances": [{"tags": {"": "x"}}]})",
       "\"instances\"[0]: tag \"\" must have a 1-128 character key and a string value"},
      {R"({"instances": [{"metadata_options": "required"}]})", "\"instances\"[0]: \"metadata_options\" must be an object"},
      {R"({"instances": [{"metadata_options": {"http_tokens": "always"}}]})",
       "\"instances\"[0]: \"http_tokens\" must be optional or required"},
      {R"({"instances": [{"metadata_options": {"http_endpoint": "off"}}]})",
       "\"instances\"[0]: \"http_endpoint\" must be enabled or disabled"},
      {R"({"instances": [{"metadata_options": {"instance_metadata_tags": true}}]})",
       "\"instances\"[0]: \"instance_metadata_tags\" must be enabled or disabled"},
      {R"({"instances": [{"metadata_options": {"http_put_response_hop_limit": 65}}]})",
       "\"instances\"[0]: \"http_put_response_hop_limit\" must be an integer from 1 to 64"},
      {R"({"instances": [{"metadata_options": {"http_put_response_hop_limit": "2"}}]})",
       "\"instances\"[0]: \"http_put_response_hop_limit\" must be an integer from 1 to 64"},
      {R"({"instances": [{"metadata_options": {"HttpTokens": "required"}}]})",
       "\"instances\"[0]: unknown metadata option \"HttpTokens\""},
      {R"({"instances": [{"user_data": ")" + std::string(16 * 1024 + 1, 'x') + R"("}]})",
       "\"instances\"[0]: \"user_data\" is limited to 16384 bytes"},
      {R"({"instances": [{"id": "i-00000001"}, {"id": "i-00000001"}]})",
       "\"instances\"[1]: instance i-00000001 is declared twice"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.message);
    TempFile file(c.text);
    auto r = parse({"--config", file.path()});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, "config file '" + file.path() + "': " + c.message);
    EXPECT_EQ(r.error().message.find('\n'), std::string::npos);
  }
}

}  // namespace
}  // namespace iamlocal::app
