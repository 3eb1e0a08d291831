/* SPDX-License-Identifier: Apache-2.0 */
/* Reference CSR map of the datapath (include/nsgnic/abi/csr.def.h) for the csr_slave testbench:
 * the register state, what a read returns, what a write does, and the command engine's
 * bookkeeping (busy, rvalid, error, the staged operation). The surroundings (lookup management
 * port, flow-cache slot, exception queue, counters) are the testbench's. */
#ifndef NSGNIC_TB_REF_CSR_H
#define NSGNIC_TB_REF_CSR_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct ref_csr_cfg {
  unsigned rule_entries, label_entries, platform_entries, vports, flow_buckets, flow_ways;
  unsigned hdr_bytes, exq_slots;
  unsigned flow_stash;
};

struct ref_csr {
  struct ref_csr_cfg cfg;
  uint32_t data[16], mask[8], res[4], prange[8];
  uint32_t lpm_data[34], lpm_sel;  /* CSR_LPM_DATA, CSR_LPM_SEL (this build has no trees:
                                    * CAP_LPM* read 0, DP_TABLE_LPM4/6 commands are refused) */
  uint32_t hkey[12]; /* CSR_FLOW_HKEY */
  unsigned age_en, age_pace, age_sel; /* CSR_AGE_CTRL.ENABLE/PACE, CSR_AGE_EST_SEL */
  uint32_t age_to[4];                 /* CSR_AGE_TIMEOUT (two classes per word) */
  uint32_t flow_limit, dram_slot; /* CSR_FLOW_LIMIT, CSR_DRAM_SLOT (no DRAM tier: DRAM ops refused) */
  unsigned bank, learn, gen, busy, rvalid, error, flow_pending;
  unsigned op_table, op_we, op_valid, op_idx, op_dram; /* the operation in progress (or last) */
  unsigned decode; /* a CMD was written last clock: checked (ref_csr_decode) this clock */
};

/* Inputs of the slave at the clock of a read. */
struct ref_csr_env {
  unsigned now, exq_count, exq_slot;
  uint32_t exq_meta, exq_parked, exq_word[32], cnt[64];
  unsigned age_count, age_index;   /* the aging report FIFO */
  uint32_t age_entry[16], age_passes;
};

/* Effects of one write. */
struct ref_csr_fx {
  int start_tcam, start_flow, pop, clr, rel, age_pop;
  int age_est;             /* CSR_AGE_EST written: vport age_sel's timeout = age_est_to */
  unsigned age_est_to;
  unsigned clr_idx;
  uint32_t rel_data;  /* EXQ_RELEASE: the value written (passed on unchanged) */
};

void ref_csr_reset(struct ref_csr *c, const struct ref_csr_cfg *cfg);
/* The value a read of byte address `addr` returns (0 for an unmapped or write-only address). */
uint32_t ref_csr_read(const struct ref_csr *c, unsigned addr, const struct ref_csr_env *env);
/* 1 when `addr` is a defined register or window word (readable or writable). */
int ref_csr_mapped(const struct ref_csr *c, unsigned addr);
void ref_csr_write(struct ref_csr *c, unsigned addr, uint32_t wdata, struct ref_csr_fx *fx);
/* The clock after a CMD write (call after that clock's ref_csr_write): the command's check;
 * starts it (fx->start_tcam / start_flow, returns 1) or rejects it (STATUS.ERROR, BUSY dropped,
 * returns -1); 0 when no command was written the clock before. */
int ref_csr_decode(struct ref_csr *c, struct ref_csr_fx *fx);
/* Completion of a TCAM/binding operation (the lookup's m_done): read data loads the window. */
void ref_csr_tcam_done(struct ref_csr *c, int rvalid, const uint32_t *rvalue, const uint32_t *rmask,
                       const uint32_t *rres);
/* Completion of a flow-cache operation: rdata is the FLOW entry (op 1) / the flag in bit 0. */
void ref_csr_flow_done(struct ref_csr *c, const uint32_t *rdata);

#ifdef __cplusplus
}
#endif
#endif
