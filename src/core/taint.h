// Node taints and pod tolerations, matched with Kubernetes' exact rules
// (k8s.io/api core/v1 Toleration.ToleratesTaint).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace karpenter::core {

enum class TaintEffect { NoSchedule, PreferNoSchedule, NoExecute };

// Parses "NoSchedule", "PreferNoSchedule" or "NoExecute" (case-sensitive).
Result<TaintEffect> ParseTaintEffect(std::string_view text);
// A toleration's effect: as ParseTaintEffect, except that "" means "every effect" (nullopt).
Result<std::optional<TaintEffect>> ParseTolerationEffect(std::string_view text);
std::string_view ToString(TaintEffect effect);

struct Taint {
  std::string key;
  std::string value;
  TaintEffect effect = TaintEffect::NoSchedule;

  // "key=value:Effect", or "key:Effect" when the value is empty (as kubectl prints taints).
  std::string ToString() const;

  friend bool operator==(const Taint&, const Taint&) = default;
};

enum class TolerationOperator { Equal, Exists };

// Parses "Equal" or "Exists"; "" means Equal, as the API server defaults it.
Result<TolerationOperator> ParseTolerationOperator(std::string_view text);
std::string_view ToString(TolerationOperator op);

struct Toleration {
  std::string key;  // empty matches every key (meaningful with Exists)
  TolerationOperator op = TolerationOperator::Equal;
  std::string value;
  std::optional<TaintEffect> effect;  // nullopt matches every effect
  // How long a NoExecute taint is tolerated before eviction; nullopt means forever. Does not
  // affect whether the taint is tolerated.
  std::optional<int64_t> toleration_seconds;

  friend bool operator==(const Toleration&, const Toleration&) = default;
};

// Kubernetes' rule: the effect must match unless the toleration's is empty; the key must match
// unless the toleration's is empty; then Exists tolerates any value and Equal needs the same
// value. So an empty key with Exists tolerates every taint, and an empty key with Equal
// tolerates every taint whose value equals the toleration's (the API server rejects that
// combination, but the matcher, like upstream's, does not).
bool Tolerates(const Toleration& toleration, const Taint& taint);

// Whether some toleration tolerates each taint. Fails naming the first taint, in order, that
// none tolerates: `did not tolerate taint (taint=key=value:Effect)`, as upstream Karpenter
// words it.
Result<void> ToleratesAll(const std::vector<Toleration>& tolerations,
                          const std::vector<Taint>& taints);

}  // namespace karpenter::core
