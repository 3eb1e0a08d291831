#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Validates a flow log written by `nsgnic run [--sim] --flow-log`: its shape against Azure's real
# samples (tests/data/flowlogs/, checked by the same code), and its meaning (S5, revised 2026-12):
#  - one record per minute and per NSG and MAC (NSG v2; per NIC for VNet logs): the record's time
#    ends the minute of its tuples, record times never go back, tuples are in time order;
#  - the MAC is the NIC's configured `macAddress` (--nics: the tuple's NIC-side address is that
#    NIC's), record-level `macAddress` as in the real samples;
#  - every flow begins (B) before it continues (C) or ends (E), and ends at most once;
#  - --pcap: the counts of a flow's C and E tuples add up to the capture's packets and bytes
#    (frame lengths) of that flow in each direction, its first packet included;
#  - --pcap and --out-pcap: every TCP/UDP packet the replay dropped has its D entry (NSG v2: B
#    with access D) at its time, and every D entry is such a packet;
#  - --no-flow-timeout (the VNet has no flowTimeoutInMinutes): flows allowed by a non-default
#    inbound TCP rule are non-terminating: a B tuple only (no C, no E, no counts); others as usual;
#  - --same-as OTHER: the two logs are identical (the software path and `run --sim`).
# Usage: check_flowlog.py FILE nsg-v2|vnet [SAMPLE.json...] [--pcap IN --out-pcap OUT]
#        [--nics NICS.json] [--no-flow-timeout] [--same-as OTHER] [--min-tuples N]
import argparse, collections, datetime, json, os, re, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import pcapfile  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("log")
ap.add_argument("fmt", choices=["nsg-v2", "vnet"])
ap.add_argument("samples", nargs="*")
ap.add_argument("--pcap")
ap.add_argument("--out-pcap")
ap.add_argument("--nics")
ap.add_argument("--no-flow-timeout", action="store_true")
ap.add_argument("--same-as")
ap.add_argument("--min-tuples", type=int, default=1)
args = ap.parse_intermixed_args()

errors = []


def err(msg):
    errors.append(msg)


