// SPDX-License-Identifier: Apache-2.0
// host_window: the BAR0 host window of the SoC (HOSTREG_* of include/nsgnic/abi/host.def.h,
// docs/firmware.md). Two slave ports reach the same bytes: the host's BAR (s_bar_*) and the
// firmware's (s_fw_*, the CPU's MMIO port after the SoC decode, window offsets).
//
//   0x000-0x03F  hardware registers: MAGIC, HW_VERSION, HW_BUILD, HW_CAPS, CTRL (CPU run, soft
//                reset (reads 1 until the SoC has finished it), learning off), CMD_DOORBELL -> PENDING, HOST_DOORBELL -> IRQ_STATUS,
//                WINDOW_BYTES, FW_LOAD_ADDR/DATA (the CPU's RAMs through m_mem_*, only while
//                CTRL.CPU_RUN is 0; each data access then advances FW_LOAD_ADDR by 4),
//                TIME_CTRL (EXTERNAL), TIME_TICK (with EXTERNAL, a write of n = 1..65535 is
//                passed on as time_tick_o = n for one cycle; other values and writes without
//                EXTERNAL are ignored; reads 0)
//   0x040-end    one single-port RAM of WinBytes: the firmware's status words, the host's ring
//                indices and the rings. Both ports may write any word (the ABI says who should).
//
// Handshakes (both slave ports alike): a request (valid, we, address, wdata, wstrb) is taken in a
// cycle with valid && ready and holds until then; exactly one response (rvalid, with rdata for a
// read, 0 for a write) follows one cycle later. Registers are always ready; when both ports ask
// for the RAM in the same cycle, they take turns. Host-side accesses beyond WinBytes read 0 and
// are ignored; FW_LOAD_DATA accesses while the CPU runs read 0 and are ignored (the CPU's RAM
// port is the core's then); an FW_LOAD address outside both RAMs reads all ones.
`default_nettype none

module host_window #(
  parameter int unsigned WinBytes = nsgnic_abi_pkg::HOSTWIN_BYTES, // window bytes: power of two,
                                                                   // >= HOSTWIN_BYTES (ring layout)
  parameter logic [31:0] HwBuild  = 32'h0,                         // HOSTREG_HW_BUILD value
  parameter logic [31:0] HwCaps   = 32'h0,                         // HOSTREG_HW_CAPS value (CAP_* bits)
  localparam int unsigned Aw      = $clog2(WinBytes)               // window byte-address width
) (
  input  wire logic          clk_i,
  input  wire logic          rst_ni,
  // host BAR0 slave
  input  wire logic          s_bar_valid_i,
  output logic               s_bar_ready_o,
  input  wire logic          s_bar_we_i,
  input  wire logic [31:0]   s_bar_addr_i,    // byte offset in BAR0 (word aligned)
  input  wire logic [31:0]   s_bar_wdata_i,
  input  wire logic [3:0]    s_bar_wstrb_i,
  output logic               s_bar_rvalid_o,
  output logic [31:0]        s_bar_rdata_o,
  // firmware slave (window offset)
  input  wire logic          s_fw_valid_i,
  output logic               s_fw_ready_o,
  input  wire logic          s_fw_we_i,
  input  wire logic [Aw-1:0] s_fw_addr_i,
  input  wire logic [31:0]   s_fw_wdata_i,
  input  wire logic [3:0]    s_fw_wstrb_i,
  output logic               s_fw_rvalid_o,
  output logic [31:0]        s_fw_rdata_o,
  // control
  output logic               cpu_run_o,       // CTRL.CPU_RUN: 0 holds the core in reset
  output logic               soft_reset_o,    // one-cycle pulse: reset the datapath
  input  wire logic          soft_reset_busy_i, // the SoC is still clearing after it (CTRL.SOFT_RESET reads 1)
  output logic               learn_off_o,     // CTRL.LEARN_OFF
  output logic               time_ext_o,      // TIME_CTRL.EXTERNAL: NOW advances by TIME_TICK only
  output logic [15:0]        time_tick_o,     // NOW advance requested by a TIME_TICK write (0: none)
  output logic               irq_o,           // host interrupt: IRQ_STATUS != 0
  output logic               fw_irq_o,        // firmware interrupt: PENDING != 0
  // CPU RAM port (firmware load)
  output logic               m_mem_valid_o,
  output logic               m_mem_we_o,
  output logic [31:0]        m_mem_addr_o,
  output logic [31:0]        m_mem_wdata_o,
  output logic [3:0]         m_mem_wstrb_o,
  input  wire logic          m_mem_rvalid_i,
  input  wire logic [31:0]   m_mem_rdata_i,
  input  wire logic          m_mem_err_i
);
  localparam int unsigned Words = WinBytes / 4;
  localparam int unsigned Ww    = Aw - 2;            // RAM word-index width

  if (WinBytes < nsgnic_abi_pkg::HOSTWIN_BYTES || (WinBytes & (WinBytes - 1)) != 0) begin : g_bad_win
    $error("host_window: WinBytes must be a power of two >= HOSTWIN_BYTES");
  end

  // register offsets (word index within the 0x40-byte register block)
  localparam logic [3:0] RegMagic     = 4'(nsgnic_abi_pkg::HOSTREG_MAGIC >> 2);
  localparam logic [3:0] RegHwVersion = 4'(nsgnic_abi_pkg::HOSTREG_HW_VERSION >> 2);
  localparam logic [3:0] RegHwBuild   = 4'(nsgnic_abi_pkg::HOSTREG_HW_BUILD >> 2);
  localparam logic [3:0] RegHwCaps    = 4'(nsgnic_abi_pkg::HOSTREG_HW_CAPS >> 2);
  localparam logic [3:0] RegCtrl      = 4'(nsgnic_abi_pkg::HOSTREG_CTRL >> 2);
  localparam logic [3:0] RegCmdDb     = 4'(nsgnic_abi_pkg::HOSTREG_CMD_DOORBELL >> 2);
  localparam logic [3:0] RegPending   = 4'(nsgnic_abi_pkg::HOSTREG_PENDING >> 2);
  localparam logic [3:0] RegHostDb    = 4'(nsgnic_abi_pkg::HOSTREG_HOST_DOORBELL >> 2);
  localparam logic [3:0] RegIrq       = 4'(nsgnic_abi_pkg::HOSTREG_IRQ_STATUS >> 2);
  localparam logic [3:0] RegWinBytes  = 4'(nsgnic_abi_pkg::HOSTREG_WINDOW_BYTES >> 2);
  localparam logic [3:0] RegLoadAddr  = 4'(nsgnic_abi_pkg::HOSTREG_FW_LOAD_ADDR >> 2);
  localparam logic [3:0] RegLoadData  = 4'(nsgnic_abi_pkg::HOSTREG_FW_LOAD_DATA >> 2);
  localparam logic [3:0] RegTimeCtrl  = 4'(nsgnic_abi_pkg::HOSTREG_TIME_CTRL >> 2);
  localparam logic [3:0] RegTimeTick  = 4'(nsgnic_abi_pkg::HOSTREG_TIME_TICK >> 2);
  localparam int unsigned RegBytes    = nsgnic_abi_pkg::HOSTREG_FW_MAGIC;  // 0x40

  // Merges the bytes of `wdata` selected by `strb` into `old`.
  function automatic logic [31:0] merge(input logic [31:0] old, input logic [31:0] wdata,
                                        input logic [3:0] strb);
    merge = old;
    for (int b = 0; b < 4; b++) begin
      if (strb[b]) merge[8*b +: 8] = wdata[8*b +: 8];
    end
  endfunction

  // ---- decode ---------------------------------------------------------------------------------
  logic host_in_win, host_reg, host_ram, fw_reg, fw_ram;
  assign host_in_win = s_bar_addr_i < 32'(WinBytes);
  assign host_reg    = host_in_win && s_bar_addr_i < 32'(RegBytes);
  assign host_ram    = s_bar_valid_i && host_in_win && !host_reg;
  assign fw_reg      = 32'(s_fw_addr_i) < 32'(RegBytes);
  assign fw_ram      = s_fw_valid_i && !fw_reg;

  // RAM arbitration: alternate when both ask in the same cycle
  logic fw_prio_q, host_ram_gnt, fw_ram_gnt;
  assign host_ram_gnt = host_ram && (!fw_ram || !fw_prio_q);
  assign fw_ram_gnt   = fw_ram && !host_ram_gnt;
  assign s_bar_ready_o = !host_ram || host_ram_gnt;
  assign s_fw_ready_o  = !fw_ram || fw_ram_gnt;

  logic host_acc, fw_acc;
  assign host_acc = s_bar_valid_i && s_bar_ready_o;
  assign fw_acc   = s_fw_valid_i && s_fw_ready_o;

  // ---- RAM --------------------------------------------------------------------------------------
  logic [31:0]   mem_q [Words];
  logic [31:0]   ram_rdata_q, ram_wdata;
  logic [Ww-1:0] ram_idx;
  logic [3:0]    ram_be;
  logic          ram_req, ram_we;
  always_comb begin
    if (host_ram_gnt) begin
      ram_idx   = s_bar_addr_i[Aw-1:2];
      ram_we    = s_bar_we_i;
      ram_be    = s_bar_wstrb_i;
      ram_wdata = s_bar_wdata_i;
    end else begin
      ram_idx   = s_fw_addr_i[Aw-1:2];
      ram_we    = s_fw_we_i;
      ram_be    = s_fw_wstrb_i;
      ram_wdata = s_fw_wdata_i;
    end
  end
  assign ram_req = host_ram_gnt || fw_ram_gnt;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) fw_prio_q <= 1'b0;
    else if (host_ram && fw_ram) fw_prio_q <= !fw_prio_q;
  end

  always_ff @(posedge clk_i) begin
    if (ram_req) begin
      if (ram_we) begin
        for (int b = 0; b < 4; b++) begin
          if (ram_be[b]) mem_q[ram_idx][8*b +: 8] <= ram_wdata[8*b +: 8];
        end
      end
      ram_rdata_q <= mem_q[ram_idx];
    end
  end

  // ---- registers --------------------------------------------------------------------------------
  logic        cpu_run_q, learn_off_q, soft_reset_q, time_ext_q;
  logic [15:0] time_tick_q;
  logic        pending_q;   // PENDING.CMD
  logic [1:0]  irq_q;       // IRQ.CPL, IRQ.EVT
  logic [31:0] load_addr_q;
  logic [3:0]  host_ridx, fw_ridx;
  assign host_ridx = s_bar_addr_i[5:2];
  assign fw_ridx   = s_fw_addr_i[5:2];

  function automatic logic [31:0] reg_read(input logic [3:0] idx, input logic run,
                                           input logic loff, input logic pend,
                                           input logic [1:0] irq, input logic [31:0] laddr,
                                           input logic sbusy, input logic text);
    reg_read = 32'd0;
    unique case (idx)
      RegMagic:     reg_read = nsgnic_abi_pkg::HOST_MAGIC;
      RegHwVersion: reg_read = (32'(nsgnic_abi_pkg::ABI_VERSION_MAJOR) << 16) |
                               32'(nsgnic_abi_pkg::ABI_VERSION_MINOR);
      RegHwBuild:   reg_read = HwBuild;
      RegHwCaps:    reg_read = HwCaps;
      RegCtrl: begin
        reg_read[nsgnic_abi_pkg::CTRL_CPU_RUN_LSB]   = run;
        reg_read[nsgnic_abi_pkg::CTRL_LEARN_OFF_LSB] = loff;
        reg_read[nsgnic_abi_pkg::CTRL_SOFT_RESET_LSB] = sbusy;
      end
      RegPending:   reg_read[nsgnic_abi_pkg::PENDING_CMD_LSB] = pend;
      RegIrq:       reg_read[1:0] = irq;
      RegWinBytes:  reg_read = 32'(WinBytes);
      RegLoadAddr:  reg_read = laddr;
      RegTimeCtrl:  reg_read[nsgnic_abi_pkg::TIME_CTRL_EXTERNAL_LSB] = text;
      default:      reg_read = 32'd0;   // CMD_DOORBELL, HOST_DOORBELL, FW_LOAD_DATA, TIME_TICK, reserved
    endcase
  endfunction

  // host accesses to the CPU's RAMs
  logic host_load;  // an FW_LOAD_DATA access that goes to the CPU RAM this cycle
  // (registers are always ready: no dependence on the RAM arbitration, which depends on the CPU)
  assign host_load     = s_bar_valid_i && host_reg && host_ridx == RegLoadData && !cpu_run_q;
  assign m_mem_valid_o = host_load;
  assign m_mem_we_o    = s_bar_we_i;
  assign m_mem_addr_o  = load_addr_q;
  assign m_mem_wdata_o = s_bar_wdata_i;
  assign m_mem_wstrb_o = s_bar_wstrb_i;

  logic [31:0] ctrl_w;
  assign ctrl_w = merge(32'd0, s_bar_wdata_i, s_bar_wstrb_i);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      cpu_run_q    <= 1'b0;
      learn_off_q  <= 1'b0;
      soft_reset_q <= 1'b0;
      time_ext_q   <= 1'b0;
      time_tick_q  <= 16'd0;
      pending_q    <= 1'b0;
      irq_q        <= 2'b00;
      load_addr_q  <= 32'd0;
    end else begin
      soft_reset_q <= 1'b0;
      time_tick_q  <= 16'd0;
      // firmware side: PENDING is RW1C, HOST_DOORBELL raises IRQ bits
      if (fw_acc && fw_reg && s_fw_we_i) begin
        if (fw_ridx == RegPending && s_fw_wstrb_i[0] &&
            s_fw_wdata_i[nsgnic_abi_pkg::PENDING_CMD_LSB]) begin
          pending_q <= 1'b0;
        end
        if (fw_ridx == RegHostDb && s_fw_wstrb_i[0]) begin
          irq_q <= irq_q | s_fw_wdata_i[1:0];
        end
      end
      // host side (a doorbell wins over a clear in the same cycle)
      if (host_acc && host_reg && s_bar_we_i) begin
        unique case (host_ridx)
          RegCtrl: begin
            if (s_bar_wstrb_i[0]) begin
              cpu_run_q    <= ctrl_w[nsgnic_abi_pkg::CTRL_CPU_RUN_LSB];
              soft_reset_q <= ctrl_w[nsgnic_abi_pkg::CTRL_SOFT_RESET_LSB];
              learn_off_q  <= ctrl_w[nsgnic_abi_pkg::CTRL_LEARN_OFF_LSB];
            end
          end
          RegCmdDb: pending_q <= 1'b1;
          RegIrq: begin
            if (s_bar_wstrb_i[0]) irq_q <= irq_q & ~s_bar_wdata_i[1:0];
            if (fw_acc && fw_reg && s_fw_we_i && fw_ridx == RegHostDb && s_fw_wstrb_i[0]) begin
              irq_q <= (irq_q & ~s_bar_wdata_i[1:0]) | s_fw_wdata_i[1:0];
            end
          end
          RegLoadAddr: load_addr_q <= merge(load_addr_q, s_bar_wdata_i, s_bar_wstrb_i);
          RegTimeCtrl: begin
            if (s_bar_wstrb_i[0]) time_ext_q <= ctrl_w[nsgnic_abi_pkg::TIME_CTRL_EXTERNAL_LSB];
          end
          RegTimeTick: begin
            // n = 1..65535, whole word written, EXTERNAL set; anything else is ignored
            if (time_ext_q && s_bar_wstrb_i == 4'hF && s_bar_wdata_i[31:16] == 16'd0)
              time_tick_q <= s_bar_wdata_i[15:0];
          end
          default: ;
        endcase
      end
      if (host_load) begin
        load_addr_q <= load_addr_q + 32'd4;
      end
    end
  end

  // ---- responses --------------------------------------------------------------------------------
  localparam logic [1:0] SrcReg = 2'd0;
  localparam logic [1:0] SrcRam = 2'd1;
  localparam logic [1:0] SrcMem = 2'd2;
  logic        host_rv_q, fw_rv_q, host_we_q, fw_we_q;
  logic [1:0]  host_src_q;
  logic        fw_src_ram_q;
  logic [31:0] host_reg_q, fw_reg_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      host_rv_q    <= 1'b0;
      fw_rv_q      <= 1'b0;
      host_we_q    <= 1'b0;
      fw_we_q      <= 1'b0;
      host_src_q   <= SrcReg;
      fw_src_ram_q <= 1'b0;
      host_reg_q   <= 32'd0;
      fw_reg_q     <= 32'd0;
    end else begin
      host_rv_q <= host_acc;
      fw_rv_q   <= fw_acc;
      if (host_acc) begin
        host_we_q  <= s_bar_we_i;
        host_src_q <= host_load ? SrcMem : (host_ram ? SrcRam : SrcReg);
        host_reg_q <= host_reg ? reg_read(host_ridx, cpu_run_q, learn_off_q, pending_q, irq_q,
                                          load_addr_q, soft_reset_q || soft_reset_busy_i,
                                          time_ext_q) : 32'd0;
      end
      if (fw_acc) begin
        fw_we_q      <= s_fw_we_i;
        fw_src_ram_q <= fw_ram;
        fw_reg_q     <= reg_read(fw_ridx, cpu_run_q, learn_off_q, pending_q, irq_q, load_addr_q,
                                 soft_reset_q || soft_reset_busy_i, time_ext_q);
      end
    end
  end

  logic unused_mem_rvalid;
  assign unused_mem_rvalid = m_mem_rvalid_i;

  always_comb begin
    s_bar_rvalid_o = host_rv_q;
    s_bar_rdata_o  = 32'd0;
    if (host_rv_q && !host_we_q) begin
      unique case (host_src_q)
        SrcRam:  s_bar_rdata_o = ram_rdata_q;
        SrcMem:  s_bar_rdata_o = m_mem_err_i ? 32'hFFFF_FFFF : m_mem_rdata_i;
        default: s_bar_rdata_o = host_reg_q;
      endcase
    end
    s_fw_rvalid_o = fw_rv_q;
    s_fw_rdata_o  = (fw_rv_q && !fw_we_q) ? (fw_src_ram_q ? ram_rdata_q : fw_reg_q) : 32'd0;
  end

  assign cpu_run_o    = cpu_run_q;
  assign soft_reset_o = soft_reset_q;
  assign learn_off_o  = learn_off_q;
  assign time_ext_o   = time_ext_q;
  assign time_tick_o  = time_tick_q;
  assign irq_o        = irq_q != 2'b00;
  assign fw_irq_o     = pending_q;
endmodule

`default_nettype wire
