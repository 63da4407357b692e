// Helpers shared by the per-kind converters behind api/convert.h. Internal to the api layer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/convert.h"
#include "api/json.h"

namespace karpenter::api::convert {

inline constexpr std::string_view kCoreGroup = "karpenter.sh";
inline constexpr std::string_view kAwsGroup = "karpenter.k8s.aws";
inline constexpr std::string_view kNodePoolV1 = "karpenter.sh/v1";
inline constexpr std::string_view kEc2NodeClassV1 = "karpenter.k8s.aws/v1";
inline constexpr std::string_view kEc2NodeClassKind = "EC2NodeClass";
inline constexpr std::string_view kNodePoolKind = "NodePool";
// karpenter-convert could not know the node role and left this for envsubst to fill in.
inline constexpr std::string_view kNodeRolePlaceholder = "$KARPENTER_NODE_ROLE";
// Where upstream's v1beta1 -> v1 webhook parked a NodePool's kubelet configuration.
inline constexpr std::string_view kKubeletCompatibilityAnnotation =
    "compatibility.karpenter.sh/v1beta1-kubelet-conversion";

// Collects notes and errors about one source object.
class Reporter {
 public:
  Reporter(std::size_t object_index, std::vector<ConversionNote>& notes,
           std::vector<ConversionNote>& errors)
      : object_index_(object_index), notes_(notes), errors_(errors) {}

  void Note(std::string pointer, std::string message);
  void Error(std::string pointer, std::string message);
  std::size_t object_index() const { return object_index_; }

 private:
  std::size_t object_index_;
  std::vector<ConversionNote>& notes_;
  std::vector<ConversionNote>& errors_;
};

// `base` extended by one reference token, escaped as RFC 6901 requires ("a/b" -> "a~1b").
std::string Pointer(std::string_view base, std::string_view token);
std::string Pointer(std::string_view base, std::size_t index);

// The member `key` of `object`, or nullptr when `object` is not an object or lacks it.
const Json* Find(const Json& object, std::string_view key);

// The string member `key`, or "" when absent or not a string.
std::string StringAt(const Json& object, std::string_view key);

// Seconds as Go's time.Duration prints them ("30s", "1m30s", "720h0m0s"): upstream formatted
// every converted TTL this way, and v1's duration pattern accepts it.
std::string GoDurationFromSeconds(std::int64_t seconds);

// A non-negative integer number of seconds at `object[key]`; reports an error and returns
// nullopt for any other value. Returns nullopt silently when the key is absent.
std::optional<std::int64_t> SecondsAt(const Json& object, std::string_view key,
                                      std::string_view object_pointer, Reporter& reporter);

// The metadata a converted object keeps: name, generateName, labels, annotations, finalizers
// (karpenter-convert kept exactly these). Server-populated fields are dropped silently; any
// other field (namespace, ownerReferences, ...) is dropped with a note.
Json ConvertedMetadata(const Json& source, Reporter& reporter);

// A new object {apiVersion, kind, metadata, spec}.
Json NewObject(std::string_view api_version, std::string_view kind, Json metadata, Json spec);

// Copies the top-level members of `source` that a converter did not handle (anything but
// apiVersion, kind, metadata, spec, status) onto `target`, noting each.
void CarryUnknownTopLevel(const Json& source, Json& target, Reporter& reporter);

// The object's "kind/name" for messages.
std::string Describe(const Json& object);

}  // namespace karpenter::api::convert
