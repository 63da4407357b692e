// One topology constraint shared by every pod that has it (upstream TopologyGroup): pods
// selected by a label selector in some namespaces, counted per domain (value of the topology
// key on the node). Spread groups also carry the node filter of nodeAffinityPolicy /
// nodeTaintsPolicy.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/label_selector.h"
#include "core/requirement.h"
#include "core/requirements.h"
#include "core/taint.h"

namespace karpenter::scheduling {

enum class TopologyType { kSpread, kAffinity, kAntiAffinity };

// Pod counts per domain of one group, read as one map in domain-name order, in three layers:
// a registry (the domains of a key that many groups share, e.g. every node's hostname), the
// group's own seeded entries over it (the pods running on existing nodes), both shared by
// every run over one prepared cluster and never changed, and this run's changes on top.
class DomainCounts {
 public:
  struct Seed {
    int32_t count = 0;
    // How many sources registered the domain: the NodePools' domains of the key count once,
    // then each existing node that registered it. A run that leaves nodes out drops a domain
    // no remaining source registers.
    int32_t sources = 0;
  };
  using Base = std::map<std::string, Seed, std::less<>>;

  DomainCounts();
  DomainCounts(std::shared_ptr<const Base> registry, std::shared_ptr<const Base> seeded);

  // What the shared layers say of `domain` (the seeded entry, else the registry's), or nullptr.
  const Seed* Seeded(std::string_view domain) const;
  const std::shared_ptr<const Base>& registry() const { return registry_; }
  const Base& seeded() const { return *seeded_; }
  // The domain's name as stored (valid while this lives and is not changed) and count;
  // {nullptr, 0} when the domain is absent.
  std::pair<const std::string*, int32_t> Find(std::string_view domain) const;
  // Present from now on (count 0 when new).
  void Register(const std::string& domain);
  // Absent from now on, when its count is 0.
  void Unregister(const std::string& domain);
  // One more pod in the domain (registering it).
  void Record(const std::string& domain);
  // Replaces what the shared layers say of `domain`: `count`, or absent.
  void Override(const std::string& domain, std::optional<int32_t> count);

  // Calls f(domain, count) for every present domain in name order.
  template <typename F>
  void ForEach(F f) const;

 private:
  std::shared_ptr<const Base> registry_;
  std::shared_ptr<const Base> seeded_;
  std::map<std::string, std::optional<int32_t>, std::less<>> changes_;
};

template <typename F>
void DomainCounts::ForEach(F f) const {
  auto r = registry_->begin();
  auto s = seeded_->begin();
  auto c = changes_.begin();
  const auto r_end = registry_->end();
  const auto s_end = seeded_->end();
  const auto c_end = changes_.end();
  while (r != r_end || s != s_end || c != c_end) {
    // The smallest name among the three, taken from the top-most layer that has it.
    const std::string* name = nullptr;
    if (r != r_end) name = &r->first;
    if (s != s_end && (name == nullptr || s->first < *name)) name = &s->first;
    if (c != c_end && (name == nullptr || c->first < *name)) name = &c->first;
    const bool in_r = r != r_end && r->first == *name;
    const bool in_s = s != s_end && s->first == *name;
    const bool in_c = c != c_end && c->first == *name;
    if (in_c) {
      if (c->second) f(c->first, *c->second);
    } else if (in_s) {
      f(s->first, s->second.count);
    } else {
      f(r->first, r->second.count);
    }
    if (in_r) ++r;
    if (in_s) ++s;
    if (in_c) ++c;
  }
}

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
  DomainCounts domains;

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
