// SPDX-License-Identifier: Apache-2.0
// Datapath testbench: programs random tables through the CSR bus (bank 0), sends random traffic
// (flows in both directions, back-to-back request/reply, malformed, oversize and multi-beat
// frames, unbound ports) with random input gaps and output back-pressure, writes a second rule
// set into the shadow bank while traffic runs and flips the bank, deletes/reads flow entries
// through the CSR bus; ICMP / ICMPv6 errors (S5 RELATED) about learned flows in both directions,
// about unknown tuples and with truncated or insane embedded headers
// through the CSR bus; every verdict is compared with the C model (dp_model.c), every allowed
// frame byte for byte, exceptions with the queue's metadata, counters at the end. The shadow
// bank's bindings differ (NIC NSG swapped, NSGs attached/detached, local labels): the binding
// table is banked, so packets read the attachments of the bank their keys carry.
// Usage: tb_datapath [packets] [seed] [options]
//   --bp P      output not ready with probability P (default 0.3)
//   --idle P    input gap with probability P (default 0.2)
//   --bench M   throughput run (hit | miss | mixed | bp | fill), prints figures, no gaps
//   --image F   program the tables of a compiled image (nsgnic compile -o F) instead of random
//               ones; traffic between the image's NICs and remote addresses. First half with
//               learning off: every verdict is also compared with the compiler's bit-exact
//               tables model (nsg_tables_verify: allow/deny and deciding rule); second half
//               with learning on (flow cache) against dp_model only
//   --dram LO HI  (models built with FlowDram=1) DRAM read/write latency range of the AXI DRAM
//               model behind the flow tier (default 100 400); random AXI ready; the tier's
//               verdicts against dp_model + the DRAM tier's reference (ref_flow_dram.c)
//   --limit N   (FlowDram=1) CSR_FLOW_LIMIT = N: the S5 flows per NIC and direction; the run
//               must refuse some NIC's flow past N (punted FLOW_FULL, counted as a learn
//               failure) while other NICs keep learning
// Models built with LabelCtx=1 (per-vport label contexts) run the random traffic on random label
// contexts instead of the label TCAM's labels: per bank, random contexts with random prefix sets
// per family (nested, /0, host prefixes) whose rows carry two independent random label vectors
// (subnet NSG, NIC NSG), vports bound to contexts (BINDING.LABEL_CTX), the local-address table
// in the label TCAM; the trees are built by the host's builder (hostlib lpm.c) and written
// through CSR_LPM_SEL / CSR_LPM_DATA; the model's reference is a linear longest-prefix search
// (dp_model.c). The shadow bank is rewritten under traffic twice (flip to bank 1, then bank 0).
//   --fault F   (LabelCtx) program the hardware wrongly, the model rightly: F = swap (rows with
//               LABELS_SUBNET and LABELS_NIC swapped) or ctx (bindings name the next context);
//               the run must fail (a test that the check can fail)
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "Vdatapath.h"
#include "dp_model.h"
#include "nsgnic/abi.h"
#include "ref_parse.h"
#include "verilated.h"
#include "vl_bits.h"
#ifndef TB_FLOWDRAM
#define TB_FLOWDRAM 0
#endif
#ifndef TB_FLOWFRONT
#define TB_FLOWFRONT 0  // 1 (with TB_FLOWDRAM): the cache in front of the tier (datapath FlowFront)
#endif
#ifndef TB_LABELLPM
#define TB_LABELLPM 0  // 1: the label stage is the block-RAM trees (--image only)
#endif
#ifndef TB_LABELCTX
#define TB_LABELCTX 0  // 1: per-vport label contexts (trees keyed by BINDING.LABEL_CTX, LPM_ROW rows)
#endif
#if TB_FLOWDRAM
#include "axi_dram_vl.h"
#include "ref_flow_dram.h"
#endif

#include <arpa/inet.h>
extern "C" {
#include "nsgnic/nsgnic.h"
#include "tables.h"  // hostlib private: the compiled tables, as the image holds them
#if TB_LABELLPM
#include "label_lpm.h"
#include "lpm.h"
#endif
}

static uint64_t rs = 0x853c49e6748fea9bull;
static uint32_t rnd(void)
{
  rs ^= rs << 13;
  rs ^= rs >> 7;
  rs ^= rs << 17;
  return (uint32_t)(rs >> 11);
}
static double frand(void) { return (rnd() & 0xffffff) / 16777216.0; }

enum { BEAT = 64, HDR = 128 };

struct Pkt {
  std::vector<uint8_t> b;
  unsigned port;
};
struct Exp {
  dp_result r;
  Pkt p;
};

struct Tb {
  Vdatapath *m = nullptr;
  dp_model model;
  uint64_t cyc = 0;
  double bp_p = 0.3, idle_p = 0.2;
  std::deque<Pkt> txq;
  Pkt cur;
  size_t off = 0;
  bool have = false;
  std::deque<Exp> exp_mon, exp_fwd, exp_punt;
  // park slots: punted packets by slot (from the park monitor), the ones whose meta was read
  // (releasable), released-forward expectations in release order
  std::map<unsigned, Exp> parked;
  std::vector<unsigned> releasable;
  struct Rel { Pkt p; unsigned port, slot; };
  std::deque<Rel> exp_rel;
  long rel_fwd = 0, rel_drop = 0, rel_out = 0, exq_full = 0;
  std::vector<uint8_t> obuf;
  long errors = 0, results = 0, forwarded = 0, sent = 0, punts_seen = 0;
  long hits = 0, learned = 0, related = 0, reasons[NSGNIC_REASON_CODES] = {0};
  // latency / throughput bookkeeping
  std::deque<uint64_t> t_accept;
  uint64_t lat_min = ~0ull, lat_max = 0, first_acc = 0, last_acc = 0, acc = 0;
  uint64_t ready_cycles = 0, out_pkts = 0;
#if TB_FLOWDRAM
  axi_dram *dram = nullptr;
  ref_flow_dram rfd;
  int rfd_ovf = 0;          // the tier's overflow flag (flow_tier.sv)
  long dram_learns = 0, dram_hits = 0, dram_refused = 0, dup_learn = 0;
  long dram_limit = 0, learn_after_limit = 0;  // S5 limit refusals; other NICs' learns after one
  long dram_reads = 0, dram_deletes = 0;        // management through the CSR bus
  long cache_learns = 0, cache_uncounted = 0;   // FlowFront: learned in the cache; counted deletes
  unsigned limit_vport = ~0u;                   // the NIC of the first limit refusal
  std::map<std::vector<uint32_t>, int> learned_keys;  // back-to-back packets of a new flow learn once
#endif
  // CSR request for the next clock
  bool c_req = false, c_we = false;
  uint32_t c_addr = 0, c_wdata = 0;

  bool mute = false;  // count failures without printing them
  void fail(const char *what)
  {
    if (errors++ < 20 && !mute) printf("cycle %llu: %s\n", (unsigned long long)cyc, what);
  }

  void tick()
  {
    // inputs for this clock
    if (!have && !txq.empty()) {
      cur = txq.front();
      txq.pop_front();
      off = 0;
      have = true;
    }
    bool drive = have && frand() >= idle_p;
    m->s_axis_tvalid = drive;
    if (drive) {
      uint32_t w[16];
      uint8_t beat[BEAT];
      size_t n = cur.b.size() > off ? cur.b.size() - off : 0;
      if (n > BEAT) n = BEAT;
      for (size_t i = 0; i < BEAT; i++) beat[i] = i < n ? cur.b[off + i] : (uint8_t)rnd();
      memcpy(w, beat, sizeof w);
      tb::put(m->s_axis_tdata, w, 0, 512);
      m->s_axis_tkeep = n >= 64 ? ~0ull : ((1ull << n) - 1);
      m->s_axis_tlast = off + BEAT >= cur.b.size();
      m->s_axis_tuser = cur.port;
    }
    bool ready_out = frand() >= bp_p;
    m->m_axis_tready = ready_out;
    m->s_csr_req_i = c_req;
    m->s_csr_we_i = c_we;
    m->s_csr_addr_i = c_addr;
    m->s_csr_wdata_i = c_wdata;
    c_req = false;
#if TB_FLOWDRAM
    TB_AXI_DRAM_DRIVE(m, m_axi_flow_, dram);
#endif
    m->clk_i = 0;
    m->eval();

    // observe this clock (before the edge)
    if (drive && m->s_axis_tready) {
      if (m->s_axis_tlast) {
        Exp e;
        dp_model_packet(&model, cur.b.data(), cur.b.size(), cur.port, &e.r);
        dram_resolve(e.r);
        e.p = cur;
        exp_mon.push_back(e);
        if (e.r.action == NSGNIC_ACTION_ALLOW) exp_fwd.push_back(e);
        if (e.r.action == NSGNIC_ACTION_PUNT) exp_punt.push_back(e);
        have = false;
        sent++;
        t_accept.push_back(cyc);
        if (!acc++) first_acc = cyc;
        last_acc = cyc;
      } else {
        off += BEAT;
      }
    }
    if (m->mon_valid_o) check_mon();
    if (m->mon_park_valid_o) check_park();
    if (ready_out) ready_cycles++;
    if (m->m_axis_tvalid && ready_out) check_out_beat();
#if TB_FLOWDRAM
    {
      bool ok;
      TB_AXI_DRAM_STEP(m, m_axi_flow_, dram, ok);
      if (!ok) fail("flow tier: AXI request not a single full 64-byte beat");
      if (m->flow_dram_err_o) fail("flow tier: error (AXI response or buffer overrun)");
    }
#endif

    m->clk_i = 1;
    m->eval();
    cyc++;
  }

  // FlowDram: a cache miss goes to the DRAM tier (flow_tier.sv), sequentially in arrival order
  void dram_resolve(dp_result &r)
  {
#if TB_FLOWDRAM
    if (!r.dram_req) return;
    ref_flow_dram_req q;
    ref_flow_dram_out o;
    memset(&q, 0, sizeof q);
    memcpy(q.key, r.fkey, sizeof r.fkey);
    q.outbound = r.outbound;
    q.learn = r.may_learn;
    q.probe = r.probe;
    q.rule_id = r.rule_id;
    q.front = TB_FLOWFRONT;
    q.croom = r.cache_room;
    memcpy(rfd.hkey, model.hkey, sizeof rfd.hkey);
    ref_flow_dram_request(&rfd, &q, &o);
    // a flow learned in either level: other NICs' learns after a limit refusal; learned once
    auto count_learn = [&]() {
      if (dram_limit && (unsigned)NSGNIC_GET(r.fkey, FLOW_VPORT) != limit_vport) learn_after_limit++;
      std::vector<uint32_t> k(r.fkey, r.fkey + 10);
      if (learned_keys[k]++) dup_learn++;
    };
    if (o.clearn) {  // FlowFront: no match in DRAM, the cache has room: learned there, counted
      dp_model_cache_learn(&model, &r);
      cache_learns++;
      count_learn();
    } else if (o.hit) {
      dram_hits++;
      r.flow_hit = 1;
      if (r.probe) {  // S5 RELATED: forwarded by an ALLOW flow, else the rules' verdict
        if (o.action == NSGNIC_ACTION_ALLOW) {
          r.related = 1;
          r.rule_id = o.rule_id;
          r.action = NSGNIC_ACTION_ALLOW;
          r.reason = NSGNIC_REASON_NONE;
        }
        return;
      }
      r.rule_id = o.rule_id;
      if (o.action == NSGNIC_ACTION_ALLOW) {
        r.action = NSGNIC_ACTION_ALLOW;
        r.reason = NSGNIC_REASON_NONE;
      } else if (o.action == NSGNIC_ACTION_DENY) {
        r.action = NSGNIC_ACTION_DENY;
        r.reason = NSGNIC_REASON_FLOW_DENY;
      } else {
        r.action = NSGNIC_ACTION_PUNT;
        r.reason = NSGNIC_REASON_FLOW_PUNT;
      }
    } else if (o.learned) {
      r.learned = 1;
      dram_learns++;
      count_learn();
    } else if (o.full || o.limit || o.collide) {  // S5 table full: new connections punted, counted
      dram_refused++;
      if (o.limit && !dram_limit++) limit_vport = (unsigned)NSGNIC_GET(r.fkey, FLOW_VPORT);
      rfd_ovf = 1;
      r.learn_fail = 1;
      r.action = NSGNIC_ACTION_PUNT;
      r.reason = NSGNIC_REASON_FLOW_FULL;
    } else if (rfd_ovf && r.action == NSGNIC_ACTION_DENY && r.reason != NSGNIC_REASON_PLATFORM_BLOCK) {
      r.action = NSGNIC_ACTION_PUNT;
      r.reason = NSGNIC_REASON_FLOW_OVF_DENY;
    }
#else
    (void)r;
#endif
  }

