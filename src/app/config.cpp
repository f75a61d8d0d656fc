#include "iamlocal/app/config.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

extern char** environ;

namespace iamlocal::app {
namespace {

// A setter returns "" on success or what was expected ("an integer from 0 to 65535").
using Setter = std::string (*)(Config&, std::string_view);

struct Option {
  std::string_view name;        // flag without "--"; env IAMLOCAL_<NAME>, file key <name> with '_'
  std::string_view value_name;  // for --help; "" makes the flag a switch that takes no value
  std::string_view help;
  Setter set;
  std::string (*current)(const Config&);  // the default, for --help
};

template <typename T>
bool parseNumber(std::string_view text, T& out, T min, T max) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) return false;
  out = value;
  return true;
}

bool allOf(std::string_view s, bool (*pred)(char)) { return std::all_of(s.begin(), s.end(), pred); }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isRegionChar(char c) { return (c >= 'a' && c <= 'z') || isDigit(c) || c == '-'; }
bool isKeyChar(char c) { return c > ' ' && c < 127; }
// An Authorization value may hold spaces ("Basic dXNlcg=="): SDKs send
// AWS_CONTAINER_AUTHORIZATION_TOKEN as it is, refusing only CR and LF.
bool isHeaderChar(char c) { return c >= ' ' && c < 127; }

bool isHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }
bool isInstanceId(std::string_view v) {
  return v.starts_with("i-") && (v.size() == 10 || v.size() == 19) && allOf(v.substr(2), isHex);
}

constexpr std::array kLogLevels = {"trace", "debug", "info", "warn", "error", "critical", "off"};
constexpr std::array kAuthModes = {services::AuthMode::Accept, services::AuthMode::Verify,
                                   services::AuthMode::Enforce, services::AuthMode::Soft};

// Switch values from the environment or a file: true/false, 1/0, yes/no.
bool parseSwitch(std::string_view v, bool& out) {
  if (v == "true" || v == "1" || v == "yes" || v == "on") {
    out = true;
    return true;
  }
  if (v == "false" || v == "0" || v == "no" || v == "off") {
    out = false;
    return true;
  }
  return false;
}

bool validKey(std::string_view v) { return !v.empty() && v.size() <= 128 && allOf(v, isKeyChar); }
bool validAccountId(std::string_view v) { return v.size() == 12 && allOf(v, isDigit); }

// Why `keys` cannot join the accounts declared so far, or "".
std::string clashWithDeclared(const std::vector<AccountKeys>& declared, const AccountKeys& keys) {
  for (const auto& other : declared) {
    if (other.id == keys.id) return "account " + keys.id + " is declared twice";
    if (other.root_access_key == keys.root_access_key)
      return "access key " + keys.root_access_key + " is declared twice";
  }
  return {};
}

// --account-root "ID:KEY:SECRET[,ID:KEY:SECRET...]": adds each to the
// further accounts. The secret runs from the second colon to the next comma
// (a secret with a comma is declared in the file's "accounts").
std::string addAccountRoots(Config& c, std::string_view v) {
  constexpr std::string_view kExpected =
      "ID:ACCESS_KEY:SECRET (a 12-digit ID, keys of 1 to 128 printable characters), several separated by commas";
  while (true) {
    const std::size_t comma = v.find(',');
    const std::string_view entry = v.substr(0, comma);
    const std::size_t first = entry.find(':');
    const std::size_t second = first == std::string_view::npos ? first : entry.find(':', first + 1);
    if (second == std::string_view::npos) return std::string(kExpected);
    AccountKeys keys{std::string(entry.substr(0, first)), std::string(entry.substr(first + 1, second - first - 1)),
                     std::string(entry.substr(second + 1))};
    if (!validAccountId(keys.id) || !validKey(keys.root_access_key) || !validKey(keys.root_secret_key))
      return std::string(kExpected);
    if (std::string clash = clashWithDeclared(c.accounts, keys); !clash.empty())
      return "an account not declared before (" + clash + ")";
    c.accounts.push_back(std::move(keys));
    if (comma == std::string_view::npos) return {};
    v.remove_prefix(comma + 1);
  }
}

