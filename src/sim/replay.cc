#include "sim/replay.h"

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "catalog/aws_catalog.h"
#include "catalog/custom_catalog.h"
#include "catalog/node_class_settings.h"
#include "sim/driver.h"
#include "sim/replay_recorder.h"
#include "sim/replay_steps.h"

namespace karpenter::sim {
namespace {

using CatalogPtr = std::shared_ptr<const catalog::Catalog>;

struct Catalogs {
  CatalogPtr fallback;
  std::map<std::string, CatalogPtr, std::less<>> by_node_class;
};

// Every EC2NodeClass of the scenario: the initial ones and those steps apply.
std::vector<const api::EC2NodeClass*> NodeClasses(const Scenario& scenario) {
  std::vector<const api::EC2NodeClass*> classes;
  for (const api::EC2NodeClass& node_class : scenario.objects.node_classes) {
    classes.push_back(&node_class);
  }
  for (const ScenarioStep& step : scenario.steps) {
    if (const auto* apply = std::get_if<ApplyAction>(&step.action)) {
      for (const api::EC2NodeClass& node_class : apply->objects.node_classes) {
        classes.push_back(&node_class);
      }
    }
  }
  return classes;
}

// The custom catalog of the InstanceType documents; else the region's AWS catalog for each
// EC2NodeClass's settings (NodeClasses with equal settings share one), the first of them also
// serving NodeClasses the scenario does not define.
Result<Catalogs> BuildCatalogs(const Scenario& scenario) {
  Catalogs catalogs;
  if (!scenario.objects.instance_types.empty()) {
    auto custom = catalog::CatalogFromDocuments(scenario.objects.instance_types);
    if (!custom) return std::unexpected(custom.error());
    catalogs.fallback = std::make_shared<const catalog::Catalog>(std::move(*custom));
    return catalogs;
  }
  std::vector<std::pair<catalog::NodeSettings, CatalogPtr>> loaded;
  for (const api::EC2NodeClass* node_class : NodeClasses(scenario)) {
    auto settings = catalog::NodeSettingsFromNodeClass(*node_class);
    if (!settings) return std::unexpected(settings.error());
    auto same =
        std::ranges::find(loaded, *settings, &std::pair<catalog::NodeSettings, CatalogPtr>::first);
    if (same == loaded.end()) {
      auto aws = catalog::LoadAwsCatalog(scenario.region, {*settings, {}});
      if (!aws) return std::unexpected(aws.error());
      loaded.emplace_back(*settings, std::make_shared<const catalog::Catalog>(std::move(*aws)));
      same = std::prev(loaded.end());
    }
    catalogs.by_node_class.emplace(node_class->metadata.name, same->second);
    if (!catalogs.fallback) catalogs.fallback = same->second;
  }
  if (!catalogs.fallback) {
    auto aws = catalog::LoadAwsCatalog(scenario.region);
    if (!aws) return std::unexpected(aws.error());
    catalogs.fallback = std::make_shared<const catalog::Catalog>(std::move(*aws));
  }
  return catalogs;
}

size_t Count(const Objects& o) {
  return o.node_pools.size() + o.node_classes.size() + o.node_claims.size() + o.nodes.size() +
         o.pods.size() + o.deployments.size() + o.replica_sets.size() + o.stateful_sets.size() +
         o.daemon_sets.size() + o.pod_disruption_budgets.size() + o.namespaces.size() +
         o.priority_classes.size() + o.persistent_volume_claims.size() +
         o.persistent_volumes.size() + o.storage_classes.size() + o.instance_types.size();
}

class Run {
 public:
  Run(const Scenario& scenario, const ReplayOptions& options, Catalogs catalogs)
      : scenario_(scenario),
        driver_(DriverOptions{scenario.start, std::move(catalogs.fallback),
                              std::move(catalogs.by_node_class), options.controllers}),
        recorder_(driver_, report_) {
    report_.scenario = scenario.name;
    report_.file = scenario.file;
    report_.start = scenario.start;
    report_.duration = scenario.duration;
    report_.sample_every = scenario.sample_every;
    report_.invariants_checked = options.check_invariants;
    if (options.check_invariants) {
      checker_.emplace(driver_.cluster(), driver_.cloud(), driver_.clock(), options.invariants);
      if (const auto* disruption = driver_.controllers().disruption) {
        checker_->WatchDisruptions(disruption->history());
      }
    }
    driver_.SetObserver([this](core::Time) { Settled(); });
  }

