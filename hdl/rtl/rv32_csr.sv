// SPDX-License-Identifier: Apache-2.0
// rv32_csr: the machine-mode CSRs (machine mode only: mstatus.MPP reads as M), trap entry and
// MRET. CSR instructions read and write in the core's execute stage; a trap or MRET updates
// mstatus/mepc/mcause/mtval in the cycle the core redirects. Interrupts: timer (MTIP, from the
// timer block) and one external line (MEIP); mip is read-only. mtvec supports direct (MODE 0)
// and vectored (MODE 1: interrupts go to BASE + 4*cause) modes.
//
// Counters (privileged spec, Zicsr and Zicntr): mcycle and minstret are 64 bits, written a half
// at a time. A CSR write to a counter is done *instead of* the increment: a write to minstret
// or minstreth sets the written half, keeps the other half as the instructions before it left
// it (the carry of the previous instruction's increment included) and the writing instruction
// itself is not counted (it retires one cycle later, in W: that retirement is skipped), so the
// value written is the value the next instruction reads. A read counts every instruction before
// it, the one retiring in W in the same cycle included. A write to mcycle or mcycleh replaces
// that cycle's increment for the whole 64-bit counter. mcountinhibit.CY (bit 0) and .IR (bit 2)
// stop the two counters; its other bits, the mhpmcounter3..31(h) and mhpmevent3..31 CSRs and
// their user aliases hpmcounter3..31(h) exist and read as zero (no events are implemented:
// WARL, writes ignored), as the spec allows.
`default_nettype none

module rv32_csr #(
  parameter int unsigned HartId = 0  // value of mhartid
) (
  input  wire logic        clk_i,
  input  wire logic        rst_ni,
  input  wire logic [31:0] boot_addr_i,    // mtvec value after reset
  // CSR instruction (execute stage)
  input  wire logic [11:0] csr_addr_i,
  input  wire logic [31:0] csr_wdata_i,    // rs1 value or zero-extended immediate
  input  wire logic [1:0]  csr_op_i,       // funct3[1:0]: 01 write, 10 set, 11 clear
  input  wire logic        csr_write_i,    // the instruction writes (not CSRRS/C with x0/0)
  input  wire logic        csr_commit_i,   // the CSR instruction completes this cycle
  output logic [31:0]      csr_rdata_o,
  output logic             csr_illegal_o,  // no such CSR, or a write to a read-only one
  // traps and return
  input  wire logic        trap_i,
  input  wire logic        trap_irq_i,     // the trap is an interrupt
  input  wire logic [4:0]  trap_cause_i,
  input  wire logic [31:0] trap_pc_i,      // -> mepc
  input  wire logic [31:0] trap_tval_i,    // -> mtval
  output logic [31:0]      trap_vector_o,  // handler address for the trap described above
  input  wire logic        mret_i,
  output logic [31:0]      mepc_o,
  // interrupts
  input  wire logic        irq_timer_i,
  input  wire logic        irq_external_i,
  output logic             irq_pending_o,  // an enabled interrupt is pending and mstatus.MIE
  output logic [4:0]       irq_cause_o,
  // counters
  input  wire logic        retire_i        // one instruction retired this cycle
);
  localparam logic [31:0] Misa = 32'h4000_1100;  // MXL=1 (32-bit), extensions I and M

  logic        mie_bit_q, mpie_q;               // mstatus.MIE, mstatus.MPIE
  logic [31:0] mtvec_q, mscratch_q, mepc_q, mcause_q, mtval_q;
  logic        msie_q, mtie_q, meie_q;          // mie bits 3, 7, 11
  logic [63:0] mcycle_q, minstret_q;
  logic        cy_inhibit_q, ir_inhibit_q;      // mcountinhibit.CY, mcountinhibit.IR
  logic        instret_skip_q;                  // the next retirement wrote minstret(h): skip it
  logic        booted_q;                        // mtvec took boot_addr_i after reset

  logic [31:0] mstatus, mie, mip;
  assign mstatus = {19'd0, 2'b11, 3'd0, mpie_q, 3'd0, mie_bit_q, 3'd0};
  assign mie     = {20'd0, meie_q, 3'd0, mtie_q, 3'd0, msie_q, 3'd0};
  assign mip     = {20'd0, irq_external_i, 3'd0, irq_timer_i, 7'd0};

  // minstret after this cycle's retirement (the one after a write to minstret(h) is the writing
  // instruction itself and is not counted)
  logic [63:0] instret_next;
  assign instret_next = minstret_q + {63'd0, retire_i && !instret_skip_q && !ir_inhibit_q};

  // ---- read ----------------------------------------------------------------------------------
  logic known;
  always_comb begin
    known = 1'b1;
    csr_rdata_o = 32'd0;
    unique case (csr_addr_i)
      rv32_pkg::CsrMstatus:   csr_rdata_o = mstatus;
      rv32_pkg::CsrMisa:      csr_rdata_o = Misa;
      rv32_pkg::CsrMie:       csr_rdata_o = mie;
      rv32_pkg::CsrMtvec:     csr_rdata_o = mtvec_q;
      rv32_pkg::CsrMstatush:  csr_rdata_o = 32'd0;
      rv32_pkg::CsrMcountinhibit: csr_rdata_o = {29'd0, ir_inhibit_q, 1'b0, cy_inhibit_q};
      rv32_pkg::CsrMscratch:  csr_rdata_o = mscratch_q;
      rv32_pkg::CsrMepc:      csr_rdata_o = mepc_q;
      rv32_pkg::CsrMcause:    csr_rdata_o = mcause_q;
      rv32_pkg::CsrMtval:     csr_rdata_o = mtval_q;
      rv32_pkg::CsrMip:       csr_rdata_o = mip;
      rv32_pkg::CsrMcycle,
      rv32_pkg::CsrCycle:     csr_rdata_o = mcycle_q[31:0];
      rv32_pkg::CsrMcycleh,
      rv32_pkg::CsrCycleh:    csr_rdata_o = mcycle_q[63:32];
      rv32_pkg::CsrMinstret,
      rv32_pkg::CsrInstret:   csr_rdata_o = instret_next[31:0];
      rv32_pkg::CsrMinstreth,
      rv32_pkg::CsrInstreth:  csr_rdata_o = instret_next[63:32];
      rv32_pkg::CsrMvendorid,
      rv32_pkg::CsrMarchid,
      rv32_pkg::CsrMimpid:    csr_rdata_o = 32'd0;
      rv32_pkg::CsrMhartid:   csr_rdata_o = HartId;
      default: begin
        // mhpmcounter3..31 (B03..B1F), mhpmcounter3h..31h (B83..B9F), hpmcounter3..31(h)
        // (C03..C1F, C83..C9F), mhpmevent3..31 (323..33F): present, read as zero
        known = ((csr_addr_i[11:8] == 4'hB || csr_addr_i[11:8] == 4'hC) &&
                 csr_addr_i[6:5] == 2'b00 && csr_addr_i[4:0] >= 5'd3) ||
                (csr_addr_i[11:5] == 7'b0011_001 && csr_addr_i[4:0] >= 5'd3);
      end
    endcase
  end
  // addr[11:10] == 2'b11 marks a read-only CSR.
  assign csr_illegal_o = !known || (csr_write_i && csr_addr_i[11:10] == 2'b11);

  logic [31:0] wval;
  always_comb begin
    unique case (csr_op_i)
      2'b10:   wval = csr_rdata_o | csr_wdata_i;
      2'b11:   wval = csr_rdata_o & ~csr_wdata_i;
      default: wval = csr_wdata_i;
    endcase
  end

  logic wr;
  assign wr = csr_commit_i && csr_write_i && !csr_illegal_o;


  // ---- interrupts and trap vector -----------------------------------------------------------
  assign irq_pending_o = mie_bit_q && ((meie_q && irq_external_i) || (mtie_q && irq_timer_i));
  assign irq_cause_o   = (meie_q && irq_external_i) ? rv32_pkg::IrqExternal : rv32_pkg::IrqTimer;
  assign trap_vector_o = (trap_irq_i && mtvec_q[0]) ? {mtvec_q[31:2], 2'b00} + {25'd0, trap_cause_i, 2'b00}
                                                    : {mtvec_q[31:2], 2'b00};
  assign mepc_o = mepc_q;

  // ---- state ---------------------------------------------------------------------------------
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      mie_bit_q  <= 1'b0;
      mpie_q     <= 1'b0;
      mtvec_q    <= 32'd0;
      booted_q   <= 1'b0;
      mscratch_q <= 32'd0;
      mepc_q     <= 32'd0;
      mcause_q   <= 32'd0;
      mtval_q    <= 32'd0;
      msie_q     <= 1'b0;
      mtie_q     <= 1'b0;
      meie_q     <= 1'b0;
      mcycle_q   <= 64'd0;
      minstret_q <= 64'd0;
      cy_inhibit_q   <= 1'b0;
      ir_inhibit_q   <= 1'b0;
      instret_skip_q <= 1'b0;
    end else begin
      // counters: a CSR write is done instead of the increment (see the header)
      if (wr && csr_addr_i == rv32_pkg::CsrMcycle) begin
        mcycle_q[31:0] <= wval;
      end else if (wr && csr_addr_i == rv32_pkg::CsrMcycleh) begin
        mcycle_q[63:32] <= wval;
      end else if (!cy_inhibit_q) begin
        mcycle_q <= mcycle_q + 64'd1;
      end
      if (wr && csr_addr_i == rv32_pkg::CsrMinstret) begin
        minstret_q     <= {instret_next[63:32], wval};
        instret_skip_q <= 1'b1;
      end else if (wr && csr_addr_i == rv32_pkg::CsrMinstreth) begin
        minstret_q     <= {wval, instret_next[31:0]};
        instret_skip_q <= 1'b1;
      end else begin
        minstret_q <= instret_next;
        if (retire_i) begin
          instret_skip_q <= 1'b0;
        end
      end
      // mtvec starts at the boot address (a synchronous load keeps the reset values constant)
      booted_q <= 1'b1;
      if (!booted_q) begin
        mtvec_q <= boot_addr_i & 32'hFFFF_FFFC;
      end
      if (trap_i) begin
        mepc_q    <= trap_pc_i & 32'hFFFF_FFFC;
        mcause_q  <= {trap_irq_i, 26'd0, trap_cause_i};
        mtval_q   <= trap_tval_i;
        mpie_q    <= mie_bit_q;
        mie_bit_q <= 1'b0;
      end else if (mret_i) begin
        mie_bit_q <= mpie_q;
        mpie_q    <= 1'b1;
      end else if (wr) begin
        unique case (csr_addr_i)
          rv32_pkg::CsrMstatus: begin
            mie_bit_q <= wval[3];
            mpie_q    <= wval[7];
          end
          rv32_pkg::CsrMie: begin
            msie_q <= wval[3];
            mtie_q <= wval[7];
            meie_q <= wval[11];
          end
          rv32_pkg::CsrMtvec:     mtvec_q    <= {wval[31:2], 1'b0, wval[0]};
          rv32_pkg::CsrMscratch:  mscratch_q <= wval;
          rv32_pkg::CsrMepc:      mepc_q     <= {wval[31:2], 2'b00};
          rv32_pkg::CsrMcause:    mcause_q   <= wval;
          rv32_pkg::CsrMtval:     mtval_q    <= wval;
          rv32_pkg::CsrMcountinhibit: begin
            cy_inhibit_q <= wval[0];
            ir_inhibit_q <= wval[2];
          end
          default: ;  // counters (above), read-only or WARL-fixed (misa, mip, ids, hpm*): ignored
        endcase
      end
    end
  end
endmodule

`default_nettype wire