const std::array kOptions = {
    Option{"host", "ADDR", "address to listen on (0.0.0.0 for every interface)",
           [](Config& c, std::string_view v) -> std::string {
             if (v.empty() || !allOf(v, isKeyChar)) return "a host name or IP address";
             c.host = v;
             return {};
           },
           [](const Config& c) { return c.host; }},
    Option{"port", "PORT", "TCP port; 0 picks a free one (the start-up line names it)",
           [](Config& c, std::string_view v) -> std::string {
             return parseNumber<std::uint16_t>(v, c.port, 0, 65535) ? "" : "an integer from 0 to 65535";
           },
           [](const Config& c) { return std::to_string(c.port); }},
    Option{"threads", "N", "I/O threads; 0 means one per CPU core",
           [](Config& c, std::string_view v) -> std::string {
             return parseNumber<unsigned>(v, c.threads, 0, 1024) ? "" : "an integer from 0 to 1024";
           },
           [](const Config& c) { return std::to_string(c.threads); }},
    Option{"region", "REGION", "region reported when a request's signature names none",
           [](Config& c, std::string_view v) -> std::string {
             if (v.empty() || v.size() > 32 || !allOf(v, isRegionChar)) return "a region name such as us-east-1";
             c.region = v;
             return {};
           },
           [](const Config& c) { return c.region; }},
    Option{"account", "ID", "account id of the root credentials and of unsigned requests",
           [](Config& c, std::string_view v) -> std::string {
             if (v.size() != 12 || !allOf(v, isDigit)) return "a 12-digit account id";
             c.account = v;
             return {};
           },
           [](const Config& c) { return c.account; }},
    Option{"root-access-key", "KEY", "access key id of the account root",
           [](Config& c, std::string_view v) -> std::string {
             if (v.empty() || v.size() > 128 || !allOf(v, isKeyChar)) return "1 to 128 printable characters";
             c.root_access_key = v;
             return {};
           },
           [](const Config& c) { return c.root_access_key; }},
    Option{"root-secret-key", "SECRET", "secret access key of the account root",
           [](Config& c, std::string_view v) -> std::string {
             if (v.empty() || v.size() > 128 || !allOf(v, isKeyChar)) return "1 to 128 printable characters";
             c.root_secret_key = v;
             return {};
           },
           [](const Config& c) { return c.root_secret_key; }},
    Option{"account-root", "ID:KEY:SECRET",
           "a further account and its root key pair; repeat the flag, or separate several with commas "
           "(they add to the config file's \"accounts\")",
           addAccountRoots, [](const Config&) { return std::string("(none)"); }},
    Option{"log-level", "LEVEL", "trace, debug, info (one line per request), warn, error, critical or off",
           [](Config& c, std::string_view v) -> std::string {
             for (std::string_view level : kLogLevels)
               if (v == level) {
                 c.log_level = v;
                 return {};
               }
             return "one of trace, debug, info, warn, error, critical, off";
           },
           [](const Config& c) { return c.log_level; }},
    Option{"max-body-bytes", "BYTES", "largest request body accepted; larger ones get 413",
           [](Config& c, std::string_view v) -> std::string {
             return parseNumber<std::size_t>(v, c.max_body_bytes, 1, std::size_t{1} << 30)
                        ? ""
                        : "an integer from 1 to 1073741824";
           },
           [](const Config& c) { return std::to_string(c.max_body_bytes); }},
    Option{"max-header-bytes", "BYTES", "largest request header block accepted; larger ones get 431",
           [](Config& c, std::string_view v) -> std::string {
             return parseNumber<std::size_t>(v, c.max_header_bytes, 1024, 1024 * 1024)
                        ? ""
                        : "an integer from 1024 to 1048576";
           },
           [](const Config& c) { return std::to_string(c.max_header_bytes); }},
    Option{"read-timeout-ms", "MS", "time allowed to receive one request",
           [](Config& c, std::string_view v) -> std::string {
             long long ms = 0;
             if (!parseNumber<long long>(v, ms, 1, 3'600'000)) return "an integer from 1 to 3600000";
             c.read_timeout = std::chrono::milliseconds(ms);
             return {};
           },
           [](const Config& c) { return std::to_string(c.read_timeout.count()); }},
    Option{"idle-timeout-ms", "MS", "how long an idle keep-alive connection stays open",
           [](Config& c, std::string_view v) -> std::string {
             long long ms = 0;
             if (!parseNumber<long long>(v, ms, 1, 3'600'000)) return "an integer from 1 to 3600000";
             c.idle_timeout = std::chrono::milliseconds(ms);
             return {};
           },
           [](const Config& c) { return std::to_string(c.idle_timeout.count()); }},
    Option{"auth", "MODE",
           "accept (signatures not checked), verify (a valid SigV4 signature by a known, active key), "
           "enforce (verify, then authorize every request with the policy engine; denials are AccessDenied), "
           "soft (decide like enforce, but only log what would be denied)",
           [](Config& c, std::string_view v) -> std::string {
             for (auto mode : kAuthModes)
               if (v == services::authModeName(mode)) {
                 c.auth = mode;
                 return {};
               }
             return "one of accept, verify, enforce, soft";
           },
           [](const Config& c) { return std::string(services::authModeName(c.auth)); }},
    Option{"enable-clock-control", "",
           "allow POST /_iamlocal/clock {\"offset_seconds\": N} to shift the server's clock (for tests)",
           [](Config& c, std::string_view v) -> std::string {
             return parseSwitch(v, c.enable_clock_control) ? "" : "true or false";
           },
           [](const Config& c) { return std::string(c.enable_clock_control ? "on" : "off"); }},
    Option{"imds-port", "PORT",
           "also serve the instance metadata service (as at http://169.254.169.254/) on this port; 0 for none",
           [](Config& c, std::string_view v) -> std::string {
             return parseNumber<std::uint16_t>(v, c.imds_port, 0, 65535) ? "" : "an integer from 0 to 65535";
           },
           [](const Config& c) { return std::to_string(c.imds_port); }},
    Option{"imds-instance", "ID",
           "the instance /latest/ answers for (default: the only running instance)",
           [](Config& c, std::string_view v) -> std::string {
             if (!isInstanceId(v)) return "an instance id: i- and 8 or 17 lower-case hex digits";
             c.imds_instance = v;
             return {};
           },
           [](const Config& c) { return c.imds_instance.empty() ? std::string("(none)") : c.imds_instance; }},
    Option{"container-role", "ROLE",
           "role served at /_iamlocal/container-credentials (ARN, or a role name in --account)",
           [](Config& c, std::string_view v) -> std::string {
             if (v.empty() || v.size() > 2048 || !allOf(v, isKeyChar)) return "a role ARN or name";
             c.container_role = v;
             return {};
           },
           [](const Config& c) { return c.container_role.empty() ? std::string("(none)") : c.container_role; }},
    Option{"container-token", "TOKEN",
           "Authorization value the container-credentials endpoint requires (AWS_CONTAINER_AUTHORIZATION_TOKEN)",
           [](Config& c, std::string_view v) -> std::string {
             if (v.empty() || v.size() > 4096 || !allOf(v, isHeaderChar)) return "1 to 4096 printable characters";
             c.container_token = v;
             return {};
           },
           [](const Config& c) { return c.container_token.empty() ? std::string("(none)") : std::string("(set)"); }},
};

