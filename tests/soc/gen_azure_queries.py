#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Flow-verify queries for the Azure-limit deployment of bench/gen_compile.py (issue 12): N
# deterministic random queries (`nsgnic verify --batch` JSON lines) on its two NICs, both
# directions, TCP / UDP / ICMP, remote addresses drawn mostly from the prefixes the NSGs' rules
# name (the big 2,800-prefix lists included: first / last address of a prefix and its
# neighbours, so label-stage interval edges are hit), else from the VNet, the service tag's
# prefixes or anywhere; ports from the rules' port ranges and their edges.
# Usage: gen_azure_queries.py DEPLOYMENT.json N OUT.jsonl
import ipaddress, json, random, sys

dep = json.load(open(sys.argv[1]))
n = int(sys.argv[2])
rnd = random.Random(12)
nics, prefixes, ports = [], [], set([0, 1, 22, 80, 443, 1023, 1024, 3389, 65535])
for r in dep:
    if r["type"].endswith("networkInterfaces"):
        nics.append((r["name"], r["properties"]["ipConfigurations"][0]["properties"]["privateIPAddress"]))
    if r["type"].endswith("networkSecurityGroups"):
        for rule in r["properties"]["securityRules"]:
            p = rule["properties"]
            for k in ("sourceAddressPrefix", "destinationAddressPrefix"):
                if "/" in p.get(k, "") or p.get(k, "").count(".") == 3:
                    prefixes.append(p[k])
            for k in ("sourceAddressPrefixes", "destinationAddressPrefixes"):
                prefixes.extend(x for x in p.get(k, []) if x.count(".") == 3)
            for pr in [p.get("destinationPortRange", "*")] + p.get("destinationPortRanges", []):
                for part in str(pr).split(","):
                    if part == "*":
                        continue
                    lo, _, hi = part.partition("-")
                    for v in (int(lo), int(hi or lo)):
                        ports.update(x for x in (v - 1, v, v + 1) if 0 <= x <= 65535)
prefixes = [ipaddress.ip_network(p if "/" in p else p + "/32", strict=False) for p in prefixes]
ports = sorted(ports)
extra = [ipaddress.ip_network(x) for x in ("10.0.0.0/16", "20.38.0.0/16", "0.0.0.0/0", "168.63.129.16/32")]


def remote():
    r = rnd.random()
    net = rnd.choice(prefixes) if r < 0.8 else rnd.choice(extra)
    a = int(net.network_address)
    last = a + net.num_addresses - 1
    pick = rnd.choice((a, last, a - 1, last + 1, rnd.randint(a, last), rnd.randint(a, last)))
    return str(ipaddress.IPv4Address(pick & 0xffffffff))


with open(sys.argv[3], "w") as out:
    for _ in range(n):
        nic, ip = rnd.choice(nics)
        proto = rnd.choice(("tcp", "tcp", "udp", "icmp"))
        q = {"nic": nic, "direction": rnd.choice(("inbound", "outbound")), "protocol": proto,
             "local": ip, "remote": remote()}
        if proto != "icmp":
            q["localPort"] = rnd.choice(ports)
            q["remotePort"] = rnd.choice(ports) if rnd.random() < 0.3 else rnd.randint(1024, 65535)
        out.write(json.dumps(q) + "\n")