  void check_mon()
  {
    results++;
    if (!t_accept.empty()) {
      uint64_t l = cyc - t_accept.front();
      t_accept.pop_front();
      if (l < lat_min) lat_min = l;
      if (l > lat_max) lat_max = l;
    }
    if (exp_mon.empty()) {
      fail("verdict without a packet");
      return;
    }
    Exp e = exp_mon.front();
    exp_mon.pop_front();
    reasons[e.r.reason]++;
    hits += e.r.flow_hit;
    learned += e.r.learned;
    related += e.r.related;
    if (m->mon_action_o != e.r.action || m->mon_reason_o != e.r.reason ||
        m->mon_rule_id_o != e.r.rule_id || m->mon_flow_hit_o != e.r.flow_hit ||
        m->mon_learned_o != e.r.learned) {
      char s[200];
      snprintf(s, sizeof s,
               "packet %ld (port %03x len %zu): hw action %u reason %u rule %u hit %u learn %u; "
               "model %u %u %u %d %d",
               results - 1, e.p.port, e.p.b.size(), m->mon_action_o, m->mon_reason_o,
               m->mon_rule_id_o, m->mon_flow_hit_o, m->mon_learned_o, e.r.action, e.r.reason,
               e.r.rule_id, e.r.flow_hit, e.r.learned);
      fail(s);
    }
  }

  // one punted packet leaves the output engine: parked in a slot or dropped (EXQ_FULL)
  void check_park()
  {
    if (exp_punt.empty()) {
      fail("park monitor without a punted packet");
      return;
    }
    Exp e = exp_punt.front();
    exp_punt.pop_front();
    if (!m->mon_park_ok_o) {
      exq_full++;
      return;
    }
    unsigned slot = m->mon_park_slot_o;
    if (slot >= TB_EXQDEPTH || parked.count(slot)) fail("packet parked in a taken or bad slot");
    parked[slot] = e;
  }

  void check_out_beat()
  {
    uint32_t w[16];
    tb::get_words(m->m_axis_tdata, 0, 512, w);
    const uint8_t *bytes = (const uint8_t *)w;
    for (int i = 0; i < 64; i++)
      if ((m->m_axis_tkeep >> i) & 1) obuf.push_back(bytes[i]);
    if (!m->m_axis_tlast) return;
    if (m->m_axis_tid & 32) {  // a released parked frame
      if (exp_rel.empty()) {
        fail("released frame without a release");
      } else {
        Rel r = exp_rel.front();
        exp_rel.pop_front();
        if (obuf != r.p.b) fail("released frame differs from the punted one");
        if (m->m_axis_tuser != r.port) fail("released frame has the wrong port");
        if ((m->m_axis_tid & 31u) != r.slot) fail("released frame has the wrong slot");
        rel_out++;
      }
      obuf.clear();
      return;
    }
    if (m->m_axis_tid != 0) fail("pipeline frame with a non-zero tid");
    out_pkts++;
    if (exp_fwd.empty()) {
      fail("forwarded frame without an allowed packet");
    } else {
      Exp e = exp_fwd.front();
      exp_fwd.pop_front();
      if (obuf != e.p.b) fail("forwarded frame differs");
      if (m->m_axis_tuser != e.r.dest) fail("forwarded frame has the wrong destination port");
      forwarded++;
    }
    obuf.clear();
  }

  void csr_wr(uint32_t a, uint32_t v)
  {
    c_req = true; c_we = true; c_addr = a; c_wdata = v;
    tick();
  }
  uint32_t csr_rd(uint32_t a)
  {
    c_req = true; c_we = false; c_addr = a;
    tick();
    return m->s_csr_rdata_o;
  }
  void wait_idle()
  {
    for (int i = 0; i < 100000; i++)
      if (!(csr_rd(NSGNIC_CSR_STATUS) & 1u)) return;
    fail("table command never finished");
  }
  // write a table entry through the staging window
  void entry(unsigned table, unsigned idx, const uint32_t *val, const uint32_t *mask,
             const uint32_t *res, unsigned words, unsigned rwords, int valid)
  {
    for (unsigned i = 0; i < words; i++) csr_wr(NSGNIC_CSR_DATA + 4 * i, val[i]);
    for (unsigned i = 0; mask && i < words; i++) csr_wr(NSGNIC_CSR_MASK + 4 * i, mask[i]);
    for (unsigned i = 0; res && i < rwords; i++) csr_wr(NSGNIC_CSR_RES + 4 * i, res[i]);
    uint32_t cmd = 0;
    NSGNIC_PUT(&cmd, DP_CMD_INDEX, idx);
    NSGNIC_PUT(&cmd, DP_CMD_TABLE, table);
    NSGNIC_PUT(&cmd, DP_CMD_OP, NSGNIC_DP_OP_WRITE);
    NSGNIC_PUT(&cmd, DP_CMD_VALID, valid);
    csr_wr(NSGNIC_CSR_CMD, cmd);
    wait_idle();
  }
};

// ---- table generation ---------------------------------------------------------------------
struct Ent {
  uint32_t v[8] = {0}, k[8] = {0}, r[4] = {0};
  void f(unsigned lsb, unsigned w, uint64_t val) { nsgnic_bits_put(v, lsb, w, val); nsgnic_bits_put(k, lsb, w, w >= 64 ? ~0ull : (1ull << w) - 1); }
  void prefix(unsigned lsb, const uint32_t *a, unsigned bits, unsigned plen)
  {
    for (unsigned i = 0; i < bits; i++) {
      bool care = i >= bits - plen;
      nsgnic_bits_put(v, lsb + i, 1, (a[i / 32] >> (i % 32)) & 1);
      nsgnic_bits_put(k, lsb + i, 1, care);
    }
  }
};

static const int NV = 8;
static uint32_t local4(int v) { return (10u << 24) | ((unsigned)(v % 2) << 16) | (1u << 8) | (unsigned)(v + 1); }
static void local6(int v, uint32_t *a) { a[3] = 0xfd000000u; a[2] = (unsigned)(v % 2); a[1] = 0; a[0] = (unsigned)v + 1; }

// The label-key entry of vport v's own address (family fam) in its scope (v % 2): all 128 address
// bits cared (a host entry); the caller fills the result.
static Ent local_host_entry(int v, int fam)
{
  Ent e;
  uint32_t a[4] = {0, 0, 0, 0};
  if (fam) local6(v, a); else a[0] = local4(v);
  e.prefix(NSGNIC_LABEL_KEY_ADDR_LSB, a, 128, 128);
  e.f(NSGNIC_LABEL_KEY_FAMILY_LSB, 1, (uint64_t)fam);
  e.f(NSGNIC_LABEL_KEY_CTX_LSB, 8, (uint64_t)(v % 2));
  return e;
}

static void gen_labels(Tb &t, int bank, unsigned base, unsigned n)
{
  std::vector<Ent> es;
  uint64_t flip = bank ? (1ull << 14) : 0;
  for (int v = 0; v < NV; v++) {
    for (int fam = 0; fam < 2; fam++) {
      Ent e = local_host_entry(v, fam);
      nsgnic_bits_put(e.r, NSGNIC_LABEL_RESULT_LABELS_LSB, 64,
                      (1ull << NSGNIC_LABEL_VIRTUAL_NETWORK) | (1ull << (6 + v % 4)) | flip);
      nsgnic_bits_put(e.r, NSGNIC_LABEL_RESULT_VPORT_LSB, 8, (uint64_t)v);
      nsgnic_bits_put(e.r, NSGNIC_LABEL_RESULT_VPORT_VALID_LSB, 1, 1);
      es.push_back(e);
    }
  }
  for (int ctx = 0; ctx < 2; ctx++) {
    for (int fam = 0; fam < 2; fam++) {
      Ent e;
      uint32_t a[4] = {0, 0, 0, 0};
      if (fam) { a[3] = 0xfd000000u; a[2] = (unsigned)ctx; } else a[0] = (10u << 24) | ((unsigned)ctx << 16);
      e.prefix(NSGNIC_LABEL_KEY_ADDR_LSB, a, 128, fam ? 64 : 96 + 16);
      e.f(NSGNIC_LABEL_KEY_FAMILY_LSB, 1, (uint64_t)fam);
      e.f(NSGNIC_LABEL_KEY_CTX_LSB, 8, (uint64_t)ctx);
      nsgnic_bits_put(e.r, 0, 64, (1ull << NSGNIC_LABEL_VIRTUAL_NETWORK));
      es.push_back(e);
    }
  }
  struct { uint32_t a; unsigned plen; uint64_t lab; } v4[] = {
    {0xa83f8110u, 32, (1ull << NSGNIC_LABEL_AZURE_LOAD_BALANCER) | (1ull << NSGNIC_LABEL_PLATFORM_DNS)},
    {0xa9fea9feu, 32, (1ull << NSGNIC_LABEL_PLATFORM_IMDS)},
    {0x14000000u, 8, (1ull << NSGNIC_LABEL_INTERNET) | (1ull << 10) | flip},
    {0u, 0, (1ull << NSGNIC_LABEL_INTERNET)},
  };
  for (auto &x : v4) {
    Ent e;
    uint32_t a[4] = {x.a, 0, 0, 0};
    e.prefix(NSGNIC_LABEL_KEY_ADDR_LSB, a, 128, 96 + x.plen);
    e.f(NSGNIC_LABEL_KEY_FAMILY_LSB, 1, 0);
    nsgnic_bits_put(e.r, 0, 64, x.lab);
    es.push_back(e);
  }
  {
    Ent e;
    uint32_t a[4] = {0, 0, 0, 0};
    e.prefix(NSGNIC_LABEL_KEY_ADDR_LSB, a, 128, 0);
    e.f(NSGNIC_LABEL_KEY_FAMILY_LSB, 1, 1);
    nsgnic_bits_put(e.r, 0, 64, (1ull << NSGNIC_LABEL_INTERNET));
    es.push_back(e);
  }
  if (es.size() > n) { printf("label table too small\n"); exit(2); }
  for (unsigned i = 0; i < es.size(); i++) {
    es[i].f(NSGNIC_LABEL_KEY_BANK_LSB, 1, (uint64_t)bank);
    t.entry(NSGNIC_DP_TABLE_LABEL, base + i, es[i].v, es[i].k, es[i].r, NSGNIC_LABEL_KEY_WORDS, 3, 1);
    ref_tcam_write(&t.model.label, base + i, es[i].v, es[i].k, es[i].r, 1);
  }
}

#if TB_LABELCTX || TB_LABELLPM
// One node word or result row of a label-stage tree (family fam) at index i, into the level and
// bank CSR_LPM_SEL already names: the words through CSR_LPM_DATA, then the write command.
static void write_tree_word(Tb &t, unsigned fam, unsigned i, const uint32_t *w, unsigned words)
{
  for (unsigned k = 0; k < words; k++) t.csr_wr(NSGNIC_CSR_LPM_DATA + 4 * k, w[k]);
  uint32_t cmd = 0;
  NSGNIC_PUT(&cmd, DP_CMD_INDEX, i);
  NSGNIC_PUT(&cmd, DP_CMD_TABLE, NSGNIC_DP_TABLE_LPM4 + fam);
  NSGNIC_PUT(&cmd, DP_CMD_OP, NSGNIC_DP_OP_WRITE);
  NSGNIC_PUT(&cmd, DP_CMD_VALID, 1);
  t.csr_wr(NSGNIC_CSR_CMD, cmd);
  t.wait_idle();
  uint32_t st = t.csr_rd(NSGNIC_CSR_STATUS);
  if (NSGNIC_GET(&st, DP_STATUS_ERROR)) t.fail("tree write refused");
}

#endif

#if TB_LABELCTX
// ---- per-vport label contexts ---------------------------------------------------------------
static std::string g_fault;                 // --fault: swap | ctx
static unsigned g_vctx[2][NV];              // [bank][vport]: BINDING.LABEL_CTX
// [bank]: the first level of the IPv4 tree whose node 0 has a key (cnt > 0) and that node's word
static unsigned g_top4[2];
static std::vector<uint32_t> g_top4_word[2];

// an address the traffic uses (flow_pkt / rand_remote), or a random one
static void pool_addr(int fam, uint32_t *a)
{
  memset(a, 0, 16);
  unsigned k = rnd() % 6;
  int v = (int)(rnd() % NV);
  if (!fam) {
    static const uint32_t fixed[] = {0xa83f8110u, 0xa9fea9feu, 0x08080808u};
    if (k < 2) a[0] = local4(v);
    else if (k == 2) a[0] = (10u << 24) | ((unsigned)(v % 2) << 16) | (2u << 8) | (rnd() % 4);
    else if (k == 3) a[0] = fixed[rnd() % 3];
    else if (k == 4) a[0] = (20u << 24) | (rnd() % 8);
    else a[0] = rnd();
  } else {
    if (k < 2) local6(v, a);
    else if (k == 2) { a[3] = 0xfd000000u; a[2] = (unsigned)(v % 2); a[0] = 0x100 + rnd() % 4; }
    else if (k == 3) { a[3] = 0x20014860u; a[0] = rnd() % 8; }
    else for (int i = 0; i < 4; i++) a[i] = rnd();
  }
}

