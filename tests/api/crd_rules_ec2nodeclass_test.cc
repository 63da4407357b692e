// Rows for every rule of the EC2NodeClass CRD (see crd_rules.h).
#include <string>

#include "crd_rules.h"

namespace karpenter::api::crd_rules {
namespace {

Json Tags(int n) {
  Json tags = Json::object();
  for (int i = 0; i < n; ++i) tags["tag" + std::to_string(i)] = "v";
  return tags;
}

// AMI selector terms without an alias need an amiFamily.
Patch Amis(Json terms) {
  return {Set("/spec/amiSelectorTerms", std::move(terms)), Set("/spec/amiFamily", "AL2023")};
}
Patch Alias(const std::string& alias, const std::string& family = "") {
  Patch p = {Set("/spec/amiSelectorTerms", {{{"alias", alias}}})};
  if (!family.empty()) p.push_back(Set("/spec/amiFamily", family));
  return p;
}

std::vector<Row> SpecRuleRows() {
  std::vector<Row> rows = {
      {"/spec#required:amiSelectorTerms", {}, {Remove("/spec/amiSelectorTerms")},
       "/spec/amiSelectorTerms", "Required value"},
      {"/spec#required:securityGroupSelectorTerms", {}, {Remove("/spec/securityGroupSelectorTerms")},
       "/spec/securityGroupSelectorTerms", "Required value"},
      {"/spec#required:subnetSelectorTerms", {}, {Remove("/spec/subnetSelectorTerms")},
       "/spec/subnetSelectorTerms", "Required value"},
      {"/spec#rule:0", {Remove("/spec/role"), Set("/spec/instanceProfile", "KarpenterProfile")},
       {Set("/spec/instanceProfile", "KarpenterProfile")}, "/spec",
       "Invalid value: must specify exactly one of ['role', 'instanceProfile']"},
      {"/spec#rule:7", Amis({{{"id", "ami-0123abcd"}}}),
       {Set("/spec/amiSelectorTerms", {{{"id", "ami-0123abcd"}}})}, "/spec",
       "must specify amiFamily if amiSelectorTerms does not contain an alias"},
      {"/spec/amiFamily#enum", {Set("/spec/amiFamily", "Custom")},
       {Set("/spec/amiFamily", "Ubuntu")}, "/spec/amiFamily",
       "Unsupported value: \"Ubuntu\": supported values: \"AL2\", \"AL2023\", \"Bottlerocket\", "
       "\"Custom\", \"Windows2019\", \"Windows2022\", \"Windows2025\""},
  };
  // Rules 1-6: an alias of a family allows only that family's amiFamily (or Custom).
  struct Family {
    const char* alias;
    const char* family;
    const char* wrong;
    const char* message;
  };
  const Family families[] = {
      {"al2", "AL2", "Bottlerocket", "if set, amiFamily must be 'AL2' or 'Custom' when using an AL2 alias"},
      {"al2023", "AL2023", "AL2", "if set, amiFamily must be 'AL2023' or 'Custom' when using an AL2023 alias"},
      {"bottlerocket", "Bottlerocket", "AL2023", "if set, amiFamily must be 'Bottlerocket' or 'Custom' when using a Bottlerocket alias"},
      {"windows2019", "Windows2019", "Windows2022", "if set, amiFamily must be 'Windows2019' or 'Custom' when using a Windows2019 alias"},
      {"windows2022", "Windows2022", "Windows2025", "if set, amiFamily must be 'Windows2022' or 'Custom' when using a Windows2022 alias"},
      {"windows2025", "Windows2025", "Windows2019", "if set, amiFamily must be 'Windows2025' or 'Custom' when using a Windows2025 alias"},
  };
  for (int i = 0; i < 6; ++i) {
    const Family& f = families[i];
    std::string alias = std::string(f.alias) + "@latest";
    rows.push_back({"/spec#rule:" + std::to_string(i + 1), Alias(alias, f.family),
                    Alias(alias, f.wrong), "/spec", f.message});
  }
  return rows;
}

// Rows of a `tags` map inside selector terms: at most 20, no empty keys or values.
std::vector<Row> TermTagRows(const std::string& terms_at, const std::string& loc, Patch extra) {
  auto terms = [&](Json tags) {
    Patch p = extra;
    p.push_back(Set(terms_at, {{{"tags", std::move(tags)}}}));
    return p;
  };
  std::string at = terms_at + "/0/tags";
  return {
      {loc + "/[]/tags#maxProperties", terms(Tags(20)), terms(Tags(21)), at,
       "Too many: 21: must have at most 20 items"},
      {loc + "/[]/tags#rule:0", terms({{"Name", "*"}}), terms({{"Name", ""}}), at,
       "Invalid value: empty tag keys or values aren't supported"},
  };
}

std::vector<Row> AmiRows() {
  const std::string at = "/spec/amiSelectorTerms";
  auto many = [](int n) { return Repeat(n, [](int i) { return Json{{"name", "ami" + std::to_string(i)}}; }); };
  std::vector<Row> rows = {
      {at + "#minItems", Amis({{{"name", "my-ami"}, {"owner", "self"}}}), Amis(Json::array()), at,
       "Invalid value: 0: spec.amiSelectorTerms in body should have at least 1 items"},
      {at + "#maxItems", Amis(many(30)), Amis(many(31)), at,
       "Too many: 31: must have at most 30 items"},
      {at + "#rule:0", Amis({{{"ssmParameter", "/my/ami"}}}), Amis({{{"owner", "self"}}}), at,
       "expected at least one, got none, ['tags', 'id', 'name', 'alias', 'ssmParameter']"},
      {at + "#rule:1", Amis({{{"id", "ami-1"}}, {{"name", "x"}}}),
       Amis({{{"id", "ami-1"}, {"name", "x"}}}), at,
       "'id' is mutually exclusive, cannot be set with a combination of other fields in "
       "amiSelectorTerms"},
      {at + "#rule:2", Alias("al2023@v20240501"),
       {Set(at, {{{"alias", "al2023@latest"}, {"tags", {{"a", "b"}}}}})}, at,
       "'alias' is mutually exclusive, cannot be set with a combination of other fields in "
       "amiSelectorTerms"},
      {at + "#rule:3", Alias("bottlerocket@latest"),
       {Set(at, {{{"alias", "al2023@latest"}}, {{"tags", {{"a", "b"}}}}})}, at,
       "'alias' is mutually exclusive, cannot be set with a combination of other amiSelectorTerms"},
      {at + "/[]/alias#maxLength", Alias("al2023@" + std::string(23, '1')),
       Alias("al2023@" + std::string(24, '1')), at + "/0/alias",
       "Too long: may not be longer than 30"},
      {at + "/[]/alias#rule:0", Alias("al2@v1"), Alias("al2023"), at + "/0/alias",
       "Invalid value: \"al2023\": 'alias' is improperly formatted, must match the format "
       "'family@version'"},
      {at + "/[]/alias#rule:1", Alias("bottlerocket@v1.2"), Alias("ubuntu@latest"),
       at + "/0/alias",
       "family is not supported, must be one of the following: 'al2', 'al2023', 'bottlerocket', "
       "'windows2019', 'windows2022', 'windows2025'"},
      {at + "/[]/alias#rule:2", Alias("windows2022@latest"), Alias("windows2022@v1"),
       at + "/0/alias", "windows families may only specify version 'latest'"},
      {at + "/[]/id#pattern", Amis({{{"id", "ami-0abc123"}}}), Amis({{{"id", "img-0abc123"}}}),
       at + "/0/id", "should match 'ami-[0-9a-z]+'"},
  };
  for (Row& row : TermTagRows(at, at, {Set("/spec/amiFamily", "AL2")})) rows.push_back(row);
  return rows;
}

std::vector<Row> BlockDeviceRows() {
  const std::string at = "/spec/blockDeviceMappings";
  const std::string ebs0 = at + "/0/ebs";
  auto mappings = [&](Json list) { return Patch{Set(at, std::move(list))}; };
  auto ebs = [&](Json fields) { return mappings({{{"deviceName", "/dev/xvda"}, {"ebs", fields}}}); };
  auto many = [&](int n) {
    return mappings(Repeat(n, [](int i) {
      return Json{{"deviceName", "/dev/xvd" + std::to_string(i)}, {"ebs", {{"volumeSize", "20Gi"}}}};
    }));
  };
  Json root = {{"deviceName", "/dev/xvda"}, {"rootVolume", true}, {"ebs", {{"volumeSize", "100Gi"}}}};
  Json data = {{"deviceName", "/dev/xvdb"}, {"rootVolume", false}, {"ebs", {{"volumeSize", "1Ti"}}}};
  Json second_root = data;
  second_root["rootVolume"] = true;
  return {
      {at + "#maxItems", many(50), many(51), at, "Too many: 51: must have at most 50 items"},
      {at + "#rule:0", mappings({root, data}), mappings({root, second_root}), at,
       "Invalid value: must have only one blockDeviceMappings with rootVolume"},
      {at + "/[]/ebs#rule:0", ebs({{"snapshotID", "snap-0123"}}), ebs({{"volumeType", "gp3"}}),
       ebs0, "Invalid value: snapshotID or volumeSize must be defined"},
      {at + "/[]/ebs#rule:1", ebs({{"snapshotID", "snap-1"}, {"volumeInitializationRate", 150}}),
       ebs({{"volumeSize", "20Gi"}, {"volumeInitializationRate", 150}}), ebs0,
       "snapshotID must be set when volumeInitializationRate is set"},
      {at + "/[]/ebs/volumeInitializationRate#minimum",
       ebs({{"snapshotID", "snap-1"}, {"volumeInitializationRate", 100}}),
       ebs({{"snapshotID", "snap-1"}, {"volumeInitializationRate", 99}}),
       ebs0 + "/volumeInitializationRate", "should be greater than or equal to 100"},
      {at + "/[]/ebs/volumeInitializationRate#maximum",
       ebs({{"snapshotID", "snap-1"}, {"volumeInitializationRate", 300}}),
       ebs({{"snapshotID", "snap-1"}, {"volumeInitializationRate", 301}}),
       ebs0 + "/volumeInitializationRate", "should be less than or equal to 300"},
      {at + "/[]/ebs/volumeSize#pattern", ebs({{"volumeSize", "64000G"}}),
       ebs({{"volumeSize", "20GB"}}), ebs0 + "/volumeSize", "should match"},
      {at + "/[]/ebs/volumeType#enum", ebs({{"volumeSize", "8Gi"}, {"volumeType", "io2"}}),
       ebs({{"volumeSize", "8Gi"}, {"volumeType", "gp4"}}), ebs0 + "/volumeType",
       "Unsupported value: \"gp4\": supported values: \"standard\", \"io1\", \"io2\", \"gp2\", "
       "\"sc1\", \"st1\", \"gp3\""},
  };
}

std::vector<Row> CapacityReservationRows() {
  const std::string at = "/spec/capacityReservationSelectorTerms";
  auto terms = [&](Json list) { return Patch{Set(at, std::move(list))}; };
  auto many = [&](int n) { return terms(Repeat(n, [](int) { return Json{{"tags", {{"a", "b"}}}}; })); };
  std::vector<Row> rows = {
      {at + "#maxItems", many(30), many(31), at, "Too many: 31: must have at most 30 items"},
      {at + "#rule:0", terms({{{"instanceMatchCriteria", "open"}, {"ownerID", "123456789012"}}}),
       terms({{{"ownerID", "123456789012"}}}), at,
       "expected at least one, got none, ['tags', 'id', 'instanceMatchCriteria']"},
      {at + "#rule:1", terms({{{"id", "cr-0123"}}}),
       terms({{{"id", "cr-0123"}, {"ownerID", "123456789012"}}}), at,
       "'id' is mutually exclusive, cannot be set along with other fields in a capacity "
       "reservation selector term"},
      {at + "/[]/id#pattern", terms({{{"id", "cr-0a1b"}}}), terms({{{"id", "cr_0a1b"}}}),
       at + "/0/id", "should match '^cr-[0-9a-z]+$'"},
      {at + "/[]/instanceMatchCriteria#enum", terms({{{"instanceMatchCriteria", "targeted"}}}),
       terms({{{"instanceMatchCriteria", "closed"}}}), at + "/0/instanceMatchCriteria",
       "Unsupported value: \"closed\": supported values: \"open\", \"targeted\""},
      {at + "/[]/ownerID#pattern", terms({{{"tags", {{"a", "b"}}}, {"ownerID", "123456789012"}}}),
       terms({{{"tags", {{"a", "b"}}}, {"ownerID", "1234"}}}), at + "/0/ownerID",
       "should match '^[0-9]{12}$'"},
  };
  for (Row& row : TermTagRows(at, at, {})) rows.push_back(row);
  return rows;
}

}  // namespace

std::vector<Row> EC2NodeClassSelectorRows();
std::vector<Row> EC2NodeClassKubeletRows();
std::vector<Row> EC2NodeClassStatusRows();

Json EC2NodeClassBase() {
  return Json::parse(R"({
    "apiVersion": "karpenter.k8s.aws/v1", "kind": "EC2NodeClass", "metadata": {"name": "default"},
    "spec": {"role": "KarpenterNodeRole", "amiSelectorTerms": [{"alias": "al2023@latest"}],
             "subnetSelectorTerms": [{"tags": {"karpenter.sh/discovery": "demo"}}],
             "securityGroupSelectorTerms": [{"tags": {"karpenter.sh/discovery": "demo"}}]}})");
}

std::vector<Row> EC2NodeClassRows() {
  std::vector<Row> rows;
  for (auto part : {SpecRuleRows(), AmiRows(), BlockDeviceRows(), CapacityReservationRows(),
                    EC2NodeClassSelectorRows(), EC2NodeClassKubeletRows(),
                    EC2NodeClassStatusRows()}) {
    for (Row& row : part) rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace karpenter::api::crd_rules
