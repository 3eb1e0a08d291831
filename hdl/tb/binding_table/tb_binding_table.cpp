// SPDX-License-Identifier: Apache-2.0
// binding_table testbench: random management writes (in and out of range, either bank) and the
// three read ports (two pipeline ports, management read-back) at random banks and indices every
// clock, against a C array per bank: unwritten and out-of-range entries read as 0, a write is
// visible from the next clock (the same clock still reads the old entry) and only in the bank it
// names (the banks are independent: the datapath flips between them), out-of-range writes
// change nothing. Parameter TB_VPORTS. Usage: tb_binding_table <clocks> <seed>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "Vbinding_table.h"
#include "nsgnic/abi.h"
#include "verilated.h"
#include "vl_bits.h"

static uint64_t rs = 0x6a09e667f3bcc909ull;
static uint32_t rnd(void)
{
  rs ^= rs << 13;
  rs ^= rs >> 7;
  rs ^= rs << 17;
  return (uint32_t)(rs >> 11);
}

enum { BW = NSGNIC_WORDS(NSGNIC_BINDING_BITS) };
// The C reference: two banks of 256 entries, 0 unless written (indices >= Vports never are).
static uint32_t ref[2][256][BW];

static unsigned pick(void)
{
  unsigned k = rnd() % 8;
  return k == 0 ? TB_VPORTS - 1 : k == 1 ? (TB_VPORTS + rnd() % 4) & 0xff : k == 2 ? 255
       : k == 3 ? rnd() & 0xff : rnd() % TB_VPORTS;
}

int main(int argc, char **argv)
{
  Verilated::commandArgs(argc, argv);
  long clocks = argc > 1 ? atol(argv[1]) : 100000;
  rs ^= argc > 2 ? strtoull(argv[2], nullptr, 0) : 1;
  Vbinding_table *m = new Vbinding_table;
  m->clk_i = 0; m->rst_ni = 0; m->m_we_i = 0; m->eval();
  m->clk_i = 1; m->eval(); m->clk_i = 0; m->rst_ni = 1; m->eval();
  long errors = 0, n_wr = 0, n_oor_wr = 0, n_rd_valid = 0, n_banks_differ = 0;
  for (long cyc = 0; cyc < clocks; cyc++) {
    unsigned i0 = pick(), i1 = pick(), im = pick();
    unsigned b0 = rnd() & 1, b1 = rnd() & 1, bm = rnd() & 1;
    int we = rnd() % 3 == 0;
    uint32_t d[BW];
    for (auto &w : d) w = rnd();
    m->rd0_bank_i = b0;
    m->rd0_idx_i = i0;
    m->rd1_bank_i = b1;
    m->rd1_idx_i = i1;
    m->m_bank_i = bm;
    m->m_idx_i = im;
    m->m_we_i = we;
    tb::put(m->m_data_i, d, 0, NSGNIC_BINDING_BITS);
    m->eval();
    uint32_t g0[BW], g1[BW], gm[BW];
    tb::get_words(m->rd0_o, 0, NSGNIC_BINDING_BITS, g0);
    tb::get_words(m->rd1_o, 0, NSGNIC_BINDING_BITS, g1);
    tb::get_words(m->m_rdata_o, 0, NSGNIC_BINDING_BITS, gm);
    if ((memcmp(g0, ref[b0][i0], sizeof g0) || memcmp(g1, ref[b1][i1], sizeof g1) ||
         memcmp(gm, ref[bm][im], sizeof gm)) && errors++ < 10)
      printf("cycle %ld: read of %u:%u / %u:%u / %u:%u differs\n", cyc, b0, i0, b1, i1, bm, im);
    n_rd_valid += ref[b0][i0][0] || ref[b0][i0][1] || ref[b0][i0][2] || ref[b0][i0][3];
    n_banks_differ += memcmp(ref[0][i0], ref[1][i0], sizeof ref[0][i0]) != 0;
    if (we) {
      if (im < TB_VPORTS) { memcpy(ref[bm][im], d, sizeof d); n_wr++; } else n_oor_wr++;
    }
    m->clk_i = 1; m->eval(); m->clk_i = 0; m->eval();
  }
  printf("binding_table V=%d: %ld clocks, %ld writes, %ld out-of-range writes, %ld reads of a written"
         " entry, %ld of a vport whose banks differ; %ld errors\n", TB_VPORTS, clocks, n_wr, n_oor_wr,
         n_rd_valid, n_banks_differ, errors);
  m->final();
  delete m;
  if (!n_wr || (TB_VPORTS < 256 && !n_oor_wr) || !n_rd_valid || !n_banks_differ) { printf("FAIL: coverage\n"); return 1; }
  return errors ? 1 : 0;
}
