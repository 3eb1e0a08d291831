// SPDX-License-Identifier: Apache-2.0
// flow_cache testbench: every request (packet, entry read/write/delete, overflow flag) goes to
// the Verilated flow_cache and to the C reference (ref_flow.c) in issue order; each result is
// compared two clocks later (hit, action, rule id, learned, learn_fail, overflow flag, read
// data) and entry reads compare whole 512-bit entries (counters, TCP bits, timestamp, GEN).
// Phases: (1) directed: a new flow then its reply in the next clock (one entry, the reply
// hits through the write-back bypass), back-to-back packets of one flow, delete and re-learn;
// (2) fill with distinct new flows, back to back, until the first learn failure (the load factor
// is printed); (3) random traffic from a pool of connections (replies build the same key; a tenth
// are probes: ICMP errors about the connection, S5 RELATED, which never learn or update) mixed
// with management reads, writes, deletes and overflow-flag reads/sets/clears, idle clocks
// random; the aging engine on, its class timeouts, per-vport established timeouts and pace
// changed now and then (every report compared with the reference's, whose class and timeout are
// include/nsgnic/flow_age.h, the twin of nsgnic_flow_age_pkg); (4) an aging soak. Parameters
// TB_BUCKETS / TB_WAYS equal the model's -G values.
// Usage: tb_flow_cache <random requests> <seed>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <vector>

#include "Vflow_cache.h"
#include "nsgnic/abi.h"
#include "nsgnic/flow_age.h"
#include "nsgnic/flow_hash.h"
#include "ref_flow.h"
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

struct conn {
  unsigned vport, family, proto, lport, rport;
  uint32_t laddr[4], raddr[4];
};

struct pending {
  int valid;
  ref_flow_req req;
  ref_flow_out out;
  ref_flow_expiry x;  // what the aging engine deleted in this clock
};

static Vflow_cache *m;
static ref_flow ref;
static std::deque<pending> q;
static long n_probe_hit;
static long cyc, errors, n_ovf_deny, n_hit, n_learn, n_fail, n_bypass, n_reads, n_writes, n_del, n_ovfop;
static unsigned now;
// aging engine inputs
static int age_en, age_room = 1;
static unsigned age_to[NSGNIC_AGE_CLASSES] = {0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff};
static unsigned age_pace, pace_cnt;  // DP_AGE_CTRL.PACE; clocks until a scan may issue
static uint16_t age_est[256];        // per-vport established timeouts (the engine's RAM)
static int est_we;                   // this clock writes age_est[est_vport] = est_to
static unsigned est_vport, est_to;
static long n_expired, n_wraps, n_scans;
static long n_class[NSGNIC_AGE_CLASSES];  // expired flows per AGE_CLASS (the reference's view)

static void check(const pending &p)
{
  int bad = 0;
  if ((int)m->x_valid_o != p.x.valid || (int)m->age_wrap_o != p.x.wrap ||
      (p.x.valid && m->x_index_o != p.x.index)) {
    bad = 1;
  } else if (p.x.valid) {
    uint32_t xe[REF_FLOW_WORDS];
    tb::get_words(m->x_entry_o, 0, NSGNIC_FLOW_BITS, xe);
    bad = memcmp(xe, p.x.entry, sizeof xe) != 0;
  }
  if (bad && errors < 10)
    printf("cycle %ld: expiry got valid=%d index=%u wrap=%d, want valid=%d index=%u wrap=%d\n", cyc,
           m->x_valid_o, (unsigned)m->x_index_o, m->age_wrap_o, p.x.valid, p.x.index, p.x.wrap);
  if ((int)m->c_valid_o != p.valid) bad = 1;
  if (p.valid) {
    const ref_flow_req &r = p.req;
    const ref_flow_out &o = p.out;
    if (r.op == 0) {
      bad |= (int)m->c_hit_o != o.hit || (int)m->c_learned_o != o.learned ||
             (int)m->c_learn_fail_o != o.learn_fail || (int)m->c_ovf_o != o.ovf;
      if (o.hit) bad |= m->c_action_o != o.action || m->c_rule_id_o != o.rule_id;
    } else {
      bad |= m->c_hit_o || m->c_learned_o || m->c_learn_fail_o || (int)m->c_ovf_o != o.ovf;
      uint32_t rd[REF_FLOW_WORDS];
      tb::get_words(m->c_rdata_o, 0, NSGNIC_FLOW_BITS, rd);
      for (int i = 0; i < REF_FLOW_WORDS; i++) bad |= rd[i] != o.rdata[i];
    }
  }
  if (bad && errors++ < 10)
    printf("cycle %ld op %u idx %u: got valid=%d hit=%d learned=%d fail=%d ovf=%d act=%d rule=%d,"
           " want valid=%d hit=%d learned=%d fail=%d ovf=%d act=%u rule=%u\n",
           cyc, p.req.op, p.req.index, m->c_valid_o, m->c_hit_o, m->c_learned_o,
           m->c_learn_fail_o, m->c_ovf_o, m->c_action_o, m->c_rule_id_o, p.valid, p.out.hit,
           p.out.learned, p.out.learn_fail, p.out.ovf, p.out.action, p.out.rule_id);
}

