// The Scenario document: metadata, spec fields and the initial objects. The steps are parsed
// in scenario_steps.cc.
#include "sim/scenario.h"

#include <filesystem>
#include <utility>

#include "api/codec/field_reader.h"
#include "api/kinds.h"
#include "core/duration.h"
#include "sim/internal/scenario_parser.h"

namespace karpenter::sim {
namespace internal {

std::string Child(const std::string& pointer, std::string_view segment) {
  return pointer + "/" + api::EscapePointerSegment(segment);
}

std::string Child(const std::string& pointer, size_t index) {
  return pointer + "/" + std::to_string(index);
}

void ScenarioParser::Error(const std::string& pointer, std::string message,
                           api::Severity severity) {
  api::Diagnostic d;
  d.severity = severity;
  d.file = doc_.file;
  const api::SourcePosition position = doc_.PositionOf(pointer);
  d.line = position.line;
  d.column = position.column;
  d.object = object_;
  d.field = api::FieldPathFromPointer(pointer);
  d.message = std::move(message);
  diagnostics_.push_back(std::move(d));
}

bool ScenarioParser::CheckKeys(const api::Json& value, const std::string& pointer,
                               std::initializer_list<std::string_view> allowed) {
  if (!value.is_object()) {
    Error(pointer, "must be a map, not " + value.dump());
    return false;
  }
  for (const auto& [key, item] : value.items()) {
    bool known = false;
    for (std::string_view name : allowed) known = known || key == name;
    if (known) continue;
    std::string names;
    for (std::string_view name : allowed) names += (names.empty() ? "" : ", ") + std::string(name);
    Error(Child(pointer, key), "unknown field \"" + key + "\" (expected one of: " + names + ")");
  }
  return true;
}

std::optional<core::Duration> ScenarioParser::Duration(const api::Json& value,
                                                       const std::string& pointer) {
  if (value.is_number_integer()) {
    if (value.get<int64_t>() < 0) {
      Error(pointer, "must not be negative");
      return std::nullopt;
    }
    return std::chrono::seconds(value.get<int64_t>());
  }
  if (!value.is_string()) {
    Error(pointer, "must be a duration such as \"90s\" or \"1h30m\", not " + value.dump());
    return std::nullopt;
  }
  auto parsed = core::ParseGoDuration(value.get<std::string>());
  if (!parsed) {
    Error(pointer, parsed.error().message);
    return std::nullopt;
  }
  if (parsed->count() < 0) {
    Error(pointer, "must not be negative");
    return std::nullopt;
  }
  return std::chrono::duration_cast<core::Duration>(*parsed);
}

std::optional<int64_t> ScenarioParser::Integer(const api::Json& value, const std::string& pointer,
                                               int64_t min) {
  if (!value.is_number_integer()) {
    Error(pointer, "must be an integer, not " + value.dump());
    return std::nullopt;
  }
  const int64_t number = value.get<int64_t>();
  if (number < min) {
    Error(pointer, "must be at least " + std::to_string(min));
    return std::nullopt;
  }
  return number;
}

std::optional<std::string> ScenarioParser::String(const api::Json& value,
                                                  const std::string& pointer) {
  if (!value.is_string() || value.get<std::string>().empty()) {
    Error(pointer, "must be a non-empty string, not " + value.dump());
    return std::nullopt;
  }
  return value.get<std::string>();
}

api::Document ScenarioParser::SubDocument(const api::Json& value,
                                          const std::string& pointer) const {
  api::Document sub;
  sub.file = doc_.file;
  sub.index = doc_.index;
  sub.value = value;
  for (const auto& [key, position] : doc_.positions) {
    if (key == pointer) {
      sub.positions.emplace("", position);
    } else if (key.size() > pointer.size() && key.starts_with(pointer) &&
               key[pointer.size()] == '/') {
      sub.positions.emplace(key.substr(pointer.size()), position);
    }
  }
  return sub;
}

std::vector<api::Document> ScenarioParser::Manifests(const api::Json& list,
                                                     const std::string& pointer) {
  std::vector<api::Document> documents;
  if (!list.is_array()) {
    Error(pointer, "must be a list of file paths or manifests, not " + list.dump());
    return documents;
  }
  const std::filesystem::path base = std::filesystem::path(doc_.file).parent_path();
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string item = Child(pointer, i);
    if (list[i].is_object()) {
      documents.push_back(SubDocument(list[i], item));
      continue;
    }
    std::optional<std::string> path = String(list[i], item);
    if (!path) continue;
    std::filesystem::path resolved(*path);
    if (resolved.is_relative()) resolved = base / resolved;
    api::ReadResult read = read_(resolved.lexically_normal().string());
    for (api::Diagnostic& d : read.errors) diagnostics_.push_back(std::move(d));
    if (read.documents.empty() && read.errors.empty()) {
      Error(item, "no manifests in \"" + resolved.string() + "\"", api::Severity::kWarning);
    }
    for (api::Document& doc : read.documents) documents.push_back(std::move(doc));
  }
  return documents;
}

Objects ScenarioParser::Load(const std::vector<api::Document>& documents) {
  LoadedObjects loaded = LoadObjects(documents);
  for (api::Diagnostic& d : loaded.diagnostics) diagnostics_.push_back(std::move(d));
  return std::move(loaded.objects);
}

}  // namespace internal

