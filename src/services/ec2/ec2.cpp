// EC2 operations: instances and their IAM instance profile associations.
// Handlers read the typed input tree the ec2-flavored model decoded and
// answer with the output tree the model serializes; errors carry EC2's codes
// and texts (InvalidInstanceID.NotFound, InvalidParameterValue, ...).
#include "iamlocal/services/ec2.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <shared_mutex>

#include <nlohmann/json.hpp>

#include "iamlocal/core/ids.h"
#include "instances.h"

namespace iamlocal::services {
namespace {

using nlohmann::json;
using ec2::stateCode;

constexpr std::string_view kPassedToService = "ec2.amazonaws.com";
// RunInstances' InstanceType when none is given (EC2 API reference).
constexpr std::string_view kDefaultInstanceType = "m1.small";
// Raw user data may be at most 16 KB.
constexpr std::size_t kMaxUserDataBytes = 16 * 1024;
// One request launches at most this many instances: a guard against a typo
// turning into a million entries, far above what a local test needs.
constexpr int kMaxLaunchCount = 100;
// Terminated instances stay visible to DescribeInstances for about an hour.
constexpr auto kTerminatedVisibility = std::chrono::hours(1);

std::string str(const json& input, std::string_view member) {
  auto it = input.find(member);
  return it != input.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<std::string> strings(const json& input, std::string_view member) {
  std::vector<std::string> out;
  auto it = input.find(member);
  if (it == input.end() || !it->is_array()) return out;
  for (const auto& v : *it)
    if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

bool dryRun(const json& input) {
  auto it = input.find("DryRun");
  return it != input.end() && it->is_boolean() && it->get<bool>();
}

Error dryRunSucceeded() {
  return makeError(ErrorCode::DryRunOperation, "Request would have succeeded, but DryRun flag is set.");
}

std::string joinIds(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) {
    if (!out.empty()) out += ", ";
    out += id;
  }
  return out;
}

// ---------------------------------------------------------------- lookups

// The instances named by `ids`, each checked as EC2 checks them: every
// malformed id first, then every unknown one, in one error.
Result<std::vector<store::Instance*>> findInstances(store::Account& account, const std::vector<std::string>& ids) {
  for (const auto& id : ids)
    if (!ec2::isInstanceId(id))
      return fail(ErrorCode::InvalidInstanceID_Malformed, "Invalid id: \"" + id + "\"");
  std::vector<store::Instance*> found;
  std::vector<std::string> missing;
  for (const auto& id : ids) {
    auto it = account.instances.find(id);
    if (it == account.instances.end())
      missing.push_back(id);
    else if (std::find(found.begin(), found.end(), &it->second) == found.end())
      found.push_back(&it->second);
  }
  if (missing.size() == 1)
    return fail(ErrorCode::InvalidInstanceID_NotFound, "The instance ID '" + missing[0] + "' does not exist");
  if (!missing.empty())
    return fail(ErrorCode::InvalidInstanceID_NotFound, "The instance IDs '" + joinIds(missing) + "' do not exist");
  return found;
}

// An instance profile named by IamInstanceProfileSpecification {Arn | Name}.
Result<const store::InstanceProfile*> findProfile(const store::Account& account, const json& spec) {
  const std::string arn = str(spec, "Arn");
  const std::string name = str(spec, "Name");
  if (!arn.empty() && !name.empty())
    return fail(ErrorCode::InvalidParameterCombination,
                "The parameter 'iamInstanceProfile.name' may not be used in combination with 'iamInstanceProfile.arn'");
  if (arn.empty() && name.empty())
    return fail(ErrorCode::MissingParameter, "The request must contain the parameter iamInstanceProfile.name or iamInstanceProfile.arn");
  if (!name.empty()) {
    auto it = account.instance_profiles.find(name);
    if (it == account.instance_profiles.end())
      return fail(ErrorCode::InvalidParameterValue,
                  "Value (" + name + ") for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name");
    return &it->second;
  }
  for (const auto& [profile_name, profile] : account.instance_profiles)
    if (profile.arn == arn) return &profile;
  return fail(ErrorCode::InvalidParameterValue,
              "Value (" + arn + ") for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN");
}

store::InstanceProfileAssociation newAssociation(const store::InstanceProfile& profile, TimePoint now) {
  return store::InstanceProfileAssociation{"iip-assoc-" + ids::hex(17), profile.name, profile.arn,
                                           std::chrono::time_point_cast<std::chrono::seconds>(now)};
}

// ---------------------------------------------------------------- output trees

json stateJson(std::string_view state) { return json{{"Code", stateCode(state)}, {"Name", std::string(state)}}; }

json profileJson(const store::Account& account, const store::Instance& instance) {
  const store::InstanceProfile* profile = ec2::associatedProfile(account, instance);
  json out = {{"Arn", profile ? profile->arn : instance.profile->profile_arn}};
  if (profile) out["Id"] = profile->id;
  return out;
}

json metadataOptionsJson(const store::InstanceMetadataOptions& o, std::string_view state) {
  return json{{"State", std::string(state)},
              {"HttpTokens", o.http_tokens},
              {"HttpPutResponseHopLimit", o.http_put_response_hop_limit},
              {"HttpEndpoint", o.http_endpoint},
              {"HttpProtocolIpv6", o.http_protocol_ipv6},
              {"InstanceMetadataTags", o.instance_metadata_tags}};
}

json tagsJson(const store::TagList& tags) {
  json out = json::array();
  for (const auto& t : tags) out.push_back({{"Key", t.key}, {"Value", t.value}});
  return out;
}

// An Instance as DescribeInstances shows it; `shown_state` lets RunInstances
// report "pending" for an instance the store already holds as running.
json instanceJson(const store::Account& account, const store::Instance& i, std::string_view shown_state) {
  const bool running = i.state == "running";
  json sg = json::array();
  if (i.state != "terminated")
    for (const auto& name : i.security_groups)
      sg.push_back({{"GroupName", name}, {"GroupId", ec2::defaultSecurityGroupId(account.id)}});
  json out = {
      {"InstanceId", i.id},
      {"ImageId", i.image_id},
      {"State", stateJson(shown_state)},
      {"PrivateDnsName", i.state == "terminated" ? std::string() : i.private_dns_name},
      {"PublicDnsName", ""},
      {"StateTransitionReason", i.state_transition_reason},
      {"AmiLaunchIndex", i.ami_launch_index},
      {"ProductCodes", json::array()},
      {"InstanceType", i.instance_type},
      {"LaunchTime", formatIso8601(i.launch_time)},
      {"Placement", {{"AvailabilityZone", i.availability_zone}, {"GroupName", ""}, {"Tenancy", "default"}}},
      {"Monitoring", {{"State", "disabled"}}},
      {"Architecture", "x86_64"},
      {"RootDeviceType", "ebs"},
      {"RootDeviceName", "/dev/xvda"},
      {"BlockDeviceMappings", json::array()},
      {"Hypervisor", "xen"},
      {"VirtualizationType", "hvm"},
      {"EbsOptimized", false},
      {"EnaSupport", true},
      {"SecurityGroups", sg},
      {"ClientToken", i.client_token},
      {"PlatformDetails", "Linux/UNIX"},
      {"UsageOperation", "RunInstances"},
      {"MetadataOptions", metadataOptionsJson(i.metadata_options, "applied")},
  };
  if (i.state != "terminated") {
    out["PrivateIpAddress"] = i.private_ip;
    out["SubnetId"] = i.subnet_id;
    out["VpcId"] = i.vpc_id;
    out["SourceDestCheck"] = true;
  }
  if (!i.key_name.empty()) out["KeyName"] = i.key_name;
  if (!i.tags.empty()) out["Tags"] = tagsJson(i.tags);
  if (i.profile) out["IamInstanceProfile"] = profileJson(account, i);
  if (!running && i.state != "pending" && !i.state_transition_reason.empty())
    out["StateReason"] = {{"Code", "Client.UserInitiatedShutdown"},
                          {"Message", "Client.UserInitiatedShutdown: User initiated shutdown"}};
  return out;
}

json associationJson(const store::Account& account, const store::Instance& instance, std::string_view state) {
  return json{{"AssociationId", instance.profile->id},
              {"InstanceId", instance.id},
              {"IamInstanceProfile", profileJson(account, instance)},
              {"State", std::string(state)},
              {"Timestamp", formatIso8601(instance.profile->timestamp)}};
}

// ---------------------------------------------------------------- filters

// EC2 filter values may use * (any run) and ? (one character).
bool globMatch(std::string_view pattern, std::string_view text) {
  std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
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

struct Filter {
  std::string name;
  std::vector<std::string> values;
};

Result<std::vector<Filter>> readFilters(const json& input, const std::vector<std::string_view>& known) {
  std::vector<Filter> out;
  auto it = input.find("Filters");
  if (it == input.end() || !it->is_array()) return out;
  for (const auto& f : *it) {
    Filter filter{str(f, "Name"), strings(f, "Values")};
    const bool is_tag = filter.name.starts_with("tag:") && filter.name.size() > 4;
    if (!is_tag && std::find(known.begin(), known.end(), filter.name) == known.end())
      return fail(ErrorCode::InvalidParameterValue, "The filter '" + filter.name + "' is invalid");
    out.push_back(std::move(filter));
  }
  return out;
}

bool anyMatches(const std::vector<std::string>& patterns, std::string_view value) {
  for (const auto& p : patterns)
    if (globMatch(p, value)) return true;
  return false;
}

// What an instance offers each DescribeInstances filter.
std::vector<std::string> instanceFilterValues(const store::Account& account, const store::Instance& i,
                                              std::string_view name) {
  if (name == "instance-id") return {i.id};
  if (name == "instance-state-name") return {i.state};
  if (name == "instance-state-code") return {std::to_string(stateCode(i.state))};
  if (name == "instance-type") return {i.instance_type};
  if (name == "image-id") return {i.image_id};
  if (name == "reservation-id") return {i.reservation_id};
  if (name == "availability-zone") return {i.availability_zone};
  if (name == "private-ip-address") return {i.private_ip};
  if (name == "private-dns-name") return {i.private_dns_name};
  if (name == "vpc-id") return {i.vpc_id};
  if (name == "subnet-id") return {i.subnet_id};
  if (name == "owner-id") return {account.id};
  if (name == "metadata-options.http-tokens") return {i.metadata_options.http_tokens};
  if (name == "metadata-options.http-endpoint") return {i.metadata_options.http_endpoint};
  if (name == "iam-instance-profile.arn") {
    if (!i.profile) return {};
    const store::InstanceProfile* p = ec2::associatedProfile(account, i);
    return {p ? p->arn : i.profile->profile_arn};
  }
  std::vector<std::string> out;
  if (name == "tag-key") {
    for (const auto& t : i.tags) out.push_back(t.key);
  } else if (name == "tag-value") {
    for (const auto& t : i.tags) out.push_back(t.value);
  } else if (name.starts_with("tag:")) {
    for (const auto& t : i.tags)
      if (t.key == name.substr(4)) out.push_back(t.value);
  }
  return out;
}

const std::vector<std::string_view> kInstanceFilters = {
    "instance-id",      "instance-state-name", "instance-state-code", "instance-type",
    "image-id",         "reservation-id",      "availability-zone",   "private-ip-address",
    "private-dns-name", "vpc-id",              "subnet-id",           "owner-id",
    "tag-key",          "tag-value",           "iam-instance-profile.arn",
    "metadata-options.http-tokens", "metadata-options.http-endpoint"};

// ---------------------------------------------------------------- pagination

Result<std::optional<int>> maxResults(const json& input, int min, int max) {
  auto it = input.find("MaxResults");
  if (it == input.end() || !it->is_number_integer()) return std::optional<int>();
  const int n = it->get<int>();
  if (n < min || n > max)
    return fail(ErrorCode::InvalidParameterValue, "Value ( " + std::to_string(n) +
                                                      " ) for parameter maxResults is invalid. Expecting a value between " +
                                                      std::to_string(min) + " and " + std::to_string(max) + ".");
  return std::optional<int>(n);
}

// Pages over ids in their (sorted) order; the token is the first id of the
// next page, so a page stays valid as instances come and go (a token whose
// instance has gone starts at the next id, or gives an empty last page). A
// token that is not an id of the listed kind was not issued by us.
template <typename T>
Result<std::vector<T>> page(const std::vector<T>& all, std::string_view (*id)(const T&),
                            bool (*is_token)(std::string_view), const json& input, std::optional<int> limit,
                            std::string& next_token) {
  std::size_t start = 0;
  const std::string token = str(input, "NextToken");
  if (!token.empty()) {
    if (!is_token(token))
      return fail(ErrorCode::InvalidParameterValue,
                  "Value ( " + token + " ) for parameter NextToken is invalid. The token is invalid.");
    start = static_cast<std::size_t>(
        std::find_if(all.begin(), all.end(), [&](const T& x) { return id(x) >= token; }) - all.begin());
  }
  std::size_t end = limit ? std::min(all.size(), start + static_cast<std::size_t>(*limit)) : all.size();
  if (end < all.size()) next_token = std::string(id(all[end]));
  return std::vector<T>(all.begin() + static_cast<std::ptrdiff_t>(start), all.begin() + static_cast<std::ptrdiff_t>(end));
}

bool isAssociationId(std::string_view id) {
  constexpr std::string_view kPrefix = "iip-assoc-";
  return id.starts_with(kPrefix) && id.size() == kPrefix.size() + 17 &&
         std::all_of(id.begin() + kPrefix.size(), id.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// ---------------------------------------------------------------- validation

Status readMetadataOptions(const json& input, store::InstanceMetadataOptions& o) {
  if (auto v = str(input, "HttpTokens"); !v.empty()) o.http_tokens = v;
  if (auto v = str(input, "HttpEndpoint"); !v.empty()) o.http_endpoint = v;
  if (auto v = str(input, "HttpProtocolIpv6"); !v.empty()) o.http_protocol_ipv6 = v;
  if (auto v = str(input, "InstanceMetadataTags"); !v.empty()) o.instance_metadata_tags = v;
  if (auto it = input.find("HttpPutResponseHopLimit"); it != input.end() && it->is_number_integer()) {
    const int hops = it->get<int>();
    if (hops < 1 || hops > 64)
      return fail(ErrorCode::InvalidParameterValue,
                  "The HttpPutResponseHopLimit parameter must be between 1 and 64, inclusive.");
    o.http_put_response_hop_limit = hops;
  }
  return {};
}

Result<store::TagList> readInstanceTags(const json& input) {
  store::TagList tags;
  auto it = input.find("TagSpecifications");
  if (it == input.end() || !it->is_array()) return tags;
  for (const auto& spec : *it) {
    const std::string type = str(spec, "ResourceType");
    if (type.empty())
      return fail(ErrorCode::InvalidParameterValue, "The resource type must be specified in each tag specification.");
    if (type != "instance") continue;  // volumes and interfaces are not modelled
    auto list = spec.find("Tags");
    if (list == spec.end() || !list->is_array()) continue;
    for (const auto& t : *list) {
      store::Tag tag{str(t, "Key"), str(t, "Value")};
      if (tag.key.empty() || tag.key.size() > 128 || tag.value.size() > 256)
        return fail(ErrorCode::InvalidParameterValue, "Tag keys must be 1 to 128 characters and values at most 256");
      if (tag.key.starts_with("aws:"))
        return fail(ErrorCode::InvalidParameterValue,
                    "Tag keys starting with 'aws:' are reserved for internal use");
      auto same = std::find_if(tags.begin(), tags.end(), [&](const store::Tag& x) { return x.key == tag.key; });
      if (same != tags.end()) {
        return fail(ErrorCode::InvalidParameterValue, "Duplicate tag key '" + tag.key + "' specified.");
      }
      tags.push_back(std::move(tag));
    }
  }
  if (tags.size() > 50) return fail(ErrorCode::InvalidParameterValue, "The number of tags exceeds the limit of 50.");
  return tags;
}

// ---------------------------------------------------------------- operations

Result<json> runInstances(store::Store& store, const Call& call, const json& input) {
  const int min_count = input.value("MinCount", 1);
  const int max_count = input.value("MaxCount", 1);
  if (min_count < 1)
    return fail(ErrorCode::InvalidParameterValue, "Value (" + std::to_string(min_count) +
                                                      ") for parameter minCount is invalid. Expecting a value greater than 0.");
  if (max_count < min_count)
    return fail(ErrorCode::InvalidParameterValue,
                "Value (" + std::to_string(max_count) +
                    ") for parameter maxCount is invalid. Expecting a value greater than or equal to minCount.");
  if (min_count > kMaxLaunchCount)
    return fail(ErrorCode::InvalidParameterValue, "iamlocal launches at most " + std::to_string(kMaxLaunchCount) +
                                                      " instances per request; minCount was " + std::to_string(min_count));
  const std::string image_id = str(input, "ImageId");
  if (image_id.empty() && !input.contains("LaunchTemplate"))
    return fail(ErrorCode::MissingParameter, "The request must contain the parameter ImageId");
  if (input.contains("LaunchTemplate") && image_id.empty())
    return fail(ErrorCode::InvalidParameterValue, "Launch templates are not supported by iamlocal; give ImageId");

  store::InstanceMetadataOptions options;
  if (auto it = input.find("MetadataOptions"); it != input.end()) IAMLOCAL_RETURN_IF_ERROR(readMetadataOptions(*it, options));
  std::string user_data = str(input, "UserData");
  if (!user_data.empty()) {
    auto raw = ec2::base64Decode(user_data);
    if (!raw) return fail(ErrorCode::InvalidParameterValue, "Invalid BASE64 encoding of user data.");
    if (raw->size() > kMaxUserDataBytes)
      return fail(ErrorCode::InvalidParameterValue, "User data is limited to 16384 bytes");
  }
  IAMLOCAL_ASSIGN_OR_RETURN(store::TagList tags, readInstanceTags(input));
  std::string instance_type = str(input, "InstanceType");
  if (instance_type.empty()) instance_type = kDefaultInstanceType;
  const std::string client_token = str(input, "ClientToken");

  std::unique_lock lock(store.mutex());
  store::Account& account = store.account(call.caller.account_id);
  const store::InstanceProfile* profile = nullptr;
  if (auto it = input.find("IamInstanceProfile"); it != input.end()) {
    IAMLOCAL_ASSIGN_OR_RETURN(profile, findProfile(account, *it));
  }
  if (dryRun(input)) return fail(dryRunSucceeded());

  json reservation = {{"OwnerId", account.id}, {"Groups", json::array()}, {"Instances", json::array()}};
  // The same ClientToken answers with the instances it launched (idempotency).
  if (!client_token.empty()) {
    for (const auto& [id, instance] : account.instances) {
      if (instance.client_token != client_token) continue;
      reservation["ReservationId"] = instance.reservation_id;
      reservation["Instances"].push_back(instanceJson(account, instance, instance.state));
    }
    if (!reservation["Instances"].empty()) return reservation;
  }

  const int count = std::min(max_count, kMaxLaunchCount);
  std::string reservation_id;
  for (int n = 0; n < count; ++n) {
    store::Instance instance = ec2::newInstance(account.id, call.region, call.now);
    if (reservation_id.empty()) reservation_id = instance.reservation_id;
    instance.reservation_id = reservation_id;
    instance.ami_launch_index = n;
    instance.image_id = image_id;
    instance.instance_type = instance_type;
    instance.key_name = str(input, "KeyName");
    instance.client_token = client_token;
    instance.metadata_options = options;
    instance.user_data = user_data;
    instance.tags = tags;
    if (profile) instance.profile = newAssociation(*profile, call.now);
    // A newly launched instance is reported "pending"; it is running as
    // soon as anyone looks again.
    reservation["Instances"].push_back(instanceJson(account, instance, "pending"));
    store.indexInstance(instance.id, account.id);
    account.instances.emplace(instance.id, std::move(instance));
  }
  reservation["ReservationId"] = reservation_id;
  return reservation;
}

bool visible(const store::Instance& i, TimePoint now) {
  return !(i.terminated_at && now - *i.terminated_at > kTerminatedVisibility);
}

Result<json> describeInstances(store::Store& store, const Call& call, const json& input) {
  const std::vector<std::string> ids = strings(input, "InstanceIds");
  IAMLOCAL_ASSIGN_OR_RETURN(std::optional<int> limit, maxResults(input, 5, 1000));
  if (!ids.empty() && limit)
    return fail(ErrorCode::InvalidParameterCombination,
                "The parameter instancesSet cannot be used with the parameter maxResults");
  IAMLOCAL_ASSIGN_OR_RETURN(std::vector<Filter> filters, readFilters(input, kInstanceFilters));
  if (dryRun(input)) return fail(dryRunSucceeded());

  std::shared_lock lock(store.mutex());
  json out = {{"Reservations", json::array()}};
  const store::Account* account = store.findAccount(call.caller.account_id);
  if (!account) {
    if (!ids.empty()) {
      store::Account empty;
      IAMLOCAL_RETURN_IF_ERROR(findInstances(empty, ids));
    }
    return out;
  }
  std::vector<const store::Instance*> chosen;
  if (!ids.empty()) {
    IAMLOCAL_ASSIGN_OR_RETURN(auto found, findInstances(const_cast<store::Account&>(*account), ids));
    for (auto* i : found) chosen.push_back(i);
    std::sort(chosen.begin(), chosen.end(), [](auto* a, auto* b) { return a->id < b->id; });
  } else {
    for (const auto& [id, instance] : account->instances)
      if (visible(instance, call.now)) chosen.push_back(&instance);
  }
  std::erase_if(chosen, [&](const store::Instance* i) {
    for (const auto& f : filters) {
      bool hit = false;
      for (const auto& v : instanceFilterValues(*account, *i, f.name))
        if (anyMatches(f.values, v)) hit = true;
      if (!hit) return true;
    }
    return false;
  });
  std::string next;
  IAMLOCAL_ASSIGN_OR_RETURN(
      auto shown, page<const store::Instance*>(chosen, [](auto* const& i) -> std::string_view { return i->id; },
                                               ec2::isInstanceId, input, limit, next));
  // One Reservation per reservation id, in the order instances appear.
  std::vector<std::string> order;
  std::map<std::string, json> by_reservation;
  for (const store::Instance* i : shown) {
    auto [it, added] = by_reservation.try_emplace(i->reservation_id);
    if (added) {
      order.push_back(i->reservation_id);
      it->second = {{"ReservationId", i->reservation_id},
                    {"OwnerId", account->id},
                    {"Groups", json::array()},
                    {"Instances", json::array()}};
    }
    it->second["Instances"].push_back(instanceJson(*account, *i, i->state));
  }
  for (const auto& r : order) out["Reservations"].push_back(std::move(by_reservation[r]));
  if (!next.empty()) out["NextToken"] = next;
  return out;
}

// Start, stop, terminate: each instance moves at once to its final state,
// and the answer shows the transition as AWS's does (pending, stopping,
// shutting-down).
enum class Transition { Start, Stop, Terminate };

Result<json> changeState(store::Store& store, const Call& call, const json& input, Transition transition) {
  const std::vector<std::string> ids = strings(input, "InstanceIds");
  if (ids.empty()) return fail(ErrorCode::MissingParameter, "The request must contain the parameter InstanceId");
  std::unique_lock lock(store.mutex());
  store::Account& account = store.account(call.caller.account_id);
  IAMLOCAL_ASSIGN_OR_RETURN(auto instances, findInstances(account, ids));
  for (store::Instance* i : instances) {
    if (transition == Transition::Start && i->state == "terminated")
      return fail(ErrorCode::IncorrectInstanceState,
                  "The instance '" + i->id + "' is not in a state from which it can be started.");
    if (transition == Transition::Stop && i->state == "terminated")
      return fail(ErrorCode::IncorrectInstanceState,
                  "The instance '" + i->id + "' is not in a state from which it can be stopped.");
  }
  if (dryRun(input)) return fail(dryRunSucceeded());

  json changes = json::array();
  const std::string reason_time = formatIso8601(call.now);
  for (store::Instance* i : instances) {
    const std::string previous = i->state;
    std::string shown;
    switch (transition) {
      case Transition::Start:
        shown = previous == "running" ? "running" : "pending";
        if (previous != "running") i->state_transition_reason.clear();
        i->state = "running";
        break;
      case Transition::Stop:
        shown = previous == "stopped" ? "stopped" : "stopping";
        if (previous != "stopped")
          i->state_transition_reason = "User initiated (" + reason_time.substr(0, 19) + " GMT)";
        i->state = "stopped";
        break;
      case Transition::Terminate:
        shown = previous == "terminated" ? "terminated" : "shutting-down";
        if (previous != "terminated") {
          i->state_transition_reason = "User initiated (" + reason_time.substr(0, 19) + " GMT)";
          i->terminated_at = call.now;
          i->profile.reset();  // a terminated instance's association ends with it
        }
        i->state = "terminated";
        break;
    }
    changes.push_back({{"InstanceId", i->id}, {"CurrentState", stateJson(shown)}, {"PreviousState", stateJson(previous)}});
  }
  const char* member = transition == Transition::Start  ? "StartingInstances"
                       : transition == Transition::Stop ? "StoppingInstances"
                                                        : "TerminatingInstances";
  return json{{member, std::move(changes)}};
}

Result<json> modifyInstanceMetadataOptions(store::Store& store, const Call& call, const json& input) {
  const std::string id = str(input, "InstanceId");
  std::unique_lock lock(store.mutex());
  store::Account& account = store.account(call.caller.account_id);
  IAMLOCAL_ASSIGN_OR_RETURN(auto found, findInstances(account, {id}));
  store::Instance& instance = *found.front();
  if (instance.state == "terminated")
    return fail(ErrorCode::IncorrectInstanceState,
                "The instance '" + id + "' is not in a valid state for this operation.");
  store::InstanceMetadataOptions options = instance.metadata_options;
  IAMLOCAL_RETURN_IF_ERROR(readMetadataOptions(input, options));
  if (dryRun(input)) return fail(dryRunSucceeded());
  instance.metadata_options = options;
  // AWS reports "pending" while the change propagates; here it is already in force.
  return json{{"InstanceId", id}, {"InstanceMetadataOptions", metadataOptionsJson(options, "pending")}};
}

Result<json> associateIamInstanceProfile(store::Store& store, const Call& call, const json& input) {
  const std::string id = str(input, "InstanceId");
  std::unique_lock lock(store.mutex());
  store::Account& account = store.account(call.caller.account_id);
  IAMLOCAL_ASSIGN_OR_RETURN(auto found, findInstances(account, {id}));
  store::Instance& instance = *found.front();
  IAMLOCAL_ASSIGN_OR_RETURN(const store::InstanceProfile* profile, findProfile(account, input.value("IamInstanceProfile", json::object())));
  if (instance.state == "terminated")
    return fail(ErrorCode::IncorrectInstanceState,
                "The instance '" + id + "' is not in a valid state for this operation.");
  if (instance.profile)
    return fail(ErrorCode::IncorrectState, "There is an existing association for instance " + id);
  instance.profile = newAssociation(*profile, call.now);
  return json{{"IamInstanceProfileAssociation", associationJson(account, instance, "associating")}};
}

// The running or stopped instance holding association `id`, or
// InvalidAssociationID.NotFound.
Result<store::Instance*> instanceWithAssociation(store::Account& account, const std::string& id) {
  for (auto& [instance_id, instance] : account.instances)
    if (instance.profile && instance.profile->id == id) return &instance;
  return fail(ErrorCode::InvalidAssociationID_NotFound, "An association with ID " + id + " does not exist.");
}

Result<json> replaceIamInstanceProfileAssociation(store::Store& store, const Call& call, const json& input) {
  const std::string association_id = str(input, "AssociationId");
  std::unique_lock lock(store.mutex());
  store::Account& account = store.account(call.caller.account_id);
  IAMLOCAL_ASSIGN_OR_RETURN(store::Instance * instance, instanceWithAssociation(account, association_id));
  IAMLOCAL_ASSIGN_OR_RETURN(const store::InstanceProfile* profile, findProfile(account, input.value("IamInstanceProfile", json::object())));
  if (instance->state != "running")
    return fail(ErrorCode::IncorrectState, "The association " + association_id + " is not the active association");
  // A replacement is a new association with its own id, as AWS's.
  instance->profile = newAssociation(*profile, call.now);
  return json{{"IamInstanceProfileAssociation", associationJson(account, *instance, "associating")}};
}

Result<json> disassociateIamInstanceProfile(store::Store& store, const Call& call, const json& input) {
  const std::string association_id = str(input, "AssociationId");
  std::unique_lock lock(store.mutex());
  store::Account& account = store.account(call.caller.account_id);
  IAMLOCAL_ASSIGN_OR_RETURN(store::Instance * instance, instanceWithAssociation(account, association_id));
  json out = {{"IamInstanceProfileAssociation", associationJson(account, *instance, "disassociating")}};
  instance->profile.reset();
  return out;
}

Result<json> describeIamInstanceProfileAssociations(store::Store& store, const Call& call, const json& input) {
  const std::vector<std::string> ids = strings(input, "AssociationIds");
  IAMLOCAL_ASSIGN_OR_RETURN(std::optional<int> limit, maxResults(input, 5, 1000));
  if (!ids.empty() && limit)
    return fail(ErrorCode::InvalidParameterCombination,
                "The parameter associationId cannot be used with the parameter maxResults");
  IAMLOCAL_ASSIGN_OR_RETURN(std::vector<Filter> filters, readFilters(input, {"instance-id", "state"}));

  std::shared_lock lock(store.mutex());
  json out = {{"IamInstanceProfileAssociations", json::array()}};
  const store::Account* account = store.findAccount(call.caller.account_id);
  std::vector<const store::Instance*> chosen;  // by association id
  if (account)
    for (const auto& [id, instance] : account->instances)
      if (instance.profile) chosen.push_back(&instance);
  std::sort(chosen.begin(), chosen.end(), [](auto* a, auto* b) { return a->profile->id < b->profile->id; });
  for (const auto& id : ids) {
    if (std::none_of(chosen.begin(), chosen.end(), [&](auto* i) { return i->profile->id == id; }))
      return fail(ErrorCode::InvalidAssociationID_NotFound, "An association with ID " + id + " does not exist.");
  }
  std::erase_if(chosen, [&](const store::Instance* i) {
    if (!ids.empty() && std::find(ids.begin(), ids.end(), i->profile->id) == ids.end()) return true;
    for (const auto& f : filters) {
      const std::string value = f.name == "instance-id" ? i->id : std::string("associated");
      if (!anyMatches(f.values, value)) return true;
    }
    return false;
  });
  std::string next;
  IAMLOCAL_ASSIGN_OR_RETURN(
      auto shown, page<const store::Instance*>(
                      chosen, [](auto* const& i) -> std::string_view { return i->profile->id; }, isAssociationId,
                      input, limit, next));
  for (const store::Instance* i : shown)
    out["IamInstanceProfileAssociations"].push_back(associationJson(*account, *i, "associated"));
  if (!next.empty()) out["NextToken"] = next;
  return out;
}

// ---------------------------------------------------------------- access

// arn:aws:ec2:<region>:<caller's account>:<type>/<id>
std::string ec2Arn(const Call& call, std::string_view type, std::string_view id) {
  return "arn:aws:ec2:" + call.region + ":" + call.caller.account_id + ":" + std::string(type) + "/" + std::string(id);
}

std::string instanceArn(const Call& call, std::string_view id) { return ec2Arn(call, "instance", id); }

// iam:PassRole on the role of the profile a request names, as EC2 asks it
// when a profile is attached at launch or later.
void passRoleCheck(const store::Store& store, const Call& call, const json& spec, std::vector<AccessCheck>& out) {
  std::shared_lock lock(store.mutex());
  const store::Account* account = store.findAccount(call.caller.account_id);
  if (!account) return;
  auto profile = findProfile(*account, spec);
  if (!profile || (*profile)->role_names.empty()) return;
  auto role = account->roles.find((*profile)->role_names.front());
  if (role == account->roles.end()) return;
  out.push_back(AccessCheck{"iam:PassRole",
                            role->second.arn,
                            {policy::ContextEntry{"iam:passedtoservice", policy::ContextKeyType::String,
                                                  {std::string(kPassedToService)}}}});
}

// RunInstances is authorized on every resource it uses or creates, as the
// Service Authorization Reference lists them (and the EC2 user guide's
// RunInstances example policies need): the new instance, its image, subnet,
// security groups, network interface and volume, and a key pair when one is
// named. Each created resource is judged with the tags the request gives it
// (its own tag specification's, as aws:RequestTag and aws:TagKeys); the
// resources it only uses carry none. Tags given at launch also need
// ec2:CreateTags on each tagged resource, with ec2:CreateAction
// "RunInstances" ("Grant permission to tag resources during creation").
// Created resources are named type/*: their ids do not exist yet when AWS
// authorizes the call.
void runInstancesChecks(const store::Store& store, const Call& call, const json& input,
                        std::vector<AccessCheck>& out) {
  // The tags of each created type, all of a type's specifications together.
  std::map<std::string, json, std::less<>> tags_by_type;
  if (auto specs = input.find("TagSpecifications"); specs != input.end() && specs->is_array()) {
    for (const auto& spec : *specs) {
      const std::string type = str(spec, "ResourceType");
      if (type != "instance" && type != "volume" && type != "network-interface") continue;
      json& tags = tags_by_type[type]["Tags"];
      if (tags.is_null()) tags = json::array();
      if (auto list = spec.find("Tags"); list != spec.end() && list->is_array())
        tags.insert(tags.end(), list->begin(), list->end());
    }
  }
  auto requestTags = [&](std::string_view type) {
    std::vector<policy::ContextEntry> context;
    if (auto it = tags_by_type.find(type); it != tags_by_type.end()) appendRequestTags(it->second, context);
    return context;
  };
  auto run = [&](std::string arn, std::vector<policy::ContextEntry> context = {}) {
    out.push_back({"ec2:RunInstances", std::move(arn), std::move(context)});
  };

  run(instanceArn(call, "*"), requestTags("instance"));
  const std::string image = str(input, "ImageId");
  if (!image.empty()) run("arn:aws:ec2:" + call.region + "::image/" + image);
  const std::string subnet = str(input, "SubnetId");
  run(ec2Arn(call, "subnet", subnet.empty() ? ec2::defaultSubnetId(call.caller.account_id) : subnet));
  // By name only the default VPC's "default" group is known by its id;
  // other names are any group. No group at all means the default one.
  std::vector<std::string> groups = strings(input, "SecurityGroupIds");
  for (const std::string& name : strings(input, "SecurityGroups"))
    groups.push_back(name == "default" ? ec2::defaultSecurityGroupId(call.caller.account_id) : "*");
  if (groups.empty()) groups.push_back(ec2::defaultSecurityGroupId(call.caller.account_id));
  for (const std::string& group : groups) run(ec2Arn(call, "security-group", group));
  run(ec2Arn(call, "network-interface", "*"), requestTags("network-interface"));
  run(ec2Arn(call, "volume", "*"), requestTags("volume"));
  if (const std::string key = str(input, "KeyName"); !key.empty()) run(ec2Arn(call, "key-pair", key));

  for (const auto& [type, tags] : tags_by_type) {
    AccessCheck tagging{"ec2:CreateTags", ec2Arn(call, type, "*"),
                        {policy::ContextEntry{"ec2:createaction", policy::ContextKeyType::String, {"RunInstances"}}}};
    appendRequestTags(tags, tagging.context);
    out.push_back(std::move(tagging));
  }
  if (auto it = input.find("IamInstanceProfile"); it != input.end()) passRoleCheck(store, call, *it, out);
}

// The instance of an association, for the checks on its instance ARN.
std::string associationInstance(const store::Store& store, const Call& call, const json& input) {
  std::shared_lock lock(store.mutex());
  const store::Account* account = store.findAccount(call.caller.account_id);
  const std::string id = str(input, "AssociationId");
  if (account)
    for (const auto& [instance_id, instance] : account->instances)
      if (instance.profile && instance.profile->id == id) return instance_id;
  return "*";
}

void registerAccess(OperationTable& table, store::Store& store) {
  table.setAccess("ec2", "RunInstances", [&store](const Call& call, const json& input, std::vector<AccessCheck>& out) {
    runInstancesChecks(store, call, input, out);
  });
  table.setAccess("ec2", "DescribeInstances",
                  [](const Call&, const json&, std::vector<AccessCheck>& out) { out.push_back({"ec2:DescribeInstances", "*", {}}); });
  table.setAccess("ec2", "DescribeIamInstanceProfileAssociations", [](const Call&, const json&, std::vector<AccessCheck>& out) {
    out.push_back({"ec2:DescribeIamInstanceProfileAssociations", "*", {}});
  });
  for (const char* action : {"StartInstances", "StopInstances", "TerminateInstances"}) {
    table.setAccess("ec2", action, [action](const Call& call, const json& input, std::vector<AccessCheck>& out) {
      for (const auto& id : strings(input, "InstanceIds")) out.push_back({std::string("ec2:") + action, instanceArn(call, id), {}});
    });
  }
  table.setAccess("ec2", "ModifyInstanceMetadataOptions", [](const Call& call, const json& input, std::vector<AccessCheck>& out) {
    out.push_back({"ec2:ModifyInstanceMetadataOptions", instanceArn(call, str(input, "InstanceId")), {}});
  });
  table.setAccess("ec2", "AssociateIamInstanceProfile", [&store](const Call& call, const json& input, std::vector<AccessCheck>& out) {
    out.push_back({"ec2:AssociateIamInstanceProfile", instanceArn(call, str(input, "InstanceId")), {}});
    if (auto it = input.find("IamInstanceProfile"); it != input.end()) passRoleCheck(store, call, *it, out);
  });
  table.setAccess("ec2", "ReplaceIamInstanceProfileAssociation",
                  [&store](const Call& call, const json& input, std::vector<AccessCheck>& out) {
                    out.push_back({"ec2:ReplaceIamInstanceProfileAssociation",
                                   instanceArn(call, associationInstance(store, call, input)), {}});
                    if (auto it = input.find("IamInstanceProfile"); it != input.end()) passRoleCheck(store, call, *it, out);
                  });
  table.setAccess("ec2", "DisassociateIamInstanceProfile",
                  [&store](const Call& call, const json& input, std::vector<AccessCheck>& out) {
                    out.push_back({"ec2:DisassociateIamInstanceProfile",
                                   instanceArn(call, associationInstance(store, call, input)), {}});
                  });
}

}  // namespace

void registerEc2Operations(OperationTable& table, store::Store& store) {
  auto add = [&](std::string_view action, Result<json> (*fn)(store::Store&, const Call&, const json&)) {
    table.add("ec2", action, [&store, fn](const Call& call, const json& input) { return fn(store, call, input); });
  };
  add("RunInstances", runInstances);
  add("DescribeInstances", describeInstances);
  add("StartInstances", [](store::Store& s, const Call& c, const json& i) { return changeState(s, c, i, Transition::Start); });
  add("StopInstances", [](store::Store& s, const Call& c, const json& i) { return changeState(s, c, i, Transition::Stop); });
  add("TerminateInstances",
      [](store::Store& s, const Call& c, const json& i) { return changeState(s, c, i, Transition::Terminate); });
  add("ModifyInstanceMetadataOptions", modifyInstanceMetadataOptions);
  add("AssociateIamInstanceProfile", associateIamInstanceProfile);
  add("ReplaceIamInstanceProfileAssociation", replaceIamInstanceProfileAssociation);
  add("DisassociateIamInstanceProfile", disassociateIamInstanceProfile);
  add("DescribeIamInstanceProfileAssociations", describeIamInstanceProfileAssociations);
  registerAccess(table, store);
}

Result<std::string> declareInstance(store::Store& store, std::string_view account_id, std::string_view region,
                                    const InstanceSpec& spec, TimePoint now) {
  if (!spec.id.empty() && !ec2::isInstanceId(spec.id))
    return fail(ErrorCode::InvalidParameterValue,
                "instance id '" + spec.id + "' must be i- followed by 8 or 17 lower-case hex digits");
  store::Instance instance = ec2::newInstance(account_id, region, now);
  if (!spec.id.empty()) instance.id = spec.id;
  instance.image_id = spec.image_id;
  instance.instance_type = spec.instance_type;
  instance.metadata_options = spec.metadata_options;
  instance.user_data = spec.user_data.empty() ? std::string() : ec2::base64Encode(spec.user_data);
  instance.tags = spec.tags;
  std::unique_lock lock(store.mutex());
  if (!store.instanceOwner(instance.id).empty())
    return fail(ErrorCode::InvalidParameterValue, "instance id '" + instance.id + "' is declared twice");
  store::Account& account = store.account(account_id);
  if (!spec.profile_name.empty()) {
    auto it = account.instance_profiles.find(spec.profile_name);
    store::InstanceProfileAssociation association;
    association.id = "iip-assoc-" + ids::hex(17);
    association.profile_name = it != account.instance_profiles.end() ? it->second.name : spec.profile_name;
    association.profile_arn = it != account.instance_profiles.end()
                                  ? it->second.arn
                                  : "arn:aws:iam::" + std::string(account_id) + ":instance-profile/" + spec.profile_name;
    association.timestamp = std::chrono::time_point_cast<std::chrono::seconds>(now);
    instance.profile = std::move(association);
  }
  std::string id = instance.id;
  store.indexInstance(id, account_id);
  account.instances.emplace(id, std::move(instance));
  return id;
}

}  // namespace iamlocal::services
