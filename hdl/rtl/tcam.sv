// SPDX-License-Identifier: Apache-2.0
// Generic ternary CAM: first (lowest-index) valid matching entry wins; Ports search ports, one
// key per port per clock, fixed latency 3; a management port writes and reads whole entries.
//
// Design: the LUTRAM ("transposed") TCAM. The key is cut into Chunks pieces of ChunkW bits.
// For every chunk c there is a small RAM of 2^ChunkW rows x Entries bits whose row r, bit e says
// "entry e accepts value r in chunk c". A search reads one row per chunk (the key chunk is the
// address) and ANDs the Chunks rows: the result is the Entries-wide match vector. On an FPGA
// each chunk RAM is Entries LUT6-RAMs (64x1), i.e. ChunkW = 6 ternary bits per LUT; a
// simulated search costs Chunks wide-word ANDs instead of Entries wide compares.
// The price is the write: an entry's truth tables are written one row per clock
// (2^ChunkW clocks, all chunks in parallel). Rows can be read back from the truth tables only
// with extra LUTRAM read ports, so a copy of every entry's value/mask is kept in a plain RAM
// (block RAM on an FPGA), with the result word, for management reads; it also tells a write
// what it replaces.
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
// idx_q; cycle 2 result RAM read -> s_res_o. Searches never stall, also during a write.
`default_nettype none

module tcam #(
  parameter int unsigned Entries = 16,   // entries, >= 2 (power of two for best synthesis)
  parameter int unsigned KeyW    = 32,   // key width in bits, >= 1
  parameter int unsigned ResW    = 32,   // result word width, >= 1
  parameter int unsigned Ports   = 1,    // independent search ports, >= 1
  parameter int unsigned ChunkW  = 6,    // key bits per truth-table RAM (LUT6: 6), 2..8
  localparam int unsigned IdxW   = $clog2(Entries),
  localparam int unsigned Chunks = (KeyW + ChunkW - 1) / ChunkW,
  localparam int unsigned Rows   = 1 << ChunkW
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,
  // search ports (port p uses bits [p*W +: W])
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
  localparam int unsigned PadW = Chunks * ChunkW;

  if (Entries < 2) begin : g_bad_entries
    $error("tcam: Entries must be at least 2");
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
  // management copy of every entry: {result, mask, masked value}; the result is kept here too
  // so that res_mem needs no third (management) read address
  logic [ResW+2*KeyW-1:0] kv_mem [Entries];
  logic [ResW+2*KeyW-1:0] rkv_q;
  logic [ResW-1:0]     rres_q;
  assign rres_q = rkv_q[2*KeyW +: ResW];
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
  // before: Rows >= 4; in a hitless write both have the same result or the same match). Read in
  // (the copy) in the request clock of every operation: read-back data, or what a write replaces.
  always_ff @(posedge clk_i) begin
    if (mstate_q == MIdle && m_req_i) begin
      mres_q <= m_res_i;
      rkv_q  <= kv_mem[m_idx_i];
    end
    if (mstate_q == MWrite && row_q == ChunkW'(Rows - 1)) begin
      res_mem[midx_q] <= mres_q;
      kv_mem[midx_q]  <= {mres_q, KeyW'(mmask_q), KeyW'(mvalue_q)};
    end
  end
  assign m_rvalue_o = rkv_q[KeyW-1:0];
  assign m_rmask_o  = rkv_q[2*KeyW-1:KeyW];
  assign m_rres_o   = rres_q;
  assign m_rvalid_o = valid_q[midx_q];

  // ---- truth-table RAMs and search ----------------------------------------------------
  // row read by each port from each chunk (flattened: yosys 0.23 has no multi-dimensional
  // packed arrays): port p, chunk c at [(p*Chunks + c)*Entries +: Entries]
  logic [Ports*Chunks*Entries-1:0] rows;
  logic [PadW-1:0]                 key_pad [Ports];
  for (genvar p = 0; p < Ports; p++) begin : g_pad
    assign key_pad[p] = PadW'(s_key_i[p*KeyW +: KeyW]);
  end

  for (genvar c = 0; c < Chunks; c++) begin : g_chunk
    // whole-row read-modify-write through the write address: every column of the RAM shares
    // one write enable, so the RAM maps to dual-port LUTRAM (search port + write port)
    logic [Entries-1:0] mem [Rows];
    logic [Entries-1:0] old_row, new_row;
    assign old_row = mem[row_q];
    always_comb begin
      new_row = old_row;
      new_row[midx_q] = new_bit[c];
    end
    always_ff @(posedge clk_i) begin
      if (sweep_we) mem[row_q] <= new_row;
    end
    for (genvar p = 0; p < Ports; p++) begin : g_port
      assign rows[(p*Chunks + c)*Entries +: Entries] = mem[key_pad[p][c*ChunkW +: ChunkW]];
    end
  end

  for (genvar p = 0; p < Ports; p++) begin : g_search
    logic [Entries-1:0] match_d, match_q;
    logic               hit_d, hit_q, hit2_q;
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
        hit_q   <= 1'b0;
        idx_q   <= '0;
        hit2_q  <= 1'b0;
        idx2_q  <= '0;
        res_q   <= '0;
      end else begin
        match_q <= match_d;
        hit_q   <= hit_d;
        idx_q   <= idx_d;
        hit2_q  <= hit_q;
        idx2_q  <= idx_q;
        res_q   <= hit_q ? res_mem[idx_q] : '0;
      end
    end
    assign s_hit_o[p]               = hit2_q;
    assign s_idx_o[p*IdxW +: IdxW]  = idx2_q;
    assign s_res_o[p*ResW +: ResW]  = res_q;
  end
endmodule

`default_nettype wire