// "accounts": [{"id": "111111111111", "root_access_key": "...", "root_secret_key": "..."}, ...]
Status applyAccounts(const nlohmann::json& value, const std::string& file, Config& config) {
  const std::string where = "config file '" + file + "': \"accounts\"";
  if (!value.is_array()) return fail(ErrorCode::InvalidParameterValue, where + " must be an array of objects");
  std::vector<AccountKeys> accounts = config.accounts;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const auto& entry = value[i];
    const std::string at = where + "[" + std::to_string(i) + "]";
    if (!entry.is_object())
      return fail(ErrorCode::InvalidParameterValue, at + " must be an object with id, root_access_key, root_secret_key");
    AccountKeys keys;
    for (const auto& [k, v] : entry.items()) {
      std::string* field = k == "id"                ? &keys.id
                           : k == "root_access_key" ? &keys.root_access_key
                           : k == "root_secret_key" ? &keys.root_secret_key
                                                    : nullptr;
      if (!field) return fail(ErrorCode::InvalidParameterValue, at + ": unknown key \"" + k + "\"");
      if (!v.is_string()) return fail(ErrorCode::InvalidParameterValue, at + ": \"" + k + "\" must be a string");
      *field = v.get<std::string>();
    }
    if (!validAccountId(keys.id))
      return fail(ErrorCode::InvalidParameterValue, at + ": \"id\" must be a 12-digit account id");
    if (!validKey(keys.root_access_key) || !validKey(keys.root_secret_key))
      return fail(ErrorCode::InvalidParameterValue,
                  at + ": \"root_access_key\" and \"root_secret_key\" must be 1 to 128 printable characters");
    if (std::string clash = clashWithDeclared(accounts, keys); !clash.empty())
      return fail(ErrorCode::InvalidParameterValue, at + ": " + clash);
    accounts.push_back(std::move(keys));
  }
  config.accounts = std::move(accounts);
  return {};
}

