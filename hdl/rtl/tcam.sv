// SPDX-License-Identifier: Apache-2.0
// Generic ternary CAM: first (lowest-index) valid matching entry wins; Ports search ports, one
// key per port per clock, fixed latency 3; a management port writes and reads whole entries.
//
// Design: the LUTRAM ("transposed") TCAM. The key is cut into Chunks pieces of ChunkW bits.
// For every chunk c there is a truth table of 2^ChunkW rows x Entries bits whose row r, bit e
// says "entry e accepts value r in chunk c". A search reads one row per chunk (the key chunk is
// the address) and ANDs the Chunks rows: the result is the Entries-wide match vector.
// Hardware form (ChunkW = 5): blocks of BlkEntries entries (tcam_blk.sv, 64 by default). In a
// block the truth tables of an entry PAIR (2e, 2e+1) live in LUTRAM columns of 32 x 2 bits (one
// LUT6 each: a chunk's 32-row table for both entries of the pair), seven read columns per
// tcam_lutram slice (UltraScale+ RAM32M16: 8 LUTs, seven independent read addresses, the eighth
// LUT's read address is the write address and stays unused). A slice is written only as a whole
// row (one write enable, one address for all its columns), so a write of entry e rewrites the
// pair's rows: e's new bits and its partner's current bits, which the value/mask copy below
// regenerates (no read-modify-write through the columns, no data mux per column). Storage:
// 5 ternary bits x 2 entries per LUT, 7 of 8 LUTs searched. Per entry the chunk bits and the
// valid bit are ANDed by wide_and (a LUT level and a CARRY8 chain under NSGNIC_XILINX); each
// block has its priority encoder (stage 1) and result RAM; stage 2 picks the first block with a
// hit (an encoder over the blocks) and its index and result word.
// Simulation form (Verilator, unless NSGNIC_TCAM_STRUCT is defined): the same tables as words of
// 64 entries, searched only when s_valid_i asks, word by word with an early exit when no entry of
// the word is left; it is cycle-equivalent (tb_tcam runs both forms).
// The price is the write: an entry's truth tables are written one row per clock
// (2^ChunkW clocks, all chunks in parallel). Rows can be read back from the truth tables only
// with extra LUTRAM read ports, so a copy of every entry's value/mask is kept in a plain RAM
// (block RAM on an FPGA, one word per entry pair), with the result word, for management reads;
// it also tells a write what it replaces and what the partner's rows hold.
//
// Live writes. While the rows are rewritten, a key sees the new acceptance of a chunk if its row
// for that chunk is already written and the old one otherwise. A write is HITLESS - the entry
// stays valid throughout - when the entry is valid before and after it and either
//   * no chunk's value/mask changes (only the result word, or nothing): every key sees the same
//     match, and the result word switches in one clock, or
//   * exactly one chunk's value/mask changes and the result word is equal: every key sees the
//     old or the new acceptance of that one chunk and the unchanged acceptance of all others,
//     i.e. exactly the old entry's or the new entry's match (per key; each key switches once,
//     when its row of that chunk is written).
// Every other write clears the entry's valid bit for the rewrite and sets it (if requested) at
// the end, so a half-written entry never matches: with two chunks changing, a key could be past
// the rewritten row in one chunk and not in the other, and match neither entry; with the result
// changing too, a key could see the new match with the old result. Hence: writing a valid entry
// invalid hides it from the first row on, writing an invalid entry valid shows it at the end -
// both are old-or-new too - and only a valid-to-valid write that changes two or more chunks, or
// one chunk and the result, makes the entry invisible for the window. (Re-banking an entry, i.e.
// changing only its BANK bit's value/mask, is one chunk.) The decision compares the request
// with the value/mask copy and the result word, read in the request clock: the MCheck state
// after the request registers the changed-chunk vector, the result comparison and the old valid
// bit, and the first row's clock decides (a write takes 2^ChunkW + 3 clocks: request, MCheck,
// the rows, MDone; the check in one clock was 8 LUT levels).
//
// Search pipeline: cycle 0 key -> row reads, AND -> match_q; cycle 1 priority encoder (per
// block in the hardware form) -> idx_q; cycle 2 result RAM read (and the encoder over the
// blocks) -> s_res_o. Searches never stall, also during a write. A port
// whose s_valid_i is 0 does not search: its pipeline registers hold (clock enables), so its
// outputs 3 clocks later are those of its previous search (the caller ignores them).
`default_nettype none

module tcam #(
  parameter int unsigned Entries = 16,   // entries, >= 4, even (power of two for best synthesis)
  parameter int unsigned KeyW    = 32,   // key width in bits, >= 1
  parameter int unsigned ResW    = 32,   // result word width, >= 1
  parameter int unsigned Ports   = 1,    // independent search ports, >= 1
  parameter int unsigned ChunkW  = 5,    // key bits per truth table (RAM32M16 columns: 5), 2..8
  parameter int unsigned BlkEntries = 64,  // hardware form: entries per block (power of two)
  localparam int unsigned IdxW   = $clog2(Entries),
  localparam int unsigned Chunks = (KeyW + ChunkW - 1) / ChunkW,
  localparam int unsigned Rows   = 1 << ChunkW
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,
  // search ports (port p uses bits [p*W +: W])
  input  logic [Ports-1:0]       s_valid_i, // search this clock (else the port's outputs hold)
  input  logic [Ports*KeyW-1:0]  s_key_i,
  output logic [Ports-1:0]       s_hit_o,   // 3 clocks after the key
  output logic [Ports*IdxW-1:0]  s_idx_o,
  output logic [Ports*ResW-1:0]  s_res_o,   // result word of the matching entry, 0 on a miss
  // management port: m_req_i starts an operation when !m_busy_o
  input  logic                   m_req_i,
  input  logic                   m_we_i,     // 1: write the entry, 0: read it back
  input  logic [IdxW-1:0]        m_idx_i,
  input  logic [KeyW-1:0]        m_value_i,  // bits compared where m_mask_i is 1
  input  logic [KeyW-1:0]        m_mask_i,   // 1 = care
  input  logic [ResW-1:0]        m_res_i,
  input  logic                   m_valid_i,  // entry takes part in searches after the write
  output logic                   m_busy_o,
  output logic                   m_done_o,   // one-clock pulse at the end of an operation
  output logic [KeyW-1:0]        m_rvalue_o, // read: the entry, stable after m_done_o (write:
                                             // the replaced contents)
  output logic [KeyW-1:0]        m_rmask_o,
  output logic [ResW-1:0]        m_rres_o,
  output logic                   m_rvalid_o
);
  localparam int unsigned PadW  = Chunks * ChunkW;
  localparam int unsigned Pairs = Entries / 2;
  localparam int unsigned KvW   = ResW + 2 * KeyW;   // one entry's copy: {result, mask, value}

  if (Entries < 4 || Entries % 2 != 0) begin : g_bad_entries
    $error("tcam: Entries must be even and at least 4");
  end
  if (ChunkW < 2 || ChunkW > 8) begin : g_bad_chunkw
    $error("tcam: ChunkW must be 2..8");
  end
  if (KeyW < 1 || ResW < 1 || Ports < 1) begin : g_bad_width
    $error("tcam: KeyW, ResW and Ports must be at least 1");
  end
  if (BlkEntries < 2 || (BlkEntries & (BlkEntries - 1)) != 0) begin : g_bad_blkentries
    $error("tcam: BlkEntries must be a power of two, at least 2");
  end

  // ---- management state machine -------------------------------------------------------
  typedef enum logic [2:0] {MIdle, MCheck, MWrite, MRead, MDone} mstate_e;
  mstate_e             mstate_q;
  logic [ChunkW-1:0]   row_q;
  logic [IdxW-1:0]     midx_q;
  logic [PadW-1:0]     mvalue_q, mmask_q;
  logic                mvalid_q;
  logic                vcur;                  // valid bit of entry midx_q (per form, below)
  logic [Chunks-1:0]   new_bit;               // bit to write into row row_q of every chunk RAM
  logic                sweep_we;              // a truth-table row is written this clock
  logic                vclr, vset;            // entry midx_q: clear valid / set valid + result
  logic [ResW-1:0]     mres_q;
  // management copy of every entry, one word per entry pair {odd entry, even entry}; the result
  // is kept here too so that the result RAM needs no third (management) read address
  logic [2*KvW-1:0]    kv_mem [Pairs];
  logic [2*KvW-1:0]    rpair_q;               // the addressed pair, read in the request clock
  logic [KvW-1:0]      rkv_q, rpart_q;        // the entry's old contents, its partner's
  logic [ResW-1:0]     rres_q;
  assign rkv_q   = midx_q[0] ? rpair_q[KvW +: KvW] : rpair_q[0 +: KvW];
  assign rpart_q = midx_q[0] ? rpair_q[0 +: KvW] : rpair_q[KvW +: KvW];
  assign rres_q  = rkv_q[2*KeyW +: ResW];
  logic [Chunks-1:0]   chunk_diff;            // chunks whose value/mask the write changes
  logic [Chunks-1:0]   cdiff_q;               // ... registered in MCheck
  logic                res_eq_q, vold_q;      // result unchanged, entry valid before (MCheck)
  logic                rvalid_q;              // m_rvalid_o: registered (the valid bit's read
                                              // is a 64:1 mux per block and one over blocks)
  logic                hitless;               // the write keeps the entry valid (header)

  logic [KeyW-1:0]     m_value_masked;
  assign m_value_masked = m_value_i & m_mask_i;
  assign sweep_we = (mstate_q == MWrite);
  assign m_busy_o = (mstate_q != MIdle);
  assign m_done_o = (mstate_q == MDone);

  always_comb begin
    for (int unsigned c = 0; c < Chunks; c++) begin
      new_bit[c] = ((row_q ^ mvalue_q[c*ChunkW +: ChunkW]) & mmask_q[c*ChunkW +: ChunkW]) == '0;
    end
  end

  // rkv_q/rres_q hold the entry's contents before the write (loaded in the request clock)
  logic [PadW-1:0] kv_diff;
  assign kv_diff = (PadW'(rkv_q[KeyW-1:0]) ^ mvalue_q) | (PadW'(rkv_q[2*KeyW-1:KeyW]) ^ mmask_q);
  always_comb begin
    for (int unsigned c = 0; c < Chunks; c++) chunk_diff[c] = |kv_diff[c*ChunkW +: ChunkW];
  end

  // at most one bit of cdiff_q set: a tree of (any, two or more) pairs (log depth, not the
  // carry chain of x & (x - 1))
  localparam int unsigned CLog = (Chunks > 1) ? $clog2(Chunks) : 1;
  localparam int unsigned CPad = 1 << CLog;
  logic [CPad-1:0] any_l [CLog+1];
  logic [CPad-1:0] two_l [CLog+1];
  always_comb begin
    for (int unsigned l = 0; l <= CLog; l++) begin
      any_l[l] = '0;
      two_l[l] = '0;
    end
    any_l[0] = CPad'(cdiff_q);
    for (int unsigned l = 1; l <= CLog; l++) begin
      for (int unsigned i = 0; i < (CPad >> l); i++) begin
        any_l[l][i] = any_l[l-1][2*i] | any_l[l-1][2*i+1];
        two_l[l][i] = two_l[l-1][2*i] | two_l[l-1][2*i+1] | (any_l[l-1][2*i] & any_l[l-1][2*i+1]);
      end
    end
  end
  assign hitless = vold_q && mvalid_q &&
                   (!any_l[CLog][0] || (!two_l[CLog][0] && res_eq_q));
  assign vclr = sweep_we && row_q == '0 && !hitless;   // keys from the next clock on may see
  assign vset = sweep_we && row_q == ChunkW'(Rows - 1); // rewritten rows / the new entry

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      mstate_q  <= MIdle;
      row_q     <= '0;
      midx_q    <= '0;
      mvalue_q  <= '0;
      mmask_q   <= '0;
      mvalid_q  <= 1'b0;
    end else begin
      unique case (mstate_q)
        MIdle: begin
          if (m_req_i) begin
            midx_q    <= m_idx_i;
            mvalue_q  <= PadW'(m_value_masked);
            mmask_q   <= PadW'(m_mask_i);
            mvalid_q  <= m_valid_i;
            row_q     <= '0;
            if (m_we_i) begin
              mstate_q <= MCheck;
            end else begin
              mstate_q <= MRead;
            end
          end
        end
        MCheck: mstate_q <= MWrite;
        MWrite: begin
          row_q <= row_q + 1'b1;
          if (row_q == ChunkW'(Rows - 1)) mstate_q <= MDone;
        end
        MRead: mstate_q <= MDone;
        MDone: mstate_q <= MIdle;
        default: mstate_q <= MIdle;
      endcase
    end
  end

  // the management copy: written with the last row, when the new entry becomes visible (the
  // result RAMs likewise: a search that matched the old entry reads its result 2 clocks after
  // its key, long before: Rows >= 4; in a hitless write both have the same result or the same
  // match). The copy is read in the request clock of every operation: read-back data, what a
  // write replaces, and the partner entry whose rows the write rewrites unchanged.
  logic [KvW-1:0] new_kv;
  assign new_kv = {mres_q, KeyW'(mmask_q), KeyW'(mvalue_q)};
  always_ff @(posedge clk_i) begin
    if (mstate_q == MIdle && m_req_i) begin
      mres_q  <= m_res_i;
      rpair_q <= kv_mem[m_idx_i[IdxW-1:1]];
    end
    if (mstate_q == MCheck) begin
      cdiff_q  <= chunk_diff;
      res_eq_q <= rres_q == mres_q;
      vold_q   <= vcur;
    end
    if (mstate_q == MRead) rvalid_q <= vcur;
    if (vset) rvalid_q <= mvalid_q;
    if (vset) begin
      kv_mem[midx_q[IdxW-1:1]] <= midx_q[0] ? {new_kv, rpart_q} : {rpart_q, new_kv};
    end
  end
  assign m_rvalue_o = rkv_q[KeyW-1:0];
  assign m_rmask_o  = rkv_q[2*KeyW-1:KeyW];
  assign m_rres_o   = rres_q;
  assign m_rvalid_o = rvalid_q;

  logic [PadW-1:0] key_pad [Ports];
  for (genvar p = 0; p < Ports; p++) begin : g_pad
    assign key_pad[p] = PadW'(s_key_i[p*KeyW +: KeyW]);
  end

`ifdef VERILATOR
`ifndef NSGNIC_TCAM_STRUCT
`define NSGNIC_TCAM_FAST
`endif
`endif

