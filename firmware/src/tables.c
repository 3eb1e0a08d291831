/* SPDX-License-Identifier: Apache-2.0 */
/* Table managers: TCAM entry writes/reads with the shadow-bank rule, banked vport bindings, and
 * the atomic commit (bank flip).
 *
 * Shadow-bank rule. Every TCAM key has a BANK bit. An entry whose mask cares about BANK takes
 * part in lookups only while that bank is active; one that does not care is live in both. The
 * firmware keeps 2 bits per entry saying in which banks it is live (learned from the tables at
 * boot, updated on every write). A write that would change what the ACTIVE bank looks up — the
 * entry is live there now or will be after the write — is refused with STATUS_LIVE_ENTRY unless
 * the command sets TCAM_FLAG_LIVE. So the normal update is: write the inactive bank, then
 * CMD_COMMIT flips the active-bank register in one write and traffic sees either the old or the
 * new rule set, never a mixture. */
#include "fw.h"

static const uint32_t key_bits[FW_TABLES] = {
  NSGNIC_RULE_KEY_BITS, NSGNIC_LABEL_KEY_BITS, NSGNIC_PLATFORM_KEY_BITS};
static const uint32_t res_bits[FW_TABLES] = {
  NSGNIC_RESULT_BITS, NSGNIC_LABEL_RESULT_BITS, NSGNIC_RESULT_BITS};
static const uint32_t bank_lsb[FW_TABLES] = {
  NSGNIC_RULE_KEY_BANK_LSB, NSGNIC_LABEL_KEY_BANK_LSB, NSGNIC_PLATFORM_KEY_BANK_LSB};
static const uint32_t live_base[FW_TABLES] = {
  0, NSGNIC_RULE_ENTRIES, NSGNIC_RULE_ENTRIES + NSGNIC_LABEL_ENTRIES};

_Static_assert(NSGNIC_RULE_KEY_BITS <= 32 * FW_KEY_WORDS, "rule key fits");
_Static_assert(NSGNIC_LABEL_KEY_BITS <= 32 * FW_KEY_WORDS, "label key fits");
_Static_assert(NSGNIC_LABEL_RESULT_BITS <= 32 * FW_RES_WORDS, "label result fits");
_Static_assert(NSGNIC_TABLE_RULE == 0 && NSGNIC_TABLE_LABEL == 1 && NSGNIC_TABLE_PLATFORM == 2,
               "table codes index the arrays above");

uint32_t fw_table_size(const struct fw *fw, uint32_t table)
{
  const struct fw_hal *h = fw->hal;
  switch (table) {
  case NSGNIC_TABLE_RULE: return h->rule_entries;
  case NSGNIC_TABLE_LABEL: return h->label_entries;
  case NSGNIC_TABLE_PLATFORM: return h->platform_entries;
  default: return 0;
  }
}

uint32_t fw_live_get(const struct fw *fw, uint32_t table, uint32_t index)
{
  uint32_t g = live_base[table] + index;
  return (fw->live[g >> 2] >> ((g & 3u) * 2u)) & 3u;
}

static void live_set(struct fw *fw, uint32_t table, uint32_t index, uint32_t cls)
{
  uint32_t g = live_base[table] + index;
  uint32_t sh = (g & 3u) * 2u;
  fw->live[g >> 2] = (uint8_t)((fw->live[g >> 2] & ~(3u << sh)) | (cls << sh));
}

uint32_t fw_live_class(uint32_t table, const uint32_t *key, const uint32_t *mask, uint32_t valid)
{
  if (!valid)
    return FW_LIVE_NONE;
  uint32_t b = bank_lsb[table];
  if (!((mask[b >> 5] >> (b & 31u)) & 1u))
    return FW_LIVE_BOTH;
  return ((key[b >> 5] >> (b & 31u)) & 1u) ? FW_LIVE_B1 : FW_LIVE_B0;
}

void fw_live_init(struct fw *fw)
{
  const struct fw_hal *h = fw->hal;
  for (uint32_t t = 0; t < FW_TABLES; t++) {
    uint32_t n = fw_table_size(fw, t);
    for (uint32_t i = 0; i < n; i++) {
      struct fw_tcam_entry e;
      uint32_t cls = FW_LIVE_BOTH;  /* unreadable: assume live (fail closed) */
      if (h->ops->tcam_read(h->ctx, t, i, &e) == FW_HAL_OK)
        cls = fw_live_class(t, e.key, e.mask, e.valid);
      else
        FW_COUNT(fw, HW_ERRORS);
      live_set(fw, t, i, cls);
    }
  }
}

