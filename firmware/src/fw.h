/* SPDX-License-Identifier: Apache-2.0 */
/* nsgnic firmware logic: state and entry points. Compiles freestanding for the RV32IM
 * soft-core and hosted for the unit tests; all device access goes through struct fw_hal.
 *
 * Design. The firmware is one cooperative main loop (fw_poll) with bounded work per turn:
 *   1. heartbeat: HOSTREG_HEARTBEAT += 1 every HEARTBEAT_TICKS;
 *   2. mailbox: take up to FW_CMDS_PER_POLL commands from the command ring, each only when the
 *      completion ring has room (so no completion is ever dropped), execute, post completion;
 *   3. exceptions: move up to FW_EXCS_PER_POLL packets from the datapath to the event ring while
 *      it has room (otherwise they wait in the datapath's queue); on a device that parks punted
 *      packets (hal->exc_slots, CAP_EXC_PARK) each report carries P_EXC.PARKED and its sequence
 *      word is the TOKEN of CMD_EXC_RELEASE, a packet the ring has no room for is dropped (its
 *      slot must not stay taken by a host that does not read events), and a parked packet not
 *      released within EXC_PARK_TIMEOUT ticks is dropped (FWCNT_EXC_EXPIRED);
 *   4. aging: examine up to `batch` flow slots and report idle ones to the event ring.
 * A command is copied out of its slot before it is looked at, then validated completely
 * (header version, opcode, length, flags, every index against the device's table size, every
 * reserved bit) before the first write, so a malformed command changes nothing and gets an
 * error status. Ring indices written by the host are checked on every read; a bad one is
 * ignored (fail closed), counted and reported once as EVT_FW_ERROR.
 * No dynamic memory; the only state is struct fw (one static instance on the target). */
#ifndef NSGNIC_FW_H
#define NSGNIC_FW_H

#include <stdint.h>

#include "hal.h"

enum {
  FW_CMDS_PER_POLL = 8,   /* commands per main-loop turn */
  FW_EXCS_PER_POLL = 4,   /* exceptions per main-loop turn */
  FW_AGE_BATCH = 8,       /* hardware aging reports forwarded per main-loop turn */
  FW_TABLES = 3,          /* TABLE_RULE, TABLE_LABEL, TABLE_PLATFORM */
  FW_AGING_MAX_THRESHOLD = 32767,  /* half the 16-bit FLOW.TIMESTAMP range */
  FW_AGING_MAX_BATCH = 65536,
  FW_BIND_MAP_WORDS = (NSGNIC_VPORTS + 31) / 32,  /* one bit per vport */
  /* shadow of which bank(s) each TCAM entry is live in: 2 bits per entry */
  FW_LIVE_ENTRIES = NSGNIC_RULE_ENTRIES + NSGNIC_LABEL_ENTRIES + NSGNIC_PLATFORM_ENTRIES,
};

/* Where an entry takes part in lookups: bit b set = live while bank b is active. */
enum { FW_LIVE_NONE = 0, FW_LIVE_B0 = 1, FW_LIVE_B1 = 2, FW_LIVE_BOTH = 3 };

struct fw_aging {
  uint32_t on;          /* scan enabled (AGING_START .. AGING_STOP) */
  uint32_t in_pass;     /* a pass is under way */
  uint32_t threshold;   /* NOW units */
  uint32_t interval;    /* ticks from pass start to the next pass start */
  uint32_t batch;       /* slots per turn */
  uint32_t pos;         /* next slot of the pass */
  uint32_t pass;        /* passes started */
  uint32_t pass_start;  /* ticks() at the start of the last pass */
  uint32_t scanned, reported;  /* of the current pass */
  uint32_t done_pending;       /* pass finished, EVT_SCAN_DONE not yet posted */
  uint32_t hw_on;              /* the hardware engine runs (CMD_AGING_HW) */
  uint32_t hw_to[NSGNIC_AGE_CLASSES]; /* the class timeouts in effect (kept by a stop) */
  uint32_t hw_used;            /* it ran since boot: its report FIFO is polled */
  uint32_t hw_reported;        /* EVT_FLOW_EXPIRED posted */
  uint32_t hw_passes;          /* the engine's pass count EVT_SCAN_DONE last reported */
  uint32_t hw_pass_reported;   /* hw_reported then */
};

