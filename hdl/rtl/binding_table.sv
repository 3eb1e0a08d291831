// SPDX-License-Identifier: Apache-2.0
// NIC/vport binding table: (bank, vport) -> BINDING entry (subnet NSG, NIC NSG, label context,
// local labels). Banked like the TCAMs: each vport has one entry per bank, and every read names
// the bank it reads (the pipeline passes the packet's sampled CTRL.BANK), so the firmware
// writes the inactive bank and a bank flip switches rules and attachments in the same clock.
// Two asynchronous read ports for the pipeline (the VF's vport at entry, the inbound
// destination's vport after the label stage), one management write/read port. An entry is
// written in one clock, so a packet sees either the old or the new entry, never a mix.
// Indices >= Vports read as an invalid entry; writes to them change nothing.
`default_nettype none

module binding_table #(
  parameter int unsigned Vports = 16,   // configured vports per bank, 1..256 (the key has 8 bits)
  localparam int unsigned EntW  = nsgnic_abi_pkg::BINDING_BITS
) (
  input  logic            clk_i,
  input  logic            rst_ni,
  input  logic            rd0_bank_i,
  input  logic [7:0]      rd0_idx_i,
  output logic [EntW-1:0] rd0_o,
  input  logic            rd1_bank_i,
  input  logic [7:0]      rd1_idx_i,
  output logic [EntW-1:0] rd1_o,
  input  logic            m_we_i,
  input  logic            m_bank_i,
  input  logic [7:0]      m_idx_i,
  input  logic [EntW-1:0] m_data_i,
  output logic [EntW-1:0] m_rdata_o     // entry (m_bank_i, m_idx_i), combinational
);
  if (Vports < 1 || Vports > 256) begin : g_bad_vports
    $error("binding_table: Vports must be 1..256");
  end

  localparam int unsigned IW = (Vports > 1) ? $clog2(Vports) : 1;
  localparam int unsigned N  = 2 * Vports;   // entry bank * Vports + vport
  localparam int unsigned SW = $clog2(N);

  // entries live in RAM; a reset-cleared "written" bit per entry masks stale contents
  logic [EntW-1:0] mem_q [N];
  logic [N-1:0]    written_q;

  function automatic logic in_range(input logic [7:0] idx);
    in_range = 32'(idx) < Vports;
  endfunction
  function automatic logic [SW-1:0] slot(input logic bank, input logic [IW-1:0] idx);
    slot = (bank ? SW'(Vports) : '0) + SW'(idx);   // idx in range: no overflow
  endfunction

  always_ff @(posedge clk_i) begin
    if (m_we_i && in_range(m_idx_i)) mem_q[slot(m_bank_i, IW'(m_idx_i))] <= m_data_i;
  end
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) written_q <= '0;
    else if (m_we_i && in_range(m_idx_i)) written_q[slot(m_bank_i, IW'(m_idx_i))] <= 1'b1;
  end

  assign rd0_o = (in_range(rd0_idx_i) && written_q[slot(rd0_bank_i, IW'(rd0_idx_i))])
                 ? mem_q[slot(rd0_bank_i, IW'(rd0_idx_i))] : '0;
  assign rd1_o = (in_range(rd1_idx_i) && written_q[slot(rd1_bank_i, IW'(rd1_idx_i))])
                 ? mem_q[slot(rd1_bank_i, IW'(rd1_idx_i))] : '0;
  assign m_rdata_o = (in_range(m_idx_i) && written_q[slot(m_bank_i, IW'(m_idx_i))])
                     ? mem_q[slot(m_bank_i, IW'(m_idx_i))] : '0;
endmodule

`default_nettype wire
