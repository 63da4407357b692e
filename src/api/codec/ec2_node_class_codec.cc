#include "api/codec/ec2_node_class_codec.h"

#include <charconv>

#include "api/codec/field_reader.h"
#include "api/codec/field_writer.h"
#include "api/codec/karpenter_common_codec.h"
#include "api/codec/object_meta_codec.h"

namespace karpenter::api::codec {
namespace {

// Digits with an optional fraction of digits ("7", "7.5"), as kubelet percentages are written.
std::optional<double> ParsePercentNumber(std::string_view text) {
  std::size_t dot = text.find('.');
  std::string_view whole = text.substr(0, dot);
  std::string_view fraction = dot == std::string_view::npos ? "" : text.substr(dot + 1);
  auto all_digits = [](std::string_view s) {
    return s.find_first_not_of("0123456789") == std::string_view::npos;
  };
  if (whole.empty() || !all_digits(whole) || !all_digits(fraction)) return std::nullopt;
  if (dot != std::string_view::npos && fraction.empty()) return std::nullopt;
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::map<std::string, EvictionThreshold> ReadEvictionMap(const FieldReader& reader,
                                                         std::string_view name) {
  std::map<std::string, EvictionThreshold> out;
  FieldReader map = reader.Object(name);
  for (const auto& [signal, text] : reader.StringMap(name)) {
    Result<EvictionThreshold> threshold = ParseEvictionThreshold(text);
    if (threshold) {
      out.emplace(signal, *threshold);
    } else {
      map.Error(signal, threshold.error().message);
    }
  }
  return out;
}

std::map<std::string, std::chrono::nanoseconds> ReadDurationMap(const FieldReader& reader,
                                                                std::string_view name) {
  std::map<std::string, std::chrono::nanoseconds> out;
  FieldReader map = reader.Object(name);
  for (const auto& [key, text] : reader.StringMap(name)) {
    if (std::optional<std::chrono::nanoseconds> d = ReadDuration(map, key)) out.emplace(key, *d);
  }
  return out;
}

KubeletConfiguration ReadKubelet(const FieldReader& r) {
  KubeletConfiguration out;
  out.max_pods = ReadInt32(r, "maxPods");
  out.pods_per_core = ReadInt32(r, "podsPerCore");
  out.system_reserved = r.Resources("systemReserved");
  out.kube_reserved = r.Resources("kubeReserved");
  out.eviction_hard = ReadEvictionMap(r, "evictionHard");
  out.eviction_soft = ReadEvictionMap(r, "evictionSoft");
  out.eviction_soft_grace_period = ReadDurationMap(r, "evictionSoftGracePeriod");
  out.eviction_max_pod_grace_period = ReadInt32(r, "evictionMaxPodGracePeriod");
  out.image_gc_high_threshold_percent = ReadInt32(r, "imageGCHighThresholdPercent");
  out.image_gc_low_threshold_percent = ReadInt32(r, "imageGCLowThresholdPercent");
  out.cpu_cfs_quota = r.Bool("cpuCFSQuota");
  out.cluster_dns = r.StringList("clusterDNS");
  return out;
}

BlockDeviceMapping ReadBlockDeviceMapping(const FieldReader& r) {
  BlockDeviceMapping out;
  out.device_name = r.String("deviceName");
  out.root_volume = r.Bool("rootVolume").value_or(false);
  if (r.Has("ebs")) {
    FieldReader ebs = r.Object("ebs");
    BlockDevice device;
    device.delete_on_termination = ebs.Bool("deleteOnTermination");
    device.encrypted = ebs.Bool("encrypted");
    device.iops = ebs.Int("iops");
    device.kms_key_id = ebs.String("kmsKeyID");
    device.snapshot_id = ebs.String("snapshotID");
    device.throughput = ebs.Int("throughput");
    device.volume_initialization_rate = ReadInt32(ebs, "volumeInitializationRate");
    device.volume_size = ebs.Quantity("volumeSize");
    device.volume_type = ebs.String("volumeType");
    out.ebs = device;
  }
  return out;
}

void ReadSelectorTerms(const FieldReader& spec, EC2NodeClassSpec& out) {
  spec.Objects("amiSelectorTerms", [&](const FieldReader& r) {
    out.ami_selector_terms.push_back({r.String("alias").value_or(""), r.String("id").value_or(""),
                                      r.String("name").value_or(""),
                                      r.String("owner").value_or(""),
                                      r.String("ssmParameter").value_or(""), r.StringMap("tags")});
  });
  spec.Objects("subnetSelectorTerms", [&](const FieldReader& r) {
    out.subnet_selector_terms.push_back({r.String("id").value_or(""), r.StringMap("tags")});
  });
  spec.Objects("securityGroupSelectorTerms", [&](const FieldReader& r) {
    out.security_group_selector_terms.push_back(
        {r.String("id").value_or(""), r.String("name").value_or(""), r.StringMap("tags")});
  });
  spec.Objects("capacityReservationSelectorTerms", [&](const FieldReader& r) {
    out.capacity_reservation_selector_terms.push_back(
        {r.String("id").value_or(""), r.String("ownerID").value_or(""),
         r.String("instanceMatchCriteria").value_or(""), r.StringMap("tags")});
  });
}

EC2NodeClassSpec ReadSpec(const FieldReader& spec) {
  EC2NodeClassSpec out;
  out.ami_family = spec.String("amiFamily");
  ReadSelectorTerms(spec, out);
  out.role = spec.String("role");
  out.instance_profile = spec.String("instanceProfile");
  if (spec.Has("kubelet")) out.kubelet = ReadKubelet(spec.Object("kubelet"));
  spec.Objects("blockDeviceMappings", [&](const FieldReader& r) {
    out.block_device_mappings.push_back(ReadBlockDeviceMapping(r));
  });
  out.instance_store_policy = spec.String("instanceStorePolicy");
  if (spec.Has("metadataOptions")) {
    FieldReader m = spec.Object("metadataOptions");
    out.metadata_options = MetadataOptions{m.String("httpEndpoint"), m.String("httpProtocolIPv6"),
                                           m.Int("httpPutResponseHopLimit"), m.String("httpTokens")};
  }
  out.associate_public_ip_address = spec.Bool("associatePublicIPAddress");
  out.detailed_monitoring = spec.Bool("detailedMonitoring");
  out.tags = spec.StringMap("tags");
  out.user_data = spec.String("userData");
  out.context = spec.String("context");
  return out;
}

EC2NodeClassStatus ReadStatus(const FieldReader& status) {
  EC2NodeClassStatus out;
  status.Objects("subnets", [&](const FieldReader& r) {
    out.subnets.push_back({r.String("id").value_or(""), r.String("zone").value_or(""),
                           r.String("zoneID").value_or("")});
  });
  status.Objects("securityGroups", [&](const FieldReader& r) {
    out.security_groups.push_back({r.String("id").value_or(""), r.String("name").value_or("")});
  });
  status.Objects("amis", [&](const FieldReader& r) {
    out.amis.push_back({r.String("id").value_or(""), r.String("name").value_or(""),
                        r.Bool("deprecated").value_or(false),
                        ReadRequirements(r, "requirements")});
  });
  out.instance_profile = status.String("instanceProfile").value_or("");
  out.conditions = ReadConditions(status, "conditions");
  return out;
}

}  // namespace

Result<EvictionThreshold> ParseEvictionThreshold(std::string_view text) {
  EvictionThreshold out{std::string(text), std::nullopt, std::nullopt};
  if (text.empty()) return out;
  if (text.back() == '%') {
    out.percentage = ParsePercentNumber(text.substr(0, text.size() - 1));
    if (!out.percentage || *out.percentage > 100) {
      return Fail("invalid eviction threshold \"" + std::string(text) +
                  "\": a percentage must be between 0% and 100%");
    }
    return out;
  }
  Result<core::Quantity> quantity = core::Quantity::Parse(text);
  if (!quantity) {
    return Fail("invalid eviction threshold \"" + std::string(text) +
                "\": must be a quantity (\"100Mi\") or a percentage (\"10%\")");
  }
  out.quantity = *quantity;
  return out;
}

EC2NodeClass DecodeEC2NodeClass(const Json& object, FieldErrors& errors,
                                const std::string& pointer) {
  EC2NodeClass node_class;
  node_class.raw = object;
  FieldReader root(&object, pointer, &errors);
  node_class.metadata = ReadObjectMeta(root.Object("metadata"));
  node_class.spec = ReadSpec(root.Object("spec"));
  node_class.status = ReadStatus(root.Object("status"));
  return node_class;
}

}  // namespace karpenter::api::codec
