#include "api/codec/pod_codec.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "api/model/pod.h"
#include "karpenter_codec_test_util.h"

namespace karpenter::api {
namespace {

using codec::DecodePod;
using codec::EncodePod;
using karpenter_codec_testing::Describe;
using karpenter_codec_testing::Yaml;

core::Quantity Q(std::string_view text) { return *core::Quantity::Parse(text); }

// A pending pod with every modelled field, plus fields the model does not know (image, env,
// emptyDir volume, securityContext, status.containerStatuses) that must survive a round trip.
constexpr std::string_view kPod = R"(apiVersion: v1
kind: Pod
metadata:
  name: web-0
  namespace: team-a
  uid: 0b6c3f0e-1111-2222-3333-444455556666
  resourceVersion: "4711"
  labels:
    app: web
  annotations:
    karpenter.sh/do-not-disrupt: "true"
  ownerReferences:
    - apiVersion: apps/v1
      kind: StatefulSet
      name: web
      uid: 9a9a9a9a-0000-0000-0000-000000000000
      controller: true
      blockOwnerDeletion: true
  creationTimestamp: "2024-05-27T10:00:00Z"
  managedFields: []
spec:
  nodeSelector:
    karpenter.sh/capacity-type: spot
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
          - matchExpressions:
              - key: topology.kubernetes.io/zone
                operator: In
                values: [us-west-2a, us-west-2b]
              - key: karpenter.k8s.aws/instance-cpu
                operator: Gt
                values: ["3"]
            matchFields:
              - key: metadata.name
                operator: NotIn
                values: [node-1]
      preferredDuringSchedulingIgnoredDuringExecution:
        - weight: 50
          preference:
            matchExpressions:
              - key: kubernetes.io/arch
                operator: In
                values: [arm64]
    podAffinity:
      preferredDuringSchedulingIgnoredDuringExecution:
        - weight: 10
          podAffinityTerm:
            labelSelector:
              matchLabels:
                app: cache
            namespaceSelector: {}
            topologyKey: kubernetes.io/hostname
    podAntiAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        - labelSelector:
            matchExpressions:
              - key: app
                operator: In
                values: [web]
          namespaces: [team-a, team-b]
          topologyKey: topology.kubernetes.io/zone
          matchLabelKeys: [pod-template-hash]
          mismatchLabelKeys: [tenant]
  tolerations:
    - key: dedicated
      operator: Equal
      value: web
      effect: NoSchedule
    - operator: Exists
    - key: node.kubernetes.io/not-ready
      operator: Exists
      effect: NoExecute
      tolerationSeconds: 300
  topologySpreadConstraints:
    - maxSkew: 1
      topologyKey: topology.kubernetes.io/zone
      whenUnsatisfiable: DoNotSchedule
      labelSelector:
        matchLabels:
          app: web
      minDomains: 3
      nodeAffinityPolicy: Ignore
      nodeTaintsPolicy: Honor
      matchLabelKeys: [pod-template-hash]
    - maxSkew: 2
      topologyKey: kubernetes.io/hostname
      whenUnsatisfiable: ScheduleAnyway
  initContainers:
    - name: setup
      image: busybox
      resources:
        requests:
          cpu: 2
          memory: 64Mi
    - name: proxy
      image: envoy
      restartPolicy: Always
      resources:
        limits:
          cpu: 500m
  containers:
    - name: web
      image: nginx
      env:
        - name: MODE
          value: prod
      ports:
        - name: http
          containerPort: 8080
          hostPort: 80
          protocol: UDP
          hostIP: 10.0.0.1
        - containerPort: 9090
      resources:
        requests:
          cpu: 1.5
          memory: 1Gi
        limits:
          cpu: "2"
          memory: 1Gi
  overhead:
    cpu: 250m
  priority: 1000
  priorityClassName: high
  preemptionPolicy: Never
  schedulerName: my-scheduler
  runtimeClassName: kata
  volumes:
    - name: data
      persistentVolumeClaim:
        claimName: data-web-0
        readOnly: true
    - name: scratch
      emptyDir: {}
  terminationGracePeriodSeconds: 60
  securityContext:
    runAsNonRoot: true
status:
  phase: Pending
  conditions:
    - type: PodScheduled
      status: "False"
      reason: Unschedulable
      message: 0/3 nodes are available
      lastTransitionTime: "2024-05-27T10:00:05Z"
      lastProbeTime: null
  nominatedNodeName: node-7
  startTime: "2024-05-27T10:00:07Z"
  containerStatuses: []
)";

TEST(PodCodec, DecodesEveryModelledField) {
  FieldErrors errors;
  Pod pod = DecodePod(Yaml(kPod), errors);
  EXPECT_EQ(Describe(errors), std::vector<std::string>{});

  EXPECT_EQ(pod.metadata.name, "web-0");
  EXPECT_EQ(pod.metadata.namespace_, "team-a");
  EXPECT_EQ(pod.metadata.resource_version, "4711");
  EXPECT_EQ(pod.metadata.labels, (Labels{{"app", "web"}}));
  EXPECT_EQ(pod.metadata.annotations.at("karpenter.sh/do-not-disrupt"), "true");
  ASSERT_EQ(pod.metadata.owner_references.size(), 1u);
  EXPECT_EQ(pod.metadata.owner_references[0],
            (OwnerReference{"apps/v1", "StatefulSet", "web",
                            "9a9a9a9a-0000-0000-0000-000000000000", true, true}));
  EXPECT_EQ(pod.metadata.creation_timestamp, 1716804000);

  const PodSpec& spec = pod.spec;
  EXPECT_EQ(spec.node_selector, (Labels{{"karpenter.sh/capacity-type", "spot"}}));
  const NodeAffinity& node = spec.affinity.node_affinity;
  ASSERT_EQ(node.required.size(), 1u);
  EXPECT_EQ(node.required[0].match_expressions,
            (std::vector<core::NodeSelectorRequirement>{
                {"topology.kubernetes.io/zone", core::Operator::In, {"us-west-2a", "us-west-2b"}, {}},
                {"karpenter.k8s.aws/instance-cpu", core::Operator::Gt, {"3"}, {}}}));
  EXPECT_EQ(node.required[0].match_fields,
            (std::vector<core::NodeSelectorRequirement>{
                {"metadata.name", core::Operator::NotIn, {"node-1"}, {}}}));
  ASSERT_EQ(node.preferred.size(), 1u);
  EXPECT_EQ(node.preferred[0].weight, 50);
  EXPECT_EQ(node.preferred[0].preference.match_expressions[0].values,
            (std::vector<std::string>{"arm64"}));

  ASSERT_EQ(spec.affinity.pod_affinity.preferred.size(), 1u);
  const WeightedPodAffinityTerm& weighted = spec.affinity.pod_affinity.preferred[0];
  EXPECT_EQ(weighted.weight, 10);
  EXPECT_EQ(weighted.term.label_selector->match_labels, (Labels{{"app", "cache"}}));
  ASSERT_TRUE(weighted.term.namespace_selector.has_value());
  EXPECT_TRUE(weighted.term.namespace_selector->IsEmpty());
  EXPECT_EQ(weighted.term.topology_key, "kubernetes.io/hostname");
  EXPECT_TRUE(spec.affinity.pod_affinity.required.empty());

  ASSERT_EQ(spec.affinity.pod_anti_affinity.required.size(), 1u);
  const PodAffinityTerm& anti = spec.affinity.pod_anti_affinity.required[0];
  EXPECT_EQ(anti.label_selector->match_expressions,
            (std::vector<core::LabelSelectorRequirement>{
                {"app", core::LabelSelectorOperator::In, {"web"}}}));
  EXPECT_FALSE(anti.namespace_selector.has_value());
  EXPECT_EQ(anti.namespaces, (std::vector<std::string>{"team-a", "team-b"}));
  EXPECT_EQ(anti.match_label_keys, (std::vector<std::string>{"pod-template-hash"}));
  EXPECT_EQ(anti.mismatch_label_keys, (std::vector<std::string>{"tenant"}));

  ASSERT_EQ(spec.tolerations.size(), 3u);
  EXPECT_EQ(spec.tolerations[0], (core::Toleration{"dedicated", core::TolerationOperator::Equal,
                                                   "web", core::TaintEffect::NoSchedule, {}}));
  EXPECT_EQ(spec.tolerations[1],
            (core::Toleration{"", core::TolerationOperator::Exists, "", std::nullopt, {}}));
  EXPECT_EQ(spec.tolerations[2],
            (core::Toleration{"node.kubernetes.io/not-ready", core::TolerationOperator::Exists,
                              "", core::TaintEffect::NoExecute, 300}));

  ASSERT_EQ(spec.topology_spread_constraints.size(), 2u);
  const TopologySpreadConstraint& zone = spec.topology_spread_constraints[0];
  EXPECT_EQ(zone.max_skew, 1);
  EXPECT_EQ(zone.topology_key, "topology.kubernetes.io/zone");
  EXPECT_EQ(zone.when_unsatisfiable, UnsatisfiableConstraintAction::kDoNotSchedule);
  EXPECT_EQ(zone.label_selector->match_labels, (Labels{{"app", "web"}}));
  EXPECT_EQ(zone.min_domains, 3);
  EXPECT_EQ(zone.node_affinity_policy, NodeInclusionPolicy::kIgnore);
  EXPECT_EQ(zone.node_taints_policy, NodeInclusionPolicy::kHonor);
  EXPECT_EQ(zone.match_label_keys, (std::vector<std::string>{"pod-template-hash"}));
  const TopologySpreadConstraint& host = spec.topology_spread_constraints[1];
  EXPECT_EQ(host.when_unsatisfiable, UnsatisfiableConstraintAction::kScheduleAnyway);
  EXPECT_FALSE(host.label_selector.has_value());
  EXPECT_EQ(host.EffectiveNodeAffinityPolicy(), NodeInclusionPolicy::kHonor);
  EXPECT_EQ(host.EffectiveNodeTaintsPolicy(), NodeInclusionPolicy::kIgnore);

  ASSERT_EQ(spec.init_containers.size(), 2u);
  EXPECT_EQ(spec.init_containers[0].resources.requests,
            (core::ResourceList{{"cpu", Q("2")}, {"memory", Q("64Mi")}}));
  EXPECT_FALSE(spec.init_containers[0].RestartsAlways());
  EXPECT_TRUE(spec.init_containers[1].RestartsAlways());
  EXPECT_EQ(spec.init_containers[1].resources.limits, (core::ResourceList{{"cpu", Q("500m")}}));
  ASSERT_EQ(spec.containers.size(), 1u);
  const Container& web = spec.containers[0];
  EXPECT_EQ(web.name, "web");
  EXPECT_EQ(web.resources.requests, (core::ResourceList{{"cpu", Q("1500m")}, {"memory", Q("1Gi")}}));
  EXPECT_EQ(web.resources.limits, (core::ResourceList{{"cpu", Q("2")}, {"memory", Q("1Gi")}}));
  EXPECT_EQ(web.ports, (std::vector<ContainerPort>{{"http", 8080, 80, "UDP", "10.0.0.1"},
                                                   {"", 9090, 0, "TCP", ""}}));

  EXPECT_EQ(spec.overhead, (core::ResourceList{{"cpu", Q("250m")}}));
  EXPECT_EQ(spec.priority, 1000);
  EXPECT_EQ(spec.priority_class_name, "high");
  EXPECT_EQ(spec.preemption_policy, PreemptionPolicy::kNever);
  EXPECT_EQ(spec.scheduler_name, "my-scheduler");
  EXPECT_EQ(spec.runtime_class_name, "kata");
  EXPECT_EQ(spec.volumes, (std::vector<Volume>{{"data", "data-web-0"}, {"scratch", std::nullopt}}));
  EXPECT_EQ(spec.termination_grace_period_seconds, 60);

  EXPECT_EQ(pod.status.phase, "Pending");
  EXPECT_EQ(pod.status.conditions,
            (std::vector<PodCondition>{{"PodScheduled", "False", "Unschedulable",
                                        "0/3 nodes are available", 1716804005}}));
  EXPECT_EQ(pod.status.nominated_node_name, "node-7");
  EXPECT_EQ(pod.status.start_time, 1716804007);
}

TEST(PodCodec, RoundTripKeepsTheInputExactly) {
  const Json input = Yaml(kPod);
  FieldErrors errors;
  Pod pod = DecodePod(input, errors);
  ASSERT_TRUE(errors.empty());
  EXPECT_EQ(EncodePod(pod).dump(2), input.dump(2));
}

TEST(PodCodec, MinimalPodGetsApiServerDefaults) {
  FieldErrors errors;
  const Json input = Yaml("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
                          "spec:\n  containers:\n    - name: c\n      ports: [{containerPort: 80}]\n");
  Pod pod = DecodePod(input, errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(pod.spec.scheduler_name, "default-scheduler");
  EXPECT_EQ(pod.spec.termination_grace_period_seconds, 30);
  EXPECT_EQ(pod.spec.containers[0].ports[0].protocol, "TCP");
  EXPECT_FALSE(pod.spec.priority.has_value());
  EXPECT_FALSE(pod.spec.preemption_policy.has_value());
  // The defaults stay implicit on the way out.
  EXPECT_EQ(EncodePod(pod), input);
}

TEST(PodCodec, EncodesDefaultPodMinimally) {
  EXPECT_EQ(EncodePod(Pod{}),
            Json::parse(R"({"apiVersion":"v1","kind":"Pod","metadata":{}})"));
}

TEST(PodCodec, EncodesChangesCanonicallyAndKeepsTheRest) {
  FieldErrors errors;
  Pod pod = DecodePod(Yaml(kPod), errors);
  pod.spec.containers[0].resources.requests.Set("cpu", Q("0.25"));
  pod.spec.tolerations.pop_back();
  pod.spec.scheduler_name = "default-scheduler";
  pod.spec.node_name = "node-7";
  pod.status = PodStatus{};
  Json out = EncodePod(pod);
  const Json& spec = out["spec"];
  EXPECT_EQ(spec["containers"][0]["resources"]["requests"],
            Json::parse(R"({"cpu":"250m","memory":"1Gi"})"));
  EXPECT_EQ(spec["containers"][0]["image"], "nginx");
  EXPECT_EQ(spec["tolerations"].size(), 2u);
  // Written in the input, so it stays explicit even when set back to the default.
  EXPECT_EQ(spec["schedulerName"], "default-scheduler");
  EXPECT_EQ(spec["nodeName"], "node-7");
  EXPECT_EQ(out["status"], Json::parse(R"({"containerStatuses":[]})"));
}

TEST(PodCodec, EncodesNewPodInKubernetesFieldOrder) {
  Pod pod;
  pod.metadata.name = "p";
  Container container;
  container.name = "c";
  container.resources.requests.Set("cpu", Q("1"));
  pod.spec.containers.push_back(container);
  pod.spec.tolerations.push_back({"k", core::TolerationOperator::Exists, "", {}, {}});
  PodAffinityTerm term;
  term.label_selector = core::LabelSelector{};
  term.topology_key = "kubernetes.io/hostname";
  pod.spec.affinity.pod_anti_affinity.required.push_back(term);
  EXPECT_EQ(EncodePod(pod).dump(), Json::parse(R"({
    "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
    "spec": {
      "containers": [{"name": "c", "resources": {"requests": {"cpu": "1"}}}],
      "affinity": {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
        {"labelSelector": {}, "topologyKey": "kubernetes.io/hostname"}]}},
      "tolerations": [{"key": "k", "operator": "Exists"}]
    }})").dump());
}

