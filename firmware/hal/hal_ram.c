/* SPDX-License-Identifier: Apache-2.0 */
/* RAM backend of the firmware HAL (see hal_ram.h). Every operation re-checks its index against
 * the table size and fails with FW_HAL_EHW instead of touching memory outside the arrays. */
#include "hal_ram.h"

static struct fw_ram *R(void *ctx) { return (struct fw_ram *)ctx; }

static int take_fail(struct fw_ram *r)
{
  if (r->fail == 0)
    return 0;
  r->fail--;
  return 1;
}

static uint32_t tsize(const struct fw_ram *r, unsigned table)
{
  switch (table) {
  case 0: return r->hal->rule_entries;
  case 1: return r->hal->label_entries;
  case 2: return r->hal->platform_entries;
  default: return 0;
  }
}

static int ram_tcam_write(void *ctx, unsigned table, uint32_t index, const uint32_t *key,
                          const uint32_t *mask, const uint32_t *res, uint32_t valid)
{
  struct fw_ram *r = R(ctx);
  if (take_fail(r) || index >= tsize(r, table))
    return FW_HAL_EHW;
  struct fw_tcam_entry *d = &r->tcam[table][index];
  for (uint32_t i = 0; i < FW_KEY_WORDS; i++) {
    d->key[i] = key[i];
    d->mask[i] = mask[i];
  }
  for (uint32_t i = 0; i < FW_RES_WORDS; i++)
    d->res[i] = res[i];
  d->valid = valid;
  r->tcam_writes++;
  return FW_HAL_OK;
}

static int ram_tcam_read(void *ctx, unsigned table, uint32_t index, struct fw_tcam_entry *e)
{
  struct fw_ram *r = R(ctx);
  if (take_fail(r) || index >= tsize(r, table))
    return FW_HAL_EHW;
  const uint32_t *src = (const uint32_t *)&r->tcam[table][index];
  uint32_t *d = (uint32_t *)e;
  for (uint32_t i = 0; i < sizeof(*e) / 4u; i++)
    d[i] = src[i];
  return FW_HAL_OK;
}

static int ram_bank_set(void *ctx, uint32_t bank)
{
  struct fw_ram *r = R(ctx);
  if (take_fail(r) || bank > 1)
    return FW_HAL_EHW;
  r->bank = bank;
  return FW_HAL_OK;
}

static int ram_bank_get(void *ctx, uint32_t *bank)
{
  struct fw_ram *r = R(ctx);
  if (take_fail(r))
    return FW_HAL_EHW;
  *bank = r->bank;
  return FW_HAL_OK;
}

static int ram_gen_set(void *ctx, uint32_t gen)
{
  struct fw_ram *r = R(ctx);
  if (take_fail(r))
    return FW_HAL_EHW;
  r->gen = gen & 0xffu;
  return FW_HAL_OK;
}

static int ram_bind_write(void *ctx, uint32_t bank, uint32_t vport,
                          const uint32_t e[NSGNIC_BINDING_WORDS])
{
  struct fw_ram *r = R(ctx);
  if (take_fail(r) || bank > 1 || vport >= r->hal->vports)
    return FW_HAL_EHW;
  for (uint32_t i = 0; i < NSGNIC_BINDING_WORDS; i++)
    r->bind[bank][vport][i] = e[i];
  return FW_HAL_OK;
}

static int ram_bind_read(void *ctx, uint32_t bank, uint32_t vport, uint32_t e[NSGNIC_BINDING_WORDS])
{
  struct fw_ram *r = R(ctx);
  if (take_fail(r) || bank > 1 || vport >= r->hal->vports)
    return FW_HAL_EHW;
  for (uint32_t i = 0; i < NSGNIC_BINDING_WORDS; i++)
    e[i] = r->bind[bank][vport][i];
  return FW_HAL_OK;
}

static int flow_valid(const uint32_t *e) { return (int)FW_GET32(e, FLOW_VALID); }

static int ram_flow_read(void *ctx, uint32_t index, uint32_t e[FW_FLOW_WORDS])
{
  struct fw_ram *r = R(ctx);
  if (take_fail(r) || index >= r->hal->flow_entries)
    return FW_HAL_EHW;
  if (!flow_valid(r->flow[index]))
    return FW_HAL_ENOENT;
  for (uint32_t i = 0; i < FW_FLOW_WORDS; i++)
    e[i] = r->flow[index][i];
  return FW_HAL_OK;
}

