/* SPDX-License-Identifier: Apache-2.0 */
/* Test of the DRAM model (axi_dram.c): a random AXI4 master against a shadow memory.
 *  - invalid configurations are refused, naming the field;
 *  - an idle read answers exactly its latency after acceptance (fixed latency), and within
 *    [min, max] (random latency);
 *  - random reads and writes (1..4-beat bursts, random byte strobes, random R/B back-pressure,
 *    one or two IDs): every read returns the shadow memory (the master never reads an address
 *    with a write in flight, nor writes one with any access in flight), read data in request
 *    order, RLAST on the last beat, requests in flight never above max_rd / max_wr, data
 *    bandwidth at most bytes_per_clock on average, refresh and bank stalls happen when enabled;
 *  - out-of-range addresses get SLVERR and change nothing;
 *  - the same seed gives the same clock-by-clock trace, another seed a different one.
 * Usage: test_axi_dram <clocks> <seed> */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axi_dram.h"

static int fails;
#define CHECK(c, ...)                                        \
  do {                                                       \
    if (!(c)) {                                              \
      if (fails++ < 10) {                                    \
        printf("FAIL %s:%d: ", __FILE__, __LINE__);          \
        printf(__VA_ARGS__);                                 \
        printf("\n");                                        \
      }                                                      \
    }                                                        \
  } while (0)

static uint64_t ms = 7;
static uint64_t mr(void)
{
  ms ^= ms << 13;
  ms ^= ms >> 7;
  ms ^= ms << 17;
  return ms;
}

static struct axi_dram_cfg base(void)
{
  struct axi_dram_cfg c = {0};
  c.size_bytes = 4096;
  c.beat_bytes = 64;
  c.rd_lat_min = c.rd_lat_max = 100;
  c.wr_lat_min = c.wr_lat_max = 100;
  c.max_rd = c.max_wr = 16;
  c.bytes_per_clock = 64;
  c.ready_pct = 100;
  c.seed = 1;
  return c;
}

static void refused(void)
{
  struct axi_dram_cfg c = base();
  c.beat_bytes = 48;
  CHECK(!axi_dram_new(&c), "beat_bytes 48 accepted");
  c = base();
  c.rd_lat_max = 50;
  CHECK(!axi_dram_new(&c), "rd_lat_max < min accepted");
  c = base();
  c.max_wr = 0;
  CHECK(!axi_dram_new(&c), "max_wr 0 accepted");
  c = base();
  c.refresh_period = 10;
  c.refresh_clocks = 10;
  CHECK(!axi_dram_new(&c), "refresh_clocks = period accepted");
}

/* One read into an idle model: clocks from acceptance to the beat. */
static unsigned one_read(struct axi_dram *d, uint64_t addr, unsigned *resp)
{
  struct axi_dram_out o;
  struct axi_dram_in in = {0};
  in.arvalid = 1;
  in.araddr = addr;
  in.rready = 1;
  unsigned t = 0, acc = 0;
  int accepted = 0;
  for (;;) {
    axi_dram_eval(d, &o);
    if (o.rvalid) {
      *resp = o.rresp;
      axi_dram_step(d, &in);
      return t - acc;
    }
    if (!accepted && o.arready) {
      accepted = 1;
      acc = t;
      axi_dram_step(d, &in);
      in.arvalid = 0;
    } else {
      axi_dram_step(d, &in);
    }
    t++;
    if (t > 100000)
      return ~0u;
  }
}

static void latency(void)
{
  struct axi_dram_cfg c = base();
  c.rd_lat_min = c.rd_lat_max = 150;
  struct axi_dram *d = axi_dram_new(&c);
  unsigned resp = 9;
  unsigned l = one_read(d, 0, &resp);
  CHECK(l == 150 && resp == 0, "fixed latency: %u clocks, resp %u (want 150, 0)", l, resp);
  l = one_read(d, 1ull << 20, &resp);
  CHECK(resp == 2, "out-of-range read: resp %u, want SLVERR", resp);
  axi_dram_free(d);
  c.rd_lat_min = 100;
  c.rd_lat_max = 400;
  d = axi_dram_new(&c);
  unsigned lo = ~0u, hi = 0;
  for (int i = 0; i < 200; i++) {
    l = one_read(d, 64u * (unsigned)(i % 64), &resp);
    lo = l < lo ? l : lo;
    hi = l > hi ? l : hi;
  }
  CHECK(lo >= 100 && hi <= 400 && hi - lo > 200, "random latency range %u..%u", lo, hi);
  axi_dram_free(d);
}

/* Random traffic; returns a checksum of the slave's outputs clock by clock. */
struct pend {
  uint64_t addr;
  unsigned beats, id;
};