TEST(PodCodec, WrongTypesAreErrorsAndTheRestIsDecoded) {
  FieldErrors errors;
  Pod pod = DecodePod(Yaml(R"(apiVersion: v1
kind: Pod
metadata:
  name: p
  labels: [a]
spec:
  nodeSelector: zone
  priority: high
  tolerations: {key: a}
  containers:
    - name: c
      resources:
        requests:
          cpu: lots
          memory: 1Gi
    - 42
  terminationGracePeriodSeconds: 1.5
status:
  conditions: [{type: Ready, lastTransitionTime: yesterday}]
)"),
                      errors);
  EXPECT_EQ(Describe(errors),
            (std::vector<std::string>{
                "/metadata/labels: must be a map of strings, not array",
                "/spec/nodeSelector: must be a map of strings, not string",
                "/spec/tolerations: must be a list, not object",
                "/spec/containers/0/resources/requests/cpu: invalid quantity \"lots\": " +
                    core::Quantity::Parse("lots").error().message,
                "/spec/containers/1: must be an object, not integer",
                "/spec/priority: must be an integer, not string",
                "/spec/terminationGracePeriodSeconds: must be an integer, not number",
                "/status/conditions/0/lastTransitionTime: invalid RFC 3339 timestamp \"yesterday\"",
            }));
  EXPECT_EQ(pod.metadata.name, "p");
  ASSERT_EQ(pod.spec.containers.size(), 1u);
  EXPECT_EQ(pod.spec.containers[0].resources.requests, (core::ResourceList{{"memory", Q("1Gi")}}));
  EXPECT_EQ(pod.spec.termination_grace_period_seconds, 30);
  EXPECT_EQ(pod.status.conditions[0].type, "Ready");
}

