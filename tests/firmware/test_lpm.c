/* SPDX-License-Identifier: Apache-2.0 */
/* CMD_LPM_WRITE: node words of the block-RAM label stage sent in chunks, staged and written
 * into the inactive bank (after COMMIT the same write lands in the old bank); every malformed
 * sequence is refused without a write; GET_CAPS reports the geometry; the self-test refuses a
 * geometry the firmware cannot serve. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"

/* 3 levels, fanout 8, 11 context bits; results 65,536 / 16,384 rows make the pointers 16 / 14
 * bits, so the IPv4 node word is 432 bits (14 words) and the IPv6 one 1,088 (34 words: two
 * chunks), as at the ABI geometry. */
static void lpm_geom(struct fx *f)
{
  f->hal.label_entries = 0;
  f->hal.lpm_levels = 3;
  f->hal.lpm_fanout = 8;
  f->hal.lpm_ctx_bits = 11;
  f->hal.lpm_leaves[0] = 64;
  f->hal.lpm_leaves[1] = 32;
  f->hal.lpm_results[0] = 65536;
  f->hal.lpm_results[1] = 16384;
}

static int setup(void **state)
{
  struct fx *f = fx_new_unbooted();
  lpm_geom(f);
  fx_boot(f);
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  struct fx *f = *state;
  assert_true(fx_guards_ok(f));
  fx_free(f);
  return 0;
}

static uint32_t cmd(struct fx *f, uint32_t op, const uint32_t *p, uint32_t len)
{
  uint32_t n, out[30];
  return fw_host_cmd(&f->host, op, p, len, out, &n);
}

/* One chunk: words [off, off + count) of `word`. */
static uint32_t chunk(struct fx *f, uint32_t fam, uint32_t level, uint32_t index, uint32_t flags,
                      const uint32_t *word, uint32_t off, uint32_t count)
{
  uint32_t p[30] = {0};
  NSGNIC_PUT(p, P_LPMW_INDEX, index);
  NSGNIC_PUT(p, P_LPMW_LEVEL, level);
  NSGNIC_PUT(p, P_LPMW_FAMILY, fam);
  NSGNIC_PUT(p, P_LPMW_FLAGS, flags);
  NSGNIC_PUT(p, P_LPMW_OFFSET, off);
  NSGNIC_PUT(p, P_LPMW_COUNT, count);
  for (uint32_t i = 0; i < count; i++)
    p[2 + i] = word[off + i];
  return cmd(f, NSGNIC_CMD_LPM_WRITE, p, 2 + count);
}

static const uint32_t LAST = 1u << NSGNIC_LPM_FLAG_LAST;

/* A whole node word in chunks of at most 28 words. */
static uint32_t node(struct fx *f, uint32_t fam, uint32_t level, uint32_t index, const uint32_t *w,
                     uint32_t words)
{
  uint32_t st = NSGNIC_STATUS_OK;
  for (uint32_t off = 0; off < words && st == NSGNIC_STATUS_OK; off += 28) {
    uint32_t n = words - off < 28 ? words - off : 28;
    st = chunk(f, fam, level, index, off + n == words ? LAST : 0, w, off, n);
  }
  return st;
}

static void pattern(uint32_t *w, uint32_t seed)
{
  for (uint32_t i = 0; i < NSGNIC_CSR_LPM_DATA_WORDS; i++)
    w[i] = seed * 0x9e3779b9u + i * 0x85ebca6bu;
}

