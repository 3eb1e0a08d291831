// SPDX-License-Identifier: Apache-2.0
// axil_cdc: carries AXI4-Lite transactions from one clock domain (the shell's register clock,
// e.g. OpenNIC's 125 MHz axil_aclk) to another (the datapath's, e.g. 250 MHz axis_aclk).
//
// Unit contract
//   One transaction at a time, handed across by a toggle handshake: the slave side takes AW+W (or
//   AR) into holding registers (ready high exactly when they are empty, never depending on a
//   valid), flips req; req crosses through a two-flop synchronizer; the master side, seeing it
//   flip, runs the transaction on m_axil_* from the held (by then stable) address and data, keeps
//   the response and flips ack; ack crosses back; the slave side then presents B or R until
//   bready/rready. Multi-bit payloads never cross while they change: they are written before the
//   toggle that announces them and held until the toggle that releases them (the classic
//   four-phase argument with two-flop synchronizers on the single-bit toggles only).
//   A write and a read waiting together alternate, as in axil_bridge. Latency: about
//   2 + 2 clocks of each domain plus the master side's own.
//   The holding registers are the only state that carries data across; a synthesis flow must
//   constrain the paths from them to the other domain with set_max_delay -datapath_only (one
//   destination period) and mark the synchronizers ASYNC_REG (attributes below).
// Parameters
//   AddrW  address width, 1..64
`default_nettype none

module axil_cdc #(
  parameter int unsigned AddrW = 32
) (
  // slave side (s_clk_i domain)
  input  wire logic             s_clk_i,
  input  wire logic             s_rst_ni,
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
  // master side (m_clk_i domain)
  input  wire logic             m_clk_i,
  input  wire logic             m_rst_ni,
  output logic [AddrW-1:0]      m_axil_awaddr,
  output logic [2:0]            m_axil_awprot,
  output logic                  m_axil_awvalid,
  input  wire logic             m_axil_awready,
  output logic [31:0]           m_axil_wdata,
  output logic [3:0]            m_axil_wstrb,
  output logic                  m_axil_wvalid,
  input  wire logic             m_axil_wready,
  input  wire logic [1:0]       m_axil_bresp,
  input  wire logic             m_axil_bvalid,
  output logic                  m_axil_bready,
  output logic [AddrW-1:0]      m_axil_araddr,
  output logic [2:0]            m_axil_arprot,
  output logic                  m_axil_arvalid,
  input  wire logic             m_axil_arready,
  input  wire logic [31:0]      m_axil_rdata,
  input  wire logic [1:0]       m_axil_rresp,
  input  wire logic             m_axil_rvalid,
  output logic                  m_axil_rready
);
  if (AddrW < 1 || AddrW > 64) begin : g_bad_aw
    $error("axil_cdc: AddrW must be 1..64");
  end

  // ---- slave side ------------------------------------------------------------------------------
  logic             aw_full_q, w_full_q, ar_full_q;
  logic [AddrW-1:0] aw_addr_q, ar_addr_q;
  logic [2:0]       aw_prot_q, ar_prot_q;
  logic [31:0]      w_data_q;
  logic [3:0]       w_strb_q;
  typedef enum logic [1:0] { SIdle, SBusy, SResp } s_state_e;
  s_state_e s_state_q;
  logic     s_we_q, s_prefer_rd_q, req_q;
  (* ASYNC_REG = "TRUE" *) logic ack_s1_q, ack_s2_q;
  logic     ack_seen_q;

  assign s_axil_awready = !aw_full_q;
  assign s_axil_wready  = !w_full_q;
  assign s_axil_arready = !ar_full_q;

  logic s_w_ready, s_take_w, s_take_r;
  assign s_w_ready = aw_full_q && w_full_q;
  assign s_take_w  = s_state_q == SIdle && s_w_ready && (!ar_full_q || !s_prefer_rd_q);
  assign s_take_r  = s_state_q == SIdle && ar_full_q && !s_take_w;

  // the master side's response, stable while ack is announced
  logic [1:0]  m_resp_q;
  logic [31:0] m_rdata_q;

  always_ff @(posedge s_clk_i or negedge s_rst_ni) begin
    if (!s_rst_ni) begin
      aw_full_q     <= 1'b0;
      w_full_q      <= 1'b0;
      ar_full_q     <= 1'b0;
      aw_addr_q     <= '0;
      ar_addr_q     <= '0;
      aw_prot_q     <= '0;
      ar_prot_q     <= '0;
      w_data_q      <= '0;
      w_strb_q      <= '0;
      s_state_q     <= SIdle;
      s_we_q        <= 1'b0;
      s_prefer_rd_q <= 1'b0;
      req_q         <= 1'b0;
      ack_s1_q      <= 1'b0;
      ack_s2_q      <= 1'b0;
      ack_seen_q    <= 1'b0;
    end else begin
      ack_s1_q <= ack_q;
      ack_s2_q <= ack_s1_q;
      if (s_axil_awvalid && s_axil_awready) begin
        aw_full_q <= 1'b1;
        aw_addr_q <= s_axil_awaddr;
        aw_prot_q <= s_axil_awprot;
      end
      if (s_axil_wvalid && s_axil_wready) begin
        w_full_q <= 1'b1;
        w_data_q <= s_axil_wdata;
        w_strb_q <= s_axil_wstrb;
      end
      if (s_axil_arvalid && s_axil_arready) begin
        ar_full_q <= 1'b1;
        ar_addr_q <= s_axil_araddr;
        ar_prot_q <= s_axil_arprot;
      end
      unique case (s_state_q)
        SIdle: if (s_take_w || s_take_r) begin
          s_we_q        <= s_take_w;
          s_prefer_rd_q <= s_take_w;
          req_q         <= !req_q;
          s_state_q     <= SBusy;
        end
        SBusy: if (ack_s2_q != ack_seen_q) begin
          ack_seen_q <= ack_s2_q;
          s_state_q  <= SResp;
        end
        SResp: if (s_we_q ? s_axil_bready : s_axil_rready) begin
          if (s_we_q) begin
            aw_full_q <= 1'b0;
            w_full_q  <= 1'b0;
          end else begin
            ar_full_q <= 1'b0;
          end
          s_state_q <= SIdle;
        end
        default: s_state_q <= SIdle;
      endcase
    end
  end

  assign s_axil_bvalid = s_state_q == SResp && s_we_q;
  assign s_axil_rvalid = s_state_q == SResp && !s_we_q;
  assign s_axil_bresp  = m_resp_q;
  assign s_axil_rresp  = m_resp_q;
  assign s_axil_rdata  = m_rdata_q;

  // ---- master side -----------------------------------------------------------------------------
  (* ASYNC_REG = "TRUE" *) logic req_m1_q, req_m2_q;
  logic req_seen_q, ack_q, m_we_q, m_aw_q, m_w_q;
  typedef enum logic [1:0] { MIdle, MReq, MResp } m_state_e;
  m_state_e m_state_q;

  always_ff @(posedge m_clk_i or negedge m_rst_ni) begin
    if (!m_rst_ni) begin
      req_m1_q   <= 1'b0;
      req_m2_q   <= 1'b0;
      req_seen_q <= 1'b0;
      ack_q      <= 1'b0;
      m_we_q     <= 1'b0;
      m_aw_q     <= 1'b0;
      m_w_q      <= 1'b0;
      m_state_q  <= MIdle;
      m_resp_q   <= 2'b00;
      m_rdata_q  <= '0;
    end else begin
      req_m1_q <= req_q;
      req_m2_q <= req_m1_q;
      unique case (m_state_q)
        MIdle: if (req_m2_q != req_seen_q) begin
          req_seen_q <= req_m2_q;
          m_we_q     <= s_we_q;       // stable since before the toggle
          m_aw_q     <= s_we_q;
          m_w_q      <= s_we_q;
          m_state_q  <= MReq;
        end
        MReq: begin
          if (m_we_q) begin
            if (m_axil_awready) m_aw_q <= 1'b0;
            if (m_axil_wready)  m_w_q  <= 1'b0;
            if ((!m_aw_q || m_axil_awready) && (!m_w_q || m_axil_wready)) m_state_q <= MResp;
          end else if (m_axil_arready) begin
            m_state_q <= MResp;
          end
        end
        MResp: if (m_we_q ? m_axil_bvalid : m_axil_rvalid) begin
          m_resp_q  <= m_we_q ? m_axil_bresp : m_axil_rresp;
          m_rdata_q <= m_we_q ? 32'd0 : m_axil_rdata;
          ack_q     <= !ack_q;
          m_state_q <= MIdle;
        end
        default: m_state_q <= MIdle;
      endcase
    end
  end

  assign m_axil_awaddr  = aw_addr_q;
  assign m_axil_awprot  = aw_prot_q;
  assign m_axil_awvalid = m_state_q == MReq && m_we_q && m_aw_q;
  assign m_axil_wdata   = w_data_q;
  assign m_axil_wstrb   = w_strb_q;
  assign m_axil_wvalid  = m_state_q == MReq && m_we_q && m_w_q;
  assign m_axil_bready  = m_state_q == MResp && m_we_q;
  assign m_axil_araddr  = ar_addr_q;
  assign m_axil_arprot  = ar_prot_q;
  assign m_axil_arvalid = m_state_q == MReq && !m_we_q;
  assign m_axil_rready  = m_state_q == MResp && !m_we_q;
endmodule
