// One function per subcommand. Each takes its parsed options and the output streams and
// returns the process exit code.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

namespace karpenter::cli {

struct InputOptions {
  std::vector<std::string> files;  // -f FILE|DIR|-, repeatable
  std::size_t max_input_mib = 32;
};

// `karpenter instance-types`: the built-in AWS catalog of a region (or a custom catalog of
// InstanceType documents), filtered by NodePool-style requirements.
struct InstanceTypesOptions {
  std::string region = "us-east-1";
  std::string node_class_file;            // --nodeclass: an EC2NodeClass whose settings apply
  std::vector<std::string> requirements;  // --requirement "key Op v1,v2", repeatable
  std::vector<std::string> files;         // -f: InstanceType documents replacing the AWS data
  double spot_to_on_demand_ratio = 0.3;   // the spot price model where no spot price is known
  std::string output = "table";           // -o table|json
};

// `karpenter simulate`: which NodeClaims Karpenter would launch for the input's pending pods.
struct SimulateOptions {
  InputOptions input;              // -f, repeatable
  std::string region = "us-east-1";  // --region: the AWS catalog's region
  std::string output = "table";    // -o table|json (json: the contract of sim/plan_json.h)
};

// `karpenter explain`: the simulation's decision for one pod, and why.
struct ExplainOptions {
  InputOptions input;
  std::string region = "us-east-1";
  std::string pod;  // --pod namespace/name ("name" alone means namespace default)
};

// `karpenter disrupt`: what the next disruption pass would do to the input's cluster.
struct DisruptOptions {
  InputOptions input;
  std::string region = "us-east-1";
  std::string now;  // --now RFC 3339; empty: the current time
  std::string output = "table";
  bool spot_to_spot = false;  // --spot-to-spot: the SpotToSpotConsolidation feature
};

// `karpenter replay`: a scenario run through the controllers in virtual time.
struct ReplayOptions {
  std::string scenario;           // the Scenario file
  std::string output = "table";   // -o table|json (json: the contract of docs/scenarios.md)
  std::string report_file;        // --report: also write a self-contained HTML report here
  bool check_invariants = false;  // --check-invariants
  std::size_t max_input_mib = 32;
};

int RunValidate(const InputOptions& options, std::ostream& out, std::ostream& err);
int RunConvert(const InputOptions& options, std::ostream& out, std::ostream& err);
// Exit 0 on success (also when nothing matches), 1 when an input file is bad, 2 for a bad flag
// value (unknown region, malformed requirement).
int RunInstanceTypes(const InstanceTypesOptions& options, std::ostream& out, std::ostream& err);
// The plan on `out`, diagnostics on `err`. Exit 0; 1 when the input had errors (the plan still
// covers the valid objects) or no catalog could be built; 2 for an unknown region.
int RunSimulate(const SimulateOptions& options, std::ostream& out, std::ostream& err);
// Exit codes as RunSimulate; 1 also when the pod is not in the input.
int RunExplain(const ExplainOptions& options, std::ostream& out, std::ostream& err);
// The commands and blocked nodes on `out` (-o json: issue 5's contract), diagnostics on `err`.
// Exit 0; 1 when the input had errors or no catalog could be built; 2 for a bad --now.
int RunDisrupt(const DisruptOptions& options, std::ostream& out, std::ostream& err);
// The report on `out` (-o table or json), diagnostics on `err`, the HTML report in
// --report's file. Exit 0 when every expectation passed with no error (and no invariant
// violated, when checked); 1 otherwise, and for a scenario with errors (nothing is run).
int RunReplay(const ReplayOptions& options, std::ostream& out, std::ostream& err);

}  // namespace karpenter::cli
