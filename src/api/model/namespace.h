// core/v1 Namespace: only its metadata matters to Karpenter (labels, for pod affinity terms'
// namespaceSelector).
#pragma once

#include "api/json.h"
#include "api/model/object_meta.h"

namespace karpenter::api {

struct Namespace {
  ObjectMeta metadata;
  Json raw;
};

}  // namespace karpenter::api
