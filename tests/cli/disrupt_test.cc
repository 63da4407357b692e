// `karpenter disrupt` end to end, in process: the bundled example cluster (examples/disrupt/)
// at fixed times, the table, the JSON contract, and bad input.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli_test_util.h"
#include "api/json.h"

namespace karpenter::cli {
namespace {

using test_util::CliRun;
using test_util::Karpenter;
using test_util::Source;
using test_util::TempFile;

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// `karpenter disrupt` of the example cluster at `now`, as JSON; the run must succeed quietly.
api::Json ExamplePass(const std::string& now, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"disrupt", "-f", Source("examples/disrupt/"), "--now", now,
                                   "-o", "json"};
  args.insert(args.end(), extra.begin(), extra.end());
  CliRun run = Karpenter(args);
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.err, "");
  return api::Json::parse(run.out);
}

api::Json Blocked(const std::string& node, const std::string& reason) {
  return {{"node", node}, {"reason", reason}};
}

// The example's nodes (examples/disrupt/nodes.yaml).
const std::string kSystem = "ip-10-0-11-20.ec2.internal";   // managed node group
const std::string kWeb = "ip-10-0-12-31.ec2.internal";      // both web pods, PDB
const std::string kDb = "ip-10-0-13-47.ec2.internal";       // db-0, do-not-disrupt
const std::string kEmpty = "ip-10-0-14-12.ec2.internal";    // empty since 19:25
const std::string kWorker = "ip-10-0-15-58.ec2.internal";   // c5.2xlarge, one 3-CPU pod
const std::string kSpotApi = "ip-10-0-16-77.ec2.internal";  // spot m5.large, one api pod
const std::string kNewApi = "ip-10-0-17-90.ec2.internal";   // launched 19:20, pods at 19:26

const std::string kNotManaged = "node is not managed by Karpenter (it has no NodeClaim)";
const std::string kPdb = "PDB default/web allows 0 disruptions (pod default/web-7d9f8c6b5-2xk9p)";
const std::string kDoNotDisrupt = "pod default/db-0 has karpenter.sh/do-not-disrupt";

std::string NightlyWindow(const std::string& reason) {
  return "budget for reason " + reason +
         " in NodePool \"general-purpose\" is exhausted (0 of 6 nodes may be disrupted at once; "
         "budgets[1] (nodes \"0\", schedule \"0 23 * * *\", duration 20h0m0s) applies until "
         "2024-05-29T19:00:00Z)";
}

std::vector<std::string> Keys(const api::Json& object) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : object.items()) keys.push_back(key);
  return keys;
}

TEST(Disrupt, ExampleAtTwentyToEightDeletesTheEmptyNode) {
  const api::Json pass = ExamplePass("2024-05-28T19:40:00Z");
  const std::string later = "left for a later pass: emptiness already disrupts " + kEmpty +
                            " this pass (one command per pass)";
  const api::Json expected = {
      {"commands",
       {{{"method", "emptiness"},
         {"reason", "Empty"},
         {"candidates", {kEmpty}},
         {"replacements", api::Json::array()},
         {"savingsPerHour", 0.0288}}}},  // a spot m5.large: 0.3 x $0.096
      {"blocked",
       {Blocked(kSystem, kNotManaged), Blocked(kWeb, kPdb), Blocked(kDb, kDoNotDisrupt),
        Blocked(kWorker, later), Blocked(kSpotApi, later), Blocked(kNewApi, later)}}};
  EXPECT_EQ(pass, expected) << pass.dump(2);
}

