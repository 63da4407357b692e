// The steps of a Scenario: when they run, and what each does.
#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "api/kinds.h"
#include "sim/internal/scenario_parser.h"

namespace karpenter::sim {
namespace internal {
namespace {

constexpr std::string_view kDefaultNamespace = "default";

// The kinds a step may delete, and whether they are namespaced.
struct DeletableKind {
  std::string_view kind;
  bool namespaced;
};
constexpr DeletableKind kDeletableKinds[] = {
    {"Pod", true},           {"Deployment", true}, {"ReplicaSet", true},
    {"StatefulSet", true},   {"DaemonSet", true},  {"PodDisruptionBudget", true},
    {"Node", false},         {"NodeClaim", false}, {"NodePool", false},
    {"EC2NodeClass", false}, {"Namespace", false}, {"PriorityClass", false},
};

constexpr std::string_view kCheckNames[] = {
    "nodes",       "readyNodes",  "nodeClaims",        "instances",         "pods",
    "pendingPods", "runningPods", "evictions",         "costPerHour",       "totalCost",
    "disruptions", "expirations", "pendingSecondsP50", "pendingSecondsP99", "pendingSecondsMax",
};

// The checks whose bound may name a Deployment.
bool TakesDeployment(std::string_view name) { return name.starts_with("pendingSeconds"); }

// "ns/name" or "name" (namespace default).
ObjectRef SplitNamespaced(std::string kind, const std::string& text) {
  const size_t slash = text.find('/');
  if (slash == std::string::npos) return {std::move(kind), std::string(kDefaultNamespace), text};
  return {std::move(kind), text.substr(0, slash), text.substr(slash + 1)};
}

}  // namespace

std::optional<StepAction> ScenarioParser::Scale(const api::Json& value,
                                                const std::string& pointer) {
  if (!CheckKeys(value, pointer, {"deployment", "replicaSet", "replicas"})) return std::nullopt;
  const bool deployment = value.contains("deployment");
  if (deployment == value.contains("replicaSet")) {
    Error(pointer, "name exactly one of deployment or replicaSet (\"namespace/name\")");
    return std::nullopt;
  }
  const std::string key = deployment ? "deployment" : "replicaSet";
  std::optional<std::string> target = String(value[key], Child(pointer, key));
  if (!value.contains("replicas")) {
    Error(pointer, "replicas is required");
    return std::nullopt;
  }
  std::optional<int64_t> replicas = Integer(value["replicas"], Child(pointer, "replicas"), 0);
  if (!target || !replicas) return std::nullopt;
  if (*replicas > INT32_MAX) {
    Error(Child(pointer, "replicas"), "is too large");
    return std::nullopt;
  }
  return ScaleAction{SplitNamespaced(deployment ? "Deployment" : "ReplicaSet", *target),
                     static_cast<int32_t>(*replicas)};
}

std::optional<StepAction> ScenarioParser::Apply(const api::Json& value,
                                                const std::string& pointer) {
  std::vector<api::Document> documents = Manifests(value, pointer);
  ApplyAction apply;
  for (const api::Document& doc : documents) {
    apply.names.push_back(api::DescribeObject(doc.value));
  }
  apply.objects = Load(documents);
  return apply;
}

std::optional<StepAction> ScenarioParser::Delete(const api::Json& value,
                                                 const std::string& pointer) {
  if (!value.is_array()) {
    Error(pointer, "must be a list of {kind, namespace, name}, not " + value.dump());
    return std::nullopt;
  }
  DeleteAction action;
  bool ok = true;
  for (size_t i = 0; i < value.size(); ++i) {
    const std::string item = Child(pointer, i);
    if (!CheckKeys(value[i], item, {"kind", "namespace", "name"})) {
      ok = false;
      continue;
    }
    std::optional<std::string> kind =
        String(value[i].value("kind", api::Json()), Child(item, "kind"));
    std::optional<std::string> name =
        String(value[i].value("name", api::Json()), Child(item, "name"));
    if (!kind || !name) {
      ok = false;
      continue;
    }
    auto known = std::ranges::find(kDeletableKinds, *kind, &DeletableKind::kind);
    if (known == std::end(kDeletableKinds)) {
      Error(Child(item, "kind"), "cannot delete kind \"" + *kind + "\"");
      ok = false;
      continue;
    }
    ObjectRef target{*kind, "", *name};
    if (value[i].contains("namespace")) {
      std::optional<std::string> ns = String(value[i]["namespace"], Child(item, "namespace"));
      if (!known->namespaced) {
        Error(Child(item, "namespace"), *kind + " is cluster-scoped: it has no namespace");
        ok = false;
        continue;
      }
      if (ns) target.namespace_ = *ns;
    } else if (known->namespaced) {
      target.namespace_ = std::string(kDefaultNamespace);
    }
    action.targets.push_back(std::move(target));
  }
  if (!ok) return std::nullopt;
  return action;
}

std::optional<StepAction> ScenarioParser::InsufficientCapacity(const api::Json& value,
                                                               const std::string& pointer) {
  if (!CheckKeys(value, pointer, {"instanceType", "zone", "capacityType", "clear"})) {
    return std::nullopt;
  }
  InsufficientCapacityFault fault;
  std::optional<std::string> type =
      String(value.value("instanceType", api::Json()), Child(pointer, "instanceType"));
  std::optional<std::string> zone =
      String(value.value("zone", api::Json()), Child(pointer, "zone"));
  std::optional<std::string> capacity =
      String(value.value("capacityType", api::Json()), Child(pointer, "capacityType"));
  if (!type || !zone || !capacity) return std::nullopt;
  std::optional<catalog::CapacityType> parsed = catalog::ParseCapacityType(*capacity);
  if (!parsed) {
    Error(Child(pointer, "capacityType"), "must be spot, on-demand or reserved");
    return std::nullopt;
  }
  if (value.contains("clear")) {
    if (!value["clear"].is_boolean()) {
      Error(Child(pointer, "clear"), "must be true or false");
      return std::nullopt;
    }
    fault.clear = value["clear"].get<bool>();
  }
  fault.instance_type = *type;
  fault.zone = *zone;
  fault.capacity_type = *parsed;
  return fault;
}

std::optional<StepAction> ScenarioParser::Interrupt(const api::Json& value,
                                                    const std::string& pointer) {
  if (!CheckKeys(value, pointer, {"nodes", "node"})) return std::nullopt;
  if (value.contains("nodes") == value.contains("node")) {
    Error(pointer, "name exactly one of nodes (how many spot instances) or node (a Node's name)");
    return std::nullopt;
  }
  InterruptFault fault;
  if (value.contains("node")) {
    std::optional<std::string> node = String(value["node"], Child(pointer, "node"));
    if (!node) return std::nullopt;
    fault.node = *node;
    return fault;
  }
  std::optional<int64_t> nodes = Integer(value["nodes"], Child(pointer, "nodes"), 1);
  if (!nodes) return std::nullopt;
  fault.nodes = static_cast<int>(std::min<int64_t>(*nodes, INT32_MAX));
  return fault;
}

std::optional<StepAction> ScenarioParser::Fault(const api::Json& value,
                                                const std::string& pointer) {
  const size_t errors_before = diagnostics_.size();
  if (!CheckKeys(value, pointer,
                 {"insufficientCapacity", "launchFailure", "neverRegister", "slowRegistration",
                  "interrupt"}) ||
      diagnostics_.size() != errors_before) {
    return std::nullopt;  // not a map, or a fault it does not know
  }
  if (value.size() != 1) {
    Error(pointer, "name exactly one fault");
    return std::nullopt;
  }
  const std::string key = value.begin().key();
  const api::Json& body = value.begin().value();
  const std::string at = Child(pointer, key);
  if (key == "insufficientCapacity") return InsufficientCapacity(body, at);
  if (key == "interrupt") return Interrupt(body, at);
  if (key == "launchFailure") return LaunchFailure(body, at);
  if (key == "neverRegister") return NeverRegister(body, at);
  return SlowRegistration(body, at);
}

std::optional<StepAction> ScenarioParser::LaunchFailure(const api::Json& body,
                                                        const std::string& at) {
  if (!CheckKeys(body, at, {"count", "message"})) return std::nullopt;
  LaunchFailureFault fault;
  if (body.contains("count")) {
    std::optional<int64_t> count = Integer(body["count"], Child(at, "count"), 1);
    if (!count) return std::nullopt;
    fault.count = static_cast<int>(std::min<int64_t>(*count, INT32_MAX));
  }
  if (body.contains("message")) {
    std::optional<std::string> message = String(body["message"], Child(at, "message"));
    if (!message) return std::nullopt;
    fault.message = *message;
  }
  return fault;
}

std::optional<StepAction> ScenarioParser::NeverRegister(const api::Json& body,
                                                        const std::string& at) {
  if (!CheckKeys(body, at, {"count", "nodeClaim"})) return std::nullopt;
  if (body.contains("count") == body.contains("nodeClaim")) {
    Error(at, "name exactly one of count (the next launches) or nodeClaim (a NodeClaim's name)");
    return std::nullopt;
  }
  NeverRegisterFault fault;
  if (body.contains("nodeClaim")) {
    std::optional<std::string> claim = String(body["nodeClaim"], Child(at, "nodeClaim"));
    if (!claim) return std::nullopt;
    fault.node_claim = *claim;
    return fault;
  }
  std::optional<int64_t> count = Integer(body["count"], Child(at, "count"), 1);
  if (!count) return std::nullopt;
  fault.count = static_cast<int>(std::min<int64_t>(*count, INT32_MAX));
  return fault;
}

std::optional<StepAction> ScenarioParser::SlowRegistration(const api::Json& body,
                                                           const std::string& at) {
  if (!CheckKeys(body, at, {"delay"})) return std::nullopt;
  if (!body.contains("delay")) {
    Error(at, "delay is required");
    return std::nullopt;
  }
  std::optional<core::Duration> delay = Duration(body["delay"], Child(at, "delay"));
  if (!delay) return std::nullopt;
  return SlowRegistrationFault{*delay};
}

std::optional<StepAction> ScenarioParser::Expect(const api::Json& value,
                                                 const std::string& pointer) {
  if (!value.is_object()) {
    Error(pointer, "must be a map of checks such as {nodes: 1, pendingPods: 0}");
    return std::nullopt;
  }
  ExpectAction expect;
  bool ok = true;
  for (const auto& [name, bound] : value.items()) {
    const std::string at = Child(pointer, name);
    if (std::ranges::find(kCheckNames, name) == std::end(kCheckNames)) {
      std::string names;
      for (std::string_view known : kCheckNames) {
        names += (names.empty() ? "" : ", ") + std::string(known);
      }
      Error(at, "unknown check \"" + name + "\" (expected one of: " + names + ")");
      ok = false;
      continue;
    }
    Check check{name, std::nullopt, std::nullopt, ""};
    if (bound.is_number()) {
      check.min = check.max = bound.get<double>();
    } else if (bound.is_object()) {
      const bool keyed = TakesDeployment(name);
      const bool keys_ok = keyed ? CheckKeys(bound, at, {"min", "max", "deployment"})
                                 : CheckKeys(bound, at, {"min", "max"});
      if (!keys_ok) {
        ok = false;
        continue;
      }
      if (keyed && bound.contains("deployment")) {
        std::optional<std::string> target = String(bound["deployment"], Child(at, "deployment"));
        if (!target) {
          ok = false;
          continue;
        }
        const ObjectRef ref = SplitNamespaced("Deployment", *target);
        check.deployment = ref.namespace_ + "/" + ref.name;
      }
      for (const char* key : {"min", "max"}) {
        if (!bound.contains(key)) continue;
        if (!bound[key].is_number()) {
          Error(Child(at, key), "must be a number, not " + bound[key].dump());
          ok = false;
          continue;
        }
        (std::string_view(key) == "min" ? check.min : check.max) = bound[key].get<double>();
      }
      if (!check.min && !check.max) {
        Error(at, "name min, max or both");
        ok = false;
        continue;
      }
      if (check.min && check.max && *check.min > *check.max) {
        Error(at, "min is larger than max");
        ok = false;
        continue;
      }
    } else {
      Error(at,
            "must be a number, or {min: N, max: N} (either may be left out), not " + bound.dump());
      ok = false;
      continue;
    }
    expect.checks.push_back(std::move(check));
  }
  if (!ok) return std::nullopt;
  if (expect.checks.empty()) {
    Error(pointer, "expects nothing: name at least one check");
    return std::nullopt;
  }
  return expect;
}

std::optional<StepAction> ScenarioParser::Action(const api::Json& step,
                                                 const std::string& pointer) {
  static constexpr std::string_view kActions[] = {"scale", "apply", "delete", "fault", "expect"};
  std::vector<std::string> present;
  for (std::string_view action : kActions) {
    if (step.contains(action)) present.emplace_back(action);
  }
  if (present.size() != 1) {
    Error(pointer, present.empty()
                       ? "says nothing to do: add one of scale, apply, delete, fault, expect"
                       : "does more than one thing (" +
                             fmt::format("{}", fmt::join(present, ", ")) +
                             "): write one step each");
    return std::nullopt;
  }
  const std::string& key = present.front();
  const api::Json& body = step[key];
  const std::string at = Child(pointer, key);
  if (key == "scale") return Scale(body, at);
  if (key == "apply") return Apply(body, at);
  if (key == "delete") return Delete(body, at);
  if (key == "fault") return Fault(body, at);
  return Expect(body, at);
}

std::optional<ScenarioParser::Repeat> ScenarioParser::Repetition(const api::Json& step,
                                                                 const std::string& item,
                                                                 core::Duration at,
                                                                 core::Duration duration) {
  Repeat repeat{core::Duration::zero(), duration};
  if (step.contains("until")) {
    std::optional<core::Duration> until = Duration(step["until"], Child(item, "until"));
    if (!until) return std::nullopt;
    if (*until > duration || *until < at) {
      Error(Child(item, "until"), "must lie between at and spec.duration");
      return std::nullopt;
    }
    repeat.until = *until;
  }
  if (!step.contains("every")) {
    if (!step.contains("until")) return repeat;
    Error(Child(item, "until"), "needs every (until ends a repeating step)");
    return std::nullopt;
  }
  std::optional<core::Duration> every = Duration(step["every"], Child(item, "every"));
  if (!every) return std::nullopt;
  if (*every < std::chrono::seconds(1)) {
    Error(Child(item, "every"), "must be at least 1s");
    return std::nullopt;
  }
  if ((repeat.until - at) / *every >= kMaxStepRepeats) {
    Error(Child(item, "every"),
          fmt::format("repeats the step more than {} times", kMaxStepRepeats));
    return std::nullopt;
  }
  repeat.every = *every;
  return repeat;
}

std::vector<ScenarioStep> ScenarioParser::Steps(const api::Json& steps, const std::string& pointer,
                                                core::Duration duration) {
  std::vector<ScenarioStep> out;
  if (!steps.is_array()) {
    Error(pointer, "must be a list of steps, not " + steps.dump());
    return out;
  }
  for (size_t i = 0; i < steps.size(); ++i) {
    const std::string item = Child(pointer, i);
    if (!CheckKeys(steps[i], item,
                   {"at", "every", "until", "scale", "apply", "delete", "fault", "expect"})) {
      continue;
    }
    if (!steps[i].contains("at")) {
      Error(item, "at is required (when the step runs, after the start, e.g. \"90s\")");
      continue;
    }
    std::optional<core::Duration> at = Duration(steps[i]["at"], Child(item, "at"));
    std::optional<StepAction> action = Action(steps[i], item);
    if (!at || !action) continue;
    if (*at > duration) {
      Error(Child(item, "at"), "is after the end of the scenario (spec.duration)");
      continue;
    }
    std::optional<Repeat> repeat = Repetition(steps[i], item, *at, duration);
    if (!repeat) continue;
    const api::SourcePosition position = doc().PositionOf(item);
    const std::string source = fmt::format("{}:{}", doc().file, position.line);
    for (core::Duration time = *at; time <= repeat->until; time += repeat->every) {
      out.push_back({time, source, static_cast<int>(i), *action});
      if (repeat->every.count() == 0) break;
    }
  }
  std::ranges::stable_sort(out, {}, &ScenarioStep::at);
  return out;
}

}  // namespace internal

}  // namespace karpenter::sim