// Random contexts of one bank: prefix sets per context and family, the trees built from them and
// written into `bank`, the local-address table (label TCAM entries base..), the vports' contexts.
static void gen_ctx(Tb &t, int bank, unsigned base, unsigned n)
{
  static const unsigned plen4[] = {0, 8, 12, 16, 24, 28, 31, 32, 32};
  static const unsigned plen6[] = {0, 16, 32, 48, 64, 96, 120, 127, 128, 128};
  const unsigned cbits = TB_LPMCTXBITS;
  // 5 contexts with random ids; a vport's context is one of them (several vports share one)
  unsigned ids[5];
  for (unsigned c = 0; c < 5; c++) {
    bool dup;
    do {
      ids[c] = rnd() % (1u << cbits);
      dup = false;
      for (unsigned d = 0; d < c; d++) dup |= ids[d] == ids[c];
    } while (dup);
  }
  for (int v = 0; v < NV; v++) g_vctx[bank][v] = ids[rnd() % 5];
  dp_model_ctx_clear(&t.model, bank);
  std::vector<dp_ctx_prefix> px;
  for (unsigned c = 0; c < 5; c++)
    for (int fam = 0; fam < 2; fam++) {
      unsigned np = c == 4 ? 0 : 2 + rnd() % 9;  // context 4: no prefix (every lookup misses)
      for (unsigned i = 0; i < np + 1; i++) {
        dp_ctx_prefix p;
        memset(&p, 0, sizeof p);
        p.bank = bank;
        p.family = fam;
        p.ctx = ids[c];
        if (i == np) {  // the context's /0, mostly
          if (c == 4 || rnd() % 4 == 0) continue;
          p.plen = 0;
        } else {
          pool_addr(fam, p.addr);
          p.plen = fam ? plen6[rnd() % 10] : plen4[rnd() % 9];
        }
        unsigned bits = fam ? 128 : 32;
        for (unsigned b = 0; b < bits - p.plen; b++) p.addr[b / 32] &= ~(1u << (b % 32));
        // two independent vectors: the low 15 bits the random rules name, and one high bit
        p.lab_sub = (uint64_t)(rnd() & 0x7fff) | (1ull << (20 + rnd() % 40));
        p.lab_nic = (uint64_t)(rnd() & 0x7fff) | (1ull << (20 + rnd() % 40));
        bool dup = false;
        for (auto &q : px)
          dup |= q.family == fam && q.ctx == p.ctx && q.plen == p.plen && !memcmp(q.addr, p.addr, 16);
        if (dup) continue;
        px.push_back(p);
        dp_model_ctx_add(&t.model, &p);
      }
    }
  // the trees (hostlib lpm.c), rows 1.. in prefix order per family
  unsigned writes = 0;
  for (int fam = 0; fam < 2; fam++) {
    lpm_geom g = fam ? lpm_geom{cbits + 128, TB_LPMFANOUT, TB_LPMLEVELS, TB_LPM6LEAVES, TB_LPM6RESULTS}
                     : lpm_geom{cbits + 32, TB_LPMFANOUT, TB_LPMLEVELS, TB_LPM4LEAVES, TB_LPM4RESULTS};
    unsigned abits = fam ? 128 : 32;
    std::vector<lpm_prefix> lp;
    std::vector<std::vector<uint32_t>> rows(1, std::vector<uint32_t>(4, 0));  // row 0: no match
    for (auto &p : px) {
      if (p.family != fam) continue;
      lpm_prefix q;
      memset(&q, 0, sizeof q);
      for (unsigned w = 0; w < abits / 32; w++) q.key[w] = p.addr[w];
      nsgnic_bits_put(q.key, abits, cbits, p.ctx);
      q.len = cbits + p.plen;
      q.result = (unsigned)rows.size();
      lp.push_back(q);
      std::vector<uint32_t> r(4, 0);
      bool swap = g_fault == "swap";
      nsgnic_bits_put(r.data(), NSGNIC_LPM_ROW_LABELS_SUBNET_LSB, 64, swap ? p.lab_nic : p.lab_sub);
      nsgnic_bits_put(r.data(), NSGNIC_LPM_ROW_LABELS_NIC_LSB, 64, swap ? p.lab_sub : p.lab_nic);
      rows.push_back(r);
    }
    lpm_image im;
    char err[256];
    if (lpm_build(&g, lp.data(), lp.size(), &im, err, sizeof err)) {
      printf("label contexts: %s\n", err);
      exit(2);
    }
    unsigned nw = lpm_node_words(&g);
    for (unsigned lv = 0; !fam && lv < g.levels; lv++)
      if ((im.node[lv][0] & (TB_LPMFANOUT - 1u)) || lv + 1 == g.levels) {
        g_top4[bank] = lv;
        g_top4_word[bank].assign(im.node[lv], im.node[lv] + nw);
        break;
      }
    for (unsigned lv = 0; lv <= g.levels; lv++) {
      unsigned cnt = lv < g.levels ? im.used[lv] : (unsigned)rows.size();
      uint32_t sel = 0;
      NSGNIC_PUT(&sel, DP_LPM_SEL_LEVEL, lv);
      NSGNIC_PUT(&sel, DP_LPM_SEL_BANK, (unsigned)bank);
      t.csr_wr(NSGNIC_CSR_LPM_SEL, sel);
      for (unsigned i = 0; i < cnt; i++) {
        const uint32_t *w = lv < g.levels ? im.node[lv] + (size_t)i * nw : rows[i].data();
        unsigned words = lv < g.levels ? nw : 4;
        write_tree_word(t, (unsigned)fam, i, w, words);
        writes++;
      }
    }
    lpm_image_free(&im);
  }
  // local-address table: each vport's addresses in its scope (v % 2), and a subnet of each scope
  // without VPORT_VALID (a listed address that is no local NIC: NO_LOCAL_VPORT)
  std::vector<Ent> es;
  for (int v = 0; v < NV; v++)
    for (int fam = 0; fam < 2; fam++) {
      Ent e = local_host_entry(v, fam);
      nsgnic_bits_put(e.r, NSGNIC_LABEL_RESULT_VPORT_LSB, 8, (uint64_t)v);
      nsgnic_bits_put(e.r, NSGNIC_LABEL_RESULT_VPORT_VALID_LSB, 1, 1);
      es.push_back(e);
    }
  for (int c = 0; c < 2; c++) {
    Ent e;
    uint32_t a[4] = {(10u << 24) | ((unsigned)c << 16) | (2u << 8), 0, 0, 0};
    e.prefix(NSGNIC_LABEL_KEY_ADDR_LSB, a, 128, 96 + 24);
    e.f(NSGNIC_LABEL_KEY_FAMILY_LSB, 1, 0);
    e.f(NSGNIC_LABEL_KEY_CTX_LSB, 8, (uint64_t)c);
    nsgnic_bits_put(e.r, NSGNIC_LABEL_RESULT_VPORT_LSB, 8, (uint64_t)c);
    es.push_back(e);
  }
  if (es.size() > n) { printf("local-address table too small\n"); exit(2); }
  for (unsigned i = 0; i < es.size(); i++) {
    es[i].f(NSGNIC_LABEL_KEY_BANK_LSB, 1, (uint64_t)bank);
    t.entry(NSGNIC_DP_TABLE_LABEL, base + i, es[i].v, es[i].k, es[i].r, NSGNIC_LABEL_KEY_WORDS, 3, 1);
    ref_tcam_write(&t.model.label, base + i, es[i].v, es[i].k, es[i].r, 1);
  }
  printf("label contexts (bank %d): %zu prefixes in 5 contexts, %u tree writes, %zu local addresses\n",
         bank, px.size(), writes, es.size());
}
#endif

static void gen_platform(Tb &t, int bank, unsigned base)
{
  Ent e[3];
  e[0].f(NSGNIC_PLATFORM_KEY_DIR_LSB, 1, 1);
  e[0].f(NSGNIC_PLATFORM_KEY_DST_LABELS_LSB + NSGNIC_LABEL_PLATFORM_DNS, 1, 1);
  nsgnic_bits_put(e[0].r, NSGNIC_RESULT_PLATFORM_CLASS_LSB, 2, NSGNIC_PLATFORM_CLASS_EXEMPT);
  nsgnic_bits_put(e[0].r, NSGNIC_RESULT_RULE_ID_LSB, 16, 9001);
  e[1].f(NSGNIC_PLATFORM_KEY_DIR_LSB, 1, 1);
  e[1].f(NSGNIC_PLATFORM_KEY_PROTO_LSB, 8, 6);
  e[1].f(NSGNIC_PLATFORM_KEY_L4_LSB, 1, 1);
  e[1].f(NSGNIC_PLATFORM_KEY_DST_PORT_LSB, 16, 25);
  e[1].f(NSGNIC_PLATFORM_KEY_DST_LABELS_LSB + NSGNIC_LABEL_INTERNET, 1, 1);
  nsgnic_bits_put(e[1].r, NSGNIC_RESULT_PLATFORM_CLASS_LSB, 2, NSGNIC_PLATFORM_CLASS_BLOCK);
  nsgnic_bits_put(e[1].r, NSGNIC_RESULT_RULE_ID_LSB, 16, 9002);
  e[2].f(NSGNIC_PLATFORM_KEY_DIR_LSB, 1, 1);
  e[2].f(NSGNIC_PLATFORM_KEY_DST_LABELS_LSB + NSGNIC_LABEL_PLATFORM_IMDS, 1, 1);
  nsgnic_bits_put(e[2].r, NSGNIC_RESULT_PLATFORM_CLASS_LSB, 2, NSGNIC_PLATFORM_CLASS_EXEMPT);
  nsgnic_bits_put(e[2].r, NSGNIC_RESULT_RULE_ID_LSB, 16, 9003);
  for (unsigned i = 0; i < 3; i++) {
    e[i].f(NSGNIC_PLATFORM_KEY_BANK_LSB, 1, (uint64_t)bank);
    t.entry(NSGNIC_DP_TABLE_PLATFORM, base + i, e[i].v, e[i].k, e[i].r, NSGNIC_PLATFORM_KEY_WORDS, 1, 1);
    ref_tcam_write(&t.model.plat, base + i, e[i].v, e[i].k, e[i].r, 1);
  }
}

static bool g_permissive = false;  // bench: every NSG allows everything (flows learn)

static void gen_rules(Tb &t, int bank, unsigned base, unsigned n)
{
  std::vector<Ent> es;
  for (unsigned nsg = 0; g_permissive && nsg < 4; nsg++) {
    Ent e;
    e.f(NSGNIC_RULE_KEY_NSG_LSB, 10, nsg);
    nsgnic_bits_put(e.r, NSGNIC_RESULT_RULE_ID_LSB, 16, 7000 + nsg);
    nsgnic_bits_put(e.r, NSGNIC_RESULT_ACTION_LSB, 2, NSGNIC_ACTION_ALLOW);
    es.push_back(e);
  }
  static const unsigned ports[] = {80, 443, 22, 25, 53};
  for (unsigned nsg = 0; nsg < 4; nsg++) {
    auto rule = [&](unsigned dir, unsigned id, unsigned action) {
      Ent e;
      e.f(NSGNIC_RULE_KEY_NSG_LSB, 10, nsg);
      e.f(NSGNIC_RULE_KEY_DIR_LSB, 1, dir);
      nsgnic_bits_put(e.r, NSGNIC_RESULT_RULE_ID_LSB, 16, id);
      nsgnic_bits_put(e.r, NSGNIC_RESULT_ACTION_LSB, 2, action);
      return e;
    };
    for (unsigned i = 0; i < 5; i++) {
      unsigned a = rnd() % 100;
      Ent e = rule(rnd() % 2, nsg * 100 + i + bank * 1000,
                   a < 60 ? NSGNIC_ACTION_ALLOW : a < 95 ? NSGNIC_ACTION_DENY : NSGNIC_ACTION_PUNT);
      e.f(NSGNIC_RULE_KEY_PLATFORM_LSB, 1, 0);
      unsigned p = rnd() % 4;
      if (p < 2) { e.f(NSGNIC_RULE_KEY_PROTO_LSB, 8, p ? 17 : 6); e.f(NSGNIC_RULE_KEY_L4_LSB, 1, 1); }
      if (p < 2 && rnd() % 2) {
        unsigned q = rnd() % 4;
        if (q == 0) e.f(NSGNIC_RULE_KEY_DST_PORT_LSB, 16, ports[rnd() % 5]);
        else if (q == 1) e.f(NSGNIC_RULE_KEY_DST_PORT_LSB + 10, 6, rnd() % 64);
        else if (q == 2) e.f(NSGNIC_RULE_KEY_DST_PORT_CLASS_LSB + rnd() % NSGNIC_PORT_CLASSES, 1, 1);
        else e.f(NSGNIC_RULE_KEY_SRC_PORT_CLASS_LSB + rnd() % NSGNIC_PORT_CLASSES, 1, 1);
      }
      if (rnd() % 3 == 0) e.f(NSGNIC_RULE_KEY_SRC_LABELS_LSB + rnd() % 15, 1, 1);
      if (rnd() % 3 == 0) e.f(NSGNIC_RULE_KEY_DST_LABELS_LSB + rnd() % 15, 1, 1);
      if (rnd() % 4 == 0) e.f(NSGNIC_RULE_KEY_FAMILY_LSB, 1, rnd() % 2);
      es.push_back(e);
    }
    // a rule naming a platform tag (applies whatever the PLATFORM bit)
    Ent pt = rule(1, nsg * 100 + 40, rnd() % 2 ? NSGNIC_ACTION_DENY : NSGNIC_ACTION_ALLOW);
    pt.f(NSGNIC_RULE_KEY_DST_LABELS_LSB + NSGNIC_LABEL_PLATFORM_IMDS, 1, 1);
    es.push_back(pt);
    // platform exemption catch-all
    Ent ex = rule(1, nsg * 100 + 50, NSGNIC_ACTION_ALLOW);
    ex.f(NSGNIC_RULE_KEY_PLATFORM_LSB, 1, 1);
    nsgnic_bits_put(ex.r, NSGNIC_RESULT_PLATFORM_EXEMPT_LSB, 1, 1);
    es.push_back(ex);
    // defaults (S6)
    for (unsigned dir = 0; dir < 2; dir++) {
      Ent vn = rule(dir, 65000 + dir * 10, NSGNIC_ACTION_ALLOW);
      vn.f(NSGNIC_RULE_KEY_PLATFORM_LSB, 1, 0);
      vn.f(NSGNIC_RULE_KEY_SRC_LABELS_LSB + NSGNIC_LABEL_VIRTUAL_NETWORK, 1, 1);
      vn.f(NSGNIC_RULE_KEY_DST_LABELS_LSB + NSGNIC_LABEL_VIRTUAL_NETWORK, 1, 1);
      es.push_back(vn);
      Ent lb = rule(dir, 65001 + dir * 10, NSGNIC_ACTION_ALLOW);
      lb.f(NSGNIC_RULE_KEY_PLATFORM_LSB, 1, 0);
      if (dir) lb.f(NSGNIC_RULE_KEY_DST_LABELS_LSB + NSGNIC_LABEL_INTERNET, 1, 1);
      else lb.f(NSGNIC_RULE_KEY_SRC_LABELS_LSB + NSGNIC_LABEL_AZURE_LOAD_BALANCER, 1, 1);
      es.push_back(lb);
      if (!(nsg == 3 && dir == 0)) {  // NSG 3 inbound has no catch-all: NO_RULE punts
        Ent dn = rule(dir, 65500 + dir * 10, NSGNIC_ACTION_DENY);
        dn.f(NSGNIC_RULE_KEY_PLATFORM_LSB, 1, 0);
        es.push_back(dn);
      }
    }
  }
  if (es.size() > n) { printf("rule table too small (%zu)\n", es.size()); exit(2); }
  for (unsigned i = 0; i < es.size(); i++) {
    es[i].f(NSGNIC_RULE_KEY_BANK_LSB, 1, (uint64_t)bank);
    t.entry(NSGNIC_DP_TABLE_RULE, base + i, es[i].v, es[i].k, es[i].r, NSGNIC_RULE_KEY_WORDS, 1, 1);
    ref_tcam_write(&t.model.rule, base + i, es[i].v, es[i].k, es[i].r, 1);
  }
}

