// SPDX-License-Identifier: Apache-2.0
// Flow cache: exact match on a direction-independent connection key, 4-choice d-left hashed
// buckets in RAM plus a small fully associative stash, hardware learning at line rate, one
// request per clock, fixed latency 2.
//
// Key (FLOW_* fields of the ABI): {vport, family, proto, local/remote address and port}, where
// "local" is the NIC's side (outbound: source, inbound: destination); a reply therefore builds
// the same key as its request. The key hashes (flow_hash: a Toeplitz hash keyed by the secret
// hkey_i, twin nsgnic_flow_hash in include/nsgnic/flow_hash.h) to one bucket in each of
// FLOW_TABLES = 4 tables (d-left with d = 4: table t's bucket is hash bits 16t + BW - 1 .. 16t);
// a bucket holds Ways entries (one RAM word). A lookup compares the 4 x Ways bucket entries and
// the Stash entries (registers). Learning puts the entry into the table whose bucket has the
// fewest valid entries (ties: the lowest table), lowest free way; when all four buckets are full,
// into the lowest free stash slot. Measured (bench/datapath.sh, random keys): 4 x 256 buckets x
// 8 ways + 32 stash slots first refuse a flow near 0.96 load, against 0.90 for the former
// 2 x 256 x 16 (the same 32 bucket entries compared per lookup). Every insert takes the one
// pipeline slot of its packet: no moves, no extra clocks.
//
// Pipeline: A (request) computes the hash and reads the four buckets (synchronous RAMs); B
// compares, decides and writes the modified bucket (or stash slot) back; the outputs are
// registered (C). Every request that changes a bucket (learn, hit update of counters/timestamp/
// TCP bits, management write) writes at the end of B. The request behind it read its buckets in
// the same clock, i.e. before that write: a one-deep write-back register is overlaid on the RAM
// data in B when table and bucket match, so back-to-back packets of one flow (or a request and
// its reply) always see each other: one entry per flow, never a stale miss. The stash is
// registers, current in every B.
//
// No free slot anywhere: the packet is reported (learn_fail) and the table-0 bucket gets a
// sticky overflow flag. The datapath punts such a packet (the host tracks the flow) and punts,
// instead of dropping, rule-denied misses in a flagged bucket (they may be replies of
// host-tracked flows). The firmware clears the flag (op 3) when the host no longer tracks flows
// there.
//
// A probe (a_probe_i: an ICMP error looking up the flow it is about, S5 RELATED) only compares:
// it neither learns nor updates the entry it hits (no timestamp, counter or TCP-bit change).
//
// Aging scan engine (age_en_i): in every clock without a request (a_valid_i low) it reads the
// next bucket (all four tables' RAMs at one index: table = position / Buckets) or stash slot
// through the same read port and pipeline slot a request would use, so it never costs a
// packet's slot and stays coherent with traffic (bypass, write in B). B evaluates every entry of
// that bucket: idle = (age_now_i - TIMESTAMP) mod 2^16 against the timeout of the entry's class
// (age_to_i, 16 bits each: 0 TCP established = SYN seen both ways and no FIN/RST, 1 TCP
// half-open or closing, 2 UDP and other protocols, 3 ICMP / ICMPv6). The first expired entry is
// deleted (the bucket written back with it invalid) and reported on x_* (C) with its index and
// whole content (counters, TCP bits: the flow log's end tuple); when more entries of that bucket
// expired, the scanner comes back to it next. A scan is issued only while age_room_i says the
// report FIFO can take every report in flight. One bucket visit evaluates Ways flows, so a pass
// costs (4 x Buckets + Stash) idle clocks: 1/Ways clock per flow. age_wrap_o pulses when the
// position wraps (a pass was issued), in step with x_*.
//
// Management requests travel the same pipeline (op 1 read / 2 write / 3 overflow flag) so they
// are coherent with traffic; entry index = (table * Buckets + bucket) * Ways + way for the
// tables, 4 * Buckets * Ways + slot for the stash (one contiguous range).
// The aging engine's class and timeout of a flow entry: one place for every engine (this cache's
// scan; the DRAM tier may reuse it), twin nsgnic_flow_age_class / nsgnic_flow_age_timeout in
// include/nsgnic/flow_age.h. The class is the host conntrack's state (docs/slowpath.md, S5) as far
// as the entry shows it: TCP flag bits per direction, packet counts per direction, the initiating
// side and HOST_FIRST (the host counted the initiator's first packet, the entry did not).
package nsgnic_flow_age_pkg;
  // (widths spelled out: yosys 0.23 refuses a package localparam taken from another package)
  function automatic logic [2:0] flow_age_class(input logic [nsgnic_abi_pkg::FLOW_BITS-1:0] e);
    logic [7:0]  proto;
    logic [2:0]  tout, tin;
    logic        syn_i, syn_r, fin, rst;
    logic        init_out, first;
    logic [31:0] po, pin, pi, pr;
    logic [2:0]  c;
    proto    = e[nsgnic_abi_pkg::FLOW_PROTO_LSB +: 8];
    tout     = e[nsgnic_abi_pkg::FLOW_TCP_OUT_LSB +: 3];
    tin      = e[nsgnic_abi_pkg::FLOW_TCP_IN_LSB +: 3];
    init_out = e[nsgnic_abi_pkg::FLOW_INIT_OUTBOUND_LSB];
    first    = e[nsgnic_abi_pkg::FLOW_HOST_FIRST_LSB];
    po       = e[nsgnic_abi_pkg::FLOW_PKTS_OUT_LSB +: 32];
    pin      = e[nsgnic_abi_pkg::FLOW_PKTS_IN_LSB +: 32];
    syn_i    = init_out ? tout[0] : tin[0];   // SYN from the initiator / the responder
    syn_r    = init_out ? tin[0] : tout[0];
    pi       = init_out ? po : pin;
    pr       = init_out ? pin : po;
    fin      = tout[1] | tin[1];
    rst      = tout[2] | tin[2];
    if (proto == 8'd6) begin
      if (rst)                         c = 3'(nsgnic_abi_pkg::AGE_CLASS_TCP_CLOSED);
      else if (tout[1] && tin[1])      c = 3'(nsgnic_abi_pkg::AGE_CLASS_TCP_TIME_WAIT);
      else if (fin)                    c = 3'(nsgnic_abi_pkg::AGE_CLASS_TCP_CLOSING);
      else if (!syn_i)                 c = 3'(nsgnic_abi_pkg::AGE_CLASS_TCP_EST);  // picked up
      else if (pr == 32'd0)            c = 3'(nsgnic_abi_pkg::AGE_CLASS_TCP_HALF_OPEN);  // SYN_SENT
      else if (syn_r && (pi == 32'd0 || (pi == 32'd1 && !first)))
                                       c = 3'(nsgnic_abi_pkg::AGE_CLASS_TCP_HALF_OPEN);  // SYN_RECV
      else                             c = 3'(nsgnic_abi_pkg::AGE_CLASS_TCP_EST);
    end else if (proto == 8'd1 || proto == 8'd58) begin
      c = 3'(nsgnic_abi_pkg::AGE_CLASS_ICMP);
    end else begin
      c = (pr != 32'd0) ? 3'(nsgnic_abi_pkg::AGE_CLASS_REPLIED) : 3'(nsgnic_abi_pkg::AGE_CLASS_NEW);
    end
    flow_age_class = c;
  endfunction

  // idle timeout of class c: the class's (to, 16 bits per class) or, for the established classes,
  // the flow's vport's (est) when that is not 0
  function automatic logic [15:0] flow_age_timeout(input logic [2:0] c, input logic [16*nsgnic_abi_pkg::AGE_CLASSES-1:0] to,
                                                   input logic [15:0] est);
    if ((c == 3'(nsgnic_abi_pkg::AGE_CLASS_TCP_EST) || c == 3'(nsgnic_abi_pkg::AGE_CLASS_REPLIED)) &&
        est != 16'd0)
      flow_age_timeout = est;
    else
      flow_age_timeout = to[16*c +: 16];
  endfunction

  // a valid entry idle (now - TIMESTAMP mod 2^16) for at least its timeout
  function automatic logic flow_age_expired(input logic [nsgnic_abi_pkg::FLOW_BITS-1:0] e, input logic [15:0] now,
                                            input logic [16*nsgnic_abi_pkg::AGE_CLASSES-1:0] to, input logic [15:0] est);
    logic [15:0] idle;
    idle = now - e[nsgnic_abi_pkg::FLOW_TIMESTAMP_LSB +: 16];
    flow_age_expired = e[nsgnic_abi_pkg::FLOW_VALID_LSB] &&
                       idle >= flow_age_timeout(flow_age_class(e), to, est);
  endfunction
endpackage

`default_nettype none

module flow_cache #(
  parameter int unsigned Buckets = 16,  // buckets per table, power of two, 2..16384
  parameter int unsigned Ways    = 4,   // entries per bucket, power of two, 2..32 (1 is refused:
                                        // the ABI entry index has no way bits then, this decode has one)
  parameter int unsigned Stash   = 4,   // stash slots, 0..64
  parameter int unsigned TierFront = 0, // 1: in front of the DRAM tier (flow_dram.sv Front = 1):
                                        // a packet learns here only when the tier says so in the
                                        // same clock (b_learn_ok_i), never fails (the tier
                                        // decides), and the entries it learns are HW_COUNTED
  localparam int unsigned Tables = nsgnic_abi_pkg::FLOW_TABLES,
  localparam int unsigned KeyW   = nsgnic_abi_pkg::FLOW_KEY_BITS,
  localparam int unsigned EntW   = nsgnic_abi_pkg::FLOW_BITS,
  localparam int unsigned BW     = $clog2(Buckets),
  localparam int unsigned WW     = (Ways > 1) ? $clog2(Ways) : 1,
  localparam int unsigned IdxW   = 3 + BW + WW,
  localparam int unsigned SN     = (Stash > 0) ? Stash : 1,
  localparam int unsigned SW     = (SN > 1) ? $clog2(SN) : 1,
  localparam int unsigned HKeyW  = nsgnic_abi_pkg::FLOW_HKEY_WORDS * 32,
  localparam int unsigned HashW  = nsgnic_abi_pkg::FLOW_HASH_BITS
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic [HKeyW-1:0] hkey_i,        // flow-hash secret key (CSR_FLOW_HKEY)
  // request (A)
  input  logic             a_valid_i,
  input  logic [1:0]       a_op_i,        // 0 packet, 1 entry read, 2 entry write, 3 overflow flag
  input  logic [KeyW-1:0]  a_key_i,
  input  logic             a_outbound_i,  // packet direction (counters, TCP bits, initiator)
  input  logic [2:0]       a_tcp_i,       // {RST, FIN, SYN}
  input  logic [15:0]      a_len_i,       // frame bytes
  input  logic             a_learn_i,     // packet: learn on a miss (rules allow, learning on)
  input  logic             a_probe_i,     // packet: look up only (no learn, no entry update)
  input  logic [15:0]      a_rule_id_i,   // packet: deciding rule, stored when learned
  input  logic [7:0]       a_gen_i,
  input  logic [15:0]      a_now_i,
  input  logic [IdxW-1:0]  a_index_i,     // management: entry index (op 3: bucket << WW)
  input  logic [EntW-1:0]  a_data_i,      // management write data (op 3: bit 1 write, bit 0 value)
  // result (C, two clocks after A)
  output logic             c_valid_o,
  output logic             c_hit_o,
  output logic [1:0]       c_action_o,    // entry verdict on a hit
  output logic [15:0]      c_rule_id_o,   // entry rule id on a hit
  output logic             c_learned_o,
  output logic             c_learn_fail_o,
  output logic             c_ovf_o,       // the table-0 bucket carries the overflow flag
  output logic [EntW-1:0]  c_rdata_o,     // management read data (op 3: previous flag in bit 0)
  // aging scan engine
  input  logic             age_en_i,      // scan on
  input  logic [7:0]       age_pace_i,    // a scan at most every age_pace_i + 1 clocks
  input  logic [16*nsgnic_abi_pkg::AGE_CLASSES-1:0] age_to_i,  // timeout per AGE_CLASS (NOW units)
  input  logic             age_est_we_i,  // write the established timeout of one vport
  input  logic [7:0]       age_est_vport_i,
  input  logic [15:0]      age_est_to_i,  //   NOW units, 0: the class's age_to_i value
  input  logic [15:0]      age_now_i,     // coarse time
  input  logic             age_room_i,    // the report FIFO takes two more entries
  output logic             x_valid_o,     // an expired flow was deleted (C)
  output logic [IdxW-1:0]  x_index_o,     //   its entry index
  output logic [EntW-1:0]  x_entry_o,     //   its content before the delete
  output logic             age_wrap_o,    // the scan position wrapped (one pass issued)
  // in front of the DRAM tier (TierFront = 1; combinational in B, the tier's B is in lockstep)
  output logic             b_hit_o,       // the packet in B hit an entry
  output logic             b_room_o,      // a learn of the packet in B would find a place
  input  logic             b_learn_ok_i,  // the tier: the packet in B learns here
  output logic             d_valid_o,     // a HW_COUNTED entry leaves the table in B (aging
  output logic [EntW-1:0]  d_entry_o      //   delete, management write): its S5 counter drops
);
  localparam int StashI = Stash;   // signed: the stash loop's bound (lint-clean with Stash = 0)
  if (Buckets < 2 || Buckets > 16384 || (Buckets & (Buckets - 1)) != 0) begin : g_bad_buckets
    $error("flow_cache: Buckets must be a power of two, 2..16384");
  end
  if (Ways < 2 || Ways > 32 || (Ways & (Ways - 1)) != 0) begin : g_bad_ways
    $error("flow_cache: Ways must be a power of two, 2..32");
  end
  if (Stash > 64 || Stash > Tables * Buckets * Ways) begin : g_bad_stash
    $error("flow_cache: Stash must be 0..64");
  end
  if (Tables != 4) begin : g_bad_tables
    $error("flow_cache: the index decode assumes FLOW_TABLES = 4");
  end

  localparam int unsigned BktW = Ways * EntW;
  localparam int unsigned VL   = nsgnic_abi_pkg::FLOW_VALID_LSB;
  localparam int unsigned TW   = 2;   // table bits of an index

  // ---- hash: keyed Toeplitz hash (twin: nsgnic_flow_hash in include/nsgnic/flow_hash.h) -----
  // Output bit j = parity(key AND hkey[j +: KeyW]); a 312-input AND-XOR tree per bit (4 LUT6
  // levels), so it shares stage A with the RAM address. Universal: without the secret key an
  // attacker cannot aim flows at one bucket.
  function automatic logic [HashW-1:0] flow_hash(input logic [KeyW-1:0] k,
                                                 input logic [HKeyW-1:0] s);
    logic [HashW-1:0] h;
    for (int unsigned j = 0; j < HashW; j++) h[j] = ^(k & s[j +: KeyW]);
    flow_hash = h;
  endfunction

  // ---- aging: per-vport established timeouts (the VNet's flow timeout, S5) ------------------
  // A small RAM without reset (the firmware writes every vport's at boot), one write port, a read
  // per way evaluated (LUTRAM copies in an FPGA).
  logic [15:0] est_q [256];
  always_ff @(posedge clk_i) begin
    if (age_est_we_i) est_q[age_est_vport_i] <= age_est_to_i;
  end
  localparam int unsigned VpL = nsgnic_abi_pkg::FLOW_VPORT_LSB;

  // ---- stage A: hash and RAM reads ------------------------------------------------------
  localparam int unsigned ScanN = Tables * Buckets + Stash;  // positions: buckets, then slots
  localparam int unsigned PW    = $clog2(ScanN + 1);
  logic [HashW-1:0] a_hash;
  logic [BW-1:0]    a_idx [Tables];
  logic [PW-1:0]    scan_q;
  logic             a_scan;
  logic [7:0]       pace_q;                // clocks until the next scan may issue
  assign a_scan = !a_valid_i && age_en_i && age_room_i && pace_q == 8'd0;
  // hash and RAM reads only for a packet / a scan (the values of an idle clock are never read)
  always_comb begin
    a_hash = '0;
    if (a_valid_i && a_op_i == 2'd0) a_hash = flow_hash(a_key_i, hkey_i);
  end
  always_comb begin
    for (int unsigned t = 0; t < Tables; t++) begin
      a_idx[t] = a_hash[16*t +: BW];
      if (a_op_i != 2'd0) a_idx[t] = a_index_i[WW +: BW];
      if (a_scan) a_idx[t] = scan_q[BW-1:0];
    end
  end

  logic [BktW-1:0] mem0 [Buckets];
  logic [BktW-1:0] mem1 [Buckets];
  logic [BktW-1:0] mem2 [Buckets];
  logic [BktW-1:0] mem3 [Buckets];
  logic [BktW-1:0] rd_q [Tables];

  typedef struct packed {
    logic            valid;
    logic [1:0]      op;
    logic [KeyW-1:0] key;
    logic            outbound;
    logic [2:0]      tcp;
    logic [15:0]     len;
    logic            learn;
    logic            probe;
    logic [15:0]     rule_id;
    logic [7:0]      gen;
    logic [15:0]     now;
    logic [IdxW-1:0] index;
    logic [EntW-1:0] data;
  } req_t;
  req_t          b_q;
  logic [BW-1:0] b_idx [Tables];
  logic          b_scan_q;               // B holds a scan (no request)
  logic [PW-1:0] b_pos_q;
  logic [15:0]   b_anow_q;               // the scan's time (sampled at issue)
  logic          b_wrap_q;

  // write-back register (the last bucket write, overlaid on the next request's read data)
  logic            wb_valid_q;
  logic [TW-1:0]   wb_t_q;
  logic [BW-1:0]   wb_idx_q;
  logic [BktW-1:0] wb_data_q;
  logic            w_en;
  logic [TW-1:0]   w_t;
  logic [BW-1:0]   w_idx;
  logic [BktW-1:0] w_data;

  always_ff @(posedge clk_i) begin
    if (a_valid_i || a_scan) begin   // read enable
      rd_q[0] <= mem0[a_idx[0]];
      rd_q[1] <= mem1[a_idx[1]];
      rd_q[2] <= mem2[a_idx[2]];
      rd_q[3] <= mem3[a_idx[3]];
    end
    if (w_en && w_t == 2'd0) mem0[w_idx] <= w_data;
    if (w_en && w_t == 2'd1) mem1[w_idx] <= w_data;
    if (w_en && w_t == 2'd2) mem2[w_idx] <= w_data;
    if (w_en && w_t == 2'd3) mem3[w_idx] <= w_data;
  end

  logic [Buckets-1:0] ovf_q;
  logic [EntW-1:0]    stash_q [SN];
  logic               s_en;
  logic [SW-1:0]      s_idx;
  logic [EntW-1:0]    s_data;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      b_q        <= '0;
      for (int unsigned t = 0; t < Tables; t++) b_idx[t] <= '0;
      b_scan_q   <= 1'b0;
      b_pos_q    <= '0;
      b_anow_q   <= '0;
      b_wrap_q   <= 1'b0;
      wb_valid_q <= 1'b0;
      wb_t_q     <= '0;
      wb_idx_q   <= '0;
      wb_data_q  <= '0;
    end else begin
      b_q.valid    <= a_valid_i;
      if (a_valid_i) begin   // a request's fields (B reads them only with b_q.valid)
        b_q.op       <= a_op_i;
        b_q.key      <= a_key_i;
        b_q.outbound <= a_outbound_i;
        b_q.tcp      <= a_tcp_i;
        b_q.len      <= a_len_i;
        b_q.learn    <= a_learn_i;
        b_q.probe    <= a_probe_i;
        b_q.rule_id  <= a_rule_id_i;
        b_q.gen      <= a_gen_i;
        b_q.now      <= a_now_i;
        b_q.index    <= a_index_i;
        b_q.data     <= a_data_i;
      end
      if (a_valid_i || a_scan) begin
        for (int unsigned t = 0; t < Tables; t++) b_idx[t] <= a_idx[t];
      end
      b_scan_q     <= a_scan;
      b_pos_q      <= scan_q;
      b_anow_q     <= age_now_i;
      b_wrap_q     <= a_scan && 32'(scan_q) == ScanN - 1;
      wb_valid_q   <= w_en;
      wb_t_q       <= w_t;
      wb_idx_q     <= w_idx;
      wb_data_q    <= w_data;
    end
  end

  // ---- stage B: compare, decide, write ---------------------------------------------------
  logic [BktW-1:0] bkt [Tables];         // coherent bucket contents
  logic [Ways-1:0] vld [Tables];
  logic [Tables-1:0] full;
  logic [WW-1:0]   freew [Tables];
  logic [5:0]      cnt [Tables];
  logic            hit, hit_stash, learn_ok, learn_fail, to_stash, stash_full;
  logic [TW-1:0]   hit_t, ins_t;
  logic [WW-1:0]   hit_way, ins_way;
  logic [SW-1:0]   hit_slot, free_slot;
  logic [5:0]      best;
  logic            m_stash;              // management index names a stash slot
  logic [TW-1:0]   m_t;
  logic [WW-1:0]   m_way;
  logic [SW-1:0]   m_slot;
  logic [EntW-1:0] ent, upd, rdata;
  logic            ovf_set, ovf_wr, ovf_val;
  // aging (B)
  logic            sc_stash, sc_any, sc_more;
  logic [TW-1:0]   sc_t;
  logic [WW-1:0]   sc_way;
  logic [SW-1:0]   sc_slot;
  logic [Ways-1:0] sc_exp;
  logic [EntW-1:0] sc_ent;
  logic [IdxW-1:0] sc_index;

  // Everything below is evaluated only in a clock whose B holds a request or a scan (b_act): the
  // defaults first, the logic under `if (b_act)`. The values are the same (nothing reads them
  // otherwise); a simulator skips the bucket logic in idle clocks (Verilator: about half the
  // whole SoC's time, docs/soc.md "Simulation speed"), and in hardware it is plain logic.
  logic b_act;
  assign b_act = b_q.valid || b_scan_q;
  // two blocks: the compare and placement (X1) does not depend on the tier's answer, which
  // depends on it (TierFront: b_hit_o, b_room_o out, b_learn_ok_i in, all in B)
  always_comb begin
    for (int t = 0; t < Tables; t++) begin
      bkt[t]   = '0;
      vld[t]   = '0;
      cnt[t]   = '0;
      freew[t] = '0;
    end
    full       = '0;
    hit        = 1'b0;
    hit_stash  = 1'b0;
    hit_t      = '0;
    hit_way    = '0;
    hit_slot   = '0;
    stash_full = 1'b1;
    free_slot  = '0;
    ins_t      = '0;
    ins_way    = '0;
    best       = '0;
    to_stash   = 1'b0;
    if (b_act) begin
      for (int t = Tables - 1; t >= 0; t--) begin
        bkt[t] = (wb_valid_q && wb_t_q == TW'(t) && wb_idx_q == b_idx[t]) ? wb_data_q : rd_q[t];
        cnt[t]   = '0;
        freew[t] = '0;
        full[t]  = 1'b1;
        for (int w = Ways - 1; w >= 0; w--) begin
          vld[t][w] = bkt[t][w*EntW + VL];
          if (!vld[t][w]) begin freew[t] = WW'(w); full[t] = 1'b0; end
          cnt[t] = cnt[t] + 6'(vld[t][w]);
        end
      end
      // hit: at most one entry holds a key (learning checks every place first); the priority
      // below (stash, then the highest table and way first, overwritten by lower ones) only makes
      // the choice deterministic
      stash_full = 1'b1;
      free_slot  = '0;
      for (int s = SN - 1; s >= 0; s--) begin
        if (s < StashI) begin
          if (stash_q[s][VL] && stash_q[s][KeyW-1:0] == b_q.key) begin
            hit = 1'b1; hit_stash = 1'b1; hit_slot = SW'(s);
          end
          if (!stash_q[s][VL]) begin stash_full = 1'b0; free_slot = SW'(s); end
        end
      end
      for (int t = Tables - 1; t >= 0; t--) begin
        for (int w = Ways - 1; w >= 0; w--) begin
          if (vld[t][w] && bkt[t][w*EntW +: KeyW] == b_q.key) begin
            hit = 1'b1; hit_stash = 1'b0; hit_t = TW'(t); hit_way = WW'(w);
          end
        end
      end
      // insertion: the least loaded non-full bucket, lowest table on a tie; else the stash
      ins_t = '0;
      best  = 6'(Ways);
      for (int t = Tables - 1; t >= 0; t--) begin
        if (!full[t] && cnt[t] <= best) begin ins_t = TW'(t); best = cnt[t]; end
      end
      ins_way    = freew[ins_t];
      to_stash   = &full;
    end
  end
  assign b_hit_o  = b_q.valid && b_q.op == 2'd0 && hit;
  assign b_room_o = !(to_stash && (stash_full || Stash == 0));

  logic            m_old_cnt, m_keep;   // management write: the slot's entry counted / stays so
  logic [EntW-1:0] m_old;
  always_comb begin
    learn_ok   = 1'b0;
    learn_fail = 1'b0;
    m_stash    = 1'b0;
    m_t        = '0;
    m_way      = '0;
    m_slot     = '0;
    ent        = '0;
    upd        = '0;
    w_en       = 1'b0;
    w_t        = '0;
    w_data     = '0;
    s_en       = 1'b0;
    s_idx      = '0;
    s_data     = '0;
    rdata      = '0;
    ovf_set    = 1'b0;
    ovf_wr     = 1'b0;
    ovf_val    = 1'b0;
    sc_stash   = 1'b0;
    sc_t       = '0;
    sc_slot    = '0;
    sc_any     = 1'b0;
    sc_more    = 1'b0;
    sc_way     = '0;
    sc_exp     = '0;
    sc_ent     = '0;
    sc_index   = '0;
    m_old      = '0;
    m_old_cnt  = 1'b0;
    m_keep     = 1'b0;
    d_valid_o  = 1'b0;
    d_entry_o  = '0;
    if (b_act) begin
      // with the tier in front the tier decides: learn here when it says so, never fail here
      learn_ok   = b_q.valid && b_q.op == 2'd0 && !hit && b_q.learn && !b_q.probe && b_room_o &&
                   (TierFront == 0 || b_learn_ok_i);
      learn_fail = TierFront == 0 && b_q.valid && b_q.op == 2'd0 && !hit && b_q.learn &&
                   !b_q.probe && !b_room_o;

      // management index decode
      m_stash = b_q.index[IdxW-1];
      m_t     = b_q.index[WW + BW +: TW];
      m_way   = b_q.index[WW-1:0];
      m_slot  = b_q.index[SW-1:0];

      // the entry a packet hit (its update) or learns
      ent = hit_stash ? stash_q[hit_slot] : bkt[hit_t][hit_way*EntW +: EntW];
      upd = ent;
      if (!hit) begin
        upd = '0;
        upd[KeyW-1:0] = b_q.key;
        upd[VL] = 1'b1;
        upd[nsgnic_abi_pkg::FLOW_ACTION_LSB +: 2] = 2'(nsgnic_abi_pkg::ACTION_ALLOW);
        upd[nsgnic_abi_pkg::FLOW_INIT_OUTBOUND_LSB] = b_q.outbound;
        upd[nsgnic_abi_pkg::FLOW_GEN_LSB +: 8] = b_q.gen;
        upd[nsgnic_abi_pkg::FLOW_RULE_ID_LSB +: 16] = b_q.rule_id;
        upd[nsgnic_abi_pkg::FLOW_HW_COUNTED_LSB] = TierFront != 0;
      end
      upd[nsgnic_abi_pkg::FLOW_TIMESTAMP_LSB +: 16] = b_q.now;
      if (b_q.outbound) begin
        upd[nsgnic_abi_pkg::FLOW_TCP_OUT_LSB +: 3] = upd[nsgnic_abi_pkg::FLOW_TCP_OUT_LSB +: 3] | b_q.tcp;
        upd[nsgnic_abi_pkg::FLOW_PKTS_OUT_LSB +: 32] = upd[nsgnic_abi_pkg::FLOW_PKTS_OUT_LSB +: 32] + 32'd1;
        upd[nsgnic_abi_pkg::FLOW_BYTES_OUT_LSB +: 32] = upd[nsgnic_abi_pkg::FLOW_BYTES_OUT_LSB +: 32] + 32'(b_q.len);
      end else begin
        upd[nsgnic_abi_pkg::FLOW_TCP_IN_LSB +: 3] = upd[nsgnic_abi_pkg::FLOW_TCP_IN_LSB +: 3] | b_q.tcp;
        upd[nsgnic_abi_pkg::FLOW_PKTS_IN_LSB +: 32] = upd[nsgnic_abi_pkg::FLOW_PKTS_IN_LSB +: 32] + 32'd1;
        upd[nsgnic_abi_pkg::FLOW_BYTES_IN_LSB +: 32] = upd[nsgnic_abi_pkg::FLOW_BYTES_IN_LSB +: 32] + 32'(b_q.len);
      end

      // bucket or stash write
      w_en    = 1'b0;
      w_t     = '0;
      w_data  = bkt[0];
      s_en    = 1'b0;
      s_idx   = '0;
      s_data  = upd;
      rdata   = '0;
      ovf_set = 1'b0;
      ovf_wr  = 1'b0;
      ovf_val = 1'b0;
      if (b_q.valid) begin
        unique case (b_q.op)
          2'd0: begin
            if (hit && !b_q.probe && hit_stash) begin
              s_en  = 1'b1;
              s_idx = hit_slot;
            end else if (hit && !b_q.probe) begin
              w_en = 1'b1;
              w_t = hit_t;
              w_data = bkt[hit_t];
              w_data[hit_way*EntW +: EntW] = upd;
            end else if (learn_ok && to_stash) begin
              s_en  = 1'b1;
              s_idx = free_slot;
            end else if (learn_ok) begin
              w_en = 1'b1;
              w_t = ins_t;
              w_data = bkt[ins_t];
              w_data[ins_way*EntW +: EntW] = upd;
            end
            ovf_set = learn_fail;
          end
          2'd1: begin
            rdata = m_stash ? stash_q[m_slot] : bkt[m_t][m_way*EntW +: EntW];
          end
          2'd2: begin
            // HW_COUNTED: kept only on the same flow of the same counter (key and initiator
            // equal), never set by a write; a counted entry dropped or replaced is reported (d_*)
            m_old     = m_stash ? stash_q[m_slot] : bkt[m_t][m_way*EntW +: EntW];
            m_old_cnt = m_old[VL] && m_old[nsgnic_abi_pkg::FLOW_HW_COUNTED_LSB];
            m_keep    = m_old_cnt && b_q.data[VL] && b_q.data[nsgnic_abi_pkg::FLOW_HW_COUNTED_LSB] &&
                        b_q.data[KeyW-1:0] == m_old[KeyW-1:0] &&
                        b_q.data[nsgnic_abi_pkg::FLOW_INIT_OUTBOUND_LSB] ==
                        m_old[nsgnic_abi_pkg::FLOW_INIT_OUTBOUND_LSB];
            d_valid_o = m_old_cnt && !m_keep;
            d_entry_o = m_old;
            s_data = b_q.data;
            s_data[nsgnic_abi_pkg::FLOW_HW_COUNTED_LSB] = m_keep;
            if (m_stash) begin
              s_en   = 1'b1;
              s_idx  = m_slot;
            end else begin
              w_en = 1'b1;
              w_t = m_t;
              w_data = bkt[m_t];
              w_data[m_way*EntW +: EntW] = s_data;
            end
          end
          2'd3: begin
            rdata[0] = ovf_q[b_idx[0]];
            ovf_wr   = b_q.data[1];
            ovf_val  = b_q.data[0];
          end
          default: ;
        endcase
      end
      // aging scan in B (B holds no request then)
      if (b_scan_q) begin
      sc_stash = 32'(b_pos_q) >= Tables * Buckets;
      sc_t     = b_pos_q[BW +: TW];
      sc_slot  = SW'(32'(b_pos_q) - Tables * Buckets);
      sc_any   = 1'b0;
      sc_more  = 1'b0;
      sc_way   = '0;
      sc_ent   = '0;
      sc_index = '0;
      for (int w = Ways - 1; w >= 0; w--) begin
        sc_exp[w] = !sc_stash && nsgnic_flow_age_pkg::flow_age_expired(
                        bkt[sc_t][w*EntW +: EntW], b_anow_q, age_to_i,
                        est_q[bkt[sc_t][w*EntW + VpL +: 8]]);
        if (sc_exp[w]) begin
          sc_more = sc_any;   // an expired entry above the first one
          sc_any  = 1'b1;
          sc_way  = WW'(w);
        end
      end
      if (sc_stash) begin
        sc_any   = Stash > 0 && nsgnic_flow_age_pkg::flow_age_expired(
                        stash_q[sc_slot], b_anow_q, age_to_i, est_q[stash_q[sc_slot][VpL +: 8]]);
        sc_ent   = stash_q[sc_slot];
        sc_index = IdxW'(Tables * Buckets * Ways) + IdxW'(sc_slot);
      end else begin
        sc_ent   = bkt[sc_t][sc_way*EntW +: EntW];
        sc_index = {1'b0, sc_t, b_pos_q[BW-1:0], sc_way};
      end
      if (b_scan_q && sc_any) begin
        d_valid_o = sc_ent[nsgnic_abi_pkg::FLOW_HW_COUNTED_LSB];
        d_entry_o = sc_ent;
        if (sc_stash) begin
          s_en   = 1'b1;
          s_idx  = sc_slot;
          s_data = sc_ent;
          s_data[VL] = 1'b0;
        end else begin
          w_en   = 1'b1;
          w_t    = sc_t;
          w_data = bkt[sc_t];
          w_data[sc_way*EntW + VL] = 1'b0;
        end
      end
      end
    end
    w_idx = b_idx[w_t];
  end

  // scan position: advance with every scan issued; come back to a bucket that held more than
  // one expired entry (the scan issued meanwhile is repeated later: harmless)
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      scan_q     <= '0;
      pace_q     <= '0;
      x_valid_o  <= 1'b0;
      x_index_o  <= '0;
      x_entry_o  <= '0;
      age_wrap_o <= 1'b0;
    end else begin
      age_wrap_o <= b_wrap_q;
      if (a_scan) scan_q <= (32'(scan_q) == ScanN - 1) ? '0 : scan_q + 1'b1;
      if (a_scan) pace_q <= age_pace_i;
      else if (pace_q != 8'd0) pace_q <= pace_q - 8'd1;
      if (b_scan_q && sc_more) scan_q <= b_pos_q;
      x_valid_o <= b_scan_q && sc_any;
      if (b_scan_q) begin
        x_index_o <= sc_index;
        x_entry_o <= sc_ent;
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ovf_q          <= '0;
      for (int unsigned s = 0; s < SN; s++) stash_q[s] <= '0;
      c_valid_o      <= 1'b0;
      c_hit_o        <= 1'b0;
      c_action_o     <= '0;
      c_rule_id_o    <= '0;
      c_learned_o    <= 1'b0;
      c_learn_fail_o <= 1'b0;
      c_ovf_o        <= 1'b0;
      c_rdata_o      <= '0;
    end else begin
      if (ovf_set) ovf_q[b_idx[0]] <= 1'b1;
      if (ovf_wr)  ovf_q[b_idx[0]] <= ovf_val;
      if (s_en && Stash > 0) stash_q[s_idx] <= s_data;
      c_valid_o      <= b_q.valid;
      c_hit_o        <= b_q.valid && b_q.op == 2'd0 && hit;
      c_action_o     <= ent[nsgnic_abi_pkg::FLOW_ACTION_LSB +: 2];
      c_rule_id_o    <= ent[nsgnic_abi_pkg::FLOW_RULE_ID_LSB +: 16];
      c_learned_o    <= learn_ok;
      c_learn_fail_o <= learn_fail;
      c_ovf_o        <= ovf_q[b_idx[0]] || learn_fail;
      c_rdata_o      <= rdata;
    end
  end
endmodule

`default_nettype wire
