#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Checks a replay of `nsgnic-mkpcap --scenario midconn` with `--update-at 4` and a configuration
without Allow-Web-Internet (S5, rule change mid-connection): usage:
check_midconn.py keep|flush OUT.pcap [RUN.json]
  keep   the connection survives the rule change: all 8 packets pass
  flush  nsg-web has flushConnection: the 4 packets after the change are denied, only the first 4
         pass (and the device's flow was deleted when RUN.json is a `run --sim --json` summary)"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pcapfile import frames  # noqa: E402


mode, passed = sys.argv[1], frames(sys.argv[2])
want = 8 if mode == "keep" else 4
assert len(passed) == want, "%s: %d packets passed, expected %d" % (mode, len(passed), want)
# the first four are the handshake and the request, in order (TCP flags byte of each)
flags = [f[14 + 20 + 13] for f in passed]
assert flags[:4] == [0x02, 0x12, 0x10, 0x18], flags
if len(sys.argv) > 3:
    run = json.loads(open(sys.argv[3]).readline())
    up = run["update"]
    assert up["afterPackets"] == 4 and up["writes"] > 0 and up["untrackedDeleted"] == 0, up
    if mode == "flush":
        assert up["flowsEnded"] == 1 and run["hwFlows"]["deleted"] == 1, run
        assert run["denied"] == 4 and run["allowed"] == 4, run
    else:
        assert up["flowsEnded"] == 0 and run["hwFlows"]["deleted"] == 0, run
        assert run["allowed"] == 8 and run["flowHits"] == 7, run
print("%s: %d packets passed" % (mode, len(passed)))
