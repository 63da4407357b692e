#include <ostream>

#include "api/convert.h"
#include "api/kinds.h"
#include "api/yaml_writer.h"
#include "cli/commands.h"
#include "cli/input_files.h"

namespace karpenter::cli {
namespace {

// A conversion note located at the source document's file:line.
api::Diagnostic NoteDiagnostic(const api::ConversionNote& note, const api::Document& source,
                               api::Severity severity) {
  api::Diagnostic d;
  d.severity = severity;
  d.file = source.file;
  api::SourcePosition position = source.PositionOf(note.pointer);
  d.line = position.line;
  d.column = position.column;
  d.object = api::DescribeObject(source.value);
  d.field = api::FieldPathFromPointer(note.pointer);
  d.message = note.message;
  return d;
}

}  // namespace

// Writes the v1 objects as YAML on `out` (ready for `envsubst` and `kubectl apply`), and
// every note and error on `err`. Exit 1 when some input could not be read or converted.
int RunConvert(const InputOptions& options, std::ostream& out, std::ostream& err) {
  api::ReadLimits limits;
  limits.max_bytes = options.max_input_mib << 20;
  InputSet input = ReadInputs(options.files, limits);
  for (const api::Diagnostic& d : input.errors) err << d.ToString() << '\n';

  std::vector<api::Json> objects;
  objects.reserve(input.documents.size());
  for (const api::Document& doc : input.documents) objects.push_back(doc.value);
  api::ConversionResult result = api::ConvertToV1(objects);

  out << api::WriteYamlDocuments(result.objects);
  for (const api::ConversionNote& note : result.notes) {
    err << NoteDiagnostic(note, input.documents[note.object_index], api::Severity::kWarning)
               .ToString()
        << '\n';
  }
  for (const api::ConversionNote& note : result.errors) {
    err << NoteDiagnostic(note, input.documents[note.object_index], api::Severity::kError)
               .ToString()
        << '\n';
  }
  return input.errors.empty() && result.errors.empty() ? 0 : 1;
}

}  // namespace karpenter::cli
