/* SPDX-License-Identifier: Apache-2.0 */
/* Datapath backend of the firmware HAL (see hal_csr.h): the tables through the datapath CSR bus
 * (include/nsgnic/abi/csr.def.h) at EXT + DP_CSR_FW_OFFSET, the host window at
 * EXT + HOSTWIN_FW_OFFSET, time from mtime.
 *
 * Every table operation goes through the staging window: fill DATA/MASK/RES, write CMD, poll
 * STATUS.BUSY (bounded: FW_CSR_POLLS reads, then FW_HAL_EHW), check STATUS.ERROR.
 * Flow insertion by key needs the bucket the hardware would look in: nsgnic_flow_hash
 * (include/nsgnic/flow_hash.h) is the twin of flow_hash in hdl/rtl/flow_cache.sv, under the key
 * this backend keeps in step with CSR_FLOW_HKEY (read at init, written by flow_hash_key); the
 * insert then takes a free way of the least loaded of the FLOW_TABLES candidate buckets (lowest
 * table on a tie), else the lowest free stash slot, as the hardware's learning does. A flow the hardware learns between our read and our
 * write of the same bucket could be duplicated; the host inserts only flows the hardware could
 * not learn, so this does not arise in the protocol.
 * Aging: flow_next_idle reads each slot (one READ command + 1 data word); a hardware scan engine
 * is what brings it to the target of <= 8 cycles per slot (see docs/firmware.md). */
#include "hal_csr.h"
#include "mmio.h"
#include "nsgnic/flow_hash.h"

#ifndef NSGNIC_FW_BUILD_HASH
#define NSGNIC_FW_BUILD_HASH 0
#endif

enum { FW_CSR_POLLS = 100000 };

#define CSR(off) (FW_SOC_ADDR(EXT, NSGNIC_DP_CSR_FW_OFFSET) + (uint32_t)(off))

struct csr_ctx {
  uint32_t buckets_log2, ways, stash;
  uint32_t hkey[NSGNIC_FLOW_HKEY_WORDS];  /* the datapath's CSR_FLOW_HKEY (read at init, set here) */
  uint32_t exc_slots;   /* park slots (CSR_EXQ_SLOTS; 0 on a datapath without them) */
  uint32_t flow_entries, dram_flows;  /* a DRAM report's index: flow_entries + its slot */
};

static struct csr_ctx csr_ctx;

/* Polls until STATUS.BUSY is 0 (at most FW_CSR_POLLS reads); FW_HAL_EHW on timeout. The last
 * STATUS read is left in *status. */
static int wait_idle_st(uint32_t *status)
{
  for (uint32_t i = 0; i < FW_CSR_POLLS; i++) {
    uint32_t st = mmio_rd(CSR(NSGNIC_CSR_STATUS));
    if (!FW_GET32(&st, DP_STATUS_BUSY)) {
      *status = st;
      return FW_HAL_OK;
    }
  }
  return FW_HAL_EHW;
}

static int wait_idle(void)
{
  uint32_t st;
  return wait_idle_st(&st);
}

/* Runs one table command; FW_HAL_EHW on timeout or STATUS.ERROR; *rvalid (may be NULL) gets
 * STATUS.RVALID. */
static int run(uint32_t table, uint32_t op, uint32_t index, uint32_t valid, uint32_t *rvalid)
{
  uint32_t cmd = 0, st = 0;
  FW_PUT32(&cmd, DP_CMD_INDEX, index);
  FW_PUT32(&cmd, DP_CMD_TABLE, table);
  FW_PUT32(&cmd, DP_CMD_OP, op);
  FW_PUT32(&cmd, DP_CMD_VALID, valid);
  mmio_wr(CSR(NSGNIC_CSR_CMD), cmd);
  if (wait_idle_st(&st) != FW_HAL_OK || FW_GET32(&st, DP_STATUS_ERROR))
    return FW_HAL_EHW;
  if (rvalid)
    *rvalid = FW_GET32(&st, DP_STATUS_RVALID);
  return FW_HAL_OK;
}

static void data_wr(uint32_t base, const uint32_t *w, uint32_t n)
{
  for (uint32_t i = 0; i < n; i++)
    mmio_wr(CSR(base + 4 * i), w[i]);
}

static void data_rd(uint32_t base, uint32_t *w, uint32_t n)
{
  for (uint32_t i = 0; i < n; i++)
    w[i] = mmio_rd(CSR(base + 4 * i));
}

