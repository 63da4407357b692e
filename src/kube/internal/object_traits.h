// Per-kind facts the in-memory store needs: the kind's name, whether it lives in a namespace,
// whether it has a status written through UpdateStatus, and which fields are its spec (a change
// there bumps metadata.generation). Internal to kube/.
#pragma once

#include <string_view>

#include "api/model/ec2_node_class.h"
#include "api/model/namespace.h"
#include "api/model/node.h"
#include "api/model/node_claim.h"
#include "api/model/node_pool.h"
#include "api/model/pod.h"
#include "api/model/pod_disruption_budget.h"
#include "api/model/priority_class.h"
#include "api/model/workloads.h"

namespace karpenter::kube::internal {

template <class T>
struct ObjectTraits;  // specialised for every kind below

// Kinds with a `status` member, replaced only by UpdateStatus (and Patch).
template <class T>
struct StatusMember {
  static constexpr bool kHasStatus = true;
  static bool StatusEqual(const T& a, const T& b) { return a.status == b.status; }
  static void CopyStatus(const T& from, T& to) { to.status = from.status; }
};

// Kinds whose model has no status: UpdateStatus is refused.
template <class T>
struct NoStatus {
  static constexpr bool kHasStatus = false;
  static bool StatusEqual(const T&, const T&) { return true; }
  static void CopyStatus(const T&, T&) {}
};

// Kinds whose desired state is one `spec` member.
template <class T>
struct SpecMember {
  static bool SpecEqual(const T& a, const T& b) { return a.spec == b.spec; }
};

template <>
struct ObjectTraits<api::Pod> : StatusMember<api::Pod>, SpecMember<api::Pod> {
  static constexpr std::string_view kKind = "Pod";
  static constexpr bool kNamespaced = true;
  // The API server starts every pod Pending; a caller's explicit phase is kept (tests and
  // simulations create running pods directly).
  static void PrepareForCreate(api::Pod& pod) {
    if (pod.status.phase.empty()) pod.status.phase = "Pending";
  }
};

template <>
struct ObjectTraits<api::Node> : StatusMember<api::Node>, SpecMember<api::Node> {
  static constexpr std::string_view kKind = "Node";
  static constexpr bool kNamespaced = false;
};

template <>
struct ObjectTraits<api::NodeClaim> : StatusMember<api::NodeClaim>, SpecMember<api::NodeClaim> {
  static constexpr std::string_view kKind = "NodeClaim";
  static constexpr bool kNamespaced = false;
};

template <>
struct ObjectTraits<api::NodePool> : StatusMember<api::NodePool>, SpecMember<api::NodePool> {
  static constexpr std::string_view kKind = "NodePool";
  static constexpr bool kNamespaced = false;
};

template <>
struct ObjectTraits<api::EC2NodeClass> : StatusMember<api::EC2NodeClass>,
                                         SpecMember<api::EC2NodeClass> {
  static constexpr std::string_view kKind = "EC2NodeClass";
  static constexpr bool kNamespaced = false;
};

template <>
struct ObjectTraits<api::PodDisruptionBudget> : StatusMember<api::PodDisruptionBudget> {
  static constexpr std::string_view kKind = "PodDisruptionBudget";
  static constexpr bool kNamespaced = true;
  static bool SpecEqual(const api::PodDisruptionBudget& a, const api::PodDisruptionBudget& b) {
    return a.selector == b.selector && a.min_available == b.min_available &&
           a.max_unavailable == b.max_unavailable &&
           a.unhealthy_pod_eviction_policy == b.unhealthy_pod_eviction_policy;
  }
};

// Deployments and ReplicaSets share their modelled spec fields.
template <class T>
struct ReplicatedSpec {
  static bool SpecEqual(const T& a, const T& b) {
    return a.replicas == b.replicas && a.selector == b.selector && a.pod_template == b.pod_template;
  }
};

template <>
struct ObjectTraits<api::Deployment> : NoStatus<api::Deployment>, ReplicatedSpec<api::Deployment> {
  static constexpr std::string_view kKind = "Deployment";
  static constexpr bool kNamespaced = true;
};

template <>
struct ObjectTraits<api::ReplicaSet> : NoStatus<api::ReplicaSet>, ReplicatedSpec<api::ReplicaSet> {
  static constexpr std::string_view kKind = "ReplicaSet";
  static constexpr bool kNamespaced = true;
};

template <>
struct ObjectTraits<api::StatefulSet> : NoStatus<api::StatefulSet> {
  static constexpr std::string_view kKind = "StatefulSet";
  static constexpr bool kNamespaced = true;
  static bool SpecEqual(const api::StatefulSet& a, const api::StatefulSet& b) {
    return a.replicas == b.replicas && a.selector == b.selector &&
           a.pod_template == b.pod_template && a.service_name == b.service_name &&
           a.pod_management_policy == b.pod_management_policy &&
           a.volume_claim_template_names == b.volume_claim_template_names;
  }
};

template <>
struct ObjectTraits<api::DaemonSet> : NoStatus<api::DaemonSet> {
  static constexpr std::string_view kKind = "DaemonSet";
  static constexpr bool kNamespaced = true;
  static bool SpecEqual(const api::DaemonSet& a, const api::DaemonSet& b) {
    return a.selector == b.selector && a.pod_template == b.pod_template;
  }
};

template <>
struct ObjectTraits<api::Namespace> : NoStatus<api::Namespace> {
  static constexpr std::string_view kKind = "Namespace";
  static constexpr bool kNamespaced = false;
  static bool SpecEqual(const api::Namespace&, const api::Namespace&) { return true; }
};

template <>
struct ObjectTraits<api::PriorityClass> : NoStatus<api::PriorityClass> {
  static constexpr std::string_view kKind = "PriorityClass";
  static constexpr bool kNamespaced = false;
  static bool SpecEqual(const api::PriorityClass& a, const api::PriorityClass& b) {
    return a.value == b.value && a.global_default == b.global_default &&
           a.preemption_policy == b.preemption_policy && a.description == b.description;
  }
};

}  // namespace karpenter::kube::internal