def epoch(iso):
    d = datetime.datetime.strptime(iso[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
    return int(d.timestamp())


def tuple_v2(t):
    f = t.split(",")
    assert len(f) == 13, t
    assert re.fullmatch(r"\d{10}", f[0]), t                # epoch seconds
    assert f[5] in "TU" and f[6] in "IO" and f[7] in "AD" and f[8] in "BCE", t
    int(f[3]); int(f[4])
    if f[8] == "B":
        assert f[9:] == ["", "", "", ""], t                  # B tuples have empty counters
        cnt = None
    elif any(f[9:]):
        assert all(x.isdigit() for x in f[9:]), t            # no negative counter
        cnt = [int(x) for x in f[9:]]
    else:
        cnt = None
    return dict(sec=int(f[0]), src=f[1], dst=f[2], sport=int(f[3]), dport=int(f[4]),
                proto={"T": 6, "U": 17}[f[5]], dir=f[6], access=f[7], state=f[8], cnt=cnt)


def tuple_vnet(t):
    f = t.split(",")
    assert len(f) == 13, t
    assert re.fullmatch(r"\d{13}", f[0]), t                # epoch milliseconds
    assert f[5].isdigit() and f[6] in "IO" and f[7] in "BCED" and f[8] in ("NX", "X"), t
    assert all(x.isdigit() for x in f[9:]), t
    st = f[7]
    return dict(sec=int(f[0]) // 1000, src=f[1], dst=f[2], sport=int(f[3]), dport=int(f[4]), proto=int(f[5]),
                dir=f[6], access="D" if st == "D" else "A", state="B" if st == "D" else st,
                cnt=None if st in "BD" else [int(x) for x in f[9:]])


def check(path, fmt, sample=False):
    """Shape of every record; returns the tuples in file order with their record's data."""
    d = json.load(open(path))                               # one JSON document
    assert list(d) == ["records"] and d["records"], path
    out, last_rec = [], 0
    for r in d["records"]:
        rt = epoch(r["time"])
        if fmt == "nsg-v2":
            assert r["category"] == "NetworkSecurityGroupFlowEvent" and r["properties"]["Version"] == 2
            assert r["resourceId"] == r["resourceId"].upper()
            if "macAddress" in r or not sample:             # record-level MAC (the newer samples have it)
                assert re.fullmatch(r"[0-9A-F]{12}", r["macAddress"]), r["macAddress"]
            groups = [(g["rule"], m["mac"], m["flowTuples"]) for g in r["properties"]["flows"] for m in g["flows"]]
            rec_mac = r.get("macAddress")
            parse = tuple_v2
        else:
            assert r["flowLogVersion"] == 4 and r["category"] == "FlowLogFlowEvent"
            groups = [(g["rule"], r["macAddress"], g["flowTuples"]) for a in r["flowRecords"]["flows"]
                      for g in a["flowGroups"]]
            rec_mac = r["macAddress"]
            parse = tuple_vnet
        if sample:
            for rule, mac, tuples in groups:
                assert re.fullmatch(r"(UserRule|DefaultRule)_.+", rule), rule
                for t in tuples:
                    parse(t)
                    out.append(t)
            continue
        if rt < last_rec:
            err("%s: record time %s goes back" % (path, r["time"]))
        last_rec = rt
        if not r["time"].endswith(":00.0000000Z"):
            err("%s: record time %s is not the end of a minute" % (path, r["time"]))
        for rule, mac, tuples in groups:
            assert re.fullmatch(r"(UserRule|DefaultRule)_.+", rule), rule
            assert re.fullmatch(r"[0-9A-F]{12}", mac), mac
            if mac != rec_mac:
                err("%s: flows of MAC %s in the record of MAC %s" % (path, mac, rec_mac))
            prev = 0
            for t in tuples:
                x = parse(t)
                if x["sec"] < prev:
                    err("%s: tuple %s out of time order" % (path, t))
                prev = x["sec"]
                if x["sec"] > rt:
                    err("%s: tuple %s after its record's time %s" % (path, t, r["time"]))
                if rule.startswith("DefaultRule_") and rule[12:] not in (
                        "AllowVnetInBound", "AllowAzureLoadBalancerInBound", "DenyAllInBound", "AllowVnetOutBound",
                        "AllowInternetOutBound", "DenyAllOutBound"):
                    err("%s: default rule %s not spelled as Azure's API (S6)" % (path, rule))
                x.update(rule=rule, mac=mac, rec=rt, text=t)
                out.append(x)
    return out


def mac_of(s):
    return re.sub(r"[^0-9A-Fa-f]", "", s).upper()


def frame_key(fr):
    """(proto, src, dst, sport, dport, ip id, frag) of an Ethernet frame, or None."""
    import ipaddress
    off = 12
    et = int.from_bytes(fr[off:off + 2], "big")
    off += 2
    if et == 0x8100:
        et = int.from_bytes(fr[off + 2:off + 4], "big")
        off += 4
    if et == 0x0800:
        ip = fr[off:]
        ihl = (ip[0] & 15) * 4
        proto, ipid = ip[9], int.from_bytes(ip[4:6], "big")
        fo = int.from_bytes(ip[6:8], "big")
        frag = "later" if fo & 0x1fff else ("first" if fo & 0x2000 else None)
        src, dst = str(ipaddress.IPv4Address(ip[12:16])), str(ipaddress.IPv4Address(ip[16:20]))
        l4 = ip[ihl:]
    elif et == 0x86dd:
        ip = fr[off:]
        proto, ipid, frag = ip[6], 0, None
        src, dst = str(ipaddress.IPv6Address(ip[8:24])), str(ipaddress.IPv6Address(ip[24:40]))
        l4 = ip[40:]
    else:
        return None
    if proto not in (6, 17):
        return None
    if frag == "later":
        return (proto, src, dst, None, None, ipid, frag)
    return (proto, src, dst, int.from_bytes(l4[0:2], "big"), int.from_bytes(l4[2:4], "big"), ipid, frag)


def semantics(tuples):
    # MACs from the configuration (--nics)
    if args.nics:
        addrs = {}
        for n in json.load(open(args.nics)):
            p = n.get("properties", n)
            if p.get("macAddress"):
                addrs[mac_of(p["macAddress"])] = {
                    c.get("properties", c)["privateIPAddress"] for c in p["ipConfigurations"]}
        for x in tuples:
            nic_addr = x["dst"] if x["dir"] == "I" else x["src"]
            if nic_addr not in addrs.get(x["mac"], ()):
                err("tuple %s logged with MAC %s, which is not the configured macAddress of the NIC with %s"
                    % (x["text"], x["mac"], nic_addr))
    # lifecycle per flow: B, then C*, then at most one E; in time order (file order within a second)
    order = sorted(range(len(tuples)), key=lambda i: (tuples[i]["sec"], i))
    flows, open_, denials = [], {}, collections.Counter()
    for i in order:
        x = tuples[i]
        key = (x["proto"], x["src"], x["dst"], x["sport"], x["dport"], x["dir"], x["mac"])
        if x["access"] == "D":
            if x["state"] != "B" or x["cnt"]:
                err("denied tuple %s is not a B (D) entry without counts" % x["text"])
            denials[(x["proto"], x["src"], x["dst"], x["sport"], x["dport"], x["sec"])] += 1
            continue
        if x["state"] == "B":
            if key in open_:
                err("flow %s begins again without having ended" % x["text"])
            f = dict(key=key, b=x, rest=[], end=None)
            open_[key] = f
            flows.append(f)
        else:
            f = open_.get(key)
            if not f:
                err("flow %s %s before it began (no B)" % (x["text"], "continues" if x["state"] == "C" else "ends"))
                continue
            f["rest"].append(x)
            if x["state"] == "E":
                f["end"] = x
                del open_[key]
    # S5 revised: non-terminating flows
    for f in flows:
        b = f["b"]
        nonterm = args.no_flow_timeout and b["proto"] == 6 and b["dir"] == "I" and b["rule"].startswith("UserRule_")
        f["nonterm"] = nonterm
        if nonterm and f["rest"]:
            err("flow %s is non-terminating (S5: no flowTimeoutInMinutes, non-default inbound TCP rule) but has %s"
                % (b["text"], ", ".join(r["text"] for r in f["rest"])))
        if not nonterm:
            for r in f["rest"]:
                if r["cnt"] is None:
                    err("tuple %s has no counts" % r["text"])
    if not args.pcap:
        return
    # counts against the capture
    pk = pcapfile.packets(args.pcap)
    passed = collections.Counter(fr for _, fr, _ in pcapfile.packets(args.out_pcap)) if args.out_pcap else None
    drop = []
    for t, fr, wire in pk:
        if passed is None or passed[fr]:
            drop.append(False)
            if passed is not None:
                passed[fr] -= 1
        else:
            drop.append(True)
    # a dropped packet with a D entry of a NIC is no packet of that NIC's flows (e.g. a flow
    # ended by a flushConnection rule change: its later packets are denied in the same second)
    denied_at = collections.Counter((x["proto"], x["src"], x["dst"], x["sport"], x["dport"], x["sec"], x["mac"])
                                    for x in tuples if x["access"] == "D")
    firsts, per_key = {}, collections.defaultdict(list)
    for (t, fr, wire), dropped_pkt in zip(pk, drop):
        k = frame_key(fr)
        if not k:
            continue
        proto, src, dst, sp, dp, ipid, frag = k
        if frag == "first":
            firsts[(proto, src, dst, ipid)] = (sp, dp)
        elif frag == "later":
            if (proto, src, dst, ipid) not in firsts:
                continue  # an orphan: dropped, in no flow
            sp, dp = firsts[(proto, src, dst, ipid)]
        per_key[(proto, src, dst, sp, dp)].append((t // 10**9, wire, dropped_pkt))
    # each packet belongs to the latest flow of its tuple (either way) begun by its second, if
    # that flow had not ended before it
    by_key = collections.defaultdict(list)
    for f in flows:
        by_key[f["key"]].append(f)
    for f in flows:
        f["exp"] = [0, 0, 0, 0]
    for key, fl in by_key.items():
        proto, src, dst, sp, dp = key[:5]
        for d, k in ((0, (proto, src, dst, sp, dp)), (2, (proto, dst, src, dp, sp))):
            for sec, wire, dropped_pkt in per_key.get(k, ()):
                dk = k + (sec, key[6])
                if dropped_pkt and denied_at[dk]:
                    denied_at[dk] -= 1
                    continue
                owner = None
                for f in fl:  # in log order
                    if f["b"]["sec"] <= sec:
                        owner = f
                if owner and (not owner["end"] or sec <= owner["end"]["sec"]):
                    owner["exp"][d] += 1
                    owner["exp"][d + 1] += wire
    for f in flows:
        if f["nonterm"] or f["key"][0] not in (6, 17):
            continue  # ICMP and others (VNet logs): identifiers, not ports - not matched here
        got = [sum(r["cnt"][i] for r in f["rest"] if r["cnt"]) for i in range(4)]
        if got != f["exp"]:
            err("flow %s: logged counts %s, the capture has %s (packets/bytes each way, S5: every packet)"
                % (f["b"]["text"], got, f["exp"]))
    if not args.out_pcap:
        return
    # every dropped TCP/UDP packet (with ports) has its D entry, and nothing else does
    dropped = collections.Counter()
    for (t, fr, wire), dropped_pkt in zip(pk, drop):
        if not dropped_pkt:
            continue
        k = frame_key(fr)
        if k and k[5] is not None and k[6] != "later":
            dropped[(k[0], k[1], k[2], k[3], k[4], t // 10**9)] += 1
    for k in set(dropped) | set(denials):
        if dropped[k] != denials[k]:
            err("%d packet(s) %s dropped at %d, %d D entries for them" % (dropped[k], k[:5], k[5], denials[k]))


fmt = args.fmt
tuples = check(args.log, fmt)
if len(tuples) < args.min_tuples:
    err("%s: %d tuples, expected at least %d" % (args.log, len(tuples), args.min_tuples))
semantics(tuples)
if args.same_as:
    other = check(args.same_as, fmt)
    a, b = [x["text"] for x in tuples], [x["text"] for x in other]
    if open(args.log, "rb").read() != open(args.same_as, "rb").read():
        diff = [("-" + t) for t in a if t not in b] + [("+" + t) for t in b if t not in a]
        err("%s and %s differ:\n  %s" % (args.log, args.same_as, "\n  ".join(diff[:20]) or "(same tuples, "
                                                                                       "other records)"))
if errors:
    print("\n".join(errors))
    sys.exit(1)
print("%s: %d tuples, %d records checked" % (args.log, len(tuples), len(json.load(open(args.log))["records"])))
for s in args.samples:
    print("%s: %d tuples (sample)" % (s, len(check(s, "nsg-v2", sample=True))))