/* Bits [from, 32*words) of w are all zero. */
static int zero_above(const uint32_t *w, uint32_t words, uint32_t from)
{
  for (uint32_t i = from >> 5; i < words; i++) {
    uint32_t keep = i == (from >> 5) && (from & 31u) ? FW_MASK32(from & 31u) : 0u;
    if (w[i] & ~keep)
      return 0;
  }
  return 1;
}

/* Validates an entry for `table`; returns STATUS_OK or STATUS_BAD_FIELD. */
static uint32_t check_entry(uint32_t table, const uint32_t *key, const uint32_t *mask,
                            const uint32_t *res)
{
  if (!zero_above(key, FW_KEY_WORDS, key_bits[table]) ||
      !zero_above(mask, FW_KEY_WORDS, key_bits[table]) ||
      !zero_above(res, FW_RES_WORDS, res_bits[table]))
    return NSGNIC_STATUS_BAD_FIELD;
  for (uint32_t i = 0; i < FW_KEY_WORDS; i++)
    if (key[i] & ~mask[i])
      return NSGNIC_STATUS_BAD_FIELD;  /* value bit where the entry does not care */
  switch (table) {
  case NSGNIC_TABLE_RULE:
    if (FW_GET32(mask, RULE_KEY_RESERVED) || FW_GET32(res, RESULT_RESERVED) ||
        FW_GET32(res, RESULT_PLATFORM_CLASS))
      return NSGNIC_STATUS_BAD_FIELD;
    break;
  case NSGNIC_TABLE_LABEL:
    if (FW_GET32(mask, LABEL_KEY_RESERVED) || FW_GET32(res, LABEL_RESULT_RESERVED))
      return NSGNIC_STATUS_BAD_FIELD;
    break;
  default: /* platform */
    if (FW_GET32(mask, PLATFORM_KEY_RESERVED) || FW_GET32(res, RESULT_RESERVED) ||
        FW_GET32(res, RESULT_PLATFORM_EXEMPT) ||
        FW_GET32(res, RESULT_PLATFORM_CLASS) > NSGNIC_PLATFORM_CLASS_BLOCK)
      return NSGNIC_STATUS_BAD_FIELD;
    break;
  }
  return NSGNIC_STATUS_OK;
}

uint32_t fw_cmd_tcam_write(struct fw *fw, const uint32_t *p, uint32_t len, uint32_t *out,
                           uint32_t *out_len)
{
  (void)len;
  (void)out;
  *out_len = 0;
  uint32_t w0 = p[0];
  uint32_t table = (uint32_t)FW_GET32(&w0, P_TCAM_TABLE);
  uint32_t flags = (uint32_t)FW_GET32(&w0, P_TCAM_FLAGS);
  uint32_t index = p[FW_W(P_TCAM_INDEX)];
  if (table >= FW_TABLES)
    return NSGNIC_STATUS_BAD_TABLE;
  if (flags & ~((1u << NSGNIC_TCAM_FLAG_VALID) | (1u << NSGNIC_TCAM_FLAG_LIVE)))
    return NSGNIC_STATUS_BAD_FLAGS;
  if (FW_GET32(&w0, P_TCAM_RESERVED))
    return NSGNIC_STATUS_BAD_FIELD;
  if (index >= fw_table_size(fw, table))
    return NSGNIC_STATUS_BAD_INDEX;
  /* the payload already has the HAL's layout: key, mask and result words in a row */
  const uint32_t *key = p + FW_W(P_TCAM_KEY), *mask = p + FW_W(P_TCAM_MASK);
  const uint32_t *res = p + FW_W(P_TCAM_RESULT);
  uint32_t valid = (flags >> NSGNIC_TCAM_FLAG_VALID) & 1u;
  uint32_t st = check_entry(table, key, mask, res);
  if (st != NSGNIC_STATUS_OK)
    return st;
  uint32_t cls = fw_live_class(table, key, mask, valid);
  uint32_t active = 1u << fw->bank;
  if (((fw_live_get(fw, table, index) | cls) & active) && !(flags & (1u << NSGNIC_TCAM_FLAG_LIVE)))
    return NSGNIC_STATUS_LIVE_ENTRY;
  const struct fw_hal *h = fw->hal;
  if (h->ops->tcam_write(h->ctx, table, index, key, mask, res, valid) != FW_HAL_OK) {
    live_set(fw, table, index, FW_LIVE_BOTH);  /* unknown contents: treat as live */
    FW_COUNT(fw, HW_ERRORS);
    return NSGNIC_STATUS_HW_ERROR;
  }
  live_set(fw, table, index, cls);
  FW_COUNT(fw, TCAM_WRITES);
  return NSGNIC_STATUS_OK;
}

