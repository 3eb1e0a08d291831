#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes the rule change of the mid-connection tests (S5) from the example's NSGs:
usage: mkupdate.py examples/three-tier/nsgs.json OUT_DIR
  OUT_DIR/nsgs-norule.json        nsg-web without Allow-Web-Internet
  OUT_DIR/nsgs-norule-flush.json  the same with flushConnection true on nsg-web"""
import copy
import json
import os
import sys

nsgs = json.load(open(sys.argv[1]))
web = next(n for n in nsgs if n["name"] == "nsg-web")
rules = web["properties"]["securityRules"]
assert any(r["name"] == "Allow-Web-Internet" for r in rules)
web["properties"]["securityRules"] = [r for r in rules if r["name"] != "Allow-Web-Internet"]
json.dump(nsgs, open(os.path.join(sys.argv[2], "nsgs-norule.json"), "w"), indent=1)
flush = copy.deepcopy(nsgs)
next(n for n in flush if n["name"] == "nsg-web")["properties"]["flushConnection"] = True
json.dump(flush, open(os.path.join(sys.argv[2], "nsgs-norule-flush.json"), "w"), indent=1)
