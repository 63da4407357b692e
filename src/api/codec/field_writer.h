// Writes typed values into a Json object for the typed model's encoders, over the Json the
// value was decoded from, so unknown fields and key order survive a round trip. A field whose
// Json already says the value being written is left as it is (a quantity written `1` stays a
// number; a timestamp with a fraction keeps it); a field that changes keeps its position; a new
// field goes at the end. "OmitEmpty" and "Optional" writes remove the field for an empty or
// absent value, except that an explicitly empty value the user wrote ({}, [], "", null) stays.
//
// (Header reconstructed from field_writer.cc by h-kube after an accidental overwrite; the
// owner of field_writer.cc may replace it with the original.)
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/json.h"
#include "core/duration.h"
#include "core/quantity.h"
#include "core/resource_list.h"

namespace karpenter::api::codec {

// "2024-05-27T10:00:00Z" for seconds since the Unix epoch (RFC 3339 in UTC, as Kubernetes
// writes metav1.Time).
std::string FormatRfc3339(int64_t seconds);

class FieldWriter {
 public:
  // Writes into `object` in place; anything that is not an object becomes {}.
  explicit FieldWriter(Json& object);

  // The current value of `name`, or nullptr when absent.
  const Json* Existing(std::string_view name) const;

  // Sets `name` to `value` (untouched when already equal).
  void Set(std::string_view name, Json value);
  // Removes `name` unless it is absent or null.
  void Erase(std::string_view name);
  // Removes `name` unless its value is already empty (null, "", 0, false, {}, []).
  void EraseUnlessEmpty(std::string_view name);

  void String(std::string_view name, const std::string& value);
  void Int(std::string_view name, int64_t value);
  // omitempty: an empty string, zero or false removes the field.
  void OmitEmptyString(std::string_view name, const std::string& value);
  void OmitEmptyInt(std::string_view name, int64_t value);
  void OmitEmptyBool(std::string_view name, bool value);

  // Maps and lists; empty removes the field. Existing keys keep their order.
  void StringMap(std::string_view name, const std::map<std::string, std::string>& value);
  void StringList(std::string_view name, const std::vector<std::string>& value);
  // Resource quantities; an unchanged quantity keeps its original spelling.
  void Resources(std::string_view name, const core::ResourceList& value);

  // nullopt removes the field.
  void OptionalString(std::string_view name, const std::optional<std::string>& value);
  void OptionalInt(std::string_view name, std::optional<int64_t> value);
  void OptionalBool(std::string_view name, std::optional<bool> value);
  void OptionalDouble(std::string_view name, std::optional<double> value);
  void Quantity(std::string_view name, const std::optional<core::Quantity>& value);
  // Seconds since the epoch, RFC 3339 on the wire.
  void Timestamp(std::string_view name, std::optional<int64_t> value);
  // Go duration strings ("30s"); an unchanged duration keeps its spelling ("1m" vs "60s").
  void Duration(std::string_view name, std::optional<std::chrono::nanoseconds> value);
  void NillableDuration(std::string_view name,
                        const std::optional<core::NillableDuration>& value);
  void DurationMap(std::string_view name,
                   const std::map<std::string, std::chrono::nanoseconds>& value);

  // A child object filled by `fill` over its current Json. An empty result is omitted unless
  // the object was already there or `required` is set.
  void Object(std::string_view name, const std::function<void(FieldWriter&)>& fill,
              bool required = false);
  // A list of `size` objects; element i is filled over the existing element i (so unchanged
  // elements keep their unknown fields). An empty list is omitted unless `required`.
  void ObjectList(std::string_view name, std::size_t size,
                  const std::function<void(std::size_t, FieldWriter&)>& fill,
                  bool required = false);

 private:
  Json& object_;
};

}  // namespace karpenter::api::codec
