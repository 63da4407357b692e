// The files of data/aws/, compiled in by cmake/EmbedFiles.cmake (see src/catalog/CMakeLists.txt).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace karpenter::catalog::internal {

// File name (without directory) and content of every data/aws/*.tsv; built on first use and
// never changed, so views into the contents stay valid for the whole program.
const std::vector<std::pair<std::string, std::string>>& EmbeddedFiles();

}  // namespace karpenter::catalog::internal
