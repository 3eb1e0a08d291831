/* SPDX-License-Identifier: Apache-2.0 */
/* The checking side of the axi_flow_cdc testbench (C; tb_axi_flow_cdc.cpp only moves signals):
 *   - a random AXI4 master on the bridge's slave port, as the DRAM flow tier uses it (one 64-byte
 *     entry per request, AW and W together) at random rates with random R/B back-pressure, and
 *     its scoreboard: every read must return the entry as last written (the write's B seen before
 *     the read was issued; a read never overlaps a write of its entry, as in the tier), in
 *     request order, every request answered exactly once, SLVERR exactly where expected;
 *   - the memory behind the master port: the DRAM model (tb/common/axi_dram.c) with faults
 *     injected on the way to the bridge: a bad response on single beats (SLVERR / DECERR /
 *     EXOKAY, a nonzero ID, RLAST misplaced) and responses with nothing in flight, each of which
 *     must turn the matching slave-side response into SLVERR; and the checks of the master
 *     port: burst form (AxLEN, AxSIZE, INCR, ID 0, address = base + 64 x index, WLAST), valid
 *     held and payload stable until ready;
 *   - resets of either side in the middle of the traffic (mode resets): after a slave-side reset
 *     no stale answer may reach the slave port and the master port's handshakes must go on
 *     undisturbed; after a master-side reset (a new DRAM model with the old one's memory) every
 *     request in flight is answered once, OKAY with correct data or SLVERR with zero data.
 * Per clock of each side: *_drive() gives the testbench's outputs for the clock, *_edge() takes
 * the DUT's outputs just before the clock edge (handshakes, checks). */
#ifndef NSGNIC_TB_AFC_TB_H
#define NSGNIC_TB_AFC_TB_H

#include <stdint.h>

#include "axi_dram.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AFC_WORDS 16 /* 512-bit entry */

struct afc_cfg {
  unsigned beat_bytes;    /* master-side data bytes (MDataW / 8) */
  unsigned id_bits;       /* master-side ID bits */
  uint64_t base;          /* BaseAddr */
  unsigned entries;       /* entries backed by memory: indices 0 .. entries - 1 */
  unsigned oob;           /* indices entries .. entries + oob - 1: beyond the memory (SLVERR) */
  unsigned req_pct;       /* per slave clock: a new read and a new write offered (each) */
  unsigned rd_pct;        /* reads among the offered requests (percent) */
  unsigned rready_pct, bready_pct;
  unsigned part_pct;      /* writes with random partial strobes */
  unsigned inj_permille;  /* per master-side R beat and B: a bad response injected */
  unsigned fake_permille; /* per idle master clock: an R or B with nothing in flight */
  unsigned quiet;         /* the last `quiet` slave clocks of every 4,096: no new requests */
  unsigned max_out;       /* the bridge's MaxOut: reads / writes in flight on the master port */
  struct axi_dram_cfg dram;
  uint64_t seed;
};

/* slave port: the testbench master's outputs and the DUT's */
struct afc_s_master {
  int arvalid, awvalid, wvalid, rready, bready;
  uint64_t araddr, awaddr, wstrb;
  uint32_t wdata[AFC_WORDS];
};
struct afc_s_sample {
  int arready, awready, wready, rvalid, rlast, bvalid;
  unsigned rresp, rid, bresp, bid;
  uint32_t rdata[AFC_WORDS];
};
/* master port: the DUT's outputs */
struct afc_m_sample {
  int arvalid, rready, awvalid, wvalid, wlast, bready;
  uint64_t araddr, awaddr, wstrb;
  unsigned arlen, arsize, arburst, arid, awlen, awsize, awburst, awid;
  uint32_t wdata[AFC_WORDS];
};

struct afc_counts {
  uint64_t reads, writes, rd_err, wr_err, rd_oob, wr_oob, injected, fakes, lenient, stale_drop;
  uint64_t s_clocks, m_clocks;
  unsigned max_rd_fly, max_wr_fly; /* on the master port */
};

struct afc_tb;

struct afc_tb *afc_tb_new(const struct afc_cfg *c);
void afc_tb_free(struct afc_tb *t);
void afc_s_drive(struct afc_tb *t, struct afc_s_master *d);
void afc_s_edge(struct afc_tb *t, const struct afc_s_sample *s);
void afc_m_drive(struct afc_tb *t, const struct afc_m_sample *now, struct axi_dram_out *o);
void afc_m_edge(struct afc_tb *t, const struct afc_m_sample *s);
/* resets: called when the side's reset is asserted (the side's clocks are not stepped meanwhile) */
void afc_s_reset(struct afc_tb *t);
void afc_m_reset(struct afc_tb *t);
/* new requests on or off; answers always taken once `drain` (ready 100 %) */
void afc_set_traffic(struct afc_tb *t, int reads, int writes, int drain);
/* requests taken and not answered on the slave port */
unsigned afc_outstanding(const struct afc_tb *t);
/* after the drain: the memory against the scoreboard (every entry whose content is known) */
void afc_final_check(struct afc_tb *t);
long afc_errors(const struct afc_tb *t);
const struct afc_counts *afc_stats(const struct afc_tb *t);
const struct axi_dram *afc_dram(const struct afc_tb *t);
/* a failure message (counted; the first few printed) */
void afc_fail(struct afc_tb *t, const char *fmt, ...);

#ifdef __cplusplus
}
#endif
#endif
