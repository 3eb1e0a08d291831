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


def header(snaplen=65535, linktype=1, magic=b"\xd4\xc3\xb2\xa1"):
    """The 24-byte header of a classic little-endian pcap file (microsecond timestamps)."""
    return (magic + (2).to_bytes(2, "little") + (4).to_bytes(2, "little") + bytes(8) +
            snaplen.to_bytes(4, "little") + linktype.to_bytes(4, "little"))


def record(frame, ts_ns=0, caplen=None, wirelen=None):
    """One record: its 16-byte header (caplen, wirelen default to the frame's length) and data."""
    caplen = len(frame) if caplen is None else caplen
    wirelen = len(frame) if wirelen is None else wirelen
    return (int(ts_ns // 10**9).to_bytes(4, "little") + int(ts_ns % 10**9 // 1000).to_bytes(4, "little") +
            caplen.to_bytes(4, "little") + wirelen.to_bytes(4, "little") + frame)


def write(path, recs, snaplen=65535, **kw):
    """A classic pcap of records (bytes from record()); returns the byte offset of each record."""
    offs, off = [], 24
    for r in recs:
        offs.append(off)
        off += len(r)
    with open(path, "wb") as f:
        f.write(header(snaplen, **kw) + b"".join(recs))
    return offs