static void gen_port_ranges(Tb &t)
{
  static const unsigned lohi[8][2] = {{1024, 65535}, {0, 1023}, {80, 443}, {9, 8},
                                      {0, 79}, {53, 53}, {8000, 8100}, {22, 25}};
  for (unsigned i = 0; i < 2u * NSGNIC_PORT_CLASSES; i++) {
    uint32_t w = 0;
    NSGNIC_PUT(&w, PORT_RANGE_LO, lohi[i][0]);
    NSGNIC_PUT(&w, PORT_RANGE_HI, lohi[i][1]);
    t.csr_wr(NSGNIC_CSR_PORT_RANGE + 4 * i, w);
    t.model.prange[i] = w;
  }
  for (unsigned i = 0; i < 2u * NSGNIC_PORT_CLASSES; i++)
    if (t.csr_rd(NSGNIC_CSR_PORT_RANGE + 4 * i) != t.model.prange[i]) t.fail("PORT_RANGE read-back");
}

// DP_CMD.INDEX of the binding of vport v in `bank` (DP_BIND_INDEX)
static unsigned bind_index(unsigned v, int bank)
{
  uint32_t i = 0;
  NSGNIC_PUT(&i, DP_BIND_INDEX_VPORT, v);
  NSGNIC_PUT(&i, DP_BIND_INDEX_BANK, (unsigned)bank);
  return i;
}

// The bindings of one bank. Bank 1 (written into the shadow bank while traffic runs, active
// from the flip on) swaps the NIC NSGs, attaches/detaches NSGs at both levels and changes the
// local labels (ASG membership), so packets around the flip show which bank they read.
static void gen_bindings(Tb &t, int bank)
{
  for (int v = 0; v < NV; v++) {
    uint32_t b[4] = {0, 0, 0, 0};
    int u = v + bank;
    NSGNIC_PUT(b, BINDING_VALID, v != NV - 1);
    NSGNIC_PUT(b, BINDING_CTX, v % 2);
    NSGNIC_PUT(b, BINDING_SUBNET_NSG_VALID, u % 3 != 0);
    NSGNIC_PUT(b, BINDING_SUBNET_NSG, (v + bank) % 2);
    NSGNIC_PUT(b, BINDING_NIC_NSG_VALID, u % 4 != 1);
    NSGNIC_PUT(b, BINDING_NIC_NSG, 2 + (v / 2 + bank) % 2);
    NSGNIC_PUT(b, BINDING_LOCAL_LABELS, 1ull << (11 + u % 3));
#if TB_LABELCTX
    NSGNIC_PUT(b, BINDING_LABEL_CTX, g_vctx[bank][v]);
    memcpy(t.model.binding[bank][v], b, sizeof b);
    if (g_fault == "ctx") NSGNIC_PUT(b, BINDING_LABEL_CTX, (g_vctx[bank][v] + 1) % (1u << TB_LPMCTXBITS));
    t.entry(NSGNIC_DP_TABLE_BINDING, bind_index((unsigned)v, bank), b, nullptr, nullptr, 4, 0, 1);
    continue;
#endif
    t.entry(NSGNIC_DP_TABLE_BINDING, bind_index((unsigned)v, bank), b, nullptr, nullptr, 4, 0, 1);
    memcpy(t.model.binding[bank][v], b, sizeof b);
  }
}

// ---- traffic ----------------------------------------------------------------------------------
struct Flow {
  int v, fam;
  uint32_t rem[4];
  unsigned proto, lport, rport;
};

static void rand_remote(int v, int fam, uint32_t *a)
{
  memset(a, 0, 16);
  unsigned k = rnd() % 6;
  if (!fam) {
    static const uint32_t fixed[] = {0xa83f8110u, 0xa9fea9feu, 0x08080808u};
    if (k < 2) a[0] = (10u << 24) | ((unsigned)(v % 2) << 16) | (2u << 8) | (rnd() % 4);
    else if (k == 2) a[0] = local4((int)(rnd() % NV));
    else if (k == 3) a[0] = fixed[rnd() % 3];
    else a[0] = (20u << 24) | (rnd() % 8);
  } else {
    if (k < 2) { a[3] = 0xfd000000u; a[2] = (unsigned)(v % 2); a[0] = 0x100 + rnd() % 4; }
    else if (k == 2) local6((int)(rnd() % NV), a);
    else { a[3] = 0x20014860u; a[0] = rnd() % 8; }
  }
}

static Pkt flow_pkt(const Flow &f, bool outbound, unsigned max_len)
{
  pkt_spec s;
  memset(&s, 0, sizeof s);
  s.family = (unsigned)f.fam;
  s.proto = f.proto;
  s.vlan = rnd() % 8 == 0;
  uint32_t loc[4] = {0, 0, 0, 0};
  if (f.fam) local6(f.v, loc); else loc[0] = local4(f.v);
  memcpy(outbound ? s.src : s.dst, loc, 16);
  memcpy(outbound ? s.dst : s.src, f.rem, 16);
  s.sport = outbound ? f.lport : f.rport;
  s.dport = outbound ? f.rport : f.lport;
  s.tcp_flags = rnd() % 4 == 0 ? rnd() % 8 : 0;
  s.payload = rnd() % 5 == 0 ? rnd() % (max_len > 200 ? max_len - 200 : 1) : rnd() % 8;
  Pkt p;
  p.b.resize(max_len + 100);
  size_t n = pkt_build(&s, p.b.data(), p.b.size());
  p.b.resize(n ? n : 60);
  unsigned port = outbound ? ((NSGNIC_PORT_KIND_VF << NSGNIC_PORT_KIND_LSB) | (unsigned)f.v)
                           : (unsigned)(f.v % 2);
  if (rnd() % 50 == 0) port = (NSGNIC_PORT_KIND_VF << NSGNIC_PORT_KIND_LSB) | (NV + rnd() % 4);
  p.port = port;
  return p;
}

// An ICMP error (S5 RELATED) about a packet of flow f: inbound (from a router to the NIC, about
// the NIC's outbound packet) or outbound (the NIC reports a packet it received). variant 0: a
// well-formed error; 1: the embedded header truncated; 2: an insane embedded header (version,
// IHL, fragment offset, IPv6 extension header); 3: the ICMP message truncated by its IP length.
static Pkt icmp_err_pkt(const Flow &f, bool outbound, unsigned variant)
{
  static const unsigned t4[] = {3, 11, 12, 4, 5}, t6[] = {2, 1, 3, 4};
  pkt_spec in, o;
  memset(&in, 0, sizeof in);
  memset(&o, 0, sizeof o);
  uint32_t loc[4] = {0, 0, 0, 0}, router[4];
  if (f.fam) local6(f.v, loc); else loc[0] = local4(f.v);
  rand_remote(f.v, f.fam, router);
  if (rnd() % 4 == 0) memcpy(router, f.rem, 16);  // the peer itself (port unreachable)
  in.family = o.family = (unsigned)f.fam;
  in.proto = f.proto;
  // the embedded packet went the other way: inbound error -> the NIC's outbound packet
  memcpy(outbound ? in.dst : in.src, loc, 16);
  memcpy(outbound ? in.src : in.dst, f.rem, 16);
  in.sport = outbound ? f.rport : f.lport;
  in.dport = outbound ? f.lport : f.rport;
  in.payload = 8 + rnd() % 32;
  if (!f.fam && rnd() % 4 == 0) in.ip_opts = 4 * (1 + rnd() % 3);
  memcpy(outbound ? o.src : o.dst, loc, 16);
  memcpy(outbound ? o.dst : o.src, router, 16);
  o.vlan = rnd() % 8 == 0;
  o.icmp_type = f.fam ? t6[rnd() % 4] : t4[rnd() % 5];
  o.icmp_code = o.icmp_type == 3 ? 4 : 0;  // fragmentation needed (PMTUD)
  unsigned ihdr = f.fam ? 40 : 20 + in.ip_opts, ibytes = ihdr + 8 + rnd() % 24;
  if (variant == 1) ibytes = rnd() % (ihdr + 8);
  Pkt p;
  p.b.resize(400);
  p.b.resize(pkt_build_icmp_error(&o, &in, ibytes, p.b.data(), p.b.size()));
  size_t l4 = (o.vlan ? 18 : 14) + (f.fam ? 40 : 20);
  if (variant == 2) {
    if (f.fam) p.b[l4 + 8 + (rnd() % 2 ? 0 : 6)] = rnd() % 2 ? 0x40 : 43;  // version 4 / routing header
    else if (rnd() % 3 == 0) p.b[l4 + 8] = (uint8_t)(0x40 | rnd() % 5);  // IHL < 5
    else if (rnd() % 2) p.b[l4 + 8] = 0x65;  // version 6
    else p.b[l4 + 8 + 7] |= 1;  // fragment offset
  } else if (variant == 3) {  // IP length cuts the embedded header (the frame keeps the bytes)
    size_t lenoff = (o.vlan ? 18 : 14) + (f.fam ? 4 : 2);
    unsigned iplen = ((unsigned)p.b[lenoff] << 8 | p.b[lenoff + 1]);
    unsigned cut = 1 + rnd() % 8;
    iplen -= cut;
    p.b[lenoff] = (uint8_t)(iplen >> 8);
    p.b[lenoff + 1] = (uint8_t)iplen;
  }
  p.port = outbound ? ((NSGNIC_PORT_KIND_VF << NSGNIC_PORT_KIND_LSB) | (unsigned)f.v)
                    : (unsigned)(f.v % 2);
  return p;
}

static Flow new_flow(void)
{
  static const unsigned protos[] = {6, 6, 17, 17, 1, 50};
  static const unsigned rports[] = {80, 443, 22, 25, 53, 8080};
  Flow f;
  f.v = (int)(rnd() % NV);
  f.fam = rnd() % 3 == 0;
  rand_remote(f.v, f.fam, f.rem);
  f.proto = protos[rnd() % 6];
  if (f.fam && f.proto == 1) f.proto = 58;
  f.lport = 1024 + rnd() % 60000;
  f.rport = rports[rnd() % 6];
  return f;
}

static Pkt junk_pkt(unsigned max_len)
{
  Pkt p;
  unsigned k = rnd() % 4;
  p.port = rnd() % 2 ? (unsigned)(rnd() % 2) : ((NSGNIC_PORT_KIND_VF << NSGNIC_PORT_KIND_LSB) | (rnd() % NV));
  if (k == 0) {  // random bytes
    p.b.resize(rnd() % 200);
    for (auto &c : p.b) c = (uint8_t)rnd();
    if (p.b.size() > 13 && rnd() % 2) { p.b[12] = 0x08; p.b[13] = 0x00; }
  } else if (k == 1) {  // oversize
    p.b.resize(max_len + 1 + rnd() % 200);
    for (auto &c : p.b) c = (uint8_t)rnd();
  } else {  // a flow packet, mutated or truncated
    Flow f = new_flow();
    p = flow_pkt(f, rnd() % 2, max_len);
    if (k == 2) p.b.resize(rnd() % (p.b.size() + 1));
    else for (int i = 0; i < 3; i++) p.b[rnd() % (p.b.size() < 80 ? p.b.size() : 80)] ^= (uint8_t)(1u << (rnd() % 8));
  }
  return p;
}

