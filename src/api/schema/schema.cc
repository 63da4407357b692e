#include "api/schema/schema.h"

#include <re2/re2.h>

#include <algorithm>
#include <array>

namespace karpenter::api::schema {
namespace {

constexpr int kMaxSchemaDepth = 64;

// Keywords that only document, or that this implementation does not need to act on.
constexpr std::array<std::string_view, 6> kIgnored = {
    "description", "title", "example", "externalDocs", "x-kubernetes-embedded-resource", "id"};

// Keywords that would change validation but are not implemented: refuse them rather than
// silently accept everything.
constexpr std::array<std::string_view, 8> kUnsupported = {
    "oneOf", "allOf", "not", "$ref", "patternProperties", "multipleOf", "uniqueItems",
    "additionalItems"};

Result<Type> ParseType(const std::string& name) {
  if (name == "object") return Type::kObject;
  if (name == "array") return Type::kArray;
  if (name == "string") return Type::kString;
  if (name == "integer") return Type::kInteger;
  if (name == "number") return Type::kNumber;
  if (name == "boolean") return Type::kBoolean;
  return Fail("unknown type \"" + name + "\"");
}

Result<std::int64_t> Count(const Json& value) {
  if (!value.is_number_integer() || value.get<std::int64_t>() < 0) {
    return Fail("must be a non-negative integer");
  }
  return value.get<std::int64_t>();
}

Result<std::vector<std::string>> Strings(const Json& value) {
  if (!value.is_array()) return Fail("must be a list of strings");
  std::vector<std::string> out;
  for (const Json& item : value) {
    if (!item.is_string()) return Fail("must be a list of strings");
    out.push_back(item.get<std::string>());
  }
  return out;
}

Result<ValidationRule> ParseRule(const Json& entry) {
  if (!entry.is_object() || !entry.contains("rule") || !entry["rule"].is_string()) {
    return Fail("x-kubernetes-validations entries need a string `rule`");
  }
  ValidationRule rule;
  rule.rule = entry["rule"].get<std::string>();
  auto text = [&](const char* key) {
    return entry.contains(key) && entry[key].is_string() ? entry[key].get<std::string>() : "";
  };
  rule.message = text("message");
  rule.message_expression = text("messageExpression");
  rule.field_path = text("fieldPath");
  rule.reason = text("reason");
  auto program = cel::Program::Compile(rule.rule);
  if (!program) return Fail("rule `" + rule.rule + "`: " + program.error().message);
  rule.program = std::move(*program);
  if (!rule.message_expression.empty()) {
    auto message = cel::Program::Compile(rule.message_expression);
    if (!message) {
      return Fail("messageExpression `" + rule.message_expression + "`: " +
                  message.error().message);
    }
    rule.message_program = std::move(*message);
  }
  return rule;
}

class Builder {
 public:
  Result<std::unique_ptr<Schema>> Build(const Json& json, const std::string& location,
                                        int depth) {
    if (depth > kMaxSchemaDepth) return Fail(At(location) + "schema nested too deeply");
    if (!json.is_object()) return Fail(At(location) + "a schema must be an object");
    auto node = std::make_unique<Schema>();
    node->location = location;
    for (const auto& [key, value] : json.items()) {
      auto ok = Keyword(*node, key, value, depth);
      if (!ok) {
        const std::string& message = ok.error().message;
        // Errors from child schemas already name their own location.
        return Fail(message.starts_with("schema ") ? message
                                                   : At(location) + key + ": " + message);
      }
    }
    return node;
  }

 private:
  static std::string At(const std::string& location) {
    return "schema " + (location.empty() ? std::string("/") : location) + ": ";
  }

  Result<void> Keyword(Schema& node, const std::string& key, const Json& value, int depth) {
    if (std::find(kIgnored.begin(), kIgnored.end(), key) != kIgnored.end()) return {};
    if (std::find(kUnsupported.begin(), kUnsupported.end(), key) != kUnsupported.end()) {
      return Fail("keyword is not supported");
    }
    if (key == "properties" || key == "items" || key == "additionalProperties" ||
        key == "anyOf") {
      return Children(node, key, value, depth);
    }
    if (key == "x-kubernetes-validations") {
      if (!value.is_array()) return Fail("must be a list");
      for (const Json& entry : value) {
        auto rule = ParseRule(entry);
        if (!rule) return std::unexpected(rule.error());
        node.rules.push_back(std::move(*rule));
      }
      return {};
    }
    if (key == "type") {
      if (!value.is_string()) return Fail("must be a string");
      auto type = ParseType(value.get<std::string>());
      if (!type) return std::unexpected(type.error());
      node.type = *type;
      return {};
    }
    if (key == "pattern") return Pattern(node, value);
    return Scalar(node, key, value);
  }

  Result<void> Pattern(Schema& node, const Json& value) {
    if (!value.is_string()) return Fail("must be a string");
    node.pattern = value.get<std::string>();
    RE2::Options options;
    options.set_log_errors(false);
    auto re = std::make_shared<const RE2>(node.pattern, options);
    if (!re->ok()) return Fail("invalid regular expression: " + re->error());
    node.pattern_regex = std::move(re);
    return {};
  }

