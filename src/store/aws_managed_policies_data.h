// The catalogue's constant tables, defined in the source generated at build
// time by tools/gen_aws_managed_policies.cpp; read through
// include/iamlocal/store/aws_managed_policies.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "iamlocal/store/aws_managed_policies.h"

namespace iamlocal::store::detail {

extern const std::size_t kAwsManagedPolicyCount;
// Ordered by name, ASCII case-insensitively.
extern const AwsManagedPolicy kAwsManagedPolicies[];
// Indexes into kAwsManagedPolicies, ordered by ARN (bytewise).
extern const std::uint16_t kAwsManagedPoliciesByArn[];

}  // namespace iamlocal::store::detail
