#include "api/yaml_writer.h"

#include <yaml-cpp/emitter.h>
#include <yaml-cpp/emittermanip.h>

#include <cmath>
#include <string>

#include "api/internal/yaml_scalar.h"

namespace karpenter::api {
namespace {

void EmitString(YAML::Emitter& out, const std::string& text) {
  if (text.find('\n') != std::string::npos) {
    out << YAML::Literal << text;
  } else if (internal::PlainScalarNeedsQuotes(text)) {
    out << YAML::DoubleQuoted << text;
  } else {
    out << text;
  }
}

// Numbers are written in the shortest form that reads back exactly (nlohmann's dump does
// that); a float that happens to be integral keeps its ".0" so it stays a float.
void EmitNumber(YAML::Emitter& out, const Json& value) { out << value.dump(); }

void Emit(YAML::Emitter& out, const Json& value) {
  switch (value.type()) {
    case Json::value_t::object:
      if (value.empty()) {
        out << YAML::Flow << YAML::BeginMap << YAML::EndMap;
        return;
      }
      out << YAML::BeginMap;
      for (const auto& [key, child] : value.items()) {
        out << YAML::Key;
        EmitString(out, key);
        out << YAML::Value;
        Emit(out, child);
      }
      out << YAML::EndMap;
      return;
    case Json::value_t::array:
      if (value.empty()) {
        out << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
        return;
      }
      out << YAML::BeginSeq;
      for (const auto& child : value) Emit(out, child);
      out << YAML::EndSeq;
      return;
    case Json::value_t::string:
      EmitString(out, value.get_ref<const std::string&>());
      return;
    case Json::value_t::boolean:
      out << (value.get<bool>() ? "true" : "false");
      return;
    case Json::value_t::null:
      out << YAML::Null;
      return;
    default:
      EmitNumber(out, value);
      return;
  }
}

}  // namespace

std::string WriteYaml(const Json& document) {
  YAML::Emitter out;
  out.SetIndent(2);
  out.SetSeqFormat(YAML::Block);
  out.SetMapFormat(YAML::Block);
  Emit(out, document);
  std::string text = out.c_str();
  if (text.empty() || text.back() != '\n') text.push_back('\n');
  return text;
}

std::string WriteYamlDocuments(const std::vector<Json>& documents) {
  std::string text;
  for (std::size_t i = 0; i < documents.size(); ++i) {
    if (i > 0) text += "---\n";
    text += WriteYaml(documents[i]);
  }
  return text;
}

}  // namespace karpenter::api
