// karpenter.k8s.aws/v1 EC2NodeClass: how AWS instances are launched for the NodePools that
// reference it (AMIs, subnets, security groups, kubelet settings, disks).
//
// Fields of the CRD that Karpenter's decisions here do not read (connectionTracking,
// cpuOptions, ipPrefixCount, networkInterfaces, placementGroupSelector, status
// capacityReservations) are not modelled; they survive encoding through `raw`.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/json.h"
#include "api/model/condition.h"
#include "api/model/object_meta.h"
#include "core/quantity.h"
#include "core/requirement.h"
#include "core/resource_list.h"

namespace karpenter::api {

using Tags = std::map<std::string, std::string>;

// Fields within one term are ANDed; terms are ORed. A tag value "*" matches any value.
struct AMISelectorTerm {
  std::string alias;  // "al2023@latest", "bottlerocket@v1.10.0"
  std::string id;     // "ami-0123456789abcdef0"
  std::string name;
  std::string owner;  // account ID, "self", "amazon", "aws-marketplace"
  std::string ssm_parameter;
  Tags tags;

  friend bool operator==(const AMISelectorTerm&, const AMISelectorTerm&) = default;
};

struct SubnetSelectorTerm {
  std::string id;
  Tags tags;

  friend bool operator==(const SubnetSelectorTerm&, const SubnetSelectorTerm&) = default;
};

struct SecurityGroupSelectorTerm {
  std::string id;
  std::string name;
  Tags tags;

  friend bool operator==(const SecurityGroupSelectorTerm&,
                         const SecurityGroupSelectorTerm&) = default;
};

struct CapacityReservationSelectorTerm {
  std::string id;
  std::string owner_id;
  std::string instance_match_criteria;  // "open" or "targeted"
  Tags tags;

  friend bool operator==(const CapacityReservationSelectorTerm&,
                         const CapacityReservationSelectorTerm&) = default;
};

// One kubelet eviction threshold value: an absolute quantity ("100Mi") or a percentage of
// capacity ("10%", "7.5%"). Exactly one of quantity/percentage is set for a valid value.
struct EvictionThreshold {
  std::string text;  // as written
  std::optional<core::Quantity> quantity;
  std::optional<double> percentage;  // "7.5%" -> 7.5

  friend bool operator==(const EvictionThreshold&, const EvictionThreshold&) = default;
};

// The kubelet settings Karpenter passes to nodes and uses to compute allocatable.
struct KubeletConfiguration {
  std::optional<int32_t> max_pods;
  std::optional<int32_t> pods_per_core;
  core::ResourceList system_reserved;  // keys: cpu, memory, ephemeral-storage, pid
  core::ResourceList kube_reserved;
  std::map<std::string, EvictionThreshold> eviction_hard;  // "memory.available" -> 100Mi
  std::map<std::string, EvictionThreshold> eviction_soft;
  std::map<std::string, std::chrono::nanoseconds> eviction_soft_grace_period;
  std::optional<int32_t> eviction_max_pod_grace_period;  // seconds
  std::optional<int32_t> image_gc_high_threshold_percent;
  std::optional<int32_t> image_gc_low_threshold_percent;
  std::optional<bool> cpu_cfs_quota;
  std::vector<std::string> cluster_dns;

  friend bool operator==(const KubeletConfiguration&, const KubeletConfiguration&) = default;
};

struct BlockDevice {
  std::optional<bool> delete_on_termination;
  std::optional<bool> encrypted;
  std::optional<int64_t> iops;
  std::optional<std::string> kms_key_id;
  std::optional<std::string> snapshot_id;
  std::optional<int64_t> throughput;  // MiB/s (gp3)
  std::optional<int32_t> volume_initialization_rate;
  // "60Gi", "100G", "1Ti": the root volume's size is the node's ephemeral-storage capacity.
  std::optional<core::Quantity> volume_size;
  std::optional<std::string> volume_type;  // gp3, gp2, io1, io2, sc1, st1, standard

  friend bool operator==(const BlockDevice&, const BlockDevice&) = default;
};

struct BlockDeviceMapping {
  std::optional<std::string> device_name;  // "/dev/xvda"
  std::optional<BlockDevice> ebs;
  // The volume kubelet's root directory lives on (at most one mapping sets it).
  bool root_volume = false;

  friend bool operator==(const BlockDeviceMapping&, const BlockDeviceMapping&) = default;
};

// Instance metadata service (IMDS) options; the CRD defaults them when the block is absent.
struct MetadataOptions {
  std::optional<std::string> http_endpoint;        // enabled | disabled
  std::optional<std::string> http_protocol_ipv6;   // enabled | disabled
  std::optional<int64_t> http_put_response_hop_limit;  // 1..64
  std::optional<std::string> http_tokens;          // required | optional

  friend bool operator==(const MetadataOptions&, const MetadataOptions&) = default;
};

struct EC2NodeClassSpec {
  // AL2, AL2023, Bottlerocket, Custom, Windows2019/2022/2025; optional with an alias term.
  std::optional<std::string> ami_family;
  std::vector<AMISelectorTerm> ami_selector_terms;
  std::vector<SubnetSelectorTerm> subnet_selector_terms;
  std::vector<SecurityGroupSelectorTerm> security_group_selector_terms;
  std::vector<CapacityReservationSelectorTerm> capacity_reservation_selector_terms;
  // Exactly one of role / instance_profile is set on a valid object.
  std::optional<std::string> role;
  std::optional<std::string> instance_profile;
  std::optional<KubeletConfiguration> kubelet;
  std::vector<BlockDeviceMapping> block_device_mappings;
  std::optional<std::string> instance_store_policy;  // "RAID0"
  std::optional<MetadataOptions> metadata_options;
  std::optional<bool> associate_public_ip_address;
  std::optional<bool> detailed_monitoring;
  Tags tags;  // applied to launched instances, volumes and launch templates
  std::optional<std::string> user_data;
  std::optional<std::string> context;  // EC2 Fleet's reserved Context field

  friend bool operator==(const EC2NodeClassSpec&, const EC2NodeClassSpec&) = default;
};

struct Subnet {
  std::string id;
  std::string zone;     // "us-west-2a"
  std::string zone_id;  // "usw2-az1"

  friend bool operator==(const Subnet&, const Subnet&) = default;
};

struct SecurityGroup {
  std::string id;
  std::string name;

  friend bool operator==(const SecurityGroup&, const SecurityGroup&) = default;
};

// A resolved AMI and the node labels (arch, instance families, ...) it is valid for.
struct AMI {
  std::string id;
  std::string name;
  bool deprecated = false;
  std::vector<core::NodeSelectorRequirement> requirements;

  friend bool operator==(const AMI&, const AMI&) = default;
};

struct EC2NodeClassStatus {
  std::vector<Subnet> subnets;
  std::vector<SecurityGroup> security_groups;
  std::vector<AMI> amis;
  std::string instance_profile;
  std::vector<Condition> conditions;

  friend bool operator==(const EC2NodeClassStatus&, const EC2NodeClassStatus&) = default;
};

struct EC2NodeClass {
  ObjectMeta metadata;
  EC2NodeClassSpec spec;
  EC2NodeClassStatus status;
  // The document this was decoded from; encoding writes over it so unknown fields survive.
  Json raw;
};

}  // namespace karpenter::api
