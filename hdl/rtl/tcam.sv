// SPDX-License-Identifier: Apache-2.0
// Generic ternary CAM: first (lowest-index) valid matching entry wins; Ports search ports, one
// key per port per clock, fixed latency 3; a management port writes and reads whole entries.
//
// Design: the LUTRAM ("transposed") TCAM. The key is cut into Chunks pieces of ChunkW bits.
// For every chunk c there is a truth table of 2^ChunkW rows x Entries bits whose row r, bit e
// says "entry e accepts value r in chunk c". A search reads one row per chunk (the key chunk is
// the address) and ANDs the Chunks rows: the result is the Entries-wide match vector.
// Hardware form (ChunkW = 5): the truth tables of an entry PAIR (2e, 2e+1) live in LUTRAM
// columns of 32 x 2 bits (one LUT6 each: a chunk's 32-row table for both entries of the pair),
// seven read columns per tcam_lutram slice (UltraScale+ RAM32M16: 8 LUTs, seven independent
// read addresses, the eighth LUT's read address is the write address and stays unused). A slice
// is written only as a whole row (one write enable, one address for all its columns), so a
// write of entry e rewrites the pair's rows: e's new bits and its partner's current bits, which
// the value/mask copy below regenerates (no read-modify-write through the columns, no data mux
// per column). Storage: 5 ternary bits x 2 entries per LUT, 7 of 8 LUTs searched.
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
// with the value/mask copy and the result word, read in the request clock; it is taken in the
// first row's clock, so the write takes no extra clock.
//
// Search pipeline: cycle 0 key -> row reads, AND -> match_q; cycle 1 priority encoder ->
// idx_q; cycle 2 result RAM read -> s_res_o. Searches never stall, also during a write. A port
// whose s_valid_i is 0 does not search: its pipeline registers hold (clock enables), so its
// outputs 3 clocks later are those of its previous search (the caller ignores them).
`default_nettype none

module tcam #(
  parameter int unsigned Entries = 16,   // entries, >= 4, even (power of two for best synthesis)
  parameter int unsigned KeyW    = 32,   // key width in bits, >= 1
  parameter int unsigned ResW    = 32,   // result word width, >= 1
  parameter int unsigned Ports   = 1,    // independent search ports, >= 1
  parameter int unsigned ChunkW  = 5,    // key bits per truth table (RAM32M16 columns: 5), 2..8
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

  // ---- management state machine -------------------------------------------------------
  typedef enum logic [1:0] {MIdle, MWrite, MRead, MDone} mstate_e;
  mstate_e             mstate_q;
  logic [ChunkW-1:0]   row_q;
  logic [IdxW-1:0]     midx_q;
  logic [PadW-1:0]     mvalue_q, mmask_q;
  logic                mvalid_q;
  logic [Entries-1:0]  valid_q;
  logic [Chunks-1:0]   new_bit;               // bit to write into row row_q of every chunk RAM
  logic                sweep_we;
  logic [ResW-1:0]     res_mem [Entries];     // results for the search ports
  logic [ResW-1:0]     mres_q;
  // management copy of every entry, one word per entry pair {odd entry, even entry}; the result
  // is kept here too so that res_mem needs no third (management) read address
  logic [2*KvW-1:0]    kv_mem [Pairs];
  logic [2*KvW-1:0]    rpair_q;               // the addressed pair, read in the request clock
  logic [KvW-1:0]      rkv_q, rpart_q;        // the entry's old contents, its partner's
  logic [ResW-1:0]     rres_q;
  assign rkv_q   = midx_q[0] ? rpair_q[KvW +: KvW] : rpair_q[0 +: KvW];
  assign rpart_q = midx_q[0] ? rpair_q[0 +: KvW] : rpair_q[KvW +: KvW];
  assign rres_q  = rkv_q[2*KeyW +: ResW];
  logic [Chunks-1:0]   chunk_diff;            // chunks whose value/mask the write changes
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
  assign hitless = valid_q[midx_q] && mvalid_q &&
                   (chunk_diff == '0 ||
                    ((chunk_diff & (chunk_diff - Chunks'(1))) == '0 && rres_q == mres_q));

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      mstate_q  <= MIdle;
      row_q     <= '0;
      midx_q    <= '0;
      mvalue_q  <= '0;
      mmask_q   <= '0;
      mvalid_q  <= 1'b0;
      valid_q   <= '0;
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
              mstate_q <= MWrite;
            end else begin
              mstate_q <= MRead;
            end
          end
        end
        MWrite: begin
          row_q <= row_q + 1'b1;
          // with the first row: keys from the next clock on may see rewritten rows
          if (row_q == '0 && !hitless) valid_q[midx_q] <= 1'b0;
          if (row_q == ChunkW'(Rows - 1)) begin
            valid_q[midx_q] <= mvalid_q;
            mstate_q <= MDone;
          end
        end
        MRead: mstate_q <= MDone;
        MDone: mstate_q <= MIdle;
        default: mstate_q <= MIdle;
      endcase
    end
  end

  // result RAM and the management copy: written with the last row, when the new entry becomes
  // visible (a search that matched the old entry reads its result 2 clocks after its key, long
  // before: Rows >= 4; in a hitless write both have the same result or the same match). The copy
  // is read in the request clock of every operation: read-back data, what a write replaces, and
  // the partner entry whose rows the write rewrites unchanged.
  logic [KvW-1:0] new_kv;
  assign new_kv = {mres_q, KeyW'(mmask_q), KeyW'(mvalue_q)};
  always_ff @(posedge clk_i) begin
    if (mstate_q == MIdle && m_req_i) begin
      mres_q  <= m_res_i;
      rpair_q <= kv_mem[m_idx_i[IdxW-1:1]];
    end
    if (mstate_q == MWrite && row_q == ChunkW'(Rows - 1)) begin
      res_mem[midx_q] <= mres_q;
      kv_mem[midx_q[IdxW-1:1]] <= midx_q[0] ? {new_kv, rpart_q} : {rpart_q, new_kv};
    end
  end
  assign m_rvalue_o = rkv_q[KeyW-1:0];
  assign m_rmask_o  = rkv_q[2*KeyW-1:KeyW];
  assign m_rres_o   = rres_q;
  assign m_rvalid_o = valid_q[midx_q];

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
  logic [EW-1:0]   tt [Chunks*Rows*NW];
  logic [EW-1:0]   fm [Ports*NW];        // match words (stage 1)
  logic [Ports-1:0] sv1, sv2, hit2, hit3;
  logic [IdxW-1:0] idx2 [Ports];
  logic [IdxW-1:0] idx3 [Ports];
  logic [ResW-1:0] res3 [Ports];
  logic [Rows-1:0] fast_unused;
  assign fast_unused = '0;

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
  // ---- hardware form: tcam_lutram slices of 7 columns per entry pair ----------------------
  // column col = p*Chunks + c (port p, chunk c) of pair pr is read column col % 7 of slice
  // col / 7; its two bits are entries 2pr and 2pr+1. rows[(p*Chunks + c)*Entries + e] is the
  // bit of entry e for port p's key in chunk c (flattened: yosys 0.23 has no multi-dimensional
  // packed arrays).
  localparam int unsigned Cols   = Ports * Chunks;
  localparam int unsigned Slices = (Cols + 6) / 7;
  logic [Ports*Chunks*Entries-1:0] rows;
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

  for (genvar pr = 0; pr < Pairs; pr++) begin : g_pair
    logic we;
    assign we = sweep_we && midx_q[IdxW-1:1] == (IdxW-1)'(pr);
    for (genvar sl = 0; sl < Slices; sl++) begin : g_slice
      localparam int unsigned NC = (Cols - sl * 7 < 7) ? Cols - sl * 7 : 7;
      logic [2*NC-1:0]      wdata, rdata;
      logic [ChunkW*NC-1:0] raddr;
      for (genvar k = 0; k < NC; k++) begin : g_col
        localparam int unsigned Col = sl * 7 + k;
        localparam int unsigned P   = Col / Chunks;
        localparam int unsigned C   = Col % Chunks;
        assign wdata[2*k]     = wbit_even[C];
        assign wdata[2*k + 1] = wbit_odd[C];
        assign raddr[ChunkW*k +: ChunkW] = key_pad[P][C*ChunkW +: ChunkW];
        assign rows[(P*Chunks + C)*Entries + 2*pr]     = rdata[2*k];
        assign rows[(P*Chunks + C)*Entries + 2*pr + 1] = rdata[2*k + 1];
      end
      tcam_lutram #(.AW(ChunkW), .RPorts(NC)) u_ram (
        .clk_i, .we_i(we), .waddr_i(row_q), .wdata_i(wdata), .raddr_i(raddr), .rdata_o(rdata));
    end
  end

  for (genvar p = 0; p < Ports; p++) begin : g_search
    logic [Entries-1:0] match_d, match_q;
    logic               hit_d, hit_q, hit2_q, sv1_q, sv2_q;
    logic [IdxW-1:0]    idx_d, idx_q, idx2_q;
    logic [ResW-1:0]    res_q;

    always_comb begin
      match_d = valid_q;
      for (int unsigned c = 0; c < Chunks; c++) match_d &= rows[(p*Chunks + c)*Entries +: Entries];
    end

    prio_enc #(.Width(Entries)) u_enc (.req_i(match_q), .hit_o(hit_d), .idx_o(idx_d));

    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        match_q <= '0;
        sv1_q   <= 1'b0;
        sv2_q   <= 1'b0;
        hit_q   <= 1'b0;
        idx_q   <= '0;
        hit2_q  <= 1'b0;
        idx2_q  <= '0;
        res_q   <= '0;
      end else begin
        sv1_q <= s_valid_i[p];
        sv2_q <= sv1_q;
        if (s_valid_i[p]) match_q <= match_d;
        if (sv1_q) begin
          hit_q <= hit_d;
          idx_q <= idx_d;
        end
        if (sv2_q) begin
          hit2_q <= hit_q;
          idx2_q <= idx_q;
          res_q  <= hit_q ? res_mem[idx_q] : '0;
        end
      end
    end
    assign s_hit_o[p]               = hit2_q;
    assign s_idx_o[p*IdxW +: IdxW]  = idx2_q;
    assign s_res_o[p*ResW +: ResW]  = res_q;
  end
`endif
endmodule

`default_nettype wire