// One clock: present `r` (or nothing), advance, check the result of the request two clocks ago.
static ref_flow_out step(const ref_flow_req *r)
{
  pending p;
  memset(&p, 0, sizeof p);
  m->a_valid_i = r != nullptr;
  if (r) {
    p.valid = 1;
    p.req = *r;
    ref_flow_request(&ref, r, &p.out);
    m->a_op_i = r->op;
    tb::put(m->a_key_i, r->key, 0, NSGNIC_FLOW_KEY_BITS);
    m->a_outbound_i = r->outbound;
    m->a_tcp_i = r->tcp;
    m->a_len_i = r->len;
    m->a_learn_i = r->learn;
    m->a_probe_i = r->probe;
    m->a_rule_id_i = r->rule_id;
    m->a_gen_i = r->gen;
    m->a_now_i = r->now;
    unsigned ww = TB_WAYS > 1 ? __builtin_ctz(TB_WAYS) : 1;
    m->a_index_i = r->op == 3 ? r->index << ww : r->index;
    tb::put(m->a_data_i, r->data, 0, NSGNIC_FLOW_BITS);
    if (r->op == 0) {
      n_hit += p.out.hit;
      n_probe_hit += r->probe && p.out.hit;
      n_learn += p.out.learned;
      n_fail += p.out.learn_fail;                             // the datapath's FLOW_FULL
      n_ovf_deny += !r->learn && !p.out.hit && p.out.ovf;     // its FLOW_OVF_DENY (rules deny)
      n_bypass += p.out.bypassed && (p.out.hit || p.out.learned);
    }
  }
  tb::put(m->hkey_i, ref.hkey, 0, 32 * NSGNIC_FLOW_HKEY_WORDS);
  int scan = !r && age_en && age_room && pace_cnt == 0;
  if (scan)
    pace_cnt = age_pace;
  else if (pace_cnt)
    pace_cnt--;
  // a vport's timeout written in this clock is what the scan issued in it sees (B reads the RAM)
  m->age_est_we_i = est_we;
  m->age_est_vport_i = est_vport;
  m->age_est_to_i = est_to;
  if (est_we) age_est[est_vport] = (uint16_t)est_to;
  est_we = 0;
  ref_flow_age_clock(&ref, scan, now, age_to, age_est, &p.x);
  n_scans += scan;
  n_expired += p.x.valid;
  if (p.x.valid) n_class[nsgnic_flow_age_class(p.x.entry)]++;
  n_wraps += p.x.wrap;
  m->age_en_i = age_en;
  m->age_room_i = age_room;
  m->age_now_i = now;
  m->age_pace_i = age_pace;
  uint32_t tw[NSGNIC_AGE_CLASSES / 2];
  for (int c = 0; c < NSGNIC_AGE_CLASSES; c += 2) tw[c / 2] = (age_to[c] & 0xffff) | (age_to[c + 1] & 0xffff) << 16;
  tb::put(m->age_to_i, tw, 0, 16 * NSGNIC_AGE_CLASSES);
  q.push_back(p);
  m->clk_i = 1; m->eval(); m->clk_i = 0; m->eval();
  cyc++;
  if (q.size() >= 2) {
    check(q.front());
    q.pop_front();
  }
  return p.out;
}

