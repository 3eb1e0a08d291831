#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A damaged capture is an error, never a replay that ends early with exit 0 (issue 15): the
example traffic (nsgnic-mkpcap) written again with one defect of a class, replayed by `nsgnic run`
(and `nsgnic flows`; with --sim also `nsgnic run --sim`). Expected: exit 1, a message naming the
file, the record number and its byte offset and how many records were processed; --out-pcap and
--flow-log not left under their names (kept as NAME.partial).
Usage: pcap_errors.py CLASS NSGNIC MKPCAP EXAMPLE_DIR WORKDIR [--sim]
CLASS: truncated_record, caplen_beyond_file, caplen_beyond_snaplen, caplen_beyond_len,
trailing_garbage, trailing_garbage_header, bad_magic, good (the intact file replays with exit 0)."""
import os, re, subprocess, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import pcapfile  # noqa: E402

cls, nsgnic, mkpcap, ex, work = sys.argv[1:6]
sim = "--sim" in sys.argv[6:]
work = os.path.join(work, cls)
os.makedirs(work, exist_ok=True)
base = os.path.join(work, "example.pcap")
subprocess.run([mkpcap, base], check=True)
pk = pcapfile.packets(base)
recs = [pcapfile.record(f, t, wirelen=w) for t, f, w in pk]
bad = os.path.join(work, cls + ".pcap")
snaplen = 65535
# (record number of the error, 1-based; a regular expression of libpcap's or nsgnic's reason)
if cls == "good":
    pcapfile.write(bad, recs)
    want = None
elif cls == "truncated_record":  # the file ends inside record 8's data
    offs = pcapfile.write(bad, recs)
    with open(bad, "r+b") as f:
        f.truncate(offs[7] + 16 + 10)
    want = (8, offs[7], "truncated")
elif cls == "caplen_beyond_file":  # the last record's caplen runs past the end of the file
    offs = pcapfile.write(bad, recs[:-1] + [pcapfile.record(pk[-1][1], pk[-1][0], caplen=60000, wirelen=60000)])
    want = (len(recs), offs[-1], "truncated")
elif cls == "caplen_beyond_snaplen":  # snapshot length 128, record 3 holds 300 bytes
    snaplen = 128
    rs = [pcapfile.record(f[:128], t, wirelen=w) for t, f, w in pk]
    rs[2] = pcapfile.record(pk[2][1] + bytes(300 - len(pk[2][1])), pk[2][0])
    offs = pcapfile.write(bad, rs, snaplen=snaplen)
    want = (3, offs[2], "snapshot length 128")
elif cls == "caplen_beyond_len":  # record 5 claims more bytes captured than were on the wire
    rs = list(recs)
    rs[4] = pcapfile.record(pk[4][1], pk[4][0], wirelen=10)
    offs = pcapfile.write(bad, rs)
    want = (5, offs[4], "exceeds the frame's length 10")
elif cls == "trailing_garbage":  # 7 bytes after the last record
    offs = pcapfile.write(bad, recs + [b"garbage"])
    want = (len(recs) + 1, offs[-1], "truncated")
elif cls == "trailing_garbage_header":  # 40 bytes of 0xff: a record header with caplen 2^32-1
    offs = pcapfile.write(bad, recs + [b"\xff" * 40])
    want = (len(recs) + 1, offs[-1], "capture length 4294967295")
elif cls == "bad_magic":
    pcapfile.write(bad, recs)
    with open(bad, "r+b") as f:
        f.write(b"XXXX")
    want = (0, 0, "unknown file format")
else:
    sys.exit("unknown class " + cls)

cfg = []
for n in ("vnets", "asgs", "nsgs", "nics"):
    cfg += ["--config", os.path.join(ex, n + ".json")]
cfg += ["--service-tags", os.path.join(ex, "servicetags.json")]
fails = []


def check(what, argv, outputs):
    for o in outputs:  # outputs of an earlier run must not hide a missing one
        for p in (o, o + ".partial"):
            if os.path.exists(p):
                os.unlink(p)
    r = subprocess.run(argv, capture_output=True, text=True)
    err = r.stderr
    if want is None:
        if r.returncode != 0:
            fails.append(f"{what}: exit {r.returncode} on the intact capture: {err}")
        for o in outputs:
            if not os.path.exists(o):
                fails.append(f"{what}: {o} not written")
        return
    rec, off, why = want
    if r.returncode != 1:
        fails.append(f"{what}: exit {r.returncode}, want 1; stderr: {err}")
    if bad not in err:
        fails.append(f"{what}: the message does not name {bad}: {err}")
    if not re.search(why, err):
        fails.append(f"{what}: no /{why}/ in: {err}")
    if rec:
        msg = f"record {rec} at byte offset {off}: "
        if msg not in err:
            fails.append(f"{what}: no '{msg}' in: {err}")
        if f"processed {rec - 1} of the records before the error" not in err:
            fails.append(f"{what}: 'processed {rec - 1} of the records' missing: {err}")
    for o in outputs:
        if os.path.exists(o):
            fails.append(f"{what}: {o} exists as if the replay were complete")
        if rec > 1 and not os.path.exists(o + ".partial"):
            fails.append(f"{what}: {o}.partial (the records processed) missing: {err}")


outs = [os.path.join(work, "out.pcap"), os.path.join(work, "flow.log")]
check("run", [nsgnic, "run"] + cfg + ["--pcap", bad, "--out-pcap", outs[0], "--flow-log", outs[1]], outs)
check("flows", [nsgnic, "flows"] + cfg + ["--pcap", bad], [])
if sim:
    check("run --sim", [nsgnic, "run", "--sim"] + cfg + ["--pcap", bad, "--out-pcap", outs[0], "--flow-log", outs[1]],
          outs)
for f in fails:
    print("FAIL " + f)
sys.exit(1 if fails else 0)
