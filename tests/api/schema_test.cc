#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "api/schema/crd_registry.h"
#include "api/schema/defaulter.h"
#include "api/schema/validator.h"
#include "api/schema_validation.h"

namespace karpenter::api {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// "pointer: message" lines, so expectations read like the API server's output.
std::vector<std::string> Lines(const FieldErrors& issues) {
  std::vector<std::string> out;
  for (const FieldError& e : issues) out.push_back(e.pointer + ": " + e.message);
  return out;
}

// What the API server adds when a blocking error (type, enum, required, too long, too many)
// keeps it from evaluating the CEL rules.
constexpr const char* kNotChecked =
    ": Invalid value: \"null\": some validation rules were not checked because the object was "
    "invalid; correct the existing errors to complete validation";

Json NodePool() {
  return Json::parse(R"({
    "apiVersion": "karpenter.sh/v1", "kind": "NodePool", "metadata": {"name": "default"},
    "spec": {"template": {"spec": {
      "nodeClassRef": {"group": "karpenter.k8s.aws", "kind": "EC2NodeClass", "name": "default"},
      "requirements": [{"key": "karpenter.sh/capacity-type", "operator": "In",
                        "values": ["spot"]}]}}}})");
}

Json NodeClaim() {
  return Json::parse(R"({
    "apiVersion": "karpenter.sh/v1", "kind": "NodeClaim", "metadata": {"name": "default-abc"},
    "spec": {
      "nodeClassRef": {"group": "karpenter.k8s.aws", "kind": "EC2NodeClass", "name": "default"},
      "requirements": [{"key": "karpenter.sh/capacity-type", "operator": "In",
                        "values": ["spot"]}]}})");
}

Json NodeClass() {
  return Json::parse(R"({
    "apiVersion": "karpenter.k8s.aws/v1", "kind": "EC2NodeClass", "metadata": {"name": "default"},
    "spec": {"role": "KarpenterNodeRole", "amiSelectorTerms": [{"alias": "al2023@latest"}],
             "subnetSelectorTerms": [{"tags": {"karpenter.sh/discovery": "demo"}}],
             "securityGroupSelectorTerms": [{"tags": {"karpenter.sh/discovery": "demo"}}]}})");
}

// --- The embedded CRDs -------------------------------------------------------------------------

void CountRules(const schema::Schema& s, int& rules) {
  rules += static_cast<int>(s.rules.size());
  for (const auto& [name, child] : s.properties) CountRules(*child, rules);
  if (s.items) CountRules(*s.items, rules);
  if (s.additional_properties) CountRules(*s.additional_properties, rules);
}

TEST(EmbeddedCrds, CompileAllThreeKindsWithEveryRule) {
  const auto& crds = schema::EmbeddedCrds();
  std::vector<std::string> names;
  int rules = 0;
  for (const auto& crd : crds) {
    names.push_back(crd.ApiVersion() + " " + crd.kind);
    CountRules(*crd.root, rules);
  }
  std::sort(names.begin(), names.end());
  EXPECT_THAT(names, ElementsAre("karpenter.k8s.aws/v1 EC2NodeClass", "karpenter.sh/v1 NodeClaim",
                                 "karpenter.sh/v1 NodePool"));
  EXPECT_EQ(rules, 84);  // `grep -c 'rule:' data/crds/*.yaml`
}

TEST(EmbeddedCrds, KnowsWhichKindsItServes) {
  EXPECT_TRUE(IsSchemaKind("karpenter.sh/v1", "NodePool"));
  EXPECT_TRUE(IsSchemaKind("karpenter.sh/v1", "NodeClaim"));
  EXPECT_TRUE(IsSchemaKind("karpenter.k8s.aws/v1", "EC2NodeClass"));
  EXPECT_FALSE(IsSchemaKind("karpenter.sh/v1beta1", "NodePool"));
  EXPECT_FALSE(IsSchemaKind("v1", "Pod"));
}

