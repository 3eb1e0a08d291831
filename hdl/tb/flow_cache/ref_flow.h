/* SPDX-License-Identifier: Apache-2.0 */
/* Reference flow cache for the flow_cache testbench: whole 512-bit entries in [table][bucket][way]
 * order then the stash, the overflow flags of the table-0 buckets, and one request at a time in issue order
 * (the hardware's write-back bypass makes its pipeline equal to this sequential model). Hash and
 * placement follow the description at the top of hdl/rtl/flow_cache.sv; the hash is
 * nsgnic_flow_hash() (include/nsgnic/flow_hash.h) under `hkey`. */
#ifndef NSGNIC_TB_REF_FLOW_H
#define NSGNIC_TB_REF_FLOW_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define REF_FLOW_WORDS 16 /* FLOW_BITS / 32 */
#define REF_FLOW_KEY_WORDS 10

#define REF_FLOW_TABLES 4 /* FLOW_TABLES */

struct ref_flow {
  unsigned buckets, ways, stash; /* per table; stash slots */
  uint32_t (*e)[REF_FLOW_WORDS]; /* (table * buckets + bucket) * ways + way, then the stash */
  uint8_t *ovf;            /* [bucket] of table 0 */
  int wb_valid;            /* the previous request wrote this bucket (bypass bookkeeping) */
  unsigned wb_t, wb_idx;
  uint32_t hkey[12];       /* flow-hash secret key (the hardware's hkey_i) */
  /* aging scan engine: position over 4 x buckets bucket rows then the stash slots; a bucket
     with more than one expired entry is visited again (rewind applies one clock later) */
  unsigned scan_pos, rewind_to;
  int rewind;
};

/* What one idle clock's scan deleted (the hardware's x_* outputs two clocks later). */
struct ref_flow_expiry {
  int valid, wrap;
  unsigned index;
  uint32_t entry[REF_FLOW_WORDS];
};

struct ref_flow_req {
  unsigned op; /* 0 packet, 1 entry read, 2 entry write, 3 overflow flag */
  uint32_t key[REF_FLOW_KEY_WORDS];
  int outbound, learn;
  int probe; /* op 0: look up only (ICMP error, S5 RELATED): no learn, the hit entry unchanged */
  unsigned tcp, len, rule_id, gen, now;
  unsigned index;               /* entry index; op 3: bucket */
  uint32_t data[REF_FLOW_WORDS]; /* op 2: entry; op 3: bit 1 write, bit 0 value */
};

struct ref_flow_out {
  int hit, learned, learn_fail, ovf;
  unsigned action, rule_id;         /* on a hit */
  uint32_t rdata[REF_FLOW_WORDS];   /* op 1: entry; op 3: previous flag in bit 0 */
  int bypassed; /* the request's bucket was written by the request just before it */
  unsigned table, bucket, way; /* packet: bucket entry hit or learned */
  int in_stash;                 /* packet: the entry hit or learned is in the stash */
  unsigned index;               /* packet: its entry index (ABI order) */
};

/* Returns 0, or -1 when out of memory. Every entry starts invalid, every flag clear. */
int ref_flow_init(struct ref_flow *f, unsigned buckets, unsigned ways, unsigned stash);
void ref_flow_free(struct ref_flow *f);
/* Apply one request; *o gets what the hardware reports for it. */
void ref_flow_request(struct ref_flow *f, const struct ref_flow_req *r, struct ref_flow_out *o);
/* One clock of the aging engine: `scan` says whether the hardware issues a scan in this clock
 * (no request, aging on, room for the report, pace reached); call it for every clock, after
 * ref_flow_request in clocks with a request (scan 0 then). to[c]: idle timeout of AGE_CLASS c,
 * est[v]: vport v's established timeout (0: none); the class and timeout are
 * include/nsgnic/flow_age.h's (the hardware's twin). */
void ref_flow_age_clock(struct ref_flow *f, int scan, unsigned now, const unsigned *to,
                        const uint16_t *est, struct ref_flow_expiry *x);
/* Valid entries / capacity. */
double ref_flow_load(const struct ref_flow *f);
/* Direction-independent key (FLOW key fields) of a packet: local = source when outbound. */
void ref_flow_key(uint32_t *key, unsigned vport, unsigned family, unsigned proto,
                  const uint32_t *src, const uint32_t *dst, unsigned sport, unsigned dport,
                  int outbound);

#ifdef __cplusplus
}
#endif
#endif
