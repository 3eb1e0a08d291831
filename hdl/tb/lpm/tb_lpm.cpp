// SPDX-License-Identifier: Apache-2.0
// lpm testbench: the Verilated lpm (block-RAM longest-prefix match) against the C model
// (hostlib/src/compiler/lpm.c: builder + bit-exact lookup) and against a linear longest-prefix reference.
// Random prefix sets of the family the key width implies (KeyW > 64: {ctx, IPv6}, else {ctx,
// IPv4}): nested chains, /0 and full-length prefixes per context, the last context's all-ones
// host prefix (no interval after it). Random two-port searches every clock on the active bank
// while updates run: each update mutates the set (adds, removes, result changes, sometimes a
// new set), builds the new tree (refilling the leaves of the old one when it fits, else a fresh
// build), writes the changed node words into the inactive bank under traffic, flips the bank,
// then writes the old bank (the writes wait for w_ready while searches of that bank are in
// flight). Every search is checked against the table its bank held when it was issued (hence the
// old or the new table), the C model against the reference on the same keys, w_ready against
// the in-flight searches, and the result row's contents.
// Parameters TB_* equal the model's -G values. Usage: tb_lpm <clocks> <seed> [--bench]
// (--bench: searches on both ports every clock, no updates; prints label_lookups_per_clock)
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <vector>

#include "Vlpm.h"
#include "lpm.h"
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

static const unsigned KW = TB_KEYW;
static const unsigned AW = KW > 64 ? 128 : 32;  // address bits
static const unsigned CW = KW - AW;             // context bits
#ifndef TB_CMPREG
#define TB_CMPREG 0
#endif
static const unsigned LAT = (2 + TB_CMPREG) * TB_LEVELS + 2;  // lpm.sv's latency

typedef std::vector<lpm_prefix> pset;

static void set_bit(uint32_t *k, unsigned b, unsigned v)
{
  if (v) k[b / 32] |= 1u << (b % 32); else k[b / 32] &= ~(1u << (b % 32));
}
static unsigned get_bit(const uint32_t *k, unsigned b) { return (k[b / 32] >> (b % 32)) & 1u; }

static bool covers(const lpm_prefix &p, const uint32_t *k)
{
  for (unsigned i = 0; i < p.len; i++)
    if (get_bit(p.key, KW - 1 - i) != get_bit(k, KW - 1 - i)) return false;
  return true;
}

static unsigned ref_lookup(const pset &s, const uint32_t *k)
{
  int best = -1;
  unsigned res = 0;
  for (const lpm_prefix &p : s)
    if ((int)p.len > best && covers(p, k)) {
      best = (int)p.len;
      res = p.result;
    }
  return res;
}

static unsigned rand_ctx(void)
{
  unsigned maxc = (1u << CW) - 1;
  unsigned c = rnd() % 5;
  return c == 4 ? maxc : c & maxc;
}

static void rand_key(uint32_t *k)
{
  memset(k, 0, LPM_KEY_WORDS * 4);
  for (unsigned b = 0; b < AW; b++) set_bit(k, b, rnd() & 1);
  unsigned c = rand_ctx();
  for (unsigned b = 0; b < CW; b++) set_bit(k, AW + b, (c >> b) & 1);
}

static bool same(const lpm_prefix &a, const lpm_prefix &b)
{
  if (a.len != b.len) return false;
  for (unsigned i = 0; i < a.len; i++)
    if (get_bit(a.key, KW - 1 - i) != get_bit(b.key, KW - 1 - i)) return false;
  return true;
}