struct Gen {
  std::vector<Flow> flows;
  unsigned max_len;
  void next(Tb &t)
  {
    unsigned k = rnd() % 100;
    if (k < 6) {
      t.txq.push_back(junk_pkt(max_len));
      return;
    }
    if (k >= 94) {  // ICMP errors: about a recent flow (mostly), an unknown tuple, or malformed
      unsigned v = rnd() % 8;
      Flow f = flows.empty() || v == 0 ? new_flow() : flows[flows.size() - 1 - rnd() % (flows.size() < 16 ? flows.size() : 16)];
      t.txq.push_back(icmp_err_pkt(f, rnd() % 2, v < 5 ? 0 : v - 4));
      return;
    }
    if (flows.empty() || k < 20) {
      Flow f = new_flow();
      flows.push_back(f);
      if (flows.size() > 300) flows.erase(flows.begin());  // older flows go idle
      bool out = rnd() % 2;
      t.txq.push_back(flow_pkt(f, out, max_len));
      if (rnd() % 2) t.txq.push_back(flow_pkt(f, !out, max_len));  // reply right behind
      return;
    }
    size_t n = flows.size();
    const Flow &f = k < 70 ? flows[n - 1 - rnd() % (n < 8 ? n : 8)] : flows[rnd() % n];
    t.txq.push_back(flow_pkt(f, rnd() % 2, max_len));
  }
};

static const unsigned FLOW_ENTRIES = NSGNIC_FLOW_TABLES * TB_FLOWBUCKETS * TB_FLOWWAYS + TB_FLOWSTASH;

static void flow_csr_ops(Tb &t)
{
  // read a random flow entry, compare with the model, sometimes delete it
  unsigned nent = FLOW_ENTRIES;
  unsigned idx = rnd() % nent;
  for (unsigned k = 0; k < nent && rnd() % 8; k++, idx = (idx + 1) % nent)
    if (t.model.flow[idx].valid) break;  // mostly a valid entry (aging scan)
  if (rnd() % 4 == 0) {
    // overflow flag of a bucket: read it (write bit 0 = keep), compare, clear it
    unsigned b = rnd() % TB_FLOWBUCKETS;
    uint32_t oc = 0;
    NSGNIC_PUT(&oc, DP_CMD_INDEX, b);
    NSGNIC_PUT(&oc, DP_CMD_TABLE, NSGNIC_DP_TABLE_FLOW_OVF);
    NSGNIC_PUT(&oc, DP_CMD_OP, NSGNIC_DP_OP_WRITE);
    NSGNIC_PUT(&oc, DP_CMD_VALID, 0);
    t.csr_wr(NSGNIC_CSR_CMD, oc);
    t.tick();  // the command's check (csr_slave.sv): packets accepted now are ahead of the op
    int was = t.model.ovf[b];
    t.model.ovf[b] = 0;
#if TB_FLOWDRAM
    t.rfd_ovf = 0;  // the tier's flag, cleared in order with the packets ahead
#endif
    t.wait_idle();
    int hw = (int)((t.csr_rd(NSGNIC_CSR_STATUS) >> NSGNIC_DP_STATUS_RVALID_LSB) & 1u);
    if (hw != was) t.fail("overflow flag differs from the model");
  }
  uint32_t cmd = 0;
  NSGNIC_PUT(&cmd, DP_CMD_INDEX, idx);
  NSGNIC_PUT(&cmd, DP_CMD_TABLE, NSGNIC_DP_TABLE_FLOW);
  NSGNIC_PUT(&cmd, DP_CMD_OP, NSGNIC_DP_OP_READ);
  t.csr_wr(NSGNIC_CSR_CMD, cmd);
  t.tick();  // the command's check: packets accepted in it are ahead of the read
  dp_flow snap = t.model.flow[idx];
  t.wait_idle();
  uint32_t ent[16];
  for (int i = 0; i < 16; i++) ent[i] = t.csr_rd(NSGNIC_CSR_DATA + 4u * (unsigned)i);
  int valid = (int)NSGNIC_GET(ent, FLOW_VALID);
  if (valid != snap.valid) t.fail("flow read: valid differs from the model");
  if (valid && (int)NSGNIC_GET(ent, FLOW_HW_COUNTED) != snap.counted)
    t.fail("flow read: HW_COUNTED differs from the model");
  if (valid) {
    unsigned act = (unsigned)NSGNIC_GET(ent, FLOW_ACTION), rid = (unsigned)NSGNIC_GET(ent, FLOW_RULE_ID);
    ent[9] &= (1u << (NSGNIC_FLOW_KEY_BITS - 288)) - 1u;
    if (memcmp(ent, snap.key, sizeof snap.key) || act != snap.action || rid != snap.rule_id)
    {
      char b[200];
      snprintf(b, sizeof b, "flow read %u: hw key0 %08x act %u rule %u; model key0 %08x act %u rule %u", idx,
               ent[0], act, rid,
               snap.key[0], snap.action, snap.rule_id);
      t.fail(b);
    }
  }
  if (valid && rnd() % 4) {
    uint32_t z[16] = {0};
    NSGNIC_PUT(&cmd, DP_CMD_OP, NSGNIC_DP_OP_WRITE);
    for (int i = 0; i < 16; i++) t.csr_wr(NSGNIC_CSR_DATA + 4u * (unsigned)i, 0);
    t.csr_wr(NSGNIC_CSR_CMD, cmd);
    t.tick();  // the command's check: packets accepted in it are ahead of the delete
    dp_flow old;
    if (dp_model_flow_write(&t.model, idx, z, &old)) {
#if TB_FLOWDRAM
      // a counted entry deleted: its S5 counter drops in order with the packets; it may learn again
      ref_flow_dram_uncount(&t.rfd, (unsigned)NSGNIC_GET(old.key, FLOW_VPORT), old.outbound);
      t.cache_uncounted++;
      t.learned_keys.erase(std::vector<uint32_t>(old.key, old.key + 10));
#endif
    }
    t.wait_idle();
  }
}

#if TB_FLOWDRAM
// Management of the DRAM tier through the CSR bus (DP_TABLE_FLOW with DP_CMD.DRAM), as the firmware does it:
// read a slot (mostly one holding a flow), compare entry, valid bit and the bucket's valid bits
// with the reference at the op's place among the packets; sometimes delete it (DATA = the entry
// read), compare the entry at the delete.
static void dram_csr_ops(Tb &t)
{
  unsigned slots = ref_flow_dram_slots(&t.rfd);
  unsigned slot = rnd() % slots;
  for (unsigned k = 0; k < slots && rnd() % 8; k++, slot = (slot + 1) % slots)
    if (ref_flow_dram_used(&t.rfd, slot)) break;
  for (int del = 0; del < 2; del++) {
    ref_flow_dram_req q;
    ref_flow_dram_out o;
    uint32_t ent[16];
    memset(&q, 0, sizeof q);
    q.op = del ? 3 : 2;
    q.slot = slot;
    uint32_t cmd = 0;
    NSGNIC_PUT(&cmd, DP_CMD_TABLE, NSGNIC_DP_TABLE_FLOW);
    NSGNIC_PUT(&cmd, DP_CMD_DRAM, 1);
    NSGNIC_PUT(&cmd, DP_CMD_OP, del ? NSGNIC_DP_OP_WRITE : NSGNIC_DP_OP_READ);
    if (del) {
      for (int i = 0; i < 16; i++) ent[i] = t.csr_rd(NSGNIC_CSR_DATA + 4u * (unsigned)i);
      memcpy(q.data, ent, sizeof q.data);
    }
    t.csr_wr(NSGNIC_CSR_DRAM_SLOT, slot);
    t.csr_wr(NSGNIC_CSR_CMD, cmd);
    memcpy(t.rfd.hkey, t.model.hkey, sizeof t.rfd.hkey);
    ref_flow_dram_request(&t.rfd, &q, &o);
    t.wait_idle();
    uint32_t st = t.csr_rd(NSGNIC_CSR_STATUS);
    for (int i = 0; i < 16; i++) ent[i] = t.csr_rd(NSGNIC_CSR_DATA + 4u * (unsigned)i);
    uint32_t vmask = t.csr_rd(NSGNIC_CSR_RES);
    int rv = (int)((st >> NSGNIC_DP_STATUS_RVALID_LSB) & 1u);
    if ((st >> NSGNIC_DP_STATUS_ERROR_LSB) & 1u) t.fail("DRAM flow op: STATUS.ERROR");
    // key, verdict fields and the bucket's valid bits (counters and timestamps: tb_flow_dram,
    // whose reference sees each packet's length, TCP bits and time)
    uint32_t kh[10], kr[10];
    memcpy(kh, ent, sizeof kh);
    memcpy(kr, o.entry, sizeof kr);
    kh[9] &= (1u << (NSGNIC_FLOW_KEY_BITS - 288)) - 1u;
    kr[9] &= (1u << (NSGNIC_FLOW_KEY_BITS - 288)) - 1u;
    bool same = !memcmp(kh, kr, sizeof kh) && NSGNIC_GET(ent, FLOW_VALID) == NSGNIC_GET(o.entry, FLOW_VALID) &&
                NSGNIC_GET(ent, FLOW_ACTION) == NSGNIC_GET(o.entry, FLOW_ACTION) &&
                NSGNIC_GET(ent, FLOW_RULE_ID) == NSGNIC_GET(o.entry, FLOW_RULE_ID) &&
                NSGNIC_GET(ent, FLOW_INIT_OUTBOUND) == NSGNIC_GET(o.entry, FLOW_INIT_OUTBOUND);
    if (rv != o.hit || !same || vmask != o.vmask) {
      char b[200];
      snprintf(b, sizeof b, "DRAM %s of slot %u: hw valid %d key0 %08x mask %x; reference valid %d key0 %08x mask %x",
               del ? "delete" : "read", slot, rv, ent[0], vmask, o.hit, o.entry[0], o.vmask);
      t.fail(b);
    }
    if (del) {
      t.dram_deletes += o.hit;
      if (o.hit) {  // a deleted flow may be learned again
        std::vector<uint32_t> k(o.entry, o.entry + 10);
        k[9] &= (1u << (NSGNIC_FLOW_KEY_BITS - 288)) - 1u;
        t.learned_keys.erase(k);
      }
    } else {
      t.dram_reads++;
    }
    if (!o.hit || rnd() % 2) break;  // delete about half of the flows read
  }
}
#endif

// Releases a random releasable slot: forward (random PORT) or drop.
static void exq_release(Tb &t)
{
  if (t.releasable.empty()) return;
  size_t k = rnd() % t.releasable.size();
  unsigned slot = t.releasable[k];
  t.releasable.erase(t.releasable.begin() + (long)k);
  Exp e = t.parked[slot];
  t.parked.erase(slot);
  uint32_t rel = 0;
  bool fwd = rnd() % 2;
  unsigned port = rnd() & 0x1ffu;
  NSGNIC_PUT(&rel, EXQ_REL_SLOT, slot);
  NSGNIC_PUT(&rel, EXQ_REL_PORT, port);
  NSGNIC_PUT(&rel, EXQ_REL_FORWARD, fwd);
  if (fwd) {
    t.exp_rel.push_back(Tb::Rel{e.p, port, slot});
    t.rel_fwd++;
  } else {
    t.rel_drop++;
  }
  t.csr_wr(NSGNIC_CSR_EXQ_RELEASE, rel);
}

// Pops the head exception: its meta and slot must be the packet parked there (S-independent:
// the queue's bookkeeping); the slot becomes releasable; then releases one at random (slots stay
// parked a while, so they run out under punt-heavy traffic and EXQ_FULL drops happen).
static void exq_check(Tb &t)
{
  uint32_t cnt = t.csr_rd(NSGNIC_CSR_EXQ_COUNT);
  if (cnt) {
    uint32_t meta = t.csr_rd(NSGNIC_CSR_EXQ_META);
    unsigned slot = t.csr_rd(NSGNIC_CSR_EXQ_SLOT);
    unsigned reason = (unsigned)NSGNIC_GET(&meta, EXQ_META_REASON);
    unsigned len = (unsigned)NSGNIC_GET(&meta, EXQ_META_LEN);
    auto it = t.parked.find(slot);
    if (it == t.parked.end()) {
      t.fail("exception queue names a slot without a parked packet");
    } else {
      if (it->second.r.reason != reason || std::min<size_t>(it->second.p.b.size(), 65535) != len)
        t.fail("exception meta differs from the packet parked in its slot");
      if (!(t.csr_rd(NSGNIC_CSR_EXQ_PARKED) & (1u << slot))) t.fail("EXQ_PARKED misses a parked slot");
      t.releasable.push_back(slot);
    }
    t.punts_seen++;
    t.csr_wr(NSGNIC_CSR_EXQ_POP, 1);
  }
  if (rnd() % 2) exq_release(t);
}

static void drain(Tb &t, uint64_t limit)
{
  uint64_t end = t.cyc + limit;
  while ((t.have || !t.txq.empty() || !t.exp_mon.empty() || !t.exp_fwd.empty() ||
          !t.exp_punt.empty() || !t.parked.empty() || !t.exp_rel.empty()) && t.cyc < end) {
    t.tick();
    if (t.cyc % 64 == 0) exq_check(t);
    if (t.cyc % 16 == 0) exq_release(t);
  }
  if (t.cyc >= end) t.fail("traffic did not drain (hang)");
}

