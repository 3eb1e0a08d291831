/* SPDX-License-Identifier: Apache-2.0 */
/* Firmware table managers: TCAM writes/reads and their validation, the shadow-bank rule, the
 * commit (bank flip) and the banked vport bindings (staged in the inactive bank, activated and
 * resynchronised by COMMIT). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"

static const uint32_t VALID = 1u << NSGNIC_TCAM_FLAG_VALID;
static const uint32_t LIVE = 1u << NSGNIC_TCAM_FLAG_LIVE;

static int setup(void **state)
{
  *state = fx_new();
  return 0;
}

static int teardown(void **state)
{
  struct fx *f = *state;
  assert_true(fx_guards_ok(f));
  fx_free(f);
  return 0;
}

static uint32_t cmd(struct fx *f, uint32_t op, const uint32_t *p, uint32_t len, uint32_t *out)
{
  uint32_t n;
  return fw_host_cmd(&f->host, op, p, len, out, &n);
}

static uint32_t commit(struct fx *f, uint32_t base, uint32_t next)
{
  uint32_t p[2] = {base, next}, out[30];
  return cmd(f, NSGNIC_CMD_COMMIT, p, 2, out);
}

static void test_write_read_each_table(void **state)
{
  struct fx *f = *state;
  uint32_t p[21], out[30];
  /* label: a /24 of 10.1.2.0 in context 5, bank 1 */
  memset(p, 0, sizeof(p));
  NSGNIC_PUT(&p[0], P_TCAM_TABLE, NSGNIC_TABLE_LABEL);
  NSGNIC_PUT(&p[0], P_TCAM_FLAGS, VALID);
  p[1] = FX_LABELS - 1;
  uint32_t *key = p + FW_W(P_TCAM_KEY), *mask = p + FW_W(P_TCAM_MASK);
  uint32_t *res = p + FW_W(P_TCAM_RESULT);
  key[0] = 0x0a010200u;
  mask[0] = 0xffffff00u;
  NSGNIC_PUT(key, LABEL_KEY_CTX, 5);
  NSGNIC_PUT(mask, LABEL_KEY_CTX, 0xff);
  NSGNIC_PUT(mask, LABEL_KEY_FAMILY, 1);
  NSGNIC_PUT(key, LABEL_KEY_BANK, 1);
  NSGNIC_PUT(mask, LABEL_KEY_BANK, 1);
  NSGNIC_PUT(res, LABEL_RESULT_LABELS, 0x8000000000000041ull);
  NSGNIC_PUT(res, LABEL_RESULT_VPORT, 3);
  NSGNIC_PUT(res, LABEL_RESULT_VPORT_VALID, 1);
  assert_int_equal(cmd(f, NSGNIC_CMD_TCAM_WRITE, p, 21, out), NSGNIC_STATUS_OK);
  assert_int_equal(f->labels[FX_LABELS - 1].valid, 1);
  assert_int_equal(f->labels[FX_LABELS - 1].res[2], (1u << 8) | 3u);
  uint32_t sel[2] = {NSGNIC_TABLE_LABEL, FX_LABELS - 1};
  assert_int_equal(cmd(f, NSGNIC_CMD_TCAM_READ, sel, 2, out), NSGNIC_STATUS_OK);
  assert_memory_equal(out, p, sizeof(p));
  /* platform: class BLOCK for TCP 25 */
  memset(p, 0, sizeof(p));
  NSGNIC_PUT(&p[0], P_TCAM_TABLE, NSGNIC_TABLE_PLATFORM);
  NSGNIC_PUT(&p[0], P_TCAM_FLAGS, VALID);
  p[1] = 0;
  NSGNIC_PUT(key, PLATFORM_KEY_DST_PORT, 25);
  NSGNIC_PUT(mask, PLATFORM_KEY_DST_PORT, 0xffff);
  NSGNIC_PUT(key, PLATFORM_KEY_BANK, 1);
  NSGNIC_PUT(mask, PLATFORM_KEY_BANK, 1);
  NSGNIC_PUT(res, RESULT_PLATFORM_CLASS, NSGNIC_PLATFORM_CLASS_BLOCK);
  assert_int_equal(cmd(f, NSGNIC_CMD_TCAM_WRITE, p, 21, out), NSGNIC_STATUS_OK);
  sel[0] = NSGNIC_TABLE_PLATFORM;
  sel[1] = 0;
  assert_int_equal(cmd(f, NSGNIC_CMD_TCAM_READ, sel, 2, out), NSGNIC_STATUS_OK);
  assert_memory_equal(out, p, sizeof(p));
  /* rule */
  fx_rule(p, 7, 1, 22, VALID);
  assert_int_equal(cmd(f, NSGNIC_CMD_TCAM_WRITE, p, 21, out), NSGNIC_STATUS_OK);
  sel[0] = NSGNIC_TABLE_RULE;
  sel[1] = 7;
  assert_int_equal(cmd(f, NSGNIC_CMD_TCAM_READ, sel, 2, out), NSGNIC_STATUS_OK);
  assert_memory_equal(out, p, sizeof(p));
  assert_int_equal(f->fw.cnt[NSGNIC_FWCNT_TCAM_WRITES], 3);
}