TEST(Disrupt, ExampleAtHalfPastSevenReplacesTheUnderutilizedNode) {
  api::Json pass = ExamplePass("2024-05-28T19:30:00Z");
  ASSERT_EQ(pass["commands"].size(), 1u) << pass.dump(2);
  api::Json& command = pass["commands"][0];
  EXPECT_THAT(Keys(command),
              ElementsAre("method", "reason", "candidates", "replacements", "savingsPerHour"));
  ASSERT_EQ(command["replacements"].size(), 1u);
  api::Json& replacement = command["replacements"][0];
  EXPECT_THAT(Keys(replacement),
              ElementsAre("instanceType", "instanceTypeOptions", "capacityType", "pricePerHour"));
  // Every c/m/r amd64 type that fits the 3-CPU worker and kube-proxy, and whose spot price is
  // below the c5.2xlarge's $0.34, cheapest first.
  const api::Json options = replacement["instanceTypeOptions"];
  ASSERT_EQ(options.size(), 177u);
  EXPECT_EQ(options[0], "c6a.xlarge");
  EXPECT_EQ(options[1], "c5a.xlarge");
  EXPECT_EQ(options[3], "c5.xlarge");
  replacement.erase("instanceTypeOptions");
  const api::Json expected = {
      {"commands",
       {{{"method", "single-node"},
         {"reason", "Underutilized"},
         {"candidates", {kWorker}},
         {"replacements",
          {{{"instanceType", "c6a.xlarge"}, {"capacityType", "spot"}, {"pricePerHour", 0.0459}}}},
         {"savingsPerHour", 0.2941}}}},
      {"blocked",
       {Blocked(kSystem, kNotManaged), Blocked(kWeb, kPdb), Blocked(kDb, kDoNotDisrupt),
        Blocked(kEmpty,
                "not consolidatable until 2024-05-28T19:35:00Z (consolidateAfter 10m0s after "
                "the last pod event)"),
        Blocked(kSpotApi,
                "budget for reason Underutilized in NodePool \"general-purpose\" is exhausted (1 "
                "of 6 nodes may be disrupted at once)"),
        Blocked(kNewApi,
                "not consolidatable until 2024-05-28T19:36:00Z (consolidateAfter 10m0s after "
                "the last pod event)")}}};
  EXPECT_EQ(pass, expected) << pass.dump(2);
}

TEST(Disrupt, ExampleInTheNightlyWindowSaysUntilWhen) {
  const api::Json pass = ExamplePass("2024-05-28T23:30:00Z");
  const api::Json expected = {
      {"commands", api::Json::array()},
      {"blocked",
       {Blocked(kSystem, kNotManaged), Blocked(kWeb, kPdb), Blocked(kDb, kDoNotDisrupt),
        Blocked(kEmpty, NightlyWindow("Empty")), Blocked(kWorker, NightlyWindow("Underutilized")),
        Blocked(kSpotApi, NightlyWindow("Underutilized")),
        Blocked(kNewApi, NightlyWindow("Underutilized"))}}};
  EXPECT_EQ(pass, expected) << pass.dump(2);
}

TEST(Disrupt, ExampleExpiryIgnoresTheWindowPdbsAndDoNotDisrupt) {
  // 10:00 the next morning: the window still holds, but expireAfter 24h has run out for every
  // node launched before 10:00 the day before, earliest first.
  const api::Json pass = ExamplePass("2024-05-29T10:00:00Z");
  const api::Json expected = {
      {"commands",
       {{{"method", "expiration"},
         {"reason", "Expired"},
         {"candidates", {kWeb, kDb, kWorker, kEmpty, kSpotApi}},
         {"replacements", api::Json::array()},
         {"savingsPerHour", 0.7156}}}},
      {"blocked",
       {Blocked(kSystem, kNotManaged), Blocked(kNewApi, NightlyWindow("Underutilized"))}}};
  EXPECT_EQ(pass, expected) << pass.dump(2);
}

TEST(Disrupt, TableForPeople) {
  CliRun run =
      Karpenter({"disrupt", "-f", Source("examples/disrupt/"), "--now", "2024-05-28T19:40:00Z"});
  ASSERT_EQ(run.code, 0) << run.err;
  const std::string later = ": left for a later pass: emptiness already disrupts " + kEmpty +
                            " this pass (one command per pass)\n";
  EXPECT_EQ(run.out, "Disruption pass at 2024-05-28T19:40:00Z\n"
                     "emptiness (Empty): " + kEmpty + ", saving $0.0288/hour\n"
                     "Left alone:\n"
                     "  " + kSystem + ": " + kNotManaged + "\n"
                     "  " + kWeb + ": " + kPdb + "\n"
                     "  " + kDb + ": " + kDoNotDisrupt + "\n"
                     "  " + kWorker + later +
                     "  " + kSpotApi + later +
                     "  " + kNewApi + later);

  run = Karpenter({"disrupt", "-f", Source("examples/disrupt/"), "--now", "2024-05-28T19:30:00Z"});
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("single-node (Underutilized): " + kWorker +
                                 ", saving $0.2941/hour\n"
                                 "  replace with spot c6a.xlarge ($0.0459/hour; 177 option(s))\n"
                                 "Left alone:\n"));

  run = Karpenter({"disrupt", "-f", Source("examples/disrupt/"), "--now", "2024-05-28T23:30:00Z"});
  EXPECT_THAT(run.out, HasSubstr("Disruption pass at 2024-05-28T23:30:00Z\n"
                                 "No disruption this pass.\nLeft alone:\n"));
}

