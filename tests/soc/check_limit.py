#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""`nsgnic run --sim --flow-limit L` against `nsgnic run --flow-limit L` on nsgnic-mkpcap
--scenario concurrent (S5: at most L flows per NIC and direction; new connections past it are
dropped and counted, existing ones keep working): the same frames forwarded (as a multiset), the
same count of limit drops (more than none), the hardware learning at most 2 L flows (the scenario
opens connections on two NIC-directions), and no exception lost. The flow logs are compared byte
for byte by check_flowlog.py --same-as in the same test.
Usage: check_limit.py L SIM.json SIM.pcap SW.json SW.pcap"""
import collections
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pcapfile import frames  # noqa: E402

lim = int(sys.argv[1])
sim, sw = json.load(open(sys.argv[2])), json.load(open(sys.argv[4]))
fs, fw = collections.Counter(frames(sys.argv[3])), collections.Counter(frames(sys.argv[5]))
errors = []
if fs != fw:
    errors.append("forwarded frames differ: %d only through the NIC, %d only through the software path"
                  % (sum((fs - fw).values()), sum((fw - fs).values())))
drops_sw, drops_sim = sw["flowLimitDrops"], sim["flowLimitDrops"]
if drops_sw == 0:
    errors.append("software path: no connection dropped by the limit (the test needs more flows than %d)" % lim)
if drops_sim != drops_sw:
    errors.append("limit drops: %d through the NIC, %d through the software path" % (drops_sim, drops_sw))
if sw["flowsCreated"] != 2 * lim:
    errors.append("software path: %d flows created, expected %d (the limit on two NIC-directions)"
                  % (sw["flowsCreated"], 2 * lim))
learned = sim["flowsLearned"]
if learned == 0 or learned > 2 * lim:
    errors.append("hardware learned %d flows (expected 1 to %d)" % (learned, 2 * lim))
if sim["exceptions"]["eventsLost"] or sim["exceptions"]["exqFull"] or sim["exceptions"]["missing"]:
    errors.append("exceptions lost: %s" % sim["exceptions"])
print("run --sim --flow-limit %d: hardware learned %d, %d connections dropped by the limit (software path %d), "
      "%d frames forwarded (software path %d)" % (lim, learned, drops_sim, drops_sw, sum(fs.values()),
                                                 sum(fw.values())))
for e in errors:
    print("FAIL: " + e)
sys.exit(1 if errors else 0)
