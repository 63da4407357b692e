#include "scheduling/volume_topology.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "api/codec/persistent_volume_codec.h"
#include "api/codec/storage_class_codec.h"
#include "scheduling_test_util.h"

namespace karpenter::scheduling {
namespace {

using core::NodeSelectorRequirement;
using core::Operator;
using test_util::PodFromYaml;
using test_util::Yaml;
using Requirements = std::vector<NodeSelectorRequirement>;

constexpr std::string_view kZone = "topology.kubernetes.io/zone";
constexpr std::string_view kEbsZone = "topology.ebs.csi.aws.com/zone";

api::PersistentVolumeClaim Claim(const std::string& yaml) {
  api::FieldErrors errors;
  api::PersistentVolumeClaim claim = api::codec::DecodePersistentVolumeClaim(
      Yaml("apiVersion: v1\nkind: PersistentVolumeClaim\n" + yaml), errors);
  EXPECT_TRUE(errors.empty()) << errors[0].message;
  if (claim.metadata.namespace_.empty()) claim.metadata.namespace_ = "default";
  return claim;
}

api::PersistentVolume Volume(const std::string& yaml) {
  api::FieldErrors errors;
  api::PersistentVolume volume = api::codec::DecodePersistentVolume(
      Yaml("apiVersion: v1\nkind: PersistentVolume\n" + yaml), errors);
  EXPECT_TRUE(errors.empty()) << errors[0].message;
  return volume;
}

api::StorageClass Class(const std::string& yaml) {
  api::FieldErrors errors;
  api::StorageClass value = api::codec::DecodeStorageClass(
      Yaml("apiVersion: storage.k8s.io/v1\nkind: StorageClass\n" + yaml), errors);
  EXPECT_TRUE(errors.empty()) << errors[0].message;
  return value;
}

// A pending pod "db-0" in "default" with `volumes` (YAML list items under spec.volumes) and
// `affinity` (YAML under spec, may be empty).
api::Pod PodWith(const std::string& volumes, const std::string& affinity = "") {
  return PodFromYaml("apiVersion: v1\nkind: Pod\nmetadata: {name: db-0}\nspec:\n" + affinity +
                     "  containers: [{name: c, image: x}]\n  volumes:\n" + volumes);
}

const std::string kDataVolume = "  - {name: data, persistentVolumeClaim: {claimName: data-db-0}}\n";
const std::string kBound =
    "metadata:\n  name: data-db-0\n  annotations: {pv.kubernetes.io/bind-completed: \"yes\"}\n"
    "spec: {storageClassName: gp3, volumeName: pv-1}\nstatus: {phase: Bound}\n";
const std::string kUnbound = "metadata: {name: data-db-0}\nspec: {storageClassName: gp3}\n";
const std::string kWaitClass =
    "metadata: {name: gp3}\nprovisioner: ebs.csi.aws.com\nvolumeBindingMode: "
    "WaitForFirstConsumer\n";

// The lookup owns nothing: the objects live in the fixture.
struct Storage {
  std::vector<api::PersistentVolumeClaim> claims;
  std::vector<api::PersistentVolume> volumes;
  std::vector<api::StorageClass> classes;
  VolumeLookup Lookup() const { return VolumeLookup(claims, volumes, classes); }
};

std::string ErrorOf(const api::Pod& pod, const Storage& storage) {
  Result<void> valid = ValidateVolumes(pod, storage.Lookup());
  return valid ? "ok" : valid.error().message;
}

TEST(VolumeRequirements, BoundClaimTakesTheFirstTermOfItsVolume) {
  Storage storage;
  storage.claims = {Claim(kBound)};
  storage.volumes = {Volume(R"(metadata: {name: pv-1}
spec:
  nodeAffinity:
    required:
      nodeSelectorTerms:
      - matchExpressions:
        - {key: topology.ebs.csi.aws.com/zone, operator: In, values: [us-east-1b]}
        - {key: kubernetes.io/hostname, operator: NotIn, values: [bad-node]}
      - matchExpressions:
        - {key: topology.kubernetes.io/zone, operator: In, values: [us-east-1c]}
)")};
  const api::Pod pod = PodWith(kDataVolume);
  EXPECT_EQ(ErrorOf(pod, storage), "ok");
  Result<Requirements> requirements = VolumeRequirements(pod, storage.Lookup());
  ASSERT_TRUE(requirements) << requirements.error().message;
  EXPECT_EQ(*requirements, (Requirements{
                               {std::string(kEbsZone), Operator::In, {"us-east-1b"}, {}},
                               {"kubernetes.io/hostname", Operator::NotIn, {"bad-node"}, {}},
                           }));
}

TEST(VolumeRequirements, LocalAndHostPathVolumesDropTheirHostname) {
  for (const std::string source : {"local: {path: /mnt/ssd}", "hostPath: {path: /data}"}) {
    Storage storage;
    storage.claims = {Claim(kBound)};
    storage.volumes = {Volume("metadata: {name: pv-1}\nspec:\n  " + source + R"(
  nodeAffinity:
    required:
      nodeSelectorTerms:
      - matchExpressions:
        - {key: kubernetes.io/hostname, operator: In, values: [node-1]}
        - {key: topology.kubernetes.io/zone, operator: In, values: [us-east-1a]}
)")};
    Result<Requirements> requirements = VolumeRequirements(PodWith(kDataVolume), storage.Lookup());
    ASSERT_TRUE(requirements) << source;
    EXPECT_EQ(*requirements, (Requirements{{std::string(kZone), Operator::In, {"us-east-1a"}, {}}}))
        << source;
  }
}

TEST(VolumeRequirements, BoundVolumeWithoutAffinityAddsNothing) {
  Storage storage;
  storage.claims = {Claim(kBound)};
  storage.volumes = {Volume("metadata: {name: pv-1}\nspec: {csi: {driver: efs.csi.aws.com}}\n")};
  Result<Requirements> requirements = VolumeRequirements(PodWith(kDataVolume), storage.Lookup());
  ASSERT_TRUE(requirements);
  EXPECT_TRUE(requirements->empty());
}

TEST(VolumeRequirements, UnboundClaimTakesTheFirstAllowedTopologiesTermAsIn) {
  Storage storage;
  storage.claims = {Claim(kUnbound)};
  storage.classes = {Class(kWaitClass + R"(allowedTopologies:
- matchLabelExpressions:
  - {key: topology.ebs.csi.aws.com/zone, values: [us-east-1a, us-east-1b]}
  - {key: example.com/rack, values: [r1]}
- matchLabelExpressions:
  - {key: topology.ebs.csi.aws.com/zone, values: [us-east-1c]}
)")};
  const api::Pod pod = PodWith(kDataVolume);
  EXPECT_EQ(ErrorOf(pod, storage), "ok");
  Result<Requirements> requirements = VolumeRequirements(pod, storage.Lookup());
  ASSERT_TRUE(requirements);
  EXPECT_EQ(*requirements,
            (Requirements{
                {std::string(kEbsZone), Operator::In, {"us-east-1a", "us-east-1b"}, {}},
                {"example.com/rack", Operator::In, {"r1"}, {}},
            }));

  // Without allowedTopologies the volume can be made anywhere.
  storage.classes = {Class(kWaitClass)};
  requirements = VolumeRequirements(pod, storage.Lookup());
  ASSERT_TRUE(requirements);
  EXPECT_TRUE(requirements->empty());
}

TEST(VolumeRequirements, VolumesAddUpInOrderAndOtherSourcesAddNothing) {
  Storage storage;
  storage.claims = {Claim(kUnbound), Claim("metadata: {name: logs}\nspec: {storageClassName: "
                                           "zonal}\n")};
  storage.classes = {
      Class(kWaitClass + "allowedTopologies: [{matchLabelExpressions: [{key: " +
            std::string(kZone) + ", values: [z1]}]}]\n"),
      Class("metadata: {name: zonal}\nprovisioner: x\nvolumeBindingMode: WaitForFirstConsumer\n"
            "allowedTopologies: [{matchLabelExpressions: [{key: rack, values: [r2]}]}]\n")};
  const api::Pod pod = PodWith(kDataVolume +
                               "  - {name: tmp, emptyDir: {}}\n"
                               "  - {name: logs, persistentVolumeClaim: {claimName: logs}}\n");
  Result<Requirements> requirements = VolumeRequirements(pod, storage.Lookup());
  ASSERT_TRUE(requirements);
  EXPECT_EQ(*requirements, (Requirements{{std::string(kZone), Operator::In, {"z1"}, {}},
                                         {"rack", Operator::In, {"r2"}, {}}}));
}

TEST(ValidateVolumes, BindingModeMattersOnlyForUnboundClaims) {
  Storage storage;
  storage.claims = {Claim(kUnbound)};
  const api::Pod pod = PodWith(kDataVolume);
  const std::string immediate =
      "persistentvolumeclaim \"data-db-0\" is unbound and storageclass \"gp3\" has "
      "volumeBindingMode Immediate: the claim must be bound first";
  storage.classes = {Class(kWaitClass)};
  EXPECT_EQ(ErrorOf(pod, storage), "ok");
  storage.classes = {
      Class("metadata: {name: gp3}\nprovisioner: p\nvolumeBindingMode: Immediate\n")};
  EXPECT_EQ(ErrorOf(pod, storage), immediate);
  // Absent, the API server defaults it to Immediate.
  storage.classes = {Class("metadata: {name: gp3}\nprovisioner: p\n")};
  EXPECT_EQ(ErrorOf(pod, storage), immediate);

  // A bound claim is fine whatever its class binds like, even when the class is gone.
  storage.claims = {Claim(kBound)};
  storage.volumes = {Volume("metadata: {name: pv-1}\n")};
  EXPECT_EQ(ErrorOf(pod, storage), "ok");
  storage.classes.clear();
  EXPECT_EQ(ErrorOf(pod, storage), "ok");
}

TEST(ValidateVolumes, EveryReasonUpstreamIgnoresAPodFor) {
  const api::Pod pod = PodWith(kDataVolume);
  Storage storage;
  storage.volumes = {Volume("metadata: {name: pv-1}\n")};
  storage.classes = {Class(kWaitClass)};
  EXPECT_EQ(ErrorOf(pod, storage), "persistentvolumeclaim \"data-db-0\" not found");
  // Claims are looked up in the pod's namespace.
  storage.claims = {Claim("metadata: {name: data-db-0, namespace: other}\nspec: {}\n")};
  EXPECT_EQ(ErrorOf(pod, storage), "persistentvolumeclaim \"data-db-0\" not found");

  const std::vector<std::pair<std::string, std::string>> cases = {
      {"metadata: {name: data-db-0, deletionTimestamp: \"2024-05-01T00:00:00Z\"}\n"
       "spec: {storageClassName: gp3}\n",
       "persistentvolumeclaim \"data-db-0\" is being deleted"},
      {"metadata: {name: data-db-0}\nspec: {storageClassName: gp3, volumeName: pv-gone}\n"
       "status: {phase: Lost}\n",
       "persistentvolumeclaim \"data-db-0\" is Lost: its persistentvolume \"pv-gone\" no longer "
       "exists"},
      {"metadata:\n  name: data-db-0\n  annotations: {pv.kubernetes.io/bind-completed: \"yes\"}\n"
       "spec: {volumeName: pv-gone}\n",
       "persistentvolumeclaim \"data-db-0\" is bound to persistentvolume \"pv-gone\", which is not "
       "found"},
      {"metadata: {name: data-db-0}\nspec: {volumeName: pv-1}\n",
       "persistentvolumeclaim \"data-db-0\" is bound to persistentvolume \"pv-1\" but the binding "
       "is not complete (no pv.kubernetes.io/bind-completed annotation)"},
      {"metadata: {name: data-db-0}\nspec: {}\n",
       "persistentvolumeclaim \"data-db-0\" is unbound and names no storage class"},
      {"metadata: {name: data-db-0}\nspec: {storageClassName: \"\"}\n",
       "persistentvolumeclaim \"data-db-0\" is unbound and names no storage class"},
      {"metadata: {name: data-db-0}\nspec: {storageClassName: fast}\n",
       "persistentvolumeclaim \"data-db-0\": storageclass \"fast\" not found"},
  };
  for (const auto& [claim, expected] : cases) {
    storage.claims = {Claim(claim)};
    EXPECT_EQ(ErrorOf(pod, storage), expected) << claim;
  }

  storage.claims = {Claim(kBound)};
  storage.volumes = {
      Volume("metadata: {name: pv-1, deletionTimestamp: \"2024-05-01T00:00:00Z\"}\n")};
  EXPECT_EQ(ErrorOf(pod, storage),
            "persistentvolumeclaim \"data-db-0\" is bound to persistentvolume \"pv-1\", which is "
            "being deleted");
}

TEST(ValidateVolumes, TheFirstFailingVolumeIsReported) {
  Storage storage;
  storage.claims = {Claim(kUnbound)};
  storage.classes = {Class(kWaitClass)};
  const api::Pod pod = PodWith("  - {name: cache, emptyDir: {}}\n" + kDataVolume +
                               "  - {name: b, persistentVolumeClaim: {claimName: b}}\n"
                               "  - {name: a, persistentVolumeClaim: {claimName: a}}\n");
  EXPECT_EQ(ErrorOf(pod, storage), "persistentvolumeclaim \"b\" not found");
  Result<Requirements> requirements = VolumeRequirements(pod, storage.Lookup());
  ASSERT_FALSE(requirements);
  EXPECT_EQ(requirements.error().message, "persistentvolumeclaim \"b\" not found");
}

TEST(EphemeralVolumes, ClaimIsNamedAfterPodAndVolume) {
  const api::Pod pod = PodWith(
      "  - name: scratch\n    ephemeral:\n      volumeClaimTemplate:\n"
      "        spec: {storageClassName: gp3, accessModes: [ReadWriteOnce]}\n"
      "  - {name: tmp, emptyDir: {}}\n" +
      kDataVolume);
  ASSERT_EQ(pod.spec.volumes.size(), 3u);
  EXPECT_EQ(ClaimNameOf(pod, pod.spec.volumes[0]), "db-0-scratch");
  EXPECT_EQ(ClaimNameOf(pod, pod.spec.volumes[1]), std::nullopt);
  EXPECT_EQ(ClaimNameOf(pod, pod.spec.volumes[2]), "data-db-0");

  Storage storage;
  storage.claims = {Claim(kUnbound)};
  storage.classes = {Class(kWaitClass + "allowedTopologies: [{matchLabelExpressions: [{key: " +
                           std::string(kZone) + ", values: [z1]}]}]\n")};
  EXPECT_EQ(ErrorOf(pod, storage), "persistentvolumeclaim \"db-0-scratch\" not found");
  storage.claims.push_back(
      Claim("metadata: {name: db-0-scratch}\nspec: {storageClassName: gp3}\n"));
  EXPECT_EQ(ErrorOf(pod, storage), "ok");
  Result<Requirements> requirements = VolumeRequirements(pod, storage.Lookup());
  ASSERT_TRUE(requirements);
  EXPECT_EQ(requirements->size(), 2u);  // one z1 requirement per claim

  // Once the pod is bound, its ephemeral claim no longer constrains it (it is recreated with
  // the pod); the persistent one still does.
  api::Pod bound = pod;
  bound.spec.node_name = "node-1";
  requirements = VolumeRequirements(bound, storage.Lookup());
  ASSERT_TRUE(requirements);
  EXPECT_EQ(*requirements, (Requirements{{std::string(kZone), Operator::In, {"z1"}, {}}}));
}

const Requirements kVolumeZone = {{std::string(kZone), Operator::In, {"us-east-1b"}, {}}};

TEST(InjectVolumeRequirements, CreatesATermWhenThePodHasNone) {
  const api::Pod pod = PodWith(kDataVolume);
  const api::Pod injected = InjectVolumeRequirements(pod, kVolumeZone);
  ASSERT_EQ(injected.spec.affinity.node_affinity.required.size(), 1u);
  EXPECT_EQ(injected.spec.affinity.node_affinity.required[0],
            (api::NodeSelectorTerm{kVolumeZone, {}}));
  // Everything else is the pod as it was.
  api::Pod expected = pod;
  expected.spec.affinity.node_affinity.required = {{kVolumeZone, {}}};
  EXPECT_EQ(injected.spec, expected.spec);
  EXPECT_EQ(injected.metadata, pod.metadata);
  // No requirements, no term.
  EXPECT_EQ(InjectVolumeRequirements(pod, {}).spec, pod.spec);
}

TEST(InjectVolumeRequirements, AppendsToTheOnlyTerm) {
  const api::Pod pod = PodWith(kDataVolume, R"(  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
        - matchExpressions: [{key: kubernetes.io/arch, operator: In, values: [arm64]}]
      preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 10
        preference: {matchExpressions: [{key: kind, operator: In, values: [fast]}]}
)");
  const api::Pod injected = InjectVolumeRequirements(pod, kVolumeZone);
  const api::NodeAffinity& affinity = injected.spec.affinity.node_affinity;
  ASSERT_EQ(affinity.required.size(), 1u);
  EXPECT_EQ(affinity.required[0].match_expressions,
            (Requirements{{"kubernetes.io/arch", Operator::In, {"arm64"}, {}}, kVolumeZone[0]}));
  EXPECT_EQ(affinity.preferred, pod.spec.affinity.node_affinity.preferred);  // untouched
}

TEST(InjectVolumeRequirements, AppendsToEveryTerm) {
  const api::Pod pod = PodWith(kDataVolume, R"(  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
        - matchExpressions: [{key: topology.kubernetes.io/zone, operator: In, values: [us-east-1a]}]
        - matchFields: [{key: metadata.name, operator: In, values: [node-7]}]
)");
  const Requirements two = {kVolumeZone[0], {"rack", Operator::Exists, {}, {}}};
  const api::Pod injected = InjectVolumeRequirements(pod, two);
  const std::vector<api::NodeSelectorTerm>& terms = injected.spec.affinity.node_affinity.required;
  ASSERT_EQ(terms.size(), 2u);
  EXPECT_EQ(terms[0].match_expressions,
            (Requirements{{std::string(kZone), Operator::In, {"us-east-1a"}, {}}, two[0], two[1]}));
  EXPECT_EQ(terms[1].match_expressions, two);
  EXPECT_EQ(terms[1].match_fields, pod.spec.affinity.node_affinity.required[1].match_fields);
}

TEST(ApplyVolumeTopology, ValidatesThenInjects) {
  Storage storage;
  storage.claims = {Claim(kBound)};
  storage.volumes = {Volume(R"(metadata: {name: pv-1}
spec:
  nodeAffinity:
    required:
      nodeSelectorTerms:
      - matchExpressions: [{key: topology.kubernetes.io/zone, operator: In, values: [us-east-1b]}]
)")};
  Result<api::Pod> applied = ApplyVolumeTopology(PodWith(kDataVolume), storage.Lookup());
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_EQ(applied->spec.affinity.node_affinity.required,
            (std::vector<api::NodeSelectorTerm>{{kVolumeZone, {}}}));

  // The claim's binding is not complete: Karpenter ignores the pod, even though the volume
  // alone would give requirements.
  storage.claims = {Claim("metadata: {name: data-db-0}\nspec: {volumeName: pv-1}\n")};
  applied = ApplyVolumeTopology(PodWith(kDataVolume), storage.Lookup());
  ASSERT_FALSE(applied);
  EXPECT_EQ(applied.error().message,
            "persistentvolumeclaim \"data-db-0\" is bound to persistentvolume \"pv-1\" but the "
            "binding is not complete (no pv.kubernetes.io/bind-completed annotation)");

  // A pod without claims passes through unchanged.
  const api::Pod plain = PodWith("  - {name: tmp, emptyDir: {}}\n");
  applied = ApplyVolumeTopology(plain, VolumeLookup());
  ASSERT_TRUE(applied);
  EXPECT_EQ(applied->spec, plain.spec);
}

}  // namespace
}  // namespace karpenter::scheduling
