// SPDX-License-Identifier: Apache-2.0
// exc_queue testbench: packets (EXQ_META word + HdrBytes header bytes) pushed and popped at
// random, in bursts that fill the queue; pushes are gated by full_o like the datapath does, and
// now and then offered regardless (a push into a full queue without a pop is refused). Checked
// every clock against ref_fifo.c: count, full, head meta and every header word (read through
// word_i), zeros when empty, arrival order; and the accounting: packets accepted = popped +
// count, a refused push is exactly one that saw full_o without a pop (nothing lost uncounted).
// Parameters TB_DEPTH / TB_HDRBYTES. Usage: tb_exc_queue <clocks> <seed>
#include <cstdio>
#include <cstdlib>

#include "Vexc_queue.h"
#include "ref_fifo.h"
#include "verilated.h"
#include "vl_bits.h"

static uint64_t rs = 0xda942042e4dd58b5ull;
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
  enum { WORDS = TB_HDRBYTES / 4 };
  Vexc_queue *m = new Vexc_queue;
  static ref_fifo ref;  // entry: word 0 meta, words 1.. header
  ref_fifo_init(&ref, TB_DEPTH);
  m->clk_i = 0; m->rst_ni = 0; m->push_i = 0; m->pop_i = 0; m->eval();
  m->clk_i = 1; m->eval(); m->clk_i = 0; m->rst_ni = 1; m->eval();
  long errors = 0, n_full = 0, offered_full = 0, dropped = 0, accepted = 0, seq = 0;
  for (long cyc = 0; cyc < clocks; cyc++) {
    const uint32_t *h = ref_fifo_head(&ref);
    int bad = m->count_o != ref.count || m->full_o != (ref.count == TB_DEPTH) ||
              m->meta_o != (h ? h[0] : 0);
    // every header word of the head (word_i is combinational)
    for (unsigned i = 0; i < WORDS && !bad; i += 1 + (cyc & 1) * (rnd() % 4)) {
      m->word_i = i;
      m->eval();
      bad |= m->word_o != (h ? h[1 + i] : 0);
    }
    if (bad && errors++ < 10)
      printf("cycle %ld: count %u full %d meta %08x, want count %u meta %08x\n", cyc,
             (unsigned)m->count_o, m->full_o, m->meta_o, ref.count, h ? h[0] : 0);
    int full = m->full_o;
    unsigned phase = (unsigned)(cyc / 32) % 3;
    int offer = (int)(rnd() % 8) < (phase == 0 ? 7 : phase == 1 ? 1 : 4);
    int pop = (int)(rnd() % 8) < (phase == 0 ? 1 : phase == 1 ? 6 : 4);
    int force = rnd() % 4 == 0;  // ungated push now and then
    int push = offer && (!full || force);
    uint32_t w[REF_FIFO_WORDS] = {0};
    w[0] = (uint32_t)seq;  // meta carries a sequence number: order is checked through it
    for (unsigned i = 1; i <= WORDS; i++) w[i] = rnd();
    if (offer && full) offered_full++;
    if (offer && !push) dropped++;  // the datapath's EXQ_FULL drop
    m->push_i = push;
    m->pop_i = pop;
    m->meta_i = w[0];
    tb::put(m->data_i, w + 1, 0, TB_HDRBYTES * 8);
    n_full += full;
    int taken = ref_fifo_clock(&ref, push, w, pop);
    if (taken) { accepted++; seq++; }
    if (push && !taken && !(full && !pop) && errors++ < 10) printf("cycle %ld: push refused while not full\n", cyc);
    m->clk_i = 1; m->eval(); m->clk_i = 0; m->eval();
    if (accepted != ref.popped + (long)ref.count && errors++ < 10) printf("cycle %ld: accounting\n", cyc);
  }
  printf("exc_queue D=%d H=%d: %ld clocks, %ld accepted, %ld popped, %ld refused (ungated), %ld dropped"
         " by the full gate, %ld offers while full, %ld clocks full; %ld errors\n", TB_DEPTH,
         TB_HDRBYTES, clocks, accepted, ref.popped, ref.refused, dropped, offered_full, n_full, errors);
  m->final();
  delete m;
  if (!n_full || !ref.refused || !dropped) { printf("FAIL: coverage\n"); return 1; }
  return errors ? 1 : 0;
}
