#include "api/codec/workload_codec.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "api/model/pod_requests.h"
#include "karpenter_codec_test_util.h"

namespace karpenter::api {
namespace {

using namespace codec;
using karpenter_codec_testing::Describe;
using karpenter_codec_testing::RepoFile;
using karpenter_codec_testing::Yaml;

TEST(WorkloadCodec, InflateExampleDecodes) {
  std::vector<Json> documents = RepoFile("examples/inflate.yaml");
  ASSERT_EQ(documents.size(), 1u);
  FieldErrors errors;
  Deployment inflate = DecodeDeployment(documents[0], errors);
  EXPECT_EQ(Describe(errors), std::vector<std::string>{});
  EXPECT_EQ(inflate.metadata.name, "inflate");
  EXPECT_EQ(inflate.replicas, 0);
  ASSERT_TRUE(inflate.selector.has_value());
  EXPECT_EQ(inflate.selector->match_labels, (Labels{{"app", "inflate"}}));
  EXPECT_EQ(inflate.pod_template.metadata.labels, (Labels{{"app", "inflate"}}));
  const PodSpec& spec = inflate.pod_template.spec;
  EXPECT_EQ(spec.termination_grace_period_seconds, 0);
  ASSERT_EQ(spec.containers.size(), 1u);
  EXPECT_EQ(spec.containers[0].name, "inflate");
  EXPECT_EQ(spec.containers[0].resources.requests,
            (core::ResourceList{{"cpu", core::Quantity::FromInt(1)}}));
  EXPECT_EQ(EffectiveRequests(spec), (core::ResourceList{{"cpu", core::Quantity::FromInt(1)}}));
  // The round trip keeps `cpu: 1` a number and the image nobody modelled.
  EXPECT_EQ(EncodeDeployment(inflate).dump(2), documents[0].dump(2));
}

constexpr std::string_view kDeployment = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: team-a
spec:
  selector:
    matchExpressions:
      - {key: app, operator: In, values: [web, web-canary]}
  strategy:
    type: RollingUpdate
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx
)";

TEST(WorkloadCodec, AbsentReplicasIsOneAndStaysImplicit) {
  const Json input = Yaml(kDeployment);
  FieldErrors errors;
  Deployment deployment = DecodeDeployment(input, errors);
  EXPECT_EQ(Describe(errors), std::vector<std::string>{});
  EXPECT_EQ(deployment.replicas, 1);
  EXPECT_EQ(EncodeDeployment(deployment).dump(), input.dump());

  deployment.replicas = 5;
  Json scaled = EncodeDeployment(deployment);
  EXPECT_EQ(scaled["spec"]["replicas"], 5);
  EXPECT_EQ(scaled["spec"]["strategy"]["type"], "RollingUpdate");
}

TEST(WorkloadCodec, EncodesDefaultsMinimally) {
  EXPECT_EQ(EncodeDeployment(Deployment{}),
            Json::parse(R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{}})"));
  EXPECT_EQ(EncodeReplicaSet(ReplicaSet{}),
            Json::parse(R"({"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{}})"));
  EXPECT_EQ(EncodeStatefulSet(StatefulSet{}),
            Json::parse(R"({"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{}})"));
  EXPECT_EQ(EncodeDaemonSet(DaemonSet{}),
            Json::parse(R"({"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{}})"));
}

TEST(WorkloadCodec, EncodesNewDeployment) {
  Deployment deployment;
  deployment.metadata.name = "d";
  deployment.replicas = 0;
  deployment.selector = core::LabelSelector{{{"app", "d"}}, {}};
  deployment.pod_template.metadata.labels = {{"app", "d"}};
  Container container;
  container.name = "c";
  deployment.pod_template.spec.containers.push_back(container);
  EXPECT_EQ(EncodeDeployment(deployment).dump(), Json::parse(R"({
    "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
    "spec": {"replicas": 0, "selector": {"matchLabels": {"app": "d"}},
             "template": {"metadata": {"labels": {"app": "d"}},
                          "spec": {"containers": [{"name": "c"}]}}}})").dump());
}

TEST(WorkloadCodec, StatefulSetFields) {
  const Json input = Yaml(R"(apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 3
  serviceName: db
  podManagementPolicy: Parallel
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db, resources: {requests: {memory: 4Gi}}}]
  volumeClaimTemplates:
    - metadata: {name: data}
      spec:
        accessModes: [ReadWriteOnce]
        resources: {requests: {storage: 100Gi}}
    - metadata: {name: logs}
)");
  FieldErrors errors;
  StatefulSet set = DecodeStatefulSet(input, errors);
  EXPECT_EQ(Describe(errors), std::vector<std::string>{});
  EXPECT_EQ(set.replicas, 3);
  EXPECT_EQ(set.service_name, "db");
  EXPECT_EQ(set.pod_management_policy, "Parallel");
  EXPECT_EQ(set.volume_claim_template_names, (std::vector<std::string>{"data", "logs"}));
  EXPECT_EQ(set.pod_template.spec.containers[0].resources.requests.Get("memory"),
            *core::Quantity::Parse("4Gi"));
  EXPECT_EQ(EncodeStatefulSet(set).dump(), input.dump());

  FieldErrors defaults_errors;
  StatefulSet defaults = DecodeStatefulSet(
      Yaml("apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: s}\nspec:\n"
           "  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n"
           "    spec: {containers: [{name: c}]}\n"),
      defaults_errors);
  EXPECT_TRUE(defaults_errors.empty());
  EXPECT_EQ(defaults.replicas, 1);
  EXPECT_EQ(defaults.pod_management_policy, "OrderedReady");
}

