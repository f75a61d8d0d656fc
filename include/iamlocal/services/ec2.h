// The EC2 service, the part that carries IAM: instances (run, describe,
// start, stop, terminate), their IAM instance profile associations and
// metadata options, on AWS's ec2 query protocol. Instances live in the store,
// where the instance metadata service (imds.h) finds them.
#pragma once

#include <string>
#include <string_view>

#include "iamlocal/core/result.h"
#include "iamlocal/services/operation.h"
#include "iamlocal/store/store.h"

namespace iamlocal::services {

// Registers the EC2 operations' handlers and their access table
// (ec2:RunInstances on the instance ARN, iam:PassRole on a profile's role
// with iam:PassedToService=ec2.amazonaws.com, ...).
void registerEc2Operations(OperationTable& table, store::Store& store);

// An instance declared without the EC2 API (the config file's "instances").
struct InstanceSpec {
  std::string id;  // "" draws a fresh i-<17 hex>
  std::string image_id = "ami-0123456789abcdef0";
  std::string instance_type = "t3.micro";
  std::string profile_name;  // "" for none; may name a profile created later
  store::InstanceMetadataOptions metadata_options;
  std::string user_data;  // as the instance reads it (not base64)
  store::TagList tags;
};

// EC2's answer to a request whose authentication failed. The SigV4 verifier
// speaks IAM's and STS's codes (InvalidClientTokenId, SignatureDoesNotMatch,
// ExpiredToken, ...); EC2 names the same failures AuthFailure (401),
// RequestExpired and MissingParameter. Any other error is returned as is.
Error ec2AuthenticationError(const Error& error);

// Adds a running instance to `account_id` as RunInstances would. Fails with
// InvalidParameterValue when `spec.id` is not i-<8 or 17 hex> or is taken.
// Takes the store's mutex itself.
Result<std::string> declareInstance(store::Store& store, std::string_view account_id, std::string_view region,
                                    const InstanceSpec& spec, TimePoint now);

}  // namespace iamlocal::services