static void packet(ref_flow_req *r, const conn &c, int outbound, int learn)
{
  memset(r, 0, sizeof *r);
  const uint32_t *src = outbound ? c.laddr : c.raddr, *dst = outbound ? c.raddr : c.laddr;
  unsigned sp = outbound ? c.lport : c.rport, dp = outbound ? c.rport : c.lport;
  ref_flow_key(r->key, c.vport, c.family, c.proto, src, dst, sp, dp, outbound);
  r->outbound = outbound;
  r->learn = learn;
  // mostly SYN or nothing, now and then FIN/RST: flows stay in every TCP class for a while
  r->tcp = c.proto != 6 ? 0 : rnd() % 6 == 0 ? rnd() % 8 : rnd() % 2;
  r->len = 60 + rnd() % 1455;
  r->rule_id = rnd() & 0xffff;
  r->gen = rnd() & 0xff;
  r->now = now;
}

static void rand_conn(conn *c, const uint32_t *base)
{
  static const unsigned protos[] = {6, 17, 1, 58, 6, 50};
  memset(c, 0, sizeof *c);
  c->vport = rnd() % 4;
  c->family = rnd() % 4 == 0;
  c->proto = protos[rnd() % 6];
  unsigned nw = c->family ? 4 : 1;
  for (unsigned i = 0; i < nw; i++) {
    c->laddr[i] = base[i];  // keys close to each other: a few bits differ
    c->raddr[i] = base[4 + i];
  }
  c->laddr[0] ^= rnd() % 16;
  c->raddr[0] ^= rnd() % 64;
  if (c->proto == 6 || c->proto == 17) {
    c->lport = rnd() % 4 ? 443 : rnd() & 0xffff;
    c->rport = 1024 + rnd() % 64;
  }
}

static const unsigned ENTRIES = NSGNIC_FLOW_TABLES * TB_BUCKETS * TB_WAYS + TB_STASH;

static void mgmt_write(unsigned index, const uint32_t *data)
{
  ref_flow_req r;
  memset(&r, 0, sizeof r);
  r.op = 2;
  r.index = index;
  memcpy(r.data, data, sizeof r.data);
  step(&r);
}

