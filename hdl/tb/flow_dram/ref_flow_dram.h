/* SPDX-License-Identifier: Apache-2.0 */
/* Reference DRAM flow tier for the flow_dram testbench and bench: the signature directory, the
 * entries by slot, the per-NIC counters, one request at a time in request order (the hardware's
 * in-order buffer and recent-write table make its pipeline equal to this sequential model).
 * Hashes, placement and kinds follow the description at the top of hdl/rtl/flow_dram.sv. */
#ifndef NSGNIC_TB_REF_FLOW_DRAM_H
#define NSGNIC_TB_REF_FLOW_DRAM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RFD_WORDS 16 /* FLOW_BITS / 32 */
#define RFD_TABLES 4 /* FLOW_TABLES */

struct ref_flow_dram {
  unsigned buckets, ways, sig_bits, vports;
  uint32_t *dir;              /* [(t * buckets + b) * ways + w]: bit 31 valid, low sig_bits signature */
  uint32_t (*e)[RFD_WORDS];   /* entry by slot (index as the directory) */
  uint32_t *lim;              /* [vport * 2 + outbound] */
  uint32_t limit, used;
  uint32_t hkey[12];          /* flow-hash secret key */
  unsigned bad_from;          /* DRAM reads of slots >= bad_from answer an error (tests; init: none):
                               * a lookup is refused (collide), not updated; a management read or
                               * delete answers an all-zero entry (hit 0) */
};

struct ref_flow_dram_req {
  unsigned op;                /* 0 packet, 1 write-back (data = the entry), 2 management read of
                               * `slot`, 3 delete of `slot` (data: the entry whose VPORT and
                               * INIT_OUTBOUND name the per-NIC counter to decrement) */
  unsigned slot;              /* op 2 / 3 */
  uint32_t key[RFD_WORDS];    /* op 0: FLOW key bits */
  int outbound, learn, probe;
  unsigned tcp, len, rule_id, gen, now;
  uint32_t data[RFD_WORDS];
  int front, croom;           /* op 0, the cache in front (flow_dram.sv Front = 1): the packet
                               * missed the cache, which has a place for it (croom) */
};

struct ref_flow_dram_out {
  int hit, learned, full, limit, collide;
  int clearn;                 /* front: learned in the cache (counted here, no slot) */
  int read;                   /* the request read DRAM (one signature matched) */
  unsigned action, rule_id, slot; /* on hit / learn */
  uint32_t entry[RFD_WORDS];  /* on hit / learn: the entry after the request; op 2 / 3: the
                               * slot's entry with VALID = the directory's bit (all zero
                               * for a free slot: no DRAM read) */
  uint32_t vmask;             /* op 2 / 3: directory valid bits of the slot's bucket */
  uint32_t before[RFD_WORDS]; /* on hit: the entry before the request (aging checks) */
};

/* Returns 0, or -1 when out of memory. Everything empty, limit = no limit. */
int ref_flow_dram_init(struct ref_flow_dram *f, unsigned buckets, unsigned ways, unsigned sig_bits,
                       unsigned vports);
void ref_flow_dram_free(struct ref_flow_dram *f);
void ref_flow_dram_request(struct ref_flow_dram *f, const struct ref_flow_dram_req *r,
                           struct ref_flow_dram_out *o);
/* The per-NIC counter of VPORT vp, initiator direction outbound (0/1). */
uint32_t ref_flow_dram_count(const struct ref_flow_dram *f, unsigned vp, int outbound);
/* A counted cache entry of VPORT vp, initiator outbound, left the cache (front): its counter
 * drops, never below 0. */
void ref_flow_dram_uncount(struct ref_flow_dram *f, unsigned vp, int outbound);
/* Slots = FLOW_TABLES * buckets * ways. */
unsigned ref_flow_dram_slots(const struct ref_flow_dram *f);
/* Whether the slot holds a flow (its signature valid). */
int ref_flow_dram_used(const struct ref_flow_dram *f, unsigned slot);

#ifdef __cplusplus
}
#endif
#endif
