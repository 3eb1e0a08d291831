// SPDX-License-Identifier: Apache-2.0
// tcam testbench: random entries written through the management port while every search port
// gets a random key each clock; every result is compared with the reference TCAM (ref_tcam.c)
// 3 clocks later. Entries being written are invisible from the request until done. Read-back is
// checked too. Parameters (TB_ENTRIES, TB_KEYW, TB_RESW, TB_PORTS) come from the build and must
// equal the -G values of the model.
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

enum { W = (TB_KEYW + 31) / 32 };
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

struct pending { int idx; uint32_t res; };

static int search(const ref_tcam *t, const uint32_t *k, uint32_t *res)
{
  const uint32_t *r;
  int i = ref_tcam_search(t, k, &r);
  *res = r[0];
  return i;
}

int main(int argc, char **argv)
{
  Verilated::commandArgs(argc, argv);
  long cycles = argc > 1 ? atol(argv[1]) : 200000;
  rng_state ^= argc > 2 ? strtoull(argv[2], nullptr, 0) : 1;
  for (int i = 0; i < W; i++) base[i] = rnd();
  Vtcam *m = new Vtcam;
  ref_tcam ref;
  if (ref_tcam_init(&ref, TB_ENTRIES, TB_KEYW)) return 2;
  const uint32_t resmask = TB_RESW >= 32 ? 0xffffffffu : (1u << TB_RESW) - 1u;

  m->clk_i = 0; m->rst_ni = 0; m->m_req_i = 0; m->eval();
  m->clk_i = 1; m->eval(); m->clk_i = 0; m->rst_ni = 1; m->eval();

  std::deque<pending> q[TB_PORTS];
  long errors = 0, hits = 0, checks = 0, writes = 0, reads = 0;
  int op_idx = -1, op_we = 0;
  uint32_t op_val[W], op_mask[W], op_res = 0;
  int op_valid = 0;
  for (long cyc = 0; cyc < cycles; cyc++) {
    // search keys for this clock, expected from the state visible now
    for (int p = 0; p < TB_PORTS; p++) {
      uint32_t k[W];
      rand_key(k);
      tb::put_at(m->s_key_i, p * TB_KEYW, k, TB_KEYW);
      pending e;
      e.idx = search(&ref, k, &e.res);
      q[p].push_back(e);
    }
    // management: start a random operation when idle
    m->m_req_i = 0;
    if (!m->m_busy_o && rnd() % 4 == 0) {
      op_idx = rnd() % TB_ENTRIES;
      op_we = rnd() % 4 != 0;
      uint32_t d = rnd() % 4;  // care density of this entry: 1/16, 1/8, 1/2, 15/16
      for (int i = 0; i < W; i++) {
        op_val[i] = base[i];
        uint32_t a = rnd() & rnd() & rnd() & rnd();
        op_mask[i] = d == 0 ? a : d == 1 ? (rnd() & rnd() & rnd()) : d == 2 ? rnd() : ~a;
      }
      for (int f = rnd() % 3; f > 0; f--) {
        unsigned b = rnd() % TB_KEYW;
        op_val[b >> 5] ^= 1u << (b & 31);
      }
      op_res = rnd() & resmask;
      op_valid = rnd() % 8 != 0;
      m->m_req_i = 1;
      m->m_we_i = op_we;
      m->m_idx_i = op_idx;
      tb::put(m->m_value_i, op_val, 0, TB_KEYW);
      tb::put(m->m_mask_i, op_mask, 0, TB_KEYW);
      m->m_res_i = op_res;
      m->m_valid_i = op_valid;
      if (op_we) ref.e[op_idx].valid = 0;  // invisible from this edge on
    }
    m->clk_i = 1; m->eval(); m->clk_i = 0; m->eval();
    if (m->m_done_o) {
      if (op_we) {
        uint32_t rw[REF_TCAM_RES_WORDS] = {op_res, 0, 0, 0};
        ref_tcam_write(&ref, op_idx, op_val, op_mask, rw, op_valid);
        writes++;
      } else {
        const ref_tcam_entry &e = ref.e[op_idx];
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
    }
    // results of the keys presented 3 clocks ago
    for (int p = 0; p < TB_PORTS; p++) {
      if (q[p].size() < 3) continue;
      pending e = q[p].front();
      q[p].pop_front();
      int hit = (int)tb::get(m->s_hit_o, p, 1);
      int idx = (int)tb::get(m->s_idx_o, p * (unsigned)__builtin_ctz(TB_ENTRIES), __builtin_ctz(TB_ENTRIES));
      uint32_t res = (uint32_t)tb::get(m->s_res_o, p * TB_RESW, TB_RESW);
      checks++;
      if (hit != (e.idx >= 0) || (hit && (idx != e.idx || res != e.res))) {
        if (errors++ < 10)
          printf("cycle %ld port %d: got hit=%d idx=%d res=%x, want idx=%d res=%x\n", cyc, p,
                 hit, idx, res, e.idx, e.res);
      } else if (hit) {
        hits++;
      }
    }
  }
  printf("tcam E=%d K=%d R=%d P=%d: %ld searches (%ld hits), %ld writes, %ld reads, %ld errors\n",
         TB_ENTRIES, TB_KEYW, TB_RESW, TB_PORTS, checks, hits, writes, reads, errors);
  m->final();
  delete m;
  ref_tcam_free(&ref);
  if (hits == 0) { printf("FAIL: no search hit: stimulus too weak\n"); return 1; }
  return errors ? 1 : 0;
}
