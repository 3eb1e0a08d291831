// SPDX-License-Identifier: Apache-2.0
// CSR bus slave of the datapath: identity/capability registers, control, the table staging
// window and command engine, flow-cache operations, exception-queue head, park-slot release and
// counters. The map
// is the CSR_* list of include/nsgnic/abi/csr.def.h.
//
// Bus (s_csr_*): a request (req, we, byte address, wdata) is taken every clock; writes act at
// that clock edge, read data comes back the next clock with s_csr_rvalid_o. No wait states.
// Commands: a CMD write while STATUS.BUSY is 0 starts one table operation (indices are checked
// against this build's sizes; a bad one sets STATUS.ERROR and does nothing). The command word is
// registered and STATUS.BUSY set at once; the check runs the next clock (a stage of its own,
// docs/datapath.md Timing), which starts the operation or drops BUSY and sets ERROR. TCAM and binding
// operations go to the lookup's management port; flow operations are handed to the datapath,
// which slots them into the lookup pipeline between packets.
`default_nettype none

module csr_slave #(
  parameter int unsigned RuleEntries     = 64,
  parameter int unsigned LabelEntries    = 32,
  parameter int unsigned PlatformEntries = 8,
  parameter int unsigned Vports          = 16,
  parameter int unsigned FlowBuckets     = 16,
  parameter int unsigned FlowWays        = 4,
  parameter int unsigned FlowStash       = 4,
  parameter int unsigned ExqDepth        = 8,
  parameter int unsigned DramFlows       = 0,    // DRAM flow tier slots (CSR_CAP_DRAM_FLOWS), 0: none
  parameter int unsigned DramWays        = 0,    // its slots per bucket (CSR_CAP_DRAM_WAYS)
  parameter int unsigned HdrBytes        = 128,
  // label stage (lookup.sv): 0 the label TCAM, 1 the block-RAM trees of this geometry
  parameter int unsigned LabelLpm        = 0,
  parameter int unsigned LpmFanout       = 8,
  parameter int unsigned LpmLevels       = 6,
  parameter int unsigned LpmCtxBits      = 11,
  parameter int unsigned Lpm4Leaves      = 20480,
  parameter int unsigned Lpm6Leaves      = 5120,
  parameter int unsigned Lpm4Results     = 65536,
  parameter int unsigned Lpm6Results     = 16384,
  parameter int unsigned LabelCtx        = 0,    // 1: per-vport label contexts (DP_CAP_LPM.LABEL_CTX)
  localparam int unsigned LpmDW    = nsgnic_abi_pkg::CSR_LPM_DATA_WORDS,
  localparam int unsigned FlowIdxW = 3 + $clog2(FlowBuckets) + ((FlowWays > 1) ? $clog2(FlowWays) : 1),
  localparam int unsigned ExqAW    = $clog2(ExqDepth),
  localparam int unsigned ExqWIW   = $clog2(HdrBytes / 4),
  localparam int unsigned CntIW    = $clog2(nsgnic_abi_pkg::CNT_COUNT),
  localparam int unsigned FlowW    = nsgnic_abi_pkg::FLOW_BITS
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,
  // CSR bus
  input  logic                 s_csr_req_i,
  input  logic                 s_csr_we_i,
  input  logic [11:0]          s_csr_addr_i,
  input  logic [31:0]          s_csr_wdata_i,
  output logic [31:0]          s_csr_rdata_o,
  output logic                 s_csr_rvalid_o,
  // control
  output logic                 bank_o,
  output logic                 learn_en_o,
  output logic [7:0]           gen_o,
  output logic [2*nsgnic_abi_pkg::PORT_CLASSES*32-1:0] prange_o,  // source words, then destination
  output logic [nsgnic_abi_pkg::FLOW_HKEY_WORDS*32-1:0] hkey_o,   // flow-hash secret key
  // aging engine
  output logic                 age_en_o,
  output logic [7:0]           age_pace_o,      // DP_AGE_CTRL.PACE
  output logic [16*nsgnic_abi_pkg::AGE_CLASSES-1:0] age_to_o,  // 16 bits per AGE_CLASS
  output logic                 age_est_we_o,    // CSR_AGE_EST written: vport's est. timeout
  output logic [7:0]           age_est_vport_o,
  output logic [15:0]          age_est_to_o,
  output logic [31:0]          flow_limit_o,    // CSR_FLOW_LIMIT: S5 flows per NIC and direction
  output logic                 flow_dram_o,     // the flow op is a DRAM tier op (TABLE_FLOW with DP_CMD.DRAM)
  output logic [31:0]          dram_slot_o,     // CSR_DRAM_SLOT
  input  logic [31:0]          flow_vmask_i,    // DRAM op: valid bits of the slot's bucket
  input  logic [7:0]           age_count_i,     // reports waiting
  input  logic [31:0]          age_index_i,     // head report: DP_AGE_INDEX (entry index or DRAM slot)
  input  logic [31:0]          dram_used_i,     // CSR_DRAM_USED: DRAM tier slots holding a flow
  input  logic [FlowW-1:0]     age_entry_i,     // head report: entry
  input  logic [31:0]          age_passes_i,
  output logic                 age_pop_o,
  input  logic [15:0]          now_i,
  // table management (lookup)
  output logic                 m_req_o,
  output logic [2:0]           m_table_o,
  output logic                 m_we_o,
  output logic [15:0]          m_idx_o,
  output logic [511:0]         m_value_o,
  output logic [255:0]         m_mask_o,
  output logic [127:0]         m_res_o,
  output logic                 m_valid_o,
  input  logic                 m_done_i,
  input  logic [511:0]         m_rvalue_i,
  input  logic [255:0]         m_rmask_i,
  input  logic [127:0]         m_rres_i,
  input  logic                 m_rvalid_i,
  output logic [4:0]           m_lpm_sel_o,     // CSR_LPM_SEL (DP_LPM_SEL: level, bank)
  output logic [LpmDW*32-1:0]  m_lpm_data_o,    // CSR_LPM_DATA
  // flow-cache operations
  output logic                 flow_pending_o,  // an op waits for a pipeline slot
  output logic [1:0]           flow_op_o,       // 1 read, 2 write, 3 overflow flag
  output logic [FlowIdxW-1:0]  flow_index_o,
  output logic [FlowW-1:0]     flow_data_o,
  input  logic                 flow_taken_i,    // the datapath slotted the op in this clock
  input  logic                 flow_done_i,     // the op left the pipeline
  input  logic [FlowW-1:0]     flow_rdata_i,
  // exception queue
  input  logic [ExqAW:0]       exq_count_i,
  input  logic [31:0]          exq_meta_i,
  output logic [ExqWIW-1:0]    exq_word_o,
  input  logic [31:0]          exq_word_i,
  output logic                 exq_pop_o,
  input  logic [7:0]           exq_slot_i,      // head's park slot
  input  logic [31:0]          exq_parked_i,    // taken park slots
  output logic                 exq_rel_o,       // CSR_EXQ_RELEASE written
  output logic [31:0]          exq_rel_data_o,  // its value (EXQ_REL fields)
  // counters
  output logic [CntIW-1:0]     cnt_idx_o,
  input  logic [31:0]          cnt_data_i,
  output logic                 cnt_clr_o
);
  localparam int unsigned FBW = $clog2(FlowBuckets);
  localparam int unsigned FWW = (FlowWays > 1) ? $clog2(FlowWays) : 1;

  logic [31:0]  data_q [16];
  logic [31:0]  mask_q [8];
  logic [31:0]  res_q  [4];
  logic [31:0]  lpm_data_q [LpmDW];
  logic [4:0]   lpm_sel_q;
  logic         lpm_win;      // the address is in CSR_LPM_DATA
  logic [5:0]   lpm_wi;       // its word
  localparam int unsigned NPR = 2 * nsgnic_abi_pkg::PORT_CLASSES;
  logic [31:0]  prange_q [NPR];
  localparam int unsigned NHK = nsgnic_abi_pkg::FLOW_HKEY_WORDS;
  logic [31:0]  hkey_q [NHK];
  logic         age_en_q;
  logic [7:0]   age_pace_q, age_sel_q;
  logic [31:0]  age_to_q [4];           // two AGE_CLASS timeouts per word
  logic         bank_q, learn_q, busy_q, rvalid_q, error_q, mreq_q, flow_pend_q, is_flow_q, dram_q;
  logic [31:0]  flow_limit_q, dram_slot_q;
  logic [7:0]   gen_q;
  logic [2:0]   table_q;
  logic         we_q, valid_q;
  logic [15:0]  idx_q;
  logic [31:0]  rdata_q;
  logic         rvalid_bus_q;

  logic         wr, rd;
  logic [11:0]  a;
  logic [1:0]   unused_addr;
  assign wr = s_csr_req_i && s_csr_we_i;
  assign rd = s_csr_req_i && !s_csr_we_i;
  assign a  = {s_csr_addr_i[11:2], 2'b00};
  assign unused_addr = s_csr_addr_i[1:0];   // word-aligned registers

  // command decode: the fields of a CMD write are registered (table_q, idx_q, ...; dec_q marks
  // the clock after), c_ok checks the registered index against the table's size
  logic [15:0] c_idx;
  logic [2:0]  c_table;
  logic        c_flow;   // a flow-cache op (slotted into the pipeline), else the lookup's tables
  logic        c_dram;   // DP_CMD.DRAM: a DRAM tier op (TABLE_FLOW, slot CSR_DRAM_SLOT)
  logic        c_we, c_valid, c_ok, dec_q;
  always_comb begin
    c_idx   = s_csr_wdata_i[nsgnic_abi_pkg::DP_CMD_INDEX_LSB +: 16];
    c_table = s_csr_wdata_i[nsgnic_abi_pkg::DP_CMD_TABLE_LSB +: 3];
    c_we    = s_csr_wdata_i[nsgnic_abi_pkg::DP_CMD_OP_LSB];
    c_valid = s_csr_wdata_i[nsgnic_abi_pkg::DP_CMD_VALID_LSB];
    c_flow  = c_table == 3'(nsgnic_abi_pkg::DP_TABLE_FLOW) || c_table == 3'(nsgnic_abi_pkg::DP_TABLE_FLOW_OVF);
    c_dram  = s_csr_wdata_i[nsgnic_abi_pkg::DP_CMD_DRAM_LSB];
  end
  // the index checked against every table's size in the write clock (compares with constants),
  // the table's bit selected the next
  logic [7:0] okv, okv_q;
  logic [3:0] lpm_level;
  assign lpm_level = lpm_sel_q[nsgnic_abi_pkg::DP_LPM_SEL_LEVEL_LSB +: 4];
  always_comb begin
    okv = '0;
    okv[nsgnic_abi_pkg::DP_TABLE_RULE]     = 32'(c_idx) < RuleEntries;
    // the label TCAM: the label stage, or with label contexts the local-address table
    okv[nsgnic_abi_pkg::DP_TABLE_LABEL]    = (LabelLpm == 0 || LabelCtx != 0) && 32'(c_idx) < LabelEntries;
    // trees: writes only; level <= levels (levels: the result table), index within the largest
    // level (lpm.sv ignores a node beyond its level's depth) or the result rows
    okv[nsgnic_abi_pkg::DP_TABLE_LPM4]     = LabelLpm != 0 && c_we && 32'(lpm_level) <= LpmLevels &&
                                             32'(c_idx) < (32'(lpm_level) == LpmLevels ? Lpm4Results : Lpm4Leaves);
    okv[nsgnic_abi_pkg::DP_TABLE_LPM6]     = LabelLpm != 0 && c_we && 32'(lpm_level) <= LpmLevels &&
                                             32'(c_idx) < (32'(lpm_level) == LpmLevels ? Lpm6Results : Lpm6Leaves);
    okv[nsgnic_abi_pkg::DP_TABLE_PLATFORM] = 32'(c_idx) < PlatformEntries;
    okv[nsgnic_abi_pkg::DP_TABLE_BINDING]  = 32'(c_idx[nsgnic_abi_pkg::DP_BIND_INDEX_VPORT_LSB +: 8]) < Vports &&
                                             c_idx[nsgnic_abi_pkg::DP_BIND_INDEX_RESERVED_LSB +: 7] == '0;
    okv[nsgnic_abi_pkg::DP_TABLE_FLOW]     = 32'(c_idx) < nsgnic_abi_pkg::FLOW_TABLES * FlowBuckets * FlowWays + FlowStash;
    okv[nsgnic_abi_pkg::DP_TABLE_FLOW_OVF] = 32'(c_idx) < FlowBuckets;
    // DP_CMD.DRAM: only with TABLE_FLOW; the tier learns by itself: management reads and deletes only
    if (c_dram) begin
      okv = '0;
      okv[nsgnic_abi_pkg::DP_TABLE_FLOW] = DramFlows != 0 && 33'(dram_slot_q) < 33'(DramFlows) &&
                                           c_idx == '0 && !(c_we && c_valid);
    end
  end
  assign c_ok = okv_q[table_q];

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      for (int unsigned i = 0; i < 16; i++) data_q[i] <= '0;
      for (int unsigned i = 0; i < 8; i++)  mask_q[i] <= '0;
      for (int unsigned i = 0; i < 4; i++)  res_q[i]  <= '0;
      for (int unsigned i = 0; i < LpmDW; i++) lpm_data_q[i] <= '0;
      lpm_sel_q   <= '0;
      for (int unsigned i = 0; i < NPR; i++) prange_q[i] <= 32'h0000_ffff;  // LO > HI: no match
      for (int unsigned i = 0; i < NHK; i++) hkey_q[i] <= 32'(i + 1) * 32'h9E37_79B9;  // public
      age_en_q    <= 1'b0;
      age_pace_q  <= '0;
      age_sel_q   <= '0;
      for (int unsigned i = 0; i < 4; i++) age_to_q[i] <= 32'hffff_ffff;
      flow_limit_q <= 32'(nsgnic_abi_pkg::FLOW_LIMIT_DEFAULT);  // S5
      dram_slot_q  <= '0;
      bank_q      <= 1'b0;
      learn_q     <= 1'b1;
      gen_q       <= '0;
      busy_q      <= 1'b0;
      dec_q       <= 1'b0;
      rvalid_q    <= 1'b0;
      error_q     <= 1'b0;
      mreq_q      <= 1'b0;
      flow_pend_q <= 1'b0;
      is_flow_q   <= 1'b0;
      dram_q      <= 1'b0;
      table_q     <= '0;
      we_q        <= 1'b0;
      valid_q     <= 1'b0;
      idx_q       <= '0;
      okv_q       <= '0;
    end else begin
      mreq_q <= 1'b0;
      if (wr) begin
        if (a >= 12'(nsgnic_abi_pkg::CSR_DATA) && a < 12'(nsgnic_abi_pkg::CSR_DATA + 64))
          data_q[a[5:2]] <= s_csr_wdata_i;
        if (a >= 12'(nsgnic_abi_pkg::CSR_MASK) && a < 12'(nsgnic_abi_pkg::CSR_MASK + 32))
          mask_q[a[4:2]] <= s_csr_wdata_i;
        if (a >= 12'(nsgnic_abi_pkg::CSR_RES) && a < 12'(nsgnic_abi_pkg::CSR_RES + 16))
          res_q[a[3:2]] <= s_csr_wdata_i;
        if (lpm_win) lpm_data_q[lpm_wi] <= s_csr_wdata_i;
        if (a == 12'(nsgnic_abi_pkg::CSR_LPM_SEL)) lpm_sel_q <= s_csr_wdata_i[4:0];
        if (a == 12'(nsgnic_abi_pkg::CSR_CTRL)) begin
          bank_q  <= s_csr_wdata_i[nsgnic_abi_pkg::DP_CTRL_BANK_LSB];
          learn_q <= s_csr_wdata_i[nsgnic_abi_pkg::DP_CTRL_LEARN_LSB];
        end
        if (a == 12'(nsgnic_abi_pkg::CSR_GEN)) gen_q <= s_csr_wdata_i[7:0];
        for (int unsigned i = 0; i < NPR; i++)
          if (a == 12'(nsgnic_abi_pkg::CSR_PORT_RANGE + 4 * i)) prange_q[i] <= s_csr_wdata_i;
        for (int unsigned i = 0; i < NHK; i++)
          if (a == 12'(nsgnic_abi_pkg::CSR_FLOW_HKEY + 4 * i)) hkey_q[i] <= s_csr_wdata_i;
        if (a == 12'(nsgnic_abi_pkg::CSR_AGE_CTRL)) begin
          age_en_q   <= s_csr_wdata_i[nsgnic_abi_pkg::DP_AGE_CTRL_ENABLE_LSB];
          age_pace_q <= s_csr_wdata_i[nsgnic_abi_pkg::DP_AGE_CTRL_PACE_LSB +: 8];
        end
        for (int unsigned i = 0; i < 4; i++)
          if (a == 12'(nsgnic_abi_pkg::CSR_AGE_TIMEOUT + 4 * i)) age_to_q[i] <= s_csr_wdata_i;
        if (a == 12'(nsgnic_abi_pkg::CSR_AGE_EST_SEL)) age_sel_q <= s_csr_wdata_i[7:0];
        if (a == 12'(nsgnic_abi_pkg::CSR_FLOW_LIMIT)) flow_limit_q <= s_csr_wdata_i;
        if (a == 12'(nsgnic_abi_pkg::CSR_DRAM_SLOT) && !busy_q) dram_slot_q <= s_csr_wdata_i;
        if (a == 12'(nsgnic_abi_pkg::CSR_CMD) && !busy_q) begin
          busy_q    <= 1'b1;
          dec_q     <= 1'b1;
          error_q   <= 1'b0;
          table_q   <= c_table;
          we_q      <= c_we;
          valid_q   <= c_valid;
          idx_q     <= c_idx;
          okv_q     <= okv;
          is_flow_q <= c_flow;
          dram_q    <= c_dram;
        end
      end
      // the clock after the CMD write: start the operation, or reject it
      if (dec_q) begin
        dec_q <= 1'b0;
        if (c_ok) begin
          rvalid_q <= 1'b0;
          if (is_flow_q) flow_pend_q <= 1'b1;
          else mreq_q <= 1'b1;
        end else begin
          busy_q  <= 1'b0;
          error_q <= 1'b1;
        end
      end
      if (flow_taken_i) flow_pend_q <= 1'b0;
      if (busy_q && !dec_q && !is_flow_q && m_done_i) begin
        busy_q   <= 1'b0;
        rvalid_q <= m_rvalid_i;
        if (!we_q) begin
          for (int unsigned i = 0; i < 16; i++) data_q[i] <= m_rvalue_i[i*32 +: 32];
          for (int unsigned i = 0; i < 8; i++)  mask_q[i] <= m_rmask_i[i*32 +: 32];
          for (int unsigned i = 0; i < 4; i++)  res_q[i]  <= m_rres_i[i*32 +: 32];
        end
      end
      if (busy_q && is_flow_q && flow_done_i) begin
        busy_q <= 1'b0;
        if (table_q == 3'(nsgnic_abi_pkg::DP_TABLE_FLOW_OVF)) begin
          rvalid_q <= flow_rdata_i[0];
        end else if (dram_q) begin
          rvalid_q <= flow_rdata_i[nsgnic_abi_pkg::FLOW_VALID_LSB];
          for (int unsigned i = 0; i < 16; i++) data_q[i] <= flow_rdata_i[i*32 +: 32];
          res_q[0] <= flow_vmask_i;
        end else if (!we_q) begin
          rvalid_q <= flow_rdata_i[nsgnic_abi_pkg::FLOW_VALID_LSB];
          for (int unsigned i = 0; i < 16; i++) data_q[i] <= flow_rdata_i[i*32 +: 32];
        end
      end
    end
  end

  // table management outputs
  always_comb begin
    for (int unsigned i = 0; i < 16; i++) m_value_o[i*32 +: 32] = data_q[i];
    for (int unsigned i = 0; i < 8; i++)  m_mask_o[i*32 +: 32]  = mask_q[i];
    for (int unsigned i = 0; i < 4; i++)  m_res_o[i*32 +: 32]   = res_q[i];
  end
  assign lpm_win = a >= 12'(nsgnic_abi_pkg::CSR_LPM_DATA) && a < 12'(nsgnic_abi_pkg::CSR_LPM_DATA + 4 * LpmDW);
  assign lpm_wi  = 6'((a - 12'(nsgnic_abi_pkg::CSR_LPM_DATA)) >> 2);
  assign m_lpm_sel_o = lpm_sel_q;
  always_comb begin
    for (int unsigned i = 0; i < LpmDW; i++) m_lpm_data_o[i*32 +: 32] = lpm_data_q[i];
  end
  assign m_req_o   = mreq_q;
  assign m_table_o = table_q;
  assign m_we_o    = we_q;
  assign m_idx_o   = idx_q;
  assign m_valid_o = valid_q;

  // flow operations
  assign flow_pending_o = flow_pend_q;
  always_comb begin
    if (table_q == 3'(nsgnic_abi_pkg::DP_TABLE_FLOW_OVF)) begin
      flow_op_o    = 2'd3;
      flow_index_o = FlowIdxW'({idx_q[FBW-1:0], {FWW{1'b0}}});
      flow_data_o  = FlowW'({we_q, valid_q});
    end else if (dram_q) begin
      // a read of cache slot 0 only to take a pipeline slot: the tier acts at the lookup's output
      flow_op_o    = 2'd1;
      flow_index_o = '0;
      flow_data_o  = m_value_o;
    end else begin
      flow_op_o    = we_q ? 2'd2 : 2'd1;
      flow_index_o = idx_q[FlowIdxW-1:0];
      flow_data_o  = m_value_o;
    end
  end
  // only while an accepted op is in flight (a refused DRAM command leaves dram_q set until the next)
  assign flow_dram_o = dram_q && is_flow_q && busy_q && !dec_q;
  assign dram_slot_o = dram_slot_q;

  // reads
  assign exq_word_o = a[ExqWIW+1:2];
  assign cnt_idx_o  = a[CntIW+1:2];
  assign exq_pop_o  = wr && a == 12'(nsgnic_abi_pkg::CSR_EXQ_POP);
  assign exq_rel_o  = wr && a == 12'(nsgnic_abi_pkg::CSR_EXQ_RELEASE);
  assign exq_rel_data_o = s_csr_wdata_i;
  assign age_pop_o  = wr && a == 12'(nsgnic_abi_pkg::CSR_AGE_POP);
  assign age_en_o   = age_en_q;
  assign flow_limit_o = flow_limit_q;
  assign age_pace_o = age_pace_q;
  always_comb begin
    for (int unsigned i = 0; i < 4; i++) age_to_o[32*i +: 32] = age_to_q[i];
  end
  assign age_est_we_o    = wr && a == 12'(nsgnic_abi_pkg::CSR_AGE_EST);
  assign age_est_vport_o = age_sel_q;
  assign age_est_to_o    = s_csr_wdata_i[15:0];
  assign cnt_clr_o  = wr && a >= 12'(nsgnic_abi_pkg::CSR_CNT) &&
                      a < 12'(nsgnic_abi_pkg::CSR_CNT + 4 * nsgnic_abi_pkg::CNT_COUNT);

  logic [31:0] rd_d;
  always_comb begin
    rd_d = '0;
    if (a >= 12'(nsgnic_abi_pkg::CSR_DATA) && a < 12'(nsgnic_abi_pkg::CSR_DATA + 64)) rd_d = data_q[a[5:2]];
    else if (lpm_win) rd_d = lpm_data_q[lpm_wi];
    else if (a >= 12'(nsgnic_abi_pkg::CSR_MASK) && a < 12'(nsgnic_abi_pkg::CSR_MASK + 32)) rd_d = mask_q[a[4:2]];
    else if (a >= 12'(nsgnic_abi_pkg::CSR_RES) && a < 12'(nsgnic_abi_pkg::CSR_RES + 16)) rd_d = res_q[a[3:2]];
    else if (a >= 12'(nsgnic_abi_pkg::CSR_PORT_RANGE) && a < 12'(nsgnic_abi_pkg::CSR_PORT_RANGE + 4 * NPR)) rd_d = prange_q[a[$clog2(NPR)+1:2]];
    else if (a >= 12'(nsgnic_abi_pkg::CSR_FLOW_HKEY) && a < 12'(nsgnic_abi_pkg::CSR_FLOW_HKEY + 4 * NHK)) rd_d = hkey_q[4'((a - 12'(nsgnic_abi_pkg::CSR_FLOW_HKEY)) >> 2)];
    else if (a >= 12'(nsgnic_abi_pkg::CSR_AGE_ENTRY) && a < 12'(nsgnic_abi_pkg::CSR_AGE_ENTRY + 64)) rd_d = age_entry_i[32*a[5:2] +: 32];
    else if (a >= 12'(nsgnic_abi_pkg::CSR_AGE_TIMEOUT) && a < 12'(nsgnic_abi_pkg::CSR_AGE_TIMEOUT + 16)) rd_d = age_to_q[2'((a - 12'(nsgnic_abi_pkg::CSR_AGE_TIMEOUT)) >> 2)];
    else if (a >= 12'(nsgnic_abi_pkg::CSR_EXQ_DATA) && a < 12'(nsgnic_abi_pkg::CSR_EXQ_DATA + HdrBytes)) rd_d = exq_word_i;
    else if (a >= 12'(nsgnic_abi_pkg::CSR_CNT) && a < 12'(nsgnic_abi_pkg::CSR_CNT + 4 * nsgnic_abi_pkg::CNT_COUNT)) rd_d = cnt_data_i;
    else begin
      unique case (32'(a))
        nsgnic_abi_pkg::CSR_ID:           rd_d = nsgnic_abi_pkg::CSR_ID_VALUE;
        nsgnic_abi_pkg::CSR_VERSION:      rd_d = (nsgnic_abi_pkg::ABI_VERSION_MAJOR << 16) | nsgnic_abi_pkg::ABI_VERSION_MINOR;
        nsgnic_abi_pkg::CSR_CAP_RULES:    rd_d = RuleEntries;
        nsgnic_abi_pkg::CSR_CAP_LABELS:   rd_d = LabelLpm != 0 && LabelCtx == 0 ? 32'd0 : LabelEntries;
        nsgnic_abi_pkg::CSR_CAP_LPM:      rd_d = LabelLpm == 0 ? 32'd0 :
          (32'(LpmLevels) << nsgnic_abi_pkg::DP_CAP_LPM_LEVELS_LSB) |
          (32'(LpmFanout) << nsgnic_abi_pkg::DP_CAP_LPM_FANOUT_LSB) |
          (32'(LpmCtxBits) << nsgnic_abi_pkg::DP_CAP_LPM_CTX_BITS_LSB) |
          (32'(LabelCtx != 0) << nsgnic_abi_pkg::DP_CAP_LPM_LABEL_CTX_LSB);
        nsgnic_abi_pkg::CSR_CAP_LPM4_LEAVES:  rd_d = LabelLpm == 0 ? 32'd0 : Lpm4Leaves;
        nsgnic_abi_pkg::CSR_CAP_LPM6_LEAVES:  rd_d = LabelLpm == 0 ? 32'd0 : Lpm6Leaves;
        nsgnic_abi_pkg::CSR_CAP_LPM4_RESULTS: rd_d = LabelLpm == 0 ? 32'd0 : Lpm4Results;
        nsgnic_abi_pkg::CSR_CAP_LPM6_RESULTS: rd_d = LabelLpm == 0 ? 32'd0 : Lpm6Results;
        nsgnic_abi_pkg::CSR_LPM_SEL:      rd_d = {27'd0, lpm_sel_q};
        nsgnic_abi_pkg::CSR_CAP_PLATFORM: rd_d = PlatformEntries;
        nsgnic_abi_pkg::CSR_CAP_VPORTS:   rd_d = Vports;
        nsgnic_abi_pkg::CSR_CAP_FLOWS:    rd_d = {8'd0, 8'(FlowStash), 8'(FlowWays), 8'(FBW)};
        nsgnic_abi_pkg::CSR_CAP_DRAM_FLOWS: rd_d = DramFlows;
        nsgnic_abi_pkg::CSR_FLOW_LIMIT:   rd_d = flow_limit_q;
        nsgnic_abi_pkg::CSR_DRAM_SLOT:    rd_d = dram_slot_q;
        nsgnic_abi_pkg::CSR_CAP_DRAM_WAYS: rd_d = DramWays;
        nsgnic_abi_pkg::CSR_DRAM_USED:    rd_d = dram_used_i;
        nsgnic_abi_pkg::CSR_CTRL:         rd_d = {30'd0, learn_q, bank_q};
        nsgnic_abi_pkg::CSR_GEN:          rd_d = {24'd0, gen_q};
        nsgnic_abi_pkg::CSR_NOW:          rd_d = {16'd0, now_i};
        nsgnic_abi_pkg::CSR_STATUS:       rd_d = {29'd0, error_q, rvalid_q, busy_q};
        nsgnic_abi_pkg::CSR_EXQ_COUNT:    rd_d = 32'(exq_count_i);
        nsgnic_abi_pkg::CSR_EXQ_META:     rd_d = exq_meta_i;
        nsgnic_abi_pkg::CSR_EXQ_SLOT:     rd_d = {24'd0, exq_slot_i};
        nsgnic_abi_pkg::CSR_EXQ_PARKED:   rd_d = exq_parked_i;
        nsgnic_abi_pkg::CSR_EXQ_SLOTS:    rd_d = ExqDepth;
        nsgnic_abi_pkg::CSR_AGE_CTRL:     rd_d = {16'd0, age_pace_q, 6'd0, DramFlows != 0, age_en_q};
        nsgnic_abi_pkg::CSR_AGE_EST_SEL:  rd_d = {24'd0, age_sel_q};
        nsgnic_abi_pkg::CSR_AGE_COUNT:    rd_d = 32'(age_count_i);
        nsgnic_abi_pkg::CSR_AGE_INDEX:    rd_d = age_index_i;
        nsgnic_abi_pkg::CSR_AGE_PASSES:   rd_d = age_passes_i;
        default:                          rd_d = '0;
      endcase
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rdata_q      <= '0;
      rvalid_bus_q <= 1'b0;
    end else begin
      rvalid_bus_q <= rd;
      if (rd) rdata_q <= rd_d;
    end
  end
  assign s_csr_rdata_o  = rdata_q;
  assign s_csr_rvalid_o = rvalid_bus_q;
  assign bank_o     = bank_q;
  assign learn_en_o = learn_q;
  assign gen_o      = gen_q;
  always_comb begin
    for (int unsigned i = 0; i < NPR; i++) prange_o[i*32 +: 32] = prange_q[i];
    for (int unsigned i = 0; i < NHK; i++) hkey_o[i*32 +: 32] = hkey_q[i];
  end
endmodule

`default_nettype wire
