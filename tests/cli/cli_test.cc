// The `karpenter` command line end to end, in process: arguments in, exit code and output out.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli_test_util.h"
#include "api/yaml_reader.h"

namespace karpenter::cli {
namespace {

using test_util::CliRun;
using test_util::Karpenter;
using test_util::Source;
using test_util::TestData;

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(Cli, ValidateAcceptsEveryBundledExample) {
  CliRun run = Karpenter({"validate", "-f", Source("examples")});
  EXPECT_EQ(run.code, 0) << run.out << run.err;
  EXPECT_THAT(run.out, Not(HasSubstr("error:")));
  EXPECT_THAT(run.out, HasSubstr("document(s) valid"));
  // The legacy examples are accepted with a pointer to `karpenter convert`.
  EXPECT_THAT(run.out, HasSubstr("karpenter.sh/v1alpha5 Provisioner is not served by Karpenter v1"));
}

TEST(Cli, ValidateRejectsTheSeedEC2NodeClassAsWritten) {
  const std::string file = TestData("seeds-as-written/general-purpose-ec2nodeclass.yaml");
  CliRun run = Karpenter({"validate", "-f", file});
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.out, HasSubstr(file + ":9:1: error: EC2NodeClass/general-purpose: spec: "
                                        "Invalid value: must specify amiFamily if amiSelectorTerms does not "
                                        "contain an alias"));
  EXPECT_THAT(run.out, HasSubstr("1 error(s) in 1 document(s)"));
}

TEST(Cli, ValidateRejectsTheSeedNodePoolAsWritten) {
  const std::string file = TestData("seeds-as-written/general-purpose-nodepool.yaml");
  CliRun run = Karpenter({"validate", "-f", file});
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.out, HasSubstr(file + ":33:3: error: NodePool/general-purpose: "
                                        "spec.disruption.consolidateAfter: Required value"));
}

TEST(Cli, ValidateNamesFileLineObjectAndField) {
  const fs::path dir = fs::temp_directory_path() / "karpenter-cli-test";
  fs::create_directories(dir);
  const std::string file = (dir / "bad-nodepool.yaml").string();
  std::ofstream(file) << "apiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata:\n  name: bad\n"
                         "spec:\n  disruption:\n    consolidationPolicy: Sometimes\n"
                         "  template:\n    spec:\n      nodeClassRef: {group: karpenter.k8s.aws, "
                         "kind: EC2NodeClass, name: default}\n      requirements: []\n";
  CliRun run = Karpenter({"validate", "-f", file});
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.out, HasSubstr(file + ":7:5: error: NodePool/bad: "
                                        "spec.disruption.consolidationPolicy: Unsupported value: "
                                        "\"Sometimes\""));
}

TEST(Cli, ConvertsTheSeedProvisionerAndNodeTemplateToV1) {
  CliRun run = Karpenter({"convert", "-f", Source("examples/legacy/provisioner-default.yaml")});
  ASSERT_EQ(run.code, 0) << run.err;
  api::ReadResult output = api::ReadYamlDocuments(run.out, "stdout");
  ASSERT_TRUE(output.errors.empty());
  ASSERT_EQ(output.documents.size(), 2u);
  const api::Json& nodepool = output.documents[0].value;
  EXPECT_EQ(nodepool["apiVersion"], "karpenter.sh/v1");
  EXPECT_EQ(nodepool["kind"], "NodePool");
  EXPECT_EQ(nodepool["spec"]["disruption"]["consolidationPolicy"], "WhenEmpty");
  EXPECT_EQ(nodepool["spec"]["disruption"]["consolidateAfter"], "30s");
  EXPECT_EQ(nodepool["spec"]["limits"]["cpu"], api::Json(1000));
  bool has_spot = false;
  for (const api::Json& r : nodepool["spec"]["template"]["spec"]["requirements"]) {
    has_spot |= r["key"] == "karpenter.sh/capacity-type" && r["operator"] == "In" &&
                r["values"] == api::Json::array({"spot"});
  }
  EXPECT_TRUE(has_spot) << run.out;
  const api::Json& nodeclass = output.documents[1].value;
  EXPECT_EQ(nodeclass["apiVersion"], "karpenter.k8s.aws/v1");
  EXPECT_EQ(nodeclass["kind"], "EC2NodeClass");
  const api::Json discovery = api::Json::parse(R"([{"tags":{"karpenter.sh/discovery":"${CLUSTER_NAME}"}}])");
  EXPECT_EQ(nodeclass["spec"]["subnetSelectorTerms"], discovery);
  EXPECT_EQ(nodeclass["spec"]["securityGroupSelectorTerms"], discovery);
  EXPECT_EQ(nodeclass["spec"]["role"], "$KARPENTER_NODE_ROLE");
}

TEST(Cli, ConvertedOutputValidates) {
  for (const char* legacy : {"provisioner-default.yaml", "nodepool-default-v1beta1.yaml"}) {
    CliRun converted = Karpenter({"convert", "-f", Source("examples/legacy/") + legacy});
    ASSERT_EQ(converted.code, 0) << converted.err;
    const fs::path file = fs::temp_directory_path() / "karpenter-cli-converted.yaml";
    std::ofstream(file) << converted.out;
    CliRun run = Karpenter({"validate", "-f", file.string()});
    EXPECT_EQ(run.code, 0) << legacy << ":\n" << run.out;
    fs::remove(file);
  }
}

// Both legacy examples are named `default`: converted together they would collide.
TEST(Cli, ConvertRefusesTwoObjectsWithTheSameName) {
  CliRun converted = Karpenter({"convert", "-f", Source("examples/legacy")});
  EXPECT_EQ(converted.code, 1);
  EXPECT_THAT(converted.err, HasSubstr("error: Provisioner/default: metadata.name: the output has "
                                       "two NodePool/default: rename one of them"));
}

TEST(Cli, UsageErrorsExitTwo) {
  EXPECT_EQ(Karpenter({}).code, 2);
  EXPECT_EQ(Karpenter({"validate"}).code, 2);
  EXPECT_EQ(Karpenter({"frobnicate"}).code, 2);
  EXPECT_EQ(Karpenter({"validate", "-f", "x", "--max-input-mib", "0"}).code, 2);
}

TEST(Cli, MissingFileIsAnError) {
  CliRun run = Karpenter({"validate", "-f", "/nonexistent/manifest.yaml"});
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.out, HasSubstr("/nonexistent/manifest.yaml: error: no such file or directory"));
}

TEST(Cli, FileOverTheLimitIsRefusedWithoutParsing) {
  const fs::path file = fs::temp_directory_path() / "karpenter-cli-50mb.yaml";
  {
    std::ofstream out(file);
    const std::string line = "# " + std::string(1022, 'x') + "\n";
    for (int i = 0; i < 50 * 1024; ++i) out << line;  // 50 MiB of comments
  }
  CliRun run = Karpenter({"validate", "-f", file.string()});
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.out, HasSubstr("input is larger than the limit of 32 MiB"));
  fs::remove(file);
}

}  // namespace
}  // namespace karpenter::cli