_Static_assert(NSGNIC_TABLE_RULE == NSGNIC_DP_TABLE_RULE && NSGNIC_TABLE_LABEL == NSGNIC_DP_TABLE_LABEL &&
                   NSGNIC_TABLE_PLATFORM == NSGNIC_DP_TABLE_PLATFORM,
               "mailbox TABLE_* codes are the datapath's DP_TABLE_* codes");
_Static_assert((int)FW_KEY_WORDS <= (int)NSGNIC_CSR_MASK_WORDS &&
                   (int)FW_RES_WORDS <= (int)NSGNIC_CSR_RES_WORDS &&
                   (int)FW_FLOW_WORDS <= (int)NSGNIC_CSR_DATA_WORDS,
               "staging window holds every entry");

static int csr_tcam_write(void *ctx, unsigned table, uint32_t index, const uint32_t *key,
                          const uint32_t *mask, const uint32_t *res, uint32_t valid)
{
  (void)ctx;
  if (wait_idle() != FW_HAL_OK)
    return FW_HAL_EHW;
  data_wr(NSGNIC_CSR_DATA, key, FW_KEY_WORDS);
  data_wr(NSGNIC_CSR_MASK, mask, FW_KEY_WORDS);
  data_wr(NSGNIC_CSR_RES, res, FW_RES_WORDS);
  return run(table, NSGNIC_DP_OP_WRITE, index, valid & 1u, 0);
}

static int csr_tcam_read(void *ctx, unsigned table, uint32_t index, struct fw_tcam_entry *e)
{
  (void)ctx;
  if (wait_idle() != FW_HAL_OK || run(table, NSGNIC_DP_OP_READ, index, 0, &e->valid) != FW_HAL_OK)
    return FW_HAL_EHW;
  data_rd(NSGNIC_CSR_DATA, e->key, FW_KEY_WORDS);
  data_rd(NSGNIC_CSR_MASK, e->mask, FW_KEY_WORDS);
  data_rd(NSGNIC_CSR_RES, e->res, FW_RES_WORDS);
  return FW_HAL_OK;
}

/* The label stage's trees (ABI >= 1.4): words staged in CSR_LPM_DATA, then one write command
 * of table DP_TABLE_LPM4 + family with CSR_LPM_SEL naming level and bank; BUSY holds until the
 * tree accepts the word (no search of that bank in flight). */
static int csr_lpm_stage(void *ctx, uint32_t off, const uint32_t *w, uint32_t n)
{
  (void)ctx;
  if (off + n > (uint32_t)NSGNIC_CSR_LPM_DATA_WORDS || wait_idle() != FW_HAL_OK)
    return FW_HAL_EHW;
  data_wr(NSGNIC_CSR_LPM_DATA + 4u * off, w, n);
  return FW_HAL_OK;
}

static int csr_lpm_write(void *ctx, uint32_t family, uint32_t bank, uint32_t level, uint32_t index)
{
  (void)ctx;
  if (wait_idle() != FW_HAL_OK)
    return FW_HAL_EHW;
  uint32_t sel = 0;
  FW_PUT32(&sel, DP_LPM_SEL_LEVEL, level);
  FW_PUT32(&sel, DP_LPM_SEL_BANK, bank);
  mmio_wr(CSR(NSGNIC_CSR_LPM_SEL), sel);
  return run((uint32_t)NSGNIC_DP_TABLE_LPM4 + (family & 1u), NSGNIC_DP_OP_WRITE, index, 1, 0);
}

static int csr_bank_set(void *ctx, uint32_t bank)
{
  (void)ctx;
  uint32_t c = mmio_rd(CSR(NSGNIC_CSR_CTRL));
  FW_PUT32(&c, DP_CTRL_BANK, bank);
  mmio_wr(CSR(NSGNIC_CSR_CTRL), c);
  c = mmio_rd(CSR(NSGNIC_CSR_CTRL));
  return FW_GET32(&c, DP_CTRL_BANK) == bank ? FW_HAL_OK : FW_HAL_EHW;
}

static int csr_bank_get(void *ctx, uint32_t *bank)
{
  (void)ctx;
  uint32_t c = mmio_rd(CSR(NSGNIC_CSR_CTRL));
  *bank = (uint32_t)FW_GET32(&c, DP_CTRL_BANK);
  return FW_HAL_OK;
}

