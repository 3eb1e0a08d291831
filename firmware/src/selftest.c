/* SPDX-License-Identifier: Apache-2.0 */
/* Boot self-test. Each step sets its SELFTEST_* bit on failure; the firmware then serves only
 * the read-only commands (FW_STATE_FAILED). Steps never change what the datapath looks up: the
 * TCAM step writes only an entry that is invalid (and so matches nothing) and restores it. */
#include "fw.h"

enum { RAM_TEST_WORDS = 64 };

/* March test on a scratch buffer of data RAM (catches stuck-at and coupling faults of that
 * buffer, and a broken load/store path). */
static int ram_test(void)
{
  static volatile uint32_t buf[RAM_TEST_WORDS];
  const uint32_t pat = 0xa5c3961eu;
  for (uint32_t i = 0; i < RAM_TEST_WORDS; i++)
    buf[i] = 0;
  for (uint32_t i = 0; i < RAM_TEST_WORDS; i++) {
    if (buf[i] != 0)
      return 0;
    buf[i] = pat ^ i;
  }
  for (uint32_t i = RAM_TEST_WORDS; i-- > 0;) {
    if (buf[i] != (pat ^ i))
      return 0;
    buf[i] = ~(pat ^ i);
  }
  for (uint32_t i = 0; i < RAM_TEST_WORDS; i++)
    if (buf[i] != ~(pat ^ i))
      return 0;
  return 1;
}

static int window_test(const struct fw_hal *h)
{
  static const uint32_t pats[] = {0x00000000u, 0xffffffffu, 0x55aa33ccu, 0xaa55cc33u};
  for (uint32_t i = 0; i < sizeof(pats) / sizeof(pats[0]); i++) {
    fw_win_wr(h, NSGNIC_HOSTREG_SCRATCH, pats[i]);
    if (fw_win_rd(h, NSGNIC_HOSTREG_SCRATCH) != pats[i])
      return 0;
  }
  return 1;
}

static int sizes_ok(const struct fw_hal *h)
{
  return h->rule_entries >= 1 && h->rule_entries <= NSGNIC_RULE_ENTRIES &&
         (h->label_entries >= 1 || h->lpm_levels) && h->label_entries <= NSGNIC_LABEL_ENTRIES &&
         fw_lpm_geom_ok(h) &&
         /* label contexts: trees and a local-address table (the label TCAM) */
         (!h->label_ctx || (h->lpm_levels && h->label_entries >= 1)) &&
         h->platform_entries >= 1 && h->platform_entries <= NSGNIC_PLATFORM_ENTRIES &&
         h->vports >= 1 && h->vports <= NSGNIC_VPORTS && h->flow_entries <= (1u << 24) &&
         h->port_classes <= NSGNIC_PORT_CLASSES;
}

static int entry_eq(const struct fw_tcam_entry *a, const struct fw_tcam_entry *b)
{
  for (uint32_t i = 0; i < FW_KEY_WORDS; i++)
    if (a->key[i] != b->key[i] || a->mask[i] != b->mask[i])
      return 0;
  for (uint32_t i = 0; i < FW_RES_WORDS; i++)
    if (a->res[i] != b->res[i])
      return 0;
  return a->valid == b->valid;
}

/* Writes an invalid test pattern to the last entry of a table and reads it back, when that
 * entry is invalid now (then it is restored); a valid entry is only read twice and compared. */
static int tcam_test(struct fw *fw, uint32_t table)
{
  static const uint32_t kw[FW_TABLES] = {NSGNIC_RULE_KEY_BITS, NSGNIC_LABEL_KEY_BITS,
                                         NSGNIC_PLATFORM_KEY_BITS};
  const struct fw_hal *h = fw->hal;
  uint32_t idx = fw_table_size(fw, table) - 1u;
  struct fw_tcam_entry saved, probe, back;
  if (h->ops->tcam_read(h->ctx, table, idx, &saved) != FW_HAL_OK)
    return 0;
  if (saved.valid) {
    if (h->ops->tcam_read(h->ctx, table, idx, &back) != FW_HAL_OK)
      return 0;
    return entry_eq(&saved, &back);
  }
  for (uint32_t i = 0; i < FW_KEY_WORDS; i++) {
    uint32_t lo = 32u * i;
    uint32_t keep = lo >= kw[table]        ? 0u
                    : kw[table] - lo >= 32u ? 0xffffffffu
                                            : (1u << (kw[table] - lo)) - 1u;
    probe.mask[i] = (0x5a5a5a5au ^ (i * 0x01010101u)) & keep;
    probe.key[i] = (0x3c3c3c3cu + i) & probe.mask[i];
  }
  probe.res[0] = 0x0000beefu;
  probe.res[1] = 0;
  probe.res[2] = 0;
  probe.valid = 0;
  int ok = h->ops->tcam_write(h->ctx, table, idx, probe.key, probe.mask, probe.res, 0) == FW_HAL_OK &&
           h->ops->tcam_read(h->ctx, table, idx, &back) == FW_HAL_OK && entry_eq(&probe, &back);
  if (h->ops->tcam_write(h->ctx, table, idx, saved.key, saved.mask, saved.res, saved.valid) !=
      FW_HAL_OK)
    ok = 0;
  return ok;
}

uint32_t fw_selftest(struct fw *fw)
{
  const struct fw_hal *h = fw->hal;
  uint32_t fail = 0;
  if (!ram_test())
    fail |= 1u << NSGNIC_SELFTEST_RAM;
  if (!window_test(h))
    fail |= 1u << NSGNIC_SELFTEST_WINDOW;
  if (!sizes_ok(h)) {
    fail |= 1u << NSGNIC_SELFTEST_SIZES;
    return fail;  /* the TCAM step needs valid sizes */
  }
  for (uint32_t t = 0; t < FW_TABLES; t++)
    if (fw_table_size(fw, t) && !tcam_test(fw, t))
      fail |= 1u << NSGNIC_SELFTEST_TCAM;
  return fail;
}
