// Typed output tree -> AWS's XML response, appended to one string straight
// from the compiled shapes (no DOM: a 100-role ListRoles page is on the hot
// path). Members come out in the output shape's model order, whatever the
// order of the tree; absent and null members are omitted.
#include <algorithm>
#include <array>
#include <charconv>
#include <iterator>
#include <cmath>
#include <cstdio>
#include <ctime>

#include "iamlocal/core/clock.h"
#include "shapes.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace iamlocal::protocol::detail {
namespace {

using json = nlohmann::json;

// XML character data. Same escapes as core's appendXmlEscaped, but copies
// unescaped runs in one go since response text is mostly plain.
constexpr std::array<bool, 256> kNeedsEscape = [] {
  std::array<bool, 256> table{};
  for (unsigned char c : {'&', '<', '>', '"', '\'', '\r'}) table[c] = true;
  return table;
}();

// Index of the first byte at or after `i` that needs escaping, or s.size().
// With SSE2, 16 bytes are checked at once: response text is mostly plain, and
// a page of 100 roles is 46 KB of it.
std::size_t nextEscape(std::string_view s, std::size_t i) {
#if defined(__SSE2__)
  const __m128i amp = _mm_set1_epi8('&'), lt = _mm_set1_epi8('<'), gt = _mm_set1_epi8('>');
  const __m128i quot = _mm_set1_epi8('"'), apos = _mm_set1_epi8('\''), cr = _mm_set1_epi8('\r');
  for (; i + 16 <= s.size(); i += 16) {
    __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    __m128i hits = _mm_or_si128(
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(chunk, amp), _mm_cmpeq_epi8(chunk, lt)),
                     _mm_or_si128(_mm_cmpeq_epi8(chunk, gt), _mm_cmpeq_epi8(chunk, quot))),
        _mm_or_si128(_mm_cmpeq_epi8(chunk, apos), _mm_cmpeq_epi8(chunk, cr)));
    if (int mask = _mm_movemask_epi8(hits)) return i + static_cast<std::size_t>(__builtin_ctz(mask));
  }
#endif
  for (; i < s.size(); ++i)
    if (kNeedsEscape[static_cast<unsigned char>(s[i])]) return i;
  return s.size();
}

void appendEscaped(std::string& out, std::string_view s) {
  std::size_t start = 0;
  for (std::size_t i = nextEscape(s, 0); i < s.size(); i = nextEscape(s, start)) {
    const char* replacement = "";
    switch (s[i]) {
      case '&': replacement = "&amp;"; break;
      case '<': replacement = "&lt;"; break;
      case '>': replacement = "&gt;"; break;
      case '"': replacement = "&quot;"; break;
      case '\'': replacement = "&apos;"; break;
      case '\r': replacement = "&#xD;"; break;
      default: break;
    }
    out.append(s.data() + start, i - start);
    out += replacement;
    start = i + 1;
  }
  out.append(s.data() + start, s.size() - start);
}

void appendInteger(std::string& out, std::int64_t n) {
  char buf[24];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, n);
  (void)ec;
  out.append(buf, ptr);
}

void appendDouble(std::string& out, double d) {
  char buf[32];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, d);
  (void)ec;
  out.append(buf, ptr);
}

void openTag(std::string& out, std::string_view name) {
  out.push_back('<');
  out += name;
  out.push_back('>');
}

void closeTag(std::string& out, std::string_view name) {
  out += "</";
  out += name;
  out.push_back('>');
}

