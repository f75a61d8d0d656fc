// The instance metadata service: IMDSv2 session tokens, the IMDSv1/v2 rules
// of each instance's metadata options, the metadata tree of an instance as
// EC2 shows it, role credentials that are real STS sessions rotated before
// they expire, signed identity documents; and the container-credentials
// endpoint, which serves a configured role the same way.
#include "iamlocal/services/imds.h"

#include <charconv>
#include <map>
#include <mutex>
#include <shared_mutex>

#include <nlohmann/json.hpp>

#include "../ec2/instances.h"
#include "iamlocal/auth/secrets.h"
#include "iamlocal/core/ids.h"
#include "iamlocal/policy/evaluator.h"
#include "iamlocal/services/sts.h"
#include "identity_signer.h"

namespace iamlocal::services {
namespace {

using nlohmann::json;
using std::chrono::seconds;

constexpr std::string_view kTokenHeader = "x-aws-ec2-metadata-token";
constexpr std::string_view kTokenTtlHeader = "x-aws-ec2-metadata-token-ttl-seconds";
constexpr int kMaxTokenTtl = 21600;

// EC2's metadata service answers errors with this XHTML page.
http::Response imdsError(int status, std::string_view reason, std::string_view hint = {}) {
  const std::string title = std::to_string(status) + " - " + std::string(reason);
  http::Response r;
  r.status = status;
  r.content_type = "text/html";
  r.body =
      "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>\n"
      "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\"\n"
      "\t\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n"
      "<html xmlns=\"http://www.w3.org/1999/xhtml\" xml:lang=\"en\" lang=\"en\">\n"
      " <head>\n"
      "  <title>" + title + "</title>\n"
      " </head>\n"
      " <body>\n"
      "  <h1>" + title + "</h1>\n"
      " </body>\n"
      "</html>\n";
  // Not EC2's: says why, for people debugging a local set-up.
  if (!hint.empty()) r.headers.emplace_back("X-Iamlocal-Reason", std::string(hint));
  return r;
}

http::Response notFound(std::string_view hint = {}) { return imdsError(404, "Not Found", hint); }

http::Response text(std::string body, std::string_view content_type = "text/plain") {
  http::Response r;
  r.content_type = std::string(content_type);
  r.body = std::move(body);
  return r;
}

// {"Key" : "value", ...} in EC2's layout: two-space indent, " : ".
std::string imdsJson(const std::vector<std::pair<std::string, json>>& fields) {
  std::string out = "{\n";
  for (std::size_t i = 0; i < fields.size(); ++i) {
    out += "  \"" + fields[i].first + "\" : " + fields[i].second.dump();
    out += i + 1 < fields.size() ? ",\n" : "\n";
  }
  out += "}";
  return out;
}

void jsonResponse(int status, const json& body, http::Response& r) {
  r.status = status;
  r.content_type = "application/json";
  r.body = body.dump();
}

// A session served to an instance or a container, remembered so that the
// same credentials are served until they near expiry.
struct ServedSession {
  std::string role_arn, role_id;
  std::string access_key_id, secret_access_key, session_token;
  TimePoint expiration{}, issued_at{};
};

struct Token {
  std::string instance_id;
  TimePoint expires{};
};

// "arn:aws:iam::ACCT:role/path/Name" -> {ACCT, Name}; a plain name -> {default, name}.
std::pair<std::string, std::string> roleReference(std::string_view role, std::string_view default_account) {
  constexpr std::string_view kPrefix = "arn:aws:iam::";
  if (role.starts_with(kPrefix) && role.size() > kPrefix.size() + 13) {
    std::string_view rest = role.substr(kPrefix.size());
    return {std::string(rest.substr(0, 12)), std::string(role.substr(role.rfind('/') + 1))};
  }
  return {std::string(default_account), std::string(role)};
}

// EC2 hands an instance its role's credentials only when the role's trust
// policy lets the EC2 service assume it: the trust policy is evaluated as a
// resource policy for sts:AssumeRole with ec2.amazonaws.com as the principal,
// as STS decides a service's AssumeRole. EC2 sets no aws:SourceAccount or
// aws:SourceArn for instance roles, so none are in the context.
bool ec2MayAssume(const store::Role& role, std::string_view account_id, TimePoint now) {
  if (!role.trust_policy || !role.trust_policy->compiled) return false;
  policy::RequestContext context;
  context.action = "sts:AssumeRole";
  context.resource = role.arn;
  context.principal_service = "ec2.amazonaws.com";
  context.resource_account = std::string(account_id);
  context.now = now;
  context.finalize();
  policy::PolicySet set;
  set.resource.push_back(role.trust_policy->compiled.get());
  return policy::evaluate(set, context).allowed();
}

// What EC2's metadata service says, in iam/info and in the credentials
// document, when the role does not trust ec2.amazonaws.com (two spaces
// before "Please", as EC2 writes it).
std::string assumeRoleUnauthorizedMessage(std::string_view role_name) {
  return "EC2 cannot assume the role " + std::string(role_name) +
         ".  Please see documentation at http://docs.amazonwebservices.com/IAM/latest/UserGuide/RolesTroubleshooting.html.";
}

}  // namespace

struct MetadataService::Impl {
  store::Store& store;
  const Clock& clock;
  MetadataOptions options;
  std::string container_session_name = ids::hex(32);  // as ECS names a task's session

