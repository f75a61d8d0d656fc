#include "pattern.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace iamlocal::policy {
namespace {

char lowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// The inside of "${...}": "key", "key, 'default'" or one of the escapes
// ${*} ${?} ${$}. Returns false when it is not a variable (kept literally).
bool parseVariable(std::string_view inside, PatternToken& token) {
  inside = trim(inside);
  if (inside == "*" || inside == "?" || inside == "$") {
    token.kind = PatternToken::Literal;
    token.text = std::string(inside);
    return true;
  }
  std::string_view key = inside;
  const auto comma = inside.find(',');
  if (comma != std::string_view::npos) {
    key = trim(inside.substr(0, comma));
    std::string_view def = trim(inside.substr(comma + 1));
    if (def.size() < 2 || def.front() != '\'' || def.back() != '\'') return false;
    def = def.substr(1, def.size() - 2);
    std::string value;
    for (std::size_t i = 0; i < def.size(); ++i) {
      if (def[i] == '\'') {
        // A quote inside the default is written twice.
        if (i + 1 < def.size() && def[i + 1] == '\'') {
          value.push_back('\'');
          ++i;
          continue;
        }
        return false;
      }
      value.push_back(def[i]);
    }
    token.default_value = std::move(value);
  }
  if (key.empty() || key.find(' ') != std::string_view::npos) return false;
  token.kind = PatternToken::Variable;
  token.written = std::string(key);
  token.text.clear();
  for (char c : key) token.text.push_back(lowerAscii(c));
  return true;
}

void appendLiteral(std::vector<PatternToken>& tokens, std::string_view text) {
  if (text.empty()) return;
  if (!tokens.empty() && tokens.back().kind == PatternToken::Literal) {
    tokens.back().text.append(text);
    return;
  }
  PatternToken t;
  t.text = std::string(text);
  tokens.push_back(std::move(t));
}

}  // namespace

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lowerAscii(a[i]) != lowerAscii(b[i])) return false;
  return true;
}

Pattern compilePattern(std::string_view text, bool fold_case, bool variables, bool wildcards) {
  Pattern p;
  std::string folded;
  if (fold_case) {
    folded.reserve(text.size());
    for (char c : text) folded.push_back(lowerAscii(c));
    text = folded;
  }
  bool glob = false;
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (wildcards && (c == '*' || c == '?')) {
      PatternToken t;
      t.kind = c == '*' ? PatternToken::Star : PatternToken::One;
      // Consecutive stars are one star.
      if (!(t.kind == PatternToken::Star && !p.tokens.empty() && p.tokens.back().kind == PatternToken::Star))
        p.tokens.push_back(std::move(t));
      glob = true;
      ++i;
      continue;
    }
    if (variables && c == '$' && i + 1 < text.size() && text[i + 1] == '{') {
      const auto close = text.find('}', i + 2);
      PatternToken t;
      if (close != std::string_view::npos && parseVariable(text.substr(i + 2, close - i - 2), t)) {
        if (t.kind == PatternToken::Literal) {
          appendLiteral(p.tokens, t.text);
        } else {
          p.tokens.push_back(std::move(t));
          glob = true;
        }
        i = close + 1;
        continue;
      }
    }
    appendLiteral(p.tokens, text.substr(i, 1));
    ++i;
  }
  for (const auto& t : p.tokens)
    if (t.kind == PatternToken::Variable) p.has_variables = true;
  if (p.tokens.size() == 1 && p.tokens[0].kind == PatternToken::Star) {
    p.shape = Pattern::Any;
  } else if (!glob) {
    p.shape = Pattern::Exact;
    p.text = p.tokens.empty() ? std::string() : p.tokens[0].text;
    p.tokens.clear();
  } else if (p.tokens.size() == 2 && p.tokens[0].kind == PatternToken::Literal && p.tokens[1].kind == PatternToken::Star) {
    p.shape = Pattern::Prefix;
    p.text = p.tokens[0].text;
  } else {
    p.shape = Pattern::Glob;
    if (p.tokens[0].kind == PatternToken::Literal) p.text = p.tokens[0].text;
  }
  return p;
}

std::optional<std::string_view> resolveVariable(const PatternToken& token, const RequestContext& request) {
  if (const ContextEntry* entry = request.find(token.text); entry != nullptr && entry->values.size() == 1)
    return std::string_view(entry->values.front());
  // Absent, or multivalued (which AWS does not substitute): the default, if any.
  if (token.default_value) return std::string_view(*token.default_value);
  return std::nullopt;
}