// Seconds since the epoch -> "2024-01-31T12:00:00Z", for handlers that give
// a number where the model has a timestamp.
void appendIsoTimestamp(std::string& out, double seconds) {
  auto t = static_cast<std::time_t>(std::floor(seconds));
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  out.append(buf, n);
}

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  void members(const Shape& shape, const json& obj) {
    if (!obj.is_object()) return;
    // Pair the object's keys (sorted: nlohmann's object is a std::map) with
    // the members in name order in one merge pass, then write in model order.
    const auto& items = obj.get_ref<const json::object_t&>();
    const std::size_t count = shape.members.size();
    const json* stack_slots[32];
    std::vector<const json*> heap_slots;
    const json** slots = stack_slots;
    if (count > std::size(stack_slots)) {
      heap_slots.resize(count);
      slots = heap_slots.data();
    }
    std::fill_n(slots, count, nullptr);
    auto it = items.begin();
    std::size_t k = 0;
    while (it != items.end() && k < count) {
      std::uint16_t index = shape.members_by_name[k];
      int order = it->first.compare(shape.members[index].name);
      if (order < 0) {
        ++it;
      } else if (order > 0) {
        ++k;
      } else {
        slots[index] = &it->second;
        ++it;
        ++k;
      }
    }
    for (std::size_t i = 0; i < count; ++i) {
      if (slots[i] == nullptr || slots[i]->is_null()) continue;
      value(shape.members[i], shape.members[i].xml_name, *slots[i]);
    }
  }

 private:
  bool isFlattened(const MemberRef& ref) const { return ref.flattened || ref.shape->flattened; }

  void value(const MemberRef& ref, std::string_view name, const json& v) {
    const Shape& shape = *ref.shape;
    switch (shape.type) {
      case ShapeType::Structure:
        openTag(out_, name);
        members(shape, v);
        closeTag(out_, name);
        return;
      case ShapeType::List:
        list(ref, name, v);
        return;
      case ShapeType::Map:
        map(ref, name, v);
        return;
      default:
        scalar(shape, name, v);
    }
  }

  void list(const MemberRef& ref, std::string_view name, const json& v) {
    const MemberRef& element = ref.shape->element();
    if (v.is_binary() && v.get_binary().has_subtype() && v.get_binary().subtype() == kPreRenderedXmlSubtype) {
      // Elements an XmlListWriter rendered from this same model.
      const auto& bytes = v.get_binary();
      if (isFlattened(ref)) {
        out_.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
      } else if (bytes.empty()) {
        out_.push_back('<');
        out_ += name;
        out_ += "/>";
      } else {
        openTag(out_, name);
        out_.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
        closeTag(out_, name);
      }
      return;
    }
    if (isFlattened(ref)) {
      // Repeated elements, named after the element's locationName if it has one.
      std::string_view item_name = element.has_location_name ? std::string_view(element.xml_name) : name;
      if (v.is_array()) {
        for (const auto& item : v)
          if (!item.is_null()) value(element, item_name, item);
      }
      return;
    }
    if (!v.is_array() || v.empty()) {
      out_.push_back('<');
      out_ += name;
      out_ += "/>";
      return;
    }
    openTag(out_, name);
    for (const auto& item : v)
      if (!item.is_null()) value(element, element.xml_name, item);
    closeTag(out_, name);
  }

  void map(const MemberRef& ref, std::string_view name, const json& v) {
    const Shape& shape = *ref.shape;
    if (!v.is_object()) return;
    bool flattened = isFlattened(ref);
    if (!flattened) openTag(out_, name);
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (it.value().is_null()) continue;
      openTag(out_, flattened ? name : std::string_view("entry"));
      openTag(out_, shape.key().xml_name);
      appendEscaped(out_, it.key());
      closeTag(out_, shape.key().xml_name);
      value(shape.value(), shape.value().xml_name, it.value());
      closeTag(out_, flattened ? name : std::string_view("entry"));
    }
    if (!flattened) closeTag(out_, name);
  }

  void scalar(const Shape& shape, std::string_view name, const json& v) {
    openTag(out_, name);
    switch (v.type()) {
      case json::value_t::string:
        if (shape.type == ShapeType::Blob) {
          out_ += base64Encode(v.get_ref<const std::string&>());
        } else {
          appendEscaped(out_, v.get_ref<const std::string&>());
        }
        break;
      case json::value_t::boolean:
        out_ += v.get<bool>() ? "true" : "false";
        break;
      case json::value_t::number_integer:
      case json::value_t::number_unsigned:
        if (shape.type == ShapeType::Timestamp) {
          appendIsoTimestamp(out_, v.get<double>());
        } else if (v.is_number_unsigned()) {
          char buf[24];
          auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v.get<std::uint64_t>());
          (void)ec;
          out_.append(buf, ptr);
        } else {
          appendInteger(out_, v.get<std::int64_t>());
        }
        break;
      case json::value_t::number_float:
        if (shape.type == ShapeType::Timestamp) {
          appendIsoTimestamp(out_, v.get<double>());
        } else if (shape.type == ShapeType::Integer || shape.type == ShapeType::Long) {
          appendInteger(out_, static_cast<std::int64_t>(v.get<double>()));
        } else {
          appendDouble(out_, v.get<double>());
        }
        break;
      default:
        // A structure or array where the model wants a scalar: the handler's
        // bug, but still well-formed XML.
        appendEscaped(out_, v.dump());
    }
    closeTag(out_, name);
  }

  std::string& out_;
};

