/* SPDX-License-Identifier: Apache-2.0 */
/* RAM backend of the firmware HAL: every table is an array the caller provides, time is a
 * counter. Used by the host unit tests (the "fake HAL") and by the on-target self-test image.
 * Flow insertion hashes the key into FW_RAM_PROBE consecutive slots (like a small bucket). */
#ifndef NSGNIC_FW_HAL_RAM_H
#define NSGNIC_FW_HAL_RAM_H

#include "hal.h"

enum { FW_RAM_PROBE = 4, FW_RAM_EXCQ = 8, FW_RAM_LPM_LOG = 8 };

struct fw_ram {
  const struct fw_hal *hal;      /* set by fw_ram_attach: table sizes */
  /* tables (caller-provided storage, sizes in struct fw_hal) */
  struct fw_tcam_entry *tcam[3];
  uint32_t (*bind[2])[NSGNIC_BINDING_WORDS];   /* [bank]: vports entries each */
  uint32_t (*flow)[FW_FLOW_WORDS];
  uint64_t *dp_cnt;
  uint32_t bank;                 /* last bank_set */
  uint32_t gen;                  /* last gen_set */
  uint32_t prange[2][NSGNIC_PORT_CLASSES];  /* port-range comparators */
  uint32_t hkey[NSGNIC_FLOW_HKEY_WORDS];    /* flow-hash key (flow_hash_key), mixed into the slot hash */
  uint32_t hkey_sets;                       /* flow_hash_key calls */
  /* hardware aging engine: configuration, and the reports tests queue (fw_ram_age_push) */
  uint32_t age_en, age_to[4];
  uint32_t ageq[FW_RAM_EXCQ][1 + FW_FLOW_WORDS];
  uint32_t age_head, age_tail;
  /* time */
  uint32_t now;                  /* flow NOW (tests set it) */
  uint32_t ticks, tick_step;     /* ticks() returns ticks and adds tick_step */
  /* exception queue the tests fill with fw_ram_exc_push */
  uint32_t excq[FW_RAM_EXCQ][FW_EXC_WORDS];
  uint32_t excq_words[FW_RAM_EXCQ];
  uint32_t excq_slot[FW_RAM_EXCQ];
  uint32_t exc_head, exc_tail;
  /* park slots (hal->exc_slots of them; 0: none): bit n of `parked` = slot n holds a frame;
     releases are logged: count per kind, and the last one */
  uint32_t parked;
  uint32_t rel_forwarded, rel_dropped, rel_last_slot, rel_last_port;
  /* fault injection: the next `fail` operations return FW_HAL_EHW */
  uint32_t fail;
  /* operation counts */
  uint32_t tcam_writes, flow_scanned;
  /* label-stage trees (hal->lpm_levels > 0): the staging window, and a log of the last
   * FW_RAM_LPM_LOG writes (family, bank, level, index and the staged words), lpm_writes total */
  uint32_t lpm_data[NSGNIC_CSR_LPM_DATA_WORDS];
  struct fw_ram_lpm_write {
    uint32_t fam, bank, level, index;
    uint32_t data[NSGNIC_CSR_LPM_DATA_WORDS];
  } lpm_log[FW_RAM_LPM_LOG];
  uint32_t lpm_writes;
};

extern const struct fw_hal_ops fw_ram_ops;

/* Fills `hal` to use `ram` (whose table pointers and the sizes in `hal` the caller set) and
 * the host window `win`. */
void fw_ram_attach(struct fw_hal *hal, struct fw_ram *ram, volatile uint32_t *win);

/* Queues a report of the aging engine (slot `index`, entry `e`), as if the engine had deleted
 * it: the slot is cleared. Returns 0, or -1 when the queue is full. */
int fw_ram_age_push(struct fw_ram *ram, uint32_t index, const uint32_t *e);

/* Queues an exception (P_EXC payload of `words` words), parked in the lowest free slot when
 * hal->exc_slots > 0; returns 0, or -1 when the queue is full or no slot is free (the datapath's
 * REASON_EXQ_FULL). */
int fw_ram_exc_push(struct fw_ram *ram, const uint32_t *p, uint32_t words);

#endif /* NSGNIC_FW_HAL_RAM_H */
