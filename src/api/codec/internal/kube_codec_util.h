// Helpers shared by the codecs of Kubernetes kinds (Pod, Node, workloads, PDB, PriorityClass).
// Internal to the codecs.
//
// Error messages are worded as the Kubernetes API server words them (field.Invalid,
// NotSupported, Required, Forbidden, Duplicate in k8s.io/apimachinery/pkg/util/validation/field),
// so a user sees what `kubectl apply` would tell them.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "api/codec/field_reader.h"
#include "api/codec/field_writer.h"
#include "api/model/priority_class.h"

namespace karpenter::api::codec::internal {

// A Go-style quoted string: "a\"b".
std::string Quote(std::string_view value);

// `Invalid value: "x": detail` (strings are quoted, numbers are not).
std::string InvalidString(std::string_view value, std::string_view detail);
std::string InvalidInt(int64_t value, std::string_view detail);

// `Unsupported value: "x": supported values: "a", "b"`.
std::string NotSupported(std::string_view value, std::initializer_list<std::string_view> supported);

// `Required value` or `Required value: detail`.
std::string Required(std::string_view detail = "");

// `Forbidden: detail`.
std::string Forbidden(std::string_view detail);

// `Duplicate value: "x"` or `Duplicate value: "x": detail`.
std::string Duplicate(std::string_view value, std::string_view detail = "");

// An int32 field (Kubernetes' int32 fields reject larger numbers when decoding).
std::optional<int32_t> ReadInt32(const FieldReader& reader, std::string_view name);

// The first of `allowed` that equals `value`, as an index; records NotSupported at `name`
// otherwise and returns nullopt.
std::optional<std::size_t> ReadEnum(const FieldReader& reader, std::string_view name,
                                    const std::string& value,
                                    std::initializer_list<std::string_view> allowed);

// Writes a field the API server defaults: a value equal to `default_value` is left implicit when
// the field was absent, and written otherwise (an explicit default the user wrote stays).
void WriteIntWithDefault(FieldWriter& writer, std::string_view name, int64_t value,
                         int64_t default_value);
void WriteStringWithDefault(FieldWriter& writer, std::string_view name, const std::string& value,
                            std::string_view default_value);

// preemptionPolicy of a pod spec or PriorityClass: PreemptLowerPriority or Never.
std::optional<PreemptionPolicy> ReadPreemptionPolicy(const FieldReader& reader);
void WritePreemptionPolicy(FieldWriter& writer, const std::optional<PreemptionPolicy>& policy);

// Error for an empty label key or topology key, as ValidateLabelName reports it.
inline constexpr std::string_view kEmptyNamePart = "name part must be non-empty";

}  // namespace karpenter::api::codec::internal
