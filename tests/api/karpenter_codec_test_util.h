// Helpers shared by the codec tests of Karpenter's kinds.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "api/field_error.h"
#include "api/json.h"
#include "api/yaml_reader.h"

namespace karpenter::api::karpenter_codec_testing {

// The documents of a YAML text; a syntax error fails the test.
inline std::vector<Json> Documents(std::string_view yaml) {
  ReadResult read = ReadYamlDocuments(yaml, "test.yaml");
  EXPECT_TRUE(read.errors.empty()) << (read.errors.empty() ? "" : read.errors[0].ToString());
  std::vector<Json> out;
  for (const Document& document : read.documents) out.push_back(document.value);
  return out;
}

// The single document of a YAML text.
inline Json Yaml(std::string_view yaml) {
  std::vector<Json> documents = Documents(yaml);
  EXPECT_EQ(documents.size(), 1u);
  return documents.empty() ? Json() : documents[0];
}

// The documents of a file under the repository root.
inline std::vector<Json> RepoFile(const std::string& relative) {
  std::ifstream in(std::string(KARPENTER_SOURCE_DIR) + "/" + relative);
  EXPECT_TRUE(in.good()) << relative;
  std::stringstream text;
  text << in.rdbuf();
  return Documents(text.str());
}

// "pointer: message" for each error, to compare whole error lists at once.
inline std::vector<std::string> Describe(const FieldErrors& errors) {
  std::vector<std::string> out;
  for (const FieldError& error : errors) out.push_back(error.pointer + ": " + error.message);
  return out;
}

}  // namespace karpenter::api::karpenter_codec_testing

// Compares as pretty JSON so a failure shows a readable diff; key order matters.
#ifndef EXPECT_JSON_EQ
#define EXPECT_JSON_EQ(actual, expected) EXPECT_EQ((actual).dump(2), (expected).dump(2))
#endif
