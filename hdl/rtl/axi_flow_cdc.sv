// SPDX-License-Identifier: Apache-2.0
// axi_flow_cdc: carries the DRAM flow tier's AXI4 port (flow_dram.sv: one 64-byte entry per
// request, on the datapath's clock) to a memory controller's AXI4 slave port in its own clock
// domain and width (Corundum's m_axi_ddr_*: a DDR4 controller's AXI4 port on ddr_clk), with
// requests in flight at full rate.
//
//   s_axi_* (s_clk_i: the tier) ---- AR: async_fifo (entry index) ------------------> m_axi_ar*
//                                ---- AW+W: async_fifo (index, 512 data, 64 strobes) -> m_axi_aw*,
//                                                                                        m_axi_w*
//                               <--- R: async_fifo (error, 512 data) <- beats joined - m_axi_r*
//                               <--- B: async_fifo (error) <----------------------------- m_axi_b*
//
// Unit contract
//   Slave side (the tier's master port): every request is one 64-byte entry at a 64-byte aligned
//   address; ARLEN/AWLEN, ARSIZE/AWSIZE, ARBURST/AWBURST, the IDs, WLAST and the address's low
//   six bits are not looked at (the tier drives 0, 6, INCR, 0, 1, 0: one 512-bit beat). AR is
//   taken while its FIFO has room (ARREADY does not depend on ARVALID); AW and W are taken
//   together, in the clock both are valid and the FIFO has room (AWREADY = WREADY then: a slave
//   may wait for both valids). R and B come back one per request, in request order, RLAST 1,
//   IDs 0; RRESP / BRESP is OKAY or SLVERR.
//   Master side: a request becomes one INCR burst of 512 / MDataW beats of MDataW bits (AxLEN
//   512 / MDataW - 1, AxSIZE log2(MDataW / 8): 64 bytes, never across a 4 KiB boundary) at
//   BaseAddr + the slave address, AxID 0 on every request, so the slave answers reads in
//   order and acknowledges writes in order (AXI orders same-ID transactions); R beats are joined
//   back into one 512-bit entry (beat k, from 0, carries bytes 64 k / Ratio .. 64 (k + 1) / Ratio
//   - 1 of the entry, Ratio = 512 / MDataW), W beats cut from the entry with their strobes. AWVALID and WVALID of a request rise in the
//   same clock (W never waits for AWREADY, AW never for WREADY). At most MaxOut reads and
//   MaxOut writes are in flight on the master side (issued, not yet answered).
//   Fail closed: a response is SLVERR on the slave side when any of its beats had a response
//   other than OKAY, an ID other than 0 or RLAST in the wrong place (bursts are framed by their
//   beat count), and an erroneous read carries all-zero data (never stale or partial entries).
//   A response the master side receives with nothing of its kind in flight is dropped and makes
//   the next response of that kind SLVERR. The tier makes any SLVERR sticky (its err_o).
//   Clock-domain crossing: four async_fifo (Gray-coded pointers, two-flop synchronizers, an
//   output register), Depth entries each; at Depth 16 both sides run at one request per clock of
//   the slower side (R and W: 512 / MDataW master clocks per request). Latency: about four clocks
//   of the receiving side per crossing, one more for the master-side registers, plus the slave's.
//   The slave port's outputs other than the ready signals are flops (or one gate after them).
//   The synthesis constraints are the async_fifo's (boards/corundum/nsgnic_ddr_cdc.tcl).
//   Resets: s_rst_ni (the datapath's) and m_rst_ni (the memory controller's) are asynchronous,
//   active low, independent. Either one resets the four FIFOs on both sides (reset bridges:
//   asserted at once, released on each side's own clock), so their pointers always restart
//   together; the state that faces each port survives the other port's reset:
//   - a reset of the slave side only (the datapath's, with the memory running): the master side
//     finishes what it issued (AR / AW / W held until taken, the W beats of an accepted AW sent
//     with their data) and drops the responses of every request issued before the reset, so the
//     tier, which restarts empty, never receives a stale answer;
//   - a reset of the master side only (the memory controller's: it forgets what it had
//     accepted): every request the slave side had taken and not answered is answered SLVERR
//     (data zero), in order, before any newer one (RVALID / BVALID may drop for the one clock
//     the reset arrives in); requests are refused while the FIFOs are in reset.
//   A reset of the datapath that does not reach s_rst_ni (nsgnic_top's SOFT_RESET resets the
//   tier inside) is not seen here: answers of requests in flight then still come.
// Parameters
//   SAddrW    slave address bits (the tier's DramAddrW), 7..64
//   MAddrW    master address bits; BaseAddr + 2**SAddrW must not exceed 2**MAddrW (checked at
//             elaboration: no slave address wraps onto other memory)
//   MDataW    master data bits: 512 (one beat per request), 256, 128 or 64
//   MIdW      master ID bits, 1..32 (driven 0)
//   BaseAddr  added to every slave address, a multiple of 64
//   Depth     entries of each channel's FIFO, power of two, 4..1024
//   MaxOut    reads / writes in flight on the master side, each, 1..65535 (full rate needs
//             about the memory's latency in requests)
`default_nettype none

module axi_flow_cdc #(
  parameter int unsigned SAddrW   = 34,
  parameter int unsigned MAddrW   = 34,
  parameter int unsigned MDataW   = 512,
  parameter int unsigned MIdW     = 8,
  parameter logic [63:0] BaseAddr = 64'h0,
  parameter int unsigned Depth    = 16,
  parameter int unsigned MaxOut   = 128,
  localparam int unsigned EntW    = 512,
  localparam int unsigned MStrbW  = MDataW / 8
) (
  // slave side (s_clk_i domain): the tier's AXI4 master port
  input  wire logic              s_clk_i,
  input  wire logic              s_rst_ni,
  input  wire logic              s_axi_arvalid,
  output logic                   s_axi_arready,
  input  wire logic [SAddrW-1:0] s_axi_araddr,
  input  wire logic [7:0]        s_axi_arlen,
  input  wire logic [2:0]        s_axi_arsize,
  input  wire logic [1:0]        s_axi_arburst,
  input  wire logic              s_axi_arid,
  output logic                   s_axi_rvalid,
  input  wire logic              s_axi_rready,
  output logic [EntW-1:0]        s_axi_rdata,
  output logic [1:0]             s_axi_rresp,
  output logic                   s_axi_rlast,
  output logic                   s_axi_rid,
  input  wire logic              s_axi_awvalid,
  output logic                   s_axi_awready,
  input  wire logic [SAddrW-1:0] s_axi_awaddr,
  input  wire logic [7:0]        s_axi_awlen,
  input  wire logic [2:0]        s_axi_awsize,
  input  wire logic [1:0]        s_axi_awburst,
  input  wire logic              s_axi_awid,
  input  wire logic              s_axi_wvalid,
  output logic                   s_axi_wready,
  input  wire logic [EntW-1:0]   s_axi_wdata,
  input  wire logic [EntW/8-1:0] s_axi_wstrb,
  input  wire logic              s_axi_wlast,
  output logic                   s_axi_bvalid,
  input  wire logic              s_axi_bready,
  output logic [1:0]             s_axi_bresp,
  output logic                   s_axi_bid,
  // master side (m_clk_i domain): the memory controller's AXI4 slave port
  input  wire logic              m_clk_i,
  input  wire logic              m_rst_ni,
  output logic                   m_axi_arvalid,
  input  wire logic              m_axi_arready,
  output logic [MAddrW-1:0]      m_axi_araddr,
  output logic [7:0]             m_axi_arlen,
  output logic [2:0]             m_axi_arsize,
  output logic [1:0]             m_axi_arburst,
  output logic [MIdW-1:0]        m_axi_arid,
  input  wire logic              m_axi_rvalid,
  output logic                   m_axi_rready,
  input  wire logic [MDataW-1:0] m_axi_rdata,
  input  wire logic [1:0]        m_axi_rresp,
  input  wire logic              m_axi_rlast,
  input  wire logic [MIdW-1:0]   m_axi_rid,
  output logic                   m_axi_awvalid,
  input  wire logic              m_axi_awready,
  output logic [MAddrW-1:0]      m_axi_awaddr,
  output logic [7:0]             m_axi_awlen,
  output logic [2:0]             m_axi_awsize,
  output logic [1:0]             m_axi_awburst,
  output logic [MIdW-1:0]        m_axi_awid,
  output logic                   m_axi_wvalid,
  input  wire logic              m_axi_wready,
  output logic [MDataW-1:0]      m_axi_wdata,
  output logic [MStrbW-1:0]      m_axi_wstrb,
  output logic                   m_axi_wlast,
  input  wire logic              m_axi_bvalid,
  output logic                   m_axi_bready,
  input  wire logic [1:0]        m_axi_bresp,
  input  wire logic [MIdW-1:0]   m_axi_bid
);
  localparam int unsigned Ratio   = EntW / MDataW;             // master beats per entry
  localparam int unsigned BCW     = Ratio > 1 ? $clog2(Ratio) : 1;
  localparam int unsigned IdxW    = SAddrW - 6;                // entry index bits
  localparam int unsigned PendMax = 2 * Depth + MaxOut + 4;    // slave-side requests unanswered
  localparam int unsigned PW      = $clog2(PendMax + 1);
  localparam int unsigned OW      = $clog2(MaxOut + 1);
  localparam logic [1:0]  Okay    = 2'b00;
  localparam logic [1:0]  SlvErr  = 2'b10;

  if (SAddrW < 7 || SAddrW > 64) begin : g_bad_saw
    $error("axi_flow_cdc: SAddrW must be 7..64");
  end
  if (MAddrW < 7 || MAddrW > 64 ||
      {2'b00, BaseAddr} + (66'd1 << SAddrW) > (66'd1 << MAddrW)) begin : g_bad_maw
    $error("axi_flow_cdc: BaseAddr + 2**SAddrW must fit MAddrW (<= 64) address bits");
  end
  if (BaseAddr[5:0] != 6'd0) begin : g_bad_base
    $error("axi_flow_cdc: BaseAddr must be a multiple of 64");
  end
  if (MDataW != 512 && MDataW != 256 && MDataW != 128 && MDataW != 64) begin : g_bad_dw
    $error("axi_flow_cdc: MDataW must be 512, 256, 128 or 64");
  end
  if (MIdW < 1 || MIdW > 32) begin : g_bad_id
    $error("axi_flow_cdc: MIdW must be 1..32");
  end
  if (MaxOut < 1 || MaxOut > 65535) begin : g_bad_out
    $error("axi_flow_cdc: MaxOut must be 1..65535");
  end

  // ---- reset bridges: either reset resets the FIFOs of both sides ------------------------------
  // s_frst_n / m_frst_n reset the FIFOs; s_fup_q / m_fup_q (the same timing, their own flops) tell
  // the clocked logic of each side that the FIFOs are in reset
  logic both_rst_n, s_frst_n, m_frst_n;
  (* ASYNC_REG = "TRUE" *) logic [1:0] s_frst_q, m_frst_q;
  logic s_fup_q, m_fup_q;
  assign both_rst_n = s_rst_ni && m_rst_ni;
  always_ff @(posedge s_clk_i or negedge both_rst_n) begin
    if (!both_rst_n) begin
      s_frst_q <= 2'b00;
      s_fup_q  <= 1'b0;
    end else begin
      s_frst_q <= {s_frst_q[0], 1'b1};
      s_fup_q  <= s_frst_q[0];
    end
  end
  always_ff @(posedge m_clk_i or negedge both_rst_n) begin
    if (!both_rst_n) begin
      m_frst_q <= 2'b00;
      m_fup_q  <= 1'b0;
    end else begin
      m_frst_q <= {m_frst_q[0], 1'b1};
      m_fup_q  <= m_frst_q[0];
    end
  end
  assign s_frst_n = s_frst_q[1];
  assign m_frst_n = m_frst_q[1];

  // ---- the four channel FIFOs ------------------------------------------------------------------
  logic                 arf_take_ok, arf_ready, arf_valid, ar_pop;
  logic [IdxW-1:0]      arf_idx;
  logic                 wf_take_ok, wf_ready, wf_valid, w_pop;
  logic [IdxW+EntW+EntW/8-1:0] wf_data;
  logic                 rf_push, rf_ready, rf_valid, rf_pop;
  logic [EntW:0]        rf_wdata, rf_data;
  logic                 bf_push, bf_ready, bf_valid, bf_pop;
  logic                 bf_wdata, bf_data;

  async_fifo #(.Width(IdxW), .Depth(Depth)) u_ar (
    .w_clk_i(s_clk_i), .w_rst_ni(s_frst_n), .w_valid_i(s_axi_arvalid && arf_take_ok),
    .w_ready_o(arf_ready), .w_data_i(s_axi_araddr[SAddrW-1:6]),
    .r_clk_i(m_clk_i), .r_rst_ni(m_frst_n), .r_valid_o(arf_valid), .r_ready_i(ar_pop),
    .r_data_o(arf_idx));
  async_fifo #(.Width(IdxW + EntW + EntW / 8), .Depth(Depth)) u_w (
    .w_clk_i(s_clk_i), .w_rst_ni(s_frst_n), .w_valid_i(s_axi_awvalid && s_axi_wvalid && wf_take_ok),
    .w_ready_o(wf_ready), .w_data_i({s_axi_awaddr[SAddrW-1:6], s_axi_wstrb, s_axi_wdata}),
    .r_clk_i(m_clk_i), .r_rst_ni(m_frst_n), .r_valid_o(wf_valid), .r_ready_i(w_pop),
    .r_data_o(wf_data));
  async_fifo #(.Width(EntW + 1), .Depth(Depth)) u_r (
    .w_clk_i(m_clk_i), .w_rst_ni(m_frst_n), .w_valid_i(rf_push), .w_ready_o(rf_ready),
    .w_data_i(rf_wdata),
    .r_clk_i(s_clk_i), .r_rst_ni(s_frst_n), .r_valid_o(rf_valid), .r_ready_i(rf_pop),
    .r_data_o(rf_data));
  async_fifo #(.Width(1), .Depth(Depth)) u_b (
    .w_clk_i(m_clk_i), .w_rst_ni(m_frst_n), .w_valid_i(bf_push), .w_ready_o(bf_ready),
    .w_data_i(bf_wdata),
    .r_clk_i(s_clk_i), .r_rst_ni(s_frst_n), .r_valid_o(bf_valid), .r_ready_i(bf_pop),
    .r_data_o(bf_data));

  // ---- slave side ------------------------------------------------------------------------------
  // rd_pend / wr_pend: requests taken and not answered; rd_orph / wr_orph: those of them whose
  // answers the master side's reset lost (answered SLVERR here, first). Reset by s_rst_ni only.
  logic [PW-1:0] rd_pend_q, rd_orph_q, wr_pend_q, wr_orph_q;
  logic          r_orph, b_orph, s_ar_hs, s_w_hs, s_r_hs, s_b_hs, r_err;

  assign arf_take_ok   = rd_pend_q < PW'(PendMax);
  assign wf_take_ok    = wr_pend_q < PW'(PendMax);
  assign s_axi_arready = arf_ready && arf_take_ok;
  assign s_axi_awready = s_axi_wvalid && wf_ready && wf_take_ok;
  assign s_axi_wready  = s_axi_awvalid && wf_ready && wf_take_ok;
  assign s_ar_hs       = s_axi_arvalid && s_axi_arready;
  assign s_w_hs        = s_axi_awvalid && s_axi_awready;

  assign r_orph       = rd_orph_q != '0;
  assign r_err        = r_orph || rf_data[EntW];
  assign s_axi_rvalid = r_orph || rf_valid;
  assign s_axi_rdata  = r_err ? '0 : rf_data[EntW-1:0];
  assign s_axi_rresp  = r_err ? SlvErr : Okay;
  assign s_axi_rlast  = 1'b1;
  assign s_axi_rid    = 1'b0;
  assign rf_pop       = s_axi_rready && !r_orph;
  assign s_r_hs       = s_axi_rvalid && s_axi_rready;

  assign b_orph       = wr_orph_q != '0;
  assign s_axi_bvalid = b_orph || bf_valid;
  assign s_axi_bresp  = (b_orph || bf_data) ? SlvErr : Okay;
  assign s_axi_bid    = 1'b0;
  assign bf_pop       = s_axi_bready && !b_orph;
  assign s_b_hs       = s_axi_bvalid && s_axi_bready;

  logic [PW-1:0] rd_pend_d, wr_pend_d;
  assign rd_pend_d = rd_pend_q + PW'(s_ar_hs) - PW'(s_r_hs);
  assign wr_pend_d = wr_pend_q + PW'(s_w_hs) - PW'(s_b_hs);
  always_ff @(posedge s_clk_i or negedge s_rst_ni) begin
    if (!s_rst_ni) begin
      rd_pend_q <= '0;
      rd_orph_q <= '0;
      wr_pend_q <= '0;
      wr_orph_q <= '0;
    end else begin
      rd_pend_q <= rd_pend_d;
      wr_pend_q <= wr_pend_d;
      // while the FIFOs are in reset (the master side's: ours would have reset these too) every
      // unanswered request is an orphan
      rd_orph_q <= !s_fup_q ? rd_pend_d : rd_orph_q - PW'(s_r_hs && r_orph);
      wr_orph_q <= !s_fup_q ? wr_pend_d : wr_orph_q - PW'(s_b_hs && b_orph);
    end
  end

  // ---- master side: AR ------------------------------------------------------------------------
  // The registers facing m_axi_* and the in-flight counts are reset by m_rst_ni only (they
  // outlive a reset of the slave side, see the contract).
  logic              ar_v_q;
  logic [MAddrW-1:0] ar_addr_q;
  logic [OW-1:0]     rd_out_q, r_drop_q, wr_out_q, b_drop_q;
  logic              r_fin, b_fin;

  assign ar_pop = arf_valid && rd_out_q < OW'(MaxOut) && (!ar_v_q || m_axi_arready);
  always_ff @(posedge m_clk_i or negedge m_rst_ni) begin
    if (!m_rst_ni) begin
      ar_v_q    <= 1'b0;
      ar_addr_q <= '0;
    end else if (ar_pop) begin
      ar_v_q    <= 1'b1;
      ar_addr_q <= MAddrW'(BaseAddr) + MAddrW'({arf_idx, 6'b0});
    end else if (m_axi_arready) begin
      ar_v_q    <= 1'b0;
    end
  end
  assign m_axi_arvalid = ar_v_q;
  assign m_axi_araddr  = ar_addr_q;
  assign m_axi_arlen   = 8'(Ratio - 1);
  assign m_axi_arsize  = 3'($clog2(MStrbW));
  assign m_axi_arburst = 2'b01;   // INCR
  assign m_axi_arid    = '0;

  // ---- master side: R (beats joined into an entry) ---------------------------------------------
  logic [BCW-1:0] r_beat_q;
  logic           r_err_q, r_taint_q, r_last, r_spur, r_drop, r_hs, r_beat_err;
  assign r_last       = r_beat_q == BCW'(Ratio - 1);
  assign r_spur       = rd_out_q == '0;         // no read in flight: not an answer
  assign r_drop       = r_drop_q != '0;         // an answer to a request from before a reset
  assign m_axi_rready = r_spur || !r_last || r_drop || rf_ready;
  assign r_hs         = m_axi_rvalid && m_axi_rready;
  assign r_beat_err   = m_axi_rresp != Okay || m_axi_rid != '0 || m_axi_rlast != r_last;
  assign r_fin        = r_hs && !r_spur && r_last;
  assign rf_push      = r_fin && !r_drop;
  if (Ratio == 1) begin : g_r_one
    assign rf_wdata = {r_err_q || r_beat_err || r_taint_q, m_axi_rdata};   // r_err_q stays 0
  end else begin : g_r_join
    logic [EntW-MDataW-1:0] r_data_q;   // the earlier beats, beat 0 lowest
    always_ff @(posedge m_clk_i or negedge m_rst_ni) begin
      if (!m_rst_ni) begin
        r_data_q <= '0;
      end else if (r_hs && !r_spur && !r_last) begin
        r_data_q <= (EntW - MDataW)'({m_axi_rdata, r_data_q} >> MDataW);   // shift in at the top
      end
    end
    assign rf_wdata = {r_err_q || r_beat_err || r_taint_q, m_axi_rdata, r_data_q};
  end
  always_ff @(posedge m_clk_i or negedge m_rst_ni) begin
    if (!m_rst_ni) begin
      r_beat_q  <= '0;
      r_err_q   <= 1'b0;
      r_taint_q <= 1'b0;
    end else if (r_hs) begin
      if (r_spur) begin
        r_taint_q <= 1'b1;
      end else if (!r_last) begin
        r_beat_q <= r_beat_q + 1'b1;
        r_err_q  <= r_err_q || r_beat_err;
      end else begin
        r_beat_q <= '0;
        r_err_q  <= 1'b0;
        if (!r_drop) r_taint_q <= 1'b0;
      end
    end
  end

  // ---- master side: AW + W (an entry split into beats) -----------------------------------------
  logic              aw_v_q, w_v_q, w_last, w_hs;
  logic [MAddrW-1:0] aw_addr_q;
  logic [EntW-1:0]   w_data_q;
  logic [EntW/8-1:0] w_strb_q;
  logic [BCW-1:0]    w_beat_q;
  assign w_last = w_beat_q == BCW'(Ratio - 1);
  assign w_hs   = w_v_q && m_axi_wready;
  assign w_pop  = wf_valid && wr_out_q < OW'(MaxOut) && (!aw_v_q || m_axi_awready) &&
                  (!w_v_q || (m_axi_wready && w_last));
  always_ff @(posedge m_clk_i or negedge m_rst_ni) begin
    if (!m_rst_ni) begin
      aw_v_q    <= 1'b0;
      aw_addr_q <= '0;
      w_v_q     <= 1'b0;
      w_data_q  <= '0;
      w_strb_q  <= '0;
      w_beat_q  <= '0;
    end else if (w_pop) begin
      aw_v_q    <= 1'b1;
      aw_addr_q <= MAddrW'(BaseAddr) + MAddrW'({wf_data[EntW+EntW/8 +: IdxW], 6'b0});
      w_v_q     <= 1'b1;
      w_strb_q  <= wf_data[EntW +: EntW/8];
      w_data_q  <= wf_data[EntW-1:0];
      w_beat_q  <= '0;
    end else begin
      if (m_axi_awready) aw_v_q <= 1'b0;
      if (w_hs) begin
        if (w_last) begin
          w_v_q <= 1'b0;
        end else begin
          w_beat_q <= w_beat_q + 1'b1;
          w_data_q <= w_data_q >> MDataW;
          w_strb_q <= w_strb_q >> MStrbW;
        end
      end
    end
  end
  assign m_axi_awvalid = aw_v_q;
  assign m_axi_awaddr  = aw_addr_q;
  assign m_axi_awlen   = 8'(Ratio - 1);
  assign m_axi_awsize  = 3'($clog2(MStrbW));
  assign m_axi_awburst = 2'b01;   // INCR
  assign m_axi_awid    = '0;
  assign m_axi_wvalid  = w_v_q;
  assign m_axi_wdata   = w_data_q[MDataW-1:0];
  assign m_axi_wstrb   = w_strb_q[MStrbW-1:0];
  assign m_axi_wlast   = w_last;

  // ---- master side: B --------------------------------------------------------------------------
  logic b_taint_q, b_spur, b_drop, b_hs;
  assign b_spur       = wr_out_q == '0;
  assign b_drop       = b_drop_q != '0;
  assign m_axi_bready = b_spur || b_drop || bf_ready;
  assign b_hs         = m_axi_bvalid && m_axi_bready;
  assign b_fin        = b_hs && !b_spur;
  assign bf_push      = b_fin && !b_drop;
  assign bf_wdata     = m_axi_bresp != Okay || m_axi_bid != '0 || b_taint_q;
  always_ff @(posedge m_clk_i or negedge m_rst_ni) begin
    if (!m_rst_ni) begin
      b_taint_q <= 1'b0;
    end else if (b_hs) begin
      if (b_spur)       b_taint_q <= 1'b1;
      else if (!b_drop) b_taint_q <= 1'b0;
    end
  end

  // ---- master side: requests in flight, answers to drop ----------------------------------------
  logic [OW-1:0] rd_out_d, wr_out_d;
  assign rd_out_d = rd_out_q + OW'(ar_pop) - OW'(r_fin);
  assign wr_out_d = wr_out_q + OW'(w_pop) - OW'(b_fin);
  always_ff @(posedge m_clk_i or negedge m_rst_ni) begin
    if (!m_rst_ni) begin
      rd_out_q <= '0;
      r_drop_q <= '0;
      wr_out_q <= '0;
      b_drop_q <= '0;
    end else begin
      rd_out_q <= rd_out_d;
      wr_out_q <= wr_out_d;
      // while the FIFOs are in reset (the slave side's) every request in flight is stale
      r_drop_q <= !m_fup_q ? rd_out_d : r_drop_q - OW'(r_fin && r_drop);
      b_drop_q <= !m_fup_q ? wr_out_d : b_drop_q - OW'(b_fin && b_drop);
    end
  end

  // the tier's fixed burst fields, IDs, WLAST and the entry's byte offset (see the contract)
  logic unused;
  assign unused = ^{s_axi_arlen, s_axi_arsize, s_axi_arburst, s_axi_arid, s_axi_araddr[5:0],
                    s_axi_awlen, s_axi_awsize, s_axi_awburst, s_axi_awid, s_axi_awaddr[5:0],
                    s_axi_wlast};
endmodule

`default_nettype wire
