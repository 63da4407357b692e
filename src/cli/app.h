// The `karpenter` command line.
#pragma once

#include <iosfwd>

namespace karpenter::cli {

// Runs the command line as `karpenter argv[1..]`, writing to `out` and `err`; returns the exit
// code (0 success, 1 invalid input, 2 usage error).
int RunApp(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace karpenter::cli
