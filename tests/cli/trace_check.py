#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""`run --sim --trace` narrowed: a scope (datapath / cpu) holds only that part of the SoC, a frame
window (--trace-frames) or cycle window (--trace-cycles) only those cycles, and FILE.gtkw names
only signals the trace declares (read back with fst2vcd), grouped by module instance.
Usage: trace_check.py NSGNIC MKPCAP EXAMPLE_DIR WORKDIR"""
import os, re, subprocess, sys

nsgnic, mkpcap, ex, work = sys.argv[1:5]
os.makedirs(work, exist_ok=True)
pcap = os.path.join(work, "t.pcap")
subprocess.run([mkpcap, pcap], check=True)
CFG = [x for f in ("vnets", "asgs", "nsgs", "nics") for x in ("--config", f"{ex}/{f}.json")] + \
      ["--service-tags", f"{ex}/servicetags.json"]


def decls(fst):
    """the trace's signals (scope.name[range]) and its dump times"""
    out = subprocess.run(["fst2vcd", "-f", fst], capture_output=True, text=True).stdout
    head, _, body = out.partition("$enddefinitions")
    scope, names = [], set()
    for l in head.splitlines():
        t = l.split()
        if t[:1] == ["$scope"]:
            scope.append(t[2])
        elif t[:1] == ["$upscope"]:
            scope.pop()
        elif t[:1] == ["$var"]:
            names.add(".".join(scope + [t[4] + (t[5] if t[5].startswith("[") and int(t[2]) > 1 else "")]))
    times = [int(x[1:]) for x in re.findall(r"^#\d+", body, re.M)]
    return names, times


fails = 0
cases = [("datapath, frames 3:5", ["--trace-scope=datapath", "--trace-frames=3:5"], "nsgnic_top.nsgnic_top.u_dp."),
         ("cpu, cycles 1000:1999", ["--trace-scope", "cpu", "--trace-cycles", "1000:1999"], "nsgnic_top.nsgnic_top.u_sys."),
         ("everything, cycles 0:19999", ["--trace-cycles=0:19999"], None)]
for name, args, prefix in cases:
    fst = os.path.join(work, f"t{len(args)}{prefix is None}.fst")
    r = subprocess.run([nsgnic, "run", "--sim", *CFG, "--pcap", pcap, "--trace", fst, *args], capture_output=True,
                       text=True)
    gtkw = fst[:-4] + ".gtkw"
    ok = r.returncode == 0 and os.path.exists(gtkw)
    names, times = decls(fst) if ok else (set(), [])
    listed = [l.strip() for l in open(gtkw) if l.strip() and l[0] not in "@-[*"] if ok else []
    ok = ok and listed and all(x in names for x in listed)
    if prefix:
        ok = ok and names and all(n.startswith(prefix) for n in names)
    m = re.search(r"cycles (\d+):(\d+)", name)
    if m:  # trace time stamps are half cycles
        lo, hi = int(m.group(1)), int(m.group(2))
        ok = ok and times and min(times) >= 2 * lo and max(times) <= 2 * hi + 1
    if "frames" in name:
        ok = ok and times and min(times) > 100000  # after boot and table load
    print(f"{'ok  ' if ok else 'FAIL'} {name}: {len(names)} signals, {len(times)} time stamps "
          f"[{min(times) if times else '-'}..{max(times) if times else '-'}], {len(listed)} in the save file, "
          f"{os.path.getsize(fst) if os.path.exists(fst) else 0} bytes")
    if not ok:
        print("  ", r.returncode, r.stderr[-500:], [x for x in listed if x not in names][:5])
        fails += 1
r = subprocess.run([nsgnic, "run", "--sim", *CFG, "--pcap", pcap, "--trace", os.path.join(work, "x.fst"),
                    "--trace-scope", "u_dp.no such"], capture_output=True, text=True)
ok = r.returncode == 64 and "--trace-scope" in r.stderr
print(f"{'ok  ' if ok else 'FAIL'} a bad scope is refused: {r.stderr.strip()[-150:]}")
fails += not ok
sys.exit(1 if fails else 0)
