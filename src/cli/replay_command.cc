// `karpenter replay`: runs a scenario through the controllers in virtual time and reports.
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>

#include "cli/commands.h"
#include "cli/input_files.h"
#include "sim/replay.h"
#include "sim/scenario.h"

namespace karpenter::cli {
namespace {

// The scenario file's text, or nullopt (with the reason on `err`).
std::optional<std::string> ReadScenarioText(const std::string& path, std::size_t max_bytes,
                                            std::ostream& err) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    err << path << ": error: no such file\n";
    return std::nullopt;
  }
  if (std::filesystem::file_size(path, ec) > max_bytes) {
    err << path << ": error: larger than " << (max_bytes >> 20) << " MiB (--max-input-mib)\n";
    return std::nullopt;
  }
  std::ifstream stream(path, std::ios::binary);
  std::ostringstream text;
  text << stream.rdbuf();
  if (!stream) {
    err << path << ": error: cannot read the file\n";
    return std::nullopt;
  }
  return text.str();
}

}  // namespace

int RunReplay(const ReplayOptions& options, std::ostream& out, std::ostream& err) {
  api::ReadLimits limits;
  limits.max_bytes = options.max_input_mib << 20;
  std::optional<std::string> text = ReadScenarioText(options.scenario, limits.max_bytes, err);
  if (!text) return 1;
  sim::ManifestReader reader = [&limits](const std::string& path) {
    InputSet read = ReadInputs({path}, limits);
    return api::ReadResult{std::move(read.documents), std::move(read.errors)};
  };
  sim::LoadedScenario loaded = sim::ParseScenario(*text, options.scenario, reader);
  for (const api::Diagnostic& d : loaded.diagnostics) err << d.ToString() << '\n';
  if (!loaded.scenario) {
    err << "the scenario has errors: nothing was run\n";
    return 1;
  }
  sim::ReplayOptions replay;
  replay.check_invariants = options.check_invariants;
  auto report = sim::RunScenario(*loaded.scenario, replay);
  if (!report) {
    err << "error: " << report.error().message << '\n';
    return 1;
  }
  if (options.output == "json") {
    out << sim::ReportToJson(*report).dump(2) << '\n';
  } else {
    sim::WriteReportTable(*report, out);
  }
  if (!options.report_file.empty()) {
    std::ofstream html(options.report_file, std::ios::binary | std::ios::trunc);
    html << sim::ReportToHtml(*report);
    if (!html) {
      err << options.report_file << ": error: cannot write the report\n";
      return 1;
    }
  }
  return report->Passed() ? 0 : 1;
}

}  // namespace karpenter::cli
