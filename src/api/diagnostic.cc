#include "api/diagnostic.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace karpenter::api {
namespace {

// A JSON pointer segment with its escapes (~1 for '/', ~0 for '~') undone.
std::string UnescapePointerSegment(std::string_view segment) {
  std::string out;
  out.reserve(segment.size());
  for (std::size_t i = 0; i < segment.size(); ++i) {
    if (segment[i] == '~' && i + 1 < segment.size()) {
      out.push_back(segment[i + 1] == '1' ? '/' : '~');
      ++i;
    } else {
      out.push_back(segment[i]);
    }
  }
  return out;
}

bool IsIndex(std::string_view segment) {
  return !segment.empty() &&
         std::all_of(segment.begin(), segment.end(), [](unsigned char c) { return std::isdigit(c); });
}

bool IsIdentifier(std::string_view segment) {
  return !segment.empty() && std::all_of(segment.begin(), segment.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '_' || c == '-';
  });
}

}  // namespace

std::string EscapePointerSegment(std::string_view segment) {
  std::string out;
  for (char c : segment) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string FieldPathFromPointer(std::string_view pointer) {
  std::string path;
  std::size_t start = pointer.empty() || pointer[0] != '/' ? 0 : 1;
  while (start <= pointer.size() && !pointer.empty()) {
    std::size_t end = pointer.find('/', start);
    if (end == std::string_view::npos) end = pointer.size();
    std::string segment = UnescapePointerSegment(pointer.substr(start, end - start));
    if (IsIndex(segment)) {
      path += "[" + segment + "]";
    } else if (IsIdentifier(segment)) {
      if (!path.empty()) path += ".";
      path += segment;
    } else {
      path += "[" + segment + "]";
    }
    start = end + 1;
  }
  return path;
}

std::string Diagnostic::ToString() const {
  std::string out;
  if (!file.empty()) {
    out += file;
    if (line > 0) out += ":" + std::to_string(line);
    if (line > 0 && column > 0) out += ":" + std::to_string(column);
    out += ": ";
  }
  out += severity == Severity::kError ? "error: " : "warning: ";
  if (!object.empty()) out += object + ": ";
  if (!field.empty()) out += field + ": ";
  out += message;
  return out;
}

bool HasErrors(const std::vector<Diagnostic>& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

}  // namespace karpenter::api