static uint64_t traffic(const struct axi_dram_cfg *c, long clocks, int check_bw)
{
  struct axi_dram *d = axi_dram_new(c);
  unsigned lines = (unsigned)(c->size_bytes / c->beat_bytes);
  uint8_t *shadow = calloc(1, c->size_bytes);
  unsigned *busy_r = calloc(lines, sizeof *busy_r), *busy_w = calloc(lines, sizeof *busy_w);
  struct pend rq[64], wq[64];
  unsigned rqn = 0, wqn = 0, rbeat = 0, wq_data = 0, wbeat = 0;
  uint8_t wbuf[64][4][AXI_DRAM_MAX_BEAT];
  uint64_t wstrb[64][4];
  uint64_t sum = 0;
  struct axi_dram_in in = {0};
  struct axi_dram_out o;
  uint8_t wdata[AXI_DRAM_MAX_BEAT];
  for (long t = 0; t < clocks; t++) {
    axi_dram_eval(d, &o);
    for (unsigned i = 0; i < sizeof o; i++)
      sum = (sum ^ ((const uint8_t *)&o)[i]) * 0x100000001B3ull;
    /* new requests: held until accepted */
    if (!in.arvalid && rqn < 64 && mr() % 3 == 0) {
      unsigned beats = 1 + (unsigned)(mr() % 4), line = (unsigned)(mr() % (lines - 3));
      int ok = 1;
      for (unsigned b = 0; b < beats; b++)
        ok &= busy_w[line + b] == 0;
      if (ok) {
        in.arvalid = 1;
        in.araddr = (uint64_t)line * c->beat_bytes;
        in.arlen = beats - 1;
        in.arid = (unsigned)(mr() % 2);
        for (unsigned b = 0; b < beats; b++)
          busy_r[line + b]++;
      }
    }
    if (!in.awvalid && wqn < 64 && mr() % 3 == 0) {
      unsigned beats = 1 + (unsigned)(mr() % 4), line = (unsigned)(mr() % (lines - 3));
      int ok = 1;
      for (unsigned b = 0; b < beats; b++)
        ok &= busy_w[line + b] == 0 && busy_r[line + b] == 0;
      if (ok) {
        in.awvalid = 1;
        in.awaddr = (uint64_t)line * c->beat_bytes;
        in.awlen = beats - 1;
        in.awid = 0;
        for (unsigned b = 0; b < beats; b++) {
          busy_w[line + b]++;
          for (unsigned i = 0; i < c->beat_bytes; i++)
            wbuf[wqn][b][i] = (uint8_t)mr();
          wstrb[wqn][b] = mr();
        }
      }
    }
    /* W beats of the oldest write without all data */
    in.wvalid = wq_data < wqn && mr() % 4 != 0;
    if (in.wvalid) {
      memcpy(wdata, wbuf[wq_data][wbeat], c->beat_bytes);
      in.wdata = wdata;
      in.wstrb = wstrb[wq_data][wbeat];
      in.wlast = wbeat + 1 == wq[wq_data].beats;
    }
    in.rready = mr() % 5 != 0;
    in.bready = mr() % 5 != 0;
    /* the handshakes of this clock, seen by the master */
    if (o.rvalid && in.rready) {
      CHECK(rqn > 0, "R beat without a request");
      if (rqn > 0) {
        struct pend *p = &rq[0];
        uint64_t a = p->addr + (uint64_t)rbeat * c->beat_bytes;
        CHECK(memcmp(o.rdata, shadow + a, c->beat_bytes) == 0, "clock %ld: read data of 0x%llx differs", t,
              (unsigned long long)a);
        CHECK(o.rid == p->id && o.rresp == 0, "clock %ld: rid %u rresp %u", t, o.rid, o.rresp);
        CHECK(o.rlast == (rbeat + 1 == p->beats), "clock %ld: rlast %d at beat %u of %u", t, o.rlast, rbeat,
              p->beats);
        if (++rbeat == p->beats) {
          for (unsigned b = 0; b < p->beats; b++)
            busy_r[p->addr / c->beat_bytes + b]--;
          memmove(rq, rq + 1, (--rqn) * sizeof *rq);
          rbeat = 0;
        }
      }
    }
    if (o.wready && in.wvalid) {
      struct pend *p = &wq[wq_data];
      uint64_t a = p->addr + (uint64_t)wbeat * c->beat_bytes;
      for (unsigned i = 0; i < c->beat_bytes; i++)
        if (in.wstrb >> i & 1u)
          shadow[a + i] = wbuf[wq_data][wbeat][i];
      if (++wbeat == p->beats) {
        wbeat = 0;
        wq_data++;
      }
    }
    if (o.bvalid && in.bready) {
      CHECK(wqn > 0 && wq_data > 0, "B before its data");
      if (wqn > 0) {
        CHECK(o.bresp == 0, "bresp %u", o.bresp);
        for (unsigned b = 0; b < wq[0].beats; b++)
          busy_w[wq[0].addr / c->beat_bytes + b]--;
        memmove(wq, wq + 1, (wqn - 1) * sizeof *wq);
        /* also the proposed write's data (index wqn, its AW not yet accepted) */
        memmove(wbuf, wbuf + 1, wqn * sizeof *wbuf);
        memmove(wstrb, wstrb + 1, wqn * sizeof *wstrb);
        wqn--;
        wq_data--;
      }
    }
    int ar_acc = o.arready && in.arvalid, aw_acc = o.awready && in.awvalid;
    axi_dram_step(d, &in);
    if (ar_acc) {
      rq[rqn].addr = in.araddr;
      rq[rqn].beats = in.arlen + 1;
      rq[rqn].id = in.arid;
      rqn++;
      in.arvalid = 0;
    }
    if (aw_acc) {
      wq[wqn].addr = in.awaddr;
      wq[wqn].beats = in.awlen + 1;
      wq[wqn].id = 0;
      wqn++;
      in.awvalid = 0;
    }
  }
  const struct axi_dram_stats *st = axi_dram_stats(d);
  CHECK(st->max_rd_inflight <= c->max_rd && st->max_wr_inflight <= c->max_wr, "in flight %u/%u > %u/%u",
        st->max_rd_inflight, st->max_wr_inflight, c->max_rd, c->max_wr);
  double bw = (double)(st->rd_beats + st->wr_beats) * c->beat_bytes / (double)st->clocks;
  CHECK(bw <= c->bytes_per_clock + 0.01, "bandwidth %.2f bytes/clock > %u", bw, c->bytes_per_clock);
  if (check_bw)
    CHECK(bw >= 0.5 * c->bytes_per_clock, "bandwidth %.2f bytes/clock far below %u", bw, c->bytes_per_clock);
  CHECK(st->reads > 100 && st->writes > 100, "too little traffic: %llu reads, %llu writes",
        (unsigned long long)st->reads, (unsigned long long)st->writes);
  if (c->refresh_period)
    CHECK(st->refresh_stalls > 0, "no refresh stall");
  if (c->banks)
    CHECK(st->bank_stalls > 0, "no bank stall");
  printf("cfg lat %u..%u max %u/%u bpc %u banks %u refresh %u/%u: %llu reads %llu writes, %.1f B/clock, "
         "max in flight %u/%u, stalls refresh %llu bank %llu\n",
         c->rd_lat_min, c->rd_lat_max, c->max_rd, c->max_wr, c->bytes_per_clock, c->banks, c->refresh_clocks,
         c->refresh_period, (unsigned long long)st->reads, (unsigned long long)st->writes, bw,
         st->max_rd_inflight, st->max_wr_inflight, (unsigned long long)st->refresh_stalls,
         (unsigned long long)st->bank_stalls);
  axi_dram_free(d);
  free(shadow);
  free(busy_r);
  free(busy_w);
  return sum;
}

