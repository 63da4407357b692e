// One topology constraint shared by every pod that has it (upstream TopologyGroup): pods
// selected by a label selector in some namespaces, counted per domain (value of the topology
// key on the node). Spread groups also carry the node filter of nodeAffinityPolicy /
// nodeTaintsPolicy.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/label_selector.h"
#include "core/requirement.h"
#include "core/requirements.h"
#include "core/taint.h"

namespace karpenter::scheduling {

enum class TopologyType { kSpread, kAffinity, kAntiAffinity };

// Which nodes take part in a spread constraint's counts (upstream TopologyNodeFilter).
struct TopologyNodeFilter {
  bool active = false;  // affinity groups have no filter: every node counts
  // OR-ed alternatives: the pod's nodeSelector with each required nodeAffinity term.
  std::vector<core::Requirements> terms;
  bool honor_affinity = true;
  bool honor_taints = false;
  std::vector<core::Toleration> tolerations;

  // Whether a node with `taints` and `requirements` counts (`allow` as in Compatible).
  bool Matches(const std::vector<core::Taint>& taints, const core::Requirements& requirements,
               const core::AllowUndefinedKeys& allow) const;
  std::string Identity() const;
};

struct TopologyGroup {
  TopologyType type = TopologyType::kSpread;
  std::string key;
  bool all_namespaces = false;
  std::set<std::string> namespaces;
  std::optional<core::LabelSelector> selector;  // nullopt selects nothing
  int32_t max_skew = 0;
  std::optional<int32_t> min_domains;
  TopologyNodeFilter filter;
  // Pod counts per domain; registered domains start at zero.
  std::map<std::string, int32_t, std::less<>> domains;

  // Equal identities mean the same group (upstream's hash).
  std::string Identity() const;
  bool Selects(const std::string& ns, const core::Labels& labels) const;
  void Register(const std::string& domain);
  // Removes a registered domain that never got a pod.
  void Unregister(const std::string& domain);
  void Record(const std::string& domain);

  // The domains a pod may go to on a node whose key allows `node_domains`, given the pod
  // allows `pod_domains`: for spread the least-loaded domain within maxSkew; for affinity the
  // domains with a selected pod (or, for a self-selecting pod with none anywhere, one domain to
  // start in); for anti-affinity the domains without one. The empty set when there is none.
  core::Requirement Next(bool self_selecting, const core::Requirement& pod_domains,
                         const core::Requirement& node_domains) const;

 private:
  core::Requirement NextSpread(bool self_selecting, const core::Requirement& pod_domains,
                               const core::Requirement& node_domains) const;
  core::Requirement NextAffinity(bool self_selecting, const core::Requirement& pod_domains,
                                 const core::Requirement& node_domains) const;
  core::Requirement NextAntiAffinity(const core::Requirement& pod_domains,
                                     const core::Requirement& node_domains) const;
  int32_t MinCount(const core::Requirement& pod_domains) const;
  // Calls f(domain, count) for the registered domains `node_domains` allows, in name order.
  template <typename F>
  void ForEachNodeDomain(const core::Requirement& node_domains, F f) const;
};

}  // namespace karpenter::scheduling
