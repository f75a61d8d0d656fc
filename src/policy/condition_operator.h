// Condition operator names, decoded once: base comparison, negation, the
// ForAllValues:/ForAnyValue: set qualifier and the IfExists suffix. Shared by
// the validator (unknown operators) and the compiler.
#pragma once

#include <optional>
#include <string_view>

namespace iamlocal::policy {

enum class OperatorFamily { String, StringIgnoreCase, StringLike, Numeric, Date, Bool, Binary, Ip, Arn, Null };
enum class Comparison { Equals, Like, LessThan, LessThanEquals, GreaterThan, GreaterThanEquals };
enum class SetQualifier { None, ForAllValues, ForAnyValue };

struct ConditionOperator {
  OperatorFamily family = OperatorFamily::String;
  Comparison comparison = Comparison::Equals;
  bool negated = false;  // StringNotEquals, NotIpAddress, ArnNotLike, ...
  SetQualifier qualifier = SetQualifier::None;
  bool if_exists = false;
};

// Decodes an operator as written (case-sensitive, as AWS spells them), or
// nothing when it is not one of AWS's operators.
std::optional<ConditionOperator> parseConditionOperator(std::string_view name);

}  // namespace iamlocal::policy