int main(int argc, char **argv)
{
  long clocks = argc > 1 ? atol(argv[1]) : 200000;
  uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 1;
  ms = seed * 2654435761u + 1;
  refused();
  latency();
  struct axi_dram_cfg c = base();
  c.rd_lat_min = 100;
  c.rd_lat_max = 400;
  c.wr_lat_min = 100;
  c.wr_lat_max = 200;
  c.max_rd = 32;
  c.max_wr = 8;
  c.bytes_per_clock = 32;
  c.seed = seed;
  uint64_t a = traffic(&c, clocks, 0);
  ms = seed * 2654435761u + 1;
  uint64_t b = traffic(&c, clocks, 0);
  CHECK(a == b, "same seed, different trace");
  c.seed = seed + 1;
  ms = seed * 2654435761u + 1;
  uint64_t e = traffic(&c, clocks, 0);
  CHECK(a != e, "another seed, same trace");
  /* short latency, deep queues: bandwidth-bound */
  c = base();
  c.rd_lat_min = 1;
  c.rd_lat_max = 3;
  c.max_rd = c.max_wr = 64;
  c.bytes_per_clock = 16;
  c.seed = seed;
  traffic(&c, clocks / 2, 1);
  /* banks and refresh, random ready */
  c = base();
  c.rd_lat_min = 100;
  c.rd_lat_max = 120;
  c.banks = 4;
  c.bank_busy = 12;
  c.refresh_period = 1000;
  c.refresh_clocks = 80;
  c.ready_pct = 70;
  c.seed = seed;
  traffic(&c, clocks / 2, 0);
  printf("%s\n", fails ? "FAILED" : "axi_dram model ok");
  return fails ? 1 : 0;
}
