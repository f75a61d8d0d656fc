// Checks a decoded input tree against the model's constraints the way AWS's
// query services do: every violation is collected, in member order, and
// reported at once as
//   "2 validation errors detected: Value 'a b' at 'roleName' failed to
//    satisfy constraint: Member must satisfy regular expression pattern:
//    [\w+=,.@-]+; Value null at 'assumeRolePolicyDocument' failed to satisfy
//    constraint: Member must not be null"
// with paths in lowerCamel, list elements as 'tags.1.member.key'. Values of
// sensitive members are not echoed ("Value at 'password' ..."), as AWS does.
// EC2 reports only the first problem, as MissingParameter or
// InvalidParameterValue, naming the parameter as sent.
#include <charconv>
#include <string>
#include <vector>

#include "shapes.h"

namespace iamlocal::protocol::detail {
namespace {

using json = nlohmann::json;

void renderValue(std::string& out, const json& v) {
  switch (v.type()) {
    case json::value_t::string:
      out += v.get_ref<const std::string&>();
      break;
    case json::value_t::array: {
      // Java's List.toString: [a, b]
      out.push_back('[');
      bool first = true;
      for (const auto& item : v) {
        if (!first) out += ", ";
        first = false;
        renderValue(out, item);
      }
      out.push_back(']');
      break;
    }
    case json::value_t::object: {
      out.push_back('{');
      bool first = true;
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (!first) out += ", ";
        first = false;
        out += it.key();
        out.push_back('=');
        renderValue(out, it.value());
      }
      out.push_back('}');
      break;
    }
    case json::value_t::null:
      out += "null";
      break;
    default:
      out += v.dump();
  }
}

std::string numberText(std::int64_t n) {
  char buf[24];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, n);
  (void)ec;
  return std::string(buf, ptr);
}

struct Violation {
  bool missing = false;
  std::string path;     // lowerCamel path (query) or wire name (EC2)
  std::string value;    // rendered value
  bool hide_value = false;
  std::string constraint;
};

class Validator {
 public:
  explicit Validator(Flavor flavor) : flavor_(flavor) {}

  void structure(const Shape& shape, const json& obj) {
    for (const MemberRef& m : shape.members) {
      std::size_t mark = enter(m);
      auto it = obj.is_object() ? obj.find(m.name) : obj.end();
      if (it == obj.end() || it->is_null()) {
        if (m.required) {
          Violation v;
          v.missing = true;
          v.path = path_;
          v.constraint = "Member must not be null";
          violations_.push_back(std::move(v));
        }
      } else {
        value(m, *it);
      }
      path_.resize(mark);
    }
  }

  const std::vector<Violation>& violations() const { return violations_; }

 private:
  std::size_t enter(const MemberRef& m) {
    std::size_t mark = path_.size();
    if (!path_.empty()) path_.push_back('.');
    path_ += flavor_ == Flavor::Ec2 ? m.query_name : m.path_name;
    return mark;
  }

  std::size_t enterSegment(std::string_view segment) {
    std::size_t mark = path_.size();
    if (!path_.empty()) path_.push_back('.');
    path_ += segment;
    return mark;
  }

  void add(const Shape& shape, const json& v, std::string constraint) {
    Violation violation;
    violation.path = path_;
    violation.hide_value = shape.sensitive;
    if (!shape.sensitive) renderValue(violation.value, v);
    violation.constraint = std::move(constraint);
    violations_.push_back(std::move(violation));
  }

  void lengthChecks(const Shape& shape, const json& v, std::size_t length) {
    if (shape.has_min && static_cast<std::int64_t>(length) < shape.min)
      add(shape, v, "Member must have length greater than or equal to " + numberText(shape.min));
    if (shape.has_max && static_cast<std::int64_t>(length) > shape.max)
      add(shape, v, "Member must have length less than or equal to " + numberText(shape.max));
  }

