/* SPDX-License-Identifier: Apache-2.0 */
/* Flow-cache commands, the aging scan and exception forwarding.
 *
 * Aging scan. After CMD_AGING_START the firmware walks the flow cache in passes: a pass
 * starts when the previous one started at least `interval` ticks ago, examines `batch` slots
 * per main-loop turn (so commands are never delayed by more than one batch) and posts one
 * EVT_IDLE_FLOW for every valid flow whose (NOW - TIMESTAMP) mod 2^16 is at least the
 * threshold, then EVT_SCAN_DONE. The inner loop is the HAL's flow_next_idle, so a backend can
 * run it in hardware; the firmware only touches the idle flows. When the event ring is full the
 * scan waits at the flow it could not report (back-pressure: no report is lost, the scan just
 * resumes later). A flow idle for longer than 2^16 NOW units looks fresh again (16-bit
 * timestamps), so the host must keep the pass interval well below that; the firmware limits the
 * threshold to 2^15 - 1. The firmware never deletes a flow on its own: the host decides (it may
 * know the flow is still wanted) and sends CMD_FLOW_DELETE with the reported key. */
#include "fw.h"

enum { FLOW_TS_MASK = 0xffffu };

/* Key bits of a flow entry are equal (the first FLOW_KEY_BITS bits). */
static int flow_key_eq(const uint32_t *a, const uint32_t *b)
{
  uint32_t full = NSGNIC_FLOW_KEY_BITS / 32u, rest = NSGNIC_FLOW_KEY_BITS % 32u;
  for (uint32_t i = 0; i < full; i++)
    if (a[i] != b[i])
      return 0;
  if (rest) {
    uint32_t m = (1u << rest) - 1u;
    if ((a[full] ^ b[full]) & m)
      return 0;
  }
  return 1;
}

/* Validates a flow entry the host wants inserted. */
static uint32_t check_flow(const struct fw *fw, const uint32_t *e)
{
  if (!FW_GET32(e, FLOW_VALID) || FW_GET32(e, FLOW_RESERVED0) ||
      FW_GET32(e, FLOW_RESERVED1) || FW_GET32(e, FLOW_RESERVED2) ||
      FW_GET32(e, FLOW_HW_COUNTED))  /* set by the hardware only */
    return NSGNIC_STATUS_BAD_FIELD;
  if (FW_GET32(e, FLOW_ACTION) == NSGNIC_ACTION_NONE)
    return NSGNIC_STATUS_BAD_FIELD;
  if (FW_GET32(e, FLOW_VPORT) >= fw->hal->vports)
    return NSGNIC_STATUS_BAD_FIELD;
  if (FW_GET32(e, FLOW_FAMILY) == NSGNIC_FAMILY_IPV4) {
    /* IPv4 addresses live in bits 31:0; the rest of each 128-bit address is zero. */
    for (uint32_t w = 1; w < 4; w++)
      if (e[FW_W(FLOW_LOCAL_ADDR) + w] || e[FW_W(FLOW_REMOTE_ADDR) + w])
        return NSGNIC_STATUS_BAD_FIELD;
  }
  return NSGNIC_STATUS_OK;
}

uint32_t fw_cmd_flow_insert(struct fw *fw, const uint32_t *p, uint32_t len, uint32_t *out,
                            uint32_t *out_len)
{
  (void)len;
  if (fw->hal->flow_entries == 0)
    return NSGNIC_STATUS_UNSUPPORTED;
  if (p[FW_W(P_FLOW_INDEX)] != 0)
    return NSGNIC_STATUS_BAD_FIELD;
  uint32_t e[FW_FLOW_WORDS];
  for (uint32_t i = 0; i < FW_FLOW_WORDS; i++)
    e[i] = p[FW_W(P_FLOW_ENTRY) + i];
  uint32_t st = check_flow(fw, e);
  if (st != NSGNIC_STATUS_OK)
    return st;
  const struct fw_hal *h = fw->hal;
  /* a flow the host installs on its first packet was last seen now (the aging engine's idle) */
  if (FW_GET32(e, FLOW_HOST_FIRST))
    FW_PUT32(e, FLOW_TIMESTAMP, h->ops->flow_now(h->ctx) & FLOW_TS_MASK);
  uint32_t index = 0;
  int rc = h->ops->flow_insert(h->ctx, e, &index);
  if (rc == FW_HAL_EEXIST)
    return NSGNIC_STATUS_EXISTS;
  if (rc == FW_HAL_ENOSPC)
    return NSGNIC_STATUS_TABLE_FULL;
  if (rc != FW_HAL_OK || index >= h->flow_entries) {
    FW_COUNT(fw, HW_ERRORS);
    return NSGNIC_STATUS_HW_ERROR;
  }
  FW_COUNT(fw, FLOW_INSERTS);
  out[FW_W(P_FLOW_INDEX)] = index;
  *out_len = 1;
  return NSGNIC_STATUS_OK;
}

/* Flow slots as the host numbers them: the flow cache's [0, flow_entries), then the DRAM tier's
 * slots at flow_entries + slot (idle reports, FLOW_READ, FLOW_DELETE). */
