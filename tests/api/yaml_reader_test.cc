#include "api/yaml_reader.h"

#include <gtest/gtest.h>

#include <string>

#include "api/yaml_writer.h"

namespace karpenter::api {
namespace {

Json ReadOne(std::string_view text) {
  ReadResult result = ReadYamlDocuments(text, "test.yaml");
  EXPECT_TRUE(result.errors.empty()) << result.errors.front().ToString();
  EXPECT_EQ(result.documents.size(), 1u);
  return result.documents.empty() ? Json() : result.documents.front().value;
}

std::string FirstError(std::string_view text, const ReadLimits& limits = {}) {
  ReadResult result = ReadYamlDocuments(text, "bad.yaml", limits);
  return result.errors.empty() ? std::string("<no error>") : result.errors.front().ToString();
}

TEST(YamlReader, TypesPlainScalarsAsKubernetesDoes) {
  Json doc = ReadOne(
      "int: 1000\nneg: -5\nfloat: 1.5\nexp: 1e3\nhex: 0x1F\noctal: 0755\nunderscore: 1_000\n"
      "yes_: yes\noff_: Off\nnull1: ~\nnull2:\nstr: 10%\nquoted: \"1000\"\nsingle: 'true'\n"
      "version: 1.24\ntext: hello world\n");
  EXPECT_EQ(doc["int"], Json(1000));
  EXPECT_EQ(doc["neg"], Json(-5));
  EXPECT_EQ(doc["float"], Json(1.5));
  EXPECT_EQ(doc["exp"], Json(1000.0));
  EXPECT_EQ(doc["hex"], Json(31));
  EXPECT_EQ(doc["octal"], Json(493));
  EXPECT_EQ(doc["underscore"], Json(1000));
  EXPECT_EQ(doc["yes_"], Json(true));
  EXPECT_EQ(doc["off_"], Json(false));
  EXPECT_TRUE(doc["null1"].is_null());
  EXPECT_TRUE(doc["null2"].is_null());
  EXPECT_EQ(doc["str"], Json("10%"));
  EXPECT_EQ(doc["quoted"], Json("1000"));
  EXPECT_EQ(doc["single"], Json("true"));
  EXPECT_EQ(doc["version"], Json(1.24));
  EXPECT_EQ(doc["text"], Json("hello world"));
}

TEST(YamlReader, KeepsKeyOrder) {
  Json doc = ReadOne("zeta: 1\nalpha: 2\nmid: 3\n");
  EXPECT_EQ(doc.dump(), R"({"zeta":1,"alpha":2,"mid":3})");
}

TEST(YamlReader, SplitsDocumentsAndSkipsEmptyOnes) {
  ReadResult result = ReadYamlDocuments("a: 1\n---\n# only a comment\n---\nb: 2\n---\n", "f.yaml");
  ASSERT_TRUE(result.errors.empty());
  ASSERT_EQ(result.documents.size(), 2u);
  EXPECT_EQ(result.documents[0].value.dump(), R"({"a":1})");
  EXPECT_EQ(result.documents[1].value.dump(), R"({"b":2})");
}

TEST(YamlReader, RecordsPositionsByPointer) {
  ReadResult result = ReadYamlDocuments(
      "spec:\n  requirements:\n    - key: a\n      values: [x, y]\n    - key: \"b/c\"\n", "f.yaml");
  ASSERT_EQ(result.documents.size(), 1u);
  const Document& doc = result.documents[0];
  EXPECT_EQ(doc.PositionOf("/spec/requirements/0/key").line, 3);
  EXPECT_EQ(doc.PositionOf("/spec/requirements/0/key").column, 7);
  EXPECT_EQ(doc.PositionOf("/spec/requirements/0/values/1").line, 4);
  EXPECT_EQ(doc.PositionOf("/spec/requirements/1/key").line, 5);
  // Absent fields fall back to their nearest ancestor.
  EXPECT_EQ(doc.PositionOf("/spec/requirements/1/operator").line, 5);
  EXPECT_EQ(doc.PositionOf("/spec/limits/cpu").line, 1);
  EXPECT_EQ(doc.PositionOf("/spec/requirements").line, 2);
}

TEST(YamlReader, ExpandsAnchorsAliasesAndMergeKeys) {
  Json doc = ReadOne("base: &b {x: 1, y: 2}\ncopy: *b\nmerged:\n  <<: *b\n  y: 3\n");
  EXPECT_EQ(doc["copy"].dump(), R"({"x":1,"y":2})");
  EXPECT_EQ(doc["merged"].dump(), R"({"x":1,"y":3})");
}

TEST(YamlReader, ReadsJson) {
  Json doc = ReadOne(R"({"apiVersion": "v1", "kind": "Pod", "spec": {"n": [1, 2.5, true, null]}})");
  EXPECT_EQ(doc.dump(), R"({"apiVersion":"v1","kind":"Pod","spec":{"n":[1,2.5,true,null]}})");
}

TEST(YamlReader, ReportsSyntaxErrorsWithFileAndLine) {
  EXPECT_EQ(FirstError("a: 1\nb: [1, 2\n"),
            "bad.yaml:3:1: error: invalid YAML: end of sequence flow not found");
  EXPECT_EQ(FirstError("a: 1\na: 2\n"), "bad.yaml:2:1: error: mapping key \"a\" already defined");
  EXPECT_EQ(FirstError("? [a]\n: 1\n"), "bad.yaml:1:3: error: complex mapping keys are not supported");
  EXPECT_EQ(FirstError("a: *nothing\n").substr(0, 16), "bad.yaml:1:4: er");
  EXPECT_EQ(FirstError("a: .inf\n"),
            "bad.yaml:1:4: error: value .inf (infinity or NaN) cannot be represented in JSON");
}

TEST(YamlReader, KeepsDocumentsBeforeAnError) {
  ReadResult result = ReadYamlDocuments("a: 1\n---\nb: [\n", "f.yaml");
  EXPECT_EQ(result.documents.size(), 1u);
  EXPECT_EQ(result.errors.size(), 1u);
}

TEST(YamlReader, RefusesOversizedInput) {
  ReadLimits limits;
  limits.max_bytes = 10;
  EXPECT_EQ(FirstError("a: 12345678901\n", limits),
            "bad.yaml: error: input is 15 bytes, over the limit of 10 bytes");
}

TEST(YamlReader, RefusesDeepNestingWithoutCrashing) {
  std::string deep_flow;
  for (int i = 0; i < 150; ++i) deep_flow += "{a: ";
  deep_flow += "1" + std::string(150, '}');
  EXPECT_NE(FirstError(deep_flow).find("nesting deeper than 100 levels"), std::string::npos);
  // Unterminated input of this depth must fail cleanly too (yaml-cpp's own depth guard or ours).
  std::string unterminated;
  for (int i = 0; i < 100000; ++i) unterminated += "{a: ";
  EXPECT_NE(FirstError(unterminated), "<no error>");
  EXPECT_NE(FirstError(std::string(100000, '[')), "<no error>");
  std::string deep_block;
  for (int i = 0; i < 200; ++i) deep_block += std::string(i * 2, ' ') + "k:\n";
  EXPECT_NE(FirstError(deep_block).find("nesting deeper than 100 levels"), std::string::npos);
}

TEST(YamlReader, RefusesAliasBombs) {
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  char prev = 'a';
  for (char c = 'b'; c <= 'k'; ++c, ++prev) {
    bomb += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) bomb += std::string(i ? ", *" : "*") + prev;
    bomb += "]\n";
  }
  EXPECT_NE(FirstError(bomb).find("aliases expand to more than"), std::string::npos);
}

TEST(YamlReader, RefusesInvalidUtf8) {
  EXPECT_NE(FirstError("a: \"\xff\xfe\"\n").find("not valid UTF-8"), std::string::npos);
}

TEST(YamlWriter, RoundTripsEveryScalarKind) {
  Json doc = Json::parse(R"({"s":"0","t":"true","n":"null","e":"","p":"10%","star":"*",
      "colon":"a: b","int":1000,"f":1.5,"fi":2.0,"b":false,"z":null,"neg":"-1",
      "list":[],"map":{},"multi":"line1\nline2\n","hex":"0x10","dash":"- x","y":"y"})");
  Json back = ReadOne(WriteYaml(doc));
  EXPECT_EQ(back, doc) << WriteYaml(doc);
}

TEST(YamlWriter, WritesBlockStyleInKeyOrder) {
  Json doc = Json::parse(R"({"kind":"NodePool","spec":{"limits":{"cpu":"1000"},"req":[{"key":"a"}]}})");
  EXPECT_EQ(WriteYaml(doc),
            "kind: NodePool\nspec:\n  limits:\n    cpu: \"1000\"\n  req:\n    - key: a\n");
}

}  // namespace
}  // namespace karpenter::api
