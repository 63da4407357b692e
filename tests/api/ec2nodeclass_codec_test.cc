#include <chrono>

#include <gtest/gtest.h>

#include "api/codec/ec2_node_class_codec.h"
#include "karpenter_codec_test_util.h"

namespace karpenter::api {
namespace {

using namespace std::chrono_literals;
using codec::DecodeEC2NodeClass;
using codec::EncodeEC2NodeClass;
using codec::ParseEvictionThreshold;
using core::Operator;
using core::Quantity;
using karpenter_codec_testing::Describe;
using karpenter_codec_testing::RepoFile;
using karpenter_codec_testing::Yaml;

Quantity Q(std::string_view text) { return *Quantity::Parse(text); }

EvictionThreshold Threshold(std::string_view text) { return *ParseEvictionThreshold(text); }

TEST(EC2NodeClassCodecTest, DecodesGeneralPurposeExample) {
  std::vector<Json> documents = RepoFile("examples/general-purpose.yaml");
  ASSERT_EQ(documents.size(), 2u);
  FieldErrors errors;
  EC2NodeClass node_class = DecodeEC2NodeClass(documents[0], errors);
  EXPECT_TRUE(errors.empty()) << ::testing::PrintToString(Describe(errors));

  EXPECT_EQ(node_class.metadata.name, "general-purpose");
  EC2NodeClassSpec expected;
  expected.ami_family = "AL2023";
  expected.ami_selector_terms = {AMISelectorTerm{"", "ami-00c70c1792cf86a68", "", "", "", {}}};
  expected.role = "karpenter-cluster1";
  expected.security_group_selector_terms = {{"", "", {{"Name", "cluster1-node"}}}};
  expected.subnet_selector_terms = {{"", {{"Name", "cluster1-private-*"}}}};
  BlockDevice root;
  root.encrypted = true;
  root.volume_size = Q("60Gi");
  root.volume_type = "gp3";
  expected.block_device_mappings = {{std::string("/dev/xvda"), root, false}};
  EXPECT_EQ(node_class.spec, expected);
  // What the catalog reads for ephemeral-storage: exactly 60 GiB.
  EXPECT_EQ(node_class.spec.block_device_mappings[0].ebs->volume_size->Value(), 64424509440);
  EXPECT_EQ(node_class.status, EC2NodeClassStatus{});

  EXPECT_JSON_EQ(EncodeEC2NodeClass(node_class), documents[0]);
}

constexpr const char* kFullNodeClass = R"(
apiVersion: karpenter.k8s.aws/v1
kind: EC2NodeClass
metadata: {name: full}
spec:
  amiFamily: Bottlerocket
  amiSelectorTerms:
    - alias: bottlerocket@v1.20.0
  subnetSelectorTerms:
    - tags: {karpenter.sh/discovery: my-cluster, Tier: private}
    - id: subnet-0123456789abcdef0
  securityGroupSelectorTerms:
    - name: my-cluster-nodes
    - id: sg-0123456789abcdef0
  capacityReservationSelectorTerms:
    - id: cr-0123456789abcdef0
    - tags: {team: ml}
      ownerID: "012345678901"
      instanceMatchCriteria: targeted
  instanceProfile: KarpenterNodeInstanceProfile
  kubelet:
    maxPods: 110
    podsPerCore: 10
    systemReserved: {cpu: 100m, memory: 100Mi, ephemeral-storage: 1Gi}
    kubeReserved: {cpu: 200m, memory: 100Mi, ephemeral-storage: 3Gi, pid: "1000"}
    evictionHard: {memory.available: 5%, nodefs.available: 10%, nodefs.inodesFree: 7.5%, imagefs.available: 500Mi}
    evictionSoft: {memory.available: 500Mi, nodefs.available: 15%}
    evictionSoftGracePeriod: {memory.available: 1m, nodefs.available: 1m30s}
    evictionMaxPodGracePeriod: 60
    imageGCHighThresholdPercent: 85
    imageGCLowThresholdPercent: 80
    cpuCFSQuota: true
    clusterDNS: [10.0.1.100]
  blockDeviceMappings:
    - deviceName: /dev/xvda
      rootVolume: true
      ebs:
        volumeSize: 100G
        volumeType: io2
        iops: 10000
        throughput: 125
        encrypted: true
        kmsKeyID: arn:aws:kms:us-west-2:111122223333:key/1234abcd
        deleteOnTermination: false
    - deviceName: /dev/xvdb
      ebs:
        snapshotID: snap-0123456789abcdef0
        volumeInitializationRate: 200
  instanceStorePolicy: RAID0
  metadataOptions:
    httpEndpoint: enabled
    httpProtocolIPv6: disabled
    httpPutResponseHopLimit: 2
    httpTokens: required
  associatePublicIPAddress: false
  detailedMonitoring: true
  tags: {team: ml, cost-center: "42"}
  userData: |
    [settings.kubernetes]
    max-pods = 110
  context: fleet-context
status:
  subnets:
    - {id: subnet-0123456789abcdef0, zone: us-west-2a, zoneID: usw2-az1}
    - {id: subnet-0fedcba9876543210, zone: us-west-2b}
  securityGroups:
    - {id: sg-0123456789abcdef0, name: my-cluster-nodes}
  amis:
    - id: ami-0123456789abcdef0
      name: bottlerocket-aws-k8s-1.30-x86_64-v1.20.0
      requirements:
        - {key: kubernetes.io/arch, operator: In, values: [amd64]}
        - {key: karpenter.k8s.aws/instance-gpu-count, operator: DoesNotExist}
    - id: ami-0fedcba9876543210
      deprecated: true
      requirements:
        - {key: kubernetes.io/arch, operator: In, values: [arm64]}
  instanceProfile: KarpenterNodeInstanceProfile
  conditions:
    - {type: Ready, status: "True", reason: Ready, message: "", lastTransitionTime: "2024-05-27T10:00:00Z", observedGeneration: 2}
)";

TEST(EC2NodeClassCodecTest, DecodesEveryField) {
  Json input = Yaml(kFullNodeClass);
  FieldErrors errors;
  EC2NodeClass node_class = DecodeEC2NodeClass(input, errors);
  EXPECT_TRUE(errors.empty()) << ::testing::PrintToString(Describe(errors));
  const EC2NodeClassSpec& spec = node_class.spec;

  EXPECT_EQ(spec.ami_family, "Bottlerocket");
  EXPECT_EQ(spec.ami_selector_terms,
            (std::vector<AMISelectorTerm>{{"bottlerocket@v1.20.0", "", "", "", "", {}}}));
  EXPECT_EQ(spec.subnet_selector_terms,
            (std::vector<SubnetSelectorTerm>{
                {"", {{"karpenter.sh/discovery", "my-cluster"}, {"Tier", "private"}}},
                {"subnet-0123456789abcdef0", {}}}));
  EXPECT_EQ(spec.security_group_selector_terms,
            (std::vector<SecurityGroupSelectorTerm>{{"", "my-cluster-nodes", {}},
                                                    {"sg-0123456789abcdef0", "", {}}}));
  EXPECT_EQ(spec.capacity_reservation_selector_terms,
            (std::vector<CapacityReservationSelectorTerm>{
                {"cr-0123456789abcdef0", "", "", {}},
                {"", "012345678901", "targeted", {{"team", "ml"}}}}));
  EXPECT_EQ(spec.role, std::nullopt);
  EXPECT_EQ(spec.instance_profile, "KarpenterNodeInstanceProfile");

  KubeletConfiguration kubelet;
  kubelet.max_pods = 110;
  kubelet.pods_per_core = 10;
  kubelet.system_reserved = {{"cpu", Q("100m")}, {"memory", Q("100Mi")},
                             {"ephemeral-storage", Q("1Gi")}};
  kubelet.kube_reserved = {{"cpu", Q("200m")}, {"memory", Q("100Mi")},
                           {"ephemeral-storage", Q("3Gi")}, {"pid", Q("1000")}};
  kubelet.eviction_hard = {{"memory.available", {"5%", std::nullopt, 5.0}},
                           {"nodefs.available", {"10%", std::nullopt, 10.0}},
                           {"nodefs.inodesFree", {"7.5%", std::nullopt, 7.5}},
                           {"imagefs.available", {"500Mi", Q("500Mi"), std::nullopt}}};
  kubelet.eviction_soft = {{"memory.available", {"500Mi", Q("500Mi"), std::nullopt}},
                           {"nodefs.available", {"15%", std::nullopt, 15.0}}};
  kubelet.eviction_soft_grace_period = {{"memory.available", 1min},
                                        {"nodefs.available", 90s}};
  kubelet.eviction_max_pod_grace_period = 60;
  kubelet.image_gc_high_threshold_percent = 85;
  kubelet.image_gc_low_threshold_percent = 80;
  kubelet.cpu_cfs_quota = true;
  kubelet.cluster_dns = {"10.0.1.100"};
  EXPECT_EQ(spec.kubelet, kubelet);

  BlockDevice root;
  root.volume_size = Q("100G");
  root.volume_type = "io2";
  root.iops = 10000;
  root.throughput = 125;
  root.encrypted = true;
  root.kms_key_id = "arn:aws:kms:us-west-2:111122223333:key/1234abcd";
  root.delete_on_termination = false;
  BlockDevice data;
  data.snapshot_id = "snap-0123456789abcdef0";
  data.volume_initialization_rate = 200;
  EXPECT_EQ(spec.block_device_mappings,
            (std::vector<BlockDeviceMapping>{{std::string("/dev/xvda"), root, true},
                                             {std::string("/dev/xvdb"), data, false}}));
  EXPECT_EQ(spec.block_device_mappings[0].ebs->volume_size->Value(), 100000000000);
  EXPECT_EQ(spec.instance_store_policy, "RAID0");
  EXPECT_EQ(spec.metadata_options,
            (MetadataOptions{std::string("enabled"), std::string("disabled"), 2,
                             std::string("required")}));
  EXPECT_EQ(spec.associate_public_ip_address, false);
  EXPECT_EQ(spec.detailed_monitoring, true);
  EXPECT_EQ(spec.tags, (Tags{{"team", "ml"}, {"cost-center", "42"}}));
  EXPECT_EQ(spec.user_data, "[settings.kubernetes]\nmax-pods = 110\n");
  EXPECT_EQ(spec.context, "fleet-context");

  EC2NodeClassStatus status;
  status.subnets = {{"subnet-0123456789abcdef0", "us-west-2a", "usw2-az1"},
                    {"subnet-0fedcba9876543210", "us-west-2b", ""}};
  status.security_groups = {{"sg-0123456789abcdef0", "my-cluster-nodes"}};
  status.amis = {
      {"ami-0123456789abcdef0",
       "bottlerocket-aws-k8s-1.30-x86_64-v1.20.0",
       false,
       {{"kubernetes.io/arch", Operator::In, {"amd64"}, {}},
        {"karpenter.k8s.aws/instance-gpu-count", Operator::DoesNotExist, {}, {}}}},
      {"ami-0fedcba9876543210", "", true, {{"kubernetes.io/arch", Operator::In, {"arm64"}, {}}}},
  };
  status.instance_profile = "KarpenterNodeInstanceProfile";
  status.conditions = {{"Ready", "True", 2, 1716804000, "Ready", ""}};
  EXPECT_EQ(node_class.status, status);

  EXPECT_JSON_EQ(EncodeEC2NodeClass(node_class), input);
}

// Fields the model leaves out (networkInterfaces, placementGroupSelector, ...) and fields no
// version of the CRD has survive a round trip untouched.
TEST(EC2NodeClassCodecTest, RoundTripKeepsUnmodelledAndUnknownFields) {
  Json input = Yaml(R"(
apiVersion: karpenter.k8s.aws/v1
kind: EC2NodeClass
metadata: {name: nc}
spec:
  role: KarpenterNodeRole
  amiSelectorTerms: [{alias: al2023@latest, x-term: 1}]
  subnetSelectorTerms: [{tags: {a: b}}]
  securityGroupSelectorTerms: [{tags: {a: b}}]
  kubelet: {}
  metadataOptions: {httpTokens: optional, x-opt: 1}
  blockDeviceMappings: [{deviceName: /dev/xvda, ebs: {volumeSize: 20Gi, x-ebs: 1}, x-bdm: 2}]
  networkInterfaces: [{networkCardIndex: 0, deviceIndex: 0, interfaceType: interface}]
  placementGroupSelector: {name: pg}
  ipPrefixCount: 2
  cpuOptions: {nestedVirtualization: enabled}
  connectionTracking: {tcpEstablishedTimeout: 60}
status:
  capacityReservations: [{id: cr-1, availabilityZone: us-west-2a, instanceMatchCriteria: open, instanceType: m5.large, ownerID: "012345678901"}]
  x-status: 1
)");
  FieldErrors errors;
  EC2NodeClass node_class = DecodeEC2NodeClass(input, errors);
  EXPECT_TRUE(errors.empty()) << ::testing::PrintToString(Describe(errors));
  EXPECT_EQ(node_class.spec.kubelet, KubeletConfiguration{});
  EXPECT_EQ(node_class.spec.metadata_options,
            (MetadataOptions{std::nullopt, std::nullopt, std::nullopt, std::string("optional")}));
  EXPECT_JSON_EQ(EncodeEC2NodeClass(node_class), input);
}

TEST(EC2NodeClassCodecTest, WrongTypesAreErrorsAndTheRestStillDecodes) {
  FieldErrors errors;
  EC2NodeClass node_class = DecodeEC2NodeClass(Yaml(R"(
apiVersion: karpenter.k8s.aws/v1
kind: EC2NodeClass
metadata: {name: nc}
spec:
  amiFamily: AL2023
  amiSelectorTerms: [{id: 7}]
  subnetSelectorTerms: [{tags: {a: 1}}]
  securityGroupSelectorTerms: {tags: {a: b}}
  role: KarpenterNodeRole
  kubelet:
    maxPods: 3000000000
    systemReserved: {cpu: one}
    evictionHard: {memory.available: 5 percent, nodefs.available: 101%}
    evictionSoftGracePeriod: {memory.available: 1d}
    cpuCFSQuota: "yes"
  blockDeviceMappings:
    - {deviceName: /dev/xvda, rootVolume: "true", ebs: {volumeSize: big, iops: 1.5}}
  metadataOptions: {httpPutResponseHopLimit: two}
  tags: []
status:
  subnets: [{id: 5, zone: us-west-2a}]
)"),
                                                errors);
  EXPECT_EQ(Describe(errors),
            (std::vector<std::string>{
                "/spec/amiSelectorTerms/0/id: must be a string, not integer",
                "/spec/subnetSelectorTerms/0/tags/a: must be a string, not integer",
                "/spec/securityGroupSelectorTerms: must be a list, not object",
                "/spec/kubelet/maxPods: must fit in a 32-bit integer, not 3000000000",
                "/spec/kubelet/systemReserved/cpu: invalid quantity \"one\": " +
                    Quantity::Parse("one").error().message,
                "/spec/kubelet/evictionHard/memory.available: invalid eviction threshold \"5 "
                "percent\": must be a quantity (\"100Mi\") or a percentage (\"10%\")",
                "/spec/kubelet/evictionHard/nodefs.available: invalid eviction threshold "
                "\"101%\": a percentage must be between 0% and 100%",
                "/spec/kubelet/evictionSoftGracePeriod/memory.available: time: unknown unit \"d\" "
                "in duration \"1d\"",
                "/spec/kubelet/cpuCFSQuota: must be a boolean, not string",
                "/spec/blockDeviceMappings/0/rootVolume: must be a boolean, not string",
                "/spec/blockDeviceMappings/0/ebs/iops: must be an integer, not number",
                "/spec/blockDeviceMappings/0/ebs/volumeSize: invalid quantity \"big\": " +
                    Quantity::Parse("big").error().message,
                "/spec/metadataOptions/httpPutResponseHopLimit: must be an integer, not string",
                "/spec/tags: must be a map of strings, not array",
                "/status/subnets/0/id: must be a string, not integer",
            }));
  EXPECT_EQ(node_class.spec.ami_family, "AL2023");
  EXPECT_EQ(node_class.spec.role, "KarpenterNodeRole");
  EXPECT_EQ(node_class.spec.block_device_mappings[0].device_name, "/dev/xvda");
  EXPECT_EQ(node_class.status.subnets, (std::vector<Subnet>{{"", "us-west-2a", ""}}));
}

TEST(EC2NodeClassCodecTest, EncodesDefaultConstructedAsMinimalObject) {
  EXPECT_JSON_EQ(EncodeEC2NodeClass(EC2NodeClass{}), Json::parse(R"({
    "apiVersion": "karpenter.k8s.aws/v1",
    "kind": "EC2NodeClass",
    "metadata": {},
    "spec": {}
  })"));
}

TEST(EC2NodeClassCodecTest, EncodesANewObjectInCanonicalForm) {
  EC2NodeClass node_class;
  node_class.metadata.name = "default";
  EC2NodeClassSpec& spec = node_class.spec;
  spec.ami_selector_terms = {{"al2023@latest", "", "", "", "", {}}};
  spec.subnet_selector_terms = {{"", {{"karpenter.sh/discovery", "c1"}}}};
  spec.security_group_selector_terms = {{"sg-1", "", {}}};
  spec.role = "KarpenterNodeRole-c1";
  KubeletConfiguration kubelet;
  kubelet.max_pods = 58;
  kubelet.kube_reserved = {{"cpu", Q("0.07")}, {"memory", Q("1024Mi")}};
  kubelet.eviction_hard = {{"memory.available", {"", Q("100Mi"), std::nullopt}},
                           {"nodefs.available", {"", std::nullopt, 12.5}}};
  kubelet.eviction_soft_grace_period = {{"memory.available", 150s}};
  spec.kubelet = kubelet;
  BlockDevice ebs;
  ebs.volume_size = Q("0.5Ti");
  ebs.volume_type = "gp3";
  spec.block_device_mappings = {{std::string("/dev/xvda"), ebs, true}};
  spec.metadata_options = MetadataOptions{};
  spec.tags = {{"team", "a"}};
  node_class.status.subnets = {{"subnet-1", "us-west-2a", "usw2-az1"}};
  node_class.status.amis = {{"ami-1", "", false, {}}};

  EXPECT_JSON_EQ(EncodeEC2NodeClass(node_class), Json::parse(R"({
    "apiVersion": "karpenter.k8s.aws/v1",
    "kind": "EC2NodeClass",
    "metadata": {"name": "default"},
    "spec": {
      "amiSelectorTerms": [{"alias": "al2023@latest"}],
      "subnetSelectorTerms": [{"tags": {"karpenter.sh/discovery": "c1"}}],
      "securityGroupSelectorTerms": [{"id": "sg-1"}],
      "role": "KarpenterNodeRole-c1",
      "kubelet": {
        "maxPods": 58,
        "kubeReserved": {"cpu": "70m", "memory": "1Gi"},
        "evictionHard": {"memory.available": "100Mi", "nodefs.available": "12.5%"},
        "evictionSoftGracePeriod": {"memory.available": "2m30s"}
      },
      "blockDeviceMappings": [
        {"deviceName": "/dev/xvda", "rootVolume": true,
         "ebs": {"volumeSize": "512Gi", "volumeType": "gp3"}}
      ],
      "metadataOptions": {},
      "tags": {"team": "a"}
    },
    "status": {
      "subnets": [{"id": "subnet-1", "zone": "us-west-2a", "zoneID": "usw2-az1"}],
      "amis": [{"id": "ami-1", "requirements": []}]
    }
  })"));
}

TEST(EvictionThresholdTest, ParsesPercentagesAndQuantities) {
  EXPECT_EQ(Threshold("10%"), (EvictionThreshold{"10%", std::nullopt, 10.0}));
  EXPECT_EQ(Threshold("0%"), (EvictionThreshold{"0%", std::nullopt, 0.0}));
  EXPECT_EQ(Threshold("7.5%"), (EvictionThreshold{"7.5%", std::nullopt, 7.5}));
  EXPECT_EQ(Threshold("100%"), (EvictionThreshold{"100%", std::nullopt, 100.0}));
  EXPECT_EQ(Threshold("100.00%"), (EvictionThreshold{"100.00%", std::nullopt, 100.0}));
  EXPECT_EQ(Threshold("100Mi"), (EvictionThreshold{"100Mi", Q("100Mi"), std::nullopt}));
  EXPECT_EQ(Threshold("1.5Gi").quantity, Q("1536Mi"));
  EXPECT_EQ(Threshold("1000"), (EvictionThreshold{"1000", Q("1000"), std::nullopt}));
  EXPECT_EQ(Threshold(""), (EvictionThreshold{"", std::nullopt, std::nullopt}));
}

TEST(EvictionThresholdTest, RejectsOtherText) {
  for (const char* text : {"%", "101%", "100.01%", "-5%", "5.%", ".5%", "5 %", "1e1%"}) {
    Result<EvictionThreshold> parsed = ParseEvictionThreshold(text);
    ASSERT_FALSE(parsed) << text;
    EXPECT_EQ(parsed.error().message, "invalid eviction threshold \"" + std::string(text) +
                                          "\": a percentage must be between 0% and 100%");
  }
  for (const char* text : {"lots", "5 percent", "Mi"}) {
    Result<EvictionThreshold> parsed = ParseEvictionThreshold(text);
    ASSERT_FALSE(parsed) << text;
    EXPECT_EQ(parsed.error().message,
              "invalid eviction threshold \"" + std::string(text) +
                  "\": must be a quantity (\"100Mi\") or a percentage (\"10%\")");
  }
}

}  // namespace
}  // namespace karpenter::api