TEST(EmbeddedCrds, MinimalObjectsAreValid) {
  for (const Json& object : {NodePool(), NodeClaim(), NodeClass()}) {
    SchemaReport report = ValidateAgainstCrd(object);
    EXPECT_THAT(Lines(report.errors), IsEmpty()) << object.dump();
    EXPECT_THAT(Lines(report.warnings), IsEmpty()) << object.dump();
  }
}

TEST(EmbeddedCrds, OtherKindsAndVersionsAreNamed) {
  Json old_version = NodePool();
  old_version["apiVersion"] = "karpenter.sh/v1beta1";
  EXPECT_THAT(Lines(ValidateAgainstCrd(old_version).errors),
              ElementsAre("/apiVersion: Unsupported value: \"karpenter.sh/v1beta1\": supported "
                          "values: \"karpenter.sh/v1\""));
  Json pod = {{"apiVersion", "v1"}, {"kind", "Pod"}};
  EXPECT_THAT(Lines(ValidateAgainstCrd(pod).errors),
              ElementsAre(::testing::StartsWith("/kind: Unsupported value: \"Pod\": supported "
                                                "values: ")));
  Json before = pod;
  ApplyCrdDefaults(pod);
  EXPECT_EQ(pod, before);
}

// --- Defaulting --------------------------------------------------------------------------------

TEST(Defaulting, NodePoolGetsDisruptionAndExpiry) {
  Json pool = NodePool();
  ApplyCrdDefaults(pool);
  EXPECT_EQ(pool.dump(), Json::parse(R"({
    "apiVersion": "karpenter.sh/v1", "kind": "NodePool", "metadata": {"name": "default"},
    "spec": {"template": {"spec": {
      "nodeClassRef": {"group": "karpenter.k8s.aws", "kind": "EC2NodeClass", "name": "default"},
      "requirements": [{"key": "karpenter.sh/capacity-type", "operator": "In",
                        "values": ["spot"]}],
      "expireAfter": "720h"}},
      "disruption": {"consolidateAfter": "0s", "budgets": [{"nodes": "10%"}],
                     "consolidationPolicy": "WhenEmptyOrUnderutilized"}}})").dump());
}

TEST(Defaulting, PresentValuesWinAndBudgetItemsAreDefaulted) {
  Json pool = NodePool();
  pool["spec"]["disruption"] = {{"consolidationPolicy", "WhenEmpty"},
                                {"budgets", {{{"schedule", "@daily"}, {"duration", "10m"}}}}};
  pool["spec"]["template"]["spec"]["expireAfter"] = "Never";
  ApplyCrdDefaults(pool);
  EXPECT_EQ(pool["spec"]["disruption"].dump(),
            R"({"consolidationPolicy":"WhenEmpty","budgets":[{"schedule":"@daily",)"
            R"("duration":"10m","nodes":"10%"}]})");
  EXPECT_EQ(pool["spec"]["template"]["spec"]["expireAfter"], "Never");
  // consolidateAfter has no default of its own: only the default of `disruption` carries it.
  EXPECT_THAT(Lines(ValidateAgainstCrd(pool).errors),
              ElementsAre("/spec/disruption/consolidateAfter: Required value", kNotChecked));
}

TEST(Defaulting, NodeClaimGetsExpireAfter) {
  Json claim = NodeClaim();
  ApplyCrdDefaults(claim);
  EXPECT_EQ(claim["spec"]["expireAfter"], "720h");
  EXPECT_EQ(claim["spec"].size(), 3u);
}

TEST(Defaulting, NodeClassMetadataOptionsWholeOrPartial) {
  Json nc = NodeClass();
  ApplyCrdDefaults(nc);
  EXPECT_EQ(nc["spec"]["metadataOptions"].dump(),
            R"({"httpEndpoint":"enabled","httpProtocolIPv6":"disabled",)"
            R"("httpPutResponseHopLimit":1,"httpTokens":"required"})");
  Json partial = NodeClass();
  partial["spec"]["metadataOptions"] = {{"httpTokens", "optional"}};
  ApplyCrdDefaults(partial);
  EXPECT_EQ(partial["spec"]["metadataOptions"].dump(),
            R"({"httpTokens":"optional","httpEndpoint":"enabled","httpProtocolIPv6":"disabled",)"
            R"("httpPutResponseHopLimit":1})");
}

