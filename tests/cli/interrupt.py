#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""SIGINT/SIGTERM end a replay cleanly: `nsgnic run` (and `run --sim`) reading the example traffic
from a FIFO that stays open (so the replay is still running, deterministically) gets the signal
after the frames were read; it must exit 130, print the summary of the frames so far (valid JSON
with --json) and leave a flow log that is one valid JSON document.
Usage: interrupt.py NSGNIC MKPCAP EXAMPLE_DIR WORKDIR [--sim]"""
import json, os, re, signal, subprocess, sys, time

nsgnic, mkpcap, ex, work = sys.argv[1:5]
sim = "--sim" in sys.argv[5:]
os.makedirs(work, exist_ok=True)
pcap = os.path.join(work, "t.pcap")
subprocess.run([mkpcap, pcap], check=True)
data = open(pcap, "rb").read()
CFG = [x for f in ("vnets", "asgs", "nsgs", "nics") for x in ("--config", f"{ex}/{f}.json")] + \
      ["--service-tags", f"{ex}/servicetags.json"]
fails = 0
for mode, sig in (("run", signal.SIGINT), ("run", signal.SIGTERM)) + ((("run --sim", signal.SIGINT),) if sim else ()):
    fifo = os.path.join(work, "fifo")
    if os.path.exists(fifo):
        os.unlink(fifo)
    os.mkfifo(fifo)
    fl = os.path.join(work, f"fl-{mode.replace(' ', '')}-{sig.name}.json")
    errf = open(os.path.join(work, "stderr.txt"), "w+")
    p = subprocess.Popen([nsgnic, *mode.split(), *CFG, "--pcap", fifo, "--flow-log", fl, "--json"],
                         stdout=subprocess.PIPE, stderr=errf, env={**os.environ, "NSGNIC_PROGRESS": "1"})
    w = open(fifo, "wb")
    w.write(data)
    w.flush()
    # the replay has the frames: wait until it says so (progress line), or long enough
    deadline = time.time() + (180 if "sim" in mode else 10)
    while time.time() < deadline:
        errf.seek(0)
        counts = [int(x) for x in re.findall(r"(\d+) frames,", errf.read())]
        if counts and max(counts) >= 32:
            break
        time.sleep(0.2)
    time.sleep(0.5)
    p.send_signal(sig)
    out, _ = p.communicate(timeout=120)
    w.close()
    errf.seek(0)
    err = errf.read()
    ok = p.returncode == 130
    try:
        summary = json.loads(out.decode().splitlines()[0])
        frames = summary.get("packets", summary.get("frames"))
        ok = ok and frames == 36 and summary.get("interrupted", True) is True
        json.load(open(fl))
    except Exception as e:  # noqa: BLE001
        print(f"  {e}")
        ok = False
    print(f"{'ok  ' if ok else 'FAIL'} {mode} {sig.name}: exit {p.returncode}, stdout {out[:160]!r}")
    if not ok:
        print("  stderr:", err[-600:])
        fails += 1
sys.exit(1 if fails else 0)
