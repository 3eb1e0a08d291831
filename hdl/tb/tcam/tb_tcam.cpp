// SPDX-License-Identifier: Apache-2.0
// tcam testbench: random entries written through the management port while every search port
// gets a random key each clock; every result is compared with the reference TCAM (ref_tcam.c)
// 3 clocks later. Half the writes to a valid entry rewrite it slightly (one chunk, two chunks,
// only the result, one chunk and the result) so that the live-write rule of tcam.sv is exercised:
//  * hitless write (old and new entry valid, and no chunk differs, or one chunk differs and the
//    result is equal): every search from the request on returns the answer of the table with the
//    old entry or of the table with the new one (per key; checked against both references);
//  * any other write: the old entry answers for keys presented in the request clock and the next
//    one, then the entry is invisible until done, then the new one answers.
// The run fails if no search during a hitless write could tell hitless from invisible (stimulus
// too weak). Read-back is checked too. Parameters (TB_ENTRIES, TB_KEYW, TB_RESW, TB_PORTS,
// TB_CHUNKW) come from the build and must equal the -G values of the model.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>

#include "Vtcam.h"
#include "ref_tcam.h"
#include "verilated.h"
#include "vl_bits.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(void)
{
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (uint32_t)(rng_state >> 11);
}

enum { W = (TB_KEYW + 31) / 32, CHUNKS = (TB_KEYW + TB_CHUNKW - 1) / TB_CHUNKW };
static uint32_t base[W];

static void rand_key(uint32_t *k)
{
  for (int i = 0; i < W; i++) k[i] = base[i];
  int flips = rnd() % 4;
  for (int f = 0; f < flips; f++) {
    unsigned b = rnd() % TB_KEYW;
    k[b >> 5] ^= 1u << (b & 31);
  }
}

static int bit(const uint32_t *w, unsigned b) { return (w[b >> 5] >> (b & 31)) & 1; }
static void flip(uint32_t *w, unsigned b) { w[b >> 5] ^= 1u << (b & 31); }

// One search answer; a result may equal either of two answers (during a hitless write).
struct answer { int idx; uint32_t res; };
struct pending { answer a, b; };

static answer search(const ref_tcam *t, const uint32_t *k)
{
  const uint32_t *r;
  answer a;
  a.idx = ref_tcam_search(t, k, &r);
  a.res = r[0];
  return a;
}
static bool same(answer x, answer y) { return x.idx == y.idx && (x.idx < 0 || x.res == y.res); }

// Number of ChunkW slices in which two entries differ (value or mask).
static int chunks_differing(const ref_tcam_entry &a, const ref_tcam_entry &b)
{
  int n = 0;
  for (unsigned c = 0; c < CHUNKS; c++) {
    bool d = false;
    for (unsigned i = c * TB_CHUNKW; i < (c + 1) * TB_CHUNKW && i < TB_KEYW; i++)
      d |= bit(a.mask, i) != bit(b.mask, i) || bit(a.value, i) != bit(b.value, i);
    n += d;
  }
  return n;
}

// Flips 1..2 value or mask bits inside chunk c (a mask bit set gets a random value).
static void mutate_chunk(uint32_t *val, uint32_t *mask, unsigned c)
{
  unsigned lo = c * TB_CHUNKW, n = TB_KEYW - lo < TB_CHUNKW ? TB_KEYW - lo : TB_CHUNKW;
  for (int f = 1 + rnd() % 2; f > 0; f--) {
    unsigned b = lo + rnd() % n;
    if (rnd() % 2) {
      flip(mask, b);
      if (rnd() % 2) flip(val, b);
    } else {
      flip(val, b);
    }
  }
}

