// SPDX-License-Identifier: Apache-2.0
// flow_dram testbench: the Verilated DRAM flow tier against the C reference (ref_flow_dram.c),
// its AXI4 port on the DRAM model (tb/common/axi_dram.c) with random latency, outstanding limits,
// bandwidth, bank/refresh stalls and ready back-pressure; random request gaps and result
// back-pressure. Every result is compared in request order (hit, learned, full, limit, collision,
// action, rule id, slot, the whole entry); at the end, after the pipeline drained, every slot of
// the DRAM equals the reference entry (a deleted slot keeps its last entry: only the directory
// forgets it) and the used count matches.
// Traffic: new flows, most followed back to back by 1..3 more packets of the same flow (each
// must hit the entry the first learned: never a second learn), packets of known flows in both
// directions, probes (look up only), packets that may not learn, write-backs of evicted entries
// (changed counters), unknown keys, keys of a vport beyond Vports (fail closed: limit), a per-NIC
// limit (S5), management reads of slots (entry, valid bit, the bucket's valid bits) and deletes
// by slot in order with the packets (the per-NIC counter drops: later learns of that NIC are
// allowed again). Then a fill of new flows back to back until the first refusal (load printed).
// Aging (S5): the scan engine runs through the random traffic with random per-class and per-vport
// timeouts (tens to hundreds of NOW units; NOW advances every 16 clocks) and random report
// back-pressure. Every expired-flow report (x_*) must name a slot the reference holds, carry its
// entry exactly, and that entry must be expired now: a flow hit after the scan read it (the
// watch) is never deleted; the reference then deletes it too, in the same place of the request
// order. Packets that hit a flow expired by the reference's clock but not yet deleted ("rescued")
// are counted and must occur. At the end NOW stops: after two passes no flow the reference holds
// is expired (nothing missed); then NOW jumps past every timeout: after two passes the table is
// empty, the per-NIC counters all 0 (learns allowed again) and `used` 0.
// With --bad-from S the DRAM model holds only slots below S: every read or write of a slot >= S
// is answered SLVERR (an uncorrectable ECC error, say). flow_dram must fail closed: a lookup whose
// read failed is refused (collide: the caller punts it) and not updated, a management read or
// delete answers an all-zero entry; the sticky error and the error events (err_ev_o) must show
// it; the reference (bad_from) predicts every result. Aging and the fill phase are off then.
// Usage: tb_flow_dram <requests> <seed> [--bad-from S]
//        tb_flow_dram --bench <fill|miss|mixed|latency|aging> <packets> <seed>   (figures)
//        tb_flow_dram --soak <flows> <seed>   (issue 13's soak at the realistic table: that many
//          concurrent new flows learned back to back with the aging scan running, a packet of a
//          quarter of them, then NOW past every timeout: every flow aged out, reported once,
//          nothing left; every result, report and DRAM slot against the reference)
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <string>
#include <vector>

#include "Vflow_dram.h"
#include "axi_dram_vl.h"
#include "nsgnic/abi.h"
#include "nsgnic/flow_age.h"
#include "ref_flow_dram.h"
#include "verilated.h"
#include "vl_bits.h"

static uint64_t rs = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(void)
{
  rs ^= rs << 13;
  rs ^= rs >> 7;
  rs ^= rs << 17;
  return (uint32_t)(rs >> 11);
}

static const unsigned LIMW = 2 + __builtin_ctz(TB_BUCKETS) + __builtin_ctz(TB_WAYS) + 1;

struct expect {
  ref_flow_dram_req req;
  ref_flow_dram_out out;
  long t_in;
  int follow;  // a back-to-back packet of a flow learned just before
};

static Vflow_dram *m;
static axi_dram *dram;
static ref_flow_dram ref;
static std::deque<expect> q;
static long cyc, errors, n_out, n_hit, n_learn, n_full, n_limit, n_collide, n_follow, n_wb;
static long n_mgmt, n_del;
static long lat_last, lat_max;
static int out_ready_pct = 100, gap_pct = 0;
// aging: the engine's configuration and the tb's clock (NOW advances every 16 clocks while running)
static unsigned tnow, age_to[NSGNIC_AGE_CLASSES];
static uint16_t age_est[256];
static int now_run = 1, age_on = 0, age_room_pct = 100;
static long n_expired, n_rescued, n_wraps;
static unsigned bad_from = ~0u;   // --bad-from: DRAM slots >= this answer SLVERR
static long n_err_ev, n_bad_reads;