// Decodes `spec_yaml` as the spec of a pod and returns its errors.
std::vector<std::string> SpecErrors(std::string_view spec_yaml) {
  FieldErrors errors;
  DecodePod(Yaml("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n" + std::string(spec_yaml)),
            errors);
  return Describe(errors);
}

TEST(PodValidation, Tolerations) {
  EXPECT_EQ(SpecErrors(R"(  containers: [{name: c}]
  tolerations:
    - {key: a, operator: Exists, value: x}
    - {key: a, operator: In, value: x}
    - {operator: Equal, value: x}
    - {key: a, effect: NoScheduleNow}
    - {key: a, operator: Exists, effect: NoSchedule, tolerationSeconds: 10}
    - {key: a, operator: Exists, effect: NoExecute, tolerationSeconds: 10}
)"),
            (std::vector<std::string>{
                "/spec/tolerations/0/operator: Invalid value: \"Exists\": value must be empty when "
                "`operator` is 'Exists'",
                "/spec/tolerations/1/operator: Unsupported value: \"In\": supported values: "
                "\"Equal\", \"Exists\"",
                "/spec/tolerations/2/operator: Invalid value: \"Equal\": operator must be Exists "
                "when `key` is empty, which means \"match all values and all keys\"",
                "/spec/tolerations/3/effect: Unsupported value: \"NoScheduleNow\": supported "
                "values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"",
                "/spec/tolerations/4/effect: Invalid value: \"NoSchedule\": effect must be "
                "'NoExecute' when `tolerationSeconds` is set",
            }));
}

