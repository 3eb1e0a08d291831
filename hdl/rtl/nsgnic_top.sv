// SPDX-License-Identifier: Apache-2.0
// nsgnic_top: the SmartNIC SoC — the rv32 CPU subsystem (rv32_sys) running the firmware, the
// NSG datapath, and the BAR0 host window (host_window) that joins them to the host.
//
//   host BAR0 (s_axil_*, AXI4-Lite) --> axil_bridge --> host_window: registers (CTRL, doorbells, FW_LOAD) + window RAM
//                                 |  CTRL.CPU_RUN -> core reset, FW_LOAD -> CPU RAMs (s_mem)
//   rv32_sys m_mmio_* --decode--> 0x4000_0000 + DP_CSR_FW_OFFSET   datapath CSR bus (4 KiB)
//                         |-----> 0x4000_0000 + HOSTWIN_FW_OFFSET  host window (WinBytes)
//                         '-----> anything else                    access fault (err response)
//   s_axis (wire / VF packets, tuser = PORT) --> datapath --> m_axis (allowed packets and
//                                                       released parked exceptions, tid != 0)
//
// MMIO timing: CSR requests are always accepted and answered the next cycle (the CSR bus has no
// byte enables: a partial-word store faults); window requests wait for the window RAM
// (shared with the host) and are answered one cycle after acceptance. CTRL.SOFT_RESET resets the
// datapath (tables invalid, bindings unset, bank 0, counters and queues cleared) for one cycle,
// then a small sequencer deletes every flow-cache entry and overflow flag through the CSR bus
// (FLOW_TABLES x FlowBuckets x FlowWays + FlowStash + FlowBuckets table operations); CTRL.SOFT_RESET reads 1 and the
// CPU's CSR accesses wait until it is done. The datapath's time (CSR NOW, flow timestamps)
// advances by one every TickCycles clocks, or, with the host's TIME_CTRL.EXTERNAL set, only by
// the n of each TIME_TICK write (host-driven time: replays in pcap time, tests).
`default_nettype none

module nsgnic_top #(
  // CPU
  parameter int unsigned IramBytes       = nsgnic_abi_pkg::SOC_IRAM_BYTES, // see rv32_sys
  parameter int unsigned DramBytes       = nsgnic_abi_pkg::SOC_DRAM_BYTES, // see rv32_sys
  parameter              IramInitFile    = "",                  // $readmemh firmware image or ""
  parameter              DramInitFile    = "",
  // host window
  parameter int unsigned WinBytes        = nsgnic_abi_pkg::HOSTWIN_BYTES, // power of two >= HOSTWIN_BYTES
  parameter logic [31:0] HwBuild         = 32'h0,               // HOSTREG_HW_BUILD (git hash prefix)
  parameter int unsigned TickCycles      = 1000,                // clocks per datapath NOW tick, >= 1
  // datapath (see datapath.sv)
  parameter int unsigned DataW           = 512,
  parameter int unsigned HdrBytes        = 128,
  parameter int unsigned MaxBeats        = 144,
  parameter int unsigned DataDepth       = 256,
  parameter int unsigned VqDepth         = 32,
  parameter int unsigned ExqDepth        = 8,
  parameter int unsigned RuleEntries     = 4096,
  parameter int unsigned LabelEntries    = 2048,
  parameter int unsigned PlatformEntries = 16,
  parameter int unsigned Vports          = 256,
  parameter int unsigned FlowBuckets     = 1024,
  parameter int unsigned FlowWays        = 8,
  parameter int unsigned FlowStash       = 32,
  parameter int unsigned ChunkW          = 5,
  // label stage (datapath.sv / lookup.sv): 0 the label TCAM, 1 the block-RAM trees (lpm.sv)
  parameter int unsigned LabelLpm        = 0,
  parameter int unsigned LpmFanout       = 8,
  parameter int unsigned LpmLevels       = 6,
  parameter int unsigned LpmCtxBits      = 11,
  parameter int unsigned Lpm4Leaves      = 20480,
  parameter int unsigned Lpm6Leaves      = 5120,
  parameter int unsigned Lpm4Results     = 65536,
  parameter int unsigned Lpm6Results     = 16384,
  parameter int unsigned LabelCtx        = 0,    // per-vport label contexts (datapath.sv)
  // DRAM flow tier behind the flow cache (datapath.sv FlowDram; 0: off, m_axi_flow_* idle)
  parameter int unsigned FlowDram        = 0,
  parameter int unsigned DramBuckets     = 16,
  parameter int unsigned DramWays        = 32,
  parameter int unsigned DramSigW        = 31,
  parameter int unsigned DramDepth       = 512,
  parameter int unsigned DramDbt         = 1024,
  parameter int unsigned DramAddrW       = 34,
  parameter int unsigned FlowFront       = 0,    // 1: the flow cache in front of the tier (datapath.sv)
  localparam int unsigned KeepW          = DataW / 8,
  localparam int unsigned WinAw          = $clog2(WinBytes)
) (
  input  wire logic             clk_i,
  input  wire logic             rst_ni,
  // host BAR0 register window: AXI4-Lite slave (see axil_bridge; DECERR at and above WinBytes)
  input  wire logic [31:0]      s_axil_awaddr,
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
  input  wire logic [31:0]      s_axil_araddr,
  input  wire logic [2:0]       s_axil_arprot,
  input  wire logic             s_axil_arvalid,
  output logic                  s_axil_arready,
  output logic [31:0]           s_axil_rdata,
  output logic [1:0]            s_axil_rresp,
  output logic                  s_axil_rvalid,
  input  wire logic             s_axil_rready,
  output logic                  irq_o,          // host interrupt (IRQ_STATUS != 0)
  // packets in (tuser = PORT: wire + VNet context, or VF + vport)
  input  wire logic [DataW-1:0] s_axis_tdata,
  input  wire logic [KeepW-1:0] s_axis_tkeep,
  input  wire logic             s_axis_tlast,
  input  wire logic [8:0]       s_axis_tuser,
  input  wire logic             s_axis_tvalid,
  output logic                  s_axis_tready,
  // allowed packets out (tuser = destination PORT)
  output logic [DataW-1:0]      m_axis_tdata,
  output logic [KeepW-1:0]      m_axis_tkeep,
  output logic                  m_axis_tlast,
  output logic [8:0]            m_axis_tuser,
  output logic [5:0]            m_axis_tid,     // 0: pipeline; 32 + slot: released parked frame
  output logic                  m_axis_tvalid,
  input  wire logic             m_axis_tready,
  // verdict monitor (one pulse per packet, arrival order) and firmware test signature
  output logic                  mon_valid_o,
  output logic [1:0]            mon_action_o,
  output logic [4:0]            mon_reason_o,
  output logic [15:0]           mon_rule_id_o,
  output logic                  mon_flow_hit_o,
  output logic                  mon_learned_o,
  output logic                  mon_park_valid_o, // per punted packet, in order (see datapath)
  output logic                  mon_park_ok_o,
  output logic [4:0]            mon_park_slot_o,
  // DRAM flow tier: AXI4 master to the board's DDR4 / HBM (single 64-byte beats, IDs 0; idle
  // with FlowDram = 0: boards tie the inputs off) and its sticky error
  output logic                  flow_dram_err_o,
  output logic                  m_axi_flow_arvalid,
  input  wire logic             m_axi_flow_arready,
  output logic [DramAddrW-1:0]  m_axi_flow_araddr,
  output logic [7:0]            m_axi_flow_arlen,
  output logic [2:0]            m_axi_flow_arsize,
  output logic [1:0]            m_axi_flow_arburst,
  output logic                  m_axi_flow_arid,
  input  wire logic             m_axi_flow_rvalid,
  output logic                  m_axi_flow_rready,
  input  wire logic [511:0]     m_axi_flow_rdata,
  input  wire logic [1:0]       m_axi_flow_rresp,
  input  wire logic             m_axi_flow_rlast,
  input  wire logic             m_axi_flow_rid,
  output logic                  m_axi_flow_awvalid,
  input  wire logic             m_axi_flow_awready,
  output logic [DramAddrW-1:0]  m_axi_flow_awaddr,
  output logic [7:0]            m_axi_flow_awlen,
  output logic [2:0]            m_axi_flow_awsize,
  output logic [1:0]            m_axi_flow_awburst,
  output logic                  m_axi_flow_awid,
  output logic                  m_axi_flow_wvalid,
  input  wire logic             m_axi_flow_wready,
  output logic [511:0]          m_axi_flow_wdata,
  output logic [63:0]           m_axi_flow_wstrb,
  output logic                  m_axi_flow_wlast,
  input  wire logic             m_axi_flow_bvalid,
  output logic                  m_axi_flow_bready,
  input  wire logic [1:0]       m_axi_flow_bresp,
  input  wire logic             m_axi_flow_bid,
  output logic [31:0]           tohost_o,
  output logic                  retire_o
);
  if (TickCycles < 1) begin : g_bad_tick
    $error("nsgnic_top: TickCycles must be >= 1");
  end

  // Hardware capabilities of this SoC (HOSTREG_HW_CAPS).
  localparam logic [31:0] HwCaps =
      (32'd1 << nsgnic_abi_pkg::CAP_TCAM_RULE) | (32'd1 << nsgnic_abi_pkg::CAP_TCAM_LABEL) |
      (32'd1 << nsgnic_abi_pkg::CAP_TCAM_PLATFORM) | (32'd1 << nsgnic_abi_pkg::CAP_BANKED_COMMIT) |
      (32'd1 << nsgnic_abi_pkg::CAP_FLOWS) | (32'd1 << nsgnic_abi_pkg::CAP_EXCEPTIONS) |
      (32'd1 << nsgnic_abi_pkg::CAP_COUNTERS) | (32'd1 << nsgnic_abi_pkg::CAP_EXT_TIME) |
      (32'd1 << nsgnic_abi_pkg::CAP_EXC_PARK);
  localparam logic [27:0] WinOff = 28'(nsgnic_abi_pkg::HOSTWIN_FW_OFFSET);
  localparam logic [27:0] CsrOff = 28'(nsgnic_abi_pkg::DP_CSR_FW_OFFSET);
  localparam logic [27:0] CsrBytes = 28'h1000;   // the CSR bus has 12 address bits

  // ---- host window ------------------------------------------------------------------------------
  logic        cpu_run, soft_reset, learn_off, fw_irq, time_ext;
  logic [15:0] time_tick;
  logic        mem_valid, mem_we, mem_rvalid, mem_err, mem_ready;
  logic [31:0] mem_addr, mem_wdata, mem_rdata;
  logic [3:0]  mem_wstrb;
  logic        win_valid, win_ready, win_rvalid;
  logic [31:0] win_rdata;

  logic        mmio_valid, mmio_ready, mmio_we, mmio_rvalid, mmio_err;
  logic [31:0] mmio_addr, mmio_wdata, mmio_rdata;
  logic [3:0]  mmio_wstrb;

  logic        bar_valid, bar_ready, bar_we, bar_rvalid;
  logic [31:0] bar_addr, bar_wdata, bar_rdata;
  logic [3:0]  bar_wstrb;

  axil_bridge #(.AddrW(32), .MappedBytes(WinBytes)) u_axil (
    .clk_i          (clk_i),
    .rst_ni         (rst_ni),
    .s_axil_awaddr  (s_axil_awaddr),
    .s_axil_awprot  (s_axil_awprot),
    .s_axil_awvalid (s_axil_awvalid),
    .s_axil_awready (s_axil_awready),
    .s_axil_wdata   (s_axil_wdata),
    .s_axil_wstrb   (s_axil_wstrb),
    .s_axil_wvalid  (s_axil_wvalid),
    .s_axil_wready  (s_axil_wready),
    .s_axil_bresp   (s_axil_bresp),
    .s_axil_bvalid  (s_axil_bvalid),
    .s_axil_bready  (s_axil_bready),
    .s_axil_araddr  (s_axil_araddr),
    .s_axil_arprot  (s_axil_arprot),
    .s_axil_arvalid (s_axil_arvalid),
    .s_axil_arready (s_axil_arready),
    .s_axil_rdata   (s_axil_rdata),
    .s_axil_rresp   (s_axil_rresp),
    .s_axil_rvalid  (s_axil_rvalid),
    .s_axil_rready  (s_axil_rready),
    .m_bus_valid_o  (bar_valid),
    .m_bus_ready_i  (bar_ready),
    .m_bus_we_o     (bar_we),
    .m_bus_addr_o   (bar_addr),
    .m_bus_wdata_o  (bar_wdata),
    .m_bus_wstrb_o  (bar_wstrb),
    .m_bus_rvalid_i (bar_rvalid),
    .m_bus_rdata_i  (bar_rdata)
  );

  host_window #(.WinBytes(WinBytes), .HwBuild(HwBuild), .HwCaps(HwCaps)) u_win (
    .clk_i          (clk_i),
    .rst_ni         (rst_ni),
    .s_bar_valid_i  (bar_valid),
    .s_bar_ready_o  (bar_ready),
    .s_bar_we_i     (bar_we),
    .s_bar_addr_i   (bar_addr),
    .s_bar_wdata_i  (bar_wdata),
    .s_bar_wstrb_i  (bar_wstrb),
    .s_bar_rvalid_o (bar_rvalid),
    .s_bar_rdata_o  (bar_rdata),
    .s_fw_valid_i   (win_valid),
    .s_fw_ready_o   (win_ready),
    .s_fw_we_i      (mmio_we),
    .s_fw_addr_i    (WinAw'(mmio_addr[27:0] - WinOff)),
    .s_fw_wdata_i   (mmio_wdata),
    .s_fw_wstrb_i   (mmio_wstrb),
    .s_fw_rvalid_o  (win_rvalid),
    .s_fw_rdata_o   (win_rdata),
    .cpu_run_o      (cpu_run),
    .soft_reset_o   (soft_reset),
    .soft_reset_busy_i(clearing),
    .learn_off_o    (learn_off),
    .time_ext_o     (time_ext),
    .time_tick_o    (time_tick),
    .irq_o          (irq_o),
    .fw_irq_o       (fw_irq),
    .m_mem_valid_o  (mem_valid),
    .m_mem_we_o     (mem_we),
    .m_mem_addr_o   (mem_addr),
    .m_mem_wdata_o  (mem_wdata),
    .m_mem_wstrb_o  (mem_wstrb),
    .m_mem_rvalid_i (mem_rvalid),
    .m_mem_rdata_i  (mem_rdata),
    .m_mem_err_i    (mem_err)
  );

  // ---- CPU ------------------------------------------------------------------------------------------
  logic unused_retire_pc_mem_ready;
  logic [31:0] retire_pc;
  logic        cpu_trap, cpu_mret;              // simulator reports only (nsgnic-sim --run-elf)
  logic [31:0] cpu_trap_mcause, cpu_trap_pc;
  rv32_sys #(
    .IramBytes(IramBytes), .DramBytes(DramBytes),
    .IramInitFile(IramInitFile), .DramInitFile(DramInitFile)
  ) u_sys (
    .clk_i          (clk_i),
    .rst_ni         (rst_ni),
    .core_rst_ni    (cpu_run),
    .boot_addr_i    ((32'(nsgnic_abi_pkg::SOC_REGION_RAM) << nsgnic_abi_pkg::SOC_REGION_SHIFT) +
                     32'(nsgnic_abi_pkg::SOC_BOOT_OFFSET)),
    .tohost_addr_i  (32'hFFFF_FFFC),   // firmware uses the SoC tohost register only
    .tohost_o       (tohost_o),
    .retire_o       (retire_o),
    .retire_pc_o    (retire_pc),
    .trap_o         (cpu_trap),
    .trap_mcause_o  (cpu_trap_mcause),
    .trap_pc_o      (cpu_trap_pc),
    .mret_o         (cpu_mret),
    .irq_external_i (fw_irq),
    .s_mem_valid_i  (mem_valid),
    .s_mem_ready_o  (mem_ready),
    .s_mem_we_i     (mem_we),
    .s_mem_addr_i   (mem_addr),
    .s_mem_wdata_i  (mem_wdata),
    .s_mem_wstrb_i  (mem_wstrb),
    .s_mem_rvalid_o (mem_rvalid),
    .s_mem_rdata_o  (mem_rdata),
    .s_mem_err_o    (mem_err),
    .m_mmio_valid_o (mmio_valid),
    .m_mmio_ready_i (mmio_ready),
    .m_mmio_addr_o  (mmio_addr),
    .m_mmio_we_o    (mmio_we),
    .m_mmio_wdata_o (mmio_wdata),
    .m_mmio_wstrb_o (mmio_wstrb),
    .m_mmio_rvalid_i(mmio_rvalid),
    .m_mmio_rdata_i (mmio_rdata),
    .m_mmio_err_i   (mmio_err)
  );
  assign unused_retire_pc_mem_ready = ^{retire_pc, mem_ready, mmio_addr[31:28], cpu_trap, cpu_mret,
                                        cpu_trap_mcause, cpu_trap_pc};

  // ---- MMIO decode ----------------------------------------------------------------------------------
  logic is_win, is_csr, csr_ok;
  assign is_win = 28'(mmio_addr[27:0] - WinOff) < 28'(WinBytes);
  assign is_csr = 28'(mmio_addr[27:0] - CsrOff) < CsrBytes;
  assign csr_ok = is_csr && (!mmio_we || mmio_wstrb == 4'hF);

  assign win_valid  = mmio_valid && is_win;
  assign mmio_ready = is_win ? win_ready : !(csr_ok && clearing);

  logic csr_req, csr_rvalid_q, err_q, unused_csr_rvalid;
  logic [31:0] csr_rdata;
  logic        clearing;  // the flow-cache clear sequencer owns the CSR bus
  assign csr_req = mmio_valid && csr_ok && !clearing;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      csr_rvalid_q <= 1'b0;
      err_q        <= 1'b0;
    end else begin
      csr_rvalid_q <= csr_req;
      err_q        <= mmio_valid && !is_win && !csr_ok;
    end
  end
  assign mmio_rvalid = csr_rvalid_q || err_q || win_rvalid;
  assign mmio_rdata  = csr_rvalid_q ? csr_rdata : (win_rvalid ? win_rdata : 32'd0);
  assign mmio_err    = err_q;

  // ---- datapath -------------------------------------------------------------------------------------
  logic dp_rst_n;
  assign dp_rst_n = rst_ni && !soft_reset;

  localparam int unsigned TickW = $clog2(TickCycles + 1);
  logic [TickW-1:0] tick_cnt_q;
  logic             tick;
  logic [15:0]      now_add;   // NOW advance this clock
  assign tick = 32'(tick_cnt_q) == TickCycles - 1;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) tick_cnt_q <= '0;
    else tick_cnt_q <= tick ? '0 : tick_cnt_q + 1'b1;
  end
  assign now_add = time_ext ? time_tick : {15'd0, tick};

  // ---- flow-cache clear after a soft reset ---------------------------------------------------------
  // WRITE with CMD.VALID 0 and the (reset, all-zero) staging DATA to every flow slot, then clear
  // every table-0 overflow flag; each command waits for STATUS.BUSY to fall.
  localparam int unsigned FlowSlots = nsgnic_abi_pkg::FLOW_TABLES * FlowBuckets * FlowWays + FlowStash;
  typedef enum logic [1:0] {ClrIdle, ClrCmd, ClrPoll, ClrWait} clr_e;
  clr_e        clr_q;
  logic [15:0] clr_idx_q;
  logic        clr_ovf_q;   // second phase: overflow flags
  logic        clr_req, clr_we;
  logic [11:0] clr_addr;
  logic [31:0] clr_cmd;
  assign clearing = clr_q != ClrIdle;

  always_comb begin
    clr_cmd = 32'd0;
    clr_cmd[nsgnic_abi_pkg::DP_CMD_INDEX_LSB +: 16] = clr_idx_q;
    clr_cmd[nsgnic_abi_pkg::DP_CMD_TABLE_LSB +: 3]  = clr_ovf_q ? 3'(nsgnic_abi_pkg::DP_TABLE_FLOW_OVF)
                                                                : 3'(nsgnic_abi_pkg::DP_TABLE_FLOW);
    clr_cmd[nsgnic_abi_pkg::DP_CMD_OP_LSB] = 1'(nsgnic_abi_pkg::DP_OP_WRITE);
    clr_req  = clr_q == ClrCmd || clr_q == ClrPoll;
    clr_we   = clr_q == ClrCmd;
    clr_addr = clr_q == ClrCmd ? 12'(nsgnic_abi_pkg::CSR_CMD) : 12'(nsgnic_abi_pkg::CSR_STATUS);
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      clr_q     <= ClrIdle;
      clr_idx_q <= '0;
      clr_ovf_q <= 1'b0;
    end else if (soft_reset) begin
      clr_q     <= ClrCmd;
      clr_idx_q <= '0;
      clr_ovf_q <= 1'b0;
    end else begin
      unique case (clr_q)
        ClrCmd:  clr_q <= ClrPoll;
        ClrPoll: clr_q <= ClrWait;
        ClrWait: begin
          if (csr_rdata[nsgnic_abi_pkg::DP_STATUS_BUSY_LSB]) begin
            clr_q <= ClrPoll;
          end else if (!clr_ovf_q && 32'(clr_idx_q) + 1 < FlowSlots) begin
            clr_idx_q <= clr_idx_q + 16'd1;
            clr_q     <= ClrCmd;
          end else if (!clr_ovf_q) begin
            clr_idx_q <= '0;
            clr_ovf_q <= 1'b1;
            clr_q     <= ClrCmd;
          end else if (32'(clr_idx_q) + 1 < FlowBuckets) begin
            clr_idx_q <= clr_idx_q + 16'd1;
            clr_q     <= ClrCmd;
          end else begin
            clr_q <= ClrIdle;
          end
        end
        default: clr_q <= ClrIdle;
      endcase
    end
  end

  logic        dp_csr_req, dp_csr_we;
  logic [11:0] dp_csr_addr;
  logic [31:0] dp_csr_wdata;
  assign dp_csr_req   = clearing ? clr_req : csr_req;
  assign dp_csr_we    = clearing ? clr_we : mmio_we;
  assign dp_csr_addr  = clearing ? clr_addr : 12'(mmio_addr[27:0] - CsrOff);
  assign dp_csr_wdata = clearing ? clr_cmd : mmio_wdata;

  datapath #(
    .DataW(DataW), .HdrBytes(HdrBytes), .MaxBeats(MaxBeats), .DataDepth(DataDepth),
    .VqDepth(VqDepth), .ExqDepth(ExqDepth), .RuleEntries(RuleEntries),
    .LabelEntries(LabelEntries), .PlatformEntries(PlatformEntries), .Vports(Vports),
    .FlowBuckets(FlowBuckets), .FlowWays(FlowWays), .FlowStash(FlowStash), .ChunkW(ChunkW),
    .LabelLpm(LabelLpm), .LpmFanout(LpmFanout), .LpmLevels(LpmLevels), .LpmCtxBits(LpmCtxBits),
    .Lpm4Leaves(Lpm4Leaves), .Lpm6Leaves(Lpm6Leaves), .Lpm4Results(Lpm4Results),
    .Lpm6Results(Lpm6Results), .LabelCtx(LabelCtx),
    .FlowDram(FlowDram), .DramBuckets(DramBuckets), .DramWays(DramWays), .DramSigW(DramSigW),
    .DramDepth(DramDepth), .DramDbt(DramDbt), .DramAddrW(DramAddrW), .FlowFront(FlowFront)
  ) u_dp (
    .clk_i           (clk_i),
    .rst_ni          (dp_rst_n),
    .tick_i          (now_add),
    .learn_inhibit_i (learn_off),
    .s_axis_tdata    (s_axis_tdata),
    .s_axis_tkeep    (s_axis_tkeep),
    .s_axis_tlast    (s_axis_tlast),
    .s_axis_tuser    (s_axis_tuser),
    .s_axis_tvalid   (s_axis_tvalid),
    .s_axis_tready   (s_axis_tready),
    .m_axis_tdata    (m_axis_tdata),
    .m_axis_tkeep    (m_axis_tkeep),
    .m_axis_tlast    (m_axis_tlast),
    .m_axis_tuser    (m_axis_tuser),
    .m_axis_tid      (m_axis_tid),
    .m_axis_tvalid   (m_axis_tvalid),
    .m_axis_tready   (m_axis_tready),
    .s_csr_req_i     (dp_csr_req),
    .s_csr_we_i      (dp_csr_we),
    .s_csr_addr_i    (dp_csr_addr),
    .s_csr_wdata_i   (dp_csr_wdata),
    .s_csr_rdata_o   (csr_rdata),
    .s_csr_rvalid_o  (unused_csr_rvalid),
    .mon_valid_o     (mon_valid_o),
    .mon_action_o    (mon_action_o),
    .mon_reason_o    (mon_reason_o),
    .mon_rule_id_o   (mon_rule_id_o),
    .mon_flow_hit_o  (mon_flow_hit_o),
    .mon_learned_o   (mon_learned_o),
    .mon_park_valid_o(mon_park_valid_o),
    .mon_park_ok_o   (mon_park_ok_o),
    .mon_park_slot_o (mon_park_slot_o),
    .flow_dram_err_o   (flow_dram_err_o),
    .flow_dram_used_o  (unused_fd_used),
    .m_axi_flow_arvalid, .m_axi_flow_arready, .m_axi_flow_araddr, .m_axi_flow_arlen,
    .m_axi_flow_arsize, .m_axi_flow_arburst, .m_axi_flow_arid, .m_axi_flow_rvalid,
    .m_axi_flow_rready, .m_axi_flow_rdata, .m_axi_flow_rresp, .m_axi_flow_rlast, .m_axi_flow_rid,
    .m_axi_flow_awvalid, .m_axi_flow_awready, .m_axi_flow_awaddr, .m_axi_flow_awlen,
    .m_axi_flow_awsize, .m_axi_flow_awburst, .m_axi_flow_awid, .m_axi_flow_wvalid,
    .m_axi_flow_wready, .m_axi_flow_wdata, .m_axi_flow_wstrb, .m_axi_flow_wlast,
    .m_axi_flow_bvalid, .m_axi_flow_bready, .m_axi_flow_bresp, .m_axi_flow_bid
  );
  logic [31:0] unused_fd_used;  // slots in use: not on a register yet (host view: docs/datapath.md)
  logic unused_fd;
  assign unused_fd = ^unused_fd_used;
endmodule

`default_nettype wire
