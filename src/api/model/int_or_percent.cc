#include "api/model/int_or_percent.h"

#include <cctype>

namespace karpenter::api {

Result<IntOrPercent> IntOrPercent::ParsePercent(std::string_view text) {
  bool valid = text.size() >= 2 && text.back() == '%';
  int64_t value = 0;
  for (std::size_t i = 0; valid && i + 1 < text.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) {
      valid = false;
    } else {
      value = value * 10 + (text[i] - '0');
      if (value > INT32_MAX) valid = false;
    }
  }
  if (!valid) {
    return Fail(
        "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  "
        "or '93%', regex used for validation is '[0-9]+%')");
  }
  return Percent(static_cast<int32_t>(value));
}

std::string IntOrPercent::ToString() const {
  return std::to_string(value) + (is_percent ? "%" : "");
}

int64_t IntOrPercent::Scaled(int64_t total, bool round_up) const {
  if (!is_percent) return value;
  const int64_t product = static_cast<int64_t>(value) * total;
  if (!round_up) return product / 100;
  return product >= 0 ? (product + 99) / 100 : product / 100;
}

}  // namespace karpenter::api