// "instances": [{"id": "i-...", "image_id": "ami-...", "instance_type": "t3.micro",
//   "instance_profile": "name", "metadata_options": {"http_tokens": "required", ...},
//   "user_data": "text", "tags": {"Name": "app"}}, ...]
Status applyInstances(const nlohmann::json& value, const std::string& file, Config& config) {
  const std::string where = "config file '" + file + "': \"instances\"";
  if (!value.is_array()) return fail(ErrorCode::InvalidParameterValue, where + " must be an array of objects");
  std::vector<services::InstanceSpec> instances;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const auto& entry = value[i];
    const std::string at = where + "[" + std::to_string(i) + "]";
    auto bad = [&](const std::string& what) { return fail(ErrorCode::InvalidParameterValue, at + ": " + what); };
    if (!entry.is_object()) return bad("must be an object");
    services::InstanceSpec spec;
    for (const auto& [k, v] : entry.items()) {
      if (k == "tags") {
        if (!v.is_object()) return bad("\"tags\" must be an object of string values");
        for (const auto& [tk, tv] : v.items()) {
          if (!tv.is_string() || tk.empty() || tk.size() > 128) return bad("tag \"" + tk + "\" must have a 1-128 character key and a string value");
          spec.tags.push_back({tk, tv.get<std::string>()});
        }
        continue;
      }
      if (k == "metadata_options") {
        if (!v.is_object()) return bad("\"metadata_options\" must be an object");
        for (const auto& [mk, mv] : v.items()) {
          auto& o = spec.metadata_options;
          if (mk == "http_put_response_hop_limit") {
            if (!mv.is_number_integer() || mv.get<int>() < 1 || mv.get<int>() > 64)
              return bad("\"http_put_response_hop_limit\" must be an integer from 1 to 64");
            o.http_put_response_hop_limit = mv.get<int>();
            continue;
          }
          std::string* field = mk == "http_tokens"              ? &o.http_tokens
                               : mk == "http_endpoint"          ? &o.http_endpoint
                               : mk == "instance_metadata_tags" ? &o.instance_metadata_tags
                               : mk == "http_protocol_ipv6"     ? &o.http_protocol_ipv6
                                                                : nullptr;
          if (!field) return bad("unknown metadata option \"" + mk + "\"");
          const bool tokens = mk == "http_tokens";
          if (!mv.is_string() || (tokens ? (mv != "optional" && mv != "required") : (mv != "enabled" && mv != "disabled")))
            return bad("\"" + mk + "\" must be " + (tokens ? "optional or required" : "enabled or disabled"));
          *field = mv.get<std::string>();
        }
        continue;
      }
      std::string* field = k == "id"                 ? &spec.id
                           : k == "image_id"         ? &spec.image_id
                           : k == "instance_type"    ? &spec.instance_type
                           : k == "instance_profile" ? &spec.profile_name
                           : k == "user_data"        ? &spec.user_data
                                                     : nullptr;
      if (!field) return bad("unknown key \"" + k + "\"");
      if (!v.is_string()) return bad("\"" + k + "\" must be a string");
      *field = v.get<std::string>();
    }
    if (!spec.id.empty() && !isInstanceId(spec.id))
      return bad("\"id\" must be i- and 8 or 17 lower-case hex digits");
    if (spec.user_data.size() > 16 * 1024) return bad("\"user_data\" is limited to 16384 bytes");
    for (const auto& other : instances)
      if (!spec.id.empty() && other.id == spec.id) return bad("instance " + spec.id + " is declared twice");
    instances.push_back(std::move(spec));
  }
  config.instances = std::move(instances);
  return {};
}

