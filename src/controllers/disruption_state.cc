#include "controllers/disruption_state.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <utility>

#include "controllers/lifecycle_keys.h"
#include "controllers/termination.h"

namespace karpenter::controllers {
namespace {

constexpr disruption::Method kMethods[] = {
    disruption::Method::kEmptiness, disruption::Method::kDrift,
    disruption::Method::kMultiNodeConsolidation, disruption::Method::kSingleNodeConsolidation,
    disruption::Method::kExpiration};

const core::Taint& DisruptedTaint() {
  static const core::Taint kTaint{std::string(kDisruptedTaintKey), "",
                                  core::TaintEffect::NoSchedule};
  return kTaint;
}

std::optional<std::string> Annotation(const api::NodeClaim& claim, std::string_view key) {
  auto it = claim.metadata.annotations.find(std::string(key));
  if (it == claim.metadata.annotations.end()) return std::nullopt;
  return it->second;
}

template <class T>
std::optional<T> ParseNumber(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  T value{};
  const char* end = text->data() + text->size();
  auto [ptr, error] = std::from_chars(text->data(), end, value);
  if (error != std::errc() || ptr != end) return std::nullopt;
  return value;
}

bool Done(const kube::ApiResult<void>& result) {
  return result || result.error().code == kube::ApiErrorCode::kNotFound;
}
template <class T>
bool Done(const kube::ApiResult<T>& result) {
  return result || result.error().code == kube::ApiErrorCode::kNotFound;
}

}  // namespace

std::optional<disruption::Method> ParseMethod(std::string_view text) {
  for (disruption::Method method : kMethods) {
    if (disruption::ToString(method) == text) return method;
  }
  return std::nullopt;
}

std::optional<CommandRecord> ReadCommandRecord(const api::NodeClaim& claim) {
  std::optional<std::string> id = Annotation(claim, kDisruptionCommandAnnotation);
  std::optional<std::string> method = Annotation(claim, kDisruptionMethodAnnotation);
  std::optional<std::string> reason = Annotation(claim, kDisruptionReasonAnnotation);
  auto started = ParseNumber<int64_t>(Annotation(claim, kDisruptionStartedAtAnnotation));
  auto replacements = ParseNumber<size_t>(Annotation(claim, kDisruptionReplacementsAnnotation));
  if (!id || id->empty() || !method || !reason || !started || !replacements) return std::nullopt;
  std::optional<disruption::Method> parsed = ParseMethod(*method);
  if (!parsed) return std::nullopt;
  return CommandRecord{*id, *parsed, *reason, FromEpochSeconds(*started), *replacements};
}

std::vector<InFlightCommand> FindInFlightCommands(
    const std::vector<kube::ObjectPtr<api::NodeClaim>>& claims) {
  std::map<std::string, InFlightCommand> commands;
  for (const auto& claim : claims) {
    std::optional<CommandRecord> record = ReadCommandRecord(*claim);
    if (!record || claim->metadata.deletion_timestamp) continue;
    InFlightCommand& command = commands[record->id];
    if (command.candidates.empty()) command.record = *record;
    command.candidates.push_back(claim);
  }
  for (const auto& claim : claims) {
    std::optional<std::string> of = Annotation(*claim, kDisruptionReplacementForAnnotation);
    if (!of) continue;
    if (auto it = commands.find(*of); it != commands.end()) it->second.replacements.push_back(claim);
  }
  std::vector<InFlightCommand> in_flight;
  for (auto& [id, command] : commands) in_flight.push_back(std::move(command));
  return in_flight;
}

const std::string& NodeNameOf(const api::NodeClaim& claim) {
  return claim.status.node_name.empty() ? claim.metadata.name : claim.status.node_name;
}

bool HasDisruptedTaint(const api::Node& node) {
  return HasTaint(node.spec.taints, DisruptedTaint());
}

bool SetDisruptedTaint(kube::ClusterPort& cluster, const std::string& node, bool tainted) {
  auto patched = cluster.Nodes().Patch({"", node}, [tainted](api::Node& stored) {
    const bool has = HasTaint(stored.spec.taints, DisruptedTaint());
    if (tainted && !has) stored.spec.taints.push_back(DisruptedTaint());
    if (!tainted && has) {
      std::erase_if(stored.spec.taints,
                    [](const core::Taint& taint) { return MatchesTaint(taint, DisruptedTaint()); });
    }
  });
  return Done(patched);
}

bool WriteCommandRecord(kube::ClusterPort& cluster, const std::string& claim,
                        const CommandRecord& record, core::Time now) {
  auto patched = cluster.NodeClaims().Patch({"", claim}, [&](api::NodeClaim& stored) {
    auto& annotations = stored.metadata.annotations;
    annotations[std::string(kDisruptionCommandAnnotation)] = record.id;
    annotations[std::string(kDisruptionMethodAnnotation)] = std::string(ToString(record.method));
    annotations[std::string(kDisruptionReasonAnnotation)] = record.reason;
    annotations[std::string(kDisruptionStartedAtAnnotation)] =
        std::to_string(EpochSeconds(record.started_at));
    annotations[std::string(kDisruptionReplacementsAnnotation)] =
        std::to_string(record.replacements);
    SetCondition(stored.status.conditions, kConditionDisruptionReason, "True", now, record.reason,
                 record.reason);
  });
  return patched.has_value();
}

bool ClearCommandRecord(kube::ClusterPort& cluster, const std::string& claim) {
  auto patched = cluster.NodeClaims().Patch({"", claim}, [](api::NodeClaim& stored) {
    for (std::string_view key :
         {kDisruptionCommandAnnotation, kDisruptionMethodAnnotation, kDisruptionReasonAnnotation,
          kDisruptionStartedAtAnnotation, kDisruptionReplacementsAnnotation}) {
      stored.metadata.annotations.erase(std::string(key));
    }
    std::erase_if(stored.status.conditions, [](const api::Condition& condition) {
      return condition.type == kConditionDisruptionReason;
    });
  });
  return Done(patched);
}

bool DeleteNodeClaim(kube::ClusterPort& cluster, const std::string& claim) {
  return Done(cluster.NodeClaims().Delete({"", claim}));
}

std::vector<std::string> RemoveStaleDisruptedTaints(
    kube::ClusterPort& cluster, const std::vector<kube::ObjectPtr<api::Node>>& nodes,
    const std::vector<kube::ObjectPtr<api::NodeClaim>>& claims) {
  std::map<std::string_view, const api::NodeClaim*> by_node, by_provider_id;
  for (const auto& claim : claims) {
    if (!claim->status.node_name.empty()) by_node.emplace(claim->status.node_name, claim.get());
    if (!claim->status.provider_id.empty()) {
      by_provider_id.emplace(claim->status.provider_id, claim.get());
    }
  }
  std::vector<std::string> untainted;
  for (const auto& node : nodes) {
    if (!HasDisruptedTaint(*node) || node->metadata.deletion_timestamp) continue;
    const api::NodeClaim* claim = nullptr;
    if (auto it = by_node.find(node->metadata.name); it != by_node.end()) {
      claim = it->second;
    } else if (auto by_id = by_provider_id.find(node->spec.provider_id);
               !node->spec.provider_id.empty() && by_id != by_provider_id.end()) {
      claim = by_id->second;
    }
    if (claim != nullptr &&
        (claim->metadata.deletion_timestamp || ReadCommandRecord(*claim).has_value())) {
      continue;
    }
    if (SetDisruptedTaint(cluster, node->metadata.name, false)) {
      untainted.push_back(node->metadata.name);
    }
  }
  return untainted;
}

}  // namespace karpenter::controllers