#if TB_LABELCTX
// A tree write to the bank the packets use, issued k clocks after a packet's last beat: the write
// must wait until the packet, which sampled that bank at the lookup's P0, has searched the trees
// (4 clocks later with label contexts), even when no other search of that bank is in flight
// (lookup.sv: pre_busy). The write zeroes node 0 of the IPv4 tree's first level with keys (every
// key then takes its first child: a wrong path for most keys), undone after each packet. From
// k = 2 on the write reaches the lookup after the packet (k = 0 can reach it before: the packet
// then rightly sees the zeroed node, so k < 2 is not run).
static void ctx_write_race(Tb &t)
{
  const int bank = t.model.bank;
  lpm_geom g4 = {TB_LPMCTXBITS + 32, TB_LPMFANOUT, TB_LPMLEVELS, TB_LPM4LEAVES, TB_LPM4RESULTS};
  const unsigned nw = lpm_node_words(&g4);
  uint32_t sel = 0, cmd = 0;
  NSGNIC_PUT(&sel, DP_LPM_SEL_LEVEL, g_top4[bank]);
  NSGNIC_PUT(&sel, DP_LPM_SEL_BANK, (unsigned)bank);
  NSGNIC_PUT(&cmd, DP_CMD_TABLE, NSGNIC_DP_TABLE_LPM4);
  NSGNIC_PUT(&cmd, DP_CMD_OP, NSGNIC_DP_OP_WRITE);
  NSGNIC_PUT(&cmd, DP_CMD_VALID, 1);
  double idle = t.idle_p, bp = t.bp_p;
  t.idle_p = 0;
  t.bp_p = 0;
  long e0 = t.errors, n = 0;
  for (unsigned k = 2; k < 14 && t.errors == e0; k++)
    for (int i = 0; i < 16 && t.errors == e0; i++, n++) {  // the first error ends it (no cascade)
      drain(t, 100000);
      t.csr_wr(NSGNIC_CSR_LPM_SEL, sel);
      for (unsigned j = 0; j < nw; j++) t.csr_wr(NSGNIC_CSR_LPM_DATA + 4 * j, 0);
      Flow f = new_flow();
      f.fam = 0;
      f.v = (int)(rnd() % (NV - 1));
      rand_remote(f.v, 0, f.rem);
      if (f.proto == 58) f.proto = 1;
      Pkt p = flow_pkt(f, rnd() % 2, 64);
      p.port = rnd() % 2 ? ((NSGNIC_PORT_KIND_VF << NSGNIC_PORT_KIND_LSB) | (unsigned)f.v) : (unsigned)(f.v % 2);
      t.txq.push_back(p);
      while (t.have || !t.txq.empty()) t.tick();  // the last beat was accepted in the last tick
      for (unsigned c = 0; c < k; c++) t.tick();
      t.csr_wr(NSGNIC_CSR_CMD, cmd);
      t.wait_idle();
      drain(t, 100000);
      for (unsigned j = 0; j < nw; j++) t.csr_wr(NSGNIC_CSR_LPM_DATA + 4 * j, g_top4_word[bank][j]);
      t.csr_wr(NSGNIC_CSR_CMD, cmd);
      t.wait_idle();
    }
  t.idle_p = idle;
  t.bp_p = bp;
  printf("tree writes 2..13 clocks after a packet's last beat (level %u node 0 zeroed): %ld packets, "
         "%ld errors\n", g_top4[bank], n, t.errors - e0);
}
#endif

// ---- compiled image -------------------------------------------------------------------------
static void addr_words(const nsg_ip &ip, uint32_t *w)
{
  for (int i = 0; i < 4; i++) w[i] = (uint32_t)(ip.v >> (32 * i));
  if (ip.fam == NSG_AF4) w[1] = w[2] = w[3] = 0;
}

static void addr_str(int fam, const uint32_t *w, char *buf, size_t n)
{
  uint8_t b[16];
  for (int i = 0; i < 16; i++) b[i] = (uint8_t)(w[(15 - i) / 4] >> (8 * ((15 - i) % 4)));
  if (fam) inet_ntop(AF_INET6, b, buf, (socklen_t)n);
  else inet_ntop(AF_INET, b + 12, buf, (socklen_t)n);
}

static long run_image(Tb &t, const char *path, long npkt)
{
  char err[512];
  nsg_tables *tt = nsg_tables_load(path, err, sizeof err);
  if (!tt) {
    printf("image: %s\n", err);
    return -1;
  }
  if (tt->rule.n > TB_RULEENTRIES || tt->label.n > TB_LABELENTRIES ||
      tt->plat.n > TB_PLATFORMENTRIES || tt->nvports > TB_VPORTS || tt->nvports == 0) {
    printf("image: tables larger than this model (rule %zu, label %zu, platform %zu, vports %zu)\n",
           tt->rule.n, tt->label.n, tt->plat.n, tt->nvports);
    return -1;
  }
  struct { nsg_ttable *tab; ref_tcam *ref; unsigned table, kw, rw; } tabs[] = {
    {&tt->rule, &t.model.rule, NSGNIC_DP_TABLE_RULE, NSGNIC_RULE_KEY_WORDS, 1},
    {&tt->label, &t.model.label, NSGNIC_DP_TABLE_LABEL, NSGNIC_LABEL_KEY_WORDS, 3},
    {&tt->plat, &t.model.plat, NSGNIC_DP_TABLE_PLATFORM, NSGNIC_PLATFORM_KEY_WORDS, 1},
  };
  for (auto &x : tabs) {
    for (size_t i = 0; i < x.tab->n; i++) {
      const nsg_tentry &e = x.tab->e[i];
      uint32_t res[REF_TCAM_RES_WORDS] = {0, 0, 0, 0};
      memcpy(res, e.res, sizeof e.res);
      // the model keeps the label TCAM (first match): the trees must answer the same
      if (!TB_LABELLPM || x.table != NSGNIC_DP_TABLE_LABEL)
        t.entry(x.table, (unsigned)i, e.val, e.care, res, x.kw, x.rw, e.valid);
      ref_tcam_write(x.ref, (unsigned)i, e.val, e.care, res, e.valid);
    }
  }
#if TB_LABELLPM
  {
    // the label stage's trees at this model's geometry, as the host's device layer builds them,
    // written node by node through CSR_LPM_SEL / CSR_LPM_DATA into both banks
    uint32_t g = t.csr_rd(NSGNIC_CSR_CAP_LPM);
    if (NSGNIC_GET(&g, DP_CAP_LPM_LEVELS) != TB_LPMLEVELS || NSGNIC_GET(&g, DP_CAP_LPM_FANOUT) != TB_LPMFANOUT ||
        NSGNIC_GET(&g, DP_CAP_LPM_CTX_BITS) != TB_LPMCTXBITS || t.csr_rd(NSGNIC_CSR_CAP_LABELS) != 0 ||
        t.csr_rd(NSGNIC_CSR_CAP_LPM4_LEAVES) != TB_LPM4LEAVES || t.csr_rd(NSGNIC_CSR_CAP_LPM6_RESULTS) != TB_LPM6RESULTS)
      t.fail("CSR_CAP_LPM* differ from the model's parameters");
    nsg_label_geom lg = {{{TB_LPMCTXBITS + 32, TB_LPMFANOUT, TB_LPMLEVELS, TB_LPM4LEAVES, TB_LPM4RESULTS},
                          {TB_LPMCTXBITS + 128, TB_LPMFANOUT, TB_LPMLEVELS, TB_LPM6LEAVES, TB_LPM6RESULTS}}};
    nsg_label_lpm l;
    if (nsg_label_lpm_build_geom(tt, &lg, &l, err, sizeof err)) {
      printf("image: %s\n", err);
      return -1;
    }
    unsigned nodes = 0;
    for (unsigned f = 0; f < 2; f++) {
      const lpm_image &im = l.tree[f];
      unsigned nw = lpm_node_words(&im.g);
      for (int b = 0; b < 2; b++) {
        for (unsigned lv = 0; lv <= im.g.levels; lv++) {
          unsigned n = lv < im.g.levels ? im.used[lv] : (unsigned)l.nrows;
          uint32_t sel = 0;
          NSGNIC_PUT(&sel, DP_LPM_SEL_LEVEL, lv);
          NSGNIC_PUT(&sel, DP_LPM_SEL_BANK, (unsigned)b);
          t.csr_wr(NSGNIC_CSR_LPM_SEL, sel);
          for (unsigned i = 0; i < n; i++) {
            const uint32_t *w = lv < im.g.levels ? im.node[lv] + (size_t)i * nw : l.rows[i];
            unsigned words = lv < im.g.levels ? nw : NSG_TRES_WORDS;
            write_tree_word(t, f, i, w, words);
            nodes++;
          }
        }
      }
    }
    printf("label stage: %zu IPv4 + %zu IPv6 prefixes, %zu result rows, %u node writes (both banks)\n",
           l.prefixes[0], l.prefixes[1], l.nrows, nodes);
    nsg_label_lpm_free(&l);
    // a write to the label TCAM the model does not have is refused
    uint32_t cmd = 0;
    NSGNIC_PUT(&cmd, DP_CMD_TABLE, NSGNIC_DP_TABLE_LABEL);
    NSGNIC_PUT(&cmd, DP_CMD_OP, NSGNIC_DP_OP_WRITE);
    t.csr_wr(NSGNIC_CSR_CMD, cmd);
    t.wait_idle();
    uint32_t st = t.csr_rd(NSGNIC_CSR_STATUS);
    if (!NSGNIC_GET(&st, DP_STATUS_ERROR)) t.fail("label TCAM write accepted by a tree model");
  }
#endif
  for (unsigned f = 0; f < 2; f++)
    for (unsigned k = 0; k < NSGNIC_PORT_CLASSES; k++) {
      t.csr_wr(NSGNIC_CSR_PORT_RANGE + 4 * (f * NSGNIC_PORT_CLASSES + k), tt->port_range[f][k]);
      t.model.prange[f * NSGNIC_PORT_CLASSES + k] = tt->port_range[f][k];
    }
  for (size_t v = 0; v < tt->nvports; v++)
    for (int b = 0; b < 2; b++) {
      t.entry(NSGNIC_DP_TABLE_BINDING, bind_index((unsigned)v, b), tt->bind[v], nullptr, nullptr, 4, 0, 1);
      memcpy(t.model.binding[b][v], tt->bind[v], 16);
    }
  uint32_t ctrl = 0;
  NSGNIC_PUT(&ctrl, DP_CTRL_BANK, tt->bank);
  t.csr_wr(NSGNIC_CSR_CTRL, ctrl);  // learning off for the first half
  t.model.bank = (int)tt->bank;
  t.model.learn = 0;

  static const uint32_t remotes4[] = {0x14010203u, 0x34a1b2c3u, 0xa83f8110u, 0xa9fea9feu,
                                      0x17668af6u, 0x0a000004u, 0x0a010005u, 0xc0a80101u};
  static const unsigned ports[] = {80, 443, 22, 3389, 1433, 25, 1688, 53, 11500, 8080};
  static const unsigned protos[] = {6, 6, 17, 1, 50};
  long compared = 0, cmp_err = 0;
  for (long n = 0; n < npkt; n++) {
    if (n == npkt / 2) {
      drain(t, 100000);
      NSGNIC_PUT(&ctrl, DP_CTRL_LEARN, 1);
      t.csr_wr(NSGNIC_CSR_CTRL, ctrl);
      t.model.learn = 1;
    }
    unsigned v = rnd() % (unsigned)tt->nvports;
    const nsg_tvport &vp = tt->vports[v];
    if (!vp.nips) continue;
    const nsg_ip &lip = vp.ips[rnd() % vp.nips];
    pkt_spec s;
    memset(&s, 0, sizeof s);
    s.family = lip.fam == NSG_AF6;
    uint32_t loc[4], rem[4] = {0, 0, 0, 0};
    addr_words(lip, loc);
    unsigned k = rnd() % 3;
    if (k == 0) {  // another NIC
      const nsg_tvport &o = tt->vports[rnd() % tt->nvports];
      if (o.nips) {
        const nsg_ip &oip = o.ips[rnd() % o.nips];
        if ((oip.fam == NSG_AF6) == (bool)s.family) addr_words(oip, rem);
      }
    }
    if (!rem[0] && !rem[1] && !rem[2] && !rem[3]) {
      if (s.family) { rem[3] = 0x20010db8u ^ (rnd() % 2 ? 0 : 0x0d000000u); rem[0] = rnd(); }
      else rem[0] = rnd() % 2 ? remotes4[rnd() % 8] : rnd();
    }
    bool out = rnd() % 2;
    s.proto = protos[rnd() % 5];
    if (s.family && s.proto == 1) s.proto = 58;
    unsigned lport = rnd() % 2 ? ports[rnd() % 10] : 1024 + rnd() % 60000;
    unsigned rport = rnd() % 2 ? ports[rnd() % 10] : 1024 + rnd() % 60000;
    memcpy(out ? s.src : s.dst, loc, 16);
    memcpy(out ? s.dst : s.src, rem, 16);
    s.sport = out ? lport : rport;
    s.dport = out ? rport : lport;
    s.payload = rnd() % 16;
    Pkt p;
    p.b.resize(400);
    p.b.resize(pkt_build(&s, p.b.data(), p.b.size()));
    unsigned ctx = (unsigned)NSGNIC_GET(tt->bind[v], BINDING_CTX);
    p.port = out ? ((NSGNIC_PORT_KIND_VF << NSGNIC_PORT_KIND_LSB) | v) : ctx;
    // the compiler's model, for the rules-only half
    if (n < npkt / 2) {
      dp_result r;
      dp_model sh = t.model;  // lookup only: learning is off, so the model state does not change
      dp_model_packet(&sh, p.b.data(), p.b.size(), p.port, &r);
      if (r.looked) {
        char ls[64], rs2[64];
        addr_str((int)s.family, loc, ls, sizeof ls);
        addr_str((int)s.family, rem, rs2, sizeof rs2);
        nsg_query q;
        memset(&q, 0, sizeof q);
        q.nic = vp.nic_name ? vp.nic_name : vp.nic_id;
        q.dir = out ? NSG_OUTBOUND : NSG_INBOUND;
        q.proto = (int)s.proto;
        q.local = ls;
        q.remote = rs2;
        q.local_port = (uint16_t)lport;
        q.remote_port = (uint16_t)rport;
        nsg_verdict vd;
        if (nsg_tables_verify(tt, &q, &vd, err, sizeof err) == 0) {
          compared++;
          bool allow = r.action == NSGNIC_ACTION_ALLOW;
          bool bad = allow != vd.allow;
          if (!bad && vd.kind == NSG_DECIDED_BY_RULE && r.rule_id < tt->nrnames)
            bad = strcmp(tt->rnames[r.rule_id].rule, vd.rule_name) != 0;
          if (bad && cmp_err++ < 10)
            printf("packet %ld: model %s rule %u (%s), tables model %s %s (%s)\n", n,
                   allow ? "allow" : "deny", r.rule_id,
                   r.rule_id < tt->nrnames ? tt->rnames[r.rule_id].rule : "-",
                   vd.allow ? "allow" : "deny", vd.rule_name, q.nic);
        }
      }
    }
    t.txq.push_back(p);
    while (t.txq.size() > 4) t.tick();
  }
  drain(t, 200000);
  printf("image %s: %zu rule, %zu label, %zu platform slots, %zu vports; %ld verdicts also compared "
         "with the compiler's tables model, %ld differ\n",
         path, tt->rule.n, tt->label.n, tt->plat.n, tt->nvports, compared, cmp_err);
  nsg_tables_free(tt);
  if (compared == 0) return 1;
  return cmp_err;
}