static int csr_gen_set(void *ctx, uint32_t gen)
{
  (void)ctx;
  mmio_wr(CSR(NSGNIC_CSR_GEN), gen & 0xffu);
  return (mmio_rd(CSR(NSGNIC_CSR_GEN)) & 0xffu) == (gen & 0xffu) ? FW_HAL_OK : FW_HAL_EHW;
}

/* CMD.INDEX of a binding operation: DP_BIND_INDEX (vport, bank). */
static uint32_t bind_index(uint32_t bank, uint32_t vport)
{
  uint32_t i = 0;
  FW_PUT32(&i, DP_BIND_INDEX_VPORT, vport);
  FW_PUT32(&i, DP_BIND_INDEX_BANK, bank);
  return i;
}

static int csr_bind_write(void *ctx, uint32_t bank, uint32_t vport,
                          const uint32_t e[NSGNIC_BINDING_WORDS])
{
  (void)ctx;
  if (wait_idle() != FW_HAL_OK)
    return FW_HAL_EHW;
  data_wr(NSGNIC_CSR_DATA, e, NSGNIC_BINDING_WORDS);
  return run(NSGNIC_DP_TABLE_BINDING, NSGNIC_DP_OP_WRITE, bind_index(bank, vport),
             (uint32_t)FW_GET32(e, BINDING_VALID), 0);
}

static int csr_bind_read(void *ctx, uint32_t bank, uint32_t vport, uint32_t e[NSGNIC_BINDING_WORDS])
{
  (void)ctx;
  if (wait_idle() != FW_HAL_OK ||
      run(NSGNIC_DP_TABLE_BINDING, NSGNIC_DP_OP_READ, bind_index(bank, vport), 0, 0) != FW_HAL_OK)
    return FW_HAL_EHW;
  data_rd(NSGNIC_CSR_DATA, e, NSGNIC_BINDING_WORDS);
  return FW_HAL_OK;
}

static int csr_flow_read(void *ctx, uint32_t index, uint32_t e[FW_FLOW_WORDS])
{
  (void)ctx;
  uint32_t valid = 0;
  if (wait_idle() != FW_HAL_OK ||
      run(NSGNIC_DP_TABLE_FLOW, NSGNIC_DP_OP_READ, index, 0, &valid) != FW_HAL_OK)
    return FW_HAL_EHW;
  if (!valid) {  /* a free slot: its data words are not read (a walk costs one op per slot) */
    for (uint32_t i = 0; i < FW_FLOW_WORDS; i++)
      e[i] = 0;
    return FW_HAL_ENOENT;
  }
  data_rd(NSGNIC_CSR_DATA, e, FW_FLOW_WORDS);
  return FW_GET32(e, FLOW_VALID) ? FW_HAL_OK : FW_HAL_ENOENT;
}

static int key_eq(const uint32_t *a, const uint32_t *b)
{
  for (uint32_t i = 0; i < NSGNIC_FLOW_KEY_BITS / 32u; i++)
    if (a[i] != b[i])
      return 0;
  uint32_t rest = NSGNIC_FLOW_KEY_BITS % 32u, i = NSGNIC_FLOW_KEY_BITS / 32u;
  return rest == 0 || ((a[i] ^ b[i]) & ((1u << rest) - 1u)) == 0;
}

