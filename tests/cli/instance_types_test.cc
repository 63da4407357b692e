// `karpenter instance-types` end to end, in process.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli_test_util.h"
#include "api/json.h"
#include "catalog/aws_catalog.h"
#include "catalog/labels.h"
#include "cli/requirement_flag.h"

namespace karpenter::cli {
namespace {

using test_util::CliRun;
using test_util::Karpenter;

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

std::string TestData(const std::string& relative) {
  return (fs::path(KARPENTER_TEST_DATA_DIR) / "instance-types" / relative).string();
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> Words(const std::string& line) {
  std::vector<std::string> words;
  std::istringstream in(line);
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

const std::vector<std::string> kAcceptance = {"instance-types",
                                              "--region",
                                              "us-east-1",
                                              "--requirement",
                                              "karpenter.k8s.aws/instance-category In c,m,r",
                                              "--requirement",
                                              "kubernetes.io/arch In amd64"};

std::vector<std::string> With(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

api::Json JsonOf(const CliRun& run) {
  EXPECT_EQ(run.code, 0) << run.err;
  return api::Json::parse(run.out);
}

// The entry for `name` in json output, or null.
api::Json Entry(const api::Json& listing, const std::string& name) {
  for (const api::Json& entry : listing) {
    if (entry["name"] == name) return entry;
  }
  return nullptr;
}

TEST(InstanceTypesCli, AcceptanceListsOnlyCmrAmd64CheapestFirst) {
  api::Json listing = JsonOf(Karpenter(With(kAcceptance, {"-o", "json"})));
  ASSERT_TRUE(listing.is_array());
  // An independent selection from the catalog: category c, m or r, amd64, and an available
  // offering.
  auto catalog = catalog::LoadAwsCatalog("us-east-1");
  ASSERT_TRUE(catalog.has_value());
  std::set<std::string> expected;
  for (const catalog::InstanceType& type : catalog->types()) {
    auto category = type.Label(catalog::kLabelInstanceCategory);
    if (category && (*category == "c" || *category == "m" || *category == "r") &&
        type.Label(catalog::kLabelArch) == "amd64" && type.CheapestAvailableOffering()) {
      expected.insert(type.name());
    }
  }
  std::set<std::string> listed;
  double previous_price = 0;
  std::string previous_name;
  for (const api::Json& entry : listing) {
    const std::string name = entry["name"];
    listed.insert(name);
    EXPECT_THAT(std::string(entry["labels"]["karpenter.k8s.aws/instance-category"]),
                ::testing::AnyOf("c", "m", "r"));
    EXPECT_EQ(entry["labels"]["kubernetes.io/arch"], "amd64");
    const double price = entry["cheapestOffering"]["price"];
    EXPECT_TRUE(price > previous_price || (price == previous_price && name > previous_name))
        << previous_name << " then " << name;
    previous_price = price;
    previous_name = name;
  }
  EXPECT_GT(listed.size(), 100u);
  EXPECT_EQ(listed, expected);
}

TEST(InstanceTypesCli, JsonEntryOfM5Large) {
  api::Json m5 = Entry(JsonOf(Karpenter(With(kAcceptance, {"-o", "json"}))), "m5.large");
  ASSERT_FALSE(m5.is_null());
  EXPECT_EQ(
      m5["capacity"],
      api::Json::parse(R"({"cpu":"2","ephemeral-storage":"20Gi","memory":"7577Mi","pods":"29"})"));
  EXPECT_EQ(m5["allocatable"]["cpu"], "1930m");
  EXPECT_EQ(m5["allocatable"]["memory"], "6903Mi");
  EXPECT_EQ(m5["allocatable"]["pods"], "29");
  EXPECT_EQ(m5["overhead"]["kubeReserved"],
            api::Json::parse(R"({"cpu":"70m","ephemeral-storage":"1Gi","memory":"574Mi"})"));
  EXPECT_EQ(m5["overhead"]["systemReserved"], api::Json::object());
  EXPECT_EQ(m5["overhead"]["evictionThreshold"]["memory"], "100Mi");
  EXPECT_EQ(m5["labels"]["node.kubernetes.io/instance-type"], "m5.large");
  EXPECT_EQ(m5["labels"]["karpenter.k8s.aws/instance-family"], "m5");
  EXPECT_EQ(m5["labels"]["topology.kubernetes.io/region"], "us-east-1");
  // Zone and capacity type have several values: not labels of the type.
  EXPECT_FALSE(m5["labels"].contains("topology.kubernetes.io/zone"));
  // The model prices spot at 0.3 x the on-demand list price of $0.096, and says so.
  EXPECT_EQ(m5["cheapestOffering"]["capacityType"], "spot");
  EXPECT_EQ(m5["cheapestOffering"]["price"], 0.0288);
  EXPECT_EQ(m5["cheapestOffering"]["priceSource"], "spot-model");
  bool on_demand_listed = false;
  for (const api::Json& offering : m5["offerings"]) {
    if (offering["capacityType"] == "on-demand" && offering["zone"] == "us-east-1a") {
      on_demand_listed = true;
      EXPECT_EQ(offering, api::Json::parse(R"({"zone":"us-east-1a","capacityType":"on-demand",
          "price":0.096,"priceSource":"on-demand-list","available":true})"));
    }
  }
  EXPECT_TRUE(on_demand_listed);
}

TEST(InstanceTypesCli, TableListsTheSameTypesInTheSameOrder) {
  api::Json listing = JsonOf(Karpenter(With(kAcceptance, {"-o", "json"})));
  CliRun run = Karpenter(kAcceptance);
  ASSERT_EQ(run.code, 0) << run.err;
  std::vector<std::string> lines = Lines(run.out);
  ASSERT_EQ(lines.size(), listing.size() + 3);  // header, rows, count, footnote
  EXPECT_EQ(Words(lines[0]),
            (std::vector<std::string>{"NAME", "CPU", "MEMORY", "PODS", "ALLOCATABLE", "CPU",
                                      "ALLOCATABLE", "MEMORY", "CHEAPEST"}));
  for (size_t i = 0; i < listing.size(); ++i) {
    ASSERT_EQ(Words(lines[i + 1]).front(), listing[i]["name"]) << "row " << i;
  }
  const size_t m5 = std::find_if(lines.begin(), lines.end(),
                                 [](const std::string& l) { return l.starts_with("m5.large "); }) -
                    lines.begin();
  ASSERT_LT(m5, lines.size());
  const std::string zone = Entry(listing, "m5.large")["cheapestOffering"]["zone"];
  EXPECT_EQ(Words(lines[m5]), (std::vector<std::string>{"m5.large", "2", "7577Mi", "29", "1930m",
                                                        "6903Mi", "$0.0288*", zone, "spot"}));
  EXPECT_EQ(lines[listing.size() + 1],
            std::to_string(listing.size()) + " instance types (of " +
                std::to_string(catalog::LoadAwsCatalog("us-east-1")->size()) +
                " in us-east-1), cheapest first");
  EXPECT_EQ(lines.back(), "* modelled spot price: 0.3 x on-demand; no spot price data");
}

TEST(InstanceTypesCli, CheapestOfferingRespectsCapacityTypeRequirement) {
  CliRun run =
      Karpenter({"instance-types", "--requirement", "karpenter.sh/capacity-type In on-demand",
                 "--requirement", "node.kubernetes.io/instance-type In m5.large,m5.xlarge"});
  ASSERT_EQ(run.code, 0) << run.err;
  std::vector<std::string> lines = Lines(run.out);
  ASSERT_EQ(lines.size(), 4u) << run.out;
  EXPECT_EQ(Words(lines[1]),
            (std::vector<std::string>{"m5.large", "2", "7577Mi", "29", "1930m", "6903Mi", "$0.0960",
                                      "us-east-1a", "on-demand"}));
  EXPECT_EQ(Words(lines[2]).front(), "m5.xlarge");
  EXPECT_EQ(lines[3], "2 instance types (of " +
                          std::to_string(catalog::LoadAwsCatalog("us-east-1")->size()) +
                          " in us-east-1), cheapest first");
  EXPECT_THAT(run.out, Not(HasSubstr("modelled")));
}

TEST(InstanceTypesCli, IntegerBoundsFilter) {
  api::Json listing = JsonOf(Karpenter({"instance-types", "-o", "json", "--requirement",
                                        "karpenter.k8s.aws/instance-cpu Gt 64", "--requirement",
                                        "karpenter.k8s.aws/instance-cpu Lt 97"}));
  ASSERT_FALSE(listing.empty());
  for (const api::Json& entry : listing) {
    const int cpu = std::stoi(std::string(entry["labels"]["karpenter.k8s.aws/instance-cpu"]));
    EXPECT_TRUE(cpu > 64 && cpu < 97) << entry["name"];
  }
}

TEST(InstanceTypesCli, UnknownRegionIsAUsageError) {
  CliRun run = Karpenter({"instance-types", "--region", "mars-north-1"});
  EXPECT_EQ(run.code, 2);
  EXPECT_EQ(run.err,
            "error: --region \"mars-north-1\": no instance-type data for region \"mars-north-1\"; "
            "known regions: ap-northeast-2, ap-southeast-1, eu-west-1, us-east-1, us-west-2\n");
  EXPECT_EQ(run.out, "");
}

TEST(InstanceTypesCli, BadRequirementIsAUsageErrorNamingTheFlag) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"kubernetes.io/arch", "expected \"key operator [values]\""},
      {"kubernetes.io/arch Into amd64", "unknown operator \"Into\""},
      {"kubernetes.io/arch In", "operator In needs at least one value"},
      {"kubernetes.io/arch Exists amd64", "operator Exists takes no values"},
      {"karpenter.k8s.aws/instance-cpu Gt four", "operator Gt needs exactly one integer value"},
      {"kubernetes.io/arch In amd64,,arm64", "empty value"},
  };
  for (const auto& [flag, message] : cases) {
    CliRun run = Karpenter({"instance-types", "--requirement", flag});
    EXPECT_EQ(run.code, 2) << flag;
    EXPECT_THAT(run.err, StartsWith("error: --requirement \"" + flag + "\": ")) << flag;
    EXPECT_THAT(run.err, HasSubstr(message)) << flag;
    EXPECT_EQ(run.out, "");
  }
}

TEST(InstanceTypesCli, BadOutputFormatIsAUsageError) {
  EXPECT_EQ(Karpenter({"instance-types", "-o", "yaml"}).code, 2);
  EXPECT_EQ(Karpenter({"instance-types", "--spot-to-on-demand-ratio", "0"}).code, 2);
}

TEST(InstanceTypesCli, NodeClassChangesPodsAndStorage) {
  const std::vector<std::string> m5 = {"instance-types", "-o", "json", "--requirement",
                                       "node.kubernetes.io/instance-type In m5.large"};
  api::Json plain = JsonOf(Karpenter(m5));
  ASSERT_EQ(plain.size(), 1u);
  EXPECT_EQ(plain[0]["capacity"]["pods"], "29");

  api::Json tuned =
      JsonOf(Karpenter(With(m5, {"--nodeclass", TestData("nodeclass-maxpods-20.yaml")})));
  ASSERT_EQ(tuned.size(), 1u);
  EXPECT_EQ(tuned[0]["capacity"]["pods"], "20");
  EXPECT_EQ(tuned[0]["capacity"]["ephemeral-storage"], "100Gi");
  // AL2023 reserves kube memory for the ENI-limited 29 pods regardless of maxPods.
  EXPECT_EQ(tuned[0]["overhead"]["kubeReserved"]["memory"], "574Mi");

  // The seed example: the file also holds a NodePool; its EC2NodeClass has a 60Gi /dev/xvda.
  api::Json seed = JsonOf(Karpenter(With(
      m5, {"--nodeclass", std::string(KARPENTER_SOURCE_DIR) + "/examples/general-purpose.yaml"})));
  ASSERT_EQ(seed.size(), 1u);
  EXPECT_EQ(seed[0]["capacity"]["ephemeral-storage"], "60Gi");
}

TEST(InstanceTypesCli, InvalidNodeClassIsRejected) {
  const std::string file =
      std::string(KARPENTER_TEST_DATA_DIR) + "/seeds-as-written/general-purpose-ec2nodeclass.yaml";
  CliRun run = Karpenter({"instance-types", "--nodeclass", file});
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.err, HasSubstr("must specify amiFamily if amiSelectorTerms does not contain "
                                 "an alias"));
  EXPECT_EQ(run.out, "");

