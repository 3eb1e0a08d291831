// SPDX-License-Identifier: Apache-2.0
// DRAM flow tier: the flow table behind the on-chip flow cache (flow_cache.sv). Full 512-bit
// FLOW entries live in external memory (DDR4 / HBM) behind an AXI4 master port, one entry per
// 64-byte slot; an on-chip signature directory says which slots hold a flow, so a lookup costs at
// most one DRAM read (one beat) and placement needs no DRAM access at all.
//
// Signature directory (on chip, block/ultra RAM): FLOW_TABLES = 4 tables x Buckets buckets x
// Ways slots of {valid, SigW-bit signature}. A key's bucket in table t is flow-hash bits
// 16t + BW - 1 .. 16t (the flow cache's hash, keyed by hkey_i); its signature is the low SigW
// bits of a second Toeplitz hash under the secret key rotated by two words (64 bits: its rows are
// not the first hash's) (twin: ref_flow_dram.c).
// Slot index = (table * Buckets + bucket) * Ways + way; its entry is at BaseAddr + 64 * slot.
// Realistic size: 4 x 8,192 x 32 = 1,048,576 slots (64 MiB of DRAM, 4 MiB of signatures at
// SigW = 31); measured load at the first refused insert 0.98 (bench/datapath.sh).
//
// Pipeline, one request per clock, results in request order (valid/ready on both sides):
//   A  accept, hash, read the four signature buckets (synchronous RAMs).
//   B  compare the 4 x Ways signatures (one-deep write-back bypass of the last directory write,
//      as in flow_cache) and decide the request's kind:
//        no match, learn  -> LEARN: the least loaded non-full bucket (ties: lowest table), lowest
//                            free way gets the signature now, so the next packet of the same new
//                            flow (even in the next clock) matches it: pending-miss tracking
//                            without a separate table; every bucket full -> FULL; the per-NIC,
//                            per-direction limit (S5) reached -> LIMIT
//        no match         -> MISS (no DRAM access)
//        one match        -> LOOK: an AXI read of that slot is queued
//        several matches  -> MULTI (reported as a collision: the caller punts to the host)
//      and pushes the request into the in-order buffer (Depth entries: latency x rate).
//   R  (resolve, in order) takes the buffer's head; a LOOK waits for its read data (all reads
//      carry ARID 0, so AXI returns them in issue order: no reorder buffer is needed). The entry
//      is taken from the recent-write table when it holds the slot (see below), else from the
//      read data; key equal -> hit (the entry updated: counters, timestamp, TCP bits, unless a
//      probe); key different -> the signature was a false positive: a miss for a packet that does
//      not learn, a collision (learn refused, punted) for one that does. LEARN writes the new
//      entry. Every entry write goes to the recent-write table and to the AXI write queue
//      (AWID 0: writes complete in order).
//   C  registered result (c_*), with the entry as it is now (the on-chip cache's fill).
//
// Recent-write table (Dbt entries, coherence of reads with writes in flight): a read issued
// before an earlier request's write reached DRAM returns stale data. Every write takes a free
// table entry with {slot, entry} and removes any older entry of the same slot from the CAM, so
// the table holds the newest content of each slot written lately and resolve prefers it. An entry
// is freed when its AXI write has been acknowledged (B) and every read issued up to that
// acknowledgement has been resolved (afterwards DRAM itself is current for every reader). Writes
// in flight are capped at Dbt - Depth, which keeps a free entry coming (see resolve).
//
// Write-back (op 1, from the on-chip cache's evictions): a_data_i is the evicted entry; it
// replaces the DRAM entry of the same key (found like a lookup), so counters and TCP state
// survive eviction.
//
// Management (ops 2 / 3, the firmware's reads and deletes by slot, in request order like a
// packet): B reads the slot's bucket from the directory; both queue a DRAM read of the slot when
// it holds a flow (a free slot reads nothing: kind MFREE, answered with an all-zero entry, so a
// walk over empty buckets costs no DRAM latency). A delete clears the slot's valid bit in B (the
// write-back bypass makes the next request see it) and decrements `used` and the per-NIC counter
// named by a_data_i (the entry the firmware read: VPORT, INIT_OUTBOUND; never below 0). Resolve
// returns the slot's entry as of the op (recent-write table or DRAM) with VALID = the directory's
// bit, and the bucket's valid bits (c_vmask_o). DRAM keeps a deleted slot's last entry; a later
// learn there writes a whole new one.
//
// Aging scan (age_en_i): the hardware aging engine over the DRAM table, with the on-chip cache's
// configuration (age_to_i: the timeout of every AGE_CLASS; age_est_*: the per-vport established
// timeout; nsgnic_flow_age_pkg::flow_age_expired decides). It only uses clocks without a request
// (a_valid_i low), so it never takes a packet's slot; its DRAM reads travel the request pipeline
// and the in-order buffer like a lookup's, so they are coherent with the packets (recent-write
// table). Two internal ops:
//   scan   (A: the next slot; position wraps over every slot, age_wrap_o) reads the slot's bucket;
//          B: the position skips the bucket's free ways after the slot (to its next valid way,
//          or the next bucket), so a pass costs about a clock per flow plus two per bucket;
//          a free slot costs nothing more; a valid one queues a DRAM read (kind SCAN) and
//          opens a watch entry (ScanMax in flight) for the slot; resolve evaluates the entry (the
//          recent-write table's or DRAM's, current as of the scan's B) at the scan's time; not
//          expired -> the watch closes; expired -> a delete is queued (sdel FIFO).
//   delete (A, before any new scan) reads the slot's bucket again; B deletes the flow (directory
//          bit cleared, `used` and the per-NIC counter of the entry's VPORT / INIT_OUTBOUND
//          decremented: S5) and reports it on x_* (combinational from B, one clock, with the
//          entry as the scan read it: counters, TCP bits, the flow log's end tuple) unless the
//          watch saw, between the scan's B and the delete's B, a packet or write-back that
//          updated the slot, a learn into it or a management delete of it: such a flow was hit
//          after the scan read it (or is another flow), so it stays and the next pass decides.
//          Every update of an entry passes B in request order, so "no event" means the entry is
//          still the one the scan judged expired: a flow hit just before expiry is never deleted.
// A delete is issued only while age_room_i says the report path takes its report (x_valid_o
// comes one clock after the delete's A); scans go on meanwhile: the delete queue has a place for
// every watch entry, and the watch entries (ScanMax, the scans in flight) bound it. ScanMax
// covers the DRAM latency: a pass over S slots takes about S idle clocks when ScanMax >= the read
// latency (in clocks), S x latency / ScanMax when less.
// Front (the on-chip cache in front, flow_tier.sv): A takes the lookup's P10 request every clock
// (never refused: the read-address queue has Depth entries, scans issue only while the buffer is
// less than half full, the caller's credit bounds the packets); B reads the cache's B (f_chit_i,
// f_croom_i) and decides: cache hit -> CHIT; MULTI / LOOK as above; no match and learning: the
// S5 limit reached -> LIMIT (for both levels), the cache has room -> CLEARN (f_clearn_o: the cache
// learns it, the counter counts it, no slot), else FULL / LEARN as above. CHIT and CLEARN read no
// DRAM and answer in order. A HW_COUNTED cache entry that leaves the cache (f_dec_i: its aging
// delete or a management write) decrements its counter through a second counter port (merged
// with B's change when both name one counter). A flow is then in one place, decided at one point.
// Not here yet: the second read of a MULTI lookup.
`default_nettype none

module flow_dram #(
  parameter int unsigned Buckets  = 16,   // buckets per table, power of two, 2..65536
  parameter int unsigned Ways     = 32,   // slots per bucket, power of two, 2..32
  parameter int unsigned SigW     = 31,   // signature bits, 2..31
  parameter int unsigned Depth    = 512,  // requests in flight, power of two, 4..4096
  parameter int unsigned Dbt      = 1024, // recent-write table entries, power of two, >= Depth + 2
  parameter int unsigned Vports   = 256,  // per-NIC limit counters (key VPORT < Vports)
  parameter int unsigned AddrW    = 34,   // AXI address bits
  parameter logic [63:0] BaseAddr = 64'h0,
  parameter int unsigned ScanMax  = 256,  // aging scans in flight (watch entries), power of two
  parameter int unsigned Front    = 0,    // 1: the on-chip cache in front, decided together (f_*)
  localparam int unsigned Tables  = nsgnic_abi_pkg::FLOW_TABLES,
  localparam int unsigned KeyW    = nsgnic_abi_pkg::FLOW_KEY_BITS,
  localparam int unsigned EntW    = nsgnic_abi_pkg::FLOW_BITS,
  localparam int unsigned BW      = $clog2(Buckets),
  localparam int unsigned WW      = $clog2(Ways),
  localparam int unsigned SlotW   = 2 + BW + WW,
  localparam int unsigned HKeyW   = nsgnic_abi_pkg::FLOW_HKEY_WORDS * 32,
  localparam int unsigned LimW    = SlotW + 1
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic [HKeyW-1:0] hkey_i,
  input  logic [LimW-1:0]  limit_i,      // S5: flows per NIC and direction (initiator)
  // request
  input  logic             a_valid_i,
  output logic             a_ready_o,
  input  logic [1:0]       a_op_i,       // 0 packet, 1 write-back of an evicted entry,
                                         // 2 management read of slot a_slot_i, 3 delete of it
  input  logic [SlotW-1:0] a_slot_i,     // op 2 / 3
  input  logic [KeyW-1:0]  a_key_i,
  input  logic             a_outbound_i,
  input  logic [2:0]       a_tcp_i,      // {RST, FIN, SYN}
  input  logic [15:0]      a_len_i,
  input  logic             a_learn_i,
  input  logic             a_probe_i,
  input  logic [15:0]      a_rule_id_i,
  input  logic [7:0]       a_gen_i,
  input  logic [15:0]      a_now_i,
  input  logic [EntW-1:0]  a_data_i,     // op 1: the entry; op 3: its key (VPORT) and
                                         // INIT_OUTBOUND name the per-NIC counter to decrement
  // result, in request order
  output logic             c_valid_o,
  input  logic             c_ready_i,
  output logic             c_hit_o,      // op 2 / 3: the slot held a flow (directory valid)
  output logic             c_learned_o,
  output logic             c_full_o,     // learn refused: every bucket of the key full
  output logic             c_limit_o,    // learn refused: the NIC's limit (S5)
  output logic             c_collide_o,  // signature collision: the caller punts
  output logic [1:0]       c_action_o,
  output logic [15:0]      c_rule_id_o,
  output logic [SlotW-1:0] c_slot_o,
  output logic [EntW-1:0]  c_entry_o,    // hit / learn: the entry now (cache fill); op 2 / 3:
                                         // the slot's entry, VALID = the directory's bit (all
                                         // zero for a free slot)
  output logic [Ways-1:0]  c_vmask_o,    // op 2 / 3: directory valid bits of the slot's bucket
  output logic [LimW-1:0]  used_o,       // slots in use
  output logic             init_o,       // the reset sweep runs (InitN clocks): no request yet
  output logic             err_o,        // sticky: an AXI error response or a bad id/last
  output logic             err_ev_o,     // a clock with such a response (the caller counts them)
  // AXI4 master (single-beat bursts of 64 bytes, IDs 0)
  output logic             m_axi_arvalid,
  input  logic             m_axi_arready,
  output logic [AddrW-1:0] m_axi_araddr,
  output logic [7:0]       m_axi_arlen,
  output logic [2:0]       m_axi_arsize,
  output logic [1:0]       m_axi_arburst,
  output logic             m_axi_arid,
  input  logic             m_axi_rvalid,
  output logic             m_axi_rready,
  input  logic [EntW-1:0]  m_axi_rdata,
  input  logic [1:0]       m_axi_rresp,
  input  logic             m_axi_rlast,
  input  logic             m_axi_rid,
  output logic             m_axi_awvalid,
  input  logic             m_axi_awready,
  output logic [AddrW-1:0] m_axi_awaddr,
  output logic [7:0]       m_axi_awlen,
  output logic [2:0]       m_axi_awsize,
  output logic [1:0]       m_axi_awburst,
  output logic             m_axi_awid,
  output logic             m_axi_wvalid,
  input  logic             m_axi_wready,
  output logic [EntW-1:0]  m_axi_wdata,
  output logic [EntW/8-1:0] m_axi_wstrb,
  output logic             m_axi_wlast,
  input  logic             m_axi_bvalid,
  output logic             m_axi_bready,
  input  logic [1:0]       m_axi_bresp,
  input  logic             m_axi_bid,
  // aging scan engine (the cache engine's configuration, see the top)
  input  logic             age_en_i,
  input  logic [16*nsgnic_abi_pkg::AGE_CLASSES-1:0] age_to_i,
  input  logic             age_est_we_i,
  input  logic [7:0]       age_est_vport_i,
  input  logic [15:0]      age_est_to_i,
  input  logic [15:0]      age_now_i,
  input  logic             age_room_i,   // the report path takes a report in the next clock
  output logic             x_valid_o,    // an expired flow was deleted (one clock, must be taken)
  output logic [SlotW-1:0] x_slot_o,
  output logic [EntW-1:0]  x_entry_o,
  output logic             age_wrap_o,   // the scan position wrapped (a pass was issued)
  // Front = 1: requests come from the lookup's P10 in lockstep with the on-chip cache's (never
  // refused: a_ready_o only reports room, the caller's credit guarantees it), and B decides with
  // the cache's B (combinational both ways):
  input  logic             f_chit_i,     // B: the cache hit the packet (final: kind CHIT)
  input  logic             f_croom_i,    // B: the cache has a place for it
  output logic             f_clearn_o,   // B: the cache learns it (counted here: kind CLEARN)
  input  logic             f_dec_i,      // a HW_COUNTED cache entry leaves the cache (this clock)
  input  logic [EntW-1:0]  f_dec_entry_i //   its VPORT and INIT_OUTBOUND name the S5 counter
);
  if (Buckets < 2 || Buckets > 65536 || (Buckets & (Buckets - 1)) != 0) begin : g_bad_buckets
    $error("flow_dram: Buckets must be a power of two, 2..65536");
  end
  if (Ways < 2 || Ways > 32 || (Ways & (Ways - 1)) != 0) begin : g_bad_ways
    $error("flow_dram: Ways must be a power of two, 2..32");
  end
  if (SigW < 2 || SigW > 31) begin : g_bad_sig
    $error("flow_dram: SigW must be 2..31");
  end
  if (Depth < 4 || Depth > 4096 || (Depth & (Depth - 1)) != 0) begin : g_bad_depth
    $error("flow_dram: Depth must be a power of two, 4..4096");
  end
  if (Dbt < Depth + 2 || Dbt > 8192 || (Dbt & (Dbt - 1)) != 0) begin : g_bad_dbt
    $error("flow_dram: Dbt must be a power of two, Depth + 2..8192");
  end
  if (Vports < 1 || Vports > 256) begin : g_bad_vports
    $error("flow_dram: Vports must be 1..256");
  end
  if (AddrW < SlotW + 6 || AddrW > 64) begin : g_bad_addr
    $error("flow_dram: AddrW must hold BaseAddr + 64 x slots, at most 64");
  end
  if (ScanMax < 2 || ScanMax > 1024 || ScanMax > Depth / 2 || (ScanMax & (ScanMax - 1)) != 0)
  begin : g_bad_scanmax
    $error("flow_dram: ScanMax must be a power of two, 2..1024, at most Depth / 2");
  end
  if (Tables != 4) begin : g_bad_tables
    $error("flow_dram: the slot decode assumes FLOW_TABLES = 4");
  end

  localparam int unsigned SE   = SigW + 1;        // directory slot: {valid, signature}
  localparam int unsigned BktW = Ways * SE;
  localparam int unsigned VL   = nsgnic_abi_pkg::FLOW_VALID_LSB;
  localparam int unsigned DW   = $clog2(Dbt);
  localparam int unsigned VW   = (Vports > 1) ? $clog2(Vports) : 1;
  localparam int unsigned QW   = $clog2(Depth);
  localparam int unsigned SW   = $clog2(ScanMax);
  localparam logic [3:0] K_MISS = 4'd0, K_LOOK = 4'd1, K_LEARN = 4'd2, K_FULL = 4'd3,
                         K_MULTI = 4'd4, K_LIMIT = 4'd5, K_MREAD = 4'd6, K_MDEL = 4'd7,
                         K_SCAN = 4'd8, K_MFREE = 4'd9, K_CHIT = 4'd10, K_CLEARN = 4'd11;
  // Front: the read-address queue holds a read of every request in the buffer (A never waits)
  localparam int unsigned ArD = Front != 0 ? Depth : 4;

  // bits 16t + BW - 1 .. 16t (t = 0..3) index the tables: the others are never computed
  function automatic logic [63:0] thash(input logic [KeyW-1:0] k, input logic [HKeyW-1:0] s);
    logic [63:0] h;
    h = '0;
    for (int unsigned j = 0; j < 64; j++)
      if (j % 16 < BW) h[j] = ^(k & s[j +: KeyW]);
    thash = h;
  endfunction
  // the signature: bits SigW - 1 .. 0 only
  function automatic logic [SigW-1:0] shash(input logic [KeyW-1:0] k, input logic [HKeyW-1:0] s);
    logic [SigW-1:0] h;
    for (int unsigned j = 0; j < SigW; j++) h[j] = ^(k & s[j +: KeyW]);
    shash = h;
  endfunction

  // the entry after a packet: counters, timestamp, TCP bits (flow_cache's update)
  function automatic logic [EntW-1:0] touch(input logic [EntW-1:0] e, input logic outbound,
                                            input logic [2:0] tcp, input logic [15:0] len,
                                            input logic [15:0] now);
    logic [EntW-1:0] u;
    u = e;
    u[nsgnic_abi_pkg::FLOW_TIMESTAMP_LSB +: 16] = now;
    if (outbound) begin
      u[nsgnic_abi_pkg::FLOW_TCP_OUT_LSB +: 3] = u[nsgnic_abi_pkg::FLOW_TCP_OUT_LSB +: 3] | tcp;
      u[nsgnic_abi_pkg::FLOW_PKTS_OUT_LSB +: 32] = u[nsgnic_abi_pkg::FLOW_PKTS_OUT_LSB +: 32] + 32'd1;
      u[nsgnic_abi_pkg::FLOW_BYTES_OUT_LSB +: 32] = u[nsgnic_abi_pkg::FLOW_BYTES_OUT_LSB +: 32] + 32'(len);
    end else begin
      u[nsgnic_abi_pkg::FLOW_TCP_IN_LSB +: 3] = u[nsgnic_abi_pkg::FLOW_TCP_IN_LSB +: 3] | tcp;
      u[nsgnic_abi_pkg::FLOW_PKTS_IN_LSB +: 32] = u[nsgnic_abi_pkg::FLOW_PKTS_IN_LSB +: 32] + 32'd1;
      u[nsgnic_abi_pkg::FLOW_BYTES_IN_LSB +: 32] = u[nsgnic_abi_pkg::FLOW_BYTES_IN_LSB +: 32] + 32'(len);
    end
    touch = u;
  endfunction

  // the kinds that read their slot from DRAM (queued in B, waited for in resolve)
  function automatic logic reads_dram(input logic [3:0] k);
    reads_dram = k == K_LOOK || k == K_MREAD || k == K_MDEL || k == K_SCAN;
  endfunction

  // ---- in-order buffer entry ------------------------------------------------------------------
  typedef struct packed {
    logic [1:0]       op;
    logic [3:0]       kind;
    logic [SlotW-1:0] slot;
    logic             outbound;
    logic [2:0]       tcp;
    logic [15:0]      len;
    logic             learn;
    logic             probe;
    logic [15:0]      rule_id;
    logic [7:0]       gen;
    logic [15:0]      now;
    logic [EntW-1:0]  ent;      // op 0: the key in bits KeyW-1..0; op 1: the evicted entry
  } rq_t;
  // $bits(rq_t) (yosys 0.23 has no $bits of a type)
  localparam int unsigned RqW = 2 + 4 + SlotW + 1 + 3 + 16 + 1 + 1 + 16 + 8 + 16 + EntW;

  // ---- stage A ---------------------------------------------------------------------------------
  logic             a_fire;
  logic [63:0]      a_h;
  logic [SigW-1:0]  a_h2;
  logic [HKeyW-1:0] hkey2;
  logic [KeyW-1:0]  a_k;
  logic [BW-1:0]    a_idx [Tables];
  assign a_fire = a_valid_i && (Front != 0 || a_ready_o);
  // internal ops (aging) in clocks without a request: a queued delete first, else a scan
  logic             room, a_int, a_sdel, a_scan, sd_empty, sc_free;
  logic [SlotW-1:0] a_islot, scan_q, sd_slot;
  logic [EntW-1:0]  sd_ent;
  logic [SW-1:0]    sd_sidx, sc_fi;
  assign a_sdel  = !a_valid_i && room && !sd_empty && age_room_i;
  assign a_scan  = !a_valid_i && room && !a_sdel && age_en_i && sc_free &&
                   (Front == 0 || 32'(q_count) + 2 < Depth / 2);  // Front: half kept for packets
  assign a_int   = a_sdel || a_scan;
  assign a_islot = a_sdel ? sd_slot : scan_q;
  assign a_k    = a_op_i == 2'd1 ? a_data_i[KeyW-1:0] : a_key_i;
  assign hkey2  = {hkey_i[63:0], hkey_i[HKeyW-1:64]};  // windows 64.. : not the first hash's rows
  always_comb begin
    a_h  = '0;
    a_h2 = '0;
`ifdef VERILATOR
    // simulation speed only: the hashes are used only with a request in A
    if (a_valid_i)
