#include "sim/workload_pods.h"

#include <cstdio>
#include <optional>

#include "core/label_selector.h"
#include "disruption/pod_rules.h"

namespace karpenter::sim {
namespace {

using disruption::IsTerminal;

// Pods of `existing` a controller with `selector` in `ns` would count as its own.
int Adoptable(const std::optional<core::LabelSelector>& selector, const std::string& ns,
              const std::vector<api::Pod>& existing) {
  if (!selector) return 0;  // a missing selector selects nothing
  int count = 0;
  for (const api::Pod& pod : existing) {
    if (pod.metadata.namespace_ == ns && !IsTerminal(pod) && !pod.metadata.deletion_timestamp &&
        selector->Matches(pod.metadata.labels)) {
      ++count;
    }
  }
  return count;
}

api::Pod PodFrom(const api::PodTemplateSpec& tmpl, const std::string& ns, const std::string& name,
                 api::OwnerReference owner, const std::optional<int64_t>& created) {
  api::Pod pod;
  pod.metadata = tmpl.metadata;
  pod.metadata.name = name;
  pod.metadata.generate_name.clear();
  pod.metadata.namespace_ = ns;
  pod.metadata.uid = StableUid("Pod", ns, name);
  pod.metadata.creation_timestamp = created;
  pod.metadata.owner_references = {std::move(owner)};
  pod.spec = tmpl.spec;
  pod.status.phase = "Pending";
  pod.raw = api::Json::object();
  return pod;
}

api::OwnerReference ControllerRef(std::string kind, const std::string& ns, std::string name) {
  api::OwnerReference owner;
  owner.api_version = "apps/v1";
  owner.kind = std::move(kind);
  owner.uid = StableUid(owner.kind, ns, name);
  owner.name = std::move(name);
  owner.controller = true;
  owner.block_owner_deletion = true;
  return owner;
}

// The template as written, for hashing; an empty object when the raw document lacks it.
const api::Json& RawTemplate(const api::Json& raw) {
  static const api::Json kEmpty = api::Json::object();
  if (!raw.is_object() || !raw.contains("spec") || !raw["spec"].is_object()) return kEmpty;
  const api::Json& spec = raw["spec"];
  return spec.contains("template") ? spec["template"] : kEmpty;
}

std::vector<api::Pod> ReplicaPods(const api::ObjectMeta& owner_meta, const std::string& owner_kind,
                                  const std::string& replica_set, int replicas,
                                  const std::optional<core::LabelSelector>& selector,
                                  const api::PodTemplateSpec& tmpl,
                                  const std::vector<api::Pod>& existing, PodNamer& names) {
  const std::string& ns = owner_meta.namespace_;
  std::vector<api::Pod> pods;
  const int missing = replicas - Adoptable(selector, ns, existing);
  for (int i = 0; i < missing; ++i) {
    const std::string name = names.Generate(ns, replica_set + "-");
    pods.push_back(PodFrom(tmpl, ns, name, ControllerRef(owner_kind, ns, replica_set),
                           owner_meta.creation_timestamp));
  }
  return pods;
}

}  // namespace

PodNamer::PodNamer(const std::vector<api::Pod>& existing) {
  for (const api::Pod& pod : existing) Reserve(pod.metadata.namespace_, pod.metadata.name);
}

bool PodNamer::IsTaken(const std::string& ns, const std::string& name) const {
  auto it = by_namespace_.find(ns);
  return it != by_namespace_.end() && it->second.IsTaken(name);
}

void PodNamer::Reserve(const std::string& ns, const std::string& name) {
  by_namespace_.try_emplace(ns, StableHash(ns)).first->second.Reserve(name);
}

std::string PodNamer::Generate(const std::string& ns, const std::string& prefix) {
  return by_namespace_.try_emplace(ns, StableHash(ns)).first->second.Generate(prefix);
}

std::string StableUid(std::string_view kind, std::string_view ns, std::string_view name) {
  std::string key(kind);
  key.append("/").append(ns).append("/").append(name);
  const uint64_t high = StableHash(key, 1);
  const uint64_t low = StableHash(key, 2);
  char text[40];
  std::snprintf(text, sizeof text, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(high >> 32),
                static_cast<unsigned>((high >> 16) & 0xffff), static_cast<unsigned>(high & 0xffff),
                static_cast<unsigned>(low >> 48),
                static_cast<unsigned long long>(low & 0xffffffffffffULL));
  return text;
}

std::vector<api::Pod> DeploymentPods(const api::Deployment& deployment,
                                     const std::vector<api::Pod>& existing, PodNamer& names) {
  const std::string hash = PodTemplateHash(RawTemplate(deployment.raw));
  api::PodTemplateSpec tmpl = deployment.pod_template;
  tmpl.metadata.labels["pod-template-hash"] = hash;
  return ReplicaPods(deployment.metadata, "ReplicaSet", deployment.metadata.name + "-" + hash,
                     deployment.replicas, deployment.selector, tmpl, existing, names);
}

std::vector<api::Pod> ReplicaSetPods(const api::ReplicaSet& replica_set,
                                     const std::vector<api::Pod>& existing, PodNamer& names) {
  return ReplicaPods(replica_set.metadata, "ReplicaSet", replica_set.metadata.name,
                     replica_set.replicas, replica_set.selector, replica_set.pod_template, existing,
                     names);
}

std::vector<api::Pod> StatefulSetPods(const api::StatefulSet& stateful_set, PodNamer& names) {
  const std::string& ns = stateful_set.metadata.namespace_;
  const std::string& set_name = stateful_set.metadata.name;
  const std::string revision = set_name + "-" + PodTemplateHash(RawTemplate(stateful_set.raw));
  std::vector<api::Pod> pods;
  for (int32_t ordinal = 0; ordinal < stateful_set.replicas; ++ordinal) {
    const std::string name = set_name + "-" + std::to_string(ordinal);
    if (names.IsTaken(ns, name)) continue;
    names.Reserve(ns, name);
    api::PodTemplateSpec tmpl = stateful_set.pod_template;
    tmpl.metadata.labels["controller-revision-hash"] = revision;
    tmpl.metadata.labels["statefulset.kubernetes.io/pod-name"] = name;
    tmpl.metadata.labels["apps.kubernetes.io/pod-index"] = std::to_string(ordinal);
    for (const std::string& claim : stateful_set.volume_claim_template_names) {
      tmpl.spec.volumes.push_back({claim, claim + "-" + name});
    }
    pods.push_back(PodFrom(tmpl, ns, name, ControllerRef("StatefulSet", ns, set_name),
                           stateful_set.metadata.creation_timestamp));
  }
  return pods;
}

}  // namespace karpenter::sim
