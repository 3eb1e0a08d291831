# SPDX-License-Identifier: Apache-2.0
"""Reading the classic pcap files the tests write (`nsgnic run --out-pcap`, nsgnic-mkpcap)."""


def frames(path):
    """The packet records of a classic little-endian pcap file (data only)."""
    with open(path, "rb") as f:
        b = f.read()
    assert b[:4] == b"\xd4\xc3\xb2\xa1", path
    out, off = [], 24
    while off + 16 <= len(b):
        incl = int.from_bytes(b[off + 8:off + 12], "little")
        out.append(b[off + 16:off + 16 + incl])
        off += 16 + incl
    return out