static uint32_t flow_slots(const struct fw_hal *h)
{
  return h->flow_entries + (h->ops->dram_flow ? h->dram_flows : 0);
}

/* Reads unified slot `index`: FW_HAL_OK with the entry, FW_HAL_ENOENT when it holds no flow. */
static int flow_get(const struct fw_hal *h, uint32_t index, uint32_t e[FW_FLOW_WORDS])
{
  if (index < h->flow_entries)
    return h->ops->flow_read(h->ctx, index, e);
  uint32_t vmask = 0;
  int rc = h->ops->dram_flow(h->ctx, index - h->flow_entries, 0, e, &vmask);
  if (rc != FW_HAL_OK)
    return rc;
  return FW_GET32(e, FLOW_VALID) ? FW_HAL_OK : FW_HAL_ENOENT;
}

uint32_t fw_cmd_flow_delete(struct fw *fw, const uint32_t *p, uint32_t len, uint32_t *out,
                            uint32_t *out_len)
{
  (void)len;
  (void)out;
  *out_len = 0;
  uint32_t index = p[FW_W(P_FLOW_INDEX)];
  const struct fw_hal *h = fw->hal;
  if (index >= flow_slots(h))
    return NSGNIC_STATUS_BAD_INDEX;
  uint32_t cur[FW_FLOW_WORDS];
  int rc = flow_get(h, index, cur);
  if (rc == FW_HAL_ENOENT)
    return NSGNIC_STATUS_NOT_FOUND;
  if (rc != FW_HAL_OK) {
    FW_COUNT(fw, HW_ERRORS);
    return NSGNIC_STATUS_HW_ERROR;
  }
  if (!flow_key_eq(cur, p + FW_W(P_FLOW_ENTRY)))
    return NSGNIC_STATUS_NOT_FOUND;  /* the slot was reused for another flow */
  uint32_t vmask = 0;
  if (index < h->flow_entries ? h->ops->flow_delete(h->ctx, index) != FW_HAL_OK
                              : h->ops->dram_flow(h->ctx, index - h->flow_entries, 1, cur, &vmask) != FW_HAL_OK) {
    FW_COUNT(fw, HW_ERRORS);
    return NSGNIC_STATUS_HW_ERROR;
  }
  FW_COUNT(fw, FLOW_DELETES);
  return NSGNIC_STATUS_OK;
}

uint32_t fw_cmd_flow_read(struct fw *fw, const uint32_t *p, uint32_t len, uint32_t *out,
                          uint32_t *out_len)
{
  (void)len;
  uint32_t index = p[FW_W(P_FLOW_INDEX)];
  const struct fw_hal *h = fw->hal;
  if (index >= flow_slots(h))
    return NSGNIC_STATUS_BAD_INDEX;
  int rc = flow_get(h, index, out + FW_W(P_FLOW_ENTRY));
  if (rc == FW_HAL_ENOENT)
    return NSGNIC_STATUS_NOT_FOUND;
  if (rc != FW_HAL_OK) {
    FW_COUNT(fw, HW_ERRORS);
    return NSGNIC_STATUS_HW_ERROR;
  }
  out[FW_W(P_FLOW_INDEX)] = index;
  *out_len = FW_W(P_FLOW_ENTRY) + FW_FLOW_WORDS;
  return NSGNIC_STATUS_OK;
}

/* CMD_FLOW_NEXT: the host's listing of the flow cache, FLOW_SCAN_SLOTS slots at most per command
 * (the mailbox stays responsive): the first slot >= INDEX holding a flow, else where to go on. */
uint32_t fw_cmd_flow_next(struct fw *fw, const uint32_t *p, uint32_t len, uint32_t *out,
                          uint32_t *out_len)
{
  (void)len;
  *out_len = 0;
  const struct fw_hal *h = fw->hal;
  uint32_t index = p[FW_W(P_FLOW_INDEX)];
  uint32_t *e = out + FW_W(P_FLOW_ENTRY);
  if (index > h->flow_entries)
    return NSGNIC_STATUS_BAD_INDEX;
  int rc = FW_HAL_ENOENT;
  for (uint32_t n = 0; n < (uint32_t)NSGNIC_FLOW_SCAN_SLOTS && index < h->flow_entries; n++) {
    rc = h->ops->flow_read(h->ctx, index, e);
    if (rc != FW_HAL_ENOENT)
      break;
    index++;
  }
  if (rc != FW_HAL_OK && rc != FW_HAL_ENOENT) {
    FW_COUNT(fw, HW_ERRORS);
    return NSGNIC_STATUS_HW_ERROR;
  }
  if (rc != FW_HAL_OK)
    for (uint32_t i = 0; i < FW_FLOW_WORDS; i++)
      e[i] = 0;
  out[FW_W(P_FLOW_INDEX)] = index;
  *out_len = FW_W(P_FLOW_ENTRY) + FW_FLOW_WORDS;
  return NSGNIC_STATUS_OK;
}

