// Listing the context keys of a document: Condition keys, and the keys of
// the variables in Resource, NotResource and condition values, found with
// the same variable grammar the compiler uses.
#include "iamlocal/policy/context_keys.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "iamlocal/core/strings.h"
#include "pattern.h"

namespace iamlocal::policy {
namespace {

void addKey(std::vector<std::string>& keys, std::string_view key) {
  for (const auto& k : keys)
    if (iequals(k, key)) return;
  keys.emplace_back(key);
}

void addVariables(std::vector<std::string>& keys, std::string_view text) {
  if (text.find("${") == std::string_view::npos) return;
  const Pattern pattern = compilePattern(text, false, /*variables=*/true);
  for (const auto& token : pattern.tokens)
    if (token.kind == PatternToken::Variable) addKey(keys, token.written);
}

bool before(const Position& a, const Position& b) {
  return a.line != b.line ? a.line < b.line : a.column < b.column;
}

}  // namespace

void appendContextKeys(const Document& document, std::vector<std::string>& keys) {
  const bool variables = document.supportsVariables();
  for (const auto& st : document.statements) {
    // The elements that can carry keys, in the order they are written.
    std::vector<std::pair<Position, std::string_view>> elements;
    for (std::string_view name : {"Resource", "NotResource", "Condition"})
      if (auto it = std::find_if(st.key_positions.begin(), st.key_positions.end(),
                                 [&](const auto& kp) { return kp.first == name; });
          it != st.key_positions.end())
        elements.emplace_back(it->second, name);
    std::stable_sort(elements.begin(), elements.end(),
                     [](const auto& a, const auto& b) { return before(a.first, b.first); });
    for (const auto& [at, name] : elements) {
      if (name == "Condition") {
        for (const auto& c : st.conditions) {
          addKey(keys, c.key);
          if (variables)
            for (const auto& v : c.values) addVariables(keys, v);
        }
      } else if (variables) {
        const StringList& list = name == "Resource" ? st.resource : st.not_resource;
        for (const auto& v : list.values) addVariables(keys, v);
      }
    }
  }
}

}  // namespace iamlocal::policy
