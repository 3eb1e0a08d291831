// SPDX-License-Identifier: Apache-2.0
// sync_fifo testbench: random push/pop every clock with phases that fill it (pushes dominate),
// drain it (pops dominate) and balance it, so full, empty, push+pop when full and pop when
// empty all occur; head data, empty, full and count are compared with ref_fifo.c every clock.
// Parameters TB_WIDTH / TB_DEPTH. Usage: tb_sync_fifo <clocks> <seed>
#include <cstdio>
#include <cstdlib>

#include "Vsync_fifo.h"
#include "ref_fifo.h"
#include "verilated.h"
#include "vl_bits.h"

static uint64_t rs = 0x853c49e6748fea9bull;
static uint32_t rnd(void)
{
  rs ^= rs << 13;
  rs ^= rs >> 7;
  rs ^= rs << 17;
  return (uint32_t)(rs >> 11);
}

int main(int argc, char **argv)
{
  Verilated::commandArgs(argc, argv);
  long clocks = argc > 1 ? atol(argv[1]) : 100000;
  rs ^= argc > 2 ? strtoull(argv[2], nullptr, 0) : 1;
  enum { W = (TB_WIDTH + 31) / 32 };
  Vsync_fifo *m = new Vsync_fifo;
  static ref_fifo ref;
  ref_fifo_init(&ref, TB_DEPTH);
  m->clk_i = 0; m->rst_ni = 0; m->push_i = 0; m->pop_i = 0; m->eval();
  m->clk_i = 1; m->eval(); m->clk_i = 0; m->rst_ni = 1; m->eval();
  long errors = 0, n_full = 0, n_empty = 0, n_pp_full = 0, n_pop_empty = 0;
  for (long cyc = 0; cyc < clocks; cyc++) {
    // compare the state visible now
    const uint32_t *h = ref_fifo_head(&ref);
    uint32_t got[W];
    tb::get_words(m->rdata_o, 0, TB_WIDTH, got);
    int bad = m->count_o != ref.count || m->empty_o != (ref.count == 0) ||
              m->full_o != (ref.count == TB_DEPTH);
    for (int i = 0; h && i < W; i++) bad |= got[i] != h[i];
    if (bad && errors++ < 10)
      printf("cycle %ld: count %u empty %d full %d head %08x, want count %u head %08x\n", cyc,
             (unsigned)m->count_o, m->empty_o, m->full_o, got[0], ref.count, h ? h[0] : 0);
    unsigned phase = (unsigned)(cyc / 64) % 3;  // fill, drain, balance
    int push = (int)(rnd() % 8) < (phase == 0 ? 7 : phase == 1 ? 1 : 4);
    int pop = (int)(rnd() % 8) < (phase == 0 ? 1 : phase == 1 ? 7 : 4);
    uint32_t w[REF_FIFO_WORDS] = {0};
    for (int i = 0; i < W; i++) w[i] = rnd();
    if (TB_WIDTH % 32) w[W - 1] &= (1u << (TB_WIDTH % 32)) - 1u;
    n_full += ref.count == TB_DEPTH;
    n_empty += ref.count == 0;
    n_pp_full += push && pop && ref.count == TB_DEPTH;
    n_pop_empty += pop && ref.count == 0;
    m->push_i = push;
    m->pop_i = pop;
    tb::put(m->wdata_i, w, 0, TB_WIDTH);
    ref_fifo_clock(&ref, push, w, pop);
    m->clk_i = 1; m->eval(); m->clk_i = 0; m->eval();
  }
  printf("sync_fifo W=%d D=%d: %ld clocks, %ld pushed, %ld refused, %ld popped, full %ld, empty %ld,"
         " push+pop when full %ld, pop when empty %ld; %ld errors\n", TB_WIDTH, TB_DEPTH, clocks,
         ref.pushed, ref.refused, ref.popped, n_full, n_empty, n_pp_full, n_pop_empty, errors);
  m->final();
  delete m;
  if (!n_full || !n_empty || !n_pp_full || !n_pop_empty || !ref.refused) { printf("FAIL: coverage\n"); return 1; }
  return errors ? 1 : 0;
}