  Result<void> Scalar(Schema& node, const std::string& key, const Json& value) {
    auto flag = [&](bool& out) -> Result<void> {
      if (!value.is_boolean()) return Fail("must be a boolean");
      out = value.get<bool>();
      return {};
    };
    auto count = [&](std::optional<std::int64_t>& out) -> Result<void> {
      auto n = Count(value);
      if (!n) return std::unexpected(n.error());
      out = *n;
      return {};
    };
    auto number = [&](std::optional<Json>& out) -> Result<void> {
      if (!value.is_number()) return Fail("must be a number");
      out = value;
      return {};
    };
    auto text = [&](std::string& out) -> Result<void> {
      if (!value.is_string()) return Fail("must be a string");
      out = value.get<std::string>();
      return {};
    };
    if (key == "format") return text(node.format);
    if (key == "nullable") return flag(node.nullable);
    if (key == "x-kubernetes-int-or-string") return flag(node.int_or_string);
    if (key == "x-kubernetes-preserve-unknown-fields") return flag(node.preserve_unknown_fields);
    if (key == "exclusiveMinimum") return flag(node.exclusive_minimum);
    if (key == "exclusiveMaximum") return flag(node.exclusive_maximum);
    if (key == "minimum") return number(node.minimum);
    if (key == "maximum") return number(node.maximum);
    if (key == "minLength") return count(node.min_length);
    if (key == "maxLength") return count(node.max_length);
    if (key == "minItems") return count(node.min_items);
    if (key == "maxItems") return count(node.max_items);
    if (key == "minProperties") return count(node.min_properties);
    if (key == "maxProperties") return count(node.max_properties);
    if (key == "x-kubernetes-map-type") return text(node.map_type);
    if (key == "default") {
      node.default_value = value;
      return {};
    }
    if (key == "enum") {
      if (!value.is_array()) return Fail("must be a list");
      node.enum_values.assign(value.begin(), value.end());
      return {};
    }
    if (key == "required") {
      auto names = Strings(value);
      if (!names) return std::unexpected(names.error());
      node.required = std::move(*names);
      return {};
    }
    if (key == "x-kubernetes-list-map-keys") {
      auto names = Strings(value);
      if (!names) return std::unexpected(names.error());
      node.list_map_keys = std::move(*names);
      return {};
    }
    if (key == "x-kubernetes-list-type") {
      std::string name;
      if (auto ok = text(name); !ok) return ok;
      if (name == "atomic") node.list_type = ListType::kAtomic;
      else if (name == "set") node.list_type = ListType::kSet;
      else if (name == "map") node.list_type = ListType::kMap;
      else return Fail("unknown list type \"" + name + "\"");
      return {};
    }
    return Fail("unknown keyword");
  }

  Result<void> Children(Schema& node, const std::string& key, const Json& value, int depth) {
    auto child = [&](const Json& json, const std::string& location) {
      return Build(json, location, depth + 1);
    };
    if (key == "properties") {
      if (!value.is_object()) return Fail("must be an object");
      for (const auto& [name, sub] : value.items()) {
        auto built = child(sub, node.location + "/" + name);
        if (!built) return std::unexpected(built.error());
        node.properties.emplace_back(name, std::move(*built));
      }
      return {};
    }
    if (key == "additionalProperties" && value.is_boolean()) {
      node.additional_properties_allowed = value.get<bool>();
      return {};
    }
    if (key == "anyOf") {
      if (!value.is_array()) return Fail("must be a list");
      for (const Json& branch : value) {
        auto built = child(branch, node.location);
        if (!built) return std::unexpected(built.error());
        node.any_of.push_back(std::move(*built));
      }
      return {};
    }
    auto built = child(value, node.location + (key == "items" ? "/[]" : "/{}"));
    if (!built) return std::unexpected(built.error());
    (key == "items" ? node.items : node.additional_properties) = std::move(*built);
    return {};
  }
};

}  // namespace

const Schema* Schema::Property(std::string_view name) const {
  for (const auto& [key, schema] : properties) {
    if (key == name) return schema.get();
  }
  return nullptr;
}

bool Schema::HasTransitionRule() const {
  return std::any_of(rules.begin(), rules.end(),
                     [](const ValidationRule& r) { return r.program.ReferencesOldSelf(); });
}

Result<std::unique_ptr<Schema>> BuildSchema(const Json& open_api_v3_schema) {
  return Builder().Build(open_api_v3_schema, "", 0);
}

std::string_view TypeName(Type type) {
  switch (type) {
    case Type::kObject: return "object";
    case Type::kArray: return "array";
    case Type::kString: return "string";
    case Type::kInteger: return "integer";
    case Type::kNumber: return "number";
    case Type::kBoolean: return "boolean";
    case Type::kUnspecified: break;
  }
  return "";
}

}  // namespace karpenter::api::schema
