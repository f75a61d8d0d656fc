#include "condition_operator.h"

#include <array>

namespace iamlocal::policy {
namespace {

struct BaseOperator {
  std::string_view name;
  OperatorFamily family;
  Comparison comparison;
  bool negated;
};

// The operators of "IAM JSON policy elements: Condition operators".
constexpr std::array<BaseOperator, 27> kOperators{{
    {"StringEquals", OperatorFamily::String, Comparison::Equals, false},
    {"StringNotEquals", OperatorFamily::String, Comparison::Equals, true},
    {"StringEqualsIgnoreCase", OperatorFamily::StringIgnoreCase, Comparison::Equals, false},
    {"StringNotEqualsIgnoreCase", OperatorFamily::StringIgnoreCase, Comparison::Equals, true},
    {"StringLike", OperatorFamily::StringLike, Comparison::Like, false},
    {"StringNotLike", OperatorFamily::StringLike, Comparison::Like, true},
    {"NumericEquals", OperatorFamily::Numeric, Comparison::Equals, false},
    {"NumericNotEquals", OperatorFamily::Numeric, Comparison::Equals, true},
    {"NumericLessThan", OperatorFamily::Numeric, Comparison::LessThan, false},
    {"NumericLessThanEquals", OperatorFamily::Numeric, Comparison::LessThanEquals, false},
    {"NumericGreaterThan", OperatorFamily::Numeric, Comparison::GreaterThan, false},
    {"NumericGreaterThanEquals", OperatorFamily::Numeric, Comparison::GreaterThanEquals, false},
    {"DateEquals", OperatorFamily::Date, Comparison::Equals, false},
    {"DateNotEquals", OperatorFamily::Date, Comparison::Equals, true},
    {"DateLessThan", OperatorFamily::Date, Comparison::LessThan, false},
    {"DateLessThanEquals", OperatorFamily::Date, Comparison::LessThanEquals, false},
    {"DateGreaterThan", OperatorFamily::Date, Comparison::GreaterThan, false},
    {"DateGreaterThanEquals", OperatorFamily::Date, Comparison::GreaterThanEquals, false},
    {"Bool", OperatorFamily::Bool, Comparison::Equals, false},
    {"BinaryEquals", OperatorFamily::Binary, Comparison::Equals, false},
    {"IpAddress", OperatorFamily::Ip, Comparison::Equals, false},
    {"NotIpAddress", OperatorFamily::Ip, Comparison::Equals, true},
    {"ArnEquals", OperatorFamily::Arn, Comparison::Like, false},
    {"ArnLike", OperatorFamily::Arn, Comparison::Like, false},
    {"ArnNotEquals", OperatorFamily::Arn, Comparison::Like, true},
    {"ArnNotLike", OperatorFamily::Arn, Comparison::Like, true},
    {"Null", OperatorFamily::Null, Comparison::Equals, false},
}};

}  // namespace

std::optional<ConditionOperator> parseConditionOperator(std::string_view name) {
  ConditionOperator op;
  if (name.starts_with("ForAllValues:")) {
    op.qualifier = SetQualifier::ForAllValues;
    name.remove_prefix(13);
  } else if (name.starts_with("ForAnyValue:")) {
    op.qualifier = SetQualifier::ForAnyValue;
    name.remove_prefix(12);
  }
  if (name.ends_with("IfExists")) {
    op.if_exists = true;
    name.remove_suffix(8);
  }
  for (const auto& base : kOperators) {
    if (base.name != name) continue;
    // Null tests existence itself: neither a set qualifier nor IfExists
    // means anything for it.
    if (base.family == OperatorFamily::Null && (op.if_exists || op.qualifier != SetQualifier::None)) return std::nullopt;
    op.family = base.family;
    op.comparison = base.comparison;
    op.negated = base.negated;
    return op;
  }
  return std::nullopt;
}

}  // namespace iamlocal::policy