TEST(PodValidation, TopologySpreadConstraints) {
  EXPECT_EQ(SpecErrors(R"(  containers: [{name: c}]
  topologySpreadConstraints:
    - {maxSkew: 0, topologyKey: zone, whenUnsatisfiable: DoNotSchedule}
    - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: Sometimes}
    - {maxSkew: 1, whenUnsatisfiable: ScheduleAnyway, minDomains: 2}
    - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, minDomains: 0,
       nodeTaintsPolicy: Maybe}
)"),
            (std::vector<std::string>{
                "/spec/topologySpreadConstraints/0/maxSkew: Invalid value: 0: must be greater "
                "than zero",
                "/spec/topologySpreadConstraints/1/whenUnsatisfiable: Unsupported value: "
                "\"Sometimes\": supported values: \"DoNotSchedule\", \"ScheduleAnyway\"",
                "/spec/topologySpreadConstraints/2/topologyKey: Required value: can not be empty",
                "/spec/topologySpreadConstraints/2/minDomains: Invalid value: 2: can only use "
                "minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway",
                "/spec/topologySpreadConstraints/3/minDomains: Invalid value: 0: must be greater "
                "than zero",
                "/spec/topologySpreadConstraints/3/nodeTaintsPolicy: Unsupported value: "
                "\"Maybe\": supported values: \"Honor\", \"Ignore\"",
                "/spec/topologySpreadConstraints/0: Duplicate value: \"{zone, DoNotSchedule}\"",
            }));
}