static int csr_flow_insert(void *ctx, const uint32_t e[FW_FLOW_WORDS], uint32_t *index)
{
  struct csr_ctx *c = ctx;
  uint32_t buckets = 1u << c->buckets_log2, bm = buckets - 1u;
  uint32_t table_entries = (uint32_t)NSGNIC_FLOW_TABLES * buckets * c->ways;
  uint64_t h = nsgnic_flow_hash(e, c->hkey);
  uint32_t idx[NSGNIC_FLOW_TABLES], cnt[NSGNIC_FLOW_TABLES], freew[NSGNIC_FLOW_TABLES];
  uint32_t has_free[NSGNIC_FLOW_TABLES];
  for (uint32_t t = 0; t < (uint32_t)NSGNIC_FLOW_TABLES; t++) {
    idx[t] = (uint32_t)(h >> (16u * t)) & bm;
    cnt[t] = freew[t] = has_free[t] = 0;
    for (uint32_t w = 0; w < c->ways; w++) {
      uint32_t cur[FW_FLOW_WORDS];
      int rc = csr_flow_read(ctx, (t * buckets + idx[t]) * c->ways + w, cur);
      if (rc == FW_HAL_OK) {
        if (key_eq(cur, e))
          return FW_HAL_EEXIST;
        cnt[t]++;
      } else if (rc == FW_HAL_ENOENT) {
        if (!has_free[t]) {
          has_free[t] = 1;
          freew[t] = w;
        }
      } else {
        return FW_HAL_EHW;
      }
    }
  }
  /* the stash: the key may live there; its lowest free slot takes the flow when all four
     buckets are full */
  uint32_t stash_free = c->stash;
  for (uint32_t s = 0; s < c->stash; s++) {
    uint32_t cur[FW_FLOW_WORDS];
    int rc = csr_flow_read(ctx, table_entries + s, cur);
    if (rc == FW_HAL_OK) {
      if (key_eq(cur, e))
        return FW_HAL_EEXIST;
    } else if (rc == FW_HAL_ENOENT) {
      if (stash_free == c->stash)
        stash_free = s;
    } else {
      return FW_HAL_EHW;
    }
  }
  uint32_t slot = 0, best = c->ways + 1u, found = 0;
  for (uint32_t t = 0; t < (uint32_t)NSGNIC_FLOW_TABLES; t++)
    if (has_free[t] && cnt[t] < best) {  /* the least loaded bucket, lowest table on a tie */
      best = cnt[t];
      slot = (t * buckets + idx[t]) * c->ways + freew[t];
      found = 1;
    }
  if (!found) {
    if (stash_free == c->stash)
      return FW_HAL_ENOSPC;
    slot = table_entries + stash_free;
  }
  data_wr(NSGNIC_CSR_DATA, e, FW_FLOW_WORDS);
  if (run(NSGNIC_DP_TABLE_FLOW, NSGNIC_DP_OP_WRITE, slot, 1, 0) != FW_HAL_OK)
    return FW_HAL_EHW;
  *index = slot;
  return FW_HAL_OK;
}

static int csr_flow_delete(void *ctx, uint32_t index)
{
  (void)ctx;
  static const uint32_t zero[FW_FLOW_WORDS];
  if (wait_idle() != FW_HAL_OK)
    return FW_HAL_EHW;
  data_wr(NSGNIC_CSR_DATA, zero, FW_FLOW_WORDS);
  return run(NSGNIC_DP_TABLE_FLOW, NSGNIC_DP_OP_WRITE, index, 0, 0);
}

static uint32_t csr_flow_next_idle(void *ctx, uint32_t from, uint32_t to, uint32_t now,
                                   uint32_t threshold)
{
  (void)ctx;
  const uint32_t tsw = NSGNIC_FLOW_TIMESTAMP_LSB / 32u, tss = NSGNIC_FLOW_TIMESTAMP_LSB % 32u;
  for (uint32_t i = from; i < to; i++) {
    uint32_t valid = 0;
    if (run(NSGNIC_DP_TABLE_FLOW, NSGNIC_DP_OP_READ, i, 0, &valid) != FW_HAL_OK)
      return i;  /* let flow_read report the error */
    if (!valid)
      continue;
    uint32_t ts = (mmio_rd(CSR(NSGNIC_CSR_DATA + 4u * tsw)) >> tss) & 0xffffu;
    if (((now - ts) & 0xffffu) >= threshold)
      return i;
  }
  return to;
}

static uint32_t csr_flow_now(void *ctx)
{
  (void)ctx;
  return mmio_rd(CSR(NSGNIC_CSR_NOW)) & 0xffffu;
}

static int csr_counter_read(void *ctx, uint32_t id, uint64_t *v)
{
  (void)ctx;
  if (id >= NSGNIC_CNT_COUNT)
    return FW_HAL_EHW;
  *v = mmio_rd(CSR(NSGNIC_CSR_CNT + 4u * id));
  return FW_HAL_OK;
}

