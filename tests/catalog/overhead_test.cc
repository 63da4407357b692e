#include "catalog/overhead.h"

#include <gtest/gtest.h>

#include "catalog/labels.h"
#include "test_catalogs.h"

namespace karpenter::catalog {
namespace {

using core::Quantity;
using testing::DefaultType;

Quantity Q(std::string_view text) { return *Quantity::Parse(text); }

// The test vectors of the catalog issue, which upstream's AWS provider produces.
TEST(AllocatableVectorsTest, M5Large) {
  const InstanceType& type = DefaultType("us-east-1", "m5.large");
  EXPECT_EQ(type.capacity().Get(core::kPods), Q("29"));
  EXPECT_EQ(type.overhead().kube_reserved.Get(core::kCPU), Q("70m"));
  EXPECT_EQ(type.overhead().kube_reserved.Get(core::kMemory), Q("574Mi"));
  EXPECT_EQ(type.allocatable().Get(core::kCPU), Q("1930m"));
  EXPECT_EQ(type.allocatable().Get(core::kMemory), Q("6903Mi"));
  EXPECT_EQ(type.allocatable().Get(core::kMemory).ToString(), "6903Mi");
}

TEST(AllocatableVectorsTest, T3Micro) {
  const InstanceType& type = DefaultType("us-east-1", "t3.micro");
  EXPECT_EQ(type.capacity().Get(core::kPods), Q("4"));
  EXPECT_EQ(type.allocatable().Get(core::kMemory), Q("548Mi"));
}

TEST(AllocatableVectorsTest, C6gXlarge) {
  const InstanceType& type = DefaultType("us-east-1", "c6g.xlarge");
  EXPECT_EQ(type.capacity().Get(core::kPods), Q("58"));
  EXPECT_EQ(type.allocatable().Get(core::kMemory), Q("6525Mi"));
}

TEST(AllocatableVectorsTest, M524xlarge) {
  const InstanceType& type = DefaultType("us-east-1", "m5.24xlarge");
  EXPECT_EQ(type.capacity().Get(core::kPods), Q("737"));
  EXPECT_EQ(type.overhead().kube_reserved.Get(core::kCPU), Q("310m"));
}

TEST(AllocatableVectorsTest, M5LargeInFull) {
  const InstanceType& type = DefaultType("us-east-1", "m5.large");
  EXPECT_EQ(type.capacity().ToString(),
            "{cpu: 2, ephemeral-storage: 20Gi, memory: 7577Mi, pods: 29}");
  EXPECT_EQ(type.overhead().kube_reserved.ToString(),
            "{cpu: 70m, ephemeral-storage: 1Gi, memory: 574Mi}");
  EXPECT_TRUE(type.overhead().system_reserved.empty());
  EXPECT_EQ(type.overhead().eviction_threshold.Get(core::kMemory), Q("100Mi"));
  EXPECT_EQ(type.overhead().eviction_threshold.Get(core::kEphemeralStorage), Q("2147483648"));
  // 20Gi - 1Gi - 2Gi (10% of 20Gi).
  EXPECT_EQ(type.allocatable().Get(core::kEphemeralStorage), Q("17Gi"));
}

AwsInstanceTypeInfo Info(int64_t vcpus, int64_t memory_mib, int64_t enis, int64_t ipv4,
                         std::string arch = "x86_64") {
  AwsInstanceTypeInfo info;
  info.name = "test.large";
  info.vcpus = vcpus;
  info.memory_mib = memory_mib;
  info.max_enis = enis;
  info.ipv4_per_eni = ipv4;
  info.architectures = {arch};
  info.virtualization = {"hvm"};
  return info;
}

TEST(EniLimitedPodsTest, FormulaAndReservedEnis) {
  AwsInstanceTypeInfo info = Info(2, 8192, 3, 10);
  EXPECT_EQ(EniLimitedPods(info, 0), 29);
  EXPECT_EQ(EniLimitedPods(info, 1), 20);  // 2 x 9 + 2
  EXPECT_EQ(EniLimitedPods(info, 3), 0);   // no ENI left
  EXPECT_EQ(EniLimitedPods(info, 5), 0);
}

TEST(MaxPodsTest, MaxPodsPodsPerCoreAndAmiFeatures) {
  AwsInstanceTypeInfo info = Info(2, 8192, 3, 10);
  NodeSettings settings;
  EXPECT_EQ(MaxPods(info, settings), 29);
  settings.kubelet.max_pods = 110;
  EXPECT_EQ(MaxPods(info, settings), 110);
  settings.kubelet.pods_per_core = 10;
  EXPECT_EQ(MaxPods(info, settings), 20);   // min(10 x 2 vCPU, 110)
  settings.ami = kBottlerocketAmiFeatures;  // ignores podsPerCore
  EXPECT_EQ(MaxPods(info, settings), 110);
  settings.kubelet.max_pods.reset();
  settings.ami = kWindowsAmiFeatures;  // no ENI-limited density: 110, then podsPerCore
  EXPECT_EQ(MaxPods(info, settings), 20);
  settings.kubelet.pods_per_core = 0;  // 0 means unset
  EXPECT_EQ(MaxPods(info, settings), 110);
}

TEST(MemoryCapacityTest, VmOverheadAndGravitonCma) {
  EXPECT_EQ(MemoryCapacity(Info(2, 8192, 3, 10), 0.075), Q("7577Mi"));
  EXPECT_EQ(MemoryCapacity(Info(2, 8192, 3, 10, "arm64"), 0.075), Q("7518Mi"));
  // Upstream's own table: (8192 - 64) MiB less 7.5% is 7883194368 bytes; 0% leaves it whole.
  EXPECT_EQ(MemoryCapacity(Info(2, 8192, 3, 10, "arm64"), 0.075).Value(), 7883194368);
  EXPECT_EQ(MemoryCapacity(Info(2, 4096, 3, 10, "arm64"), 0).Value(), 4227858432);
  EXPECT_EQ(MemoryCapacity(Info(2, 16384, 3, 10), 0.15).Value(), 14602469376);
  EXPECT_EQ(MemoryCapacity(Info(2, 8192, 3, 10), 0.075).format(), core::Format::kBinarySI);
}

TEST(KubeReservedTest, CpuRanges) {
  EXPECT_EQ(KubeReservedCpuMilli(500), 30);
  EXPECT_EQ(KubeReservedCpuMilli(1000), 60);
  EXPECT_EQ(KubeReservedCpuMilli(2000), 70);
  EXPECT_EQ(KubeReservedCpuMilli(3000), 75);
  EXPECT_EQ(KubeReservedCpuMilli(4000), 80);
  EXPECT_EQ(KubeReservedCpuMilli(8000), 90);
  EXPECT_EQ(KubeReservedCpuMilli(96000), 310);
}

TEST(KubeReservedTest, OverridesReplaceResourceByResource) {
  core::ResourceList overrides{{"cpu", Q("1")}, {"pid", Q("100")}};
  core::ResourceList reserved = KubeReserved(2, 29, overrides);
  EXPECT_EQ(reserved.ToString(), "{cpu: 1, ephemeral-storage: 1Gi, memory: 574Mi, pid: 100}");
}

TEST(EvictionThresholdTest, DefaultsAndHardOverrides) {
  Quantity memory = Q("7577Mi");
  Quantity storage = Q("20Gi");
  auto defaults = EvictionThreshold(memory, storage, {});
  ASSERT_TRUE(defaults.has_value());
  EXPECT_EQ(defaults->Get(core::kMemory), Q("100Mi"));
  EXPECT_EQ(defaults->Get(core::kEphemeralStorage).Value(), 2147483648);
  // Upstream prints the float it computed (2.147483648e+09) and parses that.
  EXPECT_EQ(defaults->Get(core::kEphemeralStorage).format(), core::Format::kDecimalExponent);

  auto hard = EvictionThreshold(
      memory, storage,
      {{"memory.available", "5%"}, {"nodefs.available", "1Gi"}, {"imagefs.available", "50%"}});
  ASSERT_TRUE(hard.has_value());
  // ceil(7577 x 1048576 / 100 x 5) = ceil(397253017.6)
  EXPECT_EQ(hard->Get(core::kMemory).Value(), 397253018);
  EXPECT_EQ(hard->Get(core::kEphemeralStorage), Q("1Gi"));
  EXPECT_EQ(hard->size(), 2u);
}

TEST(EvictionThresholdTest, SignalValues) {
  Quantity capacity = Q("1000");
  EXPECT_EQ(*EvictionSignalQuantity(capacity, "10%"), Q("100"));
  EXPECT_EQ(*EvictionSignalQuantity(capacity, "0.15%"), Q("2"));  // ceil(1.5)
  EXPECT_EQ(*EvictionSignalQuantity(capacity, "100%"), Q("0"));   // disabled
  EXPECT_EQ(*EvictionSignalQuantity(capacity, "500Mi"), Q("500Mi"));
  auto bad_percent = EvictionSignalQuantity(capacity, "x%");
  ASSERT_FALSE(bad_percent.has_value());
  EXPECT_EQ(bad_percent.error().message,
            "eviction threshold \"x%\": expected a percentage such as \"10%\"");
  EXPECT_FALSE(EvictionSignalQuantity(capacity, "lots").has_value());
}

TEST(ComputeNodeResourcesTest, SettingsFlowThrough) {
  AwsInstanceTypeInfo info = Info(2, 8192, 3, 10);
  info.instance_storage_nvme = "required";
  info.instance_storage_gb = 75;
  NodeSettings settings;
  settings.kubelet.max_pods = 110;
  settings.kubelet.system_reserved = core::ResourceList{{"cpu", Q("100m")}};
  settings.root_volume_size = Q("100Gi");
  auto resources = ComputeNodeResources(info, settings);
  ASSERT_TRUE(resources.has_value());
  EXPECT_EQ(resources->capacity.Get(core::kPods), Q("110"));
  // The default AMI family reserves memory for the ENI-limited 29 pods, not maxPods.
  EXPECT_EQ(resources->overhead.kube_reserved.Get(core::kMemory), Q("574Mi"));
  EXPECT_EQ(resources->capacity.Get(core::kEphemeralStorage), Q("100Gi"));
  EXPECT_EQ(resources->overhead.system_reserved.ToString(), "{cpu: 100m}");

  settings.ami = kBottlerocketAmiFeatures;  // reserves for the pods it will run
  settings.instance_store_raid0 = true;
  resources = ComputeNodeResources(info, settings);
  ASSERT_TRUE(resources.has_value());
  EXPECT_EQ(resources->overhead.kube_reserved.Get(core::kMemory), Q("1465Mi"));  // 11x110+255
  EXPECT_EQ(resources->capacity.Get(core::kEphemeralStorage), Q("75G"));

  settings.kubelet.eviction_hard = {{"memory.available", "10"}};
  settings.kubelet.eviction_hard["memory.available"] = "ten";
  EXPECT_FALSE(ComputeNodeResources(info, settings).has_value());
}

TEST(ComputeNodeResourcesTest, ExtendedResources) {
  const InstanceType& p4d = DefaultType("us-east-1", "p4d.24xlarge");
  EXPECT_EQ(p4d.capacity().Get(kResourceNvidiaGpu), Q("8"));
  EXPECT_EQ(p4d.capacity().Get(kResourceEfa), Q("4"));
  EXPECT_FALSE(p4d.capacity().Contains(kResourceAwsNeuron));
  const InstanceType& inf2 = DefaultType("us-east-1", "inf2.xlarge");
  EXPECT_EQ(inf2.capacity().Get(kResourceAwsNeuron), Q("1"));
  EXPECT_EQ(inf2.capacity().Get(kResourceAwsNeuronCore), Q("2"));
  const InstanceType& trn1n = DefaultType("us-east-1", "trn1n.32xlarge");
  EXPECT_EQ(trn1n.capacity().Get(kResourceAwsNeuron), Q("16"));
  EXPECT_EQ(trn1n.capacity().Get(kResourceAwsNeuronCore), Q("32"));
  EXPECT_EQ(trn1n.capacity().Get(kResourceEfa), Q("16"));
  EXPECT_EQ(trn1n.capacity().Get(core::kPods), Q("247"));
  const InstanceType& g4ad = DefaultType("us-east-1", "g4ad.xlarge");
  EXPECT_EQ(g4ad.capacity().Get(kResourceAmdGpu), Q("1"));
  const InstanceType& dl1 = DefaultType("us-east-1", "dl1.24xlarge");
  EXPECT_EQ(dl1.capacity().Get(kResourceHabanaGaudi), Q("8"));
  const InstanceType& m5 = DefaultType("us-east-1", "m5.large");
  EXPECT_EQ(m5.capacity().size(), 4u);  // no zero-valued extended resources
}

}  // namespace
}  // namespace karpenter::catalog