TEST(Defaulting, StatusDefaultsInsideListItems) {
  Json nc = NodeClass();
  nc["status"] = {{"capacityReservations", {{{"id", "cr-1"}}}}};
  ApplyCrdDefaults(nc);
  EXPECT_EQ(nc["status"].dump(),
            R"({"capacityReservations":[{"id":"cr-1","reservationType":"default",)"
            R"("state":"active"}]})");
  Json pool = NodePool();
  pool["status"] = Json::object();
  ApplyCrdDefaults(pool);
  EXPECT_EQ(pool["status"].dump(), R"({"nodes":0})");
}

TEST(Defaulting, NullIsReplacedUnknownFieldsAreKeptAndItIsIdempotent) {
  Json pool = NodePool();
  pool["spec"]["template"]["spec"]["expireAfter"] = nullptr;
  pool["spec"]["template"]["spec"]["surprise"] = {{"x", 1}};
  ApplyCrdDefaults(pool);
  EXPECT_EQ(pool["spec"]["template"]["spec"]["expireAfter"], "720h");
  EXPECT_EQ(pool["spec"]["template"]["spec"]["surprise"], Json({{"x", 1}}));
  Json again = pool;
  ApplyCrdDefaults(again);
  EXPECT_EQ(again, pool);
}

// --- Generic schema behaviour, on a CRD made for the purpose -----------------------------------

schema::CrdSchema TestCrd() {
  Json crd = Json::parse(R"({
    "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
    "spec": {"group": "example.com", "names": {"kind": "Widget"}, "versions": [{"name": "v1",
      "schema": {"openAPIV3Schema": {"type": "object", "properties": {
        "metadata": {"type": "object"},
        "spec": {"type": "object", "properties": {
          "maybe": {"type": "string", "nullable": true},
          "tags": {"type": "array", "items": {"type": "string"}, "x-kubernetes-list-type": "set"},
          "ports": {"type": "array", "x-kubernetes-list-type": "map",
                    "x-kubernetes-list-map-keys": ["name"],
                    "items": {"type": "object", "required": ["name"], "properties": {
                      "name": {"type": "string"},
                      "port": {"type": "integer", "minimum": 1, "exclusiveMinimum": true,
                               "maximum": 65536, "exclusiveMaximum": true}},
                      "x-kubernetes-validations": [{"rule": "self.port == oldSelf.port",
                                                    "message": "port is immutable"}]}},
          "size": {"x-kubernetes-int-or-string": true,
                   "anyOf": [{"type": "integer"}, {"type": "string"}]},
          "free": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
          "when": {"type": "string", "format": "date-time"},
          "name": {"type": "string", "minLength": 2},
          "labels": {"type": "object", "minProperties": 1,
                     "additionalProperties": {"type": "string"}},
          "ratio": {"type": "number", "maximum": 1.5},
          "count": {"type": "integer", "format": "int32"},
          "mode": {"type": "string"},
          "limit": {"type": "integer"}},
          "x-kubernetes-validations": [
            {"rule": "!has(self.mode) || self.mode != 'bad'", "fieldPath": ".mode",
             "messageExpression": "'mode ' + self.mode + ' is not allowed'"},
            {"rule": "!has(self.limit) || self.limit < 10", "reason": "FieldValueForbidden",
             "message": "limit too high"},
            {"rule": "!has(self.name) || self.name != 'zz'"}]}}}}}]}})");
  auto compiled = schema::CompileCrd(crd, "v1");
  if (!compiled) throw std::runtime_error(compiled.error().message);
  return std::move(*compiled);
}

std::vector<std::string> Errors(const Json& spec, const Json* old_spec = nullptr) {
  static const schema::CrdSchema crd = TestCrd();
  Json object = {{"metadata", {{"name", "w"}}}, {"spec", spec}};
  Json old = {{"metadata", {{"name", "w"}}}, {"spec", old_spec ? *old_spec : Json()}};
  return Lines(schema::Validate(*crd.root, object, old_spec ? &old : nullptr).errors);
}

