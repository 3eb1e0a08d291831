// SPDX-License-Identifier: Apache-2.0
// axi_flow_cdc testbench harness: the Verilated bridge on two unrelated clocks (periods in ps on
// the command line), its slave port driven by afc_tb.c's random master, its master port served by
// afc_tb.c's DRAM model (with injected faults). The checks are all in afc_tb.c; this file only
// schedules the clock edges and the resets and moves signals.
// Usage: tb_axi_flow_cdc <random|resets|rate> <slave clocks> <seed> <slave period ps> <master period ps>
//   random  random rates, stalls, back-pressure, entries beyond the memory, bad beats and answers
//           with nothing in flight injected
//   resets  the same traffic with resets of the slave side, the master side or both in the middle
//           (no injected faults: answers across a reset are checked leniently, see afc_tb.h)
//   rate    requests every clock, a memory without stalls: reads alone, then writes alone, must
//           reach 90 % of min(1, (master clock / slave clock) / beats per entry) per slave clock
// Build parameters (-D): TB_MDATAW, TB_SADDRW, TB_MADDRW, TB_MIDW, TB_BASEADDR, TB_DEPTH, TB_MAXOUT
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "Vaxi_flow_cdc.h"
#include "afc_tb.h"
#include "verilated.h"
#include "vl_bits.h"

static Vaxi_flow_cdc *m;
static afc_tb *sb;
static const unsigned BEAT = TB_MDATAW / 8;

static void s_sample(afc_s_sample *s)
{
  s->arready = m->s_axi_arready;
  s->awready = m->s_axi_awready;
  s->wready = m->s_axi_wready;
  s->rvalid = m->s_axi_rvalid;
  s->rlast = m->s_axi_rlast;
  s->rresp = m->s_axi_rresp;
  s->rid = m->s_axi_rid;
  tb::get_words(m->s_axi_rdata, 0, 512, s->rdata);
  s->bvalid = m->s_axi_bvalid;
  s->bresp = m->s_axi_bresp;
  s->bid = m->s_axi_bid;
}

static void s_put(const afc_s_master &d)
{
  m->s_axi_arvalid = d.arvalid;
  m->s_axi_araddr = d.araddr;
  m->s_axi_arlen = 0;   // the tier's constants
  m->s_axi_arsize = 6;
  m->s_axi_arburst = 1;
  m->s_axi_arid = 0;
  m->s_axi_rready = d.rready;
  m->s_axi_awvalid = d.awvalid;
  m->s_axi_awaddr = d.awaddr;
  m->s_axi_awlen = 0;
  m->s_axi_awsize = 6;
  m->s_axi_awburst = 1;
  m->s_axi_awid = 0;
  m->s_axi_wvalid = d.wvalid;
  tb::put(m->s_axi_wdata, d.wdata, 0, 512);
  m->s_axi_wstrb = d.wstrb;
  m->s_axi_wlast = 1;
  m->s_axi_bready = d.bready;
}

static void m_sample(afc_m_sample *s)
{
  s->arvalid = m->m_axi_arvalid;
  s->araddr = m->m_axi_araddr;
  s->arlen = m->m_axi_arlen;
  s->arsize = m->m_axi_arsize;
  s->arburst = m->m_axi_arburst;
  s->arid = (unsigned)m->m_axi_arid;
  s->rready = m->m_axi_rready;
  s->awvalid = m->m_axi_awvalid;
  s->awaddr = m->m_axi_awaddr;
  s->awlen = m->m_axi_awlen;
  s->awsize = m->m_axi_awsize;
  s->awburst = m->m_axi_awburst;
  s->awid = (unsigned)m->m_axi_awid;
  s->wvalid = m->m_axi_wvalid;
  s->wlast = m->m_axi_wlast;
  memset(s->wdata, 0, sizeof s->wdata);
  tb::get_words(m->m_axi_wdata, 0, TB_MDATAW, s->wdata);
  s->wstrb = (uint64_t)m->m_axi_wstrb;
  s->bready = m->m_axi_bready;
}

static void m_put(const axi_dram_out &o)
{
  m->m_axi_arready = o.arready;
  m->m_axi_awready = o.awready;
  m->m_axi_wready = o.wready;
  m->m_axi_rvalid = o.rvalid;
  m->m_axi_rlast = o.rlast;
  m->m_axi_rresp = o.rresp;
  m->m_axi_rid = o.rid;
  uint32_t w[AFC_WORDS];
  memcpy(w, o.rdata, sizeof w);
  tb::put(m->m_axi_rdata, w, 0, TB_MDATAW);
  m->m_axi_bvalid = o.bvalid;
  m->m_axi_bresp = o.bresp;
  m->m_axi_bid = o.bid;
}

