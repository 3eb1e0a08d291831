#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes the seed corpora of tests/fuzz/corpus/ (committed; rerun to refresh them):
config  the example deployment's files and three small real NSGs of tests/data/nsg-corpus
batch   the example's queries (a few lines per file), REST names and a source port '*'
packet  the frames of nsgnic-mkpcap's example traffic (byte 0: the head length - 64)
image   the example compiled by `nsgnic compile -o`
mailbox one sequence per command opcode (header, payload words), plus a mixed one
Usage: seeds.py NSGNIC MKPCAP (from the repository's root)"""
import os, shutil, struct, subprocess, sys, tempfile

sys.path.insert(0, "tests")
import pcapfile  # noqa: E402

nsgnic, mkpcap = sys.argv[1:3]
C = "tests/fuzz/corpus"
ex = "examples/three-tier"
for d in ("config", "batch", "packet", "image", "mailbox"):
    shutil.rmtree(f"{C}/{d}", ignore_errors=True)
    os.makedirs(f"{C}/{d}")
for f in ("vnets", "asgs", "nsgs", "nics", "servicetags"):
    shutil.copy(f"{ex}/{f}.json", f"{C}/config/{f}.json")
for f in ("quickstart-application-security-group-webNsg.json", "quickstart-vm-simple-linux-SecGroupNet.json"):
    shutil.copy(f"tests/data/nsg-corpus/{f}", f"{C}/config/{f}")
lines = open(f"{ex}/queries.jsonl").read().splitlines()
for i in range(0, len(lines), 4):
    open(f"{C}/batch/q{i // 4}.jsonl", "w").write("\n".join(lines[i:i + 4]) + "\n")
open(f"{C}/batch/rest.jsonl", "w").write(
    '{"targetResourceId":"nic-web-vm1","direction":"Inbound","protocol":"TCP","localIPAddress":"10.10.1.4",'
    '"localPort":"443","remoteIPAddress":"203.0.114.7","remotePort":"*"}\n')
with tempfile.TemporaryDirectory() as t:
    subprocess.run([mkpcap, f"{t}/ex.pcap"], check=True)
    seen = set()
    for i, (_, frame, _) in enumerate(pcapfile.packets(f"{t}/ex.pcap")):
        if frame[12:14] + frame[23:24] in seen and i % 3:
            continue
        seen.add(frame[12:14] + frame[23:24])
        open(f"{C}/packet/f{i:02d}", "wb").write(bytes([i * 7 % 256]) + frame)
    cfg = [x for f in ("vnets", "asgs", "nsgs", "nics") for x in ("--config", f"{ex}/{f}.json")]
    subprocess.run([nsgnic, "compile", *cfg, "--service-tags", f"{ex}/servicetags.json", "-o", f"{C}/image/example.img"],
                   check=True, stdout=subprocess.DEVNULL)


def cmd(op, words, version=1, flags=0):
    hdr = op | version << 8 | len(words) << 16 | flags << 24
    return struct.pack("<IB", hdr, len(words)) + b"".join(struct.pack("<I", w & 0xffffffff) for w in words)


SIZES = {1: 4, 2: 0, 3: 21, 4: 2, 5: 5, 6: 1, 7: 2, 8: 17, 9: 11, 10: 1, 11: 2, 12: 3, 13: 0, 14: 2, 15: 1, 16: 2,
         17: 12, 18: 3}
for op, n in SIZES.items():
    open(f"{C}/mailbox/op{op:02d}", "wb").write(cmd(op, [(op * 0x01010101 + k) for k in range(n)]))
open(f"{C}/mailbox/mixed", "wb").write(cmd(2, []) + cmd(3, [0, 5] + [0] * 19) + cmd(7, [0, 1]) + cmd(8, [0] * 17) +
                                       cmd(11, [0, 4]) + cmd(99, [1, 2, 3]) + cmd(1, [7] * 30, version=9))