uint32_t fw_cmd_tcam_read(struct fw *fw, const uint32_t *p, uint32_t len, uint32_t *out,
                          uint32_t *out_len)
{
  (void)len;
  uint32_t w0 = p[0];
  uint32_t table = (uint32_t)FW_GET32(&w0, P_TSEL_TABLE);
  uint32_t index = p[FW_W(P_TSEL_INDEX)];
  if (table >= FW_TABLES)
    return NSGNIC_STATUS_BAD_TABLE;
  if (FW_GET32(&w0, P_TSEL_RESERVED))
    return NSGNIC_STATUS_BAD_FIELD;
  if (index >= fw_table_size(fw, table))
    return NSGNIC_STATUS_BAD_INDEX;
  struct fw_tcam_entry e;
  const struct fw_hal *h = fw->hal;
  if (h->ops->tcam_read(h->ctx, table, index, &e) != FW_HAL_OK) {
    FW_COUNT(fw, HW_ERRORS);
    return NSGNIC_STATUS_HW_ERROR;
  }
  out[0] = 0;
  FW_PUT32(&out[0], P_TCAM_TABLE, table);
  FW_PUT32(&out[0], P_TCAM_FLAGS, (e.valid & 1u) << NSGNIC_TCAM_FLAG_VALID);
  out[FW_W(P_TCAM_INDEX)] = index;
  for (uint32_t i = 0; i < FW_KEY_WORDS; i++) {
    out[FW_W(P_TCAM_KEY) + i] = e.key[i];
    out[FW_W(P_TCAM_MASK) + i] = e.mask[i];
  }
  for (uint32_t i = 0; i < FW_RES_WORDS; i++)
    out[FW_W(P_TCAM_RESULT) + i] = e.res[i];
  *out_len = FW_W(P_TCAM_RESULT) + FW_RES_WORDS;
  return NSGNIC_STATUS_OK;
}

/* ---- vport bindings (banked) -------------------------------------------------------------
 * The binding table holds one entry per vport in each bank and the datapath reads the entry of
 * the active bank, so attachment changes (NIC or subnet NSG, label context, ASG membership)
 * switch at CMD_COMMIT together with the rules. BIND_WRITE writes the inactive bank and marks
 * the vport dirty; COMMIT flips, then copies every dirty vport's entry from the new active bank
 * to the new inactive one, so both banks agree again and the next update starts from the
 * committed state. BIND_FLAG_LIVE writes both banks at once (inactive first: if the active
 * write fails, the state is that of a plain banked write). A vport whose inactive entry is not
 * known to equal the active one (a failed write or copy, or the banks differed at boot) is
 * unsynced: the next COMMIT copies it BEFORE flipping and refuses to flip when it cannot, so a
 * flip never activates an entry the host did not write. */

static uint32_t map_get(const uint32_t *m, uint32_t v) { return (m[v >> 5] >> (v & 31u)) & 1u; }
static void map_set(uint32_t *m, uint32_t v, uint32_t on)
{
  m[v >> 5] = on ? m[v >> 5] | (1u << (v & 31u)) : m[v >> 5] & ~(1u << (v & 31u));
}

/* Copies vport v's entry from bank `from` to the other bank. */
static int bind_copy(struct fw *fw, uint32_t from, uint32_t v)
{
  const struct fw_hal *h = fw->hal;
  uint32_t e[NSGNIC_BINDING_WORDS];
  if (h->ops->bind_read(h->ctx, from, v, e) != FW_HAL_OK ||
      h->ops->bind_write(h->ctx, from ^ 1u, v, e) != FW_HAL_OK) {
    FW_COUNT(fw, HW_ERRORS);
    return FW_HAL_EHW;
  }
  return FW_HAL_OK;
}

