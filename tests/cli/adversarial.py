#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Every JSON output of nsgnic parses when names are adversarial: the example deployment with an
NSG, a rule and a NIC renamed to names holding quotes, backslashes, control characters and
non-ASCII text. Usage: adversarial.py NSGNIC MKPCAP EXAMPLE_DIR WORKDIR [--sim]"""
import json, subprocess, sys, os

nsgnic, mkpcap, ex, work = sys.argv[1:5]
sim = "--sim" in sys.argv[5:]
os.makedirs(work, exist_ok=True)
# the names: everything JSON escapes, and characters outside ASCII (no '/': resource ids)
RENAME = {
    "nsg-web": 'nsg-"web\\\u0001\t\u00e9\u65e5',
    "Allow-Web-Internet": 'Allow "Web" \\ Internet\n\u00fc\u0007',
    "nic-web-vm1": 'nic-\u00e9"web\\\u001f-vm1',
}


def rename(v):
    if isinstance(v, str):
        for a, b in RENAME.items():
            v = v.replace(a, b)
        return v
    if isinstance(v, list):
        return [rename(x) for x in v]
    if isinstance(v, dict):
        return {rename(k): rename(x) for k, x in v.items()}
    return v


cfg = []
for f in ("vnets", "asgs", "nsgs", "nics"):
    p = os.path.join(work, f + ".json")
    with open(os.path.join(ex, f + ".json")) as i, open(p, "w") as o:
        json.dump(rename(json.load(i)), o, ensure_ascii=False)
    cfg += ["--config", p]
cfg += ["--service-tags", os.path.join(ex, "servicetags.json")]
pcap = os.path.join(work, "t.pcap")
subprocess.run([mkpcap, pcap], check=True)
nic = RENAME["nic-web-vm1"]
runs = {
    "check": ["check", *cfg, "--json"],
    "effective": ["effective", *cfg, "--nic", nic, "--json"],
    "verify": ["verify", *cfg, "--nic", nic, "--direction", "inbound", "--protocol", "tcp",
               "--local", "10.10.1.4:443", "--remote", "203.0.114.7:50000", "--json"],
    "compile": ["compile", *cfg, "--json", "-o", os.path.join(work, "img")],
    "compile-stats": ["compile", *cfg, "--stats", "--json"],
    "run": ["run", *cfg, "--pcap", pcap, "--json", "--flows", "--flow-log", os.path.join(work, "fl.json")],
    "flows": ["flows", *cfg, "--pcap", pcap, "--json"],
    "load": ["load", "--device", "fake", *cfg, "--json"],
}
if sim:
    runs["run-sim"] = ["run", "--sim", *cfg, "--pcap", pcap, "--json", "--flows",
                       "--flow-log", os.path.join(work, "fl-sim.json")]
bad = 0
seen = set()
for name, args in runs.items():
    r = subprocess.run([nsgnic, *args], capture_output=True)
    if r.returncode != 0:
        print(f"{name}: exit {r.returncode}: {r.stderr.decode(errors='replace')}")
        bad += 1
        continue
    out = r.stdout.decode("utf-8")  # must be UTF-8
    docs = [json.loads(line) for line in out.splitlines() if line.strip()] if name not in (
        "check", "effective", "compile", "compile-stats") else [json.loads(out)]
    strings = []

    def walk(x):
        if isinstance(x, str):
            strings.append(x)
        elif isinstance(x, list):
            for y in x:
                walk(y)
        elif isinstance(x, dict):
            for k, y in x.items():
                walk(k)
                walk(y)
    walk(docs)
    for v in RENAME.values():
        if any(v in s for s in strings):
            seen.add((name, v))
    print(f"{name}: {len(docs)} JSON document(s) parse; names intact: {sum(1 for x in seen if x[0] == name)}")
for fl in ("fl.json", "fl-sim.json"):
    p = os.path.join(work, fl)
    if os.path.exists(p):
        json.load(open(p, encoding="utf-8"))
        print(f"{fl}: flow log parses")
# the adversarial names come through intact somewhere (not replaced by placeholders)
for v in RENAME.values():
    if not any(x[1] == v for x in seen):
        print(f"name {v!r} appears in no output")
        bad += 1
sys.exit(1 if bad else 0)