/* A park slot of the datapath as the firmware tracks it (index = slot). */
struct fw_park {
  uint32_t used;    /* reported with PARKED, waiting for CMD_EXC_RELEASE */
  uint32_t token;   /* sequence word of its EVT_EXCEPTION */
  uint32_t since;   /* ticks() when reported */
};

struct fw {
  const struct fw_hal *hal;
  uint32_t state;              /* FW_STATE_* */
  uint32_t selftest;           /* SELFTEST_* failure bits */
  uint32_t cmd_tail, cpl_head, evt_head, evt_lost;
  uint64_t bad_cmd_head, bad_cpl_tail, bad_evt_tail;  /* last reported bad index | 1 << 32 (0: none) */
  uint32_t table_version, bank;
  uint32_t heartbeat, hb_last;
  uint64_t cnt[NSGNIC_FW_COUNTERS];
  struct fw_aging aging;
  struct fw_park park[FW_PARK_SLOTS];
  /* banked bindings (tables.c): vports whose inactive entry was written since the last commit
   * (copied to the other bank after the next flip), and vports whose inactive entry is not
   * known to equal the active one (copied before the next flip) */
  uint32_t bind_dirty[FW_BIND_MAP_WORDS], bind_unsynced[FW_BIND_MAP_WORDS];
  uint8_t live[(FW_LIVE_ENTRIES + 3) / 4];
  /* CMD_LPM_WRITE (lpm.c): the node word being staged (P_LPMW word 0 without FLAGS) and the
   * words staged so far (0: none) */
  uint32_t lpm_sel, lpm_staged;
};

/* Boots: runs the self-test, learns which TCAM entries are live, publishes the firmware words
 * of the host window (FW_MAGIC last) and sets FW_STATE READY or FAILED. */
void fw_init(struct fw *fw, const struct fw_hal *hal);

/* One main-loop turn (see the design note). Returns how many units of work it did (0: idle). */
unsigned fw_poll(struct fw *fw);

/* Executes one command slot `cmd` (already copied out of the ring: the header words and the LEN
 * payload words its header claims) and fills the completion `cpl` (header words and LEN payload
 * words; the rest of the SLOT_WORDS buffer is left as it was). Returns the completion STATUS_*. */
uint32_t fw_cmd_exec(struct fw *fw, const uint32_t *cmd, uint32_t *cpl);

/* Free event-ring slots (0 also when the host's EVT_TAIL is bad). */
uint32_t fw_evt_room(struct fw *fw);

/* Posts an event with `words` payload words. Returns 0, or -1 when the event ring is full or its
 * host index is bad (the event is not posted; the caller decides whether to retry or count). */
int fw_evt_post(struct fw *fw, uint32_t code, const uint32_t *payload, uint32_t words);

/* Self-test steps; returns SELFTEST_* failure bits (0 = all passed). */
uint32_t fw_selftest(struct fw *fw);

/* ---- internal, shared between the src/ files (and the unit tests) ---------------------- */
typedef uint32_t (*fw_cmd_fn)(struct fw *fw, const uint32_t *p, uint32_t len, uint32_t *out,
                              uint32_t *out_len);
