// The schemas of CustomResourceDefinitions: upstream Karpenter's three CRDs, compiled into the
// binary and compiled into schema trees on first use; and any CRD manifest a caller supplies.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "api/json.h"
#include "api/schema/schema.h"
#include "core/result.h"

namespace karpenter::api::schema {

// One served version of one CRD.
struct CrdSchema {
  std::string group;
  std::string version;
  std::string kind;
  std::unique_ptr<Schema> root;

  std::string ApiVersion() const { return group + "/" + version; }
};

// Compiles `version` of a CustomResourceDefinition manifest (apiextensions.k8s.io/v1).
Result<CrdSchema> CompileCrd(const Json& crd, std::string_view version);

// Every version of the embedded CRDs (NodePool, NodeClaim, EC2NodeClass). Compiled once, on
// first call, thread-safe; immutable afterwards. An embedded CRD that does not compile is a
// broken build and aborts with std::logic_error.
const std::vector<CrdSchema>& EmbeddedCrds();

// The embedded CRD serving `api_version` ("karpenter.sh/v1") and `kind`, or null.
const CrdSchema* FindEmbeddedCrd(std::string_view api_version, std::string_view kind);

}  // namespace karpenter::api::schema
