// SPDX-License-Identifier: Apache-2.0
// nsgnic datapath top: packets in (s_axis), verdicts, allowed packets out (m_axis), exceptions
// to the exception queue, drops counted; all tables behind the CSR bus (s_csr). See
// docs/datapath.md for the pipeline diagram, the 100 Gb/s sizing and the flow-cache mechanism.
//
//  s_axis -> header capture (first HdrBytes) + length -> parser (4 clocks) -> lookup (14, 25 with
//            the block-RAM label trees, 29 with label contexts; one key per clock, never
//            stalls) -> verdict FIFO --+
//         -> packet data FIFO ------------------------------+-> output engine: ALLOW -> m_axis,
//                                                                DENY -> discard, PUNT -> exc_queue
//         exc_queue park slots -- CSR_EXQ_RELEASE (forward) ---------------------------^ (m_axis)
// Store-and-forward: a packet's key enters the lookup when its last beat is accepted (so the
// frame length is known and truncation is checked). Back-pressure: s_axis_tready falls when the
// data FIFO is full or the verdict FIFO could not take every packet in flight; the lookup itself
// never stalls, so verdicts keep their order and latency. FlowDram = 1: the flow tier
// (flow_tier.sv) between the lookup and the verdict FIFO looks the cache's misses up in / learns
// them into the DRAM flow table (flow_dram.sv, AXI4 master m_axi_flow_*); verdicts keep their
// order, their latency varies with the DRAM's, and the credit counts packets up to the tier's
// output (docs/datapath.md, DRAM flow tier). Frames longer than MaxBeats beats are
// cut (their tail is not stored) and dropped as OVERSIZE: a giant frame never blocks the FIFO.
// Ports: AXI4-Stream-like, tuser = PORT (s_axis: where the packet came from; m_axis: where it
// goes: from a VF -> the wire of its VNet context, from the wire -> the destination's VF).
// Punted frames are parked whole in the exception queue's slots until the firmware releases them
// (CSR_EXQ_RELEASE): dropped, or forwarded on m_axis (tuser = the release's PORT, tid = 32 + slot;
// pipeline frames have tid 0). m_axis takes one whole frame at a time; between frames a pending
// released frame and the pipeline take turns, so with no release pending the pipeline keeps its
// one packet per clock.
`default_nettype none

module datapath #(
  parameter int unsigned DataW           = 512,  // stream width in bits, power of two >= 64
  parameter int unsigned HdrBytes        = 128,  // parser header window, multiple of DataW/8
  parameter int unsigned MaxBeats        = 144,  // longest frame in beats (9216 B at 512 bits)
  parameter int unsigned DataDepth       = 256,  // packet data FIFO beats, power of two > MaxBeats
  parameter int unsigned VqDepth         = 32,   // verdict FIFO entries, power of two >= 16
  parameter int unsigned ExqDepth        = 8,    // exception-queue packets = park slots of whole
                                                 // frames (MaxBeats beats each), power of two 2..32
  parameter int unsigned RuleEntries     = 4096, // rule TCAM entries (power of two)
  parameter int unsigned LabelEntries    = 2048, // label TCAM entries (power of two)
  parameter int unsigned PlatformEntries = 16,   // platform TCAM entries (power of two)
  parameter int unsigned Vports          = 256,  // binding table entries, 1..256
  parameter int unsigned FlowBuckets     = 1024, // flow-cache buckets per table (power of two)
  parameter int unsigned FlowWays        = 8,    // flow-cache ways per bucket (power of two)
  parameter int unsigned FlowStash       = 32,   // flow-cache stash slots (4 x 1024 x 8 + 32 entries)
  parameter int unsigned ChunkW          = 5,    // TCAM truth-table address bits
  // label stage (lookup.sv): 0 the label TCAM (LabelEntries), 1 the block-RAM trees (lpm.sv)
  // of this geometry (the ABI's LPM_* constants are the realistic one)
  parameter int unsigned LabelLpm        = 0,
  parameter int unsigned LpmFanout       = 8,
  parameter int unsigned LpmLevels       = 6,
  parameter int unsigned LpmCtxBits      = 11,
  parameter int unsigned Lpm4Leaves      = 20480,
  parameter int unsigned Lpm6Leaves      = 5120,
  parameter int unsigned Lpm4Results     = 65536,
  parameter int unsigned Lpm6Results     = 16384,
  // 1 (with LabelLpm = 1): per-vport label contexts (lookup.sv; 4 clocks more latency: one
  // packet per clock then wants VqDepth >= 64, docs/datapath.md Pipeline)
  parameter int unsigned LabelCtx        = 0,
  // DRAM flow tier behind the flow cache (flow_tier.sv / flow_dram.sv); 0: the cache alone
  parameter int unsigned FlowDram        = 0,    // 1: DRAM flow tier on
  parameter int unsigned DramBuckets     = 16,   // flow_dram buckets per table (power of two)
  parameter int unsigned DramWays        = 32,   // flow_dram slots per bucket (power of two)
  parameter int unsigned DramSigW        = 31,   // flow_dram signature bits
  parameter int unsigned DramDepth       = 512,  // DRAM requests in flight, >= 2 x VqDepth
  parameter int unsigned DramDbt         = 1024, // flow_dram recent-write table, >= DramDepth + 2
  parameter int unsigned DramAddrW       = 34,   // AXI address bits
  // 1 (with FlowDram): the on-chip cache in front of the DRAM tier: a packet sees both at the
  // lookup's P10 / P11 and new flows learn in the cache while it has room, else in DRAM
  // (docs/datapath.md, "The cache in front of the tier"); 0: the cache holds only the firmware's
  // entries and every hardware flow is learned in DRAM
  parameter int unsigned FlowFront       = 0,
  localparam int unsigned KeepW          = DataW / 8
) (
  input  logic              clk_i,
  input  logic              rst_ni,
  input  logic [15:0]       tick_i,          // coarse time (NOW, flow timestamps) advance this clock
  input  logic              learn_inhibit_i, // 1: learn no flows whatever CTRL.LEARN says (SoC: host CTRL.LEARN_OFF)
  // packets in
  input  logic [DataW-1:0]  s_axis_tdata,
  input  logic [KeepW-1:0]  s_axis_tkeep,    // contiguous from byte 0
  input  logic              s_axis_tlast,
  input  logic [8:0]        s_axis_tuser,    // PORT: where the packet came from
  input  logic              s_axis_tvalid,
  output logic              s_axis_tready,
  // allowed packets out
  output logic [DataW-1:0]  m_axis_tdata,
  output logic [KeepW-1:0]  m_axis_tkeep,
  output logic              m_axis_tlast,
  output logic [8:0]        m_axis_tuser,    // PORT: where the packet goes
  output logic [5:0]        m_axis_tid,      // 0: from the pipeline; 32 + slot: a released parked frame
  output logic              m_axis_tvalid,
  input  logic              m_axis_tready,
  // CSR bus (firmware)
  input  logic              s_csr_req_i,
  input  logic              s_csr_we_i,
  input  logic [11:0]       s_csr_addr_i,
  input  logic [31:0]       s_csr_wdata_i,
  output logic [31:0]       s_csr_rdata_o,
  output logic              s_csr_rvalid_o,
  // verdict monitor: one pulse per packet, in arrival order (tests, tracing)
  output logic              mon_valid_o,
  output logic [1:0]        mon_action_o,
  output logic [4:0]        mon_reason_o,
  output logic [15:0]       mon_rule_id_o,
  output logic              mon_flow_hit_o,
  output logic              mon_learned_o,
  // park monitor: one pulse per punted packet when the output engine is done with it, in order
  output logic              mon_park_valid_o,
  output logic              mon_park_ok_o,     // 1: parked; 0: no free slot (REASON_EXQ_FULL)
  output logic [4:0]        mon_park_slot_o,   // the slot when parked
  // DRAM flow tier (FlowDram): status and the AXI4 master to the board's DDR4 / HBM (idle and
  // ignored when FlowDram = 0). Single 64-byte beats, IDs 0 (see flow_dram.sv).
  output logic              flow_dram_err_o,   // sticky: AXI error response or tier overrun
  output logic [31:0]       flow_dram_used_o,  // DRAM slots in use
  output logic              m_axi_flow_arvalid,
  input  logic              m_axi_flow_arready,
  output logic [DramAddrW-1:0] m_axi_flow_araddr,
  output logic [7:0]        m_axi_flow_arlen,
  output logic [2:0]        m_axi_flow_arsize,
  output logic [1:0]        m_axi_flow_arburst,
  output logic              m_axi_flow_arid,
  input  logic              m_axi_flow_rvalid,
  output logic              m_axi_flow_rready,
  input  logic [511:0]      m_axi_flow_rdata,
  input  logic [1:0]        m_axi_flow_rresp,
  input  logic              m_axi_flow_rlast,
  input  logic              m_axi_flow_rid,
  output logic              m_axi_flow_awvalid,
  input  logic              m_axi_flow_awready,
  output logic [DramAddrW-1:0] m_axi_flow_awaddr,
  output logic [7:0]        m_axi_flow_awlen,
  output logic [2:0]        m_axi_flow_awsize,
  output logic [1:0]        m_axi_flow_awburst,
  output logic              m_axi_flow_awid,
  output logic              m_axi_flow_wvalid,
  input  logic              m_axi_flow_wready,
  output logic [511:0]      m_axi_flow_wdata,
  output logic [63:0]       m_axi_flow_wstrb,
  output logic              m_axi_flow_wlast,
  input  logic              m_axi_flow_bvalid,
  output logic              m_axi_flow_bready,
  input  logic [1:0]        m_axi_flow_bresp,
  input  logic              m_axi_flow_bid
);
  localparam int unsigned HdrBeats = HdrBytes * 8 / DataW;
  localparam int unsigned BeatCntW = $clog2(MaxBeats + 1) + 1;
  localparam int unsigned FlowW    = nsgnic_abi_pkg::FLOW_BITS;
  localparam int unsigned TagW     = 9 + 16;   // {source PORT, frame length}
  localparam int unsigned VqW      = 2 + 5 + 9 + TagW;
  localparam int unsigned NCnt     = nsgnic_abi_pkg::CNT_COUNT;
  localparam int unsigned FlowIdxW = 3 + $clog2(FlowBuckets) + ((FlowWays > 1) ? $clog2(FlowWays) : 1);

  if (DataW < 64 || (DataW & (DataW - 1)) != 0) begin : g_bad_dataw
    $error("datapath: DataW must be a power of two >= 64");
  end
  if (HdrBytes * 8 % DataW != 0 || HdrBeats < 1) begin : g_bad_hdr
    $error("datapath: HdrBytes must be a multiple of the beat size");
  end
  if (DataDepth < MaxBeats + 1 || VqDepth < 16) begin : g_bad_depth
    $error("datapath: DataDepth must exceed MaxBeats and VqDepth must be >= 16");
  end
  if (FlowDram != 0 && DramDepth < 2 * VqDepth) begin : g_bad_dram_depth
    $error("datapath: DramDepth must be >= 2 x VqDepth (every packet in flight and flag clears)");
  end
  if (MaxBeats * KeepW > 65535) begin : g_bad_max
    $error("datapath: MaxBeats * bytes per beat must fit 16 bits");
  end

  // ---- control / CSR -----------------------------------------------------------------------
  logic        bank, learn_en;
  logic [7:0]  gen;
  logic [nsgnic_abi_pkg::FLOW_HKEY_WORDS*32-1:0] hkey;
  logic [15:0] now_q;
  logic [2*nsgnic_abi_pkg::PORT_CLASSES*32-1:0] prange;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) now_q <= '0;
    else now_q <= now_q + tick_i;
  end

  logic         m_req, m_we, m_valid, m_busy, m_done, m_rvalid;
  logic [2:0]   m_table;
  logic [15:0]  m_idx;
  logic [511:0] m_value, m_rvalue;
  logic [255:0] m_mask, m_rmask;
  logic [127:0] m_res, m_rres;
  logic [4:0]   m_lpm_sel;
  logic [nsgnic_abi_pkg::CSR_LPM_DATA_WORDS*32-1:0] m_lpm_data;
  logic         flow_pending, flow_taken, flow_done;
  logic [1:0]   flow_op;
  logic [FlowIdxW-1:0] flow_index;
  logic [FlowW-1:0]    flow_data, flow_rdata;
  logic [$clog2(ExqDepth):0] exq_count;
  logic [31:0]  exq_meta, exq_word, cnt_data;
  logic [$clog2(HdrBytes/4)-1:0] exq_word_idx;
  logic         exq_pop, cnt_clr, exq_rel, exq_rel_bad, exq_discard, exq_fwd_done;
  logic [7:0]   exq_slot;
  logic [31:0]  exq_parked, exq_rel_data;
  logic [$clog2(NCnt)-1:0] cnt_idx;

  localparam int unsigned AgeD = nsgnic_abi_pkg::AGE_FIFO_DEPTH;
  logic                  age_en, age_pop, age_x_valid, age_wrap, age_room, age_empty, age_full;
  logic [7:0]            age_pace, age_est_vport;
  logic [16*nsgnic_abi_pkg::AGE_CLASSES-1:0] age_to;
  logic                  age_est_we;
  logic [15:0]           age_est_to;
  logic [FlowIdxW-1:0]   age_x_index;
  logic [nsgnic_abi_pkg::FLOW_BITS-1:0] age_x_entry;
  logic [32+nsgnic_abi_pkg::FLOW_BITS-1:0] age_head;   // {DP_AGE_INDEX, entry}
  // the DRAM tier's aging reports (FlowDram): through a two-entry skid into the report FIFO
  logic                  dage_en, dage_wrap, dage_push;
  logic [32+nsgnic_abi_pkg::FLOW_BITS-1:0] dage_head;
  logic [$clog2(AgeD):0] age_count;
  logic [31:0]           age_passes_q;
  logic [31:0]           flow_limit;      // CSR_FLOW_LIMIT (S5), used by the DRAM tier
  logic                  csr_dram_op;     // the CSR flow op is a DRAM tier op (TABLE_FLOW with DP_CMD.DRAM)
  logic [31:0]           dram_slot;       // CSR_DRAM_SLOT
  logic                  tier_mg_done;    // the tier answered it
  logic [nsgnic_abi_pkg::FLOW_BITS-1:0] tier_mg_entry;
  logic [31:0]           tier_mg_vmask;

  csr_slave #(
    .RuleEntries(RuleEntries), .LabelEntries(LabelEntries), .PlatformEntries(PlatformEntries),
    .Vports(Vports), .FlowBuckets(FlowBuckets), .FlowWays(FlowWays), .FlowStash(FlowStash), .ExqDepth(ExqDepth),
    .HdrBytes(HdrBytes), .LabelLpm(LabelLpm), .LpmFanout(LpmFanout), .LpmLevels(LpmLevels),
    .LpmCtxBits(LpmCtxBits), .Lpm4Leaves(Lpm4Leaves), .Lpm6Leaves(Lpm6Leaves),
    .Lpm4Results(Lpm4Results), .Lpm6Results(Lpm6Results), .LabelCtx(LabelCtx),
    .DramFlows(FlowDram != 0 ? nsgnic_abi_pkg::FLOW_TABLES * DramBuckets * DramWays : 0),
    .DramWays(FlowDram != 0 ? DramWays : 0)
  ) u_csr (
    .clk_i, .rst_ni,
    .s_csr_req_i, .s_csr_we_i, .s_csr_addr_i, .s_csr_wdata_i, .s_csr_rdata_o, .s_csr_rvalid_o,
    .bank_o(bank), .learn_en_o(learn_en), .gen_o(gen), .prange_o(prange), .hkey_o(hkey), .now_i(now_q),
    .flow_limit_o(flow_limit), .flow_dram_o(csr_dram_op), .dram_slot_o(dram_slot),
    .flow_vmask_i(tier_mg_vmask),
    .m_req_o(m_req), .m_table_o(m_table), .m_we_o(m_we), .m_idx_o(m_idx), .m_value_o(m_value),
    .m_mask_o(m_mask), .m_res_o(m_res), .m_valid_o(m_valid), .m_done_i(m_done),
    .m_rvalue_i(m_rvalue), .m_rmask_i(m_rmask), .m_rres_i(m_rres), .m_rvalid_i(m_rvalid),
    .m_lpm_sel_o(m_lpm_sel), .m_lpm_data_o(m_lpm_data),
    .flow_pending_o(flow_pending), .flow_op_o(flow_op), .flow_index_o(flow_index),
    .flow_data_o(flow_data), .flow_taken_i(flow_taken),
    // a DRAM tier op completes with the tier's answer, not with its pipeline slot's
    .flow_done_i(csr_dram_op ? tier_mg_done : flow_done),
    .flow_rdata_i(csr_dram_op ? tier_mg_entry : flow_rdata),
    .exq_count_i(exq_count), .exq_meta_i(exq_meta), .exq_word_o(exq_word_idx),
    .exq_word_i(exq_word), .exq_pop_o(exq_pop), .exq_slot_i(exq_slot),
    .exq_parked_i(exq_parked), .exq_rel_o(exq_rel), .exq_rel_data_o(exq_rel_data),
    .cnt_idx_o(cnt_idx), .cnt_data_i(cnt_data), .cnt_clr_o(cnt_clr),
    .age_en_o(age_en), .age_pace_o(age_pace), .age_to_o(age_to), .age_est_we_o(age_est_we),
    .age_est_vport_o(age_est_vport), .age_est_to_o(age_est_to), .age_count_i(8'(age_count)),
    .age_index_i(age_head[nsgnic_abi_pkg::FLOW_BITS +: 32]), .dram_used_i(flow_dram_used_o),
    .age_entry_i(age_head[nsgnic_abi_pkg::FLOW_BITS-1:0]), .age_passes_i(age_passes_q),
    .age_pop_o(age_pop));

  // ---- aging reports: expired flows the flow cache deleted, for the firmware (CSR_AGE_*) --------
  // With the DRAM tier its engine's reports (g_tier's skid) enter in clocks without a cache report.
  sync_fifo #(.Width(32 + nsgnic_abi_pkg::FLOW_BITS), .Depth(AgeD)) u_agefifo (
    .clk_i, .rst_ni, .push_i(age_x_valid || dage_push),
    .wdata_i(age_x_valid ? {32'(age_x_index), age_x_entry} : dage_head),
    .pop_i(age_pop && !age_empty), .rdata_o(age_head), .empty_o(age_empty), .full_o(age_full),
    .count_o(age_count));
  // a cache scan is issued only when every report in flight (two pipeline stages and the one being
  // pushed) still fits; a DRAM report moves in only when that stays true after it
  assign age_room = 32'(age_count) + 3 <= AgeD;
  logic cwrap_q, dwrap_q;   // the cache's / the DRAM tier's scan wrapped since the last count
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      age_passes_q <= '0;
      cwrap_q      <= 1'b0;
      dwrap_q      <= 1'b0;
    end else if (FlowDram == 0) begin
      if (age_wrap) age_passes_q <= age_passes_q + 32'd1;
    end else if ((cwrap_q || age_wrap) && (dwrap_q || dage_wrap)) begin
      age_passes_q <= age_passes_q + 32'd1;   // both scans wrapped: a pass of each
      cwrap_q      <= 1'b0;
      dwrap_q      <= 1'b0;
    end else begin
      cwrap_q <= cwrap_q || age_wrap;
      dwrap_q <= dwrap_q || dage_wrap;
    end
  end
  // the DRAM scan's pace: at most one scan every PACE + 1 clocks (DP_AGE_CTRL.PACE, as the cache's)
  logic [7:0] dpace_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) dpace_q <= '0;
    else dpace_q <= (dpace_q == 8'd0) ? age_pace : dpace_q - 8'd1;
  end
  assign dage_en = age_en && dpace_q == 8'd0;
  logic unused_age;
  assign unused_age = age_full;

  // ---- input: header capture, length, parser ------------------------------------------------
  logic                  in_pkt_q;        // inside a packet (a beat was taken, no tlast yet)
  logic [BeatCntW-1:0]   beats_q;         // beats taken of the current packet
  logic [15:0]           len_q;
  logic [8:0]            port_q;
  logic [HdrBytes*8-1:0] hdr_q, hdr_now;
  logic [15:0]           len_now;
  logic [8:0]            port_now;
  logic [$clog2(KeepW):0] keep_bytes;
  logic                  beat, last_beat, store_beat, oversize, cut_q;
  logic                  df_full, vq_empty, df_empty;
  logic [$clog2(VqDepth):0]   vq_count;
  logic [$clog2(DataDepth):0] df_count;
  logic [$clog2(VqDepth):0]   inflight_q;
  logic                  credit_ok;
  logic                  tier_init;   // Front: the tier's reset sweep runs (frames, flow ops wait)
  logic                  tier_err_ev; // the tier got a DRAM error response (CNT_DRAM_ERR)

  always_comb begin
    keep_bytes = '0;
    for (int unsigned i = 0; i < KeepW; i++) keep_bytes = keep_bytes + ($clog2(KeepW)+1)'(s_axis_tkeep[i]);
  end
  // room for every packet in flight plus this one; data FIFO room for this beat
  assign credit_ok     = 32'(inflight_q) + 32'(vq_count) < VqDepth;
  assign df_full       = 32'(df_count) >= DataDepth;
  assign s_axis_tready = !df_full && credit_ok && !flow_pending && !tier_init;
  assign beat          = s_axis_tvalid && s_axis_tready;
  assign last_beat     = beat && s_axis_tlast;
  assign oversize      = 32'(beats_q) >= MaxBeats;       // this beat is beyond MaxBeats
  assign store_beat    = beat && !oversize;
  assign port_now      = in_pkt_q ? port_q : s_axis_tuser;
  assign len_now       = oversize ? len_q : len_q + 16'(keep_bytes);

  always_comb begin
    hdr_now = hdr_q;
    for (int unsigned b = 0; b < HdrBeats; b++) begin
      if (32'(beats_q) == b) hdr_now[b*DataW +: DataW] = s_axis_tdata;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      in_pkt_q <= 1'b0;
      beats_q  <= '0;
      len_q    <= '0;
      port_q   <= '0;
      hdr_q    <= '0;
      cut_q    <= 1'b0;
    end else if (beat) begin
      in_pkt_q <= !s_axis_tlast;
      beats_q  <= s_axis_tlast ? '0 : (oversize ? beats_q : beats_q + 1'b1);
      len_q    <= s_axis_tlast ? '0 : len_now;
      port_q   <= port_now;
      hdr_q    <= s_axis_tlast ? '0 : hdr_now;
      cut_q    <= s_axis_tlast ? 1'b0 : (cut_q || oversize);
    end
  end

  logic [4:0]   p_reason;
  logic         p_family, p_l4;
  logic [7:0]   p_proto;
  logic [127:0] p_src, p_dst;
  logic [15:0]  p_sport, p_dport;
  logic [2:0]   p_tcp;
  // ICMP error and its embedded packet (S5 RELATED: looked up by the inner tuple's flow)
  logic         p_icmp_err, p_inner_ok;
  logic [7:0]   p_iproto;
  logic [127:0] p_isrc, p_idst;
  logic [15:0]  p_isport, p_idport;

  // The parser's stages (Latency clocks) carry the lookup's input slot along: a packet's last
  // beat or a CSR flow operation (an empty parse slot: the input is held off in its clock).
  localparam int unsigned SideW = 1 + 2 + 9 + 16 + 1;
  logic        lk_valid;
  logic [1:0]  lk_op, p_op;
  logic [8:0]  p_port;
  logic [15:0] p_len;
  logic        p_valid, p_cut;
  parser #(.HdrBytes(HdrBytes), .SideW(SideW)) u_parser (
    .clk_i, .rst_ni, .side_i({lk_valid, lk_op, port_now, len_now, cut_q || oversize}),
    .side_o({p_valid, p_op, p_port, p_len, p_cut}),
    .hdr_i(hdr_now), .len_i(len_now), .reason_o(p_reason), .family_o(p_family),
    .proto_o(p_proto), .l4_o(p_l4), .src_addr_o(p_src), .dst_addr_o(p_dst),
    .src_port_o(p_sport), .dst_port_o(p_dport), .tcp_flags_o(p_tcp),
    .icmp_err_o(p_icmp_err), .inner_ok_o(p_inner_ok), .inner_proto_o(p_iproto),
    .inner_src_addr_o(p_isrc), .inner_dst_addr_o(p_idst), .inner_src_port_o(p_isport),
    .inner_dst_port_o(p_idport));

  // ---- lookup ------------------------------------------------------------------------------
  logic [4:0]    lk_reason;
  logic          o_valid, o_hit, o_learned, o_fail, o_looked, o_related;
  logic [1:0]    o_op, o_action;
  logic [4:0]    o_reason;
  logic [15:0]   o_rule;
  logic [8:0]    o_dest;
  logic [TagW-1:0] o_tag;
  logic [nsgnic_abi_pkg::FLOW_KEY_BITS-1:0] o_fkey;
  logic [2:0]    o_tcp;
  logic          o_rel;
  localparam int unsigned Front = (FlowDram != 0 && FlowFront != 0) ? 1 : 0;
  // the flow request at P10 and the cache's B for the tier in front (Front)
  logic          fr_valid, fr_mg, fr_outbound, fr_learn, fr_probe, fr_chit, fr_croom;
  logic          fr_learn_ok, fr_dec;
  logic [nsgnic_abi_pkg::FLOW_KEY_BITS-1:0] fr_key;
  logic [2:0]    fr_tcp;
  logic [15:0]   fr_len, fr_rule;
  logic [nsgnic_abi_pkg::FLOW_BITS-1:0] fr_dec_entry;

  // (Front: not while the tier's reset sweep runs: flow_dram's A takes no request then)
  assign flow_taken = flow_pending && !tier_init;   // the input is held off in that clock
  assign lk_valid   = last_beat || flow_taken;
  assign lk_op      = flow_taken ? flow_op : 2'd0;
  assign lk_reason  = p_cut ? 5'(nsgnic_abi_pkg::REASON_OVERSIZE) : p_reason;

  lookup #(
    .RuleEntries(RuleEntries), .LabelEntries(LabelEntries), .PlatformEntries(PlatformEntries),
    .Vports(Vports), .FlowBuckets(FlowBuckets), .FlowWays(FlowWays), .FlowStash(FlowStash), .ChunkW(ChunkW),
    .TagW(TagW), .LabelLpm(LabelLpm), .LpmFanout(LpmFanout), .LpmLevels(LpmLevels),
    .LpmCtxBits(LpmCtxBits), .Lpm4Leaves(Lpm4Leaves), .Lpm6Leaves(Lpm6Leaves),
    .Lpm4Results(Lpm4Results), .Lpm6Results(Lpm6Results), .LabelCtx(LabelCtx),
    .TierFront(Front)
  ) u_lookup (
    .clk_i, .rst_ni, .bank_i(bank),
    .learn_en_i((FlowDram == 0 || Front != 0) && learn_en && !learn_inhibit_i), .gen_i(gen), .now_i(now_q), .hkey_i(hkey),
    .age_en_i(age_en), .age_pace_i(age_pace), .age_to_i(age_to), .age_est_we_i(age_est_we),
    .age_est_vport_i(age_est_vport), .age_est_to_i(age_est_to), .age_room_i(age_room),
    .age_x_valid_o(age_x_valid),
    .age_x_index_o(age_x_index), .age_x_entry_o(age_x_entry), .age_wrap_o(age_wrap),
    .prange_i(prange),
    .in_valid_i(p_valid), .in_op_i(p_op), .in_port_i(p_port), .in_reason_i(lk_reason),
    .in_family_i(p_family), .in_proto_i(p_proto), .in_l4_i(p_l4), .in_src_i(p_src),
    .in_dst_i(p_dst), .in_sport_i(p_sport), .in_dport_i(p_dport), .in_tcp_i(p_tcp),
    .in_rel_i(p_icmp_err && p_inner_ok), .in_iproto_i(p_iproto),
    .in_isrc_i(p_isrc), .in_idst_i(p_idst), .in_isport_i(p_isport), .in_idport_i(p_idport),
    .in_len_i(p_len), .in_tag_i({p_port, p_len}),
    .flow_index_i(flow_index), .flow_data_i(flow_data),
    .out_valid_o(o_valid), .out_op_o(o_op), .out_action_o(o_action), .out_reason_o(o_reason),
    .out_rule_id_o(o_rule), .out_looked_o(o_looked), .out_flow_hit_o(o_hit),
    .out_learned_o(o_learned), .out_learn_fail_o(o_fail), .out_related_o(o_related),
    .out_dest_o(o_dest),
    .out_tag_o(o_tag), .out_rdata_o(flow_rdata),
    .out_fkey_o(o_fkey), .out_tcp_o(o_tcp), .out_rel_o(o_rel),
    .fr_valid_o(fr_valid), .fr_mg_o(fr_mg), .fr_key_o(fr_key), .fr_outbound_o(fr_outbound),
    .fr_tcp_o(fr_tcp), .fr_len_o(fr_len), .fr_learn_o(fr_learn), .fr_probe_o(fr_probe),
    .fr_rule_o(fr_rule), .fr_chit_o(fr_chit), .fr_croom_o(fr_croom),
    .fr_learn_ok_i(fr_learn_ok), .fr_dec_o(fr_dec), .fr_dec_entry_o(fr_dec_entry),
    .m_req_i(m_req), .m_table_i(m_table), .m_we_i(m_we), .m_idx_i(m_idx), .m_value_i(m_value),
    .m_mask_i(m_mask), .m_res_i(m_res), .m_valid_i(m_valid), .m_lpm_sel_i(m_lpm_sel),
    .m_lpm_data_i(m_lpm_data), .m_busy_o(m_busy),
    .m_done_o(m_done), .m_rvalue_o(m_rvalue), .m_rmask_o(m_rmask), .m_rres_o(m_rres),
    .m_rvalid_o(m_rvalid));

  logic l_pkt;
  assign l_pkt     = o_valid && o_op == 2'd0;
  assign flow_done = o_valid && o_op != 2'd0;

  // ---- DRAM flow tier (FlowDram): the cache's misses looked up / learned in DRAM ---------------
  // t_*: the final result of each packet, in arrival order; with the tier its latency varies
  // (a DRAM lookup takes the memory's latency), so the credit below counts packets up to here.
  logic          t_pkt, t_hit, t_learned, t_fail, t_looked, t_related;
  logic [1:0]    t_action;
  logic [4:0]    t_reason;
  logic [15:0]   t_rule;
  logic [8:0]    t_dest;
  logic [TagW-1:0] t_tag;
  if (FlowDram != 0) begin : g_tier
    logic       tier_ovf, tier_err, tier_init_raw;
    logic [2 + $clog2(DramBuckets) + $clog2(DramWays):0] tier_used;
    logic [2 + $clog2(DramBuckets) + $clog2(DramWays) - 1:0] dage_x_slot;
    logic [nsgnic_abi_pkg::FLOW_BITS-1:0] dage_x_entry;
    logic       dage_x_valid, dage_room;
    // the DRAM engine's reports: a two-entry skid (its deletes wait for an empty skid: at most two
    // in flight), moved into the report FIFO in clocks without a cache report while the cache
    // engine's reservation (3) still fits after it
    logic       dsk_empty, unused_dsk_full;
    logic [1:0] dsk_count;
    sync_fifo #(.Width(32 + nsgnic_abi_pkg::FLOW_BITS), .Depth(2)) u_dage_skid (
      .clk_i, .rst_ni, .push_i(dage_x_valid),
      .wdata_i({1'b1, 31'(dage_x_slot), dage_x_entry}), .pop_i(dage_push), .rdata_o(dage_head),
      .empty_o(dsk_empty), .full_o(unused_dsk_full), .count_o(dsk_count));
    assign dage_room = dsk_count == 2'd0;
    assign dage_push = !dsk_empty && !age_x_valid && 32'(age_count) + 4 <= AgeD;
    flow_tier #(.Buckets(DramBuckets), .Ways(DramWays), .SigW(DramSigW), .Depth(DramDepth),
                .Dbt(DramDbt), .Vports(Vports), .AddrW(DramAddrW), .DestW(9), .TagW(TagW),
                .Front(Front)) u_tier (
      .clk_i, .rst_ni, .hkey_i(hkey), .gen_i(gen), .now_i(now_q), .limit_i(flow_limit),
      .age_en_i(dage_en), .age_to_i(age_to), .age_est_we_i(age_est_we), .age_est_vport_i(age_est_vport),
      .age_est_to_i(age_est_to), .age_room_i(dage_room), .x_valid_o(dage_x_valid),
      .x_slot_o(dage_x_slot), .x_entry_o(dage_x_entry), .age_wrap_o(dage_wrap),
      .clr_ovf_i(flow_done && o_op == 2'd3),
      .mg_valid_i(flow_done && csr_dram_op), .mg_del_i(m_we),
      .mg_slot_i(dram_slot[2 + $clog2(DramBuckets) + $clog2(DramWays) - 1:0]),
      .mg_data_i(flow_data), .mg_done_o(tier_mg_done), .mg_entry_o(tier_mg_entry),
      .mg_vmask_o(tier_mg_vmask[DramWays-1:0]),
      .in_valid_i(l_pkt), .in_action_i(o_action), .in_reason_i(o_reason), .in_rule_id_i(o_rule),
      .in_looked_i(o_looked), .in_hit_i(o_hit), .in_learned_i(o_learned), .in_fail_i(o_fail),
      .in_related_i(o_related), .in_dest_i(o_dest), .in_tag_i(o_tag), .in_key_i(o_fkey),
      .in_outbound_i(o_dest[nsgnic_abi_pkg::PORT_KIND_LSB] == 1'(nsgnic_abi_pkg::PORT_KIND_WIRE)),
      .in_tcp_i(o_tcp), .in_len_i(o_tag[15:0]),
      .in_learn_i(learn_en && !learn_inhibit_i && !o_rel &&
                  o_action == 2'(nsgnic_abi_pkg::ACTION_ALLOW)),
      .in_probe_i(o_rel),
      .f_valid_i(fr_valid), .f_mg_i(fr_mg && csr_dram_op), .f_key_i(fr_key),
      .f_outbound_i(fr_outbound), .f_tcp_i(fr_tcp), .f_len_i(fr_len), .f_learn_i(fr_learn),
      .f_probe_i(fr_probe), .f_rule_i(fr_rule), .f_chit_i(fr_chit), .f_croom_i(fr_croom),
      .f_clearn_o(fr_learn_ok), .f_dec_i(fr_dec), .f_dec_entry_i(fr_dec_entry),
      .out_valid_o(t_pkt), .out_action_o(t_action), .out_reason_o(t_reason),
      .out_rule_id_o(t_rule), .out_looked_o(t_looked), .out_hit_o(t_hit),
      .out_learned_o(t_learned), .out_fail_o(t_fail), .out_related_o(t_related),
      .out_dest_o(t_dest), .out_tag_o(t_tag), .overflow_o(tier_ovf), .used_o(tier_used),
      .init_o(tier_init_raw), .err_ev_o(tier_err_ev),
      .err_o(tier_err),
      .m_axi_arvalid(m_axi_flow_arvalid), .m_axi_arready(m_axi_flow_arready),
      .m_axi_araddr(m_axi_flow_araddr), .m_axi_arlen(m_axi_flow_arlen),
      .m_axi_arsize(m_axi_flow_arsize), .m_axi_arburst(m_axi_flow_arburst),
      .m_axi_arid(m_axi_flow_arid), .m_axi_rvalid(m_axi_flow_rvalid),
      .m_axi_rready(m_axi_flow_rready), .m_axi_rdata(m_axi_flow_rdata),
      .m_axi_rresp(m_axi_flow_rresp), .m_axi_rlast(m_axi_flow_rlast),
      .m_axi_rid(m_axi_flow_rid), .m_axi_awvalid(m_axi_flow_awvalid),
      .m_axi_awready(m_axi_flow_awready), .m_axi_awaddr(m_axi_flow_awaddr),
      .m_axi_awlen(m_axi_flow_awlen), .m_axi_awsize(m_axi_flow_awsize),
      .m_axi_awburst(m_axi_flow_awburst), .m_axi_awid(m_axi_flow_awid),
      .m_axi_wvalid(m_axi_flow_wvalid), .m_axi_wready(m_axi_flow_wready),
      .m_axi_wdata(m_axi_flow_wdata), .m_axi_wstrb(m_axi_flow_wstrb),
      .m_axi_wlast(m_axi_flow_wlast), .m_axi_bvalid(m_axi_flow_bvalid),
      .m_axi_bready(m_axi_flow_bready), .m_axi_bresp(m_axi_flow_bresp),
      .m_axi_bid(m_axi_flow_bid));
    if (DramWays < 32) begin : g_vmask_pad
      assign tier_mg_vmask[31:DramWays] = '0;
    end
    logic unused_slot_hi;
    assign unused_slot_hi = ^dram_slot[31:2 + $clog2(DramBuckets) + $clog2(DramWays)];
    assign flow_dram_err_o  = tier_err || tier_ovf;
    assign flow_dram_used_o = 32'(tier_used);
    assign tier_init        = Front != 0 && tier_init_raw;
  end else begin : g_no_tier
    assign t_pkt     = l_pkt;
    assign t_action  = o_action;
    assign t_reason  = o_reason;
    assign t_rule    = o_rule;
    assign t_looked  = o_looked;
    assign t_hit     = o_hit;
    assign t_learned = o_learned;
    assign t_fail    = o_fail;
    assign t_related = o_related;
    assign t_dest    = o_dest;
    assign t_tag     = o_tag;
    assign flow_dram_err_o    = 1'b0;
    assign flow_dram_used_o   = '0;
    assign dage_wrap          = 1'b0;
    assign dage_push          = 1'b0;
    assign dage_head          = '0;
    logic unused_dage;
    assign unused_dage = dage_en;
    assign tier_mg_done       = 1'b0;   // no DRAM op is accepted without a tier (STATUS.ERROR)
    assign tier_mg_entry      = '0;
    assign tier_mg_vmask      = '0;
    assign fr_learn_ok        = 1'b0;
    assign tier_init          = 1'b0;
    assign tier_err_ev        = 1'b0;
    logic unused_front;
    assign unused_front = ^{fr_valid, fr_mg, fr_key, fr_outbound, fr_tcp, fr_len, fr_learn,
                            fr_probe, fr_rule, fr_chit, fr_croom, fr_dec, fr_dec_entry};
    assign m_axi_flow_arvalid = 1'b0;
    assign m_axi_flow_araddr  = '0;
    assign m_axi_flow_arlen   = '0;
    assign m_axi_flow_arsize  = '0;
    assign m_axi_flow_arburst = '0;
    assign m_axi_flow_arid    = 1'b0;
    assign m_axi_flow_rready  = 1'b1;
    assign m_axi_flow_awvalid = 1'b0;
    assign m_axi_flow_awaddr  = '0;
    assign m_axi_flow_awlen   = '0;
    assign m_axi_flow_awsize  = '0;
    assign m_axi_flow_awburst = '0;
    assign m_axi_flow_awid    = 1'b0;
    assign m_axi_flow_wvalid  = 1'b0;
    assign m_axi_flow_wdata   = '0;
    assign m_axi_flow_wstrb   = '0;
    assign m_axi_flow_wlast   = 1'b0;
    assign m_axi_flow_bready  = 1'b1;
    logic unused_tier;
    assign unused_tier = ^{o_fkey, o_tcp, o_rel, flow_limit, dram_slot, m_axi_flow_arready, m_axi_flow_rvalid,
                           m_axi_flow_rdata, m_axi_flow_rresp, m_axi_flow_rlast, m_axi_flow_rid,
                           m_axi_flow_awready, m_axi_flow_wready, m_axi_flow_bvalid,
                           m_axi_flow_bresp, m_axi_flow_bid};
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) inflight_q <= '0;
    else inflight_q <= inflight_q + ($clog2(VqDepth)+1)'(last_beat) - ($clog2(VqDepth)+1)'(t_pkt);
  end

  assign mon_valid_o    = t_pkt;
  assign mon_action_o   = t_action;
  assign mon_reason_o   = t_reason;
  assign mon_rule_id_o  = t_rule;
  assign mon_flow_hit_o = t_hit;
  assign mon_learned_o  = t_learned;

  // ---- FIFOs ---------------------------------------------------------------------------------
  logic [VqW-1:0]       vq_head;
  logic                 vq_pop, unused_vq_full, unused_df_full, unused_busy;
  logic [DataW+KeepW:0] df_head;
  logic                 df_pop;
  assign unused_busy = m_busy;

  sync_fifo #(.Width(VqW), .Depth(VqDepth)) u_vq (
    .clk_i, .rst_ni, .push_i(t_pkt), .wdata_i({t_action, t_reason, t_dest, t_tag}),
    .pop_i(vq_pop), .rdata_o(vq_head), .empty_o(vq_empty), .full_o(unused_vq_full),
    .count_o(vq_count));

  // a cut frame's last stored beat carries tlast
  sync_fifo #(.Width(DataW + KeepW + 1), .Depth(DataDepth)) u_df (
    .clk_i, .rst_ni, .push_i(store_beat),
    .wdata_i({s_axis_tlast || 32'(beats_q) == MaxBeats - 1, s_axis_tkeep, s_axis_tdata}),
    .pop_i(df_pop), .rdata_o(df_head), .empty_o(df_empty), .full_o(unused_df_full),
    .count_o(df_count));

  // ---- output engine -------------------------------------------------------------------------
  logic [1:0]   h_action;
  logic [4:0]   h_reason;
  logic [8:0]   h_dest, h_port;
  logic [15:0]  h_len;
  logic         h_last;
  logic [BeatCntW-1:0] obeat_q;
  logic [HdrBytes*8-1:0] xhdr_q, xhdr_d;
  logic         have, exq_full, exq_push, pipe_want;
  assign {h_action, h_reason, h_dest, h_port, h_len} = vq_head;
  assign h_last    = df_head[DataW + KeepW];
  assign have      = !vq_empty && !df_empty;
  assign pipe_want = have && h_action == 2'(nsgnic_abi_pkg::ACTION_ALLOW);

  // m_axis arbitration between the pipeline's allowed frames and released parked frames: the
  // owner of a started frame keeps m_axis until its last beat; between frames a pending release
  // goes first when the pipeline sent the last frame (rr_q), else the pipeline (no release
  // pending: the pipeline always).
  logic [DataW-1:0] rel_tdata;
  logic [KeepW-1:0] rel_tkeep;
  logic             rel_tlast, rel_tvalid, rel_tready, sel_rel, own_pipe_q, own_rel_q, rr_q;
  logic [8:0]       rel_tuser;
  logic [$clog2(ExqDepth)-1:0] rel_tid, exq_wslot;
  assign sel_rel    = own_rel_q || (!own_pipe_q && rel_tvalid && (!pipe_want || rr_q));
  assign rel_tready = sel_rel && m_axis_tready;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      own_pipe_q <= 1'b0;
      own_rel_q  <= 1'b0;
      rr_q       <= 1'b0;
    end else if (m_axis_tvalid && m_axis_tready) begin
      own_rel_q  <= sel_rel && !m_axis_tlast;
      own_pipe_q <= !sel_rel && !m_axis_tlast;
      if (m_axis_tlast) rr_q <= !sel_rel;
    end
  end

  always_comb begin
    m_axis_tdata  = sel_rel ? rel_tdata : df_head[DataW-1:0];
    m_axis_tkeep  = sel_rel ? rel_tkeep : df_head[DataW +: KeepW];
    m_axis_tlast  = sel_rel ? rel_tlast : h_last;
    m_axis_tuser  = sel_rel ? rel_tuser : h_dest;
    m_axis_tid    = sel_rel ? 6'(32 + 32'(rel_tid)) : 6'd0;
    m_axis_tvalid = sel_rel ? rel_tvalid : pipe_want;
    df_pop        = have && (h_action != 2'(nsgnic_abi_pkg::ACTION_ALLOW) ||
                             (m_axis_tready && !sel_rel));
    vq_pop        = df_pop && h_last;
    xhdr_d        = xhdr_q;
    for (int unsigned b = 0; b < HdrBeats; b++) begin
      if (32'(obeat_q) == b) xhdr_d[b*DataW +: DataW] = df_head[DataW-1:0];
    end
  end
  assign exq_push = vq_pop && h_action == 2'(nsgnic_abi_pkg::ACTION_PUNT) && !exq_full;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      obeat_q <= '0;
      xhdr_q  <= '0;
    end else if (df_pop) begin
      obeat_q <= h_last ? '0 : obeat_q + 1'b1;
      xhdr_q  <= h_last ? '0 : xhdr_d;
    end
  end

  exc_queue #(.Depth(ExqDepth), .HdrBytes(HdrBytes), .DataW(DataW), .MaxBeats(MaxBeats)) u_exq (
    .clk_i, .rst_ni,
    .wr_valid_i(df_pop && h_action == 2'(nsgnic_abi_pkg::ACTION_PUNT)), .wr_beat_i(df_head),
    .meta_i({h_port, 2'b00, h_reason, h_len}), .data_i(xhdr_d), .full_o(exq_full),
    .wr_slot_o(exq_wslot),
    .pop_i(exq_pop), .count_o(exq_count), .meta_o(exq_meta), .slot_o(exq_slot),
    .word_i(exq_word_idx), .word_o(exq_word), .parked_o(exq_parked),
    .rel_i(exq_rel), .rel_data_i(exq_rel_data), .rel_bad_o(exq_rel_bad), .discard_o(exq_discard),
    .m_rel_tdata(rel_tdata), .m_rel_tkeep(rel_tkeep), .m_rel_tlast(rel_tlast),
    .m_rel_tuser(rel_tuser), .m_rel_tid(rel_tid), .m_rel_tvalid(rel_tvalid),
    .m_rel_tready(rel_tready), .fwd_done_o(exq_fwd_done));

  assign mon_park_valid_o = vq_pop && h_action == 2'(nsgnic_abi_pkg::ACTION_PUNT);
  assign mon_park_ok_o    = !exq_full;
  assign mon_park_slot_o  = 5'(exq_wslot);

  // ---- counters --------------------------------------------------------------------------------
  logic [NCnt*16-1:0] cnt_add;
  always_comb begin
    cnt_add = '0;
    if (vq_pop) begin
      if (h_action == 2'(nsgnic_abi_pkg::ACTION_PUNT) && exq_full)
        cnt_add[nsgnic_abi_pkg::REASON_EXQ_FULL*16 +: 16] = 16'd1;
      else
        cnt_add[32'(h_reason)*16 +: 16] = 16'd1;
    end
    if (last_beat) begin
      cnt_add[nsgnic_abi_pkg::CNT_RX_PKTS*16 +: 16]  = 16'd1;
      cnt_add[nsgnic_abi_pkg::CNT_RX_BYTES*16 +: 16] = len_now;
    end
    if (t_pkt && t_hit) cnt_add[nsgnic_abi_pkg::CNT_FLOW_HIT*16 +: 16] = 16'd1;
    if (t_pkt && t_looked && !t_hit) cnt_add[nsgnic_abi_pkg::CNT_FLOW_MISS*16 +: 16] = 16'd1;
    if (t_pkt && t_learned) cnt_add[nsgnic_abi_pkg::CNT_FLOW_LEARN*16 +: 16] = 16'd1;
    if (t_pkt && t_fail) cnt_add[nsgnic_abi_pkg::CNT_FLOW_LEARN_FAIL*16 +: 16] = 16'd1;
    if (t_pkt && t_related) cnt_add[nsgnic_abi_pkg::CNT_FLOW_RELATED*16 +: 16] = 16'd1;
    if (exq_push) cnt_add[nsgnic_abi_pkg::CNT_EXQ_PUSH*16 +: 16] = 16'd1;
    if (exq_fwd_done) cnt_add[nsgnic_abi_pkg::CNT_EXQ_FORWARDED*16 +: 16] = 16'd1;
    if (exq_discard) cnt_add[nsgnic_abi_pkg::CNT_EXQ_DISCARDED*16 +: 16] = 16'd1;
    if (exq_rel_bad) cnt_add[nsgnic_abi_pkg::CNT_EXQ_REL_BAD*16 +: 16] = 16'd1;
    if (tier_err_ev) cnt_add[nsgnic_abi_pkg::CNT_DRAM_ERR*16 +: 16] = 16'd1;
  end

  counters #(.Count(NCnt), .AddW(16)) u_cnt (
    .clk_i, .rst_ni, .add_i(cnt_add), .rd_idx_i(cnt_idx), .rd_data_o(cnt_data),
    .clr_i(cnt_clr), .clr_idx_i(cnt_idx));
endmodule

`default_nettype wire
