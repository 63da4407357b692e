#include "catalog/labels.h"

#include <gtest/gtest.h>

#include "catalog/aws_labels.h"
#include "test_catalogs.h"

namespace karpenter::catalog {
namespace {

using testing::DefaultType;

InstanceTypeNameParts Parts(std::optional<std::string> category,
                            std::optional<std::string> generation,
                            std::optional<std::string> family, std::optional<std::string> size) {
  return {std::move(category), std::move(generation), std::move(family), std::move(size)};
}

TEST(ParseInstanceTypeNameTest, CommonAndOddNames) {
  EXPECT_EQ(ParseInstanceTypeName("c7i.2xlarge"), Parts("c", "7", "c7i", "2xlarge"));
  EXPECT_EQ(ParseInstanceTypeName("u-6tb1.112xlarge"), Parts("u", "1", "u-6tb1", "112xlarge"));
  EXPECT_EQ(ParseInstanceTypeName("mac2-m2pro.metal"), Parts("mac", "2", "mac2-m2pro", "metal"));
  EXPECT_EQ(ParseInstanceTypeName("p4de.24xlarge"), Parts("p", "4", "p4de", "24xlarge"));
  EXPECT_EQ(ParseInstanceTypeName("c7gn.metal"), Parts("c", "7", "c7gn", "metal"));
  EXPECT_EQ(ParseInstanceTypeName("x2iezn.12xlarge"), Parts("x", "2", "x2iezn", "12xlarge"));
  EXPECT_EQ(ParseInstanceTypeName("inf2.xlarge"), Parts("inf", "2", "inf2", "xlarge"));
  EXPECT_EQ(ParseInstanceTypeName("trn1n.32xlarge"), Parts("trn", "1", "trn1n", "32xlarge"));
  EXPECT_EQ(ParseInstanceTypeName("c7i-flex.large"), Parts("c", "7", "c7i-flex", "large"));
  EXPECT_EQ(ParseInstanceTypeName("c8gb.metal-48xl"), Parts("c", "8", "c8gb", "metal-48xl"));
  EXPECT_EQ(ParseInstanceTypeName("m10.large"), Parts("m", "10", "m10", "large"));
}

TEST(ParseInstanceTypeNameTest, NamesTheRegexDoesNotMatch) {
  // No digits right after the letters: family and size only.
  EXPECT_EQ(ParseInstanceTypeName("mac-m4.metal"),
            Parts(std::nullopt, std::nullopt, "mac-m4", "metal"));
  // No '.' after the generation: nothing from the regex, and no family/size either.
  EXPECT_EQ(ParseInstanceTypeName("m5"),
            Parts(std::nullopt, std::nullopt, std::nullopt, std::nullopt));
  // "-<n>tb" without digits after it: the letters alone are followed by '-'.
  EXPECT_EQ(ParseInstanceTypeName("u-6tb.large"),
            Parts(std::nullopt, std::nullopt, "u-6tb", "large"));
  // Two dots: category and generation, but no family or size.
  EXPECT_EQ(ParseInstanceTypeName("a1.b.c"), Parts("a", "1", std::nullopt, std::nullopt));
  EXPECT_EQ(ParseInstanceTypeName("M5.large"), Parts(std::nullopt, std::nullopt, "M5", "large"));
  EXPECT_EQ(ParseInstanceTypeName(""),
            Parts(std::nullopt, std::nullopt, std::nullopt, std::nullopt));
}

TEST(LabelKeyTest, NamesRoundTrip) {
  for (size_t i = 0; i < kLabelKeyCount; ++i) {
    auto key = static_cast<LabelKey>(i);
    EXPECT_EQ(FindLabelKey(LabelKeyName(key)), key);
  }
  EXPECT_EQ(FindLabelKey(kLabelZone), std::nullopt);
  EXPECT_EQ(FindLabelKey(kLabelCapacityType), std::nullopt);
  EXPECT_EQ(LowerKebabCase("Radeon Pro V520"), "radeon-pro-v520");
}

TEST(AwsTypeLabelsTest, C7i2xlargeRequirements) {
  const InstanceType& type = DefaultType("us-east-1", "c7i.2xlarge");
  EXPECT_EQ(type.Label(kLabelInstanceCategory), "c");
  EXPECT_EQ(type.Label(kLabelInstanceFamily), "c7i");
  EXPECT_EQ(type.Label(kLabelInstanceGeneration), "7");
  EXPECT_EQ(type.Label(kLabelInstanceSize), "2xlarge");
  EXPECT_EQ(type.Requirements().ToString(),
            "karpenter.k8s.aws/instance-accelerator-count DoesNotExist, "
            "karpenter.k8s.aws/instance-accelerator-manufacturer DoesNotExist, "
            "karpenter.k8s.aws/instance-accelerator-name DoesNotExist, "
            "karpenter.k8s.aws/instance-category In [c], "
            "karpenter.k8s.aws/instance-cpu In [8], "
            "karpenter.k8s.aws/instance-cpu-manufacturer In [intel], "
            "karpenter.k8s.aws/instance-cpu-sustained-clock-speed-mhz In [3200], "
            "karpenter.k8s.aws/instance-ebs-bandwidth In [10000], "
            "karpenter.k8s.aws/instance-encryption-in-transit-supported In [true], "
            "karpenter.k8s.aws/instance-family In [c7i], "
            "karpenter.k8s.aws/instance-generation In [7], "
            "karpenter.k8s.aws/instance-gpu-count DoesNotExist, "
            "karpenter.k8s.aws/instance-gpu-manufacturer DoesNotExist, "
            "karpenter.k8s.aws/instance-gpu-memory DoesNotExist, "
            "karpenter.k8s.aws/instance-gpu-name DoesNotExist, "
            "karpenter.k8s.aws/instance-hypervisor In [nitro], "
            "karpenter.k8s.aws/instance-local-nvme DoesNotExist, "
            "karpenter.k8s.aws/instance-memory In [16384], "
            "karpenter.k8s.aws/instance-network-bandwidth In [3125], "
            "karpenter.k8s.aws/instance-size In [2xlarge], "
            "karpenter.sh/capacity-type In [on-demand spot], "
            "kubernetes.io/arch In [amd64], "
            "kubernetes.io/os In [linux], "
            "node.kubernetes.io/instance-type In [c7i.2xlarge], "
            "node.kubernetes.io/windows-build DoesNotExist, "
            "topology.kubernetes.io/region In [us-east-1], "
            "topology.kubernetes.io/zone In [us-east-1a us-east-1b us-east-1c us-east-1d "
            "us-east-1f]");
}

TEST(AwsTypeLabelsTest, GpuAndAcceleratorLabels) {
  const InstanceType& p4d = DefaultType("us-east-1", "p4d.24xlarge");
  EXPECT_EQ(p4d.Label(kLabelInstanceGpuName), "a100");
  EXPECT_EQ(p4d.Label(kLabelInstanceGpuManufacturer), "nvidia");
  EXPECT_EQ(p4d.Label(kLabelInstanceGpuCount), "8");
  EXPECT_EQ(p4d.Label(kLabelInstanceGpuMemory), "40960");
  EXPECT_EQ(p4d.Label(kLabelInstanceLocalNvme), "8000");
  EXPECT_EQ(p4d.Label(kLabelInstanceNetworkBandwidth), "400000");
  EXPECT_EQ(p4d.Label(kLabelInstanceAcceleratorName), std::nullopt);
  EXPECT_EQ(p4d.RequirementFor(kLabelInstanceAcceleratorName)->ToString(),
            "karpenter.k8s.aws/instance-accelerator-name DoesNotExist");

  const InstanceType& inf2 = DefaultType("us-east-1", "inf2.xlarge");
  EXPECT_EQ(inf2.Label(kLabelInstanceAcceleratorName), "inferentia2");
  EXPECT_EQ(inf2.Label(kLabelInstanceAcceleratorManufacturer), "aws");
  EXPECT_EQ(inf2.Label(kLabelInstanceAcceleratorCount), "1");
  EXPECT_EQ(inf2.Label(kLabelInstanceGpuName), std::nullopt);

  const InstanceType& trn1n = DefaultType("us-east-1", "trn1n.32xlarge");
  EXPECT_EQ(trn1n.Label(kLabelInstanceAcceleratorName), "trainium");
  EXPECT_EQ(trn1n.Label(kLabelInstanceAcceleratorCount), "16");

  const InstanceType& g4ad = DefaultType("us-east-1", "g4ad.xlarge");
  EXPECT_EQ(g4ad.Label(kLabelInstanceGpuName), "radeon-pro-v520");
  EXPECT_EQ(g4ad.Label(kLabelInstanceGpuManufacturer), "amd");
}

TEST(AwsTypeLabelsTest, ArchHypervisorAndVagueBandwidth) {
  const InstanceType& c6g = DefaultType("us-east-1", "c6g.xlarge");
  EXPECT_EQ(c6g.Label(kLabelArch), "arm64");
  EXPECT_EQ(c6g.Label(kLabelInstanceCpuManufacturer), "aws");
  // Bare metal has no hypervisor; upstream still sets the label, to "".
  EXPECT_EQ(DefaultType("us-east-1", "c7gn.metal").Label(kLabelInstanceHypervisor), "");
  EXPECT_EQ(DefaultType("us-east-1", "m5.large").Label(kLabelInstanceNetworkBandwidth), "750");
  // "Moderate" network performance: no bandwidth label.
  EXPECT_EQ(DefaultType("us-east-1", "m4.large").Label(kLabelInstanceNetworkBandwidth),
            std::nullopt);
  // i386 is listed first, but the type runs amd64 nodes.
  EXPECT_EQ(DefaultType("us-east-1", "t2.micro").Label(kLabelArch), "amd64");
  EXPECT_EQ(DefaultType("us-east-1", "u-6tb1.112xlarge").Label(kLabelInstanceCategory), "u");
}

TEST(AwsTypeLabelsTest, KubeArchitectureAndSupport) {
  AwsInstanceTypeInfo mac;
  mac.architectures = {"arm64_mac"};
  mac.virtualization = {"hvm"};
  EXPECT_EQ(KubeArchitecture(mac), "[arm64_mac]");
  EXPECT_FALSE(IsSupportedByKarpenter(mac));
  AwsInstanceTypeInfo old;
  old.architectures = {"i386", "x86_64"};
  old.virtualization = {"paravirtual"};
  EXPECT_EQ(KubeArchitecture(old), "amd64");
  EXPECT_FALSE(IsSupportedByKarpenter(old));
  old.virtualization = {"hvm", "paravirtual"};
  EXPECT_TRUE(IsSupportedByKarpenter(old));
  EXPECT_EQ(testing::DefaultCatalog("us-east-1").Find("mac2-m2pro.metal"), nullptr);
}

}  // namespace
}  // namespace karpenter::catalog
