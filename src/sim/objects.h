// The objects a simulation reads, decoded from the user's documents: validated first exactly as
// `karpenter validate` does, then decoded into the typed model. What cannot be simulated is
// reported, never dropped silently.
#pragma once

#include <vector>

#include "api/diagnostic.h"
#include "api/model/ec2_node_class.h"
#include "api/model/instance_type.h"
#include "api/model/namespace.h"
#include "api/model/node.h"
#include "api/model/node_claim.h"
#include "api/model/node_pool.h"
#include "api/model/persistent_volume.h"
#include "api/model/pod.h"
#include "api/model/pod_disruption_budget.h"
#include "api/model/priority_class.h"
#include "api/model/storage_class.h"
#include "api/model/workloads.h"
#include "api/yaml_reader.h"

namespace karpenter::sim {

// Every object of the input by kind, in input order. Namespaced objects without a namespace are
// in "default", as kubectl would create them.
struct Objects {
  std::vector<api::NodePool> node_pools;
  std::vector<api::EC2NodeClass> node_classes;
  std::vector<api::NodeClaim> node_claims;
  std::vector<api::Node> nodes;
  std::vector<api::Pod> pods;
  std::vector<api::Deployment> deployments;
  std::vector<api::ReplicaSet> replica_sets;
  std::vector<api::StatefulSet> stateful_sets;
  std::vector<api::DaemonSet> daemon_sets;
  std::vector<api::PodDisruptionBudget> pod_disruption_budgets;
  std::vector<api::Namespace> namespaces;
  // Stored by `karpenter replay` before the pods, whose priority the virtual cluster resolves
  // from them on create (kube/priority_admission.h). Provisioning does not read priority (as
  // upstream Karpenter, it queues pending pods by size).
  std::vector<api::PriorityClass> priority_classes;
  // Storage: where pods' volumes live, which constrains the zones they can run in.
  std::vector<api::PersistentVolumeClaim> persistent_volume_claims;
  std::vector<api::PersistentVolume> persistent_volumes;
  std::vector<api::StorageClass> storage_classes;
  // sim.karpenter-cpp.io/v1alpha1 InstanceType: when any is present they form the catalog.
  std::vector<api::InstanceType> instance_types;
};

struct LoadedObjects {
  Objects objects;
  // api::ValidateDocuments' diagnostics, then the loader's own: a warning for each object left
  // out (it has validation errors; its kind is not simulated, e.g. a v1alpha5 Provisioner,
  // which `karpenter convert` turns into v1) and for each object defined again later.
  std::vector<api::Diagnostic> diagnostics;
};

// Validates `documents` (api::ValidateDocuments; `kind: List` items one by one) and decodes
// every object that has no validation error. Karpenter's kinds are decoded after the CRD
// defaults are applied, as the API server stores them. When an object (same kind, namespace and
// name) is defined more than once, the last definition wins, at the place of the first.
LoadedObjects LoadObjects(const std::vector<api::Document>& documents);

}  // namespace karpenter::sim