int main(int argc, char **argv)
{
  Verilated::commandArgs(argc, argv);
  setvbuf(stdout, nullptr, _IOLBF, 0);
  long npkt = argc > 1 ? atol(argv[1]) : 20000;
  uint64_t seed = argc > 2 ? strtoull(argv[2], nullptr, 0) : 1;
  std::string bench, image;
  Tb t;
  unsigned dram_lo = 100, dram_hi = 400;
  long limit = -1;
  for (int i = 3; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "--dram") && i + 2 < argc) {
      dram_lo = (unsigned)atoi(argv[i + 1]);
      dram_hi = (unsigned)atoi(argv[i + 2]);
      i++;
    } else if (!strcmp(argv[i], "--bp")) t.bp_p = atof(argv[i + 1]);
    else if (!strcmp(argv[i], "--idle")) t.idle_p = atof(argv[i + 1]);
    else if (!strcmp(argv[i], "--bench")) bench = argv[i + 1];
    else if (!strcmp(argv[i], "--image")) image = argv[i + 1];
    else if (!strcmp(argv[i], "--limit")) limit = atol(argv[i + 1]);
#if TB_LABELCTX
    else if (!strcmp(argv[i], "--fault")) g_fault = argv[i + 1];
#endif
  }
  rs ^= seed * 0x9e3779b97f4a7c15ull;
  for (int i = 0; i < 10; i++) rnd();
  dp_cfg cfg = {TB_RULEENTRIES, TB_LABELENTRIES, TB_PLATFORMENTRIES, TB_VPORTS, TB_FLOWBUCKETS,
                TB_FLOWWAYS, TB_MAXBEATS, BEAT, HDR, TB_FLOWSTASH};
  if (dp_model_init(&t.model, &cfg)) return 2;
#if TB_FLOWDRAM
  t.model.dram_tier = 1;
  t.model.dram_front = TB_FLOWFRONT;
  if (ref_flow_dram_init(&t.rfd, TB_DRAMBUCKETS, TB_DRAMWAYS, TB_DRAMSIGW, TB_VPORTS)) return 2;
  {
    axi_dram_cfg c;
    memset(&c, 0, sizeof c);
    c.size_bytes = 64ull * NSGNIC_FLOW_TABLES * TB_DRAMBUCKETS * TB_DRAMWAYS;
    c.beat_bytes = 64;
    c.rd_lat_min = c.wr_lat_min = dram_lo;
    c.rd_lat_max = c.wr_lat_max = dram_hi;
    c.max_rd = c.max_wr = 1024;
    c.bytes_per_clock = 256;
    c.ready_pct = bench.empty() ? 70 : 100;
    if (bench.empty()) {
      c.banks = 16;
      c.bank_busy = 10;
      c.refresh_period = 3900;
      c.refresh_clocks = 90;
    }
    c.seed = seed;
    t.dram = axi_dram_new(&c);
    if (!t.dram) return 2;
  }
#else
  (void)dram_lo;
  (void)dram_hi;
  if (limit >= 0) {
    printf("--limit needs a FlowDram=1 model\n");
    return 2;
  }
#endif
  t.m = new Vdatapath;
  Vdatapath *m = t.m;
  m->rst_ni = 0; m->clk_i = 0; m->tick_i = 0; m->eval();
  m->clk_i = 1; m->eval(); m->rst_ni = 1; m->clk_i = 0; m->eval();

  if (t.csr_rd(NSGNIC_CSR_ID) != NSGNIC_CSR_ID_VALUE) t.fail("CSR_ID");
  if (t.csr_rd(NSGNIC_CSR_CAP_RULES) != TB_RULEENTRIES) t.fail("CSR_CAP_RULES");
  // a bad index is refused
  uint32_t bad = 0;
  NSGNIC_PUT(&bad, DP_CMD_INDEX, TB_RULEENTRIES);
  NSGNIC_PUT(&bad, DP_CMD_TABLE, NSGNIC_DP_TABLE_RULE);
  t.csr_wr(NSGNIC_CSR_CMD, bad);
  t.wait_idle();  // BUSY for the clock of the check
  if (!(t.csr_rd(NSGNIC_CSR_STATUS) & (1u << NSGNIC_DP_STATUS_ERROR_LSB))) t.fail("bad index accepted");
  // the flow-hash key: reset value readable, then a key of this seed (the flow cache is empty)
  for (unsigned i = 0; i < NSGNIC_FLOW_HKEY_WORDS; i++) {
    if (t.csr_rd(NSGNIC_CSR_FLOW_HKEY + 4 * i) != t.model.hkey[i]) t.fail("CSR_FLOW_HKEY reset value");
    t.model.hkey[i] = rnd();
    t.csr_wr(NSGNIC_CSR_FLOW_HKEY + 4 * i, t.model.hkey[i]);
  }
  // the S5 per-NIC limit of the DRAM tier: reset FLOW_LIMIT_DEFAULT, tier size in CAP_DRAM_FLOWS
  if (t.csr_rd(NSGNIC_CSR_FLOW_LIMIT) != NSGNIC_FLOW_LIMIT_DEFAULT) t.fail("CSR_FLOW_LIMIT reset value");
#if TB_FLOWDRAM
  if (t.csr_rd(NSGNIC_CSR_CAP_DRAM_FLOWS) != NSGNIC_FLOW_TABLES * TB_DRAMBUCKETS * TB_DRAMWAYS)
    t.fail("CSR_CAP_DRAM_FLOWS differs");
  if (limit >= 0) {
    t.csr_wr(NSGNIC_CSR_FLOW_LIMIT, (uint32_t)limit);
    if (t.csr_rd(NSGNIC_CSR_FLOW_LIMIT) != (uint32_t)limit) t.fail("CSR_FLOW_LIMIT read-back");
    t.rfd.limit = (uint32_t)limit;
  }
#else
  if (t.csr_rd(NSGNIC_CSR_CAP_DRAM_FLOWS) != 0) t.fail("CSR_CAP_DRAM_FLOWS without a tier");
#endif

  g_permissive = !bench.empty();
#if TB_LABELCTX
  // per-vport label contexts: the label TCAM is the local-address table (CSR_CAP_LABELS its size)
  {
    uint32_t g = t.csr_rd(NSGNIC_CSR_CAP_LPM);
    if (!NSGNIC_GET(&g, DP_CAP_LPM_LABEL_CTX) || NSGNIC_GET(&g, DP_CAP_LPM_LEVELS) != TB_LPMLEVELS ||
        t.csr_rd(NSGNIC_CSR_CAP_LABELS) != TB_LABELENTRIES)
      t.fail("CSR_CAP_LPM.LABEL_CTX / CSR_CAP_LABELS differ from a label-context model");
  }
  t.model.label_ctx = 1;
  if (!image.empty()) {  // the image's label-context rows and local table (IMAGE_VERSION 4)
    printf("--image on a label-context model: not supported yet (images of per-vport label contexts)\n");
    return 2;
  }
#else
  {
    uint32_t g = t.csr_rd(NSGNIC_CSR_CAP_LPM);
    if (NSGNIC_GET(&g, DP_CAP_LPM_LABEL_CTX)) t.fail("CSR_CAP_LPM.LABEL_CTX set without label contexts");
  }
