// SPDX-License-Identifier: Apache-2.0
// rv32_sys: the CPU subsystem — rv32_core, instruction RAM, data RAM, machine timer, tohost
// register, an external MMIO bus master port and a memory port for the host (firmware load).
//
// Memory map (nsgnic_abi_pkg::SOC_*, addr[31:28] selects the region):
//   0x8000_0000 + SOC_IRAM_OFFSET  IRAM (IramBytes; fetch and data, so code-space data works)
//   0x8000_0000 + SOC_DRAM_OFFSET  DRAM (DramBytes)
//   0x1000_0000 + SOC_LOCAL_*      mtime, mtimecmp, tohost
//   0x4000_0000 ... 0x4FFF_FFFF    forwarded to the m_mmio_* port (full address)
//   anything else                  access fault (fetch outside IRAM: instruction access fault)
// tohost is also written by any core store to the word at tohost_addr_i (the riscv-tests
// `tohost` symbol in RAM); the store still reaches the RAM.
//
// Handshakes. m_mmio_*: a request is accepted in a cycle with valid && ready (valid and its
// fields hold until then); exactly one response (rvalid with rdata and err) follows at least one
// cycle later; one request outstanding. s_mem_*: the host's port into IRAM/DRAM, always ready,
// rvalid with rdata one cycle after each request; it has priority over the core's data accesses
// (load firmware while core_rst_ni holds the core in reset).
`default_nettype none

module rv32_sys #(
  parameter int unsigned IramBytes    = nsgnic_abi_pkg::SOC_IRAM_BYTES,  // power of two, <= SOC_DRAM_OFFSET
  parameter int unsigned DramBytes    = nsgnic_abi_pkg::SOC_DRAM_BYTES,  // power of two, >= 64
  parameter              IramInitFile = "",  // $readmemh image for the IRAM, or ""
  parameter              DramInitFile = "",  // $readmemh image for the DRAM, or ""
  parameter int unsigned HartId       = 0    // mhartid
) (
  input  wire logic        clk_i,
  input  wire logic        rst_ni,         // whole subsystem
  input  wire logic        core_rst_ni,    // core, tohost and bus state only (RAM, timer keep)
  input  wire logic [31:0] boot_addr_i,    // reset PC
  input  wire logic [31:0] tohost_addr_i,  // store address also captured into tohost
  output logic [31:0]      tohost_o,       // last value written to tohost (0 after core reset)
  output logic             retire_o,       // one instruction retired this cycle
  output logic [31:0]      retire_pc_o,    // ... and its PC
  output logic             trap_o,         // a trap is taken this cycle
  output logic [31:0]      trap_mcause_o,  // ... its mcause value
  output logic [31:0]      trap_pc_o,      // ... and mepc
  output logic             mret_o,         // an MRET returns this cycle
  input  wire logic        irq_external_i, // mip.MEIP
  // host memory port (firmware load / inspection)
  input  wire logic        s_mem_valid_i,
  output logic             s_mem_ready_o,
  input  wire logic        s_mem_we_i,
  input  wire logic [31:0] s_mem_addr_i,
  input  wire logic [31:0] s_mem_wdata_i,
  input  wire logic [3:0]  s_mem_wstrb_i,
  output logic             s_mem_rvalid_o,
  output logic [31:0]      s_mem_rdata_o,
  output logic             s_mem_err_o,    // with rvalid: the address is in neither RAM
  // external MMIO bus master
  output logic             m_mmio_valid_o,
  input  wire logic        m_mmio_ready_i,
  output logic [31:0]      m_mmio_addr_o,
  output logic             m_mmio_we_o,
  output logic [31:0]      m_mmio_wdata_o,
  output logic [3:0]       m_mmio_wstrb_o,
  input  wire logic        m_mmio_rvalid_i,
  input  wire logic [31:0] m_mmio_rdata_i,
  input  wire logic        m_mmio_err_i
);
  localparam int unsigned IramAw = $clog2(IramBytes / 4);  // IRAM word-index width
  localparam int unsigned DramAw = $clog2(DramBytes / 4);  // DRAM word-index width
  localparam logic [27:0] DramOff = 28'(nsgnic_abi_pkg::SOC_DRAM_OFFSET);
  localparam logic [27:0] IramOff = 28'(nsgnic_abi_pkg::SOC_IRAM_OFFSET);

  if (IramBytes < 64 || (IramBytes & (IramBytes - 1)) != 0 ||
      IramBytes > nsgnic_abi_pkg::SOC_DRAM_OFFSET - nsgnic_abi_pkg::SOC_IRAM_OFFSET) begin : gen_bad_iram
    $error("rv32_sys: IramBytes must be a power of two in [64, SOC_DRAM_OFFSET - SOC_IRAM_OFFSET]");
  end
  if (DramBytes < 64 || (DramBytes & (DramBytes - 1)) != 0 ||
      DramBytes > (32'h1000_0000 - nsgnic_abi_pkg::SOC_DRAM_OFFSET)) begin : gen_bad_dram
    $error("rv32_sys: DramBytes must be a power of two in [64, 256 MiB - SOC_DRAM_OFFSET]");
  end

  logic core_rst_n;
  assign core_rst_n = rst_ni & core_rst_ni;

  // ---- address decode -----------------------------------------------------------------------
  localparam logic [2:0] SelIram  = 3'd0;
  localparam logic [2:0] SelDram  = 3'd1;
  localparam logic [2:0] SelLocal = 3'd2;
  localparam logic [2:0] SelExt   = 3'd3;
  localparam logic [2:0] SelErr   = 3'd4;

  function automatic logic [2:0] decode(input logic [31:0] addr, input logic ram_only);
    logic [27:0] off;
    off = addr[27:0];
    decode = SelErr;
    if (addr[31:28] == 4'(nsgnic_abi_pkg::SOC_REGION_RAM)) begin
      if (28'(off - IramOff) < 28'(IramBytes)) begin  // wraps when off < IramOff
        decode = SelIram;
      end else if (28'(off - DramOff) < 28'(DramBytes)) begin
        decode = SelDram;
      end
    end else if (!ram_only && addr[31:28] == 4'(nsgnic_abi_pkg::SOC_REGION_LOCAL) &&
                 off[27:5] == 23'd0) begin
      decode = SelLocal;
    end else if (!ram_only && addr[31:28] == 4'(nsgnic_abi_pkg::SOC_REGION_EXT)) begin
      decode = SelExt;
    end
  endfunction

  // ---- core ----------------------------------------------------------------------------------
  logic [31:0] instr_addr, instr_rdata;
  logic        instr_err_q;
  logic        data_req, data_gnt, data_we, data_rvalid, data_err;
  logic [31:0] data_addr, data_wdata, data_rdata;
  logic [3:0]  data_be;
  logic        irq_timer;

  rv32_core #(.HartId(HartId)) u_core (
    .clk_i          (clk_i),
    .rst_ni         (core_rst_n),
    .boot_addr_i    (boot_addr_i),
    .instr_addr_o   (instr_addr),
    .instr_rdata_i  (instr_rdata),
    .instr_err_i    (instr_err_q),
    .data_req_o     (data_req),
    .data_gnt_i     (data_gnt),
    .data_addr_o    (data_addr),
    .data_we_o      (data_we),
    .data_be_o      (data_be),
    .data_wdata_o   (data_wdata),
    .data_rvalid_i  (data_rvalid),
    .data_rdata_i   (data_rdata),
    .data_err_i     (data_err),
    .irq_timer_i    (irq_timer),
    .irq_external_i (irq_external_i),
    .retire_o       (retire_o),
    .retire_pc_o    (retire_pc_o),
    .trap_o         (trap_o),
    .trap_mcause_o  (trap_mcause_o),
    .trap_pc_o      (trap_pc_o),
    .mret_o         (mret_o)
  );

  always_ff @(posedge clk_i or negedge core_rst_n) begin
    if (!core_rst_n) begin
      instr_err_q <= 1'b0;
    end else begin
      instr_err_q <= (decode(instr_addr, 1'b1) != SelIram);
    end
  end

  // ---- data-side arbitration: the host port first, then the core ------------------------------
  logic [2:0] core_sel, host_sel;
  assign core_sel = decode(data_addr, 1'b0);
  assign host_sel = decode(s_mem_addr_i, 1'b1);

  logic core_acc;  // the core's request is accepted this cycle
  assign data_gnt       = !s_mem_valid_i && (core_sel != SelExt || m_mmio_ready_i);
  assign core_acc       = data_req && data_gnt;
  assign s_mem_ready_o  = 1'b1;

  assign m_mmio_valid_o = data_req && !s_mem_valid_i && core_sel == SelExt;
  assign m_mmio_addr_o  = data_addr;
  assign m_mmio_we_o    = data_we;
  assign m_mmio_wdata_o = data_wdata;
  assign m_mmio_wstrb_o = data_we ? data_be : 4'b0000;

  // RAM port B / DRAM: host or core
  logic        ram_we;
  logic [3:0]  ram_be;
  logic [27:0] ram_off;     // offset in the RAM region
  logic [31:0] ram_wdata, iram_b_rdata, dram_rdata;
  logic        iram_b_req, dram_req;
  always_comb begin
    if (s_mem_valid_i) begin
      ram_we     = s_mem_we_i;
      ram_be     = s_mem_wstrb_i;
      ram_off    = s_mem_addr_i[27:0];
      ram_wdata  = s_mem_wdata_i;
      iram_b_req = (host_sel == SelIram);
      dram_req   = (host_sel == SelDram);
    end else begin
      ram_we     = data_we;
      ram_be     = data_be;
      ram_off    = data_addr[27:0];
      ram_wdata  = data_wdata;
      iram_b_req = core_acc && (core_sel == SelIram);
      dram_req   = core_acc && (core_sel == SelDram);
    end
  end

  rv32_iram #(.Bytes(IramBytes), .InitFile(IramInitFile)) u_iram (
    .clk_i     (clk_i),
    .a_addr_i  (IramAw'((instr_addr[27:0] - IramOff) >> 2)),
    .a_rdata_o (instr_rdata),
    .b_req_i   (iram_b_req),
    .b_we_i    (ram_we),
    .b_be_i    (ram_be),
    .b_addr_i  (IramAw'((ram_off - IramOff) >> 2)),
    .b_wdata_i (ram_wdata),
    .b_rdata_o (iram_b_rdata)
  );

  rv32_dram #(.Bytes(DramBytes), .InitFile(DramInitFile)) u_dram (
    .clk_i   (clk_i),
    .req_i   (dram_req),
    .we_i    (ram_we),
    .be_i    (ram_be),
    .addr_i  (DramAw'((ram_off - DramOff) >> 2)),
    .wdata_i (ram_wdata),
    .rdata_o (dram_rdata)
  );

  // ---- core-local registers: timer and tohost ---------------------------------------------------
  logic        local_acc;
  logic [31:0] timer_rdata, local_rdata_q, tohost_q;
  logic        tohost_hit;
  assign local_acc = core_acc && core_sel == SelLocal;

  rv32_timer u_timer (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .req_i   (local_acc && data_addr[4] == 1'b0),
    .we_i    (data_we),
    .be_i    (data_be),
    .sel_i   (data_addr[3:2]),
    .wdata_i (data_wdata),
    .rdata_o (timer_rdata),
    .irq_o   (irq_timer)
  );

  // tohost: the local register, or a store to the word at tohost_addr_i
  assign tohost_hit = core_acc && data_we &&
                      ((core_sel == SelLocal &&
                        data_addr[4:2] == 3'(nsgnic_abi_pkg::SOC_LOCAL_TOHOST >> 2)) ||
                       (((data_addr ^ tohost_addr_i) & 32'hFFFF_FFFC) == 32'd0));

  always_ff @(posedge clk_i or negedge core_rst_n) begin
    if (!core_rst_n) begin
      tohost_q      <= 32'd0;
      local_rdata_q <= 32'd0;
    end else begin
      if (tohost_hit) begin
        tohost_q <= data_wdata;
      end
      if (local_acc) begin
        local_rdata_q <= (data_addr[4] == 1'b0) ? timer_rdata :
                         (data_addr[4:2] == 3'(nsgnic_abi_pkg::SOC_LOCAL_TOHOST >> 2)) ? tohost_q
                                                                                        : 32'd0;
      end
    end
  end
  assign tohost_o = tohost_q;

  // ---- responses ------------------------------------------------------------------------------
  logic       resp_q;       // a non-external core response is due this cycle
  logic [2:0] resp_sel_q;
  logic       ext_pend_q;   // an external request is outstanding
  logic       host_resp_q;
  logic [2:0] host_sel_q;
  always_ff @(posedge clk_i or negedge core_rst_n) begin
    if (!core_rst_n) begin
      resp_q     <= 1'b0;
      resp_sel_q <= SelErr;
      ext_pend_q <= 1'b0;
    end else begin
      resp_q <= core_acc && core_sel != SelExt;
      if (core_acc) begin
        resp_sel_q <= core_sel;
      end
      if (core_acc && core_sel == SelExt) begin
        ext_pend_q <= 1'b1;
      end else if (m_mmio_rvalid_i) begin
        ext_pend_q <= 1'b0;
      end
    end
  end
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      host_resp_q <= 1'b0;
      host_sel_q  <= SelErr;
    end else begin
      host_resp_q <= s_mem_valid_i;
      host_sel_q  <= host_sel;
    end
  end

  always_comb begin
    data_rvalid = resp_q || (ext_pend_q && m_mmio_rvalid_i);
    data_err    = 1'b0;
    unique case (resp_sel_q)
      SelIram:  data_rdata = iram_b_rdata;
      SelDram:  data_rdata = dram_rdata;
      SelLocal: data_rdata = local_rdata_q;
      SelExt: begin
        data_rdata = m_mmio_rdata_i;
        data_err   = m_mmio_err_i;
      end
      default: begin
        data_rdata = 32'd0;
        data_err   = 1'b1;
      end
    endcase
  end

  assign s_mem_rvalid_o = host_resp_q;
  assign s_mem_rdata_o  = (host_sel_q == SelDram) ? dram_rdata : iram_b_rdata;
  assign s_mem_err_o    = host_resp_q && host_sel_q != SelIram && host_sel_q != SelDram;
endmodule

`default_nettype wire