`endif
    begin
      a_h  = thash(a_k, hkey_i);
      a_h2 = shash(a_k, hkey2);
    end
  end
  // management ops (2, 3) read the slot's bucket in every table (only the slot's table is used)
  always_comb begin
    for (int unsigned t = 0; t < Tables; t++)
      a_idx[t] = a_int ? a_islot[WW +: BW] : a_op_i[1] ? a_slot_i[WW +: BW] : a_h[16*t +: BW];
  end

  logic [BktW-1:0] dir0 [Buckets];
  logic [BktW-1:0] dir1 [Buckets];
  logic [BktW-1:0] dir2 [Buckets];
  logic [BktW-1:0] dir3 [Buckets];
  logic [BktW-1:0] rd_q [Tables];
  logic            w_en;
  logic [1:0]      w_t;
  logic [BW-1:0]   w_idx;
  logic [BktW-1:0] w_data;

  // the directory and the S5 counters start empty: a reset sweep clears every bucket and counter
  // before the first request (InitN clocks)
  localparam int unsigned NCnt  = 2 ** (VW + 1);   // S5 counters: every {vport, direction} code
  localparam int unsigned InitN = Buckets > NCnt ? Buckets : NCnt;
  localparam int unsigned IW    = $clog2(InitN);
  logic          init_q;
  logic [IW-1:0] init_idx_q;
  logic [BW-1:0] init_b;
  assign init_b = BW'(init_idx_q);
  always_ff @(posedge clk_i) begin
    rd_q[0] <= dir0[a_idx[0]];
    rd_q[1] <= dir1[a_idx[1]];
    rd_q[2] <= dir2[a_idx[2]];
    rd_q[3] <= dir3[a_idx[3]];
    if (init_q) begin
      if (32'(init_idx_q) < Buckets) begin
        dir0[init_b] <= '0;
        dir1[init_b] <= '0;
        dir2[init_b] <= '0;
        dir3[init_b] <= '0;
      end
    end else begin
      if (w_en && w_t == 2'd0) dir0[w_idx] <= w_data;
      if (w_en && w_t == 2'd1) dir1[w_idx] <= w_data;
      if (w_en && w_t == 2'd2) dir2[w_idx] <= w_data;
      if (w_en && w_t == 2'd3) dir3[w_idx] <= w_data;
    end
  end
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      init_q     <= 1'b1;
      init_idx_q <= '0;
    end else if (init_q) begin
      init_idx_q <= init_idx_q + 1'b1;
      if (init_idx_q == IW'(InitN - 1)) init_q <= 1'b0;
    end
  end

  // ---- stage B registers -----------------------------------------------------------------------
  logic            b_valid_q;
  logic            b_int_q, b_sdel_q;      // an internal op in B (scan / delete)
  logic [SW-1:0]   b_sidx_q;               //   its watch entry
  rq_t             b_q;
  logic [SigW-1:0] b_sig_q;
  logic [BW-1:0]   b_idx [Tables];
  logic            wb_valid_q;
  logic [1:0]      wb_t_q;
  logic [BW-1:0]   wb_idx_q;
  logic [BktW-1:0] wb_data_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      b_valid_q  <= 1'b0;
      b_int_q    <= 1'b0;
      b_sdel_q   <= 1'b0;
      b_sidx_q   <= '0;
      b_q        <= '0;
      b_sig_q    <= '0;
      for (int unsigned t = 0; t < Tables; t++) b_idx[t] <= '0;
      wb_valid_q <= 1'b0;
      wb_t_q     <= '0;
      wb_idx_q   <= '0;
      wb_data_q  <= '0;
    end else begin
      b_valid_q   <= a_fire;
      b_q.op      <= a_op_i;
      b_q.kind    <= K_MISS;
      b_q.slot    <= a_op_i[1] ? a_slot_i : '0;
      b_q.outbound <= a_outbound_i;
      b_q.tcp     <= a_tcp_i;
      b_q.len     <= a_len_i;
      b_q.learn   <= a_learn_i && !a_probe_i && a_op_i == 2'd0;
      b_q.probe   <= a_probe_i;
      b_q.rule_id <= a_rule_id_i;
      b_q.gen     <= a_gen_i;
      b_q.now     <= a_now_i;
      b_q.ent     <= a_op_i != 2'd0 ? a_data_i : {{(EntW - KeyW){1'b0}}, a_key_i};
      b_sig_q     <= a_h2;
      for (int unsigned t = 0; t < Tables; t++) b_idx[t] <= a_idx[t];
      wb_valid_q  <= w_en;
      wb_t_q      <= w_t;
      wb_idx_q    <= w_idx;
      wb_data_q   <= w_data;
      b_int_q     <= a_int;
      b_sdel_q    <= a_sdel;
      b_sidx_q    <= a_sdel ? sd_sidx : sc_fi;
      if (a_int) begin
        b_q.op    <= 2'd0;
        b_q.slot  <= a_islot;
        b_q.learn <= 1'b0;
        b_q.probe <= 1'b0;
        b_q.now   <= age_now_i;
        b_q.ent   <= sd_ent;
      end
    end
  end

  // ---- stage B: signatures, placement, per-NIC limit -------------------------------------------
  logic [BktW-1:0]   bkt [Tables];
  logic [Tables-1:0] full;
  logic [WW-1:0]     freew [Tables];
  logic [5:0]        cnt [Tables];
  logic [5:0]        best;
  logic [1:0]        nmatch;               // 0, 1, 2 = several
  logic [1:0]        m_t, ins_t;
  logic [WW-1:0]     m_way;
  logic [VW-1:0]     b_vp;
  logic              b_dir;
  logic [LimW-1:0]   lim_cnt [NCnt];     // the S5 counter of {vport, direction}
  logic [VW:0]       b_ci;                 //   the one the request in B names
  logic              b_vp_ok;
  logic [1:0]        s_t;                  // management op: the slot's table and way
  logic [WW-1:0]     s_way;
  logic              m_valid, b_del, b_pv, x_del;
  logic [Ways-1:0]   m_vmask;
  logic [LimW-1:0]   used_q;
  rq_t               b_push;

  assign b_vp    = VW'(b_q.ent[nsgnic_abi_pkg::FLOW_VPORT_LSB +: 8]);
  assign b_vp_ok = 32'(b_q.ent[nsgnic_abi_pkg::FLOW_VPORT_LSB +: 8]) < Vports;
  // a delete's counter is named by the entry it is given (INIT_OUTBOUND), a packet's by its own
  // direction
  assign b_dir = (b_q.op == 2'd3 || b_int_q) ? b_q.ent[nsgnic_abi_pkg::FLOW_INIT_OUTBOUND_LSB] : b_q.outbound;
  assign b_ci  = {b_vp, b_dir};
  assign s_t   = b_q.slot[SlotW-1 -: 2];
  assign s_way = b_q.slot[WW-1:0];

  always_comb begin
    nmatch = '0;
    m_t    = '0;
    m_way  = '0;
    for (int t = Tables - 1; t >= 0; t--) begin
      bkt[t]   = (wb_valid_q && wb_t_q == 2'(t) && wb_idx_q == b_idx[t]) ? wb_data_q : rd_q[t];
      cnt[t]   = '0;
      freew[t] = '0;
      full[t]  = 1'b1;
    end
`ifdef VERILATOR
    // simulation speed only: with nothing in B every result below is unused (no push, no write)
    if (b_valid_q || b_int_q)
