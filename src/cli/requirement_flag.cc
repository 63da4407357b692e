#include "cli/requirement_flag.h"

#include <string>
#include <utility>
#include <vector>

namespace karpenter::cli {
namespace {

constexpr std::string_view kSpaces = " \t";

std::string_view Trim(std::string_view text) {
  size_t begin = text.find_first_not_of(kSpaces);
  if (begin == std::string_view::npos) return {};
  return text.substr(begin, text.find_last_not_of(kSpaces) - begin + 1);
}

// The first whitespace-separated word of `text`; `text` keeps the rest.
std::string_view NextWord(std::string_view& text) {
  text = Trim(text);
  size_t end = text.find_first_of(kSpaces);
  std::string_view word = text.substr(0, end);
  text = end == std::string_view::npos ? std::string_view() : Trim(text.substr(end));
  return word;
}

Result<std::vector<std::string>> SplitValues(std::string_view text) {
  std::vector<std::string> values;
  if (text.empty()) return values;
  while (true) {
    size_t comma = text.find(',');
    std::string_view value = Trim(text.substr(0, comma));
    if (value.empty()) return Fail("empty value in \"" + std::string(text) + "\"");
    values.emplace_back(value);
    if (comma == std::string_view::npos) return values;
    text.remove_prefix(comma + 1);
  }
}

}  // namespace

Result<core::NodeSelectorRequirement> ParseRequirementFlag(std::string_view text) {
  std::string_view rest = text;
  std::string_view key = NextWord(rest);
  std::string_view op_text = NextWord(rest);
  if (key.empty() || op_text.empty()) {
    return Fail("expected \"key operator [values]\", e.g. \"kubernetes.io/arch In amd64,arm64\"");
  }
  auto op = core::ParseOperator(op_text);
  if (!op) return std::unexpected(op.error());
  auto values = SplitValues(rest);
  if (!values) return std::unexpected(values.error());

  core::NodeSelectorRequirement wire;
  wire.key = std::string(key);
  wire.op = *op;
  wire.values = std::move(*values);
  switch (*op) {
    case core::Operator::In:
    case core::Operator::NotIn:
      if (wire.values.empty()) {
        return Fail("operator " + std::string(op_text) + " needs at least one value, e.g. \"" +
                    std::string(key) + " " + std::string(op_text) + " a,b\"");
      }
      break;
    case core::Operator::Exists:
    case core::Operator::DoesNotExist:
      if (!wire.values.empty()) {
        return Fail("operator " + std::string(op_text) + " takes no values");
      }
      break;
    default:
      break;
  }
  // Gt, Lt, Gte, Lte: exactly one integer, as the API server's validation demands.
  if (auto checked = core::Requirement::From(wire); !checked) {
    return std::unexpected(checked.error());
  }
  return wire;
}

}  // namespace karpenter::cli
