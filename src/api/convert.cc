#include "api/convert.h"

#include <map>
#include <string>
#include <utility>

#include "api/convert/common.h"
#include "api/convert/converters.h"

namespace karpenter::api {
namespace {

using convert::Find;
using convert::Reporter;
using convert::StringAt;

// Collects the outputs, remembering where each came from and whether it was converted.
struct Output {
  ConversionResult& result;
  std::vector<bool> converted;

  void Emit(Json object, std::size_t source, bool was_converted) {
    result.objects.push_back(std::move(object));
    result.source_indices.push_back(source);
    converted.push_back(was_converted);
  }
};

bool IsOldKarpenterVersion(std::string_view api_version) {
  return api_version == "karpenter.sh/v1alpha5" || api_version == "karpenter.sh/v1beta1" ||
         api_version == "karpenter.k8s.aws/v1alpha1" || api_version == "karpenter.k8s.aws/v1beta1";
}

void PassThrough(const Json& source, std::size_t index, Reporter& reporter,
                 std::vector<convert::KubeletClaim>& claims, Output& output) {
  const std::string api_version = StringAt(source, "apiVersion");
  const std::string kind = StringAt(source, "kind");
  if (api_version == convert::kNodePoolV1 && kind == convert::kNodePoolKind) {
    if (auto claim = convert::ClaimOfV1NodePool(source, index)) claims.push_back(*claim);
    const Json* metadata = Find(source, "metadata");
    const Json* annotations = metadata ? Find(*metadata, "annotations") : nullptr;
    if (annotations && Find(*annotations, convert::kKubeletCompatibilityAnnotation)) {
      reporter.Note(
          convert::Pointer("/metadata/annotations", convert::kKubeletCompatibilityAnnotation),
          "remove once the EC2NodeClass carries the kubelet settings: Karpenter v1.1 "
          "refuses NodePools with this annotation");
    }
  } else if (IsOldKarpenterVersion(api_version)) {
    reporter.Note("", api_version + " " + kind +
                          " is not converted (Karpenter creates these objects itself); passed "
                          "through unchanged");
  }
  output.Emit(source, index, false);
}

void ConvertOne(const Json& source, std::size_t index, const ConversionOptions& options,
                Reporter& reporter, std::vector<convert::KubeletClaim>& claims, Output& output) {
  if (!source.is_object()) {
    reporter.Error("", "not an object; passed through unchanged");
    output.Emit(source, index, false);
    return;
  }
  const std::string api_version = StringAt(source, "apiVersion");
  const std::string kind = StringAt(source, "kind");
  if (api_version == "karpenter.sh/v1alpha5" && kind == "Provisioner") {
    for (Json& object : convert::ConvertProvisioner(source, options, reporter, claims)) {
      output.Emit(std::move(object), index, true);
    }
  } else if (api_version == "karpenter.k8s.aws/v1alpha1" && kind == "AWSNodeTemplate") {
    output.Emit(convert::ConvertAwsNodeTemplate(source, reporter), index, true);
  } else if (api_version == "karpenter.sh/v1beta1" && kind == "NodePool") {
    output.Emit(convert::ConvertV1beta1NodePool(source, reporter, claims), index, true);
  } else if (api_version == "karpenter.k8s.aws/v1beta1" && kind == "EC2NodeClass") {
    output.Emit(convert::ConvertV1beta1Ec2NodeClass(source, reporter), index, true);
  } else {
    PassThrough(source, index, reporter, claims, output);
  }
}

// Two converted objects of one kind and name would overwrite each other when applied (e.g. an
// inline provider's EC2NodeClass named like an existing AWSNodeTemplate).
void ReportDuplicates(const std::vector<bool>& converted, ConversionResult& result) {
  std::map<std::pair<std::string, std::string>, std::size_t> first_seen;
  for (std::size_t i = 0; i < result.objects.size(); ++i) {
    const Json& object = result.objects[i];
    if (!object.is_object()) continue;
    const Json* metadata = Find(object, "metadata");
    const std::string name = metadata ? StringAt(*metadata, "name") : "";
    const std::string key_kind = StringAt(object, "apiVersion") + " " + StringAt(object, "kind");
    if (name.empty() || (key_kind != "karpenter.sh/v1 NodePool" &&
                         key_kind != "karpenter.k8s.aws/v1 EC2NodeClass")) {
      continue;
    }
    const auto [it, inserted] = first_seen.emplace(std::pair{key_kind, name}, i);
    if (inserted) continue;
    // Blame the converted one: duplicates among untouched input are the input's business.
    const std::size_t blamed = converted[i] ? i : it->second;
    if (!converted[blamed]) continue;
    Reporter reporter(result.source_indices[blamed], result.notes, result.errors);
    reporter.Error("/metadata/name",
                   "the output has two " + convert::Describe(object) + ": rename one of them");
  }
}

}  // namespace

ConversionResult ConvertToV1(const std::vector<Json>& objects, const ConversionOptions& options) {
  ConversionResult result;
  Output output{result, {}};
  std::vector<convert::KubeletClaim> claims;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    Reporter reporter(i, result.notes, result.errors);
    ConvertOne(objects[i], i, options, reporter, claims, output);
  }
  convert::ApplyKubeletClaims(claims, output.converted, result);
  ReportDuplicates(output.converted, result);
  return result;
}

}  // namespace karpenter::api
