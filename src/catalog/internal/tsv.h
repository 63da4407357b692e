// Small helpers for the catalog's tab-separated data files: line iteration, field splitting and
// number parsing without allocation (loading a catalog parses ~200 KB of text).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace karpenter::catalog::internal {

// Yields the lines of `text` one by one (without the '\n'), skipping empty lines and '#'
// comments, and counts lines from 1 for error messages.
class LineReader {
 public:
  explicit LineReader(std::string_view text) : text_(text) {}

  // The next data line, or false at the end.
  bool Next(std::string_view& line);
  // The number of the line Next returned last.
  size_t line_number() const { return line_number_; }

 private:
  std::string_view text_;
  size_t position_ = 0;
  size_t line_number_ = 0;
};

// Splits `text` at every `separator`; "" gives one empty field. Views point into `text`.
void SplitInto(std::string_view text, char separator, std::vector<std::string_view>& fields);

// A decimal integer (optional '-'), the whole field. The error names `what`.
Result<int64_t> ParseInt(std::string_view field, std::string_view what);
// A decimal floating-point number, the whole field. The error names `what`.
Result<double> ParseDouble(std::string_view field, std::string_view what);
// "true" or "false".
Result<bool> ParseBool(std::string_view field, std::string_view what);

}  // namespace karpenter::catalog::internal
