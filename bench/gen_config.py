#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Generates a benchmark deployment: one VNet, subnet NSG + NIC NSG of N rules each (realistic mix
# of prefixes, augmented lists, port ranges, protocols, tags), and Q verify queries as JSON lines.
# Deterministic (seeded). Usage: gen_config.py OUTDIR [RULES] [QUERIES]
import json, os, random, sys

out = sys.argv[1]
nrules = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
nq = int(sys.argv[3]) if len(sys.argv) > 3 else 100000
rnd = random.Random(20261128)
os.makedirs(out, exist_ok=True)

def prefix():
    r = rnd.random()
    if r < 0.15:
        return rnd.choice(["VirtualNetwork", "Internet", "AzureLoadBalancer", "*"])
    ln = rnd.choice([8, 12, 16, 20, 24, 24, 28, 32, 32])
    a = rnd.getrandbits(32) & ((0xffffffff << (32 - ln)) & 0xffffffff)
    return "%d.%d.%d.%d/%d" % (a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255, ln)

def ports():
    r = rnd.random()
    if r < 0.3:
        return "*"
    if r < 0.6:
        return str(rnd.choice([22, 53, 80, 443, 1433, 3389, 5432, 6379, 8080, 8443]))
    lo = rnd.randrange(1024, 60000)
    return "%d-%d" % (lo, lo + rnd.randrange(1, 2000))

def rules(direction_mix=True):
    rs = []
    for i in range(nrules):
        d = "Inbound" if i % 2 == 0 else "Outbound"
        p = {"priority": 100 + i // 2 * 2 + (0 if d == "Inbound" else 1), "direction": d,
             "access": rnd.choice(["Allow", "Allow", "Deny"]),
             "protocol": rnd.choice(["Tcp", "Tcp", "Udp", "*"]), "sourcePortRange": "*"}
        p["priority"] = 100 + i // 2
        if rnd.random() < 0.3:
            p["sourceAddressPrefixes"] = [prefix() for _ in range(rnd.randrange(2, 6))]
            p["sourceAddressPrefixes"] = [x for x in p["sourceAddressPrefixes"] if "/" in x] or ["10.0.0.0/8"]
        else:
            p["sourceAddressPrefix"] = prefix()
        p["destinationAddressPrefix"] = prefix()
        if rnd.random() < 0.2:
            p["destinationPortRanges"] = [ports() for _ in range(rnd.randrange(2, 4))]
            p["destinationPortRanges"] = [x for x in p["destinationPortRanges"] if x != "*"] or ["443"]
        else:
            p["destinationPortRange"] = ports()
        rs.append({"name": "r%d" % i, "properties": p})
    return rs

res = [
    {"type": "Microsoft.Network/virtualNetworks", "name": "vnet", "properties": {
        "addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
        "subnets": [{"name": "s", "properties": {"addressPrefix": "10.0.1.0/24",
                     "networkSecurityGroup": {"id": "/x/networkSecurityGroups/nsg-subnet"}}}]}},
    {"type": "Microsoft.Network/networkSecurityGroups", "name": "nsg-subnet", "properties": {"securityRules": rules()}},
    {"type": "Microsoft.Network/networkSecurityGroups", "name": "nsg-nic", "properties": {"securityRules": rules()}},
    {"type": "Microsoft.Network/networkInterfaces", "name": "nic", "properties": {
        "networkSecurityGroup": {"id": "/x/networkSecurityGroups/nsg-nic"},
        "ipConfigurations": [{"name": "c", "properties": {"privateIPAddress": "10.0.1.4",
                              "subnet": {"id": "/x/virtualNetworks/vnet/subnets/s"}}}]}},
]
json.dump(res, open(os.path.join(out, "config.json"), "w"))
with open(os.path.join(out, "queries.jsonl"), "w") as f:
    for _ in range(nq):
        a = rnd.getrandbits(32)
        f.write(json.dumps({"nic": "nic", "direction": rnd.choice(["inbound", "outbound"]),
                            "protocol": rnd.choice(["tcp", "udp", "icmp"]), "local": "10.0.1.4",
                            "localPort": rnd.randrange(65536),
                            "remote": "%d.%d.%d.%d" % (a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255),
                            "remotePort": rnd.choice([22, 53, 80, 443, 1433, 3389, rnd.randrange(65536)])}) + "\n")
