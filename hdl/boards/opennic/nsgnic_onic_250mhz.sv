// SPDX-License-Identifier: Apache-2.0
// nsgnic_onic_250mhz: nsgnic as the user plugin of AMD's OpenNIC shell, in its 250 MHz box
// (between the QDMA subsystem and the CMAC adapter), one physical function and one CMAC port.
// The port list follows the shell's 250 MHz plugin interface (the box instantiates the plugin
// through box_250mhz/user_plugin_250mhz_inst.vh of this folder); docs/board.md has the map.
//
//   s_axil_*  (axil_aclk, 125 MHz) --axil_cdc--> nsgnic_top AXI4-Lite (axis_aclk): BAR2 + 0x100000
//   s_axis_qdma_h2c_* (host -> card: a VM's packet)   -.
//                                                      +- axis_frame_arb -> nsgnic_top s_axis
//   s_axis_adap_rx_250mhz_* (wire -> card)             -'   (tuser PORT: h2c {VF, tuser_src[7:0]},
//                                                             rx {WIRE, tuser_dst[7:0]})
//   nsgnic_top m_axis -> axis_frame_sizer (whole frames, tuser_size) -> by PORT.KIND:
//        WIRE -> m_axis_adap_tx_250mhz_* (tuser_src = {0, tid, PORT}, tuser_dst = 1 << 6: CMAC 0)
//        VF   -> m_axis_qdma_c2h_*       (tuser_src = {0, tid, PORT}, tuser_dst = 1: function 0;
//                                          the host driver reads the vport from tuser_src[7:0];
//                                          tid = 32 + slot marks a released parked frame)
//   The wire's label context (PORT.ID of wire frames: the VNet) is rx tuser_dst[7:0]: the stock
//   CMAC adapter leaves it 0 (one VNet per wire port); a decapsulation stage in front of the
//   plugin that maps VXLAN VNIs to contexts sets it per frame (the co-simulation does).
//   mod_rstn -> reset of both domains (synchronised), mod_rst_done when both are out of reset.
//
// Unit contract
//   One packet per clock in and out at 512 bits / 250 MHz (the datapath's rate); the two inputs
//   share it frame by frame (round-robin); the output is store-and-forward (the shell needs the
//   size up front) with the datapath's longest frame (MaxBeats) bounded by the sizer's FIFO.
//   A frame to the wire waits if the CMAC adapter back-pressures, and so does the next frame to
//   the host behind it (one output queue, in order: the datapath's own order).
//   The debug ports (irq_o, mon_*, tohost_o) are for simulation and ILA; the shell leaves them open.
// Parameters
//   MaxPktLen    the shell's -max_pkt_len, bytes; must fit the datapath (MaxBeats * 64)
//   other parameters: nsgnic_top's (realistic defaults)
`default_nettype none

module nsgnic_onic_250mhz #(
  parameter int unsigned MaxPktLen       = 9600,
  parameter              IramInitFile    = "",
  parameter              DramInitFile    = "",
  parameter logic [31:0] HwBuild         = 32'h0,
  parameter int unsigned TickCycles      = 250000,   // 1 ms at 250 MHz
  parameter int unsigned DataW           = 512,      // the shell's width: 512 only
  parameter int unsigned MaxBeats        = 152,      // 9,728 bytes >= MaxPktLen
  parameter int unsigned DataDepth       = 256,
  // the rest: nsgnic_top's, passed through (co-simulation builds it small)
  parameter int unsigned IramBytes       = nsgnic_abi_pkg::SOC_IRAM_BYTES,
  parameter int unsigned DramBytes       = nsgnic_abi_pkg::SOC_DRAM_BYTES,
  parameter int unsigned HdrBytes        = 128,
  parameter int unsigned VqDepth         = 32,
  parameter int unsigned ExqDepth        = 8,
  parameter int unsigned RuleEntries     = 4096,
  parameter int unsigned LabelEntries    = 2048,
  parameter int unsigned PlatformEntries = 16,
  parameter int unsigned Vports          = 256,
  parameter int unsigned FlowBuckets     = 1024,
  parameter int unsigned FlowWays        = 8,
  parameter int unsigned FlowStash       = 32,
  parameter int unsigned ChunkW          = 5
) (
  // AXI4-Lite register port (axil_aclk)
  input  wire logic          s_axil_awvalid,
  input  wire logic [31:0]   s_axil_awaddr,
  output logic               s_axil_awready,
  input  wire logic          s_axil_wvalid,
  input  wire logic [31:0]   s_axil_wdata,
  output logic               s_axil_wready,
  output logic               s_axil_bvalid,
  output logic [1:0]         s_axil_bresp,
  input  wire logic          s_axil_bready,
  input  wire logic          s_axil_arvalid,
  input  wire logic [31:0]   s_axil_araddr,
  output logic               s_axil_arready,
  output logic               s_axil_rvalid,
  output logic [31:0]        s_axil_rdata,
  output logic [1:0]         s_axil_rresp,
  input  wire logic          s_axil_rready,
  // host to card (QDMA H2C)
  input  wire logic          s_axis_qdma_h2c_tvalid,
  input  wire logic [511:0]  s_axis_qdma_h2c_tdata,
  input  wire logic [63:0]   s_axis_qdma_h2c_tkeep,
  input  wire logic          s_axis_qdma_h2c_tlast,
  input  wire logic [15:0]   s_axis_qdma_h2c_tuser_size,
  input  wire logic [15:0]   s_axis_qdma_h2c_tuser_src,
  input  wire logic [15:0]   s_axis_qdma_h2c_tuser_dst,
  output logic               s_axis_qdma_h2c_tready,
  // card to host (QDMA C2H)
  output logic               m_axis_qdma_c2h_tvalid,
  output logic [511:0]       m_axis_qdma_c2h_tdata,
  output logic [63:0]        m_axis_qdma_c2h_tkeep,
  output logic               m_axis_qdma_c2h_tlast,
  output logic [15:0]        m_axis_qdma_c2h_tuser_size,
  output logic [15:0]        m_axis_qdma_c2h_tuser_src,
  output logic [15:0]        m_axis_qdma_c2h_tuser_dst,
  input  wire logic          m_axis_qdma_c2h_tready,
  // card to wire (CMAC adapter TX)
  output logic               m_axis_adap_tx_250mhz_tvalid,
  output logic [511:0]       m_axis_adap_tx_250mhz_tdata,
  output logic [63:0]        m_axis_adap_tx_250mhz_tkeep,
  output logic               m_axis_adap_tx_250mhz_tlast,
  output logic [15:0]        m_axis_adap_tx_250mhz_tuser_size,
  output logic [15:0]        m_axis_adap_tx_250mhz_tuser_src,
  output logic [15:0]        m_axis_adap_tx_250mhz_tuser_dst,
  input  wire logic          m_axis_adap_tx_250mhz_tready,
  // wire to card (CMAC adapter RX)
  input  wire logic          s_axis_adap_rx_250mhz_tvalid,
  input  wire logic [511:0]  s_axis_adap_rx_250mhz_tdata,
  input  wire logic [63:0]   s_axis_adap_rx_250mhz_tkeep,
  input  wire logic          s_axis_adap_rx_250mhz_tlast,
  input  wire logic [15:0]   s_axis_adap_rx_250mhz_tuser_size,
  input  wire logic [15:0]   s_axis_adap_rx_250mhz_tuser_src,
  input  wire logic [15:0]   s_axis_adap_rx_250mhz_tuser_dst,
  output logic               s_axis_adap_rx_250mhz_tready,
  // reset handshake and clocks
  input  wire logic          mod_rstn,
  output logic               mod_rst_done,
  input  wire logic          axil_aclk,
  input  wire logic          axis_aclk,
  // debug (simulation, ILA): not connected by the shell
  output logic               irq_o,
  output logic               mon_valid_o,
  output logic [1:0]         mon_action_o,
  output logic [4:0]         mon_reason_o,
  output logic [15:0]        mon_rule_id_o,
  output logic               mon_flow_hit_o,
  output logic               mon_learned_o,
  output logic               mon_park_valid_o,
  output logic               mon_park_ok_o,
  output logic [4:0]         mon_park_slot_o,
  output logic [31:0]        tohost_o,
  output logic               retire_o
);
  if (DataW != 512) begin : g_bad_w
    $error("nsgnic_onic_250mhz: DataW must be 512 (the shell's stream width)");
  end
  if (64'(MaxPktLen) > 64'(MaxBeats) * 64 || MaxBeats >= DataDepth) begin : g_bad_len
    $error("nsgnic_onic_250mhz: MaxPktLen must fit MaxBeats beats of 64 bytes, MaxBeats < DataDepth");
  end

  // ---- resets: mod_rstn synchronised into each domain ----------------------------------------
  (* ASYNC_REG = "TRUE" *) logic [1:0] s_rst_sync_q, m_rst_sync_q;
  always_ff @(posedge axil_aclk or negedge mod_rstn) begin
    if (!mod_rstn) s_rst_sync_q <= 2'b00;
    else           s_rst_sync_q <= {s_rst_sync_q[0], 1'b1};
  end
  always_ff @(posedge axis_aclk or negedge mod_rstn) begin
    if (!mod_rstn) m_rst_sync_q <= 2'b00;
    else           m_rst_sync_q <= {m_rst_sync_q[0], 1'b1};
  end
  logic s_rst_n, m_rst_n;
  assign s_rst_n = s_rst_sync_q[1];
  assign m_rst_n = m_rst_sync_q[1];
  logic m_up_q;   // the datapath domain is out of reset
  always_ff @(posedge axis_aclk or negedge m_rst_n) begin
    if (!m_rst_n) m_up_q <= 1'b0;
    else          m_up_q <= 1'b1;
  end
  (* ASYNC_REG = "TRUE" *) logic [1:0] done_sync_q;   // m_up_q, seen in the axil domain
  always_ff @(posedge axil_aclk or negedge mod_rstn) begin
    if (!mod_rstn) done_sync_q <= 2'b00;
    else           done_sync_q <= {done_sync_q[0], m_up_q};
  end
  assign mod_rst_done = s_rst_n && done_sync_q[1];

  // ---- register port: clock crossing into nsgnic_top's AXI4-Lite ---------------------------------
  logic [31:0] axil_awaddr, axil_wdata, axil_araddr, axil_rdata;
  logic [2:0]  axil_awprot, axil_arprot;
  logic [3:0]  axil_wstrb;
  logic [1:0]  axil_bresp, axil_rresp;
  logic        axil_awvalid, axil_awready, axil_wvalid, axil_wready, axil_bvalid, axil_bready;
  logic        axil_arvalid, axil_arready, axil_rvalid, axil_rready;

  axil_cdc #(.AddrW(32)) u_cdc (
    .s_clk_i(axil_aclk), .s_rst_ni(s_rst_n),
    .s_axil_awaddr, .s_axil_awprot(3'b000), .s_axil_awvalid, .s_axil_awready,
    .s_axil_wdata, .s_axil_wstrb(4'hf), .s_axil_wvalid, .s_axil_wready,
    .s_axil_bresp, .s_axil_bvalid, .s_axil_bready,
    .s_axil_araddr, .s_axil_arprot(3'b000), .s_axil_arvalid, .s_axil_arready,
    .s_axil_rdata, .s_axil_rresp, .s_axil_rvalid, .s_axil_rready,
    .m_clk_i(axis_aclk), .m_rst_ni(m_rst_n),
    .m_axil_awaddr(axil_awaddr), .m_axil_awprot(axil_awprot), .m_axil_awvalid(axil_awvalid),
    .m_axil_awready(axil_awready), .m_axil_wdata(axil_wdata), .m_axil_wstrb(axil_wstrb),
    .m_axil_wvalid(axil_wvalid), .m_axil_wready(axil_wready), .m_axil_bresp(axil_bresp),
    .m_axil_bvalid(axil_bvalid), .m_axil_bready(axil_bready), .m_axil_araddr(axil_araddr),
    .m_axil_arprot(axil_arprot), .m_axil_arvalid(axil_arvalid), .m_axil_arready(axil_arready),
    .m_axil_rdata(axil_rdata), .m_axil_rresp(axil_rresp), .m_axil_rvalid(axil_rvalid),
    .m_axil_rready(axil_rready));

  // ---- ingress: host and wire frames onto the datapath -------------------------------------------
  logic [511:0] in_tdata;
  logic [63:0]  in_tkeep;
  logic [8:0]   in_tuser;
  logic         in_tlast, in_tvalid, in_tready;
  axis_frame_arb #(.DataW(512), .PortW(9)) u_arb (
    .clk_i(axis_aclk), .rst_ni(m_rst_n),
    .s0_axis_tdata(s_axis_qdma_h2c_tdata), .s0_axis_tkeep(s_axis_qdma_h2c_tkeep),
    .s0_axis_tlast(s_axis_qdma_h2c_tlast),
    .s0_tag_i({1'(nsgnic_abi_pkg::PORT_KIND_VF), s_axis_qdma_h2c_tuser_src[7:0]}),
    .s0_axis_tvalid(s_axis_qdma_h2c_tvalid), .s0_axis_tready(s_axis_qdma_h2c_tready),
    .s1_axis_tdata(s_axis_adap_rx_250mhz_tdata), .s1_axis_tkeep(s_axis_adap_rx_250mhz_tkeep),
    .s1_axis_tlast(s_axis_adap_rx_250mhz_tlast),
    .s1_tag_i({1'(nsgnic_abi_pkg::PORT_KIND_WIRE), s_axis_adap_rx_250mhz_tuser_dst[7:0]}),
    .s1_axis_tvalid(s_axis_adap_rx_250mhz_tvalid), .s1_axis_tready(s_axis_adap_rx_250mhz_tready),
    .m_axis_tdata(in_tdata), .m_axis_tkeep(in_tkeep), .m_axis_tlast(in_tlast),
    .m_axis_tuser(in_tuser), .m_axis_tvalid(in_tvalid), .m_axis_tready(in_tready));

  // ---- the SoC ----------------------------------------------------------------------------------
  logic [511:0] out_tdata;
  logic [63:0]  out_tkeep;
  logic [8:0]   out_tuser;
  logic [5:0]   out_tid;
  logic         out_tlast, out_tvalid, out_tready;
  nsgnic_top #(
    .IramInitFile(IramInitFile), .DramInitFile(DramInitFile), .HwBuild(HwBuild),
    .TickCycles(TickCycles), .IramBytes(IramBytes), .DramBytes(DramBytes), .DataW(512),
    .HdrBytes(HdrBytes), .MaxBeats(MaxBeats), .DataDepth(DataDepth), .VqDepth(VqDepth),
    .ExqDepth(ExqDepth), .RuleEntries(RuleEntries), .LabelEntries(LabelEntries),
    .PlatformEntries(PlatformEntries), .Vports(Vports), .FlowBuckets(FlowBuckets),
    .FlowWays(FlowWays), .FlowStash(FlowStash), .ChunkW(ChunkW)
  ) u_nic (
    .clk_i(axis_aclk), .rst_ni(m_rst_n),
    .s_axil_awaddr(axil_awaddr), .s_axil_awprot(axil_awprot), .s_axil_awvalid(axil_awvalid),
    .s_axil_awready(axil_awready), .s_axil_wdata(axil_wdata), .s_axil_wstrb(axil_wstrb),
    .s_axil_wvalid(axil_wvalid), .s_axil_wready(axil_wready), .s_axil_bresp(axil_bresp),
    .s_axil_bvalid(axil_bvalid), .s_axil_bready(axil_bready), .s_axil_araddr(axil_araddr),
    .s_axil_arprot(axil_arprot), .s_axil_arvalid(axil_arvalid), .s_axil_arready(axil_arready),
    .s_axil_rdata(axil_rdata), .s_axil_rresp(axil_rresp), .s_axil_rvalid(axil_rvalid),
    .s_axil_rready(axil_rready),
    .irq_o,
    .s_axis_tdata(in_tdata), .s_axis_tkeep(in_tkeep), .s_axis_tlast(in_tlast),
    .s_axis_tuser(in_tuser), .s_axis_tvalid(in_tvalid), .s_axis_tready(in_tready),
    .m_axis_tdata(out_tdata), .m_axis_tkeep(out_tkeep), .m_axis_tlast(out_tlast),
    .m_axis_tuser(out_tuser), .m_axis_tid(out_tid), .m_axis_tvalid(out_tvalid),
    .m_axis_tready(out_tready),
    .mon_valid_o, .mon_action_o, .mon_reason_o, .mon_rule_id_o, .mon_flow_hit_o, .mon_learned_o,
    // DRAM flow tier: off in this build (FlowDram = 0), its AXI4 master tied off; a board with
    // DDR4 / HBM connects m_axi_flow_* to the memory controller (docs/board.md)
    .flow_dram_err_o(unused_fd_err),
    .m_axi_flow_arvalid(unused_fd_o[0]), .m_axi_flow_arready(1'b0),
    .m_axi_flow_araddr(unused_fd_araddr), .m_axi_flow_arlen(unused_fd_o[8:1]),
    .m_axi_flow_arsize(unused_fd_o[11:9]), .m_axi_flow_arburst(unused_fd_o[13:12]),
    .m_axi_flow_arid(unused_fd_o[14]), .m_axi_flow_rvalid(1'b0), .m_axi_flow_rready(unused_fd_o[15]),
    .m_axi_flow_rdata({512{1'b0}}), .m_axi_flow_rresp(2'b00), .m_axi_flow_rlast(1'b0), .m_axi_flow_rid(1'b0),
    .m_axi_flow_awvalid(unused_fd_o[16]), .m_axi_flow_awready(1'b0),
    .m_axi_flow_awaddr(unused_fd_awaddr), .m_axi_flow_awlen(unused_fd_o[24:17]),
    .m_axi_flow_awsize(unused_fd_o[27:25]), .m_axi_flow_awburst(unused_fd_o[29:28]),
    .m_axi_flow_awid(unused_fd_o[30]), .m_axi_flow_wvalid(unused_fd_o[31]),
    .m_axi_flow_wready(1'b0), .m_axi_flow_wdata(unused_fd_wdata), .m_axi_flow_wstrb(unused_fd_wstrb),
    .m_axi_flow_wlast(unused_fd_o[32]), .m_axi_flow_bvalid(1'b0), .m_axi_flow_bready(unused_fd_o[33]),
    .m_axi_flow_bresp(2'b00), .m_axi_flow_bid(1'b0),
    .mon_park_valid_o, .mon_park_ok_o, .mon_park_slot_o, .tohost_o, .retire_o);
  logic         unused_fd_err;
  logic [33:0]  unused_fd_o, unused_fd_araddr, unused_fd_awaddr;
  logic [511:0] unused_fd_wdata;
  logic [63:0]  unused_fd_wstrb;
  logic         unused_fd;
  assign unused_fd = ^{unused_fd_err, unused_fd_o, unused_fd_araddr, unused_fd_awaddr,
                       unused_fd_wdata, unused_fd_wstrb};

  // ---- egress: whole frames with their size, to the wire or the host ---------------------------
  logic [511:0] eg_tdata;
  logic [63:0]  eg_tkeep;
  logic [14:0]  eg_tuser;   // {tid, PORT}
  logic [15:0]  eg_size;
  logic         eg_tlast, eg_tvalid, eg_tready, eg_wire;
  axis_frame_sizer #(.DataW(512), .UserW(15), .Depth(DataDepth), .FrameDepth(8)) u_sizer (
    .clk_i(axis_aclk), .rst_ni(m_rst_n),
    .s_axis_tdata(out_tdata), .s_axis_tkeep(out_tkeep), .s_axis_tlast(out_tlast),
    .s_axis_tuser({out_tid, out_tuser}), .s_axis_tvalid(out_tvalid), .s_axis_tready(out_tready),
    .m_axis_tdata(eg_tdata), .m_axis_tkeep(eg_tkeep), .m_axis_tlast(eg_tlast),
    .m_axis_tuser(eg_tuser), .m_size_o(eg_size), .m_axis_tvalid(eg_tvalid),
    .m_axis_tready(eg_tready));

  assign eg_wire = eg_tuser[8] == 1'(nsgnic_abi_pkg::PORT_KIND_WIRE);
  assign eg_tready = eg_wire ? m_axis_adap_tx_250mhz_tready : m_axis_qdma_c2h_tready;

  assign m_axis_adap_tx_250mhz_tvalid     = eg_tvalid && eg_wire;
  assign m_axis_adap_tx_250mhz_tdata      = eg_tdata;
  assign m_axis_adap_tx_250mhz_tkeep      = eg_tkeep;
  assign m_axis_adap_tx_250mhz_tlast      = eg_tlast;
  assign m_axis_adap_tx_250mhz_tuser_size = eg_size;
  assign m_axis_adap_tx_250mhz_tuser_src  = {1'b0, eg_tuser};
  assign m_axis_adap_tx_250mhz_tuser_dst  = 16'h1 << 6;

  assign m_axis_qdma_c2h_tvalid     = eg_tvalid && !eg_wire;
  assign m_axis_qdma_c2h_tdata      = eg_tdata;
  assign m_axis_qdma_c2h_tkeep      = eg_tkeep;
  assign m_axis_qdma_c2h_tlast      = eg_tlast;
  assign m_axis_qdma_c2h_tuser_size = eg_size;
  assign m_axis_qdma_c2h_tuser_src  = {1'b0, eg_tuser};
  assign m_axis_qdma_c2h_tuser_dst  = 16'h1;

  // the shell's metadata the datapath does not need: the size (the datapath counts beats), the
  // H2C destination and upper source bits, the RX source/destination
  logic unused_meta;
  assign unused_meta = ^{s_axis_qdma_h2c_tuser_size, s_axis_qdma_h2c_tuser_src[15:8],
                         s_axis_qdma_h2c_tuser_dst, s_axis_adap_rx_250mhz_tuser_size,
                         s_axis_adap_rx_250mhz_tuser_src, s_axis_adap_rx_250mhz_tuser_dst[15:8]};
endmodule
