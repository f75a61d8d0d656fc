// Query-protocol request parameters (Name.member.1.Key=...) -> the typed
// input tree, walking the operation's input shape. The parameters are first
// folded into a small tree keyed by dotted name segment, so each shape only
// looks at the names that belong to it; names the model does not know
// (Action, Version, typos) are never visited and so are ignored, as AWS does.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>

#include "iamlocal/core/strings.h"
#include "shapes.h"

namespace iamlocal::protocol::detail {
namespace {

using json = nlohmann::json;

struct ParamNode {
  std::string_view segment;
  const std::string* value = nullptr;
  std::vector<ParamNode> children;

  const ParamNode* find(std::string_view name) const {
    // Parameters usually arrive grouped, so the newest child is the likeliest.
    for (auto it = children.rbegin(); it != children.rend(); ++it)
      if (it->segment == name) return &*it;
    return nullptr;
  }
};

ParamNode buildTree(const QueryParams& params) {
  ParamNode root;
  for (const auto& [name, value] : params) {
    ParamNode* node = &root;
    std::string_view rest = name;
    while (true) {
      std::size_t dot = rest.find('.');
      std::string_view segment = rest.substr(0, dot);
      ParamNode* next = nullptr;
      for (auto it = node->children.rbegin(); it != node->children.rend(); ++it) {
        if (it->segment == segment) {
          next = &*it;
          break;
        }
      }
      if (next == nullptr) {
        node->children.push_back(ParamNode{segment, nullptr, {}});
        next = &node->children.back();
      }
      node = next;
      if (dot == std::string_view::npos) break;
      rest.remove_prefix(dot + 1);
    }
    node->value = &value;  // a repeated name: the last one wins
  }
  return root;
}

// List/map positions: "1", "2", ... in numeric order; gaps close up.
std::vector<std::pair<std::uint64_t, const ParamNode*>> indexedChildren(const ParamNode& node) {
  std::vector<std::pair<std::uint64_t, const ParamNode*>> out;
  for (const ParamNode& child : node.children) {
    std::uint64_t index = 0;
    auto [ptr, ec] = std::from_chars(child.segment.data(), child.segment.data() + child.segment.size(), index);
    if (ec != std::errc() || ptr != child.segment.data() + child.segment.size() || child.segment.empty()) continue;
    out.emplace_back(index, &child);
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

bool parseInteger(std::string_view text, std::int64_t lo, std::int64_t hi, std::int64_t& out) {
  // Java's parseInt/parseLong accept a leading '+'; from_chars does not.
  if (text.size() > 1 && text[0] == '+' && text[1] != '-') text.remove_prefix(1);
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size() && !text.empty() && out >= lo && out <= hi;
}

bool parseDouble(std::string_view text, double& out) {
  if (text.size() > 1 && text[0] == '+' && text[1] != '-') text.remove_prefix(1);
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size() && !text.empty() && std::isfinite(out);
}

bool allDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// ISO 8601 date-time as clients send it: YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM).
bool isIso8601(std::string_view s) {
  if (s.size() < 20) return false;
  auto digitsAt = [&](std::size_t pos, std::size_t n) { return allDigits(s.substr(pos, n)); };
  if (!digitsAt(0, 4) || s[4] != '-' || !digitsAt(5, 2) || s[7] != '-' || !digitsAt(8, 2) ||
      (s[10] != 'T' && s[10] != 't') || !digitsAt(11, 2) || s[13] != ':' || !digitsAt(14, 2) || s[16] != ':' ||
      !digitsAt(17, 2)) {
    return false;
  }
  std::size_t i = 19;
  if (i < s.size() && s[i] == '.') {
    std::size_t start = ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == start) return false;
  }
  std::string_view zone = s.substr(i);
  if (zone == "Z" || zone == "z") return true;
  return zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && digitsAt(i + 1, 2) && zone[3] == ':' &&
         digitsAt(i + 4, 2);
}

std::string isoFromEpoch(double seconds) {
  auto whole = static_cast<std::int64_t>(std::floor(seconds));
  std::int64_t days = whole >= 0 ? whole / 86400 : (whole - 86399) / 86400;
  std::int64_t secs = whole - days * 86400;
  // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
  std::int64_t z = days + 719468;
  std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  std::int64_t doe = z - era * 146097;
  std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t y = yoe + era * 400;
  std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  std::int64_t mp = (5 * doy + 2) / 153;
  std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  char buf[128];
  std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ", static_cast<long long>(y),
                static_cast<long long>(m), static_cast<long long>(d), static_cast<long long>(secs / 3600),
                static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60));
  return buf;
}

class Decoder {
 public:
  explicit Decoder(const CompiledModel& model) : model_(model) {}

  Status structure(const Shape& shape, const ParamNode& node, json& out) {
    out = json::object();
    for (const MemberRef& m : shape.members) {
      std::string_view name = m.query_name;
      // botocore names a flattened list after its element's locationName.
      if (model_.flavor == Flavor::Query && m.shape->type == ShapeType::List && isFlattened(m) &&
          m.shape->element().has_location_name) {
        name = m.shape->element().query_name;
      }
      const ParamNode* child = node.find(name);
      if (child == nullptr) continue;
      std::size_t mark = enter(name);
      json value;
      bool present = false;
      IAMLOCAL_RETURN_IF_ERROR(decode(m, *child, value, present));
      leave(mark);
      if (present) out[m.name] = std::move(value);
    }
    return {};
  }

 private:
  bool isFlattened(const MemberRef& ref) const { return ref.flattened || ref.shape->flattened; }

