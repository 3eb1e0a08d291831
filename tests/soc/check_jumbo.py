#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""`nsgnic run --sim` against the software path on jumbo frames and IPv6 extension headers
(nsgnic-mkpcap --scenario jumbo; issue 12). The realistic device takes frames up to 9,216 bytes;
IPv6 packets with extension headers are exceptions the host decides (docs/datapath.md, Parser).
Expected: the device forwards exactly what the software path forwards, except frames longer than
9,216 bytes, which the device drops as OVERSIZE (the software path has no frame-size limit; Azure's
largest MTU, 9,000 bytes of IP, is a 9,014-byte frame). The flow logs are equal but for that:
the software path's C/E tuple of such a frame's flow counts it, the device's does not.
Usage: check_jumbo.py SIM.json SIM.pcap SIM-FLOWLOG SW.json SW.pcap SW-FLOWLOG"""
import collections
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pcapfile import frames  # noqa: E402

MAX_FRAME = 9216
sim, sw = json.load(open(sys.argv[1])), json.load(open(sys.argv[4]))
fs, fw = frames(sys.argv[2]), frames(sys.argv[5])
errors = []
big = [f for f in fw if len(f) > MAX_FRAME]
if not big or not any(len(f) == 9014 for f in fs) or not any(len(f) == MAX_FRAME for f in fs):
    errors.append("the capture lacks its jumbo frames (9,014, 9,216 and over 9,216 bytes)")
if collections.Counter(fs) != collections.Counter(f for f in fw if len(f) <= MAX_FRAME):
    errors.append("the device forwarded %d frames, the software path %d of at most %d bytes"
                  % (len(fs), sum(len(f) <= MAX_FRAME for f in fw), MAX_FRAME))
if sim["dropped"] != len(big):
    errors.append("device: %d frames dropped, expected the %d oversize ones" % (sim["dropped"], len(big)))
if sim["punted"] < 7 or sim["exceptions"]["hostDenied"] != 2:
    errors.append("device: the IPv6 extension-header packets were not decided by the host: %s" % sim["exceptions"])


def tuples(path):
    out = []
    for r in json.load(open(path))["records"]:
        for f in r["properties"]["flows"]:
            for x in f["flows"]:
                out += [(f["rule"], t) for t in x["flowTuples"]]
    return out


ts, tw = tuples(sys.argv[3]), tuples(sys.argv[6])
if len(ts) != len(tw):
    errors.append("flow logs: %d tuples through the device, %d in the software path" % (len(ts), len(tw)))
explained = 0
for (rs, a), (rw, b) in zip(ts, tw):
    if (rs, a) == (rw, b):
        continue
    fa, fb = a.split(","), b.split(",")
    # the one allowed difference: a responder->initiator count that includes the oversize frame
    if rs == rw and fa[:9] == fb[:9] and fa[8] in "CE" and fa[9:11] == fb[9:11] and \
            int(fb[11]) - int(fa[11]) == 1 and int(fb[12]) - int(fa[12]) == len(big[0]):
        explained += 1
        continue
    errors.append("flow logs differ: device %s, software path %s" % (a, b))
if explained != len(big):
    errors.append("flow logs: %d tuples count the oversize frame, expected %d" % (explained, len(big)))
print("run --sim on jumbo frames and IPv6 extension headers: %d frames forwarded (software path %d, "
      "%d over %d bytes dropped by the device), %d punted to the host, flow logs equal but for the "
      "oversize frame" % (len(fs), len(fw), len(big), MAX_FRAME, sim["punted"]))
for e in errors:
    print("FAIL: " + e)
sys.exit(1 if errors else 0)
