#include "crd_rules.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "api/diagnostic.h"
#include "api/schema/crd_registry.h"
#include "api/schema/validator.h"
#include "api/schema_validation.h"

namespace karpenter::api::crd_rules {
namespace {

Json Apply(Json object, const Patch& patch) {
  for (const Op& op : patch) {
    Json::json_pointer pointer(op.pointer);
    if (op.value) {
      object[pointer] = *op.value;
      continue;
    }
    Json& parent = object[pointer.parent_pointer()];
    if (parent.is_array()) {
      parent.erase(std::stoul(pointer.back()));
    } else {
      parent.erase(pointer.back());
    }
  }
  return object;
}

const schema::CrdSchema& Crd(const Json& object) {
  return *schema::FindEmbeddedCrd(object["apiVersion"].get<std::string>(),
                                  object["kind"].get<std::string>());
}

FieldErrors Check(const Row& row, const Json& object, const Json* old) {
  if (row.without_defaults) return schema::Validate(*Crd(object).root, object, old).errors;
  return ValidateAgainstCrd(object, old).errors;
}

std::string Show(const FieldErrors& errors) {
  std::string out;
  for (const FieldError& e : errors) out += "\n  " + e.pointer + ": " + e.message;
  return out.empty() ? " (none)" : out;
}

void RunRows(const Json& base, const std::vector<Row>& rows) {
  ASSERT_TRUE(ValidateAgainstCrd(base).errors.empty()) << Show(ValidateAgainstCrd(base).errors);
  for (const Row& row : rows) {
    SCOPED_TRACE(base["kind"].get<std::string>() + " " + row.covers);
    std::optional<Json> old;
    if (row.update) old = Apply(base, row.old);
    const Json* old_ptr = old ? &*old : nullptr;
    FieldErrors valid = Check(row, Apply(base, row.valid), old_ptr);
    EXPECT_TRUE(valid.empty()) << "valid variant rejected:" << Show(valid);
    FieldErrors invalid = Check(row, Apply(base, row.invalid), old_ptr);
    if (row.inert) {
      EXPECT_TRUE(invalid.empty()) << "inert keyword enforced:" << Show(invalid);
      continue;
    }
    bool found = false;
    for (const FieldError& e : invalid) {
      found = found || (e.pointer == row.pointer && e.message.find(row.message) != std::string::npos);
    }
    EXPECT_TRUE(found) << "expected " << row.pointer << ": ..." << row.message << "..., got:"
                       << Show(invalid);
  }
}

// Every keyword location of a schema, in the `covers` notation of Row.
void Locations(const schema::Schema& s, std::set<std::string>& out) {
  auto add = [&](const std::string& keyword) { out.insert(s.location + "#" + keyword); };
  if (s.pattern_regex) add("pattern");
  if (!s.enum_values.empty()) add("enum");
  if (s.minimum) add("minimum");
  if (s.maximum) add("maximum");
  if (s.min_length) add("minLength");
  if (s.max_length) add("maxLength");
  if (s.min_items) add("minItems");
  if (s.max_items) add("maxItems");
  if (s.min_properties) add("minProperties");
  if (s.max_properties) add("maxProperties");
  if (s.format == "date-time") add("format");
  if (s.list_type != schema::ListType::kAtomic) add("list-type");
  for (const std::string& field : s.required) add("required:" + field);
  for (std::size_t i = 0; i < s.rules.size(); ++i) add("rule:" + std::to_string(i));
  for (const auto& [name, child] : s.properties) Locations(*child, out);
  if (s.items) Locations(*s.items, out);
  if (s.additional_properties) Locations(*s.additional_properties, out);
}

// The schema location of a pointer into an object: indices become "[]", map keys "{}".
std::string LocationOf(const schema::Schema& root, const std::string& pointer) {
  const schema::Schema* s = &root;
  std::string location;
  Json::json_pointer p(pointer);
  std::vector<std::string> segments;
  for (; !p.empty(); p = p.parent_pointer()) segments.insert(segments.begin(), p.back());
  for (const std::string& segment : segments) {
    if (s == nullptr) return location + "/?";
    if (const schema::Schema* property = s->Property(segment)) {
      location += "/" + segment;
      s = property;
    } else if (s->items) {
      location += "/[]";
      s = s->items.get();
    } else {
      location += "/{}";
      s = s->additional_properties.get();
    }
  }
  return location;
}

// Where a row's error must land given what it covers: at the keyword's node, at the missing
// field for `required`, at the duplicate item for a list type.
std::string ExpectedLocation(const std::string& covers) {
  std::string location = covers.substr(0, covers.find('#'));
  std::string keyword = covers.substr(covers.find('#') + 1);
  if (keyword.starts_with("required:")) return location + "/" + keyword.substr(9);
  if (keyword == "list-type") return location + "/[]";
  return location;
}

struct Kind {
  Json base;
  std::vector<Row> rows;
};

std::vector<Kind> AllKinds() {
  return {{NodePoolBase(), NodePoolRows()},
          {NodeClaimBase(), NodeClaimRows()},
          {EC2NodeClassBase(), EC2NodeClassRows()}};
}

TEST(CrdRules, NodePool) { RunRows(NodePoolBase(), NodePoolRows()); }
TEST(CrdRules, NodeClaim) { RunRows(NodeClaimBase(), NodeClaimRows()); }
TEST(CrdRules, EC2NodeClass) { RunRows(EC2NodeClassBase(), EC2NodeClassRows()); }

TEST(CrdRules, EveryKeywordOfEverySchemaHasARow) {
  int rules = 0;
  for (const Kind& kind : AllKinds()) {
    std::string name = kind.base["kind"].get<std::string>();
    std::set<std::string> locations;
    Locations(*Crd(kind.base).root, locations);
    std::set<std::string> covered;
    for (const Row& row : kind.rows) covered.insert(row.covers);
    for (const std::string& location : locations) {
      EXPECT_TRUE(covered.count(location)) << name << ": no row covers " << location;
      rules += location.find("#rule:") != std::string::npos ? 1 : 0;
    }
    for (const std::string& c : covered) {
      EXPECT_TRUE(locations.count(c)) << name << ": row covers unknown location " << c;
    }
  }
  EXPECT_EQ(rules, 84);
}

TEST(CrdRules, EveryRowsErrorIsWhereItsKeywordIs) {
  for (const Kind& kind : AllKinds()) {
    const schema::Schema& root = *Crd(kind.base).root;
    for (const Row& row : kind.rows) {
      if (row.inert) continue;
      EXPECT_EQ(LocationOf(root, row.pointer), ExpectedLocation(row.covers))
          << kind.base["kind"] << " row " << row.covers << " expects its error at " << row.pointer;
    }
  }
}

}  // namespace

// --- Rows shared between kinds -------------------------------------------------------------------

Row QuantityPatternRow(const std::string& at, const std::string& loc) {
  return {loc + "/{}#pattern",
          {Set(at, {{"cpu", "1500m"}, {"memory", "10Gi"}, {"pods", 110}, {"x", "1e3"}})},
          {Set(at, {{"cpu", "lots"}})},
          at + "/cpu",
          "should match '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))"};
}

namespace {

std::vector<Row> TaintRows(const std::string& at, const std::string& loc) {
  Json taint = {{"key", "example.com/dedicated"}, {"value", "gpu"}, {"effect", "NoSchedule"}};
  auto with = [&](const char* field, Json value) {
    Json t = taint;
    t[field] = std::move(value);
    return Patch{Set(at, {t})};
  };
  auto without = [&](const char* field) {
    Json t = taint;
    t.erase(field);
    return Patch{Set(at, {t})};
  };
  std::string item = at + "/0";
  return {
      {loc + "/[]#required:effect", with("effect", "NoExecute"), without("effect"),
       item + "/effect", "Required value"},
      {loc + "/[]#required:key", with("key", "dedicated"), without("key"), item + "/key",
       "Required value"},
      {loc + "/[]/effect#enum", with("effect", "PreferNoSchedule"), with("effect", "Sometimes"),
       item + "/effect",
       "Unsupported value: \"Sometimes\": supported values: \"NoSchedule\", \"PreferNoSchedule\", "
       "\"NoExecute\""},
      {loc + "/[]/key#pattern", with("key", "a.b/c_d"), with("key", "-dedicated"), item + "/key",
       "should match"},
      {loc + "/[]/key#minLength", with("key", "k"), with("key", ""), item + "/key",
       "should be at least 1 chars long"},
      {loc + "/[]/timeAdded#format", with("timeAdded", "2024-05-01T10:00:00Z"),
       with("timeAdded", "yesterday"), item + "/timeAdded", "must be of type date-time"},
      {loc + "/[]/value#pattern", with("value", "a-b.c"), with("value", "has space"),
       item + "/value", "should match"},
  };
}

// The key rules of requirements and their order differ between NodePool and NodeClaim.
std::vector<Row> RequirementKeyRules(const std::string& key_at, const std::string& key_loc,
                                     bool nodepool) {
  auto key = [&](const char* k) { return Patch{Set(key_at, k)}; };
  std::vector<Row> rows = {
      {key_loc + "#rule:0", key("karpenter.sh/capacity-type"), key("team.karpenter.sh/tier"),
       key_at, "label domain \"karpenter.sh\" is restricted"},
  };
  int next = 1;
  if (nodepool) {
    rows.push_back({key_loc + "#rule:" + std::to_string(next++), key("karpenter.sh/capacity-type"),
                    key("karpenter.sh/nodepool"), key_at,
                    "label \"karpenter.sh/nodepool\" is restricted"});
  }
  rows.push_back({key_loc + "#rule:" + std::to_string(next++), key("kubernetes.io/arch"),
                  key("kubernetes.io/hostname"), key_at,
                  "label \"kubernetes.io/hostname\" is restricted"});
  rows.push_back({key_loc + "#rule:" + std::to_string(next++),
                  key("karpenter.k8s.aws/instance-family"), key("karpenter.k8s.aws/shoe-size"),
                  key_at, "label domain \"karpenter.k8s.aws\" is restricted"});
  return rows;
}

std::vector<Row> RequirementRows(const std::string& at, const std::string& loc, bool nodepool) {
  auto req = [](Json r) { return r; };
  auto reqs = [&](Json list) { return Patch{Set(at, std::move(list))}; };
  Json in = {{"key", "node.kubernetes.io/instance-type"}, {"operator", "In"},
             {"values", {"m5.large", "m5.xlarge"}}};
  auto with = [&](const char* field, Json value) {
    Json r = in;
    r[field] = std::move(value);
    return reqs({r});
  };
  auto without = [&](const char* field) {
    Json r = in;
    r.erase(field);
    return reqs({r});
  };
  auto many = [&](int n) {
    return reqs(Repeat(n, [](int i) {
      return Json{{"key", "example.com/k" + std::to_string(i)}, {"operator", "Exists"}};
    }));
  };
  std::string item = at + "/0";
  std::vector<Row> rows = {
      {loc + "#maxItems", many(100), many(101), at, "Too many: 101: must have at most 100 items"},
      {loc + "#rule:0", reqs({in}), with("values", Json::array()), at,
       "requirements with operator 'In' must have a value defined"},
      {loc + "#rule:1",
       reqs({req({{"key", "karpenter.k8s.aws/instance-cpu"}, {"operator", "Gt"},
                  {"values", {"4"}}})}),
       reqs({req({{"key", "karpenter.k8s.aws/instance-cpu"}, {"operator", "Lt"},
                  {"values", {"-4"}}})}),
       at,
       "requirements operator 'Gt', 'Lt', 'Gte', or 'Lte' must have a single positive integer "
       "value"},
      {loc + "#rule:2", with("minValues", 2), with("minValues", 3), at,
       "requirements with 'minValues' must have at least that many values specified in the "
       "'values' field"},
      {loc + "/[]#required:key", with("key", "topology.kubernetes.io/zone"), without("key"),
       item + "/key", "Required value"},
      {loc + "/[]#required:operator", with("operator", "NotIn"), without("operator"),
       item + "/operator", "Required value"},
      {loc + "/[]/key#pattern", with("key", "example.com/a_b"), with("key", "bad key"),
       item + "/key", "should match"},
      {loc + "/[]/key#maxLength", with("key", "example.com/" + std::string(63, 'k')),
       with("key", std::string(250, 'a') + ".com/" + std::string(62, 'k')), item + "/key",
       "Too long: may not be longer than 316"},
      {loc + "/[]/minValues#minimum", with("minValues", 1), with("minValues", 0),
       item + "/minValues", "should be greater than or equal to 1"},
      {loc + "/[]/minValues#maximum",
       reqs({req({{"key", "example.com/k"}, {"operator", "In"},
                  {"values", Repeat(50, [](int i) { return "v" + std::to_string(i); })},
                  {"minValues", 50}})}),
       reqs({req({{"key", "example.com/k"}, {"operator", "In"},
                  {"values", Repeat(51, [](int i) { return "v" + std::to_string(i); })},
                  {"minValues", 51}})}),
       item + "/minValues", "should be less than or equal to 50"},
      {loc + "/[]/operator#enum", with("operator", "NotIn"), with("operator", "Like"),
       item + "/operator",
       "Unsupported value: \"Like\": supported values: \"Gte\", \"Lte\", \"In\", \"NotIn\", "
       "\"Exists\", \"DoesNotExist\", \"Gt\", \"Lt\""},
      // maxLength and pattern sit on the array, where the API server's string checks do not
      // apply: long or odd values are accepted.
      {loc + "/[]/values#pattern", with("values", {"a"}), with("values", {"not a label value!"}),
       "", "", false, {}, false, /*inert=*/true},
      {loc + "/[]/values#maxLength", with("values", {"a"}),
       with("values", {std::string(100, 'v')}), "", "", false, {}, false, /*inert=*/true},
  };
  for (Row& row : RequirementKeyRules(item + "/key", loc + "/[]/key", nodepool)) {
    // Each key rule is checked with an Exists requirement, so no other rule interferes.
    for (Patch* patch : {&row.valid, &row.invalid}) {
      std::string key = (*patch)[0].value->get<std::string>();
      *patch = reqs({{{"key", key}, {"operator", "Exists"}}});
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<Row> NodeClassRefRows(const std::string& at, const std::string& loc) {
  auto field = [&](const char* name, Json value) { return Patch{Set(at + "/" + name, value)}; };
  auto without = [&](const char* name) { return Patch{Remove(at + "/" + name)}; };
  return {
      {loc + "#required:group", field("group", "karpenter.k8s.aws"), without("group"),
       at + "/group", "Required value"},
      {loc + "#required:kind", field("kind", "EC2NodeClass"), without("kind"), at + "/kind",
       "Required value"},
      {loc + "#required:name", field("name", "other"), without("name"), at + "/name",
       "Required value"},
      {loc + "/group#pattern", field("group", "example.com"), field("group", "example.com/v1"),
       at + "/group", "should match '^[^/]*$'"},
      {loc + "/group#rule:0", field("group", "g"), field("group", ""), at + "/group",
       "Invalid value: \"\": group may not be empty"},
      {loc + "/kind#rule:0", field("kind", "K"), field("kind", ""), at + "/kind",
       "Invalid value: \"\": kind may not be empty"},
      {loc + "/name#rule:0", field("name", "n"), field("name", ""), at + "/name",
       "Invalid value: \"\": name may not be empty"},
  };
}

}  // namespace

std::vector<Row> NodeClaimSpecRows(const std::string& at, const std::string& loc,
                                   bool nodepool) {
  std::vector<Row> rows = {
      {loc + "#required:nodeClassRef", {}, {Remove(at + "/nodeClassRef")}, at + "/nodeClassRef",
       "Required value"},
      {loc + "#required:requirements", {}, {Remove(at + "/requirements")}, at + "/requirements",
       "Required value"},
      {loc + "/expireAfter#pattern", {Set(at + "/expireAfter", "1h30m")},
       {Set(at + "/expireAfter", "30d")}, at + "/expireAfter",
       "Invalid value: \"30d\": " + FieldPathFromPointer(at + "/expireAfter") +
           " in body should match '^(([0-9]+(s|m|h))+|Never)$'"},
      {loc + "/terminationGracePeriod#pattern", {Set(at + "/terminationGracePeriod", "48h")},
       {Set(at + "/terminationGracePeriod", "Never")}, at + "/terminationGracePeriod",
       "should match '^([0-9]+(s|m|h))+$'"},
  };
  auto append = [&rows](std::vector<Row> more) {
    for (Row& r : more) rows.push_back(std::move(r));
  };
  append(NodeClassRefRows(at + "/nodeClassRef", loc + "/nodeClassRef"));
  append(RequirementRows(at + "/requirements", loc + "/requirements", nodepool));
  append(TaintRows(at + "/taints", loc + "/taints"));
  append(TaintRows(at + "/startupTaints", loc + "/startupTaints"));
  return rows;
}

std::vector<Row> ConditionRows(bool strict, bool list_map) {
  const std::string at = "/status/conditions";
  const std::string loc = "/status/conditions";
  Json ready = {{"type", "Ready"}, {"status", "True"},
                {"lastTransitionTime", "2024-05-01T10:00:00Z"}, {"reason", "Ready"},
                {"message", ""}, {"observedGeneration", 1}};
  auto with = [&](const char* field, Json value) {
    Json c = ready;
    c[field] = std::move(value);
    return Patch{Set(at, {c})};
  };
  auto without = [&](const char* field) {
    Json c = ready;
    c.erase(field);
    return Patch{Set(at, {c})};
  };
  std::string item = at + "/0";
  std::vector<Row> rows;
  std::vector<std::string> required = {"lastTransitionTime", "status", "type"};
  if (strict) required.insert(required.end(), {"message", "reason"});
  for (const std::string& field : required) {
    rows.push_back({loc + "/[]#required:" + field, with("status", "False"),
                    without(field.c_str()), item + "/" + field, "Required value"});
  }
  rows.push_back({loc + "/[]/lastTransitionTime#format",
                  with("lastTransitionTime", "2024-05-01T10:00:00.123+02:00"),
                  with("lastTransitionTime", "2024-05-01"), item + "/lastTransitionTime",
                  "in body must be of type date-time: \"2024-05-01\""});
  rows.push_back({loc + "/[]/message#maxLength", with("message", std::string(32768, 'm')),
                  with("message", std::string(32769, 'm')), item + "/message",
                  "Too long: may not be longer than 32768"});
  rows.push_back({loc + "/[]/observedGeneration#minimum", with("observedGeneration", 0),
                  with("observedGeneration", -1), item + "/observedGeneration",
                  "should be greater than or equal to 0"});
  rows.push_back({loc + "/[]/reason#pattern", with("reason", "Node_Ready:Yes"),
                  with("reason", "1Ready"), item + "/reason", "should match"});
  if (strict) {
    rows.push_back({loc + "/[]/reason#minLength", with("reason", "R"), with("reason", ""),
                    item + "/reason", "should be at least 1 chars long"});
  }
  rows.push_back({loc + "/[]/reason#maxLength", with("reason", std::string(1024, 'R')),
                  with("reason", std::string(1025, 'R')), item + "/reason",
                  "Too long: may not be longer than 1024"});
  rows.push_back({loc + "/[]/status#enum", with("status", "Unknown"), with("status", "Maybe"),
                  item + "/status",
                  "Unsupported value: \"Maybe\": supported values: \"True\", \"False\", "
                  "\"Unknown\""});
  rows.push_back({loc + "/[]/type#pattern", with("type", "example.com/Drifted"),
                  with("type", "Not Ready"), item + "/type", "should match"});
  rows.push_back({loc + "/[]/type#maxLength", with("type", std::string(316, 'T')),
                  with("type", std::string(317, 'T')), item + "/type",
                  "Too long: may not be longer than 316"});
  if (list_map) {
    Json other = ready;
    other["type"] = "Initialized";
    rows.push_back({loc + "#list-type", {Set(at, {ready, other})}, {Set(at, {ready, ready})},
                    at + "/1", "Duplicate value: {\"type\":\"Ready\"}"});
  }
  return rows;
}

}  // namespace karpenter::api::crd_rules