static int key_eq(const uint32_t *a, const uint32_t *b)
{
  for (uint32_t bit = 0; bit < NSGNIC_FLOW_KEY_BITS; bit += 8)
    if (((a[bit >> 5] ^ b[bit >> 5]) >> (bit & 31u)) & 0xffu)
      return 0;
  return 1;
}

static uint32_t key_hash(const struct fw_ram *r, const uint32_t *e)
{
  uint32_t h = 2166136261u;
  for (uint32_t i = 0; i < (uint32_t)NSGNIC_FLOW_HKEY_WORDS; i++)
    h = (h ^ r->hkey[i]) * 16777619u;
  for (uint32_t bit = 0; bit < NSGNIC_FLOW_KEY_BITS; bit += 8)
    h = (h ^ ((e[bit >> 5] >> (bit & 31u)) & 0xffu)) * 16777619u;
  return h;
}

static int ram_flow_insert(void *ctx, const uint32_t e[FW_FLOW_WORDS], uint32_t *index)
{
  struct fw_ram *r = R(ctx);
  uint32_t n = r->hal->flow_entries;
  if (take_fail(r) || n == 0)
    return FW_HAL_EHW;
  uint32_t h = key_hash(r, e) % n, free_slot = n;
  for (uint32_t k = 0; k < FW_RAM_PROBE && k < n; k++) {
    uint32_t s = (h + k) % n;
    if (flow_valid(r->flow[s])) {
      if (key_eq(r->flow[s], e))
        return FW_HAL_EEXIST;
    } else if (free_slot == n) {
      free_slot = s;
    }
  }
  if (free_slot == n)
    return FW_HAL_ENOSPC;
  for (uint32_t i = 0; i < FW_FLOW_WORDS; i++)
    r->flow[free_slot][i] = e[i];
  *index = free_slot;
  return FW_HAL_OK;
}

static int ram_flow_delete(void *ctx, uint32_t index)
{
  struct fw_ram *r = R(ctx);
  if (take_fail(r) || index >= r->hal->flow_entries)
    return FW_HAL_EHW;
  for (uint32_t i = 0; i < FW_FLOW_WORDS; i++)
    r->flow[index][i] = 0;
  return FW_HAL_OK;
}

/* The aging inner loop, written for the soft-core: per slot two loads (the VALID word and the
 * TIMESTAMP word), the valid bit moved to the sign, and the 16-bit idle time compared in the
 * top half of a word (no masking); two slots per iteration. */
enum {
  RAM_VALID_W = NSGNIC_FLOW_VALID_LSB / 32, RAM_VALID_TO_SIGN = 31 - NSGNIC_FLOW_VALID_LSB % 32,
  RAM_TS_W = NSGNIC_FLOW_TIMESTAMP_LSB / 32,
};
_Static_assert(NSGNIC_FLOW_TIMESTAMP_LSB % 32 == 0 && NSGNIC_FLOW_TIMESTAMP_W == 16,
               "TIMESTAMP is the low half of its word");

static uint32_t ram_flow_next_idle(void *ctx, uint32_t from, uint32_t to, uint32_t now,
                                   uint32_t threshold)
{
  struct fw_ram *r = R(ctx);
  if (to > r->hal->flow_entries)
    to = r->hal->flow_entries;
  if (from >= to)
    return to;
  const uint32_t thr = threshold << 16;
  const uint32_t *base = r->flow[0], *p = r->flow[from], *end = r->flow[to];
  const uint32_t *end4 = p + ((to - from) & ~3u) * FW_FLOW_WORDS;  /* groups of four */
#define RAM_IDLE(q) \
  ((int32_t)((q)[RAM_VALID_W] << RAM_VALID_TO_SIGN) < 0 && ((now - (q)[RAM_TS_W]) << 16) >= thr)
  for (; p < end4; p += 4 * FW_FLOW_WORDS) {
    if (RAM_IDLE(p))
      goto found;
    if (RAM_IDLE(p + FW_FLOW_WORDS)) {
      p += FW_FLOW_WORDS;
      goto found;
    }
    if (RAM_IDLE(p + 2 * FW_FLOW_WORDS)) {
      p += 2 * FW_FLOW_WORDS;
      goto found;
    }
    if (RAM_IDLE(p + 3 * FW_FLOW_WORDS)) {
      p += 3 * FW_FLOW_WORDS;
      goto found;
    }
  }
  for (; p < end; p += FW_FLOW_WORDS)
    if (RAM_IDLE(p))
      goto found;
#undef RAM_IDLE
  r->flow_scanned += to - from;
  return to;
found:;
  uint32_t i = (uint32_t)(p - base) / FW_FLOW_WORDS;
  r->flow_scanned += i + 1 - from;
  return i;
}