std::vector<std::string> Warnings(const Json& spec) {
  static const schema::CrdSchema crd = TestCrd();
  Json object = {{"metadata", {{"name", "w"}}}, {"spec", spec}};
  return Lines(schema::Validate(*crd.root, object, nullptr).warnings);
}

TEST(SchemaValidation, TypesAreCheckedWithKubernetesMessages) {
  EXPECT_THAT(Errors({{"name", 5}}),
              ElementsAre("/spec/name: Invalid value: \"integer\": spec.name in body must be of "
                          "type string: \"integer\"",
                          kNotChecked));
  EXPECT_THAT(Errors({{"limit", "x"}}),
              ElementsAre("/spec/limit: Invalid value: \"string\": spec.limit in body must be of "
                          "type integer: \"string\"",
                          kNotChecked));
  EXPECT_THAT(Errors({{"limit", 3.0}}), IsEmpty());  // integral numbers are integers
  EXPECT_THAT(Errors({{"size", true}}),
              ElementsAre("/spec/size: Invalid value: \"boolean\": spec.size in body must be of "
                          "type integer,string: \"boolean\"",
                          kNotChecked));
  EXPECT_THAT(Errors({{"size", 3}}), IsEmpty());
  EXPECT_THAT(Errors({{"size", "3Gi"}}), IsEmpty());
  EXPECT_THAT(Errors({{"tags", {1}}}),
              ElementsAre("/spec/tags/0: Invalid value: \"integer\": spec.tags[0] in body must be "
                          "of type string: \"integer\"",
                          kNotChecked));
}

TEST(SchemaValidation, NullIsPrunedUnlessNullable) {
  EXPECT_THAT(Errors({{"maybe", nullptr}, {"name", nullptr}}), IsEmpty());
  EXPECT_THAT(Errors({{"ports", {{{"name", nullptr}}}}}),
              ElementsAre("/spec/ports/0/name: Required value", kNotChecked));
  EXPECT_THAT(Errors({{"tags", {nullptr}}}),
              ElementsAre("/spec/tags/0: Invalid value: \"null\": spec.tags[0] in body must be "
                          "of type string: \"null\"",
                          kNotChecked));
}

TEST(SchemaValidation, ListTypesRejectDuplicates) {
  EXPECT_THAT(Errors({{"tags", {"a", "b", "a"}}}),
              ElementsAre("/spec/tags/2: Duplicate value: \"a\""));
  EXPECT_THAT(Errors({{"ports", {{{"name", "x"}, {"port", 1000}}, {{"name", "x"}}}}}),
              ElementsAre("/spec/ports/1: Duplicate value: {\"name\":\"x\"}"));
}

TEST(SchemaValidation, BoundsAndFormats) {
  EXPECT_THAT(Errors({{"ports", {{{"name", "a"}, {"port", 1}}, {{"name", "b"}, {"port", 65536}}}}}),
              ElementsAre("/spec/ports/0/port: Invalid value: 1: spec.ports[0].port in body should "
                          "be greater than 1",
                          "/spec/ports/1/port: Invalid value: 65536: spec.ports[1].port in body "
                          "should be less than 65536"));
  EXPECT_THAT(Errors({{"ratio", 2.5}}),
              ElementsAre("/spec/ratio: Invalid value: 2.5: spec.ratio in body should be less "
                          "than or equal to 1.5"));
  EXPECT_THAT(Errors({{"name", "é"}}),
              ElementsAre("/spec/name: Invalid value: \"é\": spec.name in body should be at "
                          "least 2 chars long"));
  EXPECT_THAT(Errors({{"labels", Json::object()}}),
              ElementsAre("/spec/labels: Invalid value: 0: spec.labels in body should have at "
                          "least 1 properties"));
  EXPECT_THAT(Errors({{"when", "2024-02-30T10:00:00Z"}}), IsEmpty());  // as upstream: day <= 31
  EXPECT_THAT(Errors({{"when", "2024-01-02T10:00:00.5+01:00"}}), IsEmpty());
  EXPECT_THAT(Errors({{"when", "2024-01-02 10:00:00Z"}}),
              ElementsAre("/spec/when: Invalid value: \"2024-01-02 10:00:00Z\": spec.when in body "
                          "must be of type date-time: \"2024-01-02 10:00:00Z\""));
  EXPECT_THAT(Errors({{"when", "2024-13-02T10:00:00Z"}}).size(), 1u);
  EXPECT_THAT(Errors({{"when", "2024-01-02T24:00:00Z"}}).size(), 1u);
}