/* Every malformed write is refused and leaves the tables as they were. */
static void test_write_validation(void **state)
{
  struct fx *f = *state;
  uint32_t p[21], out[30];
  struct fx *before = fx_new_unbooted();
  memcpy(before->rules, f->rules, sizeof(f->rules));
  memcpy(before->labels, f->labels, sizeof(f->labels));
  memcpy(before->platforms, f->platforms, sizeof(f->platforms));
#define EXPECT(st, mutate) \
  do { \
    fx_rule(p, 5, 1, 80, VALID); \
    mutate; \
    assert_int_equal(cmd(f, NSGNIC_CMD_TCAM_WRITE, p, 21, out), (st)); \
  } while (0)
  EXPECT(NSGNIC_STATUS_BAD_TABLE, NSGNIC_PUT(&p[0], P_TCAM_TABLE, 3));
  EXPECT(NSGNIC_STATUS_BAD_TABLE, NSGNIC_PUT(&p[0], P_TCAM_TABLE, 255));
  EXPECT(NSGNIC_STATUS_BAD_FLAGS, NSGNIC_PUT(&p[0], P_TCAM_FLAGS, 4));
  EXPECT(NSGNIC_STATUS_BAD_FIELD, NSGNIC_PUT(&p[0], P_TCAM_RESERVED, 1));
  EXPECT(NSGNIC_STATUS_BAD_INDEX, p[1] = FX_RULES);
  EXPECT(NSGNIC_STATUS_BAD_INDEX, p[1] = 0xffffffffu);
  /* value bit where the mask does not care */
  EXPECT(NSGNIC_STATUS_BAD_FIELD, p[FW_W(P_TCAM_KEY) + 3] = 1);
  /* reserved key bits must be don't-care */
  EXPECT(NSGNIC_STATUS_BAD_FIELD, NSGNIC_PUT(p + FW_W(P_TCAM_MASK), RULE_KEY_RESERVED, 1));
  /* result bits: reserved, above the width, platform class in a rule result */
  EXPECT(NSGNIC_STATUS_BAD_FIELD, NSGNIC_PUT(p + FW_W(P_TCAM_RESULT), RESULT_RESERVED, 1));
  EXPECT(NSGNIC_STATUS_BAD_FIELD, p[FW_W(P_TCAM_RESULT) + 1] = 1);
  EXPECT(NSGNIC_STATUS_BAD_FIELD, NSGNIC_PUT(p + FW_W(P_TCAM_RESULT), RESULT_PLATFORM_CLASS, 1));
  /* label table: key bits above 144 */
  EXPECT(NSGNIC_STATUS_BAD_FIELD, (NSGNIC_PUT(&p[0], P_TCAM_TABLE, NSGNIC_TABLE_LABEL),
                                   p[1] = 0, p[FW_W(P_TCAM_MASK) + 4] |= 1u << 20,
                                   NSGNIC_PUT(p + FW_W(P_TCAM_RESULT), RESULT_ACTION, 0)));
  EXPECT(NSGNIC_STATUS_BAD_FIELD, (NSGNIC_PUT(&p[0], P_TCAM_TABLE, NSGNIC_TABLE_LABEL), p[1] = 0,
                                   NSGNIC_PUT(p + FW_W(P_TCAM_RESULT), RESULT_ACTION, 0),
                                   p[FW_W(P_TCAM_RESULT) + 2] = 1u << 9));
  /* platform table: class 3 and the exemption bit */
  EXPECT(NSGNIC_STATUS_BAD_FIELD, (NSGNIC_PUT(&p[0], P_TCAM_TABLE, NSGNIC_TABLE_PLATFORM), p[1] = 0,
                                   NSGNIC_PUT(p + FW_W(P_TCAM_RESULT), RESULT_PLATFORM_CLASS, 3)));
  EXPECT(NSGNIC_STATUS_BAD_FIELD, (NSGNIC_PUT(&p[0], P_TCAM_TABLE, NSGNIC_TABLE_PLATFORM), p[1] = 0,
                                   NSGNIC_PUT(p + FW_W(P_TCAM_RESULT), RESULT_PLATFORM_EXEMPT, 1)));
  EXPECT(NSGNIC_STATUS_BAD_INDEX, (NSGNIC_PUT(&p[0], P_TCAM_TABLE, NSGNIC_TABLE_PLATFORM),
                                   p[1] = FX_PLATFORMS));
#undef EXPECT
  assert_memory_equal(before->rules, f->rules, sizeof(f->rules));
  assert_memory_equal(before->labels, f->labels, sizeof(f->labels));
  assert_memory_equal(before->platforms, f->platforms, sizeof(f->platforms));
  assert_int_equal(f->ram.tcam_writes, 6); /* the boot self-test's probe + restore only */
  uint32_t sel[2] = {3, 0};
  assert_int_equal(cmd(f, NSGNIC_CMD_TCAM_READ, sel, 2, out), NSGNIC_STATUS_BAD_TABLE);
  sel[0] = NSGNIC_TABLE_LABEL;
  sel[1] = FX_LABELS;
  assert_int_equal(cmd(f, NSGNIC_CMD_TCAM_READ, sel, 2, out), NSGNIC_STATUS_BAD_INDEX);
  sel[0] = NSGNIC_TABLE_LABEL | (1u << 8);
  sel[1] = 0;
  assert_int_equal(cmd(f, NSGNIC_CMD_TCAM_READ, sel, 2, out), NSGNIC_STATUS_BAD_FIELD);
  fx_free(before);
}

