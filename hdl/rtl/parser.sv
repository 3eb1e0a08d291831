// SPDX-License-Identifier: Apache-2.0
// Packet parser: Ethernet II (+ one 802.1Q tag) / IPv4 (IHL, options, lengths, fragments) /
// IPv6 (fixed header) / TCP, UDP, ICMP, ICMPv6 -> the fields of the lookup key, or a reason;
// for an ICMP error, also the tuple of the packet it embeds (S5 RELATED, see below).
//
// Purely combinational over a header window: the first HdrBytes bytes of the frame (byte 0 in
// bits 7:0, network byte order inside fields) and the frame length. Checks run in a fixed
// order and the first failure sets reason_o (REASON_* of the ABI); the key fields are
// meaningful only when reason_o is REASON_NONE. Every field read lies inside the frame length
// and the window once the checks before it passed, so garbage beyond the frame never leaks into
// a key. The order (a C twin lives in hdl/tb/parser/ref_parse.c):
//   RUNT, VLAN_UNSUPPORTED, NON_IP, then per family L3_TRUNCATED, IP_BAD_VERSION,
//   IPV4_BAD_IHL, IP_BAD_LENGTH, IPV4_FRAGMENT / IPV6_EXT_HDR, L4_TRUNCATED,
//   HDR_BEYOND_WINDOW, TCP_BAD_OFFSET.
//
// ICMP errors (ICMPv4 types 3, 4, 5, 11, 12; ICMPv6 types 1, 2, 3, 4) of an accepted packet set
// icmp_err_o. Such a message carries the start of the packet that caused it right after its
// 8-byte ICMP header; inner_ok_o says that packet's tuple (inner_*) can be trusted: its IP
// header and the 8 bytes after it lie inside the ICMP message (IP length) and the header window,
// its version is the outer family's, and for IPv4 IHL >= 5 and fragment offset 0 (the bytes
// after the header are the L4 header), for IPv6 its next header is no extension header. The
// inner ports are the first 4 bytes of its L4 header for TCP and UDP, else 0 (as in the flow key).
// A failed inner check is no parse failure: the packet is then judged as any other ICMP packet.
`default_nettype none

module parser #(
  parameter int unsigned HdrBytes = 128,  // header window in bytes, 64..256 (multiple of 8)
  parameter int unsigned LenW     = 16    // frame length width in bits, 8..16
) (
  input  logic                  en_i,         // the outputs are read in this clock (see below)
  input  logic [HdrBytes*8-1:0] hdr_i,
  input  logic [LenW-1:0]       len_i,        // frame length in bytes (no FCS)
  output logic [4:0]            reason_o,     // REASON_*
  output logic                  family_o,     // FAMILY_*
  output logic [7:0]            proto_o,
  output logic                  l4_o,         // TCP or UDP: ports valid
  output logic [127:0]          src_addr_o,   // IPv4 in bits 31:0
  output logic [127:0]          dst_addr_o,
  output logic [15:0]           src_port_o,
  output logic [15:0]           dst_port_o,
  output logic [2:0]            tcp_flags_o,  // {RST, FIN, SYN}
  // ICMP error: the embedded packet (meaningful when inner_ok_o)
  output logic                  icmp_err_o,   // accepted ICMP / ICMPv6 error message
  output logic                  inner_ok_o,   // icmp_err_o and the embedded header is whole and sane
  output logic [7:0]            inner_proto_o,
  output logic [127:0]          inner_src_addr_o,
  output logic [127:0]          inner_dst_addr_o,
  output logic [15:0]           inner_src_port_o,  // 0 unless the inner protocol is TCP or UDP
  output logic [15:0]           inner_dst_port_o
);
  if (HdrBytes < 64 || HdrBytes > 256 || HdrBytes % 8 != 0) begin : g_bad_hdr
    $error("parser: HdrBytes must be 64..256 and a multiple of 8");
  end
  if (LenW < 8 || LenW > 16) begin : g_bad_len
    $error("parser: LenW must be 8..16");
  end

  localparam int unsigned OffW = 9;   // byte offsets inside the window (< 512)

  // byte at a variable offset (offsets are checked against the window before use)
  function automatic logic [7:0] byte_at(input logic [HdrBytes*8-1:0] h, input logic [OffW-1:0] o);
    byte_at = h[o*8 +: 8];
  endfunction

  logic [16:0] len;          // frame length, widened
  logic [15:0] et, et2;
  logic [OffW-1:0] l2;       // L2 header length: 14 or 18
  logic [OffW-1:0] l3end4;   // l2 + IHL*4
  logic [OffW-1:0] l4off;    // start of the L4 header
  logic [3:0]  ihl;
  logic [15:0] tot4, plen6;
  logic [7:0]  p4, p6, proto;
  logic [16:0] l4avail;      // IP payload bytes
  logic [5:0]  need, win;    // L4 bytes the length must cover / the parser reads
  logic        is_v4, is_v6, ext6;
  logic [4:0]  reason;
  logic [7:0]  b_vihl, b_frag1;
  logic [5:0]  b_frag0;      // flags (MF = bit 5) and fragment offset high bits
  logic [3:0]  b_doff;       // TCP data offset
  logic [2:0]  b_flags;      // TCP RST, SYN, FIN

  // size-cast a byte offset
  function automatic logic [16:0] w17(input logic [OffW-1:0] v);
    w17 = {{(17-OffW){1'b0}}, v};
  endfunction

  // Simulation: the parse is evaluated only in clocks whose outputs are read (en_i, a frame's last
  // beat); the outputs are 0 otherwise. Its logic depends on the input stream's data, so Verilator
  // evaluated it in every clock and both clock edges (a third of the idle SoC's simulation time).
  // Synthesis ignores en_i: the hardware is the plain combinational parse.
  always_comb begin
`ifdef VERILATOR
    {len, et, et2, l2, l3end4, l4off, ihl, tot4, plen6, p4, p6, proto, l4avail, need, win} = '0;
    {is_v4, is_v6, ext6, b_vihl, b_frag1, b_frag0, b_doff, b_flags} = '0;
    reason = 5'(nsgnic_abi_pkg::REASON_NONE);
    if (en_i) begin
