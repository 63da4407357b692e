#include "api/model/pod_requests.h"

namespace karpenter::api {

core::ResourceList ContainerRequests(const Container& container) {
  core::ResourceList requests = container.resources.requests;
  for (const auto& [name, limit] : container.resources.limits) {
    if (!requests.Contains(name)) requests.Set(name, limit);
  }
  return requests;
}

core::ResourceList EffectiveRequests(const PodSpec& spec) {
  core::ResourceList steady;  // everything that runs once the pod is up
  for (const Container& container : spec.containers) steady.Add(ContainerRequests(container));

  core::ResourceList sidecars;  // sidecars started so far, in declaration order
  core::ResourceList init_peak;
  for (const Container& container : spec.init_containers) {
    core::ResourceList requests = ContainerRequests(container);
    core::ResourceList step;
    if (container.RestartsAlways()) {
      steady.Add(requests);
      sidecars.Add(requests);
      step = sidecars;
    } else {
      step = requests;
      step.Add(sidecars);
    }
    init_peak = core::ResourceList::Max(init_peak, step);
  }

  core::ResourceList total = core::ResourceList::Max(steady, init_peak);
  total.Add(spec.overhead);
  return total;
}

core::ResourceList EffectiveRequests(const Pod& pod) { return EffectiveRequests(pod.spec); }

}  // namespace karpenter::api