TEST(SchemaValidation, Int32OverflowIsAWarningAsTheApiServerAcceptsIt) {
  EXPECT_THAT(Errors({{"count", 5000000000LL}}), IsEmpty());
  EXPECT_THAT(Warnings({{"count", 5000000000LL}}),
              ElementsAre("/spec/count: value 5000000000 does not fit format int32; Karpenter "
                          "cannot decode it"));
  EXPECT_THAT(Warnings({{"count", -2147483648LL}}), IsEmpty());
}

TEST(SchemaValidation, UnknownFieldsAreWarningsAndPreservedWhereAllowed) {
  EXPECT_THAT(Warnings({{"bogus", 1}, {"free", {{"anything", {{"goes", 1}}}}}}),
              ElementsAre("/spec/bogus: unknown field \"spec.bogus\""));
  EXPECT_THAT(Warnings({{"ports", {{{"name", "a"}, {"extra", true}}}}}),
              ElementsAre("/spec/ports/0/extra: unknown field \"spec.ports[0].extra\""));
}

TEST(SchemaValidation, RuleMessagesReasonsAndFieldPaths) {
  EXPECT_THAT(Errors({{"mode", "bad"}}),
              ElementsAre("/spec/mode: Invalid value: mode bad is not allowed"));
  EXPECT_THAT(Errors({{"limit", 11}}), ElementsAre("/spec: Forbidden: limit too high"));
  EXPECT_THAT(Errors({{"name", "zz"}}),
              ElementsAre("/spec: Invalid value: failed rule: !has(self.name) || self.name != "
                          "'zz'"));
}

TEST(SchemaValidation, SchemaErrorsComeBeforeRuleErrorsAndAllAreReported) {
  EXPECT_THAT(Errors({{"limit", 11}, {"name", "a"}, {"tags", {"x", "x"}}}),
              ElementsAre("/spec/name: Invalid value: \"a\": spec.name in body should be at least "
                          "2 chars long",
                          "/spec/tags/1: Duplicate value: \"x\"",
                          "/spec: Forbidden: limit too high"));
  // A blocking error (here an enum-like type error) stops the rules, as upstream.
  EXPECT_THAT(Errors({{"limit", 11}, {"name", 1}}),
              ElementsAre(::testing::StartsWith("/spec/name: Invalid value: \"integer\""),
                          kNotChecked));
}

TEST(SchemaValidation, TransitionRulesRunOnlyWithACorrelatedOldValue) {
  Json now = {{"ports", {{{"name", "a"}, {"port", 80}}, {{"name", "b"}, {"port", 81}}}}};
  EXPECT_THAT(Errors(now), IsEmpty());  // create: no oldSelf
  Json before = {{"ports", {{{"name", "b"}, {"port", 90}}, {{"name", "c"}, {"port", 70}}}}};
  // Only "b" has an old counterpart (matched by key, not position).
  EXPECT_THAT(Errors(now, &before), ElementsAre("/spec/ports/1: Invalid value: port is immutable"));
}

TEST(SchemaValidation, UpdatesRatchetUnchangedInvalidValues) {
  Json stored = {{"name", "a"}, {"limit", 11}};
  // Nothing changed: the old errors are not held against the update; the rule error is kept
  // as a warning, as the API server does.
  EXPECT_THAT(Errors(stored, &stored), IsEmpty());
  Json changed = stored;
  changed["mode"] = "ok";
  EXPECT_THAT(Errors(changed, &stored), ElementsAre("/spec: Forbidden: limit too high"));
  changed["name"] = "b";
  EXPECT_THAT(Errors(changed, &stored),
              ElementsAre("/spec/name: Invalid value: \"b\": spec.name in body should be at least "
                          "2 chars long",
                          "/spec: Forbidden: limit too high"));
}