/* CMD_FLOW_HASH_KEY: every learned flow was placed by the old key and would be unreachable (and
 * could be learned twice) under the new one, so the cache is emptied first; then the key. */
uint32_t fw_cmd_flow_hash_key(struct fw *fw, const uint32_t *p, uint32_t len, uint32_t *out,
                              uint32_t *out_len)
{
  (void)len;
  (void)out;
  *out_len = 0;
  const struct fw_hal *h = fw->hal;
  if (!h->ops->flow_hash_key || h->flow_entries == 0)
    return NSGNIC_STATUS_UNSUPPORTED;
  for (uint32_t i = 0; i < h->flow_entries; i++) {
    uint32_t cur[FW_FLOW_WORDS];
    int rc = h->ops->flow_read(h->ctx, i, cur);
    if (rc == FW_HAL_ENOENT)
      continue;
    if (rc != FW_HAL_OK || h->ops->flow_delete(h->ctx, i) != FW_HAL_OK) {
      FW_COUNT(fw, HW_ERRORS);
      return NSGNIC_STATUS_HW_ERROR;
    }
    FW_COUNT(fw, FLOW_DELETES);
  }
  /* the DRAM tier places by the same key: emptied too (one read per bucket, then each flow),
   * unless it holds none (CSR_DRAM_USED: a fresh device's 1M-slot tier is not walked) */
  uint32_t dused = 1;
  if (h->ops->dram_used && h->ops->dram_used(h->ctx, &dused) != FW_HAL_OK)
    dused = 1;
  for (uint32_t b = 0; dused && h->ops->dram_flow && b < h->dram_flows; b += h->dram_ways) {
    uint32_t cur[FW_FLOW_WORDS], vmask = 0;
    if (h->ops->dram_flow(h->ctx, b, 0, cur, &vmask) != FW_HAL_OK) {
      FW_COUNT(fw, HW_ERRORS);
      return NSGNIC_STATUS_HW_ERROR;
    }
    for (uint32_t w = 0; w < h->dram_ways; w++) {
      if (!(vmask & (1u << w)))
        continue;
      if (h->ops->dram_flow(h->ctx, b + w, 0, cur, &vmask) != FW_HAL_OK ||
          h->ops->dram_flow(h->ctx, b + w, 1, cur, &vmask) != FW_HAL_OK) {
        FW_COUNT(fw, HW_ERRORS);
        return NSGNIC_STATUS_HW_ERROR;
      }
      FW_COUNT(fw, FLOW_DELETES);
    }
  }
  if (h->ops->flow_hash_key(h->ctx, p + FW_W(P_HKEY_KEY)) != FW_HAL_OK) {
    FW_COUNT(fw, HW_ERRORS);
    return NSGNIC_STATUS_HW_ERROR;
  }
  return NSGNIC_STATUS_OK;
}

/* CMD_FLOW_LIMIT: the S5 per-NIC, per-direction flow limit of the DRAM tier (any value: 0
 * refuses every new flow, values above the tier's slots mean no limit). */
uint32_t fw_cmd_flow_limit(struct fw *fw, const uint32_t *p, uint32_t len, uint32_t *out,
                           uint32_t *out_len)
{
  (void)len;
  *out_len = 0;
  const struct fw_hal *h = fw->hal;
  if (!h->ops->flow_limit || !h->ops->dram_flow || h->dram_flows == 0)
    return NSGNIC_STATUS_UNSUPPORTED;
  uint32_t now = 0;
  if (h->ops->flow_limit(h->ctx, p[FW_W(P_FLIMIT_LIMIT)], &now) != FW_HAL_OK) {
    FW_COUNT(fw, HW_ERRORS);
    return NSGNIC_STATUS_HW_ERROR;
  }
  out[FW_W(P_FLIMIT_LIMIT)] = now;
  *out_len = 1;
  return NSGNIC_STATUS_OK;
}

/* CMD_DRAM_FLOW_NEXT: the host's listing of the DRAM tier. One read per bucket finds its valid
 * bits (the directory), so empty buckets cost one CSR operation and empty ways none; at most
 * DRAM_SCAN_BUCKETS buckets per command keep the mailbox responsive. */
