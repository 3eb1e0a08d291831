// SPDX-License-Identifier: Apache-2.0
// Packet parser: Ethernet II (+ one 802.1Q tag) / IPv4 (IHL, options, lengths, fragments) /
// IPv6 (fixed header) / TCP, UDP, ICMP, ICMPv6 -> the fields of the lookup key, or a reason.
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
`default_nettype none

module parser #(
  parameter int unsigned HdrBytes = 128,  // header window in bytes, 64..256 (multiple of 8)
  parameter int unsigned LenW     = 16    // frame length width in bits, 8..16
) (
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
  output logic [2:0]            tcp_flags_o   // {RST, FIN, SYN}
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

  always_comb begin
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
  end

  assign reason_o   = reason;
  assign family_o   = is_v6;
  assign proto_o    = proto;
  assign l4_o       = proto == 8'd6 || proto == 8'd17;
  // addresses: network byte order (first byte most significant)
  always_comb begin
    src_addr_o = '0;
    dst_addr_o = '0;
    for (int unsigned i = 0; i < 16; i++) begin
      if (is_v6) begin
        src_addr_o[(15-i)*8 +: 8] = byte_at(hdr_i, l2 + OffW'(8 + i));
        dst_addr_o[(15-i)*8 +: 8] = byte_at(hdr_i, l2 + OffW'(24 + i));
      end else if (i < 4) begin
        src_addr_o[(3-i)*8 +: 8] = byte_at(hdr_i, l2 + OffW'(12 + i));
        dst_addr_o[(3-i)*8 +: 8] = byte_at(hdr_i, l2 + OffW'(16 + i));
      end
    end
  end
  assign src_port_o = l4_o ? {byte_at(hdr_i, l4off), byte_at(hdr_i, l4off + OffW'(1))} : 16'd0;
  assign dst_port_o = l4_o ? {byte_at(hdr_i, l4off + OffW'(2)), byte_at(hdr_i, l4off + OffW'(3))}
                           : 16'd0;
  assign tcp_flags_o = proto == 8'd6 ? {b_flags[2], b_flags[0], b_flags[1]} : 3'd0;
endmodule

`default_nettype wire