int main(int argc, char **argv)
{
  Verilated::commandArgs(argc, argv);
  long nreq = argc > 1 ? atol(argv[1]) : 100000;
  rs ^= argc > 2 ? strtoull(argv[2], nullptr, 0) : 1;
  m = new Vflow_cache;
  if (ref_flow_init(&ref, TB_BUCKETS, TB_WAYS, TB_STASH)) return 2;
  m->clk_i = 0; m->rst_ni = 0; m->a_valid_i = 0; m->eval();
  m->clk_i = 1; m->eval(); m->clk_i = 0; m->rst_ni = 1; m->eval();

  // The RAMs have no reset: the firmware clears every entry first; so does the testbench.
  uint32_t zero[REF_FLOW_WORDS] = {0};
  for (unsigned i = 0; i < ENTRIES; i++) mgmt_write(i, zero);
  for (unsigned v = 0; v < 256; v++) {  // and every vport's established timeout (0: the class's)
    est_we = 1;
    est_vport = v;
    est_to = 0;
    step(nullptr);
  }

  uint32_t base[8];
  for (int i = 0; i < 8; i++) base[i] = rnd();
  ref_flow_req r;
  ref_flow_out o;

  // (0) keyed hash: flows aimed at one bucket of every table under a known key (the attacker's
  // view of a fixed hash) overflow them and the stash; under another key they spread.
  for (unsigned i = 0; i < NSGNIC_FLOW_HKEY_WORDS; i++) ref.hkey[i] = rnd();
  std::vector<conn> aimed;
  const unsigned n_aimed = NSGNIC_FLOW_TABLES * TB_WAYS + TB_STASH + 4;
  const uint64_t aim_mask = (TB_BUCKETS - 1) * 0x0001000100010001ull;  // the 4 bucket fields
  // (a search of 1 in Buckets^4 keys per flow: only the small geometries aim)
  for (long tries = 0; TB_BUCKETS <= 16 && aimed.size() < n_aimed && tries < 10000000; tries++) {
    conn c;
    rand_conn(&c, base);
    c.proto = 17;
    c.lport = 53;
    c.rport = (unsigned)tries & 0xffff;
    c.raddr[1] = (uint32_t)(tries >> 16);
    c.family = 1;
    packet(&r, c, 1, 1);
    uint64_t h = nsgnic_flow_hash(r.key, ref.hkey);
    if ((h & aim_mask) == 0) aimed.push_back(c);
  }
  long fail_k1 = 0, fail_k2 = 0;
  for (const conn &c : aimed) { packet(&r, c, 1, 1); fail_k1 += step(&r).learn_fail; }
  for (int i = 0; i < 3; i++) step(nullptr);
  for (unsigned i = 0; i < ENTRIES; i++) mgmt_write(i, zero);
  for (unsigned b = 0; b < TB_BUCKETS; b++) {  // clear the overflow flags
    memset(&r, 0, sizeof r);
    r.op = 3;
    r.index = b;
    r.data[0] = 2;
    step(&r);
  }
  for (unsigned i = 0; i < NSGNIC_FLOW_HKEY_WORDS; i++) ref.hkey[i] = rnd();  // the new key
  unsigned spread = 0;
  for (const conn &c : aimed) {
    packet(&r, c, 1, 1);
    uint64_t h = nsgnic_flow_hash(r.key, ref.hkey);
    spread += (h & aim_mask) != 0;
    fail_k2 += step(&r).learn_fail;
  }
  for (int i = 0; i < 3; i++) step(nullptr);
  printf("keyed hash: %zu flows aimed at bucket 0 of every table: %ld learn failures under the aimed key, "
         "%ld under another key (%u flows left those buckets)\n", aimed.size(), fail_k1, fail_k2, spread);
  if (TB_BUCKETS <= 16 && (aimed.size() != n_aimed || fail_k1 != 4 || fail_k2 >= fail_k1 ||
                           spread < n_aimed / 2)) {
    printf("FAIL: aimed flows do not spread under another key\n");
    errors++;
  }
  for (unsigned i = 0; i < ENTRIES; i++) mgmt_write(i, zero);
  for (unsigned b = 0; b < TB_BUCKETS; b++) {
    memset(&r, 0, sizeof r);
    r.op = 3;
    r.index = b;
    r.data[0] = 2;
    step(&r);
  }

  // (1) directed: request, then its reply in the very next clock: one entry, the reply hits
  conn c;
  rand_conn(&c, base);
  c.proto = 6;
  packet(&r, c, 1, 1);
  o = step(&r);
  if (!o.learned) { printf("FAIL: directed first packet not learned\n"); errors++; }
  packet(&r, c, 0, 1);
  o = step(&r);
  if (!o.hit || !o.bypassed) { printf("FAIL: directed reply does not hit its entry\n"); errors++; }
  for (int i = 0; i < 3; i++) { packet(&r, c, i & 1, 1); step(&r); }  // back to back
  // a new inbound-initiated flow, 4 packets back to back, alternating directions
  conn c2;
  rand_conn(&c2, base);
  c2.lport ^= 1;
  for (int i = 0; i < 4; i++) { packet(&r, c2, !(i & 1), 1); o = step(&r); }
  if (!o.hit) { printf("FAIL: directed back-to-back packets do not hit\n"); errors++; }
  // read both entries back (counters, TCP bits, INIT_OUTBOUND), delete one, its packet relearns
  unsigned learned_idx = 0;
  packet(&r, c, 1, 0);
  o = step(&r);
  learned_idx = o.index;
  memset(&r, 0, sizeof r);
  r.op = 1;
  r.index = learned_idx;
  o = step(&r);
  if (NSGNIC_GET(o.rdata, FLOW_PKTS_OUT) != 3 || NSGNIC_GET(o.rdata, FLOW_PKTS_IN) != 3) {
    printf("FAIL: directed counters out=%u in=%u, want 3 and 3\n",
           (unsigned)NSGNIC_GET(o.rdata, FLOW_PKTS_OUT), (unsigned)NSGNIC_GET(o.rdata, FLOW_PKTS_IN));
    errors++;
  }
  mgmt_write(learned_idx, zero);  // delete, and the next packet right behind it relearns
  packet(&r, c, 0, 1);
  o = step(&r);
  if (!o.learned) { printf("FAIL: deleted flow not relearned\n"); errors++; }
  for (int i = 0; i < 4; i++) step(nullptr);

  // (2) fill with distinct new flows until the first learn failure
  double load_first_fail = -1;
  for (long n = 0; n < 8L * ENTRIES && load_first_fail < 0; n++) {
    rand_conn(&c, base);
    c.rport = (unsigned)n;  // distinct
    c.lport = 7;
    c.proto = 17;
    packet(&r, c, rnd() & 1, 1);
    double before = ref_flow_load(&ref);
    o = step(&r);
    if (o.learn_fail) load_first_fail = before;
  }
  if (load_first_fail < 0) { printf("FAIL: fill never failed\n"); errors++; }

  // (3) random traffic and management
  std::vector<conn> pool(ENTRIES * 3 / 2);
  for (auto &pc : pool) rand_conn(&pc, base);
  int last = 0;
  age_en = 1;  // the aging engine scans every idle clock from here on
  for (int c = 0; c < NSGNIC_AGE_CLASSES; c++) age_to[c] = 40 + rnd() % 200;
  for (long n = 0; n < nreq; n++) {
    if (rnd() % 64 == 0) now = (now + 1) & 0xffff;
    age_room = rnd() % 8 != 0;  // the report FIFO is sometimes full
    if (rnd() % 20000 == 0) age_to[rnd() % NSGNIC_AGE_CLASSES] = rnd() % 300;  // the host changes a timeout
    if (rnd() % 5000 == 0) {  // a vport's established timeout (0: the class's)
      est_we = 1;
      est_vport = rnd() % 4;
      est_to = rnd() % 3 == 0 ? 0 : 20 + rnd() % 300;
    }
    if (rnd() % 30000 == 0) age_pace = rnd() % 3 == 0 ? 0 : rnd() % 5;  // scan pacing
    unsigned k = rnd() % 100;
    if (k < 10) {  // idle clock
      step(nullptr);
      continue;
    }
    if (k < 78) {  // packet; a third repeat the last connection (same or reply direction)
      int ci = rnd() % 3 == 0 ? last : (int)(rnd() % pool.size());
      last = ci;
      packet(&r, pool[ci], rnd() & 1, rnd() % 8 != 0);
      r.probe = rnd() % 10 == 0;  // an ICMP error about the connection: never learns or updates
      step(&r);
      continue;
    }
    memset(&r, 0, sizeof r);
    r.index = rnd() % ENTRIES;
    if (k < 86) {  // read
      r.op = 1;
      n_reads++;
    } else if (k < 92) {  // delete (write VALID 0), most often a live entry
      r.op = 2;
      for (int t = 0; t < 4 && !NSGNIC_GET(ref.e[r.index], FLOW_VALID); t++) r.index = rnd() % ENTRIES;
      memcpy(r.data, ref.e[r.index], sizeof r.data);
      NSGNIC_PUT(r.data, FLOW_VALID, 0);
      n_del++;
    } else if (k < 96) {  // write an entry: a pool flow at its own bucket, verdict random
      r.op = 2;
      conn &pc = pool[rnd() % pool.size()];
      packet(&r, pc, rnd() & 1, 0);
      r.op = 2;
      memcpy(r.data, r.key, sizeof r.key);
      NSGNIC_PUT(r.data, FLOW_VALID, rnd() % 8 != 0);
      NSGNIC_PUT(r.data, FLOW_ACTION, rnd() % 4);
      NSGNIC_PUT(r.data, FLOW_RULE_ID, rnd());
      NSGNIC_PUT(r.data, FLOW_PKTS_IN, rnd() % 3 == 0 ? 0 : rnd());
      NSGNIC_PUT(r.data, FLOW_PKTS_OUT, rnd() % 4);
      NSGNIC_PUT(r.data, FLOW_INIT_OUTBOUND, rnd() & 1);
      NSGNIC_PUT(r.data, FLOW_HOST_FIRST, rnd() & 1);
      NSGNIC_PUT(r.data, FLOW_TCP_OUT, rnd() % 3 ? rnd() % 2 : rnd() % 8);
      NSGNIC_PUT(r.data, FLOW_TCP_IN, rnd() % 3 ? rnd() % 2 : rnd() % 8);
      NSGNIC_PUT(r.data, FLOW_BYTES_OUT, 0xfffffff0u + rnd() % 16);  // wraps soon
      uint64_t h = nsgnic_flow_hash(r.key, ref.hkey);
      unsigned t = rnd() % NSGNIC_FLOW_TABLES;
      unsigned bucket = (unsigned)(h >> (16 * t)) & (TB_BUCKETS - 1);
      r.index = (t * TB_BUCKETS + bucket) * TB_WAYS + rnd() % TB_WAYS;
      if (TB_STASH && rnd() % 8 == 0) r.index = ENTRIES - TB_STASH + rnd() % (TB_STASH ? TB_STASH : 1);
      memset(r.key, 0, sizeof r.key);
      n_writes++;
    } else {  // overflow flag: read, clear or set
      r.op = 3;
      r.index = rnd() % TB_BUCKETS;
      r.data[0] = rnd() % 3;  // 0 read, 2 clear, (1: read with value bit set, no write)
      if (rnd() % 4 == 0) r.data[0] = 3;
      n_ovfop++;
    }
    step(&r);
  }
  for (int i = 0; i < 3; i++) step(nullptr);

  // (4) aging soak: no traffic, time runs past every timeout; the engine must empty the table
  // (every flow deleted once and reported) and a pass costs 4 x buckets + stash idle clocks
  age_room = 1;
  age_pace = 0;
  double live = ref_flow_load(&ref) * ENTRIES;
  long x0 = n_expired, w0 = n_wraps, s0 = n_scans, c_pass = 0;
  now = (now + 0x7000) & 0xffff;
  // the engine deletes until the table is empty (a bucket with several expired entries is
  // revisited); then one pass over the empty table is timed (no revisits)
  for (long i = 0; i < 4L * (ENTRIES + NSGNIC_FLOW_TABLES * TB_BUCKETS + TB_STASH) && ref_flow_load(&ref) != 0.0; i++)
    step(nullptr);
  for (int i = 0; i < 3; i++) step(nullptr);
  w0 = n_wraps;
  for (long i = 0; i < 3L * (NSGNIC_FLOW_TABLES * TB_BUCKETS + TB_STASH) + 8 && n_wraps - w0 < 2; i++) {
    long before = n_wraps;
    step(nullptr);
    if (n_wraps > before && n_wraps - w0 == 1) s0 = n_scans;
    if (n_wraps > before && n_wraps - w0 == 2) c_pass = n_scans - s0;
  }
  for (int i = 0; i < 3; i++) step(nullptr);
  printf("aging: %.0f live flows before the soak, %ld deleted and reported by the engine, table load after %.3f, "
         "%ld idle clocks per pass over %u entries (%.3f clocks per flow)\n", live, n_expired - x0,
         ref_flow_load(&ref), c_pass, ENTRIES, (double)c_pass / ENTRIES);
  if (ref_flow_load(&ref) != 0.0 || n_expired - x0 != (long)live || c_pass != (long)(NSGNIC_FLOW_TABLES * TB_BUCKETS + TB_STASH)) {
    printf("FAIL: the aging soak left flows behind or a pass took too long\n");
    errors++;
  }

  printf("flow_cache B=%d W=%d: %ld clocks, %ld hits, %ld learned, %ld learn failures, %ld flagged denied misses, %ld bypassed,"
         " %ld reads, %ld writes, %ld deletes, %ld flag ops, %ld scans, %ld expired; first failure at load %.3f; %ld errors\n",
         TB_BUCKETS, TB_WAYS, cyc, n_hit, n_learn, n_fail, n_ovf_deny, n_bypass, n_reads, n_writes, n_del,
         n_ovfop, n_scans, n_expired, load_first_fail, errors);
  m->final();
  delete m;
  ref_flow_free(&ref);
  printf("expired per aging class:");
  for (int c = 0; c < NSGNIC_AGE_CLASSES; c++) printf(" %ld", n_class[c]);
  printf("\n");
  for (int c = 0; c < NSGNIC_AGE_CLASSES; c++)
    if (!n_class[c]) { printf("FAIL: no flow of aging class %d expired\n", c); return 1; }
  if (!n_hit || !n_learn || !n_fail || !n_ovf_deny || !n_bypass || !n_probe_hit || !n_expired) { printf("FAIL: stimulus too weak\n"); return 1; }
  return errors ? 1 : 0;
}
