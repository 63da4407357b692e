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

int RunValidate(const InputOptions& options, std::ostream& out, std::ostream& err);
int RunConvert(const InputOptions& options, std::ostream& out, std::ostream& err);

}  // namespace karpenter::cli
