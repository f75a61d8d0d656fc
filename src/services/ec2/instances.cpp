#include "instances.h"

#include <array>
#include <cstdio>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "iamlocal/core/ids.h"

namespace iamlocal::services::ec2 {
namespace {

unsigned randomByte() {
  unsigned char b = 0;
  if (RAND_bytes(&b, 1) != 1) b = static_cast<unsigned char>(ids::hex(2)[0]);
  return b;
}

// 17 hex digits from a 12-digit account id: the ids of the account's
// default network resources.
std::string accountHex(std::string_view account_id) { return "00000" + std::string(account_id); }

}  // namespace

int stateCode(std::string_view state) {
  if (state == "pending") return 0;
  if (state == "running") return 16;
  if (state == "shutting-down") return 32;
  if (state == "terminated") return 48;
  if (state == "stopping") return 64;
  if (state == "stopped") return 80;
  return 0;
}

bool isInstanceId(std::string_view id) {
  if (!id.starts_with("i-")) return false;
  std::string_view hex = id.substr(2);
  if (hex.size() != 8 && hex.size() != 17) return false;
  for (char c : hex)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

std::string defaultVpcId(std::string_view account_id) { return "vpc-" + accountHex(account_id); }
std::string defaultSubnetId(std::string_view account_id) { return "subnet-" + accountHex(account_id); }
std::string defaultSecurityGroupId(std::string_view account_id) { return "sg-" + accountHex(account_id); }

store::Instance newInstance(std::string_view account_id, std::string_view region, TimePoint now) {
  store::Instance instance;
  instance.id = "i-" + ids::hex(17);
  instance.reservation_id = "r-" + ids::hex(17);
  instance.launch_time = std::chrono::time_point_cast<std::chrono::seconds>(now);
  instance.availability_zone = std::string(region) + "a";
  // 172.31.0.0/16, avoiding the network, gateway and broadcast addresses.
  const unsigned third = randomByte() % 255;
  const unsigned fourth = 4 + randomByte() % 250;
  instance.private_ip = "172.31." + std::to_string(third) + "." + std::to_string(fourth);
  std::string host = "ip-172-31-" + std::to_string(third) + "-" + std::to_string(fourth);
  instance.private_dns_name =
      region == "us-east-1" ? host + ".ec2.internal" : host + "." + std::string(region) + ".compute.internal";
  char mac[18];
  std::snprintf(mac, sizeof mac, "0e:%02x:%02x:%02x:%02x:%02x", randomByte(), randomByte(), randomByte(),
                randomByte(), randomByte());
  instance.mac = mac;
  instance.subnet_id = defaultSubnetId(account_id);
  instance.vpc_id = defaultVpcId(account_id);
  instance.security_groups = {"default"};
  return instance;
}

const store::InstanceProfile* associatedProfile(const store::Account& account, const store::Instance& instance) {
  if (!instance.profile) return nullptr;
  auto it = account.instance_profiles.find(instance.profile->profile_name);
  return it == account.instance_profiles.end() ? nullptr : &it->second;
}

std::string base64Encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(n < 0 ? 0 : static_cast<std::size_t>(n));
  return out;
}

std::optional<std::string> base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  if (text.empty()) return std::string();
  std::string out(3 * (text.size() / 4), '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  // EVP_DecodeBlock counts padding as zero bytes.
  std::size_t size = static_cast<std::size_t>(n);
  if (text.ends_with("==")) size -= 2;
  else if (text.ends_with("=")) size -= 1;
  out.resize(size);
  return out;
}

}  // namespace iamlocal::services::ec2
