#include "pattern.h"

#include <arpa/inet.h>

#include <algorithm>
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
  token.key_hash = contextKeyHash(token.text);
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
    p.starts_with_star = p.tokens.front().kind == PatternToken::Star;
    p.ends_with_star = p.tokens.back().kind == PatternToken::Star;
    PatternSegment segment;
    for (std::uint32_t i = 0; i <= p.tokens.size(); ++i) {
      if (i < p.tokens.size() && p.tokens[i].kind != PatternToken::Star) {
        const PatternToken& t = p.tokens[i];
        if (t.kind == PatternToken::Variable) segment.has_variables = true;
        segment.fixed += t.kind == PatternToken::One ? 1 : t.kind == PatternToken::Literal ? static_cast<std::uint32_t>(t.text.size()) : 0;
        continue;
      }
      if (i < p.tokens.size()) p.has_star = true;
      segment.end = i;
      if (segment.end > segment.begin) p.segments.push_back(segment);
      segment = PatternSegment{};
      segment.begin = i + 1;
    }
  }
  return p;
}

const ContextEntry* ContextLookup::find(std::string_view lower_key, std::uint64_t hash) const {
  const auto& keys = request_.keys;
  if (keys.size() > kMaxHashed) return request_.find(lower_key);
  if (!hashed_) {
    for (std::size_t i = 0; i < keys.size(); ++i) hashes_[i] = contextKeyHash(keys[i].key);
    for (auto& r : recent_) r = Recent{0, {}, nullptr};
    hashed_ = true;
  }
  Recent& recent = recent_[(hash >> 7) % kRecent];
  if (recent.hash == hash && !recent.key.empty() && sameText(recent.key, lower_key)) return recent.entry;
  const ContextEntry* found = nullptr;
  for (std::size_t i = 0; i < keys.size(); ++i)
    if (hashes_[i] == hash && sameText(keys[i].key, lower_key)) {
      found = &keys[i];
      break;
    }
  recent = Recent{hash, lower_key, found};
  return found;
}

std::optional<std::string_view> resolveVariable(const PatternToken& token, const RequestContext& request) {
  const ContextLookup keys(request);
  return resolveVariable(token, keys);
}

std::optional<std::string_view> resolveVariable(const PatternToken& token, const ContextLookup& keys) {
  if (const ContextEntry* entry = keys.find(token.text, token.key_hash); entry != nullptr && entry->values.size() == 1)
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

// The length of text a segment matches: each literal or resolved variable
// its own, each '?' one character.
template <typename View>
std::size_t segmentLength(const PatternToken* tokens, const PatternSegment& segment, View view) {
  if (!segment.has_variables) return segment.fixed;
  std::size_t length = segment.fixed;
  for (std::size_t i = segment.begin; i < segment.end; ++i)
    if (tokens[i].kind == PatternToken::Variable) length += view(i).size();
  return length;
}

// Does the segment match `text` starting at `at`? The caller has checked
// that the text is long enough.
template <typename View>
bool segmentAt(const PatternToken* tokens, const PatternSegment& segment, View view, std::string_view text, std::size_t at) {
  for (std::size_t i = segment.begin; i < segment.end; ++i) {
    if (tokens[i].kind == PatternToken::One) {
      ++at;
      continue;
    }
    const std::string_view lit = view(i);
    if (!sameBytes(text.data() + at, lit.data(), lit.size())) return false;
    at += lit.size();
  }
  return true;
}

// Glob matching when wildcards may cross every character: the pattern is
// head*mid*...*tail, the head must start the text, the tail end it, and
// each middle segment is found leftmost, in order, in between. Segments
// have fixed lengths, so the leftmost place of each is never worse than any
// other: no backtracking across stars, and memchr finds the candidates.
// The caller has compared the pattern's leading literal (Pattern::text).
template <typename View>
bool segmentGlobMatch(const Pattern& pattern, View view, std::string_view text) {
  const PatternToken* tokens = pattern.tokens.data();
  const auto& segments = pattern.segments;
  if (!pattern.has_star) {
    // '?' or variables only: one segment, the whole text.
    return segments.size() == 1 && segmentLength(tokens, segments[0], view) == text.size() &&
           segmentAt(tokens, segments[0], view, text, 0);
  }
  std::size_t first = 0, last = segments.size();
  std::size_t at = 0, limit = text.size();
  if (!pattern.starts_with_star) {
    const PatternSegment& head = segments[0];
    if (head.end - head.begin == 1 && tokens[head.begin].kind == PatternToken::Literal) {
      // The first literal alone: matchPattern has compared it already.
      at = head.fixed;
    } else {
      const std::size_t length = segmentLength(tokens, head, view);
      if (length > limit || !segmentAt(tokens, head, view, text, 0)) return false;
      at = length;
    }
    first = 1;
  }
  if (!pattern.ends_with_star) {
    const std::size_t length = segmentLength(tokens, segments[last - 1], view);
    if (length > limit - at || !segmentAt(tokens, segments[last - 1], view, text, limit - length)) return false;
    limit -= length;
    --last;
  }
  for (std::size_t s = first; s < last; ++s) {
    const PatternSegment& segment = segments[s];
    const std::size_t length = segmentLength(tokens, segment, view);
    if (length > limit - at) return false;
    const std::size_t last_start = limit - length;
    // Candidates start with the segment's first character, when it has one.
    const std::string_view lead = tokens[segment.begin].kind == PatternToken::One ? std::string_view() : view(segment.begin);
    while (true) {
      if (at > last_start) return false;
      if (!lead.empty()) {
        const void* hit = std::memchr(text.data() + at, lead.front(), last_start - at + 1);
        if (hit == nullptr) return false;
        at = static_cast<std::size_t>(static_cast<const char*>(hit) - text.data());
      }
      if (segmentAt(tokens, segment, view, text, at)) break;
      ++at;
    }
    at += length;
  }
  return true;
}

template <typename View>
bool globMatchAny(const Pattern& pattern, View view, std::string_view text, bool arn_components) {
  if (arn_components) return globMatch(pattern.tokens.data(), pattern.tokens.size(), view, text, true);
  return segmentGlobMatch(pattern, view, text);
}

}  // namespace

