// The policy language's syntax tree: a policy document parsed once from its
// JSON text, keeping what each element said and where each statement sits in
// the original text (the simulator reports StartPosition/EndPosition).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "iamlocal/core/result.h"

namespace iamlocal::policy {

// 1-based line and column; columns count characters (UTF-8 code points).
struct Position {
  int line = 0;
  int column = 0;
  friend bool operator==(const Position&, const Position&) = default;
};

// A problem found in a document. `aws_message` is the MalformedPolicyDocument
// text AWS answers with for this kind of problem; `where` and `detail` are
// ours and name the element (`Statement[1].Condition`, `unknown operator
// 'StringEqualz'`). `rank` orders problems as AWS checks them, so the first
// problem of a sorted list is the one whose message AWS would return.
struct Diagnostic {
  std::string where;
  std::string detail;
  Position position;
  std::string aws_message;
  int rank = 0;

  std::string describe() const;  // "Statement[1].Condition: unknown operator 'StringEqualz' (line 3, column 7)"
};

// "A string or an array of strings" wherever the grammar allows both.
struct StringList {
  bool present = false;
  bool is_array = false;
  std::vector<std::string> values;
};

// Principal / NotPrincipal: either "*" or a map of principal type ("AWS",
// "Service", "Federated", "CanonicalUser") to one value or many.
struct PrincipalElement {
  bool present = false;
  bool wildcard = false;
  std::vector<std::pair<std::string, std::vector<std::string>>> entries;
};

// One operator -> key -> values triple of a Condition block. Numbers and
// booleans are kept as the text AWS compares them as.
struct ConditionEntry {
  std::string op;
  std::string key;
  std::vector<std::string> values;
};

struct Statement {
  std::size_t index = 0;
  Position start;  // the statement's '{'
  Position end;    // its matching '}'
  std::optional<std::string> sid;
  std::optional<std::string> effect;  // as written
  StringList action, not_action, resource, not_resource;
  PrincipalElement principal, not_principal;
  bool has_condition = false;
  std::vector<ConditionEntry> conditions;
  std::vector<std::string> unknown_keys;
  // Where each member key of the statement starts, for diagnostics.
  std::vector<std::pair<std::string, Position>> key_positions;

  Position positionOf(std::string_view key) const;
};

enum class PolicyVersion { Unspecified, V2008_10_17, V2012_10_17, Other };

struct Document {
  std::optional<std::string> version_text;
  PolicyVersion version = PolicyVersion::Unspecified;
  std::optional<std::string> id;
  bool has_statement = false;
  std::vector<Statement> statements;
  std::vector<std::string> unknown_keys;
  // Elements of the wrong JSON type met while building the tree.
  std::vector<Diagnostic> syntax_problems;

  // Policy variables are substituted only from version 2012-10-17 on;
  // AWS's default version (none given) is 2008-10-17.
  bool supportsVariables() const { return version == PolicyVersion::V2012_10_17; }
};

// AWS's answer to text that is not a JSON object.
inline constexpr std::string_view kSyntaxErrors = "Syntax errors in policy.";

// Parses `text` into a Document. Fails (MalformedPolicyDocument, "Syntax
// errors in policy.") only when the text is not a JSON object; every other
// problem is left in the tree or in `syntax_problems` for the validator.
Result<Document> parseDocument(std::string_view text);

}  // namespace iamlocal::policy