TEST(WorkloadCodec, DaemonSetAndReplicaSet) {
  const Json daemon_input = Yaml(R"(apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: kube-system}
spec:
  selector: {matchLabels: {name: agent}}
  template:
    metadata: {labels: {name: agent}}
    spec:
      tolerations: [{operator: Exists}]
      containers: [{name: agent, resources: {requests: {cpu: 100m}}}]
)");
  FieldErrors errors;
  DaemonSet daemon = DecodeDaemonSet(daemon_input, errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(daemon.selector->match_labels, (Labels{{"name", "agent"}}));
  EXPECT_EQ(daemon.pod_template.spec.tolerations.size(), 1u);
  EXPECT_EQ(EncodeDaemonSet(daemon).dump(), daemon_input.dump());

  ReplicaSet replicas = DecodeReplicaSet(
      Yaml("apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: r}\nspec:\n  replicas: 2\n"
           "  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n"
           "    spec: {containers: [{name: c}]}\n"),
      errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(replicas.replicas, 2);
}

TEST(WorkloadValidation, ReplicasSelectorAndTemplate) {
  FieldErrors errors;
  DecodeDeployment(Yaml(R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  replicas: -1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: api, tier: backend}}
    spec:
      containers: [{name: c, resources: {requests: {cpu: 2}, limits: {cpu: 1}}}]
)"),
                   errors);
  EXPECT_EQ(Describe(errors),
            (std::vector<std::string>{
                "/spec/replicas: Invalid value: -1: must be greater than or equal to 0",
                "/spec/template/spec/containers/0/resources/requests/cpu: Invalid value: \"2\": "
                "must be less than or equal to cpu limit of 1",
                "/spec/template/metadata/labels: Invalid value: "
                "map[string]string{\"app\":\"api\", \"tier\":\"backend\"}: `selector` does not "
                "match template `labels`",
            }));

  errors.clear();
  DecodeStatefulSet(Yaml("apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: s}\nspec:\n"
                         "  selector: {}\n  podManagementPolicy: Random\n"
                         "  template: {spec: {containers: [{name: c}]}}\n"),
                    errors);
  EXPECT_EQ(Describe(errors),
            (std::vector<std::string>{
                "/spec/selector: Invalid value: {}: empty selector is invalid for statefulset",
                "/spec/podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or "
                "'Parallel'",
            }));

  errors.clear();
  DaemonSet daemon = DecodeDaemonSet(
      Yaml("apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: x}\nspec:\n"
           "  template: {spec: {containers: [{name: c}]}}\n"),
      errors);
  EXPECT_EQ(Describe(errors), (std::vector<std::string>{"/spec/selector: Required value"}));
  EXPECT_EQ(daemon.pod_template.spec.containers.size(), 1u);
}

TEST(WorkloadValidation, WrongTypes) {
  FieldErrors errors;
  Deployment deployment = DecodeDeployment(Yaml(R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  replicas: "3"
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: c}]
      nodeName: [a]
)"),
                                           errors);
  EXPECT_EQ(Describe(errors),
            (std::vector<std::string>{"/spec/replicas: must be an integer, not string",
                                      "/spec/template/spec/nodeName: must be a string, not array"}));
  EXPECT_EQ(deployment.replicas, 1);
  EXPECT_EQ(deployment.pod_template.spec.containers[0].name, "c");
}

}  // namespace
}  // namespace karpenter::api