`endif
    for (int t = Tables - 1; t >= 0; t--) begin
      for (int w = Ways - 1; w >= 0; w--) begin
        if (!bkt[t][w*SE + SigW]) begin freew[t] = WW'(w); full[t] = 1'b0; end
        cnt[t] = cnt[t] + 6'(bkt[t][w*SE + SigW]);
      end
    end
`ifdef VERILATOR
    if (b_valid_q || b_int_q)
`endif
    for (int t = 0; t < Tables; t++) begin
      for (int w = 0; w < Ways; w++) begin
        if (bkt[t][w*SE + SigW] && bkt[t][w*SE +: SigW] == b_sig_q) begin
          if (nmatch == 2'd0) begin m_t = 2'(t); m_way = WW'(w); end
          nmatch = (nmatch == 2'd0) ? 2'd1 : 2'd2;
        end
      end
    end
    ins_t = '0;
    best  = 6'(Ways);
    for (int t = Tables - 1; t >= 0; t--) begin
      if (!full[t] && cnt[t] <= best) begin ins_t = 2'(t); best = cnt[t]; end
    end
  end
  // the decision (a block of its own: with Front it reads the cache's B, which reads f_clearn_o)
  logic b_lim_bad;   // S5: the NIC's counter at its limit (or a vport without a counter)
  assign b_lim_bad = !b_vp_ok || lim_cnt[b_ci] >= limit_i;
  always_comb begin
    b_push = b_q;
    w_en   = 1'b0;
    w_t    = ins_t;
    w_idx  = b_idx[ins_t];
    w_data = bkt[ins_t];
    m_valid = bkt[s_t][s_way*SE + SigW];
    for (int w = 0; w < Ways; w++) m_vmask[w] = bkt[s_t][w*SE + SigW];
    b_del  = 1'b0;
    b_pv   = b_valid_q;
    x_del  = 1'b0;
    if (b_int_q) begin
      b_pv = 1'b0;
      if (b_sdel_q) begin
        // aging delete: only when nothing touched the slot since the scan read it
        if (m_valid && !sc_dirty_q[b_sidx_q]) begin
          x_del  = 1'b1;
          b_del  = 1'b1;
          w_en   = 1'b1;
          w_t    = s_t;
          w_idx  = b_idx[s_t];
          w_data = bkt[s_t];
          w_data[s_way*SE + SigW] = 1'b0;
        end
      end else begin
        // aging scan: a slot holding a flow gets its DRAM read (the watch entry in ent)
        b_push.kind = K_SCAN;
        b_push.ent  = '0;
        b_push.ent[SW-1:0] = b_sidx_q;
        b_pv = m_valid;
      end
    end else if (b_q.op[1]) begin
      // management: read / delete slot b_q.slot; the bucket's valid bits and the slot's valid bit
      // travel in the top of the entry field to resolve (ent keeps the key below for the counter)
      b_push.kind = !m_valid ? K_MFREE : b_q.op[0] ? K_MDEL : K_MREAD;
      b_push.ent[EntW-1 -: Ways] = m_vmask;
      b_push.ent[EntW-Ways-1]    = m_valid;
      if (b_q.op[0] && m_valid) begin
        b_del  = b_valid_q;
        w_en   = b_valid_q;
        w_t    = s_t;
        w_idx  = b_idx[s_t];
        w_data = bkt[s_t];
        w_data[s_way*SE + SigW] = 1'b0;
      end
    end else if (Front != 0 && f_chit_i) begin
      b_push.kind = K_CHIT;        // the cache's: nothing here (a flow is in one place only)
    end else if (nmatch == 2'd2) begin
      b_push.kind = K_MULTI;
    end else if (nmatch == 2'd1) begin
      b_push.kind = K_LOOK;
      b_push.slot = {m_t, b_idx[m_t], m_way};
    end else if (!b_q.learn) begin
      b_push.kind = K_MISS;
    end else if (Front != 0 && b_lim_bad) begin
      b_push.kind = K_LIMIT;       // the limit holds for both levels
    end else if (Front != 0 && f_croom_i) begin
      b_push.kind = K_CLEARN;      // learned in the cache, counted here
    end else if (&full) begin
      b_push.kind = K_FULL;
    end else if (b_lim_bad) begin
      b_push.kind = K_LIMIT;
    end else begin
      b_push.kind = K_LEARN;
      b_push.slot = {ins_t, b_idx[ins_t], freew[ins_t]};
      w_en = b_valid_q;
      w_data[freew[ins_t]*SE +: SE] = {1'b1, b_sig_q};
    end
  end

  assign f_clearn_o = Front != 0 && b_valid_q && !b_int_q && b_push.kind == K_CLEARN;

  // the counters: an array (a RAM with one read and one write port; Front: a second port for the
  // cache's deletes), cleared by the reset sweep. B: a learn (DRAM or, Front, the cache) counts,
  // a delete of a slot drops its NIC's counter (S5), never below 0.
  logic           cb_inc, cb_dec, cd_en;
  logic [VW:0]    cd_ci;
  logic [LimW-1:0] cb_val, cd_val;
  always_comb begin
    cb_inc = !b_del && (w_en || f_clearn_o);
    cb_dec = b_del && b_vp_ok && lim_cnt[b_ci] != '0;
    cd_ci  = {VW'(f_dec_entry_i[nsgnic_abi_pkg::FLOW_VPORT_LSB +: 8]),
              f_dec_entry_i[nsgnic_abi_pkg::FLOW_INIT_OUTBOUND_LSB]};
    cd_en  = Front != 0 && f_dec_i && 32'(f_dec_entry_i[nsgnic_abi_pkg::FLOW_VPORT_LSB +: 8]) < Vports;
    cb_val = lim_cnt[b_ci] + LimW'(cb_inc) - LimW'(cb_dec);
    cd_val = lim_cnt[cd_ci];
    if (cd_en && (cb_inc || cb_dec) && cd_ci == b_ci) begin
      if (cb_val != '0) cb_val = cb_val - 1'b1;   // both on one counter: one write
    end else if (cd_en && cd_val != '0) begin
      cd_val = cd_val - 1'b1;
    end
  end
  always_ff @(posedge clk_i) begin
    if (init_q) begin
      if (32'(init_idx_q) < NCnt) lim_cnt[init_idx_q[VW:0]] <= '0;
    end else begin
      if (cb_inc || cb_dec) lim_cnt[b_ci] <= cb_val;
      if (cd_en && !((cb_inc || cb_dec) && cd_ci == b_ci)) lim_cnt[cd_ci] <= cd_val;
    end
  end
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      used_q <= '0;
    end else if (b_del) begin
      used_q <= used_q - 1'b1;
    end else if (w_en) begin
      used_q <= used_q + 1'b1;
    end
  end
  assign used_o = used_q;

  // ---- in-order buffer and read-address queue --------------------------------------------------
  rq_t          hd;
  logic         unused_q_full, unused_ar_full, unused_bt_full, unused_rc_full;
  logic [DW:0]  unused_rc_count;
  logic [2:0]   unused_wq_count;
  logic [DW:0]  unused_bt_count;
  logic         q_empty, q_pop;
  logic [QW:0]  q_count;
  logic [RqW-1:0] hd_bits;
  logic         ar_empty, ar_pop;
  logic [$clog2(ArD):0] ar_count;
  logic [SlotW-1:0] ar_slot;
  sync_fifo #(.Width(RqW), .Depth(Depth)) u_q (
    .clk_i, .rst_ni, .push_i(b_pv), .wdata_i(b_push), .pop_i(q_pop), .rdata_o(hd_bits),
    .empty_o(q_empty), .full_o(unused_q_full), .count_o(q_count));
  assign hd = hd_bits;
  sync_fifo #(.Width(SlotW), .Depth(ArD)) u_ar (
    .clk_i, .rst_ni, .push_i(b_pv && reads_dram(b_push.kind)),
    .wdata_i(b_push.slot),
    .pop_i(ar_pop), .rdata_o(ar_slot), .empty_o(ar_empty), .full_o(unused_ar_full), .count_o(ar_count));
  assign ar_pop        = m_axi_arvalid && m_axi_arready;
  assign m_axi_arvalid = !ar_empty;
  assign m_axi_araddr  = AddrW'(BaseAddr) + AddrW'({ar_slot, 6'b0});
  assign m_axi_arlen   = 8'd0;
  assign m_axi_arsize  = 3'd6;
  assign m_axi_arburst = 2'd1;
  assign m_axi_arid    = 1'b0;
  // room for the request in A, the one in B and the new one
  assign room = !init_q && 32'(q_count) + 32'(b_valid_q || b_int_q) + 1 < Depth &&
                32'(ar_count) + 32'(b_valid_q || b_int_q) < ArD - 1;
  assign a_ready_o = room;
  assign init_o    = init_q;

  // ---- recent-write table ------------------------------------------------------------------------
  // Entry i: dbt_v (in the CAM: the newest write of slot dbt_a); allocated (busy) while its write
  // is not acknowledged, or acknowledged while reads issued before that were still unresolved.
  // Writes are acknowledged in order (AWID 0), so acknowledged entries wait in one FIFO (u_rc,
  // with the read count at the acknowledgement) and only its head is compared. Entries are
  // allocated in write order and freed in acknowledgement order, which is the same: the busy
  // entries form a ring (dbt_fi the next to allocate, dbt_n how many are busy), so allocation
  // needs no search over the table.
  logic [Dbt-1:0]   dbt_v;
  logic [DW:0]      dbt_n;
  logic [SlotW-1:0] dbt_a   [Dbt];
  logic [EntW-1:0]  dbt_d   [Dbt];
  logic [31:0]      ar_cnt_q, rd_cnt_q;
  logic             dbt_hit, dbt_any;
  logic [DW-1:0]    dbt_hi, dbt_fi;      // CAM hit; the next entry to allocate
  logic [DW:0]      wr_out_q;            // writes pushed, not yet acknowledged
  logic             rc_empty, rc_pop;
  logic [DW+31:0]   rc_hd;
  logic [31:0]      dbt_age;              // reads resolved since the head's acknowledgement

  assign dbt_any = 32'(dbt_n) < Dbt;
  logic [DW-1:0]    dbt_j;
  always_comb begin
    dbt_hit = 1'b0;
    dbt_hi  = '0;
    dbt_j   = '0;
`ifdef VERILATOR
    // simulation speed only: the CAM's answer is used only when the head can resolve (a request
    // that reads DRAM, once its data is there), and a valid entry is always one of the dbt_n
    // busy ones, the ring behind dbt_fi (at most one entry per slot is valid: any order finds it)
    if (!q_empty && (!reads_dram(hd.kind) || m_axi_rvalid))
      for (int k = 0; k < 32'(dbt_n); k++) begin
        dbt_j = dbt_fi - DW'(k) - 1'b1;
        if (dbt_v[dbt_j] && dbt_a[dbt_j] == hd.slot) begin dbt_hit = 1'b1; dbt_hi = dbt_j; end
      end
`else
    for (int i = Dbt - 1; i >= 0; i--) begin
      if (dbt_v[i] && dbt_a[i] == hd.slot) begin dbt_hit = 1'b1; dbt_hi = DW'(i); end
    end
`endif
    dbt_age = rd_cnt_q - rc_hd[31:0];
    rc_pop = !rc_empty && !dbt_age[31];
  end

  // ---- write queue and acknowledgement tracking ------------------------------------------------
  logic             wq_push, wq_empty, wq_full, wq_pop;
  logic [SlotW+EntW+DW-1:0] wq_in, wq_hd;
  logic             aw_done_q, w_done_q;
  logic             bt_empty;
  logic [DW-1:0]    bt_idx;
  sync_fifo #(.Width(SlotW + EntW + DW), .Depth(4)) u_wq (
    .clk_i, .rst_ni, .push_i(wq_push), .wdata_i(wq_in), .pop_i(wq_pop), .rdata_o(wq_hd),
    .empty_o(wq_empty), .full_o(wq_full), .count_o(unused_wq_count));
  sync_fifo #(.Width(DW), .Depth(Dbt)) u_bt (
    .clk_i, .rst_ni, .push_i(wq_pop), .wdata_i(wq_hd[DW-1:0]), .pop_i(m_axi_bvalid),
    .rdata_o(bt_idx), .empty_o(bt_empty), .full_o(unused_bt_full),
    .count_o(unused_bt_count));
  sync_fifo #(.Width(DW + 32), .Depth(Dbt)) u_rc (
    .clk_i, .rst_ni, .push_i(m_axi_bvalid), .wdata_i({bt_idx, ar_cnt_q + 32'(ar_pop)}),
    .pop_i(rc_pop), .rdata_o(rc_hd), .empty_o(rc_empty), .full_o(unused_rc_full),
    .count_o(unused_rc_count));
  assign m_axi_awvalid = !wq_empty && !aw_done_q;
  assign m_axi_wvalid  = !wq_empty && !w_done_q;
  assign m_axi_awaddr  = AddrW'(BaseAddr) + AddrW'({wq_hd[DW + EntW +: SlotW], 6'b0});
  assign m_axi_awlen   = 8'd0;
  assign m_axi_awsize  = 3'd6;
  assign m_axi_awburst = 2'd1;
  assign m_axi_awid    = 1'b0;
  assign m_axi_wdata   = wq_hd[DW +: EntW];
  assign m_axi_wstrb   = '1;
  assign m_axi_wlast   = 1'b1;
  assign m_axi_bready  = 1'b1;
  assign wq_pop = !wq_empty && (aw_done_q || m_axi_awready) && (w_done_q || m_axi_wready);

  // ---- resolve ----------------------------------------------------------------------------------
  // A write needs a free table entry and fewer than WrMax = Dbt - Depth writes unacknowledged:
  // then at most (Depth - 1) + WrMax entries are busy (those written after the oldest unresolved
  // read was issued, and those still in flight then), so a free one always comes: no deadlock.
  logic            mg, need_r, go, out_free, keq, hit, learned, full_r, limit_r, collide, wr, wr_ok;
  logic [EntW-1:0] cur, nent;
  assign mg       = hd.kind == K_MREAD || hd.kind == K_MDEL || hd.kind == K_MFREE;
  logic            h_scan, h_exp;
  assign h_scan   = hd.kind == K_SCAN;
  assign need_r   = reads_dram(hd.kind);
  assign out_free = !c_valid_o || c_ready_i;
  assign wr_ok    = dbt_any && 32'(wr_out_q) < Dbt - Depth && !wq_full;
  assign go       = !q_empty && (!need_r || m_axi_rvalid) && (out_free || h_scan) && (!wr || wr_ok);
  assign q_pop    = go;
  assign m_axi_rready = go && need_r;
  // Fail closed on a read answered with an error (RRESP not OKAY, a bad RID / RLAST: a DDR
  // controller's uncorrectable ECC error, a decode error): its data is not used, not even the
  // recent-write table's. A lookup is refused (the packet punted to the host, FLOW_FULL, and
  // counted as a learn failure; the entry not updated), a scan keeps the flow (the next pass
  // decides), a management read or delete answers an all-zero entry (VALID 0).
  logic r_bad, bad;
  assign r_bad = m_axi_rresp != 2'd0 || !m_axi_rlast || m_axi_rid;
  assign bad   = need_r && r_bad;

  always_comb begin
    cur     = bad ? '0 : dbt_hit ? dbt_d[dbt_hi] : m_axi_rdata;
    keq     = hd.kind == K_LOOK && cur[VL] && cur[KeyW-1:0] == hd.ent[KeyW-1:0];
    hit     = mg ? hd.ent[EntW-Ways-1] && !bad : keq;
    learned = hd.kind == K_LEARN;
    full_r  = hd.kind == K_FULL;
    limit_r = hd.kind == K_LIMIT;
    collide = hd.kind == K_MULTI || (need_r && !keq && hd.learn) || (bad && hd.kind == K_LOOK);
    nent    = cur;
    wr      = 1'b0;
    if (learned) begin
      nent = '0;
      nent[KeyW-1:0] = hd.ent[KeyW-1:0];
      nent[VL] = 1'b1;
      nent[nsgnic_abi_pkg::FLOW_ACTION_LSB +: 2] = 2'(nsgnic_abi_pkg::ACTION_ALLOW);
      nent[nsgnic_abi_pkg::FLOW_INIT_OUTBOUND_LSB] = hd.outbound;
      nent[nsgnic_abi_pkg::FLOW_GEN_LSB +: 8] = hd.gen;
      nent[nsgnic_abi_pkg::FLOW_RULE_ID_LSB +: 16] = hd.rule_id;
      nent = touch(nent, hd.outbound, hd.tcp, hd.len, hd.now);
      wr   = 1'b1;
    end else if (hd.kind == K_MFREE) begin
      nent = '0;                       // a free slot: no DRAM read, an empty entry
    end else if (mg) begin
      nent[VL] = hd.ent[EntW-Ways-1] && !bad;  // the directory says whether the slot holds a flow
    end else if (hit && hd.op == 2'd1) begin
      nent = hd.ent;
      wr   = 1'b1;
    end else if (hit && !hd.probe) begin
      nent = touch(cur, hd.outbound, hd.tcp, hd.len, hd.now);
      wr   = 1'b1;
    end
  end
  assign wq_push = go && wr;
  assign err_ev_o = (m_axi_rready && r_bad) ||
                    (m_axi_bvalid && (m_axi_bresp != 2'd0 || m_axi_bid || bt_empty));
  assign h_exp   = nsgnic_flow_age_pkg::flow_age_expired(cur, hd.now, age_to_i,
                                                         est_q[cur[nsgnic_abi_pkg::FLOW_VPORT_LSB +: 8]]);
  assign wq_in   = {hd.slot, nent, dbt_fi};

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      dbt_v     <= '0;
      dbt_n     <= '0;
      dbt_fi    <= '0;
      wr_out_q  <= '0;
      ar_cnt_q  <= '0;
      rd_cnt_q  <= '0;
      aw_done_q <= 1'b0;
      w_done_q  <= 1'b0;
      err_o     <= 1'b0;
      c_valid_o <= 1'b0;
      c_hit_o   <= 1'b0;
      c_learned_o <= 1'b0;
      c_full_o  <= 1'b0;
      c_limit_o <= 1'b0;
      c_collide_o <= 1'b0;
      c_action_o  <= '0;
      c_rule_id_o <= '0;
      c_slot_o  <= '0;
    end else begin
      if (ar_pop) ar_cnt_q <= ar_cnt_q + 32'd1;
      if (m_axi_rready) rd_cnt_q <= rd_cnt_q + 32'd1;
      wr_out_q <= wr_out_q + (DW+1)'(wq_push) - (DW+1)'(m_axi_bvalid && !bt_empty);
      // every read issued before the acknowledgement resolved: DRAM is current for all readers
      if (rc_pop) dbt_v[rc_hd[DW+31:32]] <= 1'b0;   // the ring's oldest entry is freed
      if (wq_push) begin
        if (dbt_hit) dbt_v[dbt_hi] <= 1'b0;   // the older write of the slot leaves the CAM
        dbt_v[dbt_fi] <= 1'b1;
        dbt_fi        <= dbt_fi + 1'b1;
      end
      dbt_n <= dbt_n + (DW+1)'(wq_push) - (DW+1)'(rc_pop);
      if (wq_pop) begin
        aw_done_q <= 1'b0;
        w_done_q  <= 1'b0;
      end else begin
        if (m_axi_awvalid && m_axi_awready) aw_done_q <= 1'b1;
        if (m_axi_wvalid && m_axi_wready) w_done_q <= 1'b1;
      end
      if (err_ev_o ||
          (Front != 0 && a_valid_i && !room))   // Front: the caller's credit was not kept
        err_o <= 1'b1;
      if (out_free) c_valid_o <= go && !h_scan;
      if (go && !h_scan) begin
        c_hit_o     <= hit;
        c_learned_o <= learned;
        c_full_o    <= full_r;
        c_limit_o   <= limit_r;
        c_collide_o <= collide;
        c_action_o  <= nent[nsgnic_abi_pkg::FLOW_ACTION_LSB +: 2];
        c_rule_id_o <= nent[nsgnic_abi_pkg::FLOW_RULE_ID_LSB +: 16];
        c_slot_o    <= hd.slot;
      end
    end
  end
  // entry data and slot: no reset (read only while dbt_v says so)
  always_ff @(posedge clk_i) begin
    if (wq_push) begin
      dbt_d[dbt_fi] <= nent;
      dbt_a[dbt_fi] <= hd.slot;
    end
    if (go && !h_scan) c_entry_o <= (hit || learned || mg) ? nent : '0;
    if (go && !h_scan) c_vmask_o <= mg ? hd.ent[EntW-1 -: Ways] : '0;
  end

  // ---- aging: per-vport established timeouts, watch entries, delete queue, reports ------------
  logic [15:0] est_q [256];   // no reset: the firmware writes every vport's at boot (as the cache)
  always_ff @(posedge clk_i) begin
    if (age_est_we_i) est_q[age_est_vport_i] <= age_est_to_i;
  end

  logic [ScanMax-1:0] sc_busy_q, sc_dirty_q;
  logic [SlotW-1:0]   sc_slot_q [ScanMax];
  logic               sd_push, unused_sd_full;
  logic [SW:0]        unused_sd_count;
  logic [SlotW+EntW+SW-1:0] sd_hd;
  logic               b_ev;      // B updates, fills or deletes slot b_push.slot (a watch event)
  always_comb begin
    sc_free = 1'b0;
    sc_fi   = '0;
`ifdef VERILATOR
    // simulation speed only: a free watch entry is looked for only where a scan may issue
    if (age_en_i && !a_valid_i)
`endif
    for (int i = ScanMax - 1; i >= 0; i--)
      if (!sc_busy_q[i]) begin sc_free = 1'b1; sc_fi = SW'(i); end
  end
  assign b_ev = b_valid_q && ((b_push.kind == K_LOOK && !b_q.probe) || b_push.kind == K_LEARN ||
                              (b_push.kind == K_MDEL && m_valid));
  assign sd_push = go && h_scan && h_exp;
  sync_fifo #(.Width(SlotW + EntW + SW), .Depth(ScanMax)) u_sd (
    .clk_i, .rst_ni, .push_i(sd_push), .wdata_i({hd.slot, cur, hd.ent[SW-1:0]}), .pop_i(a_sdel),
    .rdata_o(sd_hd), .empty_o(sd_empty), .full_o(unused_sd_full), .count_o(unused_sd_count));
  assign sd_slot = sd_hd[SW + EntW +: SlotW];
  assign sd_ent  = sd_hd[SW +: EntW];
  assign sd_sidx = sd_hd[SW-1:0];

  // Free slots are skipped: a scan's B sees its bucket's valid bits, so the position (already
  // one or two slots further in A) jumps to the bucket's next valid way after the scanned one, or
  // to the next bucket when there is none. A pass then costs about one clock per flow plus two
  // per bucket (empty buckets: 2 clocks instead of Ways). Ways learned after that B are left to
  // the next pass, like any flow learned behind the position.
  logic [SlotW-1:0] sk_nxt, sk_to;
  logic [WW-1:0]    sk_w;
  logic             sk_any, sk_jump, sk_jump_wrap;
  always_comb begin
    sk_nxt = (a_scan ? scan_q + 1'b1 : scan_q);
    sk_any = 1'b0;
    sk_w   = '0;
    for (int w = Ways - 1; w >= 0; w--)
      if (m_vmask[w] && WW'(w) > b_q.slot[WW-1:0]) begin sk_any = 1'b1; sk_w = WW'(w); end
    sk_to = sk_any ? {b_q.slot[SlotW-1:WW], sk_w} : {b_q.slot[SlotW-1:WW] + 1'b1, {WW{1'b0}}};
    // only forwards, only while the position is still in the scanned bucket (not after a wrap)
    sk_jump = b_int_q && !b_sdel_q && sk_nxt[SlotW-1:WW] == b_q.slot[SlotW-1:WW] &&
              !(a_scan && scan_q == '1) && (!sk_any || sk_nxt[WW-1:0] < sk_w);
    sk_jump_wrap = sk_jump && !sk_any && b_q.slot[SlotW-1:WW] == '1;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      sc_busy_q  <= '0;
      sc_dirty_q <= '0;
      scan_q     <= '0;
      age_wrap_o <= 1'b0;
    end else begin
      age_wrap_o <= (a_scan && scan_q == '1) || sk_jump_wrap;
      if (sk_jump) scan_q <= sk_to;
      else if (a_scan) scan_q <= scan_q + 1'b1;
      if (a_scan) sc_busy_q[sc_fi] <= 1'b1;
      if (b_ev)
        for (int i = 0; i < ScanMax; i++)
          if (sc_busy_q[i] && sc_slot_q[i] == b_push.slot) sc_dirty_q[i] <= 1'b1;
      if (b_int_q && !b_sdel_q) begin
        sc_dirty_q[b_sidx_q] <= 1'b0;               // the watch starts after the scan's B
        if (!m_valid) sc_busy_q[b_sidx_q] <= 1'b0;  // a free slot: nothing to read
      end
      if (b_int_q && b_sdel_q) sc_busy_q[b_sidx_q] <= 1'b0;
      if (go && h_scan && !h_exp) sc_busy_q[hd.ent[SW-1:0]] <= 1'b0;
    end
  end
  always_ff @(posedge clk_i) begin
    if (a_scan) sc_slot_q[sc_fi] <= scan_q;
  end
  assign x_valid_o = x_del;
  assign x_slot_o  = b_q.slot;
  assign x_entry_o = b_q.ent;
endmodule

`default_nettype wire
