// Codecs of the storage kinds volume topology reads: v1 PersistentVolumeClaim and
// PersistentVolume, storage.k8s.io/v1 StorageClass.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "api/codec/persistent_volume_codec.h"
#include "api/codec/pod_codec.h"
#include "api/codec/storage_class_codec.h"
#include "api/kinds.h"
#include "api/kube_validation.h"
#include "api/validate.h"
#include "api/yaml_reader.h"
#include "karpenter_codec_test_util.h"

namespace karpenter::api {
namespace {

using codec::DecodePersistentVolume;
using codec::DecodePersistentVolumeClaim;
using codec::DecodeStorageClass;
using codec::EncodePersistentVolume;
using codec::EncodePersistentVolumeClaim;
using codec::EncodeStorageClass;
using karpenter_codec_testing::Describe;
using karpenter_codec_testing::Yaml;

constexpr std::string_view kClaim = R"(apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data-db-0
  namespace: data
  annotations:
    pv.kubernetes.io/bind-completed: "yes"
  finalizers: [kubernetes.io/pvc-protection]
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 10Gi
  storageClassName: gp3
  volumeMode: Filesystem
  volumeName: pvc-1234
status:
  phase: Bound
  accessModes: [ReadWriteOnce]
  capacity:
    storage: 10Gi
)";

TEST(PersistentVolumeClaimCodec, DecodesEveryModelledField) {
  FieldErrors errors;
  PersistentVolumeClaim claim = DecodePersistentVolumeClaim(Yaml(kClaim), errors);
  EXPECT_EQ(Describe(errors), std::vector<std::string>{});
  EXPECT_EQ(claim.metadata.name, "data-db-0");
  EXPECT_EQ(claim.metadata.namespace_, "data");
  EXPECT_EQ(claim.storage_class_name, "gp3");
  EXPECT_EQ(claim.volume_name, "pvc-1234");
  EXPECT_EQ(claim.phase, "Bound");
  EXPECT_TRUE(claim.BindCompleted());
}

TEST(PersistentVolumeClaimCodec, RoundTripKeepsTheInputExactly) {
  const Json input = Yaml(kClaim);
  FieldErrors errors;
  EXPECT_JSON_EQ(EncodePersistentVolumeClaim(DecodePersistentVolumeClaim(input, errors)), input);
}

TEST(PersistentVolumeClaimCodec, AbsentAndEmptyStorageClassDiffer) {
  FieldErrors errors;
  PersistentVolumeClaim absent = DecodePersistentVolumeClaim(
      Yaml("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: a}\nspec: {}\n"), errors);
  PersistentVolumeClaim empty = DecodePersistentVolumeClaim(
      Yaml("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: b}\n"
           "spec: {storageClassName: \"\"}\n"),
      errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(absent.storage_class_name, std::nullopt);
  EXPECT_EQ(empty.storage_class_name, std::optional<std::string>(""));
  EXPECT_FALSE(absent.BindCompleted());
  EXPECT_EQ(absent.phase, "");

  // Encoding what a simulation changed: a class assigned, a volume bound.
  absent.storage_class_name = "gp3";
  absent.volume_name = "pv-1";
  absent.phase = "Bound";
  EXPECT_JSON_EQ(EncodePersistentVolumeClaim(absent), Json::parse(R"({
    "apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "a"},
    "spec": {"storageClassName": "gp3", "volumeName": "pv-1"},
    "status": {"phase": "Bound"}})"));
}

TEST(PersistentVolumeClaimCodec, WrongTypesAreFieldErrors) {
  FieldErrors errors;
  DecodePersistentVolumeClaim(Yaml(R"(apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: x}
spec: {storageClassName: 3, volumeName: [a]}
status: {phase: true}
)"),
                              errors);
  EXPECT_EQ(Describe(errors), (std::vector<std::string>{
                                  "/spec/storageClassName: must be a string, not integer",
                                  "/spec/volumeName: must be a string, not array",
                                  "/status/phase: must be a string, not boolean",
                              }));
}

constexpr std::string_view kVolume = R"(apiVersion: v1
kind: PersistentVolume
metadata:
  name: pvc-1234
  annotations:
    pv.kubernetes.io/provisioned-by: ebs.csi.aws.com
spec:
  accessModes: [ReadWriteOnce]
  capacity:
    storage: 10Gi
  claimRef:
    apiVersion: v1
    kind: PersistentVolumeClaim
    name: data-db-0
    namespace: data
    uid: 0f1e2d3c
  csi:
    driver: ebs.csi.aws.com
    volumeHandle: vol-0123456789abcdef0
  nodeAffinity:
    required:
      nodeSelectorTerms:
      - matchExpressions:
        - key: topology.ebs.csi.aws.com/zone
          operator: In
          values: [us-east-1b]
      - matchExpressions:
        - key: topology.kubernetes.io/zone
          operator: In
          values: [us-east-1b]
  persistentVolumeReclaimPolicy: Delete
  storageClassName: gp3
status:
  phase: Bound
)";

TEST(PersistentVolumeCodec, DecodesEveryModelledField) {
  FieldErrors errors;
  PersistentVolume volume = DecodePersistentVolume(Yaml(kVolume), errors);
  EXPECT_EQ(Describe(errors), std::vector<std::string>{});
  EXPECT_EQ(volume.metadata.name, "pvc-1234");
  EXPECT_EQ(volume.storage_class_name, "gp3");
  ASSERT_EQ(volume.node_affinity.size(), 2u);
  EXPECT_EQ(volume.node_affinity[0].match_expressions,
            (std::vector<core::NodeSelectorRequirement>{
                {"topology.ebs.csi.aws.com/zone", core::Operator::In, {"us-east-1b"}, {}}}));
  EXPECT_EQ(volume.node_affinity[1].match_expressions[0].key, "topology.kubernetes.io/zone");
  EXPECT_EQ(volume.claim_ref, (ClaimReference{"data", "data-db-0", "0f1e2d3c"}));
  EXPECT_EQ(volume.local_path, std::nullopt);
  EXPECT_EQ(volume.host_path, std::nullopt);
  EXPECT_EQ(volume.phase, "Bound");
}

TEST(PersistentVolumeCodec, RoundTripKeepsTheInputExactly) {
  const Json input = Yaml(kVolume);
  FieldErrors errors;
  EXPECT_JSON_EQ(EncodePersistentVolume(DecodePersistentVolume(input, errors)), input);
}

TEST(PersistentVolumeCodec, LocalVolumeAndEncodingChanges) {
  FieldErrors errors;
  PersistentVolume volume = DecodePersistentVolume(Yaml(R"(apiVersion: v1
kind: PersistentVolume
metadata: {name: local-1}
spec:
  local: {path: /mnt/disks/ssd1}
  nodeAffinity:
    required:
      nodeSelectorTerms:
      - matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [node-1]}]
)"),
                                                   errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(volume.local_path, "/mnt/disks/ssd1");
  ASSERT_EQ(volume.node_affinity.size(), 1u);