bool isScalar(ShapeType type) {
  return type != ShapeType::Structure && type != ShapeType::List && type != ShapeType::Map;
}

void writeScalarField(const Shape& shape, std::string_view name, const ScalarField& field, std::string& out) {
  openTag(out, name);
  if (const auto* text = std::get_if<std::string_view>(&field.value)) {
    if (shape.type == ShapeType::Blob) {
      out += base64Encode(*text);
    } else {
      appendEscaped(out, *text);
    }
  } else if (const auto* number = std::get_if<std::int64_t>(&field.value)) {
    if (shape.type == ShapeType::Timestamp) {
      appendIsoTimestamp(out, static_cast<double>(*number));
    } else {
      appendInteger(out, *number);
    }
  } else if (const auto* flag = std::get_if<bool>(&field.value)) {
    out += *flag ? "true" : "false";
  } else {
    out += formatIso8601(std::get<TimePoint>(field.value));
  }
  closeTag(out, name);
}

}  // namespace

void writeScalarStructure(const Shape& shape, std::string_view element_name, std::span<const ScalarField> fields,
                          std::string& out) {
  // Each field finds its member by name (binary search over the name order),
  // then the members are written in model order.
  const std::size_t count = shape.members.size();
  const ScalarField* stack_slots[32];
  std::vector<const ScalarField*> heap_slots;
  const ScalarField** slots = stack_slots;
  if (count > std::size(stack_slots)) {
    heap_slots.resize(count);
    slots = heap_slots.data();
  }
  std::fill_n(slots, count, nullptr);
  for (const auto& field : fields) {
    auto it = std::lower_bound(shape.members_by_name.begin(), shape.members_by_name.end(), field.member,
                               [&](std::uint16_t i, std::string_view name) { return shape.members[i].name < name; });
    if (it != shape.members_by_name.end() && shape.members[*it].name == field.member) slots[*it] = &field;
  }
  openTag(out, element_name);
  for (std::size_t i = 0; i < count; ++i) {
    const MemberRef& member = shape.members[i];
    // Nested members need the json tree; the caller's contract excludes them.
    if (slots[i] == nullptr || !isScalar(member.shape->type)) continue;
    writeScalarField(*member.shape, member.xml_name, *slots[i], out);
  }
  closeTag(out, element_name);
}

std::string writeResponse(const CompiledModel& model, const Operation& op, const nlohmann::json& output,
                          std::string_view request_id) {
  std::string out;
  out.reserve(2048);
  Writer writer(out);
  if (model.flavor == Flavor::Ec2) {
    // EC2: members directly under the response element, requestId first.
    out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<";
    out += op.name;
    out += "Response xmlns=\"";
    out += model.xml_namespace;
    out += "\"><requestId>";
    appendEscaped(out, request_id);
    out += "</requestId>";
    if (op.output != nullptr) writer.members(*op.output, output);
    out += "</";
    out += op.name;
    out += "Response>";
    return out;
  }
  out += '<';
  out += op.name;
  out += "Response xmlns=\"";
  out += model.xml_namespace;
  out += "\">";
  if (op.output != nullptr) {
    if (!op.result_wrapper.empty()) openTag(out, op.result_wrapper);
    writer.members(*op.output, output);
    if (!op.result_wrapper.empty()) closeTag(out, op.result_wrapper);
  }
  out += "<ResponseMetadata><RequestId>";
  appendEscaped(out, request_id);
  out += "</RequestId></ResponseMetadata></";
  out += op.name;
  out += "Response>";
  return out;
}

std::string writeError(Flavor flavor, std::string_view xml_namespace, const Error& error,
                       std::string_view request_id) {
  std::string out;
  out.reserve(256 + error.message.size());
  if (flavor == Flavor::Ec2) {
    out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>";
    appendEscaped(out, error.codeName());
    out += "</Code><Message>";
    appendEscaped(out, error.message);
    out += "</Message></Error></Errors><RequestID>";
    appendEscaped(out, request_id);
    out += "</RequestID></Response>";
    return out;
  }
  out += "<ErrorResponse xmlns=\"";
  out += xml_namespace;
  out += "\"><Error><Type>";
  out += errorIsSender(error.code) ? "Sender" : "Receiver";
  out += "</Type><Code>";
  appendEscaped(out, error.codeName());
  out += "</Code><Message>";
  appendEscaped(out, error.message);
  out += "</Message></Error><RequestId>";
  appendEscaped(out, request_id);
  out += "</RequestId></ErrorResponse>";
  return out;
}

}  // namespace iamlocal::protocol::detail
