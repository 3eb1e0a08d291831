#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Generates the compiler benchmark deployment at Azure's limits (S14): one VNet, a subnet NSG and
# a NIC NSG of 1,000 rules each. Per NSG one rule lists 2,800 source prefixes (most of the 4,000
# addresses an NSG side may hold); the others use single prefixes, short augmented lists, service
# tags and ASGs; ports are a realistic mix (any, well-known ports, 1024-65535, ephemeral ranges,
# short lists). Deterministic. Usage: gen_compile.py OUT.json [RULES] [CHANGED.json]
# With CHANGED.json, also writes the same deployment with one rule (the middle rule of the subnet
# NSG) given another destination port: the incremental-update benchmark.
import json, random, sys

out = sys.argv[1]
nrules = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
changed = sys.argv[3] if len(sys.argv) > 3 else None
rnd = random.Random(3)

def pfx(lens=(16, 20, 24, 24, 26, 28, 32, 32)):
    ln = rnd.choice(lens)
    a = rnd.getrandbits(32) & ((0xffffffff << (32 - ln)) & 0xffffffff)
    return "%d.%d.%d.%d/%d" % (a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255, ln)

def ports():
    r = rnd.random()
    if r < 0.35:
        return "*"
    if r < 0.7:
        return str(rnd.choice([22, 25, 53, 80, 123, 443, 1433, 3306, 3389, 5432, 6379, 8080, 8443, 9000]))
    if r < 0.82:
        return rnd.choice(["1024-65535", "49152-65535", "32768-60999", "0-1023"])
    if r < 0.92:
        lo = rnd.choice([3000, 5000, 8000, 9000, 10000, 20000, 30000])
        return "%d-%d" % (lo, lo + rnd.choice([9, 10, 99, 100, 999]))
    return rnd.choice(["80,443", "80,443,8080", "5671-5672,443", "20-21,989-990"])

def side(p, key, big=False):
    if big:
        p[key + "AddressPrefixes"] = sorted({pfx((24, 26, 28, 32)) for _ in range(2800)})
        return
    r = rnd.random()
    if r < 0.12:
        p[key + "AddressPrefix"] = rnd.choice(["VirtualNetwork", "Internet", "AzureLoadBalancer", "*", "Storage"])
    elif r < 0.2:
        p[key + "ApplicationSecurityGroups"] = [{"id": "/x/applicationSecurityGroups/" + rnd.choice(["web", "app", "db"])}]
    elif r < 0.3:
        p[key + "AddressPrefixes"] = [pfx() for _ in range(rnd.randrange(2, 5))]
    else:
        p[key + "AddressPrefix"] = pfx()

def rules(big_at):
    rs = []
    for i in range(nrules):
        d = "Inbound" if i % 2 == 0 else "Outbound"
        p = {"priority": 100 + i // 2, "direction": d, "access": rnd.choice(["Allow", "Allow", "Deny"]),
             "protocol": rnd.choice(["Tcp", "Tcp", "Tcp", "Udp", "*"])}
        side(p, "source", big=(i == big_at))
        side(p, "destination")
        sp = ports() if rnd.random() < 0.15 else "*"
        dp = ports()
        p["sourcePortRanges" if "," in sp else "sourcePortRange"] = sp.split(",") if "," in sp else sp
        p["destinationPortRanges" if "," in dp else "destinationPortRange"] = dp.split(",") if "," in dp else dp
        rs.append({"name": "r%d" % i, "properties": p})
    return rs

sub, nic = rules(7), rules(8)
def deployment(sub_rules):
    return [
        {"type": "Microsoft.Network/virtualNetworks", "name": "vnet", "properties": {
            "addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
            "subnets": [{"name": "s", "properties": {"addressPrefix": "10.0.1.0/24",
                         "networkSecurityGroup": {"id": "/x/networkSecurityGroups/nsg-subnet"}}}]}},
        {"type": "Microsoft.Network/networkSecurityGroups", "name": "nsg-subnet", "properties": {"securityRules": sub_rules}},
        {"type": "Microsoft.Network/networkSecurityGroups", "name": "nsg-nic", "properties": {"securityRules": nic}},
        {"type": "Microsoft.Network/applicationSecurityGroups", "name": "web"},
        {"type": "Microsoft.Network/applicationSecurityGroups", "name": "app"},
        {"type": "Microsoft.Network/applicationSecurityGroups", "name": "db"},
        {"type": "Microsoft.Network/networkInterfaces", "name": "nic", "properties": {
            "networkSecurityGroup": {"id": "/x/networkSecurityGroups/nsg-nic"},
            "ipConfigurations": [{"name": "c", "properties": {"privateIPAddress": "10.0.1.4",
                                  "subnet": {"id": "/x/virtualNetworks/vnet/subnets/s"},
                                  "applicationSecurityGroups": [{"id": "/x/applicationSecurityGroups/web"}]}}]}},
        {"type": "Microsoft.Network/networkInterfaces", "name": "nic2", "properties": {
            "ipConfigurations": [{"name": "c", "properties": {"privateIPAddress": "10.0.1.5",
                                  "subnet": {"id": "/x/virtualNetworks/vnet/subnets/s"},
                                  "applicationSecurityGroups": [{"id": "/x/applicationSecurityGroups/app"}]}}]}},
    ]

json.dump(deployment(sub), open(out, "w"))
if changed:
    mid = json.loads(json.dumps(sub))
    p = mid[nrules // 2]["properties"]
    for k in ("destinationPortRange", "destinationPortRanges"):
        p.pop(k, None)
    p["destinationPortRange"] = "8443" if p.get("destinationPortRange") != "8443" else "8444"
    json.dump(deployment(mid), open(changed, "w"))