  volume.node_affinity.clear();
  volume.local_path.reset();
  volume.host_path = "/data";
  volume.claim_ref = ClaimReference{"team-a", "scratch", ""};
  EXPECT_JSON_EQ(EncodePersistentVolume(volume), Json::parse(R"({
    "apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "local-1"},
    "spec": {"claimRef": {"namespace": "team-a", "name": "scratch"},
             "hostPath": {"path": "/data"}}})"));
}

TEST(PersistentVolumeValidation, ApiServerRules) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
      {"nodeAffinity: {}",
       {"/spec/nodeAffinity/required: Required value: must specify required node constraints"}},
      {"nodeAffinity: {required: {nodeSelectorTerms: []}}",
       {"/spec/nodeAffinity/required/nodeSelectorTerms: Required value: must have at least one "
        "node selector term"}},
      {"nodeAffinity: {required: {nodeSelectorTerms: [{matchExpressions: "
       "[{key: zone, operator: Gte, values: ['1']}]}]}}",
       {"/spec/nodeAffinity/required/nodeSelectorTerms/0/matchExpressions/0/operator: Invalid "
        "value: \"Gte\": not a valid selector operator"}},
      {"local: {fsType: ext4}", {"/spec/local/path: Required value"}},
      {"hostPath: {path: \"\"}", {"/spec/hostPath/path: Required value: must not be empty"}},
      {"storageClassName: 7", {"/spec/storageClassName: must be a string, not integer"}},
  };
  for (const auto& [spec, expected] : cases) {
    FieldErrors errors;
    DecodePersistentVolume(
        Yaml("apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: x}\nspec:\n  " + spec +
             "\n"),
        errors);
    EXPECT_EQ(Describe(errors), expected) << spec;
  }
}

