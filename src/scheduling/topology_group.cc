#include "scheduling/topology_group.h"

#include <limits>

#include "scheduling/canonical.h"
#include "scheduling/well_known.h"

namespace karpenter::scheduling {

bool TopologyNodeFilter::Matches(const std::vector<core::Taint>& taints,
                                 const core::Requirements& requirements,
                                 const core::AllowUndefinedKeys& allow) const {
  if (!active) return true;
  if (honor_affinity && !terms.empty()) {
    bool any = false;
    for (const core::Requirements& term : terms) {
      if (requirements.Compatible(term, allow)) {
        any = true;
        break;
      }
    }
    if (!any) return false;
  }
  if (honor_taints && !core::ToleratesAll(tolerations, taints)) return false;
  return true;
}

std::string TopologyNodeFilter::Identity() const {
  if (!active) return "-";
  std::string out = honor_affinity ? "A" : "a";
  out += honor_taints ? "T" : "t";
  for (const core::Requirements& term : terms) out += "|" + Canonical(term);
  if (honor_taints) {
    for (const core::Toleration& t : tolerations) {
      out += "|" + t.key + (t.op == core::TolerationOperator::Exists ? "?" : "=") + t.value + ":" +
             (t.effect ? std::string(core::ToString(*t.effect)) : "*");
    }
  }
  return out;
}

std::string TopologyGroup::Identity() const {
  std::string out = std::to_string(static_cast<int>(type)) + "\x1d" + key + "\x1d";
  if (all_namespaces) {
    out += "*";
  } else {
    for (const std::string& ns : namespaces) out += ns + ",";
  }
  out += "\x1d" + Canonical(selector) + "\x1d" + std::to_string(max_skew) + "\x1d" +
         (min_domains ? std::to_string(*min_domains) : "-") + "\x1d" + filter.Identity();
  return out;
}

bool TopologyGroup::Selects(const std::string& ns, const core::Labels& labels) const {
  if (!selector) return false;
  if (!all_namespaces && !namespaces.contains(ns)) return false;
  return selector->Matches(labels);
}

namespace {

const std::shared_ptr<const DomainCounts::Base>& EmptyBase() {
  static const std::shared_ptr<const DomainCounts::Base> kEmpty =
      std::make_shared<const DomainCounts::Base>();
  return kEmpty;
}

}  // namespace

DomainCounts::DomainCounts() : registry_(EmptyBase()), seeded_(EmptyBase()) {}

DomainCounts::DomainCounts(std::shared_ptr<const Base> registry, std::shared_ptr<const Base> seeded)
    : registry_(std::move(registry)), seeded_(std::move(seeded)) {
  if (registry_ == nullptr) registry_ = EmptyBase();
  if (seeded_ == nullptr) seeded_ = EmptyBase();
}

const DomainCounts::Seed* DomainCounts::Seeded(std::string_view domain) const {
  if (auto seeded = seeded_->find(domain); seeded != seeded_->end()) return &seeded->second;
  if (auto registered = registry_->find(domain); registered != registry_->end()) {
    return &registered->second;
  }
  return nullptr;
}

std::pair<const std::string*, int32_t> DomainCounts::Find(std::string_view domain) const {
  if (auto changed = changes_.find(domain); changed != changes_.end()) {
    if (!changed->second) return {nullptr, 0};
    return {&changed->first, *changed->second};
  }
  if (auto seeded = seeded_->find(domain); seeded != seeded_->end()) {
    return {&seeded->first, seeded->second.count};
  }
  if (auto registered = registry_->find(domain); registered != registry_->end()) {
    return {&registered->first, registered->second.count};
  }
  return {nullptr, 0};
}

void DomainCounts::Register(const std::string& domain) {
  auto it = changes_.lower_bound(domain);
  if (it != changes_.end() && it->first == domain) {
    if (!it->second) it->second = 0;
    return;
  }
  if (Seeded(domain) == nullptr) changes_.emplace_hint(it, domain, 0);
}

void DomainCounts::Unregister(const std::string& domain) {
  auto [name, count] = Find(domain);
  if (name != nullptr && count == 0) changes_[domain] = std::nullopt;
}

void DomainCounts::Record(const std::string& domain) {
  auto it = changes_.lower_bound(domain);
  if (it != changes_.end() && it->first == domain) {
    it->second = it->second.value_or(0) + 1;
    return;
  }
  const Seed* seeded = Seeded(domain);
  changes_.emplace_hint(it, domain, (seeded != nullptr ? seeded->count : 0) + 1);
}

void DomainCounts::Override(const std::string& domain, std::optional<int32_t> count) {
  changes_[domain] = count;
}

void TopologyGroup::Register(const std::string& domain) { domains.Register(domain); }

void TopologyGroup::Unregister(const std::string& domain) { domains.Unregister(domain); }

void TopologyGroup::Record(const std::string& domain) { domains.Record(domain); }

template <typename F>
void TopologyGroup::ForEachNodeDomain(const core::Requirement& node_domains, F f) const {
  // A finite node side (a hostname, a pinned zone) is cheaper to walk than every domain.
  if (!node_domains.complement()) {
    for (const std::string& value : node_domains.Values()) {
      auto [name, count] = domains.Find(value);
      if (name != nullptr) f(*name, count);
    }
    return;
  }
  domains.ForEach([&](const std::string& domain, int32_t count) {
    if (node_domains.Has(domain)) f(domain, count);
  });
}

core::Requirement TopologyGroup::Next(bool self_selecting, const core::Requirement& pod_domains,
                                      const core::Requirement& node_domains) const {
  switch (type) {
    case TopologyType::kSpread:
      return NextSpread(self_selecting, pod_domains, node_domains);
    case TopologyType::kAffinity:
      return NextAffinity(self_selecting, pod_domains, node_domains);
    case TopologyType::kAntiAffinity:
      return NextAntiAffinity(pod_domains, node_domains);
  }
  return core::Requirement::DoesNotExist(key);
}

int32_t TopologyGroup::MinCount(const core::Requirement& pod_domains) const {
  // As upstream: a new node can always be made, so a hostname domain with no pods exists.
  if (key == kLabelHostname) return 0;
  int32_t min = std::numeric_limits<int32_t>::max();
  int32_t supported = 0;
  domains.ForEach([&](const std::string& domain, int32_t count) {
    if (!pod_domains.Has(domain)) return;
    ++supported;
    if (count < min) min = count;
  });
  if (min_domains && supported < *min_domains) min = 0;
  return min;
}

core::Requirement TopologyGroup::NextSpread(bool self_selecting,
                                            const core::Requirement& pod_domains,
                                            const core::Requirement& node_domains) const {
  const int32_t min = MinCount(pod_domains);
  const std::string* best = nullptr;
  int32_t best_count = std::numeric_limits<int32_t>::max();
  ForEachNodeDomain(node_domains, [&](const std::string& domain, int32_t count) {
    if (self_selecting) ++count;
    // kube-scheduler's rule: matching pods + (1 if self-matching) - global min <= maxSkew.
    if (static_cast<int64_t>(count) - min <= max_skew && count < best_count) {
      best = &domain;
      best_count = count;
    }
  });
  if (best == nullptr) return core::Requirement::DoesNotExist(key);
  return core::Requirement::In(key, {*best});
}

core::Requirement TopologyGroup::NextAffinity(bool self_selecting,
                                              const core::Requirement& pod_domains,
                                              const core::Requirement& node_domains) const {
  std::vector<std::string> options;
  domains.ForEach([&](const std::string& domain, int32_t count) {
    if (count > 0 && pod_domains.Has(domain)) options.push_back(domain);
  });
  if (options.empty() && self_selecting) {
    // Nothing to be near yet, and the pod would be near itself: start a domain, preferring
    // one the node already is in (deterministically the first by name; upstream picks any).
    const std::string* start = nullptr;
    ForEachNodeDomain(node_domains, [&](const std::string& domain, int32_t) {
      if (start == nullptr && pod_domains.Has(domain)) start = &domain;
    });
    if (start == nullptr) {
      domains.ForEach([&](const std::string& domain, int32_t) {
        if (start == nullptr && pod_domains.Has(domain)) start = &domain;
      });
    }
    if (start != nullptr) options.push_back(*start);
  }
  if (options.empty()) return core::Requirement::DoesNotExist(key);
  return core::Requirement::In(key, std::move(options));
}

core::Requirement TopologyGroup::NextAntiAffinity(const core::Requirement& pod_domains,
                                                  const core::Requirement& node_domains) const {
  // The node side is applied here rather than by the caller's later intersection: the result
  // after intersecting is the same, and a hostname walks one domain instead of all of them.
  std::vector<std::string> options;
  ForEachNodeDomain(node_domains, [&](const std::string& domain, int32_t count) {
    if (count == 0 && pod_domains.Has(domain)) options.push_back(domain);
  });
  if (options.empty()) return core::Requirement::DoesNotExist(key);
  return core::Requirement::In(key, std::move(options));
}

}  // namespace karpenter::scheduling