TEST(PodValidation, LabelSelectorsInAffinityAndSpread) {
  EXPECT_EQ(SpecErrors(R"(  containers: [{name: c}]
  affinity:
    podAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        - labelSelector:
            matchExpressions:
              - {key: app, operator: In}
              - {key: app, operator: Exists, values: [x]}
              - {key: app, operator: Gt, values: ["1"]}
              - {operator: NotIn, values: [x]}
          topologyKey: ""
    podAntiAffinity:
      preferredDuringSchedulingIgnoredDuringExecution:
        - weight: 101
          podAffinityTerm: {topologyKey: zone}
  topologySpreadConstraints:
    - maxSkew: 1
      topologyKey: zone
      whenUnsatisfiable: DoNotSchedule
      labelSelector:
        matchExpressions: [{key: app, operator: NotIn, values: []}]
)"),
            (std::vector<std::string>{
                "/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/0/"
                "labelSelector/matchExpressions/0/values: Required value: must be specified when "
                "`operator` is 'In' or 'NotIn'",
                "/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/0/"
                "labelSelector/matchExpressions/1/values: Forbidden: may not be specified when "
                "`operator` is 'Exists' or 'DoesNotExist'",
                "/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/0/"
                "labelSelector/matchExpressions/2/operator: Invalid value: \"Gt\": not a valid "
                "selector operator",
                "/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/0/"
                "labelSelector/matchExpressions/3/key: Invalid value: \"\": name part must be "
                "non-empty",
                "/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/0/"
                "topologyKey: Required value: can not be empty",
                "/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/0/"
                "weight: Invalid value: 101: must be in the range 1-100",
                "/spec/topologySpreadConstraints/0/labelSelector/matchExpressions/0/values: "
                "Required value: must be specified when `operator` is 'In' or 'NotIn'",
            }));
}