uint32_t fw_cmd_dram_flow_next(struct fw *fw, const uint32_t *p, uint32_t len, uint32_t *out,
                               uint32_t *out_len)
{
  (void)len;
  *out_len = 0;
  const struct fw_hal *h = fw->hal;
  if (!h->ops->dram_flow || h->dram_flows == 0)
    return NSGNIC_STATUS_UNSUPPORTED;
  uint32_t slot = p[FW_W(P_DFLOW_SLOT)], ways = h->dram_ways;
  uint32_t *e = out + FW_W(P_DFLOW_ENTRY);
  if (slot > h->dram_flows)
    return NSGNIC_STATUS_BAD_INDEX;
  for (uint32_t i = 0; i < FW_FLOW_WORDS; i++)
    e[i] = 0;
  uint32_t vmask = 0;
  for (uint32_t n = 0; n < (uint32_t)NSGNIC_DRAM_SCAN_BUCKETS && slot < h->dram_flows; n++) {
    if (h->ops->dram_flow(h->ctx, slot, 0, e, &vmask) != FW_HAL_OK) {
      FW_COUNT(fw, HW_ERRORS);
      return NSGNIC_STATUS_HW_ERROR;
    }
    uint32_t way = slot & (ways - 1), base = slot - way;
    uint32_t rest = ways == 32 ? vmask & ~((1u << way) - 1u) : vmask & ((1u << ways) - 1u) & ~((1u << way) - 1u);
    if (rest & (1u << way))
      break;  /* this slot holds a flow: e is its entry */
    if (rest) {  /* a later way of this bucket */
      uint32_t w = way;
      while (!(rest & (1u << w)))
        w++;
      slot = base + w;
      continue;  /* read it (the next turn costs one more read, counted as a bucket) */
    }
    for (uint32_t i = 0; i < FW_FLOW_WORDS; i++)
      e[i] = 0;
    slot = base + ways;
  }
  if (slot >= h->dram_flows) {
    slot = h->dram_flows;
    for (uint32_t i = 0; i < FW_FLOW_WORDS; i++)
      e[i] = 0;
  } else if (!FW_GET32(e, FLOW_VALID)) {
    for (uint32_t i = 0; i < FW_FLOW_WORDS; i++)
      e[i] = 0;
  }
  out[FW_W(P_DFLOW_SLOT)] = slot;
  out[FW_W(P_DFLOW_VMASK)] = vmask;
  *out_len = FW_W(P_DFLOW_ENTRY) + FW_FLOW_WORDS;
  return NSGNIC_STATUS_OK;
}

/* CMD_DRAM_FLOW_DELETE: read the slot, check the key (the slot may hold another flow by now),
 * delete with the entry read; the completion carries the flow at its delete (final counters). */
uint32_t fw_cmd_dram_flow_delete(struct fw *fw, const uint32_t *p, uint32_t len, uint32_t *out,
                                 uint32_t *out_len)
{
  (void)len;
  *out_len = 0;
  const struct fw_hal *h = fw->hal;
  if (!h->ops->dram_flow || h->dram_flows == 0)
    return NSGNIC_STATUS_UNSUPPORTED;
  uint32_t slot = p[FW_W(P_DFLOW_SLOT)], vmask = 0;
  if (slot >= h->dram_flows)
    return NSGNIC_STATUS_BAD_INDEX;
  uint32_t *e = out + FW_W(P_DFLOW_ENTRY);
  if (h->ops->dram_flow(h->ctx, slot, 0, e, &vmask) != FW_HAL_OK) {
    FW_COUNT(fw, HW_ERRORS);
    return NSGNIC_STATUS_HW_ERROR;
  }
  if (!FW_GET32(e, FLOW_VALID) || !flow_key_eq(e, p + FW_W(P_DFLOW_ENTRY)))
    return NSGNIC_STATUS_NOT_FOUND;
  if (h->ops->dram_flow(h->ctx, slot, 1, e, &vmask) != FW_HAL_OK) {
    FW_COUNT(fw, HW_ERRORS);
    return NSGNIC_STATUS_HW_ERROR;
  }
  if (!FW_GET32(e, FLOW_VALID))
    return NSGNIC_STATUS_NOT_FOUND;  /* cannot happen: only the firmware deletes */
  FW_COUNT(fw, FLOW_DELETES);
  out[FW_W(P_DFLOW_SLOT)] = slot;
  out[FW_W(P_DFLOW_VMASK)] = vmask;
  *out_len = FW_W(P_DFLOW_ENTRY) + FW_FLOW_WORDS;
  return NSGNIC_STATUS_OK;
}

/* CMD_AGING_HW: per-class idle timeouts for the datapath's aging engine, which deletes expired
 * flows itself (no per-entry scan over the CSR bus); fw_age_hw_step forwards its reports. */
