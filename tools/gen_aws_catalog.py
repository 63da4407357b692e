#!/usr/bin/env python3
"""Writes the project's compact copy of the AWS instance-type catalog (data/aws/).

Reads the reference data (a DescribeInstanceTypes dump, per-region instance-type offerings and the
us-east-1 on-demand price list) and writes tab-separated files that src/catalog/ parses at load
time (they are compiled into the binary, so a fresh machine needs nothing else):

  instance-types.tsv                  one row per type: the DescribeInstanceTypes fields the
                                      catalog needs, copied, not interpreted (the rules that turn
                                      them into capacity and labels live in src/catalog/)
  offerings-REGION.tsv                per type, the availability zones (letters after the region)
  on-demand-prices-REGION.tsv         on-demand Linux USD/hour, as published

Usage: python3 tools/gen_aws_catalog.py [REFERENCE_DIR] [OUTPUT_DIR]
       (defaults: /work/shared/reference/aws and data/aws next to this script's parent)
Python 3 standard library only. Output is deterministic (sorted), so re-running it on the same
input changes nothing.
"""

import gzip
import json
import os
import sys

COMMAND = "python3 tools/gen_aws_catalog.py /work/shared/reference/aws data/aws"

TYPE_COLUMNS = [
    ("name", "InstanceType"),
    ("vcpus", "VCpuInfo.DefaultVCpus"),
    ("memory_mib", "MemoryInfo.SizeInMiB"),
    ("architectures", "ProcessorInfo.SupportedArchitectures, in order, comma-separated"),
    ("virtualization", "SupportedVirtualizationTypes"),
    ("usage_classes", "SupportedUsageClasses"),
    ("hypervisor", "Hypervisor (empty when absent, e.g. bare metal)"),
    ("cpu_manufacturer", "ProcessorInfo.Manufacturer"),
    ("clock_ghz", "ProcessorInfo.SustainedClockSpeedInGhz (empty when absent)"),
    ("max_enis", "NetworkInfo.NetworkCards[DefaultNetworkCardIndex].MaximumNetworkInterfaces"),
    ("ipv4_per_eni", "NetworkInfo.Ipv4AddressesPerInterface"),
    ("encryption_in_transit", "NetworkInfo.EncryptionInTransitSupported"),
    ("efa_max", "NetworkInfo.EfaInfo.MaximumEfaInterfaces (0 when absent)"),
    ("network_performance", "NetworkInfo.NetworkPerformance"),
    ("baseline_gbps", "NetworkInfo.NetworkCards[*].BaselineBandwidthInGbps, comma-separated"),
    ("ebs_optimized", "EbsInfo.EbsOptimizedSupport"),
    ("ebs_max_mbps", "EbsInfo.EbsOptimizedInfo.MaximumBandwidthInMbps (empty when absent)"),
    ("storage_nvme", "InstanceStorageInfo.NvmeSupport (empty when no instance storage)"),
    ("storage_gb", "InstanceStorageInfo.TotalSizeInGB (empty when no instance storage)"),
    ("gpus", "GpuInfo.Gpus as Manufacturer:Name:Count:MemoryMiB, comma-separated"),
    ("accelerators", "InferenceAcceleratorInfo.Accelerators as Manufacturer:Name:Count"),
    ("neuron", "NeuronInfo.NeuronDevices as Name:Count:CoresPerDevice"),
]


def fail(message):
    sys.exit("gen_aws_catalog: " + message)


def clean(text):
    """A field value: no tabs, newlines or list separators inside."""
    text = str(text)
    for bad in ("\t", "\n", ",", ":"):
        if bad in text:
            fail("unexpected %r in value %r" % (bad, text))
    return text


def number(value):
    """Prints JSON numbers the way they were written (ints stay ints, 0.75 stays 0.75)."""
    if isinstance(value, bool):
        fail("boolean where a number was expected")
    return repr(value) if isinstance(value, float) else str(value)


def type_row(info):
    processor = info["ProcessorInfo"]
    network = info["NetworkInfo"]
    cards = network["NetworkCards"]
    default_card = [c for c in cards if c["NetworkCardIndex"] == network["DefaultNetworkCardIndex"]]
    if len(default_card) != 1:
        fail("%s: no unique default network card" % info["InstanceType"])
    ebs = info.get("EbsInfo", {})
    storage = info.get("InstanceStorageInfo")
    gpus = info.get("GpuInfo", {}).get("Gpus", [])
    accelerators = info.get("InferenceAcceleratorInfo", {}).get("Accelerators", [])
    neurons = info.get("NeuronInfo", {}).get("NeuronDevices", [])
    return [
        clean(info["InstanceType"]),
        number(info["VCpuInfo"]["DefaultVCpus"]),
        number(info["MemoryInfo"]["SizeInMiB"]),
        ",".join(clean(a) for a in processor["SupportedArchitectures"]),
        ",".join(clean(v) for v in info["SupportedVirtualizationTypes"]),
        ",".join(clean(u) for u in info["SupportedUsageClasses"]),
        clean(info.get("Hypervisor", "")),
        clean(processor.get("Manufacturer", "")),
        number(processor["SustainedClockSpeedInGhz"]) if "SustainedClockSpeedInGhz" in processor else "",
        number(default_card[0]["MaximumNetworkInterfaces"]),
        number(network["Ipv4AddressesPerInterface"]),
        "true" if network.get("EncryptionInTransitSupported") else "false",
        number(network.get("EfaInfo", {}).get("MaximumEfaInterfaces", 0)),
        clean(network["NetworkPerformance"]),
        ",".join(number(c["BaselineBandwidthInGbps"]) for c in cards if "BaselineBandwidthInGbps" in c),
        clean(ebs.get("EbsOptimizedSupport", "")),
        number(ebs["EbsOptimizedInfo"]["MaximumBandwidthInMbps"]) if "EbsOptimizedInfo" in ebs else "",
        clean(storage.get("NvmeSupport", "")) if storage else "",
        number(storage["TotalSizeInGB"]) if storage and "TotalSizeInGB" in storage else "",
        ",".join("%s:%s:%s:%s" % (clean(g["Manufacturer"]), clean(g["Name"]), number(g["Count"]),
                                  number(g["MemoryInfo"]["SizeInMiB"])) for g in gpus),
        ",".join("%s:%s:%s" % (clean(a["Manufacturer"]), clean(a["Name"]), number(a["Count"]))
                 for a in accelerators),
        ",".join("%s:%s:%s" % (clean(n["Name"]), number(n["Count"]), number(n["CoreInfo"]["Count"]))
                 for n in neurons),
    ]