  ReplayReport Execute() {
    Carry("step", fmt::format("create the initial objects ({})", Count(scenario_.objects)),
          ApplyObjects(driver_.cluster(), scenario_.objects));
    size_t next_step = 0;
    core::Duration next_sample{};
    while (!report_.error) {
      core::Duration at = std::min(next_sample, scenario_.duration);
      if (next_step < scenario_.steps.size()) at = std::min(at, scenario_.steps[next_step].at);
      if (!Ok(driver_.AdvanceTo(scenario_.start + at))) break;
      size_t end = next_step;
      while (end < scenario_.steps.size() && scenario_.steps[end].at == at) ++end;
      for (size_t i = next_step; i < end; ++i) {
        const ScenarioStep& step = scenario_.steps[i];
        if (IsCheck(step.action)) continue;
        const bool fault = !std::holds_alternative<ScaleAction>(step.action) &&
                           !std::holds_alternative<ApplyAction>(step.action) &&
                           !std::holds_alternative<DeleteAction>(step.action);
        Carry(fault ? "fault" : "step", DescribeAction(step.action) + " (" + step.source + ")",
              ApplyStep(driver_, step.action));
      }
      if (!Ok(driver_.Settle())) break;
      for (size_t i = next_step; i < end; ++i) {
        if (const auto* expect = std::get_if<ExpectAction>(&scenario_.steps[i].action)) {
          Expect(scenario_.steps[i], *expect);
        }
      }
      next_step = end;
      if (at == next_sample || at == scenario_.duration) {
        recorder_.Sample();
        if (at == next_sample) next_sample += scenario_.sample_every;
      }
      if (at >= scenario_.duration) break;
    }
    recorder_.Finish();
    ReplaySummary& summary = report_.summary;
    summary.interruptions = interruptions_;
    summary.errors = errors_ + (report_.error ? 1 : 0);
    if (checker_) report_.violations = checker_->violations();
    summary.invariant_violations = report_.violations.size();
    for (const ExpectationOutcome& outcome : report_.expectations) {
      ++(outcome.passed ? summary.expectations_passed : summary.expectations_failed);
    }
    return std::move(report_);
  }

 private:
  void Settled() {
    recorder_.OnSettled();
    if (!checker_) return;
    for (const InvariantViolation& violation : checker_->Check()) {
      recorder_.Note("invariant", violation.invariant + ": " + violation.message);
    }
  }

  bool Ok(const Result<void>& result) {
    if (result) return true;
    report_.error = result.error().message;
    recorder_.Note("error", result.error().message);
    return false;
  }

  void Carry(const std::string& kind, const std::string& what, const StepOutcome& outcome) {
    recorder_.Note(kind, what);
    for (const std::string& note : outcome.notes) recorder_.Note(kind, note);
    for (const std::string& error : outcome.errors) recorder_.Note("error", error);
    errors_ += outcome.errors.size();
    interruptions_ += outcome.interruptions;
  }

  void Expect(const ScenarioStep& step, const ExpectAction& expect) {
    const TimelineSample now = recorder_.Snapshot();
    for (const Check& check : expect.checks) {
      const double actual = recorder_.Measure(check, now);
      const bool passed = check.Passes(actual);
      report_.expectations.push_back({step.at, step.source, check.ToString(), actual, passed});
      recorder_.Note("expect", passed ? fmt::format("ok: {}", check.ToString())
                                      : fmt::format("FAILED: {}, actual {:g} ({})",
                                                    check.ToString(), actual, step.source));
    }
  }

  const Scenario& scenario_;
  ReplayReport report_;
  Driver driver_;
  ReplayRecorder recorder_;
  std::optional<InvariantChecker> checker_;
  size_t errors_ = 0;
  size_t interruptions_ = 0;
};

}  // namespace

Result<ReplayReport> RunScenario(const Scenario& scenario, const ReplayOptions& options) {
  auto catalogs = BuildCatalogs(scenario);
  if (!catalogs) return std::unexpected(catalogs.error());
  Run run(scenario, options, std::move(*catalogs));
  return run.Execute();
}

}  // namespace karpenter::sim