  CliRun none = Karpenter({"instance-types", "--nodeclass", TestData("catalog.yaml")});
  EXPECT_EQ(none.code, 1);
  EXPECT_THAT(none.err, HasSubstr("--nodeclass needs exactly one karpenter.k8s.aws/v1 "
                                  "EC2NodeClass in the file, found 0"));
}

TEST(InstanceTypesCli, CustomCatalogTableGolden) {
  CliRun run = Karpenter({"instance-types", "-f", TestData("catalog.yaml")});
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.out, ReadFile(TestData("catalog-table.txt")));
  EXPECT_EQ(run.err, "");
}

TEST(InstanceTypesCli, CustomCatalogFiltersAndSkipsUnavailableOfferings) {
  api::Json listing = JsonOf(Karpenter({"instance-types", "-f", TestData("catalog.yaml"), "-o",
                                        "json", "--requirement", "kubernetes.io/arch In arm64"}));
  ASSERT_EQ(listing.size(), 1u);
  EXPECT_EQ(listing[0]["name"], "arm");
  // The spot offering at $0.02 is unavailable: the on-demand one is the cheapest.
  EXPECT_EQ(listing[0]["cheapestOffering"],
            api::Json::parse(R"({"zone":"test-zone-b","capacityType":"on-demand","price":0.08,
                                 "priceSource":"custom","available":true})"));
  // Capacity type has two values (the unavailable spot offering counts, as upstream): no label.
  EXPECT_EQ(listing[0]["labels"], api::Json::parse(R"({"kubernetes.io/arch":"arm64",
                                 "node.kubernetes.io/instance-type":"arm",
                                 "topology.kubernetes.io/zone":"test-zone-b"})"))
      << listing[0]["labels"].dump();
}

