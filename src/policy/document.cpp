// Parsing: nlohmann builds the values, a small scanner over the same text
// finds where each statement starts and ends (nlohmann keeps no positions).
#include "iamlocal/policy/document.h"

#include <nlohmann/json.hpp>

namespace iamlocal::policy {
namespace {

using nlohmann::json;

// Walks JSON text that nlohmann already accepted, tracking line and column,
// and records the span and member keys of every statement object.
class PositionScanner {
 public:
  explicit PositionScanner(std::string_view text) : text_(text) {}

  struct StatementSpan {
    Position start, end;
    std::vector<std::pair<std::string, Position>> keys;
  };

  // Spans of the elements of the top-level "Statement" (one when it is an
  // object); the last "Statement" member wins, as it does in nlohmann.
  std::vector<StatementSpan> scan() {
    std::vector<StatementSpan> spans;
    skipSpace();
    if (peek() != '{') return spans;
    advance();
    skipSpace();
    if (peek() == '}') return spans;
    while (pos_ < text_.size()) {
      skipSpace();
      std::string key = readString();
      skipSpace();
      advance();  // ':'
      skipSpace();
      if (key == "Statement") {
        spans.clear();
        if (peek() == '[') {
          advance();
          skipSpace();
          if (peek() == ']') {
            advance();
          } else {
            while (pos_ < text_.size()) {
              skipSpace();
              spans.push_back(spanOfValue());
              skipSpace();
              if (peek() == ',') { advance(); continue; }
              advance();  // ']'
              break;
            }
          }
        } else {
          spans.push_back(spanOfValue());
        }
      } else {
        skipValue();
      }
      skipSpace();
      if (peek() == ',') { advance(); continue; }
      break;
    }
    return spans;
  }

 private:
  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  Position here() const { return {line_, column_}; }
  void advance() {
    if (pos_ >= text_.size()) return;
    const char c = text_[pos_++];
    if (c == '\n') {
      ++line_;
      column_ = 1;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++column_;
    } else {
      // A UTF-8 continuation byte belongs to the character already counted.
    }
  }
  void skipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r'))
      advance();
  }
  std::string readString() {
    std::string out;
    advance();  // opening quote
    while (pos_ < text_.size() && text_[pos_] != '"') {
      if (text_[pos_] == '\\') {
        advance();
        const char e = peek();
        if (e == 'u') {
          // Keys we look for are ASCII; keep the escape verbatim.
          out.push_back('\\');
        } else {
          out.push_back(e == 'n' ? '\n' : e == 't' ? '\t' : e);
          advance();
          continue;
        }
      }
      out.push_back(text_[pos_]);
      advance();
    }
    advance();  // closing quote
    return out;
  }
  // Iterative, so that deeply nested (valid) JSON cannot exhaust the stack.
  void skipValue() {
    const char c = peek();
    if (c != '{' && c != '[') {
      if (c == '"') {
        skipString();
        return;
      }
      while (pos_ < text_.size() && std::string_view(",]} \t\r\n").find(text_[pos_]) == std::string_view::npos) advance();
      return;
    }
    std::size_t depth = 0;
    while (pos_ < text_.size()) {
      const char here = peek();
      if (here == '"') {
        skipString();
        continue;
      }
      advance();
      if (here == '{' || here == '[') {
        ++depth;
      } else if (here == '}' || here == ']') {
        if (--depth == 0) return;
      }
    }
  }
  void skipString() {
    advance();  // opening quote
    while (pos_ < text_.size() && text_[pos_] != '"') {
      if (text_[pos_] == '\\') advance();
      advance();
    }
    advance();  // closing quote
  }
  StatementSpan spanOfValue() {
    StatementSpan span;
    span.start = here();
    if (peek() != '{') {
      skipValue();
      span.end = here();
      return span;
    }
    advance();
    skipSpace();
    if (peek() != '}') {
      while (pos_ < text_.size()) {
        skipSpace();
        const Position key_at = here();
        std::string key = readString();
        span.keys.emplace_back(std::move(key), key_at);
        skipSpace();
        advance();  // ':'
        skipSpace();
        skipValue();
        skipSpace();
        if (peek() == ',') {
          advance();
          continue;
        }
        break;
      }
    }
    span.end = here();  // the closing '}'
    advance();
    return span;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
};

// Numbers and booleans in conditions compare as their text.
bool scalarText(const json& v, std::string& out) {
  if (v.is_string()) {
    out = v.get<std::string>();
    return true;
  }
  if (v.is_boolean()) {
    out = v.get<bool>() ? "true" : "false";
    return true;
  }
  if (v.is_number()) {
    out = v.dump();
    return true;
  }
  return false;
}

class TreeBuilder {
 public:
  explicit TreeBuilder(Document& doc) : doc_(doc) {}

  void problem(std::string where, std::string detail, Position at) {
    doc_.syntax_problems.push_back(Diagnostic{std::move(where), std::move(detail), at, std::string(kSyntaxErrors), 0});
  }

  void stringList(const json& v, StringList& out, const std::string& where, Position at) {
    out.present = true;
    if (v.is_string()) {
      out.values.push_back(v.get<std::string>());
      return;
    }
    if (v.is_array()) {
      out.is_array = true;
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (v[i].is_string())
          out.values.push_back(v[i].get<std::string>());
        else
          problem(where + "[" + std::to_string(i) + "]", "expected a string, got " + std::string(v[i].type_name()), at);
      }
      return;
    }
    problem(where, "expected a string or an array of strings, got " + std::string(v.type_name()), at);
  }