static void test_shadow_bank_rule(void **state)
{
  struct fx *f = *state;
  uint32_t p[21], out[30];
  /* bank 0 is active after boot */
  fx_rule(p, 1, 0, 80, VALID);
  assert_int_equal(cmd(f, NSGNIC_CMD_TCAM_WRITE, p, 21, out), NSGNIC_STATUS_LIVE_ENTRY);
  fx_rule(p, 1, 1, 80, VALID);
  assert_int_equal(cmd(f, NSGNIC_CMD_TCAM_WRITE, p, 21, out), NSGNIC_STATUS_OK);
  /* an entry that does not care about BANK is live in both */
  fx_rule(p, 2, 0, 80, VALID);
  NSGNIC_PUT(p + FW_W(P_TCAM_MASK), RULE_KEY_BANK, 0);
  assert_int_equal(cmd(f, NSGNIC_CMD_TCAM_WRITE, p, 21, out), NSGNIC_STATUS_LIVE_ENTRY);
  NSGNIC_PUT(&p[0], P_TCAM_FLAGS, VALID | LIVE);
  assert_int_equal(cmd(f, NSGNIC_CMD_TCAM_WRITE, p, 21, out), NSGNIC_STATUS_OK);
  /* it stays live in the active bank: invalidating it needs LIVE too */
  fx_rule(p, 2, 1, 80, 0);
  assert_int_equal(cmd(f, NSGNIC_CMD_TCAM_WRITE, p, 21, out), NSGNIC_STATUS_LIVE_ENTRY);
  assert_int_equal(f->rules[2].valid, 1);
  /* commit: bank 1 becomes active, entry 1 is now live, bank-0 entries become writable */
  assert_int_equal(commit(f, 0, 1), NSGNIC_STATUS_OK);
  assert_int_equal(f->ram.bank, 1);
  fx_rule(p, 1, 0, 81, VALID);
  assert_int_equal(cmd(f, NSGNIC_CMD_TCAM_WRITE, p, 21, out), NSGNIC_STATUS_LIVE_ENTRY);
  fx_rule(p, 3, 0, 81, VALID);
  assert_int_equal(cmd(f, NSGNIC_CMD_TCAM_WRITE, p, 21, out), NSGNIC_STATUS_OK);
  /* an invalid entry can be rewritten as invalid in any bank */
  fx_rule(p, 9, 1, 81, 0);
  assert_int_equal(cmd(f, NSGNIC_CMD_TCAM_WRITE, p, 21, out), NSGNIC_STATUS_OK);
  /* flip back: entry 3 live again, entry 1 writable */
  assert_int_equal(commit(f, 1, 2), NSGNIC_STATUS_OK);
  fx_rule(p, 1, 1, 99, VALID);
  assert_int_equal(cmd(f, NSGNIC_CMD_TCAM_WRITE, p, 21, out), NSGNIC_STATUS_OK);
  fx_rule(p, 3, 1, 99, VALID);
  assert_int_equal(cmd(f, NSGNIC_CMD_TCAM_WRITE, p, 21, out), NSGNIC_STATUS_LIVE_ENTRY);
}

