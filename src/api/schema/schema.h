// The structural schema of a CustomResourceDefinition version (its openAPIV3Schema), compiled
// once: regular expressions compiled, CEL rules parsed. Validation and defaulting walk this
// tree, never the raw Json of the CRD.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/cel/program.h"
#include "api/json.h"
#include "core/result.h"

namespace re2 {
class RE2;
}

namespace karpenter::api::schema {

enum class Type { kUnspecified, kObject, kArray, kString, kInteger, kNumber, kBoolean };

enum class ListType { kAtomic, kSet, kMap };

// One entry of x-kubernetes-validations.
struct ValidationRule {
  std::string rule;
  std::string message;             // may be empty
  std::string message_expression;  // may be empty
  std::string field_path;          // as written (".foo['bar']"); may be empty
  std::string reason;              // FieldValueInvalid (default), ...Forbidden, ...Required, ...
  cel::Program program;
  std::optional<cel::Program> message_program;
};

struct Schema {
  // Where this node sits in the schema: "" for the root, then "/<property>" for a property,
  // "/[]" for array items and "/{}" for additionalProperties ("/spec/limits/{}").
  std::string location;

  Type type = Type::kUnspecified;
  std::string format;
  bool nullable = false;
  bool int_or_string = false;
  bool preserve_unknown_fields = false;

  std::vector<std::pair<std::string, std::unique_ptr<Schema>>> properties;  // CRD order
  std::unique_ptr<Schema> items;
  std::unique_ptr<Schema> additional_properties;
  bool additional_properties_allowed = false;  // `additionalProperties: true`
  std::vector<std::string> required;
  std::optional<Json> default_value;
  std::vector<Json> enum_values;
  std::vector<std::unique_ptr<Schema>> any_of;  // value validations only, as in structural schemas

  std::string pattern;
  std::shared_ptr<const re2::RE2> pattern_regex;
  std::optional<Json> minimum;  // a Json number, printed the way Go prints it
  std::optional<Json> maximum;
  bool exclusive_minimum = false;
  bool exclusive_maximum = false;
  std::optional<std::int64_t> min_length, max_length;
  std::optional<std::int64_t> min_items, max_items;
  std::optional<std::int64_t> min_properties, max_properties;

  ListType list_type = ListType::kAtomic;
  std::vector<std::string> list_map_keys;
  std::string map_type;  // x-kubernetes-map-type: "", "granular" or "atomic"

  std::vector<ValidationRule> rules;

  // The schema of property `name`, or null.
  const Schema* Property(std::string_view name) const;
  // Whether this node (rules, here only) has any CEL rule mentioning oldSelf.
  bool HasTransitionRule() const;
};

// Compiles an openAPIV3Schema. Fails, naming the location, on anything this implementation
// does not understand: an unknown type, an invalid pattern, a CEL rule outside the subset.
Result<std::unique_ptr<Schema>> BuildSchema(const Json& open_api_v3_schema);

// The name of `type` in Kubernetes' messages ("object", "integer", ...).
std::string_view TypeName(Type type);

}  // namespace karpenter::api::schema
