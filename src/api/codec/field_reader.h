// Reads typed values out of a Json object for the typed model's decoders. A field of the wrong
// type is recorded as a FieldError (with its JSON pointer) and read as absent, so one bad
// field does not hide the others.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/field_error.h"
#include "api/json.h"
#include "core/quantity.h"
#include "core/resource_list.h"

namespace karpenter::api::codec {

class FieldReader {
 public:
  // Reads fields of `object` (located at `pointer` in its document); errors go to `errors`.
  // A null or absent `object` reads as empty; anything else that is not an object is an error.
  FieldReader(const Json* object, std::string pointer, FieldErrors* errors);

  bool Has(std::string_view name) const;
  const std::string& pointer() const { return pointer_; }
  std::string PointerOf(std::string_view name) const;
  // Records an error about field `name` (or about this object when `name` is empty).
  void Error(std::string_view name, std::string message) const;

  std::optional<std::string> String(std::string_view name) const;
  // A string that must be present and non-empty.
  std::string RequiredString(std::string_view name) const;
  std::optional<int64_t> Int(std::string_view name) const;
  std::optional<bool> Bool(std::string_view name) const;
  // Kubernetes quantities arrive as strings ("1.5Gi") or JSON numbers (`cpu: 1`).
  std::optional<core::Quantity> Quantity(std::string_view name) const;
  // An int-or-string (PDB minAvailable, maxUnavailable): "50%" or 3, kept as text.
  std::optional<std::string> IntOrString(std::string_view name) const;
  // RFC 3339 timestamp as seconds since the epoch.
  std::optional<int64_t> Timestamp(std::string_view name) const;

  std::map<std::string, std::string> StringMap(std::string_view name) const;
  std::vector<std::string> StringList(std::string_view name) const;
  core::ResourceList Resources(std::string_view name) const;

  // The child object `name` (absent reads as empty).
  FieldReader Object(std::string_view name) const;
  // Calls `each` with a reader for every element of array `name`; elements must be objects.
  void Objects(std::string_view name, const std::function<void(const FieldReader&)>& each) const;

 private:
  const Json* Field(std::string_view name) const;
  void TypeError(std::string_view name, std::string_view expected, const Json& actual) const;

  const Json* object_;
  std::string pointer_;
  FieldErrors* errors_;
};

}  // namespace karpenter::api::codec