static void check(const expect &e)
{
  const ref_flow_dram_out &o = e.out;
  int bad = (int)m->c_hit_o != o.hit || (int)m->c_learned_o != o.learned || (int)m->c_full_o != o.full ||
            (int)m->c_limit_o != o.limit || (int)m->c_collide_o != o.collide;
  if (e.req.op >= 2) {  // management read / delete: the slot's entry, its bucket's valid bits
    uint32_t ent[RFD_WORDS];
    tb::get_words(m->c_entry_o, 0, NSGNIC_FLOW_BITS, ent);
    bad |= memcmp(ent, o.entry, sizeof ent) != 0 || m->c_slot_o != o.slot ||
           (uint32_t)m->c_vmask_o != o.vmask;
    n_mgmt++;
  } else if (o.hit || o.learned) {
    bad |= m->c_action_o != o.action || m->c_rule_id_o != o.rule_id || m->c_slot_o != o.slot;
    uint32_t ent[RFD_WORDS];
    tb::get_words(m->c_entry_o, 0, NSGNIC_FLOW_BITS, ent);
    bad |= memcmp(ent, o.entry, sizeof ent) != 0;
  }
  // a back-to-back packet of a new flow learned again (a failing DRAM slot refuses it instead)
  if (e.follow && !m->c_hit_o && !(o.read && o.slot >= bad_from)) bad = 1;
  if (bad && errors++ < 10)
    printf("cycle %ld op %u: got hit=%d learned=%d full=%d limit=%d collide=%d slot=%u rule=%u, want "
           "hit=%d learned=%d full=%d limit=%d collide=%d slot=%u rule=%u%s\n",
           cyc, e.req.op, m->c_hit_o, m->c_learned_o, m->c_full_o, m->c_limit_o, m->c_collide_o,
           (unsigned)m->c_slot_o, m->c_rule_id_o, o.hit, o.learned, o.full, o.limit, o.collide, o.slot,
           o.rule_id, e.follow ? " (back-to-back follower)" : "");
  n_hit += e.req.op < 2 ? o.hit : 0;
  n_learn += o.learned;
  n_full += o.full;
  n_limit += o.limit;
  n_collide += o.collide;
  n_out++;
  lat_last = cyc - e.t_in;
  if (lat_last > lat_max) lat_max = lat_last;
}

// One clock. `r` (may be null) is offered; returns 1 when it was accepted.
static int clock1(const ref_flow_dram_req *r, int follow)
{
  TB_AXI_DRAM_DRIVE(m, m_axi_, dram);
  m->a_valid_i = r != nullptr;
  if (r) {
    m->a_op_i = r->op;
    m->a_slot_i = r->slot;
    tb::put(m->a_key_i, r->key, 0, NSGNIC_FLOW_KEY_BITS);
    m->a_outbound_i = r->outbound;
    m->a_tcp_i = r->tcp;
    m->a_len_i = r->len;
    m->a_learn_i = r->learn;
    m->a_probe_i = r->probe;
    m->a_rule_id_i = r->rule_id;
    m->a_gen_i = r->gen;
    m->a_now_i = r->now;
    tb::put(m->a_data_i, r->data, 0, NSGNIC_FLOW_BITS);
  }
  m->c_ready_i = out_ready_pct >= 100 || (int)(rnd() % 100) < out_ready_pct;
  m->age_en_i = age_on;
  m->age_now_i = tnow & 0xffffu;
  m->age_room_i = age_room_pct >= 100 || (int)(rnd() % 100) < age_room_pct;
  m->eval();
  n_wraps += m->age_wrap_o;
  n_err_ev += m->err_ev_o;
  if (m->x_valid_o) {
    // an expired flow deleted: the reference holds that flow, as the scan read it, expired now;
    // it is deleted there too, before the request accepted in this clock
    unsigned s = m->x_slot_o;
    uint32_t ent[RFD_WORDS];
    tb::get_words(m->x_entry_o, 0, NSGNIC_FLOW_BITS, ent);
    int bad = s >= ref_flow_dram_slots(&ref) || !ref_flow_dram_used(&ref, s);
    if (!bad) bad = memcmp(ent, ref.e[s], sizeof ent) != 0 || !nsgnic_flow_age_expired(ent, tnow, age_to, age_est);
    if (bad && errors++ < 10)
      printf("cycle %ld: aging deleted slot %u (held %d, entry %s, expired %d, idle %u)\n", cyc, s,
             s < ref_flow_dram_slots(&ref) ? ref_flow_dram_used(&ref, s) : -1,
             s < ref_flow_dram_slots(&ref) && !memcmp(ent, ref.e[s], sizeof ent) ? "equal" : "differs",
             nsgnic_flow_age_expired(ent, tnow, age_to, age_est),
             (tnow - (unsigned)NSGNIC_GET(ent, FLOW_TIMESTAMP)) & 0xffffu);
    if (bad && errors < 10)
      printf("  class %u vport %u timeout %u est %u\n", nsgnic_flow_age_class(ent), (unsigned)NSGNIC_GET(ent, FLOW_VPORT),
             nsgnic_flow_age_timeout(nsgnic_flow_age_class(ent), age_to, age_est[NSGNIC_GET(ent, FLOW_VPORT)]),
             age_est[NSGNIC_GET(ent, FLOW_VPORT)]);
    if (!bad) {
      ref_flow_dram_req d;
      ref_flow_dram_out o;
      memset(&d, 0, sizeof d);
      d.op = 3;
      d.slot = s;
      memcpy(d.data, ref.e[s], sizeof d.data);
      ref_flow_dram_request(&ref, &d, &o);
    }
    n_expired++;
  }
  int acc = r && m->a_ready_o;
  if (acc) {
    expect e;
    memset(&e, 0, sizeof e);
    e.req = *r;
    e.t_in = cyc;
    e.follow = follow;
    ref_flow_dram_request(&ref, r, &e.out);
    if (e.out.read && e.out.slot >= bad_from) n_bad_reads++;
    if (age_on && e.out.hit && r->op < 2 && nsgnic_flow_age_expired(e.out.before, tnow, age_to, age_est))
      n_rescued++;  // hit while expired and not yet deleted: the scan must not delete it now
    q.push_back(e);
  }
  if (m->c_valid_o && m->c_ready_i) {
    if (q.empty()) {
      if (errors++ < 10) printf("cycle %ld: a result without a request\n", cyc);
    } else {
      check(q.front());
      q.pop_front();
    }
  }
  bool ok;
  TB_AXI_DRAM_STEP(m, m_axi_, dram, ok);
  if (!ok && errors++ < 10) printf("cycle %ld: AXI request not a single full 64-byte beat\n", cyc);
  m->clk_i = 1;
  m->eval();
  m->clk_i = 0;
  m->eval();
  cyc++;
  if (now_run && cyc % 16 == 0) tnow++;
  if (getenv("TB_TRACE") && cyc % 20000 == 0)
    fprintf(stderr, "cycle %ld: out %ld, pending %zu, a_ready %d, c_valid %d, dram idle %d\n", cyc, n_out,
            q.size(), m->a_ready_o, m->c_valid_o, axi_dram_idle(dram));
  return acc;
}