static void test_caps(void **state)
{
  struct fx *f = *state;
  uint32_t out[30], n;
  assert_int_equal(fw_host_cmd(&f->host, NSGNIC_CMD_GET_CAPS, NULL, 0, out, &n), NSGNIC_STATUS_OK);
  assert_int_equal(n, FW_W(P_CAPS_LPM6_RESULTS) + 1);
  assert_true(out[FW_W(P_CAPS_CAPS)] & (1u << NSGNIC_CAP_LABEL_LPM));
  assert_false(out[FW_W(P_CAPS_CAPS)] & (1u << NSGNIC_CAP_TCAM_LABEL));
  assert_int_equal(out[FW_W(P_CAPS_LABEL_ENTRIES)], 0);
  assert_int_equal(out[FW_W(P_CAPS_LPM_LEVELS)], 3);
  assert_int_equal(out[FW_W(P_CAPS_LPM_FANOUT)], 8);
  assert_int_equal(out[FW_W(P_CAPS_LPM_CTX_BITS)], 11);
  assert_int_equal(out[FW_W(P_CAPS_LPM4_LEAF_NODES)], 64);
  assert_int_equal(out[FW_W(P_CAPS_LPM6_LEAF_NODES)], 32);
  assert_int_equal(out[FW_W(P_CAPS_LPM4_RESULTS)], 65536);
  assert_int_equal(out[FW_W(P_CAPS_LPM6_RESULTS)], 16384);
  assert_int_equal(fw_lpm_node_words(&f->hal, 0), 14);
  assert_int_equal(fw_lpm_node_words(&f->hal, 1), 34);
  /* level depths as lpm.sv: 64 leaves -> 8 -> 1 */
  assert_int_equal(fw_lpm_level_depth(&f->hal, 0, 0), 1);
  assert_int_equal(fw_lpm_level_depth(&f->hal, 0, 1), 8);
  assert_int_equal(fw_lpm_level_depth(&f->hal, 0, 2), 64);
  assert_int_equal(f->fw.state, NSGNIC_FW_STATE_READY);
}

static void test_two_chunks_inactive_then_old_bank(void **state)
{
  struct fx *f = *state;
  uint32_t w[NSGNIC_CSR_LPM_DATA_WORDS];
  pattern(w, 1);
  assert_int_equal(node(f, 1, 2, 31, w, 34), NSGNIC_STATUS_OK);
  assert_int_equal(f->ram.lpm_writes, 1);
  const struct fw_ram_lpm_write *l = &f->ram.lpm_log[0];
  assert_int_equal(l->fam, 1);
  assert_int_equal(l->bank, 1);  /* active bank 0 after boot: the write goes to bank 1 */
  assert_int_equal(l->level, 2);
  assert_int_equal(l->index, 31);
  assert_memory_equal(l->data, w, sizeof w);
  /* COMMIT flips; the host's replay of the same write lands in the old bank */
  uint32_t c[2] = {0, 1};
  assert_int_equal(cmd(f, NSGNIC_CMD_COMMIT, c, 2), NSGNIC_STATUS_OK);
  assert_int_equal(node(f, 1, 2, 31, w, 34), NSGNIC_STATUS_OK);
  assert_int_equal(f->ram.lpm_writes, 2);
  assert_int_equal(f->ram.lpm_log[1].bank, 0);
  assert_memory_equal(f->ram.lpm_log[1].data, w, sizeof w);
  /* an IPv4 node fits one chunk; a result row is LABEL_RESULT_WORDS words */
  pattern(w, 2);
  assert_int_equal(node(f, 0, 0, 0, w, 14), NSGNIC_STATUS_OK);
  assert_int_equal(f->ram.lpm_log[2].fam, 0);
  assert_memory_equal(f->ram.lpm_log[2].data, w, 14 * sizeof w[0]);
  assert_int_equal(node(f, 0, 3, 65535, w, NSGNIC_LABEL_RESULT_WORDS), NSGNIC_STATUS_OK);
  assert_int_equal(f->ram.lpm_log[3].level, 3);
  assert_int_equal(f->ram.lpm_log[3].index, 65535);
  assert_int_equal(f->ram.lpm_writes, 4);
}

