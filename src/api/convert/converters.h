// The per-kind conversions behind api/convert.h, and the pieces they share. Internal to the
// api layer; each function reports problems through `reporter` with pointers into the source.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/convert.h"
#include "api/convert/common.h"
#include "api/json.h"

namespace karpenter::api::convert {

// What a NodePool says about kubelet settings for the EC2NodeClass it references. v1 keeps
// kubelet on the EC2NodeClass, so every NodePool sharing one EC2NodeClass must agree.
struct KubeletClaim {
  std::size_t object_index = 0;  // the source object of the NodePool
  std::string pointer;           // the kubelet block in the source; "" when it had none
  std::string nodepool;          // NodePool name
  std::string nodeclass;         // referenced EC2NodeClass name
  std::optional<Json> kubelet;   // v1 kubelet settings; nullopt when the NodePool had none
  bool from_v1beta1 = false;     // phrased differently: upstream parked these in an annotation
};

// karpenter.sh/v1alpha5 Provisioner -> v1 NodePool, plus a v1 EC2NodeClass named after the
// Provisioner when it had an inline spec.provider (as karpenter-convert did).
std::vector<Json> ConvertProvisioner(const Json& source, const ConversionOptions& options,
                                     Reporter& reporter, std::vector<KubeletClaim>& claims);

// karpenter.k8s.aws/v1alpha1 AWSNodeTemplate -> v1 EC2NodeClass.
Json ConvertAwsNodeTemplate(const Json& source, Reporter& reporter);

// The v1 EC2NodeClass spec for a v1alpha1 AWSNodeTemplate spec or an inline Provisioner
// provider found at `pointer` in the source.
Json Ec2NodeClassSpecFromV1alpha1(const Json& spec, std::string_view pointer, Reporter& reporter);

// karpenter.sh/v1beta1 NodePool -> v1 NodePool.
Json ConvertV1beta1NodePool(const Json& source, Reporter& reporter,
                            std::vector<KubeletClaim>& claims);

// karpenter.k8s.aws/v1beta1 EC2NodeClass -> v1 EC2NodeClass.
Json ConvertV1beta1Ec2NodeClass(const Json& source, Reporter& reporter);

// A v1 NodePool passed through unchanged still constrains the EC2NodeClass it shares with
// converted NodePools; returns its (kubelet-less) claim, if it references an EC2NodeClass.
std::optional<KubeletClaim> ClaimOfV1NodePool(const Json& source, std::size_t object_index);

// v1alpha5 kubeletConfiguration / v1beta1 kubelet -> v1 EC2NodeClass kubelet. Fields v1 does
// not have (containerRuntime) are dropped with a note.
Json V1Kubelet(const Json& kubelet, std::string_view pointer, Reporter& reporter);

// Puts each agreed kubelet configuration on the converted EC2NodeClass it belongs to, and
// reports claims that cannot be honoured. `converted[i]` tells whether result.objects[i] was
// produced by conversion (and may be changed) or passed through.
void ApplyKubeletClaims(const std::vector<KubeletClaim>& claims, const std::vector<bool>& converted,
                        ConversionResult& result);

// v1alpha1 subnetSelector / securityGroupSelector (a tag map with the special key "aws-ids" or
// "aws::ids") -> v1 selector terms.
Json SelectorTermsFromV1alpha1(const Json& selector, std::string_view pointer, Reporter& reporter);

// v1alpha1 amiSelector (tags plus "aws-ids"/"aws::ids", "aws::name", "aws::owners") -> terms.
Json AmiSelectorTermsFromV1alpha1(const Json& selector, std::string_view pointer,
                                  Reporter& reporter);

// How a v1 EC2NodeClass selects AMIs, given a v1beta1-style amiFamily and selector terms.
struct AmiSelection {
  std::optional<std::string> ami_family;      // nullopt: omit amiFamily (the alias implies it)
  Json terms = Json::array();                 // the v1 amiSelectorTerms
  std::optional<Json> block_device_mappings;  // set when Ubuntu's defaults must be written out
};

// Applies upstream's v1beta1 -> v1 rules: a well-known family without terms becomes an alias
// ("al2@latest"); with terms the family is kept; Ubuntu becomes AL2 (no v1 alias); anything
// else is Custom. `family_pointer` names amiFamily in the source, `terms_pointer` the terms.
AmiSelection SelectV1Ami(std::string_view family, const Json& terms, bool has_block_devices,
                         std::string_view family_pointer, std::string_view terms_pointer,
                         Reporter& reporter);

// Notes that v1 lowers the default IMDS hop limit when the source relied on the old default.
void NoteMetadataOptionsDefault(const Json& spec, std::string_view spec_pointer,
                                Reporter& reporter);

}  // namespace karpenter::api::convert
