// iamlocal's settings and where they come from: command-line flags, then
// IAMLOCAL_* environment variables, then a JSON config file, then defaults.
// Parsing never exits or prints: it returns what to do or what was wrong.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "iamlocal/core/result.h"
#include "iamlocal/services/ec2.h"
#include "iamlocal/services/query_endpoint.h"

namespace iamlocal::app {

inline constexpr std::string_view kVersion = "0.1.0";

// A further account's root key pair (config file key "accounts", --account-root).
struct AccountKeys {
  std::string id;  // 12 digits
  std::string root_access_key;
  std::string root_secret_key;
};

struct Config {
  std::string host = "127.0.0.1";
  std::uint16_t port = 4566;
  unsigned threads = 0;  // 0: one per core
  std::string region = "us-east-1";
  std::string account = "000000000000";
  std::string root_access_key = "test";
  std::string root_secret_key = "test";
  std::string log_level = "info";  // trace, debug, info, warn, error, critical, off
  std::size_t max_body_bytes = 1024 * 1024;
  std::size_t max_header_bytes = 16 * 1024;
  std::chrono::milliseconds read_timeout{30'000};
  std::chrono::milliseconds idle_timeout{60'000};
  services::AuthMode auth = services::AuthMode::Accept;
  // POST /_iamlocal/clock may shift the server's clock (tests of expiry).
  bool enable_clock_control = false;
  // Accounts besides `account`, each with its own root keys (file only).
  std::vector<AccountKeys> accounts;
  // The instance metadata service: always on the main port under /latest/;
  // also on its own listener when imds_port is set (0: none).
  std::uint16_t imds_port = 0;
  // The instance /latest/ answers for; "" means the only running one.
  std::string imds_instance;
  // The container-credentials endpoint's role (ARN or name in `account`)
  // and the Authorization token it requires ("" for none).
  std::string container_role;
  std::string container_token;
  // Instances created in `account` at start and after every reset (file
  // key "instances" only).
  std::vector<services::InstanceSpec> instances;
  std::string config_file;  // where file settings came from, if any
};

enum class Mode { Serve, Help, Version, Healthcheck };

struct Invocation {
  Mode mode = Mode::Serve;
  Config config;
};

// IAMLOCAL_* variables by name; tests pass their own.
using Environment = std::map<std::string, std::string, std::less<>>;
// The IAMLOCAL_* variables of this process.
Environment processEnvironment();

// Flags > environment > config file (--config FILE or IAMLOCAL_CONFIG) >
// defaults. The error message is one line naming the offending flag,
// variable or file key and the value given (ErrorCode::InvalidParameterValue).
Result<Invocation> parseInvocation(const std::vector<std::string>& args, const Environment& env);

// Applies a JSON config file's text (an object of option keys, e.g.
// {"port": 4567, "root_access_key": "AKIA..."}, plus "accounts":
// [{"id": "111111111111", "root_access_key": "...", "root_secret_key": "..."}])
// on top of `config`; the accounts are added to those `config` has.
Status applyConfigJson(std::string_view json_text, std::string_view file_name, Config& config);

// The --help text: every option with its environment variable, file key and default.
std::string helpText();

}  // namespace iamlocal::app