static void test_refusals(void **state)
{
  struct fx *f = *state;
  uint32_t w[NSGNIC_CSR_LPM_DATA_WORDS];
  pattern(w, 3);
  /* a chunk that does not continue a staged word */
  assert_int_equal(chunk(f, 1, 2, 3, LAST, w, 28, 6), NSGNIC_STATUS_BAD_FIELD);
  /* the second chunk names another node: refused, and the first is dropped */
  assert_int_equal(chunk(f, 1, 2, 3, 0, w, 0, 28), NSGNIC_STATUS_OK);
  assert_int_equal(chunk(f, 1, 2, 4, LAST, w, 28, 6), NSGNIC_STATUS_BAD_FIELD);
  assert_int_equal(chunk(f, 1, 2, 3, LAST, w, 28, 6), NSGNIC_STATUS_BAD_FIELD);
  /* LAST before the word is complete, a chunk past its end */
  assert_int_equal(chunk(f, 0, 2, 3, LAST, w, 0, 13), NSGNIC_STATUS_BAD_FIELD);
  assert_int_equal(chunk(f, 0, 2, 3, LAST, w, 0, 15), NSGNIC_STATUS_BAD_FIELD);
  /* index outside its level / the result table, level beyond the results */
  assert_int_equal(chunk(f, 0, 1, 8, LAST, w, 0, 14), NSGNIC_STATUS_BAD_INDEX);
  assert_int_equal(chunk(f, 0, 0, 1, LAST, w, 0, 14), NSGNIC_STATUS_BAD_INDEX);
  assert_int_equal(chunk(f, 1, 3, 16384, LAST, w, 0, 3), NSGNIC_STATUS_BAD_INDEX);
  assert_int_equal(chunk(f, 0, 4, 0, LAST, w, 0, 3), NSGNIC_STATUS_BAD_FIELD);
  /* unknown flag, reserved bits, length */
  assert_int_equal(chunk(f, 0, 2, 0, LAST | 2u, w, 0, 14), NSGNIC_STATUS_BAD_FLAGS);
  uint32_t p[30] = {0};
  NSGNIC_PUT(p, P_LPMW_COUNT, 3);
  NSGNIC_PUT(p, P_LPMW_LEVEL, 3);
  NSGNIC_PUT(p, P_LPMW_FLAGS, LAST);
  p[0] |= 1u << NSGNIC_P_LPMW_RESERVED0_LSB;
  assert_int_equal(cmd(f, NSGNIC_CMD_LPM_WRITE, p, 5), NSGNIC_STATUS_BAD_FIELD);
  p[0] &= ~(1u << NSGNIC_P_LPMW_RESERVED0_LSB);
  assert_int_equal(cmd(f, NSGNIC_CMD_LPM_WRITE, p, 4), NSGNIC_STATUS_BAD_LENGTH);
  assert_int_equal(cmd(f, NSGNIC_CMD_LPM_WRITE, p, 5), NSGNIC_STATUS_OK);
  assert_int_equal(f->ram.lpm_writes, 1);  /* only the last, well-formed one */
  /* a failing datapath: HW_ERROR, counted */
  f->ram.fail = 1;
  assert_int_equal(cmd(f, NSGNIC_CMD_LPM_WRITE, p, 5), NSGNIC_STATUS_HW_ERROR);
  assert_int_equal(f->ram.lpm_writes, 1);
  assert_true(f->fw.cnt[NSGNIC_FWCNT_HW_ERRORS] >= 1);
}

static void test_no_trees_unsupported(void **state)
{
  (void)state;
  struct fx *f = fx_new();  /* label TCAM device */
  uint32_t w[NSGNIC_CSR_LPM_DATA_WORDS] = {0};
  assert_int_equal(chunk(f, 0, 0, 0, LAST, w, 0, 3), NSGNIC_STATUS_UNSUPPORTED);
  fx_free(f);
}

static void test_bad_geometry_fails_selftest(void **state)
{
  (void)state;
  struct fx *f = fx_new_unbooted();
  lpm_geom(f);
  f->hal.lpm_fanout = 6;  /* not a power of two */
  fx_boot(f);
  assert_int_equal(f->fw.state, NSGNIC_FW_STATE_FAILED);
  assert_true(f->fw.selftest & (1u << NSGNIC_SELFTEST_SIZES));
  fx_free(f);
  f = fx_new_unbooted();
  lpm_geom(f);
  f->hal.lpm_ctx_bits = 40;  /* IPv6 node word beyond CSR_LPM_DATA */
  fx_boot(f);
  assert_int_equal(f->fw.state, NSGNIC_FW_STATE_FAILED);
  fx_free(f);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_caps, setup, teardown),
    cmocka_unit_test_setup_teardown(test_two_chunks_inactive_then_old_bank, setup, teardown),
    cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
    cmocka_unit_test(test_no_trees_unsupported),
    cmocka_unit_test(test_bad_geometry_fails_selftest),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
