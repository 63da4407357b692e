// `karpenter instance-types`: the instance types a NodePool with the given requirements could
// launch, with capacity, allocatable and the cheapest offering.
#include <algorithm>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "api/codec/ec2_node_class_codec.h"
#include "api/codec/instance_type_codec.h"
#include "api/kinds.h"
#include "api/validate.h"
#include "catalog/aws_catalog.h"
#include "catalog/custom_catalog.h"
#include "catalog/node_class_settings.h"
#include "cli/commands.h"
#include "cli/input_files.h"
#include "cli/instance_types_output.h"
#include "cli/requirement_flag.h"

namespace karpenter::cli {
namespace {

constexpr int kInvalidInput = 1;
constexpr int kUsageError = 2;

// Prints every diagnostic; true when one of them is an error.
bool Report(const std::vector<api::Diagnostic>& diagnostics, std::ostream& err) {
  for (const api::Diagnostic& d : diagnostics) err << d.ToString() << '\n';
  return api::HasErrors(diagnostics);
}

Result<core::Requirements> ParseRequirementFlags(const std::vector<std::string>& flags) {
  std::vector<core::NodeSelectorRequirement> wire;
  for (const std::string& flag : flags) {
    auto parsed = ParseRequirementFlag(flag);
    if (!parsed) return Fail("--requirement \"" + flag + "\": " + parsed.error().message);
    wire.push_back(std::move(*parsed));
  }
  return core::Requirements::FromNodeSelectorRequirements(wire);
}

// The one EC2NodeClass in `file`, validated as the API server would, as NodeSettings. Problems
// are printed; nullopt then.
std::optional<catalog::NodeSettings> ReadNodeSettings(const std::string& file, std::ostream& err) {
  InputSet input = ReadInputs({file});
  if (Report(input.errors, err)) return std::nullopt;
  std::vector<api::Document> node_classes;
  for (api::Document& document : input.documents) {
    if (api::KindOf(document.value) == api::Kind::kEC2NodeClass) {
      node_classes.push_back(std::move(document));
    }
  }
  if (node_classes.size() != 1) {
    err << file << ": error: --nodeclass needs exactly one karpenter.k8s.aws/v1 EC2NodeClass in "
        << "the file, found " << node_classes.size() << '\n';
    return std::nullopt;
  }
  if (Report(api::ValidateDocuments(node_classes), err)) return std::nullopt;
  api::FieldErrors decode_errors;  // reported by validation already
  api::EC2NodeClass node_class =
      api::codec::DecodeEC2NodeClass(node_classes[0].value, decode_errors);
  auto settings = catalog::NodeSettingsFromNodeClass(node_class);
  if (!settings) {
    err << file << ": error: " << settings.error().message << '\n';
    return std::nullopt;
  }
  return *settings;
}

// The custom catalog of the InstanceType documents in `files`; other kinds are skipped with a
// warning. Problems are printed; nullopt then.
std::optional<catalog::Catalog> ReadCustomCatalog(const std::vector<std::string>& files,
                                                  std::ostream& err) {
  InputSet input = ReadInputs(files);
  bool failed = Report(input.errors, err);
  std::vector<api::Document> documents;
  for (api::Document& document : input.documents) {
    if (api::KindOf(document.value) == api::Kind::kInstanceType) {
      documents.push_back(std::move(document));
      continue;
    }
    api::Diagnostic skipped;
    skipped.severity = api::Severity::kWarning;
    skipped.file = document.file;
    skipped.line = document.PositionOf("").line;
    skipped.column = document.PositionOf("").column;
    skipped.object = api::DescribeObject(document.value);
    skipped.message = "skipped: not a sim.karpenter-cpp.io/v1alpha1 InstanceType";
    err << skipped.ToString() << '\n';
  }
  failed |= Report(api::ValidateDocuments(documents), err);
  if (failed) return std::nullopt;
  if (documents.empty()) {
    err << "error: no sim.karpenter-cpp.io/v1alpha1 InstanceType documents in the -f input\n";
    return std::nullopt;
  }
  std::vector<api::InstanceType> decoded;
  for (const api::Document& document : documents) {
    api::FieldErrors decode_errors;  // reported by validation already
    decoded.push_back(api::codec::DecodeInstanceType(document.value, decode_errors));
  }
  auto catalog = catalog::CatalogFromDocuments(decoded);
  if (!catalog) {
    err << "error: " << catalog.error().message << '\n';
    return std::nullopt;
  }
  return std::move(*catalog);
}

// Requirement keys no type in the catalog has a value (or DoesNotExist) for constrain nothing:
// most likely a typo, so say so.
void WarnAboutUnknownKeys(const catalog::Catalog& catalog, const core::Requirements& requirements,
                          std::ostream& err) {
  for (const auto& [key, requirement] : requirements) {
    bool known = std::any_of(
        catalog.types().begin(), catalog.types().end(),
        [&](const catalog::InstanceType& type) { return type.RequirementFor(key).has_value(); });
    if (!known) {
      err << "warning: no instance type has label \"" << key
          << "\": the requirement does not restrict the list\n";
    }
  }
}

}  // namespace

int RunInstanceTypes(const InstanceTypesOptions& options, std::ostream& out, std::ostream& err) {
  auto requirements = ParseRequirementFlags(options.requirements);
  if (!requirements) {
    err << "error: " << requirements.error().message << '\n';
    return kUsageError;
  }

  ListingContext context;
  context.spot_to_on_demand_ratio = options.spot_to_on_demand_ratio;
  std::optional<catalog::Catalog> catalog;
  if (!options.files.empty()) {
    catalog = ReadCustomCatalog(options.files, err);
    if (!catalog) return kInvalidInput;
    context.source = "the custom catalog";
  } else {
    auto data = catalog::BuiltInAwsCatalogData(options.region);
    if (!data) {
      err << "error: --region \"" << options.region << "\": " << data.error().message << '\n';
      return kUsageError;
    }
    catalog::AwsCatalogSettings settings;
    settings.pricing.spot_to_on_demand_ratio = options.spot_to_on_demand_ratio;
    if (!options.node_class_file.empty()) {
      std::optional<catalog::NodeSettings> node = ReadNodeSettings(options.node_class_file, err);
      if (!node) return kInvalidInput;
      settings.node = std::move(*node);
    }
    auto loaded = catalog::BuildAwsCatalog(options.region, *data, settings);
    if (!loaded) {
      err << "error: " << loaded.error().message << '\n';
      return kInvalidInput;
    }
    catalog = std::move(*loaded);
    context.source = options.region;
    context.prices_from_us_east_1 = data->prices_from_other_region;
  }
  context.catalog_size = catalog->size();

  WarnAboutUnknownKeys(*catalog, *requirements, err);
  std::vector<ListedType> listed = ListInstanceTypes(*catalog, *requirements);
  if (options.output == "json") {
    out << InstanceTypesJson(listed).dump(2) << '\n';
  } else {
    WriteInstanceTypesTable(listed, context, out);
  }
  return 0;
}

}  // namespace karpenter::cli