// Offer r until accepted, with random idle clocks before.
static void send(const ref_flow_dram_req *r, int follow = 0)
{
  while (gap_pct && (int)(rnd() % 100) < gap_pct) clock1(nullptr, 0);
  long t0 = cyc;
  while (!clock1(r, follow)) {
    if (cyc - t0 > 1000000) {
      printf("cycle %ld: request not accepted for 1,000,000 clocks (deadlock); FAILED\n", cyc);
      exit(1);
    }
  }
}

static void drain(void)
{
  long t0 = cyc;
  int saved = out_ready_pct, saved_age = age_on, saved_room = age_room_pct;
  age_on = 0;  // no new scans; those in flight finish (their deletes get report room)
  age_room_pct = 100;
  for (int round = 0; round < 2; round++) {
    while ((!q.empty() || !axi_dram_idle(dram) || m->m_axi_awvalid || m->m_axi_wvalid || m->m_axi_arvalid) &&
           cyc - t0 < 10000000)
      clock1(nullptr, 0);
    for (int i = 0; i < (saved_age ? 1000 : 50); i++) clock1(nullptr, 0);
  }
  out_ready_pct = saved;
  age_on = saved_age;
  age_room_pct = saved_room;
  if (!q.empty() && errors++ < 10) printf("drain: %zu results missing\n", q.size());
}

// ---- traffic -------------------------------------------------------------------------------------
struct flow {
  uint32_t key[RFD_WORDS];
};
static std::vector<flow> flows;

static void rand_key(uint32_t *k)
{
  memset(k, 0, RFD_WORDS * 4);
  int v6 = rnd() % 4 == 0;
  k[0] = 0x0a000000u | (rnd() & 0xfff);
  k[4] = 0xc0a80000u | (rnd() & 0xffff);
  if (v6)
    for (int i = 1; i < 4; i++) {
      k[i] = rnd();
      k[4 + i] = rnd();
    }
  k[8] = (rnd() & 0xffffu) | (rnd() % 4 ? 443u : rnd() & 0xffffu) << 16;
  static const unsigned protos[] = {6, 17, 1, 58};
  unsigned vp = rnd() % 64 ? rnd() % TB_VPORTS : TB_VPORTS + rnd() % 4;  // a few beyond Vports
  k[9] = protos[rnd() % 4] | (unsigned)v6 << 8 | (vp & 0xffu) << 16;
}

static void packet(ref_flow_dram_req *r, const uint32_t *key)
{
  memset(r, 0, sizeof *r);
  memcpy(r->key, key, sizeof r->key);
  r->outbound = rnd() % 2;
  r->learn = rnd() % 10 != 0;
  r->probe = rnd() % 20 == 0;
  r->tcp = rnd() % 8;
  r->len = 60 + rnd() % 1455;
  r->rule_id = rnd() & 0xffff;
  r->gen = rnd() & 0xff;
  r->now = tnow & 0xffffu;
}

