#include "catalog/labels.h"

#include <array>
#include <cctype>

namespace karpenter::catalog {
namespace {

// Indexed by LabelKey.
constexpr std::array<std::string_view, kLabelKeyCount> kLabelKeyNames = {
    kLabelInstanceType,
    kLabelArch,
    kLabelOs,
    kLabelRegion,
    kLabelWindowsBuild,
    kLabelInstanceCategory,
    kLabelInstanceFamily,
    kLabelInstanceGeneration,
    kLabelInstanceSize,
    kLabelInstanceCpu,
    kLabelInstanceCpuManufacturer,
    kLabelInstanceCpuSustainedClockSpeedMhz,
    kLabelInstanceMemory,
    kLabelInstanceHypervisor,
    kLabelInstanceEncryptionInTransitSupported,
    kLabelInstanceLocalNvme,
    kLabelInstanceEbsBandwidth,
    kLabelInstanceNetworkBandwidth,
    kLabelInstanceGpuName,
    kLabelInstanceGpuManufacturer,
    kLabelInstanceGpuCount,
    kLabelInstanceGpuMemory,
    kLabelInstanceAcceleratorName,
    kLabelInstanceAcceleratorManufacturer,
    kLabelInstanceAcceleratorCount,
};

bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

size_t SkipWhile(std::string_view text, size_t at, bool (*predicate)(char)) {
  while (at < text.size() && predicate(text[at])) ++at;
  return at;
}

// Matches "-<digits>tb" at `at`; returns the position after it, or `at` when it is not there.
size_t SkipTerabytePart(std::string_view name, size_t at) {
  if (at >= name.size() || name[at] != '-') return at;
  size_t digits_end = SkipWhile(name, at + 1, IsDigit);
  if (digits_end == at + 1 || name.substr(digits_end, 2) != "tb") return at;
  return digits_end + 2;
}

}  // namespace

std::string_view LabelKeyName(LabelKey key) { return kLabelKeyNames[static_cast<size_t>(key)]; }

std::optional<LabelKey> FindLabelKey(std::string_view name) {
  for (size_t i = 0; i < kLabelKeyNames.size(); ++i) {
    if (kLabelKeyNames[i] == name) return static_cast<LabelKey>(i);
  }
  return std::nullopt;
}

InstanceTypeNameParts ParseInstanceTypeName(std::string_view name) {
  InstanceTypeNameParts parts;
  // Upstream matches `(^[a-z]+)(\-[0-9]+tb)?([0-9]+).*\.`: the letters are maximal (a shorter
  // run is followed by a letter, which nothing after it accepts); the "-<n>tb" group is tried
  // first and dropped when digits do not follow it; the digits are maximal (greedy).
  size_t letters_end = SkipWhile(name, 0, IsLower);
  if (letters_end > 0) {
    for (size_t digits_start : {SkipTerabytePart(name, letters_end), letters_end}) {
      size_t digits_end = SkipWhile(name, digits_start, IsDigit);
      if (digits_end == digits_start) continue;
      if (name.find('.', digits_end) == std::string_view::npos) break;
      parts.category = std::string(name.substr(0, letters_end));
      parts.generation = std::string(name.substr(digits_start, digits_end - digits_start));
      break;
    }
  }
  size_t dot = name.find('.');
  if (dot != std::string_view::npos && name.find('.', dot + 1) == std::string_view::npos) {
    parts.family = std::string(name.substr(0, dot));
    parts.size = std::string(name.substr(dot + 1));
  }
  return parts;
}

std::string LowerKebabCase(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c == ' ') {
      c = '-';
    } else {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

}  // namespace karpenter::catalog