bool matchPattern(const Pattern& pattern, std::string_view text, const RequestContext& request,
                  std::vector<std::string_view>* missing, bool arn_components) {
  const ContextLookup keys(request);
  return matchPattern(pattern, text, keys, missing, arn_components);
}

bool matchPattern(const Pattern& pattern, std::string_view text, const ContextLookup& keys,
                  std::vector<std::string_view>* missing, bool arn_components) {
  switch (pattern.shape) {
    case Pattern::Any:
      return true;
    case Pattern::Exact:
      if (!arn_components) return sameText(pattern.text, text);
      {
        // One literal token standing for the whole pattern text.
        static const PatternToken kWholeText{};
        return globMatch(&kWholeText, 1, [&](std::size_t) { return std::string_view(pattern.text); }, text, true);
      }
    case Pattern::Prefix:
      if (!startsWithText(text, pattern.text)) return false;
      if (!arn_components) return true;
      break;
    case Pattern::Glob:
      if (!startsWithText(text, pattern.text)) return false;
      break;
  }
  const PatternToken* tokens = pattern.tokens.data();
  const std::size_t n = pattern.tokens.size();
  if (!pattern.has_variables)
    return globMatchAny(pattern, [&](std::size_t i) { return std::string_view(tokens[i].text); }, text, arn_components);

  // Resolve variables first; a fixed array keeps this allocation-free for
  // every pattern of reasonable size.
  constexpr std::size_t kInline = 32;
  // (Plain pointer/size pairs: an array of string_view would be zeroed on
  // every call.)
  struct View {
    const char* data;
    std::size_t size;
  };
  View inline_views[kInline];
  std::vector<View> heap_views;
  View* views = inline_views;
  if (n > kInline) {
    heap_views.resize(n);
    views = heap_views.data();
  }
  for (std::size_t i = 0; i < n; ++i) {
    const PatternToken& t = tokens[i];
    if (t.kind == PatternToken::Variable) {
      auto value = resolveVariable(t, keys);
      if (!value) {
        if (missing != nullptr && std::find(missing->begin(), missing->end(), t.written) == missing->end())
          missing->push_back(t.written);
        return false;  // an unresolved variable matches nothing
      }
      views[i] = {value->data(), value->size()};
    }
  }
  // Literals are read from their tokens; views[] holds only the variables.
  return globMatchAny(
      pattern,
      [&](std::size_t i) {
        return tokens[i].kind == PatternToken::Variable ? std::string_view(views[i].data, views[i].size)
                                                        : std::string_view(tokens[i].text);
      },
      text, arn_components);
}

namespace {

// Dotted-quad IPv4 as inet_pton reads it (four decimal parts of 0-255, no
// leading zeros), without copying the text: requests carry aws:SourceIp and
// it is parsed for every IpAddress condition evaluated. Anything else is
// left to inet_pton.
bool parseIpv4Fast(std::string_view text, std::uint8_t* bytes) {
  std::size_t i = 0;
  for (int part = 0; part < 4; ++part) {
    if (part > 0) {
      if (i >= text.size() || text[i] != '.') return false;
      ++i;
    }
    const std::size_t start = i;
    unsigned value = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9' && i - start < 3) value = value * 10 + (text[i++] - '0');
    const std::size_t digits = i - start;
    if (digits == 0 || value > 255 || (digits > 1 && text[start] == '0')) return false;
    bytes[part] = static_cast<std::uint8_t>(value);
  }
  return i == text.size();
}

}  // namespace

bool parseIpNetwork(std::string_view text, IpNetwork& out) {
  if (text.find('/') == std::string_view::npos) {
    out = IpNetwork{};
    if (parseIpv4Fast(text, out.bytes)) {
      out.prefix = 32;
      return true;
    }
  }
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
  for (int i = 0; i < full; ++i)
    if (address.bytes[i] != network.bytes[i]) return false;
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