constexpr std::string_view kStorageClass = R"(apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: gp3
  annotations:
    storageclass.kubernetes.io/is-default-class: "true"
provisioner: ebs.csi.aws.com
parameters:
  type: gp3
reclaimPolicy: Delete
volumeBindingMode: WaitForFirstConsumer
allowVolumeExpansion: true
allowedTopologies:
- matchLabelExpressions:
  - key: topology.ebs.csi.aws.com/zone
    values: [us-east-1a, us-east-1b]
- matchLabelExpressions:
  - key: topology.kubernetes.io/zone
    values: [us-east-1c]
)";

TEST(StorageClassCodec, DecodesEveryModelledField) {
  FieldErrors errors;
  StorageClass value = DecodeStorageClass(Yaml(kStorageClass), errors);
  EXPECT_EQ(Describe(errors), std::vector<std::string>{});
  EXPECT_EQ(value.metadata.name, "gp3");
  EXPECT_EQ(value.provisioner, "ebs.csi.aws.com");
  EXPECT_EQ(value.volume_binding_mode, VolumeBindingMode::kWaitForFirstConsumer);
  EXPECT_EQ(value.EffectiveVolumeBindingMode(), VolumeBindingMode::kWaitForFirstConsumer);
  EXPECT_EQ(value.allowed_topologies,
            (std::vector<TopologySelectorTerm>{
                {{{"topology.ebs.csi.aws.com/zone", {"us-east-1a", "us-east-1b"}}}},
                {{{"topology.kubernetes.io/zone", {"us-east-1c"}}}}}));
  EXPECT_TRUE(value.IsDefault());
}

TEST(StorageClassCodec, RoundTripKeepsTheInputExactly) {
  const Json input = Yaml(kStorageClass);
  FieldErrors errors;
  EXPECT_JSON_EQ(EncodeStorageClass(DecodeStorageClass(input, errors)), input);
}

