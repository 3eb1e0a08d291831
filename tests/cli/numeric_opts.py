#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Every number on a command line is range-checked by one strict parser (issue 15): decimal digits
only, no leading space or sign (strtoull reads " -1" as 2^64-1), no base prefix or leading zero,
no overflow, no trailing text, and the option's range. A table of every numeric option of every
program (and the ports of a `verify --batch` query): each bad spelling exits 64 (1 with the batch
query's error line) naming the option; the range's bounds are accepted. Every option of a command
whose placeholder is numeric (N, MS, A:B, NAME=N, N|LO-HI, IP[:PORT], P) must be in the table, so
a new numeric option cannot be added untested.
Usage: numeric_opts.py NSGNIC MKPCAP EXAMPLE_DIR WORKDIR [NSGNIC_SIM]"""
import json, os, re, subprocess, sys, time

nsgnic, mkpcap, ex, work = sys.argv[1:5]
nsim = sys.argv[5] if len(sys.argv) > 5 and sys.argv[5] else None
os.makedirs(work, exist_ok=True)
CFG = [x for f in ("vnets", "asgs", "nsgs", "nics") for x in ("--config", f"{ex}/{f}.json")] + \
    ["--service-tags", f"{ex}/servicetags.json"]
pcap = os.path.join(work, "t.pcap")
subprocess.run([mkpcap, pcap], check=True)
U64 = 2**64 - 1
VERIFY = [nsgnic, "verify", *CFG, "--nic", "nic-web-vm1", "--direction", "inbound"]


def batch(field):
    def argv(v):
        q = {"nic": "nic-web-vm1", "direction": "inbound", "protocol": "tcp", "local": "10.10.1.4",
             "localPort": "443", "remote": "203.0.114.7", "remotePort": "50000"}
        q[field] = v
        path = os.path.join(work, "q.jsonl")
        with open(path, "w") as f:
            f.write(json.dumps(q) + "\n")
        return [nsgnic, "verify", *CFG, "--batch", path]
    return argv


# (name, option(s) it covers as (command, --option), argv of a value, lo, hi, error regex, bad rc)
T = [
    ("run --update-at", [("run", "update-at"), ("flows", "update-at")],
     lambda v: [nsgnic, "run", *CFG, "--pcap", pcap, "--update-at", v, "--update-config", f"{ex}/vnets.json",
                "--update-config", f"{ex}/asgs.json", "--update-config", f"{ex}/nsgs.json", "--update-config",
                f"{ex}/nics.json"], 0, U64, r"--update-at needs a decimal number from 0 to 18446744073709551615", 64),
    ("run --flow-limit", [("run", "flow-limit")], lambda v: [nsgnic, "run", *CFG, "--pcap", pcap, "--flow-limit", v],
     1, 2**32 - 1, r"--flow-limit needs a decimal number from 1 to 4294967295", 64),
    ("run --trace-cycles A", [("run", "trace-cycles")],
     lambda v: [nsgnic, "run", *CFG, "--pcap", pcap, "--trace-cycles", v], 0, U64, r"--trace-cycles: .* is not A:B", 64),
    ("run --trace-cycles A:B", [], lambda v: [nsgnic, "run", *CFG, "--pcap", pcap, "--trace-cycles", "0:" + v],
     0, U64, r"--trace-cycles: .* is not A:B", 64),
    ("run --trace-frames A", [("run", "trace-frames")],
     lambda v: [nsgnic, "run", *CFG, "--pcap", pcap, "--trace-frames", v], 0, U64, r"--trace-frames: .* is not A:B", 64),
    ("check --limit", [(c, "limit") for c in ("check", "compile", "diff", "effective", "flows", "load", "prove",
                                              "query", "run", "verify")],
     lambda v: [nsgnic, "check", *CFG, "--limit", "rules-per-nsg=" + v], 0, 1000000, r"--limit: .* is not NAME=N", 64),
    ("prove --max-witnesses", [("prove", "max-witnesses")],
     lambda v: [nsgnic, "prove", *CFG, "--max-witnesses", v, "--nic", "nope"], 1, 10000,
     r"--max-witnesses needs a decimal number from 1 to 10000", 64),
    ("query --port N", [("query", "port")], lambda v: [nsgnic, "query", *CFG, "--nic", "nope", "--port", v], 0, 65535,
     r"--port expects N or LO-HI", 64),
    ("query --port LO-HI", [], lambda v: [nsgnic, "query", *CFG, "--nic", "nope", "--port", "0-" + v], 0, 65535,
     r"--port expects N or LO-HI", 64),
    ("query --proto", [("query", "proto")], lambda v: [nsgnic, "query", *CFG, "--nic", "nope", "--proto", v], 0, 255,
     r"--proto expects", 64),
    ("verify --protocol", [("verify", "protocol")],
     lambda v: VERIFY + ["--protocol", v, "--local", "10.10.1.4", "--remote", "203.0.114.7"], 0, 255,
     r"--protocol expects", 64),
    ("verify --local IP:PORT", [("verify", "local")],
     lambda v: VERIFY + ["--protocol", "tcp", "--local", "10.10.1.4:" + v, "--remote", "203.0.114.7:50000"], 0, 65535,
     r"--local/--remote expect", 64),
    ("verify --remote [IPv6]:PORT", [("verify", "remote")],
     lambda v: VERIFY + ["--protocol", "tcp", "--local", "[fd10:10:0:1::4]:443", "--remote", "[2603:1000::1]:" + v],
     0, 65535, r"--local/--remote expect", 64),
    ("devices --timeout", [("devices", "timeout"), ("load", "timeout")],
     lambda v: [nsgnic, "devices", "--sysfs-root", work, "--timeout", v], 1, 600000, r"--timeout: milliseconds", 64),
    ("verify --batch localPort", [], batch("localPort"), 0, 65535, r"field 'localPort': expected a port", 1),
    ("verify --batch remotePort", [], batch("remotePort"), 0, 65535, r"field 'remotePort': expected a port", 1),
]
if nsim:
    T.append(("nsgnic-sim --max-cycles", [("nsgnic-sim", "max-cycles")],
              lambda v: [nsim, "--max-cycles", v, "--run-elf", "/nonexistent.elf"], 1, U64,
              r"--max-cycles needs a decimal number from 1 to 18446744073709551615", 64))

fails = 0


def run(name, v, argv, rc, err_re, bad):
    global fails
    r = subprocess.run(argv, capture_output=True, text=True, timeout=300)
    out = r.stdout + r.stderr
    if bad:
        ok = r.returncode == rc and re.search(err_re, out) is not None
    else:
        ok = not re.search(err_re, out)
    if not ok:
        fails += 1
        print(f"FAIL {name} {v!r}: {'should be refused' if bad else 'should be accepted'}; exit "
              f"{r.returncode}\n  {out[:300]!r}")
    return ok


covered = set()
for name, cov, argv, lo, hi, err_re, rc in T:
    t0 = time.time()
    covered.update(cov)
    # one spelling per way strtoull-style parsing goes wrong (a sanitizer build runs each in ~1 s)
    bad = ["", f" {lo}", f"+{lo}", " -1", "-1", f"{lo}x", "0x10", "01", "18446744073709551616"]
    if hi < U64:
        bad.append(str(hi + 1))
    if lo > 0:
        bad.append(str(lo - 1))
    good = sorted({str(lo), str(hi)})
    n = sum(run(name, v, argv(v), rc, err_re, True) for v in bad) + sum(run(name, v, argv(v), rc, err_re, False) for v in good)
    print(f"{name}: {n}/{len(bad) + len(good)} ok ({time.time() - t0:.1f} s; {len(bad)} refused, bounds {lo}..{hi} accepted)")

# every option whose placeholder is numeric is in the table
NUMERIC = re.compile(r"^\s+(?:-\w, )?--([a-z0-9-]+)[ =](N|MS|A:B|NAME=N|N\|LO-HI|IP\[:PORT\]|P)\b", re.M)
listing = subprocess.run([nsgnic, "help"], capture_output=True, text=True).stdout
cmds = re.findall(r"^  ([a-z]+) ", listing.split("commands:")[1].split("common options")[0], re.M)
progs = [(c, [nsgnic, "help", c]) for c in cmds]
if nsim:
    progs.append(("nsgnic-sim", [nsim, "--help"]))
for c, argv in progs:
    h = subprocess.run(argv, capture_output=True, text=True).stdout
    for o, _ in NUMERIC.findall(h):
        if (c, o) not in covered:
            fails += 1
            print(f"FAIL {c} --{o}: a numeric option missing from the table")
print("numeric options: %d failure(s)" % fails)
sys.exit(1 if fails else 0)