`ifdef NSGNIC_TCAM_FAST
  // ---- simulation form --------------------------------------------------------------------
  // tt[(c*Rows + r)*NW + w] bit b: entry w*EW + b accepts value r in chunk c. The whole search
  // pipeline is one block of blocking assignments, last stage first (each stage reads the
  // previous stage's value of the clock before), so that no array needs a delayed assignment.
  localparam int unsigned EW = (Entries < 64) ? Entries : 64;   // entries per word
  localparam int unsigned NW = Entries / EW;
  if (Entries % EW != 0) begin : g_bad_words
    $error("tcam: Entries above 64 must be a multiple of 64");
  end
  logic [Entries-1:0] valid_q;
  logic [ResW-1:0] res_mem [Entries];   // results for the search ports
  logic [EW-1:0]   tt [Chunks*Rows*NW];
  logic [EW-1:0]   fm [Ports*NW];        // match words (stage 1)
  logic [Ports-1:0] sv1, sv2, hit2, hit3;
  logic [IdxW-1:0] idx2 [Ports];
  logic [IdxW-1:0] idx3 [Ports];
  logic [ResW-1:0] res3 [Ports];
  logic [Rows-1:0] fast_unused;
  assign fast_unused = '0;
  assign vcur = valid_q[midx_q];

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      valid_q <= '0;
    end else if (vset) begin
      valid_q[midx_q] <= mvalid_q;
    end else if (vclr) begin
      valid_q[midx_q] <= 1'b0;
    end
  end
  always_ff @(posedge clk_i) begin
    if (vset) res_mem[midx_q] <= mres_q;
  end

  /* verilator lint_off BLKSEQ */
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      sv1 = '0;
      sv2 = '0;
      hit2 = '0;
      hit3 = '0;
      for (int unsigned p = 0; p < Ports; p++) begin
        idx2[p] = '0;
        idx3[p] = '0;
        res3[p] = '0;
      end
    end else begin
      for (int unsigned p = 0; p < Ports; p++) begin
        // stage 3: result word
        if (sv2[p]) begin
          res3[p] = hit2[p] ? res_mem[idx2[p]] : '0;
          hit3[p] = hit2[p];
          idx3[p] = idx2[p];
        end
        // stage 2: first matching entry
        if (sv1[p]) begin
          hit2[p] = 1'b0;
          idx2[p] = '0;
          for (int unsigned w = 0; w < NW; w++) begin
            logic [63:0] x;
            x = 64'(fm[p*NW + w]);
            if (x != '0) begin
              hit2[p] = 1'b1;
              idx2[p] = IdxW'(w * EW + $clog2(x & (~x + 64'd1)));   // lowest set bit
              break;
            end
          end
        end
        sv2[p] = sv1[p];
        // stage 1: search, word by word, chunks from the top (the NSG id and bank of the rule
        // key) down, leaving a word as soon as no entry of it can match
        if (s_valid_i[p]) begin
          logic [ChunkW-1:0] kc [Chunks];
          for (int unsigned c = 0; c < Chunks; c++) kc[c] = key_pad[p][c*ChunkW +: ChunkW];
          for (int unsigned w = 0; w < NW; w++) begin
            logic [EW-1:0] acc;
            acc = valid_q[w*EW +: EW];
            for (int c = Chunks - 1; c >= 0; c--) begin
              if (acc == '0) break;
              acc &= tt[(c*Rows + int'(kc[c]))*NW + w];
            end
            fm[p*NW + w] = acc;
          end
        end
        sv1[p] = s_valid_i[p];
      end
      // truth-table write (after the search: it sees the rows of the clock before)
      if (sweep_we) begin
        for (int unsigned c = 0; c < Chunks; c++) begin
          tt[(c*Rows + int'(row_q))*NW + int'(midx_q) / EW][int'(midx_q) % EW] = new_bit[c];
        end
      end
    end
  end
  /* verilator lint_on BLKSEQ */

  for (genvar p = 0; p < Ports; p++) begin : g_out
    assign s_hit_o[p]              = hit3[p];
    assign s_idx_o[p*IdxW +: IdxW] = idx3[p];
    assign s_res_o[p*ResW +: ResW] = res3[p];
  end
  logic unused_fast;
  assign unused_fast = ^{fast_unused, rpart_q};
`else
  // ---- hardware form: blocks of Blk entries (tcam_blk) ------------------------------------
  localparam int unsigned Blk   = (Entries < BlkEntries) ? Entries : BlkEntries;
  localparam int unsigned NB    = Entries / Blk;
  localparam int unsigned LIdxW = $clog2(Blk);
  localparam int unsigned BIdxW = (NB > 1) ? $clog2(NB) : 1;
  if (Entries % Blk != 0) begin : g_bad_blk
    $error("tcam: BlkEntries must divide Entries (hardware form)");
  end

  // write data: the pair's new rows, for the even and the odd entry of the pair
  logic [Chunks-1:0] part_bit, wbit_even, wbit_odd;
  logic [PadW-1:0]   part_value, part_mask;
  assign part_value = PadW'(rpart_q[KeyW-1:0]);
  assign part_mask  = PadW'(rpart_q[2*KeyW-1:KeyW]);
  always_comb begin
    for (int unsigned c = 0; c < Chunks; c++) begin
      part_bit[c] = ((row_q ^ part_value[c*ChunkW +: ChunkW]) & part_mask[c*ChunkW +: ChunkW]) == '0;
    end
  end
  assign wbit_even = midx_q[0] ? part_bit : new_bit;
  assign wbit_odd  = midx_q[0] ? new_bit : part_bit;
  logic unused_part;
  assign unused_part = ^rpart_q[2*KeyW +: ResW];

  logic [Ports*PadW-1:0] key_flat;
  for (genvar p = 0; p < Ports; p++) begin : g_key
    assign key_flat[p*PadW +: PadW] = key_pad[p];
  end

  logic [Ports-1:0] sv1_q, sv2_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      sv1_q <= '0;
      sv2_q <= '0;
    end else begin
      sv1_q <= s_valid_i;
      sv2_q <= sv1_q;
    end
  end

  // block outputs, flattened (yosys 0.23: no multi-dimensional packed arrays): port p of
  // block b at index p*NB + b
  logic [Ports*NB-1:0]       bhit;
  logic [Ports*NB*LIdxW-1:0] bidx;
  logic [Ports*NB*ResW-1:0]  bres;
  logic [NB-1:0]             bvsel;
  for (genvar b = 0; b < NB; b++) begin : g_blk
    logic                    sel;
    logic [Ports-1:0]        hit;
    logic [Ports*LIdxW-1:0]  idx;
    logic [Ports*ResW-1:0]   res;
    if (NB > 1) begin : g_sel
      assign sel = midx_q[IdxW-1 -: BIdxW] == BIdxW'(b);
    end else begin : g_one
      assign sel = 1'b1;
    end
    tcam_blk #(.Entries(Blk), .Chunks(Chunks), .ChunkW(ChunkW), .ResW(ResW), .Ports(Ports)) u_blk (
      .clk_i, .rst_ni, .s_valid_i, .sv1_i(sv1_q), .key_i(key_flat),
      .hit_o(hit), .idx_o(idx), .res_o(res),
      .sel_i(sel), .lidx_i(midx_q[LIdxW-1:0]), .row_we_i(sweep_we), .row_i(row_q),
      .wbit_even_i(wbit_even), .wbit_odd_i(wbit_odd), .vclr_i(vclr), .vset_i(vset),
      .vval_i(mvalid_q), .res_i(mres_q), .vsel_o(bvsel[b]));
    for (genvar p = 0; p < Ports; p++) begin : g_port
      assign bhit[p*NB + b]                   = hit[p];
      assign bidx[(p*NB + b)*LIdxW +: LIdxW]  = idx[p*LIdxW +: LIdxW];
      assign bres[(p*NB + b)*ResW +: ResW]    = res[p*ResW +: ResW];
    end
  end
  if (NB > 1) begin : g_vsel
    assign vcur = bvsel[midx_q[IdxW-1 -: BIdxW]];
  end else begin : g_vsel1
    assign vcur = bvsel[0];
  end

  // stage 2: the first block with a hit, its entry index and result word
  for (genvar p = 0; p < Ports; p++) begin : g_search
    logic            hit_d, hit2_q;
    logic [IdxW-1:0] idx_d, idx2_q;
    logic [ResW-1:0] res_d, res_q;
    if (NB > 1) begin : g_enc
      logic [BIdxW-1:0] bi;
      prio_enc #(.Width(NB)) u_enc (.req_i(bhit[p*NB +: NB]), .hit_o(hit_d), .idx_o(bi));
      assign idx_d = {bi, bidx[(p*NB + 32'(bi))*LIdxW +: LIdxW]};
      assign res_d = bres[(p*NB + 32'(bi))*ResW +: ResW];
    end else begin : g_one
      assign hit_d = bhit[p];
      assign idx_d = bidx[p*LIdxW +: LIdxW];
      assign res_d = bres[p*ResW +: ResW];
    end
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        hit2_q <= 1'b0;
        idx2_q <= '0;
        res_q  <= '0;
      end else if (sv2_q[p]) begin
        hit2_q <= hit_d;
        idx2_q <= idx_d;
        res_q  <= hit_d ? res_d : '0;
      end
    end
    assign s_hit_o[p]               = hit2_q;
    assign s_idx_o[p*IdxW +: IdxW]  = idx2_q;
    assign s_res_o[p*ResW +: ResW]  = res_q;
  end
`endif
endmodule

`default_nettype wire
