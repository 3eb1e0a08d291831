// SPDX-License-Identifier: Apache-2.0
// Priority encoder: index of the lowest set bit of a wide vector, as a balanced tree.
//
// A linear "first set bit" loop becomes an Entries-deep mux chain in synthesis; the tree has
// log2(Entries) levels and about 2*Entries mux bits, and Verilator evaluates it in O(Entries)
// word operations. Width is padded to a power of two internally.
`default_nettype none

module prio_enc #(
  parameter int unsigned Width = 16,                       // input bits, >= 2
  localparam int unsigned IdxW = (Width > 1) ? $clog2(Width) : 1
) (
  input  logic [Width-1:0] req_i,
  output logic             hit_o,   // some bit set
  output logic [IdxW-1:0]  idx_o    // lowest set bit (0 when none)
);
  if (Width < 2) begin : g_bad_width
    $error("prio_enc: Width must be at least 2");
  end

`ifdef VERILATOR
  // Simulation: the same function as a linear scan. Verilator evaluates the tree below through
  // part-selects of Pad*IdxW-bit vectors (~50x the work of this loop), which dominated the
  // whole-SoC simulation (sim/, 4 encoders of 256 entries evaluated every clock). Synthesis
  // (yosys) builds the tree; the datapath testbenches check the function against their models.
  logic             hit_s;
  logic [IdxW-1:0]  idx_s;
  always_comb begin
    hit_s = 1'b0;
    idx_s = '0;
    for (int i = Width - 1; i >= 0; i--) begin
      if (req_i[i]) begin
        hit_s = 1'b1;
        idx_s = IdxW'(i);
      end
    end
  end
  assign hit_o = hit_s;
  assign idx_o = idx_s;
`else
  localparam int unsigned Pad = 1 << IdxW;

  // level l holds Pad >> l nodes; node (l, i) covers bits [i << l, (i + 1) << l)
  // (flattened: yosys 0.23 has no multi-dimensional packed arrays)
  logic [Pad-1:0]      hit_l [IdxW+1];
  logic [Pad*IdxW-1:0] idx_l [IdxW+1];

  always_comb begin
    for (int unsigned l = 0; l <= IdxW; l++) begin
      for (int unsigned i = 0; i < Pad; i++) begin
        hit_l[l][i] = 1'b0;
        idx_l[l][i*IdxW +: IdxW] = '0;
      end
    end
    hit_l[0] = Pad'(req_i);
    for (int unsigned l = 1; l <= IdxW; l++) begin
      for (int unsigned i = 0; i < (Pad >> l); i++) begin
        hit_l[l][i] = hit_l[l-1][2*i] | hit_l[l-1][2*i+1];
        if (hit_l[l-1][2*i]) begin
          idx_l[l][i*IdxW +: IdxW] = idx_l[l-1][2*i*IdxW +: IdxW];
        end else begin
          idx_l[l][i*IdxW +: IdxW] = idx_l[l-1][(2*i+1)*IdxW +: IdxW] | IdxW'(1 << (l - 1));
        end
      end
    end
  end

  assign hit_o = hit_l[IdxW][0];
  assign idx_o = idx_l[IdxW][IdxW-1:0];
`endif
endmodule

`default_nettype wire
