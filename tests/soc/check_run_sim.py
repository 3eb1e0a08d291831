#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Checks `nsgnic run --sim --json` on the example traffic (tests/slowpath/mkpcap.c) against
the software path's replay of the same pcap: usage: check_run_sim.py RUN.json SIM.pcap SW.pcap"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pcapfile import frames  # noqa: E402


run = json.load(open(sys.argv[1]))
rows = {(r["nic"], r["rule"]): r for r in run["rules"]}
# 2. Internet -> web:22: the SYN and its retransmission are denied by the rules
assert rows[("nic-web-vm1", "nsg-web/defaultSecurityRules/DenyAllInBound")]["denied"] == 2, rows
# 1. Internet -> web:443 allowed, and every later packet of that connection too
assert rows[("nic-web-vm1", "nsg-web/securityRules/Allow-Web-Internet")]["allowed"] >= 6, rows
# 4. S5: app -> Internet:443; the replies pass (flow-cache hits) although inbound rules deny them.
# snet-app's route table sends 0.0.0.0/0 to the firewall appliance, so VirtualNetwork holds every
# IPv4 address there (S7 revised) and AllowVnetOutBound decides before AllowInternetOutBound.
assert rows[("nic-app-vm1", "nsg-app/defaultSecurityRules/AllowVnetOutBound")]["allowed"] >= 4, rows
assert run["flowsLearned"] > 0 and run["flowHits"] > 0, run
# 8. app -> db:11000 denied at the db NIC's NSG (S2: the second level), app -> db:1433 allowed
assert rows[("nic-db-vm1", "nsg-db-vm1/securityRules/Deny-Vnet-Inbound")]["denied"] == 1, rows
assert run["punted"] > 0 and run["hostAllowed"] > 0, run  # fragments: the host decides
sim, sw = frames(sys.argv[2]), frames(sys.argv[3])
# everything the NIC (+ host slow path) passed, the software path passed too, and nothing more:
# 7. the ICMP port-unreachable about the tracked UDP flow passes as related in both (S5; the
# datapath looks it up by the embedded packet's flow: docs/datapath.md)
missing = [f for f in sim if f not in sw]
assert not missing, "frames passed by the NIC but not by the software path: %d" % len(missing)
assert len(sw) == len(sim), (len(sim), len(sw))
print("run --sim: %d frames passed (software path %d), S5 replies through the flow cache" % (len(sim), len(sw)))
