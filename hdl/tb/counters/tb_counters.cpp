// SPDX-License-Identifier: Apache-2.0
// counters testbench: every counter gets a random addend each clock (zero, one, the largest
// AddW value or random, so 32-bit wrapping happens), a random counter is cleared now and then
// (the clear must win over that clock's addition; clears start half-way so that counter 0, which
// adds the largest addend until then, wraps), and the read port is compared with a C array
// every clock for a random index, out-of-range indices included (read as 0). Parameters
// TB_COUNT / TB_ADDW. Usage: tb_counters <clocks> <seed>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "Vcounters.h"
#include "verilated.h"
#include "vl_bits.h"

static uint64_t rs = 0x9fb21c651e98df25ull;
static uint32_t rnd(void)
{
  rs ^= rs << 13;
  rs ^= rs >> 7;
  rs ^= rs << 17;
  return (uint32_t)(rs >> 11);
}

// The C reference: Count wrapping 32-bit counters.
static uint32_t ref[TB_COUNT];

int main(int argc, char **argv)
{
  Verilated::commandArgs(argc, argv);
  long clocks = argc > 1 ? atol(argv[1]) : 100000;
  rs ^= argc > 2 ? strtoull(argv[2], nullptr, 0) : 1;
  const unsigned iw = TB_COUNT > 1 ? 32 - __builtin_clz(TB_COUNT - 1) : 1;
  const uint32_t amax = TB_ADDW >= 32 ? 0xffffffffu : (1u << TB_ADDW) - 1u;
  enum { AW = (TB_COUNT * TB_ADDW + 31) / 32 };
  Vcounters *m = new Vcounters;
  m->clk_i = 0; m->rst_ni = 0; m->clr_i = 0; m->eval();
  m->clk_i = 1; m->eval(); m->clk_i = 0; m->rst_ni = 1; m->eval();
  long errors = 0, n_clr = 0, n_wrap = 0, n_oor = 0;
  for (long cyc = 0; cyc < clocks; cyc++) {
    for (int r = 0; r < 2; r++) {
      unsigned idx = rnd() & ((1u << iw) - 1u);
      m->rd_idx_i = idx;
      m->eval();
      uint32_t want = idx < TB_COUNT ? ref[idx] : 0;
      n_oor += idx >= TB_COUNT;
      if (m->rd_data_o != want && errors++ < 10)
        printf("cycle %ld: counter %u reads %u, want %u\n", cyc, idx, m->rd_data_o, want);
    }
    uint32_t add[AW + 1] = {0}, a[TB_COUNT];
    for (unsigned i = 0; i < TB_COUNT; i++) {
      unsigned k = rnd() % 4;
      a[i] = k == 0 ? 0 : k == 1 ? 1 : k == 2 ? amax : rnd() & amax;
      if (i == 0 && cyc < clocks / 2) a[i] = amax;  // counter 0 wraps before the clears start
      for (unsigned b = 0; b < TB_ADDW; b++)
        if ((a[i] >> b) & 1u) add[(i * TB_ADDW + b) / 32] |= 1u << ((i * TB_ADDW + b) % 32);
    }
    tb::put(m->add_i, add, 0, TB_COUNT * TB_ADDW);
    int clr = cyc >= clocks / 2 && rnd() % 8 == 0;
    unsigned cidx = rnd() & ((1u << iw) - 1u);
    m->clr_i = clr;
    m->clr_idx_i = cidx;
    for (unsigned i = 0; i < TB_COUNT; i++) {
      uint32_t n = ref[i] + a[i];
      n_wrap += n < ref[i];
      ref[i] = clr && cidx == i ? 0 : n;
    }
    n_clr += clr && cidx < TB_COUNT;
    m->clk_i = 1; m->eval(); m->clk_i = 0; m->eval();
  }
  printf("counters N=%d AddW=%d: %ld clocks, %ld clears, %ld wraps, %ld out-of-range reads; %ld errors\n",
         TB_COUNT, TB_ADDW, clocks, n_clr, n_wrap, n_oor, errors);
  m->final();
  delete m;
  if (!n_clr || !n_wrap) { printf("FAIL: coverage\n"); return 1; }
  return errors ? 1 : 0;
}