TEST(SchemaValidation, CrdCompilationNamesWhatIsUnsupported) {
  Json crd = {{"spec",
               {{"group", "g"},
                {"names", {{"kind", "K"}}},
                {"versions",
                 {{{"name", "v1"},
                   {"schema",
                    {{"openAPIV3Schema",
                      {{"type", "object"},
                       {"properties", {{"x", {{"oneOf", Json::array()}}}}}}}}}}}}}}};
  EXPECT_EQ(schema::CompileCrd(crd, "v1").error().message, "K v1: schema /x: oneOf: keyword is not supported");
  crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["x"] = {
      {"type", "string"}, {"x-kubernetes-validations", {{{"rule", "self.nope()"}}}}};
  EXPECT_EQ(schema::CompileCrd(crd, "v1").error().message,
            "K v1: schema /x: x-kubernetes-validations: rule `self.nope()`: found no matching "
            "overload for 'nope' with 0 argument(s) at offset 4");
  EXPECT_EQ(schema::CompileCrd(crd, "v2").error().message,
            "no version v2 in CustomResourceDefinition of K");
}

// --- ObjectMeta --------------------------------------------------------------------------------

std::vector<std::string> MetaErrors(const Json& metadata, const Json* old_metadata = nullptr) {
  Json pool = NodePool();
  pool["metadata"] = metadata;
  if (old_metadata == nullptr) return Lines(ValidateAgainstCrd(pool).errors);
  Json old = NodePool();
  old["metadata"] = *old_metadata;
  return Lines(ValidateAgainstCrd(pool, &old).errors);
}

TEST(ObjectMeta, NameIsRequiredAndADnsSubdomain) {
  EXPECT_THAT(MetaErrors(Json::object()),
              ElementsAre("/metadata/name: Required value: name or generateName is required",
                          kNotChecked));
  EXPECT_THAT(MetaErrors({{"generateName", "pool-"}}), IsEmpty());
  EXPECT_THAT(
      MetaErrors({{"name", "Default"}}),
      ElementsAre("/metadata/name: Invalid value: \"Default\": a lowercase RFC 1123 subdomain "
                  "must consist of lower case alphanumeric characters, '-' or '.', and must start "
                  "and end with an alphanumeric character (e.g. 'example.com', regex used for "
                  "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"));
  EXPECT_THAT(MetaErrors({{"name", std::string(254, 'a')}}),
              ElementsAre(::testing::EndsWith(": must be no more than 253 characters")));
  EXPECT_THAT(MetaErrors({{"name", std::string(253, 'a')}}), IsEmpty());
  EXPECT_THAT(MetaErrors({{"name", 7}}),
              ElementsAre("/metadata/name: Invalid value: \"integer\": metadata.name in body must "
                          "be of type string: \"integer\"",
                          "/metadata/name: Required value: name or generateName is required",
                          kNotChecked));
}