/* The firmware learns at boot which entries are live (a restart with loaded tables). */
static void test_boot_learns_live_entries(void **state)
{
  (void)state;
  struct fx *f = fx_new_unbooted();
  f->rules[4].valid = 1;
  NSGNIC_PUT(f->rules[4].mask, RULE_KEY_BANK, 1); /* bank 0 */
  f->labels[6].valid = 1;                          /* both banks */
  f->platforms[1].valid = 1;
  NSGNIC_PUT(f->platforms[1].mask, PLATFORM_KEY_BANK, 1);
  NSGNIC_PUT(f->platforms[1].key, PLATFORM_KEY_BANK, 1); /* bank 1 */
  fx_boot(f);
  assert_int_equal(fw_live_get(&f->fw, NSGNIC_TABLE_RULE, 4), FW_LIVE_B0);
  assert_int_equal(fw_live_get(&f->fw, NSGNIC_TABLE_LABEL, 6), FW_LIVE_BOTH);
  assert_int_equal(fw_live_get(&f->fw, NSGNIC_TABLE_PLATFORM, 1), FW_LIVE_B1);
  assert_int_equal(fw_live_get(&f->fw, NSGNIC_TABLE_RULE, 5), FW_LIVE_NONE);
  uint32_t p[21], out[30];
  fx_rule(p, 4, 1, 80, VALID);
  assert_int_equal(cmd(f, NSGNIC_CMD_TCAM_WRITE, p, 21, out), NSGNIC_STATUS_LIVE_ENTRY);
  fx_free(f);
}

static void test_commit(void **state)
{
  struct fx *f = *state;
  assert_int_equal(commit(f, 1, 2), NSGNIC_STATUS_STALE_VERSION);
  assert_int_equal(commit(f, 0, 0), NSGNIC_STATUS_BAD_FIELD);
  f->ram.fail = 1;
  assert_int_equal(commit(f, 0, 5), NSGNIC_STATUS_HW_ERROR);
  assert_int_equal(f->fw.bank, 0);
  assert_int_equal(f->fw.table_version, 0);
  uint32_t p[2] = {0, 5}, out[30], n;
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_COMMIT, p, 2, out, &n), NSGNIC_STATUS_OK);
  assert_int_equal(n, 2);
  assert_int_equal(out[0], 5);
  assert_int_equal(out[1], 1);
  assert_int_equal(f->win[NSGNIC_HOSTREG_TABLE_VERSION / 4], 5);
  assert_int_equal(f->win[NSGNIC_HOSTREG_ACTIVE_BANK / 4], 1);
  assert_int_equal(f->ram.gen, 5);
  assert_int_equal(commit(f, 5, 0xffffffffu), NSGNIC_STATUS_OK);
  assert_int_equal(f->ram.bank, 0);
  assert_int_equal(f->ram.gen, 0xff);
  assert_int_equal(f->fw.cnt[NSGNIC_FWCNT_COMMITS], 2);
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_GET_CAPS, p, 0, out, &n), NSGNIC_STATUS_OK);
  assert_int_equal(out[FW_W(P_CAPS_TABLE_VERSION)], 0xffffffffu);
}

static void test_hw_error_marks_entry_live(void **state)
{
  struct fx *f = *state;
  uint32_t p[21], out[30];
  fx_rule(p, 11, 1, 80, VALID);
  f->ram.fail = 1;
  assert_int_equal(cmd(f, NSGNIC_CMD_TCAM_WRITE, p, 21, out), NSGNIC_STATUS_HW_ERROR);
  assert_int_equal(fw_live_get(&f->fw, NSGNIC_TABLE_RULE, 11), FW_LIVE_BOTH);
  assert_int_equal(cmd(f, NSGNIC_CMD_TCAM_WRITE, p, 21, out), NSGNIC_STATUS_LIVE_ENTRY);
  NSGNIC_PUT(&p[0], P_TCAM_FLAGS, VALID | LIVE);
  assert_int_equal(cmd(f, NSGNIC_CMD_TCAM_WRITE, p, 21, out), NSGNIC_STATUS_OK);
  assert_int_equal(fw_live_get(&f->fw, NSGNIC_TABLE_RULE, 11), FW_LIVE_B1);
}

