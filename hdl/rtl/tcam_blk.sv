// SPDX-License-Identifier: Apache-2.0
// One block of the TCAM's hardware form (tcam.sv): Entries entries (64 in the realistic
// configurations) with their truth-table columns (tcam_lutram slices of entry pairs), valid
// bits, per-entry match ANDs (wide_and), the block's priority encoder and its result RAM.
// Search: cycle 0 key -> row reads, AND -> match_q; cycle 1 block priority encoder -> hit_q,
// idx_q; cycle 2 (in tcam.sv) the result word of idx_q is read here (res_o, asynchronous) and
// tcam.sv's encoder over the blocks' hit_o picks the first block. Management (driven by tcam.sv):
// row writes of one entry pair, valid-bit clear/set and the result write of one entry, and the
// valid bit of the addressed entry for tcam.sv's hitless test and read-back.
// Splitting the TCAM into blocks keeps the encoder two-level (a 64-input encoder per block, one
// over the blocks) and lets yosys synthesize one block for all of them (bench/datapath.sh).
`default_nettype none

module tcam_blk #(
  parameter int unsigned Entries = 64,   // entries of the block, even, >= 2
  parameter int unsigned Chunks  = 52,   // key chunks
  parameter int unsigned ChunkW  = 5,    // bits per chunk (truth-table address)
  parameter int unsigned ResW    = 32,
  parameter int unsigned Ports   = 1,
  localparam int unsigned LIdxW  = $clog2(Entries),
  localparam int unsigned PadW   = Chunks * ChunkW
) (
  input  logic                    clk_i,
  input  logic                    rst_ni,
  input  logic [Ports-1:0]        s_valid_i,   // a key this clock (stage 0 enable)
  input  logic [Ports-1:0]        sv1_i,       // stage 1 enable (s_valid_i one clock later)
  input  logic [Ports*PadW-1:0]   key_i,
  output logic [Ports-1:0]        hit_o,       // stage 1 registers
  output logic [Ports*LIdxW-1:0]  idx_o,
  output logic [Ports*ResW-1:0]   res_o,       // result word of idx_o (asynchronous read)
  // management: the addressed entry is in this block when sel_i
  input  logic                    sel_i,
  input  logic [LIdxW-1:0]        lidx_i,
  input  logic                    row_we_i,    // write row row_i of the entry's pair
  input  logic [ChunkW-1:0]       row_i,
  input  logic [Chunks-1:0]       wbit_even_i, // the row's bit per chunk, even / odd entry
  input  logic [Chunks-1:0]       wbit_odd_i,
  input  logic                    vclr_i,      // clear the entry's valid bit
  input  logic                    vset_i,      // set it to vval_i, write its result res_i
  input  logic                    vval_i,
  input  logic [ResW-1:0]         res_i,
  output logic                    vsel_o       // valid bit of the entry lidx_i
);
  localparam int unsigned Pairs  = Entries / 2;
  localparam int unsigned Cols   = Ports * Chunks;
  localparam int unsigned Slices = (Cols + 6) / 7;

  if (Entries < 2 || Entries % 2 != 0) begin : g_bad_entries
    $error("tcam_blk: Entries must be even and at least 2");
  end

  // ---- valid bits and results ---------------------------------------------------------------
  // The entry index is predecoded in two halves (one-hot of the low and of the high bits, the
  // strobes folded into the low half), so that each valid bit's enable and each pair's write
  // enable is one LUT2 instead of a comparison of the whole index per entry.
  localparam int unsigned LoW = LIdxW / 2;            // low index bits (entries)
  localparam int unsigned HiW = LIdxW - LoW;          // high index bits
  localparam int unsigned PLoW = (LIdxW - 1) / 2;     // the same for pair indices
  localparam int unsigned PHiW = (LIdxW - 1) - PLoW;
  logic [(1 << LoW)-1:0]   v_lo;                      // entry low bits, valid update strobe
  logic [(1 << HiW)-1:0]   v_hi;
  logic [(1 << PLoW)-1:0]  w_lo;                      // pair low bits, row write strobe
  logic [(1 << PHiW)-1:0]  w_hi;
  logic                    vupd, wrow;
  assign vupd = sel_i && (vset_i || vclr_i);
  assign wrow = sel_i && row_we_i;
  logic [31:0] li;
  assign li = 32'(lidx_i);
  always_comb begin
    for (int unsigned i = 0; i < (1 << LoW); i++) v_lo[i] = vupd && (li & ((1 << LoW) - 1)) == i;
    for (int unsigned i = 0; i < (1 << HiW); i++) v_hi[i] = (li >> LoW) == i;
    for (int unsigned i = 0; i < (1 << PLoW); i++) w_lo[i] = wrow && ((li >> 1) & ((1 << PLoW) - 1)) == i;
    for (int unsigned i = 0; i < (1 << PHiW); i++) w_hi[i] = (li >> (1 + PLoW)) == i;
  end

  logic [Entries-1:0] valid_q;
  logic               vnew;
  logic [ResW-1:0]    res_mem [Entries];
  assign vnew = vset_i && vval_i;
  for (genvar e = 0; e < Entries; e++) begin : g_valid
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) valid_q[e] <= 1'b0;
      else if (v_lo[e % (1 << LoW)] && v_hi[e >> LoW]) valid_q[e] <= vnew;
    end
  end
  always_ff @(posedge clk_i) begin
    if (sel_i && vset_i) res_mem[lidx_i] <= res_i;
  end
  assign vsel_o = valid_q[lidx_i];

  // ---- truth tables: column col = p*Chunks + c of pair pr is read column col % 7 of slice
  // col / 7; rows[(p*Chunks + c)*Entries + e] is entry e's bit for port p's key in chunk c
  logic [Ports*Chunks*Entries-1:0] rows;
  for (genvar pr = 0; pr < Pairs; pr++) begin : g_pair
    logic we;
    assign we = w_lo[pr % (1 << PLoW)] && w_hi[pr >> PLoW];
    for (genvar sl = 0; sl < Slices; sl++) begin : g_slice
      localparam int unsigned NC = (Cols - sl * 7 < 7) ? Cols - sl * 7 : 7;
      logic [2*NC-1:0]      wdata, rdata;
      logic [ChunkW*NC-1:0] raddr;
      for (genvar k = 0; k < NC; k++) begin : g_col
        localparam int unsigned Col = sl * 7 + k;
        localparam int unsigned P   = Col / Chunks;
        localparam int unsigned C   = Col % Chunks;
        assign wdata[2*k]     = wbit_even_i[C];
        assign wdata[2*k + 1] = wbit_odd_i[C];
        assign raddr[ChunkW*k +: ChunkW] = key_i[P*PadW + C*ChunkW +: ChunkW];
        assign rows[(P*Chunks + C)*Entries + 2*pr]     = rdata[2*k];
        assign rows[(P*Chunks + C)*Entries + 2*pr + 1] = rdata[2*k + 1];
      end
      tcam_lutram #(.AW(ChunkW), .RPorts(NC)) u_ram (
        .clk_i, .we_i(we), .waddr_i(row_i), .wdata_i(wdata), .raddr_i(raddr), .rdata_o(rdata));
    end
  end

  // ---- search -------------------------------------------------------------------------------
  for (genvar p = 0; p < Ports; p++) begin : g_search
    logic [Entries-1:0] match_d, match_q;
    logic               hit_d, hit_q;
    logic [LIdxW-1:0]   idx_d, idx_q;

    for (genvar e = 0; e < Entries; e++) begin : g_entry
      logic [Chunks:0] in;
      assign in[Chunks] = valid_q[e];
      for (genvar c = 0; c < Chunks; c++) begin : g_chunk
        assign in[c] = rows[(p*Chunks + c)*Entries + e];
      end
      wide_and #(.Width(Chunks + 1)) u_and (.in_i(in), .out_o(match_d[e]));
    end

    prio_enc #(.Width(Entries)) u_enc (.req_i(match_q), .hit_o(hit_d), .idx_o(idx_d));

    // match_q without reset (data: hit_q and idx_q load it only after a search)
    always_ff @(posedge clk_i) begin
      if (s_valid_i[p]) match_q <= match_d;
    end
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        hit_q <= 1'b0;
        idx_q <= '0;
      end else if (sv1_i[p]) begin
        hit_q <= hit_d;
        idx_q <= idx_d;
      end
    end
    assign hit_o[p]                  = hit_q;
    assign idx_o[p*LIdxW +: LIdxW]   = idx_q;
    assign res_o[p*ResW +: ResW]     = res_mem[idx_q];
  end
endmodule

`default_nettype wire