TEST(Disrupt, NowMustBeRfc3339) {
  for (const char* bad : {"yesterday", "2024-05-28 19:30:00", "2024-13-01T00:00:00Z"}) {
    CliRun run = Karpenter({"disrupt", "-f", Source("examples/disrupt/"), "--now", bad});
    EXPECT_EQ(run.code, 2) << bad;
    EXPECT_EQ(run.out, "");
    EXPECT_EQ(run.err, "error: --now " + std::string(bad) +
                           " is not an RFC 3339 time (e.g. 2024-05-28T19:30:00Z)\n");
  }
  // An offset is RFC 3339 too: 21:40 in UTC+2 is 19:40 UTC.
  CliRun run = Karpenter(
      {"disrupt", "-f", Source("examples/disrupt/"), "--now", "2024-05-28T21:40:00+02:00"});
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_THAT(run.out, ::testing::StartsWith("Disruption pass at 2024-05-28T19:40:00Z\n"
                                             "emptiness (Empty): " + kEmpty + ", saving "));
}

TEST(Disrupt, BadInputNamesFileAndLineAndTheRestIsStillDecided) {
  const std::string bad = TempFile("bad.yaml", R"(apiVersion: v1
kind: Pod
metadata: {name: bad}
spec:
  containers:
  - name: c
    resources: {requests: {cpu: "-1"}}
)");
  CliRun run = Karpenter({"disrupt", "-f", Source("examples/disrupt/"), "-f", bad, "--now",
                          "2024-05-28T19:40:00Z", "-o", "json"});
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.err,
              HasSubstr(bad + ":7:28: error: Pod/bad: spec.containers[0].resources.requests.cpu"));
  EXPECT_THAT(run.err, HasSubstr("1 error(s) in the input; the pass covers the objects without "
                                 "errors\n"));
  const api::Json pass = api::Json::parse(run.out);
  ASSERT_EQ(pass["commands"].size(), 1u);
  EXPECT_EQ(pass["commands"][0]["candidates"], api::Json({kEmpty}));

  const std::string broken = TempFile("broken.yaml", "apiVersion: v1\nkind: Node\nmetadata: [\n");
  run = Karpenter({"disrupt", "-f", broken, "--now", "2024-05-28T19:40:00Z"});
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.err, HasSubstr(broken + ":4:1: error: invalid YAML"));
  EXPECT_EQ(run.out, "Disruption pass at 2024-05-28T19:40:00Z\nNo disruption this pass.\n");

  run = Karpenter({"disrupt", "-f", Source("examples/disrupt/nope.yaml")});
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.err, HasSubstr("nope.yaml: error: no such file or directory\n"));
}

TEST(Disrupt, UsageErrors) {
  EXPECT_EQ(Karpenter({"disrupt", "-f", Source("examples/disrupt/"), "-o", "yaml"}).code, 2);
  CliRun run = Karpenter({"disrupt", "-f", Source("examples/disrupt/"), "--region", "mars-1"});
  EXPECT_EQ(run.code, 2);
  EXPECT_THAT(run.err, HasSubstr("mars-1"));
  EXPECT_EQ(run.out, "");
}

// One spot m5.2xlarge running a 500m pod, in a NodePool that launches spot m-family nodes only.
const std::string kSpotCluster = R"(apiVersion: karpenter.k8s.aws/v1
kind: EC2NodeClass
metadata: {name: default}
spec:
  amiSelectorTerms: [{alias: al2023@latest}]
  role: KarpenterNodeRole-demo
  subnetSelectorTerms: [{tags: {karpenter.sh/discovery: demo}}]
  securityGroupSelectorTerms: [{tags: {karpenter.sh/discovery: demo}}]
