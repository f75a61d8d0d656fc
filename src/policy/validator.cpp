// The grammar IAM enforces when a policy is written. Every problem is
// collected; each carries the message AWS gives for its kind and a rank that
// follows the order in which IAM checks (syntax first, then the legacy
// parser, then statement-level rules), so the first one sorted is the one
// IAM would answer with. Messages are AWS's, as seen in its responses.
#include "iamlocal/policy/validator.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

#include "condition_operator.h"
#include "iamlocal/core/strings.h"

namespace iamlocal::policy {
namespace {

enum Rank : int {
  kRankSyntax = 0,
  kRankLegacy = 10,
  kRankPrincipalForbidden = 20,
  kRankSidUnique = 30,
  kRankActionsMissing = 40,
  kRankResourceFormat = 45,
  kRankActionFormat = 50,
  kRankResourcesMissing = 60,
  kRankResourceForbidden = 65,
  kRankPrincipalMissing = 70,
  kRankPrincipalInvalid = 75,
  kRankTrustAction = 80,
};

constexpr std::string_view kLegacyParsing = "The policy failed legacy parsing";
constexpr std::string_view kNoPrincipalAllowed = "Policy document should not specify a principal.";
constexpr std::string_view kSidNotUnique = "Statement IDs (SID) in a single policy must be unique.";
constexpr std::string_view kNoActions = "Policy statement must contain actions.";
constexpr std::string_view kNoResources = "Policy statement must contain resources.";
constexpr std::string_view kNoVendor = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.";
constexpr std::string_view kOneColon = "Actions/Condition can contain only one colon.";
constexpr std::string_view kResourceProhibited = "Has prohibited field Resource.";
constexpr std::string_view kTrustActions = "AssumeRole policy may only specify STS AssumeRole actions.";
constexpr std::string_view kMissingPrincipal = "Missing required field Principal";
// CreateRole's answer to a trust statement without a principal, verbatim.
constexpr std::string_view kTrustNoPrincipal =
    "Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement "
    "with no principals!";

constexpr std::array<std::string_view, 6> kTrustActionNames = {
    "sts:AssumeRole",   "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity",
    "sts:TagSession",   "sts:SetSourceIdentity",  "sts:SetContext",
};

std::string quoted(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('\'');
  out.append(s);
  out.push_back('\'');
  return out;
}

class Checker {
 public:
  Checker(const Document& doc, PolicyKind kind) : doc_(doc), kind_(kind) {}

  std::vector<Diagnostic> run() {
    out_ = doc_.syntax_problems;
    for (const auto& key : doc_.unknown_keys) add("", "unknown element " + quoted(key), {1, 1}, kSyntaxErrors, kRankSyntax);
    if (doc_.version == PolicyVersion::Other && doc_.version_text)
      add("Version", "unsupported version " + quoted(*doc_.version_text) + " (use 2012-10-17 or 2008-10-17)", {1, 1},
          kSyntaxErrors, kRankSyntax);
    if (!doc_.has_statement)
      add("", "missing element 'Statement'", {1, 1}, kSyntaxErrors, kRankSyntax);
    else if (doc_.statements.empty())
      add("Statement", "no statements", {1, 1}, kSyntaxErrors, kRankSyntax);

    std::set<std::string> sids;
    for (const auto& st : doc_.statements) {
      statement(st);
      if (st.sid && !st.sid->empty() && !sids.insert(*st.sid).second)
        add(where(st, "Sid"), "duplicate Sid " + quoted(*st.sid), st.positionOf("Sid"), kSidNotUnique, kRankSidUnique);
    }
    std::stable_sort(out_.begin(), out_.end(), [](const Diagnostic& a, const Diagnostic& b) { return a.rank < b.rank; });
    return std::move(out_);
  }

 private:
  static std::string where(const Statement& st, std::string_view element = {}) {
    std::string w = "Statement[" + std::to_string(st.index) + "]";
    if (!element.empty()) w += "." + std::string(element);
    return w;
  }

  void add(std::string where, std::string detail, Position at, std::string_view aws, int rank) {
    out_.push_back(Diagnostic{std::move(where), std::move(detail), at, std::string(aws), rank});
  }

