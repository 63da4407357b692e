// What disruption asks of a single pod: is it running, would it need a new home, may it be
// evicted, does it carry an active karpenter.sh/do-not-disrupt. Mirrors upstream Karpenter's
// pod utilities (sigs.k8s.io/karpenter pkg/utils/pod).
#pragma once

#include <optional>
#include <string>

#include "api/model/pod.h"
#include "disruption/snapshot.h"

namespace karpenter::disruption {

// Phase Succeeded or Failed.
bool IsTerminal(const api::Pod& pod);
// Has a deletionTimestamp.
bool IsTerminating(const api::Pod& pod);
// Neither terminal nor terminating.
bool IsActive(const api::Pod& pod);
// Owned (owner reference apps/v1 kind) by a DaemonSet / StatefulSet.
bool IsOwnedByDaemonSet(const api::Pod& pod);
bool IsOwnedByStatefulSet(const api::Pod& pod);
// A static (mirror) pod: owned by its v1 Node.
bool IsMirrorPod(const api::Pod& pod);

// Would need a new node if its node went away: active (or a terminating StatefulSet pod, whose
// replacement cannot start until it is gone, as upstream counts it), not a DaemonSet pod, not
// a mirror pod.
bool IsReschedulable(const api::Pod& pod);

// "namespace/name".
std::string PodKey(const api::Pod& pod);

// The pod's Ready condition is True. A pod with no Ready condition at all counts as ready when
// it is Running or has no phase (hand-written snapshots omit status; a kubelet always reports
// the condition).
bool IsPodReady(const api::Pod& pod);

// Why an active pod's karpenter.sh/do-not-disrupt still protects it at `now`, or nullopt when it
// does not. As upstream: "true" protects for ever; a positive Go duration ("1h") protects until
// that long after the pod's status.startTime, and for ever while the start time is unknown;
// any other value is ignored. Terminal and terminating pods are never protected.
std::optional<std::string> DoNotDisruptReason(const api::Pod& pod, Time now);

// Whether Karpenter would call the eviction API for the pod when draining, so PDBs apply: it is
// active, does not tolerate the karpenter.sh/disrupted:NoSchedule taint, is not a mirror pod
// and has no active do-not-disrupt (upstream IsEvictable).
bool IsEvictable(const api::Pod& pod, Time now);

}  // namespace karpenter::disruption