TEST(ObjectMeta, LabelsAnnotationsAndFinalizers) {
  Json meta = {{"name", "a"},
               {"labels", {{"team", "x"}, {"bad key!", "y"}, {"ok", "bad value!"},
                           {"x/" + std::string(64, 'n'), "v"}, {"/n", "v"}}}};
  auto errors = MetaErrors(meta);
  ASSERT_EQ(errors.size(), 4u) << ::testing::PrintToString(errors);
  EXPECT_EQ(errors[0],
            "/metadata/labels/bad key!: Invalid value: \"bad key!\": name part must consist of "
            "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
            "character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
            "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
  EXPECT_EQ(errors[1],
            "/metadata/labels/ok: Invalid value: \"bad value!\": a valid label must be an empty "
            "string or consist of alphanumeric characters, '-', '_' or '.', and must start and end "
            "with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex "
            "used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
  EXPECT_THAT(errors[2], ::testing::EndsWith("name part must be no more than 63 characters"));
  EXPECT_THAT(errors[3], ::testing::StartsWith("/metadata/labels/~1n: Invalid value: \"/n\": "
                                               "prefix part must be non-empty"));
  EXPECT_THAT(MetaErrors({{"name", "a"}, {"labels", {{"k", std::string(64, 'v')}}}}),
              ElementsAre(::testing::EndsWith("must be no more than 63 characters")));
  EXPECT_THAT(MetaErrors({{"name", "a"}, {"annotations", {{"Example.com/Note", "x"}}}}),
              IsEmpty());  // annotation keys are checked lower-cased
  EXPECT_THAT(MetaErrors({{"name", "a"}, {"annotations", {{"a", std::string(300000, 'x')}}}}),
              ElementsAre("/metadata/annotations: Too long: must have at most 262144 bytes",
                          kNotChecked));
  EXPECT_THAT(MetaErrors({{"name", "a"}, {"finalizers", {"karpenter.sh/termination", "mine"}}}),
              ElementsAre("/metadata/finalizers/1: Invalid value: \"mine\": name is neither a "
                          "standard finalizer name nor is it fully qualified"));
}

TEST(ObjectMeta, UnknownFieldsWarnAndNameIsImmutable) {
  Json pool = NodePool();
  pool["metadata"]["nickname"] = "x";
  EXPECT_THAT(Lines(ValidateAgainstCrd(pool).warnings),
              ElementsAre("/metadata/nickname: unknown field \"metadata.nickname\""));
  Json old_meta = {{"name", "before"}};
  EXPECT_THAT(MetaErrors({{"name", "after"}}, &old_meta),
              ElementsAre("/metadata/name: Invalid value: \"after\": field is immutable"));
}

// --- Robustness --------------------------------------------------------------------------------

// The rules' cost limit (not a timer) is what bounds the work on a huge list: the test checks
// the limit fires. How fast validation is belongs in bench/, not here.
TEST(Robustness, HugeListsHitTheCostLimit) {
  Json nc = NodeClass();
  Json interfaces = Json::array();
  for (int i = 0; i < 20000; ++i) {
    interfaces.push_back({{"deviceIndex", i}, {"networkCardIndex", 0}, {"interfaceType", "interface"}});
  }
  nc["spec"]["networkInterfaces"] = interfaces;
  // On create the size error blocks the rules.
  EXPECT_THAT(Lines(ValidateAgainstCrd(nc).errors),
              ElementsAre("/spec/networkInterfaces: Too many: 20000: must have at most 150 items",
                          kNotChecked));
  // On an update that leaves the list unchanged the size error is ratcheted, so the quadratic
  // rule runs over 20000 items: the cost limit stops it.
  SchemaReport report = ValidateAgainstCrd(nc, &nc);
  EXPECT_THAT(Lines(report.errors),
              ElementsAre("/spec/networkInterfaces: Invalid value: \"array\": 'operation "
                          "cancelled: actual cost limit exceeded': no further validation rules "
                          "will be run due to call cost exceeds limit for rule: networkInterfaces "
                          "must not have duplicate networkCardIndex and deviceIndex pairs, and can "
                          "have at most one efa device per network card"));
}

TEST(Robustness, WrongShapesAnywhereAreErrorsNotCrashes) {
  for (const Json& spec : {Json("x"), Json(1), Json::array({1}), Json(nullptr)}) {
    for (Json object : {NodePool(), NodeClaim(), NodeClass()}) {
      object["spec"] = spec;
      // A null spec is pruned; only NodePool and NodeClaim require one.
      bool expect_error = !spec.is_null() || object["kind"] != "EC2NodeClass";
      EXPECT_EQ(!ValidateAgainstCrd(object).errors.empty(), expect_error) << spec.dump();
      object["metadata"] = "x";
      EXPECT_FALSE(ValidateAgainstCrd(object).errors.empty());
    }
  }
  Json nc = NodeClass();
  nc["spec"]["amiSelectorTerms"] = {{{"alias", 5}}, "x", {{"tags", "t"}}};
  nc["spec"]["kubelet"] = {{"evictionSoft", {1, 2}}, {"kubeReserved", {{"cpu", 1}}}};
  EXPECT_FALSE(ValidateAgainstCrd(nc).errors.empty());
}

}  // namespace
}  // namespace karpenter::api