void fw_bind_init(struct fw *fw)
{
  const struct fw_hal *h = fw->hal;
  for (uint32_t v = 0; v < h->vports && v < NSGNIC_VPORTS; v++) {
    uint32_t a[NSGNIC_BINDING_WORDS], b[NSGNIC_BINDING_WORDS], same = 1;
    if (h->ops->bind_read(h->ctx, 0, v, a) != FW_HAL_OK || h->ops->bind_read(h->ctx, 1, v, b) != FW_HAL_OK) {
      FW_COUNT(fw, HW_ERRORS);
      same = 0;
    }
    for (uint32_t i = 0; same && i < NSGNIC_BINDING_WORDS; i++)
      same = a[i] == b[i];
    map_set(fw->bind_unsynced, v, !same);
  }
}

/* Decodes the P_BIND VPORT word: STATUS_OK and *vport, *flags, or an error status. */
static uint32_t bind_sel(const struct fw *fw, uint32_t w0, uint32_t allowed, uint32_t *vport,
                         uint32_t *flags)
{
  *vport = (uint32_t)FW_GET32(&w0, P_BIND_VPORT);
  *flags = (uint32_t)FW_GET32(&w0, P_BIND_FLAGS);
  if (*flags & ~allowed)
    return NSGNIC_STATUS_BAD_FLAGS;
  if (FW_GET32(&w0, P_BIND_RESERVED))
    return NSGNIC_STATUS_BAD_FIELD;
  if (*vport >= fw->hal->vports || *vport >= NSGNIC_VPORTS)
    return NSGNIC_STATUS_BAD_INDEX;
  return NSGNIC_STATUS_OK;
}

uint32_t fw_cmd_bind_write(struct fw *fw, const uint32_t *p, uint32_t len, uint32_t *out,
                           uint32_t *out_len)
{
  (void)len;
  (void)out;
  *out_len = 0;
  uint32_t vport, flags;
  uint32_t st = bind_sel(fw, p[FW_W(P_BIND_VPORT)], 1u << NSGNIC_BIND_FLAG_LIVE, &vport, &flags);
  if (st != NSGNIC_STATUS_OK)
    return st;
  const uint32_t *e = p + FW_W(P_BIND_ENTRY);
  if (FW_GET32(e, BINDING_RESERVED0) || FW_GET32(e, BINDING_RESERVED1))
    return NSGNIC_STATUS_BAD_FIELD;
  /* The host checked the image (hostlib/src/image.c); checked again here, as untrusted input: an
   * NSG id behind a cleared valid bit (an NSG detached by an edit) and an unconfigured vport
   * with anything but zeros are refused. */
  if ((!FW_GET32(e, BINDING_SUBNET_NSG_VALID) && FW_GET32(e, BINDING_SUBNET_NSG)) ||
      (!FW_GET32(e, BINDING_NIC_NSG_VALID) && FW_GET32(e, BINDING_NIC_NSG)))
    return NSGNIC_STATUS_BAD_FIELD;
  /* per-vport label contexts: the datapath keeps CTX_BITS of LABEL_CTX, so a context beyond them
   * would silently search another one (without contexts the datapath ignores the field) */
  if (fw->hal->label_ctx && fw->hal->lpm_ctx_bits < 32u &&
      (uint32_t)FW_GET32(e, BINDING_LABEL_CTX) >> fw->hal->lpm_ctx_bits)
    return NSGNIC_STATUS_BAD_FIELD;
  if (!FW_GET32(e, BINDING_VALID))
    for (uint32_t i = 0; i < NSGNIC_BINDING_WORDS; i++)
      if (e[i])
        return NSGNIC_STATUS_BAD_FIELD;
  const struct fw_hal *h = fw->hal;
  uint32_t copy[NSGNIC_BINDING_WORDS];
  for (uint32_t i = 0; i < NSGNIC_BINDING_WORDS; i++)
    copy[i] = e[i];
  if (h->ops->bind_write(h->ctx, fw->bank ^ 1u, vport, copy) != FW_HAL_OK) {
    map_set(fw->bind_unsynced, vport, 1);  /* unknown contents: resync before the next flip */
    FW_COUNT(fw, HW_ERRORS);
    return NSGNIC_STATUS_HW_ERROR;
  }
  map_set(fw->bind_unsynced, vport, 0);
  map_set(fw->bind_dirty, vport, 1);
  if ((flags & (1u << NSGNIC_BIND_FLAG_LIVE)) &&
      h->ops->bind_write(h->ctx, fw->bank, vport, copy) != FW_HAL_OK) {
    FW_COUNT(fw, HW_ERRORS);
    return NSGNIC_STATUS_HW_ERROR;
  }
  return NSGNIC_STATUS_OK;
}

