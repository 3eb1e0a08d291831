/* SPDX-License-Identifier: Apache-2.0 */
/* Reference CSR map (see ref_csr.h). */
#include "ref_csr.h"

#include <string.h>

#include "nsgnic/abi.h"
#include "nsgnic/flow_hash.h"

void ref_csr_reset(struct ref_csr *c, const struct ref_csr_cfg *cfg)
{
  memset(c, 0, sizeof *c);
  c->cfg = *cfg;
  c->learn = 1;
  for (unsigned i = 0; i < 8; i++)
    c->prange[i] = 0x0000ffffu;
  nsgnic_flow_hkey_reset(c->hkey);
  for (unsigned i = 0; i < 4; i++)
    c->age_to[i] = 0xffffffffu;
  c->flow_limit = NSGNIC_FLOW_LIMIT_DEFAULT;
}

static int in(unsigned a, unsigned base, unsigned bytes) { return a >= base && a < base + bytes; }

static unsigned log2u(unsigned v)
{
  unsigned l = 0;
  while ((1u << l) < v)
    l++;
  return l;
}

int ref_csr_mapped(const struct ref_csr *c, unsigned addr)
{
  unsigned a = addr & 0xffcu;
  switch (a) {
  case NSGNIC_CSR_ID: case NSGNIC_CSR_VERSION: case NSGNIC_CSR_CAP_RULES: case NSGNIC_CSR_CAP_LABELS:
  case NSGNIC_CSR_CAP_PLATFORM: case NSGNIC_CSR_CAP_VPORTS: case NSGNIC_CSR_CAP_FLOWS:
  case NSGNIC_CSR_CTRL: case NSGNIC_CSR_GEN: case NSGNIC_CSR_NOW: case NSGNIC_CSR_STATUS:
  case NSGNIC_CSR_CMD: case NSGNIC_CSR_EXQ_COUNT: case NSGNIC_CSR_EXQ_META: case NSGNIC_CSR_EXQ_POP:
  case NSGNIC_CSR_EXQ_SLOT: case NSGNIC_CSR_EXQ_RELEASE: case NSGNIC_CSR_EXQ_PARKED: case NSGNIC_CSR_EXQ_SLOTS:
  case NSGNIC_CSR_AGE_CTRL: case NSGNIC_CSR_AGE_COUNT: case NSGNIC_CSR_AGE_INDEX: case NSGNIC_CSR_AGE_POP:
  case NSGNIC_CSR_AGE_PASSES: case NSGNIC_CSR_CAP_LPM: case NSGNIC_CSR_CAP_LPM4_LEAVES:
  case NSGNIC_CSR_CAP_LPM6_LEAVES: case NSGNIC_CSR_CAP_LPM4_RESULTS: case NSGNIC_CSR_CAP_LPM6_RESULTS:
  case NSGNIC_CSR_LPM_SEL:
  case NSGNIC_CSR_CAP_DRAM_FLOWS: case NSGNIC_CSR_CAP_DRAM_WAYS:
  case NSGNIC_CSR_FLOW_LIMIT: case NSGNIC_CSR_DRAM_SLOT:
  case NSGNIC_CSR_AGE_EST_SEL: case NSGNIC_CSR_AGE_EST:
    return 1;
  default:
    break;
  }
  return in(a, NSGNIC_CSR_DATA, 4 * NSGNIC_CSR_DATA_WORDS) || in(a, NSGNIC_CSR_MASK, 4 * NSGNIC_CSR_MASK_WORDS) ||
         in(a, NSGNIC_CSR_RES, 4 * NSGNIC_CSR_RES_WORDS) || in(a, NSGNIC_CSR_PORT_RANGE, 8 * NSGNIC_PORT_CLASSES) ||
         in(a, NSGNIC_CSR_FLOW_HKEY, 4 * NSGNIC_FLOW_HKEY_WORDS) || in(a, NSGNIC_CSR_AGE_TIMEOUT, 16) ||
         in(a, NSGNIC_CSR_AGE_ENTRY, 64) || in(a, NSGNIC_CSR_EXQ_DATA, c->cfg.hdr_bytes) || in(a, NSGNIC_CSR_CNT, 4 * NSGNIC_CNT_COUNT) ||
         in(a, NSGNIC_CSR_LPM_DATA, 4 * NSGNIC_CSR_LPM_DATA_WORDS);
}