static uint32_t ram_flow_now(void *ctx) { return R(ctx)->now; }

static int ram_counter_read(void *ctx, uint32_t id, uint64_t *value)
{
  struct fw_ram *r = R(ctx);
  if (take_fail(r) || id >= r->hal->dp_counters)
    return FW_HAL_EHW;
  *value = r->dp_cnt[id];
  return FW_HAL_OK;
}

static int ram_exc_pop(void *ctx, uint32_t p[FW_EXC_WORDS], uint32_t *words, uint32_t *slot)
{
  struct fw_ram *r = R(ctx);
  if (r->exc_head == r->exc_tail)
    return 0;
  uint32_t s = r->exc_tail % FW_RAM_EXCQ;
  for (uint32_t i = 0; i < FW_EXC_WORDS; i++)
    p[i] = r->excq[s][i];
  *words = r->excq_words[s];
  *slot = r->excq_slot[s];
  r->exc_tail++;
  return 1;
}

static int ram_exc_state(void *ctx, uint32_t *parked, uint32_t *queued)
{
  struct fw_ram *r = R(ctx);
  *parked = r->parked;
  *queued = r->exc_head - r->exc_tail;
  return FW_HAL_OK;
}

static int ram_exc_release(void *ctx, uint32_t slot, uint32_t forward, uint32_t port)
{
  struct fw_ram *r = R(ctx);
  if (take_fail(r) || slot >= r->hal->exc_slots || slot >= FW_PARK_SLOTS || !((r->parked >> slot) & 1u))
    return FW_HAL_EHW;
  r->parked &= ~(1u << slot);
  if (forward)
    r->rel_forwarded++;
  else
    r->rel_dropped++;
  r->rel_last_slot = slot;
  r->rel_last_port = port;
  return FW_HAL_OK;
}

static uint32_t ram_ticks(void *ctx)
{
  struct fw_ram *r = R(ctx);
  uint32_t t = r->ticks;
  r->ticks += r->tick_step;
  return t;
}

static int ram_prange_write(void *ctx, uint32_t field, uint32_t k, uint32_t value)
{
  struct fw_ram *r = R(ctx);
  if (take_fail(r) || field > 1 || k >= r->hal->port_classes || k >= NSGNIC_PORT_CLASSES)
    return FW_HAL_EHW;
  r->prange[field][k] = value;
  return FW_HAL_OK;
}

static int ram_prange_read(void *ctx, uint32_t field, uint32_t k, uint32_t *value)
{
  struct fw_ram *r = R(ctx);
  if (take_fail(r) || field > 1 || k >= r->hal->port_classes || k >= NSGNIC_PORT_CLASSES)
    return FW_HAL_EHW;
  *value = r->prange[field][k];
  return FW_HAL_OK;
}

static int ram_flow_hash_key(void *ctx, const uint32_t *hkey)
{
  struct fw_ram *r = R(ctx);
  if (take_fail(r))
    return FW_HAL_EHW;
  for (uint32_t i = 0; i < (uint32_t)NSGNIC_FLOW_HKEY_WORDS; i++)
    r->hkey[i] = hkey[i];
  r->hkey_sets++;
  return FW_HAL_OK;
}

static int ram_age_set(void *ctx, uint32_t enable, const uint32_t to[4])
{
  struct fw_ram *r = R(ctx);
  if (take_fail(r))
    return FW_HAL_EHW;
  r->age_en = enable;
  for (uint32_t c = 0; c < 4; c++)
    r->age_to[c] = to[c];
  return FW_HAL_OK;
}

static int ram_lpm_stage(void *ctx, uint32_t off, const uint32_t *w, uint32_t n)
{
  struct fw_ram *r = R(ctx);
  if (take_fail(r) || !r->hal->lpm_levels || off + n > (uint32_t)NSGNIC_CSR_LPM_DATA_WORDS)
    return FW_HAL_EHW;
  for (uint32_t i = 0; i < n; i++)
    r->lpm_data[off + i] = w[i];
  return FW_HAL_OK;
}

