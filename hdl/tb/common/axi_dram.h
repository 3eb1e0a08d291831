/* SPDX-License-Identifier: Apache-2.0 */
/* DRAM model for the testbenches and the co-simulated NIC: an AXI4 memory-mapped slave, cycle
 * based, deterministic for a seed. Not product code: it stands for DDR4 / HBM behind a memory
 * controller.
 *
 * Timing. Accepted requests (AR; AW with all its W beats) wait in arrival order per kind; one
 * read and one write command may start per clock (separate schedulers), never during a
 * refresh window (refresh_clocks out of every refresh_period, 0 = none) nor on a bank still busy
 * (bank = beat address mod banks, busy bank_busy clocks after a command, 0 = no banks). A read
 * takes its data at its command and delivers its first beat a latency later (uniform in
 * [rd_lat_min, rd_lat_max]); a write changes the memory at its command and its response comes a
 * latency later (wr_lat_*). Read data leaves in request order (so, per ID, in order as AXI4
 * requires), one beat per clock at most, and R and W beats together move at most
 * bytes_per_clock bytes per clock on average (a byte budget, 2 beats deep). AR / AW are refused
 * beyond max_rd / max_wr requests in flight (read: until its last beat; write: until its
 * response is taken); W beats may come in the clock of their AW or up to 8 beats before it;
 * ready_pct < 100 also drops AR/AW/W ready at random. Addresses at or beyond
 * size_bytes get SLVERR (no data change). Bursts: INCR, len + 1 beats of beat_bytes.
 *
 * Per clock: axi_dram_eval() gives the slave's outputs for this clock (they depend only on the
 * state, not on the master's inputs), then the master's signals of the same clock go to
 * axi_dram_step(), which takes the handshakes and advances one clock. */
#ifndef NSGNIC_TB_AXI_DRAM_H
#define NSGNIC_TB_AXI_DRAM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define AXI_DRAM_MAX_BEAT 64 /* bytes */

struct axi_dram_cfg {
  uint64_t size_bytes;                 /* memory size (allocated, zeroed) */
  unsigned beat_bytes;                 /* data bus width, power of two, <= AXI_DRAM_MAX_BEAT */
  unsigned rd_lat_min, rd_lat_max;     /* clocks, command -> first read beat (>= 1) */
  unsigned wr_lat_min, wr_lat_max;     /* clocks, command -> write response (>= 1) */
  unsigned max_rd, max_wr;             /* requests in flight (>= 1) */
  unsigned bytes_per_clock;            /* R + W data bandwidth (>= 1) */
  unsigned banks, bank_busy;           /* 0 banks: no bank stalls */
  unsigned refresh_period, refresh_clocks; /* 0 period: no refresh */
  unsigned ready_pct;                  /* AR/AW/W ready probability, percent (1..100) */
  uint64_t seed;
};

struct axi_dram_out {
  int arready, awready, wready;
  int rvalid, rlast;
  unsigned rid, rresp;
  uint8_t rdata[AXI_DRAM_MAX_BEAT];
  int bvalid;
  unsigned bid, bresp;
};

struct axi_dram_in {
  int arvalid;
  uint64_t araddr;
  unsigned arlen, arid;
  int rready;
  int awvalid;
  uint64_t awaddr;
  unsigned awlen, awid;
  int wvalid, wlast;
  const uint8_t *wdata;
  uint64_t wstrb; /* bit i: byte i */
  int bready;
};

struct axi_dram_stats {
  uint64_t clocks, reads, writes, rd_beats, wr_beats, errors;
  uint64_t refresh_stalls, bank_stalls; /* clocks a waiting command could not start */
  unsigned max_rd_inflight, max_wr_inflight;
};

struct axi_dram;

/* NULL when the configuration is invalid (message on stderr naming the field) or out of memory. */
struct axi_dram *axi_dram_new(const struct axi_dram_cfg *cfg);
void axi_dram_free(struct axi_dram *d);
void axi_dram_eval(struct axi_dram *d, struct axi_dram_out *o);
void axi_dram_step(struct axi_dram *d, const struct axi_dram_in *in);
/* Direct access (back door: loading, checking); out-of-range bytes are ignored / read as 0. */
void axi_dram_peek(const struct axi_dram *d, uint64_t addr, void *buf, unsigned n);
void axi_dram_poke(struct axi_dram *d, uint64_t addr, const void *buf, unsigned n);
const struct axi_dram_stats *axi_dram_stats(const struct axi_dram *d);
/* Nothing accepted and not yet answered. */
int axi_dram_idle(const struct axi_dram *d);

#ifdef __cplusplus
}
#endif
#endif
