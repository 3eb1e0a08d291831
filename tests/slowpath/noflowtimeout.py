#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Writes a copy of a virtualNetworks JSON file without flowTimeoutInMinutes (S5 revised: the flow
# logs of such VNets have non-terminating flows). Usage: noflowtimeout.py IN.json OUT.json
import json, sys

d = json.load(open(sys.argv[1]))
for v in d if isinstance(d, list) else d.get("value", [d]):
    v.get("properties", v).pop("flowTimeoutInMinutes", None)
    v.pop("flowTimeoutInMinutes", None)
json.dump(d, open(sys.argv[2], "w"), indent=1)
