#include "cli/app.h"

#include <CLI/CLI.hpp>

#include <ostream>

#include "cli/commands.h"

namespace karpenter::cli {
namespace {

void AddInputOptions(CLI::App& command, InputOptions& options) {
  command.add_option("-f,--filename", options.files, "manifest file or directory ('-' for stdin)")
      ->required()
      ->allow_extra_args(true);
  command.add_option("--max-input-mib", options.max_input_mib,
                     "refuse input files larger than this many MiB")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
}

void AddInstanceTypesOptions(CLI::App& command, InstanceTypesOptions& options) {
  CLI::Option* region =
      command.add_option("--region", options.region, "AWS region of the built-in catalog")
          ->capture_default_str();
  CLI::Option* node_class = command.add_option(
      "--nodeclass", options.node_class_file,
      "file with the EC2NodeClass whose kubelet, block device and AMI family settings apply");
  command.add_option("--requirement", options.requirements,
                     "NodePool requirement 'key Op v1,v2' (In, NotIn, Exists, DoesNotExist, Gt, "
                     "Lt, Gte, Lte); repeatable, all must hold")
      ->allow_extra_args(false);
  CLI::Option* ratio =
      command.add_option("--spot-to-on-demand-ratio", options.spot_to_on_demand_ratio,
                         "modelled spot price as a fraction of on-demand (no spot data ships)")
          ->capture_default_str()
          ->check(CLI::PositiveNumber);
  command.add_option("-f,--filename", options.files,
                     "InstanceType documents (file or directory) replacing the AWS catalog")
      ->allow_extra_args(false)
      ->excludes(region)
      ->excludes(node_class)
      ->excludes(ratio);
  command.add_option("-o,--output", options.output, "output format")
      ->capture_default_str()
      ->check(CLI::IsMember({"table", "json"}));
}

void AddSimulateOptions(CLI::App& command, SimulateOptions& options) {
  AddInputOptions(command, options.input);
  command.add_option("--region", options.region, "AWS region of the built-in catalog")
      ->capture_default_str();
  command.add_option("-o,--output", options.output, "output format")
      ->capture_default_str()
      ->check(CLI::IsMember({"table", "json"}));
}

void AddExplainOptions(CLI::App& command, ExplainOptions& options) {
  AddInputOptions(command, options.input);
  command.add_option("--region", options.region, "AWS region of the built-in catalog")
      ->capture_default_str();
  command.add_option("--pod", options.pod, "the pod to explain, as namespace/name")->required();
}

void AddDisruptOptions(CLI::App& command, DisruptOptions& options) {
  AddInputOptions(command, options.input);
  command.add_option("--region", options.region, "AWS region of the built-in catalog")
      ->capture_default_str();
  command.add_option("--now", options.now, "the time of the pass (RFC 3339), default now");
  command.add_option("-o,--output", options.output, "output format")
      ->capture_default_str()
      ->check(CLI::IsMember({"table", "json"}));
  command.add_flag("--spot-to-spot", options.spot_to_spot,
                   "allow replacing spot nodes with spot nodes (SpotToSpotConsolidation)");
}

void AddReplayOptions(CLI::App& command, ReplayOptions& options) {
  command.add_option("scenario", options.scenario, "the Scenario file (docs/scenarios.md)")
      ->required();
  command.add_option("-o,--output", options.output, "output format")
      ->capture_default_str()
      ->check(CLI::IsMember({"table", "json"}));
  command.add_option("--report", options.report_file,
                     "also write a self-contained HTML report (charts, events) to this file");
  command.add_flag("--check-invariants", options.check_invariants,
                   "check no pod is lost, no instance leaks and no PDB is violated, after "
                   "every instant");
  command.add_option("--max-input-mib", options.max_input_mib,
                     "refuse input files larger than this many MiB")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
}

}  // namespace

int RunApp(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App app{"karpenter-cpp: Kubernetes node autoscaling, compatible with Karpenter's manifests",
               "karpenter"};
  app.require_subcommand(1);

  InputOptions validate_options;
  CLI::App* validate = app.add_subcommand(
      "validate", "check NodePools, NodeClaims, EC2NodeClasses and Kubernetes objects as the API "
                  "server would");
  AddInputOptions(*validate, validate_options);

  InputOptions convert_options;
  CLI::App* convert = app.add_subcommand(
      "convert", "convert v1alpha5/v1alpha1/v1beta1 Karpenter objects to v1 (YAML on stdout)");
  AddInputOptions(*convert, convert_options);

  InstanceTypesOptions instance_types_options;
  CLI::App* instance_types = app.add_subcommand(
      "instance-types",
      "list the instance types a NodePool with the given requirements could launch, cheapest "
      "first");
  AddInstanceTypesOptions(*instance_types, instance_types_options);

  SimulateOptions simulate_options;
  CLI::App* simulate = app.add_subcommand(
      "simulate", "decide which nodes Karpenter would launch for the pending pods, with their cost");
  AddSimulateOptions(*simulate, simulate_options);

  ExplainOptions explain_options;
  CLI::App* explain = app.add_subcommand(
      "explain", "show where the simulation placed one pod, or why it could not");
  AddExplainOptions(*explain, explain_options);

  DisruptOptions disrupt_options;
  CLI::App* disrupt = app.add_subcommand(
      "disrupt", "show what the next disruption pass would delete or replace, and why not others");
  AddDisruptOptions(*disrupt, disrupt_options);

  ReplayOptions replay_options;
  CLI::App* replay = app.add_subcommand(
      "replay", "run a scenario through Karpenter's controllers in virtual time and report cost, "
                "nodes and pending pods over time");
  AddReplayOptions(*replay, replay_options);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e, out, err) == 0 ? 0 : 2;
  }
  if (validate->parsed()) return RunValidate(validate_options, out, err);
  if (convert->parsed()) return RunConvert(convert_options, out, err);
  if (instance_types->parsed()) return RunInstanceTypes(instance_types_options, out, err);
  if (simulate->parsed()) return RunSimulate(simulate_options, out, err);
  if (explain->parsed()) return RunExplain(explain_options, out, err);
  if (disrupt->parsed()) return RunDisrupt(disrupt_options, out, err);
  if (replay->parsed()) return RunReplay(replay_options, out, err);
  return 2;
}

}  // namespace karpenter::cli
