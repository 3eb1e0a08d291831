#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Logic depth of a yosys `synth_xilinx` netlist (write_json): the longest path of LUT levels
between sequential cells (flip-flops, block RAM, DSP, SRL), the module's input ports and its
output ports. Used by hdl/tb/depth.sh; method in docs/datapath.md (Timing).

Counting (one "level" ~ one LUT6 plus its routing on UltraScale+):
  LUT1..LUT6                     1 level
  CARRY8 / CARRY4                1 level for a whole chain (entered from a LUT or a start:
                                 1; CI/CI_TOP from the previous CARRY: 0)
  MUXF7 / MUXF8 / MUXF9          0 (the slice's wide-function muxes after its LUTs)
  LUTRAM read (RAM32M16, RAM64M, RAM32X1D, ...)
                                 1 level from a read address to the data out; every input
                                 (DI*, WE, addresses: the write side) is also an end point
  IBUF/OBUF/BUFG, ...            0 (transparent)
  FD*, RAMB*, URAM*, DSP*, SRL*, FIFO*
                                 sequential: outputs start a path at level 0, inputs end it
Usage: lut_depth.py NETLIST.json [--top N]   prints "N LUT levels (start -> end)" and, with
--top, the N deepest end points. Exit 2 on an unknown cell type or a combinational loop.
"""
import json
import sys

LUT = {"LUT1", "LUT2", "LUT3", "LUT4", "LUT5", "LUT6", "LUT6_2"}
CARRY = {"CARRY8", "CARRY4"}
WIDEMUX = {"MUXF7", "MUXF8", "MUXF9"}
TRANSPARENT = {"IBUF", "OBUF", "IBUFG", "BUFG", "BUFGCE", "IOBUF", "OBUFT", "INV"}
SEQ_PREFIX = ("FD", "RAMB", "URAM", "DSP48", "SRL", "FIFO", "LDCE", "LDPE")
LUTRAM_PREFIX = ("RAM16", "RAM32", "RAM64", "RAM128", "RAM256", "RAM512")
CONST = {"GND", "VCC"}


def lutram_read_pin(pin):
    """Read-address inputs of a LUTRAM (combinational to the data outputs)."""
    return pin.startswith("ADDR") or pin.startswith("DPRA") or (pin[0] == "A" and pin[1:].isdigit())


def main():
    if len(sys.argv) < 2:
        print("usage: lut_depth.py NETLIST.json [--top N]", file=sys.stderr)
        return 2
    topn = 0
    if len(sys.argv) >= 4 and sys.argv[2] == "--top":
        topn = int(sys.argv[3])
    with open(sys.argv[1]) as f:
        design = json.load(f)
    mods = design["modules"]
    top = [n for n, m in mods.items() if m.get("attributes", {}).get("top")]
    if len(top) != 1:
        print("lut_depth: %s: no single top module (flatten the design)" % sys.argv[1], file=sys.stderr)
        return 2
    m = mods[top[0]]

    # a readable name for each net bit: prefer public names, then the shortest
    name = {}
    for n, nn in m["netnames"].items():
        hidden = nn.get("hide_name", 0)
        bits = nn["bits"]
        for i, b in enumerate(bits):
            if isinstance(b, str):
                continue
            label = n if len(bits) == 1 else "%s[%d]" % (n, i + nn.get("offset", 0))
            key = (hidden, len(label))
            if b not in name or key < name[b][0]:
                name[b] = (key, label)

    def nm(b):
        return name[b][1].lstrip("\\") if b in name else "net%d" % b

    # graph: for each comb cell output bit, list of (input bit, weight)
    drv = {}          # out bit -> list of (in bit, weight)
    starts = {}       # bit -> description
    ends = []         # (bit, description)
    unknown = set()
    carry_out = set()
    for cn, c in m["cells"].items():
        t = c["type"]
        dirs = c.get("port_directions", {})
        conns = c["connections"]
        if t in CARRY:
            for p, bits in conns.items():
                if dirs.get(p) == "output":
                    carry_out.update(b for b in bits if not isinstance(b, str))
    for cn, c in m["cells"].items():
        t = c["type"]
        dirs = c.get("port_directions", {})
        conns = c["connections"]
        ins = [(p, b) for p, bits in conns.items() if dirs.get(p) == "input" for b in bits
               if not isinstance(b, str)]
        outs = [b for p, bits in conns.items() if dirs.get(p) == "output" for b in bits
                if not isinstance(b, str)]
        if not dirs and conns:
            unknown.add(t)
            continue
        if t in CONST:
            continue
        if t.startswith(SEQ_PREFIX):
            # end: name the register by its output net, or its source line when that is internal
            reg = nm(outs[0]) if outs else cn
            if reg.startswith("$") or reg.startswith("net"):
                srcs = c.get("attributes", {}).get("src", "").split("|")
                src = next((x for x in srcs if ".sv:" in x), "")
                reg = "%s at %s" % (t, src.split("/")[-1].split(".")[0] + ".sv:" +
                                    src.split(":")[-1].split(".")[0] if src else cn.lstrip("\\"))
                for b in outs:
                    if b in name and name[b][1].startswith("$"):
                        name[b] = (name[b][0], reg)
            for p, b in ins:
                if p in ("C", "CLK", "CLKARDCLK", "CLKBWRCLK", "WCLK"):
                    continue
                ends.append((b, "%s (%s.%s)" % (reg, t, p)))
            for b in outs:
                starts[b] = nm(b)
            continue
        if t.startswith(LUTRAM_PREFIX):
            rd = [b for p, b in ins if lutram_read_pin(p)]
            for p, b in ins:
                if p != "WCLK":  # write data, enable and address (read addresses included: shared)
                    ends.append((b, "%s (%s.%s write)" % (nm(outs[0]) if outs else cn, t, p)))
            for b in outs:
                drv[b] = [(i, 1) for i in rd]
            continue
        if t in LUT:
            w = 1
        elif t in WIDEMUX or t in TRANSPARENT:
            w = 0
        elif t in CARRY:
            w = None
        else:
            unknown.add(t)
            continue
        for b in outs:
            lst = []
            for p, i in ins:
                if w is None:
                    lst.append((i, 0 if (p.startswith("CI") and i in carry_out) else 1))
                else:
                    lst.append((i, w))
            drv[b] = lst
    if unknown:
        print("lut_depth: unknown cell types %s: add them to hdl/tb/lut_depth.py" % sorted(unknown),
              file=sys.stderr)
        return 2
    for pn, p in m["ports"].items():
        for i, b in enumerate(p["bits"]):
            if isinstance(b, str):
                continue
            label = pn if len(p["bits"]) == 1 else "%s[%d]" % (pn, i)
            if p["direction"] == "input":
                starts[b] = label + " (input)"
            else:
                ends.append((b, label + " (output)"))

    # longest path by memoized depth-first search (iterative: deep netlists)
    level = {}
    origin = {}
    ON_STACK = -1
    def depth(root):
        stack = [(root, 0)]
        while stack:
            b, k = stack.pop()
            if k == 0:
                if b in level:
                    if level[b] == ON_STACK:
                        raise RuntimeError("combinational loop through %s" % nm(b))
                    continue
                if b in starts or b not in drv:
                    level[b] = 0
                    origin[b] = starts.get(b, "const/undriven %s" % nm(b))
                    continue
                level[b] = ON_STACK
                stack.append((b, 1))
                for i, _ in drv[b]:
                    if i not in level:
                        stack.append((i, 0))
                    elif level[i] == ON_STACK:
                        raise RuntimeError("combinational loop through %s" % nm(i))
            else:
                best, org = 0, None
                for i, w in drv[b]:
                    if level[i] + w > best or org is None:
                        best, org = level[i] + w, origin[i]
                level[b] = best
                origin[b] = org if org is not None else "const"
        return level[root]

    try:
        res = []
        for b, desc in ends:
            res.append((depth(b), origin[b], desc))
    except RuntimeError as e:
        print("lut_depth: %s" % e, file=sys.stderr)
        return 2
    if not res:
        print("0 LUT levels (no paths)")
        return 0
    res.sort(key=lambda r: -r[0])
    d, s, e = res[0]
    print("%d LUT levels (%s -> %s)" % (d, s, e))
    seen = set()
    for d, s, e in res[1:]:
        if topn <= 0:
            break
        key = e.split(" (")[0].split("[")[0]
        if key in seen:
            continue
        seen.add(key)
        print("  %d LUT levels (%s -> %s)" % (d, s, e))
        topn -= 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