static void random_request(void)
{
  ref_flow_dram_req r;
  unsigned c = rnd() % 100;
  if (c < 20 || flows.empty()) {  // a new flow, often with followers back to back
    flow f;
    rand_key(f.key);
    flows.push_back(f);
    packet(&r, f.key);
    r.learn = 1;
    r.probe = 0;
    ref_flow_dram_out pre;
    // will it learn? (peek: the reference on a copy is costly; decide from the result instead)
    send(&r);
    pre = q.back().out;
    int follow = pre.learned;
    n_follow += follow ? 1 : 0;
    unsigned nf = rnd() % 4;
    for (unsigned i = 0; i < nf; i++) {
      packet(&r, f.key);
      r.probe = 0;
      send(&r, follow);
    }
  } else if (c < 75) {  // a known flow
    packet(&r, flows[rnd() % flows.size()].key);
    send(&r);
  } else if (c < 85) {  // write-back of an evicted entry (as the on-chip cache changed it)
    const flow &f = flows[rnd() % flows.size()];
    memset(&r, 0, sizeof r);
    r.op = 1;
    memcpy(r.data, f.key, 40);
    r.data[9] &= 0xffffffu;
    for (int i = 10; i < 16; i++) r.data[i] = rnd();
    // an eviction keeps the flow's initiator (its S5 counter): the entry's, when the table has it
    unsigned slots = ref_flow_dram_slots(&ref);
    for (unsigned k = 0; k < slots; k++)
      if (ref_flow_dram_used(&ref, k) && !memcmp(ref.e[k], r.data, 36) &&
          (ref.e[k][9] & 0xffffffu) == r.data[9]) {
        NSGNIC_PUT(r.data, FLOW_INIT_OUTBOUND, NSGNIC_GET(ref.e[k], FLOW_INIT_OUTBOUND));
        break;
      }
    NSGNIC_PUT(r.data, FLOW_VALID, 1);
    nsgnic_bits_put(r.data, NSGNIC_FLOW_RESERVED1_LSB, NSGNIC_FLOW_RESERVED1_W, 0);
    // the cache stamped it at its last packet: not in the future
    NSGNIC_PUT(r.data, FLOW_TIMESTAMP, (tnow - rnd() % 64) & 0xffffu);
    n_wb++;
    send(&r);
  } else if (c < 90) {  // management (the firmware): read a slot, sometimes delete it
    memset(&r, 0, sizeof r);
    unsigned slots = ref_flow_dram_slots(&ref);
    r.slot = rnd() % slots;
    for (unsigned k = 0; k < slots && rnd() % 4; k++, r.slot = (r.slot + 1) % slots)
      if (ref_flow_dram_used(&ref, r.slot)) break;  // mostly a slot holding a flow
    r.op = 2;
    if (rnd() % 2) {
      // delete: the firmware passes the entry it read (VPORT, INIT_OUTBOUND name the counter)
      r.op = 3;
      memcpy(r.data, ref.e[r.slot], sizeof r.data);
      n_del += ref_flow_dram_used(&ref, r.slot);
    }
    send(&r);
  } else {  // unknown key
    uint32_t k[RFD_WORDS];
    rand_key(k);
    packet(&r, k);
    send(&r);
  }
}

static axi_dram *new_dram(unsigned lat_lo, unsigned lat_hi, unsigned bpc, int stalls, unsigned ready_pct,
                          uint64_t seed)
{
  axi_dram_cfg c;
  memset(&c, 0, sizeof c);
  c.size_bytes = 64ull * (bad_from < NSGNIC_FLOW_TABLES * TB_BUCKETS * TB_WAYS
                          ? bad_from : NSGNIC_FLOW_TABLES * TB_BUCKETS * TB_WAYS);
  c.beat_bytes = 64;
  c.rd_lat_min = lat_lo;
  c.rd_lat_max = lat_hi;
  c.wr_lat_min = lat_lo;
  c.wr_lat_max = lat_hi;
  c.max_rd = 1024;
  c.max_wr = 1024;
  c.bytes_per_clock = bpc;
  c.ready_pct = ready_pct;
  if (stalls) {
    c.banks = 16;
    c.bank_busy = 10;
    c.refresh_period = 3900;
    c.refresh_clocks = 90;
  }
  c.seed = seed;
  return axi_dram_new(&c);
}

static void set_timeouts(void);
static void setup(uint64_t seed, unsigned limit)
{
  m = new Vflow_dram;
  if (ref_flow_dram_init(&ref, TB_BUCKETS, TB_WAYS, TB_SIGW, TB_VPORTS)) {
    fprintf(stderr, "out of memory\n");
    exit(2);
  }
  ref.limit = limit;
  if (bad_from < ref.bad_from) ref.bad_from = bad_from;
  (void)seed;
  tb::put(m->hkey_i, ref.hkey, 0, 32 * NSGNIC_FLOW_HKEY_WORDS);
  m->limit_i = limit;
  m->rst_ni = 0;
  m->clk_i = 0;
  m->eval();
  m->rst_ni = 1;
  m->eval();
  set_timeouts();
}

// the aging configuration (the firmware writes every vport's established timeout at boot)
static void set_timeouts(void)
{
  uint32_t tw[NSGNIC_AGE_CLASSES / 2];  // two 16-bit timeouts per 32-bit word
  for (unsigned c = 0; c < NSGNIC_AGE_CLASSES; c += 2)
    tw[c / 2] = (age_to[c] & 0xffffu) | (age_to[c + 1] & 0xffffu) << 16;
  tb::put(m->age_to_i, tw, 0, 16 * NSGNIC_AGE_CLASSES);
  for (unsigned v = 0; v < 256; v++) {
    m->age_est_we_i = 1;
    m->age_est_vport_i = v;
    m->age_est_to_i = age_est[v];
    clock1(nullptr, 0);
  }
  m->age_est_we_i = 0;
}