int main(int argc, char **argv)
{
  if (argc != 6) {
    fprintf(stderr, "usage: %s <random|resets|rate> <slave clocks> <seed> <slave ps> <master ps>\n",
            argv[0]);
    return 2;
  }
  std::string mode = argv[1];
  long n = atol(argv[2]);
  uint64_t seed = strtoull(argv[3], nullptr, 0);
  uint64_t ps = strtoull(argv[4], nullptr, 0), pm = strtoull(argv[5], nullptr, 0);
  if ((mode != "random" && mode != "resets" && mode != "rate") || n <= 0 || !ps || !pm) {
    fprintf(stderr, "bad arguments\n");
    return 2;
  }
  const bool rate = mode == "rate", resets = mode == "resets";
  const unsigned ratio = 64 / BEAT;

  afc_cfg c;
  memset(&c, 0, sizeof c);
  c.beat_bytes = BEAT;
  c.id_bits = TB_MIDW;
  c.base = TB_BASEADDR;
  c.entries = rate ? 4096 : 512;
  c.oob = rate ? 0 : 8;
  c.req_pct = rate ? 100 : 30 + (unsigned)(seed % 5) * 15;
  c.rd_pct = 60;
  c.rready_pct = rate ? 100 : 70;
  c.bready_pct = rate ? 100 : 70;
  c.part_pct = rate ? 0 : 10;
  c.inj_permille = rate || resets ? 0 : 15;
  c.fake_permille = rate || resets ? 0 : 5;
  c.quiet = rate ? 0 : 512;
  c.max_out = TB_MAXOUT;
  c.seed = seed;
  axi_dram_cfg &dc = c.dram;
  dc.rd_lat_min = rate ? 30 : 10;
  dc.rd_lat_max = rate ? 40 : 80;
  dc.wr_lat_min = rate ? 20 : 5;
  dc.wr_lat_max = rate ? 30 : 40;
  dc.max_rd = rate ? 256 : resets ? 16 : 64;   // the memory's own limits (above MaxOut: the
  dc.max_wr = rate ? 256 : resets ? 8 : 32;    // bridge's must hold in the small configuration)
  dc.bytes_per_clock = rate ? 2 * BEAT : BEAT;
  dc.banks = rate ? 0 : 8;
  dc.bank_busy = rate ? 0 : 4;
  dc.refresh_period = rate ? 0 : 3000;
  dc.refresh_clocks = rate ? 0 : 60;
  dc.ready_pct = rate ? 100 : resets ? 40 : 85;   // resets: requests often wait for ready
  dc.seed = seed ^ 0x5A5A;
  sb = afc_tb_new(&c);
  if (!sb) return 2;

  Verilated::commandArgs(argc, argv);
  Verilated::randReset(2);   // random initial values: the resets must set every flop
  Verilated::threadContextp()->randSeed((int)(seed & 0x7fffffff) + 1);
  m = new Vaxi_flow_cdc;
  // both sides in reset, a few clocks of each
  m->s_clk_i = 0;
  m->m_clk_i = 0;
  m->s_rst_ni = 0;
  m->m_rst_ni = 0;
  m->eval();
  for (int i = 0; i < 4; i++) {
    m->s_clk_i = 1;
    m->m_clk_i = 1;
    m->eval();
    m->s_clk_i = 0;
    m->m_clk_i = 0;
    m->eval();
  }
  m->s_rst_ni = 1;
  m->m_rst_ni = 1;
  m->eval();

  uint64_t ts = ps, tm = pm / 3 + 1;   // next rising edges (ps)
  long s_clk = 0, s_rst_left = 0, m_rst_left = 0, last_answer = 0, s_end = n;
  uint64_t answers_seen = 0;
  int phase = 0;   // rate: 0 warm-up reads, 1 reads, 2 warm-up writes, 3 writes; then drain
  long phase_len = n / 4, phase_start = 0;
  uint64_t phase_count = 0;
  double rates[2] = {0, 0};
  bool draining = false, done = false;
  if (rate) afc_set_traffic(sb, 1, 0, 0);
  // the first clock's outputs
  afc_s_master d;
  afc_s_drive(sb, &d);
  s_put(d);
  afc_m_sample now;
  axi_dram_out o;
  m->eval();
  m_sample(&now);
  afc_m_drive(sb, &now, &o);
  m_put(o);

  while (!done) {
    uint64_t t = ts < tm ? ts : tm;
    bool es = ts == t, em = tm == t;
    m->eval();
    afc_s_sample ss;
    afc_m_sample ms;
    s_sample(&ss);
    m_sample(&ms);
    if (es && !s_rst_left) afc_s_edge(sb, &ss);
    if (em && !m_rst_left) afc_m_edge(sb, &ms);
    if (es) m->s_clk_i = 1;
    if (em) m->m_clk_i = 1;
    m->eval();
    m->s_clk_i = 0;
    m->m_clk_i = 0;
    m->eval();

    if (es) {
      s_clk++;
      ts += ps;
      const afc_counts *st = afc_stats(sb);
      uint64_t answers = st->reads + st->writes - afc_outstanding(sb);
      if (answers != answers_seen || afc_outstanding(sb) == 0) {
        answers_seen = answers;
        last_answer = s_clk;
      } else if (s_clk - last_answer > 50000) {
        afc_fail(sb, "no answer for 50,000 clocks with %u requests in flight (lost)",
                 afc_outstanding(sb));
        break;
      }
      // resets in the middle (mode resets): one of the sides or both, every 1,000 clocks
      if (s_rst_left && --s_rst_left == 0) m->s_rst_ni = 1;
      if (resets && !draining && !s_rst_left && !m_rst_left && s_clk % 1000 == 999) {
        unsigned which = (unsigned)((s_clk / 1000 + seed) % 3);
        if (which != 1) {   // the slave side (the datapath): 1..20 of its clocks
          m->s_rst_ni = 0;
          s_rst_left = 1 + (s_clk / 1000) % 20;
          afc_s_reset(sb);
        }
        if (which != 0) {   // the master side (the memory controller)
          m->m_rst_ni = 0;
          m_rst_left = 1 + (s_clk / 3000) % 23;
          afc_m_reset(sb);
          axi_dram_out z;
          memset(&z, 0, sizeof z);
          m_put(z);
        }
        m->eval();
      }
      if (rate) {
        uint64_t cnt = phase < 2 ? st->reads : st->writes;
        if (s_clk - phase_start == phase_len) {
          if (phase == 1 || phase == 3) rates[phase / 2] = (double)(cnt - phase_count) / phase_len;
          phase++;
          phase_start = s_clk;
          phase_count = cnt;
          if (phase == 2) afc_set_traffic(sb, 0, 1, 0);
        }
      }
      if (!draining && (rate ? phase == 4 : s_clk >= s_end)) {
        draining = true;
        afc_set_traffic(sb, 0, 0, 1);
        s_end = s_clk + 200000;
      }
      if (draining && !s_rst_left && !m_rst_left && afc_outstanding(sb) == 0 &&
          axi_dram_idle(afc_dram(sb)))
        done = true;
      if (draining && s_clk >= s_end) {
        afc_fail(sb, "drain: %u requests never answered", afc_outstanding(sb));
        break;
      }
      if (s_rst_left) {
        afc_s_master zero;
        memset(&zero, 0, sizeof zero);
        s_put(zero);
      } else {
        afc_s_drive(sb, &d);
        s_put(d);
      }
    }
    if (em) {
      tm += pm;
      if (m_rst_left && --m_rst_left == 0) m->m_rst_ni = 1;
      if (m_rst_left) {
        axi_dram_out z;
        memset(&z, 0, sizeof z);
        m_put(z);
      } else {
        m->eval();
        m_sample(&now);
        afc_m_drive(sb, &now, &o);
        m_put(o);
      }
    }
    if (afc_errors(sb) > 50) break;
  }
  if (done) afc_final_check(sb);

  const afc_counts *st = afc_stats(sb);
  printf("axi_flow_cdc %u-bit master (%u beats per entry), %s, seed %llu, slave %llu ps, master %llu ps:\n"
         "  %llu slave clocks, %llu master clocks; %llu reads (%llu SLVERR, %llu beyond the memory), "
         "%llu writes (%llu SLVERR, %llu beyond)\n"
         "  injected bad beats/answers %llu, answers with nothing in flight %llu, answered across a "
         "reset %llu; master port: at most %u reads / %u writes in flight\n",
         TB_MDATAW, ratio, mode.c_str(), (unsigned long long)seed, (unsigned long long)ps,
         (unsigned long long)pm, (unsigned long long)st->s_clocks, (unsigned long long)st->m_clocks,
         (unsigned long long)st->reads, (unsigned long long)st->rd_err,
         (unsigned long long)st->rd_oob, (unsigned long long)st->writes,
         (unsigned long long)st->wr_err, (unsigned long long)st->wr_oob,
         (unsigned long long)st->injected, (unsigned long long)st->fakes,
         (unsigned long long)st->lenient, st->max_rd_fly, st->max_wr_fly);
  if (rate) {
    double want = (double)ps / (double)pm / ratio;
    if (want > 1) want = 1;
    printf("  rate: %.3f reads and %.3f writes per slave clock (floor %.3f)\n", rates[0], rates[1],
           0.9 * want);
    if (rates[0] < 0.9 * want || rates[1] < 0.9 * want)
      afc_fail(sb, "below the rate floor");
  } else {
    if (st->reads < 1000 || st->writes < 1000) afc_fail(sb, "too little traffic");
    if (!resets && (st->injected == 0 || st->fakes == 0 || st->rd_oob == 0 || st->wr_oob == 0))
      afc_fail(sb, "a fault kind never happened (injected %llu, nothing in flight %llu)",
               (unsigned long long)st->injected, (unsigned long long)st->fakes);
    if (resets && st->lenient == 0) afc_fail(sb, "no request was in flight across a reset");
  }
  if (!done && afc_errors(sb) == 0) afc_fail(sb, "did not finish");
  long errors = afc_errors(sb);
  printf("%s (%ld errors)\n", errors ? "FAIL" : "PASS", errors);
  m->final();
  delete m;
  afc_tb_free(sb);
  return errors ? 1 : 0;
}