#endif
  if (TB_LABELLPM && !TB_LABELCTX && image.empty()) {
    printf("this model's label stage is the block-RAM trees: run it with --image\n");
    return 2;
  }
  if (image.empty()) {
#if TB_LABELCTX
  gen_ctx(t, 0, 0, TB_LABELENTRIES / 2);  // before the bindings: they name the contexts
  gen_bindings(t, 0);
  gen_port_ranges(t);
#else
  gen_bindings(t, 0);
  gen_port_ranges(t);
  gen_labels(t, 0, 0, TB_LABELENTRIES / 2);
#endif
  gen_platform(t, 0, 0);
  gen_rules(t, 0, 0, TB_RULEENTRIES / 2);
  // read a rule entry back
  {
    uint32_t cmd = 0;
    NSGNIC_PUT(&cmd, DP_CMD_INDEX, 3);
    NSGNIC_PUT(&cmd, DP_CMD_TABLE, NSGNIC_DP_TABLE_RULE);
    t.csr_wr(NSGNIC_CSR_CMD, cmd);
    t.wait_idle();
    const ref_tcam_entry &e = t.model.rule.e[3];
    for (unsigned i = 0; i < NSGNIC_RULE_KEY_WORDS; i++)
      if (t.csr_rd(NSGNIC_CSR_DATA + 4 * i) != e.value[i] || t.csr_rd(NSGNIC_CSR_MASK + 4 * i) != e.mask[i])
        t.fail("rule read-back differs");
    if (t.csr_rd(NSGNIC_CSR_RES) != e.res[0]) t.fail("rule result read-back differs");
  }
  }
  unsigned max_len = TB_MAXBEATS * BEAT;
  Gen g;
  g.max_len = max_len;
  clock_t c0 = clock();
  uint64_t cyc0 = t.cyc;

  if (!image.empty()) {
    long r = run_image(t, image.c_str(), npkt);
    if (r < 0) return 2;
    t.errors += r;
  } else if (!bench.empty()) {
    // throughput: single-beat packets, no input gaps
    t.idle_p = 0;
    t.bp_p = bench == "bp" ? 0.5 : 0.0;
    std::vector<Flow> warm;
    auto allowed_flow = [&](void) {
      // UDP between a bound vport and a VNet address: allowed by the permissive rule set
      Flow f = new_flow();
      f.v = (int)(rnd() % (NV - 1));
      f.fam = 0;
      f.proto = 17;
      f.rem[0] = (10u << 24) | ((unsigned)(f.v % 2) << 16) | (3u << 8) | (rnd() % 250);
      f.lport = 1024 + rnd() % 60000;
      f.rport = 7000 + rnd() % 1000;
      return f;
    };
    auto small = [&](const Flow &f, bool out) {
      Pkt p = flow_pkt(f, out, 0);
      p.b.resize(60);
      uint32_t port = out ? ((NSGNIC_PORT_KIND_VF << NSGNIC_PORT_KIND_LSB) | (unsigned)f.v) : (unsigned)(f.v % 2);
      p.port = port;
      return p;
    };
    if (bench == "fill") {
      // distinct allowed flows until the first learn failure
      long n = 0, learned = 0;
      for (;;) {
        Flow f = allowed_flow();
        Pkt p = small(f, true);
        t.txq.push_back(p);
        while (!t.txq.empty() || t.have) t.tick();
        while (!t.exp_mon.empty()) t.tick();
        n++;
        if (t.reasons[NSGNIC_REASON_FLOW_FULL]) break;
        learned = t.learned;
        if (n > 4L * FLOW_ENTRIES) break;
      }
      printf("flow_load_at_first_fail: %.3f ratio (%ld of %u entries: %u tables x %u buckets x %u ways + %u stash)\n",
             (double)learned / FLOW_ENTRIES, learned, FLOW_ENTRIES, (unsigned)NSGNIC_FLOW_TABLES,
             TB_FLOWBUCKETS, TB_FLOWWAYS, TB_FLOWSTASH);
    } else {
      for (int i = 0; i < 256; i++) warm.push_back(allowed_flow());
      if (bench == "hit" || bench == "mixed" || bench == "bp") {
        for (auto &f : warm) t.txq.push_back(small(f, true));
        drain(t, 100000);
      }
      t.acc = 0; t.out_pkts = 0; t.ready_cycles = 0;
      for (long i = 0; i < npkt; i++) {
        if (bench == "miss") t.txq.push_back(small(allowed_flow(), true));
        else if (bench == "mixed" && i % 2) {
          Pkt j = small(allowed_flow(), rnd() % 2);
          if (rnd() % 4 == 0) for (size_t b = 12; b < j.b.size(); b++) j.b[b] = (uint8_t)rnd();
          t.txq.push_back(j);  // a quarter unparseable single-beat frames
        } else {
          const Flow &f = warm[rnd() % warm.size()];
          t.txq.push_back(small(f, rnd() % 2));
        }
      }
      drain(t, 10 * (uint64_t)npkt + 10000);
      double ppc = (double)(t.acc - 1) / (double)(t.last_acc - t.first_acc);
      if (bench == "bp")
        printf("pkts_per_clock_backpressure: %.3f packets per ready output clock (%lu forwarded)\n",
               (double)t.out_pkts / (double)t.ready_cycles * 1.0, (unsigned long)t.out_pkts);
      else
        printf("pkts_per_clock_%s: %.3f packets/clock (%lu packets)\n",
               bench == "miss" ? "miss_learn" : bench.c_str(), ppc, (unsigned long)t.acc);
      if (bench == "hit") printf("latency_cycles: %llu cycles (last beat accepted -> verdict)\n",
                                 (unsigned long long)t.lat_max);
      if (bench == "miss")
        printf("sim_cycles_per_sec: %.0f cycles/s\n",
               (double)(t.cyc - cyc0) / ((double)(clock() - c0) / CLOCKS_PER_SEC));
    }
  } else {
    long phase = npkt / 3;
    for (long i = 0; i < npkt; i++) {
      g.next(t);
      while (t.txq.size() > 4) {
        t.tick();
        if (rnd() % 64 == 0) flow_csr_ops(t);  // aging-like reads and deletes
#if TB_FLOWDRAM
        if (rnd() % 48 == 0) dram_csr_ops(t);  // the host's view of DRAM flows, deletes
#endif
        if (rnd() % 32 == 0) exq_check(t);
      }
      if (i == phase || (TB_LABELCTX && i == 2 * phase)) {
        // second rule set into the shadow bank while traffic runs, then flip (label contexts:
        // a third one into bank 0 later, its trees written while bank 1's searches run)
        int nb = i == phase ? 1 : 0;
#if TB_LABELCTX
        gen_ctx(t, nb, (unsigned)nb * TB_LABELENTRIES / 2, TB_LABELENTRIES / 2);
#else
        gen_labels(t, nb, TB_LABELENTRIES / 2, TB_LABELENTRIES / 2);
#endif
        gen_platform(t, nb, (unsigned)nb * TB_PLATFORMENTRIES / 2);
        gen_rules(t, nb, (unsigned)nb * TB_RULEENTRIES / 2, TB_RULEENTRIES / 2);
        gen_bindings(t, nb);  // banked attachments: invisible until the flip
        uint32_t ctrl = 0;
        NSGNIC_PUT(&ctrl, DP_CTRL_BANK, (unsigned)nb);
        NSGNIC_PUT(&ctrl, DP_CTRL_LEARN, 1);
#if TB_LABELCTX
        // right after the flip the old bank's IPv4 tree loses its top node (zero: a wrong path for
        // most keys; the host replays its writes into the old bank after COMMIT): packets that
        // sampled the old bank and have not reached the trees yet must not see it (the write
        // waits for them); the old bank is rewritten whole before it is active again
        uint32_t sel = 0;
        NSGNIC_PUT(&sel, DP_LPM_SEL_LEVEL, g_top4[nb ^ 1]);
        NSGNIC_PUT(&sel, DP_LPM_SEL_BANK, (unsigned)(nb ^ 1));
        t.csr_wr(NSGNIC_CSR_LPM_SEL, sel);
        lpm_geom g4 = {TB_LPMCTXBITS + 32, TB_LPMFANOUT, TB_LPMLEVELS, TB_LPM4LEAVES, TB_LPM4RESULTS};
        for (unsigned k = 0; k < lpm_node_words(&g4); k++) t.csr_wr(NSGNIC_CSR_LPM_DATA + 4 * k, 0);
#endif
        t.csr_wr(NSGNIC_CSR_CTRL, ctrl);
        t.model.bank = nb;
#if TB_LABELCTX
        uint32_t cmd = 0;
        NSGNIC_PUT(&cmd, DP_CMD_TABLE, NSGNIC_DP_TABLE_LPM4);
        NSGNIC_PUT(&cmd, DP_CMD_OP, NSGNIC_DP_OP_WRITE);
        NSGNIC_PUT(&cmd, DP_CMD_VALID, 1);
        t.csr_wr(NSGNIC_CSR_CMD, cmd);
        t.wait_idle();
#endif
      }
    }
#if TB_LABELCTX
    if (g_fault.empty()) ctx_write_race(t);
#endif
    drain(t, 200000);
    // counters
    uint32_t rx = t.csr_rd(NSGNIC_CSR_CNT + 4 * NSGNIC_CNT_RX_PKTS);
    uint32_t hit = t.csr_rd(NSGNIC_CSR_CNT + 4 * NSGNIC_CNT_FLOW_HIT);
    uint32_t lrn = t.csr_rd(NSGNIC_CSR_CNT + 4 * NSGNIC_CNT_FLOW_LEARN);
    uint32_t rel = t.csr_rd(NSGNIC_CSR_CNT + 4 * NSGNIC_CNT_FLOW_RELATED);
    if (rel != (uint32_t)t.related) t.fail("related counter differs");
    // the stimulus must reach the related path (S5): a run where no error is related cannot fail
    if (t.related < npkt / 400) t.fail("too few ICMP errors forwarded as related");
    uint64_t sum = 0;
    for (unsigned i = 0; i < NSGNIC_REASON_CODES; i++) sum += t.csr_rd(NSGNIC_CSR_CNT + 4 * i);
    if (rx != (uint32_t)t.sent || sum != (uint64_t)t.sent) t.fail("packet counters differ");
    if (hit != (uint32_t)t.hits || lrn != (uint32_t)t.learned) t.fail("flow counters differ");
    if (t.csr_rd(NSGNIC_CSR_CNT) != (uint32_t)t.forwarded) t.fail("forwarded counter differs");
    if (t.csr_rd(NSGNIC_CSR_CNT + 4 * NSGNIC_REASON_EXQ_FULL) != (uint32_t)t.exq_full)
      t.fail("EXQ_FULL counter differs from the drops seen");
    if (t.csr_rd(NSGNIC_CSR_CNT + 4 * NSGNIC_CNT_EXQ_FORWARDED) != (uint32_t)t.rel_fwd ||
        t.csr_rd(NSGNIC_CSR_CNT + 4 * NSGNIC_CNT_EXQ_DISCARDED) != (uint32_t)t.rel_drop ||
        t.rel_out != t.rel_fwd)
      t.fail("release counters differ");
    if (t.csr_rd(NSGNIC_CSR_EXQ_PARKED) != 0) t.fail("park slots still taken after the drain");
    if (t.csr_rd(NSGNIC_CSR_EXQ_SLOTS) != TB_EXQDEPTH) t.fail("EXQ_SLOTS differs");
    printf("parked exceptions: %ld forwarded, %ld dropped by release, %ld dropped for want of a slot\n",
           t.rel_fwd, t.rel_drop, t.exq_full);
    if (!t.rel_fwd || !t.rel_drop) t.fail("coverage: no release of each kind");
  }
#if TB_FLOWDRAM
  printf("DRAM tier (%u x %u x %u slots, latency %u..%u): %ld learned, %ld hits, %ld refused "
         "(S5 table full: punted), %ld learned twice, %u slots used\n",
         (unsigned)NSGNIC_FLOW_TABLES, TB_DRAMBUCKETS, TB_DRAMWAYS, dram_lo, dram_hi, t.dram_learns,
         t.dram_hits, t.dram_refused, t.dup_learn, (unsigned)m->flow_dram_used_o);
  if (t.dup_learn) t.fail("a flow was learned twice in DRAM (pending-miss tracking)");
  if (m->flow_dram_used_o != t.rfd.used) t.fail("DRAM slots in use differ from the reference");
  if (bench.empty() && image.empty() && (!t.dram_learns || !t.dram_hits))
    t.fail("coverage: no DRAM learn or no DRAM hit");
  printf("DRAM management: %ld slot reads, %ld flows deleted through the CSR bus\n", t.dram_reads,
         t.dram_deletes);
#if TB_FLOWFRONT
  printf("cache in front: %ld flows learned in the cache (counted), %ld counted cache entries "
         "deleted\n", t.cache_learns, t.cache_uncounted);
  if (bench.empty() && image.empty() && (!t.cache_learns || !t.cache_uncounted))
    t.fail("coverage: no cache learn or no delete of a counted cache entry");
#endif
  if (bench.empty() && image.empty() && (!t.dram_reads || !t.dram_deletes))
    t.fail("coverage: no DRAM slot read or delete");
  // a slot beyond the tier, a write with VALID 1: refused
  {
    uint32_t cmd = 0;
    NSGNIC_PUT(&cmd, DP_CMD_TABLE, NSGNIC_DP_TABLE_FLOW);
    NSGNIC_PUT(&cmd, DP_CMD_DRAM, 1);
    t.csr_wr(NSGNIC_CSR_DRAM_SLOT, ref_flow_dram_slots(&t.rfd));
    t.csr_wr(NSGNIC_CSR_CMD, cmd);
    t.wait_idle();  // BUSY for the clock of the check
    if (!(t.csr_rd(NSGNIC_CSR_STATUS) & (1u << NSGNIC_DP_STATUS_ERROR_LSB))) t.fail("DRAM slot beyond the tier accepted");
    t.csr_wr(NSGNIC_CSR_DRAM_SLOT, 0);
    NSGNIC_PUT(&cmd, DP_CMD_OP, NSGNIC_DP_OP_WRITE);
    NSGNIC_PUT(&cmd, DP_CMD_VALID, 1);
    t.csr_wr(NSGNIC_CSR_CMD, cmd);
    t.wait_idle();
    if (!(t.csr_rd(NSGNIC_CSR_STATUS) & (1u << NSGNIC_DP_STATUS_ERROR_LSB))) t.fail("DRAM write with VALID 1 accepted");
  }
  if (bench.empty() && t.csr_rd(NSGNIC_CSR_CNT + 4 * NSGNIC_CNT_FLOW_LEARN_FAIL) != (uint32_t)t.dram_refused)
    t.fail("learn-failure counter differs from the DRAM tier's refusals");
  if (limit >= 0) {
    // S5: the NIC at its limit is refused (punted, counted), the others keep learning
    printf("S5 limit %ld: %ld flows refused at the limit (first: NIC %u), %ld learned by other NICs "
           "afterwards\n", limit, t.dram_limit, t.limit_vport, t.learn_after_limit);
    if (!t.dram_limit || !t.learn_after_limit) t.fail("coverage: no limit refusal, or no learn after one");
  }
#else
  // fixed latency without the DRAM tier (the parser's stages + the lookup's, whatever the path;
  // docs/datapath.md, Pipeline): every verdict the same number of clocks after its last beat
  if (t.results && t.lat_min != t.lat_max) t.fail("verdict latency varies without the DRAM tier");
#endif
  double secs = (double)(clock() - c0) / CLOCKS_PER_SEC;
  printf("datapath: %ld packets, %ld verdicts, %ld forwarded, %ld exceptions read, %ld flow hits, "
         "%ld learned, %ld related, %llu cycles, latency %llu..%llu, %.0f cycles/s, %ld errors\n  reasons:",
         t.sent, t.results, t.forwarded, t.punts_seen, t.hits, t.learned, t.related,
         (unsigned long long)t.cyc, (unsigned long long)t.lat_min, (unsigned long long)t.lat_max,
         (double)(t.cyc - cyc0) / (secs > 0 ? secs : 1), t.errors);
  for (int k = 0; k < NSGNIC_REASON_CODES; k++)
    if (t.reasons[k]) printf(" %d:%ld", k, t.reasons[k]);
  printf("\n");
  m->final();
  delete m;
  if (t.results != t.sent) {
    printf("FAIL: %ld packets but %ld verdicts\n", t.sent, t.results);
    return 1;
  }
#if TB_LABELCTX
  if (!g_fault.empty()) {  // the hardware was programmed wrongly on purpose: the check must see it
    printf("fault '%s': %ld differences %s\n", g_fault.c_str(), t.errors,
           t.errors ? "detected (pass)" : "NOT detected (FAIL)");
    return t.errors ? 0 : 1;
  }
#endif
  return t.errors ? 1 : 0;
}