// Random aging timeouts: every class and about half the vports' established timeouts
static void random_timeouts(void)
{
  for (unsigned c = 0; c < NSGNIC_AGE_CLASSES; c++) age_to[c] = 30 + rnd() % 250;
  for (unsigned v = 0; v < 256; v++) age_est[v] = rnd() % 2 ? (uint16_t)(30 + rnd() % 250) : 0;
}

// NOW stopped: two wraps of the scan (a whole pass begun after the stop) and the scans in flight
static void age_passes(int n)
{
  long w0 = n_wraps, t0 = cyc;
  while (n_wraps < w0 + n && cyc - t0 < 50000000) clock1(nullptr, 0);
  for (int i = 0; i < 2000; i++) clock1(nullptr, 0);
  if (n_wraps < w0 + n && errors++ < 10) printf("aging: the scan did not wrap %d times\n", n);
}

// After the traffic: with NOW stopped nothing the reference holds is expired; with NOW past every
// timeout the table empties (S5: nothing left behind; the per-NIC counters back to 0)
static void aging_end(void)
{
  now_run = 0;
  age_room_pct = 100;
  age_passes(2);
  unsigned slots = ref_flow_dram_slots(&ref), left = 0;
  for (unsigned s = 0; s < slots; s++)
    if (ref_flow_dram_used(&ref, s) && nsgnic_flow_age_expired(ref.e[s], tnow, age_to, age_est) && left++ < 5)
      printf("aging: slot %u expired (idle %u) but not deleted after two passes\n", s,
             (tnow - (unsigned)NSGNIC_GET(ref.e[s], FLOW_TIMESTAMP)) & 0xffffu);
  errors += left;
  long before = n_expired;
  unsigned held = ref.used;
  tnow += 1000;  // past every timeout
  age_passes(2);
  unsigned lim_left = 0;
  for (unsigned v = 0; v < TB_VPORTS; v++) lim_left += ref_flow_dram_count(&ref, v, 0) + ref_flow_dram_count(&ref, v, 1);
  if (ref.used || m->used_o || lim_left) {
    if (errors++ < 10)
      printf("aging: %u flows left (device %u), per-NIC counters %u after NOW passed every timeout\n", ref.used,
             (unsigned)m->used_o, lim_left);
  }
  printf("aging: %ld expired flows deleted and reported during the traffic, %u more at the end; %ld hits of "
         "flows expired but not yet deleted kept them\n", before, held, n_rescued);
  if (n_rescued == 0 || before == 0) {
    printf("aging: traffic too narrow (deleted %ld, rescued %ld)\n", before, n_rescued);
    errors++;
  }
  now_run = 1;
}

static int final_check(void)
{
  drain();
  unsigned slots = ref_flow_dram_slots(&ref), wrong = 0, used = 0;
  for (unsigned s = 0; s < slots; s++) {
    uint32_t got[RFD_WORDS], want[RFD_WORDS];
    used += s >= bad_from ? (unsigned)ref_flow_dram_used(&ref, s) : 0;
    if (s >= bad_from) continue;  // not in the DRAM model: every access answered an error
    axi_dram_peek(dram, 64ull * s, got, 64);
    // a deleted slot keeps its last entry in DRAM (only the directory forgets it)
    used += (unsigned)ref_flow_dram_used(&ref, s);
    memcpy(want, ref.e[s], 64);
    if (memcmp(got, want, 64)) {
      if (wrong++ < 5) printf("slot %u: DRAM entry differs from the reference\n", s);
    }
  }
  errors += wrong;
  if (m->used_o != ref.used || (int)m->err_o != (bad_from != ~0u)) {
    if (errors++ < 10) printf("used %u (want %u), err %d\n", (unsigned)m->used_o, ref.used, m->err_o);
  }
  return (int)used;
}

static double fill(void)
{
  // distinct new flows back to back until the first refusal
  ref_flow_dram_req r;
  for (;;) {
    uint32_t k[RFD_WORDS];
    rand_key(k);
    k[9] = (k[9] & 0xff00ffffu) | (unsigned)(rnd() % TB_VPORTS) << 16;
    k[2] ^= rnd();
    k[3] ^= rnd();
    packet(&r, k);
    r.learn = 1;
    r.probe = 0;
    send(&r);
    const ref_flow_dram_out &o = q.back().out;
    if (o.full || o.collide || o.limit) break;  // the first refusal (a duplicate key just hits)
  }
  unsigned used = ref.used;
  drain();
  return (double)used / ref_flow_dram_slots(&ref);
}

