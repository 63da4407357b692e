// EncodeEC2NodeClass (declared in ec2_node_class_codec.h); kept apart from decoding so each
// file stays readable.
#include <cstdio>

#include "api/codec/ec2_node_class_codec.h"
#include "api/codec/field_writer.h"
#include "api/codec/karpenter_common_codec.h"
#include "api/codec/object_meta_codec.h"

namespace karpenter::api::codec {
namespace {

constexpr const char* kApiVersion = "karpenter.k8s.aws/v1";
constexpr const char* kKind = "EC2NodeClass";

// The text a threshold is written as: as it was read, or built from the parsed value.
std::string ThresholdText(const EvictionThreshold& threshold) {
  if (!threshold.text.empty()) return threshold.text;
  if (threshold.quantity) return threshold.quantity->ToString();
  if (threshold.percentage) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g%%", *threshold.percentage);
    return buffer;
  }
  return "";
}

void WriteEvictionMap(FieldWriter& w, std::string_view name,
                      const std::map<std::string, EvictionThreshold>& value) {
  std::map<std::string, std::string> texts;
  for (const auto& [signal, threshold] : value) texts.emplace(signal, ThresholdText(threshold));
  w.StringMap(name, texts);
}

std::optional<int64_t> Widen(std::optional<int32_t> value) {
  return value ? std::optional<int64_t>(*value) : std::nullopt;
}

void WriteKubelet(const KubeletConfiguration& k, FieldWriter& w) {
  w.OptionalInt("maxPods", Widen(k.max_pods));
  w.OptionalInt("podsPerCore", Widen(k.pods_per_core));
  w.Resources("systemReserved", k.system_reserved);
  w.Resources("kubeReserved", k.kube_reserved);
  WriteEvictionMap(w, "evictionHard", k.eviction_hard);
  WriteEvictionMap(w, "evictionSoft", k.eviction_soft);
  w.DurationMap("evictionSoftGracePeriod", k.eviction_soft_grace_period);
  w.OptionalInt("evictionMaxPodGracePeriod", Widen(k.eviction_max_pod_grace_period));
  w.OptionalInt("imageGCHighThresholdPercent", Widen(k.image_gc_high_threshold_percent));
  w.OptionalInt("imageGCLowThresholdPercent", Widen(k.image_gc_low_threshold_percent));
  w.OptionalBool("cpuCFSQuota", k.cpu_cfs_quota);
  w.StringList("clusterDNS", k.cluster_dns);
}

void WriteBlockDevice(const BlockDevice& d, FieldWriter& w) {
  w.OptionalBool("deleteOnTermination", d.delete_on_termination);
  w.OptionalBool("encrypted", d.encrypted);
  w.OptionalInt("iops", d.iops);
  w.OptionalString("kmsKeyID", d.kms_key_id);
  w.OptionalString("snapshotID", d.snapshot_id);
  w.OptionalInt("throughput", d.throughput);
  w.OptionalInt("volumeInitializationRate", Widen(d.volume_initialization_rate));
  w.Quantity("volumeSize", d.volume_size);
  w.OptionalString("volumeType", d.volume_type);
}

void WriteBlockDeviceMapping(const BlockDeviceMapping& m, FieldWriter& w) {
  w.OptionalString("deviceName", m.device_name);
  w.OmitEmptyBool("rootVolume", m.root_volume);
  if (m.ebs) {
    w.Object("ebs", [&](FieldWriter& ebs) { WriteBlockDevice(*m.ebs, ebs); }, true);
  } else {
    w.Erase("ebs");
  }
}

void WriteSelectorTerms(const EC2NodeClassSpec& spec, FieldWriter& w) {
  WriteObjects<AMISelectorTerm>(w, "amiSelectorTerms", spec.ami_selector_terms,
                                [](const AMISelectorTerm& t, FieldWriter& e) {
                                  e.OmitEmptyString("alias", t.alias);
                                  e.OmitEmptyString("id", t.id);
                                  e.OmitEmptyString("name", t.name);
                                  e.OmitEmptyString("owner", t.owner);
                                  e.OmitEmptyString("ssmParameter", t.ssm_parameter);
                                  e.StringMap("tags", t.tags);
                                });
  WriteObjects<SubnetSelectorTerm>(w, "subnetSelectorTerms", spec.subnet_selector_terms,
                                   [](const SubnetSelectorTerm& t, FieldWriter& e) {
                                     e.OmitEmptyString("id", t.id);
                                     e.StringMap("tags", t.tags);
                                   });
  WriteObjects<SecurityGroupSelectorTerm>(
      w, "securityGroupSelectorTerms", spec.security_group_selector_terms,
      [](const SecurityGroupSelectorTerm& t, FieldWriter& e) {
        e.OmitEmptyString("id", t.id);
        e.OmitEmptyString("name", t.name);
        e.StringMap("tags", t.tags);
      });
  WriteObjects<CapacityReservationSelectorTerm>(
      w, "capacityReservationSelectorTerms", spec.capacity_reservation_selector_terms,
      [](const CapacityReservationSelectorTerm& t, FieldWriter& e) {
        e.OmitEmptyString("id", t.id);
        e.OmitEmptyString("ownerID", t.owner_id);
        e.OmitEmptyString("instanceMatchCriteria", t.instance_match_criteria);
        e.StringMap("tags", t.tags);
      });
}

void WriteSpec(const EC2NodeClassSpec& spec, FieldWriter& w) {
  w.OptionalString("amiFamily", spec.ami_family);
  WriteSelectorTerms(spec, w);
  w.OptionalString("role", spec.role);
  w.OptionalString("instanceProfile", spec.instance_profile);
  if (spec.kubelet) {
    w.Object("kubelet", [&](FieldWriter& k) { WriteKubelet(*spec.kubelet, k); }, true);
  } else {
    w.Erase("kubelet");
  }
  WriteObjects<BlockDeviceMapping>(w, "blockDeviceMappings", spec.block_device_mappings,
                                   WriteBlockDeviceMapping);
  w.OptionalString("instanceStorePolicy", spec.instance_store_policy);
  if (spec.metadata_options) {
    const MetadataOptions& m = *spec.metadata_options;
    w.Object(
        "metadataOptions",
        [&](FieldWriter& o) {
          o.OptionalString("httpEndpoint", m.http_endpoint);
          o.OptionalString("httpProtocolIPv6", m.http_protocol_ipv6);
          o.OptionalInt("httpPutResponseHopLimit", m.http_put_response_hop_limit);
          o.OptionalString("httpTokens", m.http_tokens);
        },
        true);
  } else {
    w.Erase("metadataOptions");
  }
  w.OptionalBool("associatePublicIPAddress", spec.associate_public_ip_address);
  w.OptionalBool("detailedMonitoring", spec.detailed_monitoring);
  w.StringMap("tags", spec.tags);
  w.OptionalString("userData", spec.user_data);
  w.OptionalString("context", spec.context);
}

void WriteStatus(const EC2NodeClassStatus& status, FieldWriter& w) {
  WriteObjects<Subnet>(w, "subnets", status.subnets, [](const Subnet& s, FieldWriter& e) {
    e.String("id", s.id);
    e.String("zone", s.zone);
    e.OmitEmptyString("zoneID", s.zone_id);
  });
  WriteObjects<SecurityGroup>(w, "securityGroups", status.security_groups,
                              [](const SecurityGroup& g, FieldWriter& e) {
                                e.String("id", g.id);
                                e.OmitEmptyString("name", g.name);
                              });
  WriteObjects<AMI>(w, "amis", status.amis, [](const AMI& ami, FieldWriter& e) {
    e.String("id", ami.id);
    e.OmitEmptyString("name", ami.name);
    e.OmitEmptyBool("deprecated", ami.deprecated);
    WriteRequirements(e, "requirements", ami.requirements, /*required=*/true);
  });
  w.OmitEmptyString("instanceProfile", status.instance_profile);
  WriteConditions(w, "conditions", status.conditions);
}

}  // namespace

Json EncodeEC2NodeClass(const EC2NodeClass& value) {
  Json out = value.raw.is_object() ? value.raw : Json::object();
  FieldWriter w(out);
  w.String("apiVersion", kApiVersion);
  w.String("kind", kKind);
  w.Object("metadata", [&](FieldWriter& m) { WriteObjectMeta(value.metadata, m); }, true);
  w.Object("spec", [&](FieldWriter& s) { WriteSpec(value.spec, s); }, true);
  w.Object("status", [&](FieldWriter& s) { WriteStatus(value.status, s); });
  return out;
}

}  // namespace karpenter::api::codec