int main(int argc, char **argv)
{
  Verilated::commandArgs(argc, argv);
  long cycles = argc > 1 ? atol(argv[1]) : 200000;
  rng_state ^= argc > 2 ? strtoull(argv[2], nullptr, 0) : 1;
  for (int i = 0; i < W; i++) base[i] = rnd();
  Vtcam *m = new Vtcam;
  ref_tcam cur, nxt;  // visible now; after the write in flight
  if (ref_tcam_init(&cur, TB_ENTRIES, TB_KEYW) || ref_tcam_init(&nxt, TB_ENTRIES, TB_KEYW)) return 2;
  const uint32_t resmask = TB_RESW >= 32 ? 0xffffffffu : (1u << TB_RESW) - 1u;

  m->clk_i = 0; m->rst_ni = 0; m->m_req_i = 0; m->eval();
  m->clk_i = 1; m->eval(); m->clk_i = 0; m->rst_ni = 1; m->eval();

  std::deque<pending> q[TB_PORTS];
  pending last[TB_PORTS];  // expectation of the port's last search (s_valid_i 0: outputs hold)
  for (int p = 0; p < TB_PORTS; p++) last[p].a = last[p].b = answer{-1, 0};
  long errors = 0, hits = 0, checks = 0, writes = 0, reads = 0, hitless = 0, exposed = 0;
  long kinds[5] = {0};
  int op_idx = -1, op_we = 0, op_hitless = 0;
  long since_req = -1;  // clocks since the request of the operation in flight, -1: idle
  uint32_t op_val[W], op_mask[W], op_res = 0;
  int op_valid = 0;
  for (long cyc = 0; cyc < cycles; cyc++) {
    // search keys for this clock, expected from the state visible now
    for (int p = 0; p < TB_PORTS; p++) {
      uint32_t k[W];
      rand_key(k);
      tb::put_at(m->s_key_i, p * TB_KEYW, k, TB_KEYW);
      // one clock in eight without a search: the port's outputs repeat its last answer
      int sv = rnd() % 8 != 0;
      if (sv) m->s_valid_i |= 1u << p; else m->s_valid_i &= ~(1u << p);
      if (!sv) { q[p].push_back(last[p]); continue; }
      pending e;
      e.a = e.b = search(&cur, k);
      if (op_we && op_hitless && since_req >= 2) {
        e.b = search(&nxt, k);
        cur.e[op_idx].valid = 0;  // what the key would see with the entry invisible
        answer inv = search(&cur, k);
        cur.e[op_idx].valid = 1;
        exposed += !same(inv, e.a) && !same(inv, e.b);
      }
      q[p].push_back(e);
      last[p] = e;
    }
    if (since_req >= 0) since_req++;
    // an ordinary write clears valid at the first row, two clocks after the request clock (the
    // clock between is the hitless check, MCheck)
    if (op_we && !op_hitless && since_req == 2) cur.e[op_idx].valid = 0;
    // management: start a random operation when idle
    m->m_req_i = 0;
    if (!m->m_busy_o && rnd() % 4 == 0) {
      op_idx = rnd() % TB_ENTRIES;
      op_we = rnd() % 4 != 0;
      const ref_tcam_entry &old = cur.e[op_idx];
      int kind = old.valid && rnd() % 2 ? (int)(rnd() % 5) : -1;
      if (kind < 0) {
        uint32_t d = rnd() % 4;  // care density of this entry: 1/16, 1/8, 1/2, 15/16
        for (int i = 0; i < W; i++) {
          op_val[i] = base[i];
          uint32_t a = rnd() & rnd() & rnd() & rnd();
          op_mask[i] = d == 0 ? a : d == 1 ? (rnd() & rnd() & rnd()) : d == 2 ? rnd() : ~a;
        }
        for (int f = rnd() % 3; f > 0; f--) flip(op_val, rnd() % TB_KEYW);
        op_res = rnd() & resmask;
        op_valid = rnd() % 8 != 0;
      } else {  // 0, 1: one chunk; 2: result only; 3: two chunks; 4: one chunk and the result
        memcpy(op_val, old.value, sizeof op_val);
        memcpy(op_mask, old.mask, sizeof op_mask);
        op_res = old.res[0];
        op_valid = 1;
        unsigned c = rnd() % CHUNKS;
        if (kind != 2) mutate_chunk(op_val, op_mask, c);
        if (kind == 3 && CHUNKS > 1) mutate_chunk(op_val, op_mask, (c + 1 + rnd() % (CHUNKS - 1)) % CHUNKS);
        if (kind == 2 || kind == 4) op_res = (op_res + 1 + rnd() % resmask) & resmask;
        kinds[kind]++;
      }
      m->m_req_i = 1;
      m->m_we_i = op_we;
      m->m_idx_i = op_idx;
      tb::put(m->m_value_i, op_val, 0, TB_KEYW);
      tb::put(m->m_mask_i, op_mask, 0, TB_KEYW);
      m->m_res_i = op_res;
      m->m_valid_i = op_valid;
      since_req = 0;
      if (op_we) {
        uint32_t rw[REF_TCAM_RES_WORDS] = {op_res, 0, 0, 0};
        ref_tcam_write(&nxt, op_idx, op_val, op_mask, rw, op_valid);
        const ref_tcam_entry &n = nxt.e[op_idx];
        int dc = chunks_differing(old, n);
        op_hitless = old.valid && n.valid && (dc == 0 || (dc == 1 && old.res[0] == n.res[0]));
        hitless += op_hitless;
      }
    }
    m->clk_i = 1; m->eval(); m->clk_i = 0; m->eval();
    if (m->m_done_o) {
      if (op_we) {
        cur.e[op_idx] = nxt.e[op_idx];
        writes++;
      } else {
        const ref_tcam_entry &e = cur.e[op_idx];
        uint32_t v[W], mk[W];
        tb::get_words(m->m_rvalue_o, 0, TB_KEYW, v);
        tb::get_words(m->m_rmask_o, 0, TB_KEYW, mk);
        int bad = (int)m->m_rvalid_o != e.valid;
        if (e.valid) {
          bad |= m->m_rres_o != e.res[0];
          for (int i = 0; i < W; i++) bad |= v[i] != e.value[i] || mk[i] != e.mask[i];
        }
        if (bad && errors++ < 10) printf("cycle %ld: read-back of entry %d differs\n", cyc, op_idx);
        reads++;
      }
      op_we = 0;
      since_req = -1;
    }
    // results of the keys presented 3 clocks ago
    for (int p = 0; p < TB_PORTS; p++) {
      if (q[p].size() < 3) continue;
      pending e = q[p].front();
      q[p].pop_front();
      answer got;
      got.idx = tb::get(m->s_hit_o, p, 1)
                    ? (int)tb::get(m->s_idx_o, p * (unsigned)__builtin_ctz(TB_ENTRIES), __builtin_ctz(TB_ENTRIES))
                    : -1;
      got.res = (uint32_t)tb::get(m->s_res_o, p * TB_RESW, TB_RESW);
      checks++;
      if (!same(got, e.a) && !same(got, e.b)) {
        if (errors++ < 10)
          printf("cycle %ld port %d: got idx=%d res=%x, want idx=%d res=%x%s (idx -1: miss)\n", cyc,
                 p, got.idx, got.res, e.a.idx, e.a.res, same(e.a, e.b) ? "" : " or the new entry's answer");
      } else if (got.idx >= 0) {
        hits++;
      }
    }
  }
  printf("tcam E=%d K=%d R=%d P=%d C=%d: %ld searches (%ld hits), %ld writes (%ld hitless; rewrites "
         "by kind %ld %ld %ld %ld %ld), %ld reads, %ld searches during hitless writes would have "
         "seen the entry invisible, %ld errors\n",
         TB_ENTRIES, TB_KEYW, TB_RESW, TB_PORTS, TB_CHUNKW, checks, hits, writes, hitless, kinds[0],
         kinds[1], kinds[2], kinds[3], kinds[4], reads, exposed, errors);
  m->final();
  delete m;
  ref_tcam_free(&cur);
  ref_tcam_free(&nxt);
  if (hits == 0) { printf("FAIL: no search hit: stimulus too weak\n"); return 1; }
  if (exposed == 0) { printf("FAIL: no hitless write was observable: stimulus too weak\n"); return 1; }
  return errors ? 1 : 0;
}