uint32_t fw_cmd_aging_hw(struct fw *fw, const uint32_t *p, uint32_t len, uint32_t *out,
                         uint32_t *out_len)
{
  (void)len;
  *out_len = 0;
  const struct fw_hal *h = fw->hal;
  if (!h->ops->age_set || !h->ops->age_est || !h->ops->age_pop || h->flow_entries == 0)
    return NSGNIC_STATUS_UNSUPPORTED;
  if (FW_GET32(p, P_AGEHW_RESERVED0) != 0 || FW_GET32(p, P_AGEHW_RESERVED1) != 0)
    return NSGNIC_STATUS_BAD_FIELD;
  uint32_t en = (uint32_t)FW_GET32(p, P_AGEHW_ENABLE), pace = (uint32_t)FW_GET32(p, P_AGEHW_PACE);
  /* AGE_CLASS order (the hardware's CSR_AGE_TIMEOUT halves) */
  uint32_t to[NSGNIC_AGE_CLASSES] = {
    [NSGNIC_AGE_CLASS_TCP_EST] = (uint32_t)FW_GET32(p, P_AGEHW_TCP_EST),
    [NSGNIC_AGE_CLASS_TCP_HALF_OPEN] = (uint32_t)FW_GET32(p, P_AGEHW_TCP_HALF_OPEN),
    [NSGNIC_AGE_CLASS_NEW] = (uint32_t)FW_GET32(p, P_AGEHW_NEW),
    [NSGNIC_AGE_CLASS_ICMP] = (uint32_t)FW_GET32(p, P_AGEHW_ICMP),
    [NSGNIC_AGE_CLASS_TCP_CLOSING] = (uint32_t)FW_GET32(p, P_AGEHW_TCP_CLOSING),
    [NSGNIC_AGE_CLASS_TCP_TIME_WAIT] = (uint32_t)FW_GET32(p, P_AGEHW_TCP_TIME_WAIT),
    [NSGNIC_AGE_CLASS_TCP_CLOSED] = (uint32_t)FW_GET32(p, P_AGEHW_TCP_CLOSED),
    [NSGNIC_AGE_CLASS_REPLIED] = (uint32_t)FW_GET32(p, P_AGEHW_REPLIED),
  };
  for (uint32_t c = 0; c < (uint32_t)NSGNIC_AGE_CLASSES; c++)
    if (en && to[c] == 0)
      return NSGNIC_STATUS_BAD_FIELD;  /* a zero timeout would delete every flow at once */
  /* a stop keeps the timeouts in effect: the scans still in flight are judged by them (the
   * request's, zero when stopping, would expire every flow those scans read) */
  if (!en)
    for (uint32_t c = 0; c < (uint32_t)NSGNIC_AGE_CLASSES; c++)
      to[c] = fw->aging.hw_to[c];
  if (h->ops->age_set(h->ctx, en, pace, to) != FW_HAL_OK) {
    FW_COUNT(fw, HW_ERRORS);
    return NSGNIC_STATUS_HW_ERROR;
  }
  for (uint32_t c = 0; c < (uint32_t)NSGNIC_AGE_CLASSES; c++)
    fw->aging.hw_to[c] = to[c];
  fw->aging.hw_on = en;
  fw->aging.hw_used |= en;
  /* EVT_SCAN_DONE counts passes from here */
  if (en && h->ops->age_passes && h->ops->age_passes(h->ctx, &fw->aging.hw_passes) != FW_HAL_OK) {
    FW_COUNT(fw, HW_ERRORS);
    return NSGNIC_STATUS_HW_ERROR;
  }
  fw->aging.hw_pass_reported = fw->aging.hw_reported;
  out[0] = fw->aging.hw_passes;  /* P_SCAN: PASS */
  out[1] = 0;
  out[2] = 0;
  *out_len = 3;
  return NSGNIC_STATUS_OK;
}

/* CMD_AGING_EST: per-vport established timeouts (the VNet's flow timeout, S5), checked as a
 * whole before any is written (no half-applied command). */
uint32_t fw_cmd_aging_est(struct fw *fw, const uint32_t *p, uint32_t len, uint32_t *out,
                          uint32_t *out_len)
{
  (void)out;
  *out_len = 0;
  const struct fw_hal *h = fw->hal;
  if (!h->ops->age_set || !h->ops->age_est || !h->ops->age_pop || h->flow_entries == 0)
    return NSGNIC_STATUS_UNSUPPORTED;
  for (uint32_t i = 0; i < len; i++)
    if (FW_GET32(p + i, P_AGEEST_RESERVED) != 0 || FW_GET32(p + i, P_AGEEST_VPORT) >= h->vports)
      return NSGNIC_STATUS_BAD_FIELD;
  for (uint32_t i = 0; i < len; i++)
    if (h->ops->age_est(h->ctx, (uint32_t)FW_GET32(p + i, P_AGEEST_VPORT),
                        (uint32_t)FW_GET32(p + i, P_AGEEST_TIMEOUT)) != FW_HAL_OK) {
      FW_COUNT(fw, HW_ERRORS);
      return NSGNIC_STATUS_HW_ERROR;
    }
  return NSGNIC_STATUS_OK;
}

