// The replay report as JSON (the contract of docs/scenarios.md) and as a table.
#include "sim/replay_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "api/codec/field_writer.h"
#include "core/duration.h"

namespace karpenter::sim {
namespace {

// Rounded to a hundredth of a cent, so JSON shows no float noise and agrees with the table.
double Money(double value) { return std::round(value * 1e4) / 1e4; }

// Seconds as a JSON number: an integer when whole (virtual time mostly is).
api::Json Seconds(core::Duration duration) {
  const double seconds = std::chrono::duration<double>(duration).count();
  if (seconds == std::floor(seconds)) return static_cast<int64_t>(seconds);
  return seconds;
}

api::Json CountMap(const std::map<std::string, int>& counts) {
  api::Json json = api::Json::object();
  for (const auto& [key, count] : counts) json[key] = count;
  return json;
}

api::Json SampleToJson(const TimelineSample& s) {
  return {{"atSeconds", Seconds(s.at)},
          {"nodes", s.nodes},
          {"readyNodes", s.ready_nodes},
          {"nodesByInstanceType", CountMap(s.nodes_by_instance_type)},
          {"nodesByCapacityType", CountMap(s.nodes_by_capacity_type)},
          {"nodeClaims", s.node_claims},
          {"instances", s.instances},
          {"pods", s.pods},
          {"pendingPods", s.pending_pods},
          {"runningPods", s.running_pods},
          {"costPerHour", Money(s.cost_per_hour)},
          {"costSoFar", Money(s.cost_so_far)},
          {"evictions", s.evictions}};
}

api::Json OptionalSeconds(const std::optional<double>& seconds) {
  if (!seconds) return nullptr;
  const double rounded = std::round(*seconds * 1000) / 1000;
  if (rounded == std::floor(rounded)) return static_cast<int64_t>(rounded);
  return rounded;
}

api::Json PendingToJson(const PendingStats& pending) {
  return {{"started", pending.started},
          {"stillPending", pending.still_pending},
          {"pendingSeconds",
           {{"p50", OptionalSeconds(pending.p50_seconds)},
            {"p99", OptionalSeconds(pending.p99_seconds)},
            {"max", OptionalSeconds(pending.max_seconds)}}}};
}

api::Json SummaryToJson(const ReplayReport& report) {
  const ReplaySummary& s = report.summary;
  api::Json disruptions = api::Json::object();
  for (const auto& [key, count] : s.disruptions) disruptions[key] = count;
  api::Json by_deployment = api::Json::object();
  for (const auto& [key, pending] : s.pods_by_deployment) {
    by_deployment[key] = PendingToJson(pending);
  }
  return {{"totalCost", Money(s.total_cost)},
          {"nodeHours", std::round(s.node_hours * 1e4) / 1e4},
          {"nodeClaimsCreated", s.nodes_launched},
          {"instancesLaunched", s.instances_launched},
          {"pods", PendingToJson(s.pending)},
          {"podsByDeployment", by_deployment},
          {"evictions", s.evictions},
          {"preemptions", s.preemptions},
          {"interruptions", s.interruptions},
          {"disruptions", disruptions},
          {"disruptionsAbandoned", s.disruptions_abandoned},
          {"expectations", {{"passed", s.expectations_passed}, {"failed", s.expectations_failed}}},
          {"invariantViolations",
           report.invariants_checked ? api::Json(s.invariant_violations) : api::Json(nullptr)},
          {"errors", s.errors}};
}

std::string SecondsText(const std::optional<double>& seconds) {
  if (!seconds) return "-";
  return FormatOffset(
      std::chrono::duration_cast<core::Duration>(std::chrono::duration<double>(*seconds)));
}

std::string PendingText(const PendingStats& p) {
  return fmt::format("{} started: p50 {}, p99 {}, max {}; {} still pending", p.started,
                     SecondsText(p.p50_seconds), SecondsText(p.p99_seconds),
                     SecondsText(p.max_seconds), p.still_pending);
}

std::string Counts(const std::map<std::string, int>& counts) {
  std::vector<std::string> parts;
  for (const auto& [key, count] : counts) parts.push_back(fmt::format("{}:{}", key, count));
  return fmt::format("{}", fmt::join(parts, " "));
}

// What the timeline prints, without the time and the cost so far (which always move).
bool SameLine(const TimelineSample& a, const TimelineSample& b) {
  return a.nodes == b.nodes && a.ready_nodes == b.ready_nodes && a.node_claims == b.node_claims &&
         a.pending_pods == b.pending_pods && a.running_pods == b.running_pods &&
         Money(a.cost_per_hour) == Money(b.cost_per_hour) && a.evictions == b.evictions &&
         a.nodes_by_instance_type == b.nodes_by_instance_type &&
         a.nodes_by_capacity_type == b.nodes_by_capacity_type;
}

void WriteTimeline(const ReplayReport& report, std::ostream& out) {
  out << fmt::format(
      "\nTimeline (sampled every {} of virtual time; a line when something "
      "changed)\n",
      FormatOffset(report.sample_every));
  out << fmt::format("  {:<10} {:>5} {:>5} {:>6} {:>7} {:>7} {:>9} {:>9}  {}\n", "time", "nodes",
                     "ready", "claims", "pending", "running", "$/hour", "evictions",
                     "nodes by capacity type / instance type");
  const TimelineSample* printed = nullptr;
  for (size_t i = 0; i < report.timeline.size(); ++i) {
    const TimelineSample& s = report.timeline[i];
    const bool last = i + 1 == report.timeline.size();
    if (printed != nullptr && SameLine(*printed, s) && !last) continue;
    std::string line =
        fmt::format("  {:<10} {:>5} {:>5} {:>6} {:>7} {:>7} {:>9.4f} {:>9}", FormatOffset(s.at),
                    s.nodes, s.ready_nodes, s.node_claims, s.pending_pods, s.running_pods,
                    Money(s.cost_per_hour), s.evictions);
    if (s.nodes > 0) {
      line += fmt::format("  {} / {}", Counts(s.nodes_by_capacity_type),
                          Counts(s.nodes_by_instance_type));
    }
    out << line << '\n';
    printed = &s;
  }
}

void WriteSummary(const ReplayReport& report, std::ostream& out) {
  const ReplaySummary& s = report.summary;
  out << "\nSummary\n";
  out << fmt::format("  {:<22} ${:.4f}\n", "total cost", Money(s.total_cost));
  out << fmt::format("  {:<22} {:.2f}\n", "node-hours", s.node_hours);
  out << fmt::format("  {:<22} {} ({} instance(s) launched)\n", "NodeClaims created",
                     s.nodes_launched, s.instances_launched);
  out << fmt::format("  {:<22} {}\n", "pod pending time", PendingText(s.pending));
  // One Deployment's line would repeat the one above: listed when there are several.
  if (s.pods_by_deployment.size() > 1) {
    for (const auto& [key, pending] : s.pods_by_deployment) {
      out << fmt::format("    {:<20} {}\n", key, PendingText(pending));
    }
  }
  out << fmt::format("  {:<22} {} evicted, {} preempted\n", "pods disrupted", s.evictions,
                     s.preemptions);
  out << fmt::format("  {:<22} {}\n", "interruptions", s.interruptions);
  std::vector<std::string> disruptions;
  for (const auto& [key, count] : s.disruptions) {
    disruptions.push_back(fmt::format("{} {}", key, count));
  }
  if (s.disruptions_abandoned > 0) {
    disruptions.push_back(fmt::format("{} given up", s.disruptions_abandoned));
  }
  out << fmt::format(
      "  {:<22} {}\n", "disruptions",
      disruptions.empty() ? std::string("none") : fmt::format("{}", fmt::join(disruptions, ", ")));
  out << fmt::format("  {:<22} {} passed, {} failed\n", "expectations", s.expectations_passed,
                     s.expectations_failed);
  out << fmt::format("  {:<22} {}\n", "invariants",
                     report.invariants_checked
                         ? fmt::format("{} violation(s)", s.invariant_violations)
                         : std::string("not checked (--check-invariants)"));
  if (s.errors > 0) out << fmt::format("  {:<22} {}\n", "errors", s.errors);
  out << fmt::format("  {:<22} {}\n", "result", report.Passed() ? "passed" : "FAILED");
}

}  // namespace

PendingStats PendingStats::Of(std::vector<double> waits, size_t still_pending) {
  PendingStats stats;
  stats.started = waits.size();
  stats.still_pending = still_pending;
  if (waits.empty()) return stats;
  std::ranges::sort(waits);
  // Nearest rank: the smallest wait with at least `fraction` of the waits at or below it.
  auto percentile = [&](double fraction) {
    const auto rank = static_cast<size_t>(std::ceil(fraction * static_cast<double>(waits.size())));
    return waits[std::max<size_t>(rank, 1) - 1];
  };
  stats.p50_seconds = percentile(0.50);
  stats.p99_seconds = percentile(0.99);
  stats.max_seconds = waits.back();
  return stats;
}

std::string FormatOffset(core::Duration offset) {
  const int64_t total = std::chrono::duration_cast<std::chrono::seconds>(offset).count();
  const int64_t hours = total / 3600, minutes = total / 60 % 60, seconds = total % 60;
  if (hours > 0) return fmt::format("{}h{:02}m{:02}s", hours, minutes, seconds);
  if (minutes > 0) return fmt::format("{}m{:02}s", minutes, seconds);
  return fmt::format("{}s", seconds);
}

api::Json ReportToJson(const ReplayReport& report) {
  api::Json timeline = api::Json::array();
  for (const TimelineSample& sample : report.timeline) timeline.push_back(SampleToJson(sample));
  api::Json events = api::Json::array();
  for (const ReplayEvent& e : report.events) {
    events.push_back({{"atSeconds", Seconds(e.at)}, {"kind", e.kind}, {"message", e.message}});
  }
  api::Json expectations = api::Json::array();
  for (const ExpectationOutcome& e : report.expectations) {
    expectations.push_back({{"atSeconds", Seconds(e.at)},
                            {"source", e.source},
                            {"check", e.check},
                            {"actual", e.actual},
                            {"passed", e.passed}});
  }
  api::Json violations = api::Json::array();
  for (const InvariantViolation& v : report.violations) {
    violations.push_back({{"atSeconds", Seconds(v.at - report.start)},
                          {"invariant", v.invariant},
                          {"message", v.message},
                          {"objects", v.objects}});
  }
  const int64_t start =
      std::chrono::duration_cast<std::chrono::seconds>(report.start.time_since_epoch()).count();
  return {{"apiVersion", "sim.karpenter-cpp.io/v1alpha1"},
          {"kind", "ReplayReport"},
          {"scenario", report.scenario},
          {"file", report.file},
          {"start", api::codec::FormatRfc3339(start)},
          {"durationSeconds", Seconds(report.duration)},
          {"sampleEverySeconds", Seconds(report.sample_every)},
          {"passed", report.Passed()},
          {"error", report.error ? api::Json(*report.error) : api::Json(nullptr)},
          {"summary", SummaryToJson(report)},
          {"timeline", timeline},
          {"events", events},
          {"expectations", expectations},
          {"invariantViolations", violations}};
}

void WriteReportTable(const ReplayReport& report, std::ostream& out) {
  const int64_t start =
      std::chrono::duration_cast<std::chrono::seconds>(report.start.time_since_epoch()).count();
  out << fmt::format("Scenario {} ({}): {} of virtual time from {}\n", report.scenario, report.file,
                     FormatOffset(report.duration), api::codec::FormatRfc3339(start));
  out << "\nEvents\n";
  for (const ReplayEvent& e : report.events) {
    out << fmt::format("  {:<10} {:<10} {}\n", FormatOffset(e.at), e.kind, e.message);
  }
  WriteTimeline(report, out);
  WriteSummary(report, out);
  if (report.error) out << "\nerror: the run stopped early: " << *report.error << '\n';
}

}  // namespace karpenter::sim