TEST(InstanceTypesCli, CustomCatalogExcludesAwsFlags) {
  EXPECT_EQ(
      Karpenter({"instance-types", "-f", TestData("catalog.yaml"), "--region", "eu-west-1"}).code,
      2);
  EXPECT_EQ(Karpenter({"instance-types", "-f", TestData("catalog.yaml"), "--nodeclass",
                       TestData("nodeclass-maxpods-20.yaml")})
                .code,
            2);
}

TEST(InstanceTypesCli, CustomCatalogErrorsNameFileAndField) {
  const fs::path file = fs::temp_directory_path() / "karpenter-instance-types-bad.yaml";
  std::ofstream(file) << "apiVersion: sim.karpenter-cpp.io/v1alpha1\nkind: InstanceType\n"
                         "metadata: {name: bad}\nspec:\n  capacity: {cpu: \"1\"}\n  offerings:\n"
                         "  - {zone: z, capacityType: preemptible, price: 1}\n";
  CliRun run = Karpenter({"instance-types", "-f", file.string()});
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.err, HasSubstr(file.string() + ":7:"));
  EXPECT_THAT(run.err, HasSubstr("error: InstanceType/bad: spec.offerings[0].capacityType: "
                                 "Unsupported value: \"preemptible\""));
  fs::remove(file);
}

