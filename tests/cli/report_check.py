#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""`nsgnic run --report DIR` on the example traffic: index.html shows the six plots (verdicts per
NIC, rule heat map, flows, flow-cache occupancy, exceptions per second, verdict latency); every
plot is a PNG gnuplot drew with something on it (pixels other than the background in its plot
area) from data that is not all zero. With --sim the same through the co-simulated NIC.
Usage: report_check.py NSGNIC MKPCAP EXAMPLE_DIR WORKDIR [--sim]"""
import os, re, struct, subprocess, sys, zlib

nsgnic, mkpcap, ex, work = sys.argv[1:5]
modes = [[]] + ([["--sim"]] if "--sim" in sys.argv[5:] else [])
os.makedirs(work, exist_ok=True)
pcap = os.path.join(work, "t.pcap")
subprocess.run([mkpcap, pcap], check=True)
CFG = [x for f in ("vnets", "asgs", "nsgs", "nics") for x in ("--config", f"{ex}/{f}.json")] + \
      ["--service-tags", f"{ex}/servicetags.json"]
PLOTS = {"verdicts.png": ("verdicts.dat", None), "rules.png": ("rules.dat", None),
         "flows.png": ("flows.dat", [1, 2, 3]), "cache.png": ("flows.dat", [4]),
         "exceptions.png": ("exceptions.dat", [1]), "latency.png": ("latency.dat", [1])}


def png_ink(path):
    """Share of pixels that differ from the most common colour (the background)."""
    d = open(path, "rb").read()
    assert d[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    i, idat = 8, b""
    while i < len(d):
        n, t = struct.unpack(">I4s", d[i:i + 8])
        if t == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", d[i + 8:i + 18])
        if t == b"IDAT":
            idat += d[i + 8:i + 8 + n]
        i += 12 + n
    assert depth == 8, f"{path}: bit depth {depth}"
    bpp = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[ctype]
    raw = zlib.decompress(idat)
    stride = w * bpp
    prev = bytearray(stride)
    counts = {}
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        for x in range(0, stride, bpp):
            px = bytes(line[x:x + bpp])
            counts[px] = counts.get(px, 0) + 1
        prev = line
    bg = max(counts.values())
    return 1 - bg / (w * h)


fails = 0
for m in modes:
    rep = os.path.join(work, "report" + ("-sim" if m else ""))
    r = subprocess.run([nsgnic, "run", *m, *CFG, "--pcap", pcap, "--report", rep], capture_output=True, text=True)
    name = "run " + " ".join(m) + " --report"
    if r.returncode != 0 or "report " + rep + "/index.html" not in r.stderr:
        print(f"FAIL {name}: exit {r.returncode}: {r.stderr[-800:]}")
        fails += 1
        continue
    html = open(os.path.join(rep, "index.html"), encoding="utf-8").read()
    for png, (dat, cols) in PLOTS.items():
        ok = f'src="{png}"' in html and os.path.getsize(os.path.join(rep, png)) > 5000
        rows = [[float(x) for x in l.split()] for l in open(os.path.join(rep, dat)) if l.strip()]
        vals = [v for row in rows for j, v in enumerate(row) if (cols is None and (j > 0 or dat == "rules.dat")) or (cols and j in cols)]
        ok = ok and any(v > 0 for v in vals)
        ink = png_ink(os.path.join(rep, png))
        ok = ok and ink > 0.01
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {png}: {len(rows)} data rows, max {max(vals) if vals else None}, "
              f"{ink:.3f} of the image drawn")
        fails += not ok
sys.exit(1 if fails else 0)