uint32_t fw_cmd_bind_read(struct fw *fw, const uint32_t *p, uint32_t len, uint32_t *out,
                          uint32_t *out_len)
{
  (void)len;
  uint32_t vport, flags;
  uint32_t st = bind_sel(fw, p[FW_W(P_BIND_VPORT)], 1u << NSGNIC_BIND_FLAG_SHADOW, &vport, &flags);
  if (st != NSGNIC_STATUS_OK)
    return st;
  uint32_t bank = (flags & (1u << NSGNIC_BIND_FLAG_SHADOW)) ? fw->bank ^ 1u : fw->bank;
  const struct fw_hal *h = fw->hal;
  uint32_t e[NSGNIC_BINDING_WORDS];
  if (h->ops->bind_read(h->ctx, bank, vport, e) != FW_HAL_OK) {
    FW_COUNT(fw, HW_ERRORS);
    return NSGNIC_STATUS_HW_ERROR;
  }
  out[FW_W(P_BIND_VPORT)] = p[FW_W(P_BIND_VPORT)];
  for (uint32_t i = 0; i < NSGNIC_BINDING_WORDS; i++)
    out[FW_W(P_BIND_ENTRY) + i] = e[i];
  *out_len = FW_W(P_BIND_ENTRY) + NSGNIC_BINDING_WORDS;
  return NSGNIC_STATUS_OK;
}

uint32_t fw_cmd_commit(struct fw *fw, const uint32_t *p, uint32_t len, uint32_t *out,
                       uint32_t *out_len)
{
  (void)len;
  uint32_t base = p[FW_W(P_COMMIT_BASE_VERSION)];
  uint32_t next = p[FW_W(P_COMMIT_NEW_VERSION)];
  if (base != fw->table_version)
    return NSGNIC_STATUS_STALE_VERSION;
  if (next == base)
    return NSGNIC_STATUS_BAD_FIELD;
  const struct fw_hal *h = fw->hal;
  /* unsynced vports first (invisible: the inactive bank), or no flip */
  for (uint32_t v = 0; v < h->vports && v < NSGNIC_VPORTS; v++)
    if (map_get(fw->bind_unsynced, v)) {
      if (bind_copy(fw, fw->bank, v) != FW_HAL_OK)
        return NSGNIC_STATUS_HW_ERROR;
      map_set(fw->bind_unsynced, v, 0);
    }
  uint32_t bank = fw->bank ^ 1u;
  if (h->ops->bank_set(h->ctx, bank) != FW_HAL_OK) {
    FW_COUNT(fw, HW_ERRORS);
    return NSGNIC_STATUS_HW_ERROR;
  }
  fw->bank = bank;
  fw->table_version = next;
  /* the new inactive bank catches up with the attachments just activated; a failed copy is
   * counted and left unsynced (the next COMMIT retries it before it flips) */
  for (uint32_t v = 0; v < h->vports && v < NSGNIC_VPORTS; v++)
    if (map_get(fw->bind_dirty, v)) {
      map_set(fw->bind_dirty, v, 0);
      if (bind_copy(fw, bank, v) != FW_HAL_OK)
        map_set(fw->bind_unsynced, v, 1);
    }
  /* Flows learned from now on carry the new generation (FLOW.GEN), so the host can tell flows
   * allowed by an older rule set and re-check them. Set after the flip: a flow learned in
   * between carries the old generation and is merely re-checked. A failure here does not undo
   * the commit (it happened); it is counted. */
  if (h->ops->gen_set(h->ctx, next) != FW_HAL_OK)
    FW_COUNT(fw, HW_ERRORS);
  /* the state the host may poll without a command (written before the completion) */
  fw_win_wr(h, NSGNIC_HOSTREG_TABLE_VERSION, next);
  fw_win_wr(h, NSGNIC_HOSTREG_ACTIVE_BANK, bank);
  FW_COUNT(fw, COMMITS);
  out[FW_W(P_COMMIT_BASE_VERSION)] = next;
  out[FW_W(P_COMMIT_NEW_VERSION)] = bank;
  *out_len = 2;
  return NSGNIC_STATUS_OK;
}

