#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Converts a ClassBench filter set (bench/data/classbench/README.md) into an Azure deployment:
# one NSG whose rules are the filters in order (priority 100, 101, ...; inbound; allow and deny
# alternating), bound to a subnet with one NIC. Protocols other than TCP/UDP/ICMP become `*`.
# Usage: classbench_to_nsg.py FILTERS OUT.json [MAX_RULES]
import json, sys

src, out = sys.argv[1], sys.argv[2]
limit = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
rules = []
with open(src) as f:
    for i, line in enumerate(f):
        if i >= limit:
            break
        c = line.lstrip("@").split("\t")
        sp = [int(x) for x in c[2].split(":")]
        dp = [int(x) for x in c[3].split(":")]
        proto, mask = (int(x, 16) for x in c[4].split("/"))
        p = "*" if mask == 0 else {6: "Tcp", 17: "Udp", 1: "Icmp"}.get(proto, "*")
        rng = lambda r: "*" if r == [0, 65535] else (str(r[0]) if r[0] == r[1] else "%d-%d" % tuple(r))
        rules.append({"name": "f%d" % i, "properties": {
            "priority": 100 + i, "direction": "Inbound", "access": "Allow" if i % 2 == 0 else "Deny",
            "protocol": p, "sourceAddressPrefix": c[0], "destinationAddressPrefix": c[1],
            "sourcePortRange": rng(sp), "destinationPortRange": rng(dp)}})
res = [
    {"type": "Microsoft.Network/virtualNetworks", "name": "vnet", "properties": {
        "addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
        "subnets": [{"name": "s", "properties": {"addressPrefix": "10.0.1.0/24",
                     "networkSecurityGroup": {"id": "/x/networkSecurityGroups/classbench"}}}]}},
    {"type": "Microsoft.Network/networkSecurityGroups", "name": "classbench", "properties": {"securityRules": rules}},
    {"type": "Microsoft.Network/networkInterfaces", "name": "nic", "properties": {
        "ipConfigurations": [{"name": "c", "properties": {"privateIPAddress": "10.0.1.4",
                              "subnet": {"id": "/x/virtualNetworks/vnet/subnets/s"}}}]}},
]
json.dump(res, open(out, "w"))