---
apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {name: spot}
spec:
  template:
    spec:
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
      requirements:
        - {key: karpenter.sh/capacity-type, operator: In, values: [spot]}
        - {key: karpenter.k8s.aws/instance-category, operator: In, values: [m]}
  disruption:
    consolidateAfter: 0s
---
apiVersion: karpenter.sh/v1
kind: NodeClaim
metadata:
  name: spot-abcde
  creationTimestamp: "2024-05-28T08:00:00Z"
  labels: {karpenter.sh/nodepool: spot, node.kubernetes.io/instance-type: m5.2xlarge,
           karpenter.sh/capacity-type: spot, topology.kubernetes.io/zone: us-east-1a,
           karpenter.k8s.aws/instance-category: m}
spec:
  nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
  requirements: [{key: karpenter.sh/capacity-type, operator: In, values: [spot]}]
status:
  nodeName: node-a
  providerID: aws:///us-east-1a/i-0000000000000000a
  lastPodEventTime: "2024-05-28T08:05:00Z"
---
apiVersion: v1
kind: Node
metadata:
  name: node-a
  labels: {karpenter.sh/nodepool: spot, karpenter.sh/initialized: "true",
           node.kubernetes.io/instance-type: m5.2xlarge, karpenter.sh/capacity-type: spot,
           topology.kubernetes.io/zone: us-east-1a, karpenter.k8s.aws/instance-category: m,
           kubernetes.io/arch: amd64, kubernetes.io/os: linux}
spec: {providerID: aws:///us-east-1a/i-0000000000000000a}
---
apiVersion: v1
kind: Pod
metadata: {name: app, namespace: default}
spec:
  nodeName: node-a
  containers: [{name: app, image: app:1, resources: {requests: {cpu: 500m, memory: 1Gi}}}]
)";

TEST(Disrupt, SpotToSpotNeedsTheFlag) {
  const std::string cluster = TempFile("spot.yaml", kSpotCluster);
  CliRun run = Karpenter({"disrupt", "-f", cluster, "--now", "2024-05-28T12:00:00Z", "-o", "json"});
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(api::Json::parse(run.out),
            api::Json({{"commands", api::Json::array()},
                       {"blocked",
                        {Blocked("node-a", "replacing spot with spot needs the "
                                           "SpotToSpotConsolidation feature")}}}));

  run = Karpenter({"disrupt", "-f", cluster, "--now", "2024-05-28T12:00:00Z", "-o", "json",
                   "--spot-to-spot"});
  ASSERT_EQ(run.code, 0) << run.err;
  // The 15 cheapest spot types that fit (upstream's spot-to-spot limit); m5.2xlarge spot is
  // $0.1152/h, m6g.medium $0.0116/h (modelled: 0.3 × on-demand).
  const api::Json expected = api::Json::parse(R"({
    "commands": [{
      "method": "single-node",
      "reason": "Underutilized",
      "candidates": ["node-a"],
      "replacements": [{
        "instanceType": "m6g.medium",
        "instanceTypeOptions": ["m6g.medium", "m7g.medium", "m1.small", "m8g.medium",
                                "m6gd.medium", "m7gd.medium", "m8gd.medium", "m7a.medium",
                                "m8a.medium", "m3.medium", "m8gb.medium", "m8gn.medium",
                                "m6g.large", "m7g.large", "m5a.large"],
        "capacityType": "spot",
        "pricePerHour": 0.0116
      }],
      "savingsPerHour": 0.1037
    }],
    "blocked": []
  })");
  EXPECT_EQ(api::Json::parse(run.out), expected) << run.out;
}

TEST(Disrupt, SameInputSameOutput) {
  const std::vector<std::string> args = {"disrupt", "-f", Source("examples/disrupt/"), "--now",
                                         "2024-05-28T19:30:00Z", "-o", "json"};
  EXPECT_EQ(Karpenter(args).out, Karpenter(args).out);
}

}  // namespace
}  // namespace karpenter::cli
