// The EC2 instance metadata service (IMDSv1 and v2) and the ECS-style
// container-credentials endpoint, as plain request -> response functions over
// the store: what an SDK on a pretend instance or in a pretend container
// reads its role's rotating credentials from.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "iamlocal/core/clock.h"
#include "iamlocal/http/message.h"
#include "iamlocal/store/store.h"

namespace iamlocal::services {

// Where the metadata service answers on the main port: /latest/... for the
// default instance, and /_iamlocal/instances/<instance-id>/latest/... for any
// one instance (botocore joins AWS_EC2_METADATA_SERVICE_ENDPOINT and
// "latest/..." with a '/', so an endpoint with this path prefix works).
inline constexpr std::string_view kInstancePathPrefix = "/_iamlocal/instances/";
// The container-credentials endpoint for AWS_CONTAINER_CREDENTIALS_FULL_URI,
// and the path prefix of the relative-URI form (/v2/credentials/<id>).
inline constexpr std::string_view kContainerCredentialsPath = "/_iamlocal/container-credentials";
inline constexpr std::string_view kContainerRelativePrefix = "/v2/credentials/";

// Role sessions served to instances and containers last this long, and a
// new session replaces one that is this close to its expiration. AWS makes
// new credentials available at least five minutes before the old ones
// expire; 15 minutes is also when botocore starts refreshing, so an SDK that
// refreshes always gets a fresh session.
inline constexpr std::chrono::seconds kServedCredentialsLifetime{6 * 3600};
inline constexpr std::chrono::seconds kServedCredentialsRotateBefore{15 * 60};

struct MetadataOptions {
  std::string region = "us-east-1";
  // The instance /latest/... answers for; "" means the only running
  // instance (there must be exactly one).
  std::string default_instance_id;
  // The container endpoint's role (an ARN, or a role name in
  // `default_account_id`) and the Authorization value it requires ("" to
  // require none). No role: the endpoint answers 404.
  std::string container_role;
  std::string container_token;
  std::string default_account_id = "000000000000";
};

class MetadataService {
 public:
  MetadataService(store::Store& store, const Clock& clock, MetadataOptions options);
  ~MetadataService();
  MetadataService(const MetadataService&) = delete;
  MetadataService& operator=(const MetadataService&) = delete;

  // /latest/... (and "/", the version listing) for the default instance.
  http::Response handle(const http::Request& request) const;
  // `path` ("/latest/...") for instance `instance_id`.
  http::Response handleInstance(std::string_view instance_id, std::string_view path,
                                const http::Request& request) const;
  // A request under kInstancePathPrefix: the instance id, then its path.
  http::Response handlePrefixed(const http::Request& request) const;
  // kContainerCredentialsPath and kContainerRelativePrefix.
  http::Response containerCredentials(const http::Request& request) const;

  // The PEM certificate whose key signs instance identity documents
  // (generated once per process, on first use).
  std::string certificatePem() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace iamlocal::services