static void add_prefix(pset &s)
{
  for (int tries = 0; tries < 20; tries++) {
    lpm_prefix p;
    memset(&p, 0, sizeof p);
    unsigned kind = rnd() % 8;
    if (kind < 3 && !s.empty()) {  // nested below an existing prefix
      const lpm_prefix &q = s[rnd() % s.size()];
      rand_key(p.key);
      for (unsigned i = 0; i < q.len; i++) set_bit(p.key, KW - 1 - i, get_bit(q.key, KW - 1 - i));
      p.len = q.len + rnd() % (KW - q.len + 1);
    } else {
      rand_key(p.key);
      if (kind == 3) p.len = CW;                      // /0 of a context
      else if (kind == 4) p.len = KW;                 // host prefix
      else if (kind == 5) {                           // the last key of the space
        for (unsigned b = 0; b < KW; b++) set_bit(p.key, b, 1);
        p.len = KW - rnd() % 3;
      } else p.len = CW + rnd() % (AW + 1);
    }
    p.result = 1 + rnd() % (TB_RESULTS - 1);
    bool dup = false;
    for (const lpm_prefix &q : s) dup |= same(p, q);
    if (!dup) {
      s.push_back(p);
      return;
    }
  }
}

struct query {
  bool valid, bank;
  uint32_t key[2][LPM_KEY_WORDS];
  unsigned want[2];
};

static Vlpm *m;
static std::deque<query> q;
static lpm_image img[2];
static pset tbl[2];
static std::vector<uint32_t> resdata;  // [row]
static long cyc, errors, n_checked, n_stall, n_wr;
static unsigned act;

struct wreq {
  unsigned bank, level, addr;
  std::vector<uint32_t> data;
};
static std::deque<wreq> wq;

static void check(const query &x)
{
  int bad = (int)m->r_valid_o != (int)x.valid;
  if (x.valid) {
    const unsigned pw = lpm_ptr_bits(&img[0].g);
    for (unsigned p = 0; p < 2; p++) {
      unsigned got = (unsigned)tb::get(m->r_idx_o, p * pw, pw);
      uint32_t res[4];
      tb::get_words(m->r_res_o, p * TB_RESW, TB_RESW, res);
      if (got != x.want[p] || res[0] != resdata[x.want[p]]) {
        bad = 1;
        if (errors < 10)
          printf("cycle %ld port %u bank %d: row %u (data %08x), want %u (data %08x)\n", cyc, p,
                 x.bank, got, res[0], x.want[p], resdata[x.want[p]]);
      }
    }
    n_checked++;
  }
  if (bad) errors++;
}

static void step(bool search)
{
  query x;
  memset(&x, 0, sizeof x);
  x.valid = search;
  x.bank = act;
  if (search) {
    for (unsigned p = 0; p < 2; p++) {
      const pset &s = tbl[act];
      if (!s.empty() && rnd() % 4) {  // near a prefix: its first/last key, +-1, inside
        const lpm_prefix &pr = s[rnd() % s.size()];
        memcpy(x.key[p], pr.key, sizeof pr.key);
        unsigned mode = rnd() % 4;
        for (unsigned b = 0; b + pr.len < KW; b++)
          set_bit(x.key[p], b, mode == 0 ? 0 : mode == 1 ? 1 : rnd() & 1);
        if (mode >= 2 && rnd() % 2) {  // one step outside
          for (unsigned b = 0; b < KW; b++) {
            unsigned v = get_bit(x.key[p], b);
            set_bit(x.key[p], b, !v);
            if (mode == 2 ? v == 0 : v == 1) break;  // +1 / -1
          }
        }
      } else rand_key(x.key[p]);
      for (unsigned b = KW; b < 32 * LPM_KEY_WORDS; b++) set_bit(x.key[p], b, 0);
      x.want[p] = ref_lookup(tbl[act], x.key[p]);
      unsigned model = lpm_lookup(&img[act], x.key[p]);
      if (model != x.want[p] && errors++ < 10)
        printf("cycle %ld: C model row %u, reference %u\n", cyc, model, x.want[p]);
      tb::put_at(m->q_key_i, p * KW, x.key[p], KW);
    }
  }
  m->q_valid_i = search;
  m->q_bank_i = act;
  // a write: the head of the queue, if w_ready
  m->w_valid_i = 0;
  if (!wq.empty() && rnd() % 8) {
    const wreq &w = wq.front();
    m->w_valid_i = 1;
    m->w_bank_i = w.bank;
    m->w_level_i = w.level;
    m->w_addr_i = w.addr;
    tb::put(m->w_data_i, w.data.data(), 0, lpm_node_bits(&img[0].g));
    m->eval();
    bool busy = false;  // searches of this bank in stages 0..2L+1
    if (search && x.bank == w.bank) busy = true;
    for (size_t i = q.size() > LAT - 1 ? q.size() - (LAT - 1) : 0; i < q.size(); i++)
      busy |= q[i].valid && q[i].bank == w.bank;
    if ((bool)m->w_ready_o == busy && errors++ < 10)
      printf("cycle %ld: w_ready %d with busy %d\n", cyc, m->w_ready_o, busy);
    if (m->w_ready_o) {
      wq.pop_front();
      n_wr++;
    } else n_stall++;
  }
  q.push_back(x);
  m->clk_i = 1; m->eval(); m->clk_i = 0; m->eval();
  cyc++;
  if (q.size() >= LAT) {
    check(q.front());
    q.pop_front();
  }
}

