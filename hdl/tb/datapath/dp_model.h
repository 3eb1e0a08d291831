/* SPDX-License-Identifier: Apache-2.0 */
/* Reference model of the datapath lookup, packet by packet, in arrival order: parse (ref_parse),
 * binding, label TCAM, platform TCAM, rule TCAM (subnet + NIC NSG), S2 combine, flow cache
 * (same keyed hash, 4-choice placement, stash and overflow flags as hdl/rtl/flow_cache.sv); an ICMP error with
 * a usable embedded header looks up the embedded packet's flow (S5 RELATED, hdl/rtl/lookup.sv). Tables are the
 * ABI's entries (value/mask/result words), so the compiler's bit-exact tables model can replace
 * the TCAM part later: dp_model_lookup() is the one function to swap.
 * Label contexts (label_ctx = 1, hdl/rtl/lookup.sv LabelCtx): the label TCAM is the local-address
 * table (an inbound packet's vport), and each vport's BINDING.LABEL_CTX names a prefix set whose
 * longest match gives two label vectors (subnet NSG: rule port 0 and platform; NIC NSG: rule
 * port 1); the reference is a linear longest-prefix search over dp_ctx_prefix entries, independent
 * of the trees' builder. */
#ifndef NSGNIC_TB_DP_MODEL_H
#define NSGNIC_TB_DP_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "ref_tcam.h"

#ifdef __cplusplus
extern "C" {
#endif

struct dp_cfg {
  unsigned rule_entries, label_entries, platform_entries, vports;
  unsigned flow_buckets, flow_ways; /* per table (FLOW_TABLES = 4) */
  unsigned max_beats, beat_bytes, hdr_bytes;
  unsigned flow_stash;              /* stash slots (after the 4 tables' entries) */
};

/* One prefix of a label context (label_ctx mode) in one bank. */
struct dp_ctx_prefix {
  int bank, family;
  unsigned ctx;        /* BINDING.LABEL_CTX */
  uint32_t addr[4];    /* IPv4 in addr[0] */
  unsigned plen;       /* 0..32 / 0..128 */
  uint64_t lab_sub, lab_nic;
};

struct dp_flow {
  int valid;
  uint32_t key[10]; /* FLOW bits 0..FLOW_KEY_BITS-1 */
  unsigned action, rule_id;
  int counted;  /* FLOW.HW_COUNTED: learned in front of the DRAM tier, in its S5 counter */
  int outbound; /* FLOW.INIT_OUTBOUND (counted entries: names the counter) */
};

struct dp_model {
  struct dp_cfg cfg;
  struct ref_tcam rule, label, plat;
  uint32_t binding[2][256][4]; /* [bank][vport]: lookups read the active bank */
  int bank, learn;
  uint32_t prange[2 * 4]; /* PORT_RANGE words: PORT_CLASSES source, then destination */
  struct dp_flow *flow; /* [table][bucket][way], then [stash slot] */
  uint8_t *ovf;         /* [bucket] of table 0 */
  uint32_t hkey[12];    /* flow-hash secret key (CSR_FLOW_HKEY); reset value after init */
  int label_ctx;        /* per-vport label contexts: cpfx instead of the label TCAM's labels */
  struct dp_ctx_prefix *cpfx;
  size_t ncpfx, capcpfx;
  int dram_tier;        /* datapath FlowDram = 1: the cache does not learn; a looked-up packet
                           that misses it is returned with dram_req set for the caller's DRAM
                           tier model (hdl/rtl/flow_tier.sv) */
  int dram_front;       /* with dram_tier (datapath FlowFront = 1): the cache in front of the
                           tier; a miss is returned with dram_req set and cache_room / cache_slot
                           (where the cache would learn it); the caller decides with the tier's
                           directory and calls dp_model_cache_learn when the cache learns it */
};

struct dp_result {
  unsigned action, reason, rule_id;
  int looked, flow_hit, learned, learn_fail;
  int related; /* an ICMP error forwarded by the ALLOW flow it is about (S5 RELATED) */
  unsigned dest; /* PORT */
  /* dram_tier: the flow request of a cache miss (the verdict above is the rules') */
  int dram_req, outbound, may_learn, probe;
  uint32_t fkey[10];
  int cache_room;       /* dram_front: the cache has a place for the flow (at cache_slot) */
  unsigned cache_slot;
};

int dp_model_init(struct dp_model *m, const struct dp_cfg *cfg);
void dp_model_free(struct dp_model *m);
/* One packet from `port` (PORT layout); updates the flow cache like the hardware. */
void dp_model_packet(struct dp_model *m, const uint8_t *frame, size_t len, unsigned port,
                     struct dp_result *r);
/* label_ctx mode: add a prefix (-1: out of memory); drop every prefix of one bank. */
int dp_model_ctx_add(struct dp_model *m, const struct dp_ctx_prefix *p);
void dp_model_ctx_clear(struct dp_model *m, int bank);
/* label_ctx mode: the longest prefix of context ctx covering addr in the active bank (NULL: none). */
const struct dp_ctx_prefix *dp_model_ctx_match(const struct dp_model *m, int family, unsigned ctx,
                                               const uint32_t *addr);
/* Flow-cache management write of entry `index` (FLOW entry, 16 words). HW_COUNTED is kept only on
 * the same flow of a counted entry (flow_cache.sv). Returns 1 when a counted entry was dropped or
 * replaced (its S5 counter drops; *old = it), else 0. */
int dp_model_flow_write(struct dp_model *m, unsigned index, const uint32_t *ent, struct dp_flow *old);
/* dram_front: the cache learns the missed flow of r at r->cache_slot (counted); sets r->learned. */
void dp_model_cache_learn(struct dp_model *m, struct dp_result *r);
/* The flow-cache hash of a key (10 words) under the secret key `hkey` (12 words), as
 * hdl/rtl/flow_cache.sv computes it (nsgnic_flow_hash). */
uint64_t dp_flow_hash(const uint32_t *hkey, const uint32_t *key);

#ifdef __cplusplus
}
#endif
#endif