/* P_BIND VPORT word. */
static uint32_t bsel(uint32_t vport, uint32_t flags)
{
  uint32_t w = 0;
  NSGNIC_PUT(&w, P_BIND_VPORT, vport);
  NSGNIC_PUT(&w, P_BIND_FLAGS, flags);
  return w;
}

static const uint32_t BLIVE = 1u << NSGNIC_BIND_FLAG_LIVE;
static const uint32_t SHADOW = 1u << NSGNIC_BIND_FLAG_SHADOW;

/* A binding payload for `vport` whose NIC NSG is `nsg`. */
static void bind_payload(uint32_t *p, uint32_t vport, uint32_t flags, uint32_t nsg)
{
  memset(p, 0, 5 * sizeof *p);
  p[0] = bsel(vport, flags);
  NSGNIC_PUT(p + 1, BINDING_NIC_NSG, nsg);
  NSGNIC_PUT(p + 1, BINDING_NIC_NSG_VALID, 1);
  NSGNIC_PUT(p + 1, BINDING_VALID, 1);
}

/* NIC NSG the firmware reports for vport (active bank, or the inactive one with SHADOW). */
static uint32_t bind_nsg(struct fx *f, uint32_t vport, uint32_t flags)
{
  uint32_t p = bsel(vport, flags), out[30], n;
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_BIND_READ, &p, 1, out, &n), NSGNIC_STATUS_OK);
  assert_int_equal(n, 5);
  assert_int_equal(out[0], p);
  return (uint32_t)NSGNIC_GET(out + 1, BINDING_NIC_NSG);
}

static void test_bindings(void **state)
{
  struct fx *f = *state;
  uint32_t p[5] = {0}, out[30], n;
  p[0] = FX_VPORTS - 1;
  NSGNIC_PUT(p + 1, BINDING_SUBNET_NSG, 1023);
  NSGNIC_PUT(p + 1, BINDING_SUBNET_NSG_VALID, 1);
  NSGNIC_PUT(p + 1, BINDING_CTX, 200);
  NSGNIC_PUT(p + 1, BINDING_VALID, 1);
  NSGNIC_PUT(p + 1, BINDING_LOCAL_LABELS, 0xfedcba9876543210ull);
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_BIND_WRITE, p, 5, out, &n), NSGNIC_STATUS_OK);
  /* banked: the inactive bank (1) got it, the active one did not */
  assert_memory_equal(f->bind[1][FX_VPORTS - 1], p + 1, 16);
  uint32_t zero[4] = {0};
  assert_memory_equal(f->bind[0][FX_VPORTS - 1], zero, 16);
  uint32_t q = bsel(FX_VPORTS - 1, SHADOW);
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_BIND_READ, &q, 1, out, &n), NSGNIC_STATUS_OK);
  assert_int_equal(n, 5);
  assert_int_equal(out[0], q);
  assert_memory_equal(out + 1, p + 1, 16);
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_BIND_READ, p, 1, out, &n), NSGNIC_STATUS_OK);
  assert_memory_equal(out + 1, zero, 16);
  p[0] = FX_VPORTS;
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_BIND_WRITE, p, 5, out, &n),
                   NSGNIC_STATUS_BAD_INDEX);
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_BIND_READ, p, 1, out, &n),
                   NSGNIC_STATUS_BAD_INDEX);
  p[0] = 0;
  NSGNIC_PUT(p + 1, BINDING_RESERVED0, 1);
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_BIND_WRITE, p, 5, out, &n),
                   NSGNIC_STATUS_BAD_FIELD);
  NSGNIC_PUT(p + 1, BINDING_RESERVED0, 0);
  p[4] = 1u << (NSGNIC_BINDING_RESERVED1_LSB - 96); /* RESERVED1 (bits below: LABEL_CTX) */
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_BIND_WRITE, p, 5, out, &n),
                   NSGNIC_STATUS_BAD_FIELD);
  assert_memory_equal(f->bind[0][0], zero, 16);
  assert_memory_equal(f->bind[1][0], zero, 16);
  p[4] = 0;
  f->ram.fail = 1;
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_BIND_WRITE, p, 5, out, &n),
                   NSGNIC_STATUS_HW_ERROR);
}

/* Issue 15, image_untrusted: the firmware checks a binding again - an NSG id behind a cleared
 * valid bit (the NSG detached by an edit of the image) and an unconfigured vport carrying
 * anything are refused, nothing is written. */