/* ---- port-range comparators ------------------------------------------------------------
 * The comparators are not banked: changing one changes the class bits of every packet at once.
 * So a write is refused (STATUS_LIVE_ENTRY, unless TCAM_FLAG_LIVE) while a rule entry that is
 * live in the active bank cares about that comparator's class bit. The update sequence is the
 * bank flip again: stage rules that do not use comparator k, COMMIT, rewrite k, then use it. */

static uint32_t prange_sel(struct fw *fw, const uint32_t *p, uint32_t *field, uint32_t *k)
{
  uint32_t w0 = p[0];
  *field = FW_GET32(&w0, P_PRANGE_FIELD);
  *k = FW_GET32(&w0, P_PRANGE_INDEX);
  if (fw->hal->port_classes == 0)
    return NSGNIC_STATUS_UNSUPPORTED;
  if (*field > 1 || FW_GET32(&w0, P_PRANGE_RESERVED))
    return NSGNIC_STATUS_BAD_FIELD;
  if (*k >= fw->hal->port_classes)
    return NSGNIC_STATUS_BAD_INDEX;
  return NSGNIC_STATUS_OK;
}

uint32_t fw_cmd_prange_write(struct fw *fw, const uint32_t *p, uint32_t len, uint32_t *out,
                             uint32_t *out_len)
{
  (void)len;
  (void)out;
  *out_len = 0;
  uint32_t field, k, w0 = p[0];
  uint32_t st = prange_sel(fw, p, &field, &k);
  if (st != NSGNIC_STATUS_OK)
    return st;
  uint32_t flags = FW_GET32(&w0, P_PRANGE_FLAGS);
  if (flags & ~(1u << NSGNIC_TCAM_FLAG_LIVE))
    return NSGNIC_STATUS_BAD_FLAGS;
  const struct fw_hal *h = fw->hal;
  if (!(flags & (1u << NSGNIC_TCAM_FLAG_LIVE))) {
    uint32_t bit = (field ? NSGNIC_RULE_KEY_DST_PORT_CLASS_LSB : NSGNIC_RULE_KEY_SRC_PORT_CLASS_LSB) + k;
    uint32_t active = 1u << fw->bank;
    for (uint32_t i = 0; i < h->rule_entries; i++) {
      if (!(fw_live_get(fw, NSGNIC_TABLE_RULE, i) & active))
        continue;
      struct fw_tcam_entry e;
      if (h->ops->tcam_read(h->ctx, NSGNIC_TABLE_RULE, i, &e) != FW_HAL_OK) {
        FW_COUNT(fw, HW_ERRORS);
        return NSGNIC_STATUS_HW_ERROR;
      }
      if ((e.mask[bit >> 5] >> (bit & 31u)) & 1u)
        return NSGNIC_STATUS_LIVE_ENTRY;
    }
  }
  if (h->ops->prange_write(h->ctx, field, k, p[FW_W(P_PRANGE_VALUE)]) != FW_HAL_OK) {
    FW_COUNT(fw, HW_ERRORS);
    return NSGNIC_STATUS_HW_ERROR;
  }
  return NSGNIC_STATUS_OK;
}

uint32_t fw_cmd_prange_read(struct fw *fw, const uint32_t *p, uint32_t len, uint32_t *out,
                            uint32_t *out_len)
{
  (void)len;
  uint32_t field, k;
  uint32_t st = prange_sel(fw, p, &field, &k);
  if (st != NSGNIC_STATUS_OK)
    return st;
  if (FW_GET32(p, P_PRANGE_FLAGS))
    return NSGNIC_STATUS_BAD_FLAGS;
  const struct fw_hal *h = fw->hal;
  uint32_t v = 0;
  if (h->ops->prange_read(h->ctx, field, k, &v) != FW_HAL_OK) {
    FW_COUNT(fw, HW_ERRORS);
    return NSGNIC_STATUS_HW_ERROR;
  }
  out[0] = p[0];
  out[FW_W(P_PRANGE_VALUE)] = v;
  *out_len = 2;
  return NSGNIC_STATUS_OK;
}
