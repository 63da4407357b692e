// The label and taint facts the scheduler needs from upstream Karpenter (sigs.k8s.io/karpenter
// pkg/apis/v1/labels.go, pkg/scheduling/taints.go) and the AWS provider's label registrations.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/requirements.h"
#include "core/taint.h"

namespace karpenter::scheduling {

inline constexpr std::string_view kLabelHostname = "kubernetes.io/hostname";
inline constexpr std::string_view kLabelNodePool = "karpenter.sh/nodepool";
inline constexpr std::string_view kLabelZoneId = "topology.k8s.aws/zone-id";

// Karpenter's well-known labels (its own plus those the AWS provider registers): a pod may
// require them of a NodePool that does not mention them, because instance types and offerings
// define them. Any other ("custom") key a pod requires must be defined by the NodePool.
const core::AllowUndefinedKeys& WellKnownLabels();

// The stable spelling of a deprecated label alias (failure-domain.beta.kubernetes.io/zone ->
// topology.kubernetes.io/zone, beta.kubernetes.io/arch -> kubernetes.io/arch, ...), or `key`.
std::string NormalizeLabelKey(std::string_view key);

// Taints Karpenter ignores when simulating: they are on every new node only until it is ready
// (not-ready, unreachable, cloud-provider uninitialized, karpenter.sh/unregistered). Matched by
// key and effect, as upstream's MatchTaint.
bool IsEphemeralTaint(const core::Taint& taint);

// `taints` without the ephemeral ones.
std::vector<core::Taint> WithoutEphemeralTaints(const std::vector<core::Taint>& taints);

}  // namespace karpenter::scheduling
