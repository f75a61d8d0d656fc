// Compiles botocore's service-2.json into the shape graph of shapes.h.
// The JSON is read with ordered_json because member order is the wire order
// of every response and AWS's order of validation messages.
#include <algorithm>
#include <cctype>
#include <exception>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "shapes.h"

namespace iamlocal::protocol::detail {
namespace {

using ojson = nlohmann::ordered_json;

Result<ShapeType> shapeType(std::string_view type) {
  if (type == "structure") return ShapeType::Structure;
  if (type == "list") return ShapeType::List;
  if (type == "map") return ShapeType::Map;
  if (type == "string" || type == "character") return ShapeType::String;
  if (type == "integer" || type == "short" || type == "byte") return ShapeType::Integer;
  if (type == "long") return ShapeType::Long;
  if (type == "float") return ShapeType::Float;
  if (type == "double") return ShapeType::Double;
  if (type == "boolean") return ShapeType::Boolean;
  if (type == "timestamp") return ShapeType::Timestamp;
  if (type == "blob") return ShapeType::Blob;
  return fail(ErrorCode::InternalFailure, "service model: unsupported shape type '" + std::string(type) + "'");
}

std::string stringField(const ojson& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

bool boolField(const ojson& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_boolean() && it->get<bool>();
}

std::string lowerCamel(std::string_view name) {
  std::string out(name);
  // AWS lowers only the first letter: SAMLMetadataDocument -> sAMLMetadataDocument.
  if (!out.empty()) out[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[0])));
  return out;
}

std::string upperFirst(std::string_view name) {
  std::string out(name);
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

class Compiler {
 public:
  explicit Compiler(CompiledModel& model) : model_(model) {}

  Status compile(const ojson& doc) {
    auto meta = doc.find("metadata");
    if (meta == doc.end() || !meta->is_object()) return fail(ErrorCode::InternalFailure, "service model: no metadata");
    std::string protocol = stringField(*meta, "protocol");
    if (protocol == "query") {
      model_.flavor = Flavor::Query;
    } else if (protocol == "ec2") {
      model_.flavor = Flavor::Ec2;
    } else {
      return fail(ErrorCode::InternalFailure, "service model: unsupported protocol '" + protocol + "'");
    }
    model_.endpoint_prefix = stringField(*meta, "endpointPrefix");
    model_.api_version = stringField(*meta, "apiVersion");
    model_.xml_namespace = stringField(*meta, "xmlNamespace");
    if (model_.xml_namespace.empty()) {
      model_.xml_namespace = "https://" + model_.endpoint_prefix + ".amazonaws.com/doc/" + model_.api_version + "/";
    }
    // botocore's EC2 model says "http://ec2.amazonaws.com/doc/2016-11-15";
    // EC2 itself answers with the trailing slash.
    if (model_.flavor == Flavor::Ec2 && model_.xml_namespace.back() != '/') model_.xml_namespace.push_back('/');

    auto shapes = doc.find("shapes");
    if (shapes == doc.end() || !shapes->is_object()) return fail(ErrorCode::InternalFailure, "service model: no shapes");
    model_.shape_count = shapes->size();
    model_.shapes = std::make_unique<Shape[]>(model_.shape_count);
    std::size_t index = 0;
    for (auto it = shapes->begin(); it != shapes->end(); ++it, ++index) {
      model_.shapes[index].name = it.key();
      by_name_.emplace(it.key(), &model_.shapes[index]);
    }
    index = 0;
    for (auto it = shapes->begin(); it != shapes->end(); ++it, ++index) {
      IAMLOCAL_RETURN_IF_ERROR(compileShape(model_.shapes[index], it.value()));
    }

    auto operations = doc.find("operations");
    if (operations == doc.end() || !operations->is_object()) {
      return fail(ErrorCode::InternalFailure, "service model: no operations");
    }
    for (auto it = operations->begin(); it != operations->end(); ++it) {
      Operation op;
      op.name = it.key();
      const ojson& def = it.value();
      if (auto in = def.find("input"); in != def.end() && in->is_object()) {
        IAMLOCAL_ASSIGN_OR_RETURN(op.input, resolve(stringField(*in, "shape")));
      }
      if (auto out = def.find("output"); out != def.end() && out->is_object()) {
        IAMLOCAL_ASSIGN_OR_RETURN(op.output, resolve(stringField(*out, "shape")));
        op.result_wrapper = stringField(*out, "resultWrapper");
      }
      model_.operations.emplace(op.name, std::move(op));
    }
    return {};
  }

 private:
  Result<const Shape*> resolve(const std::string& name) {
    auto it = by_name_.find(name);
    if (it == by_name_.end()) return fail(ErrorCode::InternalFailure, "service model: unknown shape '" + name + "'");
    return it->second;
  }

  // `name` is the member's name; for list/map parts it is the default
  // element name ("member"/"item", "key", "value").
  Result<MemberRef> compileRef(const ojson& ref, std::string_view name, bool is_member) {
    if (!ref.is_object()) return fail(ErrorCode::InternalFailure, "service model: malformed member reference");
    MemberRef m;
    m.name = std::string(name);
    IAMLOCAL_ASSIGN_OR_RETURN(m.shape, resolve(stringField(ref, "shape")));
    std::string location = stringField(ref, "locationName");
    std::string query = stringField(ref, "queryName");
    m.has_location_name = !location.empty();
    m.xml_name = location.empty() ? m.name : location;
    if (model_.flavor == Flavor::Ec2) {
      // EC2 parameters: queryName, else the capitalised locationName, else the name.
      m.query_name = !query.empty() ? query : !location.empty() ? upperFirst(location) : m.name;
    } else {
      m.query_name = location.empty() ? m.name : location;
    }
    m.path_name = is_member ? lowerCamel(m.name) : m.name;
    m.flattened = boolField(ref, "flattened");
    return m;
  }

  Status compileShape(Shape& shape, const ojson& def) {
    if (!def.is_object()) return fail(ErrorCode::InternalFailure, "service model: malformed shape " + shape.name);
    IAMLOCAL_ASSIGN_OR_RETURN(shape.type, shapeType(stringField(def, "type")));
    shape.flattened = boolField(def, "flattened");
    shape.sensitive = boolField(def, "sensitive");
    if (auto it = def.find("min"); it != def.end() && it->is_number()) {
      shape.has_min = true;
      shape.min = static_cast<std::int64_t>(it->get<double>());
    }
    if (auto it = def.find("max"); it != def.end() && it->is_number()) {
      shape.has_max = true;
      shape.max = it->is_number_integer() ? it->get<std::int64_t>() : static_cast<std::int64_t>(it->get<double>());
    }
    shape.pattern = stringField(def, "pattern");
    if (auto it = def.find("enum"); it != def.end() && it->is_array()) {
      shape.enum_text = "[";
      for (const auto& v : *it) {
        if (!v.is_string()) continue;
        if (!shape.enum_values.empty()) shape.enum_text += ", ";
        shape.enum_values.push_back(v.get<std::string>());
        shape.enum_text += shape.enum_values.back();
      }
      shape.enum_text += "]";
    }
    switch (shape.type) {
      case ShapeType::Structure: {
        auto members = def.find("members");
        if (members != def.end() && members->is_object()) {
          for (auto it = members->begin(); it != members->end(); ++it) {
            IAMLOCAL_ASSIGN_OR_RETURN(MemberRef m, compileRef(it.value(), it.key(), true));
            shape.members.push_back(std::move(m));
          }
        }
        if (shape.members.size() > 0xFFFF) return fail(ErrorCode::InternalFailure, "service model: huge " + shape.name);
        for (std::size_t i = 0; i < shape.members.size(); ++i) shape.members_by_name.push_back(static_cast<std::uint16_t>(i));
        std::sort(shape.members_by_name.begin(), shape.members_by_name.end(),
                  [&](std::uint16_t a, std::uint16_t b) { return shape.members[a].name < shape.members[b].name; });
        if (auto req = def.find("required"); req != def.end() && req->is_array()) {
          for (const auto& r : *req) {
            if (!r.is_string()) continue;
            for (MemberRef& m : shape.members)
              if (m.name == r.get_ref<const std::string&>()) m.required = true;
          }
        }
        break;
      }
      case ShapeType::List: {
        auto member = def.find("member");
        if (member == def.end()) return fail(ErrorCode::InternalFailure, "service model: list without member " + shape.name);
        IAMLOCAL_ASSIGN_OR_RETURN(MemberRef m, compileRef(*member, "member", false));
        if (!m.has_location_name) {
          m.xml_name = model_.flavor == Flavor::Ec2 ? "item" : "member";
          m.query_name = "member";
        }
        shape.members.push_back(std::move(m));
        break;
      }
      case ShapeType::Map: {
        auto key = def.find("key");
        auto value = def.find("value");
        if (key == def.end() || value == def.end()) {
          return fail(ErrorCode::InternalFailure, "service model: map without key/value " + shape.name);
        }
        IAMLOCAL_ASSIGN_OR_RETURN(MemberRef k, compileRef(*key, "key", false));
        IAMLOCAL_ASSIGN_OR_RETURN(MemberRef v, compileRef(*value, "value", false));
        shape.members.push_back(std::move(k));
        shape.members.push_back(std::move(v));
        break;
      }
      default:
        break;
    }
    return {};
  }

  CompiledModel& model_;
  std::unordered_map<std::string, Shape*> by_name_;
};

}  // namespace

Result<std::unique_ptr<CompiledModel>> compileModel(std::string_view json_text) {
  // Not on the request path, but parse() promises a Result, so nothing throws out.
  try {
    ojson doc = ojson::parse(json_text, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded() || !doc.is_object()) {
      return fail(ErrorCode::InternalFailure, "service model: not a JSON object");
    }
    auto model = std::make_unique<CompiledModel>();
    Compiler compiler(*model);
    IAMLOCAL_RETURN_IF_ERROR(compiler.compile(doc));
    return model;
  } catch (const std::exception& e) {
    return fail(ErrorCode::InternalFailure, std::string("service model: ") + e.what());
  }
}

}  // namespace iamlocal::protocol::detail
