/* SPDX-License-Identifier: Apache-2.0 */
/* The firmware's hardware abstraction: everything the firmware logic (src/) does to the device
 * goes through one `struct fw_hal` — the host window as a plain word array plus a table of
 * operations on the datapath tables. Backends: hal_ram.c (tables in caller-provided arrays:
 * host unit tests and the on-target self-test image) and hal_csr.c (the datapath CSR bus).
 *
 * Contract for every operation: it returns FW_HAL_OK or a negative FW_HAL_E* code, never
 * blocks for longer than a bounded number of bus polls (a stuck datapath gives FW_HAL_EHW),
 * and touches only the addressed entry. Index and table arguments are already validated by
 * the caller (the firmware checks them against the sizes below before calling). */
#ifndef NSGNIC_FW_HAL_H
#define NSGNIC_FW_HAL_H

#include <stdint.h>

#include "nsgnic/abi.h"

/* Largest key/mask and result of any TCAM, in 32-bit words (rule key 256 bits, label result
 * 80 bits); matches the P_TCAM payload. */
enum {
  FW_KEY_WORDS = 8,
  FW_RES_WORDS = 3,
  FW_FLOW_WORDS = NSGNIC_WORDS(NSGNIC_FLOW_BITS),
  FW_EXC_WORDS = NSGNIC_MSG_PAYLOAD_WORDS,
  FW_PARK_SLOTS = 32,             /* most park slots a device may have (CSR_EXQ_SLOTS) */
};
#define FW_EXC_NO_SLOT 0xffffffffu  /* exc_pop: the packet is not parked (the device does not park) */

enum fw_hal_err {
  FW_HAL_OK = 0,
  FW_HAL_EHW = -1,      /* bus error or timeout */
  FW_HAL_ENOENT = -2,   /* flow slot empty */
  FW_HAL_EEXIST = -3,   /* flow key already present */
  FW_HAL_ENOSPC = -4,   /* no free flow slot for this key */
};

/* One TCAM entry as the firmware sees it (unused high words are zero). */
struct fw_tcam_entry {
  uint32_t key[FW_KEY_WORDS];
  uint32_t mask[FW_KEY_WORDS];  /* 1 = care */
  uint32_t res[FW_RES_WORDS];
  uint32_t valid;               /* 0 or 1 */
};

