// Wildcard patterns as IAM matches them: '*' any run of characters, '?' one
// character, and (from policy version 2012-10-17) policy variables that are
// substituted from the request when matching, never by building a string.
#pragma once

#include <cstdint>
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
};

struct Pattern {
  // Any: "*". Exact: `text` itself. Prefix: `text` then one '*' ("s3:Get*").
  // Glob: the tokens, which start with the literal `text`.
  enum Shape : std::uint8_t { Any, Exact, Prefix, Glob };
  Shape shape = Exact;
  bool has_variables = false;
  std::string text;
  std::vector<PatternToken> tokens;
};

// `fold_case` lower-cases literals (the caller lower-cases what it matches);
// `variables` enables ${...}.
Pattern compilePattern(std::string_view text, bool fold_case, bool variables, bool wildcards = true);

// Keys a variable needed but the request lacked are appended to `missing`
// (when not null). `arn_components`: '*' and '?' do not cross the first five
// ':' of the text, so each ARN component matches on its own (Arn operators).
bool matchPattern(const Pattern& pattern, std::string_view text, const RequestContext& request,
                  std::vector<std::string_view>* missing, bool arn_components = false);

// Resolves a variable token: the key's single value, else its default.
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
