// SPDX-License-Identifier: Apache-2.0
// Flow tier: the DRAM flow table (flow_dram.sv) behind the lookup's on-chip flow cache, between
// the lookup's results and the datapath's verdict FIFO (datapath.sv, FlowDram = 1).
//
// Front = 0: the on-chip cache does not learn by itself (the datapath holds the lookup's learn
// enable low): flows are learned in DRAM, which holds every hardware flow of the device; the
// cache keeps the entries the firmware writes into it (a hit there is final).
// Front = 1 (datapath FlowFront): the cache in front. flow_dram takes its request from the
// lookup's P10 (f_*), in lockstep with the cache's, and its B decides with the cache's B (P11):
// cache hit -> CHIT (final, nothing in DRAM); directory match -> DRAM lookup; neither -> the cache
// learns it while it has room (CLEARN, counted in the S5 counters here), else DRAM does. Every
// looked-up packet then has an answer from flow_dram (CHIT / CLEARN keep the lookup's verdict).
// The request queue below is unused (flow_dram's A never waits: the credit bounds the packets).
// Every result of
// the lookup enters an in-order buffer (Depth entries, one per clock, never refused: the
// datapath's credit counts packets up to this module's output; Depth >= 2 x the credit leaves room
// for the firmware's flag-clear markers, which travel in the buffer too); a looked-up packet that missed
// the cache also sends a request to flow_dram (key, direction, TCP bits, length, learn when the
// rules allow it, probe for an ICMP error: S5 RELATED). flow_dram answers in request order, so
// the buffer's head waits for the answer of its own request; results leave in arrival order
// (nothing relaxed), one per clock when the buffer covers the DRAM latency.
//
// Final verdict of a packet that went to DRAM (as lookup.sv P12 for a cache result):
//   hit                 -> the flow's action and rule (ALLOW / DENY flow / PUNT flow)
//   hit, ICMP error     -> forwarded as RELATED when the flow allows, else the rules' verdict
//   learned             -> the rules' verdict (ALLOW), counted as learned
//   full, S5 limit,     -> PUNT (FLOW_FULL, counted as a learn failure): S5 table full, new
//   signature collision    connections punted to the host; existing flows untouched
//   miss                -> the rules' verdict; rule-denied misses are punted (FLOW_OVF_DENY)
//                          while the overflow flag is set (some flow went to the host, a denied
//                          packet may be its reply), as the cache does per bucket. The flag is
//                          set by every refused learn and cleared by the firmware's flow op 3
//                          (clr_ovf_i).
// Management (mg_*: the firmware's DP_CMD.DRAM reads and deletes of a slot) takes the place
// of a packet in both queues (a marker in the in-order buffer, a request to flow_dram), so it is
// ordered with the packets: those ahead see the flow, those behind do not.
// Aging: flow_dram's scan engine deletes expired DRAM flows and reports them on x_* (the datapath
// merges them into the aging report FIFO, DP_AGE_INDEX.DRAM).
// Not here yet: promotion of hot DRAM flows into the cache (Front: a swap decided in B).
`default_nettype none

module flow_tier #(
  parameter int unsigned Buckets = 16,    // flow_dram buckets per table
  parameter int unsigned Ways    = 32,    // flow_dram slots per bucket
  parameter int unsigned SigW    = 31,    // flow_dram signature bits
  parameter int unsigned Depth   = 512,   // in-order buffer = flow_dram requests in flight
  parameter int unsigned Dbt     = 1024,  // flow_dram recent-write table
  parameter int unsigned Vports  = 256,
  parameter int unsigned AddrW   = 34,
  parameter int unsigned DestW   = 9,
  parameter int unsigned TagW    = 25,
  parameter int unsigned Front   = 0,     // 1: the on-chip cache in front (f_*, see the top)
  localparam int unsigned KeyW   = nsgnic_abi_pkg::FLOW_KEY_BITS,
  localparam int unsigned EntW   = nsgnic_abi_pkg::FLOW_BITS,
  localparam int unsigned HKeyW  = nsgnic_abi_pkg::FLOW_HKEY_WORDS * 32,
  localparam int unsigned SlotW  = 2 + $clog2(Buckets) + $clog2(Ways),
  localparam int unsigned LimW   = SlotW + 1
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic [HKeyW-1:0] hkey_i,
  input  logic [7:0]       gen_i,
  input  logic [15:0]      now_i,
  input  logic [31:0]      limit_i,       // CSR_FLOW_LIMIT: S5 flows per NIC and direction
  input  logic             clr_ovf_i,     // firmware flow op 3 (never with in_valid_i): clears
                                          // the overflow flag in order with the packets
  // management of DRAM entries (the firmware's DP_CMD.DRAM ops; never with in_valid_i or
  // clr_ovf_i, one at a time): read or delete slot mg_slot_i, in order with the packets
  input  logic             mg_valid_i,
  input  logic             mg_del_i,      // 1 delete, 0 read
  input  logic [SlotW-1:0] mg_slot_i,
  input  logic [EntW-1:0]  mg_data_i,     // delete: the entry read before (VPORT, INIT_OUTBOUND)
  output logic             mg_done_o,     // the op's answer (one clock)
  output logic [EntW-1:0]  mg_entry_o,    // the slot's entry, VALID = it holds a flow
  output logic [Ways-1:0]  mg_vmask_o,    // valid bits of the slot's bucket
  // hardware aging of the DRAM entries (flow_dram.sv: the scan in clocks without a request)
  input  logic             age_en_i,      // scan now and then (the datapath paces it)
  input  logic [16*nsgnic_abi_pkg::AGE_CLASSES-1:0] age_to_i,
  input  logic             age_est_we_i,
  input  logic [7:0]       age_est_vport_i,
  input  logic [15:0]      age_est_to_i,
  input  logic             age_room_i,    // the report path takes a report in the next clock
  output logic             x_valid_o,     // an expired flow deleted (one clock, must be taken)
  output logic [SlotW-1:0] x_slot_o,
  output logic [EntW-1:0]  x_entry_o,
  output logic             age_wrap_o,    // the scan wrapped
  // lookup results (packets only), one per clock at most, always taken
  input  logic             in_valid_i,
  input  logic [1:0]       in_action_i,
  input  logic [4:0]       in_reason_i,
  input  logic [15:0]      in_rule_id_i,
  input  logic             in_looked_i,
  input  logic             in_hit_i,      // on-chip cache hit: final
  input  logic             in_learned_i,
  input  logic             in_fail_i,
  input  logic             in_related_i,
  input  logic [DestW-1:0] in_dest_i,
  input  logic [TagW-1:0]  in_tag_i,
  input  logic [KeyW-1:0]  in_key_i,      // the flow request of the packet (lookup P10)
  input  logic             in_outbound_i,
  input  logic [2:0]       in_tcp_i,
  input  logic [15:0]      in_len_i,
  input  logic             in_learn_i,    // may learn (learn on, rules ALLOW, not an ICMP error)
  input  logic             in_probe_i,    // ICMP error: compare only
  // Front = 1: flow_dram's request at the lookup's P10, decided with the cache's B at P11
  input  logic             f_valid_i,     // P10: a looked-up packet
  input  logic             f_mg_i,        // P10: the management op's slot (mg_del_i, mg_slot_i,
                                          //   mg_data_i are already stable)
  input  logic [KeyW-1:0]  f_key_i,
  input  logic             f_outbound_i,
  input  logic [2:0]       f_tcp_i,
  input  logic [15:0]      f_len_i,
  input  logic             f_learn_i,
  input  logic             f_probe_i,
  input  logic [15:0]      f_rule_i,
  input  logic             f_chit_i,      // P11: the cache hit it
  input  logic             f_croom_i,     // P11: the cache has a place for it
  output logic             f_clearn_o,    // P11: the cache learns it
  input  logic             f_dec_i,       // P11: a HW_COUNTED cache entry leaves
  input  logic [EntW-1:0]  f_dec_entry_i,
  // final results, in arrival order
  output logic             out_valid_o,
  output logic [1:0]       out_action_o,
  output logic [4:0]       out_reason_o,
  output logic [15:0]      out_rule_id_o,
  output logic             out_looked_o,
  output logic             out_hit_o,
  output logic             out_learned_o,
  output logic             out_fail_o,
  output logic             out_related_o,
  output logic [DestW-1:0] out_dest_o,
  output logic [TagW-1:0]  out_tag_o,
  output logic             overflow_o,    // in-order buffer overrun (credit bug): sticky
  output logic [LimW-1:0]  used_o,
  output logic             init_o,        // flow_dram's reset sweep (Front: hold requests off)
  output logic             err_o,
  output logic             err_ev_o,      // a clock with a DRAM error response (CNT_DRAM_ERR)
  // AXI4 master to the DRAM (see flow_dram.sv)
  output logic             m_axi_arvalid,
  input  logic             m_axi_arready,
  output logic [AddrW-1:0] m_axi_araddr,
  output logic [7:0]       m_axi_arlen,
  output logic [2:0]       m_axi_arsize,
  output logic [1:0]       m_axi_arburst,
  output logic             m_axi_arid,
  input  logic             m_axi_rvalid,
  output logic             m_axi_rready,
  input  logic [EntW-1:0]  m_axi_rdata,
  input  logic [1:0]       m_axi_rresp,
  input  logic             m_axi_rlast,
  input  logic             m_axi_rid,
  output logic             m_axi_awvalid,
  input  logic             m_axi_awready,
  output logic [AddrW-1:0] m_axi_awaddr,
  output logic [7:0]       m_axi_awlen,
  output logic [2:0]       m_axi_awsize,
  output logic [1:0]       m_axi_awburst,
  output logic             m_axi_awid,
  output logic             m_axi_wvalid,
  input  logic             m_axi_wready,
  output logic [EntW-1:0]  m_axi_wdata,
  output logic [EntW/8-1:0] m_axi_wstrb,
  output logic             m_axi_wlast,
  input  logic             m_axi_bvalid,
  output logic             m_axi_bready,
  input  logic [1:0]       m_axi_bresp,
  input  logic             m_axi_bid
);
  localparam int unsigned MetaW = 2 + 2 + 5 + 16 + 7 + DestW + TagW;
  localparam int unsigned ReqW  = 2 + SlotW + KeyW + 1 + 3 + 16 + 1 + 1 + 16;

  logic need;   // this packet waits for a flow_dram answer (Front: every looked-up packet has one)
  assign need = in_valid_i && in_looked_i && (Front != 0 || !in_hit_i);

  // ---- in-order buffer (every result) and request queue (cache misses) ----------------------
  logic [MetaW-1:0] pq_head;
  logic             pq_empty, pq_full, pq_pop;
  logic [$clog2(Depth):0] unused_pq_count, unused_rq_count;
  sync_fifo #(.Width(MetaW), .Depth(Depth)) u_pq (
    .clk_i, .rst_ni, .push_i(in_valid_i || clr_ovf_i || mg_valid_i),
    .wdata_i({mg_valid_i && !in_valid_i, clr_ovf_i && !in_valid_i, in_action_i, in_reason_i, in_rule_id_i, need, in_looked_i, in_hit_i, in_learned_i,
              in_fail_i, in_related_i, in_probe_i, in_dest_i, in_tag_i}),
    .pop_i(pq_pop), .rdata_o(pq_head), .empty_o(pq_empty), .full_o(pq_full),
    .count_o(unused_pq_count));

  logic [ReqW-1:0] rq_head;
  logic            rq_empty, rq_full, a_ready;
  sync_fifo #(.Width(ReqW), .Depth(Depth)) u_rq (
    .clk_i, .rst_ni, .push_i(Front == 0 && (need || mg_valid_i)),
    .wdata_i(mg_valid_i && !in_valid_i
             ? {1'b1, mg_del_i, mg_slot_i, mg_data_i[KeyW-1:0],
                mg_data_i[nsgnic_abi_pkg::FLOW_INIT_OUTBOUND_LSB], 3'd0, 16'd0, 1'b0, 1'b0, 16'd0}
             : {2'd0, {SlotW{1'b0}}, in_key_i, in_outbound_i, in_tcp_i, in_len_i, in_learn_i,
                in_probe_i, in_rule_id_i}),
    .pop_i(a_ready && !rq_empty), .rdata_o(rq_head), .empty_o(rq_empty), .full_o(rq_full),
    .count_o(unused_rq_count));

  // flow_dram's request: the queue's head, or (Front) the lookup's P10
  logic            d_valid;
  logic            r_outb, r_learn, r_probe;
  logic [1:0]      r_op;
  logic [SlotW-1:0] r_slot;
  logic [KeyW-1:0] r_key;
  logic [2:0]      r_tcp;
  logic [15:0]     r_len, r_rule;
  logic [EntW-1:0] r_data;   // management delete: key and INIT_OUTBOUND name the S5 counter
  always_comb begin
    if (Front != 0) begin
      d_valid = f_valid_i || f_mg_i;
      {r_op, r_slot, r_key, r_outb, r_tcp, r_len, r_learn, r_probe, r_rule} =
        f_mg_i ? {1'b1, mg_del_i, mg_slot_i, mg_data_i[KeyW-1:0],
                  mg_data_i[nsgnic_abi_pkg::FLOW_INIT_OUTBOUND_LSB], 3'd0, 16'd0, 1'b0, 1'b0, 16'd0}
               : {2'd0, {SlotW{1'b0}}, f_key_i, f_outbound_i, f_tcp_i, f_len_i, f_learn_i,
                  f_probe_i, f_rule_i};
    end else begin
      d_valid = !rq_empty;
      {r_op, r_slot, r_key, r_outb, r_tcp, r_len, r_learn, r_probe, r_rule} = rq_head;
    end
    r_data = {{(EntW - KeyW){1'b0}}, r_key};
    r_data[nsgnic_abi_pkg::FLOW_INIT_OUTBOUND_LSB] = r_outb;
  end

  // ---- the DRAM table -------------------------------------------------------------------------
  logic             c_valid, c_ready, c_hit, c_learned, c_full, c_limit, c_collide;
  logic [1:0]       c_action;
  logic [15:0]      c_rule;
  logic [SlotW-1:0] unused_c_slot;
  logic [EntW-1:0]  c_entry;
  logic [Ways-1:0]  c_vmask;
  // the limit register saturated to the counters' width (a value above the slots: no limit)
  logic [LimW-1:0]  lim;
  assign lim = (limit_i >> LimW) != 32'd0 ? {LimW{1'b1}} : LimW'(limit_i);
  // aging scans in flight: enough to cover the DRAM latency, half the in-order buffer at most
  localparam int unsigned ScanMax = Depth / 2 < 256 ? Depth / 2 : 256;
  flow_dram #(.Buckets(Buckets), .Ways(Ways), .SigW(SigW), .Depth(Depth), .Dbt(Dbt),
              .Vports(Vports), .AddrW(AddrW), .ScanMax(ScanMax), .Front(Front)) u_dram (
    .clk_i, .rst_ni, .hkey_i, .limit_i(lim),
    .a_valid_i(d_valid), .a_ready_o(a_ready), .a_op_i(r_op), .a_slot_i(r_slot), .a_key_i(r_key),
    .a_outbound_i(r_outb), .a_tcp_i(r_tcp), .a_len_i(r_len), .a_learn_i(r_learn),
    .a_probe_i(r_probe), .a_rule_id_i(r_rule), .a_gen_i(gen_i), .a_now_i(now_i),
    .a_data_i(r_data),
    .c_valid_o(c_valid), .c_ready_i(c_ready), .c_hit_o(c_hit), .c_learned_o(c_learned),
    .c_full_o(c_full), .c_limit_o(c_limit), .c_collide_o(c_collide), .c_action_o(c_action),
    .c_rule_id_o(c_rule), .c_slot_o(unused_c_slot), .c_entry_o(c_entry), .c_vmask_o(c_vmask), .used_o, .init_o,
    .err_o, .err_ev_o,
    .m_axi_arvalid, .m_axi_arready, .m_axi_araddr, .m_axi_arlen, .m_axi_arsize, .m_axi_arburst,
    .m_axi_arid, .m_axi_rvalid, .m_axi_rready, .m_axi_rdata, .m_axi_rresp, .m_axi_rlast,
    .m_axi_rid, .m_axi_awvalid, .m_axi_awready, .m_axi_awaddr, .m_axi_awlen, .m_axi_awsize,
    .m_axi_awburst, .m_axi_awid, .m_axi_wvalid, .m_axi_wready, .m_axi_wdata, .m_axi_wstrb,
    .m_axi_wlast, .m_axi_bvalid, .m_axi_bready, .m_axi_bresp, .m_axi_bid,
    .age_en_i, .age_to_i, .age_est_we_i, .age_est_vport_i, .age_est_to_i, .age_now_i(now_i),
    .age_room_i, .x_valid_o, .x_slot_o, .x_entry_o, .age_wrap_o,
    .f_chit_i, .f_croom_i, .f_clearn_o, .f_dec_i, .f_dec_entry_i);

  // ---- head: final verdict ----------------------------------------------------------------------
  logic [1:0]       h_action;
  logic [4:0]       h_reason;
  logic [15:0]      h_rule;
  logic             h_mg, h_clr, h_need, h_looked, h_hit, h_learned, h_fail, h_related, h_probe;
  logic [DestW-1:0] h_dest;
  logic [TagW-1:0]  h_tag;
  logic             ovf_q, refused;
  assign {h_mg, h_clr, h_action, h_reason, h_rule, h_need, h_looked, h_hit, h_learned, h_fail, h_related,
          h_probe, h_dest, h_tag} = pq_head;

  assign out_valid_o = !pq_empty && !h_clr && !h_mg && (!h_need || c_valid);
  assign mg_done_o   = !pq_empty && h_mg && c_valid;
  assign mg_entry_o  = c_entry;
  assign mg_vmask_o  = c_vmask;
  assign pq_pop      = out_valid_o || (!pq_empty && h_clr) || mg_done_o;
  assign c_ready     = (out_valid_o && h_need) || mg_done_o;
  // Front: a packet the cache hit or learned has flow_dram's answer (CHIT / CLEARN) but keeps the
  // lookup's verdict
  logic h_dram;
  assign h_dram = h_need && !(Front != 0 && (h_hit || h_learned));
  assign refused     = c_full || c_limit || c_collide;

  always_comb begin
    out_action_o  = h_action;
    out_reason_o  = h_reason;
    out_rule_id_o = h_rule;
    out_looked_o  = h_looked;
    out_hit_o     = h_hit;
    out_learned_o = h_learned;
    out_fail_o    = h_fail;
    out_related_o = h_related;
    out_dest_o    = h_dest;
    out_tag_o     = h_tag;
    if (h_dram) begin
      out_hit_o     = c_hit;
      out_learned_o = c_learned;
      if (c_hit && h_probe) begin
        if (c_action == 2'(nsgnic_abi_pkg::ACTION_ALLOW)) begin
          out_action_o  = c_action;
          out_reason_o  = 5'(nsgnic_abi_pkg::REASON_NONE);
          out_rule_id_o = c_rule;
          out_related_o = 1'b1;
        end
      end else if (c_hit) begin
        out_rule_id_o = c_rule;
        unique case (c_action)
          2'(nsgnic_abi_pkg::ACTION_ALLOW): begin
            out_action_o = c_action;
            out_reason_o = 5'(nsgnic_abi_pkg::REASON_NONE);
          end
          2'(nsgnic_abi_pkg::ACTION_DENY): begin
            out_action_o = c_action;
            out_reason_o = 5'(nsgnic_abi_pkg::REASON_FLOW_DENY);
          end
          default: begin
            out_action_o = 2'(nsgnic_abi_pkg::ACTION_PUNT);
            out_reason_o = 5'(nsgnic_abi_pkg::REASON_FLOW_PUNT);
          end
        endcase
      end else if (refused) begin
        out_action_o = 2'(nsgnic_abi_pkg::ACTION_PUNT);
        out_reason_o = 5'(nsgnic_abi_pkg::REASON_FLOW_FULL);
        out_fail_o   = 1'b1;
      end else if (!c_learned && ovf_q && h_action == 2'(nsgnic_abi_pkg::ACTION_DENY) &&
                   h_reason != 5'(nsgnic_abi_pkg::REASON_PLATFORM_BLOCK)) begin
        out_action_o = 2'(nsgnic_abi_pkg::ACTION_PUNT);
        out_reason_o = 5'(nsgnic_abi_pkg::REASON_FLOW_OVF_DENY);
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ovf_q      <= 1'b0;
      overflow_o <= 1'b0;
    end else begin
      if (!pq_empty && h_clr) ovf_q <= 1'b0;
      else if (c_ready && !c_hit && refused) ovf_q <= 1'b1;
      if ((pq_full && (in_valid_i || clr_ovf_i || mg_valid_i) && !pq_pop) ||
          (Front == 0 && rq_full && (need || mg_valid_i)))
        overflow_o <= 1'b1;
    end
  end
endmodule

`default_nettype wire