  mutable std::mutex mutex;  // guards everything below
  mutable std::map<std::string, Token, std::less<>> tokens;
  mutable std::map<std::string, ServedSession, std::less<>> served;  // by instance id, or "" for the container
  mutable std::unique_ptr<imds::IdentitySigner> signer;

  Impl(store::Store& s, const Clock& c, MetadataOptions o) : store(s), clock(c), options(std::move(o)) {}

  const imds::IdentitySigner& identitySigner() const {
    std::lock_guard lock(mutex);
    if (!signer) signer = std::make_unique<imds::IdentitySigner>();
    return *signer;
  }

  // The default instance: the configured one, else the only running one.
  Result<std::string> defaultInstance() const {
    if (!options.default_instance_id.empty()) return options.default_instance_id;
    std::shared_lock lock(store.mutex());
    std::string found;
    for (const auto& [id, account_id] : store.instanceOwners()) {
      const store::Account* account = store.findAccount(account_id);
      if (!account) continue;
      auto it = account->instances.find(id);
      if (it == account->instances.end() || it->second.state != "running") continue;
      if (!found.empty())
        return fail(ErrorCode::InvalidParameterValue,
                    "several instances are running; use " + std::string(kInstancePathPrefix) +
                        "<instance-id>/ or --imds-instance");
      found = id;
    }
    if (found.empty()) return fail(ErrorCode::InvalidParameterValue, "no instance is running");
    return found;
  }

  std::string newToken(std::string_view instance_id, int ttl, TimePoint now) const {
    // EC2's tokens are opaque base64 text of about this length.
    std::string token = "AQAEA" + auth::secretAccessKey();
    token.resize(44);
    for (char& c : token)
      if (c == '/') c = '_';
    token += "==";
    std::lock_guard lock(mutex);
    std::erase_if(tokens, [&](const auto& entry) { return entry.second.expires <= now; });
    tokens[token] = Token{std::string(instance_id), now + seconds(ttl)};
    return token;
  }

  bool tokenValid(std::string_view token, std::string_view instance_id, TimePoint now) const {
    std::lock_guard lock(mutex);
    auto it = tokens.find(token);
    return it != tokens.end() && it->second.instance_id == instance_id && now < it->second.expires;
  }

  // The session of `role` served under `key`: the remembered one while it
  // has more than kServedCredentialsRotateBefore left, else a new one.
  // Hold the store's mutex unique.
  ServedSession sessionFor(const std::string& key, const store::Account& account, const store::Role& role,
                           std::string_view session_name, TimePoint now) const {
    {
      std::lock_guard lock(mutex);
      auto it = served.find(key);
      if (it != served.end() && it->second.role_arn == role.arn && it->second.role_id == role.id &&
          now + kServedCredentialsRotateBefore < it->second.expiration && store.findSession(it->second.access_key_id))
        return it->second;
    }
    store::Session session = newRoleSession(account, role, session_name,
                                            static_cast<int>(kServedCredentialsLifetime.count()), now);
    ServedSession s{role.arn,
                    role.id,
                    session.access_key_id,
                    session.secret_access_key,
                    session.session_token,
                    session.expiration,
                    std::chrono::time_point_cast<seconds>(now)};
    store.addSession(std::move(session), now);
    std::lock_guard lock(mutex);
    served[key] = s;
    return s;
  }

  http::Response token(const http::Request& request, const store::Instance& instance, TimePoint now) const {
    // A token must not leave the instance through a proxy.
    if (request.hasHeader("x-forwarded-for")) return imdsError(403, "Forbidden", "X-Forwarded-For is refused");
    std::string_view ttl_text = request.header(kTokenTtlHeader);
    int ttl = 0;
    auto [end, ec] = std::from_chars(ttl_text.data(), ttl_text.data() + ttl_text.size(), ttl);
    if (ttl_text.empty() || ec != std::errc() || end != ttl_text.data() + ttl_text.size() || ttl < 1 ||
        ttl > kMaxTokenTtl)
      return imdsError(400, "Bad Request", "X-aws-ec2-metadata-token-ttl-seconds must be 1 to 21600");
    http::Response r = text(newToken(instance.id, ttl, now));
    r.headers.emplace_back("X-aws-ec2-metadata-token-ttl-seconds", std::to_string(ttl));
    return r;
  }