TEST(InstanceTypesCli, FallbackRegionSaysWherePricesComeFrom) {
  CliRun run = Karpenter({"instance-types", "--region", "eu-west-1", "--requirement",
                          "node.kubernetes.io/instance-type In m5.large"});
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("+ us-east-1 on-demand list price: no price table for "
                                 "eu-west-1 (modelled spot prices are derived from it too)\n"));
  api::Json listing =
      JsonOf(Karpenter({"instance-types", "--region", "eu-west-1", "-o", "json", "--requirement",
                        "node.kubernetes.io/instance-type In "
                        "m5.large"}));
  ASSERT_EQ(listing.size(), 1u);
  for (const api::Json& offering : listing[0]["offerings"]) {
    EXPECT_EQ(offering["priceSource"],
              offering["capacityType"] == "spot" ? "spot-model" : "on-demand-list-us-east-1");
  }
}

TEST(InstanceTypesCli, SpotRatioChangesTheModel) {
  CliRun run = Karpenter({"instance-types", "--spot-to-on-demand-ratio", "0.5", "--requirement",
                          "node.kubernetes.io/instance-type In m5.large"});
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("$0.0480* "));
  EXPECT_THAT(run.out, HasSubstr("* modelled spot price: 0.5 x on-demand; no spot price data"));
}

