#include "cli/input_files.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <system_error>

namespace karpenter::cli {
namespace fs = std::filesystem;
namespace {

bool IsManifestFile(const fs::path& path) {
  const std::string ext = path.extension().string();
  return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

api::Diagnostic PathError(const std::string& path, std::string message) {
  api::Diagnostic d;
  d.file = path;
  d.message = std::move(message);
  return d;
}

// Expands directories into their manifest files, sorted so output does not depend on the
// file system's order.
std::vector<std::string> ExpandPaths(const std::vector<std::string>& paths,
                                     std::vector<api::Diagnostic>& errors) {
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<std::string> found;
      for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->is_regular_file(ec) && IsManifestFile(it->path())) found.push_back(it->path().string());
      }
      if (ec) errors.push_back(PathError(path, "cannot read directory: " + ec.message()));
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(path, ec)) {  // a file, or a pipe such as /dev/stdin
      files.push_back(path);
    } else {
      errors.push_back(PathError(path, "no such file or directory"));
    }
  }
  return files;
}

// Reads a stream up to one byte past the limit: enough to know the input is too large without
// loading all of it.
std::optional<std::string> ReadBounded(std::istream& stream, std::size_t limit) {
  std::string text;
  char buffer[1 << 16];
  while (stream.read(buffer, sizeof buffer) || stream.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(stream.gcount()));
    if (text.size() > limit) return std::nullopt;
  }
  return text;
}

}  // namespace

InputSet ReadInputs(const std::vector<std::string>& paths, const api::ReadLimits& limits) {
  InputSet input;
  std::vector<std::string> named;
  for (const std::string& path : paths) {
    if (path != "-") named.push_back(path);
  }
  std::vector<std::string> files = ExpandPaths(named, input.errors);
  if (std::find(paths.begin(), paths.end(), "-") != paths.end()) files.insert(files.begin(), "-");
  for (const std::string& file : files) {
    std::ifstream stream;
    if (file != "-") {
      stream.open(file, std::ios::binary);
      if (!stream) {
        input.errors.push_back(PathError(file, "cannot open file"));
        continue;
      }
    }
    std::optional<std::string> text = ReadBounded(file == "-" ? std::cin : stream, limits.max_bytes);
    if (!text) {
      input.errors.push_back(PathError(
          file, "input is larger than the limit of " + std::to_string(limits.max_bytes >> 20) +
                    " MiB (--max-input-mib raises it)"));
      continue;
    }
    const std::string name = file == "-" ? "<stdin>" : file;
    api::ReadResult read = api::ReadYamlDocuments(*text, name, limits);
    std::move(read.documents.begin(), read.documents.end(), std::back_inserter(input.documents));
    std::move(read.errors.begin(), read.errors.end(), std::back_inserter(input.errors));
  }
  return input;
}

}  // namespace karpenter::cli
