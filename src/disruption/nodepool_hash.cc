#include "disruption/nodepool_hash.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/duration.h"

namespace karpenter::disruption {
namespace {

// Length-prefixed, so no choice of strings can make two different templates read alike.
void Put(std::string& out, std::string_view text) {
  out += std::to_string(text.size());
  out += ':';
  out += text;
}

void PutMap(std::string& out, std::string_view name,
            const std::map<std::string, std::string>& map) {
  Put(out, name);
  out += std::to_string(map.size()) + "{";
  for (const auto& [key, value] : map) {
    Put(out, key);
    Put(out, value);
  }
  out += "}";
}

void PutTaints(std::string& out, std::string_view name, const std::vector<core::Taint>& taints) {
  std::vector<std::string> texts;
  for (const core::Taint& taint : taints) {
    std::string text;
    Put(text, taint.key);
    Put(text, taint.value);
    Put(text, core::ToString(taint.effect));
    texts.push_back(std::move(text));
  }
  std::sort(texts.begin(), texts.end());  // a set: order does not matter
  texts.erase(std::unique(texts.begin(), texts.end()), texts.end());
  Put(out, name);
  out += std::to_string(texts.size()) + "[";
  for (const std::string& text : texts) out += text;
  out += "]";
}

uint64_t Fnv1a64(std::string_view text) {
  uint64_t hash = 14695981039346656037ull;
  for (char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return hash;
}

bool HasDriftedCondition(const api::NodeClaim& node_claim) {
  return api::FindCondition(node_claim.status.conditions, "Drifted") != nullptr;
}

std::optional<std::string> Annotation(const api::NodeClaim& node_claim, std::string_view key) {
  auto it = node_claim.metadata.annotations.find(std::string(key));
  if (it == node_claim.metadata.annotations.end()) return std::nullopt;
  return it->second;
}

}  // namespace

std::string NodePoolTemplateHash(const api::NodePool& node_pool) {
  const api::NodeClaimTemplate& tmpl = node_pool.spec.template_;
  std::string text;
  PutMap(text, "labels", tmpl.metadata.labels);
  PutMap(text, "annotations", tmpl.metadata.annotations);
  PutTaints(text, "taints", tmpl.spec.taints);
  PutTaints(text, "startupTaints", tmpl.spec.startup_taints);
  Put(text, "nodeClassRef");
  Put(text, tmpl.spec.node_class_ref.group);
  Put(text, tmpl.spec.node_class_ref.kind);
  Put(text, tmpl.spec.node_class_ref.name);
  Put(text, "terminationGracePeriod");
  Put(text, tmpl.spec.termination_grace_period
                ? core::FormatGoDuration(*tmpl.spec.termination_grace_period)
                : "");
  Put(text, "expireAfter");
  Put(text, tmpl.spec.ExpireAfter().ToString());
  return std::to_string(Fnv1a64(text));
}

StaticDrift CheckStaticDrift(const api::NodePool& node_pool, const api::NodeClaim& node_claim) {
  if (Annotation(node_claim, kNodePoolHashVersionAnnotation) != kNodePoolHashVersion) {
    return HasDriftedCondition(node_claim) ? StaticDrift::kDriftedBeforeVersionChange
                                           : StaticDrift::kNone;
  }
  std::optional<std::string> hash = Annotation(node_claim, kNodePoolHashAnnotation);
  if (!hash) return StaticDrift::kNone;
  return *hash == NodePoolTemplateHash(node_pool) ? StaticDrift::kNone : StaticDrift::kDrifted;
}

std::optional<std::map<std::string, std::string>> RestampAnnotations(
    const api::NodePool& node_pool, const api::NodeClaim& node_claim) {
  if (Annotation(node_claim, kNodePoolHashVersionAnnotation) == kNodePoolHashVersion) {
    return std::nullopt;
  }
  std::map<std::string, std::string> annotations{
      {std::string(kNodePoolHashVersionAnnotation), std::string(kNodePoolHashVersion)}};
  if (!HasDriftedCondition(node_claim)) {
    annotations.emplace(std::string(kNodePoolHashAnnotation), NodePoolTemplateHash(node_pool));
  }
  return annotations;
}

}  // namespace karpenter::disruption
