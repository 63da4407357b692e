// The scenario parser's shared parts: reading typed fields of the Scenario document with
// diagnostics that name file:line and the field, and loading the manifests it refers to.
// Split over scenario.cc (the document, objects) and scenario_steps.cc (the steps).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/diagnostic.h"
#include "api/json.h"
#include "api/yaml_reader.h"
#include "sim/scenario.h"

namespace karpenter::sim::internal {

// "/spec/steps" + "0" -> "/spec/steps/0" (the segment escaped as RFC 6901 wants).
std::string Child(const std::string& pointer, std::string_view segment);
std::string Child(const std::string& pointer, size_t index);

class ScenarioParser {
 public:
  // `doc` is the Scenario document; `object` names it in messages ("Scenario/inflate").
  ScenarioParser(const api::Document& doc, std::string object, const ManifestReader& read,
                 std::vector<api::Diagnostic>& diagnostics)
      : doc_(doc), object_(std::move(object)), read_(read), diagnostics_(diagnostics) {}

  // Records an error (or warning) about the value at `pointer`.
  void Error(const std::string& pointer, std::string message,
             api::Severity severity = api::Severity::kError);

  // False (with an error) when `value` is not an object; otherwise reports every key not in
  // `allowed` and returns true.
  bool CheckKeys(const api::Json& value, const std::string& pointer,
                 std::initializer_list<std::string_view> allowed);
  // A duration: a Go duration string ("90s", "1h30m") or a whole number of seconds, >= 0.
  std::optional<core::Duration> Duration(const api::Json& value, const std::string& pointer);
  // An integer >= `min`.
  std::optional<int64_t> Integer(const api::Json& value, const std::string& pointer, int64_t min);
  // A non-empty string.
  std::optional<std::string> String(const api::Json& value, const std::string& pointer);

  // The documents of a list whose entries are paths (relative to the scenario's directory)
  // or manifests written inline.
  std::vector<api::Document> Manifests(const api::Json& list, const std::string& pointer);
  // Validates and decodes `documents` (LoadObjects), keeping its diagnostics.
  Objects Load(const std::vector<api::Document>& documents);

  // Every occurrence of spec.steps, sorted by time (stable).
  std::vector<ScenarioStep> Steps(const api::Json& steps, const std::string& pointer,
                                  core::Duration duration);

  const api::Document& doc() const { return doc_; }

 private:
  struct Repeat {
    core::Duration every;  // zero: the step runs once
    core::Duration until;
  };
  // The `every` and `until` of the step at `item` (which runs first at `at`); nullopt after
  // an error.
  std::optional<Repeat> Repetition(const api::Json& step, const std::string& item,
                                   core::Duration at, core::Duration duration);
  std::optional<StepAction> Action(const api::Json& step, const std::string& pointer);
  std::optional<StepAction> Scale(const api::Json& value, const std::string& pointer);
  std::optional<StepAction> Apply(const api::Json& value, const std::string& pointer);
  std::optional<StepAction> Delete(const api::Json& value, const std::string& pointer);
  std::optional<StepAction> Fault(const api::Json& value, const std::string& pointer);
  std::optional<StepAction> Expect(const api::Json& value, const std::string& pointer);
  std::optional<StepAction> InsufficientCapacity(const api::Json& value,
                                                 const std::string& pointer);
  std::optional<StepAction> Interrupt(const api::Json& value, const std::string& pointer);
  std::optional<StepAction> LaunchFailure(const api::Json& value, const std::string& pointer);
  std::optional<StepAction> NeverRegister(const api::Json& value, const std::string& pointer);
  std::optional<StepAction> SlowRegistration(const api::Json& value, const std::string& pointer);
  // An inline manifest at `pointer` as a document of its own, positions kept.
  api::Document SubDocument(const api::Json& value, const std::string& pointer) const;

  const api::Document& doc_;
  std::string object_;
  const ManifestReader& read_;
  std::vector<api::Diagnostic>& diagnostics_;
};

}  // namespace karpenter::sim::internal