  void statement(const Statement& st) {
    for (const auto& key : st.unknown_keys)
      add(where(st), "unknown element " + quoted(key), st.positionOf(key), kSyntaxErrors, kRankSyntax);
    if (st.action.present && st.not_action.present)
      add(where(st), "both Action and NotAction", st.start, kSyntaxErrors, kRankSyntax);
    if (st.resource.present && st.not_resource.present)
      add(where(st), "both Resource and NotResource", st.start, kSyntaxErrors, kRankSyntax);
    if (st.principal.present && st.not_principal.present)
      add(where(st), "both Principal and NotPrincipal", st.start, kSyntaxErrors, kRankSyntax);
    effect(st);
    conditions(st);

    // Principal: identity policies must not name one; resource and trust
    // policies must.
    const bool names_principal = st.principal.present || st.not_principal.present;
    if (kind_ == PolicyKind::Identity && names_principal) {
      const char* element = st.principal.present ? "Principal" : "NotPrincipal";
      add(where(st, element), "an identity-based policy must not specify a principal", st.positionOf(element),
          kNoPrincipalAllowed, kRankPrincipalForbidden);
    }
    if (kind_ != PolicyKind::Identity) {
      if (!names_principal)
        add(where(st), "missing element 'Principal'", st.start,
            kind_ == PolicyKind::Trust ? kTrustNoPrincipal : kMissingPrincipal, kRankPrincipalMissing);
      principal(st, st.principal, "Principal");
      principal(st, st.not_principal, "NotPrincipal");
    }

    // Actions.
    const StringList& actions = st.action.present ? st.action : st.not_action;
    const char* action_element = st.action.present ? "Action" : "NotAction";
    if (!actions.present || actions.values.empty()) {
      add(where(st, actions.present ? action_element : ""), "the statement has no actions",
          actions.present ? st.positionOf(action_element) : st.start, kNoActions, kRankActionsMissing);
    }
    for (const auto& a : actions.values) {
      if (auto problem = vendorProblem(a, true))
        add(where(st, action_element), "action " + quoted(a) + " is not of the form 'service:action'",
            st.positionOf(action_element), *problem, kRankActionFormat);
      if (kind_ == PolicyKind::Trust && (!st.action.present || !isTrustPolicyAction(a)))
        add(where(st, action_element), "action " + quoted(a) + " is not allowed in a trust policy",
            st.positionOf(action_element), kTrustActions, kRankTrustAction);
    }

    // Resources.
    const StringList& resources = st.resource.present ? st.resource : st.not_resource;
    const char* resource_element = st.resource.present ? "Resource" : "NotResource";
    if (kind_ == PolicyKind::Trust) {
      if (resources.present)
        add(where(st, resource_element), "a trust policy has no resources", st.positionOf(resource_element),
            kResourceProhibited, kRankResourceForbidden);
      return;
    }
    if (!resources.present || resources.values.empty())
      add(where(st, resources.present ? resource_element : ""), "the statement has no resources",
          resources.present ? st.positionOf(resource_element) : st.start, kNoResources, kRankResourcesMissing);
    for (const auto& r : resources.values) {
      if (r == "*") continue;
      // arn:partition:service:region:account:resource -- at least 5 colons.
      if (!r.starts_with("arn:") || std::count(r.begin(), r.end(), ':') < 5)
        add(where(st, resource_element), "resource " + quoted(r) + " is neither an ARN nor \"*\"",
            st.positionOf(resource_element), "Resource " + r + " must be in ARN format or \"*\".", kRankResourceFormat);
    }
  }

  void effect(const Statement& st) {
    if (!st.effect) {
      add(where(st), "missing element 'Effect'", st.start, kSyntaxErrors, kRankSyntax);
      return;
    }
    const std::string& e = *st.effect;
    if (e == "Allow" || e == "Deny") return;
    // IAM's first parser accepts any case; its legacy parser then rejects
    // anything but the exact spelling.
    const std::string lower = toLowerAscii(e);
    if (lower == "allow" || lower == "deny")
      add(where(st, "Effect"), "effect " + quoted(e) + " must be spelled 'Allow' or 'Deny'", st.positionOf("Effect"),
          kLegacyParsing, kRankLegacy);
    else
      add(where(st, "Effect"), "effect " + quoted(e) + " is neither 'Allow' nor 'Deny'", st.positionOf("Effect"),
          kSyntaxErrors, kRankSyntax);
  }