uint32_t ref_csr_read(const struct ref_csr *c, unsigned addr, const struct ref_csr_env *env)
{
  unsigned a = addr & 0xffcu;
  if (in(a, NSGNIC_CSR_DATA, 4 * NSGNIC_CSR_DATA_WORDS))
    return c->data[(a - NSGNIC_CSR_DATA) / 4];
  if (in(a, NSGNIC_CSR_MASK, 4 * NSGNIC_CSR_MASK_WORDS))
    return c->mask[(a - NSGNIC_CSR_MASK) / 4];
  if (in(a, NSGNIC_CSR_RES, 4 * NSGNIC_CSR_RES_WORDS))
    return c->res[(a - NSGNIC_CSR_RES) / 4];
  if (in(a, NSGNIC_CSR_LPM_DATA, 4 * NSGNIC_CSR_LPM_DATA_WORDS))
    return c->lpm_data[(a - NSGNIC_CSR_LPM_DATA) / 4];
  if (in(a, NSGNIC_CSR_PORT_RANGE, 8 * NSGNIC_PORT_CLASSES))
    return c->prange[(a - NSGNIC_CSR_PORT_RANGE) / 4];
  if (in(a, NSGNIC_CSR_FLOW_HKEY, 4 * NSGNIC_FLOW_HKEY_WORDS))
    return c->hkey[(a - NSGNIC_CSR_FLOW_HKEY) / 4];
  if (in(a, NSGNIC_CSR_AGE_TIMEOUT, 16))
    return c->age_to[(a - NSGNIC_CSR_AGE_TIMEOUT) / 4];
  if (in(a, NSGNIC_CSR_AGE_ENTRY, 64))
    return env->age_entry[(a - NSGNIC_CSR_AGE_ENTRY) / 4];
  if (in(a, NSGNIC_CSR_EXQ_DATA, c->cfg.hdr_bytes))
    return env->exq_word[(a - NSGNIC_CSR_EXQ_DATA) / 4];
  if (in(a, NSGNIC_CSR_CNT, 4 * NSGNIC_CNT_COUNT))
    return env->cnt[(a - NSGNIC_CSR_CNT) / 4];
  uint32_t v = 0;
  switch (a) {
  case NSGNIC_CSR_ID: return NSGNIC_CSR_ID_VALUE;
  case NSGNIC_CSR_VERSION: return (NSGNIC_ABI_VERSION_MAJOR << 16) | NSGNIC_ABI_VERSION_MINOR;
  case NSGNIC_CSR_CAP_RULES: return c->cfg.rule_entries;
  case NSGNIC_CSR_CAP_LABELS: return c->cfg.label_entries;
  case NSGNIC_CSR_CAP_PLATFORM: return c->cfg.platform_entries;
  case NSGNIC_CSR_CAP_VPORTS: return c->cfg.vports;
  case NSGNIC_CSR_CAP_FLOWS:
    NSGNIC_PUT(&v, DP_CAP_FLOW_BUCKETS_LOG2, log2u(c->cfg.flow_buckets));
    NSGNIC_PUT(&v, DP_CAP_FLOW_WAYS, c->cfg.flow_ways);
    NSGNIC_PUT(&v, DP_CAP_FLOW_STASH, c->cfg.flow_stash);
    return v;
  case NSGNIC_CSR_CTRL:
    NSGNIC_PUT(&v, DP_CTRL_BANK, c->bank);
    NSGNIC_PUT(&v, DP_CTRL_LEARN, c->learn);
    return v;
  case NSGNIC_CSR_GEN: return c->gen;
  case NSGNIC_CSR_NOW: return env->now & 0xffffu;
  case NSGNIC_CSR_STATUS:
    NSGNIC_PUT(&v, DP_STATUS_BUSY, c->busy);
    NSGNIC_PUT(&v, DP_STATUS_RVALID, c->rvalid);
    NSGNIC_PUT(&v, DP_STATUS_ERROR, c->error);
    return v;
  case NSGNIC_CSR_EXQ_COUNT: return env->exq_count;
  case NSGNIC_CSR_EXQ_META: return env->exq_meta;
  case NSGNIC_CSR_EXQ_SLOT: return env->exq_slot & 0xffu;
  case NSGNIC_CSR_EXQ_PARKED: return env->exq_parked;
  case NSGNIC_CSR_EXQ_SLOTS: return c->cfg.exq_slots;
  case NSGNIC_CSR_AGE_CTRL: return c->age_en | c->age_pace << NSGNIC_DP_AGE_CTRL_PACE_LSB;
  case NSGNIC_CSR_AGE_EST_SEL: return c->age_sel;
  case NSGNIC_CSR_AGE_COUNT: return env->age_count;
  case NSGNIC_CSR_AGE_INDEX: return env->age_index & 0xffffu;
  case NSGNIC_CSR_AGE_PASSES: return env->age_passes;
  case NSGNIC_CSR_LPM_SEL: return c->lpm_sel;
  case NSGNIC_CSR_FLOW_LIMIT: return c->flow_limit;
  case NSGNIC_CSR_DRAM_SLOT: return c->dram_slot;
  case NSGNIC_CSR_CAP_DRAM_FLOWS: case NSGNIC_CSR_CAP_DRAM_WAYS: return 0; /* no tier here */
  default: return 0; /* CMD, EXQ_POP and EXQ_RELEASE are write-only; holes read 0 */
  }
}

