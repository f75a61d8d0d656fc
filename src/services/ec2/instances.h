// What the EC2 operations and the instance metadata service share about an
// instance: how one is made, named and addressed, and base64 for user data.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "iamlocal/core/clock.h"
#include "iamlocal/store/store.h"

namespace iamlocal::services::ec2 {

// EC2's state codes: the low byte of InstanceState.Code.
int stateCode(std::string_view state);

// i-<8 or 17 lower-case hex>.
bool isInstanceId(std::string_view id);

// A running instance of `account_id` in `region` with fresh ids, a private
// address in the default VPC (172.31.0.0/16) and the host names EC2 derives
// from it; the caller fills in image, type, profile and the rest.
store::Instance newInstance(std::string_view account_id, std::string_view region, TimePoint now);

// The default VPC, subnet and security group of an account: stable ids
// derived from the account id, as every account has exactly one of each.
std::string defaultVpcId(std::string_view account_id);
std::string defaultSubnetId(std::string_view account_id);
std::string defaultSecurityGroupId(std::string_view account_id);

// The instance profile an association names, as it is now, or null.
const store::InstanceProfile* associatedProfile(const store::Account& account, const store::Instance& instance);

// RFC 4648 base64 with padding.
std::string base64Encode(std::string_view bytes);
std::optional<std::string> base64Decode(std::string_view text);

}  // namespace iamlocal::services::ec2
