// SPDX-License-Identifier: Apache-2.0
// Packet parser: Ethernet II (+ one 802.1Q tag) / IPv4 (IHL, options, lengths, fragments) /
// IPv6 (fixed header) / TCP, UDP, ICMP, ICMPv6 -> the fields of the lookup key, or a reason;
// for an ICMP error, also the tuple of the packet it embeds (S5 RELATED, see below).
//
// Input: a header window (the first HdrBytes bytes of the frame, byte 0 in bits 7:0, network
// byte order inside fields) and the frame length. Checks run in a fixed order and the first
// failure sets reason_o (REASON_* of the ABI); the key fields are meaningful only when reason_o
// is REASON_NONE. Every field read lies inside the frame length and the window once the checks
// before it passed, so garbage beyond the frame never leaks into a key. The order (a C twin
// lives in hdl/tb/common/ref_parse.c):
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
//
// Pipeline (docs/datapath.md, Parser and Timing): Latency = 4 registered stages, one packet per
// clock, no enable; side_i (the caller's valid bit, op, port, length ...) comes out as side_o
// with the packet's result. Every byte offset after L2 is a multiple of 4 past a fixed point, so
// instead of byte muxes at computed offsets the window is realigned twice by a small select:
//   S1  EtherType / 802.1Q compares; the window realigned to the L3 header (2:1 by the tag);
//       the length registered as it comes (the caller's byte count ends in an adder)
//   S2  L3 fields at fixed offsets: the checks as flags, the L4 header's word offset l4w
//       (IHL, or 10 for IPv6), the IP payload length, the addresses
//   S3  L4 bytes at l4w (16:1 by l4w), L4 checks, the reason (priority of every flag), the
//       ICMP-error candidate; the window realigned to the embedded IP header (16:1 by l4w)
//   S4  the embedded header's fields at fixed offsets, its ports at its own word offset, checks
`default_nettype none

module parser #(
  parameter int unsigned HdrBytes = 128,  // header window in bytes, 64..256 (multiple of 8)
  parameter int unsigned LenW     = 16,   // frame length width in bits, 8..16
  parameter int unsigned SideW    = 1,    // sideband bits carried along (side_i -> side_o)
  localparam int unsigned Latency = 4     // clocks from hdr_i/len_i/side_i to the outputs
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  input  logic [HdrBytes*8-1:0] hdr_i,
  input  logic [LenW-1:0]       len_i,        // frame length in bytes (no FCS)
  input  logic [SideW-1:0]      side_i,
  output logic [SideW-1:0]      side_o,       // side_i of Latency clocks ago (reset: 0)
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

  localparam int unsigned L3B = HdrBytes - 14;   // window bytes from the L3 header on
  localparam int unsigned IB  = 64;              // bytes kept from the embedded IP header on
                                                 // (inner L4 word offset <= 15: ports < 64)

  function automatic logic ext_hdr6(input logic [7:0] nh);
    ext_hdr6 = nh == 8'd0 || nh == 8'd43 || nh == 8'd44 || nh == 8'd60 || nh == 8'd51 ||
               nh == 8'd135 || nh == 8'd139 || nh == 8'd140 || nh == 8'd253 || nh == 8'd254;
  endfunction

  // ---- S1: L2 ----------------------------------------------------------------------------------
  logic [L3B*8-1:0] w1_q;        // the window from the L3 header on (zero beyond the window)
  logic [16:0]      len1_q;
  logic             vl1_q, qinq1_q, et2bad1_q, v4_1_q, v6_1_q;
  logic [15:0]      et, et2;
  logic             vl;
  assign et  = {hdr_i[12*8 +: 8], hdr_i[13*8 +: 8]};
  assign et2 = {hdr_i[16*8 +: 8], hdr_i[17*8 +: 8]};
  assign vl  = et == 16'h8100;
  always_ff @(posedge clk_i) begin
    w1_q      <= vl ? {32'd0, hdr_i[HdrBytes*8-1:18*8]} : hdr_i[HdrBytes*8-1:14*8];
    len1_q    <= 17'(len_i);
    vl1_q     <= vl;
    qinq1_q   <= et == 16'h88a8;
    et2bad1_q <= et2 == 16'h8100 || et2 == 16'h88a8;
    v4_1_q    <= vl ? et2 == 16'h0800 : et == 16'h0800;
    v6_1_q    <= vl ? et2 == 16'h86dd : et == 16'h86dd;
  end

  // ---- S2: L3 fields and checks ------------------------------------------------------------------
  function automatic logic [7:0] b1(input int unsigned o);
    b1 = w1_q[o*8 +: 8];
  endfunction
  logic [16:0] l2;               // 14 or 18
  logic [15:0] tot4, plen6;
  logic [3:0]  ihl;
  logic [7:0]  p4, p6;
  assign l2    = vl1_q ? 17'd18 : 17'd14;
  assign ihl   = w1_q[3:0];
  assign tot4  = {b1(2), b1(3)};
  assign plen6 = {b1(4), b1(5)};
  assign p4    = b1(9);
  assign p6    = b1(6);

  // check flags in the order of the reasons (the first set one is the packet's reason)
  logic [L3B*8-1:0] w2_q;
  logic             vl2_q, v6_2_q;
  logic             runt2_q, vlan2_q, nonip2_q, trunc2_q, ver2_q, ihl2_q, blen2_q, frag2_q;
  logic [3:0]       l4w2_q;      // L4 header offset from the L3 header, in 4-byte words
  logic [16:0]      l4avail2_q;  // IP payload bytes
  logic [7:0]       proto2_q;
  logic [127:0]     src2_q, dst2_q;
  logic [5:0]       need2_q, win2_q;   // L4 bytes the length must cover / the parser reads
  logic             tcp2_q, udp2_q, icmp2_q;
  logic [7:0]       proto;
  logic [5:0]       need, win;
  assign proto = v6_1_q ? p6 : p4;
  always_comb begin
    unique case (proto)
      8'd6:    begin need = 6'd20; win = 6'd14; end
      8'd17:   begin need = 6'd8;  win = 6'd4;  end
      8'd1:    begin need = !v6_1_q ? 6'd8 : 6'd0; win = 6'd0; end
      8'd58:   begin need = v6_1_q ? 6'd8 : 6'd0;  win = 6'd0; end
      default: begin need = 6'd0;  win = 6'd0;  end
    endcase
  end
  always_ff @(posedge clk_i) begin
    need2_q  <= need;
    win2_q   <= win;
    tcp2_q   <= proto == 8'd6;
    udp2_q   <= proto == 8'd17;
    icmp2_q  <= proto == (v6_1_q ? 8'd58 : 8'd1);
    w2_q     <= w1_q;
    vl2_q    <= vl1_q;
    v6_2_q   <= v6_1_q;
    runt2_q  <= len1_q < 17'd14 || (vl1_q && len1_q < 17'd18);
    vlan2_q  <= vl1_q ? et2bad1_q : qinq1_q;
    nonip2_q <= !v4_1_q && !v6_1_q;
    trunc2_q <= len1_q < l2 + (v6_1_q ? 17'd40 : 17'd20);
    ver2_q   <= w1_q[7:4] != (v6_1_q ? 4'd6 : 4'd4);
    ihl2_q   <= !v6_1_q && ihl < 4'd5;
    blen2_q  <= v6_1_q ? l2 + 17'd40 + 17'(plen6) > len1_q
                       : 17'(tot4) < 17'({ihl, 2'b00}) || l2 + 17'(tot4) > len1_q;
    frag2_q  <= v6_1_q ? ext_hdr6(p6) : w1_q[6*8+5] || {w1_q[6*8 +: 5], b1(7)} != 13'd0;
    l4w2_q   <= v6_1_q ? 4'd10 : ihl;
    l4avail2_q <= v6_1_q ? 17'(plen6) : 17'(tot4) - 17'({ihl, 2'b00});
    proto2_q <= proto;
    for (int unsigned i = 0; i < 16; i++) begin
      if (v6_1_q) begin
        src2_q[(15-i)*8 +: 8] <= b1(8 + i);
        dst2_q[(15-i)*8 +: 8] <= b1(24 + i);
      end else begin
        src2_q[(15-i)*8 +: 8] <= i >= 12 ? b1(i) : 8'd0;        // bytes 12..15
        dst2_q[(15-i)*8 +: 8] <= i >= 12 ? b1(4 + i) : 8'd0;    // bytes 16..19
      end
    end
  end

  // ---- S3: L4 bytes, L4 checks, reason; realign to the embedded packet --------------------------
  // the window from the L4 header on (16:1 by l4w); bytes beyond the window read 0
  localparam int unsigned L4B = 16;    // L4 bytes used: ports 0..3, TCP offset 12, flags 13
  logic [L4B*8-1:0] l4b;
  logic [IB*8-1:0]  wi;                // from the embedded IP header (L4 + 8) on
  always_comb begin
    l4b = '0;
    wi  = '0;
    for (int unsigned k = 0; k < 16; k++) begin
      if (l4w2_q == 4'(k)) begin
        for (int unsigned j = 0; j < L4B; j++)
          if (4*k + j < L3B) l4b[j*8 +: 8] = w2_q[(4*k + j)*8 +: 8];
        for (int unsigned j = 0; j < IB; j++)
          if (4*k + 8 + j < L3B) wi[j*8 +: 8] = w2_q[(4*k + 8 + j)*8 +: 8];
      end
    end
  end
  logic [9:0]  room;             // window bytes from the L3 header on: HdrBytes - l2
  logic [9:0]  l4o;              // L4 offset from the L3 header
  logic        l4trunc, beyond, tcpoff, is_tcp, is_udp, itype4, itype6;
  logic [4:0]  reason;
  always_comb begin
    is_tcp = tcp2_q;
    is_udp = udp2_q;
    room    = vl2_q ? 10'(HdrBytes - 18) : 10'(HdrBytes - 14);
    l4o     = 10'({l4w2_q, 2'b00});
    l4trunc = l4avail2_q < 17'(need2_q);
    beyond  = l4o + 10'(win2_q) > room;
    tcpoff  = is_tcp && l4b[12*8 + 4 +: 4] < 4'd5;
    itype4  = l4b[7:0] == 8'd3 || l4b[7:0] == 8'd4 || l4b[7:0] == 8'd5 || l4b[7:0] == 8'd11 ||
              l4b[7:0] == 8'd12;
    itype6  = l4b[7:0] >= 8'd1 && l4b[7:0] <= 8'd4;
    if (runt2_q)       reason = 5'(nsgnic_abi_pkg::REASON_RUNT);
    else if (vlan2_q)  reason = 5'(nsgnic_abi_pkg::REASON_VLAN_UNSUPPORTED);
    else if (nonip2_q) reason = 5'(nsgnic_abi_pkg::REASON_NON_IP);
    else if (trunc2_q) reason = 5'(nsgnic_abi_pkg::REASON_L3_TRUNCATED);
    else if (ver2_q)   reason = 5'(nsgnic_abi_pkg::REASON_IP_BAD_VERSION);
    else if (ihl2_q)   reason = 5'(nsgnic_abi_pkg::REASON_IPV4_BAD_IHL);
    else if (blen2_q)  reason = 5'(nsgnic_abi_pkg::REASON_IP_BAD_LENGTH);
    else if (frag2_q)  reason = v6_2_q ? 5'(nsgnic_abi_pkg::REASON_IPV6_EXT_HDR)
                                       : 5'(nsgnic_abi_pkg::REASON_IPV4_FRAGMENT);
    else if (l4trunc)  reason = 5'(nsgnic_abi_pkg::REASON_L4_TRUNCATED);
    else if (beyond)   reason = 5'(nsgnic_abi_pkg::REASON_HDR_BEYOND_WINDOW);
    else if (tcpoff)   reason = 5'(nsgnic_abi_pkg::REASON_TCP_BAD_OFFSET);
    else               reason = 5'(nsgnic_abi_pkg::REASON_NONE);
  end

  logic [IB*8-1:0] wi3_q;
  logic [4:0]      reason3_q;
  logic            v6_3_q, l4_3_q, icmp3_q;
  logic [7:0]      proto3_q;
  logic [127:0]    src3_q, dst3_q;
  logic [15:0]     sport3_q, dport3_q;
  logic [2:0]      tcp3_q;
  logic [16:0]     l4avail3_q;
  logic [9:0]      iroom3_q;     // window bytes left for the embedded header + its 8 L4 bytes
  logic            span6_3_q, room6_3_q;   // the same checks for an IPv6 inner header (40 bytes)
  always_ff @(posedge clk_i) begin
    span6_3_q  <= l4avail2_q >= 17'd56;
    room6_3_q  <= l4o + 10'd56 <= room;
    wi3_q      <= wi;
    reason3_q  <= reason;
    v6_3_q     <= v6_2_q;
    l4_3_q     <= is_tcp || is_udp;
    // an ICMP error whose 8-byte ICMP header lies inside the window (the reason is checked next)
    icmp3_q    <= l4o + 10'd8 <= room &&
                  icmp2_q && (v6_2_q ? itype6 : itype4);
    proto3_q   <= proto2_q;
    src3_q     <= src2_q;
    dst3_q     <= dst2_q;
    sport3_q   <= is_tcp || is_udp ? {l4b[7:0], l4b[15:8]} : 16'd0;
    dport3_q   <= is_tcp || is_udp ? {l4b[23:16], l4b[31:24]} : 16'd0;
    tcp3_q     <= is_tcp ? {l4b[13*8 + 2], l4b[13*8], l4b[13*8 + 1]} : 3'd0;
    l4avail3_q <= l4avail2_q;
    iroom3_q   <= room - l4o - 10'd16;   // -30..226: bit 9 is the sign
  end

  // ---- S4: the embedded packet ---------------------------------------------------------------------
  function automatic logic [7:0] bi(input int unsigned o);
    bi = wi3_q[o*8 +: 8];
  endfunction
  logic [7:0]  iproto;
  logic [3:0]  iw;               // inner L4 offset from the inner IP header, in words
  logic [31:0] iports;
  logic        isane, il4, iroom_ok, ispan_ok;
  always_comb begin
    iproto = v6_3_q ? bi(6) : bi(9);
    iw     = v6_3_q ? 4'd10 : wi3_q[3:0];
    iports = '0;
    for (int unsigned k = 0; k < 16; k++)
      if (iw == 4'(k)) iports = wi3_q[4*k*8 +: 32];
    isane  = v6_3_q ? wi3_q[7:4] == 4'd6 && !ext_hdr6(bi(6))
                    : wi3_q[7:4] == 4'd4 && wi3_q[3:0] >= 4'd5 && {wi3_q[6*8 +: 5], bi(7)} == 13'd0;
    il4    = iproto == 8'd6 || iproto == 8'd17;
    // the inner IP header + 8 bytes inside the ICMP message (8 + iw*4 + 8 <= IP payload) and
    // the window (L3 + l4o + 8 + iw*4 + 8 <= HdrBytes - l2; iroom3_q = room - l4o - 16, signed);
    // IPv6 (iw = 10) precomputed in S3
    ispan_ok = v6_3_q ? span6_3_q : l4avail3_q >= 17'({wi3_q[3:0], 2'b00}) + 17'd16;
    iroom_ok = v6_3_q ? room6_3_q : !iroom3_q[9] && 10'({wi3_q[3:0], 2'b00}) <= iroom3_q;
  end

  logic icmp_err;
  assign icmp_err = reason3_q == 5'(nsgnic_abi_pkg::REASON_NONE) && icmp3_q;
  always_ff @(posedge clk_i) begin
    reason_o         <= reason3_q;
    family_o         <= v6_3_q;
    proto_o          <= proto3_q;
    l4_o             <= l4_3_q;
    src_addr_o       <= src3_q;
    dst_addr_o       <= dst3_q;
    src_port_o       <= sport3_q;
    dst_port_o       <= dport3_q;
    tcp_flags_o      <= tcp3_q;
    icmp_err_o       <= icmp_err;
    // the inner IP header + 8 bytes inside the ICMP message: 8 + iw*4 + 8 <= IP payload
    inner_ok_o       <= icmp_err && isane && iroom_ok && ispan_ok;
    inner_proto_o    <= iproto;
    inner_src_port_o <= il4 ? {iports[7:0], iports[15:8]} : 16'd0;
    inner_dst_port_o <= il4 ? {iports[23:16], iports[31:24]} : 16'd0;
    for (int unsigned i = 0; i < 16; i++) begin
      if (v6_3_q) begin
        inner_src_addr_o[(15-i)*8 +: 8] <= bi(8 + i);
        inner_dst_addr_o[(15-i)*8 +: 8] <= bi(24 + i);
      end else begin
        inner_src_addr_o[(15-i)*8 +: 8] <= i >= 12 ? bi(i) : 8'd0;
        inner_dst_addr_o[(15-i)*8 +: 8] <= i >= 12 ? bi(4 + i) : 8'd0;
      end
    end
  end

  logic unused;   // MAC addresses; L4 bytes 4..11, the TCP offset's low and the flags' high bits
  assign unused = ^{hdr_i[12*8-1:0], l4b[L4B*8-1:13*8+3], l4b[12*8+3:4*8]};

  // sideband: the caller's valid bit lives here, so it is reset
  logic [SideW-1:0] side_q [Latency];
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      for (int unsigned k = 0; k < Latency; k++) side_q[k] <= '0;
    end else begin
      side_q[0] <= side_i;
      for (int unsigned k = 1; k < Latency; k++) side_q[k] <= side_q[k-1];
    end
  end
  assign side_o = side_q[Latency-1];
endmodule

`default_nettype wire
