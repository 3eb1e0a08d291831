#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Checks that exceptions released by the host leave the co-simulated NIC and reach --out-pcap
(`nsgnic run --sim --json` on nsgnic-mkpcap's example traffic): usage:
check_released.py RUN.json IN.pcap OUT.pcap
The fragmented UDP datagram app -> Internet (IP id 99) is punted (IPv4 fragments), parked, decided
by the host (the first fragment by the rules, S5 AllowInternetOutBound; the later one by the first
one's decision) and released ALLOW: both come out byte for byte as captured. The orphan later
fragment (IP id 100) is released DENY: it is not in OUT.pcap."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pcapfile import frames  # noqa: E402


def ip_id(f):
    return int.from_bytes(f[18:20], "big") if f[12:14] == b"\x08\x00" else None


run = json.load(open(sys.argv[1]))
x = run["exceptions"]
assert x["parked"] is True, x
assert x["released"] == 2 and x["releasedDropped"] == 1 and x["expired"] == 0, x
assert x["writtenOut"] == 2 and x["releasedMissing"] == 0 and x["missing"] == 0 and x["mismatched"] == 0, x
assert x["fwExcForwarded"] == 2 and x["fwExcDropped"] == 1, x
inp, out = frames(sys.argv[2]), frames(sys.argv[3])
frag_in = [f for f in inp if ip_id(f) == 99]
frag_out = [f for f in out if ip_id(f) == 99]
assert len(frag_in) == 2 and frag_out == frag_in, (len(frag_in), len(frag_out))
assert not [f for f in out if ip_id(f) == 100], "the orphan fragment was forwarded"
print("released: %d fragments out byte for byte, the orphan dropped" % len(frag_out))
