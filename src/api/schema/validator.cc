#include "api/schema/validator.h"

#include <functional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "api/schema/checks.h"
#include "api/schema/messages.h"

namespace karpenter::api::schema {
namespace {

// The member `key` of `object` when `object` is an object that has it (null counts as absent).
const Json* Member(const Json* object, const std::string& key) {
  if (object == nullptr || !object->is_object()) return nullptr;
  auto it = object->find(key);
  if (it == object->end() || it->is_null()) return nullptr;
  return &*it;
}

// The identity of an item of a map-type list: its key fields, as canonical JSON.
std::string MapListKey(const Json& item, const std::vector<std::string>& keys) {
  Json identity = Json::object();
  for (const std::string& key : keys) {
    const Json* value = Member(&item, key);
    identity[key] = value != nullptr ? *value : Json();
  }
  return identity.dump();
}

using Visit = std::function<void(const Schema&, const Json&, const Json*, const std::string&)>;

// Calls `visit` for each child of `value` that has a schema, with its correlated old value:
// object members by name, items of map-type lists by their keys. Items of other lists have no
// old counterpart, as upstream (no ratcheting or transition rules inside atomic lists). Null
// members that are not nullable are skipped: the API server prunes them before validating.
void ForEachChild(const Schema& s, const Json& value, const Json* old, const std::string& pointer,
                  const Visit& visit) {
  if (value.is_object()) {
    for (const auto& [key, child] : value.items()) {
      const Schema* child_schema = s.Property(key);
      if (child_schema == nullptr) child_schema = s.additional_properties.get();
      if (child_schema == nullptr || (child.is_null() && !child_schema->nullable)) continue;
      visit(*child_schema, child, Member(old, key), pointer + "/" + EscapePointerSegment(key));
    }
    return;
  }
  if (!value.is_array() || !s.items) return;
  std::unordered_map<std::string, const Json*> old_items;
  if (s.list_type == ListType::kMap && old != nullptr && old->is_array()) {
    for (const Json& item : *old) old_items.emplace(MapListKey(item, s.list_map_keys), &item);
  }
  for (std::size_t i = 0; i < value.size(); ++i) {
    const Json* old_item = nullptr;
    if (!old_items.empty()) {
      auto it = old_items.find(MapListKey(value[i], s.list_map_keys));
      if (it != old_items.end()) old_item = it->second;
    }
    visit(*s.items, value[i], old_item, pointer + "/" + std::to_string(i));
  }
}

// An update does not fail on a value it left as it was (validation ratcheting).
bool Unchanged(const Json& value, const Json* old) { return old != nullptr && *old == value; }

// The schema pass: OpenAPI keywords, list types, unknown fields. Recursion follows the schema,
// whose depth is bounded when it is built, so no input can make it deeper.
class SchemaPass {
 public:
  SchemaPass(const Schema& root, const ValidateOptions& options, Sink& sink)
      : root_(root), options_(options), sink_(sink) {}

  void Node(const Schema& s, const Json& value, const Json* old, const std::string& pointer) {
    bool ratcheted = Unchanged(value, old);
    if (!CheckType(s, value, pointer, ratcheted, sink_)) return;
    CheckValueKeywords(s, value, pointer, ratcheted, sink_);
    if (value.is_object()) Object(s, value, old, pointer, ratcheted);
    if (value.is_array()) ListType(s, value, pointer, ratcheted);
    ForEachChild(s, value, old, pointer,
                 [this, &s](const Schema& cs, const Json& cv, const Json* co, const std::string& cp) {
                   if (&s == &root_ && options_.object_meta_at_root && cp == "/metadata") {
                     if (CheckType(cs, cv, cp, false, sink_)) CheckObjectMeta(cv, co, cp, sink_);
                     return;
                   }
                   Node(cs, cv, co, cp);
                 });
  }

 private:
  void Object(const Schema& s, const Json& value, const Json* old, const std::string& pointer,
              bool ratcheted) {
    (void)old;
    for (const std::string& name : s.required) {
      if (Member(&value, name) == nullptr) {
        sink_.Error(pointer + "/" + EscapePointerSegment(name), std::string(kRequired),
                    ratcheted, /*blocking=*/true);
      }
    }
    if (s.additional_properties || s.additional_properties_allowed || s.preserve_unknown_fields) {
      return;
    }
    for (const auto& [key, child] : value.items()) {
      if (s.Property(key) != nullptr) continue;
      std::string child_pointer = pointer + "/" + EscapePointerSegment(key);
      sink_.Warning(child_pointer, "unknown field \"" + BodyPath(child_pointer) + "\"");
    }
  }

  // x-kubernetes-list-type set and map: items (or their keys) must be unique.
  void ListType(const Schema& s, const Json& value, const std::string& pointer, bool ratcheted) {
    if (s.list_type == ListType::kAtomic) return;
    std::unordered_set<std::string> seen;
    for (std::size_t i = 0; i < value.size(); ++i) {
      bool is_set = s.list_type == ListType::kSet;
      std::string identity = is_set ? value[i].dump() : MapListKey(value[i], s.list_map_keys);
      if (seen.insert(identity).second) continue;
      sink_.Error(pointer + "/" + std::to_string(i),
                  is_set ? DuplicateValue(value[i]) : "Duplicate value: " + identity, ratcheted,
                  /*blocking=*/false, Sink::Bucket::kListType);
    }
  }

  const Schema& root_;
  const ValidateOptions& options_;
  Sink& sink_;
};

// The rule pass, run only when the schema pass found no blocking error: each node's rules, then
// its children's, as the API server's CEL validator does.
void RulePass(const Schema& s, const Json& value, const Json* old, const std::string& pointer,
              Sink& sink) {
  if (value.is_null() || sink.cel_cancelled) return;
  CheckRules(s, value, old, pointer, Unchanged(value, old), sink);
  ForEachChild(s, value, old, pointer,
               [&sink](const Schema& cs, const Json& cv, const Json* co, const std::string& cp) {
                 RulePass(cs, cv, co, cp, sink);
               });
}

}  // namespace

ValidationOutput Validate(const Schema& schema, const Json& value, const Json* old_value,
                          const ValidateOptions& options) {
  ValidationOutput out;
  Sink sink(out);
  SchemaPass(schema, options, sink).Node(schema, value, old_value, "");
  if (sink.blocked()) {
    // As the API server: rules written for a well-formed object are not run on a malformed one.
    sink.Error("",
               "Invalid value: \"null\": some validation rules were not checked because the "
               "object was invalid; correct the existing errors to complete validation",
               false, /*blocking=*/false, Sink::Bucket::kRule);
  } else {
    RulePass(schema, value, old_value, "", sink);
  }
  sink.Finish();
  return out;
}

}  // namespace karpenter::api::schema
