#include <ostream>

#include "api/validate.h"
#include "cli/commands.h"
#include "cli/input_files.h"

namespace karpenter::cli {

int RunValidate(const InputOptions& options, std::ostream& out, std::ostream&) {
  api::ReadLimits limits;
  limits.max_bytes = options.max_input_mib << 20;
  InputSet input = ReadInputs(options.files, limits);
  std::vector<api::Diagnostic> diagnostics = std::move(input.errors);
  std::vector<api::Diagnostic> checked = api::ValidateDocuments(input.documents);
  diagnostics.insert(diagnostics.end(), checked.begin(), checked.end());

  std::size_t errors = 0;
  for (const api::Diagnostic& d : diagnostics) {
    out << d.ToString() << '\n';
    if (d.severity == api::Severity::kError) ++errors;
  }
  if (errors == 0) {
    out << input.documents.size() << " document(s) valid\n";
    return 0;
  }
  out << errors << " error(s) in " << input.documents.size() << " document(s)\n";
  return 1;
}

}  // namespace karpenter::cli