def header(source, what):
    return ("# Generated by tools/gen_aws_catalog.py from %s (%s). Do not edit.\n"
            "# Command: %s\n" % (source, what, COMMAND))


def write(path, text):
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write(text)


def write_types(reference, output):
    with gzip.open(os.path.join(reference, "instance-types.json.gz"), "rt", encoding="utf-8") as f:
        types = json.load(f)
    lines = [header("instance-types.json.gz", "DescribeInstanceTypes shape, %d types" % len(types))]
    for name, meaning in TYPE_COLUMNS:
        lines.append("# %s: %s\n" % (name, meaning))
    lines.append("\t".join(name for name, _ in TYPE_COLUMNS) + "\n")
    for name in sorted(types):
        if types[name]["InstanceType"] != name:
            fail("%s: key and InstanceType differ" % name)
        lines.append("\t".join(type_row(types[name])) + "\n")
    write(os.path.join(output, "instance-types.tsv"), "".join(lines))
    return set(types)


def write_offerings(reference, output, known_types):
    directory = os.path.join(reference, "offerings")
    for filename in sorted(os.listdir(directory)):
        if not filename.endswith(".tsv"):
            continue
        region = filename[: -len(".tsv")]
        zones = {}
        with open(os.path.join(directory, filename), encoding="utf-8") as f:
            rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
        if rows[0] != ["instance_type", "zone"]:
            fail("%s: unexpected header %r" % (filename, rows[0]))
        for instance_type, zone in rows[1:]:
            suffix = zone[len(region):]
            if not zone.startswith(region) or len(suffix) != 1 or not suffix.isalpha():
                fail("%s: zone %r is not %s plus one letter" % (filename, zone, region))
            if instance_type not in known_types:
                fail("%s: unknown instance type %r" % (filename, instance_type))
            zones.setdefault(instance_type, set()).add(suffix)
        lines = [header("offerings/" + filename, "DescribeInstanceTypeOfferings by zone"),
                 "# region: %s\n" % region,
                 "# zones: the availability zones offering the type, as letters after the region\n",
                 "name\tzones\n"]
        for instance_type in sorted(zones):
            lines.append("%s\t%s\n" % (instance_type, "".join(sorted(zones[instance_type]))))
        write(os.path.join(output, "offerings-%s.tsv" % region), "".join(lines))


def write_prices(reference, output, known_types):
    for filename in sorted(os.listdir(reference)):
        if not (filename.startswith("on-demand-prices-") and filename.endswith(".tsv")):
            continue
        with open(os.path.join(reference, filename), encoding="utf-8") as f:
            lines = [line.rstrip("\n") for line in f if line.strip()]
        comments = [line for line in lines if line.startswith("#")]
        rows = [line.split("\t") for line in lines if not line.startswith("#")]
        if rows[0] != ["instance_type", "usd_per_hour"]:
            fail("%s: unexpected header %r" % (filename, rows[0]))
        prices = {}
        for instance_type, price in rows[1:]:
            if float(price) <= 0:
                fail("%s: non-positive price for %s" % (filename, instance_type))
            prices[instance_type] = price
        out = [header(filename, "on-demand Linux USD/hour")]
        out += ["# source: %s\n" % c.lstrip("# ") for c in comments]
        out.append("name\tusd_per_hour\n")
        # Prices of types the catalog does not know are kept: they cost a few bytes and keep the
        # copy faithful to its source.
        for instance_type in sorted(prices):
            out.append("%s\t%s\n" % (instance_type, prices[instance_type]))
        write(os.path.join(output, filename), "".join(out))


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    reference = argv[1] if len(argv) > 1 else "/work/shared/reference/aws"
    output = argv[2] if len(argv) > 2 else os.path.join(here, "..", "data", "aws")
    os.makedirs(output, exist_ok=True)
    known_types = write_types(reference, output)
    write_offerings(reference, output, known_types)
    write_prices(reference, output, known_types)


if __name__ == "__main__":
    main(sys.argv)
