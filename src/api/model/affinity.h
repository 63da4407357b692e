// core/v1 Affinity: node affinity and pod (anti-)affinity as the scheduler and Karpenter read
// them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/label_selector.h"
#include "core/requirement.h"

namespace karpenter::api {

// One term of a node selector: every expression and every field expression must hold.
struct NodeSelectorTerm {
  std::vector<core::NodeSelectorRequirement> match_expressions;  // on node labels
  std::vector<core::NodeSelectorRequirement> match_fields;       // on node fields (metadata.name)

  friend bool operator==(const NodeSelectorTerm&, const NodeSelectorTerm&) = default;
};

struct PreferredSchedulingTerm {
  int32_t weight = 0;  // 1-100
  NodeSelectorTerm preference;

  friend bool operator==(const PreferredSchedulingTerm&, const PreferredSchedulingTerm&) = default;
};

struct NodeAffinity {
  // requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: the pod fits a node when
  // ANY term matches. Empty means no requirement (the API server rejects a present-but-empty
  // list, so the two cannot be confused in valid input).
  std::vector<NodeSelectorTerm> required;
  // preferredDuringSchedulingIgnoredDuringExecution; Karpenter treats these as required first
  // and relaxes them one by one (heaviest kept longest) when a pod cannot be placed.
  std::vector<PreferredSchedulingTerm> preferred;

  friend bool operator==(const NodeAffinity&, const NodeAffinity&) = default;
};

// Pods (selected by label_selector in the namespaces given) that this pod must be, or must not
// be, co-located with in the same topology domain (value of topology_key on the node).
struct PodAffinityTerm {
  // nullopt selects no pods (as upstream, a missing selector matches nothing).
  std::optional<core::LabelSelector> label_selector;
  // Empty together with a missing namespace_selector means "this pod's namespace".
  std::vector<std::string> namespaces;
  // nullopt: only `namespaces`; an empty selector: every namespace.
  std::optional<core::LabelSelector> namespace_selector;
  std::string topology_key;
  // Keys whose values, taken from the incoming pod's labels, are ANDed into label_selector as
  // `key In (value)` (matchLabelKeys) or `key NotIn (value)` (mismatchLabelKeys).
  std::vector<std::string> match_label_keys;
  std::vector<std::string> mismatch_label_keys;

  friend bool operator==(const PodAffinityTerm&, const PodAffinityTerm&) = default;
};

struct WeightedPodAffinityTerm {
  int32_t weight = 0;  // 1-100
  PodAffinityTerm term;

  friend bool operator==(const WeightedPodAffinityTerm&, const WeightedPodAffinityTerm&) = default;
};

// Used for both podAffinity and podAntiAffinity.
struct PodAffinity {
  std::vector<PodAffinityTerm> required;          // ...RequiredDuringSchedulingIgnored...
  std::vector<WeightedPodAffinityTerm> preferred;  // ...PreferredDuringSchedulingIgnored...

  bool empty() const { return required.empty() && preferred.empty(); }
  friend bool operator==(const PodAffinity&, const PodAffinity&) = default;
};

struct Affinity {
  NodeAffinity node_affinity;
  PodAffinity pod_affinity;
  PodAffinity pod_anti_affinity;

  friend bool operator==(const Affinity&, const Affinity&) = default;
};

}  // namespace karpenter::api