unsigned fw_age_hw_step(struct fw *fw)
{
  const struct fw_hal *h = fw->hal;
  if (!h->ops->age_pop || !fw->aging.hw_used)
    return 0;
  unsigned n = 0;
  /* the pass count first: a pass the engine finished by now has its reports in the FIFO already
   * (its last scan's report and the count move in one clock) */
  uint32_t passes = fw->aging.hw_passes;
  if (h->ops->age_passes && h->ops->age_passes(h->ctx, &passes) != FW_HAL_OK) {
    FW_COUNT(fw, HW_ERRORS);
    passes = fw->aging.hw_passes;
  }
  int drained = 0;
  /* reports left in the FIFO after a stop are still forwarded: those flows are gone */
  while (n < FW_AGE_BATCH && fw_evt_room(fw) > 0) {
    uint32_t p[2 + FW_FLOW_WORDS];
    uint32_t index = 0;
    int rc = h->ops->age_pop(h->ctx, &index, p + FW_W(P_IDLE_ENTRY));
    if (rc != 1) {
      if (rc < 0)
        FW_COUNT(fw, HW_ERRORS);
      drained = rc == 0;
      break;
    }
    p[FW_W(P_IDLE_INDEX)] = index;
    p[FW_W(P_IDLE_IDLE)] = (h->ops->flow_now(h->ctx) -
                            (uint32_t)FW_GET32(p + FW_W(P_IDLE_ENTRY), FLOW_TIMESTAMP)) & FLOW_TS_MASK;
    if (fw_evt_post(fw, NSGNIC_EVT_FLOW_EXPIRED, p, 2 + FW_FLOW_WORDS) != 0)
      break;  /* cannot happen after the room check; the report is lost only then */
    fw->aging.hw_reported++;
    FW_COUNT(fw, FLOW_DELETES);
    n++;
  }
  /* EVT_SCAN_DONE once the engine finished a pass and every report of it was posted (the host
   * waits for it after moving NOW: the next one covers a whole pass at the new time) */
  if (drained && passes != fw->aging.hw_passes && fw_evt_room(fw) > 0) {
    uint32_t p[3] = {passes, 0, fw->aging.hw_reported - fw->aging.hw_pass_reported};
    if (fw_evt_post(fw, NSGNIC_EVT_SCAN_DONE, p, 3) == 0) {
      fw->aging.hw_passes = passes;
      fw->aging.hw_pass_reported = fw->aging.hw_reported;
      FW_COUNT(fw, SCAN_PASSES);
      n++;
    }
  }
  return n;
}

uint32_t fw_cmd_aging_start(struct fw *fw, const uint32_t *p, uint32_t len, uint32_t *out,
                            uint32_t *out_len)
{
  (void)len;
  (void)out;
  *out_len = 0;
  uint32_t threshold = p[FW_W(P_AGING_THRESHOLD)];
  uint32_t interval = p[FW_W(P_AGING_INTERVAL)];
  uint32_t batch = p[FW_W(P_AGING_BATCH)];
  if (threshold == 0 || threshold > FW_AGING_MAX_THRESHOLD || batch == 0 ||
      batch > FW_AGING_MAX_BATCH)
    return NSGNIC_STATUS_BAD_FIELD;
  struct fw_aging *a = &fw->aging;
  a->on = 1;
  a->in_pass = 0;
  a->done_pending = 0;
  a->threshold = threshold;
  a->interval = interval;
  a->batch = batch;
  a->pass = 0;
  a->pos = 0;
  return NSGNIC_STATUS_OK;
}

uint32_t fw_cmd_aging_stop(struct fw *fw, const uint32_t *p, uint32_t len, uint32_t *out,
                           uint32_t *out_len)
{
  (void)p;
  (void)len;
  (void)out;
  *out_len = 0;
  fw->aging.on = 0;
  fw->aging.in_pass = 0;
  fw->aging.done_pending = 0;
  return NSGNIC_STATUS_OK;
}

/* Posts the idle report for slot `idx`. Returns 0 when posted or the flow vanished meanwhile,
 * -1 when the event ring is full (retry later). */
static int report_idle(struct fw *fw, uint32_t idx, uint32_t now)
{
  const struct fw_hal *h = fw->hal;
  uint32_t p[2 + FW_FLOW_WORDS];
  if (fw_evt_room(fw) == 0)
    return -1;
  int rc = flow_get(h, idx, p + FW_W(P_IDLE_ENTRY));
  if (rc != FW_HAL_OK) {
    if (rc != FW_HAL_ENOENT)
      FW_COUNT(fw, HW_ERRORS);
    return 0;
  }
  p[FW_W(P_IDLE_INDEX)] = idx;
  p[FW_W(P_IDLE_IDLE)] = (now - (uint32_t)FW_GET32(p + FW_W(P_IDLE_ENTRY), FLOW_TIMESTAMP)) &
                         FLOW_TS_MASK;
  if (fw_evt_post(fw, NSGNIC_EVT_IDLE_FLOW, p, 2 + FW_FLOW_WORDS) != 0)
    return -1;
  fw->aging.reported++;
  FW_COUNT(fw, IDLE_REPORTS);
  return 0;
}

/* Posts EVT_SCAN_DONE of the finished pass; 0 when posted, -1 when the ring is full. */
static int post_done(struct fw *fw)
{
  struct fw_aging *a = &fw->aging;
  uint32_t p[3] = {a->pass, a->scanned, a->reported};
  if (fw_evt_post(fw, NSGNIC_EVT_SCAN_DONE, p, 3) != 0)
    return -1;
  a->done_pending = 0;
  FW_COUNT(fw, SCAN_PASSES);
  return 0;
}

