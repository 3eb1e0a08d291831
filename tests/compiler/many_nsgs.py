#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A deployment with many NSGs near Azure's limits (S14) for the label-context tests
(docs/compiler.md "Label contexts"): NSGS NSGs of RULES rules each, ASGS application security groups
(S8) whose members are dual-stack NICs (IPv4 and IPv6 addresses), TAGS service tags (S7) with
IPv4 and IPv6 prefixes; each NSG names its own random subset of the ASGs and tags, so that the
device-wide union needs far more than the 58 free label bits while each NSG alone fits. One
VNet, one subnet per NSG (subnet NSG i, NIC NSG i+1 or none), two NICs per subnet. Also writes
QUERIES verify queries (JSON lines) on the NICs' addresses, with remotes from the NICs, the tags
and random addresses of both families. Deterministic (SEED).
Usage: many_nsgs.py OUTDIR NSGS RULES ASGS TAGS QUERIES SEED [BIG_NSG_SETS [NICS_PER_SUBNET]]
BIG_NSG_SETS > 0 adds NSG 'big' naming that many distinct ASGs and tags: on the first NIC, or,
with NICS_PER_SUBNET (default 2) given, on every other NIC (each NIC in 1-3 random ASGs, so the
ASGs' memberships overlap: label classes, docs/compiler.md)."""
import json, os, random, sys

out, nnsg, nrules, nasg, ntag, nq, seed = sys.argv[1], *map(int, sys.argv[2:8])
big = int(sys.argv[8]) if len(sys.argv) > 8 else 0
per_subnet = int(sys.argv[9]) if len(sys.argv) > 9 else 2
big_everywhere = len(sys.argv) > 9
rnd = random.Random(seed)
os.makedirs(out, exist_ok=True)

def v4(ln):
    a = rnd.getrandbits(32) & ((0xffffffff << (32 - ln)) & 0xffffffff)
    return "%d.%d.%d.%d/%d" % (a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255, ln)

def v6(ln):
    a = (0x2603 << 112 | rnd.getrandbits(112)) & (((1 << 128) - 1) ^ ((1 << (128 - ln)) - 1))
    h = "%032x" % a
    return ":".join(h[i:i + 4] for i in range(0, 32, 4)) + "/%d" % ln

tags = [{"name": "Tag%d" % i, "properties": {"addressPrefixes":
         sorted({v4(rnd.choice([12, 16, 20, 24])) for _ in range(rnd.randrange(1, 6))}) +
         sorted({v6(rnd.choice([32, 40, 48])) for _ in range(rnd.randrange(0, 3))})}} for i in range(ntag)]
json.dump({"values": tags}, open(os.path.join(out, "tags.json"), "w"))

nsub = max(nnsg, 1)
nics = []  # (name, subnet, v4, v6, asgs)
for s in range(nsub):
    for k in range(per_subnet):
        nics.append(("nic%d_%d" % (s, k), s, "10.0.%d.%d" % (s, 4 + k), "fd00:0:0:%x::%x" % (s, 4 + k),
                     rnd.sample(range(nasg), min(nasg, rnd.randrange(1, 4)))))

def ports():
    r = rnd.random()
    if r < 0.35:
        return "*"
    if r < 0.75:
        return str(rnd.choice([22, 53, 80, 443, 1433, 3389, 5432, 8080]))
    lo = rnd.randrange(1024, 60000)
    return "%d-%d" % (lo, lo + rnd.randrange(1, 3000))

def rules(name, asgs, tagset):
    rs = []
    for i in range(nrules):
        d = rnd.choice(["Inbound", "Outbound"])
        p = {"priority": 100 + i, "direction": d, "access": rnd.choice(["Allow", "Allow", "Deny"]),
             "protocol": rnd.choice(["Tcp", "Udp", "*", "Icmp"]), "sourcePortRange": "*",
             "destinationPortRange": ports()}
        for side in ("source", "destination"):
            r = rnd.random()
            if r < 0.35 and asgs:
                p[side + "ApplicationSecurityGroups"] = [{"id": "/x/applicationSecurityGroups/asg%d" % a}
                                                         for a in rnd.sample(asgs, rnd.choice([1, 1, 2]))]
            elif r < 0.6 and tagset:
                p[side + "AddressPrefix"] = "Tag%d" % rnd.choice(tagset)
            elif r < 0.7:
                p[side + "AddressPrefix"] = rnd.choice(["VirtualNetwork", "Internet", "AzureLoadBalancer", "*"])
            elif r < 0.85:
                p[side + "AddressPrefixes"] = sorted({v4(rnd.choice([8, 16, 24, 28, 32])) for _ in range(rnd.randrange(1, 4))})
            else:
                p[side + "AddressPrefix"] = "*"
        rs.append({"name": "r%d" % i, "properties": p})
    return {"type": "Microsoft.Network/networkSecurityGroups", "id": "/x/networkSecurityGroups/" + name,
            "name": name, "properties": {"securityRules": rs}}

res = []
# each NSG: about 20 ASGs and 15 tags of its own choice (fits 58 bits alone)
for i in range(nnsg):
    res.append(rules("nsg%d" % i, rnd.sample(range(nasg), min(nasg, 20)), rnd.sample(range(ntag), min(ntag, 15))))
if big:
    na = min(nasg, big)
    res.append(rules("big", list(range(na)), list(range(min(ntag, big - na)))))
    # every set named at least once: rules r0.. name them in turn
    sets = [("asg", a) for a in range(na)] + [("tag", t) for t in range(min(ntag, big - na))]
    rs = res[-1]["properties"]["securityRules"]
    for k, (kind, x) in enumerate(sets):
        p = rs[k % len(rs)]["properties"]
        for side in ("source", "destination"):
            for key in list(p):
                if key.startswith(side + "Address") or key.startswith(side + "Application"):
                    del p[key]
        p["destinationAddressPrefix"] = "*"
        if kind == "asg":
            p["sourceApplicationSecurityGroups"] = [{"id": "/x/applicationSecurityGroups/asg%d" % x}]
        else:
            p["sourceAddressPrefix"] = "Tag%d" % x
subnets = []
for s in range(nsub):
    sp = {"addressPrefixes": ["10.0.%d.0/24" % s, "fd00:0:0:%x::/64" % s]}
    if nnsg:
        sp["networkSecurityGroup"] = {"id": "/x/networkSecurityGroups/nsg%d" % (s % nnsg)}
    subnets.append({"name": "s%d" % s, "properties": sp})
res.append({"type": "Microsoft.Network/virtualNetworks", "id": "/x/virtualNetworks/vnet", "name": "vnet",
            "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16", "fd00::/48"]}, "subnets": subnets}})