static void test_image_untrusted_binding(void **state)
{
  struct fx *f = *state;
  uint32_t p[5], out[30], n, snap[2][FX_VPORTS][4];
  memcpy(snap, f->bind, sizeof snap);
  bind_payload(p, 2, 0, 9);
  NSGNIC_PUT(p + 1, BINDING_NIC_NSG_VALID, 0);
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_BIND_WRITE, p, 5, out, &n), NSGNIC_STATUS_BAD_FIELD);
  bind_payload(p, 2, 0, 0);
  NSGNIC_PUT(p + 1, BINDING_SUBNET_NSG, 4);
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_BIND_WRITE, p, 5, out, &n), NSGNIC_STATUS_BAD_FIELD);
  bind_payload(p, 2, 0, 9);
  NSGNIC_PUT(p + 1, BINDING_VALID, 0);
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_BIND_WRITE, p, 5, out, &n), NSGNIC_STATUS_BAD_FIELD);
  assert_memory_equal(snap, f->bind, sizeof snap);
  /* the legal forms: NSG id 0 without the valid bit, and the all-zero (unconfigured) entry */
  bind_payload(p, 2, 0, 9);
  NSGNIC_PUT(p + 1, BINDING_SUBNET_NSG_VALID, 0);
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_BIND_WRITE, p, 5, out, &n), NSGNIC_STATUS_OK);
  memset(p + 1, 0, 16);
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_BIND_WRITE, p, 5, out, &n), NSGNIC_STATUS_OK);
}

/* The P_BIND VPORT word: unknown flags, a flag of the other command, reserved bits. */
static void test_binding_flags(void **state)
{
  struct fx *f = *state;
  uint32_t p[5], out[30], n, snap[2][FX_VPORTS][4];
  memcpy(snap, f->bind, sizeof snap);
  static const uint32_t bad_write[] = {1, SHADOW, 8, 0x80};
  for (size_t i = 0; i < sizeof bad_write / sizeof bad_write[0]; i++) {
    bind_payload(p, 3, bad_write[i], 9);
    assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_BIND_WRITE, p, 5, out, &n), NSGNIC_STATUS_BAD_FLAGS);
  }
  static const uint32_t bad_read[] = {1, BLIVE, 8};
  for (size_t i = 0; i < sizeof bad_read / sizeof bad_read[0]; i++) {
    uint32_t q = bsel(3, bad_read[i]);
    assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_BIND_READ, &q, 1, out, &n), NSGNIC_STATUS_BAD_FLAGS);
  }
  bind_payload(p, 3, 0, 9);
  p[0] |= 1u << NSGNIC_P_BIND_RESERVED_LSB;
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_BIND_WRITE, p, 5, out, &n), NSGNIC_STATUS_BAD_FIELD);
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_BIND_READ, p, 1, out, &n), NSGNIC_STATUS_BAD_FIELD);
  p[0] = 0x10000u | 3; /* a vport that does not fit P_BIND.VPORT lands in FLAGS: refused */
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_BIND_WRITE, p, 5, out, &n), NSGNIC_STATUS_BAD_FLAGS);
  assert_memory_equal(snap, f->bind, sizeof snap);
  assert_int_equal(f->fw.cnt[NSGNIC_FWCNT_HW_ERRORS], 0);
}

/* An attachment change is staged in the inactive bank, becomes active at COMMIT together with
 * the rules, and the COMMIT brings the new inactive bank up to date, so the next change starts
 * from the committed state. */
