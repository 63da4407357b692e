#include "catalog/custom_catalog.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "api/codec/instance_type_codec.h"
#include "api/model/instance_type.h"
#include "api/yaml_reader.h"
#include "catalog/labels.h"

namespace karpenter::catalog {
namespace {

// The example document of the catalog issue: the format's contract.
constexpr std::string_view kIssueExample = R"(
apiVersion: sim.karpenter-cpp.io/v1alpha1
kind: InstanceType
metadata: {name: default-instance-type}
spec:
  capacity: {cpu: "4", memory: 4Gi, pods: "5"}
  overhead: {kubeReserved: {cpu: 100m, memory: 10Mi}}
  requirements:
  - {key: kubernetes.io/arch, operator: In, values: [amd64]}
  - {key: kubernetes.io/os, operator: In, values: [linux, windows]}
  offerings:
  - {zone: test-zone-1, capacityType: spot, price: 0.8295}
)";

// Every document of `yaml`, decoded.
std::vector<api::InstanceType> Documents(std::string_view yaml) {
  api::ReadResult read = api::ReadYamlDocuments(yaml, "catalog.yaml");
  EXPECT_TRUE(read.errors.empty());
  std::vector<api::InstanceType> documents;
  for (const api::Document& document : read.documents) {
    api::FieldErrors errors;
    documents.push_back(api::codec::DecodeInstanceType(document.value, errors));
    EXPECT_TRUE(errors.empty()) << yaml;
  }
  return documents;
}

// A document named `name` with the given spec lines (indented by two spaces).
std::string Doc(const std::string& name, const std::string& spec) {
  return "apiVersion: sim.karpenter-cpp.io/v1alpha1\nkind: InstanceType\nmetadata: {name: " + name +
         "}\nspec:\n  capacity: {cpu: \"2\", memory: 2Gi}\n" + spec;
}

core::Requirements Reqs(std::vector<core::Requirement> list) {
  core::Requirements requirements;
  for (const core::Requirement& r : list) requirements.Add(r);
  return requirements;
}

TEST(CustomCatalogTest, IssueExample) {
  auto catalog = CatalogFromDocuments(Documents(kIssueExample));
  ASSERT_TRUE(catalog.has_value()) << catalog.error().message;
  ASSERT_EQ(catalog->size(), 1u);
  EXPECT_EQ(catalog->region(), "");
  const InstanceType& type = catalog->types()[0];
  EXPECT_EQ(type.name(), "default-instance-type");
  EXPECT_EQ(type.capacity().ToString(), "{cpu: 4, memory: 4Gi, pods: 5}");
  EXPECT_EQ(type.overhead().kube_reserved.ToString(), "{cpu: 100m, memory: 10Mi}");
  EXPECT_TRUE(type.overhead().system_reserved.empty());
  EXPECT_TRUE(type.overhead().eviction_threshold.empty());
  EXPECT_EQ(type.allocatable().ToString(), "{cpu: 3900m, memory: 4086Mi, pods: 5}");
  // The document's requirements, plus instance type, zone and capacity type from the name and
  // the offerings.
  EXPECT_EQ(type.Requirements().ToString(),
            "karpenter.sh/capacity-type In [spot], kubernetes.io/arch In [amd64], "
            "kubernetes.io/os In [linux windows], node.kubernetes.io/instance-type In "
            "[default-instance-type], topology.kubernetes.io/zone In [test-zone-1]");
  ASSERT_EQ(type.offerings().size(), 1u);
  EXPECT_EQ(type.offerings()[0], (Offering{.zone = "test-zone-1",
                                           .capacity_type = CapacityType::kSpot,
                                           .price = 0.8295,
                                           .price_source = PriceSource::kCustom,
                                           .available = true}));
}

TEST(CustomCatalogTest, FiltersLikeAnyCatalog) {
  auto catalog = CatalogFromDocuments(Documents(kIssueExample));
  ASSERT_TRUE(catalog.has_value());
  auto names = [&](std::vector<core::Requirement> list) {
    std::vector<std::string> out;
    for (const InstanceType* type : catalog->Filter(Reqs(std::move(list)))) {
      out.push_back(type->name());
    }
    return out;
  };
  const std::vector<std::string> found = {"default-instance-type"};
  EXPECT_EQ(names({core::Requirement::In("kubernetes.io/os", {"windows"})}), found);
  EXPECT_EQ(names({core::Requirement::In("kubernetes.io/arch", {"arm64"})}),
            std::vector<std::string>{});
  EXPECT_EQ(names({core::Requirement::In("karpenter.sh/capacity-type", {"on-demand"})}),
            std::vector<std::string>{});
  EXPECT_EQ(
      names({core::Requirement::In("node.kubernetes.io/instance-type", {"default-instance-type"})}),
      found);
}

TEST(CustomCatalogTest, DocumentRequirementsAreNotWidened) {
  auto catalog = CatalogFromDocuments(Documents(
      Doc("small",
          "  requirements:\n  - {key: topology.kubernetes.io/zone, operator: In, "
          "values: [zone-a]}\n  offerings:\n"
          "  - {zone: zone-a, capacityType: on-demand, price: 0.1}\n"
          "  - {zone: zone-b, capacityType: on-demand, price: 0.2, available: false}\n")));
  ASSERT_TRUE(catalog.has_value()) << catalog.error().message;
  const InstanceType& type = catalog->types()[0];
  EXPECT_EQ(type.RequirementFor("topology.kubernetes.io/zone")->ToString(),
            "topology.kubernetes.io/zone In [zone-a]");
  EXPECT_EQ(type.RequirementFor("karpenter.sh/capacity-type")->ToString(),
            "karpenter.sh/capacity-type In [on-demand]");
  ASSERT_EQ(type.offerings().size(), 2u);
  EXPECT_FALSE(type.offerings()[1].available);
  EXPECT_EQ(type.CheapestAvailableOffering(), &type.offerings()[0]);
}

TEST(CustomCatalogTest, WithoutOfferingsNothingIsImpliedButTheName) {
  auto catalog = CatalogFromDocuments(Documents(Doc("bare", "")));
  ASSERT_TRUE(catalog.has_value());
  EXPECT_EQ(catalog->types()[0].Requirements().ToString(),
            "node.kubernetes.io/instance-type In [bare]");
  // No offering, so no NodePool can launch it.
  EXPECT_TRUE(catalog->Filter({}).empty());
}

TEST(CustomCatalogTest, TypesAreSortedByName) {
  auto catalog = CatalogFromDocuments(Documents(Doc("b", "") + "\n---\n" + Doc("a", "")));
  ASSERT_TRUE(catalog.has_value());
  ASSERT_EQ(catalog->size(), 2u);
  EXPECT_EQ(catalog->types()[0].name(), "a");
  EXPECT_NE(catalog->Find("b"), nullptr);
}

TEST(CustomCatalogTest, DuplicateNameNamesTheDocument) {
  auto catalog = CatalogFromDocuments(Documents(Doc("a", "") + "\n---\n" + Doc("a", "")));
  ASSERT_FALSE(catalog.has_value());
  EXPECT_EQ(catalog.error().message,
            "InstanceType/a: metadata.name: Duplicate value: \"a\" is defined by more than one "
            "document");
}

TEST(CustomCatalogTest, BadCapacityTypeNamesTheDocumentAndField) {
  auto catalog = CatalogFromDocuments(
      Documents(Doc("x",
                    "  offerings:\n  - {zone: z, capacityType: on-demand, price: 1}\n"
                    "  - {zone: z, capacityType: preemptible, price: 1}\n")));
  ASSERT_FALSE(catalog.has_value());
  EXPECT_EQ(catalog.error().message,
            "InstanceType/x: spec.offerings[1].capacityType: Unsupported value: \"preemptible\": "
            "supported values: \"on-demand\", \"reserved\", \"spot\"");
}

TEST(CustomCatalogTest, NegativePriceIsAnError) {
  auto catalog = CatalogFromDocuments(
      Documents(Doc("x", "  offerings:\n  - {zone: z, capacityType: spot, price: -1}\n")));
  ASSERT_FALSE(catalog.has_value());
  EXPECT_EQ(catalog.error().message,
            "InstanceType/x: spec.offerings[0].price: must be a finite number >= 0, got "
            "-1.000000");
}

TEST(CustomCatalogTest, BadRequirementNamesTheDocument) {
  auto catalog = CatalogFromDocuments(
      Documents(Doc("x",
                    "  requirements:\n  - {key: karpenter.k8s.aws/instance-cpu, operator: Gt, "
                    "values: [four]}\n")));
  ASSERT_FALSE(catalog.has_value());
  EXPECT_TRUE(catalog.error().message.starts_with("InstanceType/x: spec.requirements: "))
      << catalog.error().message;
}

TEST(CustomCatalogTest, MissingNameIsAnError) {
  api::InstanceType document;
  auto type = InstanceTypeFromDocument(document);
  ASSERT_FALSE(type.has_value());
  EXPECT_EQ(type.error().message, "InstanceType: metadata.name: Required value");
}

}  // namespace
}  // namespace karpenter::catalog