static int csr_exc_pop(void *ctx, uint32_t p[FW_EXC_WORDS], uint32_t *words, uint32_t *slot)
{
  (void)ctx;
  if (mmio_rd(CSR(NSGNIC_CSR_EXQ_COUNT)) == 0)
    return 0;
  uint32_t meta = mmio_rd(CSR(NSGNIC_CSR_EXQ_META));
  *slot = csr_ctx.exc_slots ? mmio_rd(CSR(NSGNIC_CSR_EXQ_SLOT)) : FW_EXC_NO_SLOT;
  uint32_t len = (uint32_t)FW_GET32(&meta, EXQ_META_LEN);
  uint32_t head = len < NSGNIC_EXC_HEAD_BYTES ? len : NSGNIC_EXC_HEAD_BYTES;
  uint32_t hw = (head + 3u) / 4u;
  const uint32_t exc_head_w = NSGNIC_P_EXC_HEAD_LSB / 32u;
  for (uint32_t i = 0; i < FW_EXC_WORDS; i++)
    p[i] = 0;
  FW_PUT32(p, P_EXC_PORT, FW_GET32(&meta, EXQ_META_PORT));
  FW_PUT32(p, P_EXC_REASON, FW_GET32(&meta, EXQ_META_REASON));
  FW_PUT32(p, P_EXC_PKT_LEN, len);
  FW_PUT32(p, P_EXC_HEAD_LEN, head);
  data_rd(NSGNIC_CSR_EXQ_DATA, p + exc_head_w, hw);
  mmio_wr(CSR(NSGNIC_CSR_EXQ_POP), 1);
  *words = exc_head_w + hw;
  return 1;
}

static int csr_exc_state(void *ctx, uint32_t *parked, uint32_t *queued)
{
  (void)ctx;
  *parked = csr_ctx.exc_slots ? mmio_rd(CSR(NSGNIC_CSR_EXQ_PARKED)) : 0u;
  *queued = mmio_rd(CSR(NSGNIC_CSR_EXQ_COUNT));
  return FW_HAL_OK;
}

/* The datapath ignores a release of a slot holding no parked frame (and counts it): the slot's
 * EXQ_PARKED bit is checked first so that a firmware bug shows as an error here. */
static int csr_exc_release(void *ctx, uint32_t slot, uint32_t forward, uint32_t port)
{
  (void)ctx;
  if (slot >= csr_ctx.exc_slots || !((mmio_rd(CSR(NSGNIC_CSR_EXQ_PARKED)) >> slot) & 1u))
    return FW_HAL_EHW;
  uint32_t w = 0;
  FW_PUT32(&w, EXQ_REL_SLOT, slot);
  FW_PUT32(&w, EXQ_REL_PORT, port);
  FW_PUT32(&w, EXQ_REL_FORWARD, forward ? 1u : 0u);
  mmio_wr(CSR(NSGNIC_CSR_EXQ_RELEASE), w);
  return FW_HAL_OK;
}

static uint32_t csr_ticks(void *ctx)
{
  (void)ctx;
  return fw_mtime();
}

/* The port-range comparators (ABI >= 1.1): CSR_PORT_RANGE holds PORT_CLASSES source words, then
 * PORT_CLASSES destination words; a plain register each, so a write is one store. */
static uint32_t prange_addr(uint32_t field, uint32_t k)
{
  return CSR(NSGNIC_CSR_PORT_RANGE + 4u * (field * (uint32_t)NSGNIC_PORT_CLASSES + k));
}

static int csr_prange_write(void *ctx, uint32_t field, uint32_t k, uint32_t value)
{
  (void)ctx;
  if (field > 1 || k >= (uint32_t)NSGNIC_PORT_CLASSES)
    return FW_HAL_EHW;
  mmio_wr(prange_addr(field, k), value);
  return 0;
}

static int csr_prange_read(void *ctx, uint32_t field, uint32_t k, uint32_t *value)
{
  (void)ctx;
  if (field > 1 || k >= (uint32_t)NSGNIC_PORT_CLASSES)
    return FW_HAL_EHW;
  *value = mmio_rd(prange_addr(field, k));
  return 0;
}

static int csr_flow_hash_key(void *ctx, const uint32_t *hkey)
{
  struct csr_ctx *c = ctx;
  for (uint32_t i = 0; i < (uint32_t)NSGNIC_FLOW_HKEY_WORDS; i++) {
    mmio_wr(CSR(NSGNIC_CSR_FLOW_HKEY + 4u * i), hkey[i]);
    c->hkey[i] = hkey[i];
  }
  for (uint32_t i = 0; i < (uint32_t)NSGNIC_FLOW_HKEY_WORDS; i++)
    if (mmio_rd(CSR(NSGNIC_CSR_FLOW_HKEY + 4u * i)) != hkey[i])
      return FW_HAL_EHW;  /* a datapath without the key registers */
  return FW_HAL_OK;
}

