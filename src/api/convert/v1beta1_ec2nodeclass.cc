// karpenter.k8s.aws/v1beta1 EC2NodeClass -> karpenter.k8s.aws/v1 EC2NodeClass, following
// upstream's conversion webhook: only AMI selection changed shape (see SelectV1Ami); every
// other field is carried unchanged.
#include <string>

#include "api/convert/converters.h"

namespace karpenter::api::convert {

Json ConvertV1beta1Ec2NodeClass(const Json& source, Reporter& reporter) {
  Json metadata = ConvertedMetadata(source, reporter);
  const Json* given_spec = Find(source, "spec");
  if (given_spec == nullptr || !given_spec->is_object()) {
    reporter.Error("/spec", "EC2NodeClass has no spec object");
  }
  Json spec = given_spec != nullptr && given_spec->is_object() ? *given_spec : Json::object();

  std::string family;
  if (spec.contains("amiFamily")) {
    if (spec["amiFamily"].is_string()) {
      family = spec["amiFamily"].get<std::string>();
    } else {
      reporter.Error("/spec/amiFamily", "expected a string");
    }
  }
  Json terms = Json::array();
  if (spec.contains("amiSelectorTerms")) {
    if (spec["amiSelectorTerms"].is_array()) {
      terms = spec["amiSelectorTerms"];
    } else {
      reporter.Error("/spec/amiSelectorTerms", "expected a list of terms");
    }
  }
  AmiSelection selection = SelectV1Ami(family, terms, spec.contains("blockDeviceMappings"),
                                       "/spec/amiFamily", "/spec/amiSelectorTerms", reporter);
  if (selection.ami_family) {
    spec["amiFamily"] = *selection.ami_family;
  } else {
    spec.erase("amiFamily");
  }
  if (!selection.terms.empty()) spec["amiSelectorTerms"] = std::move(selection.terms);
  if (selection.block_device_mappings) {
    spec["blockDeviceMappings"] = std::move(*selection.block_device_mappings);
  }
  if (spec.contains("role") == spec.contains("instanceProfile")) {
    reporter.Error("/spec/role", "v1 requires exactly one of role and instanceProfile");
  }
  NoteMetadataOptionsDefault(spec, "/spec", reporter);

  Json out = NewObject(kEc2NodeClassV1, kEc2NodeClassKind, std::move(metadata), std::move(spec));
  CarryUnknownTopLevel(source, out, reporter);
  return out;
}

}  // namespace karpenter::api::convert
