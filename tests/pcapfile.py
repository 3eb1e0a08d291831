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


def packets(path):
    """(time in ns, frame bytes, wire length) of each record of a classic little-endian pcap."""
    with open(path, "rb") as f:
        b = f.read()
    assert b[:4] == b"\xd4\xc3\xb2\xa1", path
    out, off = [], 24
    while off + 16 <= len(b):
        sec = int.from_bytes(b[off:off + 4], "little")
        usec = int.from_bytes(b[off + 4:off + 8], "little")
        incl = int.from_bytes(b[off + 8:off + 12], "little")
        orig = int.from_bytes(b[off + 12:off + 16], "little")
        out.append((sec * 10**9 + usec * 1000, b[off + 16:off + 16 + incl], orig))
        off += 16 + incl
    return out