`endif
    len    = 17'(len_i);
    reason = 5'(nsgnic_abi_pkg::REASON_NONE);
    et     = {hdr_i[12*8 +: 8], hdr_i[13*8 +: 8]};
    et2    = {hdr_i[16*8 +: 8], hdr_i[17*8 +: 8]};
    l2     = OffW'(14);
    is_v4  = 1'b0;
    is_v6  = 1'b0;
    if (len < 17'd14) begin
      reason = 5'(nsgnic_abi_pkg::REASON_RUNT);
    end else if (et == 16'h8100) begin
      if (len < 17'd18) begin
        reason = 5'(nsgnic_abi_pkg::REASON_RUNT);
      end else if (et2 == 16'h8100 || et2 == 16'h88a8) begin
        reason = 5'(nsgnic_abi_pkg::REASON_VLAN_UNSUPPORTED);
      end else begin
        l2 = OffW'(18);
      end
      et = et2;
    end else if (et == 16'h88a8) begin
      reason = 5'(nsgnic_abi_pkg::REASON_VLAN_UNSUPPORTED);
    end
    if (reason == 5'(nsgnic_abi_pkg::REASON_NONE)) begin
      if (et == 16'h0800) is_v4 = 1'b1;
      else if (et == 16'h86dd) is_v6 = 1'b1;
      else reason = 5'(nsgnic_abi_pkg::REASON_NON_IP);
    end

    // IPv4 fixed header fields (meaningful when the frame holds them)
    b_vihl  = byte_at(hdr_i, l2);
    b_frag0 = 6'(byte_at(hdr_i, l2 + OffW'(6)));
    b_frag1 = byte_at(hdr_i, l2 + OffW'(7));
    ihl    = b_vihl[3:0];
    tot4   = {byte_at(hdr_i, l2 + OffW'(2)), byte_at(hdr_i, l2 + OffW'(3))};
    p4     = byte_at(hdr_i, l2 + OffW'(9));
    l3end4 = l2 + OffW'({ihl, 2'b00});
    // IPv6
    plen6  = {byte_at(hdr_i, l2 + OffW'(4)), byte_at(hdr_i, l2 + OffW'(5))};
    p6     = byte_at(hdr_i, l2 + OffW'(6));
    ext6   = p6 == 8'd0 || p6 == 8'd43 || p6 == 8'd44 || p6 == 8'd60 || p6 == 8'd51 ||
             p6 == 8'd135 || p6 == 8'd139 || p6 == 8'd140 || p6 == 8'd253 || p6 == 8'd254;

    proto   = is_v6 ? p6 : p4;
    l4off   = is_v6 ? l2 + OffW'(40) : l3end4;
    l4avail = is_v6 ? 17'(plen6) : 17'(tot4) - 17'({ihl, 2'b00});
    b_doff  = 4'(byte_at(hdr_i, l4off + OffW'(12)) >> 4);
    b_flags = 3'(byte_at(hdr_i, l4off + OffW'(13)));
    unique case (proto)
      8'd6:    begin need = 6'd20; win = 6'd14; end
      8'd17:   begin need = 6'd8;  win = 6'd4;  end
      8'd1:    begin need = is_v4 ? 6'd8 : 6'd0; win = 6'd0; end
      8'd58:   begin need = is_v6 ? 6'd8 : 6'd0; win = 6'd0; end
      default: begin need = 6'd0;  win = 6'd0;  end
    endcase

    if (reason == 5'(nsgnic_abi_pkg::REASON_NONE) && is_v4) begin
      if (len < w17(l2) + 17'd20) begin
        reason = 5'(nsgnic_abi_pkg::REASON_L3_TRUNCATED);
      end else if (b_vihl[7:4] != 4'd4) begin
        reason = 5'(nsgnic_abi_pkg::REASON_IP_BAD_VERSION);
      end else if (ihl < 4'd5) begin
        reason = 5'(nsgnic_abi_pkg::REASON_IPV4_BAD_IHL);
      end else if (17'(tot4) < 17'({ihl, 2'b00}) || w17(l2) + 17'(tot4) > len) begin
        reason = 5'(nsgnic_abi_pkg::REASON_IP_BAD_LENGTH);
      end else if (b_frag0[5] || {b_frag0[4:0], b_frag1} != 13'd0) begin
        reason = 5'(nsgnic_abi_pkg::REASON_IPV4_FRAGMENT);
      end
    end
    if (reason == 5'(nsgnic_abi_pkg::REASON_NONE) && is_v6) begin
      if (len < w17(l2) + 17'd40) begin
        reason = 5'(nsgnic_abi_pkg::REASON_L3_TRUNCATED);
      end else if (b_vihl[7:4] != 4'd6) begin
        reason = 5'(nsgnic_abi_pkg::REASON_IP_BAD_VERSION);
      end else if (w17(l2) + 17'd40 + 17'(plen6) > len) begin
        reason = 5'(nsgnic_abi_pkg::REASON_IP_BAD_LENGTH);
      end else if (ext6) begin
        reason = 5'(nsgnic_abi_pkg::REASON_IPV6_EXT_HDR);
      end
    end
    if (reason == 5'(nsgnic_abi_pkg::REASON_NONE)) begin
      if (l4avail < 17'(need)) begin
        reason = 5'(nsgnic_abi_pkg::REASON_L4_TRUNCATED);
      end else if (w17(l4off) + 17'(win) > 17'(HdrBytes)) begin
        reason = 5'(nsgnic_abi_pkg::REASON_HDR_BEYOND_WINDOW);
      end else if (proto == 8'd6 && b_doff < 4'd5) begin
        reason = 5'(nsgnic_abi_pkg::REASON_TCP_BAD_OFFSET);
      end
    end
`ifdef VERILATOR
    end