static int csr_age_set(void *ctx, uint32_t enable, uint32_t pace, const uint32_t to[NSGNIC_AGE_CLASSES])
{
  (void)ctx;
  for (uint32_t w = 0; w < (uint32_t)NSGNIC_AGE_CLASSES / 2; w++)  /* two classes per word */
    mmio_wr(CSR(NSGNIC_CSR_AGE_TIMEOUT + 4u * w), (to[2 * w] & 0xffffu) | (to[2 * w + 1] & 0xffffu) << 16);
  uint32_t ctrl = (enable ? 1u << NSGNIC_DP_AGE_CTRL_ENABLE_LSB : 0u) | (pace & 0xffu) << NSGNIC_DP_AGE_CTRL_PACE_LSB;
  mmio_wr(CSR(NSGNIC_CSR_AGE_CTRL), ctrl);
  /* DRAM is read-only (the engine covers the tier) */
  return (mmio_rd(CSR(NSGNIC_CSR_AGE_CTRL)) & ~(1u << NSGNIC_DP_AGE_CTRL_DRAM_LSB)) == ctrl ? FW_HAL_OK : FW_HAL_EHW;
}

static int csr_age_est(void *ctx, uint32_t vport, uint32_t to)
{
  (void)ctx;
  mmio_wr(CSR(NSGNIC_CSR_AGE_EST_SEL), vport & 0xffu);
  mmio_wr(CSR(NSGNIC_CSR_AGE_EST), to & 0xffffu);
  return mmio_rd(CSR(NSGNIC_CSR_AGE_EST_SEL)) == (vport & 0xffu) ? FW_HAL_OK : FW_HAL_EHW;
}

/* One report of the aging FIFO: the head's index and entry words, then POP. */
static int csr_age_pop(void *ctx, uint32_t *index, uint32_t e[FW_FLOW_WORDS])
{
  struct csr_ctx *c = ctx;
  if (mmio_rd(CSR(NSGNIC_CSR_AGE_COUNT)) == 0)
    return 0;
  uint32_t ix = mmio_rd(CSR(NSGNIC_CSR_AGE_INDEX));
  for (uint32_t i = 0; i < FW_FLOW_WORDS; i++)
    e[i] = mmio_rd(CSR(NSGNIC_CSR_AGE_ENTRY + 4u * i));
  mmio_wr(CSR(NSGNIC_CSR_AGE_POP), 1);
  uint32_t slot = (uint32_t)FW_GET32(&ix, DP_AGE_INDEX_INDEX);
  if (FW_GET32(&ix, DP_AGE_INDEX_DRAM)) {
    /* a DRAM tier flow: the unified numbering; a slot beyond the tier is a hardware fault (the
     * report is dropped and counted by the caller, the flow is gone all the same) */
    if (slot >= c->dram_flows)
      return FW_HAL_EHW;
    slot += c->flow_entries;
  }
  *index = slot;
  return 1;
}

static int csr_dram_used(void *ctx, uint32_t *used)
{
  (void)ctx;
  *used = mmio_rd(CSR(NSGNIC_CSR_DRAM_USED));
  return FW_HAL_OK;
}

static int csr_flow_limit(void *ctx, uint32_t limit, uint32_t *now)
{
  (void)ctx;
  mmio_wr(CSR(NSGNIC_CSR_FLOW_LIMIT), limit);
  *now = mmio_rd(CSR(NSGNIC_CSR_FLOW_LIMIT));
  return *now == limit ? FW_HAL_OK : FW_HAL_EHW;
}