static int ram_lpm_write(void *ctx, uint32_t family, uint32_t bank, uint32_t level, uint32_t index)
{
  struct fw_ram *r = R(ctx);
  if (take_fail(r) || !r->hal->lpm_levels || family > 1 || bank > 1 || level > r->hal->lpm_levels)
    return FW_HAL_EHW;
  struct fw_ram_lpm_write *l = &r->lpm_log[r->lpm_writes % FW_RAM_LPM_LOG];
  l->fam = family;
  l->bank = bank;
  l->level = level;
  l->index = index;
  for (uint32_t i = 0; i < (uint32_t)NSGNIC_CSR_LPM_DATA_WORDS; i++)
    l->data[i] = r->lpm_data[i];
  r->lpm_writes++;
  return FW_HAL_OK;
}

static int ram_age_pop(void *ctx, uint32_t *index, uint32_t e[FW_FLOW_WORDS])
{
  struct fw_ram *r = R(ctx);
  if (r->age_head == r->age_tail)
    return 0;
  const uint32_t *q = r->ageq[r->age_head % FW_RAM_EXCQ];
  *index = q[0];
  for (uint32_t i = 0; i < FW_FLOW_WORDS; i++)
    e[i] = q[1 + i];
  r->age_head++;
  return 1;
}

int fw_ram_age_push(struct fw_ram *ram, uint32_t index, const uint32_t *e)
{
  if (ram->age_tail - ram->age_head >= FW_RAM_EXCQ)
    return -1;
  uint32_t *q = ram->ageq[ram->age_tail % FW_RAM_EXCQ];
  q[0] = index;
  for (uint32_t i = 0; i < FW_FLOW_WORDS; i++)
    q[1 + i] = e[i];
  if (index < ram->hal->flow_entries)
    for (uint32_t i = 0; i < FW_FLOW_WORDS; i++)
      ram->flow[index][i] = 0;
  ram->age_tail++;
  return 0;
}

const struct fw_hal_ops fw_ram_ops = {
  .tcam_write = ram_tcam_write,
  .tcam_read = ram_tcam_read,
  .bank_set = ram_bank_set,
  .bank_get = ram_bank_get,
  .exc_state = ram_exc_state,
  .gen_set = ram_gen_set,
  .bind_write = ram_bind_write,
  .bind_read = ram_bind_read,
  .flow_read = ram_flow_read,
  .flow_insert = ram_flow_insert,
  .flow_delete = ram_flow_delete,
  .flow_next_idle = ram_flow_next_idle,
  .flow_now = ram_flow_now,
  .counter_read = ram_counter_read,
  .exc_pop = ram_exc_pop,
  .exc_release = ram_exc_release,
  .ticks = ram_ticks,
  .prange_write = ram_prange_write,
  .prange_read = ram_prange_read,
  .flow_hash_key = ram_flow_hash_key,
  .age_set = ram_age_set,
  .age_pop = ram_age_pop,
  .lpm_stage = ram_lpm_stage,
  .lpm_write = ram_lpm_write,
};

void fw_ram_attach(struct fw_hal *hal, struct fw_ram *ram, volatile uint32_t *win)
{
  ram->hal = hal;
  hal->win = win;
  hal->ops = &fw_ram_ops;
  hal->ctx = ram;
}

int fw_ram_exc_push(struct fw_ram *ram, const uint32_t *p, uint32_t words)
{
  if (ram->exc_head - ram->exc_tail >= FW_RAM_EXCQ || words > FW_EXC_WORDS)
    return -1;
  uint32_t slot = FW_EXC_NO_SLOT;
  for (uint32_t i = 0; i < ram->hal->exc_slots && i < FW_PARK_SLOTS && slot == FW_EXC_NO_SLOT; i++)
    if (!((ram->parked >> i) & 1u))
      slot = i;
  if (ram->hal->exc_slots && slot == FW_EXC_NO_SLOT)
    return -1;
  if (slot != FW_EXC_NO_SLOT)
    ram->parked |= 1u << slot;
  uint32_t s = ram->exc_head % FW_RAM_EXCQ;
  ram->excq_slot[s] = slot;
  for (uint32_t i = 0; i < FW_EXC_WORDS; i++)
    ram->excq[s][i] = i < words ? p[i] : 0;
  ram->excq_words[s] = words;
  ram->exc_head++;
  return 0;
}
