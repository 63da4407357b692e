#include "api/schema/defaulter.h"

namespace karpenter::api::schema {
namespace {

bool IsNonNullableNull(const Json& value, const Schema& schema) {
  return value.is_null() && !schema.nullable;
}

}  // namespace

// Recursion follows the schema, whose depth is bounded when it is built.
void ApplyDefaults(const Schema& schema, Json& value) {
  if (value.is_object()) {
    for (const auto& [name, property] : schema.properties) {
      if (!property->default_value) continue;
      auto it = value.find(name);
      if (it == value.end() || IsNonNullableNull(*it, *property)) {
        value[name] = *property->default_value;
      }
    }
    for (auto& [key, child] : value.items()) {
      const Schema* child_schema = schema.Property(key);
      if (child_schema == nullptr) {
        child_schema = schema.additional_properties.get();
        if (child_schema == nullptr) continue;
        if (IsNonNullableNull(child, *child_schema) && child_schema->default_value) {
          child = *child_schema->default_value;
        }
      }
      ApplyDefaults(*child_schema, child);
    }
  } else if (value.is_array() && schema.items) {
    for (Json& item : value) {
      if (IsNonNullableNull(item, *schema.items) && schema.items->default_value) {
        item = *schema.items->default_value;
      }
      ApplyDefaults(*schema.items, item);
    }
  }
}

}  // namespace karpenter::api::schema