struct fw_hal_ops {
  /* key and mask: FW_KEY_WORDS words, res: FW_RES_WORDS words, valid: 0/1. */
  int (*tcam_write)(void *ctx, unsigned table, uint32_t index, const uint32_t *key,
                    const uint32_t *mask, const uint32_t *res, uint32_t valid);
  int (*tcam_read)(void *ctx, unsigned table, uint32_t index, struct fw_tcam_entry *e);
  /* Makes `bank` (0/1) the bank every lookup from now on uses (one atomic register write). */
  int (*bank_set)(void *ctx, uint32_t bank);
  /* Rule-set generation the datapath stores in the flows it learns (FLOW.GEN, low 8 bits). */
  int (*gen_set)(void *ctx, uint32_t gen);
  /* Binding entry of `vport` in `bank` (0/1): the table is banked, the datapath reads the
   * entry of the active bank. */
  int (*bind_write)(void *ctx, uint32_t bank, uint32_t vport, const uint32_t e[NSGNIC_BINDING_WORDS]);
  int (*bind_read)(void *ctx, uint32_t bank, uint32_t vport, uint32_t e[NSGNIC_BINDING_WORDS]);
  /* Flow cache: read slot (FW_HAL_ENOENT when not VALID), insert by key (the device picks the
   * slot), delete slot. */
  int (*flow_read)(void *ctx, uint32_t index, uint32_t e[FW_FLOW_WORDS]);
  int (*flow_insert)(void *ctx, const uint32_t e[FW_FLOW_WORDS], uint32_t *index);
  int (*flow_delete)(void *ctx, uint32_t index);
  /* Aging helper: the first VALID slot in [from, to) whose (now - TIMESTAMP) mod 2^16 is at
   * least `threshold`, or `to` when there is none. The scan's inner loop lives here so that a
   * backend can use a hardware scan engine. */
  uint32_t (*flow_next_idle)(void *ctx, uint32_t from, uint32_t to, uint32_t now,
                             uint32_t threshold);
  /* Coarse time of the flow cache (CSR NOW, FLOW.TIMESTAMP units, 16 bits used). */
  uint32_t (*flow_now)(void *ctx);
  int (*counter_read)(void *ctx, uint32_t id, uint64_t *value);
  /* Takes the oldest exception from the datapath into `p` (P_EXC layout with PARKED 0, *words
   * payload words <= FW_EXC_WORDS) and *slot: the park slot still holding the whole frame
   * (< exc_slots), or FW_EXC_NO_SLOT. Returns 1 when one was taken, 0 when the queue is empty. */
  int (*exc_pop)(void *ctx, uint32_t p[FW_EXC_WORDS], uint32_t *words, uint32_t *slot);
  /* Releases park slot `slot` (a slot exc_pop returned and not yet released): forward != 0 sends
   * the frame on PORT `port` (PORT layout), 0 drops it; either frees the slot. FW_HAL_EHW when
   * the device does not hold a parked frame there. */
  int (*exc_release)(void *ctx, uint32_t slot, uint32_t forward, uint32_t port);
  /* Free-running cycle timer (mtime, low 32 bits). */
  uint32_t (*ticks)(void *ctx);
  /* Port-range comparator k (< port_classes) of field 0 (source) / 1 (destination): PORT_RANGE
   * layout. */
  int (*prange_write)(void *ctx, uint32_t field, uint32_t k, uint32_t value);
  int (*prange_read)(void *ctx, uint32_t field, uint32_t k, uint32_t *value);
  /* Sets the flow hash's secret key (FLOW_HKEY_WORDS words, CSR_FLOW_HKEY); the caller has
   * emptied the flow cache. NULL: the device's hash takes no key (no CAP_FLOW_HASH_KEY). */
  int (*flow_hash_key)(void *ctx, const uint32_t *hkey);
  /* Hardware aging engine (NULL all three: none). age_set: enable 0/1, pace (DP_AGE_CTRL.PACE:
   * a scan at most every pace + 1 clocks), to[c] the idle timeout of AGE_CLASS c. age_est: vport
   * v's established timeout (AGE_CLASS TCP_EST and REPLIED; 0: the class's). age_pop: takes the
   * oldest report of a flow the engine deleted (its slot and its entry before the delete): 1, or
   * 0 when there is none. */
  int (*age_set)(void *ctx, uint32_t enable, uint32_t pace, const uint32_t to[NSGNIC_AGE_CLASSES]);
  int (*age_est)(void *ctx, uint32_t vport, uint32_t to);
  /* The engine's pass count (CSR_AGE_PASSES, wrapping); NULL: no EVT_SCAN_DONE in hardware mode. */
  int (*age_passes)(void *ctx, uint32_t *passes);
  int (*age_pop)(void *ctx, uint32_t *index, uint32_t e[FW_FLOW_WORDS]);
  /* S5 per-NIC, per-direction flow limit of the DRAM flow tier (CSR_FLOW_LIMIT): sets it, *now
   * the value read back. NULL or dram_flows 0: no tier (no CAP_FLOW_LIMIT). */
  int (*flow_limit)(void *ctx, uint32_t limit, uint32_t *now);
  /* DRAM flow tier slot `slot` (< dram_flows), in order with the packets: del 0 reads it, del 1
   * deletes it (e in: the entry a read returned, whose VPORT and INIT_OUTBOUND name the S5
   * counter). e out: the slot's entry (at the delete), FLOW.VALID = it held a flow; *vmask: the
   * valid bits of its bucket (bit w = way w). NULL: no tier. */
  int (*dram_flow)(void *ctx, uint32_t slot, uint32_t del, uint32_t e[FW_FLOW_WORDS],
                   uint32_t *vmask);
  /* Slots of the DRAM tier holding a flow now (CSR_DRAM_USED); NULL: unknown (walk the tier). */
  int (*dram_used)(void *ctx, uint32_t *used);
  /* The bank lookups use now (0/1). At boot the firmware keeps it: after a firmware-only restart
   * the datapath still enforces the tables of that bank, and the other one may hold a half-staged
   * update. NULL: the datapath always starts on bank 0 (a soft reset clears it). */
  int (*bank_get)(void *ctx, uint32_t *bank);
  /* Park slots taken now (bit n = slot n; read first) and packets in the exception queue (read
   * second): at boot the firmware drops the frames an earlier run parked and reported, whose
   * tokens died with it. NULL: not checked. */
  int (*exc_state)(void *ctx, uint32_t *parked, uint32_t *queued);
  /* Label stage in block RAM (hal->lpm_levels > 0; NULL both otherwise): lpm_stage puts n words
   * at word offset off of the node-word staging window (CSR_LPM_DATA), lpm_write writes the
   * staged word as node `index` of `level` (level = lpm_levels: result row `index`) of the
   * family's tree (0 IPv4, 1 IPv6) in `bank`, waiting until the tree accepts it. */
  int (*lpm_stage)(void *ctx, uint32_t off, const uint32_t *w, uint32_t n);
  int (*lpm_write)(void *ctx, uint32_t family, uint32_t bank, uint32_t level, uint32_t index);
};

