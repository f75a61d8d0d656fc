// Document -> CompiledPolicy: every pattern, number, date and network is
// converted here, once, so that evaluation only compares.
#include <algorithm>

#include "compiled.h"
#include "condition_operator.h"
#include "iamlocal/core/strings.h"

namespace iamlocal::policy {
namespace {

bool isAccountId(std::string_view v) {
  return v.size() == 12 && std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
}

void compilePrincipal(const PrincipalElement& element, CompiledPrincipal& out) {
  out.present = element.present;
  if (element.wildcard) out.everyone = true;
  for (const auto& [type, values] : element.entries) {
    for (const auto& v : values) {
      if (type == "AWS") {
        if (v == "*")
          out.everyone = true;
        else if (isAccountId(v))
          out.aws.push_back("arn:aws:iam::" + v + ":root");
        else
          out.aws.push_back(v);
      } else if (type == "Service") {
        out.services.push_back(v);
      } else if (type == "Federated") {
        out.federated.push_back(v);
      } else if (type == "CanonicalUser") {
        out.canonical.push_back(v);
      }
    }
  }
}

CompiledValue compileValue(const ConditionOperator& op, const std::string& text, bool variables) {
  CompiledValue v;
  switch (op.family) {
    case OperatorFamily::String:
    case OperatorFamily::StringIgnoreCase:
      v.pattern = compilePattern(text, false, variables, /*wildcards=*/false);
      break;
    case OperatorFamily::StringLike:
    case OperatorFamily::Arn:
      v.pattern = compilePattern(text, false, variables);
      break;
    case OperatorFamily::Binary:
      v.pattern = compilePattern(text, false, false, false);
      break;
    case OperatorFamily::Numeric:
      v.valid = parsePolicyNumber(text, v.number);
      break;
    case OperatorFamily::Date:
      v.valid = parsePolicyDate(text, v.date_millis);
      break;
    case OperatorFamily::Ip:
      v.valid = parseIpNetwork(text, v.network);
      break;
    case OperatorFamily::Bool:
    case OperatorFamily::Null:
      v.boolean = iequals(text, "true");
      v.valid = v.boolean || iequals(text, "false");
      break;
  }
  return v;
}

// The service part of a lower-cased action pattern, or "" when the pattern
// could match any service.
std::string_view literalService(std::string_view pattern) {
  const auto colon = pattern.find(':');
  if (colon == std::string_view::npos) return {};
  const std::string_view service = pattern.substr(0, colon);
  if (service.find_first_of("*?") != std::string_view::npos) return {};
  return service;
}

void buildIndex(const Document& document, const std::vector<CompiledStatement>& statements, ActionIndex& index) {
  for (std::uint32_t i = 0; i < statements.size(); ++i) {
    const Statement& st = document.statements[i];
    const StringList& actions = st.action.present ? st.action : st.not_action;
    bool any = statements[i].not_action;
    std::vector<std::string> services;
    for (const auto& a : actions.values) {
      const std::string lower = toLower(a);
      const std::string_view service = literalService(lower);
      if (service.empty()) {
        any = true;
        break;
      }
      if (std::find(services.begin(), services.end(), service) == services.end()) services.emplace_back(service);
    }
    if (any) {
      index.any_service.push_back(i);
      continue;
    }
    for (const auto& service : services) {
      auto it = std::find_if(index.by_service.begin(), index.by_service.end(),
                             [&](const ActionIndex::Bucket& b) { return b.service == service; });
      if (it == index.by_service.end()) {
        index.by_service.push_back({service, {}});
        it = index.by_service.end() - 1;
      }
      it->statements.push_back(i);
    }
  }
}

}  // namespace

CompiledPolicy::CompiledPolicy() : index_(std::make_unique<ActionIndex>()) {}
CompiledPolicy::~CompiledPolicy() = default;
CompiledPolicy::CompiledPolicy(CompiledPolicy&&) noexcept = default;
CompiledPolicy& CompiledPolicy::operator=(CompiledPolicy&&) noexcept = default;
std::size_t CompiledPolicy::statementCount() const { return statements_.size(); }
const CompiledStatement& CompiledPolicy::statement(std::size_t i) const { return statements_[i]; }

Result<CompiledPolicy> compilePolicy(const Document& document, std::string id) {
  CompiledPolicy policy;
  policy.id_ = std::move(id);
  const bool variables = document.supportsVariables();
  for (const auto& st : document.statements) {
    CompiledStatement out;
    out.index = st.index;
    out.start = st.start;
    out.end = st.end;
    if (st.effect == "Allow") {
      out.allow = true;
    } else {
      // A statement whose effect is not understood is treated as a Deny.
      out.allow = false;
      if (st.effect != "Deny")
        out.not_understood = "Statement[" + std::to_string(st.index) + "]: effect '" + st.effect.value_or("") +
                             "' is neither Allow nor Deny";
    }
    const StringList& actions = st.action.present ? st.action : st.not_action;
    out.not_action = !st.action.present && st.not_action.present;
    for (const auto& a : actions.values) out.actions.push_back(compilePattern(a, /*fold_case=*/true, false));
    const StringList& resources = st.resource.present ? st.resource : st.not_resource;
    out.has_resource = resources.present;
    out.not_resource = !st.resource.present && st.not_resource.present;
    for (const auto& r : resources.values) out.resources.push_back(compilePattern(r, false, variables));
    out.not_principal = !st.principal.present && st.not_principal.present;
    compilePrincipal(out.not_principal ? st.not_principal : st.principal, out.principal);

    for (const auto& c : st.conditions) {
      auto op = parseConditionOperator(c.op);
      if (!op) {
        if (out.not_understood.empty())
          out.not_understood = "Statement[" + std::to_string(st.index) + "].Condition: unknown operator '" + c.op + "'";
        continue;
      }
      CompiledCondition cc;
      cc.op = *op;
      cc.key = toLower(c.key);
      cc.written = c.key;
      for (const auto& value : c.values) cc.values.push_back(compileValue(*op, value, variables));
      out.conditions.push_back(std::move(cc));
    }
    policy.statements_.push_back(std::move(out));
  }
  buildIndex(document, policy.statements_, *policy.index_);
  return policy;
}

Result<CompiledPolicy> compilePolicy(std::string_view text, std::string id) {
  auto document = parseDocument(text);
  if (!document) return std::unexpected(std::move(document.error()));
  return compilePolicy(*document, std::move(id));
}

}  // namespace iamlocal::policy