  std::size_t enter(std::string_view segment) {
    std::size_t mark = wire_.size();
    if (!wire_.empty()) wire_.push_back('.');
    wire_.append(segment);
    return mark;
  }
  void leave(std::size_t mark) { wire_.resize(mark); }

  Status malformed(std::string_view value, std::string_view expected) const {
    // Decision: a scalar that does not parse as its shape's type (MaxItems=abc)
    // is InvalidParameterValue (400), the code IAM's and STS's API references
    // list among the common errors for "an invalid or out-of-range value
    // supplied for the input parameter". AWS publishes no text for it, so the
    // message quotes the value and names the parameter, as ours always do.
    return fail(ErrorCode::InvalidParameterValue, "Invalid value '" + std::string(value) + "' for parameter " +
                                                      wire_ + ": expected " + std::string(expected));
  }

  Status decode(const MemberRef& ref, const ParamNode& node, json& out, bool& present) {
    const Shape& shape = *ref.shape;
    switch (shape.type) {
      case ShapeType::Structure:
        IAMLOCAL_RETURN_IF_ERROR(structure(shape, node, out));
        present = !out.empty();
        return {};
      case ShapeType::List:
        return list(ref, node, out, present);
      case ShapeType::Map:
        return map(ref, node, out, present);
      default:
        break;
    }
    if (node.value == nullptr) return {};  // only deeper names: not this scalar
    const std::string& text = *node.value;
    present = true;
    switch (shape.type) {
      case ShapeType::String:
        out = text;
        return {};
      case ShapeType::Integer: {
        std::int64_t v;
        if (!parseInteger(text, std::numeric_limits<std::int32_t>::min(), std::numeric_limits<std::int32_t>::max(), v))
          return malformed(text, "an integer");
        out = v;
        return {};
      }
      case ShapeType::Long: {
        std::int64_t v;
        if (!parseInteger(text, std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max(), v))
          return malformed(text, "a long integer");
        out = v;
        return {};
      }
      case ShapeType::Float:
      case ShapeType::Double: {
        double v;
        if (!parseDouble(text, v)) return malformed(text, "a number");
        out = v;
        return {};
      }
      case ShapeType::Boolean:
        if (iequals(text, "true")) {
          out = true;
        } else if (iequals(text, "false")) {
          out = false;
        } else {
          return malformed(text, "true or false");
        }
        return {};
      case ShapeType::Timestamp: {
        double epoch;
        if (isIso8601(text)) {
          out = text;
        } else if (parseDouble(text, epoch) && std::fabs(epoch) < 253402300800.0) {
          out = isoFromEpoch(epoch);
        } else {
          return malformed(text, "an ISO 8601 timestamp");
        }
        return {};
      }
      case ShapeType::Blob: {
        std::string bytes;
        if (!base64Decode(text, bytes)) return malformed(text, "base64-encoded data");
        out = std::move(bytes);
        return {};
      }
      default:
        return {};
    }
  }

  Status list(const MemberRef& ref, const ParamNode& node, json& out, bool& present) {
    const Shape& shape = *ref.shape;
    const MemberRef& element = shape.element();
    const ParamNode* container = &node;
    std::size_t mark = wire_.size();
    // EC2 always writes Name.N; the query protocol Name.member.N unless flattened.
    if (model_.flavor == Flavor::Query && !isFlattened(ref)) {
      container = node.find(element.query_name);
      if (container != nullptr) enter(element.query_name);
    }
    out = json::array();
    if (container == nullptr) {
      // "Tags=" with nothing under it is how botocore sends an empty list.
      present = node.value != nullptr && node.value->empty() && node.children.empty();
      return {};
    }
    present = true;
    for (const auto& [index, child] : indexedChildren(*container)) {
      std::size_t item_mark = enter(child->segment);
      json value;
      bool item_present = false;
      IAMLOCAL_RETURN_IF_ERROR(decode(element, *child, value, item_present));
      leave(item_mark);
      if (item_present) out.push_back(std::move(value));
    }
    leave(mark);
    return {};
  }

  Status map(const MemberRef& ref, const ParamNode& node, json& out, bool& present) {
    const Shape& shape = *ref.shape;
    const ParamNode* container = &node;
    std::size_t mark = wire_.size();
    if (!isFlattened(ref)) {
      container = node.find("entry");
      if (container != nullptr) enter("entry");
    }
    out = json::object();
    if (container == nullptr) {
      present = node.value != nullptr && node.value->empty() && node.children.empty();
      return {};
    }
    present = true;
    for (const auto& [index, entry] : indexedChildren(*container)) {
      const ParamNode* key = entry->find(shape.key().query_name);
      const ParamNode* value = entry->find(shape.value().query_name);
      if (key == nullptr || key->value == nullptr || value == nullptr) continue;
      std::size_t entry_mark = enter(entry->segment);
      enter(shape.value().query_name);
      json decoded;
      bool value_present = false;
      IAMLOCAL_RETURN_IF_ERROR(decode(shape.value(), *value, decoded, value_present));
      leave(entry_mark);
      if (value_present) out[*key->value] = std::move(decoded);
    }
    leave(mark);
    return {};
  }

  const CompiledModel& model_;
  std::string wire_;  // the parameter name being decoded, for messages
};

}  // namespace

Result<nlohmann::json> decodeParams(const CompiledModel& model, const Operation& op, const QueryParams& params) {
  json input = json::object();
  if (op.input == nullptr) return input;
  ParamNode root = buildTree(params);
  Decoder decoder(model);
  IAMLOCAL_RETURN_IF_ERROR(decoder.structure(*op.input, root, input));
  return input;
}

}  // namespace iamlocal::protocol::detail