static unsigned table_size(const struct ref_csr *c, unsigned table)
{
  switch (table) {
  case NSGNIC_DP_TABLE_RULE: return c->cfg.rule_entries;
  case NSGNIC_DP_TABLE_LABEL: return c->cfg.label_entries;
  case NSGNIC_DP_TABLE_PLATFORM: return c->cfg.platform_entries;
  case NSGNIC_DP_TABLE_BINDING: return c->cfg.vports;
  case NSGNIC_DP_TABLE_FLOW: return NSGNIC_FLOW_TABLES * c->cfg.flow_buckets * c->cfg.flow_ways + c->cfg.flow_stash;
  case NSGNIC_DP_TABLE_FLOW_OVF: return c->cfg.flow_buckets;
  default: return 0;
  }
}

void ref_csr_write(struct ref_csr *c, unsigned addr, uint32_t wdata, struct ref_csr_fx *fx)
{
  unsigned a = addr & 0xffcu;
  memset(fx, 0, sizeof *fx);
  if (in(a, NSGNIC_CSR_DATA, 4 * NSGNIC_CSR_DATA_WORDS))
    c->data[(a - NSGNIC_CSR_DATA) / 4] = wdata;
  else if (in(a, NSGNIC_CSR_MASK, 4 * NSGNIC_CSR_MASK_WORDS))
    c->mask[(a - NSGNIC_CSR_MASK) / 4] = wdata;
  else if (in(a, NSGNIC_CSR_RES, 4 * NSGNIC_CSR_RES_WORDS))
    c->res[(a - NSGNIC_CSR_RES) / 4] = wdata;
  else if (in(a, NSGNIC_CSR_LPM_DATA, 4 * NSGNIC_CSR_LPM_DATA_WORDS))
    c->lpm_data[(a - NSGNIC_CSR_LPM_DATA) / 4] = wdata;
  else if (a == NSGNIC_CSR_LPM_SEL)
    c->lpm_sel = wdata & 0x1fu;
  else if (in(a, NSGNIC_CSR_PORT_RANGE, 8 * NSGNIC_PORT_CLASSES))
    c->prange[(a - NSGNIC_CSR_PORT_RANGE) / 4] = wdata;
  else if (in(a, NSGNIC_CSR_FLOW_HKEY, 4 * NSGNIC_FLOW_HKEY_WORDS))
    c->hkey[(a - NSGNIC_CSR_FLOW_HKEY) / 4] = wdata;
  else if (in(a, NSGNIC_CSR_AGE_TIMEOUT, 16))
    c->age_to[(a - NSGNIC_CSR_AGE_TIMEOUT) / 4] = wdata;
  else if (a == NSGNIC_CSR_AGE_CTRL) {
    c->age_en = (unsigned)NSGNIC_GET(&wdata, DP_AGE_CTRL_ENABLE);
    c->age_pace = (unsigned)NSGNIC_GET(&wdata, DP_AGE_CTRL_PACE);
  } else if (a == NSGNIC_CSR_AGE_EST_SEL)
    c->age_sel = wdata & 0xffu;
  else if (a == NSGNIC_CSR_AGE_EST) {
    fx->age_est = 1;
    fx->age_est_to = wdata & 0xffffu;
  }
  else if (a == NSGNIC_CSR_AGE_POP)
    fx->age_pop = 1;
  else if (a == NSGNIC_CSR_FLOW_LIMIT)
    c->flow_limit = wdata;
  else if (a == NSGNIC_CSR_DRAM_SLOT) {
    if (!c->busy)
      c->dram_slot = wdata;
  }
  else if (in(a, NSGNIC_CSR_CNT, 4 * NSGNIC_CNT_COUNT)) {
    fx->clr = 1;
    fx->clr_idx = (a - NSGNIC_CSR_CNT) / 4;
  } else if (a == NSGNIC_CSR_CTRL) {
    c->bank = (unsigned)NSGNIC_GET(&wdata, DP_CTRL_BANK);
    c->learn = (unsigned)NSGNIC_GET(&wdata, DP_CTRL_LEARN);
  } else if (a == NSGNIC_CSR_GEN) {
    c->gen = wdata & 0xffu;
  } else if (a == NSGNIC_CSR_EXQ_POP) {
    fx->pop = 1;
  } else if (a == NSGNIC_CSR_EXQ_RELEASE) {
    fx->rel = 1;
    fx->rel_data = wdata;
  } else if (a == NSGNIC_CSR_CMD && !c->busy) {
    /* registered with BUSY set at once; checked and started by ref_csr_decode the next clock */
    c->error = 0;
    c->busy = 1;
    c->decode = 1;
    c->op_table = (unsigned)NSGNIC_GET(&wdata, DP_CMD_TABLE);
    c->op_idx = (unsigned)NSGNIC_GET(&wdata, DP_CMD_INDEX);
    c->op_we = (unsigned)NSGNIC_GET(&wdata, DP_CMD_OP);
    c->op_valid = (unsigned)NSGNIC_GET(&wdata, DP_CMD_VALID);
    c->op_dram = (unsigned)NSGNIC_GET(&wdata, DP_CMD_DRAM);
  }
}

