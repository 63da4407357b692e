// v1 made amiSelectorTerms required. Upstream's EC2NodeClass conversion webhook fills them in
// from amiFamily: the EKS-optimized families become an `alias` term (and amiFamily is then
// implied), Ubuntu lost first-class support and is bootstrapped as AL2, and every other value
// is treated as Custom.
#include <array>
#include <cctype>
#include <string>

#include "api/convert/converters.h"

namespace karpenter::api::convert {
namespace {

constexpr std::array<std::string_view, 5> kAliasFamilies = {"AL2", "AL2023", "Bottlerocket",
                                                            "Windows2019", "Windows2022"};

bool HasAlias(std::string_view family) {
  for (std::string_view f : kAliasFamilies) {
    if (f == family) return true;
  }
  return false;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The root volume upstream wrote for Ubuntu when it mapped Ubuntu onto AL2 (whose own default
// device name differs).
Json UbuntuDefaultBlockDevices() {
  return Json::array(
      {Json{{"deviceName", "/dev/sda1"},
            {"rootVolume", true},
            {"ebs", Json{{"encrypted", true}, {"volumeType", "gp3"}, {"volumeSize", "20Gi"}}}}});
}

AmiSelection SelectUbuntu(const Json& terms, bool has_block_devices,
                          std::string_view family_pointer, std::string_view terms_pointer,
                          Reporter& reporter) {
  AmiSelection selection;
  selection.ami_family = "AL2";
  selection.terms = terms;
  reporter.Note(std::string(family_pointer),
                "v1 dropped the Ubuntu AMI family: nodes are bootstrapped with AL2 userData, "
                "which has the same format (as upstream's conversion does)");
  if (!has_block_devices) {
    selection.block_device_mappings = UbuntuDefaultBlockDevices();
    reporter.Note(std::string(family_pointer),
                  "Ubuntu's default root volume (/dev/sda1, 20Gi gp3, encrypted) written out as "
                  "blockDeviceMappings, since AL2's defaults differ");
  }
  if (terms.empty()) {
    reporter.Error(std::string(terms_pointer),
                   "Ubuntu has no v1 alias: add amiSelectorTerms that select your Ubuntu AMIs "
                   "(for example by name and owner)");
  }
  return selection;
}

}  // namespace

AmiSelection SelectV1Ami(std::string_view family, const Json& terms, bool has_block_devices,
                         std::string_view family_pointer, std::string_view terms_pointer,
                         Reporter& reporter) {
  if (family == "Ubuntu") {
    return SelectUbuntu(terms, has_block_devices, family_pointer, terms_pointer, reporter);
  }
  AmiSelection selection;
  if (HasAlias(family)) {
    if (terms.empty()) {
      selection.terms = Json::array({Json{{"alias", Lower(family) + "@latest"}}});
      reporter.Note(std::string(family_pointer),
                    "amiFamily " + std::string(family) +
                        " without AMI selectors becomes "
                        "amiSelectorTerms alias " +
                        Lower(family) +
                        "@latest (newest EKS-optimized AMI); pin a version for production");
    } else {
      // v1 requires amiFamily whenever no alias is given.
      selection.ami_family = std::string(family);
      selection.terms = terms;
    }
    return selection;
  }
  selection.ami_family = "Custom";
  selection.terms = terms;
  if (family != "Custom") {
    reporter.Note(std::string(family_pointer),
                  family.empty() ? "no amiFamily: treated as Custom, as upstream's conversion does"
                                 : "unknown amiFamily " + std::string(family) +
                                       ": treated as Custom, as upstream's conversion does");
  }
  reporter.Note(std::string(family_pointer),
                "with amiFamily Custom, v1 expects your userData to register the node with the "
                "karpenter.sh/unregistered:NoExecute taint");
  if (terms.empty()) {
    reporter.Error(std::string(terms_pointer),
                   "amiFamily Custom needs amiSelectorTerms that select your AMIs");
  }
  return selection;
}

void NoteMetadataOptionsDefault(const Json& spec, std::string_view spec_pointer,
                                Reporter& reporter) {
  if (Find(spec, "metadataOptions") != nullptr) return;
  reporter.Note(Pointer(spec_pointer, "metadataOptions"),
                "v1 defaults metadataOptions.httpPutResponseHopLimit to 1 (it was 2): pods "
                "without hostNetwork can no longer reach IMDS; set it to 2 to keep the old "
                "behaviour");
}

}  // namespace karpenter::api::convert
