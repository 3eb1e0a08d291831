// SPDX-License-Identifier: Apache-2.0
// rv32_core: the nsgnic soft-core, RV32IM + Zicsr, machine mode only.
//
// Pipeline (3 stages, in-order, one instruction per clock when nothing stalls):
//   F  fetch:      the core drives instr_addr_o every cycle; the synchronous instruction RAM
//                  returns the word on instr_rdata_i in the next cycle.
//   X  execute:    decode, register read (with bypass from W), ALU, branch/jump resolution,
//                  CSR access, traps, multiply, divider start, load/store address and request.
//                  The next fetch address is computed here, so taken branches and jumps cost
//                  no bubble (the price is the path RAM -> decode -> compare -> RAM address).
//   W  writeback:  load data returns from the data bus, is aligned and written back; ALU results
//                  ride along and are written in the same stage.
// Hazards: W forwards its result (ALU or aligned load data) to X, so there are no load-use or
// back-to-back stalls. X waits for a data-bus grant, for the iterative divider (32 cycles) and
// while W waits for a data response (e.g. slow external MMIO).
// Traps are precise: synchronous exceptions are detected in X (fetch access fault, illegal
// instruction, ECALL, EBREAK, misaligned jump target, misaligned load/store address); a data-bus
// error response is detected in W (load/store access fault) and kills the instruction in X.
// Interrupts are taken in X before the instruction there executes.
//
// Data bus (one request outstanding): data_req_o with addr/we/be/wdata is held until
// data_gnt_i; exactly one data_rvalid_i (with rdata for loads, and data_err_i) follows in a
// later cycle. data_req_o never depends combinationally on data_gnt_i.
`default_nettype none

module rv32_core #(
  parameter int unsigned HartId = 0  // value of mhartid (0 for the single core)
) (
  input  wire logic        clk_i,
  input  wire logic        rst_ni,
  input  wire logic [31:0] boot_addr_i,   // reset PC and reset mtvec; word aligned
  // instruction fetch from a synchronous memory (data and error one cycle after the address)
  output logic [31:0]      instr_addr_o,
  input  wire logic [31:0] instr_rdata_i,
  input  wire logic        instr_err_i,   // the fetched address maps to no instruction memory
  // data bus
  output logic             data_req_o,
  input  wire logic        data_gnt_i,
  output logic [31:0]      data_addr_o,
  output logic             data_we_o,
  output logic [3:0]       data_be_o,
  output logic [31:0]      data_wdata_o,
  input  wire logic        data_rvalid_i,
  input  wire logic [31:0] data_rdata_i,
  input  wire logic        data_err_i,
  // interrupts (level sensitive)
  input  wire logic        irq_timer_i,
  input  wire logic        irq_external_i,
  // one instruction retired this cycle, and its PC (simulator statistics and logs)
  output logic             retire_o,
  output logic [31:0]      retire_pc_o,
  // a trap is taken this cycle (its mcause value and mepc), an MRET returns (simulator reports)
  output logic             trap_o,
  output logic [31:0]      trap_mcause_o,
  output logic [31:0]      trap_pc_o,
  output logic             mret_o
);
  // ---- pipeline state ----------------------------------------------------------------------
  logic [31:0] pc_x_q;       // PC of the instruction on instr_rdata_i
  logic        x_valid_q;    // instr_rdata_i holds a fetched instruction (0 only after reset)

  logic        w_valid_q;
  logic        w_rd_we_q;    // writes a register other than x0
  logic [4:0]  w_rd_q;
  logic [31:0] w_result_q;   // non-load result
  logic        w_mem_q;      // load or store waiting for its bus response
  logic        w_load_q;
  logic [2:0]  w_funct3_q;
  logic [31:0] w_addr_q;     // load/store address (alignment, mtval)
  logic [31:0] w_pc_q;

  logic        div_inflight_q;  // the divider works for the instruction in X
  logic        req_pending_q;   // X presented a data request that was not granted yet

  // ---- X: decode -----------------------------------------------------------------------------
  logic [31:0] instr;
  logic [4:0]  opcode, rd, rs1, rs2;
  logic [2:0]  funct3;
  logic [6:0]  funct7;
  assign instr  = instr_rdata_i;
  assign opcode = instr[6:2];
  assign rd     = instr[11:7];
  assign funct3 = instr[14:12];
  assign rs1    = instr[19:15];
  assign rs2    = instr[24:20];
  assign funct7 = instr[31:25];

  logic [31:0] imm_i, imm_s, imm_b, imm_u, imm_j;
  assign imm_i = {{20{instr[31]}}, instr[31:20]};
  assign imm_s = {{20{instr[31]}}, instr[31:25], instr[11:7]};
  assign imm_b = {{19{instr[31]}}, instr[31], instr[7], instr[30:25], instr[11:8], 1'b0};
  assign imm_u = {instr[31:12], 12'd0};
  assign imm_j = {{11{instr[31]}}, instr[31], instr[19:12], instr[20], instr[30:21], 1'b0};

  // Result selection in X.
  localparam logic [2:0] ResAlu = 3'd0;
  localparam logic [2:0] ResPc4 = 3'd1;
  localparam logic [2:0] ResCsr = 3'd2;
  localparam logic [2:0] ResMul = 3'd3;
  localparam logic [2:0] ResDiv = 3'd4;

  logic        legal, rd_we, a_pc, b_imm;
  logic [3:0]  alu_op;
  logic [31:0] imm;
  logic [2:0]  res_sel;
  logic        is_load, is_store, is_branch, is_jal, is_jalr, is_div, is_csr;
  logic        is_ecall, is_ebreak, is_mret;

  always_comb begin
    legal     = 1'b0;
    rd_we     = 1'b0;
    a_pc      = 1'b0;
    b_imm     = 1'b0;
    alu_op    = rv32_pkg::AluAdd;
    imm       = imm_i;
    res_sel   = ResAlu;
    is_load   = 1'b0;
    is_store  = 1'b0;
    is_branch = 1'b0;
    is_jal    = 1'b0;
    is_jalr   = 1'b0;
    is_div    = 1'b0;
    is_csr    = 1'b0;
    is_ecall  = 1'b0;
    is_ebreak = 1'b0;
    is_mret   = 1'b0;
    if (instr[1:0] == 2'b11) begin
      unique case (opcode)
        rv32_pkg::OpLui: begin
          legal = 1'b1; rd_we = 1'b1; b_imm = 1'b1; imm = imm_u; alu_op = rv32_pkg::AluPassB;
        end
        rv32_pkg::OpAuipc: begin
          legal = 1'b1; rd_we = 1'b1; a_pc = 1'b1; b_imm = 1'b1; imm = imm_u;
        end
        rv32_pkg::OpJal: begin
          legal = 1'b1; rd_we = 1'b1; is_jal = 1'b1; res_sel = ResPc4;
        end
        rv32_pkg::OpJalr: begin
          legal = (funct3 == 3'b000); rd_we = 1'b1; is_jalr = 1'b1; res_sel = ResPc4;
        end
        rv32_pkg::OpBranch: begin
          legal = (funct3 != 3'b010) && (funct3 != 3'b011); is_branch = 1'b1;
        end
        rv32_pkg::OpLoad: begin
          legal = (funct3 != 3'b011) && (funct3 != 3'b110) && (funct3 != 3'b111);
          rd_we = 1'b1; is_load = 1'b1;
        end
        rv32_pkg::OpStore: begin
          legal = (funct3 == 3'b000) || (funct3 == 3'b001) || (funct3 == 3'b010);
          is_store = 1'b1; imm = imm_s;
        end
        rv32_pkg::OpImm: begin
          rd_we = 1'b1; b_imm = 1'b1; legal = 1'b1;
          unique case (funct3)
            3'b000: alu_op = rv32_pkg::AluAdd;
            3'b010: alu_op = rv32_pkg::AluSlt;
            3'b011: alu_op = rv32_pkg::AluSltu;
            3'b100: alu_op = rv32_pkg::AluXor;
            3'b110: alu_op = rv32_pkg::AluOr;
            3'b111: alu_op = rv32_pkg::AluAnd;
            3'b001: begin alu_op = rv32_pkg::AluSll; legal = (funct7 == 7'b0000000); end
            3'b101: begin
              alu_op = funct7[5] ? rv32_pkg::AluSra : rv32_pkg::AluSrl;
              legal  = (funct7 == 7'b0000000) || (funct7 == 7'b0100000);
            end
            default: legal = 1'b0;
          endcase
        end
        rv32_pkg::OpReg: begin
          rd_we = 1'b1;
          if (funct7 == 7'b0000001) begin
            legal = 1'b1;
            is_div = funct3[2];
            res_sel = funct3[2] ? ResDiv : ResMul;
          end else if (funct7 == 7'b0000000) begin
            legal = 1'b1;
            unique case (funct3)
              3'b000:  alu_op = rv32_pkg::AluAdd;
              3'b001:  alu_op = rv32_pkg::AluSll;
              3'b010:  alu_op = rv32_pkg::AluSlt;
              3'b011:  alu_op = rv32_pkg::AluSltu;
              3'b100:  alu_op = rv32_pkg::AluXor;
              3'b101:  alu_op = rv32_pkg::AluSrl;
              3'b110:  alu_op = rv32_pkg::AluOr;
              default: alu_op = rv32_pkg::AluAnd;
            endcase
          end else if (funct7 == 7'b0100000) begin
            legal  = (funct3 == 3'b000) || (funct3 == 3'b101);
            alu_op = funct3[2] ? rv32_pkg::AluSra : rv32_pkg::AluSub;
          end
        end
        rv32_pkg::OpMiscMem: begin
          // FENCE and FENCE.I are no-ops: memory accesses complete in order, and an instruction
          // fetched after a FENCE.I reads the RAM at least one clock edge after the last store.
          legal = (funct3 == 3'b000) || (funct3 == 3'b001);
        end
        rv32_pkg::OpSystem: begin
          if (funct3 == 3'b000) begin
            unique case (instr)
              32'h0000_0073: begin legal = 1'b1; is_ecall = 1'b1; end
              32'h0010_0073: begin legal = 1'b1; is_ebreak = 1'b1; end
              32'h3020_0073: begin legal = 1'b1; is_mret = 1'b1; end
              32'h1050_0073: legal = 1'b1;  // WFI: a no-op (interrupts are polled every cycle)
              default:       legal = 1'b0;
            endcase
          end else if (funct3 != 3'b100) begin
            legal = 1'b1; rd_we = 1'b1; is_csr = 1'b1; res_sel = ResCsr;
          end
        end
        default: legal = 1'b0;
      endcase
    end
  end

  // ---- X: operands ---------------------------------------------------------------------------
  logic [31:0] rf_a, rf_b, w_wdata, op_a, op_b;
  logic        rf_we;
  assign op_a = (w_valid_q && w_rd_we_q && w_rd_q == rs1) ? w_wdata : rf_a;
  assign op_b = (w_valid_q && w_rd_we_q && w_rd_q == rs2) ? w_wdata : rf_b;

  rv32_regfile #(.NumRegs(32)) u_regfile (
    .clk_i     (clk_i),
    .raddr_a_i (rs1),
    .rdata_a_o (rf_a),
    .raddr_b_i (rs2),
    .rdata_b_o (rf_b),
    .we_i      (rf_we),
    .waddr_i   (w_rd_q),
    .wdata_i   (w_wdata)
  );

  logic [31:0] alu_result;
  logic        br_taken;
  rv32_alu u_alu (
    .op_i        (alu_op),
    .a_i         (a_pc ? pc_x_q : op_a),
    .b_i         (b_imm ? imm : op_b),
    .result_o    (alu_result),
    .br_funct3_i (funct3),
    .br_taken_o  (br_taken)
  );

  logic [31:0] mul_result, div_result;
  logic        div_start, div_ack, div_valid;
  rv32_muldiv u_muldiv (
    .clk_i        (clk_i),
    .rst_ni       (rst_ni),
    .funct3_i     (funct3),
    .a_i          (op_a),
    .b_i          (op_b),
    .mul_result_o (mul_result),
    .div_start_i  (div_start),
    .div_ack_i    (div_ack),
    .div_valid_o  (div_valid),
    .div_result_o (div_result)
  );

  // ---- X: addresses and control flow -----------------------------------------------------------
  logic [31:0] mem_addr, pc_plus4, pc_target, jump_target;
  logic        redirect, target_misaligned, mem_misaligned;
  assign mem_addr    = op_a + imm;                    // loads, stores and JALR (imm = imm_i/_s)
  assign pc_plus4    = pc_x_q + 32'd4;
  assign pc_target   = pc_x_q + (is_jal ? imm_j : imm_b);
  assign jump_target = is_jalr ? {mem_addr[31:1], 1'b0} : pc_target;
  assign redirect    = is_jal || is_jalr || (is_branch && br_taken);
  assign target_misaligned = redirect && jump_target[1];
  assign mem_misaligned = (is_load || is_store) &&
                          ((funct3[1:0] == 2'b01 && mem_addr[0]) ||
                           (funct3[1:0] == 2'b10 && mem_addr[1:0] != 2'b00));

  // ---- CSR file and traps ----------------------------------------------------------------------
  logic [31:0] csr_rdata, trap_vector, mepc;
  logic        csr_illegal, irq_pending;
  logic [4:0]  irq_cause;
  logic        csr_write;
  assign csr_write = (funct3[1:0] == 2'b01) || (rs1 != 5'd0);

  // W: response of the data bus
  logic w_busy, w_fault;
  assign w_busy  = w_valid_q && w_mem_q && !data_rvalid_i;
  assign w_fault = w_valid_q && w_mem_q && data_rvalid_i && data_err_i;

  logic x_go, take_irq, x_exc, x_trap, x_fire, is_mem;
  logic [4:0]  exc_cause;
  logic [31:0] exc_tval;
  assign is_mem = is_load || is_store;
  assign x_go   = x_valid_q && !w_busy && !w_fault;
  assign take_irq = x_go && irq_pending && !div_inflight_q && !req_pending_q;

  always_comb begin
    x_exc     = 1'b1;
    exc_cause = rv32_pkg::ExcIllegal;
    exc_tval  = 32'd0;
    if (instr_err_i) begin
      exc_cause = rv32_pkg::ExcInstrAccess;
      exc_tval  = pc_x_q;
    end else if (!legal || (is_csr && csr_illegal)) begin
      exc_cause = rv32_pkg::ExcIllegal;
      exc_tval  = instr;
    end else if (is_ecall) begin
      exc_cause = rv32_pkg::ExcEcallM;
    end else if (is_ebreak) begin
      exc_cause = rv32_pkg::ExcBreakpoint;
      exc_tval  = pc_x_q;
    end else if (target_misaligned) begin
      exc_cause = rv32_pkg::ExcInstrMisaligned;
      exc_tval  = jump_target;
    end else if (mem_misaligned) begin
      exc_cause = is_store ? rv32_pkg::ExcStoreMisaligned : rv32_pkg::ExcLoadMisaligned;
      exc_tval  = mem_addr;
    end else begin
      x_exc = 1'b0;
    end
  end
  assign x_trap = take_irq || (x_go && x_exc);

  assign data_req_o = x_go && !x_trap && is_mem;
  assign x_fire     = x_go && !x_trap && (is_mem ? data_gnt_i : (is_div ? div_valid : 1'b1));
  assign div_start  = x_go && !x_trap && is_div && !div_inflight_q;
  assign div_ack    = x_fire && is_div;

  logic        trap;
  logic        trap_irq;
  logic [4:0]  trap_cause;
  logic [31:0] trap_pc, trap_tval;
  always_comb begin
    trap       = w_fault || x_trap;
    trap_irq   = 1'b0;
    trap_cause = exc_cause;
    trap_pc    = pc_x_q;
    trap_tval  = exc_tval;
    if (w_fault) begin
      trap_cause = w_load_q ? rv32_pkg::ExcLoadAccess : rv32_pkg::ExcStoreAccess;
      trap_pc    = w_pc_q;
      trap_tval  = w_addr_q;
    end else if (take_irq) begin
      trap_irq   = 1'b1;
      trap_cause = irq_cause;
      trap_tval  = 32'd0;
    end
  end

  assign trap_o        = trap;
  assign trap_mcause_o = {trap_irq, 26'd0, trap_cause};
  assign trap_pc_o     = trap_pc;
  assign mret_o        = x_fire && is_mret;

  rv32_csr #(.HartId(HartId)) u_csr (
    .clk_i          (clk_i),
    .rst_ni         (rst_ni),
    .boot_addr_i    (boot_addr_i),
    .csr_addr_i     (instr[31:20]),
    .csr_wdata_i    (funct3[2] ? {27'd0, rs1} : op_a),
    .csr_op_i       (funct3[1:0]),
    .csr_write_i    (csr_write),
    .csr_commit_i   (x_fire && is_csr),
    .csr_rdata_o    (csr_rdata),
    .csr_illegal_o  (csr_illegal),
    .trap_i         (trap),
    .trap_irq_i     (trap_irq),
    .trap_cause_i   (trap_cause),
    .trap_pc_i      (trap_pc),
    .trap_tval_i    (trap_tval),
    .trap_vector_o  (trap_vector),
    .mret_i         (x_fire && is_mret),
    .mepc_o         (mepc),
    .irq_timer_i    (irq_timer_i),
    .irq_external_i (irq_external_i),
    .irq_pending_o  (irq_pending),
    .irq_cause_o    (irq_cause),
    .retire_i       (retire_o)
  );

  // ---- fetch address -----------------------------------------------------------------------------
  always_comb begin
    if (!x_valid_q) begin
      instr_addr_o = {boot_addr_i[31:2], 2'b00};  // first fetch after reset
    end else if (trap) begin
      instr_addr_o = trap_vector;
    end else if (x_fire) begin
      if (is_mret) begin
        instr_addr_o = mepc;
      end else if (redirect) begin
        instr_addr_o = jump_target;
      end else begin
        instr_addr_o = pc_plus4;
      end
    end else begin
      instr_addr_o = pc_x_q;                 // stalled: fetch the same word again
    end
  end

  // ---- data bus request ------------------------------------------------------------------------
  logic [31:0] x_result;
  always_comb begin
    unique case (res_sel)
      ResPc4:  x_result = pc_plus4;
      ResCsr:  x_result = csr_rdata;
      ResMul:  x_result = mul_result;
      ResDiv:  x_result = div_result;
      default: x_result = alu_result;
    endcase
  end

  assign data_addr_o = {mem_addr[31:2], 2'b00};
  assign data_we_o   = is_store;
  always_comb begin
    unique case (funct3[1:0])
      2'b00: begin
        data_wdata_o = {4{op_b[7:0]}};
        data_be_o    = 4'b0001 << mem_addr[1:0];
      end
      2'b01: begin
        data_wdata_o = {2{op_b[15:0]}};
        data_be_o    = mem_addr[1] ? 4'b1100 : 4'b0011;
      end
      default: begin
        data_wdata_o = op_b;
        data_be_o    = 4'b1111;
      end
    endcase
  end

  // ---- W: load alignment and write-back ----------------------------------------------------------
  logic [15:0] ld_half;
  logic [7:0]  ld_byte;
  logic [31:0] ld_value;
  assign ld_half = w_addr_q[1] ? data_rdata_i[31:16] : data_rdata_i[15:0];
  assign ld_byte = w_addr_q[0] ? ld_half[15:8] : ld_half[7:0];
  always_comb begin
    unique case (w_funct3_q)
      3'b000:  ld_value = {{24{ld_byte[7]}}, ld_byte};
      3'b001:  ld_value = {{16{ld_half[15]}}, ld_half};
      3'b100:  ld_value = {24'd0, ld_byte};
      3'b101:  ld_value = {16'd0, ld_half};
      default: ld_value = data_rdata_i;
    endcase
  end
  assign w_wdata  = w_load_q ? ld_value : w_result_q;
  assign rf_we    = w_valid_q && w_rd_we_q && !w_busy && !w_fault;
  assign retire_o = w_valid_q && !w_busy && !w_fault;
  assign retire_pc_o = w_pc_q;

  // ---- registers ---------------------------------------------------------------------------------
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      pc_x_q         <= 32'd0;
      x_valid_q      <= 1'b0;
      w_valid_q      <= 1'b0;
      w_rd_we_q      <= 1'b0;
      w_rd_q         <= 5'd0;
      w_result_q     <= 32'd0;
      w_mem_q        <= 1'b0;
      w_load_q       <= 1'b0;
      w_funct3_q     <= 3'd0;
      w_addr_q       <= 32'd0;
      w_pc_q         <= 32'd0;
      div_inflight_q <= 1'b0;
      req_pending_q  <= 1'b0;
    end else begin
      pc_x_q    <= instr_addr_o;
      x_valid_q <= 1'b1;
      if (x_fire) begin
        w_valid_q  <= 1'b1;
        w_rd_we_q  <= rd_we && (rd != 5'd0);
        w_rd_q     <= rd;
        w_result_q <= x_result;
        w_mem_q    <= is_mem;
        w_load_q   <= is_load;
        w_funct3_q <= funct3;
        w_addr_q   <= mem_addr;
        w_pc_q     <= pc_x_q;
      end else if (!w_busy) begin
        w_valid_q  <= 1'b0;
      end
      if (div_start) begin
        div_inflight_q <= 1'b1;
      end else if (div_ack) begin
        div_inflight_q <= 1'b0;
      end
      req_pending_q <= data_req_o && !data_gnt_i;
    end
  end
endmodule

`default_nettype wire