  void principal(const json& v, PrincipalElement& out, const std::string& where, Position at) {
    out.present = true;
    if (v.is_string()) {
      if (v.get<std::string>() == "*")
        out.wildcard = true;
      else
        problem(where, "a principal given as a string must be \"*\", got '" + v.get<std::string>() + "'", at);
      return;
    }
    if (!v.is_object()) {
      problem(where, "expected \"*\" or an object, got " + std::string(v.type_name()), at);
      return;
    }
    for (const auto& [type, values] : v.items()) {
      std::vector<std::string> list;
      if (values.is_string()) {
        list.push_back(values.get<std::string>());
      } else if (values.is_array()) {
        for (const auto& item : values) {
          if (item.is_string())
            list.push_back(item.get<std::string>());
          else
            problem(where + "." + type, "expected a string, got " + std::string(item.type_name()), at);
        }
      } else {
        problem(where + "." + type, "expected a string or an array of strings, got " + std::string(values.type_name()), at);
      }
      out.entries.emplace_back(type, std::move(list));
    }
  }

  void condition(const json& v, Statement& st, const std::string& where, Position at) {
    st.has_condition = true;
    if (!v.is_object()) {
      problem(where, "expected an object, got " + std::string(v.type_name()), at);
      return;
    }
    for (const auto& [op, block] : v.items()) {
      if (!block.is_object()) {
        problem(where + "." + op, "expected an object of condition keys, got " + std::string(block.type_name()), at);
        continue;
      }
      for (const auto& [key, values] : block.items()) {
        ConditionEntry entry{op, key, {}};
        std::string text;
        if (values.is_array()) {
          for (const auto& item : values) {
            if (scalarText(item, text))
              entry.values.push_back(text);
            else
              problem(where + "." + op + "." + key, "expected a string, number or boolean, got " + std::string(item.type_name()), at);
          }
        } else if (scalarText(values, text)) {
          entry.values.push_back(text);
        } else {
          problem(where + "." + op + "." + key, "expected a value or an array of values, got " + std::string(values.type_name()), at);
        }
        st.conditions.push_back(std::move(entry));
      }
    }
  }

  void statement(const json& v, Statement& st) {
    const std::string where = "Statement[" + std::to_string(st.index) + "]";
    if (!v.is_object()) {
      problem(where, "expected an object, got " + std::string(v.type_name()), st.start);
      return;
    }
    for (const auto& [key, value] : v.items()) {
      const Position at = st.positionOf(key);
      const std::string path = where + "." + key;
      if (key == "Sid") {
        if (value.is_string())
          st.sid = value.get<std::string>();
        else
          problem(path, "expected a string, got " + std::string(value.type_name()), at);
      } else if (key == "Effect") {
        if (value.is_string())
          st.effect = value.get<std::string>();
        else
          problem(path, "expected a string, got " + std::string(value.type_name()), at);
      } else if (key == "Action") {
        stringList(value, st.action, path, at);
      } else if (key == "NotAction") {
        stringList(value, st.not_action, path, at);
      } else if (key == "Resource") {
        stringList(value, st.resource, path, at);
      } else if (key == "NotResource") {
        stringList(value, st.not_resource, path, at);
      } else if (key == "Principal") {
        principal(value, st.principal, path, at);
      } else if (key == "NotPrincipal") {
        principal(value, st.not_principal, path, at);
      } else if (key == "Condition") {
        condition(value, st, path, at);
      } else {
        st.unknown_keys.push_back(key);
      }
    }
  }

 private:
  Document& doc_;
};

}  // namespace

std::string Diagnostic::describe() const {
  std::string out = where.empty() ? detail : where + ": " + detail;
  if (position.line > 0)
    out += " (line " + std::to_string(position.line) + ", column " + std::to_string(position.column) + ")";
  return out;
}

Position Statement::positionOf(std::string_view key) const {
  for (const auto& [name, at] : key_positions)
    if (name == key) return at;
  return start;
}

Result<Document> parseDocument(std::string_view text) {
  // nlohmann reports bad input by exception unless told not to; the
  // non-throwing form keeps exceptions off the request path.
  json root = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object()) return fail(ErrorCode::MalformedPolicyDocument, std::string(kSyntaxErrors));

  Document doc;
  TreeBuilder builder(doc);
  PositionScanner scanner(text);
  auto spans = scanner.scan();

  for (const auto& [key, value] : root.items()) {
    if (key == "Version") {
      if (!value.is_string()) {
        builder.problem("Version", "expected a string, got " + std::string(value.type_name()), {1, 1});
        doc.version = PolicyVersion::Other;
        continue;
      }
      doc.version_text = value.get<std::string>();
      doc.version = *doc.version_text == "2012-10-17"   ? PolicyVersion::V2012_10_17
                    : *doc.version_text == "2008-10-17" ? PolicyVersion::V2008_10_17
                                                        : PolicyVersion::Other;
    } else if (key == "Id") {
      if (value.is_string())
        doc.id = value.get<std::string>();
      else
        builder.problem("Id", "expected a string, got " + std::string(value.type_name()), {1, 1});
    } else if (key == "Statement") {
      doc.has_statement = true;
      if (value.is_object() || value.is_array()) {
        const bool single = value.is_object();
        const std::size_t n = single ? 1 : value.size();
        for (std::size_t i = 0; i < n; ++i) {
          Statement st;
          st.index = i;
          if (i < spans.size()) {
            st.start = spans[i].start;
            st.end = spans[i].end;
            st.key_positions = std::move(spans[i].keys);
          }
          builder.statement(single ? value : value[i], st);
          doc.statements.push_back(std::move(st));
        }
      } else {
        builder.problem("Statement", "expected an object or an array of objects, got " + std::string(value.type_name()), {1, 1});
      }
    } else {
      doc.unknown_keys.push_back(key);
    }
  }
  return doc;
}

}  // namespace iamlocal::policy