`endif
  end

  assign reason_o   = reason;
  assign family_o   = is_v6;
  assign proto_o    = proto;
  assign l4_o       = proto == 8'd6 || proto == 8'd17;
  // addresses: network byte order (first byte most significant)
  always_comb begin
    src_addr_o  = '0;
    dst_addr_o  = '0;
    src_port_o  = '0;
    dst_port_o  = '0;
`ifdef VERILATOR
    if (en_i) begin
`endif
    for (int unsigned i = 0; i < 16; i++) begin
      if (is_v6) begin
        src_addr_o[(15-i)*8 +: 8] = byte_at(hdr_i, l2 + OffW'(8 + i));
        dst_addr_o[(15-i)*8 +: 8] = byte_at(hdr_i, l2 + OffW'(24 + i));
      end else if (i < 4) begin
        src_addr_o[(3-i)*8 +: 8] = byte_at(hdr_i, l2 + OffW'(12 + i));
        dst_addr_o[(3-i)*8 +: 8] = byte_at(hdr_i, l2 + OffW'(16 + i));
      end
    end
    if (l4_o) begin
      src_port_o = {byte_at(hdr_i, l4off), byte_at(hdr_i, l4off + OffW'(1))};
      dst_port_o = {byte_at(hdr_i, l4off + OffW'(2)), byte_at(hdr_i, l4off + OffW'(3))};
    end
`ifdef VERILATOR
    end
