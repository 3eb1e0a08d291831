// SPDX-License-Identifier: Apache-2.0
// Longest-prefix match in block RAM: the address-to-label lookup of the label stage. One key
// per search port per clock, fixed latency Latency = (2 + CmpReg) * Levels + 2 clocks, two banks.
//
// Structure: a pipelined B+tree over the interval boundaries of the prefix set ("range search").
// A set of (possibly nested) prefixes cuts the key space into at most 2N + 1 intervals, each
// answered by its longest covering prefix (or none); the longest match of a key is the result of
// the interval containing it, i.e. of the last interval start <= key. The key is {context,
// address} (KeyW bits, the context in the top bits), so every context is a contiguous range of
// the key space and one tree serves all contexts of one family; the datapath instantiates one
// tree for IPv4 ({ctx, 32 bits}) and one for IPv6 ({ctx, 128 bits}). See docs/datapath.md
// (Label stage) for the choice against tree bitmap, SAIL, Poptrie and DXR.
//
// Node word (NodeW bits, the same at every level; hostlib/src/compiler/lpm.c builds and packs it):
//   [CntW-1:0]                      cnt: keys in use, 0..Fanout-1
//   [CntW + i*KeyW +: KeyW]         key i, i < Fanout-1, ascending (keys >= cnt unused)
//   [CntW + (Fanout-1)*KeyW + j*PtrW +: PtrW]   pointer j, j < Fanout
// Search in a node: j = number of keys i < cnt with key_i <= search key; go to pointer j. Level
// Levels-1 (leaves) points into the result table (Results x ResW), other levels to nodes of the
// next level. The root is node 0 of level 0. Every path has Levels nodes (a shallower tree is
// padded with cnt = 0 nodes), hence the fixed latency.
// Level depths (nodes): leaves LeafNodes; level l < Levels-1 holds min(Fanout^l,
// ceil(depth(l+1) / Fanout)). The builder fills a leaf with at most Fanout-1 intervals, leaving
// one free slot per leaf for updates (which refill leaves and keep the inner levels).
//
// Banks. Every memory (each level, the result table) exists twice. A search names its bank
// (q_bank_i, sampled once per packet by the datapath) and reads only that bank at every level,
// so it sees one consistent table. Writes (one node word or result row per clock) go to any bank
// but are accepted (w_ready_o) only while no search in flight uses that bank: the firmware writes
// the inactive bank, flips CTRL.BANK, and may then write the old bank once the searches issued
// before the flip have left (at most Latency clocks). On an FPGA each (bank, level) memory is one
// true-dual-port block RAM: port A serves search port 0 or the write (never both: the write's
// bank is not being searched), port B search port 1.
//
// Pipeline per level l (two clocks, three with CmpReg): R_l reads the node of every port
// (address: the pointer from the level before; level 0: node 0); C_l compares the key with the
// node's keys (with CmpReg: registers the compare bits, then) and registers the next pointer. After the leaves: R_Levels reads the result row, then the output
// register. A clock without a search (q_valid_i low) flows through as invalid: r_valid_o low,
// and the RAM reads, stage registers and r_idx_o / r_res_o keep their last values (only a
// search loads them: block-RAM read enables and clock enables).
`default_nettype none

module lpm #(
  parameter int unsigned KeyW      = 40,    // {context, address} bits
  parameter int unsigned Fanout    = 8,     // children per node, power of two, 4..16
  parameter int unsigned Levels    = 4,     // tree levels, 1..12
  parameter int unsigned LeafNodes = 64,    // leaf nodes, >= 1
  parameter int unsigned Results   = 64,    // result table rows, >= 2 (row 0: no match)
  parameter int unsigned ResW      = 16,    // result row width
  parameter int unsigned CmpReg    = 0,     // 1: register the compare bits (one more clock per level)
  localparam int unsigned Ports    = 2,
  localparam int unsigned CntW     = $clog2(Fanout),
  localparam int unsigned MaxDepth = LeafNodes > Results ? LeafNodes : Results,
  localparam int unsigned PtrW     = MaxDepth > 1 ? $clog2(MaxDepth) : 1,
  localparam int unsigned NodeW    = CntW + (Fanout - 1) * KeyW + Fanout * PtrW,
  localparam int unsigned LevW     = $clog2(Levels + 1)
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,
  // search: port 0 (source address), port 1 (destination address)
  input  logic                   q_valid_i,
  input  logic                   q_bank_i,
  input  logic [Ports*KeyW-1:0]  q_key_i,
  output logic                   r_valid_o,     // Latency clocks after q_valid_i
  output logic [Ports*PtrW-1:0]  r_idx_o,       // result row of each port
  output logic [Ports*ResW-1:0]  r_res_o,       // its contents
  // management: one node word (w_level < Levels) or result row (w_level = Levels) per clock
  input  logic                   w_valid_i,
  output logic                   w_ready_o,     // no search in flight uses bank w_bank_i
  input  logic                   w_bank_i,
  input  logic [LevW-1:0]        w_level_i,
  input  logic [PtrW-1:0]        w_addr_i,      // node index / result row
  input  logic [NodeW-1:0]       w_data_i       // node word / result row in bits ResW-1:0
);
  if (Fanout < 4 || Fanout > 16 || (Fanout & (Fanout - 1)) != 0) begin : g_bad_fanout
    $error("lpm: Fanout must be a power of two, 4..16");
  end
  if (Levels < 1 || Levels > 12) begin : g_bad_levels
    $error("lpm: Levels must be 1..12");
  end
  if (CmpReg > 1) begin : g_bad_cmpreg
    $error("lpm: CmpReg must be 0 or 1");
  end
  if (Results < 2 || ResW > NodeW) begin : g_bad_results
    $error("lpm: Results must be >= 2 and ResW <= the node width");
  end

  // nodes of level l (see the header); the C builder uses the same rule (lpm_level_depth)
  function automatic logic [31:0] level_depth(input logic [31:0] l);
    logic [31:0] d, cap, k;
    d = LeafNodes;
    for (k = l + 1; k < Levels; k = k + 1) d = (d + Fanout - 1) / Fanout;
    cap = 1;
    for (k = 0; k < l; k = k + 1) if (cap < d) cap = cap * Fanout;
    level_depth = (d < cap) ? d : cap;
  endfunction

  localparam int unsigned Stages = 2 * Levels + 1;  // stage s holds the key entering R_{s/2}

  // ---- pipeline registers: stage 2l+1 = after R_l, 2l+2 = after C_l (the request: q_*_i) ----
  logic [Stages:1]               st_valid;
  logic [Stages:1]               st_bank;
  logic [Ports*KeyW-1:0]         st_key [Stages+1];  // element 0 unused
  logic [Ports*PtrW-1:0]         st_ptr [Stages+1];  // element 0 unused

  // the compare registers of each level (CmpReg; tied low without it)
  logic [Levels-1:0]             cr_valid, cr_bank;

  // write acceptance: no search of the written bank anywhere in the pipeline (request included)
  logic busy_bank0, busy_bank1;
  always_comb begin
    busy_bank0 = q_valid_i && !q_bank_i;
    busy_bank1 = q_valid_i && q_bank_i;
    for (int unsigned l = 0; l < Levels; l++) begin
      if (cr_valid[l] && !cr_bank[l]) busy_bank0 = 1'b1;
      if (cr_valid[l] && cr_bank[l])  busy_bank1 = 1'b1;
    end
    for (int unsigned s = 1; s <= Stages; s++) begin
      if (st_valid[s] && !st_bank[s]) busy_bank0 = 1'b1;
      if (st_valid[s] && st_bank[s])  busy_bank1 = 1'b1;
    end
  end
  assign w_ready_o = w_bank_i ? !busy_bank1 : !busy_bank0;
  wire w_fire = w_valid_i && w_ready_o;

  // ---- the levels --------------------------------------------------------------------------
  for (genvar l = 0; l < Levels; l++) begin : g_level
    localparam int unsigned Depth = level_depth(l);
    localparam int unsigned AW    = Depth > 1 ? $clog2(Depth) : 1;
    localparam int unsigned RI    = 2 * l;      // stage entering R_l
    logic [NodeW-1:0] node_q [2][Ports];        // per bank, per port: the word read in R_l
    // the stage entering R_l: the request at level 0
    logic                  in_valid, in_bank;
    logic [Ports*KeyW-1:0] in_key;
    logic [Ports*PtrW-1:0] in_ptr;
    if (l == 0) begin : g_in_req
      assign in_valid = q_valid_i;
      assign in_bank  = q_bank_i;
      assign in_key   = q_key_i;
      assign in_ptr   = '0;
    end else begin : g_in_stage
      assign in_valid = st_valid[RI];
      assign in_bank  = st_bank[RI];
      assign in_key   = st_key[RI];
      assign in_ptr   = st_ptr[RI];
    end

    for (genvar b = 0; b < 2; b++) begin : g_bank
      logic [NodeW-1:0] mem [Depth];
      wire we = w_fire && w_bank_i == b && w_level_i == LevW'(l);
      // port A: the write, else search port 0; port B: search port 1 (read-first)
      wire [AW-1:0] addr_a = we ? AW'(w_addr_i) : AW'(in_ptr[0 +: PtrW]);
      wire [AW-1:0] addr_b = AW'(in_ptr[PtrW +: PtrW]);
      // read enable: only a search of this bank reads it (block RAM enable; the other bank's
      // word is never used, and idle clocks read nothing: power, and Verilator skips the copy)
      wire re = in_valid && in_bank == b;
      always_ff @(posedge clk_i) begin
        if (we && 32'(w_addr_i) < Depth) mem[addr_a] <= w_data_i;
        if (re) begin
          node_q[b][0] <= mem[addr_a];
          node_q[b][1] <= mem[addr_b];
        end
      end
    end

    // R_l: pipeline registers beside the RAM read (the key and pointer load only with a search:
    // clock enables; a stage without valid is never read)
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) st_valid[RI+1] <= 1'b0;
      else         st_valid[RI+1] <= in_valid;
    end
    always_ff @(posedge clk_i) begin
      if (in_valid) begin
        st_bank[RI+1] <= in_bank;
        st_key[RI+1]  <= in_key;
        st_ptr[RI+1]  <= in_ptr;
      end
    end

    // C_l: compare the search key with the node's keys, select the child. The keys are sorted
    // and only the first cnt are in use, so the compare bits ge[i] = (i < cnt && key_i <= k) are
    // a thermometer code (ones, then zeros); the child is pointer j where ge[j-1] && !ge[j]
    // (ge[-1] = 1, ge[Fanout-1] = 0): a one-hot AND-OR of the Fanout pointers, no count (a
    // serial count j = j + 1 was 23 LUT levels; docs/datapath.md, Timing). With CmpReg the
    // compare bits and the node's pointers are registered first (C_l takes two clocks).
    logic [Ports*(Fanout-1)-1:0] ge;
    logic [Ports*Fanout*PtrW-1:0] ptrs;
    always_comb begin
      logic [NodeW-1:0] w;
      logic [KeyW-1:0]  k;
      ge   = '0;
      ptrs = '0;
      w    = '0;
      k    = '0;
`ifdef VERILATOR
      // Simulation speed only: Verilator evaluates this compare in every clock; an empty stage's
      // compare bits are never used (st_valid), so the simulation skips them. Synthesis builds the
      // plain compare (the defaults above are overwritten: no gating logic).
      if (st_valid[RI+1])
