// karpenter.k8s.aws/v1alpha1 AWSNodeTemplate (or a v1alpha5 Provisioner's inline provider)
// -> karpenter.k8s.aws/v1 EC2NodeClass: karpenter-convert's mapping to v1beta1 followed by
// upstream's v1beta1 -> v1 conversion, done in one step.
#include <array>
#include <optional>
#include <string>

#include "api/convert/converters.h"

namespace karpenter::api::convert {
namespace {

// Fields copied as they are: v1 has the same field with the same shape.
constexpr std::array<std::string_view, 5> kCopied = {"userData", "tags", "metadataOptions",
                                                     "detailedMonitoring", "context"};
// Fields the selector/AMI/identity code handles, or type metadata of an inline provider.
constexpr std::array<std::string_view, 10> kHandled = {
    "subnetSelector", "securityGroupSelector", "amiSelector", "amiFamily", "instanceProfile",
    "launchTemplate", "launchTemplateName",    "apiVersion",  "kind",      "blockDeviceMappings"};

template <std::size_t N>
bool Contains(const std::array<std::string_view, N>& list, std::string_view value) {
  for (std::string_view entry : list) {
    if (entry == value) return true;
  }
  return false;
}

// v1 block devices have no virtualName (instance-store volumes are configured through
// instanceStorePolicy instead).
Json V1BlockDevices(const Json& devices, std::string_view pointer, Reporter& reporter) {
  if (!devices.is_array()) {
    reporter.Error(std::string(pointer), "expected a list of block device mappings");
    return devices;
  }
  Json out = devices;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i].is_object() && out[i].contains("virtualName")) {
      out[i].erase("virtualName");
      reporter.Note(Pointer(Pointer(pointer, i), "virtualName"),
                    "dropped: v1 has no virtualName (use instanceStorePolicy for instance "
                    "store volumes)");
    }
  }
  return out;
}

void AddSelectorTerms(const Json& spec, std::string_view pointer, std::string_view from,
                      std::string_view to, Reporter& reporter, Json& out) {
  const Json* selector = Find(spec, from);
  Json terms = selector == nullptr
                   ? Json::array()
                   : SelectorTermsFromV1alpha1(*selector, Pointer(pointer, from), reporter);
  if (terms.empty()) {
    reporter.Error(Pointer(pointer, from), "v1 requires " + std::string(to) + ": give " +
                                               std::string(from) + " at least one tag or id");
    return;
  }
  out[to] = std::move(terms);
}

void AddIdentity(const Json& spec, std::string_view pointer, Reporter& reporter, Json& out) {
  // karpenter-convert always wrote this placeholder (its output was meant for envsubst) and
  // dropped instanceProfile; v1 wants exactly one of role and instanceProfile.
  out["role"] = kNodeRolePlaceholder;
  reporter.Note(Pointer(pointer, "role"),
                "role is a placeholder: substitute $KARPENTER_NODE_ROLE (e.g. with envsubst) "
                "with the IAM role of your nodes");
  if (const Json* profile = Find(spec, "instanceProfile")) {
    reporter.Note(Pointer(pointer, "instanceProfile"),
                  "instanceProfile " + profile->dump() +
                      " dropped in favour of role, as karpenter-convert did; to keep using the "
                      "profile, replace role with instanceProfile in the EC2NodeClass");
  }
}

void AddAmiSelection(const Json& spec, std::string_view pointer, Reporter& reporter, Json& out,
                     std::optional<Json>& extra_block_devices) {
  std::string family = "AL2";  // karpenter-convert's default, as v1alpha1's
  if (const Json* value = Find(spec, "amiFamily")) {
    if (value->is_string()) {
      family = value->get<std::string>();
    } else {
      reporter.Error(Pointer(pointer, "amiFamily"), "expected a string");
    }
  }
  const Json* selector = Find(spec, "amiSelector");
  const Json terms =
      selector == nullptr
          ? Json::array()
          : AmiSelectorTermsFromV1alpha1(*selector, Pointer(pointer, "amiSelector"), reporter);
  const bool has_block_devices = Find(spec, "blockDeviceMappings") != nullptr;
  AmiSelection selection =
      SelectV1Ami(family, terms, has_block_devices, Pointer(pointer, "amiFamily"),
                  Pointer(pointer, "amiSelector"), reporter);
  if (selection.ami_family && Find(spec, "amiFamily") == nullptr) {
    reporter.Note(Pointer(pointer, "amiFamily"),
                  "absent: AL2, v1alpha1's default (as karpenter-convert assumed)");
  }
  if (selection.ami_family) out["amiFamily"] = *selection.ami_family;
  if (!selection.terms.empty()) out["amiSelectorTerms"] = std::move(selection.terms);
  extra_block_devices = std::move(selection.block_device_mappings);
}

void ReportLaunchTemplate(const Json& spec, std::string_view pointer, Reporter& reporter) {
  for (std::string_view key : {"launchTemplate", "launchTemplateName"}) {
    if (Find(spec, key) == nullptr) continue;
    reporter.Error(Pointer(pointer, key),
                   "v1 has no custom launch templates (karpenter-convert refused to convert "
                   "them): express the template's AMI, userData, security groups, block "
                   "devices and metadata options in the EC2NodeClass instead");
  }
}

}  // namespace

Json Ec2NodeClassSpecFromV1alpha1(const Json& spec, std::string_view pointer, Reporter& reporter) {
  Json out = Json::object();
  if (!spec.is_object()) {
    reporter.Error(std::string(pointer), "expected an object");
    return out;
  }
  ReportLaunchTemplate(spec, pointer, reporter);
  AddSelectorTerms(spec, pointer, "subnetSelector", "subnetSelectorTerms", reporter, out);
  AddSelectorTerms(spec, pointer, "securityGroupSelector", "securityGroupSelectorTerms", reporter,
                   out);
  AddIdentity(spec, pointer, reporter, out);
  std::optional<Json> extra_block_devices;
  AddAmiSelection(spec, pointer, reporter, out, extra_block_devices);
  for (const auto& [key, value] : spec.items()) {
    if (Contains(kCopied, key)) {
      out[key] = value;
    } else if (key == "blockDeviceMappings") {
      out[key] = V1BlockDevices(value, Pointer(pointer, key), reporter);
    } else if (key == "associatePublicIpAddress") {
      out["associatePublicIPAddress"] = value;  // v1 capitalises IP
    } else if (!Contains(kHandled, key)) {
      out[key] = value;
      reporter.Note(Pointer(pointer, key), "unknown field carried unchanged");
    }
  }
  if (extra_block_devices) out["blockDeviceMappings"] = std::move(*extra_block_devices);
  NoteMetadataOptionsDefault(spec, pointer, reporter);
  return out;
}

Json ConvertAwsNodeTemplate(const Json& source, Reporter& reporter) {
  Json metadata = ConvertedMetadata(source, reporter);
  const Json* spec = Find(source, "spec");
  if (spec == nullptr) reporter.Error("/spec", "AWSNodeTemplate has no spec");
  Json out =
      NewObject(kEc2NodeClassV1, kEc2NodeClassKind, std::move(metadata),
                Ec2NodeClassSpecFromV1alpha1(spec ? *spec : Json::object(), "/spec", reporter));
  CarryUnknownTopLevel(source, out, reporter);
  return out;
}

}  // namespace karpenter::api::convert
