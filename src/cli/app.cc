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

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e, out, err) == 0 ? 0 : 2;
  }
  if (validate->parsed()) return RunValidate(validate_options, out, err);
  if (convert->parsed()) return RunConvert(convert_options, out, err);
  return 2;
}

}  // namespace karpenter::cli
