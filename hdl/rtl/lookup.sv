// SPDX-License-Identifier: Apache-2.0
// Lookup pipeline: parsed packet key -> verdict, one key per clock, fixed latency of Latency
// clocks (LabLat + 11: 14 with the label TCAM, 25 with the 6-level block-RAM trees, 29 with
// the trees and per-vport label contexts), never stalls. Also carries the flow-cache management
// operations (coherent with traffic) and hosts the tables' management port. Stage numbers follow
// the label stage's latency LabLat (PL):
//
//   P0  binding read (VF: the vport's entry) -> label context; label search, src and dst keys on
//       two ports: the label TCAM (LabelLpm = 0, 3 clocks) or the block-RAM longest-prefix
//       trees (LabelLpm = 1, lpm.sv: one tree per family, keys {ctx, address}, the packet's
//       family selects the answer; LpmLat = (2 + LpmCmpReg) x LpmLevels + 2 clocks)
//   PL  (P3 / P14) labels; inbound: vport = label result of the destination; binding read;
//       local labels OR-ed into the NIC's side (both binding reads use the packet's bank)
// With per-vport label contexts (LabelCtx = 1, LabLat = 3 + 1 + LpmLat; P18 realistic):
//   P0  binding read of the VF; wire packet: local-address table (the label TCAM, 1 port) searched
//       {PORT.ID = scope, family, destination, bank}
//   PB  (P3) inbound: vport = the local table's VPORT (miss or no VPORT_VALID: NO_LOCAL_VPORT);
//       binding read (the packet's bank); both directions now hold the vport's BINDING
//   PB+1 (P4) tree search {BINDING.LABEL_CTX, source} and {BINDING.LABEL_CTX, destination}
//   PL  (P4 + LpmLat) labels: LPM_ROW rows, LABELS_SUBNET for rule port 0 and the platform TCAM,
//       LABELS_NIC for rule port 1; local labels OR-ed into the NIC's side of both vectors
//   (outbound packets pass PB and the table search unchanged: the latency is the same for all)
//   PL+1 platform TCAM search (S10/S11/S13)                       (result 3 clocks later)
//   PL+4 rule TCAM search: port 0 subnet NSG, port 1 NIC NSG, PLATFORM bit = class EXEMPT,
//       port-class bits from the PORT_RANGE comparators
//   PL+7 verdict (S2 combine); flow cache request (hash + bucket read)
//   PL+9 flow-cache result: hit -> the entry's verdict; miss -> rule verdict, learned on allow
//   out registered: valid Latency clocks after in_valid_i
// The active bank is sampled once per packet (P0) and used in every key: a bank flip never
// splits a packet across two rule sets.
//
// ICMP errors (S5 RELATED, like Linux conntrack): for an ICMP error whose embedded packet the
// parser could read (in_rel_i), the flow-cache request at P10 uses the flow key of the embedded
// packet instead of the outer tuple; the rules still see the outer packet. A hit on an ALLOW flow
// forwards the error as related (out_related_o) under the flow's rule id; the entry is only
// probed: no learn, no timestamp, counter or TCP-bit update (an error is no traffic of the
// connection and must not keep it alive). A miss, or a DENY/PUNT flow, leaves the rules' verdict
// (including the overflow punt, FLOW_OVF_DENY: the flow may be host-tracked). An error is never
// learned: conntrack classifies errors as RELATED or INVALID, never as a new connection.
`default_nettype none

module lookup #(
  parameter int unsigned RuleEntries     = 64,   // rule TCAM entries (power of two)
  parameter int unsigned LabelEntries    = 32,   // label TCAM entries (power of two)
  parameter int unsigned PlatformEntries = 8,    // platform TCAM entries (power of two)
  parameter int unsigned Vports          = 16,   // binding table entries, 1..256
  parameter int unsigned FlowBuckets     = 16,   // flow-cache buckets per table (power of two)
  parameter int unsigned FlowWays        = 4,    // flow-cache ways per bucket (power of two)
  parameter int unsigned FlowStash       = 4,    // flow-cache stash slots
  parameter int unsigned TierFront       = 0,    // 1: the cache in front of the DRAM tier (fr_*)
  parameter int unsigned ChunkW          = 5,    // TCAM truth-table address bits
  parameter int unsigned TagW            = 8,    // opaque per-packet tag carried to the output
  // label stage: 0 the label TCAM (LabelEntries), 1 the block-RAM trees (lpm.sv) with this
  // geometry (CSR_CAP_LPM*; the ABI's LPM_* constants are the realistic one)
  parameter int unsigned LabelLpm        = 0,
  parameter int unsigned LpmFanout       = 8,
  parameter int unsigned LpmLevels       = 6,
  parameter int unsigned LpmCtxBits      = 11,   // >= 9: the 8-bit context and the host's shared one
  parameter int unsigned Lpm4Leaves      = 20480,
  parameter int unsigned Lpm6Leaves      = 5120,
  parameter int unsigned Lpm4Results     = 65536,
  parameter int unsigned Lpm6Results     = 16384,
  parameter int unsigned LpmCmpReg       = 0,
  // 1 (only with LabelLpm = 1): per-vport label contexts (CAP_LABEL_CTX): the label TCAM is the
  // local-address table, the trees are searched {BINDING.LABEL_CTX, address} and answer LPM_ROW
  // rows (one label vector per NSG level)
  parameter int unsigned LabelCtx        = 0,
  localparam int unsigned FlowIdxW = 3 + $clog2(FlowBuckets) + ((FlowWays > 1) ? $clog2(FlowWays) : 1),
  localparam int unsigned TcamLat  = 3,          // tcam.sv: key -> hit / result
  // label stage latency; in_valid_i -> out_valid_o takes LabLat + 2 x TcamLat + 5 clocks
  localparam int unsigned LpmLat   = (2 + LpmCmpReg) * LpmLevels + 2,   // lpm.sv
  localparam int unsigned LabLat   = LabelLpm == 0 ? TcamLat :
                                     LabelCtx != 0 ? TcamLat + 1 + LpmLat : LpmLat
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  // control (CSR)
  input  logic                  bank_i,
  input  logic                  learn_en_i,
  input  logic [7:0]            gen_i,
  input  logic [15:0]           now_i,
  input  logic [nsgnic_abi_pkg::FLOW_HKEY_WORDS*32-1:0] hkey_i,  // flow-hash secret key
  // flow-cache aging engine (scans in the flow cache's idle slots; see flow_cache.sv)
  input  logic                  age_en_i,
  input  logic [7:0]            age_pace_i,
  input  logic [16*nsgnic_abi_pkg::AGE_CLASSES-1:0] age_to_i,
  input  logic                  age_est_we_i,
  input  logic [7:0]            age_est_vport_i,
  input  logic [15:0]           age_est_to_i,
  input  logic                  age_room_i,
  output logic                  age_x_valid_o,
  output logic [FlowIdxW-1:0]   age_x_index_o,
  output logic [nsgnic_abi_pkg::FLOW_BITS-1:0] age_x_entry_o,
  output logic                  age_wrap_o,
  input  logic [2*nsgnic_abi_pkg::PORT_CLASSES*32-1:0] prange_i,  // PORT_RANGE: source, destination
  // key in
  input  logic                  in_valid_i,
  input  logic [1:0]            in_op_i,        // 0 packet, else flow-cache management op
  input  logic [8:0]            in_port_i,      // PORT layout
  input  logic [4:0]            in_reason_i,    // parser verdict
  input  logic                  in_family_i,
  input  logic [7:0]            in_proto_i,
  input  logic                  in_l4_i,
  input  logic [127:0]          in_src_i,
  input  logic [127:0]          in_dst_i,
  input  logic [15:0]           in_sport_i,
  input  logic [15:0]           in_dport_i,
  input  logic [2:0]            in_tcp_i,
  input  logic                  in_rel_i,       // ICMP error with a usable inner tuple (in_i*)
  input  logic [7:0]            in_iproto_i,    // the embedded packet: protocol,
  input  logic [127:0]          in_isrc_i,      //   source and destination address,
  input  logic [127:0]          in_idst_i,
  input  logic [15:0]           in_isport_i,    //   ports (0 unless TCP / UDP)
  input  logic [15:0]           in_idport_i,
  input  logic [15:0]           in_len_i,
  input  logic [TagW-1:0]       in_tag_i,
  // flow-cache management operand (held stable by the CSR slave while its op is in flight)
  input  logic [FlowIdxW-1:0]   flow_index_i,
  input  logic [nsgnic_abi_pkg::FLOW_BITS-1:0] flow_data_i,
  // verdict out
  output logic                  out_valid_o,
  output logic [1:0]            out_op_o,
  output logic [1:0]            out_action_o,   // ACTION_ALLOW / DENY / PUNT
  output logic [4:0]            out_reason_o,
  output logic [15:0]           out_rule_id_o,
  output logic                  out_looked_o,   // looked up (else: parse / port failure)
  output logic                  out_flow_hit_o,
  output logic                  out_learned_o,
  output logic                  out_learn_fail_o,
  output logic                  out_related_o,  // ICMP error forwarded by its flow (S5 RELATED)
  output logic [8:0]            out_dest_o,     // PORT the packet goes to when allowed
  output logic [TagW-1:0]       out_tag_o,
  output logic [nsgnic_abi_pkg::FLOW_BITS-1:0] out_rdata_o,  // flow op read data
  // the packet's flow request, for the DRAM flow tier behind the cache (flow_tier.sv)
  output logic [nsgnic_abi_pkg::FLOW_KEY_BITS-1:0] out_fkey_o,
  output logic [2:0]            out_tcp_o,      // {RST, FIN, SYN}
  output logic                  out_rel_o,      // ICMP error: the key is its embedded packet's
  // TierFront: the flow request at P10, in lockstep with the cache's (flow_dram.sv Front = 1):
  // the tier's directory is read with the cache's buckets and both decide in the same B (P11)
  output logic                  fr_valid_o,     // P10: a looked-up packet's request
  output logic                  fr_mg_o,        // P10: a management op's slot (op != 0)
  output logic [nsgnic_abi_pkg::FLOW_KEY_BITS-1:0] fr_key_o,
  output logic                  fr_outbound_o,
  output logic [2:0]            fr_tcp_o,
  output logic [15:0]           fr_len_o,
  output logic                  fr_learn_o,     // may learn (learning on, rules ALLOW, no error)
  output logic                  fr_probe_o,     // ICMP error: compare only
  output logic [15:0]           fr_rule_o,
  output logic                  fr_chit_o,      // P11: the cache's hit of the packet in B
  output logic                  fr_croom_o,     // P11: the cache has a place for it
  input  logic                  fr_learn_ok_i,  // P11: the tier lets it learn in the cache
  output logic                  fr_dec_o,       // P11: a HW_COUNTED cache entry leaves
  output logic [nsgnic_abi_pkg::FLOW_BITS-1:0] fr_dec_entry_o,
  // table management (CSR slave): 0 rule, 1 label, 2 platform, 3 binding
  input  logic                  m_req_i,
  input  logic [2:0]            m_table_i,
  input  logic                  m_we_i,
  input  logic [15:0]           m_idx_i,
  input  logic [511:0]          m_value_i,
  input  logic [255:0]          m_mask_i,
  input  logic [127:0]          m_res_i,
  input  logic                  m_valid_i,
  // label-stage tree writes (tables 6 / 7 = DP_TABLE_LPM4 / LPM6; LabelLpm = 1): CSR_LPM_SEL
  // fields (level, bank) and the node word (CSR_LPM_DATA); index = m_idx_i
  input  logic [4:0]            m_lpm_sel_i,
  input  logic [nsgnic_abi_pkg::CSR_LPM_DATA_WORDS*32-1:0] m_lpm_data_i,
  output logic                  m_busy_o,
  output logic                  m_done_o,
  output logic [511:0]          m_rvalue_o,
  output logic [255:0]          m_rmask_o,
  output logic [127:0]          m_rres_o,
  output logic                  m_rvalid_o
);
  localparam int unsigned RKW = nsgnic_abi_pkg::RULE_KEY_BITS;
  localparam int unsigned LKW = nsgnic_abi_pkg::LABEL_KEY_BITS;
  localparam int unsigned PKW = nsgnic_abi_pkg::PLATFORM_KEY_BITS;
  localparam int unsigned RW  = nsgnic_abi_pkg::RESULT_BITS;
  localparam int unsigned LRW = nsgnic_abi_pkg::LABEL_RESULT_BITS;
  localparam int unsigned BDW = nsgnic_abi_pkg::BINDING_BITS;
  localparam int unsigned LBW = nsgnic_abi_pkg::LABEL_BITS;
  localparam int unsigned FKW = nsgnic_abi_pkg::FLOW_KEY_BITS;
  // stages (see the header): labels, platform search, rule search, verdict, final
  localparam int unsigned PL = LabLat;
  localparam int unsigned PB = LabelCtx != 0 ? TcamLat : PL;   // inbound vport, binding read
  localparam int unsigned PT = LabelCtx != 0 ? PB + 1 : 0;     // tree search (LabelLpm = 1)
  localparam int unsigned PP = PL + 1;
  localparam int unsigned PR = PP + TcamLat;
  localparam int unsigned PV = PR + TcamLat;
  localparam int unsigned PF = PV + 2;          // the flow cache answers 2 clocks after its request
  localparam int unsigned NStages = PF + 1;     // P0..PF

  if (LabelCtx != 0 && LabelLpm == 0) begin : g_bad_ctx
    $error("lookup: LabelCtx needs LabelLpm = 1 (the trees hold the contexts)");
  end
  if (FlowIdxW > 16) begin : g_bad_flow
    $error("lookup: the flow-cache index must fit the 16-bit CSR index");
  end

  typedef struct packed {
    logic            valid;
    logic [1:0]      op;
    logic            looked;     // P11 on: the packet was looked up (rules + flow cache)
    logic [8:0]      port;
    logic [4:0]      reason;
    logic            family;
    logic [7:0]      proto;
    logic            l4;
    logic [127:0]    src;
    logic [127:0]    dst;
    logic [15:0]     sport;
    logic [15:0]     dport;
    logic [2:0]      tcp;
    logic            rel;        // ICMP error: the flow key is the inner tuple's (inner_q)
    logic [15:0]     len;
    logic [TagW-1:0] tag;
    logic            bank;
    logic [7:0]      ctx;
    logic [7:0]      vport;
    logic [BDW-1:0]  binding;
    logic [LBW-1:0]  src_lab;    // rule port 0 (subnet NSG), platform TCAM
    logic [LBW-1:0]  dst_lab;
    logic [LBW-1:0]  src_lab_n;  // LabelCtx: rule port 1 (NIC NSG); else src_lab / dst_lab serve
    logic [LBW-1:0]  dst_lab_n;
    logic [1:0]      plat_class;
    logic [15:0]     plat_rule;
    logic [1:0]      action;     // rule verdict (P11 on)
    logic [15:0]     rule_id;
  } pkt_t;

  // Stage registers are an array of structs; fields are accessed only through whole-struct
  // copies (qN: stage N's register, dN: stage N's next value): yosys 0.23 cannot select a field
  // of an array element.
  // (Names: q3 = stage PL, q4 = PP, q7 = PR, q10 = PV, q12 = PF, after the label TCAM's stage
  // numbers; d4 = PL's next value, d8 = PR's, d11 = PV's.)
  pkt_t p_q [NStages];
  pkt_t p_d [NStages];
  pkt_t q0, qB, qT, q3, q4, q7, q10, q12;
  pkt_t d0, d1, dB, d4, d8, d11;
  assign q0  = p_q[0];
  assign qB  = p_q[PB];
  assign qT  = p_q[PT];
  assign q3  = p_q[PL];
  assign q4  = p_q[PP];
  assign q7  = p_q[PR];
  assign q10 = p_q[PV];
  assign q12 = p_q[PF];
  always_comb begin
    p_d[0] = d0;
    p_d[1] = d1;
    for (int unsigned k = 2; k < NStages; k++) p_d[k] = p_q[k-1];
    p_d[PB+1] = dB;   // PB = PL without label contexts: d4 (below) includes dB then
    p_d[PL+1] = d4;
    p_d[PR+1] = d8;
    p_d[PV+1] = d11;
  end

  // The embedded packet's tuple is needed only for the flow key at P10: it travels in a delay
  // line beside the stage registers, without reset (a shift register: SRL LUTs on an FPGA
  // instead of ~300 flops per stage). inner_q[k] belongs to the packet in p_q[k]; only
  // p_q[k].rel (reset) says whether it means anything.
  typedef struct packed {
    logic [7:0]   proto;
    logic [127:0] src;
    logic [127:0] dst;
    logic [15:0]  sport;
    logic [15:0]  dport;
  } inner_t;
  localparam int unsigned InnerStages = PV + 1;   // P0..PV
  inner_t inner_q [InnerStages];
  inner_t i10;
  assign i10 = inner_q[InnerStages-1];
  always_ff @(posedge clk_i) begin
    inner_q[0] <= {in_iproto_i, in_isrc_i, in_idst_i, in_isport_i, in_idport_i};  // inner_t order
    for (int unsigned k = 1; k < InnerStages; k++) inner_q[k] <= inner_q[k-1];
  end

  // ---- tables -------------------------------------------------------------------------
  logic [BDW-1:0] bind0, bind1, bind_m;
  logic [7:0]     bind1_idx;
  logic           outb0, outbB, outb3;   // packet from a VF (outbound)
  assign outb0 = q0.port[nsgnic_abi_pkg::PORT_KIND_LSB] == 1'(nsgnic_abi_pkg::PORT_KIND_VF);
  assign outbB = qB.port[nsgnic_abi_pkg::PORT_KIND_LSB] == 1'(nsgnic_abi_pkg::PORT_KIND_VF);
  assign outb3 = q3.port[nsgnic_abi_pkg::PORT_KIND_LSB] == 1'(nsgnic_abi_pkg::PORT_KIND_VF);

  logic           bind_we;
  assign bind_we = m_req_i && !m_busy_o && m_table_i == 3'd3 && m_we_i;

  // banked: each read uses the packet's sampled bank; management index = DP_BIND_INDEX
  binding_table #(.Vports(Vports)) u_bind (
    .clk_i, .rst_ni,
    .rd0_bank_i(q0.bank), .rd0_idx_i(q0.port[7:0]), .rd0_o(bind0),
    .rd1_bank_i(qB.bank), .rd1_idx_i(bind1_idx),    .rd1_o(bind1),
    .m_we_i(bind_we), .m_bank_i(m_idx_i[nsgnic_abi_pkg::DP_BIND_INDEX_BANK_LSB]),
    .m_idx_i(m_idx_i[nsgnic_abi_pkg::DP_BIND_INDEX_VPORT_LSB +: 8]), .m_data_i(m_value_i[BDW-1:0]),
    .m_rdata_o(bind_m)
  );

  // label stage: port 0 source, port 1 destination; labels at PL: the subnet NSG's vectors
  // (rule port 0, platform) and the NIC NSG's (rule port 1: the same without label contexts);
  // the inbound destination's vport at PB
  logic [2*LKW-1:0] lab_key;
  logic [LBW-1:0]   src_lab_s, dst_lab_s, src_lab_n, dst_lab_n;
  logic             dst_vport_ok;
  logic [7:0]       dst_vport;
  // platform TCAM
  logic [PKW-1:0]   plat_key;
  logic             plat_hit;
  logic [RW-1:0]    plat_res;
  logic [$clog2(PlatformEntries)-1:0] plat_idx_unused;
  // rule TCAM: port 0 subnet NSG, port 1 NIC NSG
  logic [2*RKW-1:0] rule_key;
  logic [1:0]       rule_hit;
  logic [2*RW-1:0]  rule_res;
  logic [2*$clog2(RuleEntries)-1:0] rule_idx_unused;

  // management demux (t_*[4]: the label-stage trees)
  logic [4:0] t_req, t_busy, t_done;
  logic [LKW-1:0] lab_rvalue, lab_rmask;
  logic [LRW-1:0] lab_rres;
  logic [PKW-1:0] plat_rvalue, plat_rmask;
  logic [RW-1:0]  plat_rres, rule_rres;
  logic [RKW-1:0] rule_rvalue, rule_rmask;
  logic           lab_rvalid, plat_rvalid, rule_rvalid;
  logic           bind_done_q;
  logic [BDW-1:0] bind_rdata_q;

  always_comb begin
    t_req = '0;
    if (m_req_i && !m_busy_o && m_table_i < 3'd4) t_req[{1'b0, m_table_i[1:0]}] = 1'b1;
    if (m_req_i && !m_busy_o && m_table_i[2:1] == 2'b11) t_req[4] = 1'b1;  // LPM4 / LPM6
  end

  // Searches only for packets that are still to be looked up (the results of a slot without a
  // search are stale and ignored): saves the simulation's TCAM work, costs clock enables.
  logic lab_sv, plat_sv, rule_sv;
  assign lab_sv  = q0.valid && q0.op == 2'd0;
  assign plat_sv = q4.valid && q4.op == 2'd0 && q4.reason == 5'(nsgnic_abi_pkg::REASON_NONE);
  assign rule_sv = q7.valid && q7.op == 2'd0 && q7.reason == 5'(nsgnic_abi_pkg::REASON_NONE);

  tcam #(.Entries(RuleEntries), .KeyW(RKW), .ResW(RW), .Ports(2), .ChunkW(ChunkW)) u_rule (
    .clk_i, .rst_ni, .s_valid_i({2{rule_sv}}), .s_key_i(rule_key), .s_hit_o(rule_hit), .s_idx_o(rule_idx_unused),
    .s_res_o(rule_res),
    .m_req_i(t_req[0]), .m_we_i, .m_idx_i(m_idx_i[$clog2(RuleEntries)-1:0]),
    .m_value_i(m_value_i[RKW-1:0]), .m_mask_i(m_mask_i[RKW-1:0]), .m_res_i(m_res_i[RW-1:0]),
    .m_valid_i, .m_busy_o(t_busy[0]), .m_done_o(t_done[0]), .m_rvalue_o(rule_rvalue),
    .m_rmask_o(rule_rmask), .m_rres_o(rule_rres), .m_rvalid_o(rule_rvalid));
  if (LabelLpm == 0) begin : g_label_tcam
    logic [2*$clog2(LabelEntries)-1:0] lab_idx_unused;
    logic [1:0]       lab_hit;
    logic [2*LRW-1:0] lab_res;
    logic unused_lpm;
    assign unused_lpm = ^{m_lpm_sel_i, m_lpm_data_i, lab_res[2*LRW-1:LRW+nsgnic_abi_pkg::LABEL_RESULT_VPORT_VALID_LSB+1],
                          lab_res[LRW-1:nsgnic_abi_pkg::LABEL_RESULT_LABELS_LSB+LBW]};
    tcam #(.Entries(LabelEntries), .KeyW(LKW), .ResW(LRW), .Ports(2), .ChunkW(ChunkW)) u_label (
      .clk_i, .rst_ni, .s_valid_i({2{lab_sv}}), .s_key_i(lab_key), .s_hit_o(lab_hit), .s_idx_o(lab_idx_unused),
      .s_res_o(lab_res),
      .m_req_i(t_req[1]), .m_we_i, .m_idx_i(m_idx_i[$clog2(LabelEntries)-1:0]),
      .m_value_i(m_value_i[LKW-1:0]), .m_mask_i(m_mask_i[LKW-1:0]), .m_res_i(m_res_i[LRW-1:0]),
      .m_valid_i, .m_busy_o(t_busy[1]), .m_done_o(t_done[1]), .m_rvalue_o(lab_rvalue),
      .m_rmask_o(lab_rmask), .m_rres_o(lab_rres), .m_rvalid_o(lab_rvalid));
    assign src_lab_s    = lab_hit[0] ? lab_res[nsgnic_abi_pkg::LABEL_RESULT_LABELS_LSB +: LBW] : '0;
    assign dst_lab_s    = lab_hit[1] ? lab_res[LRW + nsgnic_abi_pkg::LABEL_RESULT_LABELS_LSB +: LBW] : '0;
    assign src_lab_n    = src_lab_s;
    assign dst_lab_n    = dst_lab_s;
    assign dst_vport_ok = lab_hit[1] && lab_res[LRW + nsgnic_abi_pkg::LABEL_RESULT_VPORT_VALID_LSB];
    assign dst_vport    = lab_res[LRW + nsgnic_abi_pkg::LABEL_RESULT_VPORT_LSB +: 8];
    // no trees: a tree write (the CSR slave refuses it) completes at once
    assign t_busy[4] = 1'b0;
    assign t_done[4] = t_req[4];
  end else begin : g_label_lpm
    // Two trees (lpm.sv): IPv4 keys {ctx, 32 bits}, IPv6 {ctx, 128 bits}; only the packet's
    // family's tree searches. Result row 0 is "no match" (zero labels, no vport), whatever the
    // row holds. The label context of a packet is used as is: the host maps the contexts no
    // binding uses to one shared tree context, which the hardware never searches - a packet in
    // such a context finds no local vport either way (NO_LOCAL_VPORT).
    // LabelCtx = 0: the context is the scope (BINDING.CTX / PORT.ID), searched at P0, rows are
    // LABEL_RESULT (labels and the inbound vport). LabelCtx = 1: the context is the vport's
    // BINDING.LABEL_CTX, searched at PT = PB + 1 once the vport is known, rows are LPM_ROW.
    localparam int unsigned RowW = LabelCtx != 0 ? nsgnic_abi_pkg::LPM_ROW_BITS : LRW;
    localparam int unsigned KW4 = LpmCtxBits + 32;
    localparam int unsigned KW6 = LpmCtxBits + 128;
    localparam int unsigned PW4 = $clog2(Lpm4Leaves > Lpm4Results ? Lpm4Leaves : Lpm4Results);
    localparam int unsigned PW6 = $clog2(Lpm6Leaves > Lpm6Results ? Lpm6Leaves : Lpm6Results);
    localparam int unsigned NW4 = $clog2(LpmFanout) + (LpmFanout - 1) * KW4 + LpmFanout * PW4;
    localparam int unsigned NW6 = $clog2(LpmFanout) + (LpmFanout - 1) * KW6 + LpmFanout * PW6;
    localparam int unsigned LevW = $clog2(LpmLevels + 1);
    if (NW6 > nsgnic_abi_pkg::CSR_LPM_DATA_WORDS * 32 || NW4 > nsgnic_abi_pkg::CSR_LPM_DATA_WORDS * 32 ||
        LpmCtxBits < 9 || LpmLevels > 15 || PW4 > 16 || PW6 > 16) begin : g_bad_lpm
      $error("lookup: a tree node word exceeds CSR_LPM_DATA, LpmCtxBits < 9, LpmLevels > 15 or a tree index beyond the 16-bit CSR index");
    end
    logic            t_sv, v4_valid, v6_valid, v4_ready, v6_ready, lpm_pend_q, lpm_fam_q;
    logic            pre_busy, w_ok;
    logic            r4_valid_unused, r6_valid_unused;
    logic [2*PW4-1:0] r4_idx;
    logic [2*PW6-1:0] r6_idx;
    logic [2*RowW-1:0] r4_res, r6_res;
    logic [2*KW4-1:0] k4;
    logic [2*KW6-1:0] k6;
    logic [LpmCtxBits-1:0] t_ctx;
    logic [1:0]        t_hit;
    logic [2*RowW-1:0] t_res;
    if (LabelCtx != 0) begin : g_ctx_key
      // the vport's tree context (BINDING.LABEL_CTX: the host never names one beyond CTX_BITS)
      assign t_ctx = LpmCtxBits'(qT.binding[nsgnic_abi_pkg::BINDING_LABEL_CTX_LSB +: nsgnic_abi_pkg::LPM_CTX_BITS]);
      assign t_sv  = qT.valid && qT.op == 2'd0 && qT.reason == 5'(nsgnic_abi_pkg::REASON_NONE);
    end else begin : g_scope_key
      assign t_ctx = LpmCtxBits'(d1.ctx);
      assign t_sv  = lab_sv;
    end
    // A tree write waits while a search of its bank is in flight (lpm.sv); with label contexts
    // the search starts PT clocks after the packet sampled its bank, so a packet in P0..PT-1
    // holding the written bank counts too (a write right after a flip must not reach a packet
    // that sampled the old bank and has not searched yet).
    if (LabelCtx != 0) begin : g_pre
      logic [PT-1:0] pv_q, pb_q;   // stages P0..PT-1: a packet, its bank
      always_ff @(posedge clk_i or negedge rst_ni) begin
        if (!rst_ni) begin
          pv_q <= '0;
          pb_q <= '0;
        end else begin
          pv_q <= {pv_q[PT-2:0], in_valid_i};
          pb_q <= {pb_q[PT-2:0], bank_i};
        end
      end
      always_comb begin
        pre_busy = 1'b0;
        for (int unsigned k = 0; k < PT; k++)
          if (pv_q[k] && pb_q[k] == m_lpm_sel_i[nsgnic_abi_pkg::DP_LPM_SEL_BANK_LSB]) pre_busy = 1'b1;
      end
    end else begin : g_no_pre
      assign pre_busy = 1'b0;
    end
    assign w_ok = !pre_busy && (lpm_fam_q ? v6_ready : v4_ready);
    assign v4_valid = t_sv && !qT.family;
    assign v6_valid = t_sv && qT.family;
    assign k4 = {t_ctx, qT.dst[31:0], t_ctx, qT.src[31:0]};
    assign k6 = {t_ctx, qT.dst, t_ctx, qT.src};
    lpm #(.KeyW(KW4), .Fanout(LpmFanout), .Levels(LpmLevels), .LeafNodes(Lpm4Leaves),
          .Results(Lpm4Results), .ResW(RowW), .CmpReg(LpmCmpReg)) u_lpm4 (
      .clk_i, .rst_ni, .q_valid_i(v4_valid), .q_bank_i(qT.bank), .q_key_i(k4),
      .r_valid_o(r4_valid_unused), .r_idx_o(r4_idx), .r_res_o(r4_res),
      .w_valid_i(lpm_pend_q && !lpm_fam_q && !pre_busy), .w_ready_o(v4_ready),
      .w_bank_i(m_lpm_sel_i[nsgnic_abi_pkg::DP_LPM_SEL_BANK_LSB]),
      .w_level_i(LevW'(m_lpm_sel_i[nsgnic_abi_pkg::DP_LPM_SEL_LEVEL_LSB +: 4])),
      .w_addr_i(PW4'(m_idx_i)), .w_data_i(m_lpm_data_i[NW4-1:0]));
    lpm #(.KeyW(KW6), .Fanout(LpmFanout), .Levels(LpmLevels), .LeafNodes(Lpm6Leaves),
          .Results(Lpm6Results), .ResW(RowW), .CmpReg(LpmCmpReg)) u_lpm6 (
      .clk_i, .rst_ni, .q_valid_i(v6_valid), .q_bank_i(qT.bank), .q_key_i(k6),
      .r_valid_o(r6_valid_unused), .r_idx_o(r6_idx), .r_res_o(r6_res),
      .w_valid_i(lpm_pend_q && lpm_fam_q && !pre_busy), .w_ready_o(v6_ready),
      .w_bank_i(m_lpm_sel_i[nsgnic_abi_pkg::DP_LPM_SEL_BANK_LSB]),
      .w_level_i(LevW'(m_lpm_sel_i[nsgnic_abi_pkg::DP_LPM_SEL_LEVEL_LSB +: 4])),
      .w_addr_i(PW6'(m_idx_i)), .w_data_i(m_lpm_data_i[NW6-1:0]));
    // the family of the packet at PL picks its tree's answer
    always_comb begin
      for (int unsigned k = 0; k < 2; k++) begin
        if (q3.family) begin
          t_hit[k]                = r6_idx[k*PW6 +: PW6] != '0;
          t_res[k*RowW +: RowW]   = r6_res[k*RowW +: RowW];
        end else begin
          t_hit[k]                = r4_idx[k*PW4 +: PW4] != '0;
          t_res[k*RowW +: RowW]   = r4_res[k*RowW +: RowW];
        end
      end
    end
    if (LabelCtx != 0) begin : g_ctx_rows
      // LPM_ROW: one vector per NSG level; the inbound vport comes from the local-address table
      // (the label TCAM, one search port: the destination), read at PB
      logic             loc_hit;
      logic [LRW-1:0]   loc_res;
      logic [$clog2(LabelEntries)-1:0] loc_idx_unused;
      logic unused_loc;
      assign unused_loc = ^{lab_key[LKW-1:0], loc_res[LRW-1:nsgnic_abi_pkg::LABEL_RESULT_VPORT_VALID_LSB+1],
                            loc_res[nsgnic_abi_pkg::LABEL_RESULT_LABELS_LSB +: LBW]};
      tcam #(.Entries(LabelEntries), .KeyW(LKW), .ResW(LRW), .Ports(1), .ChunkW(ChunkW)) u_label (
        .clk_i, .rst_ni, .s_valid_i(lab_sv && !outb0), .s_key_i(lab_key[LKW +: LKW]), .s_hit_o(loc_hit),
        .s_idx_o(loc_idx_unused), .s_res_o(loc_res),
        .m_req_i(t_req[1]), .m_we_i, .m_idx_i(m_idx_i[$clog2(LabelEntries)-1:0]),
        .m_value_i(m_value_i[LKW-1:0]), .m_mask_i(m_mask_i[LKW-1:0]), .m_res_i(m_res_i[LRW-1:0]),
        .m_valid_i, .m_busy_o(t_busy[1]), .m_done_o(t_done[1]), .m_rvalue_o(lab_rvalue),
        .m_rmask_o(lab_rmask), .m_rres_o(lab_rres), .m_rvalid_o(lab_rvalid));
      assign dst_vport_ok = loc_hit && loc_res[nsgnic_abi_pkg::LABEL_RESULT_VPORT_VALID_LSB];
      assign dst_vport    = loc_res[nsgnic_abi_pkg::LABEL_RESULT_VPORT_LSB +: 8];
      assign src_lab_s = t_hit[0] ? t_res[nsgnic_abi_pkg::LPM_ROW_LABELS_SUBNET_LSB +: LBW] : '0;
      assign src_lab_n = t_hit[0] ? t_res[nsgnic_abi_pkg::LPM_ROW_LABELS_NIC_LSB +: LBW] : '0;
      assign dst_lab_s = t_hit[1] ? t_res[RowW + nsgnic_abi_pkg::LPM_ROW_LABELS_SUBNET_LSB +: LBW] : '0;
      assign dst_lab_n = t_hit[1] ? t_res[RowW + nsgnic_abi_pkg::LPM_ROW_LABELS_NIC_LSB +: LBW] : '0;
    end else begin : g_scope_rows
      logic unused_rows;
      assign unused_rows = ^{lab_key, t_res[2*RowW-1:RowW+nsgnic_abi_pkg::LABEL_RESULT_VPORT_VALID_LSB+1],
                             t_res[RowW-1:nsgnic_abi_pkg::LABEL_RESULT_LABELS_LSB+LBW]};
      assign src_lab_s    = t_hit[0] ? t_res[nsgnic_abi_pkg::LABEL_RESULT_LABELS_LSB +: LBW] : '0;
      assign dst_lab_s    = t_hit[1] ? t_res[RowW + nsgnic_abi_pkg::LABEL_RESULT_LABELS_LSB +: LBW] : '0;
      assign src_lab_n    = src_lab_s;
      assign dst_lab_n    = dst_lab_s;
      assign dst_vport_ok = t_hit[1] && t_res[RowW + nsgnic_abi_pkg::LABEL_RESULT_VPORT_VALID_LSB];
      assign dst_vport    = t_res[RowW + nsgnic_abi_pkg::LABEL_RESULT_VPORT_LSB +: 8];
      // no label TCAM
      assign t_busy[1]  = 1'b0;
      assign t_done[1]  = t_req[1];
      assign lab_rvalue = '0;
      assign lab_rmask  = '0;
      assign lab_rres   = '0;
      assign lab_rvalid = 1'b0;
    end
    // a tree write waits (BUSY) until its tree accepts it: no search of that bank in flight
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        lpm_pend_q <= 1'b0;
        lpm_fam_q  <= 1'b0;
      end else if (t_req[4]) begin
        lpm_pend_q <= 1'b1;
        lpm_fam_q  <= m_table_i[0];
      end else if (lpm_pend_q && w_ok) begin
        lpm_pend_q <= 1'b0;
      end
    end
    assign t_busy[4] = lpm_pend_q;
    assign t_done[4] = lpm_pend_q && w_ok;
    logic unused_lpm;
    assign unused_lpm = ^{m_lpm_data_i, r4_valid_unused, r6_valid_unused, m_res_i[LRW-1:RW]};
  end
  tcam #(.Entries(PlatformEntries), .KeyW(PKW), .ResW(RW), .Ports(1), .ChunkW(ChunkW)) u_plat (
    .clk_i, .rst_ni, .s_valid_i(plat_sv), .s_key_i(plat_key), .s_hit_o(plat_hit), .s_idx_o(plat_idx_unused),
    .s_res_o(plat_res),
    .m_req_i(t_req[2]), .m_we_i, .m_idx_i(m_idx_i[$clog2(PlatformEntries)-1:0]),
    .m_value_i(m_value_i[PKW-1:0]), .m_mask_i(m_mask_i[PKW-1:0]), .m_res_i(m_res_i[RW-1:0]),
    .m_valid_i, .m_busy_o(t_busy[2]), .m_done_o(t_done[2]), .m_rvalue_o(plat_rvalue),
    .m_rmask_o(plat_rmask), .m_rres_o(plat_rres), .m_rvalid_o(plat_rvalid));

  // binding: written in one clock, done the clock after
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      bind_done_q  <= 1'b0;
      bind_rdata_q <= '0;
    end else begin
      bind_done_q <= t_req[3];
      if (t_req[3]) bind_rdata_q <= m_we_i ? m_value_i[BDW-1:0] : bind_m;
    end
  end
  assign t_busy[3] = bind_done_q;
  assign t_done[3] = bind_done_q;

  logic [2:0] mtab_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) mtab_q <= '0;
    else if (m_req_i && !m_busy_o) mtab_q <= m_table_i;
  end
  assign m_busy_o = |t_busy;
  assign m_done_o = |t_done;
  always_comb begin
    m_rvalue_o = '0;
    m_rmask_o  = '0;
    m_rres_o   = '0;
    m_rvalid_o = 1'b0;
    unique case (mtab_q)
      3'd0: begin
        m_rvalue_o = 512'(rule_rvalue); m_rmask_o = 256'(rule_rmask);
        m_rres_o = 128'(rule_rres); m_rvalid_o = rule_rvalid;
      end
      3'd1: begin
        m_rvalue_o = 512'(lab_rvalue); m_rmask_o = 256'(lab_rmask);
        m_rres_o = 128'(lab_rres); m_rvalid_o = lab_rvalid;
      end
      3'd2: begin
        m_rvalue_o = 512'(plat_rvalue); m_rmask_o = 256'(plat_rmask);
        m_rres_o = 128'(plat_rres); m_rvalid_o = plat_rvalid;
      end
      3'd3: begin
        m_rvalue_o = 512'(bind_rdata_q);
        m_rvalid_o = bind_rdata_q[nsgnic_abi_pkg::BINDING_VALID_LSB];
      end
      default: ;
    endcase
  end

  // ---- P0: binding of the VF, context, label keys ----------------------------------------
  always_comb begin
    d0        = '0;
    d0.valid  = in_valid_i;
    d0.op     = in_op_i;
    d0.port   = in_port_i;
    d0.reason = in_reason_i;
    d0.family = in_family_i;
    d0.proto  = in_proto_i;
    d0.l4     = in_l4_i;
    d0.src    = in_src_i;
    d0.dst    = in_dst_i;
    d0.sport  = in_sport_i;
    d0.dport  = in_dport_i;
    d0.tcp    = in_tcp_i;
    d0.rel    = in_rel_i;
    d0.len    = in_len_i;
    d0.tag    = in_tag_i;
    d0.bank   = bank_i;

    d1 = q0;
    if (outb0) begin
      d1.ctx     = bind0[nsgnic_abi_pkg::BINDING_CTX_LSB +: 8];
      d1.vport   = q0.port[7:0];
      d1.binding = bind0;
      if (!bind0[nsgnic_abi_pkg::BINDING_VALID_LSB] &&
          q0.reason == 5'(nsgnic_abi_pkg::REASON_NONE)) begin
        d1.reason = 5'(nsgnic_abi_pkg::REASON_UNBOUND_VPORT);
      end
    end else begin
      d1.ctx = q0.port[7:0];
    end

    lab_key = '0;
    lab_key[nsgnic_abi_pkg::LABEL_KEY_ADDR_LSB +: 128]       = q0.src;
    lab_key[LKW + nsgnic_abi_pkg::LABEL_KEY_ADDR_LSB +: 128] = q0.dst;
    for (int unsigned k = 0; k < 2; k++) begin
      lab_key[k*LKW + nsgnic_abi_pkg::LABEL_KEY_FAMILY_LSB]   = q0.family;
      lab_key[k*LKW + nsgnic_abi_pkg::LABEL_KEY_CTX_LSB +: 8] = d1.ctx;
      lab_key[k*LKW + nsgnic_abi_pkg::LABEL_KEY_BANK_LSB]     = q0.bank;
    end
  end

  // ---- PB: inbound vport, binding; PL: labels, local labels ------------------------------
  // (PB = PL = P3 / P14 without label contexts; with them PB = P3, PL = P4 + LpmLat)
  logic [LBW-1:0] local_lab;
  assign bind1_idx = dst_vport;
  always_comb begin
    dB = qB;
    if (!outbB) begin
      dB.vport   = bind1_idx;
      dB.binding = bind1;
      if (qB.reason == 5'(nsgnic_abi_pkg::REASON_NONE)) begin
        if (!dst_vport_ok) dB.reason = 5'(nsgnic_abi_pkg::REASON_NO_LOCAL_VPORT);
        else if (!bind1[nsgnic_abi_pkg::BINDING_VALID_LSB])
          dB.reason = 5'(nsgnic_abi_pkg::REASON_UNBOUND_VPORT);
      end
    end

    d4 = LabelCtx != 0 ? q3 : dB;
    local_lab = d4.binding[nsgnic_abi_pkg::BINDING_LOCAL_LABELS_LSB +: LBW];
    d4.src_lab   = outb3 ? (src_lab_s | local_lab) : src_lab_s;
    d4.dst_lab   = outb3 ? dst_lab_s : (dst_lab_s | local_lab);
    d4.src_lab_n = outb3 ? (src_lab_n | local_lab) : src_lab_n;
    d4.dst_lab_n = outb3 ? dst_lab_n : (dst_lab_n | local_lab);
  end

  // ---- P4: platform key; P7: platform class, port classes, rule keys -----------------------
  localparam int unsigned NPC = nsgnic_abi_pkg::PORT_CLASSES;
  logic [NPC-1:0] src_cls, dst_cls;
  logic outb4, outb7, outb10, outb12;
  assign outb4  = q4.port[nsgnic_abi_pkg::PORT_KIND_LSB];
  assign outb7  = q7.port[nsgnic_abi_pkg::PORT_KIND_LSB];
  assign outb10 = q10.port[nsgnic_abi_pkg::PORT_KIND_LSB];
  assign outb12 = q12.port[nsgnic_abi_pkg::PORT_KIND_LSB];

  always_comb begin
    plat_key = '0;
    plat_key[nsgnic_abi_pkg::PLATFORM_KEY_DST_PORT_LSB +: 16]    = q4.dport;
    plat_key[nsgnic_abi_pkg::PLATFORM_KEY_DST_LABELS_LSB +: LBW] = q4.dst_lab;
    plat_key[nsgnic_abi_pkg::PLATFORM_KEY_PROTO_LSB +: 8]        = q4.proto;
    plat_key[nsgnic_abi_pkg::PLATFORM_KEY_L4_LSB]                = q4.l4;
    plat_key[nsgnic_abi_pkg::PLATFORM_KEY_FAMILY_LSB]            = q4.family;
    plat_key[nsgnic_abi_pkg::PLATFORM_KEY_DIR_LSB]               = outb4;
    plat_key[nsgnic_abi_pkg::PLATFORM_KEY_BANK_LSB]              = q4.bank;

    d8 = q7;
    d8.plat_class = plat_hit ? plat_res[nsgnic_abi_pkg::RESULT_PLATFORM_CLASS_LSB +: 2]
                                 : 2'(nsgnic_abi_pkg::PLATFORM_CLASS_NONE);
    d8.plat_rule  = plat_res[nsgnic_abi_pkg::RESULT_RULE_ID_LSB +: 16];

    // port classes (comparators), L4 packets only
    src_cls = '0;
    dst_cls = '0;
    for (int unsigned c = 0; c < NPC; c++) begin
      src_cls[c] = q7.l4 &&
        q7.sport >= prange_i[c*32 + nsgnic_abi_pkg::PORT_RANGE_LO_LSB +: 16] &&
        q7.sport <= prange_i[c*32 + nsgnic_abi_pkg::PORT_RANGE_HI_LSB +: 16];
      dst_cls[c] = q7.l4 &&
        q7.dport >= prange_i[(NPC + c)*32 + nsgnic_abi_pkg::PORT_RANGE_LO_LSB +: 16] &&
        q7.dport <= prange_i[(NPC + c)*32 + nsgnic_abi_pkg::PORT_RANGE_HI_LSB +: 16];
    end
    rule_key = '0;
    for (int unsigned k = 0; k < 2; k++) begin
      rule_key[k*RKW + nsgnic_abi_pkg::RULE_KEY_SRC_PORT_CLASS_LSB +: NPC] = src_cls;
      rule_key[k*RKW + nsgnic_abi_pkg::RULE_KEY_DST_PORT_CLASS_LSB +: NPC] = dst_cls;
      rule_key[k*RKW + nsgnic_abi_pkg::RULE_KEY_DST_PORT_LSB +: 16]    = q7.dport;
      rule_key[k*RKW + nsgnic_abi_pkg::RULE_KEY_SRC_PORT_LSB +: 16]    = q7.sport;
      rule_key[k*RKW + nsgnic_abi_pkg::RULE_KEY_DST_ADDR4_LSB +: 32]   = q7.family ? 32'd0 : q7.dst[31:0];
      rule_key[k*RKW + nsgnic_abi_pkg::RULE_KEY_SRC_ADDR4_LSB +: 32]   = q7.family ? 32'd0 : q7.src[31:0];
      rule_key[k*RKW + nsgnic_abi_pkg::RULE_KEY_DST_LABELS_LSB +: LBW] = q7.dst_lab;
      rule_key[k*RKW + nsgnic_abi_pkg::RULE_KEY_SRC_LABELS_LSB +: LBW] = q7.src_lab;
      rule_key[k*RKW + nsgnic_abi_pkg::RULE_KEY_PROTO_LSB +: 8]        = q7.proto;
      rule_key[k*RKW + nsgnic_abi_pkg::RULE_KEY_L4_LSB]                = q7.l4;
      rule_key[k*RKW + nsgnic_abi_pkg::RULE_KEY_FAMILY_LSB]            = q7.family;
      rule_key[k*RKW + nsgnic_abi_pkg::RULE_KEY_DIR_LSB]               = outb7;
      rule_key[k*RKW + nsgnic_abi_pkg::RULE_KEY_PLATFORM_LSB] =
        d8.plat_class == 2'(nsgnic_abi_pkg::PLATFORM_CLASS_EXEMPT);
      rule_key[k*RKW + nsgnic_abi_pkg::RULE_KEY_BANK_LSB]              = q7.bank;
    end
    // the NIC NSG's port: its own label vectors with label contexts (the same without)
    rule_key[RKW + nsgnic_abi_pkg::RULE_KEY_DST_LABELS_LSB +: LBW] = LabelCtx != 0 ? q7.dst_lab_n : q7.dst_lab;
    rule_key[RKW + nsgnic_abi_pkg::RULE_KEY_SRC_LABELS_LSB +: LBW] = LabelCtx != 0 ? q7.src_lab_n : q7.src_lab;
    rule_key[nsgnic_abi_pkg::RULE_KEY_NSG_LSB +: 10] =
      q7.binding[nsgnic_abi_pkg::BINDING_SUBNET_NSG_LSB +: 10];
    rule_key[RKW + nsgnic_abi_pkg::RULE_KEY_NSG_LSB +: 10] =
      q7.binding[nsgnic_abi_pkg::BINDING_NIC_NSG_LSB +: 10];
  end

  // ---- P10: verdict, flow-cache request ----------------------------------------------------
  logic [1:0]  v_action;
  logic [15:0] v_rule;
  logic [4:0]  v_reason;
  verdict u_verdict (
    .outbound_i(outb10),
    .subnet_nsg_i(q10.binding[nsgnic_abi_pkg::BINDING_SUBNET_NSG_VALID_LSB]),
    .subnet_hit_i(rule_hit[0]), .subnet_res_i(rule_res[RW-1:0]),
    .nic_nsg_i(q10.binding[nsgnic_abi_pkg::BINDING_NIC_NSG_VALID_LSB]),
    .nic_hit_i(rule_hit[1]), .nic_res_i(rule_res[2*RW-1:RW]),
    .plat_class_i(q10.plat_class), .plat_rule_id_i(q10.plat_rule),
    .action_o(v_action), .rule_id_o(v_rule), .reason_o(v_reason));

  logic            elig10;
  logic [FKW-1:0]  fkey;
  logic [127:0]    k_src, k_dst;
  logic [15:0]     k_sport, k_dport;
  logic [7:0]      k_proto;
  always_comb begin
    elig10 = q10.valid && q10.op == 2'd0 &&
             q10.reason == 5'(nsgnic_abi_pkg::REASON_NONE);
    // the tuple the flow key is built from: the packet's own, or for a related ICMP error the
    // embedded packet's reversed (the error travels against it, like a packet of the flow in the
    // error's direction): inbound, the NIC's side is the inner source; outbound the destination
    k_src   = q10.rel ? i10.dst   : q10.src;
    k_dst   = q10.rel ? i10.src   : q10.dst;
    k_sport = q10.rel ? i10.dport : q10.sport;
    k_dport = q10.rel ? i10.sport : q10.dport;
    k_proto = q10.rel ? i10.proto : q10.proto;
    fkey = '0;
    fkey[nsgnic_abi_pkg::FLOW_LOCAL_ADDR_LSB +: 128]  = outb10 ? k_src : k_dst;
    fkey[nsgnic_abi_pkg::FLOW_REMOTE_ADDR_LSB +: 128] = outb10 ? k_dst : k_src;
    fkey[nsgnic_abi_pkg::FLOW_LOCAL_PORT_LSB +: 16]   = outb10 ? k_sport : k_dport;
    fkey[nsgnic_abi_pkg::FLOW_REMOTE_PORT_LSB +: 16]  = outb10 ? k_dport : k_sport;
    fkey[nsgnic_abi_pkg::FLOW_PROTO_LSB +: 8]         = k_proto;
    fkey[nsgnic_abi_pkg::FLOW_FAMILY_LSB]             = q10.family;
    fkey[nsgnic_abi_pkg::FLOW_VPORT_LSB +: 8]         = q10.vport;

    d11 = q10;
    d11.action  = v_action;
    d11.rule_id = v_rule;
    d11.looked  = elig10;
    if (elig10) d11.reason = v_reason;
  end

  logic            f_valid, f_hit, f_learned, f_fail, f_ovf;
  logic [1:0]      f_action;
  logic [15:0]     f_rule;
  logic [nsgnic_abi_pkg::FLOW_BITS-1:0] f_rdata;

  assign fr_valid_o    = elig10;
  assign fr_mg_o       = q10.valid && q10.op != 2'd0;
  assign fr_key_o      = fkey;
  assign fr_outbound_o = outb10;
  assign fr_tcp_o      = q10.tcp;
  assign fr_len_o      = q10.len;
  assign fr_learn_o    = learn_en_i && v_action == 2'(nsgnic_abi_pkg::ACTION_ALLOW) && !q10.rel;
  assign fr_probe_o    = q10.rel;
  assign fr_rule_o     = v_rule;

  flow_cache #(.Buckets(FlowBuckets), .Ways(FlowWays), .Stash(FlowStash),
               .TierFront(TierFront)) u_flow (
    .clk_i, .rst_ni, .hkey_i,
    .a_valid_i(elig10 || (q10.valid && q10.op != 2'd0)),
    .a_op_i(q10.op), .a_key_i(fkey), .a_outbound_i(outb10), .a_tcp_i(q10.tcp),
    .a_len_i(q10.len),
    .a_learn_i(learn_en_i && v_action == 2'(nsgnic_abi_pkg::ACTION_ALLOW) && !q10.rel),
    .a_probe_i(q10.rel),
    .a_rule_id_i(v_rule), .a_gen_i(gen_i), .a_now_i(now_i),
    .a_index_i(flow_index_i), .a_data_i(flow_data_i),
    .c_valid_o(f_valid), .c_hit_o(f_hit), .c_action_o(f_action), .c_rule_id_o(f_rule),
    .c_learned_o(f_learned), .c_learn_fail_o(f_fail), .c_ovf_o(f_ovf), .c_rdata_o(f_rdata),
    .age_en_i, .age_pace_i, .age_to_i, .age_est_we_i, .age_est_vport_i, .age_est_to_i,
    .age_now_i(now_i), .age_room_i,
    .x_valid_o(age_x_valid_o), .x_index_o(age_x_index_o), .x_entry_o(age_x_entry_o),
    .age_wrap_o,
    .b_hit_o(fr_chit_o), .b_room_o(fr_croom_o), .b_learn_ok_i(fr_learn_ok_i),
    .d_valid_o(fr_dec_o), .d_entry_o(fr_dec_entry_o));

  // the flow request travels on to the output for the DRAM tier (flow_tier.sv)
  logic [FKW-1:0] fkey11_q, fkey12_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      fkey11_q   <= '0;
      fkey12_q   <= '0;
      out_fkey_o <= '0;
      out_tcp_o  <= '0;
      out_rel_o  <= 1'b0;
    end else begin
      fkey11_q   <= fkey;
      fkey12_q   <= fkey11_q;
      out_fkey_o <= fkey12_q;
      out_tcp_o  <= q12.tcp;
      out_rel_o  <= q12.rel;
    end
  end

  // ---- P12: final verdict -------------------------------------------------------------------
  logic        elig12;
  logic [1:0]  fin_action;
  logic [4:0]  fin_reason;
  logic [15:0] fin_rule;
  logic        fin_related;
  logic unused_misc;
  assign unused_misc = ^{f_valid, q4, q12, qT, m_idx_i[15:9], m_value_i[511:256], m_res_i[127:80],
                         plat_res[31:20], plat_res[17:16]};
  always_comb begin
    elig12     = q12.looked;
    fin_action = q12.action;
    fin_reason = q12.reason;
    fin_rule   = q12.rule_id;
    fin_related = 1'b0;
    if (q12.op != 2'd0) begin
      fin_action = 2'(nsgnic_abi_pkg::ACTION_NONE);
    end else if (!elig12) begin
      // not looked up (parse failure, unbound or unknown vport): drop or punt by reason
      fin_action = (32'(q12.reason) >= nsgnic_abi_pkg::REASON_PUNT_FIRST)
                   ? 2'(nsgnic_abi_pkg::ACTION_PUNT) : 2'(nsgnic_abi_pkg::ACTION_DENY);
      fin_rule   = 16'(nsgnic_abi_pkg::NO_RULE_ID);
    end else if (f_hit && q12.rel) begin
      // ICMP error about a known connection: forwarded by an ALLOW flow, else the rules decide
      if (f_action == 2'(nsgnic_abi_pkg::ACTION_ALLOW)) begin
        fin_action  = f_action;
        fin_reason  = 5'(nsgnic_abi_pkg::REASON_NONE);
        fin_rule    = f_rule;
        fin_related = 1'b1;
      end
    end else if (f_hit) begin
      fin_rule = f_rule;
      unique case (f_action)
        2'(nsgnic_abi_pkg::ACTION_ALLOW): begin
          fin_action = f_action;
          fin_reason = 5'(nsgnic_abi_pkg::REASON_NONE);
        end
        2'(nsgnic_abi_pkg::ACTION_DENY): begin
          fin_action = f_action;
          fin_reason = 5'(nsgnic_abi_pkg::REASON_FLOW_DENY);
        end
        default: begin
          fin_action = 2'(nsgnic_abi_pkg::ACTION_PUNT);
          fin_reason = 5'(nsgnic_abi_pkg::REASON_FLOW_PUNT);
        end
      endcase
    end else if (q12.action == 2'(nsgnic_abi_pkg::ACTION_DENY) && f_ovf &&
                 q12.reason != 5'(nsgnic_abi_pkg::REASON_PLATFORM_BLOCK)) begin
      // a miss denied by the rules in an overflowed bucket: maybe a host-tracked flow's reply
      fin_action = 2'(nsgnic_abi_pkg::ACTION_PUNT);
      fin_reason = 5'(nsgnic_abi_pkg::REASON_FLOW_OVF_DENY);
    end else if (f_fail) begin
      fin_action = 2'(nsgnic_abi_pkg::ACTION_PUNT);
      fin_reason = 5'(nsgnic_abi_pkg::REASON_FLOW_FULL);
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      for (int unsigned k = 0; k < NStages; k++) p_q[k] <= '0;
    end else begin
      for (int unsigned k = 0; k < NStages; k++) p_q[k] <= p_d[k];
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      out_valid_o      <= 1'b0;
      out_op_o         <= '0;
      out_action_o     <= '0;
      out_reason_o     <= '0;
      out_rule_id_o    <= '0;
      out_looked_o     <= 1'b0;
      out_flow_hit_o   <= 1'b0;
      out_learned_o    <= 1'b0;
      out_learn_fail_o <= 1'b0;
      out_related_o    <= 1'b0;
      out_dest_o       <= '0;
      out_tag_o        <= '0;
      out_rdata_o      <= '0;
    end else begin
      out_valid_o      <= q12.valid;
      out_op_o         <= q12.op;
      out_action_o     <= fin_action;
      out_reason_o     <= fin_reason;
      out_rule_id_o    <= fin_rule;
      out_looked_o     <= elig12;
      out_flow_hit_o   <= f_hit;
      out_learned_o    <= f_learned;
      out_learn_fail_o <= f_fail;
      out_related_o    <= fin_related;
      out_dest_o       <= outb12 ? {1'(nsgnic_abi_pkg::PORT_KIND_WIRE), q12.ctx}
                                 : {1'(nsgnic_abi_pkg::PORT_KIND_VF), q12.vport};
      out_tag_o        <= q12.tag;
      out_rdata_o      <= f_rdata;
    end
  end
endmodule

`default_nettype wire
