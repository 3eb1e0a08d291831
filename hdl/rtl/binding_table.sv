// SPDX-License-Identifier: Apache-2.0
// NIC/vport binding table: vport -> BINDING entry (subnet NSG, NIC NSG, label context, local
// labels). Two asynchronous read ports for the pipeline (the VF's vport at entry, the inbound
// destination's vport after the label stage), one management write/read port. An entry is
// written in one clock, so a packet sees either the old or the new entry, never a mix.
// Indices >= Vports read as an invalid entry.
`default_nettype none

module binding_table #(
  parameter int unsigned Vports = 16,   // configured vports, 1..256 (the key has 8 bits)
  localparam int unsigned EntW  = nsgnic_abi_pkg::BINDING_BITS
) (
  input  logic            clk_i,
  input  logic            rst_ni,
  input  logic [7:0]      rd0_idx_i,
  output logic [EntW-1:0] rd0_o,
  input  logic [7:0]      rd1_idx_i,
  output logic [EntW-1:0] rd1_o,
  input  logic            m_we_i,
  input  logic [7:0]      m_idx_i,
  input  logic [EntW-1:0] m_data_i,
  output logic [EntW-1:0] m_rdata_o     // entry m_idx_i, combinational
);
  if (Vports < 1 || Vports > 256) begin : g_bad_vports
    $error("binding_table: Vports must be 1..256");
  end

  localparam int unsigned IW = (Vports > 1) ? $clog2(Vports) : 1;

  // entries live in RAM; a reset-cleared "written" bit per vport masks stale contents
  logic [EntW-1:0]   mem_q [Vports];
  logic [Vports-1:0] written_q;

  function automatic logic in_range(input logic [7:0] idx);
    in_range = 32'(idx) < Vports;
  endfunction

  always_ff @(posedge clk_i) begin
    if (m_we_i && in_range(m_idx_i)) mem_q[IW'(m_idx_i)] <= m_data_i;
  end
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) written_q <= '0;
    else if (m_we_i && in_range(m_idx_i)) written_q[IW'(m_idx_i)] <= 1'b1;
  end

  assign rd0_o     = (in_range(rd0_idx_i) && written_q[IW'(rd0_idx_i)]) ? mem_q[IW'(rd0_idx_i)] : '0;
  assign rd1_o     = (in_range(rd1_idx_i) && written_q[IW'(rd1_idx_i)]) ? mem_q[IW'(rd1_idx_i)] : '0;
  assign m_rdata_o = (in_range(m_idx_i) && written_q[IW'(m_idx_i)]) ? mem_q[IW'(m_idx_i)] : '0;
endmodule

`default_nettype wire