std::string envName(std::string_view name) {
  std::string out = "IAMLOCAL_";
  for (char c : name) out.push_back(c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  return out;
}

std::string fileKey(std::string_view name) {
  std::string out(name);
  std::replace(out.begin(), out.end(), '-', '_');
  return out;
}

const Option* findOption(std::string_view name) {
  for (const auto& o : kOptions)
    if (o.name == name) return &o;
  return nullptr;
}

std::unexpected<Error> invalid(std::string message) {
  return fail(ErrorCode::InvalidParameterValue, std::move(message));
}

Status apply(const Option& option, std::string_view value, Config& config, std::string_view where) {
  std::string expected = option.set(config, value);
  if (expected.empty()) return {};
  return invalid("invalid value '" + std::string(value) + "' for " + std::string(where) + ": expected " + expected);
}

Result<std::string> readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return invalid("cannot read config file '" + path + "': " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return invalid("cannot read config file '" + path + "'");
  return text.str();
}

}  // namespace

Environment processEnvironment() {
  Environment env;
  for (char** e = environ; e && *e; ++e) {
    std::string_view entry(*e);
    if (!entry.starts_with("IAMLOCAL_")) continue;
    auto eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
  }
  return env;
}

Status applyConfigJson(std::string_view json_text, std::string_view file_name, Config& config) {
  auto doc = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  std::string file(file_name);
  if (doc.is_discarded()) return invalid("config file '" + file + "' is not valid JSON");
  if (!doc.is_object()) return invalid("config file '" + file + "' must hold a JSON object");
  for (const auto& [key, value] : doc.items()) {
    if (key == "accounts") {
      IAMLOCAL_RETURN_IF_ERROR(applyAccounts(value, file, config));
      continue;
    }
    if (key == "instances") {
      IAMLOCAL_RETURN_IF_ERROR(applyInstances(value, file, config));
      continue;
    }
    const Option* option = nullptr;
    for (const auto& o : kOptions)
      if (fileKey(o.name) == key) option = &o;
    if (!option) return invalid("config file '" + file + "': unknown key \"" + key + "\" (see --help)");
    std::string text;
    if (value.is_string())
      text = value.get<std::string>();
    else if (value.is_number_integer() || value.is_number_unsigned() || value.is_boolean())
      text = value.dump();
    else
      return invalid("config file '" + file + "': \"" + key + "\" must be a string or an integer");
    IAMLOCAL_RETURN_IF_ERROR(apply(*option, text, config, "\"" + key + "\" in config file '" + file + "'"));
  }
  return {};
}