namespace {

bool IsScenario(const api::Json& value) {
  return value.is_object() && api::StringMember(value, "kind") == kScenarioKind;
}

api::Diagnostic FileError(const std::string& file, std::string message) {
  api::Diagnostic d;
  d.file = file;
  d.message = std::move(message);
  return d;
}

std::optional<core::Time> ParseStart(internal::ScenarioParser& parser, const api::Json& value,
                                     const std::string& pointer) {
  api::Json holder = {{"start", value}};
  api::FieldErrors errors;
  api::codec::FieldReader reader(&holder, "", &errors);
  std::optional<int64_t> seconds = reader.Timestamp("start");
  if (!seconds || !errors.empty()) {
    parser.Error(pointer,
                 "must be an RFC 3339 time such as \"2024-01-01T00:00:00Z\", not " + value.dump());
    return std::nullopt;
  }
  return core::Time(std::chrono::seconds(*seconds));
}

// spec.duration, spec.start, spec.region, spec.sampleEvery.
void ParseSettings(internal::ScenarioParser& parser, const api::Json& spec, Scenario& scenario) {
  if (!spec.contains("duration")) {
    parser.Error("/spec", "duration is required (how much virtual time to run, e.g. \"30m\")");
  } else if (auto duration = parser.Duration(spec["duration"], "/spec/duration")) {
    if (duration->count() == 0) parser.Error("/spec/duration", "must be longer than 0s");
    scenario.duration = *duration;
  }
  if (spec.contains("start")) {
    if (auto start = ParseStart(parser, spec["start"], "/spec/start")) scenario.start = *start;
  }
  if (spec.contains("region")) {
    if (auto region = parser.String(spec["region"], "/spec/region")) scenario.region = *region;
  }
  if (spec.contains("sampleEvery")) {
    if (auto every = parser.Duration(spec["sampleEvery"], "/spec/sampleEvery")) {
      if (*every < std::chrono::seconds(1)) {
        parser.Error("/spec/sampleEvery", "must be at least 1s");
      } else {
        scenario.sample_every = *every;
      }
    }
  }
}

}  // namespace

LoadedScenario ParseScenario(std::string_view text, const std::string& file,
                             const ManifestReader& read) {
  LoadedScenario result;
  api::ReadResult parsed = api::ReadYamlDocuments(text, file);
  result.diagnostics = std::move(parsed.errors);
  if (!result.diagnostics.empty()) return result;
  const api::Document* scenario_doc = nullptr;
  std::vector<api::Document> documents;  // the file's other documents: initial objects
  for (api::Document& doc : parsed.documents) {
    if (!IsScenario(doc.value)) {
      documents.push_back(std::move(doc));
    } else if (scenario_doc == nullptr) {
      scenario_doc = &doc;
    } else {
      result.diagnostics.push_back(FileError(file, "more than one Scenario document"));
    }
  }
  if (scenario_doc == nullptr) {
    result.diagnostics.push_back(
        FileError(file,
                  "no Scenario document (apiVersion: sim.karpenter-cpp.io/v1alpha1, "
                  "kind: Scenario)"));
    return result;
  }
  const api::Json& root = scenario_doc->value;
  Scenario scenario;
  scenario.file = file;
  scenario.start = core::Time(std::chrono::seconds(kDefaultScenarioStartSeconds));
  scenario.name = api::StringMember(root.value("metadata", api::Json::object()), "name");
  internal::ScenarioParser parser(*scenario_doc, "Scenario/" + scenario.name, read,
                                  result.diagnostics);
  parser.CheckKeys(root, "", {"apiVersion", "kind", "metadata", "spec"});
  if (api::StringMember(root, "apiVersion") != kScenarioApiVersion) {
    parser.Error("/apiVersion", "must be " + std::string(kScenarioApiVersion));
  }
  if (scenario.name.empty()) parser.Error("/metadata", "name is required");
  const api::Json spec = root.value("spec", api::Json());
  if (parser.CheckKeys(spec, "/spec",
                       {"duration", "start", "region", "sampleEvery", "objects", "steps"})) {
    ParseSettings(parser, spec, scenario);
    std::vector<api::Document> initial;
    if (spec.contains("objects")) initial = parser.Manifests(spec["objects"], "/spec/objects");
    for (api::Document& doc : documents) initial.push_back(std::move(doc));
    scenario.objects = parser.Load(initial);
    if (spec.contains("steps") && scenario.duration.count() > 0) {
      scenario.steps = parser.Steps(spec["steps"], "/spec/steps", scenario.duration);
    }
  }
  if (api::HasErrors(result.diagnostics)) return result;
  result.scenario = std::move(scenario);
  return result;
}

}  // namespace karpenter::sim