`endif
  end
  assign tcp_flags_o = proto == 8'd6 ? {b_flags[2], b_flags[0], b_flags[1]} : 3'd0;

  // ---- ICMP error: the embedded packet --------------------------------------------------------
  logic [7:0]      b_itype, b_ivihl, b_ifrag0, b_ifrag1, iproto;
  logic [OffW-1:0] ioff;     // inner IP header (after the 8-byte ICMP header)
  logic [OffW-1:0] il4off;   // inner L4 header
  logic [16:0]     ispan;    // ICMP header + inner IP header + 8 bytes
  logic            icmp_err, inner_sane, inner_l4, iext6;
  always_comb begin
`ifdef VERILATOR
    {b_itype, b_ivihl, b_ifrag0, b_ifrag1, iproto, ioff, il4off, ispan} = '0;
    {icmp_err, inner_sane, inner_l4, iext6} = '0;
    if (en_i) begin
`endif
    b_itype  = byte_at(hdr_i, l4off);
    ioff     = l4off + OffW'(8);
    b_ivihl  = byte_at(hdr_i, ioff);
    b_ifrag0 = byte_at(hdr_i, ioff + OffW'(6));
    b_ifrag1 = byte_at(hdr_i, ioff + OffW'(7));
    iproto   = is_v6 ? b_ifrag0 : byte_at(hdr_i, ioff + OffW'(9));   // v6: next header (byte 6)
    il4off   = is_v6 ? ioff + OffW'(40) : ioff + OffW'({b_ivihl[3:0], 2'b00});
    ispan    = w17(il4off) + 17'd8 - w17(l4off);
    iext6    = iproto == 8'd0 || iproto == 8'd43 || iproto == 8'd44 || iproto == 8'd60 ||
               iproto == 8'd51 || iproto == 8'd135 || iproto == 8'd139 || iproto == 8'd140 ||
               iproto == 8'd253 || iproto == 8'd254;
    icmp_err = reason == 5'(nsgnic_abi_pkg::REASON_NONE) && w17(l4off) + 17'd8 <= 17'(HdrBytes) &&
               ((is_v4 && proto == 8'd1 && (b_itype == 8'd3 || b_itype == 8'd4 ||
                 b_itype == 8'd5 || b_itype == 8'd11 || b_itype == 8'd12)) ||
                (is_v6 && proto == 8'd58 && b_itype >= 8'd1 && b_itype <= 8'd4));
    inner_sane = is_v6 ? (b_ivihl[7:4] == 4'd6 && !iext6)
                       : (b_ivihl[7:4] == 4'd4 && b_ivihl[3:0] >= 4'd5 &&
                          {b_ifrag0[4:0], b_ifrag1} == 13'd0);
    inner_l4 = iproto == 8'd6 || iproto == 8'd17;
`ifdef VERILATOR
    end
`endif
  end
  assign icmp_err_o    = icmp_err;
  assign inner_ok_o    = icmp_err && inner_sane && l4avail >= ispan &&
                         w17(il4off) + 17'd8 <= 17'(HdrBytes);
  assign inner_proto_o = iproto;
  always_comb begin
    inner_src_addr_o = '0;
    inner_dst_addr_o = '0;
    inner_src_port_o = '0;
    inner_dst_port_o = '0;
`ifdef VERILATOR
    if (en_i) begin
`endif
    for (int unsigned i = 0; i < 16; i++) begin
      if (is_v6) begin
        inner_src_addr_o[(15-i)*8 +: 8] = byte_at(hdr_i, ioff + OffW'(8 + i));
        inner_dst_addr_o[(15-i)*8 +: 8] = byte_at(hdr_i, ioff + OffW'(24 + i));
      end else if (i < 4) begin
        inner_src_addr_o[(3-i)*8 +: 8] = byte_at(hdr_i, ioff + OffW'(12 + i));
        inner_dst_addr_o[(3-i)*8 +: 8] = byte_at(hdr_i, ioff + OffW'(16 + i));
      end
    end
    if (inner_l4) begin
      inner_src_port_o = {byte_at(hdr_i, il4off), byte_at(hdr_i, il4off + OffW'(1))};
      inner_dst_port_o = {byte_at(hdr_i, il4off + OffW'(2)), byte_at(hdr_i, il4off + OffW'(3))};
    end
`ifdef VERILATOR
    end
`endif
  end
endmodule

`default_nettype wire