unsigned fw_aging_step(struct fw *fw)
{
  struct fw_aging *a = &fw->aging;
  const struct fw_hal *h = fw->hal;
  if (!a->on)
    return 0;
  if (a->done_pending)
    return post_done(fw) == 0;
  if (!a->in_pass) {
    uint32_t t = h->ops->ticks(h->ctx);
    if (a->pass != 0 && t - a->pass_start < a->interval)
      return 0;
    a->in_pass = 1;
    a->pass++;
    a->pass_start = t;
    a->pos = 0;
    a->scanned = 0;
    a->reported = 0;
  }
  uint32_t n = h->flow_entries;
  uint32_t now = h->ops->flow_now(h->ctx) & FLOW_TS_MASK;
  uint32_t budget = a->batch;
  unsigned work = 0;
  while (budget > 0 && a->pos < n) {
    uint32_t from = a->pos;
    uint32_t to = from + (budget < n - from ? budget : n - from);
    uint32_t idx = h->ops->flow_next_idle(h->ctx, from, to, now, a->threshold);
    if (idx < from || idx > to)
      idx = to;  /* a misbehaving backend cannot send the scan out of the table */
    uint32_t seen = idx - from;
    if (idx < to) {
      if (report_idle(fw, idx, now) != 0) {
        a->pos = idx;  /* event ring full: resume at this flow */
        a->scanned += seen;
        fw->cnt[NSGNIC_FWCNT_FLOWS_SCANNED] += seen;
        return work;
      }
      seen++;
      work++;
    }
    a->pos = from + seen;
    a->scanned += seen;
    fw->cnt[NSGNIC_FWCNT_FLOWS_SCANNED] += seen;
    budget -= seen;
  }
  /* then the DRAM tier (unified slots n..): one read per bucket finds its flows (the directory's
   * valid bits), then one read per flow; idle ones are reported like the cache's */
  uint32_t total = flow_slots(h), ways = h->dram_ways;
  while (budget > 0 && a->pos >= n && a->pos < total) {
    uint32_t s = a->pos - n, e[FW_FLOW_WORDS], vmask = 0;
    if (h->ops->dram_flow(h->ctx, s, 0, e, &vmask) != FW_HAL_OK) {
      FW_COUNT(fw, HW_ERRORS);
      a->pos = total;  /* the tier fails: end the pass rather than loop on it */
      break;
    }
    budget--;
    uint32_t way = s & (ways - 1);
    if (FW_GET32(e, FLOW_VALID) &&
        ((now - (uint32_t)FW_GET32(e, FLOW_TIMESTAMP)) & FLOW_TS_MASK) >= a->threshold) {
      if (report_idle(fw, a->pos, now) != 0)
        return work;  /* event ring full: resume at this flow */
      work++;
    }
    a->scanned++;
    fw->cnt[NSGNIC_FWCNT_FLOWS_SCANNED]++;
    uint32_t later = way + 1 < ways ? vmask & ~((2u << way) - 1u) : 0;
    if (ways < 32)
      later &= (1u << ways) - 1u;
    uint32_t next = s - way + ways;  /* the next bucket */
    if (later) {
      uint32_t w = way + 1;
      while (!(later & (1u << w)))
        w++;
      next = s - way + w;
    }
    a->pos = n + next;
  }
  if (a->pos >= total) {
    a->in_pass = 0;
    a->done_pending = 1;
    post_done(fw);  /* or on a later turn when the event ring is full */
  }
  return work + 1;
}

/* Drops the frame parked in `slot` (expiry, no room to report it); a failure is counted. */
static void park_drop(struct fw *fw, uint32_t slot)
{
  const struct fw_hal *h = fw->hal;
  if (h->ops->exc_release(h->ctx, slot, 0, 0) != FW_HAL_OK)
    FW_COUNT(fw, HW_ERRORS);
  fw->park[slot].used = 0;
}

static void evt_lost(struct fw *fw)
{
  fw->evt_lost++;
  FW_COUNT(fw, EVT_LOST);
  fw_win_wr(fw->hal, NSGNIC_HOSTREG_EVT_LOST, fw->evt_lost);
}

/* Parked packets the host left unanswered for EXC_PARK_TIMEOUT ticks are dropped, so a host
 * that stops answering cannot keep the slots (and with them every later punt) forever. */
static unsigned park_expire(struct fw *fw)
{
  const struct fw_hal *h = fw->hal;
  uint32_t now = h->ops->ticks(h->ctx);
  unsigned n = 0;
  for (uint32_t i = 0; i < h->exc_slots && i < FW_PARK_SLOTS; i++) {
    if (fw->park[i].used && now - fw->park[i].since >= NSGNIC_EXC_PARK_TIMEOUT) {
      park_drop(fw, i);
      FW_COUNT(fw, EXC_EXPIRED);
      n++;
    }
  }
  return n;
}