TEST(PodValidation, NodeAffinity) {
  EXPECT_EQ(SpecErrors(R"(  containers: [{name: c}]
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms: []
      preferredDuringSchedulingIgnoredDuringExecution:
        - weight: 0
          preference:
            matchExpressions:
              - {key: size, operator: Gte, values: ["4"]}
              - {key: size, operator: Lt, values: ["4", "5"]}
              - {key: zone, operator: DoesNotExist, values: [a]}
            matchFields:
              - {key: metadata.name, operator: In, values: [a, b]}
              - {key: spec.providerID, operator: Exists}
)"),
            (std::vector<std::string>{
                "/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/"
                "nodeSelectorTerms: Required value: must have at least one node selector term",
                "/spec/affinity/nodeAffinity/preferredDuringSchedulingIgnoredDuringExecution/0/"
                "weight: Invalid value: 0: must be in the range 1-100",
                "/spec/affinity/nodeAffinity/preferredDuringSchedulingIgnoredDuringExecution/0/"
                "preference/matchExpressions/0/operator: Invalid value: \"Gte\": not a valid "
                "selector operator",
                "/spec/affinity/nodeAffinity/preferredDuringSchedulingIgnoredDuringExecution/0/"
                "preference/matchExpressions/1/values: Required value: must be specified single "
                "value when `operator` is 'Lt' or 'Gt'",
                "/spec/affinity/nodeAffinity/preferredDuringSchedulingIgnoredDuringExecution/0/"
                "preference/matchExpressions/2/values: Forbidden: may not be specified when "
                "`operator` is 'Exists' or 'DoesNotExist'",
                "/spec/affinity/nodeAffinity/preferredDuringSchedulingIgnoredDuringExecution/0/"
                "preference/matchFields/0/values: Required value: must be only one value when "
                "`operator` is 'In' or 'NotIn' for node field selector",
                "/spec/affinity/nodeAffinity/preferredDuringSchedulingIgnoredDuringExecution/0/"
                "preference/matchFields/1/operator: Invalid value: \"Exists\": not a valid "
                "selector operator",
                "/spec/affinity/nodeAffinity/preferredDuringSchedulingIgnoredDuringExecution/0/"
                "preference/matchFields/1/key: Invalid value: \"spec.providerID\": not a valid "
                "field selector key",
            }));
}

