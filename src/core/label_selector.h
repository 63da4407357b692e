// metav1.LabelSelector: how Deployments, PDBs, topology spread and pod (anti-)affinity pick
// pods by their labels. Only the four set-based operators exist here; Gt/Lt belong to node
// selectors (core/requirement.h).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/requirements.h"
#include "core/result.h"

namespace karpenter::core {

enum class LabelSelectorOperator { In, NotIn, Exists, DoesNotExist };

// Parses "In", "NotIn", "Exists" or "DoesNotExist" (case-sensitive).
Result<LabelSelectorOperator> ParseLabelSelectorOperator(std::string_view text);
std::string_view ToString(LabelSelectorOperator op);

struct LabelSelectorRequirement {
  std::string key;
  LabelSelectorOperator op = LabelSelectorOperator::In;
  std::vector<std::string> values;

  friend bool operator==(const LabelSelectorRequirement&,
                         const LabelSelectorRequirement&) = default;
};

struct LabelSelector {
  std::map<std::string, std::string> match_labels;
  std::vector<LabelSelectorRequirement> match_expressions;

  // True when there is nothing to match on; such a selector matches every set of labels.
  // (A *missing* selector, which Kubernetes treats as matching nothing, is the caller's
  // std::optional, not this.)
  bool IsEmpty() const;

  // Kubernetes semantics: every match_labels entry must be present with that value, and every
  // expression must hold: In needs the key present with a listed value; NotIn holds when the
  // key is absent or its value is not listed; Exists needs the key; DoesNotExist needs it
  // absent. An In with no values matches nothing.
  bool Matches(const Labels& labels) const;

  // Checks what the API server checks about operators and values: keys are non-empty, In and
  // NotIn have at least one value, Exists and DoesNotExist have none. The error names the
  // offending match_expressions index and key.
  Result<void> Validate() const;

  friend bool operator==(const LabelSelector&, const LabelSelector&) = default;
};

}  // namespace karpenter::core