unsigned fw_exc_step(struct fw *fw)
{
  const struct fw_hal *h = fw->hal;
  unsigned done = park_expire(fw);
  unsigned taken = 0;
  /* without park slots a packet waits in the datapath's queue while the ring is full */
  while (taken < FW_EXCS_PER_POLL && (h->exc_slots || fw_evt_room(fw) > 0)) {
    uint32_t p[FW_EXC_WORDS];
    uint32_t words = 0, slot = FW_EXC_NO_SLOT;
    if (h->ops->exc_pop(h->ctx, p, &words, &slot) != 1)
      break;
    taken++;
    if (words > FW_EXC_WORDS)
      words = FW_EXC_WORDS;  /* backend contract; never read past the buffer */
    int parked = slot < h->exc_slots && slot < FW_PARK_SLOTS;
    if (parked && fw->park[slot].used) {
      /* the device reused a slot the firmware still tracks: the old packet is gone */
      FW_COUNT(fw, HW_ERRORS);
      fw->park[slot].used = 0;
    }
    FW_PUT32(p, P_EXC_PARKED, parked ? 1u : 0u);
    uint32_t token = fw->evt_head;  /* the sequence word fw_evt_post gives this event */
    if (fw_evt_post(fw, NSGNIC_EVT_EXCEPTION, p, words) != 0) {
      /* ring full (parked packets are not kept for a host that does not read events) or made
         bad by the host between the check and the post: the packet is lost */
      evt_lost(fw);
      if (parked)
        park_drop(fw, slot);
      if (!h->exc_slots)
        break;
      continue;
    }
    if (parked) {
      fw->park[slot].used = 1;
      fw->park[slot].token = token;
      fw->park[slot].since = h->ops->ticks(h->ctx);
    }
    FW_COUNT(fw, EXCEPTIONS);
    done++;
  }
  return done;
}

/* Boot after a firmware-only restart: the datapath may still hold frames parked for the
 * previous run. Those still queued were never reported: they are reported now (new tokens).
 * Those already reported carry tokens of the old run that no host can use any more, and nothing
 * would ever release or expire them (the slots, and with them every later punt, would be lost):
 * they are dropped and counted as expired. Slots taken after the first read are not touched. */
void fw_exc_boot(struct fw *fw)
{
  const struct fw_hal *h = fw->hal;
  uint32_t parked = 0, queued = 0;
  if (!h->exc_slots || !h->ops->exc_state || fw->state != NSGNIC_FW_STATE_READY)
    return;
  if (h->ops->exc_state(h->ctx, &parked, &queued) != FW_HAL_OK) {
    FW_COUNT(fw, HW_ERRORS);
    return;
  }
  /* the queue is FIFO: once `queued` packets are taken, every packet queued at the read is */
  for (uint32_t taken = 0, turns = 0; taken < queued && turns <= FW_PARK_SLOTS; turns++) {
    unsigned k = fw_exc_step(fw);
    if (k == 0)
      break;
    taken += k;
  }
  for (uint32_t i = 0; i < h->exc_slots && i < FW_PARK_SLOTS; i++)
    if (((parked >> i) & 1u) && !fw->park[i].used) {
      park_drop(fw, i);
      FW_COUNT(fw, EXC_EXPIRED);
    }
}

uint32_t fw_cmd_exc_release(struct fw *fw, const uint32_t *p, uint32_t len, uint32_t *out,
                            uint32_t *out_len)
{
  (void)len, (void)out;
  const struct fw_hal *h = fw->hal;
  uint32_t token = p[FW_W(P_XREL_TOKEN)];
  uint32_t port = (uint32_t)FW_GET32(p, P_XREL_OUT_PORT);
  uint32_t action = (uint32_t)FW_GET32(p, P_XREL_ACTION);
  *out_len = 0;
  if (!h->exc_slots)
    return NSGNIC_STATUS_UNSUPPORTED;
  if (FW_GET32(p, P_XREL_RESERVED) != 0)
    return NSGNIC_STATUS_BAD_FIELD;
  if (action != NSGNIC_ACTION_ALLOW && action != NSGNIC_ACTION_DENY)
    return NSGNIC_STATUS_BAD_FIELD;
  /* OUT_PORT: PORT layout, upper bits zero; a VF port names an existing vport */
  if ((port >> (NSGNIC_PORT_KIND_LSB + NSGNIC_PORT_KIND_W)) != 0)
    return NSGNIC_STATUS_BAD_FIELD;
  if (action == NSGNIC_ACTION_ALLOW && FW_GET32(&port, PORT_KIND) == NSGNIC_PORT_KIND_VF &&
      FW_GET32(&port, PORT_ID) >= h->vports)
    return NSGNIC_STATUS_BAD_FIELD;
  uint32_t slot = FW_PARK_SLOTS;
  for (uint32_t i = 0; i < h->exc_slots && i < FW_PARK_SLOTS; i++)
    if (fw->park[i].used && fw->park[i].token == token)
      slot = i;
  if (slot == FW_PARK_SLOTS)
    return NSGNIC_STATUS_NOT_FOUND;
  uint32_t fwd = action == NSGNIC_ACTION_ALLOW;
  fw->park[slot].used = 0;
  if (h->ops->exc_release(h->ctx, slot, fwd, fwd ? port : 0) != FW_HAL_OK) {
    FW_COUNT(fw, HW_ERRORS);
    return NSGNIC_STATUS_HW_ERROR;
  }
  if (fwd)
    FW_COUNT(fw, EXC_FORWARDED);
  else
    FW_COUNT(fw, EXC_DROPPED);
  return NSGNIC_STATUS_OK;
}