  void conditions(const Statement& st) {
    std::set<std::string> unknown;
    for (const auto& c : st.conditions) {
      if (!parseConditionOperator(c.op)) {
        if (unknown.insert(c.op).second)
          add(where(st, "Condition"), "unknown operator " + quoted(c.op), st.positionOf("Condition"), kSyntaxErrors,
              kRankSyntax);
        continue;
      }
      if (auto problem = vendorProblem(c.key, false))
        add(where(st, "Condition"), "condition key " + quoted(c.key) + " is not of the form 'vendor:key'",
            st.positionOf("Condition"), *problem, kRankActionFormat);
    }
  }

  // AWS principal values: "*", a 12-digit account, or an IAM/STS ARN of
  // that account's root, a user, a role, an assumed-role session or a
  // federated user.
  static bool validAwsPrincipal(std::string_view v) {
    if (v == "*") return true;
    if (v.size() == 12 && std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) return true;
    std::string_view service;
    if (v.starts_with("arn:aws:iam::"))
      service = "iam";
    else if (v.starts_with("arn:aws:sts::"))
      service = "sts";
    else
      return false;
    v.remove_prefix(13);
    const auto colon = v.find(':');
    if (colon != 12) return false;
    if (!std::all_of(v.begin(), v.begin() + 12, [](char c) { return c >= '0' && c <= '9'; })) return false;
    const std::string_view rest = v.substr(13);
    if (service == "iam")
      return rest == "root" || (rest.starts_with("user/") && rest.size() > 5) ||
             (rest.starts_with("role/") && rest.size() > 5);
    return (rest.starts_with("assumed-role/") && rest.find('/', 13) != std::string_view::npos) ||
           (rest.starts_with("federated-user/") && rest.size() > 15);
  }

  void principal(const Statement& st, const PrincipalElement& p, const char* element) {
    if (!p.present || p.wildcard) return;
    for (const auto& [type, values] : p.entries) {
      if (type != "AWS" && type != "Service" && type != "Federated" && type != "CanonicalUser") {
        add(where(st, element), "unknown principal type " + quoted(type), st.positionOf(element), kSyntaxErrors,
            kRankSyntax);
        continue;
      }
      for (const auto& v : values) {
        const bool ok = type == "AWS" ? validAwsPrincipal(v) : !v.empty();
        if (!ok) {
          std::string upper = type == "AWS" ? "AWS" : toUpperAscii(type);
          add(where(st, element), "invalid " + type + " principal " + quoted(v), st.positionOf(element),
              "Invalid principal in policy: \"" + upper + "\":\"" + v + "\"", kRankPrincipalInvalid);
        }
      }
    }
  }

  // Actions and condition keys are "vendor:name"; "*" alone is the only
  // action without a vendor.
  static std::optional<std::string_view> vendorProblem(std::string_view s, bool is_action) {
    if (is_action && s == "*") return std::nullopt;
    const auto colons = std::count(s.begin(), s.end(), ':');
    if (colons == 0 || s.front() == ':') return kNoVendor;
    if (is_action && colons > 1) return kOneColon;
    return std::nullopt;
  }

  static std::string toLowerAscii(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  }
  static std::string toUpperAscii(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
  }

  const Document& doc_;
  PolicyKind kind_;
  std::vector<Diagnostic> out_;
};

}  // namespace

bool isTrustPolicyAction(std::string_view action) {
  // Action names compare case-insensitively, as everywhere in IAM.
  return std::any_of(kTrustActionNames.begin(), kTrustActionNames.end(),
                     [&](std::string_view name) { return iequals(name, action); });
}

std::vector<Diagnostic> validateDocument(const Document& document, PolicyKind kind) {
  return Checker(document, kind).run();
}

std::vector<Diagnostic> validatePolicyText(std::string_view text, PolicyKind kind) {
  auto doc = parseDocument(text);
  if (!doc) return {Diagnostic{"", "the document is not a JSON object", {1, 1}, std::string(kSyntaxErrors), kRankSyntax}};
  return validateDocument(*doc, kind);
}

Status validatePolicyDocument(PolicyKind kind, std::string_view text) {
  auto problems = validatePolicyText(text, kind);
  if (problems.empty()) return {};
  return fail(ErrorCode::MalformedPolicyDocument, problems.front().aws_message);
}

}  // namespace iamlocal::policy