  http::Response serve(std::string_view instance_id, std::string_view path, const http::Request& request) const {
    const TimePoint now = clock.now();
    // Credentials may be minted, so the store is held for writing; the
    // metadata service is not on any hot path.
    std::unique_lock lock(store.mutex());
    const std::string owner = store.instanceOwner(instance_id);
    store::Account* account = owner.empty() ? nullptr : &store.account(owner);
    auto found = account ? account->instances.find(instance_id) : decltype(account->instances.end()){};
    if (!account || found == account->instances.end()) return notFound("no instance " + std::string(instance_id));
    const store::Instance& instance = found->second;
    if (instance.state != "running")
      return notFound("instance " + instance.id + " is " + instance.state + ", not running");
    if (instance.metadata_options.http_endpoint == "disabled")
      return imdsError(403, "Forbidden", "the instance's HttpEndpoint is disabled");

    if (path == "/latest/api/token") {
      if (request.method != "PUT") return imdsError(405, "Method Not Allowed");
      return token(request, instance, now);
    }
    if (request.method != "GET" && request.method != "HEAD") return imdsError(405, "Method Not Allowed");
    if (request.hasHeader(kTokenHeader)) {
      if (!tokenValid(request.header(kTokenHeader), instance.id, now))
        return imdsError(401, "Unauthorized", "the token is unknown, expired or for another instance");
    } else if (instance.metadata_options.http_tokens == "required") {
      return imdsError(401, "Unauthorized", "the instance requires IMDSv2 (HttpTokens required)");
    }
    return content(*account, instance, path, now);
  }

  // Leaves of meta-data/ for `instance`, by path; credentials are a
  // placeholder filled only when asked for.
  std::map<std::string, std::string> metadataLeaves(const store::Account& account, const store::Instance& i,
                                                    std::string& role_name) const {
    std::map<std::string, std::string> leaves = {
        {"ami-id", i.image_id},
        {"ami-launch-index", std::to_string(i.ami_launch_index)},
        {"ami-manifest-path", "(unknown)"},
        {"hostname", i.private_dns_name},
        {"instance-action", "none"},
        {"instance-id", i.id},
        {"instance-life-cycle", "on-demand"},
        {"instance-type", i.instance_type},
        {"local-hostname", i.private_dns_name},
        {"local-ipv4", i.private_ip},
        {"mac", i.mac},
        {"placement/availability-zone", i.availability_zone},
        {"placement/region", options.region},
        {"reservation-id", i.reservation_id},
        {"security-groups", [&] {
           std::string s;
           for (const auto& g : i.security_groups) s += (s.empty() ? "" : "\n") + g;
           return s;
         }()},
        {"services/domain", "amazonaws.com"},
        {"services/partition", "aws"},
        {"network/interfaces/macs/" + i.mac + "/local-ipv4s", i.private_ip},
        {"network/interfaces/macs/" + i.mac + "/mac", i.mac},
        {"network/interfaces/macs/" + i.mac + "/owner-id", account.id},
        {"network/interfaces/macs/" + i.mac + "/subnet-id", i.subnet_id},
        {"network/interfaces/macs/" + i.mac + "/vpc-id", i.vpc_id},
    };
    if (i.metadata_options.instance_metadata_tags == "enabled")
      for (const auto& t : i.tags)
        if (t.key.find('/') == std::string::npos) leaves["tags/instance/" + t.key] = t.value;
    // An association whose profile is gone (deleted, or declared before it
    // is created) still shows iam/info, which says so, as EC2's does.
    if (i.profile) leaves["iam/info"] = "";
    if (const store::InstanceProfile* profile = ec2::associatedProfile(account, i)) {
      if (!profile->role_names.empty() && account.roles.contains(profile->role_names.front())) {
        role_name = account.roles.find(profile->role_names.front())->second.name;
        leaves["iam/security-credentials/" + role_name] = "";
      }
    }
    return leaves;
  }

