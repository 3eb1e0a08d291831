// SPDX-License-Identifier: Apache-2.0
// axil_bridge: an AXI4-Lite slave (the register port every FPGA NIC shell offers: OpenNIC's
// s_axil_*, Corundum's application-block s_axil_app_ctrl_*) in front of the SoC's simple
// request/response bus (host_window's s_bar_*).
//
// Unit contract
//   Channels: AW, W, AR are each taken into a one-entry holding register; a channel's ready is
//   high exactly when its register is empty, so ready never depends on valid (no combinational
//   path through the bridge). AW and W are independent: either may come first, or both in one
//   cycle; the write is issued on the request bus when both are held.
//   One transaction at a time on the request bus (it answers one cycle after acceptance):
//   when a write and a read are both held, they alternate (a stream of one kind cannot starve the
//   other). The response (B or R) is held, stable, until bready/rready; the next transaction of
//   either kind starts only after it has been taken. So at most one write and one read are in the
//   bridge at any time, and responses come back in request order per channel (AXI4-Lite has no
//   ids; a master may overlap AW/W with AR, which are then served in turn).
//   Address map: byte addresses below MappedBytes go to the bus (low two address bits ignored,
//   W's strobes select the bytes); anything at or above MappedBytes is answered DECERR (bresp/
//   rresp = 2'b11, rdata 0) without a bus request. awprot/arprot are accepted and ignored (the
//   window has no secure or privileged part).
//   Latency (no back-pressure): AW+W in cycle t -> bus request in t+1 -> response in t+2 ->
//   bvalid in t+3; reads the same. A register port at a few accesses per microsecond needs no more.
// Parameters
//   AddrW        AXI address width in bits, 12..32 (the BAR aperture the shell decodes for us)
//   MappedBytes  bytes decoded to the bus, a power of two, 64..2^AddrW (host_window's WinBytes)
`default_nettype none

module axil_bridge #(
  parameter int unsigned AddrW       = 32,
  parameter int unsigned MappedBytes = nsgnic_abi_pkg::HOSTWIN_BYTES
) (
  input  wire logic             clk_i,
  input  wire logic             rst_ni,
  // AXI4-Lite slave
  input  wire logic [AddrW-1:0] s_axil_awaddr,
  input  wire logic [2:0]       s_axil_awprot,
  input  wire logic             s_axil_awvalid,
  output logic                  s_axil_awready,
  input  wire logic [31:0]      s_axil_wdata,
  input  wire logic [3:0]       s_axil_wstrb,
  input  wire logic             s_axil_wvalid,
  output logic                  s_axil_wready,
  output logic [1:0]            s_axil_bresp,
  output logic                  s_axil_bvalid,
  input  wire logic             s_axil_bready,
  input  wire logic [AddrW-1:0] s_axil_araddr,
  input  wire logic [2:0]       s_axil_arprot,
  input  wire logic             s_axil_arvalid,
  output logic                  s_axil_arready,
  output logic [31:0]           s_axil_rdata,
  output logic [1:0]            s_axil_rresp,
  output logic                  s_axil_rvalid,
  input  wire logic             s_axil_rready,
  // request bus master (host_window s_bar_*): request held until ready, response one cycle later
  output logic                  m_bus_valid_o,
  input  wire logic             m_bus_ready_i,
  output logic                  m_bus_we_o,
  output logic [31:0]           m_bus_addr_o,
  output logic [31:0]           m_bus_wdata_o,
  output logic [3:0]            m_bus_wstrb_o,
  input  wire logic             m_bus_rvalid_i,
  input  wire logic [31:0]      m_bus_rdata_i
);
  if (AddrW < 12 || AddrW > 32) begin : g_bad_aw
    $error("axil_bridge: AddrW must be 12..32");
  end
  if (MappedBytes < 64 || (MappedBytes & (MappedBytes - 1)) != 0 ||
      (AddrW < 32 && 64'(MappedBytes) > (64'd1 << AddrW))) begin : g_bad_map
    $error("axil_bridge: MappedBytes must be a power of two, 64..2^AddrW");
  end

  localparam logic [1:0] RespOkay   = 2'b00;
  localparam logic [1:0] RespDecerr = 2'b11;

  // ---- holding registers -------------------------------------------------------------------------
  logic             aw_full_q, w_full_q, ar_full_q;
  logic [AddrW-1:0] aw_addr_q, ar_addr_q;
  logic [31:0]      w_data_q;
  logic [3:0]       w_strb_q;

  assign s_axil_awready = !aw_full_q;
  assign s_axil_wready  = !w_full_q;
  assign s_axil_arready = !ar_full_q;

  // ---- transaction engine ------------------------------------------------------------------------
  typedef enum logic [2:0] {
    StIdle,   // choose the next held transaction
    StReq,    // request on the bus until ready
    StWait,   // accepted: the response comes this cycle
    StBResp,  // bvalid until bready
    StRResp   // rvalid until rready
  } state_e;
  state_e      state_q;
  logic        cur_we_q;      // the transaction in flight is a write
  logic        prefer_rd_q;   // a read goes first when both are held
  logic [1:0]  resp_q;
  logic [31:0] rdata_q;

  logic w_ready, r_ready, take_w, take_r, w_mapped, r_mapped;
  assign w_ready  = aw_full_q && w_full_q;
  assign r_ready  = ar_full_q;
  assign take_w   = state_q == StIdle && w_ready && (!r_ready || !prefer_rd_q);
  assign take_r   = state_q == StIdle && r_ready && !take_w;
  assign w_mapped = 64'(aw_addr_q) < 64'(MappedBytes);
  assign r_mapped = 64'(ar_addr_q) < 64'(MappedBytes);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      aw_full_q   <= 1'b0;
      w_full_q    <= 1'b0;
      ar_full_q   <= 1'b0;
      aw_addr_q   <= '0;
      ar_addr_q   <= '0;
      w_data_q    <= '0;
      w_strb_q    <= '0;
      state_q     <= StIdle;
      cur_we_q    <= 1'b0;
      prefer_rd_q <= 1'b0;
      resp_q      <= RespOkay;
      rdata_q     <= '0;
    end else begin
      if (s_axil_awvalid && s_axil_awready) begin
        aw_full_q <= 1'b1;
        aw_addr_q <= s_axil_awaddr;
      end
      if (s_axil_wvalid && s_axil_wready) begin
        w_full_q <= 1'b1;
        w_data_q <= s_axil_wdata;
        w_strb_q <= s_axil_wstrb;
      end
      if (s_axil_arvalid && s_axil_arready) begin
        ar_full_q <= 1'b1;
        ar_addr_q <= s_axil_araddr;
      end
      unique case (state_q)
        StIdle: begin
          if (take_w) begin
            cur_we_q    <= 1'b1;
            prefer_rd_q <= 1'b1;
            if (w_mapped) begin
              state_q <= StReq;
            end else begin
              resp_q  <= RespDecerr;
              state_q <= StBResp;
            end
          end else if (take_r) begin
            cur_we_q    <= 1'b0;
            prefer_rd_q <= 1'b0;
            if (r_mapped) begin
              state_q <= StReq;
            end else begin
              resp_q  <= RespDecerr;
              rdata_q <= '0;
              state_q <= StRResp;
            end
          end
        end
        StReq: if (m_bus_ready_i) state_q <= StWait;
        StWait: if (m_bus_rvalid_i) begin
          resp_q  <= RespOkay;
          rdata_q <= m_bus_rdata_i;
          state_q <= cur_we_q ? StBResp : StRResp;
        end
        StBResp: if (s_axil_bready) begin
          aw_full_q <= 1'b0;
          w_full_q  <= 1'b0;
          state_q   <= StIdle;
        end
        StRResp: if (s_axil_rready) begin
          ar_full_q <= 1'b0;
          state_q   <= StIdle;
        end
        default: state_q <= StIdle;
      endcase
    end
  end

  // ---- outputs -------------------------------------------------------------------------------------
  assign m_bus_valid_o = state_q == StReq;
  assign m_bus_we_o    = cur_we_q;
  assign m_bus_addr_o  = cur_we_q ? 32'({aw_addr_q[AddrW-1:2], 2'b00}) :
                                    32'({ar_addr_q[AddrW-1:2], 2'b00});
  assign m_bus_wdata_o = w_data_q;
  assign m_bus_wstrb_o = w_strb_q;

  assign s_axil_bvalid = state_q == StBResp;
  assign s_axil_bresp  = resp_q;
  assign s_axil_rvalid = state_q == StRResp;
  assign s_axil_rresp  = resp_q;
  assign s_axil_rdata  = rdata_q;

  logic unused_prot;
  assign unused_prot = ^{s_axil_awprot, s_axil_arprot, aw_addr_q[1:0], ar_addr_q[1:0]};
endmodule