Result<Invocation> parseInvocation(const std::vector<std::string>& args, const Environment& env) {
  Invocation inv;
  struct FlagValue {
    const Option* option;
    std::string value;
    std::string spelled;
  };
  std::vector<FlagValue> flags;
  std::string config_file;
  bool config_from_flag = false;

  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (arg == "--help" || arg == "-h") return Invocation{Mode::Help, {}};
    if (arg == "--version") return Invocation{Mode::Version, {}};
    if (arg == "--healthcheck") {
      inv.mode = Mode::Healthcheck;
      continue;
    }
    if (!arg.starts_with("--") || arg.size() == 2)
      return invalid("unexpected argument '" + std::string(arg) + "' (see --help)");
    std::string_view body = arg.substr(2);
    std::string_view name = body.substr(0, body.find('='));
    std::string value;
    const Option* switch_option = findOption(name);
    if (switch_option && switch_option->value_name.empty() && body.find('=') == std::string_view::npos) {
      flags.push_back({switch_option, "true", "--" + std::string(name)});
      continue;
    }
    if (body.find('=') != std::string_view::npos) {
      value = body.substr(body.find('=') + 1);
    } else {
      if (i + 1 >= args.size()) return invalid("option --" + std::string(name) + " needs a value");
      value = args[++i];
    }
    if (name == "config") {
      config_file = value;
      config_from_flag = true;
      continue;
    }
    const Option* option = findOption(name);
    if (!option) return invalid("unknown option '--" + std::string(name) + "' (see --help)");
    flags.push_back({option, std::move(value), "--" + std::string(name)});
  }

  if (!config_from_flag) {
    if (auto it = env.find("IAMLOCAL_CONFIG"); it != env.end()) config_file = it->second;
  }
  if (!config_file.empty()) {
    IAMLOCAL_ASSIGN_OR_RETURN(std::string text, readFile(config_file));
    IAMLOCAL_RETURN_IF_ERROR(applyConfigJson(text, config_file, inv.config));
    inv.config.config_file = config_file;
  }
  for (const auto& option : kOptions) {
    std::string name = envName(option.name);
    if (auto it = env.find(name); it != env.end())
      IAMLOCAL_RETURN_IF_ERROR(apply(option, it->second, inv.config, name));
  }
  for (const auto& flag : flags) IAMLOCAL_RETURN_IF_ERROR(apply(*flag.option, flag.value, inv.config, flag.spelled));
  // The further accounts (config file, --account-root) must not shadow the
  // default account or its key.
  for (const auto& keys : inv.config.accounts) {
    if (keys.id == inv.config.account)
      return invalid("further account " + keys.id +
                     " is the default account; set its keys with --root-access-key/--root-secret-key");
    if (keys.root_access_key == inv.config.root_access_key)
      return invalid("access key " + keys.root_access_key + " of further account " + keys.id +
                     " is already the default account's root key");
  }
  return inv;
}

std::string helpText() {
  Config defaults;
  std::string out;
  out += "iamlocal ";
  out += kVersion;
  out +=
      " - a local AWS IAM and STS endpoint for aws-cli, boto3 and the SDKs\n\n"
      "Usage: iamlocal [OPTIONS]\n"
      "       iamlocal --healthcheck [OPTIONS]   exit 0 when the server at --host/--port is healthy\n\n"
      "Options (flags beat IAMLOCAL_* environment variables, which beat the config file):\n";
  auto line = [&](std::string left, std::string_view help, std::string_view env, std::string_view def) {
    out += "  ";
    out += left;
    if (left.size() < 26) out.append(26 - left.size(), ' ');
    else out += "\n" + std::string(28, ' ');
    out += help;
    out += "\n";
    out += std::string(28, ' ');
    out += "env ";
    out += env;
    if (!def.empty()) {
      out += ", default ";
      out += def;
    }
    out += "\n";
  };
  line("--config FILE", "JSON object of option keys, e.g. {\"port\": 4567, \"log_level\": \"warn\"}",
       "IAMLOCAL_CONFIG", "");
  for (const auto& o : kOptions) {
    std::string left = "--" + std::string(o.name);
    if (!o.value_name.empty()) left += " " + std::string(o.value_name);
    line(left, o.help, envName(o.name), o.current(defaults));
  }
  out +=
      "  --healthcheck             GET /_iamlocal/health on the configured port and exit 0 or 1\n"
      "  --version                 print the version and exit\n"
      "  -h, --help                print this help and exit\n"
      "\nFurther accounts and their root keys come from --account-root (and IAMLOCAL_ACCOUNT_ROOT) and\n"
      "the config file; every source adds to the others, and an account or key declared twice is refused:\n"
      "  {\"accounts\": [{\"id\": \"111111111111\", \"root_access_key\": \"...\", \"root_secret_key\": \"...\"}]}\n"
      "\nInstances for the metadata service (GET /latest/... or /_iamlocal/instances/<id>/latest/...) are\n"
      "declared in the config file only, in the default account:\n"
      "  {\"instances\": [{\"id\": \"i-0123456789abcdef0\", \"instance_profile\": \"web\",\n"
      "                  \"metadata_options\": {\"http_tokens\": \"required\"}, \"user_data\": \"...\",\n"
      "                  \"tags\": {\"Name\": \"app\"}}]}\n";
  return out;
}

}  // namespace iamlocal::app