  std::string identityDocument(const store::Account& account, const store::Instance& i) const {
    return imdsJson({{"accountId", account.id},
                     {"architecture", "x86_64"},
                     {"availabilityZone", i.availability_zone},
                     {"billingProducts", nullptr},
                     {"devpayProductCodes", nullptr},
                     {"marketplaceProductCodes", nullptr},
                     {"imageId", i.image_id},
                     {"instanceId", i.id},
                     {"instanceType", i.instance_type},
                     {"kernelId", nullptr},
                     {"pendingTime", formatIso8601(i.launch_time)},
                     {"privateIp", i.private_ip},
                     {"ramdiskId", nullptr},
                     {"region", options.region},
                     {"version", "2017-09-30"}});
  }

  http::Response content(store::Account& account, const store::Instance& i, std::string_view path,
                         TimePoint now) const {
    if (path == "/") return text("latest");
    if (path == "/latest" || path == "/latest/")
      return text(i.user_data.empty() ? "dynamic\nmeta-data" : "dynamic\nmeta-data\nuser-data");
    if (path == "/latest/user-data" || path == "/latest/user-data/") {
      if (i.user_data.empty()) return notFound("the instance has no user data");
      auto raw = ec2::base64Decode(i.user_data);
      return text(raw ? *raw : std::string(), "application/octet-stream");
    }
    constexpr std::string_view kDynamic = "/latest/dynamic";
    if (path.starts_with(kDynamic)) {
      std::string_view rest = path.substr(kDynamic.size());
      while (rest.ends_with('/')) rest.remove_suffix(1);
      if (rest.empty()) return text("instance-identity/");
      if (rest == "/instance-identity") return text("document\npkcs7\nrsa2048\nsignature");
      const std::string document = identityDocument(account, i);
      if (rest == "/instance-identity/document") return text(document, "application/json");
      if (rest == "/instance-identity/signature") return text(identitySigner().signature(document));
      if (rest == "/instance-identity/pkcs7" || rest == "/instance-identity/rsa2048")
        return text(identitySigner().pkcs7(document));
      return notFound();
    }
    constexpr std::string_view kMeta = "/latest/meta-data";
    if (!path.starts_with(kMeta) || (path.size() > kMeta.size() && path[kMeta.size()] != '/')) return notFound();
    std::string_view rest = path.substr(kMeta.size());
    while (rest.starts_with('/')) rest.remove_prefix(1);
    while (rest.ends_with('/')) rest.remove_suffix(1);

    std::string role_name;
    const auto leaves = metadataLeaves(account, i, role_name);
    const std::string key(rest);
    if (auto leaf = leaves.find(key); leaf != leaves.end() && !key.empty()) {
      if (key == "iam/info") return iamInfo(account, i, now);
      if (key.starts_with("iam/security-credentials/")) return roleCredentials(account, i, role_name, now);
      // A leaf answers with or without a trailing '/' (botocore asks for
      // placement/availability-zone/).
      return text(leaf->second);
    }
    // A directory: the next path segment of every leaf below it.
    const std::string prefix = key.empty() ? std::string() : key + "/";
    std::string listing;
    std::string last;
    for (const auto& [leaf_path, value] : leaves) {
      if (!leaf_path.starts_with(prefix)) continue;
      std::string_view below = std::string_view(leaf_path).substr(prefix.size());
      const auto slash = below.find('/');
      std::string entry(slash == std::string_view::npos ? below : below.substr(0, slash + 1));
      if (entry == last) continue;
      last = entry;
      listing += (listing.empty() ? "" : "\n") + entry;
    }
    if (listing.empty()) return notFound();
    return text(listing);
  }

  // The role of `profile` as it is now, or null when it has none.
  static const store::Role* profileRole(const store::Account& account, const store::InstanceProfile& profile) {
    if (profile.role_names.empty()) return nullptr;
    auto it = account.roles.find(profile.role_names.front());
    return it == account.roles.end() ? nullptr : &it->second;
  }

  http::Response iamInfo(const store::Account& account, const store::Instance& i, TimePoint now) const {
    const store::InstanceProfile* profile = ec2::associatedProfile(account, i);
    const std::string last_updated = formatIso8601(std::chrono::time_point_cast<seconds>(now));
    if (!profile)
      return text(imdsJson({{"Code", "InstanceProfileNotFound"},
                            {"LastUpdated", last_updated},
                            {"InstanceProfileArn", i.profile->profile_arn}}));
    const store::Role* role = profileRole(account, *profile);
    if (role && !ec2MayAssume(*role, account.id, now))
      return text(imdsJson({{"Code", "AssumeRoleUnauthorizedAccess"},
                            {"Message", assumeRoleUnauthorizedMessage(role->name)},
                            {"LastUpdated", last_updated},
                            {"InstanceProfileArn", profile->arn},
                            {"InstanceProfileId", profile->id}}));
    return text(imdsJson({{"Code", "Success"},
                          {"LastUpdated", last_updated},
                          {"InstanceProfileArn", profile->arn},
                          {"InstanceProfileId", profile->id}}));
  }

