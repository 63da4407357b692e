// Converts manifests written for older Karpenter APIs into the v1 APIs, the way upstream's
// migration path did: `karpenter-convert` (v1alpha5 Provisioner -> NodePool, v1alpha1
// AWSNodeTemplate -> EC2NodeClass) followed by the v1beta1 -> v1 conversion webhooks.
//
//   karpenter.sh/v1alpha5 Provisioner        -> karpenter.sh/v1 NodePool
//                                               (+ an EC2NodeClass for an inline spec.provider)
//   karpenter.k8s.aws/v1alpha1 AWSNodeTemplate -> karpenter.k8s.aws/v1 EC2NodeClass
//   karpenter.sh/v1beta1 NodePool            -> karpenter.sh/v1 NodePool
//   karpenter.k8s.aws/v1beta1 EC2NodeClass   -> karpenter.k8s.aws/v1 EC2NodeClass
//   anything else (v1 objects, Deployments, ...) is passed through unchanged.
//
// The whole input set is converted at once because v1 moved kubelet settings from the NodePool
// to the EC2NodeClass: a NodePool's kubelet configuration lands on the EC2NodeClass it
// references when that object is part of the same input.
//
// Pure: no I/O, no clock. Never throws on bad input; problems are reported as errors.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "api/json.h"

namespace karpenter::api {

// One message about one input object. `pointer` is a JSON pointer into the SOURCE object
// ("/spec/ttlSecondsAfterEmpty"); empty for the whole object.
struct ConversionNote {
  std::size_t object_index = 0;  // position of the source object in the input
  std::string pointer;
  std::string message;
};

struct ConversionOptions {
  // karpenter-convert wrote the requirements the v1alpha5 AWS webhook defaulted (linux,
  // amd64, on-demand, c/m/r generation > 2) into the NodePool explicitly, unless run with
  // --ignore-defaults. Set to false for that behaviour.
  bool apply_v1alpha5_defaults = true;
};

struct ConversionResult {
  // Output objects in input order; a source that yields two objects (a Provisioner with an
  // inline provider) yields them one after the other, NodePool first. Every input object
  // yields at least one output object, even when it has errors (best effort).
  std::vector<Json> objects;
  // source_indices[i] is the input position that objects[i] came from.
  std::vector<std::size_t> source_indices;
  // Things a person should know: defaults written explicitly, fields with no v1 equivalent
  // that were dropped, values that were moved or renamed, placeholders to fill in.
  std::vector<ConversionNote> notes;
  // The output does not carry the source's meaning (upstream refused such input, or v1 cannot
  // express it) and needs a person's fix before it is applied.
  std::vector<ConversionNote> errors;
};

// Converts `objects` to v1. Converted objects start with apiVersion, kind, metadata, spec, keep
// fields the converter does not know, keep metadata name/labels/annotations/finalizers, and
// lose `status` and server-populated metadata (uid, resourceVersion, managedFields, ...).
ConversionResult ConvertToV1(const std::vector<Json>& objects,
                             const ConversionOptions& options = {});

}  // namespace karpenter::api
