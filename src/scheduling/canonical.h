// Canonical text of requirement and selector values, for cache keys and identity of topology
// groups (ToString() abbreviates long value lists, so it cannot serve).
#pragma once

#include <optional>
#include <string>

#include "core/label_selector.h"
#include "core/requirement.h"
#include "core/requirements.h"

namespace karpenter::scheduling {

// Distinct requirements (values, complement, bounds; minValues ignored) give distinct text.
std::string Canonical(const core::Requirement& requirement);
std::string Canonical(const core::Requirements& requirements);
// nullopt (selects nothing) and every selector give distinct text.
std::string Canonical(const std::optional<core::LabelSelector>& selector);

}  // namespace karpenter::scheduling