static void test_binding_commit(void **state)
{
  struct fx *f = *state;
  uint32_t p[5], out[30], n;
  bind_payload(p, 2, 0, 5);
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_BIND_WRITE, p, 5, out, &n), NSGNIC_STATUS_OK);
  assert_int_equal(bind_nsg(f, 2, 0), 0);
  assert_int_equal(bind_nsg(f, 2, SHADOW), 5);
  assert_int_equal(commit(f, 0, 1), NSGNIC_STATUS_OK);
  assert_int_equal(f->ram.bank, 1);
  assert_int_equal(bind_nsg(f, 2, 0), 5);
  assert_int_equal(bind_nsg(f, 2, SHADOW), 5); /* synchronised after the flip */
  assert_memory_equal(f->bind[0][2], f->bind[1][2], 16);
  /* the next change: only vport 2 again, in the new inactive bank (0) */
  bind_payload(p, 2, 0, 6);
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_BIND_WRITE, p, 5, out, &n), NSGNIC_STATUS_OK);
  assert_int_equal(NSGNIC_GET(f->bind[0][2], BINDING_NIC_NSG), 6);
  assert_int_equal(NSGNIC_GET(f->bind[1][2], BINDING_NIC_NSG), 5);
  assert_int_equal(commit(f, 1, 2), NSGNIC_STATUS_OK);
  assert_int_equal(bind_nsg(f, 2, 0), 6);
  assert_int_equal(bind_nsg(f, 2, SHADOW), 6);
  /* a commit without binding writes leaves the bindings alone */
  assert_int_equal(commit(f, 2, 3), NSGNIC_STATUS_OK);
  assert_int_equal(bind_nsg(f, 2, 0), 6);
  /* LIVE: both banks at once, not waiting for a commit */
  bind_payload(p, 4, BLIVE, 7);
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_BIND_WRITE, p, 5, out, &n), NSGNIC_STATUS_OK);
  assert_int_equal(bind_nsg(f, 4, 0), 7);
  assert_int_equal(bind_nsg(f, 4, SHADOW), 7);
  assert_int_equal(f->fw.cnt[NSGNIC_FWCNT_HW_ERRORS], 0);
}

/* Fail closed: a vport whose inactive entry is unknown (its write failed; likewise when the copy
 * after a flip fails) is copied from the active bank before the next flip, and the flip is refused
 * while that copy fails: a COMMIT never activates an entry nobody wrote. */
static void test_binding_unsynced(void **state)
{
  struct fx *f = *state;
  uint32_t p[5], out[30], n;
  bind_payload(p, 1, 0, 3);
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_BIND_WRITE, p, 5, out, &n), NSGNIC_STATUS_OK);
  assert_int_equal(commit(f, 0, 1), NSGNIC_STATUS_OK); /* both banks: NSG 3 */
  /* the inactive bank is corrupted behind the firmware's back while a write fails */
  NSGNIC_PUT(f->bind[0][1], BINDING_NIC_NSG, 99);
  bind_payload(p, 1, 0, 4);
  f->ram.fail = 1;
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_BIND_WRITE, p, 5, out, &n), NSGNIC_STATUS_HW_ERROR);
  /* the resync copy fails: no flip */
  f->ram.fail = 1;
  assert_int_equal(commit(f, 1, 2), NSGNIC_STATUS_HW_ERROR);
  assert_int_equal(f->ram.bank, 1);
  assert_int_equal(f->fw.table_version, 1);
  /* it works: the inactive entry is the active one again, then the flip */
  assert_int_equal(commit(f, 1, 2), NSGNIC_STATUS_OK);
  assert_int_equal(f->ram.bank, 0);
  assert_int_equal(bind_nsg(f, 1, 0), 3);
  assert_int_equal(bind_nsg(f, 1, SHADOW), 3);
  assert_int_equal(f->fw.cnt[NSGNIC_FWCNT_HW_ERRORS], 2);
}

/* Boot: a vport whose banks differ (tables left by an earlier firmware) is resynchronised from
 * the active bank before the first flip. */
static void test_binding_boot_unsynced(void **state)
{
  (void)state;
  struct fx *f = fx_new_unbooted();
  NSGNIC_PUT(f->bind[0][5], BINDING_NIC_NSG, 1);
  NSGNIC_PUT(f->bind[1][5], BINDING_NIC_NSG, 2);
  fx_boot(f);
  assert_int_equal(f->fw.state, NSGNIC_FW_STATE_READY);
  assert_int_equal(commit(f, 0, 1), NSGNIC_STATUS_OK);
  assert_int_equal(f->ram.bank, 1);
  assert_int_equal(bind_nsg(f, 5, 0), 1); /* not bank 1's stale 2 */
  assert_int_equal(bind_nsg(f, 5, SHADOW), 1);
  assert_true(fx_guards_ok(f));
  fx_free(f);
}

static uint32_t prange(struct fx *f, uint32_t op, uint32_t field, uint32_t k, uint32_t flags,
                       uint32_t value, uint32_t *out)
{
  uint32_t p[2] = {0, value}, n;
  NSGNIC_PUT(&p[0], P_PRANGE_FIELD, field);
  NSGNIC_PUT(&p[0], P_PRANGE_INDEX, k);
  NSGNIC_PUT(&p[0], P_PRANGE_FLAGS, flags);
  return fw_host_cmd(&f->host, op, p, op == NSGNIC_CMD_PORT_RANGE_WRITE ? 2 : 1, out, &n);
}