uint32_t fw_cmd_tcam_write(struct fw *, const uint32_t *, uint32_t, uint32_t *, uint32_t *);
uint32_t fw_cmd_tcam_read(struct fw *, const uint32_t *, uint32_t, uint32_t *, uint32_t *);
uint32_t fw_cmd_bind_write(struct fw *, const uint32_t *, uint32_t, uint32_t *, uint32_t *);
uint32_t fw_cmd_bind_read(struct fw *, const uint32_t *, uint32_t, uint32_t *, uint32_t *);
uint32_t fw_cmd_commit(struct fw *, const uint32_t *, uint32_t, uint32_t *, uint32_t *);
uint32_t fw_cmd_flow_insert(struct fw *, const uint32_t *, uint32_t, uint32_t *, uint32_t *);
uint32_t fw_cmd_flow_delete(struct fw *, const uint32_t *, uint32_t, uint32_t *, uint32_t *);
uint32_t fw_cmd_flow_read(struct fw *, const uint32_t *, uint32_t, uint32_t *, uint32_t *);
uint32_t fw_cmd_aging_start(struct fw *, const uint32_t *, uint32_t, uint32_t *, uint32_t *);
uint32_t fw_cmd_aging_stop(struct fw *, const uint32_t *, uint32_t, uint32_t *, uint32_t *);
uint32_t fw_cmd_prange_write(struct fw *, const uint32_t *, uint32_t, uint32_t *, uint32_t *);
uint32_t fw_cmd_prange_read(struct fw *, const uint32_t *, uint32_t, uint32_t *, uint32_t *);
uint32_t fw_cmd_exc_release(struct fw *, const uint32_t *, uint32_t, uint32_t *, uint32_t *);
uint32_t fw_cmd_flow_hash_key(struct fw *, const uint32_t *, uint32_t, uint32_t *, uint32_t *);
uint32_t fw_cmd_flow_limit(struct fw *, const uint32_t *, uint32_t, uint32_t *, uint32_t *);
uint32_t fw_cmd_dram_flow_next(struct fw *, const uint32_t *, uint32_t, uint32_t *, uint32_t *);
uint32_t fw_cmd_flow_next(struct fw *, const uint32_t *, uint32_t, uint32_t *, uint32_t *);
uint32_t fw_cmd_dram_flow_delete(struct fw *, const uint32_t *, uint32_t, uint32_t *, uint32_t *);
uint32_t fw_cmd_aging_hw(struct fw *, const uint32_t *, uint32_t, uint32_t *, uint32_t *);
uint32_t fw_cmd_aging_est(struct fw *, const uint32_t *, uint32_t, uint32_t *, uint32_t *);
uint32_t fw_cmd_lpm_write(struct fw *, const uint32_t *, uint32_t, uint32_t *, uint32_t *);

/* Label-stage trees (lpm.c): nodes of a level, words of a node word, and whether the HAL's
 * geometry is one the firmware can serve (no trees: yes). */
uint32_t fw_lpm_level_depth(const struct fw_hal *h, uint32_t fam, uint32_t l);
uint32_t fw_lpm_node_words(const struct fw_hal *h, uint32_t fam);
int fw_lpm_geom_ok(const struct fw_hal *h);

/* TCAM live-entry shadow (tables.c). */
uint32_t fw_table_size(const struct fw *fw, uint32_t table);
uint32_t fw_live_get(const struct fw *fw, uint32_t table, uint32_t index);
uint32_t fw_live_class(uint32_t table, const uint32_t *key, const uint32_t *mask, uint32_t valid);
void fw_live_init(struct fw *fw);
/* Banked bindings: marks the vports whose two banks differ (or cannot be read) as unsynced. */
void fw_bind_init(struct fw *fw);

/* Aging and exceptions (flows.c): one bounded step each; return work done. fw_exc_step also
 * drops parked packets older than EXC_PARK_TIMEOUT. */
unsigned fw_aging_step(struct fw *fw);
/* Forwards the hardware aging engine's reports as EVT_FLOW_EXPIRED, at most FW_AGE_BATCH per
 * call, only while the event ring has room (the device's FIFO holds the rest and pauses its
 * engine: nothing is lost). */
unsigned fw_age_hw_step(struct fw *fw);
unsigned fw_exc_step(struct fw *fw);
/* At boot (state READY): reports the exceptions still queued, drops the frames parked for an
 * earlier firmware run (counted in FWCNT_EXC_EXPIRED). */
void fw_exc_boot(struct fw *fw);

/* Word index of a payload field (fields used this way start on a word boundary). */
#define FW_W(field) ((uint32_t)NSGNIC_##field##_LSB / 32u)
/* Counter increment. */
#define FW_COUNT(fw, id) ((fw)->cnt[NSGNIC_FWCNT_##id]++)

/* Compiler barrier: ring slot contents are written before the index that publishes them. The
 * soft-core is in-order with one outstanding bus access, so no hardware fence is needed. */
#define FW_BARRIER() __asm__ volatile("" ::: "memory")

#endif /* NSGNIC_FW_H */