static int bench(const std::string &what, long n, uint64_t seed)
{
  rs ^= seed * 0x2545F4914F6CDD1Dull + 1;
  // the DRAM of the figures: 200 clocks read and write latency, 256 bytes per clock
  dram = new_dram(200, 200, 256, 0, 100, seed);
  setup(seed, (1u << LIMW) - 1);
  if (what == "fill") {
    double load = fill();
    printf("flow_capacity_entries: %u entries (4 x %u buckets x %u ways of 64-byte DRAM slots, on-chip "
           "signature directory)\n", ref_flow_dram_slots(&ref), TB_BUCKETS, TB_WAYS);
    printf("flow_load_at_first_fail: %.4f (DRAM table, %u flows learned before the first refusal)\n", load,
           ref.used);
  } else if (what == "aging") {
    // the aging scan over a full table: fill until the first refusal, then (a) nothing expired:
    // the clocks of one whole pass (between two wraps) over the slots; (b) NOW past every
    // timeout: clocks until every flow is deleted and reported (reports taken every clock)
    double load = fill();
    unsigned flows_held = ref.used, slots = ref_flow_dram_slots(&ref);
    for (unsigned c = 0; c < NSGNIC_AGE_CLASSES; c++) age_to[c] = 0xffff;
    for (unsigned v = 0; v < 256; v++) age_est[v] = 0;
    set_timeouts();  // on the running model: the table stays
    now_run = 0;
    age_on = 1;
    age_room_pct = 100;
    long w0 = n_wraps;
    while (n_wraps < w0 + 1) clock1(nullptr, 0);
    long c0 = cyc;
    while (n_wraps < w0 + 2) clock1(nullptr, 0);
    long pass = cyc - c0;
    for (unsigned c = 0; c < NSGNIC_AGE_CLASSES; c++) age_to[c] = 10;
    set_timeouts();
    tnow += 100;
    long c1 = cyc;
    while (m->used_o != 0 && cyc - c1 < 100000000) clock1(nullptr, 0);
    long expire = cyc - c1;
    if (m->used_o != 0 || n_expired != (long)flows_held) {
      printf("aging: %u flows left, %ld reported of %u\n", (unsigned)m->used_o, n_expired, flows_held);
      errors++;
    }
    // (c) a pass over the now empty table: free ways and buckets are skipped
    w0 = n_wraps;
    while (n_wraps < w0 + 1) clock1(nullptr, 0);
    long c2 = cyc;
    while (n_wraps < w0 + 2) clock1(nullptr, 0);
    long empty = cyc - c2;
    printf("aging_scan_cycles_per_flow: %.3f clocks per flow (DRAM tier: one scan pass over %u slots "
           "holding %u flows (load %.3f), %ld clocks, DRAM latency 200, %u scans in flight)\n",
           (double)pass / flows_held, slots, flows_held, load, pass, TB_SCANMAX);
    printf("aging_1m_flows_ms_at_250mhz: %.2f ms (that pass scaled to 1,048,576 slots at 250 MHz, every "
           "clock without a tier request)\n", (double)pass / slots * 1048576 / 250e6 * 1e3);
    printf("aging_expire_cycles_per_flow: %.3f clocks per flow (every flow expired: deleted and reported, "
           "%ld clocks for %u flows)\n", (double)expire / flows_held, expire, flows_held);
    printf("aging_empty_pass_cycles_per_slot: %.4f clocks per slot (one pass over the empty table: %ld "
           "clocks for %u slots in %u buckets; a free way costs no clock)\n", (double)empty / slots, empty,
           slots, slots / TB_WAYS);
    printf("aging_1m_empty_pass_ms_at_250mhz: %.3f ms (that pass scaled to 1,048,576 slots at 250 MHz)\n",
           (double)empty / slots * 1048576 / 250e6 * 1e3);
  } else if (what == "latency") {
    ref_flow_dram_req r;
    uint32_t k[RFD_WORDS];
    rand_key(k);
    k[9] &= 0xff00ffffu;
    packet(&r, k);
    r.learn = 1;
    r.probe = 0;
    send(&r);
    drain();
    packet(&r, k);
    r.probe = 0;
    send(&r);
    drain();
    printf("latency_cycles_cache_miss: %ld clocks (flow_dram: request accepted -> result of a DRAM hit, "
           "DRAM latency 200)\n", lat_last);
  } else {
    // learn a working set, then n packets: all known flows (miss) or a mix (mixed)
    ref_flow_dram_req r;
    unsigned nflows = n / 4 < 20000 ? (unsigned)(n / 4) : 20000;
    for (unsigned i = 0; i < nflows; i++) {
      flow f;
      rand_key(f.key);
      f.key[9] &= 0xff00ffffu;
      packet(&r, f.key);
      r.learn = 1;
      r.probe = 0;
      send(&r);
      flows.push_back(f);
    }
    drain();
    long c0 = cyc, n0 = n_out;
    for (long i = 0; i < n; i++) {
      unsigned c = rnd() % 4;
      if (what == "miss" || c < 2) {
        packet(&r, flows[rnd() % flows.size()].key);
        r.probe = 0;
        r.learn = 1;
      } else {
        uint32_t k[RFD_WORDS];
        rand_key(k);
        k[9] &= 0xff00ffffu;
        packet(&r, k);
        r.probe = 0;
        r.learn = c == 2;  // a new flow (learned) or a packet the rules deny (no learn)
      }
      send(&r);
    }
    long c1 = cyc;
    drain();
    (void)n0;
    double ppc = (double)n / (double)(c1 - c0);
    if (what == "miss")
      printf("pkts_per_clock_cache_miss: %.3f (every packet a DRAM lookup of a known flow, DRAM latency 200, "
             "256 B/clock; %ld packets, %ld hits)\n", ppc, n, n_hit - nflows * 0);
    else
      printf("pkts_per_clock_mixed_dram: %.3f (half known flows, a quarter new flows learned, a quarter "
             "denied misses; DRAM latency 200)\n", ppc);
  }
  if (errors) printf("bench: %ld errors\n", errors);
  return errors ? 1 : 0;
}