TEST(InstanceTypesCli, WarnsAboutRequirementKeysNoTypeHas) {
  CliRun run =
      Karpenter({"instance-types", "--requirement", "karpenter.k8s.aws/instance-categroy In c"});
  EXPECT_EQ(run.code, 0);
  EXPECT_EQ(run.err,
            "warning: no instance type has label \"karpenter.k8s.aws/instance-categroy\": "
            "the requirement does not restrict the list\n");
}

TEST(InstanceTypesCli, NothingMatches) {
  CliRun run = Karpenter({"instance-types", "--requirement", "kubernetes.io/arch In s390x"});
  EXPECT_EQ(run.code, 0);
  EXPECT_THAT(run.out, StartsWith("no instance type matches (of "));
  CliRun json =
      Karpenter({"instance-types", "-o", "json", "--requirement", "kubernetes.io/arch In s390x"});
  EXPECT_EQ(json.out, "[]\n");
}

TEST(RequirementFlagTest, ParsesEveryOperator) {
  auto in = ParseRequirementFlag("  kubernetes.io/arch   In  amd64 , arm64 ");
  ASSERT_TRUE(in.has_value());
  EXPECT_EQ(in->key, "kubernetes.io/arch");
  EXPECT_EQ(in->op, core::Operator::In);
  EXPECT_EQ(in->values, (std::vector<std::string>{"amd64", "arm64"}));
  EXPECT_EQ(in->min_values, std::nullopt);
  auto exists = ParseRequirementFlag("karpenter.k8s.aws/instance-gpu-count Exists");
  ASSERT_TRUE(exists.has_value());
  EXPECT_EQ(exists->op, core::Operator::Exists);
  EXPECT_TRUE(exists->values.empty());
  auto gt = ParseRequirementFlag("karpenter.k8s.aws/instance-cpu Gt 4");
  ASSERT_TRUE(gt.has_value());
  EXPECT_EQ(gt->values, std::vector<std::string>{"4"});
  EXPECT_EQ(ParseRequirementFlag("k NotIn a")->op, core::Operator::NotIn);
  EXPECT_EQ(ParseRequirementFlag("k DoesNotExist")->op, core::Operator::DoesNotExist);
  EXPECT_EQ(ParseRequirementFlag("k Lte -3")->op, core::Operator::Lte);
}

TEST(RequirementFlagTest, Errors) {
  EXPECT_EQ(ParseRequirementFlag("").error().message,
            "expected \"key operator [values]\", e.g. \"kubernetes.io/arch In amd64,arm64\"");
  EXPECT_EQ(ParseRequirementFlag("k Gt 1,2").error().message,
            "key \"k\": operator Gt needs exactly one integer value, got [\"1\" \"2\"]");
  EXPECT_EQ(ParseRequirementFlag("k NotIn").error().message,
            "operator NotIn needs at least one value, e.g. \"k NotIn a,b\"");
  EXPECT_EQ(ParseRequirementFlag("k in a").error().message,
            "unknown operator \"in\" (expected In, NotIn, Exists, DoesNotExist, Gt, Lt, Gte or "
            "Lte)");
}

}  // namespace
}  // namespace karpenter::cli