static void queue_writes(unsigned bank, const lpm_image &from, const lpm_image &to, bool all)
{
  unsigned nw = lpm_node_words(&to.g);
  if (all) {
    for (unsigned l = 0; l < to.g.levels; l++)
      for (unsigned i = 0; i < to.used[l]; i++) {
        const uint32_t *d = to.node[l] + (size_t)i * nw;
        wq.push_back({bank, l, i, std::vector<uint32_t>(d, d + nw)});
      }
    return;
  }
  size_t n = lpm_diff(&from, &to, nullptr, 0);
  std::vector<lpm_write> w(n);
  lpm_diff(&from, &to, w.data(), n);
  for (const lpm_write &x : w) wq.push_back({bank, x.level, x.addr, std::vector<uint32_t>(x.data, x.data + nw)});
}

static void drain(void)
{
  while (!wq.empty()) step(rnd() % 8 != 0);
}

int main(int argc, char **argv)
{
  Verilated::commandArgs(argc, argv);
  long clocks = argc > 1 ? atol(argv[1]) : 100000;
  rs ^= (uint64_t)(argc > 2 ? atol(argv[2]) : 1) * 0x2545f4914f6cdd1dull;
  m = new Vlpm;
  lpm_geom g = {TB_KEYW, TB_FANOUT, TB_LEVELS, TB_LEAFNODES, TB_RESULTS};
  char err[256];
  unsigned long cap = lpm_interval_capacity(&g);
  printf("lpm: key %u bits, fanout %u, %u levels, %u leaves: %lu intervals, node %u bits, "
         "latency %u\n", KW, TB_FANOUT, TB_LEVELS, TB_LEAFNODES, cap, lpm_node_bits(&g), LAT);

  m->rst_ni = 0;
  m->clk_i = 0;
  m->eval();
  m->clk_i = 1; m->eval(); m->clk_i = 0; m->eval();
  m->rst_ni = 1;
  // result rows (both banks) and the first table (both banks)
  resdata.resize(TB_RESULTS);
  for (unsigned r = 0; r < TB_RESULTS; r++) {
    resdata[r] = r == 0 ? 0 : rnd() & ((1ull << TB_RESW) - 1);
    for (unsigned b = 0; b < 2; b++) {
      std::vector<uint32_t> d(lpm_node_words(&g), 0);
      d[0] = resdata[r];
      wq.push_back({b, TB_LEVELS, r, d});
    }
  }
  unsigned target = (unsigned)(cap / 2 > 300 ? 300 : cap / 2);
  while (tbl[0].size() < target / 2) add_prefix(tbl[0]);
  int rc = lpm_build(&g, tbl[0].data(), tbl[0].size(), &img[0], err, sizeof err);
  if (rc) {
    printf("FAIL: %s\n", err);
    return 1;
  }
  lpm_image_copy(&img[0], &img[1]);
  tbl[1] = tbl[0];
  queue_writes(0, img[0], img[0], true);
  queue_writes(1, img[1], img[1], true);
  while (!wq.empty()) step(false);
  act = 0;

  if (argc > 3 && !strcmp(argv[3], "--bench")) {  // searches every clock, no updates
    long c0 = cyc, k0 = n_checked;
    while (cyc - c0 < clocks) step(true);
    for (unsigned i = 0; i < LAT + 1; i++) step(false);
    printf("label_lookups_per_clock: %.3f (two search ports, %ld clocks, latency %u)\n",
           2.0 * (n_checked - k0) / (double)(cyc - c0 - LAT - 1), cyc - c0 - LAT - 1, LAT);
    m->final();
    delete m;
    return errors ? 1 : 0;
  }
  long updates = 0, rebuilds = 0, refills = 0, full = 0;
  size_t writes_total = 0, prefixes_changed = 0;
  while (cyc < clocks) {
    for (int i = 0; i < 200; i++) step(rnd() % 8 != 0);
    // an update: mutate the active table
    pset s = tbl[act];
    unsigned kind = rnd() % 10, changed = 0;
    if (kind == 0) {
      s.clear();
      while (s.size() < 1 + rnd() % target) add_prefix(s);
      changed = (unsigned)s.size();
    } else {
      unsigned nch = 1 + rnd() % 4;
      for (unsigned c = 0; c < nch; c++, changed++) {
        unsigned op = rnd() % 3;
        if ((op == 0 && s.size() < target) || s.empty()) add_prefix(s);
        else if (op == 1) s.erase(s.begin() + rnd() % s.size());
        else s[rnd() % s.size()].result = 1 + rnd() % (TB_RESULTS - 1);
      }
    }
    lpm_image ni;
    rc = lpm_build_from(&img[act], s.data(), s.size(), &ni, err, sizeof err);
    if (rc == -EAGAIN) {
      rc = lpm_build(&g, s.data(), s.size(), &ni, err, sizeof err);
      rebuilds++;
    } else refills++;
    if (rc == -ENOSPC) {
      full++;
      continue;
    }
    if (rc) {
      printf("FAIL: %s\n", err);
      return 1;
    }
    unsigned ina = !act;
    size_t before = wq.size();
    queue_writes(ina, img[ina], ni, false);
    if (kind != 0) {
      writes_total += wq.size() - before;
      prefixes_changed += changed;
    }
    drain();  // the inactive bank, under traffic
    lpm_image_free(&img[ina]);
    lpm_image_copy(&ni, &img[ina]);
    tbl[ina] = s;
    act = ina;  // flip: searches from now on see the new table
    queue_writes(!act, img[!act], ni, false);
    drain();  // the old bank: waits for its searches to leave
    lpm_image_free(&img[!act]);
    img[!act] = ni;
    tbl[!act] = s;
    updates++;
  }
  for (unsigned i = 0; i < LAT + 1; i++) step(false);
  printf("%ld clocks, %ld searches checked, %ld updates (%ld leaf refills, %ld rebuilds, %ld "
         "refused: full), %ld writes (%.2f per changed prefix per bank in small updates), %ld "
         "write stalls\n", cyc, n_checked, updates, refills, rebuilds, full, n_wr,
         prefixes_changed ? (double)writes_total / prefixes_changed : 0.0, n_stall);
  if (n_stall == 0 || updates < 3) {
    printf("FAIL: the test did not exercise updates and write stalls\n");
    errors++;
  }
  lpm_image_free(&img[0]);
  lpm_image_free(&img[1]);
  m->final();
  delete m;
  if (errors) {
    printf("FAIL: %ld errors\n", errors);
    return 1;
  }
  printf("PASS\n");
  return 0;
}