static int soak(long nflows, uint64_t seed)
{
  rs ^= seed * 0x2545F4914F6CDD1Dull + 1;
  dram = new_dram(100, 400, 256, 1, 100, seed);  // latency 100..400, bank and refresh stalls
  random_timeouts();
  setup(seed, (1u << LIMW) - 1);
  now_run = 0;  // NOW stands while the flows are learned (nothing expires yet)
  age_on = 1;   // the scan runs in the free clocks all along
  age_room_pct = 90;
  long c0 = cyc, n_learn0 = n_learn, refused = 0;
  ref_flow_dram_req r;
  std::vector<flow> keep;
  for (long i = 0; i < nflows; i++) {
    flow f;
    rand_key(f.key);
    f.key[1] = rnd();  // distinct keys: random 64 bits more of address
    f.key[5] = rnd();
    f.key[9] = (f.key[9] & 0xff00ffffu) | (rnd() % TB_VPORTS) << 16;
    packet(&r, f.key);
    r.learn = 1;
    r.probe = 0;
    send(&r);
    const ref_flow_dram_out &o = q.back().out;
    refused += o.full || o.collide || o.limit;
    if (i % 4 == 0) keep.push_back(f);
  }
  long learn_clocks = cyc - c0;
  drain();
  tnow += 10;
  for (const flow &f : keep) {  // a packet of a quarter of them: hits, the entries touched
    packet(&r, f.key);
    r.probe = 0;
    send(&r);
  }
  drain();
  long learned = n_learn - n_learn0, held = ref.used;
  tnow += 1000;  // past every timeout: the whole table ages out
  long e0 = n_expired, c1 = cyc;
  age_passes(2);
  long aged = n_expired - e0, age_clocks = cyc - c1;
  final_check();
  if (ref.used || m->used_o || aged != held) {
    printf("soak: %u flows left (device %u), %ld aged of %ld held\n", ref.used, (unsigned)m->used_o, aged, held);
    errors++;
  }
  printf("soak: %ld new flows offered: %ld learned in %ld clocks, %ld refused (S5: punted), %ld hits; after NOW "
         "passed every timeout %ld flows aged out and reported in %ld clocks, 0 left; %s (%ld errors)\n",
         nflows, learned, learn_clocks, refused, n_hit, aged, age_clocks, errors ? "FAILED" : "soak ok", errors);
  if (learned < nflows * 95 / 100) {
    printf("soak: fewer than 95%% of the flows learned\n");
    errors++;
  }
  delete m;
  ref_flow_dram_free(&ref);
  axi_dram_free(dram);
  return errors ? 1 : 0;
}

