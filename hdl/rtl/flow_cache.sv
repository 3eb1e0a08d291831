// SPDX-License-Identifier: Apache-2.0
// Flow cache: exact match on a direction-independent connection key, d-left hashed buckets in
// RAM, hardware learning at line rate, one request per clock, fixed latency 2.
//
// Key (FLOW_* fields of the ABI): {vport, family, proto, local/remote address and port}, where
// "local" is the NIC's side (outbound: source, inbound: destination); a reply therefore builds
// the same key as its request. The key hashes (flow_hash: a Toeplitz hash keyed by the secret
// hkey_i, twin nsgnic_flow_hash in include/nsgnic/flow_hash.h) to one bucket in each of two halves (d-left: bucket idx0 in half 0, idx1 in half 1); a bucket holds
// Ways entries. A lookup compares all 2*Ways entries. Learning puts the entry into the half
// whose bucket has fewer valid entries (ties: half 0), lowest free way. First failure with
// 2 x 16 ways comes near 0.9 load (bench/datapath.sh); a single 4-way bucket fails near 0.2.
//
// Pipeline: A (request) computes the hashes and reads both buckets (synchronous RAM); B compares,
// decides and writes the whole modified bucket back; the outputs are registered (C). Every
// request that changes a bucket (learn, hit update of counters/timestamp/TCP bits, management
// write) writes at the end of B. The request behind it read its buckets in the same clock, i.e.
// before that write: a one-deep write-back register is overlaid on the RAM data in B when the
// bucket index matches, so back-to-back packets of one flow (or a request and its reply) always
// see each other: one entry per flow, never a stale miss.
//
// No free way: the packet is reported (learn_fail) and the half-0 bucket gets a sticky overflow
// flag. The datapath punts such a packet (the host tracks the flow) and punts, instead of
// dropping, rule-denied misses in a flagged bucket (they may be replies of host-tracked flows).
// The firmware clears the flag (op 3) when the host no longer tracks flows there.
//
// A probe (a_probe_i: an ICMP error looking up the flow it is about, S5 RELATED) only compares:
// it neither learns nor updates the entry it hits (no timestamp, counter or TCP-bit change).
//
// Management requests travel the same pipeline (op 1 read / 2 write / 3 overflow flag) so they
// are coherent with traffic; entry index = (half * Buckets + bucket) * Ways + way.
`default_nettype none

module flow_cache #(
  parameter int unsigned Buckets = 16,  // buckets per half, power of two, 2..65536
  parameter int unsigned Ways    = 4,   // entries per bucket, power of two, 2..32 (1 is refused:
                                        // the ABI entry index has no way bits then, this decode has one)
  localparam int unsigned KeyW   = nsgnic_abi_pkg::FLOW_KEY_BITS,
  localparam int unsigned EntW   = nsgnic_abi_pkg::FLOW_BITS,
  localparam int unsigned BW     = $clog2(Buckets),
  localparam int unsigned WW     = (Ways > 1) ? $clog2(Ways) : 1,
  localparam int unsigned IdxW   = 1 + BW + WW,
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
  output logic             c_ovf_o,       // the half-0 bucket carries the overflow flag
  output logic [EntW-1:0]  c_rdata_o      // management read data (op 3: previous flag in bit 0)
);
  if (Buckets < 2 || Buckets > 65536 || (Buckets & (Buckets - 1)) != 0) begin : g_bad_buckets
    $error("flow_cache: Buckets must be a power of two, 2..65536");
  end
  if (Ways < 2 || Ways > 32 || (Ways & (Ways - 1)) != 0) begin : g_bad_ways
    $error("flow_cache: Ways must be a power of two, 2..32");
  end

  localparam int unsigned BktW = Ways * EntW;
  localparam int unsigned VL   = nsgnic_abi_pkg::FLOW_VALID_LSB;

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

  // ---- stage A: hash and RAM read -------------------------------------------------------
  logic [HashW-1:0] a_hash;
  logic [BW-1:0]   a_idx0, a_idx1;
  assign a_hash = flow_hash(a_key_i, hkey_i);
  always_comb begin
    a_idx0 = a_hash[BW-1:0];
    a_idx1 = a_hash[16 +: BW];
    if (a_op_i != 2'd0) begin
      a_idx0 = a_index_i[WW +: BW];
      a_idx1 = a_index_i[WW +: BW];
    end
  end

  logic [BktW-1:0] mem0 [Buckets];
  logic [BktW-1:0] mem1 [Buckets];
  logic [BktW-1:0] rd0_q, rd1_q;

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
    logic [BW-1:0]   idx0, idx1;
  } req_t;
  req_t b_q;

  // write-back register (the last bucket write, overlaid on the next request's read data)
  logic            wb_valid_q, wb_half_q;
  logic [BW-1:0]   wb_idx_q;
  logic [BktW-1:0] wb_data_q;
  logic            w_en, w_half;
  logic [BW-1:0]   w_idx;
  logic [BktW-1:0] w_data;

  always_ff @(posedge clk_i) begin
    rd0_q <= mem0[a_idx0];
    rd1_q <= mem1[a_idx1];
    if (w_en && !w_half) mem0[w_idx] <= w_data;
    if (w_en && w_half)  mem1[w_idx] <= w_data;
  end

  logic [Buckets-1:0] ovf_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      b_q        <= '0;
      wb_valid_q <= 1'b0;
      wb_half_q  <= 1'b0;
      wb_idx_q   <= '0;
      wb_data_q  <= '0;
    end else begin
      b_q.valid    <= a_valid_i;
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
      b_q.idx0     <= a_idx0;
      b_q.idx1     <= a_idx1;
      wb_valid_q   <= w_en;
      wb_half_q    <= w_half;
      wb_idx_q     <= w_idx;
      wb_data_q    <= w_data;
    end
  end

  // ---- stage B: compare, decide, write ---------------------------------------------------
  logic [BktW-1:0] bkt0, bkt1;          // coherent bucket contents
  logic [Ways-1:0] hit0, hit1, vld0, vld1;
  logic            hit, hit_half, ins_half, full0, full1, learn_ok, learn_fail;
  logic [WW-1:0]   hit_way, free0, free1, ins_way;
  logic [5:0]      cnt0, cnt1;
  logic [EntW-1:0] ent, upd, rdata;
  logic            ovf_set, ovf_wr, ovf_val;

  always_comb begin
    bkt0 = (wb_valid_q && !wb_half_q && wb_idx_q == b_q.idx0) ? wb_data_q : rd0_q;
    bkt1 = (wb_valid_q &&  wb_half_q && wb_idx_q == b_q.idx1) ? wb_data_q : rd1_q;
    cnt0 = '0;
    cnt1 = '0;
    free0 = '0;
    free1 = '0;
    full0 = 1'b1;
    full1 = 1'b1;
    for (int w = Ways - 1; w >= 0; w--) begin
      vld0[w] = bkt0[w*EntW + VL];
      vld1[w] = bkt1[w*EntW + VL];
      hit0[w] = vld0[w] && bkt0[w*EntW +: KeyW] == b_q.key;
      hit1[w] = vld1[w] && bkt1[w*EntW +: KeyW] == b_q.key;
      if (!vld0[w]) begin free0 = WW'(w); full0 = 1'b0; end
      if (!vld1[w]) begin free1 = WW'(w); full1 = 1'b0; end
      cnt0 = cnt0 + 6'(vld0[w]);
      cnt1 = cnt1 + 6'(vld1[w]);
    end
    hit      = 1'b0;
    hit_half = 1'b0;
    hit_way  = '0;
    for (int w = Ways - 1; w >= 0; w--) begin
      if (hit1[w]) begin hit = 1'b1; hit_half = 1'b1; hit_way = WW'(w); end
    end
    for (int w = Ways - 1; w >= 0; w--) begin
      if (hit0[w]) begin hit = 1'b1; hit_half = 1'b0; hit_way = WW'(w); end
    end
    ins_half   = full0 || (!full1 && cnt1 < cnt0);
    ins_way    = ins_half ? free1 : free0;
    learn_ok   = b_q.valid && b_q.op == 2'd0 && !hit && b_q.learn && !b_q.probe &&
                 !(full0 && full1);
    learn_fail = b_q.valid && b_q.op == 2'd0 && !hit && b_q.learn && !b_q.probe &&
                 full0 && full1;

    // the entry a packet hit (its update) or learns
    ent = hit_half ? bkt1[hit_way*EntW +: EntW] : bkt0[hit_way*EntW +: EntW];
    upd = ent;
    if (!hit) begin
      upd = '0;
      upd[KeyW-1:0] = b_q.key;
      upd[VL] = 1'b1;
      upd[nsgnic_abi_pkg::FLOW_ACTION_LSB +: 2] = 2'(nsgnic_abi_pkg::ACTION_ALLOW);
      upd[nsgnic_abi_pkg::FLOW_INIT_OUTBOUND_LSB] = b_q.outbound;
      upd[nsgnic_abi_pkg::FLOW_GEN_LSB +: 8] = b_q.gen;
      upd[nsgnic_abi_pkg::FLOW_RULE_ID_LSB +: 16] = b_q.rule_id;
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

    // bucket write
    w_en    = 1'b0;
    w_half  = 1'b0;
    w_idx   = b_q.idx0;
    w_data  = bkt0;
    rdata   = '0;
    ovf_set = 1'b0;
    ovf_wr  = 1'b0;
    ovf_val = 1'b0;
    if (b_q.valid) begin
      unique case (b_q.op)
        2'd0: begin
          if (hit && !b_q.probe) begin
            w_en = 1'b1;
            w_half = hit_half;
            w_data = hit_half ? bkt1 : bkt0;
            w_data[hit_way*EntW +: EntW] = upd;
          end else if (learn_ok) begin
            w_en = 1'b1;
            w_half = ins_half;
            w_data = ins_half ? bkt1 : bkt0;
            w_data[ins_way*EntW +: EntW] = upd;
          end
          ovf_set = learn_fail;
        end
        2'd1: begin
          rdata = b_q.index[IdxW-1] ? bkt1[b_q.index[WW-1:0]*EntW +: EntW]
                                    : bkt0[b_q.index[WW-1:0]*EntW +: EntW];
        end
        2'd2: begin
          w_en = 1'b1;
          w_half = b_q.index[IdxW-1];
          w_data = w_half ? bkt1 : bkt0;
          w_data[b_q.index[WW-1:0]*EntW +: EntW] = b_q.data;
        end
        2'd3: begin
          rdata[0] = ovf_q[b_q.idx0];
          ovf_wr   = b_q.data[1];
          ovf_val  = b_q.data[0];
        end
        default: ;
      endcase
    end
    if (w_half) w_idx = b_q.idx1;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ovf_q          <= '0;
      c_valid_o      <= 1'b0;
      c_hit_o        <= 1'b0;
      c_action_o     <= '0;
      c_rule_id_o    <= '0;
      c_learned_o    <= 1'b0;
      c_learn_fail_o <= 1'b0;
      c_ovf_o        <= 1'b0;
      c_rdata_o      <= '0;
    end else begin
      if (ovf_set) ovf_q[b_q.idx0] <= 1'b1;
      if (ovf_wr)  ovf_q[b_q.idx0] <= ovf_val;
      c_valid_o      <= b_q.valid;
      c_hit_o        <= b_q.valid && b_q.op == 2'd0 && hit;
      c_action_o     <= ent[nsgnic_abi_pkg::FLOW_ACTION_LSB +: 2];
      c_rule_id_o    <= ent[nsgnic_abi_pkg::FLOW_RULE_ID_LSB +: 16];
      c_learned_o    <= learn_ok;
      c_learn_fail_o <= learn_fail;
      c_ovf_o        <= ovf_q[b_q.idx0] || learn_fail;
      c_rdata_o      <= rdata;
    end
  end
endmodule

`default_nettype wire
