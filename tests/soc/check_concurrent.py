#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""`nsgnic run --sim` against the software path on N concurrent connections (nsgnic-mkpcap
--scenario concurrent, S5): the same frames forwarded (as a multiset: a flow the device cannot
hold goes through the host, whose re-injected frames may leave in another order), every allowed
connection either learned in hardware or refused for lack of room (FLOW_FULL: then tracked by
the host), and prints how many the hardware learned. The flow logs are compared byte for byte by
check_flowlog.py --same-as in the same test.
Usage: check_concurrent.py N SIM.json SIM.pcap SW.json SW.pcap [MIN_LEARNED]
MIN_LEARNED: the hardware must learn at least that many (a device whose flow table holds them all)."""
import collections
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pcapfile import frames  # noqa: E402

n = int(sys.argv[1])
sim, sw = json.load(open(sys.argv[2])), json.load(open(sys.argv[4]))
fs, fw = collections.Counter(frames(sys.argv[3])), collections.Counter(frames(sys.argv[5]))
errors = []
if fs != fw:
    errors.append("forwarded frames differ: %d only through the NIC, %d only through the software path"
                  % (sum((fs - fw).values()), sum((fw - fs).values())))
if sw["flowsCreated"] != n or sw["forwarded"] != 3 * n:
    errors.append("software path: %d flows, %d frames forwarded (expected %d, %d)"
                  % (sw["flowsCreated"], sw["forwarded"], n, 3 * n))
learned, full = sim["flowsLearned"], sim["hwFlows"]["full"]
if len(sys.argv) > 6 and learned < int(sys.argv[6]):
    errors.append("hardware learned %d flows, fewer than %s" % (learned, sys.argv[6]))
if learned + full != n:
    errors.append("hardware learned %d and refused %d flows: not the %d connections" % (learned, full, n))
if learned == 0:
    errors.append("the hardware learned no flow")
if sim["exceptions"]["eventsLost"] or sim["exceptions"]["exqFull"] or sim["exceptions"]["missing"]:
    errors.append("exceptions lost: %s" % sim["exceptions"])
print("run --sim on %d concurrent flows: hardware learned %d, host tracked %d (device full), %d frames "
      "forwarded, %d punted; software path forwarded %d" % (n, learned, full, sum(fs.values()), sim["punted"],
                                                           sum(fw.values())))
for e in errors:
    print("FAIL: " + e)
sys.exit(1 if errors else 0)