static int csr_dram_flow(void *ctx, uint32_t slot, uint32_t del, uint32_t e[FW_FLOW_WORDS],
                         uint32_t *vmask)
{
  (void)ctx;
  if (wait_idle() != FW_HAL_OK)
    return FW_HAL_EHW;
  if (del)
    for (uint32_t i = 0; i < FW_FLOW_WORDS; i++)
      mmio_wr(CSR(NSGNIC_CSR_DATA + 4u * i), e[i]);
  mmio_wr(CSR(NSGNIC_CSR_DRAM_SLOT), slot);
  uint32_t cmd = 0, st;
  FW_PUT32(&cmd, DP_CMD_TABLE, NSGNIC_DP_TABLE_FLOW);
  FW_PUT32(&cmd, DP_CMD_DRAM, 1);
  FW_PUT32(&cmd, DP_CMD_OP, del ? NSGNIC_DP_OP_WRITE : NSGNIC_DP_OP_READ);
  mmio_wr(CSR(NSGNIC_CSR_CMD), cmd);
  if (wait_idle_st(&st) != FW_HAL_OK || FW_GET32(&st, DP_STATUS_ERROR))
    return FW_HAL_EHW;
  /* a free slot (RVALID 0) answers an all-zero entry: no need to read it (a walk over a mostly
   * empty tier is one CSR read per bucket) */
  for (uint32_t i = 0; i < FW_FLOW_WORDS; i++)
    e[i] = FW_GET32(&st, DP_STATUS_RVALID) ? mmio_rd(CSR(NSGNIC_CSR_DATA + 4u * i)) : 0u;
  *vmask = mmio_rd(CSR(NSGNIC_CSR_RES));
  return FW_HAL_OK;
}

static int csr_age_passes(void *ctx, uint32_t *passes)
{
  (void)ctx;
  *passes = mmio_rd(CSR(NSGNIC_CSR_AGE_PASSES));
  return FW_HAL_OK;
}

static const struct fw_hal_ops csr_ops = {
  .tcam_write = csr_tcam_write,
  .tcam_read = csr_tcam_read,
  .bank_set = csr_bank_set,
  .bank_get = csr_bank_get,
  .exc_state = csr_exc_state,
  .gen_set = csr_gen_set,
  .bind_write = csr_bind_write,
  .bind_read = csr_bind_read,
  .flow_read = csr_flow_read,
  .flow_insert = csr_flow_insert,
  .flow_delete = csr_flow_delete,
  .flow_next_idle = csr_flow_next_idle,
  .flow_now = csr_flow_now,
  .counter_read = csr_counter_read,
  .exc_pop = csr_exc_pop,
  .exc_release = csr_exc_release,
  .ticks = csr_ticks,
  .prange_write = csr_prange_write,
  .prange_read = csr_prange_read,
  .flow_hash_key = csr_flow_hash_key,
  .age_set = csr_age_set,
  .age_est = csr_age_est,
  .age_passes = csr_age_passes,
  .age_pop = csr_age_pop,
  .lpm_stage = csr_lpm_stage,
  .lpm_write = csr_lpm_write,
  .flow_limit = csr_flow_limit,
  .dram_flow = csr_dram_flow,
  .dram_used = csr_dram_used,
};

