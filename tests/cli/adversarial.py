#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Every JSON output of nsgnic parses when names are adversarial: the example deployment with an
NSG, a rule and a NIC renamed to the strangest names Azure allows (letters of other scripts,
'_', '.', '-'); names Azure does not allow (quotes, backslashes, control characters) are refused
at load with exit 2 and a message that prints them escaped (issue 15: no raw control character
reaches the terminal). Usage: adversarial.py NSGNIC MKPCAP EXAMPLE_DIR WORKDIR [--sim]"""
import json, subprocess, sys, os

nsgnic, mkpcap, ex, work = sys.argv[1:5]
sim = "--sim" in sys.argv[5:]
os.makedirs(work, exist_ok=True)
# the names: characters outside ASCII and Azure's punctuation (no '/': resource ids)
RENAME = {
    "nsg-web": 'nsg-.web_\u00e9\u65e5\u0444',
    "Allow-Web-Internet": 'Allow.Web_Internet-\u00fc\u00df',
    "nic-web-vm1": 'nic-\u00e9web_\u65e5-vm1',
}
# names Azure refuses: everything JSON escapes
ILLEGAL = {
    "nsg-web": 'nsg-"web\\\u0001\t\u00e9\u65e5',
    "Allow-Web-Internet": 'Allow "Web" \\ Internet\n\u00fc\u0007',
    "nic-web-vm1": 'nic-\u00e9"web\\\u001f-vm1',
}


def rename(v, table):
    if isinstance(v, str):
        for a, b in table.items():
            v = v.replace(a, b)
        return v
    if isinstance(v, list):
        return [rename(x, table) for x in v]
    if isinstance(v, dict):
        return {rename(k, table): rename(x, table) for k, x in v.items()}
    return v


def configs(table, sub):
    cfg = []
    os.makedirs(os.path.join(work, sub), exist_ok=True)
    for f in ("vnets", "asgs", "nsgs", "nics"):
        p = os.path.join(work, sub, f + ".json")
        with open(os.path.join(ex, f + ".json")) as i, open(p, "w") as o:
            json.dump(rename(json.load(i), table), o, ensure_ascii=False)
        cfg += ["--config", p]
    return cfg + ["--service-tags", os.path.join(ex, "servicetags.json")]


bad = 0
r = subprocess.run([nsgnic, "check", *configs(ILLEGAL, "illegal")], capture_output=True)
err = r.stderr.decode("utf-8")
ctrl = [c for c in err if (ord(c) < 32 and c != "\n") or 0x7f <= ord(c) < 0xa0]
if r.returncode != 2 or ctrl or "Azure's naming rule" not in err or "\\x01" not in err:
    print(f"illegal names: exit {r.returncode}, raw control characters {ctrl!r}:\n{err}")
    bad += 1
else:
    print("illegal names: refused (exit 2), printed escaped")
cfg = configs(RENAME, "legal")
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
