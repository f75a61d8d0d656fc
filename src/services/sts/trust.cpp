#include "trust.h"

#include <cctype>

#include <nlohmann/json.hpp>

#include "iamlocal/core/strings.h"

namespace iamlocal::services::sts {
namespace {

using nlohmann::json;

// IAM's wildcard match: '*' any run, '?' one character; action names compare
// ignoring case, as IAM does.
bool globMatch(std::string_view pattern, std::string_view text, bool ignore_case) {
  auto same = [&](char a, char b) {
    if (!ignore_case) return a == b;
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  };
  std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || same(pattern[p], text[t]))) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

// A policy element that may be one string or an array of strings.
std::vector<std::string> strings(const json& value) {
  std::vector<std::string> out;
  if (value.is_string()) {
    out.push_back(value.get<std::string>());
  } else if (value.is_array()) {
    for (const auto& v : value)
      if (v.is_string()) out.push_back(v.get<std::string>());
  } else if (value.is_boolean()) {
    out.push_back(value.get<bool>() ? "true" : "false");
  }
  return out;
}

bool principalNames(const json& principal, const TrustRequest& request) {
  auto names = [&](std::string_view name) {
    if (name == "*" || name == request.account_id) return true;
    if (name == "arn:aws:iam::" + request.account_id + ":root") return true;
    for (const auto& arn : request.caller_arns)
      if (name == arn) return true;
    return false;
  };
  if (principal.is_string()) return principal.get<std::string>() == "*";
  if (!principal.is_object()) return false;
  // Only "AWS" principals are IAM identities; Service, Federated and
  // CanonicalUser never name a caller of AssumeRole.
  auto aws = principal.find("AWS");
  if (aws == principal.end()) return false;
  for (const auto& name : strings(*aws))
    if (names(name)) return true;
  return false;
}

bool actionCovers(const json& action, std::string_view wanted) {
  for (const auto& pattern : strings(action))
    if (globMatch(pattern, wanted, /*ignore_case=*/true)) return true;
  return false;
}

// The conditions this interim check understands; every other key is
// treated as met (documented in trust.h).
bool conditionsMet(const json& condition, const TrustRequest& request) {
  if (!condition.is_object()) return true;
  for (const auto& [op, keys] : condition.items()) {
    if (!keys.is_object()) return false;
    const bool if_exists = op.size() > 8 && op.ends_with("IfExists");
    const std::string base = if_exists ? op.substr(0, op.size() - 8) : op;
    for (const auto& [key, value] : keys.items()) {
      const auto values = strings(value);
      if (iequals(key, "sts:ExternalId")) {
        if (!request.external_id) {
          if (if_exists) continue;
          return false;
        }
        bool any = false;
        for (const auto& v : values) {
          if (base == "StringEquals" && v == *request.external_id) any = true;
          if (base == "StringLike" && globMatch(v, *request.external_id, false)) any = true;
        }
        // Other operators on the external id are not understood: refuse.
        if (!any) return false;
      } else if (iequals(key, "aws:MultiFactorAuthPresent")) {
        if (base != "Bool") return false;
        // Long-term keys carry no MFA information at all, which ...IfExists
        // accepts; plain Bool "true" refuses them.
        if (if_exists && !request.mfa_present) continue;
        bool any = false;
        for (const auto& v : values) {
          if (iequals(v, "true") && request.mfa_present) any = true;
          if (iequals(v, "false") && !request.mfa_present) any = true;
        }
        if (!any) return false;
      } else if (iequals(key, "aws:MultiFactorAuthAge")) {
        // The age exists only for MFA-authenticated callers. Null "true"
        // asks for its absence; any other test (NumericLessThan...) needs it,
        // unless written ...IfExists.
        bool met;
        if (base == "Null")
          met = values.size() == 1 && iequals(values[0], "true") ? !request.mfa_present : request.mfa_present;
        else
          met = request.mfa_present || if_exists;
        if (!met) return false;
      }
    }
  }
  return true;
}

bool statementMatches(const json& statement, const TrustRequest& request) {
  auto principal = statement.find("Principal");
  auto action = statement.find("Action");
  if (principal == statement.end() || action == statement.end()) return false;
  if (!principalNames(*principal, request) || !actionCovers(*action, request.action)) return false;
  auto condition = statement.find("Condition");
  return condition == statement.end() || conditionsMet(*condition, request);
}

}  // namespace

bool interimTrustAllows(std::string_view trust_policy, const TrustRequest& request) {
  const json document = json::parse(trust_policy, nullptr, /*allow_exceptions=*/false);
  if (!document.is_object()) return false;
  auto statements = document.find("Statement");
  if (statements == document.end()) return false;
  json list = statements->is_array() ? *statements : json::array({*statements});
  bool allowed = false;
  for (const auto& statement : list) {
    if (!statement.is_object()) continue;
    const std::string effect = statement.value("Effect", std::string());
    if (!statementMatches(statement, request)) continue;
    if (effect == "Deny") return false;  // an explicit deny always wins
    if (effect == "Allow") allowed = true;
  }
  return allowed;
}

}  // namespace iamlocal::services::sts