for a in range(nasg):
    res.append({"type": "Microsoft.Network/applicationSecurityGroups", "id": "/x/applicationSecurityGroups/asg%d" % a,
                "name": "asg%d" % a})
for idx, (name, s, a4, a6, asgs) in enumerate(nics):
    props = {"ipConfigurations": [
        {"name": fam, "properties": {"privateIPAddress": ip, "subnet": {"id": "/x/virtualNetworks/vnet/subnets/s%d" % s},
                                     "applicationSecurityGroups": [{"id": "/x/applicationSecurityGroups/asg%d" % a}
                                                                   for a in asgs]}}
        for fam, ip in (("c4", a4), ("c6", a6))]}
    nic_nsg = "big" if big and (idx == 0 or (big_everywhere and idx % 2 == 0)) else ("nsg%d" % ((s + 1) % nnsg) if nnsg and idx % 3 != 2 else None)
    if nic_nsg:
        props["networkSecurityGroup"] = {"id": "/x/networkSecurityGroups/" + nic_nsg}
    res.append({"type": "Microsoft.Network/networkInterfaces", "id": "/x/networkInterfaces/" + name, "name": name,
                "properties": props})
json.dump(res, open(os.path.join(out, "config.json"), "w"))

def host(p):
    net, ln = p.split("/")
    if ":" in net:
        import ipaddress
        n = ipaddress.ip_network(p)
        return str(n.network_address + rnd.randrange(min(n.num_addresses, 1 << 60)))
    import ipaddress
    n = ipaddress.ip_network(p)
    return str(n.network_address + rnd.randrange(n.num_addresses))

with open(os.path.join(out, "queries.jsonl"), "w") as f:
    for _ in range(nq):
        name, s, a4, a6, asgs = rnd.choice(nics)
        six = rnd.random() < 0.35
        r = rnd.random()
        if r < 0.35:
            o = rnd.choice(nics)
            remote = o[3] if six else o[2]
        elif r < 0.7:
            ps = [x for x in rnd.choice(tags)["properties"]["addressPrefixes"] if (":" in x) == six]
            remote = host(ps[0]) if ps else (host(v6(32)) if six else host(v4(8)))
        else:
            remote = host(v6(16)) if six else host(v4(1))
        f.write(json.dumps({"nic": name, "direction": rnd.choice(["inbound", "outbound"]),
                            "protocol": rnd.choice(["tcp", "udp", "icmp"]), "local": a6 if six else a4,
                            "localPort": rnd.choice([22, 53, 80, 443, 8080, rnd.randrange(65536)]), "remote": remote,
                            "remotePort": rnd.choice([22, 53, 80, 443, 1433, 3389, rnd.randrange(65536)])}) + "\n")