static void test_port_ranges(void **state)
{
  struct fx *f = *state;
  uint32_t out[30], p[21];
  const uint32_t W_ = NSGNIC_CMD_PORT_RANGE_WRITE, R_ = NSGNIC_CMD_PORT_RANGE_READ;
  uint32_t r1024 = 1024u | (65535u << 16);
  assert_int_equal(prange(f, W_, 1, 2, 0, r1024, out), NSGNIC_STATUS_OK);
  assert_int_equal(f->ram.prange[1][2], r1024);
  assert_int_equal(prange(f, R_, 1, 2, 0, 0, out), NSGNIC_STATUS_OK);
  assert_int_equal(out[1], r1024);
  assert_int_equal(prange(f, W_, 2, 0, 0, 1, out), NSGNIC_STATUS_BAD_FIELD);
  assert_int_equal(prange(f, W_, 0, NSGNIC_PORT_CLASSES, 0, 1, out), NSGNIC_STATUS_BAD_INDEX);
  assert_int_equal(prange(f, W_, 0, 0, 1, 1, out), NSGNIC_STATUS_BAD_FLAGS);
  assert_int_equal(prange(f, R_, 0, 0, 2, 0, out), NSGNIC_STATUS_BAD_FLAGS);
  /* a rule entry of the active bank (0) that uses destination comparator 2: it is in use */
  fx_rule(p, 6, 0, 0, VALID | LIVE);
  NSGNIC_PUT(p + FW_W(P_TCAM_MASK), RULE_KEY_DST_PORT, 0);
  NSGNIC_PUT(p + FW_W(P_TCAM_KEY), RULE_KEY_DST_PORT_CLASS, 1u << 2);
  NSGNIC_PUT(p + FW_W(P_TCAM_MASK), RULE_KEY_DST_PORT_CLASS, 1u << 2);
  assert_int_equal(cmd(f, NSGNIC_CMD_TCAM_WRITE, p, 21, out), NSGNIC_STATUS_OK);
  assert_int_equal(prange(f, W_, 1, 2, 0, 80u | (80u << 16), out), NSGNIC_STATUS_LIVE_ENTRY);
  assert_int_equal(f->ram.prange[1][2], r1024);
  assert_int_equal(prange(f, W_, 0, 2, 0, 7, out), NSGNIC_STATUS_OK);  /* source 2: unused */
  assert_int_equal(prange(f, W_, 1, 1, 0, 7, out), NSGNIC_STATUS_OK);  /* destination 1 */
  assert_int_equal(prange(f, W_, 1, 2, LIVE, 80u | (80u << 16), out), NSGNIC_STATUS_OK);
  /* after a commit to bank 1 the entry is no longer looked up: free to change */
  assert_int_equal(commit(f, 0, 1), NSGNIC_STATUS_OK);
  assert_int_equal(prange(f, W_, 1, 2, 0, r1024, out), NSGNIC_STATUS_OK);
  /* a device without comparators */
  f->hal.port_classes = 0;
  assert_int_equal(prange(f, W_, 0, 0, 0, 1, out), NSGNIC_STATUS_UNSUPPORTED);
  assert_int_equal(prange(f, R_, 0, 0, 0, 0, out), NSGNIC_STATUS_UNSUPPORTED);
  f->hal.port_classes = NSGNIC_PORT_CLASSES;
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_write_read_each_table, setup, teardown),
    cmocka_unit_test_setup_teardown(test_write_validation, setup, teardown),
    cmocka_unit_test_setup_teardown(test_shadow_bank_rule, setup, teardown),
    cmocka_unit_test(test_boot_learns_live_entries),
    cmocka_unit_test_setup_teardown(test_commit, setup, teardown),
    cmocka_unit_test_setup_teardown(test_hw_error_marks_entry_live, setup, teardown),
    cmocka_unit_test_setup_teardown(test_bindings, setup, teardown),
    cmocka_unit_test_setup_teardown(test_image_untrusted_binding, setup, teardown),
    cmocka_unit_test_setup_teardown(test_binding_flags, setup, teardown),
    cmocka_unit_test_setup_teardown(test_binding_commit, setup, teardown),
    cmocka_unit_test_setup_teardown(test_binding_unsynced, setup, teardown),
    cmocka_unit_test(test_binding_boot_unsynced),
    cmocka_unit_test_setup_teardown(test_port_ranges, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