`endif
      for (int unsigned p = 0; p < Ports; p++) begin
        w = node_q[st_bank[RI+1]][p];
        k = st_key[RI+1][p*KeyW +: KeyW];
        for (int unsigned i = 0; i < Fanout - 1; i++)
          ge[p*(Fanout-1) + i] = i < 32'(w[CntW-1:0]) && w[CntW + i*KeyW +: KeyW] <= k;
        ptrs[p*Fanout*PtrW +: Fanout*PtrW] = w[CntW + (Fanout-1)*KeyW +: Fanout*PtrW];
      end
    end
    // the stage entering the select: C_l's first clock with CmpReg, else the same clock
    logic                         sel_valid, sel_bank;
    logic [Ports*KeyW-1:0]        sel_key;
    logic [Ports*(Fanout-1)-1:0]  sel_ge;
    logic [Ports*Fanout*PtrW-1:0] sel_ptrs;
    if (CmpReg != 0) begin : g_cmp_reg
      always_ff @(posedge clk_i or negedge rst_ni) begin
        if (!rst_ni) sel_valid <= 1'b0;
        else         sel_valid <= st_valid[RI+1];
      end
      always_ff @(posedge clk_i) begin
        sel_bank <= st_bank[RI+1];
        sel_key  <= st_key[RI+1];
        sel_ge   <= ge;
        sel_ptrs <= ptrs;
      end
      assign cr_valid[l] = sel_valid;
      assign cr_bank[l]  = sel_bank;
    end else begin : g_cmp_comb
      assign cr_valid[l] = 1'b0;
      assign cr_bank[l]  = 1'b0;
      assign sel_valid = st_valid[RI+1];
      assign sel_bank  = st_bank[RI+1];
      assign sel_key   = st_key[RI+1];
      assign sel_ge    = ge;
      assign sel_ptrs  = ptrs;
    end
    logic [Ports*PtrW-1:0] next_ptr;
    always_comb begin
      for (int unsigned p = 0; p < Ports; p++) begin
        logic [PtrW-1:0] acc;
        acc = '0;
        for (int unsigned j = 0; j < Fanout; j++) begin
          logic lo, hi;
          lo = j == 0 ? 1'b1 : sel_ge[p*(Fanout-1) + (j == 0 ? 0 : j - 1)];
          hi = j == Fanout - 1 ? 1'b0 : sel_ge[p*(Fanout-1) + (j == Fanout - 1 ? 0 : j)];
          acc = acc | ({PtrW{lo && !hi}} & sel_ptrs[(p*Fanout + j)*PtrW +: PtrW]);
        end
        next_ptr[p*PtrW +: PtrW] = acc;
      end
    end
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) st_valid[RI+2] <= 1'b0;
      else         st_valid[RI+2] <= sel_valid;
    end
    always_ff @(posedge clk_i) begin
      if (sel_valid) begin
        st_bank[RI+2] <= sel_bank;
        st_key[RI+2]  <= sel_key;
        st_ptr[RI+2]  <= next_ptr;
      end
    end
  end

  // ---- result table (R_Levels) and output register ------------------------------------------
  localparam int unsigned RAW = $clog2(Results);
  localparam int unsigned RI  = 2 * Levels;
  logic [ResW-1:0] res_q [2][Ports];
  for (genvar b = 0; b < 2; b++) begin : g_res
    logic [ResW-1:0] mem [Results];
    wire we = w_fire && w_bank_i == b && w_level_i == LevW'(Levels);
    wire [RAW-1:0] addr_a = we ? RAW'(w_addr_i) : RAW'(st_ptr[RI][0 +: PtrW]);
    wire [RAW-1:0] addr_b = RAW'(st_ptr[RI][PtrW +: PtrW]);
    wire re = st_valid[RI] && st_bank[RI] == b;   // read enable, as the levels'
    always_ff @(posedge clk_i) begin
      if (we && 32'(w_addr_i) < Results) mem[addr_a] <= w_data_i[ResW-1:0];
      if (re) begin
        res_q[b][0] <= mem[addr_a];
        res_q[b][1] <= mem[addr_b];
      end
    end
  end
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) st_valid[RI+1] <= 1'b0;
    else         st_valid[RI+1] <= st_valid[RI];
  end
  always_ff @(posedge clk_i) begin
    if (st_valid[RI]) begin
      st_bank[RI+1] <= st_bank[RI];
      st_key[RI+1]  <= st_key[RI];
      st_ptr[RI+1]  <= st_ptr[RI];
    end
  end

  // output register
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) r_valid_o <= 1'b0;
    else         r_valid_o <= st_valid[RI+1];
  end
  always_ff @(posedge clk_i) begin
    if (st_valid[RI+1]) begin
      r_idx_o <= st_ptr[RI+1];
      for (int unsigned p = 0; p < Ports; p++)
        r_res_o[p*ResW +: ResW] <= res_q[st_bank[RI+1]][p];
    end
  end
endmodule

`default_nettype wire