int main(int argc, char **argv)
{
  Verilated::commandArgs(argc, argv);
  setvbuf(stdout, nullptr, _IOLBF, 0);
  if (argc > 3 && std::string(argv[1]) == "--ref-fill") {
    // the reference alone (equal to the hardware, see above) at a realistic size: 4 x buckets x
    // 32 ways, 31-bit signatures; distinct random flows until the first refusal
    unsigned buckets = (unsigned)atoi(argv[2]);
    rs ^= strtoull(argv[3], nullptr, 0) * 0x2545F4914F6CDD1Dull + 1;
    ref_flow_dram f;
    if (ref_flow_dram_init(&f, buckets, 32, 31, 256)) return 2;
    ref_flow_dram_req r;
    ref_flow_dram_out o;
    for (;;) {
      uint32_t k[RFD_WORDS];
      rand_key(k);
      k[9] = (k[9] & 0xff00ffffu) | (rnd() % 256) << 16;
      k[1] = rnd();
      k[2] = rnd();
      k[3] = rnd();
      packet(&r, k);
      r.learn = 1;
      r.probe = 0;
      ref_flow_dram_request(&f, &r, &o);
      if (o.full || o.collide || o.limit) break;  // a duplicate key hits: not a refusal
    }
    printf("flow_capacity_entries: %u entries (4 x %u buckets x 32 ways of 64-byte DRAM slots: %u MiB of "
           "DRAM, %u MiB of on-chip signatures)\n", ref_flow_dram_slots(&f), buckets,
           ref_flow_dram_slots(&f) / 16384, ref_flow_dram_slots(&f) / 262144);
    printf("flow_load_at_first_fail: %.4f (DRAM table: %u flows learned before the first refusal, %s)\n",
           (double)f.used / ref_flow_dram_slots(&f), f.used, o.full ? "every bucket full" : "signature collision");
    ref_flow_dram_free(&f);
    return 0;
  }
  if (argc > 3 && std::string(argv[1]) == "--soak")
    return soak(atol(argv[2]), strtoull(argv[3], nullptr, 0));
  if (argc > 1 && std::string(argv[1]) == "--bench") {
    if (argc < 5) {
      fprintf(stderr, "usage: tb_flow_dram --bench <fill|miss|mixed|latency> <packets> <seed>\n");
      return 2;
    }
    return bench(argv[2], atol(argv[3]), strtoull(argv[4], nullptr, 0));
  }
  long nreq = argc > 1 ? atol(argv[1]) : 100000;
  uint64_t seed = argc > 2 ? strtoull(argv[2], nullptr, 0) : 1;
  if (argc > 4 && std::string(argv[3]) == "--bad-from") bad_from = (unsigned)atol(argv[4]);
  rs ^= seed * 0x2545F4914F6CDD1Dull + 1;
  // random DRAM: latency 100..400 (or short), stalls, ready back-pressure, narrow or wide
  unsigned lo = seed % 3 == 0 ? 2 : 100, hi = seed % 3 == 0 ? 20 : 400;
  dram = new_dram(lo, hi, seed % 2 ? 64 : 256, 1, seed % 2 ? 80 : 100, seed);
  // a per-NIC limit (S5) that some NICs reach
  unsigned slots = NSGNIC_FLOW_TABLES * TB_BUCKETS * TB_WAYS;
  unsigned limit = slots / (2 * TB_VPORTS) + 2;
  random_timeouts();
  age_on = 1;
  age_room_pct = seed % 2 ? 60 : 100;
  setup(seed, limit);
  printf("flow_dram %u x %u x %u, SigW %u, Depth %u, Dbt %u; DRAM latency %u..%u, per-NIC limit %u\n",
         NSGNIC_FLOW_TABLES, TB_BUCKETS, TB_WAYS, TB_SIGW, TB_DEPTH, TB_DBT, lo, hi, limit);
  // phase 1: random traffic with gaps and result back-pressure
  out_ready_pct = 70;
  gap_pct = 20;
  long t0 = cyc;
  while (n_out + (long)q.size() < nreq / 2) random_request();
  // phase 2: no gaps, results always taken (the pipeline full)
  out_ready_pct = 100;
  gap_pct = 0;
  while (n_out + (long)q.size() < nreq) random_request();
  int used = final_check();
  if (bad_from != ~0u) {
    // fail closed: every failed read refused (the reference's collide), the error shown
    printf("bad DRAM from slot %u: %ld requests in %ld clocks, %ld hits, %ld learned, %ld refused, "
           "%ld reads of failing slots, %ld error responses; %d slots used\n", bad_from, n_out,
           cyc - t0, n_hit, n_learn, n_collide, n_bad_reads, n_err_ev, used);
    if (!n_bad_reads || !n_err_ev || !m->err_o || !n_hit) {
      printf("coverage: no failing read, no error event or no hit\n");
      errors++;
    }
    printf("%s: %ld errors\n", errors ? "FAIL" : "PASS", errors);
    return errors ? 1 : 0;
  }
  aging_end();
  final_check();
  age_on = 0;
  printf("random: %ld requests in %ld clocks: %ld hits, %ld learned (%ld followed back to back), %ld full, "
         "%ld limit, %ld collisions, %ld write-backs, %ld management reads/deletes (%ld flows deleted); "
         "%d slots used; latency max %ld\n",
         n_out, cyc - t0, n_hit, n_learn, n_follow, n_full, n_limit, n_collide, n_wb, n_mgmt, n_del, used,
         lat_max);
  const struct axi_dram_stats *st = axi_dram_stats(dram);
  printf("dram: %llu reads, %llu writes, max in flight %u/%u, stalls refresh %llu bank %llu\n",
         (unsigned long long)st->reads, (unsigned long long)st->writes, st->max_rd_inflight,
         st->max_wr_inflight, (unsigned long long)st->refresh_stalls, (unsigned long long)st->bank_stalls);
  // phase 3: fill without a limit (a fresh table)
  if (!errors) {
    delete m;
    ref_flow_dram_free(&ref);
    axi_dram_free(dram);
    flows.clear();
    dram = new_dram(lo, hi, 256, 0, 100, seed + 7);
    setup(seed, (1u << LIMW) - 1);
    double load = fill();
    final_check();
    printf("fill: first refusal at load %.4f (%u of %u slots)\n", load, ref.used, slots);
  }
  if (n_hit == 0 || n_learn == 0 || n_limit == 0 || n_del == 0) {
    printf("traffic too narrow (hits %ld, learns %ld, limits %ld, deletes %ld)\n", n_hit, n_learn, n_limit,
           n_del);
    errors++;
  }
  printf("%s (%ld errors)\n", errors ? "FAILED" : "flow_dram ok", errors);
  delete m;
  ref_flow_dram_free(&ref);
  axi_dram_free(dram);
  return errors ? 1 : 0;
}
