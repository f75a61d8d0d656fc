#include "iamlocal/core/ids.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <random>


namespace iamlocal::ids {
namespace {

constexpr std::string_view kBase32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr std::string_view kHex = "0123456789abcdef";

// Ids need to be unique, not secret: a per-thread generator seeded once.
std::mt19937_64& generator() {
  thread_local std::mt19937_64 gen{[] {
    std::random_device rd;
    return (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
  }()};
  return gen;
}

std::string randomChars(std::string_view prefix, std::size_t n, std::string_view alphabet) {
  std::string out(prefix);
  out.reserve(prefix.size() + n);
  auto& gen = generator();
  std::uint64_t bits = 0;
  int left = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (left < 6) {
      bits = gen();
      left = 64;
    }
    out.push_back(alphabet[(bits & 63) % alphabet.size()]);
    bits >>= 6;
    left -= 6;
  }
  return out;
}

}  // namespace

std::string uniqueId(std::string_view prefix) { return randomChars(prefix, 17, kBase32); }

std::string accessKeyId(std::string_view prefix) { return randomChars(prefix, 16, kBase32); }

std::string requestId() {
  auto& gen = generator();
  std::uint64_t a = gen(), b = gen();
  a = (a & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  b = (b & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // variant 1
  std::string out;
  out.reserve(36);
  auto put = [&](std::uint64_t v, int nibbles) {
    for (int i = nibbles - 1; i >= 0; --i) out.push_back(kHex[(v >> (i * 4)) & 15]);
  };
  put(a >> 32, 8);
  out.push_back('-');
  put((a >> 16) & 0xffff, 4);
  out.push_back('-');
  put(a & 0xffff, 4);
  out.push_back('-');
  put(b >> 48, 4);
  out.push_back('-');
  put(b & 0xffffffffffffULL, 12);
  return out;
}

std::string hex(std::size_t n) { return randomChars("", n, kHex.substr(0, 16)); }

}  // namespace iamlocal::ids
