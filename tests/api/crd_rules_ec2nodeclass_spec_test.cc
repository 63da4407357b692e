// More rows of the EC2NodeClass CRD: selector terms, networking, metadata options, kubelet and
// status (see crd_rules.h).
#include <string>

#include "crd_rules.h"

namespace karpenter::api::crd_rules {
namespace {

Patch SetAt(const std::string& at, Json value) { return {Set(at, std::move(value))}; }

std::vector<Row> SelectorRows() {
  const std::string sg = "/spec/securityGroupSelectorTerms";
  const std::string sn = "/spec/subnetSelectorTerms";
  auto tagged = [](int n) { return Repeat(n, [](int i) { return Json{{"tags", {{"n", std::to_string(i)}}}}; }); };
  Json ab = {{"a", "b"}};
  std::vector<Row> rows = {
      {sg + "#maxItems", SetAt(sg, tagged(30)), SetAt(sg, tagged(31)), sg,
       "Too many: 31: must have at most 30 items"},
      {sg + "#rule:0", SetAt(sg, {{{"id", "sg-1"}}}), SetAt(sg, Json::array()), sg,
       "securityGroupSelectorTerms cannot be empty"},
      {sg + "#rule:1", SetAt(sg, {{{"name", "my-sg"}}}), SetAt(sg, {Json::object()}), sg,
       "expected at least one, got none, ['tags', 'id', 'name']"},
      {sg + "#rule:2", SetAt(sg, {{{"id", "sg-1"}}, {{"name", "x"}}}),
       SetAt(sg, {{{"id", "sg-1"}, {"tags", ab}}}), sg,
       "'id' is mutually exclusive, cannot be set with a combination of other fields in a "
       "security group selector term"},
      {sg + "#rule:3", SetAt(sg, {{{"name", "x"}}, {{"tags", ab}}}),
       SetAt(sg, {{{"name", "x"}, {"tags", ab}}}), sg,
       "'name' is mutually exclusive, cannot be set with a combination of other fields in a "
       "security group selector term"},
      {sg + "/[]/id#pattern", SetAt(sg, {{{"id", "sg-0abc"}}}), SetAt(sg, {{{"id", "group-1"}}}),
       sg + "/0/id", "should match 'sg-[0-9a-z]+'"},
      {sn + "#maxItems", SetAt(sn, tagged(30)), SetAt(sn, tagged(31)), sn,
       "Too many: 31: must have at most 30 items"},
      {sn + "#rule:0", SetAt(sn, {{{"id", "subnet-1"}}}), SetAt(sn, Json::array()), sn,
       "subnetSelectorTerms cannot be empty"},
      {sn + "#rule:1", SetAt(sn, {{{"id", "subnet-1"}}}), SetAt(sn, {Json::object()}), sn,
       "expected at least one, got none, ['tags', 'id']"},
      {sn + "#rule:2", SetAt(sn, {{{"id", "subnet-1"}}, {{"tags", ab}}}),
       SetAt(sn, {{{"id", "subnet-1"}, {"tags", ab}}}), sn,
       "'id' is mutually exclusive, cannot be set with a combination of other fields in a subnet "
       "selector term"},
      {sn + "/[]/id#pattern", SetAt(sn, {{{"id", "subnet-0abc"}}}), SetAt(sn, {{{"id", "sn-1"}}}),
       sn + "/0/id", "should match 'subnet-[0-9a-z]+'"},
  };
  for (const std::string& at : {sg, sn}) {
    auto tags = [&](Json t) { return SetAt(at, {{{"tags", std::move(t)}}}); };
    Json twenty = Json::object(), twenty_one = Json::object();
    for (int i = 0; i < 21; ++i) (i < 20 ? twenty : twenty_one)["t" + std::to_string(i)] = "v";
    twenty_one.update(twenty);
    rows.push_back({at + "/[]/tags#maxProperties", tags(twenty), tags(twenty_one), at + "/0/tags",
                    "Too many: 21: must have at most 20 items"});
    rows.push_back({at + "/[]/tags#rule:0", tags({{"Name", "x"}}), tags({{"", "x"}}),
                    at + "/0/tags", "empty tag keys or values aren't supported"});
  }
  return rows;
}

std::vector<Row> NetworkRows() {
  const std::string ct = "/spec/connectionTracking";
  const std::string pg = "/spec/placementGroupSelector";
  const std::string ni = "/spec/networkInterfaces";
  auto bounds = [&](const char* field, int min, int max) {
    std::string at = ct + "/" + field;
    std::string loc = ct + "/" + field;
    return std::vector<Row>{
        {loc + "#minimum", SetAt(ct, {{field, min}}), SetAt(ct, {{field, min - 1}}), at,
         "should be greater than or equal to " + std::to_string(min)},
        {loc + "#maximum", SetAt(ct, {{field, max}}), SetAt(ct, {{field, max + 1}}), at,
         "should be less than or equal to " + std::to_string(max)},
    };
  };
  auto nic = [](int device, int card, const char* type) {
    return Json{{"deviceIndex", device}, {"networkCardIndex", card}, {"interfaceType", type}};
  };
  Json primary = nic(0, 0, "interface");
  auto without = [&](const char* field) {
    Json n = primary;
    n.erase(field);
    return SetAt(ni, {n});
  };
  auto many = [&](int n) { return SetAt(ni, Repeat(n, [&](int i) { return nic(i, 0, "interface"); })); };
  std::vector<Row> rows = {
      {ct + "#rule:0", SetAt(ct, {{"udpTimeout", 30}}), SetAt(ct, Json::object()), ct,
       "at least one of tcpEstablishedTimeout, udpStreamTimeout, or udpTimeout must be set"},
      {pg + "#rule:0", SetAt(pg, {{"id", "pg-0abc"}}), SetAt(pg, Json::object()), pg,
       "expected at least one, got none, ['name', 'id']"},
      {pg + "#rule:1", SetAt(pg, {{"name", "cluster-pg"}}),
       SetAt(pg, {{"name", "cluster-pg"}, {"id", "pg-0abc"}}), pg,
       "'name' and 'id' are mutually exclusive"},
      {pg + "/id#pattern", SetAt(pg, {{"id", "pg-0abc"}}), SetAt(pg, {{"id", "pg_0abc"}}),
       pg + "/id", "should match '^pg-[0-9a-z]+$'"},
      {pg + "/name#minLength", SetAt(pg, {{"name", "p"}}), SetAt(pg, {{"name", ""}}), pg + "/name",
       "should be at least 1 chars long"},
      {ni + "#maxItems", many(150), many(151), ni, "Too many: 151: must have at most 150 items"},
      {ni + "#rule:0", SetAt(ni, {primary, nic(1, 1, "efa-only")}),
       SetAt(ni, {nic(1, 0, "interface")}), ni,
       "networkInterfaces must include a primary interface with interfaceType='interface'"},
      {ni + "#rule:1", SetAt(ni, {primary, nic(1, 0, "interface")}), SetAt(ni, {primary, primary}),
       ni,
       "networkInterfaces must not have duplicate networkCardIndex and deviceIndex pairs, and can "
       "have at most one efa device per network card"},
      // The same rule's second clause: at most one efa-only device per network card.
      {ni + "#rule:1", SetAt(ni, {primary, nic(1, 1, "efa-only"), nic(1, 2, "efa-only")}),
       SetAt(ni, {primary, nic(1, 1, "efa-only"), nic(2, 1, "efa-only")}), ni,
       "can have at most one efa device per network card"},
      {ni + "/[]#required:deviceIndex", SetAt(ni, {primary}), without("deviceIndex"),
       ni + "/0/deviceIndex", "Required value"},
      {ni + "/[]#required:interfaceType", SetAt(ni, {primary}), without("interfaceType"),
       ni + "/0/interfaceType", "Required value"},
      {ni + "/[]#required:networkCardIndex", SetAt(ni, {primary}), without("networkCardIndex"),
       ni + "/0/networkCardIndex", "Required value"},
      {ni + "/[]/deviceIndex#minimum", SetAt(ni, {primary}),
       SetAt(ni, {primary, nic(-1, 0, "interface")}), ni + "/1/deviceIndex",
       "should be greater than or equal to 0"},
      {ni + "/[]/networkCardIndex#minimum", SetAt(ni, {primary}),
       SetAt(ni, {primary, nic(1, -1, "interface")}), ni + "/1/networkCardIndex",
       "should be greater than or equal to 0"},
      {ni + "/[]/interfaceType#enum", SetAt(ni, {primary, nic(1, 1, "efa-only")}),
       SetAt(ni, {primary, nic(1, 1, "efa")}), ni + "/1/interfaceType",
       "Unsupported value: \"efa\": supported values: \"interface\", \"efa-only\""},
      {"/spec/ipPrefixCount#minimum", SetAt("/spec/ipPrefixCount", 0),
       SetAt("/spec/ipPrefixCount", -1), "/spec/ipPrefixCount",
       "should be greater than or equal to 0"},
  };
  for (auto more : {bounds("tcpEstablishedTimeout", 60, 432000), bounds("udpStreamTimeout", 60, 180),
                    bounds("udpTimeout", 30, 60)}) {
    for (Row& row : more) rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<Row> MiscSpecRows() {
  const std::string mo = "/spec/metadataOptions";
  auto option = [&](const char* field, Json good, Json bad, std::string message) {
    return Row{mo + "/" + field + "#enum", SetAt(mo + "/" + field, good),
               SetAt(mo + "/" + field, bad), mo + "/" + field, std::move(message)};
  };
  const std::string tags = "/spec/tags";
  auto tag = [&](int rule, const char* good, const char* bad, const char* message) {
    return Row{tags + "#rule:" + std::to_string(rule), SetAt(tags, {{good, "x"}}),
               SetAt(tags, {{bad, "x"}}), tags, message};
  };
  return {
      option("httpEndpoint", "disabled", "on",
             "Unsupported value: \"on\": supported values: \"enabled\", \"disabled\""),
      option("httpProtocolIPv6", "enabled", "on",
             "Unsupported value: \"on\": supported values: \"enabled\", \"disabled\""),
      option("httpTokens", "optional", "maybe",
             "Unsupported value: \"maybe\": supported values: \"required\", \"optional\""),
      {mo + "/httpPutResponseHopLimit#minimum", SetAt(mo + "/httpPutResponseHopLimit", 1),
       SetAt(mo + "/httpPutResponseHopLimit", 0), mo + "/httpPutResponseHopLimit",
       "should be greater than or equal to 1"},
      {mo + "/httpPutResponseHopLimit#maximum", SetAt(mo + "/httpPutResponseHopLimit", 64),
       SetAt(mo + "/httpPutResponseHopLimit", 65), mo + "/httpPutResponseHopLimit",
       "should be less than or equal to 64"},
      {"/spec/cpuOptions/nestedVirtualization#enum",
       SetAt("/spec/cpuOptions/nestedVirtualization", "enabled"),
       SetAt("/spec/cpuOptions/nestedVirtualization", "maybe"),
       "/spec/cpuOptions/nestedVirtualization",
       "Unsupported value: \"maybe\": supported values: \"enabled\", \"disabled\""},
      {"/spec/instanceStorePolicy#enum", SetAt("/spec/instanceStorePolicy", "RAID0"),
       SetAt("/spec/instanceStorePolicy", "RAID1"), "/spec/instanceStorePolicy",
       "Unsupported value: \"RAID1\": supported values: \"RAID0\""},
      {"/spec/instanceProfile#rule:0",
       {Remove("/spec/role"), Set("/spec/instanceProfile", "Profile")},
       {Remove("/spec/role"), Set("/spec/instanceProfile", "")}, "/spec/instanceProfile",
       "Invalid value: \"\": instanceProfile cannot be empty"},
      {"/spec/role#rule:0", SetAt("/spec/role", "arn:aws:iam::123456789012:role/R"),
       SetAt("/spec/role", ""), "/spec/role", "Invalid value: \"\": role cannot be empty"},
      tag(0, "team", "", "empty tag keys aren't supported"),
      tag(1, "eks:other", "eks:eks-cluster-name",
          "tag contains a restricted tag matching eks:eks-cluster-name"),
      tag(2, "kubernetes.io/role", "kubernetes.io/cluster/demo",
          "tag contains a restricted tag matching kubernetes.io/cluster/"),
      tag(3, "karpenter.sh/discovery", "karpenter.sh/nodepool",
          "tag contains a restricted tag matching karpenter.sh/nodepool"),
      tag(4, "karpenter.sh/discovery", "karpenter.sh/nodeclaim",
          "tag contains a restricted tag matching karpenter.sh/nodeclaim"),
      tag(5, "karpenter.k8s.aws/cluster", "karpenter.k8s.aws/ec2nodeclass",
          "tag contains a restricted tag matching karpenter.k8s.aws/ec2nodeclass"),
  };
}

}  // namespace

std::vector<Row> EC2NodeClassSelectorRows() {
  std::vector<Row> rows;
  for (auto part : {SelectorRows(), NetworkRows(), MiscSpecRows()}) {
    for (Row& row : part) rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace karpenter::api::crd_rules