TEST(StorageClassCodec, AbsentBindingModeIsImmediateAndStaysAbsent) {
  const Json input = Yaml(R"(apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: standard
  annotations: {storageclass.beta.kubernetes.io/is-default-class: "true"}
provisioner: kubernetes.io/aws-ebs
)");
  FieldErrors errors;
  StorageClass value = DecodeStorageClass(input, errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(value.volume_binding_mode, std::nullopt);
  EXPECT_EQ(value.EffectiveVolumeBindingMode(), VolumeBindingMode::kImmediate);
  EXPECT_TRUE(value.allowed_topologies.empty());
  EXPECT_TRUE(value.IsDefault());  // the beta annotation counts too
  EXPECT_JSON_EQ(EncodeStorageClass(value), input);

  value.metadata.annotations.clear();
  EXPECT_FALSE(value.IsDefault());
  value.volume_binding_mode = VolumeBindingMode::kImmediate;
  value.allowed_topologies = {{{{"zone", {"a"}}}}};
  EXPECT_JSON_EQ(EncodeStorageClass(value), Json::parse(R"({
    "apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
    "metadata": {"name": "standard"}, "provisioner": "kubernetes.io/aws-ebs",
    "volumeBindingMode": "Immediate",
    "allowedTopologies": [{"matchLabelExpressions": [{"key": "zone", "values": ["a"]}]}]})"));
}

TEST(StorageClassValidation, ApiServerRules) {
  FieldErrors errors;
  DecodeStorageClass(Yaml(R"(apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: x}
volumeBindingMode: Later
allowedTopologies:
- matchLabelExpressions:
  - {key: zone, values: [a, b, a]}
  - {key: zone, values: [c]}
  - {key: "", values: []}
- matchLabelExpressions:
  - {key: zone, values: [c]}
  - {key: "", values: []}
)"),
                     errors);
  EXPECT_EQ(Describe(errors),
            (std::vector<std::string>{
                "/provisioner: Required value",
                "/volumeBindingMode: Unsupported value: \"Later\": supported values: "
                "\"Immediate\", \"WaitForFirstConsumer\"",
                "/allowedTopologies/0/matchLabelExpressions/0/values/2: Duplicate value: \"a\"",
                "/allowedTopologies/0/matchLabelExpressions/1/key: Duplicate value: \"zone\"",
                "/allowedTopologies/0/matchLabelExpressions/2/values: Required value",
                "/allowedTopologies/0/matchLabelExpressions/2/key: Invalid value: \"\": name part "
                "must be non-empty",
                "/allowedTopologies/1/matchLabelExpressions/1/values: Required value",
                "/allowedTopologies/1/matchLabelExpressions/1/key: Invalid value: \"\": name part "
                "must be non-empty",
                // The second term selects what the first does once its duplicates are merged.
                "/allowedTopologies/1/matchLabelExpressions: Duplicate value: \"\"",
            }));
}

TEST(PodVolumes, GenericEphemeralVolumesAreClaimBacked) {
  const Json input = Yaml(R"(apiVersion: v1
kind: Pod
metadata: {name: web-0}
spec:
  containers: [{name: c, image: x}]
  volumes:
  - name: scratch
    ephemeral:
      volumeClaimTemplate:
        spec: {storageClassName: gp3, accessModes: [ReadWriteOnce]}
  - {name: data, persistentVolumeClaim: {claimName: data-web-0}}
)");
  FieldErrors errors;
  Pod pod = codec::DecodePod(input, errors);
  EXPECT_EQ(Describe(errors), std::vector<std::string>{});
  EXPECT_EQ(pod.spec.volumes,
            (std::vector<Volume>{{"scratch", std::nullopt, true}, {"data", "data-web-0", false}}));
  EXPECT_JSON_EQ(codec::EncodePod(pod), input);  // the claim template stays as it was

  pod.spec.volumes[0].ephemeral = false;
  pod.spec.volumes[1].ephemeral = true;
  const Json encoded = codec::EncodePod(pod);
  EXPECT_JSON_EQ(encoded["spec"]["volumes"], Json::parse(R"([
    {"name": "scratch"},
    {"name": "data", "persistentVolumeClaim": {"claimName": "data-web-0"}, "ephemeral": {}}])"));

  errors.clear();
  codec::DecodePod(Yaml("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
                        "spec: {containers: [{name: c}], volumes: [{name: v, ephemeral: {}}]}\n"),
                   errors);
  EXPECT_EQ(
      Describe(errors),
      (std::vector<std::string>{"/spec/volumes/0/ephemeral/volumeClaimTemplate: Required value"}));
}

TEST(StorageKinds, AreKubernetesKindsKarpenterReads) {
  EXPECT_EQ(KindOf("v1", "PersistentVolumeClaim"), Kind::kPersistentVolumeClaim);
  EXPECT_EQ(KindOf("v1", "PersistentVolume"), Kind::kPersistentVolume);
  EXPECT_EQ(KindOf("storage.k8s.io/v1", "StorageClass"), Kind::kStorageClass);
  EXPECT_EQ(KindOf("storage.k8s.io/v1beta1", "StorageClass"), Kind::kUnknown);
  for (std::string_view yaml : {kClaim, kVolume, kStorageClass}) {
    EXPECT_EQ(Describe(ValidateKubernetesObject(Yaml(yaml))), std::vector<std::string>{}) << yaml;
  }
  EXPECT_EQ(Describe(ValidateKubernetesObject(
                Yaml("apiVersion: v1\nkind: PersistentVolume\nmetadata: {labels: {a: b}}\n"))),
            (std::vector<std::string>{
                "/metadata/name: Required value: name or generateName is required"}));
}

TEST(StorageKinds, ValidateNamesFileLineObjectAndField) {
  ReadResult read = ReadYamlDocuments(R"(apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: db}
spec: {storageClassName: gp3}
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: gp3}
provisioner: ebs.csi.aws.com
volumeBindingMode: Sometimes
)",
                                      "storage.yaml");
  ASSERT_TRUE(read.errors.empty());
  std::vector<std::string> lines;
  for (const Diagnostic& d : ValidateDocuments(read.documents)) lines.push_back(d.ToString());
  EXPECT_EQ(lines, (std::vector<std::string>{
                       "storage.yaml:10:1: error: StorageClass/gp3: volumeBindingMode: "
                       "Unsupported value: \"Sometimes\": supported values: \"Immediate\", "
                       "\"WaitForFirstConsumer\""}));
}

}  // namespace
}  // namespace karpenter::api
