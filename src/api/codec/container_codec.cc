#include "api/codec/container_codec.h"

#include <set>
#include <string>
#include <string_view>

#include "api/codec/internal/kube_codec_util.h"

namespace karpenter::api::codec {
namespace {

using internal::InvalidInt;
using internal::InvalidString;

constexpr std::string_view kPortRange = "must be between 1 and 65535, inclusive";

void CheckNonNegative(const FieldReader& map, const core::ResourceList& list) {
  for (const auto& [name, quantity] : list) {
    if (quantity.Sign() < 0) {
      map.Error(name, InvalidString(quantity.ToString(), "must be greater than or equal to 0"));
    }
  }
}

ResourceRequirements ReadResources(const FieldReader& reader) {
  ResourceRequirements resources;
  resources.requests = reader.Resources("requests");
  resources.limits = reader.Resources("limits");
  // Child readers only for lists that decoded, so a wrongly typed list is reported once.
  if (!resources.limits.empty()) CheckNonNegative(reader.Object("limits"), resources.limits);
  if (resources.requests.empty()) return resources;
  const FieldReader requests = reader.Object("requests");
  CheckNonNegative(requests, resources.requests);
  for (const auto& [name, request] : resources.requests) {
    const core::Quantity* limit = resources.limits.Find(name);
    if (limit != nullptr && request > *limit) {
      requests.Error(name, InvalidString(request.ToString(), "must be less than or equal to " +
                                                                 name + " limit of " +
                                                                 limit->ToString()));
    }
  }
  return resources;
}

ContainerPort ReadPort(const FieldReader& reader) {
  ContainerPort port;
  port.name = reader.String("name").value_or("");
  port.container_port = internal::ReadInt32(reader, "containerPort").value_or(0);
  if (port.container_port == 0) {
    reader.Error("containerPort", internal::Required());
  } else if (port.container_port < 1 || port.container_port > 65535) {
    reader.Error("containerPort", InvalidInt(port.container_port, kPortRange));
  }
  port.host_port = internal::ReadInt32(reader, "hostPort").value_or(0);
  if (port.host_port < 0 || port.host_port > 65535) {
    reader.Error("hostPort", InvalidInt(port.host_port, kPortRange));
  }
  port.protocol = reader.String("protocol").value_or("TCP");
  if (port.protocol.empty()) {
    reader.Error("protocol", internal::Required());
  } else {
    internal::ReadEnum(reader, "protocol", port.protocol, {"SCTP", "TCP", "UDP"});
  }
  port.host_ip = reader.String("hostIP").value_or("");
  return port;
}

Container ReadContainer(const FieldReader& reader, bool init, std::set<std::string>& names) {
  Container container;
  container.name = reader.String("name").value_or("");
  if (container.name.empty()) {
    reader.Error("name", internal::Required());
  } else if (!names.insert(container.name).second) {
    reader.Error("name", internal::Duplicate(container.name));
  }
  container.resources = ReadResources(reader.Object("resources"));
  reader.Objects("ports", [&](const FieldReader& item) { container.ports.push_back(ReadPort(item)); });
  container.restart_policy = reader.String("restartPolicy");
  if (init && container.restart_policy) {
    internal::ReadEnum(reader, "restartPolicy", *container.restart_policy, {"Always"});
  }
  return container;
}

void WritePort(const ContainerPort& port, FieldWriter& writer) {
  writer.OmitEmptyString("name", port.name);
  writer.Int("containerPort", port.container_port);
  writer.OmitEmptyInt("hostPort", port.host_port);
  internal::WriteStringWithDefault(writer, "protocol", port.protocol, "TCP");
  writer.OmitEmptyString("hostIP", port.host_ip);
}

}  // namespace

void ReadContainers(const FieldReader& spec, std::vector<Container>& containers,
                    std::vector<Container>& init_containers) {
  // As the API server, regular containers are checked first, so a name an init container
  // repeats is reported on the init container.
  std::set<std::string> names;
  spec.Objects("containers", [&](const FieldReader& item) {
    containers.push_back(ReadContainer(item, /*init=*/false, names));
  });
  spec.Objects("initContainers", [&](const FieldReader& item) {
    init_containers.push_back(ReadContainer(item, /*init=*/true, names));
  });
}

void WriteContainer(const Container& container, FieldWriter& writer) {
  writer.String("name", container.name);
  writer.Object("resources", [&](FieldWriter& resources) {
    resources.Resources("limits", container.resources.limits);
    resources.Resources("requests", container.resources.requests);
  });
  writer.ObjectList("ports", container.ports.size(),
                    [&](std::size_t i, FieldWriter& item) { WritePort(container.ports[i], item); });
  writer.OptionalString("restartPolicy", container.restart_policy);
}

}  // namespace karpenter::api::codec
