// Scenario: what `karpenter replay` runs. A `sim.karpenter-cpp.io/v1alpha1` Scenario document
// names the initial objects (files, or manifests written inline) and timed steps: scale a
// workload, apply or delete objects, inject a cloud fault, expect something of the cluster.
// The format is a contract, documented in docs/scenarios.md.
//
// Parsing reads no file itself: referenced manifests come through a ManifestReader, so the
// layer stays testable and the command line decides how files are read. Every problem is a
// Diagnostic naming file:line, the step and the field; a scenario with an error is not run.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "api/diagnostic.h"
#include "api/yaml_reader.h"
#include "catalog/offering.h"
#include "core/clock.h"
#include "sim/objects.h"

namespace karpenter::sim {

inline constexpr std::string_view kScenarioApiVersion = "sim.karpenter-cpp.io/v1alpha1";
inline constexpr std::string_view kScenarioKind = "Scenario";
// Where virtual time starts unless spec.start says otherwise (2024-01-01T00:00:00Z): a fixed
// instant, so a replay is the same every time.
inline constexpr int64_t kDefaultScenarioStartSeconds = 1'704'067'200;
// A repeating step (`every`) may run at most this many times.
inline constexpr int kMaxStepRepeats = 100'000;

// Reads the manifests at `path` (a file, or a directory of them): the documents, and errors
// naming file:line.
using ManifestReader = std::function<api::ReadResult(const std::string& path)>;

// A reference to one stored object.
struct ObjectRef {
  std::string kind;        // "Deployment", "NodePool", ...
  std::string namespace_;  // "" for cluster-scoped kinds
  std::string name;
};

// Sets the replicas of a Deployment or ReplicaSet.
struct ScaleAction {
  ObjectRef target;
  int32_t replicas = 0;
};

// Creates the objects, or replaces those that exist (spec and metadata; status is kept).
struct ApplyAction {
  Objects objects;
  std::vector<std::string> names;  // "Deployment/default/web", in the order written
};

// Deletes the objects (background propagation, as kubectl delete).
struct DeleteAction {
  std::vector<ObjectRef> targets;
};

// Launches of the offering fail with insufficient capacity from now on (or, with `clear`, no
// longer do).
struct InsufficientCapacityFault {
  std::string instance_type;
  std::string zone;
  catalog::CapacityType capacity_type = catalog::CapacityType::kSpot;
  bool clear = false;
};

// The next `count` launches fail (SimulatedCloud::FailNextLaunches).
struct LaunchFailureFault {
  int count = 1;
  std::string message = "simulated launch failure";
};

// The nodes of the next `count` launched instances never register; or, with `node_claim`, the
// node of that NodeClaim's instance never does.
struct NeverRegisterFault {
  int count = 0;
  std::string node_claim;
};

// Instances launched from now on register after `delay` (the default is 30 s).
struct SlowRegistrationFault {
  core::Duration delay{};
};

// Spot interruption warnings: for the `nodes` oldest live spot instances (by launch time, then
// id), or for the instance of Node `node`. Each instance is reclaimed two minutes later.
struct InterruptFault {
  int nodes = 0;
  std::string node;
};

// One expected quantity at a step's time: passes when min <= actual <= max (a bound left out
// does not limit). Names: nodes, readyNodes, nodeClaims, instances, pods, pendingPods,
// runningPods, evictions, costPerHour, totalCost, disruptions, expirations,
// pendingSecondsP50, pendingSecondsP99, pendingSecondsMax (docs/scenarios.md).
struct Check {
  std::string name;
  std::optional<double> min;
  std::optional<double> max;
  // For the pendingSeconds checks: only the pods of this Deployment ("namespace/name"); empty
  // for every pod.
  std::string deployment;

  bool Passes(double actual) const {
    return (!min || actual >= *min - 1e-9) && (!max || actual <= *max + 1e-9);
  }
  // "nodes = 1", "pendingPods <= 0", "costPerHour in [0.1, 0.5]".
  std::string ToString() const;
};

struct ExpectAction {
  std::vector<Check> checks;
};

using StepAction = std::variant<ScaleAction, ApplyAction, DeleteAction, InsufficientCapacityFault,
                                LaunchFailureFault, NeverRegisterFault, SlowRegistrationFault,
                                InterruptFault, ExpectAction>;

// One occurrence of a step (a repeating step gives one per repeat).
struct ScenarioStep {
  core::Duration at{};  // after the scenario's start
  std::string source;   // "file:line" of the step, for messages
  int index = 0;        // its position in spec.steps (0-based)
  StepAction action;
};

struct Scenario {
  std::string name;
  std::string file;
  core::Time start;
  core::Duration duration{};
  // The timeline samples the cluster this often (and at the end).
  core::Duration sample_every = std::chrono::minutes(1);
  // The built-in AWS catalog's region, unless InstanceType documents give a custom catalog.
  std::string region = "us-east-1";
  // The objects the cluster starts with (spec.objects, then the file's other documents).
  Objects objects;
  // Every occurrence, by time, then in the order written.
  std::vector<ScenarioStep> steps;
};

struct LoadedScenario {
  std::optional<Scenario> scenario;  // nullopt when a diagnostic is an error
  std::vector<api::Diagnostic> diagnostics;
};

// Parses the scenario in `text` (the content of `file`). Relative paths in it are relative to
// the directory of `file`; `read` reads them.
LoadedScenario ParseScenario(std::string_view text, const std::string& file,
                             const ManifestReader& read);

// What a step does, in a few words: "scale Deployment default/inflate to 5 replicas".
std::string DescribeAction(const StepAction& action);
// True for steps that only look (expect), false for those that change the world.
bool IsCheck(const StepAction& action);

}  // namespace karpenter::sim
