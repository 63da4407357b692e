// What the scheduler needs of a pending pod, after the relaxations applied to it so far:
// requests, node requirements, tolerations, topology terms, host ports. Pods with equal
// constraints (a Deployment's replicas) share one PodClass and are decided alike.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/model/affinity.h"
#include "api/model/pod.h"
#include "core/requirements.h"
#include "core/resource_list.h"
#include "core/result.h"
#include "core/taint.h"
#include "scheduling/dense_resources.h"

namespace karpenter::scheduling {

// A (host IP, protocol, port) a container binds on the node; two pods conflict when protocol
// and port match and either IP is unspecified or both are equal.
struct HostPort {
  std::string ip;  // "" or "0.0.0.0" means every address
  std::string protocol;
  int32_t port = 0;

  bool Conflicts(const HostPort& other) const;
  friend bool operator==(const HostPort&, const HostPort&) = default;
};

// Host ports of the pod's containers and sidecar (restartable init) containers.
std::vector<HostPort> HostPortsOf(const api::PodSpec& spec);

// The relaxable scheduling view of a pod. Preferred terms are kept heaviest first (stable).
struct PodConstraints {
  std::string namespace_;
  core::Labels labels;
  core::ResourceList requests;  // effective requests plus pods: 1
  core::Labels node_selector;
  std::vector<api::NodeSelectorTerm> required_terms;  // OR-ed; the first is in force
  std::vector<api::PreferredSchedulingTerm> preferred_terms;
  std::vector<api::PodAffinityTerm> required_affinity;
  std::vector<api::WeightedPodAffinityTerm> preferred_affinity;
  std::vector<api::PodAffinityTerm> required_anti_affinity;
  std::vector<api::WeightedPodAffinityTerm> preferred_anti_affinity;
  std::vector<api::TopologySpreadConstraint> spread;
  std::vector<core::Toleration> tolerations;
  std::vector<HostPort> host_ports;

  friend bool operator==(const PodConstraints&, const PodConstraints&) = default;
};

// The pod's constraints before any relaxation.
PodConstraints ConstraintsOf(const api::Pod& pod);

// A hash consistent with operator== (over the fields that usually differ).
size_t HashOf(const PodConstraints& constraints);

// The requirements of a nodeSelector plus one node-selector term (label keys normalised).
Result<core::Requirements> SelectorRequirements(const core::Labels& node_selector,
                                                const api::NodeSelectorTerm* term);

// The pod's node requirements as upstream derives them: nodeSelector + the first required
// nodeAffinity term, plus (unless `strict`) the heaviest preferred term, which the scheduler
// treats as required until it is relaxed away.
Result<core::Requirements> PodRequirements(const PodConstraints& constraints, bool strict);

// One equivalence class of pending pods, at one relaxation step.
struct PodClass {
  int id = 0;
  PodConstraints constraints;
  // Set when the pod's node requirements cannot be parsed (e.g. "Gt" with a non-integer).
  std::string invalid;
  core::Requirements requirements;
  core::Requirements strict_requirements;
  Dense requests;
  // The class the pod moves to when relaxed: -2 not computed yet, -1 nothing left to relax.
  int relaxed = -2;
  // Topology groups (indices into Topology) the class owns, and the inverse anti-affinity
  // groups its required anti-affinity terms create.
  std::vector<int> owned_groups;
  std::vector<int> owned_inverse_groups;
  // Kept by the prepared cluster for every run whose pods have these constraints (nullptr: not
  // shared): the running pods' inverse groups that select the class (indices into
  // TopologyBase::running_inverse), filled by the first run that asks.
  std::optional<std::vector<uint32_t>>* running_selecting = nullptr;
};

// Builds a class from constraints (requirements parsed, requests made dense).
PodClass MakePodClass(int id, PodConstraints constraints, const ResourceIndex& resources);

}  // namespace karpenter::scheduling
