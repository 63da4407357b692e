// Rows of the EC2NodeClass CRD for spec.kubelet and status (see crd_rules.h).
#include <string>

#include "crd_rules.h"

namespace karpenter::api::crd_rules {
namespace {

const std::string kKubelet = "/spec/kubelet";

Patch Kubelet(Json fields) { return {Set(kKubelet, std::move(fields))}; }

const char kEvictionKeys[] =
    "['memory.available','nodefs.available','nodefs.inodesFree','imagefs.available',"
    "'imagefs.inodesFree','pid.available']";

std::vector<Row> EvictionRows() {
  // evictionSoft and evictionSoftGracePeriod must name the same signals, so each is set with
  // its partner.
  auto soft = [](Json thresholds) {
    Json grace = Json::object();
    for (const auto& [key, value] : thresholds.items()) grace[key] = "1m";
    return Kubelet({{"evictionSoft", thresholds}, {"evictionSoftGracePeriod", grace}});
  };
  return {
      {kKubelet + "#rule:1",
       Kubelet({{"evictionSoft", {{"memory.available", "5%"}}},
                {"evictionSoftGracePeriod", {{"memory.available", "1m"}}}}),
       Kubelet({{"evictionSoft", {{"memory.available", "5%"}, {"nodefs.available", "10%"}}},
                {"evictionSoftGracePeriod", {{"memory.available", "1m"}}}}),
       kKubelet, "Invalid value: evictionSoft OwnerKey does not have a matching "
                 "evictionSoftGracePeriod"},
      {kKubelet + "#rule:2",
       Kubelet({{"evictionSoft", {{"nodefs.available", "10%"}}},
                {"evictionSoftGracePeriod", {{"nodefs.available", "1m"}}}}),
       Kubelet({{"evictionSoft", {{"memory.available", "5%"}}},
                {"evictionSoftGracePeriod", {{"memory.available", "1m"}, {"pid.available", "1m"}}}}),
       kKubelet, "evictionSoftGracePeriod OwnerKey does not have a matching evictionSoft"},
      {kKubelet + "/evictionHard#rule:0", Kubelet({{"evictionHard", {{"memory.available", "100Mi"}}}}),
       Kubelet({{"evictionHard", {{"memory.free", "100Mi"}}}}), kKubelet + "/evictionHard",
       std::string("valid keys for evictionHard are ") + kEvictionKeys},
      {kKubelet + "/evictionHard/{}#pattern", Kubelet({{"evictionHard", {{"nodefs.available", "12.5%"}}}}),
       Kubelet({{"evictionHard", {{"nodefs.available", "lots"}}}}),
       kKubelet + "/evictionHard/nodefs.available", "should match"},
      {kKubelet + "/evictionSoft#rule:0", soft({{"imagefs.inodesFree", "5%"}}),
       soft({{"imagefs.free", "5%"}}), kKubelet + "/evictionSoft",
       std::string("valid keys for evictionSoft are ") + kEvictionKeys},
      {kKubelet + "/evictionSoft/{}#pattern", soft({{"memory.available", "1Gi"}}),
       soft({{"memory.available", "101%"}}), kKubelet + "/evictionSoft/memory.available",
       "should match"},
      {kKubelet + "/evictionSoftGracePeriod#rule:0", soft({{"pid.available", "5%"}}),
       soft({{"pid.free", "5%"}}), kKubelet + "/evictionSoftGracePeriod",
       std::string("valid keys for evictionSoftGracePeriod are ") + kEvictionKeys},
  };
}

std::vector<Row> ReservedRows(const std::string& field) {
  std::string at = kKubelet + "/" + field;
  auto reserved = [&](Json values) { return Kubelet({{field, std::move(values)}}); };
  return {
      {at + "#rule:0", reserved({{"cpu", "100m"}, {"memory", "1Gi"}, {"ephemeral-storage", "1Gi"},
                                 {"pid", "100"}}),
       reserved({{"gpu", "1"}}), at,
       "valid keys for " + field + " are ['cpu','memory','ephemeral-storage','pid']"},
      {at + "#rule:1", reserved({{"cpu", "+1"}}), reserved({{"cpu", "-1"}}), at,
       field + " value cannot be a negative resource quantity"},
      {at + "/{}#pattern", reserved({{"memory", "1.5Gi"}}), reserved({{"memory", "1.5 GiB"}}),
       at + "/memory", "should match"},
  };
}

std::vector<Row> KubeletBoundRows() {
  auto bound = [](const char* field, const char* keyword, int good, int bad,
                  const std::string& message) {
    std::string at = kKubelet + "/" + field;
    return Row{at + "#" + keyword, Kubelet({{field, good}}), Kubelet({{field, bad}}), at, message};
  };
  return {
      {kKubelet + "#rule:0",
       Kubelet({{"imageGCHighThresholdPercent", 85}, {"imageGCLowThresholdPercent", 80}}),
       Kubelet({{"imageGCHighThresholdPercent", 80}, {"imageGCLowThresholdPercent", 80}}), kKubelet,
       "imageGCHighThresholdPercent must be greater than imageGCLowThresholdPercent"},
      bound("imageGCHighThresholdPercent", "minimum", 0, -1, "should be greater than or equal to 0"),
      bound("imageGCHighThresholdPercent", "maximum", 100, 101, "should be less than or equal to 100"),
      bound("imageGCLowThresholdPercent", "minimum", 0, -1, "should be greater than or equal to 0"),
      bound("imageGCLowThresholdPercent", "maximum", 100, 101, "should be less than or equal to 100"),
      bound("maxPods", "minimum", 0, -1, "should be greater than or equal to 0"),
      bound("podsPerCore", "minimum", 0, -1, "should be greater than or equal to 0"),
  };
}

std::vector<Row> StatusRows() {
  Json ami = {{"id", "ami-1"}, {"requirements", {{{"key", "kubernetes.io/arch"}, {"operator", "In"},
                                                  {"values", {"amd64"}}}}}};
  Json reservation = {{"availabilityZone", "us-west-2a"}, {"id", "cr-0a1"},
                      {"instanceMatchCriteria", "open"}, {"instanceType", "m5.large"},
                      {"ownerID", "123456789012"}};
  auto list = [](const char* name, Json item) { return Patch{Set(std::string("/status/") + name, {item})}; };
  auto without = [&](const char* name, Json item, const std::string& pointer) {
    Json::json_pointer p(pointer);
    item[p.parent_pointer()].erase(p.back());
    return list(name, item);
  };
  auto with = [&](const char* name, Json item, const char* field, Json value) {
    item[field] = std::move(value);
    return list(name, item);
  };
  std::vector<Row> rows = {
      {"/status/amis/[]#required:id", list("amis", ami), without("amis", ami, "/id"),
       "/status/amis/0/id", "Required value"},
      {"/status/amis/[]#required:requirements", list("amis", ami),
       without("amis", ami, "/requirements"), "/status/amis/0/requirements", "Required value"},
      {"/status/amis/[]/requirements/[]#required:key", list("amis", ami),
       without("amis", ami, "/requirements/0/key"), "/status/amis/0/requirements/0/key",
       "Required value"},
      {"/status/amis/[]/requirements/[]#required:operator", list("amis", ami),
       without("amis", ami, "/requirements/0/operator"),
       "/status/amis/0/requirements/0/operator", "Required value"},
      {"/status/securityGroups/[]#required:id", list("securityGroups", {{"id", "sg-1"}}),
       list("securityGroups", {{"name", "x"}}), "/status/securityGroups/0/id", "Required value"},
      {"/status/subnets/[]#required:id", list("subnets", {{"id", "subnet-1"}, {"zone", "a"}}),
       list("subnets", {{"zone", "a"}}), "/status/subnets/0/id", "Required value"},
      {"/status/subnets/[]#required:zone", list("subnets", {{"id", "subnet-1"}, {"zone", "a"}}),
       list("subnets", {{"id", "subnet-1"}}), "/status/subnets/0/zone", "Required value"},
  };
  const std::string cr = "/status/capacityReservations";
  for (const char* field :
       {"availabilityZone", "id", "instanceMatchCriteria", "instanceType", "ownerID"}) {
    rows.push_back({cr + "/[]#required:" + field, list("capacityReservations", reservation),
                    without("capacityReservations", reservation, std::string("/") + field),
                    cr + "/0/" + field, "Required value"});
  }
  auto field_row = [&](const char* field, const char* keyword, Json good, Json bad,
                       std::string message) {
    return Row{cr + "/[]/" + field + "#" + keyword,
               with("capacityReservations", reservation, field, std::move(good)),
               with("capacityReservations", reservation, field, std::move(bad)),
               cr + "/0/" + field, std::move(message)};
  };
  rows.push_back(field_row("endTime", "format", "2025-01-01T00:00:00Z", "2025-01-01",
                           "must be of type date-time"));
  rows.push_back(field_row("id", "pattern", "cr-abc123", "capres-1", "should match '^cr-[0-9a-z]+$'"));
  rows.push_back(field_row("instanceMatchCriteria", "enum", "targeted", "any",
                           "Unsupported value: \"any\": supported values: \"open\", \"targeted\""));
  rows.push_back(field_row("ownerID", "pattern", "000000000000", "12345678901a",
                           "should match '^[0-9]{12}$'"));
  rows.push_back(field_row("reservationType", "enum", "capacity-block", "spot",
                           "Unsupported value: \"spot\": supported values: \"default\", "
                           "\"capacity-block\""));
  rows.push_back(field_row("state", "enum", "expiring", "expired",
                           "Unsupported value: \"expired\": supported values: \"active\", "
                           "\"expiring\""));
  return rows;
}

}  // namespace

std::vector<Row> EC2NodeClassKubeletRows() {
  std::vector<Row> rows;
  for (auto part : {EvictionRows(), ReservedRows("kubeReserved"), ReservedRows("systemReserved"),
                    KubeletBoundRows()}) {
    for (Row& row : part) rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<Row> EC2NodeClassStatusRows() {
  std::vector<Row> rows = StatusRows();
  for (Row& row : ConditionRows(/*strict=*/true, /*list_map=*/false)) rows.push_back(row);
  return rows;
}

}  // namespace karpenter::api::crd_rules
