#include "catalog/internal/tsv.h"

#include <charconv>
#include <system_error>

namespace karpenter::catalog::internal {

bool LineReader::Next(std::string_view& line) {
  while (position_ < text_.size()) {
    size_t end = text_.find('\n', position_);
    if (end == std::string_view::npos) end = text_.size();
    std::string_view candidate = text_.substr(position_, end - position_);
    position_ = end + 1;
    ++line_number_;
    if (!candidate.empty() && candidate.back() == '\r') candidate.remove_suffix(1);
    if (candidate.empty() || candidate.front() == '#') continue;
    line = candidate;
    return true;
  }
  return false;
}

void SplitInto(std::string_view text, char separator, std::vector<std::string_view>& fields) {
  fields.clear();
  size_t start = 0;
  while (true) {
    size_t end = text.find(separator, start);
    if (end == std::string_view::npos) {
      fields.push_back(text.substr(start));
      return;
    }
    fields.push_back(text.substr(start, end - start));
    start = end + 1;
  }
}

namespace {

template <typename T>
Result<T> ParseNumber(std::string_view field, std::string_view what, std::string_view kind) {
  T value{};
  auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), value);
  if (field.empty() || error != std::errc() || end != field.data() + field.size()) {
    return Fail(std::string(what) + ": expected " + std::string(kind) + ", got \"" +
                std::string(field) + "\"");
  }
  return value;
}

}  // namespace

Result<int64_t> ParseInt(std::string_view field, std::string_view what) {
  return ParseNumber<int64_t>(field, what, "an integer");
}

Result<double> ParseDouble(std::string_view field, std::string_view what) {
  return ParseNumber<double>(field, what, "a number");
}

Result<bool> ParseBool(std::string_view field, std::string_view what) {
  if (field == "true") return true;
  if (field == "false") return false;
  return Fail(std::string(what) + ": expected true or false, got \"" + std::string(field) + "\"");
}

}  // namespace karpenter::catalog::internal