namespace {

// Glob matching with backtracking to the last star: linear for patterns
// with one star, never worse than O(pattern * text). `view(i)` is the text
// of literal (or resolved variable) token i. With `barrier`, wildcards may
// not consume a ':' before that position (ARN components).
template <typename View>
bool globMatch(const PatternToken* tokens, std::size_t n, View view, std::string_view text, bool arn_components) {
  std::size_t barrier = 0;
  if (arn_components) {
    int colons = 0;
    barrier = text.size();
    for (std::size_t i = 0; i < text.size(); ++i)
      if (text[i] == ':' && ++colons == 5) {
        barrier = i;
        break;
      }
  }
  auto wildcardMay = [&](std::size_t at) { return !arn_components || at >= barrier || text[at] != ':'; };

  std::size_t ti = 0, off = 0, si = 0;
  std::size_t star_ti = SIZE_MAX, star_si = 0;
  while (true) {
    if (ti < n) {
      const auto kind = tokens[ti].kind;
      if (kind == PatternToken::Star) {
        star_ti = ti;
        star_si = si;
        ++ti;
        off = 0;
        continue;
      }
      if (kind != PatternToken::One) {
        const std::string_view lit = view(ti);
        if (off == lit.size()) {
          ++ti;
          off = 0;
          continue;
        }
        if (si < text.size() && lit[off] == text[si]) {
          ++off;
          ++si;
          continue;
        }
      } else if (si < text.size() && wildcardMay(si)) {
        ++ti;
        ++si;
        continue;
      }
    } else if (si == text.size()) {
      return true;
    }
    if (star_ti != SIZE_MAX && star_si < text.size() && wildcardMay(star_si)) {
      ++star_si;
      si = star_si;
      ti = star_ti + 1;
      off = 0;
      continue;
    }
    return false;
  }
}

}  // namespace

bool matchPattern(const Pattern& pattern, std::string_view text, const RequestContext& request,
                  std::vector<std::string_view>* missing, bool arn_components) {
  switch (pattern.shape) {
    case Pattern::Any:
      return true;
    case Pattern::Exact:
      if (!arn_components) return pattern.text == text;
      {
        // One literal token standing for the whole pattern text.
        static const PatternToken kWholeText{};
        return globMatch(&kWholeText, 1, [&](std::size_t) { return std::string_view(pattern.text); }, text, true);
      }
    case Pattern::Prefix:
      if (!text.starts_with(pattern.text)) return false;
      if (!arn_components) return true;
      break;
    case Pattern::Glob:
      if (!text.starts_with(pattern.text)) return false;
      break;
  }
  const PatternToken* tokens = pattern.tokens.data();
  const std::size_t n = pattern.tokens.size();
  if (!pattern.has_variables)
    return globMatch(tokens, n, [&](std::size_t i) { return std::string_view(tokens[i].text); }, text, arn_components);

  // Resolve variables first; a fixed array keeps this allocation-free for
  // every pattern of reasonable size.
  constexpr std::size_t kInline = 32;
  std::string_view inline_views[kInline];
  std::vector<std::string_view> heap_views;
  std::string_view* views = inline_views;
  if (n > kInline) {
    heap_views.resize(n);
    views = heap_views.data();
  }
  for (std::size_t i = 0; i < n; ++i) {
    const PatternToken& t = tokens[i];
    if (t.kind == PatternToken::Literal) {
      views[i] = t.text;
    } else if (t.kind == PatternToken::Variable) {
      auto value = resolveVariable(t, request);
      if (!value) {
        if (missing != nullptr) missing->push_back(t.written);
        return false;  // an unresolved variable matches nothing
      }
      views[i] = *value;
    }
  }
  return globMatch(tokens, n, [&](std::size_t i) { return views[i]; }, text, arn_components);
}

bool parseIpNetwork(std::string_view text, IpNetwork& out) {
  char buf[64];
  const auto slash = text.find('/');
  const std::string_view addr = text.substr(0, slash);
  if (addr.empty() || addr.size() >= sizeof(buf)) return false;
  std::memcpy(buf, addr.data(), addr.size());
  buf[addr.size()] = '\0';
  out = IpNetwork{};
  if (inet_pton(AF_INET, buf, out.bytes) == 1) {
    out.v6 = false;
    out.prefix = 32;
  } else if (inet_pton(AF_INET6, buf, out.bytes) == 1) {
    out.v6 = true;
    out.prefix = 128;
  } else {
    return false;
  }
  if (slash != std::string_view::npos) {
    const std::string_view p = text.substr(slash + 1);
    int prefix = -1;
    auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), prefix);
    if (ec != std::errc() || ptr != p.data() + p.size() || p.empty() || prefix < 0 || prefix > out.prefix) return false;
    out.prefix = prefix;
  }
  return true;
}

bool ipInNetwork(const IpNetwork& address, const IpNetwork& network) {
  if (address.v6 != network.v6) return false;
  const int full = network.prefix / 8;
  if (std::memcmp(address.bytes, network.bytes, static_cast<std::size_t>(full)) != 0) return false;
  const int rest = network.prefix % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xFF << (8 - rest));
  return (address.bytes[full] & mask) == (network.bytes[full] & mask);
}

bool parsePolicyDate(std::string_view text, std::int64_t& millis) {
  if (text.empty()) return false;
  bool digits = true;
  for (char c : text)
    if (c < '0' || c > '9') digits = false;
  if (digits) {
    std::int64_t secs = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), secs);
    if (ec != std::errc() || ptr != text.data() + text.size()) return false;
    millis = secs * 1000;
    return true;
  }
  TimePoint t;
  if (!parseIso8601(text, t)) return false;
  millis = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  return true;
}

bool parsePolicyNumber(std::string_view text, double& out) {
  if (text.empty()) return false;
  const char* begin = text.data();
  if (*begin == '+') ++begin;
  auto [ptr, ec] = std::from_chars(begin, text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

}  // namespace iamlocal::policy