  void value(const MemberRef& ref, const json& v) {
    const Shape& shape = *ref.shape;
    switch (shape.type) {
      case ShapeType::String: {
        if (!v.is_string()) return;
        const std::string& s = v.get_ref<const std::string&>();
        lengthChecks(shape, v, codePointLength(s));
        if (!shape.pattern.empty()) {
          const JavaPattern* pattern = shape.compiledPattern();
          if (pattern != nullptr && !pattern->matches(s))
            add(shape, v, "Member must satisfy regular expression pattern: " + shape.pattern);
        }
        if (!shape.enum_values.empty()) {
          bool known = false;
          for (const auto& e : shape.enum_values) known = known || e == s;
          if (!known) add(shape, v, "Member must satisfy enum value set: " + shape.enum_text);
        }
        return;
      }
      case ShapeType::Blob:
        if (v.is_string()) lengthChecks(shape, v, v.get_ref<const std::string&>().size());
        return;
      case ShapeType::Integer:
      case ShapeType::Long:
      case ShapeType::Float:
      case ShapeType::Double: {
        if (!v.is_number()) return;
        double n = v.get<double>();
        if (shape.has_min && n < static_cast<double>(shape.min))
          add(shape, v, "Member must have value greater than or equal to " + numberText(shape.min));
        if (shape.has_max && n > static_cast<double>(shape.max))
          add(shape, v, "Member must have value less than or equal to " + numberText(shape.max));
        return;
      }
      case ShapeType::Structure:
        structure(shape, v);
        return;
      case ShapeType::List: {
        if (!v.is_array()) return;
        lengthChecks(shape, v, v.size());
        std::size_t index = 0;
        for (const auto& item : v) {
          ++index;
          // Query: 'tags.1.member'; EC2: 'Tag.1'.
          std::size_t mark = enterSegment(numberText(static_cast<std::int64_t>(index)));
          if (flavor_ == Flavor::Query) path_ += ".member";
          value(shape.element(), item);
          path_.resize(mark);
        }
        return;
      }
      case ShapeType::Map: {
        if (!v.is_object()) return;
        lengthChecks(shape, v, v.size());
        // AWS folds the key and value problems of a map into one message each:
        // "Map keys must satisfy constraint: [Member must ..., ...]".
        mapPart(shape, v, shape.key(), true);
        mapPart(shape, v, shape.value(), false);
        return;
      }
      default:
        return;
    }
  }

  void mapPart(const Shape& shape, const json& map, const MemberRef& part, bool keys) {
    std::vector<std::string> failed;
    for (auto it = map.begin(); it != map.end(); ++it) {
      Validator inner(flavor_);
      json item = keys ? json(it.key()) : it.value();
      inner.value(part, item);
      for (const Violation& v : inner.violations()) {
        bool seen = false;
        for (const auto& f : failed) seen = seen || f == v.constraint;
        if (!seen) failed.push_back(v.constraint);
      }
    }
    if (failed.empty()) return;
    std::string constraint = keys ? "Map keys must satisfy constraint: [" : "Map value must satisfy constraint: [";
    for (std::size_t i = 0; i < failed.size(); ++i) {
      if (i > 0) constraint += ", ";
      constraint += failed[i];
    }
    constraint += "]";
    add(shape, map, std::move(constraint));
  }

  Flavor flavor_;
  std::string path_;
  std::vector<Violation> violations_;
};

}  // namespace

Status validateInput(const CompiledModel& model, const Shape& shape, const nlohmann::json& input) {
  Validator validator(model.flavor);
  validator.structure(shape, input);
  const auto& violations = validator.violations();
  if (violations.empty()) return {};

  if (model.flavor == Flavor::Ec2) {
    const Violation& first = violations.front();
    if (first.missing) {
      return fail(ErrorCode::MissingParameter, "The request must contain the parameter " + first.path);
    }
    std::string message = "Value (" + (first.hide_value ? std::string("***") : first.value) + ") for parameter " +
                          first.path + " is invalid. " + first.constraint;
    return fail(ErrorCode::InvalidParameterValue, std::move(message));
  }

  std::string message = numberText(static_cast<std::int64_t>(violations.size()));
  message += violations.size() == 1 ? " validation error detected: " : " validation errors detected: ";
  bool first = true;
  for (const Violation& v : violations) {
    if (!first) message += "; ";
    first = false;
    if (v.missing) {
      message += "Value null at '";
    } else if (v.hide_value) {
      message += "Value at '";
    } else {
      message += "Value '";
      message += v.value;
      message += "' at '";
    }
    message += v.path;
    message += "' failed to satisfy constraint: ";
    message += v.constraint;
  }
  return fail(ErrorCode::ValidationError, std::move(message));
}

}  // namespace iamlocal::protocol::detail