TEST(PodValidation, Containers) {
  EXPECT_EQ(SpecErrors(R"(  initContainers:
    - name: web
    - name: sidecar
      restartPolicy: OnFailure
  containers:
    - name: web
      resources:
        requests: {cpu: "2", memory: -1Gi}
        limits: {cpu: "1"}
      ports:
        - {containerPort: 0, protocol: HTTP}
        - {containerPort: 70000, hostPort: -1}
    - image: nginx
    - name: web
)"),
            (std::vector<std::string>{
                "/spec/containers/0/resources/requests/memory: Invalid value: \"-1Gi\": must be "
                "greater than or equal to 0",
                "/spec/containers/0/resources/requests/cpu: Invalid value: \"2\": must be less "
                "than or equal to cpu limit of 1",
                "/spec/containers/0/ports/0/containerPort: Required value",
                "/spec/containers/0/ports/0/protocol: Unsupported value: \"HTTP\": supported "
                "values: \"SCTP\", \"TCP\", \"UDP\"",
                "/spec/containers/0/ports/1/containerPort: Invalid value: 70000: must be between "
                "1 and 65535, inclusive",
                "/spec/containers/0/ports/1/hostPort: Invalid value: -1: must be between 1 and "
                "65535, inclusive",
                "/spec/containers/1/name: Required value",
                "/spec/containers/2/name: Duplicate value: \"web\"",
                "/spec/initContainers/0/name: Duplicate value: \"web\"",
                "/spec/initContainers/1/restartPolicy: Unsupported value: \"OnFailure\": "
                "supported values: \"Always\"",
            }));
  EXPECT_EQ(SpecErrors("  priorityClassName: x\n"),
            (std::vector<std::string>{"/spec/containers: Required value"}));
}

TEST(PodValidation, PreemptionPolicyAndVolumes) {
  EXPECT_EQ(SpecErrors(R"(  containers: [{name: c}]
  preemptionPolicy: Sometimes
  volumes:
    - persistentVolumeClaim: {}
)"),
            (std::vector<std::string>{
                "/spec/preemptionPolicy: Unsupported value: \"Sometimes\": supported values: "
                "\"PreemptLowerPriority\", \"Never\"",
                "/spec/volumes/0/name: Required value",
                "/spec/volumes/0/persistentVolumeClaim/claimName: Required value",
            }));
}

}  // namespace
}  // namespace karpenter::api