void fw_hal_csr_init(struct fw_hal *hal)
{
  hal->win = (volatile uint32_t *)(uintptr_t)FW_HOSTWIN_BASE;
  hal->ops = &csr_ops;
  hal->ctx = &csr_ctx;
  hal->build = NSGNIC_FW_BUILD_HASH;
  hal->rule_entries = hal->label_entries = hal->platform_entries = 0;
  hal->vports = hal->flow_entries = hal->dp_counters = hal->port_classes = hal->exc_slots = 0;
  hal->lpm_levels = hal->label_ctx = 0;
  hal->dram_flows = hal->dram_ways = hal->age_dram = 0;
  csr_ctx.exc_slots = csr_ctx.flow_entries = csr_ctx.dram_flows = 0;
  /* A datapath that is not there or speaks another ABI major leaves every size 0: the boot
   * self-test then fails (SELFTEST_SIZES) and the firmware refuses table commands. */
  uint32_t ver = mmio_rd(CSR(NSGNIC_CSR_VERSION));
  if (mmio_rd(CSR(NSGNIC_CSR_ID)) != (uint32_t)NSGNIC_CSR_ID_VALUE ||
      (ver >> 16) != (uint32_t)NSGNIC_ABI_VERSION_MAJOR)
    return;
  uint32_t fc = mmio_rd(CSR(NSGNIC_CSR_CAP_FLOWS));
  csr_ctx.buckets_log2 = (uint32_t)FW_GET32(&fc, DP_CAP_FLOW_BUCKETS_LOG2);
  csr_ctx.ways = (uint32_t)FW_GET32(&fc, DP_CAP_FLOW_WAYS);
  csr_ctx.stash = (uint32_t)FW_GET32(&fc, DP_CAP_FLOW_STASH);
  hal->rule_entries = mmio_rd(CSR(NSGNIC_CSR_CAP_RULES));
  hal->label_entries = mmio_rd(CSR(NSGNIC_CSR_CAP_LABELS));
  hal->platform_entries = mmio_rd(CSR(NSGNIC_CSR_CAP_PLATFORM));
  hal->vports = mmio_rd(CSR(NSGNIC_CSR_CAP_VPORTS));
  for (uint32_t i = 0; i < (uint32_t)NSGNIC_FLOW_HKEY_WORDS; i++)
    csr_ctx.hkey[i] = mmio_rd(CSR(NSGNIC_CSR_FLOW_HKEY + 4u * i));
  hal->flow_entries = csr_ctx.buckets_log2 < 20
                          ? ((uint32_t)NSGNIC_FLOW_TABLES << csr_ctx.buckets_log2) * csr_ctx.ways + csr_ctx.stash
                          : 0;
  if (hal->flow_entries > (1u << NSGNIC_DP_CMD_INDEX_W))
    hal->flow_entries = 0;  /* slots the CMD.INDEX field cannot address: no flow commands */
  hal->dp_counters = NSGNIC_CNT_COUNT;
  hal->port_classes = (ver & 0xffffu) >= 1 ? NSGNIC_PORT_CLASSES : 0;
  uint32_t slots = (ver & 0xffffu) >= 2 ? mmio_rd(CSR(NSGNIC_CSR_EXQ_SLOTS)) : 0;
  csr_ctx.exc_slots = hal->exc_slots = slots <= FW_PARK_SLOTS ? slots : 0;
  hal->lpm_levels = hal->lpm_fanout = hal->lpm_ctx_bits = 0;
  hal->lpm_leaves[0] = hal->lpm_leaves[1] = hal->lpm_results[0] = hal->lpm_results[1] = 0;
  if ((ver & 0xffffu) >= 4) {
    uint32_t g = mmio_rd(CSR(NSGNIC_CSR_CAP_LPM));
    hal->lpm_levels = (uint32_t)FW_GET32(&g, DP_CAP_LPM_LEVELS);
    hal->lpm_fanout = (uint32_t)FW_GET32(&g, DP_CAP_LPM_FANOUT);
    hal->lpm_ctx_bits = (uint32_t)FW_GET32(&g, DP_CAP_LPM_CTX_BITS);
    hal->label_ctx = hal->lpm_levels && (ver & 0xffffu) >= 5 ? (uint32_t)FW_GET32(&g, DP_CAP_LPM_LABEL_CTX) : 0u;
    if (hal->lpm_levels) {
      hal->lpm_leaves[0] = mmio_rd(CSR(NSGNIC_CSR_CAP_LPM4_LEAVES));
      hal->lpm_leaves[1] = mmio_rd(CSR(NSGNIC_CSR_CAP_LPM6_LEAVES));
      hal->lpm_results[0] = mmio_rd(CSR(NSGNIC_CSR_CAP_LPM4_RESULTS));
      hal->lpm_results[1] = mmio_rd(CSR(NSGNIC_CSR_CAP_LPM6_RESULTS));
    }
  }
  /* 0 on a datapath without the DRAM tier (or before it: unknown CSRs read 0) */
  hal->dram_flows = mmio_rd(CSR(NSGNIC_CSR_CAP_DRAM_FLOWS));
  hal->dram_ways = mmio_rd(CSR(NSGNIC_CSR_CAP_DRAM_WAYS));
  if (hal->dram_ways == 0 || hal->dram_ways > 32 || (hal->dram_ways & (hal->dram_ways - 1)) ||
      hal->dram_flows % hal->dram_ways)
    hal->dram_flows = hal->dram_ways = 0;  /* a geometry the commands cannot walk: no tier */
  /* ABI 1.6: the aging engine covers the tier (the DRAM bit of CSR_AGE_CTRL reads 1) */
  uint32_t actrl = (ver & 0xffffu) >= 6 && hal->dram_flows ? mmio_rd(CSR(NSGNIC_CSR_AGE_CTRL)) : 0u;
  hal->age_dram = (uint32_t)FW_GET32(&actrl, DP_AGE_CTRL_DRAM);
  csr_ctx.flow_entries = hal->flow_entries;
  csr_ctx.dram_flows = hal->dram_flows;
}
