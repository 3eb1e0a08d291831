#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Validates a flow log written by `nsgnic run --flow-log` against the shape of Azure's samples
# (tests/data/flowlogs/): one JSON document, records[], field order and units of each tuple.
# Usage: check_flowlog.py FILE nsg-v2|vnet [SAMPLE.json...]   (samples are checked by the same code)
import json, re, sys

def tuple_v2(t):
    f = t.split(",")
    assert len(f) == 13, t
    assert re.fullmatch(r"\d{10}", f[0]), t                # epoch seconds
    assert f[5] in "TU" and f[6] in "IO" and f[7] in "AD" and f[8] in "BCE", t
    int(f[3]); int(f[4])
    if f[8] == "B":
        assert f[9:] == ["", "", "", ""], t                  # B tuples have empty counters
    elif any(f[9:]):
        assert all(x.isdigit() for x in f[9:]), t

def tuple_vnet(t):
    f = t.split(",")
    assert len(f) == 13, t
    assert re.fullmatch(r"\d{13}", f[0]), t                # epoch milliseconds
    assert f[5].isdigit() and f[6] in "IO" and f[7] in "BCED" and f[8] in ("NX", "X"), t
    assert all(x.isdigit() for x in f[9:]), t

def check(path, fmt):
    d = json.load(open(path))                               # one JSON document
    assert list(d) == ["records"] and d["records"], path
    n = 0
    for r in d["records"]:
        if fmt == "nsg-v2":
            assert r["category"] == "NetworkSecurityGroupFlowEvent" and r["properties"]["Version"] == 2
            assert r["resourceId"] == r["resourceId"].upper()
            for g in r["properties"]["flows"]:
                assert re.fullmatch(r"(UserRule|DefaultRule)_.+", g["rule"]), g["rule"]
                for m in g["flows"]:
                    assert re.fullmatch(r"[0-9A-F]{12}", m["mac"])
                    for t in m["flowTuples"]:
                        tuple_v2(t); n += 1
        else:
            assert r["flowLogVersion"] == 4 and r["category"] == "FlowLogFlowEvent"
            for a in r["flowRecords"]["flows"]:
                for g in a["flowGroups"]:
                    for t in g["flowTuples"]:
                        tuple_vnet(t); n += 1
    return n

fmt = sys.argv[2]
print("%s: %d tuples" % (sys.argv[1], check(sys.argv[1], fmt)))
for s in sys.argv[3:]:
    print("%s: %d tuples (sample)" % (s, check(s, "nsg-v2")))
