// Relaxation of a pod that failed to schedule, one step at a time, in upstream Karpenter's
// order (pkg/controllers/provisioning/scheduling/preferences.go): the first required
// nodeAffinity OR-term (while another remains), the heaviest preferred podAffinity term, the
// heaviest preferred podAntiAffinity term, the heaviest preferred nodeAffinity term, a
// ScheduleAnyway topology spread constraint, and finally (only when some NodePool has a
// PreferNoSchedule taint) a toleration of every PreferNoSchedule taint.
#pragma once

#include <optional>
#include <string>

#include "scheduling/pod_constraints.h"

namespace karpenter::scheduling {

// Applies the next relaxation to `constraints`; returns what was relaxed ("removed preferred
// nodeAffinity term ...") or nullopt when nothing is left to relax (constraints unchanged).
std::optional<std::string> Relax(PodConstraints& constraints, bool tolerate_prefer_no_schedule);

}  // namespace karpenter::scheduling
