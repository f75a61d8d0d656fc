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

}  // namespace
}  // namespace iamlocal::app
