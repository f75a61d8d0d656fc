// Document -> CompiledPolicy: every pattern, number, date and network is
// converted here, once, so that evaluation only compares.
#include <algorithm>
#include <map>

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

struct PendingEntry {
  std::string key;
  ActionIndex::Entry entry;
};

void fillBucket(ActionIndex::Bucket& bucket, std::vector<PendingEntry>& pending) {
  std::stable_sort(pending.begin(), pending.end(), [](const PendingEntry& a, const PendingEntry& b) { return a.key < b.key; });
  std::size_t distinct = 0;
  for (std::size_t i = 0; i < pending.size(); ++i)
    if (i == 0 || pending[i].key != pending[i - 1].key) ++distinct;
  std::size_t size = 4;
  while (size < distinct * 2) size *= 2;
  bucket.slots.assign(size, {});
  for (std::size_t i = 0; i < pending.size();) {
    std::size_t j = i;
    while (j < pending.size() && pending[j].key == pending[i].key) ++j;
    const std::string& key = pending[i].key;
    std::uint64_t hash = kActionHashSeed;
    for (char c : key) hash = actionHashStep(hash, c);
    ActionIndex::Slot slot;
    slot.hash = hash;
    slot.key_offset = static_cast<std::uint32_t>(bucket.keys.size());
    slot.key_size = static_cast<std::uint32_t>(key.size());
    slot.first = static_cast<std::uint32_t>(bucket.entries.size());
    slot.count = static_cast<std::uint32_t>(j - i);
    bucket.keys += key;
    for (std::size_t k = i; k < j; ++k) {
      const ActionIndex::Entry& e = pending[k].entry;
      bucket.entries.push_back(e);
      if (e.kind == ActionIndex::Kind::Exact) {
        bucket.has_exact = true;
      } else if (std::find(bucket.lengths.begin(), bucket.lengths.end(), key.size()) == bucket.lengths.end()) {
        bucket.lengths.push_back(static_cast<std::uint32_t>(key.size()));
      }
    }
    const std::size_t mask = size - 1;
    std::size_t at = hash & mask;
    while (bucket.slots[at].count != 0) at = (at + 1) & mask;
    bucket.slots[at] = slot;
    i = j;
  }
  std::sort(bucket.lengths.begin(), bucket.lengths.end());
}

// Files every action pattern (already lower case) as ActionIndex describes.
void buildIndex(const std::vector<CompiledStatement>& statements, ActionIndex& index) {
  index.not_action.assign((statements.size() + 63) / 64, 0);
  std::vector<std::vector<PendingEntry>> pending;  // parallel to index.by_service
  for (std::uint32_t i = 0; i < statements.size(); ++i) {
    const CompiledStatement& st = statements[i];
    if (st.not_action) index.not_action[i / 64] |= std::uint64_t{1} << (i % 64);
    for (std::uint32_t a = 0; a < st.actions.size(); ++a) {
      const Pattern& p = st.actions[a];
      // The literal start of the pattern holds its whole service part
      // exactly when that part has no wildcard.
      const auto colon = p.shape == Pattern::Any ? std::string::npos : p.text.find(':');
      if (colon == std::string::npos) {
        index.generic.push_back({i, a});
        continue;
      }
      const std::string_view service = std::string_view(p.text).substr(0, colon);
      const ActionIndex::Kind kind = p.shape == Pattern::Exact    ? ActionIndex::Kind::Exact
                                     : p.shape == Pattern::Prefix ? ActionIndex::Kind::Prefix
                                                                  : ActionIndex::Kind::Glob;
      auto it = std::find_if(index.by_service.begin(), index.by_service.end(),
                             [&](const ActionIndex::Bucket& b) { return b.service == service; });
      if (it == index.by_service.end()) {
        ActionIndex::Bucket bucket;
        bucket.service = std::string(service);
        std::uint64_t hash = kActionHashSeed;
        for (char c : service) hash = actionHashStep(hash, c);
        bucket.service_hash = hash;
        index.by_service.push_back(std::move(bucket));
        pending.emplace_back();
        it = index.by_service.end() - 1;
      }
      pending[static_cast<std::size_t>(it - index.by_service.begin())].push_back(
          PendingEntry{p.text.substr(colon + 1), ActionIndex::Entry{i, a, kind}});
    }
  }
  if (index.by_service.empty()) return;
  std::size_t size = 4;
  while (size < index.by_service.size() * 2) size *= 2;
  index.service_slots.assign(size, 0);
  for (std::size_t b = 0; b < index.by_service.size(); ++b) {
    fillBucket(index.by_service[b], pending[b]);
    std::size_t at = index.by_service[b].service_hash & (size - 1);
    while (index.service_slots[at] != 0) at = (at + 1) & (size - 1);
    index.service_slots[at] = static_cast<std::uint32_t>(b + 1);
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
  // Texts of resource patterns and conditions that appear in more than one
  // place get a memo slot (ActionIndex::memo_slots).
  std::map<std::string, std::uint32_t> repeats;
  // (Built with append: GCC 12 misreports string concatenation here under
  // -Wrestrict.)
  auto resourceText = [](const std::string& r) {
    std::string text(1, 'R');
    text.append(r);
    return text;
  };
  auto conditionText = [](const ConditionEntry& c) {
    std::string text(1, 'C');
    text.append(c.op).push_back('\0');
    text.append(c.key);
    for (const auto& v : c.values) text.append(1, '\0').append(v);
    return text;
  };
  for (const auto& st : document.statements) {
    for (const auto& r : (st.resource.present ? st.resource : st.not_resource).values) ++repeats[resourceText(r)];
    for (const auto& c : st.conditions) ++repeats[conditionText(c)];
  }
  std::map<std::string, std::uint32_t> slots;
  auto memoSlot = [&](const std::string& text) -> std::uint32_t {
    if (repeats[text] < 2) return 0;
    auto [it, added] = slots.emplace(text, static_cast<std::uint32_t>(slots.size() + 1));
    return it->second;
  };
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
    for (const auto& r : resources.values) {
      out.resources.push_back(compilePattern(r, false, variables));
      out.resource_memo.push_back(memoSlot(resourceText(r)));
    }
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
      cc.key_hash = contextKeyHash(cc.key);
      cc.written = c.key;
      for (const auto& value : c.values) cc.values.push_back(compileValue(*op, value, variables));
      cc.memo = memoSlot(conditionText(c));
      out.conditions.push_back(std::move(cc));
    }
    policy.statements_.push_back(std::move(out));
  }
  buildIndex(policy.statements_, *policy.index_);
  policy.index_->memo_slots = static_cast<std::uint32_t>(slots.size());
  return policy;
}

Result<CompiledPolicy> compilePolicy(std::string_view text, std::string id) {
  auto document = parseDocument(text);
  if (!document) return std::unexpected(std::move(document.error()));
  return compilePolicy(*document, std::move(id));
}

}  // namespace iamlocal::policy