struct fw_hal {
  volatile uint32_t *win;        /* the host window, HOSTWIN_BYTES / 4 words */
  const struct fw_hal_ops *ops;
  void *ctx;
  uint32_t build;                /* build hash reported in FW_BUILD */
  /* Table sizes of this device (each <= the ABI maximum; checked by the self-test). */
  uint32_t rule_entries, label_entries, platform_entries, vports, flow_entries, dp_counters;
  uint32_t port_classes;         /* comparators per port field, 0 = none (<= PORT_CLASSES) */
  uint32_t exc_slots;            /* park slots (<= FW_PARK_SLOTS), 0 = punted packets are not kept */
  /* label stage in block RAM (CSR_CAP_LPM*): levels (0: none, the label TCAM serves), fanout,
   * context bits, and per family (0 IPv4, 1 IPv6) leaf nodes and result rows */
  uint32_t lpm_levels, lpm_fanout, lpm_ctx_bits, lpm_leaves[2], lpm_results[2];
  /* per-vport label contexts (DP_CAP_LPM.LABEL_CTX, only with lpm_levels): result rows are
   * LPM_ROW, the label TCAM (label_entries) is the local-address table */
  uint32_t label_ctx;
  uint32_t dram_flows;           /* slots of the DRAM flow tier (CSR_CAP_DRAM_FLOWS), 0 = none */
  uint32_t dram_ways;            /* its slots per bucket (CSR_CAP_DRAM_WAYS, power of two <= 32) */
  /* 1: the hardware aging engine (age_*) ages the DRAM tier too (DP_AGE_CTRL.DRAM); age_pop then
   * gives a DRAM flow's index as flow_entries + its slot (the host's unified numbering) */
  uint32_t age_dram;
};

/* Fast access to an ABI field that lies within one 32-bit word (every use is checked at compile
 * time): a shift and a mask, where NSGNIC_GET/NSGNIC_PUT walk the field bit by bit (fine for
 * 64-bit or multi-word fields off the hot paths, ~20x slower on the soft-core). */
#define FW_MASK32(width) (0xffffffffu >> (32u - (uint32_t)(width)))
#define FW_ONEWORD(f) \
  (0u * sizeof(char[(NSGNIC_##f##_LSB % 32 + NSGNIC_##f##_W <= 32) ? 1 : -1]))
#define FW_GET32(words, f) \
  ((((words)[NSGNIC_##f##_LSB / 32] >> (NSGNIC_##f##_LSB % 32)) & FW_MASK32(NSGNIC_##f##_W)) + \
   FW_ONEWORD(f))
#define FW_PUT32(words, f, v) \
  ((words)[NSGNIC_##f##_LSB / 32 + FW_ONEWORD(f)] = \
       ((words)[NSGNIC_##f##_LSB / 32] & \
        ~(FW_MASK32(NSGNIC_##f##_W) << (NSGNIC_##f##_LSB % 32))) | \
       (((uint32_t)(v) & FW_MASK32(NSGNIC_##f##_W)) << (NSGNIC_##f##_LSB % 32)))

/* Host-window word at byte offset `off` (HOSTREG_* or a ring offset). */
static inline uint32_t fw_win_rd(const struct fw_hal *h, uint32_t off)
{
  return h->win[off >> 2];
}
static inline void fw_win_wr(const struct fw_hal *h, uint32_t off, uint32_t v)
{
  h->win[off >> 2] = v;
}

#endif /* NSGNIC_FW_HAL_H */