  http::Response roleCredentials(const store::Account& account, const store::Instance& i, const std::string& role_name,
                                 TimePoint now) const {
    const store::Role& role = account.roles.find(role_name)->second;
    if (!ec2MayAssume(role, account.id, now)) {
      // No credentials: SDKs find no AccessKeyId and look no further. A
      // session served before stays valid until it expires, as on AWS.
      return text(imdsJson({{"Code", "AssumeRoleUnauthorizedAccess"},
                            {"Message", assumeRoleUnauthorizedMessage(role.name)},
                            {"LastUpdated", formatIso8601(std::chrono::time_point_cast<seconds>(now))}}));
    }
    const ServedSession s = sessionFor(i.id, account, role, i.id, now);
    return text(imdsJson({{"Code", "Success"},
                          {"LastUpdated", formatIso8601(s.issued_at)},
                          {"Type", "AWS-HMAC"},
                          {"AccessKeyId", s.access_key_id},
                          {"SecretAccessKey", s.secret_access_key},
                          {"Token", s.session_token},
                          {"Expiration", formatIso8601(s.expiration)}}));
  }
};

MetadataService::MetadataService(store::Store& store, const Clock& clock, MetadataOptions options)
    : impl_(std::make_unique<Impl>(store, clock, std::move(options))) {}
MetadataService::~MetadataService() = default;

http::Response MetadataService::handle(const http::Request& request) const {
  auto instance = impl_->defaultInstance();
  if (!instance) return notFound(instance.error().message);
  return impl_->serve(*instance, request.path, request);
}

http::Response MetadataService::handleInstance(std::string_view instance_id, std::string_view path,
                                               const http::Request& request) const {
  return impl_->serve(instance_id, path, request);
}

http::Response MetadataService::handlePrefixed(const http::Request& request) const {
  std::string_view rest = std::string_view(request.path).substr(kInstancePathPrefix.size());
  const auto slash = rest.find('/');
  std::string_view id = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? std::string_view("/") : rest.substr(slash);
  if (!ec2::isInstanceId(id)) return notFound("'" + std::string(id) + "' is not an instance id");
  return impl_->serve(id, path, request);
}

http::Response MetadataService::containerCredentials(const http::Request& request) const {
  http::Response r;
  const MetadataOptions& o = impl_->options;
  if (request.method != "GET") {
    jsonResponse(405, {{"code", "MethodNotAllowed"}, {"message", "use GET"}}, r);
    r.headers.emplace_back("Allow", "GET");
    return r;
  }
  if (o.container_role.empty()) {
    jsonResponse(404, {{"code", "NotFound"}, {"message", "no container role is configured (--container-role)"}}, r);
    return r;
  }
  if (!o.container_token.empty()) {
    // The full-URI form carries the token in Authorization; the relative
    // form carries it as the last path segment, as ECS's credential id.
    std::string_view presented = request.header("authorization");
    if (std::string_view(request.path).starts_with(kContainerRelativePrefix))
      presented = std::string_view(request.path).substr(kContainerRelativePrefix.size());
    if (presented.empty()) {
      jsonResponse(401, {{"code", "Unauthorized"}, {"message", "Authorization header required"}}, r);
      return r;
    }
    if (presented != o.container_token) {
      jsonResponse(403, {{"code", "AccessDenied"}, {"message", "Authorization token is not valid"}}, r);
      return r;
    }
  }
  const TimePoint now = impl_->clock.now();
  auto [account_id, role_name] = roleReference(o.container_role, o.default_account_id);
  std::unique_lock lock(impl_->store.mutex());
  const store::Account* account = impl_->store.findAccount(account_id);
  auto role = account ? account->roles.find(role_name) : decltype(account->roles.end()){};
  if (!account || role == account->roles.end()) {
    jsonResponse(404, {{"code", "NoSuchEntity"}, {"message", "the container role " + o.container_role + " does not exist"}}, r);
    return r;
  }
  const ServedSession s = impl_->sessionFor("", *account, role->second, impl_->container_session_name, now);
  jsonResponse(200,
               {{"RoleArn", s.role_arn},
                {"AccessKeyId", s.access_key_id},
                {"SecretAccessKey", s.secret_access_key},
                {"Token", s.session_token},
                {"Expiration", formatIso8601(s.expiration)}},
               r);
  return r;
}

std::string MetadataService::certificatePem() const { return impl_->identitySigner().certificatePem(); }

}  // namespace iamlocal::services
