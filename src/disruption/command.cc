#include "disruption/command.h"

namespace karpenter::disruption {

std::string_view ToString(Method method) {
  switch (method) {
    case Method::kEmptiness:
      return "emptiness";
    case Method::kDrift:
      return "drift";
    case Method::kMultiNodeConsolidation:
      return "multi-node";
    case Method::kSingleNodeConsolidation:
      return "single-node";
    case Method::kExpiration:
      return "expiration";
  }
  return "";
}

}  // namespace karpenter::disruption