int ref_csr_decode(struct ref_csr *c, struct ref_csr_fx *fx)
{
  if (!c->decode) return 0;
  c->decode = 0;
  unsigned table = c->op_table, idx = c->op_idx;
  /* binding: DP_BIND_INDEX (vport, bank), reserved bits zero */
  unsigned row = table == NSGNIC_DP_TABLE_BINDING ? (unsigned)NSGNIC_GET(&idx, DP_BIND_INDEX_VPORT) : idx;
  /* DP_CMD.DRAM: a DRAM tier op; this model has no tier (DramFlows 0): refused */
  if (c->op_dram || row >= table_size(c, table) ||
      (table == NSGNIC_DP_TABLE_BINDING && NSGNIC_GET(&idx, DP_BIND_INDEX_RESERVED))) {
    c->error = 1;
    c->busy = 0;
    return -1;
  }
  c->rvalid = 0;
  if (table >= NSGNIC_DP_TABLE_FLOW) {
    c->flow_pending = 1;
    fx->start_flow = 1;
  } else {
    fx->start_tcam = 1;
  }
  return 1;
}

void ref_csr_tcam_done(struct ref_csr *c, int rvalid, const uint32_t *rvalue, const uint32_t *rmask,
                       const uint32_t *rres)
{
  c->busy = 0;
  c->rvalid = (unsigned)rvalid;
  if (!c->op_we) {
    memcpy(c->data, rvalue, sizeof c->data);
    memcpy(c->mask, rmask, sizeof c->mask);
    memcpy(c->res, rres, sizeof c->res);
  }
}

void ref_csr_flow_done(struct ref_csr *c, const uint32_t *rdata)
{
  c->busy = 0;
  if (c->op_table == NSGNIC_DP_TABLE_FLOW_OVF) {
    c->rvalid = rdata[0] & 1u;
  } else if (!c->op_we) {
    c->rvalid = (unsigned)NSGNIC_GET(rdata, FLOW_VALID);
    memcpy(c->data, rdata, sizeof c->data);
  }
}
