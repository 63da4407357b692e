#include "catalog/node_class_settings.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "api/codec/ec2_node_class_codec.h"
#include "api/model/ec2_node_class.h"
#include "api/yaml_reader.h"
#include "catalog/aws_catalog.h"

namespace karpenter::catalog {
namespace {

using core::Quantity;

Quantity Q(std::string_view text) { return *Quantity::Parse(text); }

// An EC2NodeClass decoded from the YAML of its spec (indented by two spaces).
api::EC2NodeClass NodeClass(const std::string& spec) {
  const std::string yaml =
      "apiVersion: karpenter.k8s.aws/v1\nkind: EC2NodeClass\n"
      "metadata: {name: test}\nspec:\n" +
      spec;
  api::ReadResult read = api::ReadYamlDocuments(yaml, "test.yaml");
  EXPECT_TRUE(read.errors.empty()) << yaml;
  if (read.documents.empty()) return {};
  api::FieldErrors errors;
  api::EC2NodeClass node_class = api::codec::DecodeEC2NodeClass(read.documents[0].value, errors);
  EXPECT_TRUE(errors.empty()) << yaml;
  return node_class;
}

NodeSettings Settings(const std::string& spec) {
  auto settings = NodeSettingsFromNodeClass(NodeClass(spec));
  EXPECT_TRUE(settings.has_value()) << (settings ? "" : settings.error().message);
  return settings.value_or(NodeSettings{});
}

// `name` in us-east-1 under the node class with `spec`.
InstanceType TypeUnder(const std::string& spec, std::string_view name) {
  AwsCatalogSettings settings;
  settings.node = Settings(spec);
  auto catalog = LoadAwsCatalog("us-east-1", settings);
  EXPECT_TRUE(catalog.has_value());
  if (!catalog || catalog->Find(name) == nullptr) return {};
  return *catalog->Find(name);
}

TEST(ResolveAmiFamilyTest, AmiFamilyFieldFirstThenAliasThenCustom) {
  EXPECT_EQ(ResolveAmiFamily(NodeClass("  amiFamily: AL2023\n")), AmiFamily::kAL2023);
  EXPECT_EQ(ResolveAmiFamily(NodeClass("  amiSelectorTerms: [{alias: bottlerocket@latest}]\n")),
            AmiFamily::kBottlerocket);
  EXPECT_EQ(ResolveAmiFamily(NodeClass("  amiSelectorTerms: [{alias: windows2022@latest}]\n")),
            AmiFamily::kWindows2022);
  EXPECT_EQ(ResolveAmiFamily(NodeClass("  amiSelectorTerms: [{alias: al2@v20240807}]\n")),
            AmiFamily::kAL2);
  // amiFamily Custom with an alias: the field wins.
  EXPECT_EQ(ResolveAmiFamily(NodeClass("  amiFamily: Custom\n"
                                       "  amiSelectorTerms: [{alias: bottlerocket@latest}]\n")),
            AmiFamily::kCustom);
  EXPECT_EQ(ResolveAmiFamily(NodeClass("  amiSelectorTerms: [{id: ami-0123456789abcdef0}]\n")),
            AmiFamily::kCustom);
}

TEST(ResolveAmiFamilyTest, UnknownFamilyNameBehavesAsAl2) {
  EXPECT_EQ(ParseAmiFamily("Ubuntu"), AmiFamily::kAL2);
  EXPECT_EQ(ParseAmiFamily("Windows2025"), AmiFamily::kWindows2025);
  EXPECT_EQ(AmiFeaturesOf(AmiFamily::kAL2023), kDefaultAmiFeatures);
  EXPECT_EQ(AmiFeaturesOf(AmiFamily::kCustom), kDefaultAmiFeatures);
  EXPECT_EQ(AmiFeaturesOf(AmiFamily::kBottlerocket), kBottlerocketAmiFeatures);
  EXPECT_EQ(AmiFeaturesOf(AmiFamily::kWindows2019), kWindowsAmiFeatures);
}

TEST(RootVolumeSizeTest, FamilyDefaultsWithoutMappings) {
  EXPECT_EQ(Settings("  amiFamily: AL2023\n").root_volume_size, Q("20Gi"));
  EXPECT_EQ(Settings("  amiFamily: Bottlerocket\n").root_volume_size, Q("20Gi"));
  EXPECT_EQ(Settings("  amiFamily: Windows2022\n").root_volume_size, Q("50Gi"));
  EXPECT_EQ(Settings("  amiFamily: Custom\n").root_volume_size, Q("20Gi"));
}

TEST(RootVolumeSizeTest, RootVolumeMappingWins) {
  EXPECT_EQ(Settings("  amiFamily: AL2023\n  blockDeviceMappings:\n"
                     "  - {deviceName: /dev/xvda, ebs: {volumeSize: 60Gi}}\n"
                     "  - {deviceName: /dev/xvdz, rootVolume: true, ebs: {volumeSize: 100Gi}}\n")
                .root_volume_size,
            Q("100Gi"));
  // A root volume without a size falls through to the family's device.
  EXPECT_EQ(Settings("  amiFamily: AL2023\n  blockDeviceMappings:\n"
                     "  - {deviceName: /dev/xvdz, rootVolume: true, ebs: {volumeType: gp3}}\n"
                     "  - {deviceName: /dev/xvda, ebs: {volumeSize: 60Gi}}\n")
                .root_volume_size,
            Q("60Gi"));
}

TEST(RootVolumeSizeTest, FamilyEphemeralDevice) {
  // The seed example: AL2023 keeps ephemeral storage on /dev/xvda.
  EXPECT_EQ(Settings("  amiFamily: AL2023\n  blockDeviceMappings:\n"
                     "  - {deviceName: /dev/xvda, ebs: {volumeSize: 60Gi, volumeType: gp3}}\n")
                .root_volume_size,
            Q("60Gi"));
  // Bottlerocket: /dev/xvda is the OS volume, /dev/xvdb the data volume pods use.
  EXPECT_EQ(Settings("  amiFamily: Bottlerocket\n  blockDeviceMappings:\n"
                     "  - {deviceName: /dev/xvda, ebs: {volumeSize: 4Gi}}\n"
                     "  - {deviceName: /dev/xvdb, ebs: {volumeSize: 80Gi}}\n")
                .root_volume_size,
            Q("80Gi"));
  EXPECT_EQ(Settings("  amiFamily: Bottlerocket\n  blockDeviceMappings:\n"
                     "  - {deviceName: /dev/xvda, ebs: {volumeSize: 50Gi}}\n")
                .root_volume_size,
            Q("20Gi"));
  EXPECT_EQ(Settings("  amiFamily: Windows2019\n  blockDeviceMappings:\n"
                     "  - {deviceName: /dev/sda1, ebs: {volumeSize: 120Gi}}\n")
                .root_volume_size,
            Q("120Gi"));
  // No mapping for the family's device: the family default.
  EXPECT_EQ(Settings("  amiFamily: Windows2019\n  blockDeviceMappings:\n"
                     "  - {deviceName: /dev/xvda, ebs: {volumeSize: 120Gi}}\n")
                .root_volume_size,
            Q("50Gi"));
}

TEST(RootVolumeSizeTest, CustomUsesTheLastMapping) {
  EXPECT_EQ(Settings("  amiFamily: Custom\n  blockDeviceMappings:\n"
                     "  - {deviceName: /dev/xvda, ebs: {volumeSize: 30Gi}}\n"
                     "  - {deviceName: /dev/xvdb, ebs: {volumeSize: 70Gi}}\n")
                .root_volume_size,
            Q("70Gi"));
  EXPECT_EQ(Settings("  amiFamily: Custom\n  blockDeviceMappings:\n"
                     "  - {deviceName: /dev/xvda, ebs: {volumeSize: 30Gi}}\n"
                     "  - {deviceName: /dev/xvdb, ebs: {volumeType: gp3}}\n")
                .root_volume_size,
            Q("20Gi"));
}

TEST(NodeSettingsFromNodeClassTest, CopiesKubeletSettings) {
  NodeSettings settings = Settings(
      "  amiFamily: AL2023\n  instanceStorePolicy: RAID0\n  kubelet:\n"
      "    maxPods: 20\n    podsPerCore: 4\n    kubeReserved: {cpu: 200m}\n"
      "    systemReserved: {memory: 100Mi}\n"
      "    evictionHard: {memory.available: 5%, nodefs.available: 500Mi}\n"
      "    evictionSoft: {memory.available: 10%}\n"
      "    evictionSoftGracePeriod: {memory.available: 1m}\n");
  EXPECT_EQ(settings.kubelet.max_pods, 20);
  EXPECT_EQ(settings.kubelet.pods_per_core, 4);
  EXPECT_EQ(settings.kubelet.kube_reserved.ToString(), "{cpu: 200m}");
  EXPECT_EQ(settings.kubelet.system_reserved.ToString(), "{memory: 100Mi}");
  EXPECT_EQ(settings.kubelet.eviction_hard,
            (std::map<std::string, std::string>{{"memory.available", "5%"},
                                                {"nodefs.available", "500Mi"}}));
  EXPECT_EQ(settings.kubelet.eviction_soft,
            (std::map<std::string, std::string>{{"memory.available", "10%"}}));
  EXPECT_TRUE(settings.instance_store_raid0);
  EXPECT_EQ(settings.ami, kDefaultAmiFeatures);
  EXPECT_EQ(settings.reserved_enis, 0);
  EXPECT_EQ(settings.vm_memory_overhead_percent, 0.075);
}

TEST(NodeSettingsFromNodeClassTest, EmptyEvictionThresholdNamesTheField) {
  auto settings = NodeSettingsFromNodeClass(
      NodeClass("  amiFamily: AL2023\n  kubelet:\n    evictionHard: {memory.available: \"\"}\n"));
  ASSERT_FALSE(settings.has_value());
  EXPECT_EQ(
      settings.error().message,
      "EC2NodeClass/test: spec.kubelet.evictionHard[memory.available]: invalid eviction "
      "threshold \"\": expected a quantity such as \"100Mi\" or a percentage such as \"10%\"");
}

// m5.large: 2 vCPUs, 8192 MiB (7577Mi after VM overhead), 29 ENI-limited pods.
TEST(NodeSettingsFromNodeClassTest, MaxPodsOnM5LargePerAmiFamily) {
  // AL2023: kube-reserved memory still follows the ENI limit (29 pods).
  InstanceType al2023 = TypeUnder("  amiFamily: AL2023\n  kubelet: {maxPods: 20}\n", "m5.large");
  EXPECT_EQ(al2023.capacity().Get(core::kPods), Q("20"));
  EXPECT_EQ(al2023.overhead().kube_reserved.Get(core::kMemory), Q("574Mi"));
  EXPECT_EQ(al2023.allocatable().Get(core::kMemory), Q("6903Mi"));
  // Bottlerocket: it follows maxPods (11 x 20 + 255).
  InstanceType bottlerocket =
      TypeUnder("  amiFamily: Bottlerocket\n  kubelet: {maxPods: 20}\n", "m5.large");
  EXPECT_EQ(bottlerocket.capacity().Get(core::kPods), Q("20"));
  EXPECT_EQ(bottlerocket.overhead().kube_reserved.Get(core::kMemory), Q("475Mi"));
  EXPECT_EQ(bottlerocket.allocatable().Get(core::kMemory), Q("7002Mi"));
}

TEST(NodeSettingsFromNodeClassTest, WindowsIsNotEniLimited) {
  InstanceType windows = TypeUnder("  amiFamily: Windows2022\n", "m5.large");
  EXPECT_EQ(windows.capacity().Get(core::kPods), Q("110"));
  EXPECT_EQ(windows.overhead().kube_reserved.Get(core::kMemory), Q("1465Mi"));  // 11 x 110 + 255
  EXPECT_EQ(windows.allocatable().Get(core::kMemory), Q("6012Mi"));
  EXPECT_EQ(windows.capacity().Get(core::kEphemeralStorage), Q("50Gi"));
}

TEST(NodeSettingsFromNodeClassTest, PodsPerCoreOnlyWhereTheFamilyHonoursIt) {
  EXPECT_EQ(TypeUnder("  amiFamily: AL2023\n  kubelet: {podsPerCore: 10}\n", "m5.large")
                .capacity()
                .Get(core::kPods),
            Q("20"));
  EXPECT_EQ(TypeUnder("  amiFamily: Bottlerocket\n  kubelet: {podsPerCore: 10}\n", "m5.large")
                .capacity()
                .Get(core::kPods),
            Q("29"));
}

TEST(NodeSettingsFromNodeClassTest, ReservedAndEvictionOverridesOnM5Large) {
  InstanceType type = TypeUnder(
      "  amiFamily: AL2023\n  kubelet:\n    kubeReserved: {cpu: 200m}\n"
      "    systemReserved: {memory: 100Mi}\n"
      "    evictionHard: {memory.available: 5%, nodefs.available: 15%}\n",
      "m5.large");
  EXPECT_EQ(type.allocatable().Get(core::kCPU), Q("1800m"));
  // 7577Mi - 574Mi - 100Mi - ceil(5% of 7577Mi = 397253017.6 bytes).
  EXPECT_EQ(type.allocatable().Get(core::kMemory), Q("6841067110"));
  // 20Gi - 1Gi - 15% of 20Gi.
  EXPECT_EQ(type.allocatable().Get(core::kEphemeralStorage), Q("16Gi"));
}

TEST(NodeSettingsFromNodeClassTest, Raid0UsesTheInstanceStore) {
  const std::string spec = "  amiFamily: AL2023\n  instanceStorePolicy: RAID0\n";
  // m5d.large has 75 GB of NVMe instance storage; m5.large has none and keeps the EBS volume.
  EXPECT_EQ(TypeUnder(spec, "m5d.large").capacity().Get(core::kEphemeralStorage), Q("75G"));
  EXPECT_EQ(TypeUnder(spec, "m5.large").capacity().Get(core::kEphemeralStorage), Q("20Gi"));
}

}  // namespace
}  // namespace karpenter::catalog
